"""Who sees and changes action plans: an officer changes only their own organisation's actions, through
any route, and only in their own partnership; nobody outside the partnership learns the plans exist."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from actionplans import permissions
from actionplans.models import Action, ActionPlan
from partnerships.models import PartnershipKind, Role
from tests.actionplans.conftest import World, progress
from tests.conftest import Personas
from tests.factories import ActionPlanFactory, BudgetLineFactory, MilestoneFactory, PartnershipFactory, RoleFactory

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_app_config("actionplans").get_models()
    }


def _snapshot(action: Action) -> tuple[Any, ...]:
    action.refresh_from_db()
    return (
        action.title,
        action.status,
        action.rag,
        action.percent_complete,
        action.lead_organisation_id,
        action.version,
    )


def test_officer_cannot_change_another_organisations_action_through_any_route(client, personas: Personas, world: World):
    """The police officer posts, to every route that changes an action, valid forms naming the council's."""
    council = world.council_action
    milestone = MilestoneFactory(action=council)
    line = BudgetLineFactory(action=council)
    before, snapshot = _counts(), _snapshot(council)
    client.force_login(personas.police_officer)
    dated = {"due_date_0": "1", "due_date_1": "3", "due_date_2": "2025"}
    posts = [
        (reverse("actionplans:action_progress", args=[council.pk]), progress(council)),
        (
            reverse("actionplans:action_progress", args=[council.pk]) + "?form=quick",
            {f"a{council.pk}-{k}": v for k, v in progress(council).items()},
        ),
        (reverse("actionplans:action_edit", args=[council.pk]), {"title": "Taken over", "version": "1"}),
        (reverse("actionplans:milestone_add", args=[council.pk]), {"title": "Mine", **dated}),
        (reverse("actionplans:milestone_edit", args=[council.pk, milestone.pk]), {"title": "Mine", **dated}),
        (reverse("actionplans:budget_add", args=[council.pk]), {"source": "pcc", "amount": "1"}),
        (reverse("actionplans:budget_edit", args=[council.pk, line.pk]), {"source": "pcc", "amount": "1"}),
    ]
    for url, data in posts:
        response = client.post(url, data, headers={"X-Requested-With": "app-quick-update"})
        assert response.status_code == 403, url
    assert _counts() == before
    assert _snapshot(council) == snapshot


def test_officer_cannot_reach_another_actions_milestone_or_budget_through_their_own(
    client, personas: Personas, world: World
):
    """A form post with a changed id: the council's milestone and budget line under the police's action."""
    council_milestone = MilestoneFactory(action=world.council_action, title="Council's")
    council_line = BudgetLineFactory(action=world.council_action, amount=500)
    client.force_login(personas.police_officer)
    dated = {"title": "Changed", "due_date_0": "1", "due_date_1": "3", "due_date_2": "2025"}
    own = world.police_action.pk
    assert (
        client.post(reverse("actionplans:milestone_edit", args=[own, council_milestone.pk]), dated).status_code == 404
    )
    assert (
        client.post(
            reverse("actionplans:budget_edit", args=[own, council_line.pk]), {"source": "council", "amount": "9"}
        ).status_code
        == 404
    )
    council_milestone.refresh_from_db()
    council_line.refresh_from_db()
    assert (council_milestone.title, council_line.amount) == ("Council's", 500)


def test_fields_an_officer_may_not_set_are_ignored_in_a_progress_post(client, personas: Personas, world: World):
    action = world.police_action
    client.force_login(personas.police_officer)
    data = progress(action, lead_organisation=str(personas.council.pk), action_plan="999", title="Renamed")
    assert client.post(reverse("actionplans:action_progress", args=[action.pk]), data).status_code == 302
    action.refresh_from_db()
    assert (action.lead_organisation, action.title) == (
        personas.police,
        "Patrol the town centre on Friday and Saturday nights",
    )


def test_officer_of_the_same_organisation_in_another_partnership_cannot_update(
    client, personas: Personas, world: World
):
    hillford_officer = RoleFactory(
        partnership=personas.other_csp, organisation=personas.police, role=Role.PARTNER_OFFICER
    ).person
    client.force_login(hillford_officer)
    url = reverse("actionplans:action_progress", args=[world.police_action.pk])
    assert client.post(url, progress(world.police_action)).status_code == 404
    assert not world.police_action.updates.exists()


def test_nobody_updates_the_actions_of_a_closed_plan(client, personas: Personas, world: World):
    ActionPlan.objects.filter(pk=world.action_plan.pk).update(status="closed")
    for persona in (personas.police_officer, personas.manager):
        client.force_login(persona)
        url = reverse("actionplans:action_progress", args=[world.police_action.pk])
        assert client.post(url, progress(world.police_action)).status_code == 403
    client.force_login(personas.manager)
    assert client.get(reverse("actionplans:action_edit", args=[world.police_action.pk])).status_code == 403


def test_managers_of_a_county_group_do_not_see_its_csps_action_plans(personas: Personas, world: World):
    county_manager = RoleFactory(partnership=personas.county, organisation=personas.council, role=Role.MANAGER).person
    assert not permissions.visible_action_plans(county_manager).exists()
    assert not permissions.visible_actions(county_manager).exists()
    assert not permissions.can_read_action_plans(county_manager, personas.csp)


def test_a_thematic_groups_plans_are_read_by_the_partnership_it_reports_to(personas: Personas, world: World):
    group = PartnershipFactory(kind=PartnershipKind.THEMATIC_GROUP, parent=personas.csp, ons_code=None)
    group_plan = ActionPlanFactory(partnership=group)
    assert group_plan in permissions.visible_action_plans(personas.scrutiny)
    assert permissions.can_read_action_plans(personas.scrutiny, group)
    assert group_plan not in permissions.visible_action_plans(personas.outsider)


def test_scrutiny_members_read_but_do_not_see_names(personas: Personas, world: World):
    action = permissions.get_action_for_user(personas.scrutiny, world.police_action.pk)
    assert not permissions.can_update_action(personas.scrutiny, action, personas.csp)
    assert not permissions.can_read_people(personas.scrutiny, personas.csp)
    assert permissions.can_read_people(personas.police_officer, personas.csp)


def test_my_action_leads_are_pairs_of_partnership_and_organisation(personas: Personas, world: World):
    RoleFactory(
        person=personas.police_officer,
        partnership=personas.other_csp,
        organisation=personas.council,
        start_date=date(2024, 1, 1),
    )
    assert permissions.my_action_leads(personas.police_officer) == {
        (personas.csp.pk, personas.police.pk),
        (personas.other_csp.pk, personas.council.pk),
    }
    assert permissions.my_action_leads(personas.scrutiny) == set()
    assert permissions.my_action_leads(personas.manager) == {(personas.csp.pk, personas.council.pk)}
