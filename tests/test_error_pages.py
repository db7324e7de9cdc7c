"""400, 403, 404 and 500 pages in the portal's design that reveal nothing internal."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db

SERVICE_NAME = "Community Safety Partnership Portal"
INTERNALS = ("Traceback", "Django", "DEBUG", "Exception", "settings.py", "Request Method")


def _assert_portal_page(content: str) -> None:
    """The page uses the portal's shell (templates/base.html) and gives nothing away."""
    assert 'class="govuk-template"' in content
    assert f'class="govuk-generic-header__homepage-link">{SERVICE_NAME}</a>' in content
    for word in INTERNALS:
        assert word not in content


def _without_csrf_token(content: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


def test_an_unknown_address_shows_the_portals_page_not_found(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    content = response.content.decode()
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in content
    _assert_portal_page(content)


def test_a_signed_in_person_gets_the_same_page_not_found(client, personas):
    client.force_login(personas.manager)

    response = client.get("/partnerships/riverton/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    _assert_portal_page(response.content.decode())


def test_a_partnership_outside_the_persons_scope_is_page_not_found(client, personas):
    client.force_login(personas.outsider)

    response = client.get(reverse("partnerships:detail", args=[personas.csp.slug]))

    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert "No such partnership" not in content  # the exception's message stays in the logs
    assert personas.csp.name not in content
    _assert_portal_page(content)


def test_a_partnership_that_does_not_exist_looks_the_same_as_one_outside_scope(client, personas):
    client.force_login(personas.outsider)

    hidden = client.get(reverse("partnerships:detail", args=[personas.csp.slug]))
    missing = client.get(reverse("partnerships:detail", args=["no-such-partnership"]))

    assert hidden.status_code == missing.status_code == 404
    # Identical apart from the sign-out form's CSRF token, which Django masks afresh on every response.
    assert _without_csrf_token(hidden.content.decode()) == _without_csrf_token(missing.content.decode())


def test_an_officer_opening_the_members_page_gets_the_portals_permission_page(client, personas):
    client.force_login(personas.police_officer)

    response = client.get(reverse("partnerships:members", args=[personas.csp.slug]))

    assert response.status_code == 403
    content = response.content.decode()
    assert "You do not have permission to do this" in content
    assert "Only the partnership's managers" not in content  # the exception's message stays in the logs
    _assert_portal_page(content)


def test_the_server_error_page_is_the_portals_own():
    request = RequestFactory().get("/partnerships/")

    response = defaults.server_error(request)

    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, there is a problem with the service" in content
    _assert_portal_page(content)


def test_the_bad_request_page_is_the_portals_own():
    request = RequestFactory().get("/partnerships/")

    response = defaults.bad_request(request, SuspiciousOperation("secret detail of the failure"))

    assert response.status_code == 400
    content = response.content.decode()
    assert "Sorry, there is a problem with the request" in content
    assert "secret detail of the failure" not in content
    _assert_portal_page(content)


def test_a_request_for_an_unknown_host_gets_the_portals_bad_request_page(client):
    response = client.get(reverse("login"), HTTP_HOST="attacker.example")

    assert response.status_code == 400
    content = response.content.decode()
    assert "Sorry, there is a problem with the request" in content
    assert "attacker.example" not in content
    _assert_portal_page(content)
