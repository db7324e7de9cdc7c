"""Writes through the API: the pages' services with their rules, optimistic concurrency (409 with a stale
version in the body, 412 with a stale If-Match, the current version in both), bad input refused with
field errors, and never anything half-saved."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from rest_framework.test import APIClient

from actionplans.models import Action, ActionPlan, ProgressUpdate
from priorities.models import MeasureValue, OutcomeMeasure, PartnershipPlan, Priority
from tests.api.conftest import API, World, measure_body, priority_body
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    """Rows of every model of the portal's apps, their history included."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("partnerships", "priorities", "actionplans", "reviews")
        for model in apps.get_app_config(app).get_models()
    }


def _action_url(world: World) -> str:
    return f"{API}actions/{world.police_action.pk}/"


def _progress(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "reported_on": timezone.localdate().isoformat(),
        "rag": "green",
        "narrative": "All four patrols staffed",
        "percent_complete": 60,
        "status": "in_progress",
        "evidence_links": ["https://example.org/patrols.pdf"],
        **changes,
    }


# --- Changing an action --------------------------------------------------------------------------------------


def test_a_manager_changes_an_action_with_if_match_and_gets_the_new_etag(world: World) -> None:
    client = world.client("manager")
    current = client.get(_action_url(world))
    assert current["ETag"] == f'"{world.police_action.version}"'
    response = client.patch(
        _action_url(world), {"title": "Patrols on three nights"}, format="json", HTTP_IF_MATCH=current["ETag"]
    )
    assert response.status_code == 200, response.content
    action = Action.objects.get(pk=world.police_action.pk)
    assert action.title == "Patrols on three nights"
    assert action.version == world.police_action.version + 1
    assert response["ETag"] == f'"{action.version}"'
    assert response.json()["version"] == action.version
    # The rest of the action is as it was, and the change is recorded as the token's owner's.
    assert action.lead_organisation == world.personas.police
    assert list(action.outcome_measures.all()) == [world.measure]
    assert action.history.order_by("-history_date").first().history_user == world.personas.manager


def test_a_change_with_a_stale_if_match_is_412_with_the_current_version_and_saves_nothing(world: World) -> None:
    client = world.client("manager")
    stale = world.police_action.version
    assert (
        client.patch(_action_url(world), {"title": "First"}, format="json", HTTP_IF_MATCH=f'"{stale}"').status_code
        == 200
    )
    before = counts()
    response = client.patch(_action_url(world), {"title": "Second"}, format="json", HTTP_IF_MATCH=f'"{stale}"')
    assert response.status_code == 412
    body = response.json()
    assert body["current_version"] == stale + 1
    assert body["current"]["title"] == "First"
    assert response["ETag"] == f'"{stale + 1}"'
    assert counts() == before
    assert Action.objects.get(pk=world.police_action.pk).title == "First"


