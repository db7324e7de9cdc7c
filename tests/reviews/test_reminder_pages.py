"""The reminder pages (reviews/views/reminders.py) and the reminders' admin (reviews/admin.py).

- A partnership's reminder days: what the page shows (defaults, working days, review kinds to managers
  only), bad input refused with the kind named and nothing saved, saves (a default deletes its row),
  and the planner reading what was saved.
- "Your reminders": only the person's own reminders, newest first, with their status in words; the
  opt-outs save, and statutory kinds cannot be switched off, not even by a crafted POST.
- The admin: staff see reminders of every other kind and their failures, never a review's; "send
  again" puts failed reminders back in the queue.
Who may open each page is declared in url_rules_reminders.py (the project's URL walk).
Time is pinned to 17 April 2026.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from reviews.reminders.models import Reminder, ReminderKind, ReminderOffsets, ReminderOptOut, ReminderStatus
from reviews.reminders.planner import CONFIGURABLE, DEFAULTS, STATUTORY, build_context
from reviews.reminders.windows import Offsets
from tests.conftest import Personas, sign_in

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 17)
REVIEW_KINDS = (ReminderKind.REVIEW_DEADLINE, ReminderKind.RECOMMENDATION_DUE)
NON_STATUTORY = [kind for kind in ReminderKind.values if kind not in STATUTORY]


@pytest.fixture(autouse=True)
def _pinned():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 4, 17, 9, 0, tzinfo=UTC), tick=False):
        yield


def _text(response: Any) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip())


def _errors(response: Any) -> list[str]:
    """The error summary's messages, in order."""
    parts = response.content.decode().split("govuk-error-summary__list", 1)
    if len(parts) < 2:
        return []
    items = parts[1].split("</ul>", 1)[0]
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip())
        for item in re.findall(r"<li>(.*?)</li>", items, re.S)
    ]


