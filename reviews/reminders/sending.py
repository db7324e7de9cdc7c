"""Recording and sending reminders, exactly once (see reviews/reminders/models.py for the protocol)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import islice

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from partnerships.models import User
from reviews.reminders import gateway
from reviews.reminders.models import Reminder, ReminderStatus
from reviews.reminders.planner import Due

BATCH = 2000
# Attempts at sending a reminder before it is marked failed (visible in the admin).
MAX_ATTEMPTS = 6


def record(dues: Iterable[Due], day: date) -> int:
    """Insert the reminders, ignoring those already recorded (the unique key): re-runs add nothing.

    Returns how many were new.
    """
    days_rows = Reminder.objects.filter(planned_for=day)
    before = days_rows.count()
    iterator = iter(dues)
    while batch := list(islice(iterator, BATCH)):
        rows = [
            Reminder(
                recipient_id=d.recipient_id,
                partnership_id=d.partnership_id,
                kind=d.kind,
                item=d.item,
                window=d.window,
                due_on=d.due_on,
                title=d.title[:300],
                path=d.path,
                planned_for=day,
            )
            for d in batch
        ]
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return days_rows.count() - before


def recipients_waiting() -> list[int]:
    # order_by(): the model's default ordering would add its columns to the DISTINCT (one id per row).
    waiting = Reminder.objects.filter(status=ReminderStatus.PENDING).order_by()
    return list(waiting.values_list("recipient_id", flat=True).distinct())


class SendFailed(Exception):
    """The mail gateway refused or failed; the rows are pending again (or failed after MAX_ATTEMPTS)."""


def send_digest(recipient_id: int) -> int:
    """Claim the person's pending reminders, send them in one email, mark them sent. Returns how many.

    The claim is one UPDATE … WHERE status = 'pending': of two sends at once only one gets the rows.
    """
    claim = uuid.uuid4().hex
    now = timezone.now()
    claimed = Reminder.objects.filter(recipient_id=recipient_id, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.SENDING, claim=claim, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return 0
    items = list(Reminder.objects.filter(claim=claim).select_related("partnership").order_by("due_on", "pk"))
    recipient = User.objects.get(pk=recipient_id)
    try:
        provider_id = gateway.send_digest(recipient=recipient, reminders=items, reference=claim)
    except Exception as error:
        mine = Reminder.objects.filter(claim=claim, status=ReminderStatus.SENDING)
        mine.filter(attempts__gte=MAX_ATTEMPTS).update(status=ReminderStatus.FAILED, last_error=str(error)[:2000])
        mine.update(status=ReminderStatus.PENDING, claim="", claimed_at=None, last_error=str(error)[:2000])
        raise SendFailed(str(error)) from error
    Reminder.objects.filter(claim=claim, status=ReminderStatus.SENDING).update(
        status=ReminderStatus.SENT, sent_at=timezone.now(), provider_id=provider_id[:100], last_error=""
    )
    return len(items)


def release_stale_claims(lease: timedelta | None = None) -> int:
    """Rows claimed by a send that never finished (a killed worker) go back to pending."""
    lease = lease if lease is not None else timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    return Reminder.objects.filter(status=ReminderStatus.SENDING, claimed_at__lt=timezone.now() - lease).update(
        status=ReminderStatus.PENDING, claim="", claimed_at=None
    )
