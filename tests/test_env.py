"""Settings come from the environment; a malformed value stops the portal instead of meaning something else."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from csp_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


def _run(code_or_args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run Python in a fresh process with only PATH and the given variables (no PYTEST_VERSION)."""
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *code_or_args],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- The typed readers --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on", " true "])
def test_env_bool_reads_true_values(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_FLAG", raw)
    assert env_bool("PORTAL_FLAG", default=False) is True


@pytest.mark.parametrize("raw", ["0", "false", "FALSE", "no", "off", ""])
def test_env_bool_reads_false_values(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_FLAG", raw)
    assert env_bool("PORTAL_FLAG", default=True) is False


def test_env_bool_uses_the_default_when_the_variable_is_unset(monkeypatch):
    monkeypatch.delenv("PORTAL_FLAG", raising=False)
    assert env_bool("PORTAL_FLAG", default=True) is True
    assert env_bool("PORTAL_FLAG", default=False) is False


@pytest.mark.parametrize("raw", ["ture", "2", "enabled", "y e s"])
def test_env_bool_refuses_a_malformed_value_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match=r"PORTAL_FLAG must be true or false"):
        env_bool("PORTAL_FLAG", default=False)


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("PORTAL_NUMBER", "42")
    assert env_int("PORTAL_NUMBER", default=7) == 42


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_int_uses_the_default_when_the_variable_is_unset_or_blank(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("PORTAL_NUMBER", raising=False)
    else:
        monkeypatch.setenv("PORTAL_NUMBER", raw)
    assert env_int("PORTAL_NUMBER", default=7) == 7


@pytest.mark.parametrize("raw", ["abc", "1.5", "30m", "0x10"])
def test_env_int_refuses_a_value_that_is_not_a_whole_number(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match=r"PORTAL_NUMBER must be a whole number"):
        env_int("PORTAL_NUMBER", default=7)


def test_env_int_refuses_a_number_below_the_minimum(monkeypatch):
    monkeypatch.setenv("PORTAL_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match=r"PORTAL_NUMBER must be at least 1, not 0"):
        env_int("PORTAL_NUMBER", default=7, minimum=1)


def test_env_int_refuses_a_negative_number_by_default(monkeypatch):
    monkeypatch.setenv("PORTAL_NUMBER", "-5")
    with pytest.raises(ImproperlyConfigured, match=r"at least 0"):
        env_int("PORTAL_NUMBER", default=7)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("PORTAL_HOSTS", " portal.example.org, ,admin.example.org,")
    assert env_list("PORTAL_HOSTS", default=[]) == ["portal.example.org", "admin.example.org"]


def test_env_list_gives_a_copy_of_the_default_when_the_variable_is_unset(monkeypatch):
    monkeypatch.delenv("PORTAL_HOSTS", raising=False)
    default = ["localhost"]
    hosts = env_list("PORTAL_HOSTS", default=default)
    hosts.append("evil.example")
    assert default == ["localhost"]


def test_env_list_of_an_empty_variable_is_empty(monkeypatch):
    monkeypatch.setenv("PORTAL_HOSTS", "")
    assert env_list("PORTAL_HOSTS", default=["localhost"]) == []


def test_env_str_reads_the_variable_or_the_default(monkeypatch):
    monkeypatch.setenv("PORTAL_TEXT", "hello")
    assert env_str("PORTAL_TEXT") == "hello"
    monkeypatch.delenv("PORTAL_TEXT")
    assert env_str("PORTAL_TEXT", "fallback") == "fallback"
    assert env_str("PORTAL_TEXT") == ""


# --- The settings module, imported in a fresh process -------------------------------------------

_PRINT_SETTINGS = """
import json
import csp_portal.settings as s
print(json.dumps({
    "database": s.DATABASES["default"]["ENGINE"],
    "database_name": str(s.DATABASES["default"]["NAME"]),
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "broker": s.CELERY_BROKER_URL,
    "cache": s.CACHES["default"]["BACKEND"],
    "email": s.EMAIL_BACKEND,
    "session_age": s.SESSION_COOKIE_AGE,
    "axes_limit": s.AXES_FAILURE_LIMIT,
}))
"""


def test_with_no_variables_the_portal_runs_embedded():
    result = _run(["-c", _PRINT_SETTINGS], DEBUG="true")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["database"] == "django.db.backends.sqlite3"
    assert values["database_name"] == str(BASE_DIR / "db.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == "memory://"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["session_age"] == 30 * 60
    assert values["axes_limit"] == 5


def test_database_redis_and_email_variables_switch_to_the_real_services():
    result = _run(
        ["-c", _PRINT_SETTINGS],
        DEBUG="true",
        DATABASE_URL="postgres://portal@db.example.org:5432/portal",
        REDIS_URL="redis://cache.example.org:6379/0",
        EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["database"] == "django.db.backends.postgresql"
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.example.org:6379/0"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "ture", "DEBUG must be true or false, not 'ture'"),
        ("SESSION_IDLE_MINUTES", "thirty", "SESSION_IDLE_MINUTES must be a whole number"),
        ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT must be at least 1"),
    ],
)
def test_a_malformed_setting_stops_the_portal_with_improperly_configured(variable, value, message):
    result = _run(["-c", "import csp_portal.settings"], **{"DEBUG": "true", variable: value})
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_secret_key_is_required_when_debug_is_off_outside_the_tests():
    result = _run(["-c", "import csp_portal.settings"])
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_production_settings_pass_the_deployment_checks_with_no_warnings():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="portal.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