def _checkbox_values(response: Any, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', response.content.decode(), re.S)


def _settings_url(personas: Personas) -> str:
    return reverse("reminders:settings", args=[personas.csp.slug])


def _defaults_posted(kinds: Any = CONFIGURABLE) -> dict[str, str]:
    """The settings form answered with every kind at its default."""
    data: dict[str, str] = {}
    for kind in kinds:
        data[f"{kind}_days"] = ", ".join(str(day) for day in DEFAULTS[kind].days_before)
        if DEFAULTS[kind].weekly_when_overdue:
            data[f"{kind}_weekly"] = "on"
    return data


def _reminder(person: Any, personas: Personas, n: int, **fields: Any) -> Reminder:
    values: dict[str, Any] = {
        "recipient": person,
        "partnership": personas.csp,
        "kind": ReminderKind.ACTION_DUE,
        "item": f"action:{n}",
        "window": "before-14:2026-05-01",
        "due_on": date(2026, 5, 1),
        "title": f"Action A{n} Patrols in the town centre: due 1 May 2026",
        "path": f"/actions/{n}/",
        "planned_for": date(2026, 4, 17),
        **fields,
    }
    return Reminder.objects.create(**values)


# --- A partnership's reminder days -------------------------------------------------------------------


def test_the_manager_sees_every_kind_with_its_default(client, personas):
    sign_in(client, personas.manager)
    response = client.get(_settings_url(personas))
    assert response.status_code == 200
    text = _text(response)
    for kind in CONFIGURABLE:
        assert str(ReminderKind(kind).label) in text
    assert "Default: 14, 0 days before, then weekly while overdue" in text
    assert "Working days before the last day of the quarter" in text
    assert "Default: 10, 0 working days before (Monday to Friday)" in text
    page = response.content.decode()
    assert 'name="action_due_days" value="14, 0"' in page
    assert 'name="review_deadline_days" value="14, 7, 0"' in page
    # Weekly only where it applies: action due, review deadlines, recommendation due.
    assert sorted(re.findall(r'name="(\w+)_weekly"', page)) == sorted(
        ["action_due", "review_deadline", "recommendation_due"]
    )
    # The partnership's data, never a review.
    assert "DHR" not in text


def test_the_page_shows_the_partnerships_own_days(client, personas):
    ReminderOffsets.objects.create(
        partnership=personas.csp, kind=ReminderKind.ACTION_DUE, days_before=[21, 7], weekly_when_overdue=False
    )
    sign_in(client, personas.manager)
    page = client.get(_settings_url(personas)).content.decode()
    assert 'name="action_due_days" value="21, 7"' in page
    assert re.search(r'<input[^>]*name="action_due_weekly"[^>]*checked', page) is None
    assert re.search(r'<input[^>]*name="review_deadline_weekly"[^>]*checked', page)


def test_administrators_without_a_role_are_not_shown_the_review_kinds(client, personas):
    sign_in(client, personas.admin)
    response = client.get(_settings_url(personas))
    assert response.status_code == 200
    text = _text(response)
    assert "Action due" in text
    assert "Review deadlines" not in text
    assert "Review recommendation due" not in text


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("14; 0", "Action due: enter days as whole numbers separated by commas, like 14, 0"),
        ("fourteen", "Action due: enter days as whole numbers separated by commas, like 14, 0"),
        ("-1", "Action due: enter days as whole numbers separated by commas, like 14, 0"),
        ("1.5", "Action due: enter days as whole numbers separated by commas, like 14, 0"),
        ("", "Action due: enter the days before the due date, like 14, 0"),
        (" , ", "Action due: enter the days before the due date, like 14, 0"),
        ("366", "Action due: days must be from 0 to 365"),
        ("30, 20, 14, 7, 1, 0", "Action due: enter no more than 5 days"),
    ],
)
def test_bad_days_are_refused_with_the_kind_named_and_nothing_saved(client, personas, answer, message):
    sign_in(client, personas.manager)
    data = {**_defaults_posted(), "action_due_days": answer, "milestone_due_days": "3"}
    response = client.post(_settings_url(personas), data)
    assert response.status_code == 400
    assert _errors(response) == [message]
    assert "Error: Reminders" in response.content.decode()
    # The valid milestone answer is not saved either.
    assert not ReminderOffsets.objects.exists()


def test_the_quarterly_update_errors_speak_of_working_days(client, personas):
    sign_in(client, personas.manager)
    data = {**_defaults_posted(), "quarter_update_days": "ten", "plan_review_days": "400"}
    response = client.post(_settings_url(personas), data)
    assert response.status_code == 400
    assert _errors(response) == [
        "Progress update for the quarter: enter working days as whole numbers separated by commas, like 14, 0",
        "Annual plan review: days must be from 0 to 365",
    ]
    assert not ReminderOffsets.objects.exists()


def test_saving_keeps_rows_only_for_kinds_that_differ_from_the_default(client, personas):
    # A row that the save puts back to the default (deleted), and one that it changes (updated).
    ReminderOffsets.objects.create(partnership=personas.csp, kind=ReminderKind.MILESTONE_DUE, days_before=[3])
    ReminderOffsets.objects.create(partnership=personas.csp, kind=ReminderKind.PLAN_REVIEW, days_before=[90])
    other = ReminderOffsets.objects.create(
        partnership=personas.other_csp, kind=ReminderKind.ACTION_DUE, days_before=[1]
    )
    sign_in(client, personas.manager)
    data = {
        **_defaults_posted(),
        "action_due_days": "7,1 , 28",
        "quarter_update_days": "5",
        "plan_review_days": "45, 15",
        "review_deadline_days": "0, 7, 14, 14",  # the default, in another order and with a repeat
    }
    del data["action_due_weekly"]
    response = client.post(_settings_url(personas), data)
    assert response.status_code == 302
    assert response["Location"] == _settings_url(personas)
    rows = {
        row.kind: (row.days_before, row.weekly_when_overdue)
        for row in ReminderOffsets.objects.filter(partnership=personas.csp)
    }
    assert rows == {
        ReminderKind.ACTION_DUE: ([28, 7, 1], False),
        ReminderKind.QUARTER_UPDATE: ([5], False),
        ReminderKind.PLAN_REVIEW: ([45, 15], False),
    }
    assert ReminderOffsets.objects.filter(pk=other.pk).exists()  # another partnership's own days stay
    page = client.get(_settings_url(personas))
    assert "Reminder days for Riverton saved" in _text(page)
    assert 'name="action_due_days" value="28, 7, 1"' in page.content.decode()
    # The planner reads what was saved.
    context = build_context(TODAY)
    assert context.offsets_for(personas.csp.pk, ReminderKind.ACTION_DUE) == Offsets((28, 7, 1), False)
    assert context.offsets_for(personas.csp.pk, ReminderKind.MILESTONE_DUE) == DEFAULTS[ReminderKind.MILESTONE_DUE]


