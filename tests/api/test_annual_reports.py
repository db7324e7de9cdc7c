"""Annual reports through the API: what the report pages show, read-only; a published report's tables are
frozen, a draft's are today's, and domestic homicide review counts reach only those who may see them.
(Who may read which report, for every persona: tests/api/test_permission_matrix.py.)"""

from __future__ import annotations

import pytest

from actionplans.models import Action
from tests.api.conftest import API, World

pytestmark = pytest.mark.django_db


def _report(world: World, role: str, pk: int) -> dict:  # type: ignore[type-arg]
    response = world.client(role).get(f"{API}annual-reports/{pk}/")
    assert response.status_code == 200, response.content
    return dict(response.json())


def test_a_published_report_gives_its_narrative_and_frozen_tables(world: World) -> None:
    report = _report(world, "scrutiny", world.published_report.pk)
    assert report["status"] == "published"
    assert report["summary"] == "Patrols began in the town centre"
    assert report["committee"] == "Riverton Scrutiny Committee"
    assert report["partnership"] == world.personas.csp.slug
    assert report["contents"]["totals"] == world.published_report.contents["totals"]  # type: ignore[index]
    titles = [priority["title"] for priority in report["contents"]["priorities"]]
    assert titles[0] == world.priority.title
    before = report["contents"]
    # Later changes to the actions do not change what the committee was given.
    Action.objects.filter(action_plan=world.action_plan).update(status="complete", percent_complete=100)
    assert _report(world, "scrutiny", world.published_report.pk)["contents"] == before


def test_a_drafts_tables_are_todays(world: World) -> None:
    draft = _report(world, "manager", world.draft_report.pk)
    assert draft["status"] == "draft"
    assert draft["contents"]["totals"]["actions"] == 2
    assert draft["contents"]["totals"]["status"] == {"In progress": 2}
    Action.objects.filter(pk=world.council_action.pk).update(status="complete", percent_complete=100)
    totals = _report(world, "manager", world.draft_report.pk)["contents"]["totals"]
    assert totals["status"] == {"Complete": 1, "In progress": 1}


def test_review_counts_are_need_to_know(world: World) -> None:
    manager = _report(world, "manager", world.published_report.pk)["contents"]["reviews"]
    assert manager == world.published_report.contents["reviews"]  # type: ignore[index]
    assert manager["open"] == 1
    assert _report(world, "police_officer", world.published_report.pk)["contents"]["reviews"] is None
    assert _report(world, "scrutiny", world.published_report.pk)["contents"]["reviews"] == manager


def test_lists_hold_published_reports_for_readers_and_drafts_for_managers(world: World) -> None:
    def ids(role: str, query: str = "") -> list[int]:
        response = world.client(role).get(f"{API}annual-reports/{query}")
        assert response.status_code == 200, response.content
        assert all("contents" not in row for row in response.json()["results"])  # the tables: one report at a time
        return [row["id"] for row in response.json()["results"]]

    published, draft = world.published_report.pk, world.draft_report.pk
    assert ids("manager") == [draft, published]  # the latest period first
    assert ids("chair", "?status=published") == [published]
    assert ids("police_officer") == [published]
    assert ids("scrutiny", "?partnership=riverton") == [published]
    assert ids("county_member") == []
    assert ids("outsider") == []
    response = world.client("manager").get(f"{API}annual-reports/?status=secret")
    assert response.status_code == 400
    assert list(response.json()) == ["status"]
