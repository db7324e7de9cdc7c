"""The county roll-up: a county group's CSPs side by side by policing area, with their current plans'
priorities, actions by RAG, overdue actions and measures, the county's totals, review counts only for those
who may know them, and a query count that grows with neither the CSPs nor their actions.

Who may open it is in url_rules_scrutiny.py (the project's URL walk); the refusals are repeated here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from actionplans import dashboard
from partnerships.models import Partnership, PartnershipKind, PolicingArea, Role, User
from priorities.models import PlanStatus
from tests.actionplans.conftest import TODAY, World
from tests.actionplans.scrutiny_data import body_rows, riverton_year, tables, text
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    CountyGroupFactory,
    MeasureFactory,
    MeasureValueFactory,
    PartnershipFactory,
    PlanFactory,
    PoliceForceAreaFactory,
    PriorityFactory,
    RoleFactory,
)
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Partnership",
    "Actions",
    "Red",
    "Amber",
    "Green",
    "Complete",
    "No update",
    "Overdue",
    "Measures on track",
    "Measures off track",
]
REVIEWS_HEADER = "Open DHRs"
# Riverton's current plan (all its actions, 2025/26's 3.1 too): 7 actions, 1 red, 1 amber, 1 green,
# 1 complete, 3 not reported on, 2 overdue; measures 1 on track, 1 off track (and 1 without data).
RIVERTON = ["7", "1", "1", "1", "1", "3", "2", "1", "1"]
# Hillford's adopted plan: a red overdue action and a green one; one measure, on track.
HILLFORD = ["2", "1", "0", "1", "0", "0", "1", "1", "0"]
NOTHING = ["0", "0", "0", "0", "0", "0", "0", "0", "0"]
NORTH = "Partnerships in North: actions and measures"
SOUTH = "Partnerships in South: actions and measures"
NO_AREA = "Partnerships in No policing area: actions and measures"


@dataclass
class County:
    """Safer Shire: North (Eastbrook, without a plan; Riverton), South (Hillford), and Westmoor in no
    policing area. A thematic group under the county is not a CSP and is not listed. Riverton has one
    open review, Hillford two."""

    county: Partnership
    eastbrook: Partnership
    westmoor: Partnership
    county_officer: User  # a partner officer of the county group itself


@pytest.fixture
def shire(personas: Personas, world: World) -> County:
    riverton_year(personas, world)
    force = PoliceForceAreaFactory(name="Shire")
    north = PolicingArea.objects.create(name="North", police_force_area=force)
    south = PolicingArea.objects.create(name="South", police_force_area=force)
    Partnership.objects.filter(pk=personas.csp.pk).update(policing_area=north)
    Partnership.objects.filter(pk=personas.other_csp.pk).update(policing_area=south)
    eastbrook = PartnershipFactory(name="Eastbrook", parent=personas.county, policing_area=north)
    westmoor = PartnershipFactory(name="Westmoor", parent=personas.county)
    PartnershipFactory(
        name="Shire Violence Reduction Group",
        kind=PartnershipKind.THEMATIC_GROUP,
        ons_code=None,
        parent=personas.county,
        policing_area=north,
    )

    old = PlanFactory(
        partnership=personas.other_csp,
        title="Hillford Strategy 2020 to 2023",
        start_year=2020,
        end_year=2023,
        status=PlanStatus.SUPERSEDED,
        adopted_on=date(2020, 3, 1),
        adopted_by_body="Full Council",
    )
    ActionFactory(
        action_plan=ActionPlanFactory(partnership=personas.other_csp, plan=old),
        lead_organisation=personas.police,
        rag="red",
        due_date=date(2024, 6, 1),
    )
    plan = PlanFactory(
        partnership=personas.other_csp,
        title="Hillford Strategy 2023 to 2026",
        start_year=2023,
        end_year=2026,
        status=PlanStatus.ADOPTED,
        adopted_on=date(2023, 3, 1),
        adopted_by_body="Full Council",
    )
    shoplifting = PriorityFactory(plan=plan, title="Shoplifting", position=1)
    PriorityFactory(plan=plan, title="Retired priority", position=2, status="retired")
    measure = MeasureFactory(priority=shoplifting, name="Shop thefts")
    MeasureValueFactory(measure=measure, period_end=date(2024, 12, 31), value=85)
    action_plan = ActionPlanFactory(partnership=personas.other_csp, plan=plan)
    ActionFactory(
        action_plan=action_plan,
        priority=shoplifting,
        lead_organisation=personas.police,
        rag="red",
        last_update_on=date(2025, 1, 10),
        due_date=date(2024, 12, 1),
    )
    ActionFactory(
        action_plan=action_plan,
        priority=shoplifting,
        lead_organisation=personas.police,
        rag="green",
        last_update_on=date(2025, 1, 10),
    )
    ReviewFactory(partnership=personas.other_csp)
    ReviewFactory(partnership=personas.other_csp)

    county_officer = RoleFactory(
        partnership=personas.county, organisation=personas.police, role=Role.PARTNER_OFFICER
    ).person
    return County(county=personas.county, eastbrook=eastbrook, westmoor=westmoor, county_officer=county_officer)


def _url(county: Partnership) -> str:
    return reverse("actionplans:roll_up", args=[county.slug])


def _open(client: Any, user: User, county: Partnership) -> Any:
    client.force_login(user)
    response = client.get(_url(county))
    assert response.status_code == 200
    return response


# --- What it shows ---------------------------------------------------------------------------------------


def test_roll_up_puts_the_countys_csps_side_by_side_by_policing_area(client, personas: Personas, shire: County):
    response = _open(client, personas.county_member, shire.county)
    found = tables(response)
    assert list(found) == [NORTH, SOUTH, NO_AREA]
    assert found[NORTH][0] == [*HEADER, REVIEWS_HEADER]
    assert body_rows(response, NORTH) == {"Eastbrook": [*NOTHING, "0"], "Riverton": [*RIVERTON, "1"]}
    assert body_rows(response, SOUTH) == {"Hillford": [*HILLFORD, "2"]}
    assert body_rows(response, NO_AREA) == {"Westmoor": [*NOTHING, "0"]}
    assert "Shire Violence Reduction Group" not in text(response)


def test_roll_up_totals_the_county(client, personas: Personas, shire: County):
    page = text(_open(client, personas.county_member, shire.county))
    assert "Across 4 partnerships: 9 actions, 2 red, 1 amber, 3 overdue." in page
    # The chart's words, in the tables' order: each CSP with actions.
    assert "Riverton: 1 red, 1 amber, 1 green, 1 complete, 3 no update; Hillford: 1 red, 1 green" in page


def test_roll_up_lists_each_csps_current_plan_and_active_priorities(client, personas: Personas, shire: County):
    page = text(_open(client, personas.county_member, shire.county))
    assert "Hillford Hillford Strategy 2023 to 2026 Shoplifting " in page
    assert "Retired priority" not in page
    assert "Hillford Strategy 2020 to 2023" not in page
    assert "Riverton Riverton Community Safety Strategy 2024 to 2027 Safer town centre Tackling domestic abuse" in page
    assert "Eastbrook No adopted partnership plan" in page


def test_roll_up_selector_counts_measures_with_and_without_data(personas: Personas, shire: County):
    result = dashboard.county_roll_up(shire.county, today=TODAY)
    rows = {row.partnership.name: row for row in result.csps}
    assert [area.name for area in result.areas] == ["North", "South", "No policing area"]
    riverton, hillford = rows["Riverton"], rows["Hillford"]
    assert (riverton.measures_on_track, riverton.measures_off_track, riverton.measures_no_data) == (1, 1, 1)
    assert (hillford.measures_on_track, hillford.measures_off_track, hillford.measures_no_data) == (1, 0, 0)
    assert riverton.tally.status == {"in_progress": 5, "complete": 1, "not_started": 1}
    assert (result.totals.total, result.totals.overdue, result.totals.needs_update) == (9, 3, 4)
    assert result.totals.rag == {"red": 2, "amber": 1, "green": 2, "blue": 1, "grey": 3}
    assert rows["Eastbrook"].plan is None
    assert riverton.reviews is None  # counts only when the view passes those the reader may know


# --- Review counts: for those who may know them -----------------------------------------------------------


@pytest.mark.parametrize("who", ["county_member", "admin", "county_chair"])
def test_review_counts_column_is_shown_to_those_who_may_know_them(client, personas: Personas, shire: County, who: str):
    user = (
        RoleFactory(partnership=shire.county, organisation=personas.council, role=Role.CHAIR).person
        if who == "county_chair"
        else personas.by_role(who)
    )
    response = _open(client, user, shire.county)
    assert tables(response)[SOUTH][0][-1] == REVIEWS_HEADER
    assert body_rows(response, SOUTH)["Hillford"][-1] == "2"


def test_review_counts_column_is_not_shown_to_a_county_groups_partner_officer(
    client, personas: Personas, shire: County
):
    response = _open(client, shire.county_officer, shire.county)
    assert tables(response)[NORTH][0] == HEADER
    assert body_rows(response, NORTH)["Riverton"] == RIVERTON
    assert "DHR" not in text(response)


def test_roll_up_names_no_officer_and_no_action(client, personas: Personas, shire: County):
    page = _open(client, personas.county_member, shire.county).content.decode()
    for words in ("Polly Police", "Colin Council", "Mina Manager", "Knife arches", "Train GP practices"):
        assert words not in page


# --- Who sees it -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("county_member", 200),
        ("admin", 200),
        # A CSP's people do not see the county group above it (partnerships.permissions), so they do not
        # learn its roll-up exists either.
        ("manager", 404),
        ("chair", 404),
        ("police_officer", 404),
        ("scrutiny", 404),
        ("outsider", 404),
        ("nobody", 404),
    ],
)
def test_roll_up_is_read_by_the_county_groups_own_members(
    client, personas: Personas, shire: County, role: str, status: int
):
    client.force_login(personas.by_role(role))
    assert client.get(_url(shire.county)).status_code == status


def test_a_csp_has_no_roll_up(client, personas: Personas, shire: County):
    client.force_login(personas.admin)
    assert client.get(_url(personas.csp)).status_code == 404


def test_another_countys_member_does_not_learn_the_county_exists(client, personas: Personas, shire: County):
    elsewhere = CountyGroupFactory(name="Safer Dale")
    member = RoleFactory(partnership=elsewhere, organisation=personas.council, role=Role.COUNTY_MEMBER).person
    client.force_login(member)
    assert client.get(_url(shire.county)).status_code == 404
    assert client.get(_url(elsewhere)).status_code == 200


def test_roll_up_refuses_posts(client, personas: Personas, shire: County):
    client.force_login(personas.county_member)
    assert client.post(_url(shire.county), {}).status_code == 405


def test_roll_up_of_a_county_without_csps_says_so(client, personas: Personas):
    empty = CountyGroupFactory(name="Safer Dale")
    member = RoleFactory(partnership=empty, organisation=personas.council, role=Role.COUNTY_MEMBER).person
    assert "Safer Dale has no community safety partnerships yet." in text(_open(client, member, empty))


# --- Queries ---------------------------------------------------------------------------------------------

# The session, the user and their roles (3); the menu's review scope (1); the county; the CSPs' ids and
# their review counts (3); the CSPs; their plans; the active priorities with measures and values (3); the
# counts; the session renewed (3).
MAX_QUERIES = 19


def _add_csps(personas: Personas, how_many: int) -> None:
    """More CSPs in the county, each with an adopted plan, two priorities with measures and values, and
    actions of every RAG."""
    force = PoliceForceAreaFactory()
    areas = [PolicingArea.objects.create(name=f"Area {n}", police_force_area=force) for n in range(3)]
    for n in range(how_many):
        csp = PartnershipFactory(parent=personas.county, policing_area=areas[n % 3])
        plan = PlanFactory(
            partnership=csp, status=PlanStatus.ADOPTED, adopted_on=date(2024, 3, 1), adopted_by_body="Full Council"
        )
        action_plan = ActionPlanFactory(partnership=csp, plan=plan)
        for position in range(2):
            priority = PriorityFactory(plan=plan, position=position)
            measure = MeasureFactory(priority=priority)
            MeasureValueFactory(measure=measure, period_end=date(2024, 12, 31), value=90 + position * 10)
            for rag in ("red", "amber", "green", ""):
                ActionFactory(action_plan=action_plan, priority=priority, lead_organisation=personas.police, rag=rag)
        ReviewFactory(partnership=csp)


@pytest.mark.parametrize("role", ["county_member", "admin"])
def test_roll_up_runs_as_many_queries_for_ten_csps_as_for_two(
    client, personas: Personas, world: World, django_assert_max_num_queries, role: str
):
    client.force_login(personas.by_role(role))
    url = _url(personas.county)
    client.get(url)  # warm the per-process caches (content types, templates)
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        assert client.get(url).status_code == 200
    _add_csps(personas, 8)
    with django_assert_max_num_queries(MAX_QUERIES) as large:
        page = text(client.get(url))
    assert len(small) == len(large)
    assert "Across 10 partnerships: 66 actions, 16 red, 16 amber, 1 overdue." in page
