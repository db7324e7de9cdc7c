"""Who may open the action plan URLs: rows of the project's URL permission table.

The walk uses two action plans of the personas' CSP (Riverton): an agreed one with an action the police
lead (with a milestone and a budget line), for the pages that read or change a plan and its actions,
and a draft one for recording agreement. Everyone with a role in Riverton reads them; its managers change
them; the police's partner officer reports progress on the police's action and the council's does not;
county group members, outsiders and people without roles do not learn they exist.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from actionplans.models import Action, ActionPlan, BudgetLine, Milestone
from tests.conftest import Personas
from tests.url_rules import ANONYMOUS, PARTNERSHIP_MANAGERS, SIGN_IN, rule

# The list of a partnership's action plans: the county group member sees the partnership, not its plans.
LIST_READERS = rule(
    admin=200,
    manager=200,
    chair=200,
    police_officer=200,
    council_officer=200,
    scrutiny=200,
    county_member=403,
    outsider=404,
    nobody=404,
)
# Reading a plan, its actions and their history.
READERS = rule(
    admin=200,
    manager=200,
    chair=200,
    police_officer=200,
    council_officer=200,
    scrutiny=200,
    county_member=404,
    outsider=404,
    nobody=404,
)
# Changing a plan and its actions: the partnership's managers (and administrators).
MANAGERS = rule(
    admin=200,
    manager=200,
    chair=403,
    police_officer=403,
    council_officer=403,
    scrutiny=403,
    county_member=404,
    outsider=404,
    nobody=404,
)
# Progress, milestones and budget of the police's action: its officer and the managers.
POLICE_ACTION_UPDATERS = rule(
    admin=200,
    manager=200,
    chair=403,
    police_officer=200,
    council_officer=403,
    scrutiny=403,
    county_member=404,
    outsider=404,
    nobody=404,
)

RULES: dict[str, dict[str, Any]] = {
    "actionplans:plans": LIST_READERS,
    "actionplans:plan_create": PARTNERSHIP_MANAGERS,
    "actionplans:plan": READERS,
    "actionplans:plan_edit": MANAGERS,
    "actionplans:plan_agree": MANAGERS,
    "actionplans:plan_close": MANAGERS,
    "actionplans:action_add": MANAGERS,
    "actionplans:action": READERS,
    "actionplans:action_edit": MANAGERS,
    "actionplans:action_progress": POLICE_ACTION_UPDATERS,
    "actionplans:milestone_add": POLICE_ACTION_UPDATERS,
    "actionplans:milestone_edit": POLICE_ACTION_UPDATERS,
    "actionplans:budget_add": POLICE_ACTION_UPDATERS,
    "actionplans:budget_edit": POLICE_ACTION_UPDATERS,
    "actionplans:action_history": READERS,
    # Everyone signed in has a list, empty for those whose organisations lead nothing.
    "actionplans:my_actions": {
        "admin": 200,
        "manager": 200,
        "chair": 200,
        "police_officer": 200,
        "council_officer": 200,
        "scrutiny": 200,
        "county_member": 200,
        "outsider": 200,
        "nobody": 200,
        ANONYMOUS: SIGN_IN,
    },
    # Export (anyone who reads the plan) and import (its managers): actionplans/views/exchange.py.
    "actionplans:export_csv": READERS,
    "actionplans:export_xlsx": READERS,
    "actionplans:import": MANAGERS,
}

# Posting an empty form to these changes nothing, for anyone. (Closing a plan is a one-button
# confirmation: posting it is the decision.)
WRITE_URLS = (
    "actionplans:plan_create",
    "actionplans:plan_edit",
    "actionplans:plan_agree",
    "actionplans:action_add",
    "actionplans:action_edit",
    "actionplans:action_progress",
    "actionplans:milestone_add",
    "actionplans:milestone_edit",
    "actionplans:budget_add",
    "actionplans:budget_edit",
    "actionplans:import",
)
EXCHANGE_URLS = ("actionplans:export_csv", "actionplans:export_xlsx", "actionplans:import")


def agreed_plan(personas: Personas) -> ActionPlan:
    action_plan, _ = ActionPlan.objects.get_or_create(
        partnership=personas.csp,
        title="Riverton Community Safety Action Plan 2024 to 2027",
        defaults={
            "period_start": date(2024, 4, 1),
            "period_end": date(2027, 3, 31),
            "status": "agreed",
            "agreed_on": date(2024, 5, 1),
            "agreed_by": "Responsible Authorities Group",
        },
    )
    return action_plan


def draft_plan(personas: Personas) -> ActionPlan:
    action_plan, _ = ActionPlan.objects.get_or_create(
        partnership=personas.csp,
        title="Riverton Community Safety Action Plan 2027 to 2030",
        defaults={"period_start": date(2027, 4, 1), "period_end": date(2030, 3, 31)},
    )
    return action_plan


def police_action(personas: Personas) -> Action:
    action, _ = Action.objects.get_or_create(
        action_plan=agreed_plan(personas),
        reference="1.1",
        defaults={
            "title": "Patrol the town centre on Friday and Saturday nights",
            "lead_organisation": personas.police,
            "lead_officer": personas.police_officer,
            "start_date": date(2024, 4, 1),
            "due_date": date(2026, 3, 31),
            "status": "in_progress",
        },
    )
    return action


def url_kwarg(name: str, key: str, personas: Personas) -> Any:
    """The value of a URL argument for these URLs, or None when the name is not one of them."""
    if name not in RULES:
        return None
    if key == "ref":
        return personas.csp.slug
    if key == "pk" and name == "actionplans:plan_agree":
        return draft_plan(personas).pk
    if key == "pk" and name.startswith("actionplans:plan"):
        return agreed_plan(personas).pk
    if key == "pk" and name == "actionplans:action_add":
        return agreed_plan(personas).pk
    if key == "pk" and name in EXCHANGE_URLS:
        return agreed_plan(personas).pk
    action = police_action(personas)
    if key == "pk":
        return action.pk
    if key == "milestone_pk":
        milestone, _ = Milestone.objects.get_or_create(
            action=action, title="Patrol plan agreed", defaults={"due_date": date(2024, 6, 30)}
        )
        return milestone.pk
    if key == "line_pk":
        line, _ = BudgetLine.objects.get_or_create(
            action=action, source="pcc", defaults={"grant_name": "Community Safety Fund", "amount": 12000}
        )
        return line.pk
    return None
