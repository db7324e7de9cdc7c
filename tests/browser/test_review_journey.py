"""A domestic homicide review from notification to closure, entirely in the browser, on the demo data.

The review lead (manager@demo.example) signs in, passes the second factor with a code computed from
their demo key (reviews/demo.py), records a new notification for Southend-on-Sea CSP and starts scoping.
Only the partnership's chair may record the decision: the lead has no button for it and the step page
answers 403, so the chair signs in in a second browser (with their own key) and decides to hold a review.
The lead then takes every other step from the overview's next-step buttons, uploads the draft overview
report, pauses the review for the criminal trial and resumes it, goes through a "resubmit" answer from
the quality assurance panel, publishes and closes. After every step the overview shows the new stage and
the stage-changes table has its row; the access log finally lists the views of both people.

Dates run from 40 days ago to today, each step on or after the one before, as the services require.
"""

from __future__ import annotations

import re
from base64 import b32decode
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import BrowserContext, Locator, Page, expect

from reviews.demo import TOTP_SECRETS
from reviews.models import Review
from tests.browser.conftest import DEMO_LOGINS, SOUTHEND, Portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MANAGER, CHAIR = DEMO_LOGINS["manager"], DEMO_LOGINS["chair"]
MANAGER_NAME, CHAIR_NAME = "Priya Shah", "David Okafor"  # partnerships/demo.py
VERIFY = "/accounts/two-factor/verify/"
REFERENCE = "DHR 2026/09"
STAGE_CHANGES = "Every change of stage, earliest first"  # the stage-changes table's caption
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

Fill = Callable[[Page], None]


def _long(day: date) -> str:
    """A date as the pages show it ("j F Y")."""
    return f"{day.day} {day:%B %Y}"


def _enter_code(portal: Portal, email: str) -> None:
    """What the person's authenticator app shows now, from their demo key, typed into the verify page."""
    code = f"{TOTP(b32decode(TOTP_SECRETS[email])).token():06d}"
    expect(portal.page.get_by_role("heading", level=1)).to_have_text("Enter a code from your authenticator app")
    portal.page.get_by_label("Enter the 6-digit code from your authenticator app").fill(code)
    portal.submit("Continue")


