"""An action's milestones and budget lines through the API: read with the action, kept up to date by those
who report its progress through the pages' services, bad input refused by field and nothing half-saved.
(Who may do what, for every persona: tests/api/test_permission_matrix.py.)"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from actionplans.models import ActionPlan, BudgetLine, Milestone
from tests.api.conftest import API, World
from tests.api.test_writes import counts

pytestmark = pytest.mark.django_db


def test_the_lead_officer_adds_a_milestone_and_marks_it_done(world: World) -> None:
    client = world.client("police_officer")
    body = {"action": world.police_action.pk, "title": "Second rota", "due_date": "2025-03-31"}
    response = client.post(f"{API}milestones/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"] == f"{API}milestones/{created['id']}/"
    assert created == {
        "id": created["id"],
        "action": world.police_action.pk,
        "action_plan": world.action_plan.pk,
        "partnership": world.personas.csp.slug,
        "title": "Second rota",
        "due_date": "2025-03-31",
        "done_on": None,
    }
    today = timezone.localdate().isoformat()
    response = client.patch(f"{API}milestones/{created['id']}/", {"done_on": today}, format="json")
    assert response.status_code == 200, response.content
    milestone = Milestone.objects.get(pk=created["id"])
    assert (milestone.title, milestone.done_on.isoformat()) == ("Second rota", today)  # type: ignore[union-attr]
    assert milestone.history.latest().history_user == world.personas.police_officer  # type: ignore[attr-defined]


def test_a_put_of_a_milestone_without_done_on_makes_it_not_done(world: World) -> None:
    url = f"{API}milestones/{world.milestone.pk}/"
    response = world.client("manager").put(url, {"title": "Rota agreed", "due_date": "2024-10-31"}, format="json")
    assert response.status_code == 200, response.content
    assert Milestone.objects.get(pk=world.milestone.pk).done_on is None


def test_milestones_are_checked_by_the_services_rules_and_nothing_is_saved(world: World) -> None:
    client = world.client("manager")
    before = counts()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = client.patch(f"{API}milestones/{world.milestone.pk}/", {"done_on": tomorrow}, format="json")
    assert future.status_code == 400
    assert future.json() == {"done_on": ["The date it was done must be today or in the past"]}
    blank = client.post(
        f"{API}milestones/", {"action": world.police_action.pk, "title": " ", "due_date": "soon"}, format="json"
    )
    assert blank.status_code == 400
    assert set(blank.json()) == {"title", "due_date"}
    moved = client.patch(f"{API}milestones/{world.milestone.pk}/", {"action": world.council_action.pk}, format="json")
    assert moved.status_code == 400
    assert moved.json() == {"action": ["This request does not take this field"]}
    assert counts() == before


def test_a_budget_line_records_spend_by_source(world: World) -> None:
    client = world.client("manager")
    body = {"action": world.police_action.pk, "source": "home_office", "amount": "2500"}
    response = client.post(f"{API}budget-lines/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["grant_name"] == ""
    assert response.json()["spent_to_date"] == "0.00"
    url = f"{API}budget-lines/{world.budget_line.pk}/"
    response = client.patch(url, {"spent_to_date": "6000.50"}, format="json")
    assert response.status_code == 200, response.content
    line = BudgetLine.objects.get(pk=world.budget_line.pk)
    assert (line.source, line.grant_name, line.amount, line.spent_to_date) == (
        "pcc",
        "Safer Streets",
        Decimal("12000.00"),
        Decimal("6000.50"),
    )
    listed = client.get(f"{API}budget-lines/?action={world.police_action.pk}&ordering=-amount").json()
    assert [row["amount"] for row in listed["results"]] == ["12000.00", "2500.00"]


def test_budget_lines_refuse_bad_figures_by_field_and_nothing_is_saved(world: World) -> None:
    client = world.client("manager")
    before = counts()
    response = client.post(
        f"{API}budget-lines/",
        {"action": world.police_action.pk, "source": "lottery", "amount": "-5", "spent_to_date": "1.234"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"source", "amount", "spent_to_date"}
    response = client.post(f"{API}budget-lines/", {"action": world.police_action.pk}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"source", "amount"}
    assert counts() == before


def test_a_closed_action_plans_milestones_and_budget_are_read_only(world: World) -> None:
    ActionPlan.objects.filter(pk=world.action_plan.pk).update(status="closed")
    client = world.client("police_officer")
    assert client.get(f"{API}milestones/{world.milestone.pk}/").status_code == 200
    assert client.patch(f"{API}milestones/{world.milestone.pk}/", {"title": "x"}, format="json").status_code == 403
    body = {"action": world.police_action.pk, "source": "pcc", "amount": "1"}
    assert client.post(f"{API}budget-lines/", body, format="json").status_code == 403


def test_scrutiny_reads_the_budget_but_another_csps_manager_never_sees_it(world: World) -> None:
    scrutiny = world.client("scrutiny").get(f"{API}budget-lines/?partnership=riverton").json()
    assert [row["id"] for row in scrutiny["results"]] == [world.budget_line.pk]
    outsider = world.client("outsider").get(f"{API}budget-lines/?partnership=riverton").json()
    assert outsider["results"] == []
    response = world.client("outsider").get(f"{API}milestones/{world.milestone.pk}/")
    assert response.status_code == 404
