"""Every page each demo role reaches passes axe-core's WCAG 2.2 AA rules, forms in their error state too.

`Portal.check` (conftest) also fails a page on any CSP refusal, script error or missing asset, and when
GOV.UK Frontend did not start. Django's own admin (/admin/) is Django's design and is not checked here.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_LOGINS, MEMBERS, SOUTHEND, Portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signed_out_pages_pass_axe(portal: Portal) -> None:
    portal.open("/accounts/sign-in/")
    portal.check()
    portal.submit("Sign in")
    assert portal.error_summary() == ["Enter your email address", "Enter your password"]
    portal.check()

    portal.follow("I have forgotten my password")
    portal.expect_path("/accounts/password/reset/")
    portal.check()
    portal.submit("Send the link")
    assert portal.error_summary() == ["Enter your email address"]
    portal.check()
    portal.page.get_by_label("Email address").fill("someone@example.org")
    portal.submit("Send the link")
    portal.expect_path("/accounts/password/reset/sent/")
    expect(portal.page.get_by_role("heading", level=1)).to_have_text("Check your email")
    portal.check()


# Pages only some roles reach: (path, HTTP status, main heading, table captions it shows).
ROLE_PAGES: dict[str, list[tuple[str, int, str, list[str]]]] = {
    # The county group member's own partnership lists its CSPs by local policing area.
    "county": [("/partnerships/safer-essex/", 200, "Safer Essex", ["North", "West", "South"])],
    # A partner officer may see Southend's people but not manage them.
    "police_officer": [(MEMBERS, 403, "You do not have permission to do this", [])],
}


@pytest.mark.parametrize("role", list(DEMO_LOGINS))
def test_pages_every_role_sees_pass_axe(portal: Portal, demo: None, role: str) -> None:
    page = portal.page
    heading = page.get_by_role("heading", level=1)
    portal.sign_in(DEMO_LOGINS[role])
    expect(heading).to_have_text("My partnerships")
    portal.check()

    portal.open("/partnerships/")
    expect(heading).to_have_text("Partnerships")
    portal.check()

    # Southend is a CSP in Safer Essex, so the county group member sees it too.
    portal.open(SOUTHEND)
    expect(heading).to_have_text("Southend-on-Sea")
    expect(page.locator("caption", has_text="Responsible authorities")).to_be_visible()
    portal.check()

    portal.open("/accounts/password/change/")
    portal.check()
    portal.submit("Change password")
    assert portal.error_summary() == [
        "Enter your current password",
        "Enter a new password",
        "Enter the new password again",
    ]
    portal.check()

    portal.open("/partnerships/does-not-exist/", status=404)
    expect(heading).to_have_text("Page not found")
    portal.check()

    for path, status, title, captions in ROLE_PAGES.get(role, []):
        portal.open(path, status=status)
        expect(heading).to_have_text(title)
        for caption in captions:
            expect(page.locator("caption", has_text=caption)).to_be_visible()
        portal.check()


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_membership_pages_and_their_errors_pass_axe(portal: Portal, demo: None, role: str) -> None:
    page = portal.page
    portal.sign_in(DEMO_LOGINS[role])
    portal.open(MEMBERS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage members")
    portal.check()

    portal.open(MEMBERS + "history/")
    expect(page.get_by_role("heading", level=1)).to_have_text("History of changes to members")
    portal.check()

    forms = [
        # (link on the members page, button, what the empty form says)
        (
            "Add an organisation",
            "Add organisation",
            [
                "Select the organisation to add",
                "Select the organisation's standing in the partnership",
                "Enter the date the membership starts",
            ],
        ),
        (
            "Add a person",
            "Add person",
            [
                "Enter the person's email address",
                "Select the organisation the person represents",
                "Select the person's role in the partnership",
                "Enter the date the role starts",
            ],
        ),
        ("Change standing of Essex Police", "Save standing", ["Select the organisation's standing in the partnership"]),
        ("End the membership of Essex Police", "End membership", ["Enter the date it ends"]),
        ("Change role of Claire Dawson", "Save role", ["Select the person's role in the partnership"]),
        ("End the role of Claire Dawson", "End role", ["Enter the date it ends"]),
    ]
    for link, button, errors in forms:
        portal.open(MEMBERS)
        portal.follow(link)
        portal.check()
        # Change forms start with the current value chosen: clear it to submit the form empty.
        page.evaluate("document.querySelectorAll('main input[type=radio]').forEach(r => { r.checked = false })")
        portal.submit(button)
        assert page.title().startswith("Error: "), link
        assert portal.error_summary() == errors, link
        _error_links_lead_to_fields(portal)
        expect(page.locator(".govuk-error-message")).to_have_count(len(errors))
        portal.check()


def _error_links_lead_to_fields(portal: Portal) -> None:
    """Each link in the error summary moves focus to its field (GOV.UK Frontend follows the link's #id)."""
    links = portal.page.locator(".govuk-error-summary__list a")
    for index, target in enumerate(links.evaluate_all("links => links.map(a => a.hash)")):
        field = portal.page.locator(target)
        expect(field).to_have_count(1)
        links.nth(index).click()
        expect(field).to_be_focused()


def test_partnership_page_prints_without_navigation(portal: Portal, demo: None) -> None:
    portal.sign_in(DEMO_LOGINS["chair"])
    portal.open(SOUTHEND)
    page = portal.page
    navigation = page.locator(".govuk-service-navigation")
    expect(navigation).to_be_visible()
    page.emulate_media(media="print")
    expect(navigation).to_be_hidden()
    expect(page.locator(".govuk-breadcrumbs")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("table").first).to_be_visible()
    page.emulate_media(media="screen")
    expect(navigation).to_be_visible()
