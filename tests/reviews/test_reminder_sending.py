"""Recording and sending reminders exactly once (reviews/reminders/sending.py, gateway.py, reviews/tasks.py).

Today is Tuesday 30 June 2026, 7am. Polly Police leads three Riverton actions: one due today, one due in
14 days and one a week overdue (so the partnership manager gets a copy of that one): Polly's digest lists
three reminders, the manager's one. Mail goes to Django's locmem backend (mail.outbox); a flaky backend
defined here refuses a given number of times and then delivers. Tasks run in this process, as they do
without REDIS_URL, so that each test can count what was sent.
"""

from __future__ import annotations

import smtplib
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.mail.message import EmailMessage
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from actionplans.models import Action
from csp_portal.celery import app as celery_app
from reviews import tasks
from reviews.reminders import gateway, planner, sending
from reviews.reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.conftest import Personas
from tests.factories import ActionFactory, ActionPlanFactory

LONDON = ZoneInfo("Europe/London")
DAY = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 7, tzinfo=LONDON)
POLICE = "police.officer@example.org"
MANAGER = "manager@example.org"
FLAKY = "tests.reviews.test_reminder_sending.FlakyBackend"


class FlakyBackend(EmailBackend):
    """A mail server that refuses the next `refusals` sends, then delivers to mail.outbox."""

    refusals = 0

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if FlakyBackend.refusals > 0:
            FlakyBackend.refusals -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def in_process_tasks() -> Iterator[None]:
    """Run Celery tasks in this process even where REDIS_URL is set (the PostgreSQL run)."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _reset_flaky() -> Iterator[None]:
    FlakyBackend.refusals = 0
    yield
    FlakyBackend.refusals = 0


@pytest.fixture
def actions(personas: Personas) -> dict[str, Action]:
    plan = ActionPlanFactory(partnership=personas.csp)

    def make(reference: str, due: date) -> Action:
        return ActionFactory(  # type: ignore[no-any-return]
            action_plan=plan,
            reference=reference,
            title=f"Task {reference}",
            lead_organisation=personas.police,
            lead_officer=personas.police_officer,
            due_date=due,
            last_update_on=date(2026, 6, 1),
        )

    return {
        "today": make("1.1", DAY),
        "soon": make("1.2", DAY + timedelta(days=14)),
        "overdue": make("1.3", DAY - timedelta(days=7)),
    }


def digests() -> Counter[str]:
    """Emails sent, by recipient."""
    return Counter(address for message in mail.outbox for address in message.to)


def url(path: str) -> str:
    return f"{'https' if settings.PORTAL_USE_HTTPS else 'http'}://{settings.PORTAL_DOMAIN}{path}"


def statuses() -> Counter[str]:
    return Counter(Reminder.objects.values_list("status", flat=True))


def recipient_id(email: str) -> int:
    return Reminder.objects.filter(recipient__email=email).values_list("recipient_id", flat=True)[0]


# --- Recording ----------------------------------------------------------------------------------------------


def test_recording_the_same_day_twice_creates_each_reminder_once(actions: dict[str, Action]) -> None:
    dues = list(planner.plan(DAY))
    assert len(dues) == 4
    sending.record(dues, DAY)
    sending.record(dues, DAY)
    sending.record(list(planner.plan(DAY)), DAY)
    assert Reminder.objects.count() == 4
    keys = set(Reminder.objects.values_list("recipient__email", "kind", "item", "window"))
    assert keys == {
        (POLICE, ReminderKind.ACTION_DUE, f"action:{actions['today'].pk}", "before-0:2026-06-30"),
        (POLICE, ReminderKind.ACTION_DUE, f"action:{actions['soon'].pk}", "before-14:2026-07-14"),
        (POLICE, ReminderKind.ACTION_DUE, f"action:{actions['overdue'].pk}", "overdue-1:2026-06-23"),
        (MANAGER, ReminderKind.ACTION_OVERDUE_COPY, f"action:{actions['overdue'].pk}", "overdue-1:2026-06-23"),
    }
    assert statuses() == {ReminderStatus.PENDING: 4}


def test_recording_a_reminder_twice_in_one_batch_keeps_one(actions: dict[str, Action]) -> None:
    due = next(iter(planner.plan(DAY)))
    sending.record([due, due], DAY)
    assert Reminder.objects.count() == 1


# --- Planning and sending: one digest per person per run, each reminder once ----------------------------


def test_two_runs_of_the_day_send_each_person_one_digest(actions: dict[str, Action]) -> None:
    first = tasks.plan_reminders()
    second = tasks.plan_reminders(DAY.isoformat())
    assert first["recipients"] == 2
    assert second["recipients"] == 0
    assert digests() == {POLICE: 1, MANAGER: 1}
    assert statuses() == {ReminderStatus.SENT: 4}
    bodies = {message.to[0]: message.body for message in mail.outbox}
    for reminder in Reminder.objects.select_related("recipient"):
        assert bodies[reminder.recipient.email].count(reminder.title) == 1


def test_the_digest_lists_every_item_with_its_link(actions: dict[str, Action]) -> None:
    tasks.plan_reminders()
    (message,) = [m for m in mail.outbox if m.to == [POLICE]]
    assert message.subject == "CSP Portal: 3 things due"
    html = message.alternatives[0].content  # type: ignore[attr-defined]
    for action in actions.values():
        link = url(reverse("actionplans:action", args=[action.pk]))
        title = Reminder.objects.get(recipient__email=POLICE, item=f"action:{action.pk}").title
        assert f"- {title}\n  {link}\n" in message.body
        assert f'<a href="{link}">{title}</a>' in html
    assert "Task 1.1: due 30 June 2026" in message.body
    assert "Task 1.3: was due 23 June 2026" in message.body
    (copy,) = [m for m in mail.outbox if m.to == [MANAGER]]
    assert copy.subject == "CSP Portal: 1 thing due"
    # The Message-ID names the send, and is kept with every reminder it carried.
    sent = set(Reminder.objects.filter(recipient__email=POLICE).values_list("provider_id", "claim", "attempts"))
    (provider_id, claim, attempts), *others = sent
    assert not others
    assert (
        message.extra_headers["Message-ID"]
        == provider_id
        == f"<reminders-{claim}@{settings.PORTAL_DOMAIN.split(':')[0]}>"
    )
    assert attempts == 1


def test_a_second_send_for_the_same_person_sends_nothing(actions: dict[str, Action]) -> None:
    sending.record(planner.plan(DAY), DAY)
    police = recipient_id(POLICE)
    assert sending.send_digest(police) == 3
    assert sending.send_digest(police) == 0
    assert digests() == {POLICE: 1}


def test_rows_claimed_by_another_send_are_not_sent_again(actions: dict[str, Action]) -> None:
    sending.record(planner.plan(DAY), DAY)
    police = recipient_id(POLICE)
    # Another worker claimed Polly's rows a moment ago and is still sending.
    Reminder.objects.filter(recipient_id=police).update(status=ReminderStatus.SENDING, claim="other", claimed_at=NOW)
    assert sending.send_digest(police) == 0
    assert mail.outbox == []
    assert sending.recipients_waiting() == [recipient_id(MANAGER)]


# --- A mail server that refuses, then recovers ------------------------------------------------------------


@override_settings(EMAIL_BACKEND=FLAKY)
def test_a_refusing_mail_server_leaves_rows_pending_then_all_are_delivered_once(actions: dict[str, Action]) -> None:
    sending.record(planner.plan(DAY), DAY)
    police = recipient_id(POLICE)
    FlakyBackend.refusals = 2
    for attempt in (1, 2):
        with pytest.raises(sending.SendFailed, match="Connection unexpectedly closed"):
            sending.send_digest(police)
        rows = Reminder.objects.filter(recipient_id=police)
        assert set(rows.values_list("status", "attempts", "last_error", "claim")) == {
            (ReminderStatus.PENDING, attempt, "Connection unexpectedly closed", "")
        }
        assert mail.outbox == []
    assert sending.send_digest(police) == 3
    assert sending.send_digest(police) == 0
    assert digests() == {POLICE: 1}
    assert set(Reminder.objects.filter(recipient_id=police).values_list("status", "attempts", "last_error")) == {
        (ReminderStatus.SENT, 3, "")
    }


@override_settings(EMAIL_BACKEND=FLAKY)
def test_the_sweep_delivers_what_a_refusal_left_pending(actions: dict[str, Action]) -> None:
    sending.record(planner.plan(DAY), DAY)
    FlakyBackend.refusals = 1
    with pytest.raises(sending.SendFailed):
        sending.send_digest(recipient_id(POLICE))
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        assert tasks.sweep_reminders() == {"released": 0, "recipients": 2}
        tasks.plan_reminders()
    assert digests() == {POLICE: 1, MANAGER: 1}
    assert statuses() == {ReminderStatus.SENT: 4}


@override_settings(EMAIL_BACKEND=FLAKY)
def test_one_refused_digest_does_not_stop_the_others(actions: dict[str, Action]) -> None:
    FlakyBackend.refusals = 1
    tasks.plan_reminders()  # the first person's digest is refused (in-process, the retry is raised and logged)
    assert list(digests().values()) == [1]
    (delivered,) = digests()
    waiting = Reminder.objects.exclude(recipient__email=delivered)
    assert set(waiting.values_list("status", "attempts", "last_error")) == {
        (ReminderStatus.PENDING, 1, "Connection unexpectedly closed")
    }
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        tasks.sweep_reminders()
    assert digests() == {POLICE: 1, MANAGER: 1}
    assert statuses() == {ReminderStatus.SENT: 4}


@override_settings(EMAIL_BACKEND=FLAKY)
def test_after_max_attempts_the_rows_are_failed(actions: dict[str, Action]) -> None:
    sending.record(planner.plan(DAY), DAY)
    police = recipient_id(POLICE)
    FlakyBackend.refusals = sending.MAX_ATTEMPTS
    for _ in range(sending.MAX_ATTEMPTS - 1):
        with pytest.raises(sending.SendFailed):
            sending.send_digest(police)
    assert set(Reminder.objects.filter(recipient_id=police).values_list("status", "attempts")) == {
        (ReminderStatus.PENDING, sending.MAX_ATTEMPTS - 1)
    }
    with pytest.raises(sending.SendFailed):
        sending.send_digest(police)
    rows = Reminder.objects.filter(recipient_id=police)
    assert set(rows.values_list("status", "attempts", "last_error")) == {
        (ReminderStatus.FAILED, sending.MAX_ATTEMPTS, "Connection unexpectedly closed")
    }
    assert police not in sending.recipients_waiting()
    assert sending.send_digest(police) == 0
    assert mail.outbox == []


# --- A worker killed after claiming: the sweep releases its claim after the lease ------------------------


def test_release_stale_claims_frees_only_claims_older_than_the_lease(actions: dict[str, Action], settings: Any) -> None:
    settings.REMINDER_CLAIM_LEASE_SECONDS = 600
    sending.record(planner.plan(DAY), DAY)
    police, manager = recipient_id(POLICE), recipient_id(MANAGER)
    Reminder.objects.filter(recipient_id=police).update(
        status=ReminderStatus.SENDING, claim="dead-worker", claimed_at=NOW - timedelta(seconds=601), attempts=1
    )
    Reminder.objects.filter(recipient_id=manager).update(
        status=ReminderStatus.SENDING, claim="busy-worker", claimed_at=NOW - timedelta(seconds=599), attempts=1
    )
    assert sending.release_stale_claims() == 3
    assert set(Reminder.objects.filter(recipient_id=police).values_list("status", "claim", "claimed_at")) == {
        (ReminderStatus.PENDING, "", None)
    }
    assert set(Reminder.objects.filter(recipient_id=manager).values_list("status", "claim")) == {
        (ReminderStatus.SENDING, "busy-worker")
    }
    assert sending.release_stale_claims(timedelta(seconds=598)) == 1
    assert statuses() == {ReminderStatus.PENDING: 4}


def test_the_sweep_sends_what_a_killed_worker_left(actions: dict[str, Action]) -> None:
    sending.record(planner.plan(DAY), DAY)
    Reminder.objects.update(status=ReminderStatus.SENDING, claim="dead-worker", claimed_at=NOW, attempts=1)
    assert tasks.sweep_reminders() == {"released": 0, "recipients": 0}
    assert mail.outbox == []
    with time_machine.travel(NOW + timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1), tick=False):
        assert tasks.sweep_reminders() == {"released": 4, "recipients": 2}
    assert digests() == {POLICE: 1, MANAGER: 1}
    assert statuses() == {ReminderStatus.SENT: 4}


# --- GOV.UK Notify ------------------------------------------------------------------------------------------


class FakeNotify:
    """Stands in for notifications_python_client's NotificationsAPIClient (GOV.UK Notify is not reachable)."""

    calls: list[dict[str, Any]] = []

    def __init__(self, api_key: str) -> None:
        assert api_key == "test-key"

    def send_email_notification(self, **kwargs: Any) -> dict[str, Any]:
        FakeNotify.calls.append(kwargs)
        return {"id": f"notify-{len(FakeNotify.calls)}", "reference": kwargs["reference"]}


