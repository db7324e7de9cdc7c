"""`manage.py send_reminders [--dry-run] [--date YYYY-MM-DD]`: the daily planner for cron instead of beat.

Riverton, on Tuesday 30 June 2026: Polly Police leads an action due today and one a week overdue (the
manager gets a copy of that one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from actionplans.models import Action
from reviews.reminders.models import Reminder, ReminderStatus
from tests.conftest import Personas
from tests.factories import ActionFactory, ActionPlanFactory

NOW = datetime(2026, 6, 30, 7, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def actions(personas: Personas) -> list[Action]:
    plan = ActionPlanFactory(partnership=personas.csp)
    return [
        ActionFactory(
            action_plan=plan,
            reference=reference,
            title=title,
            lead_organisation=personas.police,
            lead_officer=personas.police_officer,
            due_date=due,
            last_update_on=date(2026, 6, 1),
        )
        for reference, title, due in (
            ("1.1", "Knife crime workshops", date(2026, 6, 30)),
            ("1.2", "Street lighting audit", date(2026, 6, 23)),
        )
    ]


def command(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_dry_run_lists_what_is_due_and_records_nothing(actions: list[Action]) -> None:
    lines = command("--dry-run").splitlines()
    assert lines == [
        "manager@example.org\taction_overdue_copy\tAction 1.2 Street lighting audit: was due 23 June 2026",
        "police.officer@example.org\taction_due\tAction 1.2 Street lighting audit: was due 23 June 2026",
        "police.officer@example.org\taction_due\tAction 1.1 Knife crime workshops: due 30 June 2026",
        "3 reminder(s) for 2 person(s) on 30 June 2026 (dry run)",
    ]
    assert not Reminder.objects.exists()
    assert mail.outbox == []


def test_dry_run_for_another_date(actions: list[Action]) -> None:
    lines = command("--dry-run", "--date", "2026-06-09").splitlines()
    assert lines[:-1] == ["police.officer@example.org\taction_due\tAction 1.2 Street lighting audit: due 23 June 2026"]
    assert lines[-1].startswith("1 ")
    assert lines[-1].endswith(" on 9 June 2026 (dry run)")
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("bad", ["30/06/2026", "2026-13-01", "tomorrow"])
def test_a_bad_date_is_refused_naming_the_format(actions: list[Action], bad: str) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        command("--date", bad)
    assert not Reminder.objects.exists()


def test_a_run_records_sends_and_prints_the_figures(actions: list[Action]) -> None:
    assert command() == "3 new reminder(s) for 30 June 2026; 3 sent; 0 person(s) failed\n"
    assert Counter(m.to[0] for m in mail.outbox) == {"police.officer@example.org": 1, "manager@example.org": 1}
    assert Counter(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT: 3}
    assert set(Reminder.objects.values_list("planned_for", flat=True)) == {date(2026, 6, 30)}


def test_running_twice_sends_nothing_new(actions: list[Action]) -> None:
    command()
    second = command()
    assert second == "0 new reminder(s) for 30 June 2026; 0 sent; 0 person(s) failed\n"
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 3


def test_a_run_for_a_given_date(actions: list[Action]) -> None:
    output = command("--date", "2026-06-09")
    assert output.startswith("1 ")
    assert output.endswith(" for 9 June 2026; 1 sent; 0 person(s) failed\n")
    assert Reminder.objects.get().planned_for == date(2026, 6, 9)
    assert [m.to for m in mail.outbox] == [["police.officer@example.org"]]
