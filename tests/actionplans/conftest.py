"""An agreed action plan of the personas' CSP (Riverton), on a pinned day, for the action plan tests.

Today is Monday 10 February 2025: the reporting quarter began on 1 January 2025. Riverton's adopted
partnership plan has two priorities (the first with an outcome measure); the action plan delivering it
has an action the police lead (Polly Police) and one the council leads (Colin Council), both created
through the service so that their history is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from actionplans import services
from actionplans.models import Action, ActionPlan
from priorities.models import OutcomeMeasure, PartnershipPlan, Priority
from tests.conftest import Personas
from tests.factories import ActionPlanFactory, MeasureFactory, PlanFactory, PriorityFactory

TODAY = date(2025, 2, 10)
QUARTER_START = date(2025, 1, 1)
NOW = datetime(2025, 2, 10, 10, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class World:
    plan: PartnershipPlan
    priority: Priority
    other_priority: Priority
    measure: OutcomeMeasure
    action_plan: ActionPlan
    police_action: Action
    council_action: Action


def fields(personas: Personas, world_plan: Any = None, **overrides: Any) -> services.ActionFields:
    """ActionFields for a police-led action under the first priority, changed by the overrides."""
    values: dict[str, Any] = {
        "reference": "9.9",
        "title": "Knife crime workshops in secondary schools",
        "description": "Reach every year 9 pupil, because most knife carrying starts at 14",
        "priority": None,
        "lead_organisation": personas.police,
        "lead_officer": personas.police_officer,
        "supporting_organisations": (personas.council,),
        "start_date": date(2024, 9, 1),
        "due_date": date(2025, 7, 31),
        "status": "in_progress",
        "outcome_measures": (),
    }
    values.update(overrides)
    return services.ActionFields(**values)


@pytest.fixture
def world(personas: Personas, frozen: None) -> World:
    plan = PlanFactory(
        partnership=personas.csp,
        title="Riverton Community Safety Strategy 2024 to 2027",
        status="adopted",
        adopted_on=date(2024, 3, 20),
        adopted_by_body="Full Council",
    )
    priority = PriorityFactory(plan=plan, title="Safer town centre", position=1)
    other_priority = PriorityFactory(plan=plan, title="Tackling domestic abuse", position=2)
    measure = MeasureFactory(priority=priority, name="Violence in the town centre")
    action_plan = ActionPlanFactory(
        partnership=personas.csp, plan=plan, title="Riverton Community Safety Action Plan 2024 to 2027"
    )
    police_action = services.action_create(
        actor=personas.manager,
        action_plan=action_plan,
        fields=fields(
            personas,
            reference="1.1",
            title="Patrol the town centre on Friday and Saturday nights",
            priority=priority,
            outcome_measures=(measure,),
        ),
    )
    council_action = services.action_create(
        actor=personas.manager,
        action_plan=action_plan,
        fields=fields(
            personas,
            reference="2.1",
            title="Commission a domestic abuse outreach service",
            priority=other_priority,
            lead_organisation=personas.council,
            lead_officer=personas.council_officer,
            supporting_organisations=(personas.police,),
            due_date=date(2025, 1, 31),
        ),
    )
    return World(
        plan=plan,
        priority=priority,
        other_priority=other_priority,
        measure=measure,
        action_plan=action_plan,
        police_action=police_action,
        council_action=council_action,
    )


def progress(action: Action, **overrides: Any) -> dict[str, Any]:
    """A valid progress form for the action, as the browser would post it."""
    data = {
        "reported_on_0": "10",
        "reported_on_1": "2",
        "reported_on_2": "2025",
        "rag": "amber",
        "narrative": "Two of four patrols staffed; overtime approved for March",
        "percent_complete": "40",
        "status": "in_progress",
        "evidence_links": "https://example.org/minutes.pdf",
        "version": str(action.version),
    }
    data.update(overrides)
    return data