def test_a_change_with_a_stale_version_in_the_body_is_409_with_the_current_version(world: World) -> None:
    client = world.client("manager")
    stale = world.police_action.version
    assert client.patch(_action_url(world), {"title": "First", "version": stale}, format="json").status_code == 200
    before = counts()
    response = client.patch(_action_url(world), {"title": "Second", "version": stale}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == stale + 1
    assert response["ETag"] == f'"{stale + 1}"'
    assert counts() == before


def test_a_change_must_say_which_version_it_changes(world: World) -> None:
    before = counts()
    response = world.client("manager").patch(_action_url(world), {"title": "No version"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()
    assert counts() == before


def test_if_match_star_and_weak_etags_are_understood(world: World) -> None:
    client = world.client("manager")
    assert client.patch(_action_url(world), {"title": "Any"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    version = Action.objects.get(pk=world.police_action.pk).version
    response = client.patch(_action_url(world), {"title": "Weak"}, format="json", HTTP_IF_MATCH=f'W/"{version}"')
    assert response.status_code == 200


def test_if_match_and_a_different_body_version_are_refused(world: World) -> None:
    version = world.police_action.version
    response = world.client("manager").patch(
        _action_url(world), {"title": "Both", "version": version + 5}, format="json", HTTP_IF_MATCH=f'"{version}"'
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_a_put_replaces_every_field_and_needs_all_of_them(world: World) -> None:
    client = world.client("manager")
    response = client.put(
        _action_url(world), {"title": "Only a title", "version": world.police_action.version}, format="json"
    )
    assert response.status_code == 400
    assert {"reference", "lead_organisation", "due_date", "status"} <= set(response.json())


def test_the_services_rules_come_back_as_field_errors_and_nothing_is_saved(world: World) -> None:
    before = counts()
    response = world.client("manager").patch(
        _action_url(world),
        {
            "due_date": "2024-01-01",  # before the start date
            "lead_officer": world.personas.council_officer.pk,  # does not represent the police
            "version": world.police_action.version,
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["due_date"] == ["The due date must be on or after the start date"]
    assert body["lead_officer"] == ["Colin Council does not represent Shire Police in the partnership"]
    assert counts() == before


def test_an_officer_may_not_change_their_own_organisations_action_but_reports_progress_on_it(world: World) -> None:
    client = world.client("police_officer")
    response = client.patch(
        _action_url(world), {"title": "Mine", "version": world.police_action.version}, format="json"
    )
    assert response.status_code == 403
    response = client.post(
        f"{_action_url(world)}progress-updates/", _progress(world, version=world.police_action.version), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    action = Action.objects.get(pk=world.police_action.pk)
    assert (action.rag, action.percent_complete, action.version) == ("green", 60, body["action_version"])
    update = ProgressUpdate.objects.get(pk=body["id"])
    assert update.author == world.personas.police_officer
    assert update.links == ["https://example.org/patrols.pdf"]
    assert response["Location"] == f"{API}progress-updates/{update.pk}/"


def test_progress_from_a_stale_version_is_409_and_nothing_is_saved(world: World) -> None:
    client = world.client("police_officer")
    url = f"{_action_url(world)}progress-updates/"
    stale = world.police_action.version
    assert client.post(url, _progress(world, version=stale), format="json").status_code == 201
    before = counts()
    response = client.post(url, _progress(world, version=stale, narrative="Again"), format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == stale + 1
    response = client.post(url, _progress(world, narrative="Again"), format="json", HTTP_IF_MATCH=f'"{stale}"')
    assert response.status_code == 412
    assert counts() == before


def test_progress_is_checked_by_the_actions_rules(world: World) -> None:
    before = counts()
    response = world.client("police_officer").post(
        f"{_action_url(world)}progress-updates/",
        _progress(
            world,
            version=world.police_action.version,
            reported_on="2999-01-01",
            evidence_links=["not a web address"],
        ),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "reported_on": ["The date of the update must be today or in the past"],
        "evidence_links": ["Evidence link 1 is not a web address starting http:// or https://"],
    }
    assert counts() == before


def test_a_manager_adds_an_action_to_a_plan(world: World) -> None:
    body = {
        "action_plan": world.action_plan.pk,
        "reference": "3.1",
        "title": "Street lighting survey",
        "description": "",
        "priority": None,
        "lead_organisation": world.personas.council.pk,
        "lead_officer": None,
        "supporting_organisations": [],
        "outcome_measures": [],
        "start_date": "2024-10-01",
        "due_date": "2025-09-30",
        "status": "not_started",
    }
    response = world.client("manager").post(f"{API}actions/", body, format="json")
    assert response.status_code == 201, response.content
    action = Action.objects.get(pk=response.json()["id"])
    assert (action.action_plan, action.reference, action.version) == (world.action_plan, "3.1", 1)
    assert response["Location"] == f"{API}actions/{action.pk}/"
    assert response["ETag"] == '"1"'
    # The same reference again is the service's error, on its field.
    again = world.client("manager").post(f"{API}actions/", body, format="json")
    assert again.status_code == 400
    assert again.json() == {"reference": ["The action plan already has an action 3.1"]}


def test_a_closed_plan_is_read_only(world: World) -> None:
    ActionPlan.objects.filter(pk=world.action_plan.pk).update(status="closed")
    client = world.client("manager")
    assert (
        client.patch(
            _action_url(world), {"title": "x", "version": world.police_action.version}, format="json"
        ).status_code
        == 403
    )
    response = client.post(
        f"{_action_url(world)}progress-updates/", _progress(world, version=world.police_action.version), format="json"
    )
    assert response.status_code == 403
    assert client.post(f"{API}actions/", {"action_plan": world.action_plan.pk}, format="json").status_code == 403


# --- Plans, action plans and measure values -------------------------------------------------------------------


def test_a_manager_changes_a_draft_plan_and_a_stale_change_is_refused(world: World) -> None:
    client = world.client("manager")
    url = f"{API}partnership-plans/{world.draft_plan.pk}/"
    version = world.draft_plan.version
    response = client.patch(url, {"vision": "A safer Riverton", "version": version}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["vision"] == "A safer Riverton"
    assert response.json()["assessments"] == [world.draft_assessment.pk]  # kept
    assert PartnershipPlan.objects.get(pk=world.draft_plan.pk).version == version + 1
    before = counts()
    response = client.patch(url, {"vision": "Stale", "version": version}, format="json")
    assert response.status_code == 409
    assert response.json()["current"]["vision"] == "A safer Riverton"
    response = client.patch(
        url, {"start_year": 2030, "end_year": 2027}, format="json", HTTP_IF_MATCH=f'"{version + 1}"'
    )
    assert response.status_code == 400
    assert "end_year" in response.json()
    assert counts() == before


def test_a_manager_changes_an_action_plan(world: World) -> None:
    url = f"{API}action-plans/{world.action_plan.pk}/"
    response = world.client("manager").patch(
        url, {"plan": None}, format="json", HTTP_IF_MATCH=f'"{world.action_plan.version}"'
    )
    assert response.status_code == 200, response.content
    assert ActionPlan.objects.get(pk=world.action_plan.pk).plan is None
    response = world.client("manager").patch(
        url, {"plan": world.plan.pk, "version": world.action_plan.version}, format="json"
    )
    assert response.status_code == 409


def test_a_manager_records_a_measure_value_once_per_period(world: World) -> None:
    client = world.client("manager")
    body = {"measure": world.measure.pk, "period_end": "2024-09-30", "value": "90.50"}
    response = client.post(f"{API}measure-values/", body, format="json")
    assert response.status_code == 201, response.content
    assert MeasureValue.objects.get(pk=response.json()["id"]).value == 90.5
    again = client.post(f"{API}measure-values/", body, format="json")
    assert again.status_code == 400
    assert list(again.json()) == ["period_end"]


# --- Priorities and outcome measures ---------------------------------------------------------------------------


def test_a_manager_adds_a_priority_to_a_draft_plan_at_the_end(world: World) -> None:
    client = world.client("manager")
    response = client.post(
        f"{API}priorities/", priority_body(plan=world.draft_plan.pk, alignment=["pcc"]), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"{API}priorities/{body['id']}/"
    priority = Priority.objects.get(pk=body["id"])
    assert (priority.plan_id, priority.title, priority.alignment) == (world.draft_plan.pk, body["title"], ["pcc"])
    assert priority.position == world.draft_priority.position + 1
    assert body["partnership"] == world.personas.csp.slug
    history = priority.history.get()  # type: ignore[attr-defined]
    assert history.history_user == world.personas.manager


def test_a_priority_change_keeps_what_a_patch_does_not_send_and_a_put_needs_everything(world: World) -> None:
    client = world.client("manager")
    url = f"{API}priorities/{world.draft_priority.pk}/"
    before = Priority.objects.get(pk=world.draft_priority.pk)
    response = client.patch(url, {"aim": "No one feels unsafe walking home"}, format="json")
    assert response.status_code == 200, response.content
    after = Priority.objects.get(pk=world.draft_priority.pk)
    assert after.aim == "No one feels unsafe walking home"
    assert (after.title, after.theme, after.how_achieved) == (before.title, before.theme, before.how_achieved)
    response = client.put(url, {"title": "Only a title"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"aim", "how_achieved", "theme", "strand"}
    response = client.patch(url, {"plan": world.plan.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"plan": ["This request does not take this field"]}


def test_priorities_are_checked_by_the_plans_rules_and_nothing_is_saved(world: World) -> None:
    client = world.client("manager")
    before = counts()
    duplicate = client.post(
        f"{API}priorities/", priority_body(plan=world.draft_plan.pk, title="SAFER streets at night"), format="json"
    )
    assert duplicate.status_code == 400
    assert duplicate.json() == {"title": ["The plan already has a priority called SAFER streets at night"]}
    bad = client.post(
        f"{API}priorities/",
        priority_body(plan=world.draft_plan.pk, theme="weather", alignment=["galactic"], aim=""),
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"theme", "alignment", "aim"}
    assert counts() == before


def test_a_manager_retires_a_draft_plans_priority_once(world: World) -> None:
    client = world.client("manager")
    url = f"{API}priorities/{world.draft_priority.pk}/retire/"
    assert client.post(url, {"reason": "no"}, format="json").status_code == 400  # it takes no fields
    response = client.post(url)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "retired"
    assert Priority.objects.get(pk=world.draft_priority.pk).status == "retired"
    again = client.post(url)
    assert again.status_code == 403
    assert client.patch(f"{API}priorities/{world.draft_priority.pk}/", {"aim": "x"}, format="json").status_code == 403


def test_a_manager_adds_and_changes_an_outcome_measure_of_an_adopted_plan(world: World) -> None:
    client = world.client("manager")
    response = client.post(f"{API}outcome-measures/", measure_body(priority=world.priority.pk), format="json")
    assert response.status_code == 201, response.content
    measure = OutcomeMeasure.objects.get(pk=response.json()["id"])
    assert (measure.priority_id, measure.name, measure.target) == (world.priority.pk, "First-time entrants", 90)
    assert response["Location"] == f"{API}outcome-measures/{measure.pk}/"
    response = client.patch(f"{API}outcome-measures/{measure.pk}/", {"target": "85.5"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["target"] == "85.50"
    measure.refresh_from_db()
    assert (measure.target, measure.baseline, measure.direction) == (Decimal("85.50"), 120, "down")


def test_outcome_measures_are_checked_by_the_plans_rules_and_nothing_is_saved(world: World) -> None:
    client = world.client("manager")
    before = counts()
    wrong_way = client.post(
        f"{API}outcome-measures/", measure_body(priority=world.priority.pk, target="150"), format="json"
    )
    assert wrong_way.status_code == 400
    assert list(wrong_way.json()) == ["target"]
    # The world's measure has a value for the period to 30 June 2024: its baseline must come before it.
    late_baseline = client.patch(
        f"{API}outcome-measures/{world.measure.pk}/",
        {"baseline_date": "2024-07-01", "target_date": "2027-03-31"},
        format="json",
    )
    assert late_baseline.status_code == 400
    assert list(late_baseline.json()) == ["baseline_date"]
    typed = client.post(
        f"{API}outcome-measures/",
        measure_body(priority=world.priority.pk, baseline="lots", target_date="soon", direction="sideways"),
        format="json",
    )
    assert typed.status_code == 400
    assert set(typed.json()) == {"baseline", "target_date", "direction"}
    retired = Priority.objects.filter(pk=world.priority.pk).update(status="retired")
    assert retired == 1
    response = client.post(f"{API}outcome-measures/", measure_body(priority=world.priority.pk), format="json")
    assert response.status_code == 400
    assert counts() == before


# --- Bad input --------------------------------------------------------------------------------------------------


def test_unknown_fields_are_refused_by_name_and_nothing_is_saved(world: World) -> None:
    before = counts()
    response = world.client("manager").patch(
        _action_url(world),
        {"title": "New", "version": world.police_action.version, "colour": "red", "id": 5, "action_plan": 2},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"colour", "id", "action_plan"}
    assert body["colour"] == ["This request does not take this field"]
    assert counts() == before


def test_wrong_types_are_refused_with_field_errors(world: World) -> None:
    before = counts()
    response = world.client("police_officer").post(
        f"{_action_url(world)}progress-updates/",
        {
            "reported_on": "yesterday",
            "rag": "purple",
            "narrative": ["a", "list"],
            "percent_complete": "lots",
            "status": 7,
            "evidence_links": "https://example.org",
            "version": "first",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {
        "reported_on",
        "rag",
        "narrative",
        "percent_complete",
        "status",
        "evidence_links",
        "version",
    }
    assert counts() == before


def test_ids_the_caller_may_not_see_are_refused_like_missing_ones(world: World) -> None:
    hillford_council = world.other_action_plan.partnership.memberships.exclude(organisation=world.personas.police).get()
    response = world.client("manager").patch(
        _action_url(world),
        {"supporting_organisations": [hillford_council.organisation_id], "version": world.police_action.version},
        format="json",
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["supporting_organisations"][0]


def test_an_oversized_body_is_413_and_nothing_is_saved(world: World, settings: Any) -> None:
    before = counts()
    response = world.client("manager").patch(
        _action_url(world),
        {"description": "x" * (settings.API_MAX_BODY_BYTES + 10), "version": world.police_action.version},
        format="json",
    )
    assert response.status_code == 413
    assert "larger than the API accepts" in response.json()["detail"]
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ("title=New", "application/x-www-form-urlencoded", 415),
    ],
)
def test_bodies_that_are_not_json_objects_are_refused(world: World, body: str, content_type: str, status: int) -> None:
    before = counts()
    response = world.client("manager").patch(_action_url(world), body, content_type=content_type)
    assert response.status_code == status
    assert "detail" in response.json()
    assert counts() == before


# --- Sessions --------------------------------------------------------------------------------------------------


def test_a_browser_session_writes_only_with_its_csrf_token(world: World) -> None:
    client = APIClient(enforce_csrf_checks=True)
    sign_in(client, world.personas.manager)
    body = json.dumps({"title": "From the browser", "version": world.police_action.version})
    refused = client.patch(_action_url(world), body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/accounts/api-tokens/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.patch(_action_url(world), body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
