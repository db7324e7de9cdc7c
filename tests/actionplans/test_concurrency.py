"""Two people open the same action and both save: the second is told, sees the other's change, and
nothing is silently overwritten. Each save is a real request through the test client (and, on
PostgreSQL, two at the same moment from two threads)."""

from __future__ import annotations

import html
import re
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from actionplans.models import ActionPlan, ProgressUpdate
from tests.actionplans.conftest import World, progress
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this while you were editing it."


def _version(response: Any, name: str = "version") -> str:
    """The hidden version field of the page's form, as the browser would send it back."""
    match = re.search(rf'name="{re.escape(name)}" value="(\d+)"', response.content.decode())
    assert match, f"no {name} field on the page"
    return match.group(1)


def _text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_second_of_two_progress_updates_is_shown_the_first_and_not_saved(personas: Personas, world: World):
    action = world.police_action
    url = reverse("actionplans:action_progress", args=[action.pk])
    officer, manager = Client(), Client()
    officer.force_login(personas.police_officer)
    manager.force_login(personas.manager)
    # Both open the form on the same version.
    officer_version = _version(officer.get(url))
    manager_version = _version(manager.get(url))
    assert officer_version == manager_version == "1"

    first = officer.post(url, progress(action, version=officer_version, rag="green", narrative="Officer: all staffed"))
    assert first.status_code == 302

    second = manager.post(url, progress(action, version=manager_version, rag="red", narrative="Manager: no staff"))
    assert second.status_code == 409
    text = _text(second)
    assert STALE in text
    assert "There is a problem" in text
    # Their version beside the manager's, with who saved it; the manager's input is kept.
    assert "Their version (saved)" in text
    assert "Your version (not saved yet)" in text
    assert "Progress Differs Officer: all staffed Manager: no staff" in text
    assert "Saved by Polly Police at 10:30am on 10 February 2025" in text
    assert "Manager: no staff</textarea>" in second.content.decode()
    assert list(ProgressUpdate.objects.values_list("narrative", flat=True)) == ["Officer: all staffed"]
    action.refresh_from_db()
    assert (action.rag, action.version) == ("green", 2)

    # The page carries the current version: saving again is deliberate, and goes through.
    fresh = _version(second)
    assert fresh == "2"
    third = manager.post(url, progress(action, version=fresh, rag="red", narrative="Manager: no staff"))
    assert third.status_code == 302
    assert ProgressUpdate.objects.count() == 2


def test_the_second_of_two_quick_updates_on_my_actions_gets_the_card_with_both_versions(
    personas: Personas, world: World
):
    action = world.police_action
    url = reverse("actionplans:action_progress", args=[action.pk]) + "?form=quick"
    officer, manager = Client(), Client()
    officer.force_login(personas.police_officer)
    manager.force_login(personas.manager)
    prefix = f"a{action.pk}-"
    page = officer.get(reverse("actionplans:my_actions"))
    version = _version(page, prefix + "version")
    headers = {"X-Requested-With": "app-quick-update"}

    def quick(**overrides: str) -> dict[str, str]:
        return {prefix + k: v for k, v in progress(action, version=version, **overrides).items()}

    assert officer.post(url, quick(narrative="First"), headers=headers).status_code == 200
    refused = manager.post(url, quick(narrative="Second"), headers=headers)
    assert refused.status_code == 409
    assert STALE in _text(refused)
    assert "Progress Differs First Second" in _text(refused)
    assert _version(refused, prefix + "version") == "2"
    assert list(ProgressUpdate.objects.values_list("narrative", flat=True)) == ["First"]


def _action_form(personas: Personas, world: World, version: str, title: str) -> dict[str, Any]:
    action = world.council_action
    return {
        "reference": action.reference,
        "title": title,
        "description": action.description,
        "priority": str(world.other_priority.pk),
        "lead_organisation": str(personas.council.pk),
        "lead_officer": str(personas.council_officer.pk),
        "supporting_organisations": [str(personas.police.pk)],
        "start_date_0": "1",
        "start_date_1": "9",
        "start_date_2": "2024",
        "due_date_0": "31",
        "due_date_1": "1",
        "due_date_2": "2025",
        "status": "in_progress",
        "version": version,
    }


def test_the_second_of_two_managers_changing_an_action_sees_the_first_change(personas: Personas, world: World):
    url = reverse("actionplans:action_edit", args=[world.council_action.pk])
    manager, admin = Client(), Client()
    manager.force_login(personas.manager)
    admin.force_login(personas.admin)
    version = _version(manager.get(url))
    assert _version(admin.get(url)) == version

    assert manager.post(url, _action_form(personas, world, version, "Outreach in every ward")).status_code == 302
    refused = admin.post(url, _action_form(personas, world, version, "Outreach at the hospital"))
    assert refused.status_code == 409
    text = _text(refused)
    assert STALE in text
    assert "Action Differs Outreach in every ward Outreach at the hospital" in text
    world.council_action.refresh_from_db()
    assert world.council_action.title == "Outreach in every ward"

    again = admin.post(url, _action_form(personas, world, _version(refused), "Outreach at the hospital"))
    assert again.status_code == 302
    world.council_action.refresh_from_db()
    assert (world.council_action.title, world.council_action.version) == ("Outreach at the hospital", 3)


def test_the_second_of_two_managers_changing_a_plan_sees_the_first_change(personas: Personas, world: World):
    url = reverse("actionplans:plan_edit", args=[world.action_plan.pk])
    manager, admin = Client(), Client()
    manager.force_login(personas.manager)
    admin.force_login(personas.admin)
    version = _version(manager.get(url))

    def form(title: str, version: str) -> dict[str, str]:
        return {
            "title": title,
            "plan": str(world.plan.pk),
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2024",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2027",
            "version": version,
        }

    assert manager.post(url, form("Plan A", version)).status_code == 302
    refused = admin.post(url, form("Plan B", version))
    assert refused.status_code == 409
    assert "Title Differs Plan A Plan B" in _text(refused)
    assert ActionPlan.objects.get(pk=world.action_plan.pk).title == "Plan A"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (SELECT … FOR UPDATE)")
def test_two_saves_at_the_same_moment_let_exactly_one_through(personas: Personas, world: World):
    action = world.police_action
    url = reverse("actionplans:action_progress", args=[action.pk])
    start = threading.Barrier(2)
    statuses: list[int] = []

    def save(persona: Any, narrative: str) -> None:
        client = Client()
        client.force_login(persona)
        try:
            start.wait()
            statuses.append(client.post(url, progress(action, version="1", narrative=narrative)).status_code)
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=save, args=(personas.police_officer, "Officer")),
        threading.Thread(target=save, args=(personas.manager, "Manager")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 409]
    assert ProgressUpdate.objects.count() == 1
    action.refresh_from_db()
    assert action.version == 2
