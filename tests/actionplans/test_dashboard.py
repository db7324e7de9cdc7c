"""The scrutiny dashboard of a partnership: what it counts (on known data, tests/actionplans/scrutiny_data.py),
its filters, who sees review counts, that it names no officer, and that its query count does not grow.

Who may open it is in url_rules_scrutiny.py (the project's URL walk); the refusals are repeated here next
to the allowed case.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans import dashboard
from actionplans.models import Action
from partnerships.models import Role
from priorities.models import AssessmentStatus, PartnershipPlan, PlanStatus, StrategicAssessment
from tests.actionplans.conftest import TODAY, World
from tests.actionplans.scrutiny_data import (
    ASSESSMENT,
    DRAFT_ASSESSMENT,
    NO_PRIORITY,
    OTHER_PRIORITY,
    PRIORITY,
    YEAR_ROWS,
    Year,
    body_rows,
    riverton_year,
    tables,
    text,
)
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    BudgetLineFactory,
    MembershipFactory,
    OrganisationFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    RoleFactory,
)
from tests.priorities.factories_assessments import CrimeCountFactory, StrategicAssessmentFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

PRIORITY_TABLE = "Actions by priority, RAG and flags"
OVERDUE_TABLE = "Overdue actions, longest overdue first"
FUNDING_TABLE = "Budget and spend by funding source"
CRIME_TABLE = "The largest categories: this period against the one before"
HOT_SPOTS_TABLE = "The neighbourhoods (LSOAs) with the most crimes in the largest categories"
REVIEWS = (
    "Open 1 domestic homicide review Completed this year 0 Recommendations outstanding 2 Recommendations overdue 1"
)
# Those who read the action plans; review counts are for all but the partner officers.
READERS = ("admin", "manager", "chair", "police_officer", "council_officer", "scrutiny")
REVIEW_COUNT_READERS = ("admin", "manager", "chair", "scrutiny")


@pytest.fixture
def year(personas: Personas, world: World) -> Year:
    return riverton_year(personas, world)


def _url(personas: Personas, **query: Any) -> str:
    url = reverse("actionplans:dashboard", args=[personas.csp.slug])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def _open(client: Any, personas: Personas, role: str = "scrutiny", **query: Any) -> Any:
    client.force_login(personas.by_role(role))
    response = client.get(_url(personas, **query))
    assert response.status_code == 200
    return response


def _selected(response: Any, name: str) -> str:
    """The text of the option selected in a filter (the first when none is marked)."""
    select = response.content.decode().split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    options = [(("selected" in attrs), label.strip()) for attrs, label in _options(select)]
    return next((label for chosen, label in options if chosen), options[0][1])


def _options(select: str) -> list[tuple[str, str]]:
    return re.findall(r"<option([^>]*)>([^<]*)</option>", select)


# --- What it counts ----------------------------------------------------------------------------------------


def test_dashboard_counts_each_prioritys_actions_by_rag_with_the_overdue_and_not_updated(
    client, personas: Personas, year: Year
):
    response = _open(client, personas)
    page = text(response)
    assert "Riverton Community Safety Strategy 2024 to 2027, 2024/25." in page
    assert (
        "At a glance Actions 6 Red 1 Amber 1 Green 1 Complete 1 No update 2 Overdue 2 No update this quarter 3" in page
    )
    assert tables(response)[PRIORITY_TABLE][0] == [
        "Priority",
        "Actions",
        "Red",
        "Amber",
        "Green",
        "Complete",
        "No update",
        "Overdue",
        "No update this quarter",
    ]
    assert body_rows(response, PRIORITY_TABLE) == {row: [str(n) for n in ns] for row, ns in YEAR_ROWS.items()}
    # The chart says the same in words beside the table.
    assert (
        "Safer town centre: 1 red, 1 complete, 1 no update; Tackling domestic abuse: 1 amber, 1 no update; "
        "Not under a priority: 1 green" in page
    )


def test_dashboard_counts_actions_by_status_for_each_priority(personas: Personas, year: Year):
    plan = year.world.plan
    result = dashboard.dashboard_for_partnership(
        personas.csp,
        plan=plan,
        year=2024,
        actions=Action.objects.filter(
            action_plan__plan=plan, start_date__lte=date(2025, 3, 31), due_date__gte=date(2024, 4, 1)
        ),
        assessments=StrategicAssessment.objects.all(),
        today=TODAY,
    )
    assert [(row.title, row.tally.status) for row in result.rows] == [
        (PRIORITY, {"in_progress": 2, "complete": 1}),
        (OTHER_PRIORITY, {"in_progress": 2}),
        (NO_PRIORITY, {"in_progress": 1}),
    ]
    assert result.totals.status == {"in_progress": 5, "complete": 1}
    assert (result.totals.total, result.totals.overdue, result.totals.needs_update) == (6, 2, 3)


def test_overdue_actions_are_listed_longest_overdue_first_with_their_lead_organisation(
    client, personas: Personas, year: Year
):
    response = _open(client, personas)
    assert "2 actions past their due date." in text(response)
    assert tables(response)[OVERDUE_TABLE][1:] == [
        ["2.2 Train GP practices to spot coercive control", "Riverton Borough Council", "1 Dec 2024", "71", "Amber"],
        [
            "2.1 Commission a domestic abuse outreach service",
            "Riverton Borough Council",
            "31 Jan 2025",
            "10",
            "No update",
        ],
    ]


def test_measures_show_baseline_target_latest_and_whether_on_track(client, personas: Personas, year: Year):
    response = _open(client, personas)
    found = tables(response)
    assert found[PRIORITY][1:] == [
        ["Violence in the town centre (crimes)", "100 Mar 2024", "80 by Mar 2027", "90 Dec 2024", "On track"]
    ]
    assert found[OTHER_PRIORITY][1:] == [
        ["Repeat victims of domestic abuse (crimes)", "100 Mar 2024", "80 by Mar 2027", "99 Dec 2024", "Off track"],
        ["Referrals to outreach (referrals)", "100 Mar 2024", "150 by Mar 2027", "–", "No data yet"],
    ]


def test_funding_is_budget_and_spend_by_source_of_the_years_actions(client, personas: Personas, year: Year):
    response = _open(client, personas)
    assert body_rows(response, FUNDING_TABLE) == {
        "Council": ["£6,000.00", "£6,000.00", "£0.00"],
        "Police, fire and crime commissioner": ["£14,000.00", "£3,500.00", "£10,500.00"],
        "Total": ["£20,000.00", "£9,500.00", "£10,500.00"],
    }
    # The Home Office's money is for an action that starts in 2025/26.
    assert "Home Office" not in text(response)


@pytest.mark.parametrize("role", ["manager", "scrutiny"])
def test_crime_profile_comes_from_the_latest_approved_assessment_only(
    client, personas: Personas, year: Year, role: str
):
    """The manager also sees the draft 2025/26 assessment (and an older approved one exists): neither is used."""
    StrategicAssessmentFactory(
        partnership=personas.csp,
        year=2023,
        title="Riverton strategic assessment 2023/24",
        period_start=date(2022, 10, 1),
        period_end=date(2023, 9, 1),
        status=AssessmentStatus.APPROVED,
        approved_at=timezone.now(),
    )
    response = _open(client, personas, role)
    page = text(response)
    assert (
        f"From {ASSESSMENT} : 80 crimes from October 2023 to September 2024, against 90 in the period before." in page
    )
    assert DRAFT_ASSESSMENT not in page
    assert "2023/24" not in page
    assert "Violence and sexual offences" not in page
    assert body_rows(response, CRIME_TABLE) == {
        "Anti-social behaviour": ["50", "70", "-28.6"],
        "Burglary": ["30", "20", "50.0"],
    }
    assert tables(response)[HOT_SPOTS_TABLE][1:] == [
        ["Anti-social behaviour", "Riverton 001A (E01000001)", "35"],
        ["Anti-social behaviour", "Riverton 002B (E01000002)", "15"],
        ["Burglary", "Riverton 003C (E01000003)", "30"],
    ]


def test_approving_the_newer_assessment_moves_the_crime_profile_to_it(client, personas: Personas, year: Year):
    draft = StrategicAssessment.objects.get(title=DRAFT_ASSESSMENT)
    draft.status, draft.approved_at = AssessmentStatus.APPROVED, timezone.now()
    draft.save()
    response = _open(client, personas)
    assert f"From {DRAFT_ASSESSMENT} : 77 crimes" in text(response)
    # Its previous period is the 2024/25 assessment's window.
    assert body_rows(response, CRIME_TABLE) == {
        "Violence and sexual offences": ["77", "0", "–"],
        "Anti-social behaviour": ["0", "50", "-100.0"],
        "Burglary": ["0", "30", "-100.0"],
    }


def test_without_an_approved_assessment_the_dashboard_says_so(client, personas: Personas, world: World):
    StrategicAssessmentFactory(partnership=personas.csp, title="Not yet approved")
    CrimeCountFactory(partnership=personas.csp, month=date(2024, 1, 1), count=5)
    page = text(_open(client, personas, "manager"))
    assert "No approved strategic assessment with crime data yet." in page
    assert "Not yet approved" not in page


@pytest.mark.parametrize("role", READERS)
def test_review_counts_are_shown_to_managers_chairs_and_scrutiny_but_not_partner_officers(
    client, personas: Personas, year: Year, role: str
):
    response = _open(client, personas, role)
    page = text(response)
    if role in REVIEW_COUNT_READERS:
        assert 'id="reviews"' in response.content.decode()
        assert f"Domestic homicide reviews {REVIEWS}" in page
    else:
        assert 'id="reviews"' not in response.content.decode()
        assert "Domestic homicide review" not in page
        assert "Recommendations outstanding" not in page
    # Numbers only, for everyone: never a review's reference or pseudonym.
    assert "DHR 2024/01" not in page
    assert "Adult Q" not in page


@pytest.mark.parametrize("role", READERS)
def test_dashboard_names_no_officer(client, personas: Personas, year: Year, role: str):
    """Lead officers lead 1.1, 1.2, 9.1 (the police's) and 1.3, 2.1, 2.2 (the council's); the manager
    created some of the actions. Organisations are named, never people (the reader's own name is in the
    header)."""
    page = _open(client, personas, role).content.decode()
    people = {
        "Polly Police",
        "Colin Council",
        "Mina Manager",
        "police.officer@example.org",
        "council.officer@example.org",
    }
    own = {personas.by_role(role).full_name, personas.by_role(role).email}
    for name in people - own:
        assert name not in page, name
    assert "Shire Police" in page


# --- Filters ---------------------------------------------------------------------------------------------


def test_year_shows_the_actions_that_run_during_it(client, personas: Personas, year: Year):
    response = _open(client, personas, year=2025)
    page = text(response)
    assert "Riverton Community Safety Strategy 2024 to 2027, 2025/26." in page
    assert _selected(response, "year") == "2025/26 (Riverton Community Safety Strategy 2024 to 2027)"
    # 1.1 (grey), 1.2 (red) and 3.1 (grey) under the first priority; 9.1 (green) under none.
    assert body_rows(response, PRIORITY_TABLE) == {
        PRIORITY: ["3", "1", "0", "0", "0", "2", "0", "2"],
        OTHER_PRIORITY: ["0", "0", "0", "0", "0", "0", "0", "0"],
        NO_PRIORITY: ["1", "0", "0", "1", "0", "0", "0", "0"],
    }
    assert "No actions are overdue." in page
    assert body_rows(response, FUNDING_TABLE) == {
        "Council": ["£6,000.00", "£6,000.00", "£0.00"],
        "Home Office": ["£9,999.00", "£0.00", "£9,999.00"],
        "Police, fire and crime commissioner": ["£10,000.00", "£2,500.00", "£7,500.00"],
        "Total": ["£25,999.00", "£8,500.00", "£17,499.00"],
    }


def test_year_picks_the_plan_that_covers_it(client, personas: Personas, year: Year):
    old = PlanFactory(
        partnership=personas.csp,
        title="Riverton Community Safety Strategy 2021 to 2024",
        start_year=2021,
        end_year=2024,
        status=PlanStatus.SUPERSEDED,
        adopted_on=date(2021, 3, 1),
        adopted_by_body="Full Council",
    )
    night = PriorityFactory(plan=old, title="Night-time economy", position=1)
    old_actions = ActionPlanFactory(
        partnership=personas.csp, plan=old, period_start=date(2021, 4, 1), period_end=date(2024, 3, 31)
    )
    ActionFactory(
        action_plan=old_actions,
        priority=night,
        lead_organisation=personas.police,
        start_date=date(2022, 4, 1),
        due_date=date(2023, 3, 31),
        status="complete",
    )
    response = _open(client, personas, year=2022)
    assert "Riverton Community Safety Strategy 2021 to 2024, 2022/23." in text(response)
    assert body_rows(response, PRIORITY_TABLE) == {"Night-time economy": ["1", "0", "0", "0", "1", "0", "0", "0"]}
    # Every year either plan covers is offered, newest first; this financial year is the default.
    assert [label for _, label in _options(response.content.decode().split('name="year"', 1)[1])][:6] == [
        "2026/27 (Riverton Community Safety Strategy 2024 to 2027)",
        "2025/26 (Riverton Community Safety Strategy 2024 to 2027)",
        "2024/25 (Riverton Community Safety Strategy 2024 to 2027)",
        "2023/24 (Riverton Community Safety Strategy 2021 to 2024)",
        "2022/23 (Riverton Community Safety Strategy 2021 to 2024)",
        "2021/22 (Riverton Community Safety Strategy 2021 to 2024)",
    ]
    assert _selected(_open(client, personas), "year") == "2024/25 (Riverton Community Safety Strategy 2024 to 2027)"


def test_scrutiny_is_not_offered_the_years_of_a_draft_plan(client, personas: Personas, year: Year):
    PlanFactory(partnership=personas.csp, title="Draft strategy 2027 to 2030", start_year=2027, end_year=2030)
    assert "Draft strategy 2027 to 2030" in _open(client, personas, "manager").content.decode()
    assert "Draft strategy 2027 to 2030" not in _open(client, personas, "scrutiny").content.decode()
    assert "2027/28" not in text(_open(client, personas, "scrutiny", year=2027))


def test_priority_filter_shows_that_prioritys_actions_measures_and_money(client, personas: Personas, year: Year):
    response = _open(client, personas, priority=year.world.other_priority.pk)
    page = text(response)
    assert "2024/25: the actions that match the filters." in page
    assert _selected(response, "priority") == OTHER_PRIORITY
    assert body_rows(response, PRIORITY_TABLE) == {OTHER_PRIORITY: ["2", "0", "1", "0", "0", "1", "2", "2"]}
    assert "Actions 2 Red 0 Amber 1 Green 0 Complete 0 No update 1 Overdue 2 No update this quarter 2" in page
    assert PRIORITY not in tables(response)
    assert "Repeat victims of domestic abuse" in page
    assert body_rows(response, FUNDING_TABLE) == {
        "Police, fire and crime commissioner": ["£4,000.00", "£1,000.00", "£3,000.00"],
        "Total": ["£4,000.00", "£1,000.00", "£3,000.00"],
    }
    assert "Clear filters" in page


def test_lead_organisation_filter_counts_only_its_actions(client, personas: Personas, year: Year):
    response = _open(client, personas, lead_organisation=personas.police.pk)
    assert _selected(response, "lead_organisation") == "Shire Police"
    # 1.1 (grey, not updated) and 1.2 (red); nothing of the council's; 9.1 under no priority.
    assert body_rows(response, PRIORITY_TABLE) == {
        PRIORITY: ["2", "1", "0", "0", "0", "1", "0", "1"],
        OTHER_PRIORITY: ["0", "0", "0", "0", "0", "0", "0", "0"],
        NO_PRIORITY: ["1", "0", "0", "1", "0", "0", "0", "0"],
    }
    assert "No actions are overdue." in text(response)
    assert list(body_rows(response, FUNDING_TABLE)) == ["Council", "Police, fire and crime commissioner", "Total"]


def test_filters_combine(client, personas: Personas, year: Year):
    response = _open(client, personas, year=2025, priority=year.world.priority.pk, lead_organisation=personas.police.pk)
    assert body_rows(response, PRIORITY_TABLE) == {PRIORITY: ["3", "1", "0", "0", "0", "2", "0", "2"]}


@pytest.mark.parametrize(
    "query",
    [
        {"year": 1999},
        {"year": "last"},
        {"priority": 999999},
        {"priority": "x"},
        {"lead_organisation": 999999},
        {"lead_organisation": "police"},
        {"year": 2010, "priority": "", "lead_organisation": ""},
    ],
)
def test_unknown_filter_values_are_ignored(client, personas: Personas, year: Year, query: dict[str, Any]):
    response = _open(client, personas, **query)
    assert body_rows(response, PRIORITY_TABLE) == {row: [str(n) for n in ns] for row, ns in YEAR_ROWS.items()}
    assert "Riverton Community Safety Strategy 2024 to 2027, 2024/25." in text(response)
    assert "the actions that match the filters" not in text(response)


def test_another_partnerships_priority_and_an_organisation_leading_nothing_are_ignored(
    client, personas: Personas, year: Year
):
    elsewhere = PriorityFactory(plan=PlanFactory(partnership=personas.other_csp), title="Hillford priority")
    idle = OrganisationFactory(name="Riverton Fire")
    MembershipFactory(partnership=personas.csp, organisation=idle)
    for query in ({"priority": elsewhere.pk}, {"lead_organisation": idle.pk}):
        response = _open(client, personas, **query)
        assert body_rows(response, PRIORITY_TABLE) == {row: [str(n) for n in ns] for row, ns in YEAR_ROWS.items()}
    assert "Riverton Fire" not in response.content.decode()
    assert "Hillford priority" not in response.content.decode()


def test_filter_choices_are_the_plans_priorities_and_the_organisations_that_lead_its_actions(
    client, personas: Personas, year: Year
):
    page = _open(client, personas).content.decode()
    priorities = [label for _, label in _options(page.split('name="priority"', 1)[1].split("</select>", 1)[0])]
    organisations = [label for _, label in _options(page.split('name="lead_organisation"', 1)[1].split("</select>")[0])]
    assert priorities == ["All priorities", PRIORITY, OTHER_PRIORITY]
    assert organisations == ["All organisations", "Riverton Borough Council", "Shire Police"]


def test_dashboard_of_a_partnership_without_a_plan_says_so(client, personas: Personas):
    page = text(_open(client, personas, "scrutiny"))
    assert "There is no partnership plan to show yet." in page
    assert "No approved strategic assessment with crime data yet." in page


# --- Who sees it -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("scrutiny", 200), ("county_member", 403), ("outsider", 404), ("nobody", 404)],
)
def test_dashboard_is_read_by_the_partnership_and_its_scrutiny_members_only(
    client, personas: Personas, year: Year, role: str, status: int
):
    client.force_login(personas.by_role(role))
    assert client.get(_url(personas)).status_code == status


def test_a_county_group_has_no_dashboard(client, personas: Personas):
    client.force_login(personas.county_member)
    assert client.get(reverse("actionplans:dashboard", args=[personas.county.slug])).status_code == 404


def test_scrutiny_member_of_another_partnership_sees_nothing_of_this_one(client, personas: Personas, year: Year):
    member = RoleFactory(partnership=personas.other_csp, organisation=personas.police, role=Role.SCRUTINY_MEMBER).person
    client.force_login(member)
    assert client.get(_url(personas)).status_code == 404


@pytest.mark.parametrize("role", ["scrutiny", "manager"])
def test_dashboard_refuses_posts(client, personas: Personas, year: Year, role: str):
    client.force_login(personas.by_role(role))
    assert client.post(_url(personas), {"year": "2025"}).status_code == 405


# --- Queries ---------------------------------------------------------------------------------------------

# The session, the user and their roles (3); the menu's review scope (1 or 2); the partnership; the plans
# and their action plans' periods; the counts; the priorities with measures and values (3); the overdue
# actions; funding; the assessment and its crime profile (3); review counts (2 where shown); the filter's
# priorities and organisations; the session renewed (3).
MAX_QUERIES = 24
# A priority and a lead organisation filtered on are each checked against the choices (2 more).
MAX_QUERIES_FILTERED = MAX_QUERIES + 2


def _grow(personas: Personas, world: World, actions: int) -> None:
    """Give the plan this many actions in all, over priorities and organisations, each with money and news."""
    priorities = [world.priority, world.other_priority, PriorityFactory(plan=world.plan, position=3), None]
    organisations = [personas.police, personas.council, OrganisationFactory(), OrganisationFactory()]
    existing = world.action_plan.actions.count()
    for n in range(actions - existing):
        action = ActionFactory(
            action_plan=world.action_plan,
            priority=priorities[n % 4],
            lead_organisation=organisations[n % 4],
            lead_officer=personas.police_officer,
            due_date=date(2025, 1, 1) if n % 3 == 0 else date(2026, 1, 1),
            rag=("red", "amber", "green", "")[n % 4],
            last_update_on=date(2025, 1, 15) if n % 4 != 3 else None,
            status="complete" if n % 5 == 0 else "in_progress",
        )
        BudgetLineFactory(action=action, source=("pcc", "council", "grant")[n % 3])
        ProgressUpdateFactory(action=action, author=personas.police_officer)
    assert world.action_plan.actions.count() == actions


def _count(client: Any, url: str, bound: int, django_assert_max_num_queries: Any) -> tuple[int, str]:
    with django_assert_max_num_queries(bound) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), text(response)


@pytest.mark.parametrize("role", ["manager", "scrutiny", "police_officer"])
def test_dashboard_runs_as_many_queries_for_30_actions_as_for_3(
    client, personas: Personas, world: World, django_assert_max_num_queries, role: str
):
    StrategicAssessmentFactory(partnership=personas.csp, status=AssessmentStatus.APPROVED, approved_at=timezone.now())
    CrimeCountFactory(partnership=personas.csp, month=date(2024, 1, 1), count=5)
    ReviewFactory(partnership=personas.csp)
    client.force_login(personas.by_role(role))
    url = _url(personas)
    filtered_url = f"{url}?priority={world.priority.pk}&lead_organisation={personas.police.pk}"
    _grow(personas, world, 3)
    client.get(url)  # warm the per-process caches (content types, templates)
    small, small_page = _count(client, url, MAX_QUERIES, django_assert_max_num_queries)
    small_filtered, _ = _count(client, filtered_url, MAX_QUERIES_FILTERED, django_assert_max_num_queries)
    _grow(personas, world, 30)
    large, large_page = _count(client, url, MAX_QUERIES, django_assert_max_num_queries)
    large_filtered, _ = _count(client, filtered_url, MAX_QUERIES_FILTERED, django_assert_max_num_queries)
    assert (small, small_filtered) == (large, large_filtered)
    assert "At a glance Actions 3 " in small_page
    assert "At a glance Actions 30 " in large_page


def test_plan_choices_take_two_queries_whatever_the_number_of_plans(personas: Personas, django_assert_num_queries):
    for start in range(2010, 2022, 3):
        plan = PlanFactory(
            partnership=personas.csp,
            start_year=start,
            end_year=start + 3,
            status=PlanStatus.SUPERSEDED,
            adopted_on=date(start, 3, 1),
            adopted_by_body="Full Council",
        )
        ActionPlanFactory(
            partnership=personas.csp, plan=plan, period_start=date(start, 4, 1), period_end=date(start + 3, 3, 31)
        )
    with django_assert_num_queries(2):
        years = dashboard.plan_choices(PartnershipPlan.objects.filter(partnership=personas.csp))
    assert [y for y, _ in years] == list(range(2021, 2009, -1))


def _filter(year: Year, data: dict[str, Any]) -> dashboard.DashboardFilter:
    plan = year.world.plan
    return dashboard.DashboardFilter(
        data,
        actions=Action.objects.filter(action_plan__plan=plan),
        years=dashboard.plan_choices(PartnershipPlan.objects.filter(pk=plan.pk)),
        priorities=dashboard.priority_choices(plan),
        organisations=dashboard.organisation_choices(plan),
    )


def test_dashboard_filter_drops_values_that_are_not_among_its_choices(personas: Personas, year: Year):
    filters = _filter(year, {"year": "1999", "priority": "nonsense", "lead_organisation": "999999"})
    assert (filters.value("year"), filters.value("priority"), filters.value("lead_organisation")) == (None, None, None)
    assert filters.qs.count() == 7


def test_dashboard_filter_narrows_the_actions_to_the_year_priority_and_lead(personas: Personas, year: Year):
    filters = _filter(
        year, {"year": "2025", "priority": str(year.world.priority.pk), "lead_organisation": str(personas.police.pk)}
    )
    assert filters.value("priority") == year.world.priority
    assert filters.value("lead_organisation") == personas.police
    assert sorted(filters.qs.values_list("reference", flat=True)) == ["1.1", "1.2", "3.1"]


def test_dashboard_shows_each_prioritys_actions_by_status(client, personas: Personas, year: Year):
    response = _open(client, personas)
    table = "Actions by priority and status"
    assert tables(response)[table][0] == ["Priority", "Not started", "In progress", "Complete", "Cancelled", "Deferred"]
    assert body_rows(response, table) == {
        PRIORITY: ["0", "2", "1", "0", "0"],
        OTHER_PRIORITY: ["0", "2", "0", "0", "0"],
        NO_PRIORITY: ["0", "1", "0", "0", "0"],
    }
