"""Saving what the reminder pages choose: a partnership's reminder days and a person's opt-outs."""

from __future__ import annotations

from django.db import transaction

from partnerships.models import Partnership, User
from reviews.reminders.models import ReminderOffsets, ReminderOptOut
from reviews.reminders.planner import DEFAULTS, STATUTORY, normalised
from reviews.reminders.windows import Offsets


def reminder_offsets_save(*, partnership: Partnership, offsets: dict[str, Offsets]) -> None:
    """One transaction: a kind equal to its default has no row; any other kind has one, up to date."""
    with transaction.atomic():
        for kind, chosen in offsets.items():
            if chosen == normalised(DEFAULTS[kind], kind):
                ReminderOffsets.objects.filter(partnership=partnership, kind=kind).delete()
            else:
                ReminderOffsets.objects.update_or_create(
                    partnership=partnership,
                    kind=kind,
                    defaults={
                        "days_before": list(chosen.days_before),
                        "weekly_when_overdue": chosen.weekly_when_overdue,
                    },
                )


def reminder_opt_outs_save(*, person: User, offered: list[str], switched_off: list[str]) -> None:
    """One transaction: the offered kinds switched off get a row, the others none (other rows stay)."""
    chosen = [kind for kind in offered if kind in switched_off and kind not in STATUTORY]
    with transaction.atomic():
        ReminderOptOut.objects.filter(person=person, kind__in=offered).exclude(kind__in=chosen).delete()
        ReminderOptOut.objects.bulk_create(
            [ReminderOptOut(person=person, kind=kind) for kind in chosen], ignore_conflicts=True
        )
