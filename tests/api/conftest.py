"""The API tests' world: the personas' CSP (Riverton) with something of every kind, another CSP (Hillford)
with an action plan of its own, and an API token for every persona.

Riverton has an approved and a draft strategic assessment; an adopted plan (a priority, an outcome
measure with a value) and a draft one (a priority); an agreed action plan under the adopted plan with an
action the police lead (with a progress update, a milestone and a budget line) and one the council leads;
a domestic homicide review (tests/reviews/conftest.make_review) with a recommendation; and annual
reports for 2024/25 (published) and 2025/26 (a draft). Hillford's manager is the outsider.

Every test here runs with generous rate limits (the throttle has tests of its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from actionplans import services as action_services
from actionplans.models import Action, ActionPlan, AnnualReport, BudgetLine, Milestone, ProgressUpdate
from actionplans.reports import services as report_services
from partnerships.models import ApiToken, User
from priorities.models import MeasureValue, OutcomeMeasure, PartnershipPlan, Priority, StrategicAssessment
from reviews.models import Recommendation, Review
from reviews.permissions import has_review_access
from tests.conftest import Personas
from tests.factories import ActionPlanFactory, MeasureFactory, MeasureValueFactory, PlanFactory, PriorityFactory
from tests.reviews.conftest import make_review

API = "/api/v1/"
ANONYMOUS = "anonymous"
EVERYONE = (*Personas.ROLES, ANONYMOUS)


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/minute", "session": "100000/minute", "anonymous": "100000/minute"},
    }


def priority_body(**changes: Any) -> dict[str, Any]:
    """A new priority's fields, as the API takes them."""
    return {
        "title": "Fewer young people drawn into violence",
        "aim": "Fewer first-time entrants aged 10 to 17",
        "how_achieved": "Youth outreach in the town centre",
        "theme": "violence",
        "strand": "crime_disorder",
        **changes,
    }


def measure_body(**changes: Any) -> dict[str, Any]:
    """A new outcome measure's fields, as the API takes them (down is good; baseline before the world's value)."""
    return {
        "name": "First-time entrants",
        "unit": "young people",
        "data_source": "Youth Justice Board",
        "baseline": "120.00",
        "baseline_date": "2024-03-31",
        "target": "90.00",
        "target_date": "2027-03-31",
        "direction": "down",
        **changes,
    }


def make_token(user: User, *, reviews: bool | None = None, days: int = 90, name: str = "Test token") -> str:
    """A token for the person (reaching reviews if they have review access, unless told); returns the token."""
    if reviews is None:
        reviews = has_review_access(user)
    _row, secret = ApiToken.objects.create(user=user, expiry=timedelta(days=days), name=name, reviews=reviews)
    return str(secret)


def token_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@dataclass
class World:
    personas: Personas
    approved_assessment: StrategicAssessment
    draft_assessment: StrategicAssessment
    plan: PartnershipPlan  # adopted
    draft_plan: PartnershipPlan
    priority: Priority
    draft_priority: Priority  # of the draft plan
    measure: OutcomeMeasure
    value: MeasureValue
    action_plan: ActionPlan
    police_action: Action
    council_action: Action
    update: ProgressUpdate
    milestone: Milestone  # of the police's action
    budget_line: BudgetLine  # of the police's action
    published_report: AnnualReport  # 2024/25
    draft_report: AnnualReport  # 2025/26
    other_action_plan: ActionPlan
    other_action: Action
    review: Review
    recommendation: Recommendation
    clients: dict[str, APIClient]

    def client(self, role: str) -> APIClient:
        return self.clients[role]


def _action_fields(personas: Personas, **overrides: Any) -> action_services.ActionFields:
    values: dict[str, Any] = {
        "reference": "1.1",
        "title": "Patrol the town centre on Friday and Saturday nights",
        "description": "Visible patrols where violence peaks",
        "priority": None,
        "lead_organisation": personas.police,
        "lead_officer": personas.police_officer,
        "supporting_organisations": (personas.council,),
        "start_date": date(2024, 9, 1),
        "due_date": date(2026, 7, 31),
        "status": "in_progress",
        "outcome_measures": (),
    }
    values.update(overrides)
    return action_services.ActionFields(**values)


