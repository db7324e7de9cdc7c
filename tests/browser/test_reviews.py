"""Domestic homicide reviews in the browser, on the demo data (reviews/demo.py): the review lead signs in,
is asked for the code from their authenticator app (computed here from the key load_demo prints), and
every page of both demo reviews passes axe, CSP and reflow checks; so do the two-factor pages, enrolment
with its QR code, and forms submitted empty. The demo panel member opens their review and no other.
"""

from __future__ import annotations

import io
import re
from base64 import b32decode

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reviews.demo import PAUSED_REFERENCE, QA_REFERENCE
from reviews.models import Review
from tests.browser.conftest import DEMO_LOGINS, Portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VERIFY = "/accounts/two-factor/verify/"
TWO_FACTOR = "/accounts/two-factor/"
CODE_ERROR = "Enter the 6-digit code from your authenticator app"
# Clears every answer of the page's form (keeping its hidden fields) to submit it empty.
CLEAR_FORM = """() => {
    for (const el of document.querySelectorAll('main form[method=post] input, main form[method=post] textarea')) {
        if (el.type === 'radio' || el.type === 'checkbox') { el.checked = false; }
        else if (!['hidden', 'submit'].includes(el.type)) { el.value = ''; }
    }
    for (const select of document.querySelectorAll('main form[method=post] select')) { select.selectedIndex = 0; }
}"""


def _printed_secrets() -> dict[str, str]:
    """The demo keys as load_demo prints them (running it again changes nothing)."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    block = out.getvalue().split("Second factor for review pages (add to an authenticator app)", 1)[1]
    return {email: secret.replace(" ", "") for email, secret in re.findall(r"(\S+@\S+) +((?:[A-Z2-7]{4} ?){8})", block)}


def _code_from_secret(secret: str) -> str:
    """What an authenticator app shows for this base32 key now."""
    return f"{TOTP(b32decode(secret)).token():06d}"


def _enter_code(portal: Portal, code: str) -> None:
    portal.page.get_by_label("Enter the 6-digit code from your authenticator app").fill(code)
    portal.submit("Continue")


def _submit_empty(portal: Portal) -> list[str]:
    """Clear the page's form, submit it, and return the error summary."""
    page = portal.page
    page.evaluate(CLEAR_FORM)
    with page.expect_navigation():
        page.locator("main form[method=post] [type=submit]").first.click()
    return portal.error_summary()


def _review_pages(review: Review) -> list[str]:
    base = f"/reviews/{review.pk}/"
    pages = [
        base,
        base + "edit/",
        base + "panel/",
        base + "agencies/",
        base + "family/",
        base + "documents/",
        base + "recommendations/",
        base + "history/",
        base + "access-log/",
    ]
    recommendation = review.recommendations.order_by("number").first()
    if recommendation is not None:
        pages += [
            f"{base}recommendations/{recommendation.pk}/",
            f"{base}recommendations/{recommendation.pk}/progress/",
        ]
    if review.pauses.filter(ended_on__isnull=True).exists():
        pages += [base + "step/drafting/", base + "resume/"]
    else:
        pages += [base + "step/qa-outcome/", base + "pause/"]
    return pages


def _check_all(portal: Portal, paths: list[str]) -> list[str]:
    """Open and check each page; every failure is collected, so one run names every page that fails."""
    failures = []
    for path in paths:
        try:
            portal.open(path)
            portal.check()
        except AssertionError as error:
            failures.append(f"{path}: {str(error).splitlines()[0]}")
            portal.problems.clear()
    return failures