def test_switching_off_the_weekly_reminder_alone_is_a_change(client, personas):
    sign_in(client, personas.manager)
    data = _defaults_posted()
    del data["recommendation_due_weekly"]
    assert client.post(_settings_url(personas), data).status_code == 302
    row = ReminderOffsets.objects.get(partnership=personas.csp)
    assert (row.kind, row.days_before, row.weekly_when_overdue) == (ReminderKind.RECOMMENDATION_DUE, [14, 0], False)
    # Ticking it again is the default: the row goes.
    assert client.post(_settings_url(personas), _defaults_posted()).status_code == 302
    assert not ReminderOffsets.objects.exists()


def test_an_administrators_save_leaves_the_review_kinds_as_they_are(client, personas):
    ReminderOffsets.objects.create(
        partnership=personas.csp, kind=ReminderKind.REVIEW_DEADLINE, days_before=[30], weekly_when_overdue=True
    )
    sign_in(client, personas.admin)
    posted = {**_defaults_posted(), "review_deadline_days": "1"}  # a crafted answer for a kind not shown
    response = client.post(_settings_url(personas), {**posted, "action_due_days": "10"})
    assert response.status_code == 302
    assert ReminderOffsets.objects.get(kind=ReminderKind.REVIEW_DEADLINE).days_before == [30]
    assert ReminderOffsets.objects.get(kind=ReminderKind.ACTION_DUE).days_before == [10]


@pytest.mark.parametrize("role", ["chair", "police_officer", "scrutiny", "county_member"])
def test_people_who_are_not_managers_cannot_save(client, personas, role):
    sign_in(client, personas.by_role(role))
    response = client.post(_settings_url(personas), {**_defaults_posted(), "action_due_days": "1"})
    assert response.status_code == 403
    assert not ReminderOffsets.objects.exists()


def test_managers_of_another_partnership_do_not_learn_it_exists(client, personas):
    sign_in(client, personas.outsider)
    response = client.post(_settings_url(personas), {**_defaults_posted(), "action_due_days": "1"})
    assert response.status_code == 404
    assert not ReminderOffsets.objects.exists()


def test_the_partnership_page_links_managers_to_the_reminder_days(client, personas):
    detail = reverse("partnerships:detail", args=[personas.csp.slug])
    sign_in(client, personas.manager)
    assert f'href="{_settings_url(personas)}"' in client.get(detail).content.decode()
    sign_in(client, personas.chair)
    assert f'href="{_settings_url(personas)}"' not in client.get(detail).content.decode()


# --- Your reminders -----------------------------------------------------------------------------------


