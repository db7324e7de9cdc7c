"""Exporting an action plan to CSV and XLSX, and importing actions from a spreadsheet (actionplans/exchange.py).

Exports answer whoever may read the plan, without lead officers for scrutiny members; imports are the
managers', all or nothing, every problem named by its row. Officers cannot change anything through
either route: their export shows their own partnership's plan only, and their import is refused.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import exchange, services
from actionplans.models import Action, ActionPlan, ActionStatus, FundingSource, Rag
from partnerships.models import Organisation, Partnership, Role, User
from priorities.models import PartnershipPlan, Priority
from tests.conftest import Personas
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PlanFactory,
    PriorityFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOVEMBER_2026 = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/London"))
IMPORT_HEADER = [
    "ref",
    "priority",
    "action",
    "description",
    "lead organisation",
    "lead officer email",
    "supporting partners",
    "start date",
    "due date",
    "status",
]


# --- Helpers --------------------------------------------------------------------------------------------


def _strategy(partnership: Partnership) -> PartnershipPlan:
    plan = PlanFactory(partnership=partnership, title=f"{partnership.name} strategy")
    PriorityFactory(plan=plan, title="Safer streets", position=1)
    PriorityFactory(plan=plan, title="Domestic abuse", position=2)
    return plan  # type: ignore[no-any-return]


def _action_plan(personas: Personas, *, partnership: Partnership | None = None, title: str = "") -> ActionPlan:
    partnership = partnership or personas.csp
    action_plan = services.action_plan_create(
        actor=None,
        partnership=partnership,
        title=title or "Community Safety Action Plan 2026/27",
        period_start=date(2026, 4, 1),
        period_end=date(2027, 3, 31),
        plan=_strategy(partnership),
    )
    return services.action_plan_agree(
        actor=None, action_plan=action_plan, agreed_on=date(2026, 4, 20), agreed_by="Responsible Authorities Group"
    )


def _action(
    action_plan: ActionPlan,
    reference: str,
    *,
    lead: Organisation,
    officer: User | None = None,
    title: str = "",
    description: str = "",
    supporting: tuple[Organisation, ...] = (),
    due: date = date(2027, 3, 31),
    status: str = ActionStatus.IN_PROGRESS,
) -> Action:
    return services.action_create(
        actor=None,
        action_plan=action_plan,
        fields=services.ActionFields(
            reference=reference,
            title=title or f"Action {reference}",
            description=description,
            priority=Priority.objects.filter(plan=action_plan.plan).first(),
            lead_organisation=lead,
            lead_officer=officer,
            supporting_organisations=supporting,
            start_date=date(2026, 4, 1),
            due_date=due,
            status=status,
        ),
    )


def _report(action: Action, author: User, rag: str, percent: int, on: date, status: str = "in_progress") -> None:
    services.action_record_progress(
        actor=author,
        action=action,
        version=action.version,
        reported_on=on,
        rag=rag,
        narrative="Progress",
        percent_complete=percent,
        status=status,
    )


@pytest.fixture
def plan(personas: Personas) -> ActionPlan:
    """Riverton's agreed plan: a police action (with an officer, budget and updates) and a council one."""
    action_plan = _action_plan(personas)
    police = _action(
        action_plan,
        "1.1",
        lead=personas.police,
        officer=personas.police_officer,
        title="Hot spot patrols",
        description="Patrols where incidents are highest",
        supporting=(personas.council,),
        due=date(2026, 9, 30),
    )
    services.budget_line_save(
        actor=None,
        action=police,
        line=None,
        source=FundingSource.HOME_OFFICE,
        grant_name="Safer Streets",
        amount=Decimal("1000.50"),
        spent_to_date=Decimal("250"),
    )
    services.budget_line_save(
        actor=None,
        action=police,
        line=None,
        source=FundingSource.PCC,
        grant_name="",
        amount=Decimal("500"),
        spent_to_date=Decimal("0"),
    )
    _report(police, personas.police_officer, Rag.AMBER, 40, date(2026, 8, 1))
    _action(action_plan, "1.2", lead=personas.council, officer=personas.council_officer, title="Street surgeries")
    return action_plan


