"""The Django admin for reminders: what was sent, what is waiting and what failed, with a "send again"
action for failures. The partnerships' reminder days and the people's opt-outs are shown, read-mostly.

Need to know: administrators must not learn that reviews exist, so reminders of review deadlines and
review recommendations (and the settings and opt-outs of those kinds) are left out of every queryset
and filter here. No other model of the reviews app is registered: reviews are worked on in the portal's
own pages, by the people who may see them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from reviews.reminders.models import Reminder, ReminderKind, ReminderOffsets, ReminderOptOut, ReminderStatus
from reviews.reminders.planner import REVIEW_KINDS


class KindFilter(admin.SimpleListFilter):
    """Filter by kind, offering only the kinds administrators may see."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, str(text)) for value, text in ReminderKind.choices if value not in REVIEW_KINDS]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(kind=value) if value else queryset


class WithoutReviewKinds(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows of review kinds are left out (need to know); read-only, never added here."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).exclude(kind__in=REVIEW_KINDS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(WithoutReviewKinds):
    list_display = (
        "title",
        "status",
        "kind",
        "recipient_email",
        "due_on",
        "planned_for",
        "attempts",
        "error",
    )
    list_filter = ("status", KindFilter)
    search_fields = ("recipient__email",)
    list_select_related = ("recipient",)
    date_hierarchy = "planned_for"
    ordering = ("-planned_for", "pk")
    actions = ("retry_failed",)

    @admin.display(description="recipient email", ordering="recipient__email")
    def recipient_email(self, obj: Reminder) -> str:
        return obj.recipient.email

    @admin.display(description="last error")
    def error(self, obj: Reminder) -> str:
        text = obj.last_error
        return text if len(text) <= 120 else text[:119] + "…"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the record is what makes each reminder go out once

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("reviews.change_reminder"))

    @admin.action(description="Send the selected failed reminders again", permissions=["retry"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> None:
        count = queryset.filter(status=ReminderStatus.FAILED).update(
            status=ReminderStatus.PENDING, attempts=0, claim="", claimed_at=None
        )
        self.message_user(
            request,
            f"{count} failed reminder{'s' if count != 1 else ''} will be sent again with the next run "
            "(the sweep every 10 minutes, or manage.py send_reminders)",
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(ReminderOffsets)
class ReminderOffsetsAdmin(WithoutReviewKinds):
    """Partnerships' own reminder days (their managers edit them in the portal). Deleting a row goes
    back to the defaults."""

    list_display = ("partnership", "kind", "days_before", "weekly_when_overdue")
    list_filter = (KindFilter,)
    search_fields = ("partnership__name",)
    list_select_related = ("partnership",)
    ordering = ("partnership__name", "kind")


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(WithoutReviewKinds):
    """Kinds people have switched off (they choose on "Your reminders"). Deleting a row switches the kind
    back on for that person."""

    list_display = ("person_email", "kind")
    list_filter = (KindFilter,)
    search_fields = ("person__email",)
    list_select_related = ("person",)
    ordering = ("person__email", "kind")

    @admin.display(description="person", ordering="person__email")
    def person_email(self, obj: ReminderOptOut) -> str:
        return obj.person.email
