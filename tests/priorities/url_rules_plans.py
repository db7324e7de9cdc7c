"""Who may open the partnership plan URLs: rows of the project's URL permission table.

The walk uses two plans of the personas' CSP (Riverton): one out for consultation, with a priority and a
measure, for the pages that read or change a plan; and the adopted plan before it for the annual review.
Managers and the chair read a plan out for consultation, partner officers read it, scrutiny and county
group members (who read adopted and superseded plans only) and outsiders do not learn it exists.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from priorities.models import OutcomeMeasure, PartnershipPlan, PlanStatus, Priority
from tests.conftest import Personas
from tests.url_rules import PARTNERSHIP_MANAGERS, PARTNERSHIP_READERS, rule

# Reading a plan out for consultation (and who changed it: the history names people).
CONSULTATION_READERS = rule(
    admin=200,
    manager=200,
    chair=200,
    police_officer=200,
    council_officer=200,
    scrutiny=404,
    county_member=404,
    outsider=404,
    nobody=404,
)
# Changing it, its priorities, measures and values: the partnership's managers (and administrators).
CONSULTATION_EDITORS = rule(
    admin=200,
    manager=200,
    chair=403,
    police_officer=403,
    council_officer=403,
    scrutiny=404,
    county_member=404,
    outsider=404,
    nobody=404,
)
# Recording its adoption: the chair only.
ADOPTERS = rule(
    admin=403,
    manager=403,
    chair=200,
    police_officer=403,
    council_officer=403,
    scrutiny=404,
    county_member=404,
    outsider=404,
    nobody=404,
)
# The annual review of the adopted plan, which scrutiny and county group members read but do not review.
REVIEWERS = rule(
    admin=200,
    manager=200,
    chair=403,
    police_officer=403,
    council_officer=403,
    scrutiny=403,
    county_member=403,
    outsider=404,
    nobody=404,
)
# The county view is a page of the county group (Safer Shire): its members and administrators see it;
# people of one CSP do not see the county group at all.
COUNTY_READERS = rule(
    admin=200,
    manager=404,
    chair=404,
    police_officer=404,
    council_officer=404,
    scrutiny=404,
    county_member=200,
    outsider=404,
    nobody=404,
)

RULES: dict[str, dict[str, Any]] = {
    "priorities:plans": PARTNERSHIP_READERS,
    "priorities:plan_create": PARTNERSHIP_MANAGERS,
    "priorities:county_priorities": COUNTY_READERS,
    "priorities:plan": CONSULTATION_READERS,
    "priorities:plan_history": CONSULTATION_READERS,
    "priorities:plan_edit": CONSULTATION_EDITORS,
    "priorities:plan_consult": CONSULTATION_EDITORS,
    "priorities:plan_adopt": ADOPTERS,
    "priorities:plan_review": REVIEWERS,
    "priorities:priority_add": CONSULTATION_EDITORS,
    "priorities:priority_edit": CONSULTATION_EDITORS,
    "priorities:priority_retire": CONSULTATION_EDITORS,
    "priorities:measure_add": CONSULTATION_EDITORS,
    "priorities:measure_edit": CONSULTATION_EDITORS,
    "priorities:value_add": CONSULTATION_EDITORS,
}

# Posting an empty form to these changes nothing, for anyone. (Sending for consultation and retiring a
# priority are one-button confirmations, like sharing an assessment.)
WRITE_URLS = (
    "priorities:plan_create",
    "priorities:plan_edit",
    "priorities:plan_adopt",
    "priorities:plan_review",
    "priorities:priority_add",
    "priorities:priority_edit",
    "priorities:measure_add",
    "priorities:measure_edit",
    "priorities:value_add",
)


def consultation_plan(personas: Personas) -> PartnershipPlan:
    plan, _ = PartnershipPlan.objects.get_or_create(
        partnership=personas.csp,
        title="Riverton community safety strategy 2024 to 2027",
        defaults={"start_year": 2024, "end_year": 2027, "status": PlanStatus.CONSULTATION},
    )
    return plan


def adopted_plan(personas: Personas) -> PartnershipPlan:
    plan, _ = PartnershipPlan.objects.get_or_create(
        partnership=personas.csp,
        title="Riverton community safety strategy 2021 to 2024",
        defaults={
            "start_year": 2021,
            "end_year": 2024,
            "status": PlanStatus.ADOPTED,
            "adopted_on": date(2021, 7, 1),
            "adopted_by_body": "Full Council",
        },
    )
    Priority.objects.get_or_create(plan=plan, title="Burglary", defaults={"aim": "Fewer burglaries"})
    return plan


def _priority(personas: Personas) -> Priority:
    priority, _ = Priority.objects.get_or_create(
        plan=consultation_plan(personas), title="Safer streets", defaults={"aim": "Less anti-social behaviour"}
    )
    return priority


def _measure(personas: Personas) -> OutcomeMeasure:
    measure, _ = OutcomeMeasure.objects.get_or_create(
        priority=_priority(personas),
        name="Anti-social behaviour incidents",
        defaults={
            "unit": "incidents",
            "data_source": "Test figures",
            "baseline": 500,
            "baseline_date": date(2024, 3, 31),
            "target": 400,
            "target_date": date(2027, 3, 31),
            "direction": "down",
        },
    )
    return measure


def url_kwarg(name: str, key: str, personas: Personas) -> Any:
    """The value of a URL argument for these URLs, or None when the name is not one of them."""
    if name not in RULES:
        return None
    if key == "ref":
        return personas.county.slug if name == "priorities:county_priorities" else personas.csp.slug
    if key == "pk":
        return (adopted_plan(personas) if name == "priorities:plan_review" else consultation_plan(personas)).pk
    if key == "priority_pk":
        return _priority(personas).pk
    if key == "measure_pk":
        return _measure(personas).pk
    return None