def _get(client: Any, user: User | None, name: str, action_plan: ActionPlan, **params: Any) -> Any:
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=[action_plan.pk]), params)


def _csv(response: Any) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx_rows(response: Any) -> tuple[Any, list[list[Any]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def _xlsx_file(rows: list[list[Any]], name: str = "actions.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _csv_file(rows: list[list[Any]], name: str = "actions.csv", encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding))


def _import(client: Any, user: User, action_plan: ActionPlan, upload: SimpleUploadedFile) -> Any:
    client.force_login(user)
    return client.post(reverse("actionplans:import", args=[action_plan.pk]), {"file": upload})


def _row(ref: str = "2.1", **values: Any) -> list[Any]:
    """An import row: Riverton's council leading an action for this year, changed by `values`."""
    row = {
        "ref": ref,
        "priority": "",
        "action": f"Imported action {ref}",
        "description": "",
        "lead organisation": "Riverton Borough Council",
        "lead officer email": "",
        "supporting partners": "",
        "start date": "01/04/2026",
        "due date": "31/03/2027",
        "status": "Not started",
    }
    row.update({key.replace("_", " "): value for key, value in values.items()})
    return [row[column] for column in IMPORT_HEADER]


def _errors(response: Any) -> list[str]:
    form = response.context["form"]
    return list(form.errors.get("file", []))


# --- Export: what it holds ---------------------------------------------------------------------------------


def test_manager_exports_the_plan_as_csv_with_every_column_named_after_the_plan(client, personas, plan):
    with time_machine.travel(NOVEMBER_2026, tick=False):
        response = _get(client, personas.manager, "actionplans:export_csv", plan)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="community-safety-action-plan-2026-27.csv"'
    header, police, council = _csv(response)
    assert header == list(exchange.EXPORT_COLUMNS)
    assert dict(zip(header, police, strict=True)) == {
        "ref": "1.1",
        "priority": "Safer streets",
        "action": "Hot spot patrols",
        "description": "Patrols where incidents are highest",
        "lead organisation": "Shire Police",
        "lead officer": "Polly Police",
        "supporting partners": "Riverton Borough Council",
        "start": "2026-04-01",
        "due": "2026-09-30",
        "status": "In progress",
        "RAG": "Amber",
        "% complete": "40",
        "latest update date": "2026-08-01",
        "overdue": "yes",
        "budget total": "1500.50",
        "spent": "250.00",
    }
    assert council[header.index("RAG")] == "No update"
    assert council[header.index("overdue")] == "no"
    assert council[header.index("latest update date")] == ""
    assert council[header.index("budget total")] == "0.00"


def test_complete_actions_export_as_complete_and_never_overdue(client, personas, plan):
    action = plan.actions.get(reference="1.1")
    _report(action, personas.police_officer, Rag.GREEN, 100, date(2026, 9, 29), status=ActionStatus.COMPLETE)

    with time_machine.travel(NOVEMBER_2026, tick=False):
        header, police, _ = _csv(_get(client, personas.manager, "actionplans:export_csv", plan))

    row = dict(zip(header, police, strict=True))
    assert (row["RAG"], row["status"], row["overdue"], row["% complete"]) == ("Complete", "Complete", "no", "100")


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_quoted(client, personas, plan):
    _action(plan, "9.1", lead=personas.council, title='=HYPERLINK("http://evil.example","x")', description="-2+3")
    _action(plan, "9.2", lead=personas.council, title="@SUM(A1:A2)", description="+44 1234 567890")

    rows = _csv(_get(client, personas.manager, "actionplans:export_csv", plan))

    exported = {row[0]: row for row in rows[1:]}
    assert exported["9.1"][2] == '\'=HYPERLINK("http://evil.example","x")'
    assert exported["9.1"][3] == "'-2+3"
    assert exported["9.2"][2] == "'@SUM(A1:A2)"
    assert exported["9.2"][3] == "'+44 1234 567890"


def test_xlsx_export_has_a_styled_frozen_header_real_dates_and_numbers(client, personas, plan):
    with time_machine.travel(NOVEMBER_2026, tick=False):
        response = _get(client, personas.manager, "actionplans:export_xlsx", plan)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="community-safety-action-plan-2026-27.xlsx"'
    sheet, rows = _xlsx_rows(response)
    header = rows[0]
    assert header == list(exchange.EXPORT_COLUMNS)
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    police = dict(zip(header, rows[1], strict=True))
    # Excel keeps dates as day numbers, which openpyxl reads back as (naive) datetimes.
    assert all(isinstance(police[c], datetime) for c in ("start", "due", "latest update date"))
    assert police["start"].date() == date(2026, 4, 1)
    assert police["due"].date() == date(2026, 9, 30)
    assert police["latest update date"].date() == date(2026, 8, 1)
    assert sheet.cell(row=2, column=header.index("due") + 1).number_format == "dd/mm/yyyy"
    assert police["budget total"] == pytest.approx(1500.5)
    assert police["% complete"] == 40
    assert (police["RAG"], police["overdue"], police["lead officer"]) == ("Amber", "yes", "Polly Police")
    assert len(rows) == 3


@pytest.mark.parametrize("name", ["actionplans:export_csv", "actionplans:export_xlsx"])
def test_scrutiny_members_export_without_lead_officers_names(client, personas, plan, name):
    response = _get(client, personas.scrutiny, name, plan)

    assert response.status_code == 200
    rows = _csv(response) if name.endswith("csv") else _xlsx_rows(response)[1]
    assert rows[0] == [c for c in exchange.EXPORT_COLUMNS if c != "lead officer"]
    assert not any("Polly Police" in str(cell) or "Colin Council" in str(cell) for row in rows for cell in row)


@pytest.mark.parametrize(
    ("params", "references"),
    [
        ({}, ["1.1", "1.2"]),
        ({"organisation": "POLICE"}, ["1.1"]),
        ({"status": "not_started"}, []),
        ({"rag": "amber"}, ["1.1"]),
        ({"rag": "grey"}, ["1.2"]),
        ({"due_before": "2026-10-01"}, ["1.1"]),
        ({"due_before_0": "1", "due_before_1": "10", "due_before_2": "2026"}, ["1.1"]),
        ({"status": "no-such-status", "rag": "purple", "organisation": "x"}, ["1.1", "1.2"]),
        ({"sort": "due"}, ["1.1", "1.2"]),
    ],
)
def test_the_plan_pages_filters_apply_to_the_export(client, personas, plan, params, references):
    if params.get("organisation") == "POLICE":
        params = {**params, "organisation": str(personas.police.pk)}

    for name in ("actionplans:export_csv", "actionplans:export_xlsx"):
        response = _get(client, personas.manager, name, plan, **params)
        rows = _csv(response) if name.endswith("csv") else _xlsx_rows(response)[1]
        assert [row[0] for row in rows[1:]] == references


@pytest.mark.parametrize("due_before", [{"due_before": "2026-02-30"}, {"due_before": "30/09/2026x"}])
def test_an_export_due_before_a_date_that_is_not_real_is_a_bad_request(client, personas, plan, due_before):
    assert _get(client, personas.manager, "actionplans:export_csv", plan, **due_before).status_code == 400


def test_the_exports_queries_do_not_grow_with_the_number_of_actions(client, personas, plan):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for name in ("actionplans:export_csv", "actionplans:export_xlsx"):
                response = _get(client, None, name, plan)
                b"".join(response.streaming_content)
        return len(captured)

    client.force_login(personas.manager)
    few = queries()
    for number in range(3, 40):
        _action(plan, f"3.{number}", lead=personas.police, supporting=(personas.council,))

    assert queries() == few


def test_an_empty_plan_exports_only_the_header(client, personas):
    action_plan = _action_plan(personas, title="Empty plan")

    assert _csv(_get(client, personas.manager, "actionplans:export_csv", action_plan)) == [
        list(exchange.EXPORT_COLUMNS)
    ]


def test_the_download_name_comes_from_the_plan_title():
    assert exchange.export_filename(ActionPlan(title="Plan: 2024–2027 / draft!"), "xlsx") == "plan-2024-2027-draft.xlsx"
    assert exchange.export_filename(ActionPlan(title="Action Plan 2026/27"), "csv") == "action-plan-2026-27.csv"
    assert exchange.export_filename(ActionPlan(title="!!!"), "csv") == "action-plan.csv"


# --- Export: who may ------------------------------------------------------------------------------------

EXPORT_OUTCOMES = {
    "admin": 200,
    "manager": 200,
    "chair": 200,
    "police_officer": 200,
    "council_officer": 200,
    "scrutiny": 200,
    "county_member": 404,
    "outsider": 404,
    "nobody": 404,
}


@pytest.mark.parametrize("name", ["actionplans:export_csv", "actionplans:export_xlsx"])
@pytest.mark.parametrize(("role", "status"), EXPORT_OUTCOMES.items())
def test_only_those_who_may_read_the_plan_export_it(client, personas, plan, name, role, status):
    assert _get(client, personas.by_role(role), name, plan).status_code == status


def test_an_officer_exports_their_own_partnerships_plan_but_not_another_partnerships(client, personas, plan):
    other = _action_plan(personas, partnership=personas.other_csp, title="Hillford plan")
    _action(other, "1.1", lead=personas.police)

    for name in ("actionplans:export_csv", "actionplans:export_xlsx"):
        assert _get(client, personas.police_officer, name, plan).status_code == 200
        assert _get(client, personas.police_officer, name, other).status_code == 404


def test_anonymous_people_are_sent_to_sign_in_before_exporting(client, plan):
    url = reverse("actionplans:export_csv", args=[plan.pk])

    assert client.get(url)["Location"] == f"{reverse('login')}?next={url}"


# --- Import: a good file -------------------------------------------------------------------------------


@pytest.fixture
def housing(personas: Personas) -> Organisation:
    """A third member of Riverton, to support actions."""
    organisation = OrganisationFactory(name="Riverton Homes", slug="riverton-homes")
    MembershipFactory(partnership=personas.csp, organisation=organisation)
    return organisation  # type: ignore[no-any-return]


def test_manager_imports_actions_from_an_xlsx_file_with_every_column(client, personas, plan, housing):
    upload = _xlsx_file(
        [
            IMPORT_HEADER,
            [
                "2.1",
                "safer STREETS",
                "Street lighting audit",
                "With residents",
                "shire police",
                "POLICE.OFFICER@example.org",
                "Riverton Borough Council; riverton homes",
                datetime.combine(date(2026, 5, 1), datetime.min.time()),  # a real Excel date
                "30/11/2026",
                "in progress",
            ],
            _row("2.2", status="Complete", start_date="2026-04-01", due_date="2026-06-30", priority="Domestic abuse"),
            _row("2.3", status=""),
        ]
    )

    response = _import(client, personas.manager, plan, upload)

    assert response.status_code == 200
    page = response.content.decode()
    assert "3 actions imported" in page
    assert "Street lighting audit" in page
    action = plan.actions.get(reference="2.1")
    assert action.priority is not None
    assert action.priority.title == "Safer streets"
    assert (action.title, action.description) == ("Street lighting audit", "With residents")
    assert (action.lead_organisation, action.lead_officer) == (personas.police, personas.police_officer)
    assert set(action.supporting_organisations.all()) == {personas.council, housing}
    assert (action.start_date, action.due_date, action.status) == (
        date(2026, 5, 1),
        date(2026, 11, 30),
        ActionStatus.IN_PROGRESS,
    )
    other = plan.actions.get(reference="2.2")
    assert (other.status, other.start_date, other.due_date) == (
        ActionStatus.COMPLETE,
        date(2026, 4, 1),
        date(2026, 6, 30),
    )
    assert plan.actions.get(reference="2.3").status == ActionStatus.NOT_STARTED
    assert action.history.latest().history_user == personas.manager


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_manager_imports_actions_from_a_csv_file_as_excel_saves_it(client, personas, plan, encoding):
    upload = _csv_file([IMPORT_HEADER, _row("2.1", action="Café patrols – £500 budget")], encoding=encoding)

    response = _import(client, personas.manager, plan, upload)

    assert response.status_code == 200
    assert plan.actions.get(reference="2.1").title == "Café patrols – £500 budget"


def test_the_columns_may_come_in_any_order_in_any_case(client, personas, plan):
    header = [name.upper() for name in reversed(IMPORT_HEADER)]
    upload = _csv_file([header, list(reversed(_row("2.1")))])

    assert _import(client, personas.manager, plan, upload).status_code == 200
    assert plan.actions.filter(reference="2.1").exists()


def test_blank_rows_are_skipped(client, personas, plan):
    upload = _xlsx_file([IMPORT_HEADER, _row("2.1"), [None] * 10, _row("2.2")])

    assert _import(client, personas.manager, plan, upload).status_code == 200
    assert plan.actions.count() == 4


def test_the_quote_the_export_puts_before_formula_like_text_is_removed_on_import(client, personas, plan):
    upload = _csv_file([IMPORT_HEADER, _row("2.1", description="'-2 officers, +1 PCSO")])

    _import(client, personas.manager, plan, upload)

    assert plan.actions.get(reference="2.1").description == "-2 officers, +1 PCSO"


def test_the_import_page_explains_the_columns(client, personas, plan):
    client.force_login(personas.manager)

    response = client.get(reverse("actionplans:import", args=[plan.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    for column in IMPORT_HEADER:
        assert f">{column}</th>" in page
    assert 'enctype="multipart/form-data"' in page


# --- Import: problems, all or nothing ---------------------------------------------------------------------


def _refused(client: Any, personas: Personas, plan: ActionPlan, upload: SimpleUploadedFile) -> list[str]:
    before = Action.objects.count(), Action.history.count()
    response = _import(client, personas.manager, plan, upload)
    assert response.status_code == 400
    assert (Action.objects.count(), Action.history.count()) == before
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The actions were not imported" in page
    assert 'href="#id_file"' in page  # the summary links to the file input, as for any field
    return _errors(response)


def test_every_bad_row_is_named_and_nothing_is_saved(client, personas, plan):
    upload = _xlsx_file(
        [
            IMPORT_HEADER,
            _row("2.1"),
            _row("2.2", due_date="31/02/2027"),
            _row("2.3", lead_organisation="Hillford District Council"),
            _row("2.4", start_date="01/05/2026", due_date="30/04/2026"),
            _row("", action=""),
            _row("2.6", status="Finished"),
            _row("2.7"),
        ]
    )

    errors = _refused(client, personas, plan, upload)

    assert errors == [
        "Row 3, due date: 31/02/2027 is not a real date: enter it as day/month/year, like 31/03/2027",
        "Row 4, lead organisation: Hillford District Council is not a member organisation of the partnership",
        "Row 5, due date: The due date must be on or after the start date",
        "Row 6, ref: Enter the action's reference, like 1.3",
        "Row 6, action: Enter the action",
        "Row 7, status: Finished is not a status: use Not started, In progress, Complete, Cancelled or Deferred",
    ]
    assert not plan.actions.filter(reference__in=["2.1", "2.7"]).exists()


def test_row_numbers_are_those_the_spreadsheet_shows_blank_rows_included(client, personas, plan):
    upload = _xlsx_file([IMPORT_HEADER, _row("2.1"), [None] * 10, [None] * 10, _row("2.4", due_date="")])

    assert _refused(client, personas, plan, upload) == ["Row 5, due date: Enter the due date"]


def test_csv_row_numbers_count_rows_not_lines(client, personas, plan):
    upload = _csv_file([IMPORT_HEADER, _row("2.1", description="line one\nline two"), _row("2.2", status="?")])

    assert _refused(client, personas, plan, upload) == [
        "Row 3, status: ? is not a status: use Not started, In progress, Complete, Cancelled or Deferred"
    ]


def test_a_reference_the_plan_already_has_is_refused_and_the_action_is_not_overwritten(client, personas, plan):
    upload = _csv_file([IMPORT_HEADER, _row("1.1", action="Replacement")])

    assert _refused(client, personas, plan, upload) == ["Row 2, ref: The action plan already has an action 1.1"]
    assert plan.actions.get(reference="1.1").title == "Hot spot patrols"


def test_a_reference_used_twice_in_the_file_is_refused(client, personas, plan):
    upload = _csv_file([IMPORT_HEADER, _row("2.1"), _row("2.2"), _row("2.1")])

    assert _refused(client, personas, plan, upload) == ["Row 4, ref: 2.1 is also the ref of row 2"]


def test_a_lead_officer_must_hold_a_role_in_the_partnership_for_the_lead_organisation(client, personas, plan):
    hillford_officer = UserFactory(email="hillford.officer@example.org")
    RoleFactory(
        person=hillford_officer, partnership=personas.other_csp, organisation=personas.police, role=Role.PARTNER_OFFICER
    )
    upload = _csv_file(
        [
            IMPORT_HEADER,
            _row("2.1", lead_organisation="Shire Police", lead_officer_email="council.officer@example.org"),
            _row("2.2", lead_organisation="Shire Police", lead_officer_email="hillford.officer@example.org"),
            _row("2.3", lead_officer_email="not-an-email"),
        ]
    )

    assert _refused(client, personas, plan, upload) == [
        "Row 2, lead officer email: council.officer@example.org has no role in the partnership for Shire Police",
        "Row 3, lead officer email: No one with the email address hillford.officer@example.org has a role in the "
        "partnership",
        "Row 4, lead officer email: No one with the email address not-an-email has a role in the partnership",
    ]


def test_supporting_partners_and_priorities_must_belong_to_the_partnership_and_its_plan(client, personas, plan):
    upload = _csv_file(
        [
            IMPORT_HEADER,
            _row("2.1", supporting_partners="Shire Police; Hillford District Council;;Nobody Ltd"),
            _row("2.2", priority="World peace"),
        ]
    )

    assert _refused(client, personas, plan, upload) == [
        "Row 2, supporting partners: Not member organisations of the partnership: Hillford District Council, "
        "Nobody Ltd",
        "Row 3, priority: World peace is not a priority of the partnership plan",
    ]


def test_a_plan_without_a_partnership_plan_takes_no_priorities(client, personas):
    action_plan = services.action_plan_create(
        actor=None,
        partnership=personas.csp,
        title="Interim plan",
        period_start=date(2026, 4, 1),
        period_end=date(2027, 3, 31),
    )
    upload = _csv_file([IMPORT_HEADER, _row("1", priority="Safer streets"), _row("2")])

    assert _refused(client, personas, action_plan, upload) == [
        "Row 2, priority: The action plan is not linked to a partnership plan: leave priority blank"
    ]


def test_a_retired_priority_is_refused(client, personas, plan):
    Priority.objects.filter(plan=plan.plan, title="Domestic abuse").update(status="retired")
    upload = _csv_file([IMPORT_HEADER, _row("2.1", priority="Domestic abuse")])

    assert _refused(client, personas, plan, upload) == [
        "Row 2, priority: Domestic abuse was retired from the partnership plan"
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            [*IMPORT_HEADER, "budget", "RAG"],
            ["Row 1: the file has columns the import does not know: budget, RAG"],
        ),
        (
            [c for c in IMPORT_HEADER if c not in ("due date", "status")],
            ["Row 1: the file is missing columns: due date, status"],
        ),
        (
            [*IMPORT_HEADER, "Ref"],
            ["Row 1: these columns appear more than once: Ref"],
        ),
    ],
)
def test_unknown_missing_and_repeated_columns_are_refused_by_name(client, personas, plan, header, expected):
    upload = _csv_file([header, ["x"] * len(header)])

    errors = _refused(client, personas, plan, upload)

    assert errors[:-1] == expected
    assert errors[-1] == "The columns are: " + ", ".join(IMPORT_HEADER)


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (lambda: _csv_file([IMPORT_HEADER]), "The file has a header but no actions under it"),
        (lambda: _csv_file([]), "Row 1 must be the header, naming the columns: " + ", ".join(IMPORT_HEADER)),
        (lambda: SimpleUploadedFile("actions.xlsx", b"PK not really a zip"), "can be read"),
        (lambda: SimpleUploadedFile("actions.csv", b"\x00\x01\x02binary"), "is not a CSV file"),
    ],
)
def test_files_that_cannot_be_read_as_actions_are_refused(client, personas, plan, upload, expected):
    errors = _refused(client, personas, plan, upload())

    assert len(errors) == 1
    assert expected in errors[0]


def test_an_xlsx_that_unpacks_to_far_more_than_its_size_is_refused_unread(client, personas, plan):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (exchange.MAX_UNPACKED_BYTES + 1))
    upload = SimpleUploadedFile("bomb.xlsx", buffer.getvalue())

    assert len(upload) < exchange.MAX_IMPORT_BYTES
    assert _refused(client, personas, plan, upload) == [
        "The spreadsheet is too large once unpacked: import at most 500 actions at a time"
    ]


def _xlsx_with_sheet_xml(sheet_xml: bytes) -> SimpleUploadedFile:
    """A real workbook whose first sheet's XML is replaced."""
    original = _xlsx_file([IMPORT_HEADER, _row("2.1")])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original.read())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else data)
    return SimpleUploadedFile("actions.xlsx", buffer.getvalue())


