"""What an annual report says (on Riverton's known year, tests/actionplans/scrutiny_data.py) as a page, a
PDF and a spreadsheet; that publishing freezes it in all three; review counts only for those who may know
them; no officer named; the downloads' headers.

The PDF's text is read with poppler's pdftotext (Debian's poppler-utils, which .ci/run installs), and the
PDF is also checked for what it is (a tagged PDF/UA file) and for what it was given to print.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zlib
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from actionplans import services as action_services
from actionplans.models import Action, AnnualReport, ProgressUpdate
from actionplans.reports import services
from actionplans.reports.contents import report_contents
from actionplans.views import reports as report_views
from priorities.models import MeasureValue
from tests.actionplans.conftest import World
from tests.actionplans.scrutiny_data import HIGHLIGHT, Year, body_rows, riverton_year, tables, text
from tests.conftest import Personas
from tests.factories import ActionFactory, BudgetLineFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
# Never skipped: without poppler-utils these tests fail and say so.
needs_pdftotext = pytest.mark.usefixtures("pdftotext_installed")


@pytest.fixture
def pdftotext_installed() -> None:
    assert PDFTOTEXT is not None, "install poppler-utils (pdftotext): the PDF's text is read with it"


SHEETS = [
    "Summary",
    "Priorities",
    "Measures",
    "Highlights",
    "Completed actions",
    "Overdue actions",
    "Funding",
    "Crime",
]
PRIORITY_TABLE = "Actions by priority and RAG"
FIGURES = (
    "6 actions of Riverton Community Safety Strategy 2024 to 2027 ran during 2024/25. Red: 1; Amber: 1; "
    "Green: 1; Complete: 1; No update: 2. 2 overdue and 3 without an update this quarter on 10 February 2025."
)
REVIEWS = "Open: 1; completed this year: 0; recommendations outstanding: 2, of which overdue: 1."
PEOPLE = ("Polly Police", "Colin Council", "Mina Manager", "police.officer@example.org", "council.officer@example.org")


@pytest.fixture
def year(personas: Personas, world: World) -> Year:
    return riverton_year(personas, world)


@pytest.fixture
def report(personas: Personas, year: Year) -> AnnualReport:
    report = services.annual_report_create(
        actor=personas.manager,
        partnership=personas.csp,
        plan=year.world.plan,
        year=2024,
        committee="Place Scrutiny Committee",
    )
    return services.annual_report_update(
        actor=personas.manager,
        report=report,
        version=report.version,
        title=report.title,
        committee=report.committee,
        summary="Both priorities moved forward.",
        successes="Fourteen street lights fixed.",
        year_ahead="Town centre marshals.",
        recommendations="Note the progress made.",
    )


def _publish(personas: Personas, report: AnnualReport) -> AnnualReport:
    return services.annual_report_publish(actor=personas.manager, report=report, version=report.version)


def _get(client: Any, personas: Personas, role: str, name: str, report: AnnualReport) -> Any:
    client.force_login(personas.by_role(role))
    response = client.get(reverse(name, args=[report.pk]))
    assert response.status_code == 200
    return response


def _page(client: Any, personas: Personas, report: AnnualReport, role: str = "manager") -> Any:
    return _get(client, personas, role, "actionplans:report", report)


def _pdf(client: Any, personas: Personas, report: AnnualReport, role: str = "manager") -> bytes:
    return _get(client, personas, role, "actionplans:report_pdf", report).content  # type: ignore[no-any-return]


def _xlsx(client: Any, personas: Personas, report: AnnualReport, role: str = "manager") -> dict[str, list[tuple]]:
    """Each sheet's rows (the header first) as openpyxl reads them back, dates as dates."""
    response = _get(client, personas, role, "actionplans:report_xlsx", report)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {
        sheet.title: [
            tuple(v.date() if isinstance(v, datetime) else v for v in row) for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in workbook.worksheets
    }


def _pdf_text(data: bytes) -> str:
    result = subprocess.run([PDFTOTEXT, "-", "-"], input=data, capture_output=True, check=True)  # noqa: S603
    return " ".join(result.stdout.decode().split())


def _pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated (WeasyPrint packs objects into object streams)."""
    inflated = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(inflated)


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What each PDF was given to print (the real PDF is still made)."""
    contexts: list[dict[str, Any]] = []
    real = report_views.report_pdf

    def spy(context: dict[str, Any]) -> bytes:
        contexts.append(context)
        return real(context)

    monkeypatch.setattr(report_views, "report_pdf", spy)
    return contexts


# --- The page -----------------------------------------------------------------------------------------------


def test_report_page_shows_the_year_in_figures(client, personas: Personas, report: AnnualReport):
    response = _page(client, personas, report)
    page = text(response)
    assert "Committee Place Scrutiny Committee Year 1 April 2024 to 31 March 2025" in page
    assert "Partnership plan Riverton Community Safety Strategy 2024 to 2027 Status Draft" in page
    assert FIGURES in page
    assert body_rows(response, PRIORITY_TABLE) == {
        "Safer town centre": ["3", "1", "0", "0", "1", "1", "0", "1"],
        "Tackling domestic abuse": ["2", "0", "1", "0", "0", "1", "2", "2"],
        "Other actions": ["1", "0", "0", "1", "0", "0", "0", "0"],
    }


def test_report_page_shows_progress_against_each_priority_with_highlights_and_measures(
    client, personas: Personas, report: AnnualReport
):
    response = _page(client, personas, report)
    page = text(response)
    # Highlights: the latest narrative of each action in the year, completed and green first.
    assert (
        "Safer town centre Aim: Reduce harm 3 actions: 1 red, 0 amber, 0 green, 1 complete, 1 no update. Overdue: 0. "
        "Highlights Complete 1.3 Street lighting survey (20 December 2024) Survey done; 14 faulty lights replaced "
        f"Red 1.2 Knife arches in the night-time economy (20 January 2025) {HIGHLIGHT}" in page
    )
    assert (
        "Amber 2.2 Train GP practices to spot coercive control (1 November 2024) Three of eight practices trained"
        in page
    )
    found = tables(response)
    assert found["Outcome measures: Safer town centre"][1:] == [
        ["Violence in the town centre (crimes)", "100 Mar 2024", "80 by Mar 2027", "90 Dec 2024", "On track"]
    ]
    assert found["Outcome measures: Tackling domestic abuse"][1:] == [
        ["Repeat victims of domestic abuse (crimes)", "100 Mar 2024", "80 by Mar 2027", "99 Dec 2024", "Off track"],
        ["Referrals to outreach (referrals)", "100 Mar 2024", "150 by Mar 2027", "–", "No data yet"],
    ]


def test_report_page_lists_completed_and_overdue_actions_crime_and_funding(
    client, personas: Personas, report: AnnualReport
):
    response = _page(client, personas, report)
    found = tables(response)
    assert "1 action completed during the year." in text(response)
    assert found["Actions completed during the year"][1:] == [
        ["1.3 Street lighting survey", "Riverton Borough Council", "20 December 2024"]
    ]
    assert found["Overdue actions, longest overdue first"][1:] == [
        ["2.2 Train GP practices to spot coercive control", "Riverton Borough Council", "1 Dec 2024", "71", "Amber"],
        [
            "2.1 Commission a domestic abuse outreach service",
            "Riverton Borough Council",
            "31 Jan 2025",
            "10",
            "No update",
        ],
    ]
    assert (
        "From Riverton strategic assessment 2024/25: October 2023 to September 2024, against October 2022 to "
        "September 2023." in text(response)
    )
    assert body_rows(response, "The largest crime categories") == {
        "Anti-social behaviour": ["50", "70", "-28.6"],
        "Burglary": ["30", "20", "50.0"],
    }
    assert body_rows(response, "Budget and spend by funding source") == {
        "Council": ["£6,000.00", "£6,000.00"],
        "Police, fire and crime commissioner": ["£14,000.00", "£3,500.00"],
    }


def test_report_measures_stand_as_they_were_at_the_end_of_the_year(personas: Personas, year: Year):
    """A value recorded for after the year (June 2025) is the next report's."""
    MeasureValue.objects.create(measure=year.off_track, period_end=date(2025, 6, 30), value=70)
    report = services.annual_report_create(
        actor=personas.manager, partnership=personas.csp, plan=year.world.plan, year=2024
    )
    measures = {m["name"]: m for p in report_contents(report)["priorities"] for m in p["measures"]}
    assert (
        measures["Repeat victims of domestic abuse"]["latest"],
        measures["Repeat victims of domestic abuse"]["on_track"],
    ) == ("99.00", False)


def test_a_drafts_figures_follow_the_data(client, personas: Personas, year: Year, report: AnnualReport):
    ActionFactory(
        action_plan=year.world.action_plan,
        reference="1.9",
        priority=year.world.priority,
        lead_organisation=personas.police,
        rag="red",
        last_update_on=date(2025, 2, 3),
    )
    response = _page(client, personas, report)
    assert body_rows(response, PRIORITY_TABLE)["Safer town centre"] == ["4", "2", "0", "0", "1", "1", "0", "1"]
    assert "Draft: the figures are generated from today's data and change until the report is published." in text(
        response
    )


@pytest.mark.parametrize("role", ["manager", "chair", "admin"])
def test_review_counts_are_in_the_report_for_those_who_may_know_them(
    client, personas: Personas, report: AnnualReport, role: str
):
    page = text(_page(client, personas, report, role))
    assert f"Domestic homicide reviews Numbers only. {REVIEWS}" in page
    assert "DHR 2024/01" not in page
    assert "Adult Q" not in page


@pytest.mark.parametrize("role", ["police_officer", "council_officer"])
def test_partner_officers_read_a_published_report_without_review_counts(
    client, personas: Personas, report: AnnualReport, printed: list[dict[str, Any]], role: str
):
    _publish(personas, report)
    page = text(_page(client, personas, report, role))
    assert FIGURES in page
    assert "Domestic homicide reviews" not in page
    assert "Open: 1" not in page
    summary = dict(row for row in _xlsx(client, personas, report, role)["Summary"])
    assert "Domestic homicide reviews open" not in summary
    assert summary["Actions"] == 6
    _pdf(client, personas, report, role)
    assert printed[-1]["show_reviews"] is False


def test_scrutiny_reads_the_published_report_with_review_counts(client, personas: Personas, report: AnnualReport):
    _publish(personas, report)
    assert f"Numbers only. {REVIEWS}" in text(_page(client, personas, report, "scrutiny"))
    summary = dict(row for row in _xlsx(client, personas, report, "scrutiny")["Summary"])
    assert summary["Domestic homicide reviews open"] == 1
    assert summary["Review recommendations overdue"] == 1


@pytest.mark.parametrize("role", ["manager", "scrutiny", "police_officer"])
def test_the_report_names_no_officer_in_any_form(client, personas: Personas, report: AnnualReport, role: str):
    _publish(personas, report)
    page = _page(client, personas, report, role).content.decode()
    cells = [str(v) for rows in _xlsx(client, personas, report, role).values() for row in rows for v in row]
    own = {personas.by_role(role).full_name, personas.by_role(role).email}
    for name in set(PEOPLE) - own:
        assert name not in page
        assert not any(name in cell for cell in cells)
    assert "Riverton Borough Council" in page


# --- The PDF ------------------------------------------------------------------------------------------------


def test_pdf_is_a_tagged_pdf_of_the_report(client, personas: Personas, report: AnnualReport, printed: list[Any]):
    data = _pdf(client, personas, report)
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(data) > 20_000
    objects = _pdf_objects(data)
    # PDF/UA-1: a structure tree (headings, tables, figures with alternative text), the language, and the
    # PDF/UA identification in its metadata.
    for marker in (b"/StructTreeRoot", b"/MarkInfo", b"/Lang", b"pdfuaid", b"/H1", b"/Table", b"/TH", b"/Alt"):
        assert marker in objects, marker
    (context,) = printed
    assert context["report"] == report
    assert context["contents"]["totals"]["actions"] == 6
    assert context["show_reviews"] is True


@needs_pdftotext
def test_pdf_text_is_the_report(client, personas: Personas, report: AnnualReport):
    pdf = _pdf_text(_pdf(client, personas, report))
    assert "Riverton: annual report to the crime and disorder committee 2024/25" in pdf
    assert "Draft – printed on 10 February 2025. The figures change until the report is published." in pdf
    assert FIGURES in pdf
    assert "Both priorities moved forward." in pdf
    assert "Note the progress made." in pdf
    assert HIGHLIGHT in pdf
    assert REVIEWS in pdf
    assert "Page 1 of" in pdf


@needs_pdftotext
def test_pdf_for_a_partner_officer_has_no_review_counts(client, personas: Personas, report: AnnualReport):
    _publish(personas, report)
    pdf = _pdf_text(_pdf(client, personas, report, "police_officer"))
    assert FIGURES in pdf
    assert "Domestic homicide reviews" not in pdf
    assert "Draft" not in pdf


# --- The spreadsheet ----------------------------------------------------------------------------------------


def test_xlsx_has_a_sheet_for_each_table_with_the_reports_figures(client, personas: Personas, report: AnnualReport):
    book = _xlsx(client, personas, report)
    assert list(book) == SHEETS
    summary = dict(row for row in book["Summary"][1:])
    assert summary["Partnership"] == "Riverton"
    assert summary["Committee"] == "Place Scrutiny Committee"
    assert summary["Period"] == "2024-04-01 to 2025-03-31 (2024/25)"
    assert summary["Status"] == "Draft: figures change until it is published"
    assert [summary[f"Actions: {label}"] for label in ("Red", "Amber", "Green", "Complete", "No update")] == [
        1,
        1,
        1,
        1,
        2,
    ]
    assert (summary["Actions"], summary["Overdue actions"], summary["Actions without an update this quarter"]) == (
        6,
        2,
        3,
    )
    assert book["Priorities"] == [
        ("priority", "actions", "red", "amber", "green", "complete", "no update", "overdue", "no update this quarter"),
        ("Safer town centre", 3, 1, 0, 0, 1, 1, 0, 1),
        ("Tackling domestic abuse", 2, 0, 1, 0, 0, 1, 2, 2),
        ("Other actions", 1, 0, 0, 1, 0, 0, 0, 0),
    ]
    assert book["Measures"][1] == (
        "Safer town centre",
        "Violence in the town centre",
        "crimes",
        100,
        date(2024, 3, 31),
        80,
        date(2027, 3, 31),
        90,
        date(2024, 12, 31),
        "On track",
    )
    assert [row[-1] for row in book["Measures"][1:]] == ["On track", "Off track", "No data"]
    assert [row[1] for row in book["Highlights"][1:]] == [
        "1.3 Street lighting survey",
        "1.2 Knife arches in the night-time economy",
        "2.2 Train GP practices to spot coercive control",
    ]
    assert book["Completed actions"][1:] == [
        ("1.3", "Street lighting survey", "Riverton Borough Council", date(2024, 12, 20))
    ]
    assert book["Overdue actions"][1:] == [
        (
            "2.2",
            "Train GP practices to spot coercive control",
            "Riverton Borough Council",
            date(2024, 12, 1),
            71,
            "Amber",
        ),
        (
            "2.1",
            "Commission a domestic abuse outreach service",
            "Riverton Borough Council",
            date(2025, 1, 31),
            10,
            "No update",
        ),
    ]
    assert book["Funding"][1:] == [("Council", 6000, 6000), ("Police, fire and crime commissioner", 14000, 3500)]
    assert book["Crime"][1:] == [("Anti-social behaviour", 50, 70, -28.6), ("Burglary", 30, 20, 50)]


def test_xlsx_keeps_a_narrative_that_looks_like_a_formula_as_text(
    client, personas: Personas, year: Year, report: AnnualReport
):
    ProgressUpdateFactory(
        action=year.actions["1.1"],
        author=personas.police_officer,
        reported_on=date(2025, 2, 5),
        rag="amber",
        narrative='=HYPERLINK("https://example.com","Open")',
    )
    client.force_login(personas.manager)
    response = client.get(reverse("actionplans:report_xlsx", args=[report.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Highlights"]
    cell = next(row[4] for row in sheet.iter_rows(min_row=2) if row[1].value.startswith("1.1"))
    assert (cell.value, cell.data_type) == ('=HYPERLINK("https://example.com","Open")', "s")


# --- Downloads -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "extension"),
    [
        ("actionplans:report_pdf", "application/pdf", "pdf"),
        ("actionplans:report_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ],
)
def test_downloads_are_attachments_that_are_not_stored(
    client, personas: Personas, report: AnnualReport, name: str, content_type: str, extension: str
):
    draft = _get(client, personas, "manager", name, report)
    assert draft["Content-Type"] == content_type
    assert draft["Content-Disposition"] == f'attachment; filename="riverton-annual-report-2024-draft.{extension}"'
    assert draft["Cache-Control"] == "private, no-store"
    _publish(personas, report)
    published = _get(client, personas, "scrutiny", name, report)
    assert published["Content-Disposition"] == f'attachment; filename="riverton-annual-report-2024.{extension}"'
    assert published["Cache-Control"] == "private, no-store"


# --- Publishing freezes the report -------------------------------------------------------------------------


def _change_everything(personas: Personas, year: Year) -> None:
    """After publication: progress reported, an overdue action completed, a new red action, new money, a
    measure back on track, a priority renamed and another update's words changed."""
    police_action = Action.objects.get(pk=year.actions["1.1"].pk)
    action_services.action_record_progress(
        actor=personas.police_officer,
        action=police_action,
        version=police_action.version,
        reported_on=date(2025, 2, 10),
        rag="green",
        narrative="All patrols staffed",
        percent_complete=60,
        status="in_progress",
    )
    Action.objects.filter(pk=year.actions["2.1"].pk).update(status="complete", last_update_on=date(2025, 2, 10))
    ActionFactory(
        action_plan=year.world.action_plan,
        reference="1.9",
        priority=year.world.priority,
        lead_organisation=personas.police,
        rag="red",
        last_update_on=date(2025, 2, 3),
    )
    BudgetLineFactory(action=year.actions["1.2"], source="home_office", amount=5000, spent_to_date=100)
    MeasureValue.objects.create(measure=year.off_track, period_end=date(2025, 1, 31), value=80)
    year.world.priority.title = "Safer streets"
    year.world.priority.save()
    ProgressUpdate.objects.filter(narrative=HIGHLIGHT).update(narrative="Rewritten afterwards")


def test_publishing_freezes_the_page_the_pdf_and_the_spreadsheet(
    client, personas: Personas, year: Year, report: AnnualReport, printed: list[dict[str, Any]]
):
    _publish(personas, report)
    before_tables = tables(_page(client, personas, report))
    before_text = text(_page(client, personas, report))
    before_book = _xlsx(client, personas, report)
    _pdf(client, personas, report)
    before_printed = printed[-1]["contents"]

    _change_everything(personas, year)
    later = datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(later, tick=False):
        # The data has moved on: a report generated now would say otherwise.
        live = report_contents(report)
        assert (live["totals"]["actions"], live["totals"]["rag"]["red"], live["priorities"][0]["title"]) == (
            7,
            2,
            "Safer streets",
        )
        response = _page(client, personas, report, "scrutiny")
        after_book = _xlsx(client, personas, report, "scrutiny")
        _pdf(client, personas, report, "scrutiny")

    assert tables(response) == before_tables
    page = text(response)
    assert FIGURES in page
    assert "Figures as they were on 10 February 2025; they do not change." in page
    assert HIGHLIGHT in page
    for changed in ("Rewritten afterwards", "Safer streets", "Home Office"):
        assert changed not in page
    assert page.split("Summary", 1)[1] == before_text.split("Summary", 1)[1]
    assert after_book == before_book
    assert after_book["Priorities"][1] == ("Safer town centre", 3, 1, 0, 0, 1, 1, 0, 1)
    assert printed[-1]["contents"] == before_printed == AnnualReport.objects.get(pk=report.pk).contents


@needs_pdftotext
def test_a_published_pdf_does_not_change_when_the_data_does(
    client, personas: Personas, year: Year, report: AnnualReport
):
    _publish(personas, report)
    before = _pdf_text(_pdf(client, personas, report))
    _change_everything(personas, year)
    with time_machine.travel(datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        after = _pdf_text(_pdf(client, personas, report))
    assert after == before
    assert FIGURES in after
    assert "Safer streets" not in after
    assert "£14,000.00 £3,500.00" in after
