"""The reminder pages in the browser: the manager sets Southend's reminder days from the partnership page
and chooses their own reminders from the account header. Every page, and each form submitted with bad
input, passes axe (Portal.check) at full width and at 320 px.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.models import Partnership, User
from reviews.reminders.models import Reminder, ReminderKind, ReminderOffsets, ReminderOptOut, ReminderStatus
from tests.browser.conftest import DEMO_LOGINS, SOUTHEND, Portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _reminders_for(person: User, partnership: Partnership) -> None:
    """A sent, a failed and a waiting reminder, with long titles (the table must still fit at 320 px)."""
    today = timezone.localdate()
    for n, status in enumerate((ReminderStatus.SENT, ReminderStatus.FAILED, ReminderStatus.PENDING), start=1):
        Reminder.objects.create(
            recipient=person,
            partnership=partnership,
            kind=ReminderKind.ACTION_DUE,
            item=f"action:browser-{n}",
            window=f"before-14:{today + timedelta(days=14)}",
            due_on=today + timedelta(days=14),
            title=f"Action B{n} Reduce repeat victimisation of anti-social behaviour in the town centre: due soon",
            path=SOUTHEND,
            planned_for=today - timedelta(days=n),
            status=status,
            sent_at=timezone.now() if status == ReminderStatus.SENT else None,
        )


def _error_links_lead_to_fields(portal: Portal) -> None:
    """Each link in the error summary moves focus to its field."""
    links = portal.page.locator(".govuk-error-summary__list a")
    for index, target in enumerate(links.evaluate_all("links => links.map(a => a.hash)")):
        field = portal.page.locator(target)
        expect(field).to_have_count(1)
        links.nth(index).click()
        expect(field).to_be_focused()


def test_manager_sets_the_reminder_days_and_their_own_reminders(portal: Portal, demo: None) -> None:
    page = portal.page
    manager = User.objects.get(email=DEMO_LOGINS["manager"])
    southend = Partnership.objects.get(slug="southend-on-sea")
    _reminders_for(manager, southend)
    portal.sign_in(DEMO_LOGINS["manager"])

    # The partnership's reminder days, from the manager links on the partnership page.
    portal.open(SOUTHEND)
    portal.follow("Reminders")
    portal.expect_path(SOUTHEND + "reminders/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")
    portal.check()

    action_due = page.get_by_role("group", name="Action due")
    action_due.get_by_label("Days before the due date").fill("14; 0")
    page.get_by_role("group", name="Milestone due").get_by_label("Days before the due date").fill("400")
    portal.submit("Save reminder days")
    assert portal.error_summary() == [
        "Action due: enter days as whole numbers separated by commas, like 14, 0",
        "Milestone due: days must be from 0 to 365",
    ]
    assert not ReminderOffsets.objects.exists()
    _error_links_lead_to_fields(portal)
    portal.check()

    page.get_by_role("group", name="Action due").get_by_label("Days before the due date").fill("21, 7, 0")
    page.get_by_role("group", name="Milestone due").get_by_label("Days before the due date").fill("7")
    portal.submit("Save reminder days")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Reminder days for Southend-on-Sea saved")
    row = ReminderOffsets.objects.get(partnership=southend)
    assert (row.kind, row.days_before, row.weekly_when_overdue) == (ReminderKind.ACTION_DUE, [21, 7, 0], True)
    portal.check()

    # Their own reminders, from the account header.
    portal.follow("Your reminders")
    portal.expect_path("/accounts/reminders/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reminders")
    table = page.get_by_role("table", name="Reminders sent to you, newest first")
    expect(table.get_by_role("row")).to_have_count(4)
    expect(table.get_by_role("cell", name="Failed")).to_have_count(1)
    expect(table.get_by_role("cell", name=f"Sent on {timezone.localdate():%-d %B %Y}")).to_have_count(1)
    portal.check()

    # A crafted answer (a statutory kind where a checkbox was) is refused, and the page still passes.
    page.get_by_label("Milestone due").check()
    page.evaluate(
        """() => { document.querySelector('input[name=switched_off][value=milestone_due]').value = 'plan_review' }"""
    )
    portal.submit("Save your choices")
    assert portal.error_summary() == ["Select only the reminders listed: statutory reminders cannot be switched off"]
    assert not ReminderOptOut.objects.exists()
    _error_links_lead_to_fields(portal)
    portal.check()

    page.get_by_label("Milestone due").check()
    portal.submit("Save your choices")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your reminder choices are saved")
    assert list(ReminderOptOut.objects.filter(person=manager).values_list("kind", flat=True)) == [
        ReminderKind.MILESTONE_DUE
    ]
    expect(page.get_by_label("Milestone due")).to_be_checked()
    portal.check()