@pytest.mark.parametrize(
    "sheet_xml",
    [
        b"<worksheet><sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>ref",  # cut short
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>',
    ],
    ids=["sheet cut short", "entity expansion"],
)
def test_a_workbook_whose_sheet_cannot_be_parsed_safely_is_refused(client, personas, plan, sheet_xml):
    upload = _xlsx_with_sheet_xml(sheet_xml)

    assert _refused(client, personas, plan, upload) == [exchange.UNREADABLE_XLSX]


def test_uploaded_spreadsheets_are_parsed_with_xml_bomb_protection():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_a_file_with_thousands_of_problems_lists_the_first_hundred(client, personas, plan):
    upload = _csv_file([IMPORT_HEADER, *[_row(f"5.{n}", status="?") for n in range(150)]])

    errors = _refused(client, personas, plan, upload)

    assert len(errors) == exchange.MAX_ERRORS + 1
    assert errors[-1] == "Only the first 100 problems are listed"


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (None, "Choose a spreadsheet of actions (.xlsx or .csv)"),
        (SimpleUploadedFile("actions.txt", b"ref"), "actions.txt is not an Excel (.xlsx) or CSV (.csv) file"),
        (SimpleUploadedFile("actions.xls", b"ref"), "actions.xls is not an Excel (.xlsx) or CSV (.csv) file"),
        (SimpleUploadedFile("big.csv", b"x" * (5 * 1024 * 1024 + 1)), "big.csv is larger than 5 MB"),
        (SimpleUploadedFile("empty.csv", b""), "The file is empty"),
    ],
)
def test_the_upload_must_be_an_xlsx_or_csv_file_of_at_most_5_mb(client, personas, plan, upload, expected):
    client.force_login(personas.manager)
    before = Action.objects.count()

    response = client.post(reverse("actionplans:import", args=[plan.pk]), {"file": upload} if upload else {})

    assert response.status_code == 400
    assert _errors(response) == [expected]
    assert "govuk-error-summary" in response.content.decode()
    assert Action.objects.count() == before