def test_people_see_only_their_own_reminders_newest_first_with_their_status(client, personas):
    mine = [
        _reminder(personas.manager, personas, 1, planned_for=date(2026, 4, 1), title="Oldest reminder"),
        _reminder(
            personas.manager,
            personas,
            2,
            planned_for=date(2026, 4, 10),
            title="Sent reminder",
            status=ReminderStatus.SENT,
            sent_at=datetime(2026, 4, 10, 7, 5, tzinfo=UTC),
        ),
        _reminder(
            personas.manager,
            personas,
            3,
            planned_for=date(2026, 4, 15),
            title="Failed reminder",
            status=ReminderStatus.FAILED,
            last_error="SMTP 554",
        ),
        _reminder(
            personas.manager, personas, 4, planned_for=date(2026, 4, 17), title="Newest reminder", path="/actions/4/"
        ),
    ]
    _reminder(personas.chair, personas, 5, title="The chair's reminder")
    Reminder.objects.filter(pk=mine[0].pk).update(status=ReminderStatus.SENDING)
    sign_in(client, personas.manager)
    response = client.get(reverse("reminders:mine"))
    assert response.status_code == 200
    text = _text(response)
    assert "Reminders sent to you" in text
    assert "The chair's reminder" not in text
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", response.content.decode(), re.S)[1:]
    cells = [
        [
            html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]
    assert cells == [
        ["17 April 2026", "Action due", "Newest reminder", "1 May 2026", "Waiting"],
        ["15 April 2026", "Action due", "Failed reminder", "1 May 2026", "Failed"],
        ["10 April 2026", "Action due", "Sent reminder", "1 May 2026", "Sent on 10 April 2026"],
        ["1 April 2026", "Action due", "Oldest reminder", "1 May 2026", "Waiting"],
    ]
    assert '<a class="govuk-link" href="/actions/4/">Newest reminder</a>' in response.content.decode()
    assert "SMTP 554" not in text  # the technical error is for administrators


def test_someone_with_no_reminders_is_told_so(client, personas):
    _reminder(personas.manager, personas, 1)
    sign_in(client, personas.nobody)
    response = client.get(reverse("reminders:mine"))
    assert "No reminders have been sent to you yet." in _text(response)
    assert "Patrols" not in _text(response)


def test_the_reminders_are_paginated(client, personas):
    for n in range(settings.PAGE_SIZE + 2):
        _reminder(personas.manager, personas, n, planned_for=date(2026, 1, 1 + n), title=f"Reminder number {n}")
    sign_in(client, personas.manager)
    first = _text(client.get(reverse("reminders:mine")))
    assert f"Reminder number {settings.PAGE_SIZE + 1}" in first
    assert "Reminder number 0 " not in first
    second = _text(client.get(reverse("reminders:mine") + "?page=2"))
    assert "Reminder number 0 " in second
    assert "Reminder number 1 " in second
    assert f"Reminder number {settings.PAGE_SIZE + 1}" not in second


def test_the_account_header_links_to_your_reminders(client, personas):
    sign_in(client, personas.police_officer)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("reminders:mine")}">Your reminders</a>' in page


def test_opt_outs_save_and_clear(client, personas):
    url = reverse("reminders:mine")
    sign_in(client, personas.manager)
    page = client.get(url)
    # The manager leads the CSP's reviews (nobody holds the review lead role): review kinds are listed.
    assert _checkbox_values(page, "switched_off") == NON_STATUTORY
    assert "always sent" in _text(page)
    for kind in STATUTORY:
        assert str(ReminderKind(kind).label) in _text(page)
    chosen = [ReminderKind.MILESTONE_DUE, ReminderKind.ACTION_OVERDUE_COPY]
    response = client.post(url, {"switched_off": chosen, "answered": "yes"})
    assert response.status_code == 302
    assert sorted(ReminderOptOut.objects.filter(person=personas.manager).values_list("kind", flat=True)) == sorted(
        chosen
    )
    page = client.get(url)
    assert "Your reminder choices are saved" in _text(page)
    checked = re.findall(r'<input[^>]*name="switched_off"[^>]*value="(\w+)"[^>]*checked', page.content.decode())
    assert sorted(checked) == sorted(chosen)
    # Clearing every box switches them all back on.
    assert client.post(url, {"answered": "yes"}).status_code == 302
    assert not ReminderOptOut.objects.exists()
    # The planner reads the choices.
    client.post(url, {"switched_off": [ReminderKind.ACTION_DUE], "answered": "yes"})
    context = build_context(TODAY)
    assert not context.wants(personas.manager.pk, ReminderKind.ACTION_DUE)
    assert context.wants(personas.manager.pk, ReminderKind.MILESTONE_DUE)


