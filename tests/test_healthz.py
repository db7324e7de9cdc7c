"""GET /healthz: 200 when the database (and Redis, when configured) answer; 503 naming what is down."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

pytestmark = pytest.mark.django_db

# A real Redis runs on this machine and in CI; database 15 is left to the tests.
LIVE_REDIS = "redis://127.0.0.1:6379/15"
# Nothing listens on port 1: the connection is refused at once.
CLOSED_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_answers_ok_when_the_database_answers(client, settings):
    settings.REDIS_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_checks_redis_when_it_is_configured(client, settings):
    settings.REDIS_URL = LIVE_REDIS

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_answers_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = CLOSED_REDIS

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "redis": "down"}


def test_healthz_answers_503_when_the_database_is_down(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("connection refused")

    # The one simulated outage: a real database cannot be stopped from inside the test process.
    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(reverse("healthz"))
    monkeypatch.undo()

    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down"}


def test_healthz_needs_no_sign_in_and_is_never_cached(client, settings):
    settings.REDIS_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_healthz_answers_plain_http_while_other_pages_redirect_to_https(client, settings):
    # The container health check speaks plain HTTP from inside the network.
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""

    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_healthz_only_answers_get(client, settings):
    settings.REDIS_URL = ""
    assert client.post(reverse("healthz")).status_code == 405
