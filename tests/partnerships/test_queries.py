"""The partnership pages run a fixed number of queries: as many for 120 people as for 5.

Each test measures a page, grows the partnership tenfold or more, and measures again. The bounds are
today's counts; a page that starts querying per row fails the equality, a new query the bound.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from partnerships.models import PartnershipKind, PolicingArea, Role, Standing
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PoliceForceAreaFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Every signed-in page: the session, the user and the user's roles (3); the review scope for the
# menu (panel appointments and, for a manager, whether someone holds the review lead role: 2); then
# the page's own reads (see partnerships/selectors.py); then the session renewed (SAVEPOINT, UPDATE,
# RELEASE: 3).
MAX_QUERIES = {
    # The partnership, its areas, memberships, people (count and page) and child groups; the review counts
    # (reviews and recommendations: 2) for those who may know them.
    "partnerships:detail": 3 + 2 + 6 + 2 + 3,
    # The partnership, open memberships and open roles (each a count and a page).
    "partnerships:members": 3 + 2 + 5 + 3,
    # The partnership, membership history and role history.
    "partnerships:history": 3 + 2 + 3 + 3,
}
# The county group, its areas, memberships and child groups; people (a count and a page) only for those
# who may see them (administrators, not county members); the review counts across its CSPs (2).
MAX_QUERIES_COUNTY = 3 + 2 + 5 + 2 + 3

STANDINGS = list(Standing.values)
ROLES_IN_A_CSP = [Role.MANAGER, Role.CHAIR, Role.PARTNER_OFFICER, Role.SCRUTINY_MEMBER]


def _grow(personas: Any, *, organisations: int, people: int) -> None:
    """Give Riverton this many member organisations and people in all (the personas count)."""
    csp = personas.csp
    members = [m.organisation for m in csp.memberships.select_related("organisation")]
    for n in range(organisations - len(members)):
        organisation = OrganisationFactory()
        MembershipFactory(partnership=csp, organisation=organisation, standing=STANDINGS[n % len(STANDINGS)])
        members.append(organisation)
    existing = csp.role_assignments.count()
    for n in range(people - existing):
        RoleFactory(
            person=UserFactory(),
            partnership=csp,
            organisation=members[n % len(members)],
            role=ROLES_IN_A_CSP[n % len(ROLES_IN_A_CSP)],
        )
    assert csp.memberships.count() == organisations
    assert csp.role_assignments.count() == people


def _measure(client: Any, url: str, bound: int, django_assert_max_num_queries: Any) -> tuple[int, str]:
    with django_assert_max_num_queries(bound) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_manager_pages_run_as_many_queries_for_120_people_as_for_5(
    client, personas, django_assert_max_num_queries, name
):
    client.force_login(personas.manager)
    url = reverse(name, args=[personas.csp.slug])
    client.get(url)  # warm the per-process caches (content types, templates)
    _grow(personas, organisations=5, people=5)
    small, _ = _measure(client, url, MAX_QUERIES[name], django_assert_max_num_queries)

    _grow(personas, organisations=60, people=120)
    large, page = _measure(client, url, MAX_QUERIES[name], django_assert_max_num_queries)

    assert large == small
    assert "Riverton" in page


def test_detail_page_shows_the_people_of_a_large_partnership_a_page_at_a_time(client, personas):
    _grow(personas, organisations=60, people=120)
    client.force_login(personas.manager)
    url = reverse("partnerships:detail", args=["riverton"])
    first = client.get(url).content.decode()
    assert "People (120)" in first
    assert first.count('href="mailto:') == 25
    last = client.get(url, {"people_page": 5}).content.decode()
    assert last.count('href="mailto:') == 20
    everyone = set()
    for number in range(1, 6):
        page = client.get(url, {"people_page": number}).content.decode()
        everyone.update(part.split('"')[0] for part in page.split('href="mailto:')[1:])
    assert len(everyone) == 120


def test_members_page_pages_organisations_and_people_separately(client, personas):
    _grow(personas, organisations=60, people=120)
    client.force_login(personas.manager)
    url = reverse("partnerships:members", args=["riverton"])
    page = client.get(url, {"org_page": 3, "people_page": 2}).content.decode()
    assert "Organisations (60)" in page
    assert "People (120)" in page
    # Each set of page links keeps the other list where it is.
    assert "people_page=2&amp;org_page=2" in page or "org_page=2&amp;people_page=2" in page
    assert "org_page=3&amp;people_page=3" in page or "people_page=3&amp;org_page=3" in page


def _county_with_csps(personas: Any, count: int) -> None:
    """Give Safer Shire this many CSPs (Riverton and Hillford count), half in a policing area."""
    county = personas.county
    force = PoliceForceAreaFactory(code="E23000099", name="Shire")
    areas = [PolicingArea.objects.get_or_create(name=name, police_force_area=force)[0] for name in ("North", "South")]
    for n in range(count - county.children.filter(kind=PartnershipKind.CSP).count()):
        csp = PartnershipFactory(
            parent=county, police_force_area=force, policing_area=areas[n % 3] if n % 3 < 2 else None
        )
        for _ in range(2):
            MembershipFactory(partnership=csp, organisation=OrganisationFactory())
    assert county.children.filter(kind=PartnershipKind.CSP).count() == count


@pytest.mark.parametrize("role", ["county_member", "admin"])
def test_county_group_page_runs_as_many_queries_for_13_csps_as_for_3(
    client, personas, django_assert_max_num_queries, role
):
    PartnershipFactory(
        kind=PartnershipKind.THEMATIC_GROUP,
        name="Shire Violence Reduction",
        slug="shire-vr",
        ons_code=None,
        parent=personas.county,
    )
    client.force_login(personas.by_role(role))
    url = reverse("partnerships:detail", args=[personas.county.slug])
    client.get(url)
    _county_with_csps(personas, 3)
    small, _ = _measure(client, url, MAX_QUERIES_COUNTY, django_assert_max_num_queries)

    _county_with_csps(personas, 13)
    large, page = _measure(client, url, MAX_QUERIES_COUNTY, django_assert_max_num_queries)

    assert large == small
    assert page.count('href="/partnerships/partnership-') == 11
    assert "No policing area" in page
    assert "Shire Violence Reduction" in page
