"""Every URL of the project, asked by every persona, answers as this file's table declares.

The walk reads the URL patterns from Django's resolver, so a new page without a row in EXPECTED
fails `test_every_url_has_a_declared_rule` until someone decides who may open it. The admin site is
one rule for its whole namespace: staff only.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from partnerships.models import OrganisationMembership, Role, RoleAssignment
from tests.actionplans import url_rules as url_rules_actionplans
from tests.actionplans import url_rules_scrutiny
from tests.api import url_rules as url_rules_api
from tests.conftest import Personas, sign_in
from tests.priorities import url_rules_assessments, url_rules_plans
from tests.reviews import url_rules as url_rules_reviews
from tests.reviews import url_rules_reminders
from tests.url_rules import ANONYMOUS, PARTNERSHIP_MANAGERS, PARTNERSHIP_READERS, SIGN_IN

# Each app's rows live beside its tests; they are merged here so one walk covers the whole project.
RULE_MODULES = (
    url_rules_assessments,
    url_rules_plans,
    url_rules_actionplans,
    url_rules_scrutiny,
    url_rules_reviews,
    url_rules_reminders,
    url_rules_api,
)

pytestmark = pytest.mark.django_db

EVERYONE = (*Personas.ROLES, ANONYMOUS)

# Outcomes other than a plain status code: where a redirect leads.
HOME = "redirect to home"
ADMIN_SIGN_IN = "redirect to admin sign in"


def _signed_in(outcome: Any) -> dict[str, Any]:
    """A page every signed-in person gets the same answer from; anonymous people are sent to sign in."""
    return {**dict.fromkeys(Personas.ROLES, outcome), ANONYMOUS: SIGN_IN}


def _public(outcome: Any) -> dict[str, Any]:
    return dict.fromkeys(EVERYONE, outcome)


EXPECTED: dict[str, dict[str, Any]] = {
    "home": _signed_in(200),
    "healthz": _public(200),
    "login": {**dict.fromkeys(Personas.ROLES, HOME), ANONYMOUS: 200},
    # Signing out is a POST (a link could sign people out); a GET is refused for everyone.
    "logout": _public(405),
    "password_change": _signed_in(200),
    "password_change_done": _signed_in(200),
    "password_reset": _public(200),
    "password_reset_done": _public(200),
    # With a made-up link everyone sees "This link has expired".
    "password_reset_confirm": _public(200),
    "password_reset_complete": _public(200),
    # The second factor: anyone signed in may set up an authenticator app. The walk signs people in with
    # the second factor passed, so the verify page shows "already entered" with a link on (no redirect);
    # tests/reviews/test_second_factor.py covers unverified sessions and people without an app.
    "two_factor": _signed_in(200),
    "two_factor_verify": _signed_in(200),
    "partnerships:list": _signed_in(200),
    "partnerships:detail": PARTNERSHIP_READERS,
    "partnerships:members": PARTNERSHIP_MANAGERS,
    "partnerships:history": PARTNERSHIP_MANAGERS,
    "partnerships:membership_add": PARTNERSHIP_MANAGERS,
    "partnerships:membership_standing": PARTNERSHIP_MANAGERS,
    "partnerships:membership_end": PARTNERSHIP_MANAGERS,
    "partnerships:role_add": PARTNERSHIP_MANAGERS,
    "partnerships:role_change": PARTNERSHIP_MANAGERS,
    "partnerships:role_end": PARTNERSHIP_MANAGERS,
}
for _module in RULE_MODULES:
    EXPECTED.update(_module.RULES)

# URLs that change data when posted to.
WRITE_URLS = (
    "two_factor",
    "two_factor_verify",
    "partnerships:membership_add",
    "partnerships:membership_standing",
    "partnerships:membership_end",
    "partnerships:role_add",
    "partnerships:role_change",
    "partnerships:role_end",
    *(url for module in RULE_MODULES for url in module.WRITE_URLS),
)

ADMIN_NAMESPACE = "admin"
ADMIN_EXPECTED = {**dict.fromkeys(EVERYONE, ADMIN_SIGN_IN), "admin": 200}


def _walk(resolver: URLResolver, namespaces: tuple[str, ...] = ()) -> list[tuple[str | None, URLPattern, tuple]]:
    found: list[tuple[str | None, URLPattern, tuple]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            found.extend(_walk(entry, inner))
        else:
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            found.append((name, entry, namespaces))
    return found


def _project_patterns() -> list[tuple[str | None, URLPattern, tuple]]:
    """Every URL pattern of the project outside the admin site, with its namespaced name."""
    return [entry for entry in _walk(get_resolver()) if ADMIN_NAMESPACE not in entry[2]]


def _url_kwargs(name: str, personas: Personas) -> dict[str, Any]:
    """Arguments for a URL, pointing at the persona's partnership (Riverton) and things in it."""
    pattern = next(p for n, p, _ in _project_patterns() if n == name)
    police_membership = OrganisationMembership.objects.get(partnership=personas.csp, organisation=personas.police)
    officer_role = RoleAssignment.objects.get(
        person=personas.police_officer, partnership=personas.csp, role=Role.PARTNER_OFFICER
    )
    kwargs: dict[str, Any] = {}
    for key in pattern.pattern.regex.groupindex:
        extra = next((v for m in RULE_MODULES if (v := m.url_kwarg(name, key, personas)) is not None), None)
        if extra is not None:
            kwargs[key] = extra
        elif key == "ref":
            kwargs[key] = personas.csp.slug
        elif key == "pk" and name.startswith("partnerships:membership_"):
            kwargs[key] = police_membership.pk
        elif key == "pk" and name.startswith("partnerships:role_"):
            kwargs[key] = officer_role.pk
        elif key == "uidb64":
            kwargs[key] = "MTIzNDU"
        elif key == "token":
            kwargs[key] = "c0ffee-0123456789abcdef0123456789abcdef"
        else:
            raise AssertionError(f"Add a value for the URL argument {key!r} of {name} to _url_kwargs")
    return kwargs