def test_notify_receives_one_call_per_digest_and_its_id_is_kept(
    actions: dict[str, Action], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.NOTIFY_API_KEY = "test-key"
    settings.NOTIFY_REMINDER_TEMPLATE_ID = "reminder-template"
    FakeNotify.calls = []
    monkeypatch.setattr(gateway, "NotificationsAPIClient", FakeNotify)
    tasks.plan_reminders()
    tasks.plan_reminders()
    assert mail.outbox == []
    assert sorted(call["email_address"] for call in FakeNotify.calls) == [MANAGER, POLICE]
    for call in FakeNotify.calls:
        rows = Reminder.objects.filter(recipient__email=call["email_address"])
        assert call["template_id"] == "reminder-template"
        assert {row.claim for row in rows} == {call["reference"]}
        for row in rows:
            assert f"* {row.title}: {url(row.path)}" in call["personalisation"]["items"]
    ids = dict(Reminder.objects.values_list("recipient__email", "provider_id").distinct())
    police_call = next(i for i, call in enumerate(FakeNotify.calls, 1) if call["email_address"] == POLICE)
    assert ids[POLICE] == f"notify-{police_call}"
    assert statuses() == {ReminderStatus.SENT: 4}


# --- PostgreSQL: two planners and two senders at the same moment ---------------------------------------


def at_once(*targets: Any) -> list[Any]:
    """Run the callables in threads released together; return their results (re-raising any error)."""
    start = threading.Barrier(len(targets))
    results: list[Any] = [None] * len(targets)

    def run(index: int, target: Any) -> None:
        try:
            start.wait()
            results[index] = target()
        except BaseException as error:
            results[index] = error
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_two_planners_at_once_send_each_reminder_once(actions: dict[str, Action]) -> None:
    at_once(tasks.plan_reminders, tasks.plan_reminders)
    assert digests() == {POLICE: 1, MANAGER: 1}
    assert Reminder.objects.count() == 4
    assert statuses() == {ReminderStatus.SENT: 4}
    bodies = {message.to[0]: message.body for message in mail.outbox}
    for reminder in Reminder.objects.select_related("recipient"):
        assert bodies[reminder.recipient.email].count(reminder.title) == 1


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_two_sends_at_once_for_one_person_send_one_digest(actions: dict[str, Action]) -> None:
    sending.record(planner.plan(DAY), DAY)
    police = recipient_id(POLICE)
    assert sorted(at_once(lambda: sending.send_digest(police), lambda: sending.send_digest(police))) == [0, 3]
    assert digests() == {POLICE: 1}
