"""The action plan pages run a fixed number of queries: as many for a plan of 80 actions as for 2.

Each test measures a page, grows the plan (actions under several priorities and organisations, with
progress updates, milestones and budget lines), and measures again. The bounds are today's counts; a
page that starts querying per row fails the equality, a new query the bound.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import Action
from partnerships.models import Role
from tests.actionplans.conftest import World
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    BudgetLineFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganisationFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db

# Every signed-in page: the session, the user and the user's roles (3); the review scope for the
# menu (panel appointments and, for a manager, whether someone holds the review lead role: 2); then
# the page's own reads; then the session renewed (SAVEPOINT, UPDATE, RELEASE: 3).
MAX_QUERIES = {
    # The plan; the lead organisations (filter); the actions (a count and a page); the counts by RAG;
    # whether the partnership plan may be opened.
    "actionplans:plan": 3 + 2 + 6 + 3,
    # The actions (a count and a page).
    "actionplans:my_actions": 3 + 2 + 2 + 3,
    # The action; its flags, partners, measures, milestones, budget lines and updates.
    "actionplans:action": 3 + 2 + 7 + 3,
    # The action; its records, the two many-to-many snapshots, milestones, budget lines, updates, and the
    # names of organisations, people, priorities and measures.
    "actionplans:action_history": 3 + 2 + 11 + 3,
}


def _grow(personas: Personas, world: World, actions: int) -> None:
    """Give the plan this many actions in all, spread over priorities and organisations, each with parts."""
    priorities = [world.priority, world.other_priority, PriorityFactory(plan=world.plan, position=3)]
    organisations = [personas.police, personas.council]
    for _ in range(2):
        organisation = OrganisationFactory()
        MembershipFactory(partnership=personas.csp, organisation=organisation)
        RoleFactory(partnership=personas.csp, organisation=organisation, role=Role.PARTNER_OFFICER)
        organisations.append(organisation)
    existing = world.action_plan.actions.count()
    for n in range(actions - existing):
        action = ActionFactory(
            action_plan=world.action_plan,
            priority=priorities[n % 3],
            lead_organisation=organisations[n % len(organisations)],
            due_date=date(2025, 1, 1) if n % 4 == 0 else date(2026, 1, 1),
            rag=("red", "amber", "green", "")[n % 4],
            last_update_on=date(2025, 1, 15) if n % 4 != 3 else None,
            status="complete" if n % 7 == 0 else "in_progress",
        )
        action.supporting_organisations.add(personas.council)
        MilestoneFactory(action=action)
        BudgetLineFactory(action=action)
        ProgressUpdateFactory(action=action, author=personas.police_officer)
    assert world.action_plan.actions.count() == actions


def _grow_police_action(personas: Personas, world: World, updates: int) -> None:
    action = world.police_action
    for n in range(updates):
        action = Action.objects.get(pk=action.pk)
        services.action_record_progress(
            actor=personas.police_officer,
            action=action,
            version=action.version,
            reported_on=date(2025, 2, 1),
            rag="amber",
            narrative=f"Update {n}",
            percent_complete=n,
            status="in_progress",
        )
        services.milestone_save(
            actor=personas.manager,
            action=action,
            milestone=None,
            title=f"M{n}",
            due_date=date(2025, 3, 1),
            done_on=None,
        )
        services.budget_line_save(
            actor=personas.manager, action=action, line=None, source="pcc", grant_name="", amount=n, spent_to_date=0
        )


def _measure(client: Any, url: str, bound: int, django_assert_max_num_queries: Any) -> tuple[int, str]:
    with django_assert_max_num_queries(bound) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("persona", ["manager", "scrutiny"])
def test_plan_page_runs_as_many_queries_for_80_actions_as_for_2(
    client, personas: Personas, world: World, django_assert_max_num_queries, persona
):
    client.force_login(personas.by_role(persona))
    url = reverse("actionplans:plan", args=[world.action_plan.pk])
    bound = MAX_QUERIES["actionplans:plan"]
    client.get(url)  # warm the per-process caches (content types, templates)
    small, _ = _measure(client, url, bound, django_assert_max_num_queries)
    _grow(personas, world, 80)
    large, page = _measure(client, url, bound, django_assert_max_num_queries)
    filtered, _ = _measure(
        client,
        f"{url}?organisation={personas.police.pk}&rag=amber&sort=due&page=2",
        bound,
        django_assert_max_num_queries,
    )
    assert large == small == filtered
    assert "80 actions, page 1 of 4" in page


def test_my_actions_runs_as_many_queries_for_60_of_240_actions_as_for_1(
    client, personas: Personas, world: World, django_assert_max_num_queries
):
    client.force_login(personas.police_officer)
    url = reverse("actionplans:my_actions")
    bound = MAX_QUERIES["actionplans:my_actions"]
    client.get(url)
    small, _ = _measure(client, url, bound, django_assert_max_num_queries)
    _grow(personas, world, 240)
    large, page = _measure(client, url, bound, django_assert_max_num_queries)
    assert large == small
    assert page.count("data-app-action-card") == 25


@pytest.mark.parametrize("name", ["actionplans:action", "actionplans:action_history"])
def test_action_pages_run_as_many_queries_for_a_long_history_as_for_a_short_one(
    client, personas: Personas, world: World, django_assert_max_num_queries, name
):
    client.force_login(personas.police_officer)
    url = reverse(name, args=[world.police_action.pk])
    client.get(url)
    small, _ = _measure(client, url, MAX_QUERIES[name], django_assert_max_num_queries)
    _grow_police_action(personas, world, 15)
    large, _ = _measure(client, url, MAX_QUERIES[name], django_assert_max_num_queries)
    assert large == small