def test_review_lead_enters_the_code_then_every_review_page_passes_axe(portal: Portal, demo: None) -> None:
    secrets = _printed_secrets()
    assert set(secrets) == {"manager@demo.example", "chair@demo.example", "reviewer@demo.example"}
    page = portal.page
    heading = page.get_by_role("heading", level=1)
    portal.sign_in(DEMO_LOGINS["manager"])
    # The menu offers the reviews; opening them asks for the code first.
    portal.follow("Domestic homicide reviews")
    portal.expect_path(VERIFY)
    expect(heading).to_have_text("Enter a code from your authenticator app")
    portal.check()
    assert _submit_empty(portal) == [CODE_ERROR]
    portal.check()
    _enter_code(portal, _code_from_secret(secrets["manager@demo.example"]))
    portal.expect_path("/reviews/")
    expect(page.get_by_role("link", name=PAUSED_REFERENCE)).to_be_visible()
    expect(page.get_by_role("link", name=QA_REFERENCE)).to_be_visible()

    paused, at_qa = Review.objects.get(reference=PAUSED_REFERENCE), Review.objects.get(reference=QA_REFERENCE)
    pages = [
        "/reviews/",
        *_review_pages(paused),
        *_review_pages(at_qa),
        "/partnerships/southend-on-sea/reviews/recommendations/",
        "/partnerships/southend-on-sea/reviews/rules/",
        TWO_FACTOR,
        VERIFY,
    ]
    failures = _check_all(portal, pages)

    # Forms submitted empty show their errors, and still pass.
    for path in (f"/reviews/{at_qa.pk}/pause/", f"/reviews/{paused.pk}/step/drafting/", TWO_FACTOR):
        try:
            portal.open(path)
            assert _submit_empty(portal), f"{path}: no error summary"
            portal.check()
        except AssertionError as error:
            failures.append(f"{path} submitted empty: {str(error).splitlines()[0]}")
            portal.problems.clear()
    assert failures == [], "Review pages that fail:\n  " + "\n  ".join(failures)


def test_panel_member_enters_the_code_and_opens_their_review_only(portal: Portal, demo: None) -> None:
    secret = _printed_secrets()["reviewer@demo.example"]
    paused, at_qa = Review.objects.get(reference=PAUSED_REFERENCE), Review.objects.get(reference=QA_REFERENCE)
    portal.sign_in(DEMO_LOGINS["reviewer"])
    portal.open(f"/reviews/{paused.pk}/")
    portal.expect_path(VERIFY)
    _enter_code(portal, _code_from_secret(secret))
    portal.expect_path(f"/reviews/{paused.pk}/")
    expect(portal.page.get_by_role("heading", level=1)).to_be_visible()
    portal.check()
    portal.open(f"/reviews/{at_qa.pk}/", status=404)
    portal.open("/reviews/")
    expect(portal.page.get_by_role("link", name=QA_REFERENCE)).to_have_count(0)
    portal.check()
    # Signing out ends the verification: after signing in again, the code is asked for again.
    portal.sign_out()
    portal.sign_in(DEMO_LOGINS["reviewer"])
    portal.open(f"/reviews/{paused.pk}/")
    portal.expect_path(VERIFY)


def test_chair_without_an_app_sets_one_up_from_the_qr_code_page(portal: Portal, demo: None) -> None:
    TOTPDevice.objects.filter(user__email=DEMO_LOGINS["chair"]).delete()
    page = portal.page
    portal.sign_in(DEMO_LOGINS["chair"])
    portal.open("/reviews/")
    portal.expect_path(TWO_FACTOR)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    key = page.locator("#setup-key").inner_text()
    assert re.fullmatch(r"(?:[A-Z2-7]{4} ){7}[A-Z2-7]{4}", key)
    portal.check()
    portal.submit("Confirm the code")
    assert portal.error_summary() == [CODE_ERROR]
    portal.check()
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(
        _code_from_secret(key.replace(" ", ""))
    )
    portal.submit("Confirm the code")
    portal.expect_path("/reviews/")
    expect(page.get_by_text("Your authenticator app is set up")).to_be_visible()
    portal.check()
    portal.open(TWO_FACTOR)
    expect(page.get_by_text("Replace your authenticator app").first).to_be_visible()
    expect(page.locator("#setup-key")).to_have_count(0)
    portal.check()
