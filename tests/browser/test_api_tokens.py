"""The "API tokens" page in the browser: a partner officer makes a token (shown once), uses it, sees it listed
with its last use, and revokes it; the review lead enters a code before making one that reaches reviews;
and the API's docs page. Every page, and the form sent with bad input, passes axe (Portal.check) at full
width and at 320 px, under the portal's Content-Security-Policy.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from partnerships.models import ApiToken
from tests.browser.conftest import DEMO_LOGINS, Portal
from tests.browser.test_reviews import _code_from_secret, _enter_code, _printed_secrets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOKENS = "/accounts/api-tokens/"


def _api_status(portal: Portal, secret: str) -> int:
    response = portal.page.request.get(portal.url("/api/v1/actions/"), headers={"Authorization": f"Token {secret}"})
    return response.status


def test_an_officer_makes_uses_and_revokes_a_token(portal: Portal, demo: None) -> None:
    page = portal.page
    portal.sign_in(DEMO_LOGINS["police_officer"])
    page.locator(".app-header__account").get_by_role("link", name="API tokens").click()
    portal.expect_path(TOKENS)
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.locator("main")).to_contain_text("You have no tokens.")
    portal.check()

    portal.submit("Create token")
    assert portal.error_summary() == ["Enter a name for the token, like Power BI dashboard"]
    portal.check()

    page.get_by_label("Name").fill("Power BI dashboard")
    page.get_by_label("30 days").check()
    portal.submit("Create token")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Token Power BI dashboard created")
    secret = page.locator("#new-token").inner_text().strip()
    assert len(secret) == 64
    assert ApiToken.objects.get(name="Power BI dashboard").digest != secret
    portal.check()

    assert _api_status(portal, secret) == 200
    portal.open(TOKENS)
    expect(page.locator("main")).not_to_contain_text(secret)
    row = page.get_by_role("row", name="Power BI dashboard")
    expect(row).not_to_contain_text("Never")  # used a moment ago
    portal.check()

    portal.follow("Revoke Power BI dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke the token Power BI dashboard?")
    portal.check()
    portal.submit("Revoke token")
    portal.expect_path(TOKENS)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Token Power BI dashboard revoked")
    portal.check()
    assert _api_status(portal, secret) == 401


def test_the_review_lead_enters_a_code_before_making_a_token_that_reaches_reviews(portal: Portal, demo: None) -> None:
    secrets = _printed_secrets()
    page = portal.page
    portal.sign_in(DEMO_LOGINS["manager"])
    portal.open(TOKENS)
    portal.expect_path("/accounts/two-factor/verify/")
    _enter_code(portal, _code_from_secret(secrets[DEMO_LOGINS["manager"]]))
    portal.expect_path(TOKENS)
    expect(page.locator(".govuk-inset-text")).to_contain_text("Tokens made from now on can also read")
    page.get_by_label("Name").fill("Review tracker")
    portal.submit("Create token")
    secret = page.locator("#new-token").inner_text().strip()
    portal.check()
    response = page.request.get(portal.url("/api/v1/reviews/"), headers={"Authorization": f"Token {secret}"})
    assert response.status == 200
    assert response.json()["count"] == 2


def test_the_api_docs_page_passes_axe_without_any_script_of_its_own(portal: Portal, demo: None) -> None:
    portal.open("/api/docs/")
    expect(portal.page.get_by_role("heading", level=1)).to_have_text("API documentation")
    expect(portal.page.locator("#actions_partial_update")).to_be_visible()
    portal.check()
