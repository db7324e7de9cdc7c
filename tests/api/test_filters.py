"""Filters, ordering and pages of the lists: they narrow, sort and page the caller's scope; a bad value is a
400 naming the parameter, a page past the last a 404."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from actionplans import services as action_services
from tests.api.conftest import API, World

pytestmark = pytest.mark.django_db


def _refs(world: World, query: str, role: str = "manager") -> list[str]:
    response = world.client(role).get(f"{API}actions/?{query}")
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_actions_filter_by_partnership_status_rag_lead_and_dates(world: World) -> None:
    assert _refs(world, "partnership=riverton&ordering=reference") == ["1.1", "2.1"]
    assert _refs(world, "partnership=E22900001&ordering=reference") == ["1.1", "2.1"]  # its ONS code
    assert _refs(world, f"action_plan={world.action_plan.pk}&ordering=reference") == ["1.1", "2.1"]
    assert _refs(world, "status=in_progress&status=complete&ordering=reference") == ["1.1", "2.1"]
    assert _refs(world, "status=not_started") == []
    assert _refs(world, "rag=amber") == ["1.1"]  # reported
    assert _refs(world, "rag=grey") == ["2.1"]  # never reported on
    assert _refs(world, "rag=amber&rag=grey&ordering=-reference") == ["2.1", "1.1"]
    assert _refs(world, f"lead_organisation={world.personas.council.pk}") == ["2.1"]
    assert _refs(world, f"priority={world.priority.pk}") == ["1.1"]
    assert _refs(world, "due_before=2026-07-30") == []
    assert _refs(world, "due_before=2026-07-31&due_after=2026-07-31&ordering=reference") == ["1.1", "2.1"]


def test_overdue_actions_are_those_past_due_and_still_open(world: World) -> None:
    with time_machine.travel(date(2026, 8, 3)):
        assert _refs(world, "overdue=true&ordering=reference") == ["1.1", "2.1"]
        assert _refs(world, "overdue=false") == []
    with time_machine.travel(date(2026, 7, 31)):
        assert _refs(world, "overdue=true") == []


def test_updated_since_gives_what_changed_since_a_time(world: World) -> None:
    since = timezone.now() + timedelta(minutes=5)
    with time_machine.travel(since + timedelta(minutes=1)):
        action_services.action_record_progress(
            actor=world.personas.council_officer,
            action=world.council_action,
            version=world.council_action.version,
            reported_on=timezone.localdate(),
            rag="green",
            narrative="Service commissioned",
            percent_complete=80,
            status="in_progress",
        )
    stamp = since.isoformat().replace("+00:00", "Z")
    assert _refs(world, f"updated_since={stamp}") == ["2.1"]
    updates = world.client("manager").get(f"{API}progress-updates/", {"updated_since": stamp}).json()["results"]
    assert [u["narrative"] for u in updates] == ["Service commissioned"]
    assert world.client("manager").get(f"{API}partnership-plans/", {"updated_since": stamp}).json()["count"] == 0


def test_every_action_says_when_it_last_changed(world: World) -> None:
    action = world.client("manager").get(f"{API}actions/{world.police_action.pk}/").json()
    latest = world.police_action.history.order_by("-history_date").first()
    assert action["updated_at"] == latest.history_date.isoformat().replace("+00:00", "Z")


def test_other_lists_filter_by_what_they_hold(world: World) -> None:
    client = world.client("admin")

    def ids(endpoint: str, **query: object) -> list[object]:
        response = client.get(f"{API}{endpoint}/", query)
        assert response.status_code == 200, response.content
        return [row.get("slug", row["id"]) for row in response.json()["results"]]

    assert ids("partnerships", kind="county_group") == ["safer-shire"]
    assert ids("partnerships", parent="safer-shire", ordering="name") == ["hillford", "riverton"]
    assert ids("organisations", partnership="hillford", ordering="name") == [
        "hillford-district-council",
        "shire-police",
    ]
    assert ids("strategic-assessments", partnership="riverton", status="approved") == [world.approved_assessment.pk]
    assert ids("strategic-assessments", year=2025) == [world.draft_assessment.pk]
    assert ids("partnership-plans", status="adopted") == [world.plan.pk]
    assert ids("priorities", plan=world.plan.pk) == [world.priority.pk]
    assert ids("outcome-measures", priority=world.priority.pk) == [world.measure.pk]
    assert ids("measure-values", measure=world.measure.pk, period_end_after="2024-06-30") == [world.value.pk]
    assert ids("measure-values", period_end_before="2024-06-29") == []
    assert ids("action-plans", partnership="hillford") == [world.other_action_plan.pk]
    assert ids("progress-updates", rag="amber", action=world.police_action.pk) == [world.update.pk]
    assert ids("progress-updates", lead_organisation=world.personas.council.pk) == []


def test_pages_are_bounded_and_link_to_each_other(world: World) -> None:
    client = world.client("admin")
    first = client.get(f"{API}actions/", {"page_size": 1, "ordering": "reference"}).json()
    assert first["count"] == 3
    assert len(first["results"]) == 1
    assert "page=2" in first["next"]
    assert first["previous"] is None
    assert client.get(f"{API}actions/", {"page": 9}).status_code == 404
    # Asking for more than the largest page gives the largest page.
    assert len(client.get(f"{API}actions/", {"page_size": 100_000}).json()["results"]) == 3


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("due_before=not-a-date", "due_before"),
        ("lead_organisation=police", "lead_organisation"),
        ("rag=purple", "rag"),
        ("status=done", "status"),
        ("updated_since=yesterday", "updated_since"),
        ("overdue=perhaps", "overdue"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(world: World, query: str, named: str) -> None:
    response = world.client("manager").get(f"{API}actions/?{query}")
    assert response.status_code == 400
    assert named in response.json()


def test_ordering_by_a_field_the_list_does_not_offer_is_ignored(world: World) -> None:
    assert _refs(world, "ordering=lead_officer__password&page_size=5") == ["1.1", "2.1"]
