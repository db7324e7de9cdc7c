"""Scrutiny in the browser: the scrutiny member reads Southend's dashboard and filters it, the county member
reads the Safer Essex roll-up, and the manager writes, publishes and downloads an annual report. Every page
and every form submitted wrong passes Portal.check (axe WCAG 2.2 AA, no CSP or script error, 320 px reflow).

The demo gives Southend an agreed action plan for 2026/27 (13 actions under the four priorities of its
2022 to 2025 strategy) and two annual reports: 2024/25 published, 2026/27 a draft (actionplans/demo.py).
The dashboard shows 2026/27 whatever today's date (the year the plans cover nearest to today), so the
counts asserted here are of actions by their dates, never of RAG or flags, which move with the clock.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, expect

from actionplans.models import AnnualReport, AnnualReportStatus
from tests.browser.conftest import DEMO_LOGINS, SOUTHEND, Portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARD = SOUTHEND + "dashboard/"
REPORTS = SOUTHEND + "annual-reports/"
ROLL_UP = "/partnerships/safer-essex/roll-up/"
BARNET_DASHBOARD = "/partnerships/E22000187/dashboard/"
STRATEGY = "Community safety partnership strategy 2022 to 2025"
PRIORITIES = [
    "Safe and confident communities",
    "Reducing violence against women and girls",
    "Reducing hate crime",
    "Reducing knife enabled serious violence",
]
REPORT_TITLE = "Southend-on-Sea: annual report to the crime and disorder committee 2023/24"


def _actions(portal: Portal) -> str:
    """The "Actions" figure of the dashboard's summary ("At a glance")."""
    row = portal.page.locator(".govuk-summary-list__row", has=portal.page.locator("dt", has_text="Actions"))
    return row.locator("dd").inner_text().strip()


def _priority_rows(portal: Portal) -> Locator:
    table = portal.page.get_by_role("table", name="Actions by priority, RAG and flags")
    return table.locator("tbody tr")


def _apply_filters(portal: Portal) -> None:
    with portal.page.expect_navigation():
        portal.page.get_by_role("button", name="Apply filters").click()


def test_scrutiny_member_reads_and_filters_the_dashboard_and_reads_the_published_report(
    portal: Portal, demo: None
) -> None:
    page = portal.page
    portal.sign_in(DEMO_LOGINS["scrutiny"])
    portal.open(DASHBOARD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_text(f"{STRATEGY}, 2026/27.")).to_be_visible()
    assert _actions(portal) == "13"
    expect(_priority_rows(portal).locator("th")).to_have_text(PRIORITIES)
    # The chart says in words what it draws, and the table beside it has the same numbers.
    expect(page.get_by_role("img", name="Actions by RAG for each priority")).to_be_visible()
    expect(page.get_by_role("heading", name="Outcome measures")).to_be_visible()
    expect(page.get_by_role("table", name="Budget and spend by funding source")).to_be_visible()
    # Southend's strategic assessment (2022) is approved but holds no crime data.
    expect(page.get_by_text("No approved strategic assessment with crime data yet.")).to_be_visible()
    # Read-only: no form that changes anything, no people's names.
    expect(page.locator("main form[method=post]")).to_have_count(0)
    expect(page.get_by_text("Claire Dawson")).to_have_count(0)
    portal.check()

    page.get_by_label("Priority", exact=True).select_option(label="Reducing hate crime")
    _apply_filters(portal)
    expect(page.get_by_text(f"{STRATEGY}, 2026/27: the actions that match the filters.")).to_be_visible()
    expect(_priority_rows(portal).locator("th")).to_have_text(["Reducing hate crime"])
    assert _actions(portal) == "3"
    portal.check()

    page.get_by_label("Lead organisation", exact=True).select_option(label="South Essex Homes")
    _apply_filters(portal)
    assert _actions(portal) == "1"  # 3.3, the reporting centres in housing offices
    # The priority chosen before is kept.
    expect(page.get_by_label("Priority", exact=True).locator("option:checked")).to_have_text("Reducing hate crime")

    portal.follow("Clear filters")
    assert _actions(portal) == "13"
    expect(_priority_rows(portal)).to_have_count(len(PRIORITIES))

    # 2024/25, the strategy's last year: its measures, and none of the 2026/27 plan's actions.
    page.get_by_label("Plan year", exact=True).select_option(label=f"2024/25 ({STRATEGY})")
    _apply_filters(portal)
    expect(page.get_by_text(f"{STRATEGY}, 2024/25.")).to_be_visible()
    assert _actions(portal) == "0"
    expect(page.get_by_text("No actions are overdue.")).to_be_visible()
    portal.check()

    # The published report, never the draft.
    portal.open(DASHBOARD)
    portal.follow("Annual reports to the crime and disorder committee")
    portal.expect_path(REPORTS)
    expect(page.get_by_role("link", name="Start an annual report")).to_have_count(0)
    reports = page.get_by_role("table", name="Annual reports, newest first").locator("tbody tr")
    expect(reports).to_have_count(1)
    expect(reports.first).to_contain_text("2024/25")
    portal.check()
    portal.follow("Southend-on-Sea: annual report to the crime and disorder committee 2024/25")
    expect(page.get_by_role("link", name="Write the report")).to_have_count(0)
    expect(page.get_by_text("Anti-social behaviour incidents fell to 4,930")).to_be_visible()
    portal.check()
    draft = AnnualReport.objects.get(partnership__slug="southend-on-sea", status=AnnualReportStatus.DRAFT)
    portal.open(f"/annual-reports/{draft.pk}/", status=404)