def test_an_action_added_by_someone_else_during_the_import_refuses_the_whole_file(client, personas, plan, monkeypatch):
    # Between the check of every row and the creation of the actions, another manager adds action 2.2.
    check = exchange._parse_rows

    def check_then_someone_adds(*args: Any, **kwargs: Any) -> Any:
        parsed = check(*args, **kwargs)
        _action(plan, "2.2", lead=personas.police, title="Added by someone else")
        return parsed

    monkeypatch.setattr(exchange, "_parse_rows", check_then_someone_adds)
    upload = _csv_file([IMPORT_HEADER, _row("2.1"), _row("2.2"), _row("2.3")])

    response = _import(client, personas.manager, plan, upload)

    assert response.status_code == 400
    assert _errors(response) == ["Row 3, ref: The action plan already has an action 2.2"]
    assert sorted(plan.actions.values_list("reference", flat=True)) == ["1.1", "1.2", "2.2"]


def test_the_import_refuses_more_than_the_row_limit(client, personas, plan, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_IMPORT_ROWS", 3)
    upload = _csv_file([IMPORT_HEADER, *[_row(f"6.{n}") for n in range(5)]])

    assert _refused(client, personas, plan, upload) == ["The file has more than 3 actions: import it in parts"]


# --- Import: who may ---------------------------------------------------------------------------------------

IMPORT_OUTCOMES = {
    "admin": 200,
    "manager": 200,
    "chair": 403,
    "police_officer": 403,
    "council_officer": 403,
    "scrutiny": 403,
    "county_member": 404,
    "outsider": 404,
    "nobody": 404,
}


@pytest.mark.parametrize(("role", "status"), IMPORT_OUTCOMES.items())
def test_only_the_partnerships_managers_open_the_import_page(client, personas, plan, role, status):
    assert _get(client, personas.by_role(role), "actionplans:import", plan).status_code == status


@pytest.mark.parametrize(("role", "status"), [(r, s) for r, s in IMPORT_OUTCOMES.items() if s != 200])
def test_nobody_but_a_manager_imports_actions_and_a_refusal_creates_nothing(client, personas, plan, role, status):
    before = Action.objects.count(), Action.history.count()

    response = _import(client, personas.by_role(role), plan, _csv_file([IMPORT_HEADER, _row("2.1")]))

    assert response.status_code == status
    assert (Action.objects.count(), Action.history.count()) == before


def test_an_officer_cannot_import_into_their_plan_nor_find_another_partnerships(client, personas, plan):
    hillford_officer = UserFactory(email="hillford.officer@example.org")
    RoleFactory(
        person=hillford_officer, partnership=personas.other_csp, organisation=personas.police, role=Role.PARTNER_OFFICER
    )
    upload = _csv_file([IMPORT_HEADER, _row("2.1")])

    assert _import(client, personas.police_officer, plan, upload).status_code == 403
    upload.seek(0)
    assert _import(client, hillford_officer, plan, upload).status_code == 404
    assert not plan.actions.filter(reference="2.1").exists()


def test_a_closed_plan_takes_no_imports(client, personas, plan):
    services.action_plan_close(actor=None, action_plan=plan)

    assert _get(client, personas.manager, "actionplans:import", plan).status_code == 403
    response = _import(client, personas.manager, plan, _csv_file([IMPORT_HEADER, _row("2.1")]))
    assert response.status_code == 403
    assert not plan.actions.filter(reference="2.1").exists()


def test_the_import_service_refuses_a_closed_plan_too():
    action_plan = ActionPlan(status="closed")

    with pytest.raises(exchange.ImportRefused, match="closed"):
        exchange.actions_import(actor=None, action_plan=action_plan, name="a.csv", upload=io.BytesIO(b""))