def build_world(personas: Personas) -> World:
    csp = personas.csp
    approved = StrategicAssessment.objects.create(
        partnership=csp,
        year=2024,
        title="Riverton strategic assessment 2024/25",
        period_start=date(2023, 10, 1),
        period_end=date(2024, 9, 1),
        status="approved",
        approved_at=timezone.now(),
    )
    draft_assessment = StrategicAssessment.objects.create(
        partnership=csp,
        year=2025,
        title="Riverton strategic assessment 2025/26",
        period_start=date(2024, 10, 1),
        period_end=date(2025, 9, 1),
    )
    plan = PlanFactory(
        partnership=csp,
        title="Riverton Community Safety Strategy 2024 to 2027",
        status="adopted",
        adopted_on=date(2024, 3, 20),
        adopted_by_body="Full Council",
    )
    plan.assessments.set([approved])
    draft_plan = PlanFactory(partnership=csp, title="Riverton Community Safety Strategy 2027 to 2030", start_year=2027)
    draft_plan.assessments.set([draft_assessment])
    priority = PriorityFactory(plan=plan, title="Safer town centre", position=1)
    draft_priority = PriorityFactory(plan=draft_plan, title="Safer streets at night", position=0)
    measure = MeasureFactory(priority=priority, name="Violence in the town centre")
    value = MeasureValueFactory(measure=measure, period_end=date(2024, 6, 30), value=95)
    action_plan = ActionPlanFactory(partnership=csp, plan=plan, title="Riverton Community Safety Action Plan")
    police_action = action_services.action_create(
        actor=personas.manager,
        action_plan=action_plan,
        fields=_action_fields(personas, priority=priority, outcome_measures=(measure,)),
    )
    council_action = action_services.action_create(
        actor=personas.manager,
        action_plan=action_plan,
        fields=_action_fields(
            personas,
            reference="2.1",
            title="Commission a domestic abuse outreach service",
            lead_organisation=personas.council,
            lead_officer=personas.council_officer,
            supporting_organisations=(personas.police,),
        ),
    )
    update = action_services.action_record_progress(
        actor=personas.police_officer,
        action=police_action,
        version=police_action.version,
        reported_on=timezone.localdate(),
        rag="amber",
        narrative="Two of four patrols staffed",
        percent_complete=40,
        status="in_progress",
    )
    police_action.refresh_from_db()
    milestone = action_services.milestone_save(
        actor=personas.police_officer,
        action=police_action,
        milestone=None,
        title="Patrol rota agreed",
        due_date=date(2024, 10, 31),
        done_on=date(2024, 10, 20),
    )
    budget_line = action_services.budget_line_save(
        actor=personas.manager,
        action=police_action,
        line=None,
        source="pcc",
        grant_name="Safer Streets",
        amount=Decimal("12000.00"),
        spent_to_date=Decimal("4500.00"),
    )
    review = make_review(personas)
    published_report = report_services.annual_report_create(
        actor=personas.manager, partnership=csp, plan=plan, year=2024, committee="Riverton Scrutiny Committee"
    )
    report_services.annual_report_update(
        actor=personas.manager,
        report=published_report,
        version=published_report.version,
        title=published_report.title,
        committee=published_report.committee,
        summary="Patrols began in the town centre",
    )
    report_services.annual_report_publish(
        actor=personas.manager, report=published_report, version=published_report.version
    )
    draft_report = report_services.annual_report_create(actor=personas.manager, partnership=csp, plan=plan, year=2025)
    other_action_plan = ActionPlanFactory(partnership=personas.other_csp, title="Hillford Action Plan")
    other_action = action_services.action_create(
        actor=personas.outsider,
        action_plan=other_action_plan,
        fields=_action_fields(
            personas,
            reference="H1",
            title="Hillford patrols",
            lead_officer=None,
            supporting_organisations=(),
        ),
    )
    clients = {role: token_client(make_token(personas.by_role(role))) for role in Personas.ROLES}
    clients[ANONYMOUS] = APIClient()
    return World(
        personas=personas,
        approved_assessment=approved,
        draft_assessment=draft_assessment,
        plan=plan,
        draft_plan=draft_plan,
        priority=priority,
        draft_priority=draft_priority,
        measure=measure,
        value=value,
        action_plan=action_plan,
        police_action=police_action,
        council_action=council_action,
        update=update,
        milestone=milestone,
        budget_line=budget_line,
        published_report=published_report,
        draft_report=draft_report,
        other_action_plan=other_action_plan,
        other_action=other_action,
        review=review,
        recommendation=review.recommendations.get(),
        clients=clients,
    )


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)
