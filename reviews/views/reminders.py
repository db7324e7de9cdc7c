"""The reminder pages: a partnership's reminder days (its managers), and "Your reminders" (everyone
signed in): the reminders sent to the person, and the kinds they have switched off.

The planner (reviews/reminders/planner.py) reads what these pages save: ReminderOffsets rows where a
partnership differs from the defaults, ReminderOptOut rows for the kinds a person does not want.

Need to know: review deadlines and recommendation reminders are shown only to those who may know the
partnership holds reviews — on the settings page its managers (not administrators without a role),
on "Your reminders" people with a review role. Neither page names a review, except in the person's own
reminders, which were sent to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from csp_portal.pages import GET_AND_POST, actor, form_page, form_status, page_of
from partnerships.forms import posted
from partnerships.models import Partnership, PartnershipKind, Role, User
from partnerships.permissions import get_partnership_for_user, roles_in
from reviews.forms.reminders import ReminderOptOutForm, ReminderSettingsForm, label
from reviews.permissions import has_review_access
from reviews.reminders.models import Reminder, ReminderKind, ReminderOffsets, ReminderOptOut, ReminderStatus
from reviews.reminders.planner import CONFIGURABLE, REVIEW_KINDS, STATUTORY, WEEKLY_KINDS, WORKING_DAY_KINDS
from reviews.reminders.windows import Offsets
from reviews.services.reminders import reminder_offsets_save, reminder_opt_outs_save

# --- A partnership's reminder days --------------------------------------------------------------------


def settable_kinds(user: Any, partnership: Partnership) -> list[str]:
    """The kinds this person sets for the partnership: review kinds only for a CSP's own managers."""
    sees_reviews = partnership.kind == PartnershipKind.CSP and Role.MANAGER in roles_in(user, partnership)
    return [kind for kind in CONFIGURABLE if sees_reviews or kind not in REVIEW_KINDS]


@login_required
@GET_AND_POST
def reminder_settings(request: HttpRequest, ref: str) -> HttpResponse:
    """When the partnership's people are reminded of each kind of thing: its managers edit the days."""
    partnership = get_partnership_for_user(request.user, ref, for_write=True)
    kinds = settable_kinds(request.user, partnership)
    current = {
        kind: Offsets(tuple(days), weekly)
        for kind, days, weekly in ReminderOffsets.objects.filter(partnership=partnership, kind__in=kinds).values_list(
            "kind", "days_before", "weekly_when_overdue"
        )
    }
    form = ReminderSettingsForm(posted(request), kinds=kinds, current=current)
    if request.method == "POST" and form.is_valid():
        reminder_offsets_save(partnership=partnership, offsets=form.offsets())
        messages.success(request, f"Reminder days for {partnership.name} saved")
        return redirect("reminders:settings", ref=partnership.slug)
    return form_page(
        request,
        "reviews/reminders/settings.html",
        form,
        partnership=partnership,
        weekly_kinds=[label(kind) for kind in kinds if kind in WEEKLY_KINDS],
        working_day_kinds=[label(kind) for kind in kinds if kind in WORKING_DAY_KINDS],
        statutory=[label(kind) for kind in kinds if kind in STATUTORY],
    )


# --- Your reminders ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRow:
    planned_for: date
    kind: str
    title: str
    href: str | None
    due_on: date
    status: str  # waiting, sent, failed
    sent_at: datetime | None


def _row(reminder: Reminder) -> ReminderRow:
    if reminder.status == ReminderStatus.SENT:
        status = "sent"
    elif reminder.status == ReminderStatus.FAILED:
        status = "failed"
    else:
        status = "waiting"  # pending, or being sent right now
    # A portal path (the planner's reverse()); anything else is shown without a link.
    href = reminder.path if reminder.path.startswith("/") and not reminder.path.startswith("//") else None
    return ReminderRow(
        reminder.planned_for,
        reminder.get_kind_display(),
        reminder.title,
        href,
        reminder.due_on,
        status,
        reminder.sent_at,
    )


def _kinds_for(user: User) -> tuple[list[str], list[str]]:
    """(kinds the person may switch off, statutory kinds always sent) — review kinds for review people only."""
    reviews = has_review_access(user)
    shown = [kind for kind in ReminderKind.values if reviews or kind not in REVIEW_KINDS]
    return [kind for kind in shown if kind not in STATUTORY], [kind for kind in shown if kind in STATUTORY]


@login_required
@GET_AND_POST
def my_reminders(request: HttpRequest) -> HttpResponse:
    """The reminders sent to the person, newest first, and the kinds they have switched off."""
    person = actor(request)
    switchable, always = _kinds_for(person)
    opted_out = set(ReminderOptOut.objects.filter(person=person).values_list("kind", flat=True))
    form = ReminderOptOutForm(
        posted(request),
        kinds=switchable,
        initial={"switched_off": [kind for kind in switchable if kind in opted_out]},
    )
    if request.method == "POST" and form.is_valid():
        reminder_opt_outs_save(person=person, offered=switchable, switched_off=form.cleaned_data["switched_off"])
        messages.success(request, "Your reminder choices are saved")
        return redirect("reminders:mine")
    page = page_of(request, Reminder.objects.filter(recipient=person).order_by("-planned_for", "-pk"))
    context = {
        "form": form,
        "page": page,
        "rows": [_row(reminder) for reminder in page.object_list],
        "always": [label(kind) for kind in always],
    }
    return render(request, "reviews/reminders/mine.html", context, status=form_status(form))
