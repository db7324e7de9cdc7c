"""The number of queries an endpoint makes does not grow with the rows: each list and detail is asked once on
the small world and again after many more rows of every kind were added, and must make the same number
of queries (and no more than its bound). benchmarks/api.py measures the same at national scale."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans.models import Action, AnnualReport, BudgetLine, Milestone
from partnerships.models import OrganisationMembership
from priorities.models import CrimeCount, StrategicAssessment
from reviews.models import Agency, Pause
from tests.api.conftest import API, World
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureValueFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)
from tests.reviews.factories import RecommendationFactory, ReviewFactory

pytestmark = pytest.mark.django_db

# Token lookup (2), the caller's roles (1), count and page (2), and what each list joins in.
LISTS = {
    "partnerships": 7,
    "organisations": 5,
    "strategic-assessments": 5,
    "partnership-plans": 6,
    "priorities": 5,
    "outcome-measures": 5,
    "measure-values": 5,
    "action-plans": 5,
    "actions": 7,
    "progress-updates": 5,
    "milestones": 5,
    "budget-lines": 5,
    "annual-reports": 5,
    "reviews": 11,
    "recommendations": 7,
}


def _count(world: World, role: str, url: str) -> int:
    client = world.client(role)
    assert client.get(url).status_code == 200  # warm-up: the token's first use is recorded once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries.captured_queries)


def _grow(world: World, rows: int = 12) -> None:
    """Many more rows of every kind in Riverton (and partnerships in the county)."""
    personas = world.personas
    csp = personas.csp
    organisations = [OrganisationFactory() for _ in range(rows)]
    for organisation in organisations:
        MembershipFactory(partnership=csp, organisation=organisation)
    for number in range(rows):
        other = PartnershipFactory(parent=personas.county)
        MembershipFactory(partnership=other, organisation=organisations[number])
        action = ActionFactory(
            action_plan=world.action_plan,
            lead_organisation=organisations[number],
            lead_officer=personas.council_officer,
        )
        action.supporting_organisations.set(organisations[:3])
        action.outcome_measures.set([world.measure])
        ProgressUpdateFactory(action=action, author=personas.police_officer)
        Milestone.objects.create(action=action, title=f"Milestone {number}", due_date=date(2025, 1, 1))
        BudgetLine.objects.create(action=action, source="council", amount=1000 + number)
        plan = PlanFactory(partnership=csp, start_year=2010 + number, end_year=2012 + number)
        AnnualReport.objects.create(
            partnership=csp,
            plan=plan,
            title=f"Report {number}",
            period_start=date(2010 + number, 4, 1),
            period_end=date(2011 + number, 3, 31),
        )
        measure = MeasureFactory(priority=PriorityFactory(plan=plan))
        MeasureValueFactory(measure=measure)
        StrategicAssessment.objects.create(
            partnership=csp,
            year=2000 + number,
            title=f"Assessment {number}",
            period_start=date(2000 + number, 1, 1),
            period_end=date(2000 + number, 12, 1),
        )
        review = ReviewFactory(partnership=csp, notified_by=personas.police)
        Pause.objects.create(review=review, reason="criminal_trial", started_on=date(2026, 4, 1))
        Agency.objects.create(review=review, organisation=organisations[number], imr_requested_on=date(2026, 4, 1))
        RecommendationFactory(review=review, lead_organisation=organisations[number])
    CrimeCount.objects.bulk_create(
        CrimeCount(
            partnership=csp,
            month=date(2024, month, 1),
            reported_by="Shire Police",
            category="burglary",
            lsoa_code=f"E0100{n:04d}",
            lsoa_name=f"Riverton {n:03d}A",
            count=n + month,
        )
        for month in range(1, 9)
        for n in range(rows)
    )
    assert Action.objects.filter(action_plan=world.action_plan).count() == rows + 2
    assert OrganisationMembership.objects.filter(partnership=csp).count() == rows + 2


@pytest.mark.parametrize(("kind", "bound"), LISTS.items())
def test_a_lists_queries_do_not_grow_with_its_rows(
    world: World, kind: str, bound: int, django_assert_max_num_queries
) -> None:
    role = "manager"
    url = f"{API}{kind}/?page_size=500"
    small = _count(world, role, url)
    _grow(world)
    large = _count(world, role, url)
    assert large == small
    with django_assert_max_num_queries(bound):
        world.client(role).get(url)


@pytest.mark.parametrize("kind", ["partnerships", "organisations", "actions", "strategic-assessments"])
def test_an_administrators_lists_do_not_grow_either(world: World, kind: str) -> None:
    url = f"{API}{kind}/?page_size=500"
    small = _count(world, "admin", url)
    _grow(world)
    assert _count(world, "admin", url) == small


def _details(world: World) -> dict[str, str]:
    return {
        "partnership": f"{API}partnerships/riverton/",
        "assessment": f"{API}strategic-assessments/{world.approved_assessment.pk}/",
        "plan": f"{API}partnership-plans/{world.plan.pk}/",
        "action": f"{API}actions/{world.police_action.pk}/",
        "review": f"{API}reviews/{world.review.pk}/",
        "published report": f"{API}annual-reports/{world.published_report.pk}/",
        "draft report": f"{API}annual-reports/{world.draft_report.pk}/",
    }


@pytest.mark.parametrize(
    "kind", ["partnership", "assessment", "plan", "action", "review", "published report", "draft report"]
)
def test_a_details_queries_do_not_grow_with_what_hangs_off_it(world: World, kind: str) -> None:
    url = _details(world)[kind]
    small = _count(world, "manager", url)
    _grow(world)
    world.plan.assessments.set(StrategicAssessment.objects.filter(partnership=world.personas.csp))
    Pause.objects.create(review=world.review, reason="inquest", started_on=date(2026, 5, 1), ended_on=date(2026, 6, 1))
    assert _count(world, "manager", url) == small