@pytest.mark.parametrize("kind", sorted(STATUTORY))
def test_statutory_kinds_cannot_be_switched_off_even_by_a_crafted_post(client, personas, kind):
    sign_in(client, personas.manager)
    response = client.post(
        reverse("reminders:mine"), {"switched_off": [ReminderKind.MILESTONE_DUE, kind], "answered": "yes"}
    )
    assert response.status_code == 400
    assert _errors(response) == ["Select only the reminders listed: statutory reminders cannot be switched off"]
    assert not ReminderOptOut.objects.exists()


def test_an_empty_post_saves_nothing(client, personas):
    ReminderOptOut.objects.create(person=personas.manager, kind=ReminderKind.MILESTONE_DUE)
    sign_in(client, personas.manager)
    response = client.post(reverse("reminders:mine"), {})
    assert response.status_code == 400
    assert _errors(response) == ["Choose the reminders you do not want, then save your choices"]
    assert ReminderOptOut.objects.filter(person=personas.manager, kind=ReminderKind.MILESTONE_DUE).exists()


def test_people_without_a_review_role_are_not_told_of_review_reminders(client, personas):
    url = reverse("reminders:mine")
    # Switched off while they sat on a panel: the choice stays when they save their other choices.
    ReminderOptOut.objects.create(person=personas.police_officer, kind=ReminderKind.RECOMMENDATION_DUE)
    sign_in(client, personas.police_officer)
    page = client.get(url)
    text = _text(page)
    assert "Review" not in text
    assert _checkbox_values(page, "switched_off") == [k for k in NON_STATUTORY if k not in REVIEW_KINDS]
    response = client.post(url, {"switched_off": [ReminderKind.RECOMMENDATION_DUE], "answered": "yes"})
    assert response.status_code == 400
    assert client.post(url, {"switched_off": [ReminderKind.ACTION_DUE], "answered": "yes"}).status_code == 302
    assert sorted(ReminderOptOut.objects.filter(person=personas.police_officer).values_list("kind", flat=True)) == [
        ReminderKind.ACTION_DUE,
        ReminderKind.RECOMMENDATION_DUE,
    ]


# --- The admin ----------------------------------------------------------------------------------------


def _admin_reminders(personas: Personas) -> dict[str, Reminder]:
    return {
        "waiting": _reminder(personas.police_officer, personas, 1, title="Action A1 waiting"),
        "failed": _reminder(
            personas.council_officer,
            personas,
            2,
            title="Action A2 failed",
            status=ReminderStatus.FAILED,
            attempts=6,
            last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
        ),
        "sent": _reminder(
            personas.manager,
            personas,
            3,
            kind=ReminderKind.MILESTONE_DUE,
            title="Milestone of action A3",
            status=ReminderStatus.SENT,
            attempts=1,
            sent_at=datetime(2026, 4, 17, 7, 1, tzinfo=UTC),
        ),
        "review": _reminder(
            personas.manager,
            personas,
            4,
            kind=ReminderKind.REVIEW_DEADLINE,
            item="review:1:abc",
            title="DHR 2026/01: decision whether to hold a review, overdue",
            status=ReminderStatus.FAILED,
            attempts=6,
            last_error="SMTP down",
        ),
        "recommendation": _reminder(
            personas.chair,
            personas,
            5,
            kind=ReminderKind.RECOMMENDATION_DUE,
            item="recommendation:1",
            title="DHR 2026/01: recommendation 1, target date 1 May 2026",
        ),
    }


