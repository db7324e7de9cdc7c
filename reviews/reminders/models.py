"""Reminders: what the portal told whom about what, recorded before it is sent (exactly once).

A Reminder row is unique on (recipient, kind, item, window): the daily planner inserts rows with
"insert, ignore conflicts", so re-running a day or two planners at once cannot create a second one.
Sending claims a recipient's pending rows with one UPDATE … WHERE status = 'pending' (only one
claimer can win), sends one digest email, then marks the claimed rows sent. A worker killed after
claiming leaves rows in 'sending'; the sweep puts rows claimed longer ago than the lease back to
'pending', so nothing is dropped.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from partnerships.models import Partnership


class ReminderKind(models.TextChoices):
    ACTION_DUE = "action_due", "Action due"
    ACTION_OVERDUE_COPY = "action_overdue_copy", "Overdue actions (copy to the partnership manager)"
    QUARTER_UPDATE = "quarter_update", "Progress update for the quarter"
    MILESTONE_DUE = "milestone_due", "Milestone due"
    PLAN_REVIEW = "plan_review", "Annual plan review"
    ASSESSMENT_DUE = "assessment_due", "Next strategic assessment"
    REVIEW_DEADLINE = "review_deadline", "Review deadlines"
    RECOMMENDATION_DUE = "recommendation_due", "Review recommendation due"
    ANNUAL_REPORT = "annual_report", "Annual report to the crime and disorder committee"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class ReminderOffsets(models.Model):
    """A partnership's own reminder days for one kind (the defaults apply where there is no row)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reminder_offsets")
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    days_before = models.JSONField(default=list, help_text="Days before the due date, e.g. [14, 0]")
    weekly_when_overdue = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "reminder offsets"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind"], name="reminder_offsets_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.get_kind_display()}"


class ReminderOptOut(models.Model):
    """A person has turned off a non-statutory kind of reminder."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_outs")
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="reminder_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.person}: no {self.get_kind_display().lower()}"


class Reminder(models.Model):
    """One thing one person is reminded of, in one due window."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    item = models.CharField(max_length=60, help_text='What it is about, e.g. "action:123"')
    window = models.CharField(max_length=60, help_text='Which reminder for it, e.g. "before-14:2026-12-01"')
    due_on = models.DateField()
    title = models.CharField(max_length=300)
    path = models.CharField(max_length=200, help_text="The portal page to open")
    planned_for = models.DateField(help_text="The day whose run planned it")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    claim = models.CharField(max_length=36, blank=True, help_text="The send that claimed it")
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=100, blank=True, help_text="Message id from the mail gateway")
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ("-planned_for", "due_on", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "item", "window"], name="reminder_once_per_recipient_item_window"
            ),
        ]
        indexes = [
            # Serves the send task and the sweep: a recipient's pending rows, rows stuck in "sending".
            models.Index(fields=["status", "recipient"], name="reminder_queue_idx", condition=~Q(status="sent")),
            # Serves "Reminders sent to you": one person's reminders, newest first.
            models.Index(fields=["recipient", "-planned_for"], name="reminder_person_idx"),
            # Serves sending.record: how many of a day's reminders are new.
            models.Index(fields=["planned_for"], name="reminder_planned_for_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