def test_county_member_reads_the_roll_up_but_not_a_partnerships_dashboard(portal: Portal, demo: None) -> None:
    page = portal.page
    portal.sign_in(DEMO_LOGINS["county"])
    portal.open(ROLL_UP)
    expect(page.get_by_role("heading", level=1)).to_have_text("County roll-up")
    south = page.get_by_role("table", name="Partnerships in South: actions and measures")
    southend = south.get_by_role("row", name="Southend-on-Sea")
    expect(southend.locator("td").first).to_have_text("13")
    for area in ("North", "West", "South"):
        expect(page.get_by_role("heading", name=area, exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Actions by RAG in each of Safer Essex's partnerships")).to_be_visible()
    portal.check()

    portal.open(DASHBOARD, status=403)


def test_administrator_sees_a_crime_profile_on_the_dashboard(portal: Portal, demo: None) -> None:
    # Barnet's demo assessment is the approved one with police.uk data (it has no plan).
    page = portal.page
    portal.sign_in(DEMO_LOGINS["admin"])
    portal.open(BARNET_DASHBOARD)
    expect(page.get_by_text("There is no partnership plan to show yet.")).to_be_visible()
    expect(page.get_by_role("table", name="The largest categories: this period against the one before")).to_be_visible()
    expect(page.get_by_role("img", name="Crimes by category")).to_be_visible()
    portal.check()


def test_manager_writes_publishes_and_downloads_an_annual_report(portal: Portal, demo: None, tmp_path: Path) -> None:
    page = portal.page
    heading = page.get_by_role("heading", level=1)
    portal.sign_in(DEMO_LOGINS["manager"])
    portal.open(REPORTS)
    expect(heading).to_have_text("Annual reports to the crime and disorder committee")
    expect(page.get_by_role("table", name="Annual reports, newest first").locator("tbody tr")).to_have_count(2)
    portal.check()

    portal.follow("Start an annual report")
    expect(heading).to_have_text("Start an annual report")
    portal.check()
    portal.submit("Start the report")
    assert page.title().startswith("Error: ")
    assert portal.error_summary() == ["Choose the year the report covers"]
    portal.check()
    # A year that already has its report is refused by the service, with the field's error.
    page.get_by_label("Year the report covers").select_option(label=f"2024/25: {STRATEGY}")
    portal.submit("Start the report")
    assert portal.error_summary() == ["There is already an annual report for 2024/25"]
    portal.check()
    page.get_by_label("Year the report covers").select_option(label=f"2023/24: {STRATEGY}")
    page.get_by_label("Committee").fill("Place Scrutiny Committee")
    portal.submit("Start the report")
    expect(heading).to_have_text(REPORT_TITLE)
    expect(page.locator(".govuk-tag", has_text="Draft")).to_be_visible()
    report = AnnualReport.objects.get(title=REPORT_TITLE)
    portal.expect_path(f"/annual-reports/{report.pk}/")
    portal.check()

    # Publishing needs the summary.
    portal.follow("Publish")
    expect(heading).to_have_text("Publish the report")
    portal.check()
    portal.submit("Publish the report")
    assert portal.error_summary() == ["Write the summary before publishing the report"]
    portal.check()

    portal.open(f"/annual-reports/{report.pk}/")
    portal.follow("Write the report")
    expect(heading).to_have_text("Write the report")
    portal.check()
    page.get_by_label("Title").fill("")
    portal.submit("Save the report")
    assert page.title().startswith("Error: ")
    assert portal.error_summary() == ["Enter a title"]
    portal.check()
    page.get_by_label("Title").fill(REPORT_TITLE)
    page.get_by_label("Summary").fill("A year of steady progress on all four priorities.")
    page.get_by_label("Successes").fill("Anti-social behaviour fell in seven of the ten hot spots.")
    page.get_by_label("The year ahead").fill("The last year of the strategy.")
    page.get_by_label("Recommendations to the committee").fill("Note the progress made.")
    portal.submit("Save the report")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Report saved")
    expect(page.get_by_text("A year of steady progress on all four priorities.")).to_be_visible()
    portal.check()

    portal.follow("Publish")
    portal.submit("Publish the report")
    expect(heading).to_have_text(REPORT_TITLE)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Report published")
    expect(page.locator(".govuk-tag", has_text="Published")).to_be_visible()
    expect(page.get_by_role("link", name="Write the report")).to_have_count(0)
    expect(page.get_by_role("link", name="Publish")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.PUBLISHED
    assert report.contents is not None
    portal.check()

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download the report as PDF").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename == "southend-on-sea-annual-report-2023.pdf"
    pdf_path = tmp_path / pdf.suggested_filename
    pdf.save_as(pdf_path)
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(data) > 10_000

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download its tables as a spreadsheet (XLSX)").click()
    xlsx = xlsx_download.value
    assert xlsx.suggested_filename == "southend-on-sea-annual-report-2023.xlsx"
    xlsx_path = tmp_path / xlsx.suggested_filename
    xlsx.save_as(xlsx_path)
    workbook = load_workbook(xlsx_path, read_only=True)
    assert workbook.sheetnames[:3] == ["Summary", "Priorities", "Measures"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Report"] == REPORT_TITLE
    assert summary["Status"] == "Published"
    priorities = [row[0] for row in workbook["Priorities"].iter_rows(min_row=2, values_only=True)]
    assert priorities == PRIORITIES
    workbook.close()

    # A published report does not change: its forms are refused.
    portal.open(f"/annual-reports/{report.pk}/edit/", status=403)
    portal.open(f"/annual-reports/{report.pk}/publish/", status=403)

    portal.open(REPORTS)
    rows = page.get_by_role("table", name="Annual reports, newest first").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="2023/24").locator(".govuk-tag")).to_contain_text("Published")
    portal.check()
