"""Security from the first page: sign-in throttling, idle sessions, password rules, CSRF, headers, cookies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from partnerships.models import OrganisationMembership
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-2026"  # tests.factories.UserFactory's password
LOCKOUT_TEXT = "Too many attempts to sign in"
SERVICE_NAME = "Community Safety Partnership Portal"


def _sign_in(client: Client, email: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Sign-in throttling (django-axes) -----------------------------------------------------------


def test_a_wrong_password_shows_the_sign_in_form_again_with_an_error(client):
    UserFactory(email="pat@example.org")
    response = _sign_in(client, "pat@example.org", "not-the-password")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert not _signed_in(client)


def test_the_right_password_signs_in(client):
    UserFactory(email="pat@example.org")
    response = _sign_in(client, "pat@example.org", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert _signed_in(client)


def test_five_failed_sign_ins_lock_the_account_from_that_address(client):
    UserFactory(email="pat@example.org")
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, "pat@example.org", "not-the-password")
        assert response.status_code == 200
        assert LOCKOUT_TEXT not in response.content.decode()

    response = _sign_in(client, "pat@example.org", "not-the-password")

    assert response.status_code == 429
    assert LOCKOUT_TEXT in response.content.decode()


def test_a_locked_out_account_cannot_sign_in_even_with_the_right_password(client):
    UserFactory(email="pat@example.org")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "pat@example.org", "not-the-password")

    response = _sign_in(client, "pat@example.org", PASSWORD)

    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKOUT_TEXT in content
    assert SERVICE_NAME in content  # the portal's own page, not a bare error
    assert not _signed_in(client)


def test_a_lockout_does_not_stop_another_person_signing_in_from_the_same_address(client):
    UserFactory(email="pat@example.org")
    UserFactory(email="sam@example.org")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "pat@example.org", "not-the-password")

    other = Client()
    wrong = _sign_in(other, "sam@example.org", "not-the-password")
    assert wrong.status_code == 200
    assert LOCKOUT_TEXT not in wrong.content.decode()
    right = _sign_in(other, "sam@example.org", PASSWORD)
    assert right.status_code == 302
    assert _signed_in(other)


def test_a_lockout_does_not_stop_the_same_person_signing_in_from_another_address(client):
    UserFactory(email="pat@example.org")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "pat@example.org", "not-the-password")

    elsewhere = Client()
    response = _sign_in(elsewhere, "pat@example.org", PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302
    assert _signed_in(elsewhere)


def test_a_locked_out_account_can_sign_in_again_after_the_cool_off(client):
    UserFactory(email="pat@example.org")
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        for _ in range(django_settings.AXES_FAILURE_LIMIT):
            _sign_in(client, "pat@example.org", "not-the-password")
        assert _sign_in(client, "pat@example.org", PASSWORD).status_code == 429

        traveller.shift(django_settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
        response = _sign_in(client, "pat@example.org", PASSWORD)
        assert response.status_code == 302
        assert _signed_in(client)


# --- Sessions expire after inactivity -----------------------------------------------------------


def test_sessions_last_thirty_minutes_from_the_latest_request():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_pushes_the_session_expiry_thirty_minutes_ahead(client, personas):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(personas.manager)
        traveller.shift(timedelta(minutes=10))
        response = client.get(reverse("home"))

    assert response.status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date == start + timedelta(minutes=10 + 30)
    # The cookie is renewed with every response, so the browser always holds the current session.
    assert response.cookies[django_settings.SESSION_COOKIE_NAME].value == client.session.session_key


def test_a_signed_in_person_stays_signed_in_while_active(client, personas):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        client.force_login(personas.manager)
        for _ in range(4):
            traveller.shift(timedelta(minutes=20))
            response = client.get(reverse("home"))
            assert response.status_code == 200
        assert _signed_in(client)


def test_a_session_still_works_after_twenty_nine_idle_minutes(client, personas):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        client.force_login(personas.manager)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(minutes=29))
        response = client.get(reverse("home"))

    assert response.status_code == 200


def test_a_session_ends_after_thirty_one_idle_minutes_and_sign_in_is_asked_for(client, personas):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        client.force_login(personas.manager)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('home')}"


# --- Password rules (Django's validators) -------------------------------------------------------


def _change_password(client: Client, new_password: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("password123", "This password is too common."),
        ("Xq7#z", "This password is too short. It must contain at least 12 characters."),
        ("482915736201", "This password is entirely numeric."),
        ("pat.example.org", "The password is too similar to the email address."),
    ],
)
def test_a_weak_new_password_is_refused_on_the_change_password_page(client, new_password, message):
    person = UserFactory(email="pat@example.org", full_name="Pat Person")
    client.force_login(person)

    response = _change_password(client, new_password)

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_a_strong_new_password_is_accepted(client):
    person = UserFactory(email="pat@example.org")
    client.force_login(person)

    response = _change_password(client, "larch-sunrise-ferry-47")

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    person.refresh_from_db()
    assert person.check_password("larch-sunrise-ferry-47")


# --- CSRF on every form -------------------------------------------------------------------------


def _membership_form(organisation_pk: int) -> dict[str, str]:
    return {
        "organisation": str(organisation_pk),
        "standing": "invited",
        "start_date_0": "1",
        "start_date_1": "4",
        "start_date_2": "2024",
    }


def test_a_form_posted_without_its_csrf_token_is_refused_with_the_portals_403_page(personas):
    newcomer = OrganisationFactory(name="Riverton Homes")
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.manager)

    response = client.post(
        reverse("partnerships:membership_add", args=[personas.csp.slug]), _membership_form(newcomer.pk)
    )

    assert response.status_code == 403
    assert not OrganisationMembership.objects.filter(organisation=newcomer).exists()
    content = response.content.decode()
    assert "govuk-template" in content  # the portal's page shell (templates/base.html)
    assert SERVICE_NAME in content
    assert "DEBUG" not in content
    assert "Django" not in content


def test_the_same_form_posted_with_its_csrf_token_is_accepted(personas):
    newcomer = OrganisationFactory(name="Riverton Homes")
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.manager)
    url = reverse("partnerships:membership_add", args=[personas.csp.slug])
    client.get(url)
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value

    response = client.post(url, {**_membership_form(newcomer.pk), "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert OrganisationMembership.objects.filter(partnership=personas.csp, organisation=newcomer).exists()


@pytest.mark.parametrize(
    ("url_name", "signed_in"),
    [
        ("login", False),
        ("password_reset", False),
        ("logout", True),
        ("password_change", True),
        ("partnerships:membership_add", True),
        ("partnerships:role_add", True),
    ],
)
def test_every_form_refuses_a_post_without_a_csrf_token(personas, url_name, signed_in):
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(personas.manager)
    args = [personas.csp.slug] if url_name.startswith("partnerships:") else []

    response = client.post(reverse(url_name, args=args), {})

    assert response.status_code == 403


# --- Security headers on every response ---------------------------------------------------------


def _csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def served_static_files(settings):  # type: ignore[no-untyped-def]
    # In production WhiteNoise serves the collected files; here it serves them from the source folders.
    settings.WHITENOISE_USE_FINDERS = True


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/accounts/sign-in/", 200),
        ("/no-such-page/", 404),
        ("/healthz", 200),
        ("/static/js/app.mjs", 200),
        ("/static/images/favicon.svg", 200),
    ],
)
def test_every_response_carries_the_security_headers(client, personas, served_static_files, path, status):
    if path == "/":
        client.force_login(personas.manager)

    response = client.get(path, secure=True)

    assert response.status_code == status
    directives = _csp_directives(response.headers["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    permissions_policy = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions_policy
    hsts = response.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_plain_http_requests_are_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response.url == "https://testserver/accounts/sign-in/"


# --- Cookies ------------------------------------------------------------------------------------


def test_session_and_csrf_cookies_are_secure_and_hidden_from_scripts():
    assert django_settings.SESSION_COOKIE_SECURE is True
    assert django_settings.SESSION_COOKIE_HTTPONLY is True
    assert django_settings.CSRF_COOKIE_SECURE is True
    assert django_settings.CSRF_COOKIE_HTTPONLY is True


def test_signing_in_sets_secure_http_only_cookies(client):
    UserFactory(email="pat@example.org")

    page = client.get(reverse("login"), secure=True)
    csrf_cookie = page.cookies[django_settings.CSRF_COOKIE_NAME]
    response = _sign_in(client, "pat@example.org", PASSWORD, secure=True)

    assert response.status_code == 302
    session_cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    for cookie in (csrf_cookie, session_cookie):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
