"""Celery tasks for reminders: a daily planner that records what is due and fans out one small send
per recipient, and a sweep that recovers sends a dead worker left half done. The schedule is in
csp_portal/celery.py."""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from reviews.reminders import planner, sending

logger = logging.getLogger(__name__)


def _fan_out(recipients: list[int]) -> None:
    """One send task per person; one failure (raised here only when tasks run in-process) never stops the rest."""
    for recipient_id in recipients:
        try:
            send_reminders_to.delay(recipient_id)
        except Exception:
            logger.exception("Reminder digest for person %s failed; it stays pending", recipient_id)


@shared_task(name="reviews.plan_reminders")
def plan_reminders(day: str | None = None) -> dict[str, int]:
    """Record today's reminders (a re-run records nothing new), then queue one digest per person."""
    run_day = date.fromisoformat(day) if day else timezone.localdate()
    recorded = sending.record(planner.plan(run_day), run_day)
    recipients = sending.recipients_waiting()
    _fan_out(recipients)
    return {"planned": recorded, "recipients": len(recipients)}


@shared_task(
    name="reviews.send_reminders_to",
    bind=True,
    autoretry_for=(sending.SendFailed,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=sending.MAX_ATTEMPTS,
    acks_late=True,
)
def send_reminders_to(self, recipient_id: int) -> int:  # type: ignore[no-untyped-def]
    """One person's digest. A mail error puts the rows back and retries with back-off."""
    return sending.send_digest(recipient_id)


@shared_task(name="reviews.sweep_reminders")
def sweep_reminders() -> dict[str, int]:
    """Claims older than the lease (a killed worker) go back to pending; queue everyone still waiting."""
    released = sending.release_stale_claims()
    recipients = sending.recipients_waiting()
    _fan_out(recipients)
    return {"released": released, "recipients": len(recipients)}