def test_administrators_see_reminders_and_failures_but_no_review_reminder(client, personas):
    rows = _admin_reminders(personas)
    sign_in(client, personas.admin)
    response = client.get(reverse("admin:reviews_reminder_changelist"))
    assert response.status_code == 200
    text = _text(response)
    for key in ("waiting", "failed", "sent"):
        assert rows[key].title in text
    assert "council.officer@example.org" in text
    assert "SMTPRecipientsRefused: 550 mailbox unavailable" in text
    assert "DHR" not in text
    assert "SMTP down" not in text
    # The kind filter does not offer the review kinds, and asking for them shows nothing.
    assert "Review deadlines" not in text
    assert "Review recommendation due" not in text
    filtered = _text(client.get(reverse("admin:reviews_reminder_changelist") + "?kind=review_deadline"))
    assert "DHR" not in filtered
    failures = _text(client.get(reverse("admin:reviews_reminder_changelist") + "?status=failed"))
    assert "Action A2 failed" in failures
    assert "Action A1 waiting" not in failures
    found = _text(client.get(reverse("admin:reviews_reminder_changelist") + "?q=police.officer"))
    assert "Action A1 waiting" in found
    assert "Action A2 failed" not in found
    # A review reminder's own page is not found either.
    review_page = client.get(reverse("admin:reviews_reminder_change", args=[rows["review"].pk]), follow=True)
    assert "DHR" not in _text(review_page)
    assert client.get(reverse("admin:reviews_reminder_change", args=[rows["failed"].pk])).status_code == 200


def test_send_again_puts_failed_reminders_back_in_the_queue(client, personas):
    rows = _admin_reminders(personas)
    sign_in(client, personas.admin)
    selected = [row.pk for row in rows.values()]  # the review reminder's id too, as a crafted POST would
    response = client.post(
        reverse("admin:reviews_reminder_changelist"),
        {"action": "retry_failed", "_selected_action": selected},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 failed reminder will be sent again" in _text(response)
    for row in rows.values():
        row.refresh_from_db()
    assert (rows["failed"].status, rows["failed"].attempts) == (ReminderStatus.PENDING, 0)
    assert (rows["sent"].status, rows["sent"].attempts) == (ReminderStatus.SENT, 1)
    assert rows["waiting"].status == ReminderStatus.PENDING
    # Outside the admin's queryset: untouched.
    assert (rows["review"].status, rows["review"].attempts) == (ReminderStatus.FAILED, 6)


def test_reminders_are_read_only_in_the_admin(client, personas):
    rows = _admin_reminders(personas)
    sign_in(client, personas.admin)
    assert client.get(reverse("admin:reviews_reminder_add")).status_code == 403
    response = client.post(
        reverse("admin:reviews_reminder_change", args=[rows["failed"].pk]), {"status": ReminderStatus.SENT}
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:reviews_reminder_delete", args=[rows["failed"].pk])).status_code == 403
    rows["failed"].refresh_from_db()
    assert rows["failed"].status == ReminderStatus.FAILED


def test_offsets_and_opt_outs_are_listed_without_the_review_kinds(client, personas):
    ReminderOffsets.objects.create(partnership=personas.csp, kind=ReminderKind.ACTION_DUE, days_before=[21])
    ReminderOffsets.objects.create(partnership=personas.other_csp, kind=ReminderKind.REVIEW_DEADLINE, days_before=[3])
    ReminderOptOut.objects.create(person=personas.chair, kind=ReminderKind.MILESTONE_DUE)
    ReminderOptOut.objects.create(person=personas.manager, kind=ReminderKind.RECOMMENDATION_DUE)
    sign_in(client, personas.admin)
    offsets = _text(client.get(reverse("admin:reviews_reminderoffsets_changelist")))
    assert "Riverton" in offsets
    assert "Hillford" not in offsets
    opt_outs = _text(client.get(reverse("admin:reviews_reminderoptout_changelist")))
    assert "chair@example.org" in opt_outs
    assert "manager@example.org" not in opt_outs
    assert client.get(reverse("admin:reviews_reminderoffsets_add")).status_code == 403
    assert client.get(reverse("admin:reviews_reminderoptout_add")).status_code == 403


def test_no_other_reviews_model_is_in_the_admin():
    registered = {model.__name__ for model in admin.site._registry if model._meta.app_label == "reviews"}
    assert registered == {"Reminder", "ReminderOffsets", "ReminderOptOut"}