def _outcome(response: Any) -> Any:
    """A response as a table entry: its status code, or where a redirect leads."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith(resolve_url(settings.LOGIN_URL) + "?next="):
        return SIGN_IN
    if location.startswith(reverse("admin:login") + "?next="):
        return ADMIN_SIGN_IN
    if location == resolve_url(settings.LOGIN_REDIRECT_URL):
        return HOME
    # A page that has nothing to do for this review sends the person back to it.
    if resolve(location.split("?")[0]).view_name == "reviews:review":
        return "redirect to review"
    return f"redirect to {location}"


def _sign_in_as(client: Any, personas: Personas, role: str) -> None:
    # With the second factor passed: review pages ask for it first (tests/reviews test that).
    if role != ANONYMOUS:
        sign_in(client, personas.by_role(role))


def _counts() -> dict[str, int]:
    """Rows of every model of the portal's apps, their history included."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("partnerships", "priorities", "actionplans", "reviews")
        for model in apps.get_app_config(app).get_models()
    }


def test_every_url_has_a_declared_rule():
    names = {name for name, _, _ in _project_patterns() if name is not None}
    missing = sorted(names - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - names)
    assert not missing, f"Declare who may open these URLs in EXPECTED: {missing}"
    assert not stale, f"These rows of EXPECTED name no URL: {stale}"


def test_every_url_outside_the_admin_site_has_a_name():
    unnamed = [str(pattern.pattern) for name, pattern, _ in _project_patterns() if name is None]
    assert not unnamed, f"Name these URL patterns so the permission table can cover them: {unnamed}"


def test_every_rule_covers_every_persona_and_anonymous_people():
    for name, rule in EXPECTED.items():
        assert set(rule) == set(EVERYONE), f"{name}: the rule must give an outcome for each of {EVERYONE}"
    assert set(WRITE_URLS) <= EXPECTED.keys()


@pytest.mark.parametrize(("name", "role"), [(name, role) for name in EXPECTED for role in EVERYONE])
def test_every_url_answers_each_persona_as_declared(client, personas, name, role):
    _sign_in_as(client, personas, role)
    response = client.get(reverse(name, kwargs=_url_kwargs(name, personas)))
    assert _outcome(response) == EXPECTED[name][role]


@pytest.mark.parametrize("role", EVERYONE)
def test_only_portal_administrators_open_the_admin_site(client, personas, role):
    _sign_in_as(client, personas, role)
    response = client.get(reverse("admin:index"))
    assert _outcome(response) == ADMIN_EXPECTED[role]


@pytest.mark.parametrize(("name", "role"), [(name, role) for name in WRITE_URLS for role in EVERYONE])
def test_an_empty_post_to_a_write_url_changes_nothing_for_anyone(client, personas, name, role):
    url = reverse(name, kwargs=_url_kwargs(name, personas))
    _sign_in_as(client, personas, role)
    before = _counts()
    response = client.post(url, {})
    allowed = EXPECTED[name][role] == 200
    # Those allowed to change members are shown what is missing; everyone else is refused as on a GET.
    assert _outcome(response) == (400 if allowed else EXPECTED[name][role])
    assert _counts() == before
    assert not RoleAssignment.objects.filter(end_date__isnull=False).exists()
    assert not OrganisationMembership.objects.filter(end_date__isnull=False).exists()


def test_password_reset_link_made_up_shows_that_it_has_expired(client, personas):
    response = client.get(reverse("password_reset_confirm", kwargs=_url_kwargs("password_reset_confirm", personas)))
    assert "This link has expired" in response.content.decode()


@pytest.mark.parametrize("name", [name for name, rule in EXPECTED.items() if rule[ANONYMOUS] == SIGN_IN])
def test_anonymous_people_are_sent_to_sign_in_and_back(client, personas, name):
    url = reverse(name, kwargs=_url_kwargs(name, personas))
    response = client.get(url)
    assert response["Location"] == f"{reverse('login')}?next={url}"
