"""What people do in the browser: sign in and out, see what their role allows, add a person.

Each page is also checked as in test_accessibility (axe, CSP, GOV.UK Frontend) where the journey shows
something the walk there does not: the sign-in error, the success banner, the history entry.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_LOGINS, DEMO_NAMES, MEMBERS, SOUTHEND, Portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_person_signs_in_from_a_link_and_signs_out(portal: Portal, demo: None) -> None:
    page = portal.page
    portal.open(SOUTHEND)
    portal.expect_path("/accounts/sign-in/")  # ?next=… keeps where they were going

    page.locator("#id_username").fill(DEMO_LOGINS["manager"])
    page.locator("#id_password").fill("not-the-password")  # one failure: far below the lockout limit
    portal.submit("Sign in")
    assert portal.error_summary() == ["Enter a correct email address and password"]
    portal.check()

    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    portal.submit("Sign in")
    portal.expect_path(SOUTHEND)
    expect(page.locator(".app-header__account")).to_contain_text(DEMO_NAMES["manager"])
    expect(page.locator(".app-header__partnership")).to_have_text("Southend-on-Sea")

    portal.sign_out()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator(".govuk-service-navigation")).to_have_count(0)
    portal.open(SOUTHEND)
    portal.expect_path("/accounts/sign-in/")


def test_scrutiny_member_sees_organisations_but_not_people(portal: Portal, demo: None) -> None:
    page = portal.page
    portal.sign_in(DEMO_LOGINS["scrutiny"])
    portal.open(SOUTHEND)
    expect(page.get_by_role("heading", name="Member organisations")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Essex Police")).to_be_visible()
    expect(page.get_by_role("heading", name="People")).to_have_count(0)
    expect(page.locator("a[href^='mailto:']")).to_have_count(0)
    expect(page.get_by_role("link", name="Manage members")).to_have_count(0)


def test_officer_opening_the_members_page_sees_the_permission_page(portal: Portal, demo: None) -> None:
    page = portal.page
    portal.sign_in(DEMO_LOGINS["police_officer"])
    portal.open(SOUTHEND)
    expect(page.get_by_role("heading", name="People")).to_be_visible()  # officers may see who is who
    expect(page.get_by_role("link", name="Manage members")).to_have_count(0)

    portal.open(MEMBERS, status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to do this")
    page.locator("main").get_by_role("link", name="Go to my partnerships").click()
    portal.expect_path("/")


def test_manager_adds_a_person_who_then_appears_in_the_history(portal: Portal, demo: None, mailoutbox: list) -> None:
    page = portal.page
    portal.sign_in(DEMO_LOGINS["manager"])
    portal.open(SOUTHEND)
    portal.follow("Manage members")
    portal.expect_path(MEMBERS)
    portal.follow("Add a person")
    portal.expect_path(MEMBERS + "people/add/")

    today = date.today()  # noqa: DTZ011 - the server runs in this process, on the same clock
    page.get_by_label("Email address").fill("jo.newton@demo.example")
    page.get_by_label("Full name").fill("Jo Newton")
    page.get_by_label("Job title (optional)").fill("Anti-social Behaviour Coordinator")
    page.get_by_label("Organisation they represent").select_option(label="Essex Police (Police force)")
    page.get_by_label("Partner officer").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    portal.submit("Add person")

    portal.expect_path(MEMBERS)
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Jo Newton added as partner officer for Essex Police")
    expect(banner).to_be_focused()  # role="alert": GOV.UK Frontend moves focus to it
    people = page.get_by_role("table", name="People and their roles")
    expect(people.get_by_role("rowheader", name="Jo Newton")).to_be_visible()
    portal.check()
    assert [message.to for message in mailoutbox] == [["jo.newton@demo.example"]]  # their invitation

    portal.follow("See the history of changes")
    latest = page.get_by_role("table", name="Changes, newest first").locator("tbody tr").first
    expect(latest).to_contain_text(DEMO_NAMES["manager"])
    expect(latest).to_contain_text("Jo Newton, partner officer for Essex Police")
    portal.check()