def _fill_date(page: Page, legend: str, day: date) -> None:
    """A GOV.UK date input: the fieldset named by its legend, then its Day, Month and Year boxes."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


class Journey:
    """The review lead's tab on one review's overview, and what the overview should show by now."""

    def __init__(self, portal: Portal, overview: str) -> None:
        self.portal = portal
        self.page = portal.page
        self.overview = overview
        self.changes = 0  # rows in the stage-changes table so far

    def expect_stage(self, stage: str, on: date) -> None:
        """The overview shows the stage in its tag, and the stage-changes table ends with its row."""
        page = self.page
        self.portal.expect_path(self.overview)
        expect(page.get_by_role("list", name="Stage", exact=True).locator(".govuk-tag").first).to_have_text(stage)
        self.changes += 1
        rows = page.get_by_role("table", name=STAGE_CHANGES, exact=True).locator("tbody tr")
        expect(rows).to_have_count(self.changes)
        expect(rows.last.locator("th")).to_have_text(stage)
        expect(rows.last.locator("td").first).to_have_text(_long(on))

    def step(self, button: str, submit: str, fill: Fill, *, stage: str, on: date, check: bool = False) -> None:
        """Take a step from the overview's next-step button; `check` runs axe etc. on its form."""
        page = self.page
        self.portal.follow(button)
        expect(page.get_by_role("heading", level=1)).to_have_text(button)
        if check:
            self.portal.check()
        fill(page)
        self.portal.submit(submit)
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{REFERENCE} is now at “{stage}”")
        self.expect_stage(stage, on)

    def summary_value(self, key: str) -> Locator:
        """The value of the summary list row with this key (the clock's rows, for one)."""
        key_cell = self.page.locator("dt", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
        return self.page.locator(".govuk-summary-list__row").filter(has=key_cell).locator("dd")


def _dated(legend: str, day: date, **fields: str) -> Fill:
    """Fill the step's date and its text fields (by label)."""

    def fill(page: Page) -> None:
        _fill_date(page, legend, day)
        for label, value in fields.items():
            page.get_by_label(label, exact=True).fill(value)

    return fill


def test_review_goes_from_notification_to_closure_in_the_browser(
    portal: Portal, demo: None, new_context: Callable[..., BrowserContext], tmp_path: Path
) -> None:
    today = timezone.localdate()

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    notified, death, decided = day(-40), day(-45), day(-36)
    page = portal.page
    heading = page.get_by_role("heading", level=1)

    # 1. The review lead signs in, passes the second factor and records the notification.
    portal.sign_in(MANAGER)
    portal.follow("Domestic homicide reviews")
    portal.expect_path(VERIFY)
    _enter_code(portal, MANAGER)
    portal.expect_path("/reviews/")
    portal.follow("Record a new notification")
    portal.expect_path(SOUTHEND + "reviews/new/")
    expect(heading).to_have_text("Record a new notification")
    page.get_by_label("Reference", exact=True).fill(REFERENCE)
    _fill_date(page, "Date of the notification", notified)
    agency = page.get_by_label("Agency that notified the partnership", exact=True)
    police = agency.locator("option").filter(has_text=re.compile(r"^Essex Police \(")).inner_text()
    agency.select_option(label=police)  # "Essex Police (…its type)"
    _fill_date(page, "Date of death (optional)", death)
    page.get_by_label("Victim's pseudonym", exact=True).fill("Adult C")
    page.get_by_label("Perpetrator's pseudonym (optional)", exact=True).fill("Adult D")
    expect(page.get_by_label("Standard review", exact=True)).to_be_checked()
    portal.submit("Record the domestic homicide review")

    review = Review.objects.get(partnership__slug="southend-on-sea", reference=REFERENCE)
    journey = Journey(portal, f"/reviews/{review.pk}/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{REFERENCE} recorded")
    expect(heading).to_have_text(f"Domestic homicide review {REFERENCE}")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"Southend-on-Sea – {REFERENCE} (Adult C)")
    journey.expect_stage("Notification received", notified)
    portal.check()  # the overview, first of three

    journey.step(
        "Start scoping",
        "Record the start of scoping",
        _dated("Date scoping started", day(-38), **{"Note (optional)": "Scoping letters to 6 agencies"}),
        stage="Scoping",
        on=day(-38),
        check=True,  # step form 1
    )

    # 2. The decision is the chair's: the lead has no button for it, and the step page refuses them.
    expect(page.get_by_role("link", name="Record the decision")).to_have_count(0)
    expect(page.get_by_text("Next: Record the decision: by the partnership's chair")).to_be_visible()
    portal.open(journey.overview + "step/decision/", status=403)
    portal.assert_no_problems()

    chair = Portal(page=new_context().new_page(), base_url=portal.base_url, axe_source=portal.axe_source)
    chair.sign_in(CHAIR)
    chair.open(journey.overview)
    chair.expect_path(VERIFY)
    _enter_code(chair, CHAIR)
    chair.expect_path(journey.overview)
    chair.follow("Record the decision")
    expect(chair.page.get_by_role("heading", level=1)).to_have_text("Record the decision")
    chair.check()  # step form 2
    _fill_date(chair.page, "Date of the decision", decided)
    chair.page.get_by_label("Hold a review", exact=True).check()
    chair.page.get_by_label("Reasons for the decision", exact=True).fill(
        "Adult C was killed by her partner: the criteria are met. All partners agreed."
    )
    chair.submit("Record the decision")
    chair.expect_path(journey.overview)
    expect(chair.page.get_by_role("list", name="Stage", exact=True).locator(".govuk-tag").first).to_have_text(
        "Decision made"
    )
    chair.assert_no_problems()

    portal.open(journey.overview)
    journey.expect_stage("Decision made", decided)
    expect(page.get_by_role("table", name=STAGE_CHANGES, exact=True).locator("tbody tr").last).to_contain_text(
        CHAIR_NAME
    )

    # 3. The lead takes every remaining step from the overview's buttons.
    journey.step(
        "Record that the Home Office was told",
        "Record the notification",
        _dated(
            "Date the Home Office was told",
            decided,
            **{"The Home Office's response (optional)": "Acknowledged by the Home Office DHR team"},
        ),
        stage="Home Office notified",
        on=decided,
    )

    # The commission: submitted empty first (the error summary), then filled in.
    portal.follow("Commission the review")
    portal.check()  # step form 3
    portal.submit("Record the commission")
    assert portal.error_summary() == [
        "Enter the date the review was commissioned",
        "Enter the independent chair's name",
    ]
    portal.check()  # a step form with its errors
    _fill_date(page, "Date commissioned", day(-34))
    page.get_by_label("Independent chair", exact=True).fill("Helen Marsh")
    page.get_by_label(
        "The independent chair holds the Home Office-funded chairing certificate (AAFDA, Level 3)", exact=True
    ).check()
    portal.submit("Record the commission")
    journey.expect_stage("Commissioned", day(-34))
    expect(page.get_by_text("Helen Marsh", exact=True)).to_be_visible()

    def terms(page: Page) -> None:
        _fill_date(page, "Date agreed", day(-31))
        page.get_by_label("Version", exact=True).fill("1.0")
        _fill_date(page, "Start of the period under review", date(death.year - 3, 1, 1))
        _fill_date(page, "End of the period under review", death)

    journey.step(
        "Record the terms of reference",
        "Record the terms of reference",
        terms,
        stage="Terms of reference agreed",
        on=day(-31),
        check=True,  # step form 4
    )
    expect(page.get_by_text(f"{_long(date(death.year - 3, 1, 1))} to {_long(death)}")).to_be_visible()

    journey.step(
        "Start information gathering",
        "Record the start of information gathering",
        _dated("Date agencies were asked for their reports", day(-29)),
        stage="Information gathering",
        on=day(-29),
    )

    # Paused for the criminal trial, then resumed: the clock counts the days paused.
    portal.follow("Pause the review")
    _fill_date(page, "Date the pause starts", day(-27))
    page.get_by_label("Parallel criminal proceedings", exact=True).check()
    page.get_by_label("Details (optional)", exact=True).fill("The CPS asked the panel to wait for the trial")
    portal.submit("Pause the review")
    portal.expect_path(journey.overview)
    stage_list = page.get_by_role("list", name="Stage", exact=True)
    expect(stage_list.locator(".govuk-tag")).to_have_text(["Information gathering", "Paused"])
    expect(page.get_by_role("link", name="Start drafting")).to_have_count(0)
    expect(journey.summary_value("Days paused")).to_have_text("27")
    expect(journey.summary_value("Paused")).to_have_text(
        f"Paused since {_long(day(-27))} for parallel criminal proceedings"
    )
    portal.check()  # the overview, second of three: paused

    portal.follow("Resume the review")
    _fill_date(page, "Date the pause ended", day(-20))
    portal.submit("Resume the review")
    portal.expect_path(journey.overview)
    expect(stage_list.locator(".govuk-tag")).to_have_text(["Information gathering"])
    expect(journey.summary_value("Days paused")).to_have_text("7")
    pause_row = page.get_by_role("table", name="Pauses, earliest first", exact=True).locator("tbody tr")
    expect(pause_row).to_have_count(1)
    expect(pause_row).to_contain_text(f"Parallel criminal proceedings {_long(day(-27))} {_long(day(-20))}")

    journey.step(
        "Start drafting",
        "Record the start of drafting",
        _dated("Date drafting started", day(-18)),
        stage="Drafting",
        on=day(-18),
    )

    # The draft overview report, uploaded on the documents page.
    draft = tmp_path / "overview-report-draft-1.pdf"
    draft.write_bytes(PDF)
    portal.follow("Documents")
    portal.follow("Upload a document")
    page.get_by_label("Draft overview report", exact=True).check()
    page.get_by_label("Title", exact=True).fill("Overview report, draft 1")
    page.get_by_label("File", exact=True).set_input_files(draft)
    portal.submit("Upload document")
    portal.expect_path(journey.overview + "documents/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Overview report, draft 1 uploaded as version 1")
    drafts = page.get_by_role("table", name="Draft overview report", exact=True)
    expect(drafts).to_contain_text("overview-report-draft-1.pdf")
    portal.follow("Overview")

    def sign_off_and_submit(signed: date, submitted: date) -> None:
        journey.step(
            "Record the local sign-off",
            "Record the sign-off",
            _dated("Date signed off", signed, **{"Note (optional)": "Signed off by the panel and the board"}),
            stage="Local sign-off",
            on=signed,
        )
        journey.step(
            "Record the submission for quality assurance",
            "Record the submission",
            _dated("Date submitted", submitted),
            stage="Submitted to the Home Office quality assurance panel",
            on=submitted,
        )

    def qa_outcome(outcome: str, on: date, notes: str = "") -> Fill:
        def fill(page: Page) -> None:
            _fill_date(page, "Date of the Home Office letter", on)
            page.get_by_label(outcome, exact=True).check()
            if notes:
                page.get_by_label("What the panel said", exact=True).fill(notes)

        return fill

    sign_off_and_submit(day(-15), day(-13))
    journey.step(
        "Record the quality assurance outcome",
        "Record the outcome",
        qa_outcome("Changes asked for: resubmit", day(-10), "Explain the agencies' contact in the last year"),
        stage="Drafting",
        on=day(-10),
        check=True,  # step form 5
    )
    sign_off_and_submit(day(-8), day(-6))
    journey.step(
        "Record the quality assurance outcome",
        "Record the outcome",
        qa_outcome("Approved for publication", day(-4)),
        stage="Approved by the quality assurance panel",
        on=day(-4),
    )
    submissions = page.get_by_role("table", name="Submissions to the Home Office quality assurance panel", exact=True)
    expect(submissions.locator("tbody tr")).to_have_count(2)
    expect(submissions.locator("tbody tr").first).to_contain_text("Changes asked for: resubmit")
    expect(submissions.locator("tbody tr").last).to_contain_text("Approved for publication")

    address = "https://www.southend.gov.uk/domestic-homicide-reviews/dhr-2026-09"
    journey.step(
        "Record the publication",
        "Record the publication",
        _dated("Date published", day(-2), **{"Web address of the published report": address}),
        stage="Published",
        on=day(-2),
        check=True,  # step form 6
    )
    expect(page.get_by_role("link", name=address)).to_be_visible()

    journey.step(
        "Close the review",
        "Close the review",
        _dated("Date closed", today, **{"Why the review is closed": "Published, and the action plan handed over"}),
        stage="Closed",
        on=today,
    )

    # 4. Closed: the decision was in time, and the clock stops at closure.
    assert journey.changes == 16
    expect(page.get_by_text(f"This review is closed since {_long(today)}.")).to_be_visible()
    expect(page.get_by_role("link", name="Pause the review")).to_have_count(0)
    decision_deadline = page.locator("tr").filter(
        has=page.get_by_role("rowheader", name="Decision whether to hold a review", exact=True)
    )
    expect(decision_deadline).to_contain_text(f"Met on {_long(decided)}")
    expect(journey.summary_value("Days since the notification to closure")).to_have_text("40")
    expect(journey.summary_value("Days paused")).to_have_text("7")
    portal.check()  # the overview, third of three: closed

    # 5. The access log lists the views of both the lead and the chair.
    portal.follow("Access log")
    portal.check()
    person = page.get_by_label("Person", exact=True)
    for name, email in ((CHAIR_NAME, CHAIR), (MANAGER_NAME, MANAGER)):
        person.select_option(label=f"{name} ({email})")
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
        log = page.get_by_role("table", name="Views and downloads, newest first", exact=True).locator("tbody tr")
        expect(log.first).to_contain_text(email)
        expect(log.filter(has_text="Viewed: Overview").first).to_be_visible()
        expect(log.filter(has_text="Viewed: Record a step").first).to_be_visible()
        assert all(email in row for row in log.all_inner_texts())
