"""The plan pages run a fixed number of queries, whatever the number of priorities, measures and values.

Each test measures a page with a small plan, grows it (8 priorities × 3 measures × 12 values), and
measures again: the counts must be equal, and within today's bound.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from priorities import services
from priorities.models import AssessmentStatus, MeasureValue, PartnershipPlan, PlanStatus, StrategicAssessment
from tests.factories import MeasureFactory, PartnershipFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db

# Every signed-in page: the session, the user and the user's roles (3); the review scope for the
# menu (panel appointments and, for a manager, whether someone holds the review lead role: 2); then
# the page's own reads; then the session renewed (SAVEPOINT, UPDATE, RELEASE: 3).
MAX_QUERIES = {
    # The plan; priorities, measures, values; reviews and their decisions; assessments (and which of
    # them the user may open); the plan it replaces.
    "priorities:plan": 3 + 2 + 9 + 3,
    # The plan; the history of the plan, its priorities, measures, values, reviews and assessment links.
    "priorities:plan_history": 3 + 2 + 7 + 3,
    # The partnership and its plans with their counts of priorities.
    "priorities:plans": 3 + 2 + 2 + 3,
}
# The county group, its CSPs' adopted plans, their priorities and the CSPs without one.
MAX_QUERIES_COUNTY = 3 + 2 + 4 + 3


@pytest.fixture(autouse=True)
def _pinned_day():
    with time_machine.travel(datetime(2025, 6, 1, 10, 0, tzinfo=UTC)):
        yield


def _grow(plan: PartnershipPlan, *, priorities: int, measures: int = 3, values: int = 12) -> None:
    """Give the plan this many priorities in all, each with `measures` measures of `values` values."""
    for _ in range(priorities - plan.priorities.count()):
        priority = PriorityFactory(plan=plan)
        for _ in range(measures):
            measure = MeasureFactory(priority=priority)
            MeasureValue.objects.bulk_create(
                MeasureValue(measure=measure, period_end=date(2024 + (i + 1) // 4, [6, 9, 12, 3][i % 4], 28), value=90)
                for i in range(values)
            )
    assert plan.priorities.count() == priorities


def _adopted_plan(personas: Any) -> PartnershipPlan:
    """An adopted plan informed by an assessment, replacing an older plan, with one annual review."""
    assessment = StrategicAssessment.objects.create(
        partnership=personas.csp,
        year=2024,
        title="Riverton strategic assessment 2024/25",
        period_start=date(2023, 10, 1),
        period_end=date(2024, 9, 1),
        status=AssessmentStatus.APPROVED,
        approved_at=datetime(2024, 11, 1, tzinfo=UTC),
    )
    plan = PlanFactory(
        partnership=personas.csp,
        status=PlanStatus.ADOPTED,
        adopted_on=date(2024, 12, 1),
        adopted_by_body="Full Council",
    )
    plan.assessments.set([assessment])
    PlanFactory(
        partnership=personas.csp,
        title="Older",
        start_year=2021,
        end_year=2024,
        status=PlanStatus.SUPERSEDED,
        adopted_on=date(2021, 6, 1),
        adopted_by_body="Full Council",
        superseded_by=plan,
    )
    return plan


def _measure(client: Any, url: str, bound: int, django_assert_max_num_queries: Any) -> tuple[int, str]:
    with django_assert_max_num_queries(bound) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _review(personas: Any, plan: PartnershipPlan) -> None:
    services.plan_review(
        actor=personas.manager,
        plan=plan,
        year=2025,
        assessment=None,
        summary="Refreshed",
        decisions=[services.Decision(p, "kept", "Still needed") for p in plan.priorities.filter(status="active")],
    )


@pytest.mark.parametrize("name", ["priorities:plan", "priorities:plan_history"])
def test_plan_pages_run_as_many_queries_for_8_priorities_with_measures_as_for_2(
    client, personas, django_assert_max_num_queries, name
):
    plan = _adopted_plan(personas)
    client.force_login(personas.manager)
    url = reverse(name, args=[plan.pk])
    client.get(url)  # warm the per-process caches (content types, templates)
    _grow(plan, priorities=2)
    _review(personas, plan)
    small, small_page = _measure(client, url, MAX_QUERIES[name], django_assert_max_num_queries)

    _grow(plan, priorities=8)
    large, large_page = _measure(client, url, MAX_QUERIES[name], django_assert_max_num_queries)

    assert large == small
    assert len(large_page) > len(small_page)


def test_the_plan_page_draws_a_chart_for_each_of_24_measures_with_the_same_queries(
    client, personas, django_assert_max_num_queries
):
    plan = _adopted_plan(personas)
    client.force_login(personas.scrutiny)
    url = reverse("priorities:plan", args=[plan.pk])
    client.get(url)
    _grow(plan, priorities=2)
    small, _ = _measure(client, url, MAX_QUERIES["priorities:plan"], django_assert_max_num_queries)

    _grow(plan, priorities=8)
    large, page = _measure(client, url, MAX_QUERIES["priorities:plan"], django_assert_max_num_queries)

    assert large == small
    assert page.count('<svg class="app-chart"') == 24


def test_the_list_of_plans_runs_as_many_queries_for_ten_plans_as_for_one(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.manager)
    url = reverse("priorities:plans", args=[personas.csp.slug])
    client.get(url)
    _grow(PlanFactory(partnership=personas.csp, title="First"), priorities=2, measures=0)
    small, _ = _measure(client, url, MAX_QUERIES["priorities:plans"], django_assert_max_num_queries)

    for n in range(9):
        _grow(PlanFactory(partnership=personas.csp, title=f"Plan {n}"), priorities=3, measures=0)
    large, page = _measure(client, url, MAX_QUERIES["priorities:plans"], django_assert_max_num_queries)

    assert large == small
    assert page.count('href="/plans/') == 10


def test_the_county_view_runs_as_many_queries_for_many_csps_as_for_one(client, personas, django_assert_max_num_queries):
    client.force_login(personas.county_member)
    url = reverse("priorities:county_priorities", args=[personas.county.slug])
    client.get(url)
    plan = PlanFactory(
        partnership=personas.csp, status=PlanStatus.ADOPTED, adopted_on=date(2024, 1, 1), adopted_by_body="C"
    )
    _grow(plan, priorities=2, measures=0)
    small, _ = _measure(client, url, MAX_QUERIES_COUNTY, django_assert_max_num_queries)

    for n in range(6):
        csp = PartnershipFactory(name=f"CSP {n}", parent=personas.county)
        _grow(
            PlanFactory(partnership=csp, status=PlanStatus.ADOPTED, adopted_on=date(2024, 1, 1), adopted_by_body="C"),
            priorities=4,
            measures=0,
        )
    large, page = _measure(client, url, MAX_QUERIES_COUNTY, django_assert_max_num_queries)

    assert large == small
    assert "Shared by 7 partnerships" in page
