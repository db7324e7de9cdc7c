"""Action plans in and out of spreadsheets: export a plan's actions to CSV or XLSX; import actions from one.

Export keeps memory flat however many actions a plan has: rows are read from the database a chunk at a
time; CSV is streamed to the browser as it is written; XLSX goes through openpyxl's write-only mode, which
writes rows to a temporary file rather than holding a workbook in memory.

Import is for a partnership moving off a spreadsheet, and is all or nothing. Every row is parsed and
checked by the service's rules first, and every problem reported with the row number the spreadsheet
shows (the header is row 1) and the column; only a file without problems creates its actions, through
services.action_create, in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from actionplans import selectors, services
from actionplans.models import Action, ActionPlan, ActionPlanStatus, ActionStatus, BudgetLine
from partnerships.models import Organisation, OrganisationMembership, RoleAssignment, User
from priorities.models import Priority, PriorityStatus

# --- Export ---------------------------------------------------------------------------------------------

# Rows fetched per query (with their supporting partners): a few megabytes at a time for any plan size.
EXPORT_CHUNK = 2_000
LEAD_OFFICER = "lead officer"
EXPORT_COLUMNS = (
    "ref",
    "priority",
    "action",
    "description",
    "lead organisation",
    LEAD_OFFICER,
    "supporting partners",
    "start",
    "due",
    "status",
    "RAG",
    "% complete",
    "latest update date",
    "overdue",
    "budget total",
    "spent",
)
PENNY = Decimal("0.01")
DATE_COLUMNS = frozenset({"start", "due", "latest update date"})
MONEY_COLUMNS = frozenset({"budget total", "spent"})
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"); tab and carriage
# return too, which some spreadsheets skip before looking for one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_columns(*, with_people: bool) -> list[str]:
    """The export's header: lead officers (personal data) only for those who may read people."""
    return [c for c in EXPORT_COLUMNS if with_people or c != LEAD_OFFICER]


def _money(field: str) -> Coalesce:
    total = (
        BudgetLine.objects.filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(total=Sum(field))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return Coalesce(Subquery(total, output_field=money), Value(Decimal("0.00")), output_field=money)


_STATUS_LABELS = dict(ActionStatus.choices)
_EXPORT_VALUES = (
    "pk",
    "reference",
    "priority__title",
    "title",
    "description",
    "lead_organisation__name",
    "lead_officer__full_name",
    "start_date",
    "due_date",
    "status",
    "display_rag",
    "percent_complete",
    "last_update_on",
    "is_overdue",
    "budget_total",
    "budget_spent",
)


def export_rows(
    action_plan: ActionPlan,
    filters: selectors.ActionFilters,
    *,
    with_people: bool,
    sort: str = "reference",
) -> Iterator[list[Any]]:
    """The plan's actions as export rows (dates as dates, money as Decimal), in the plan page's order.

    Two queries per EXPORT_CHUNK actions: the actions with their flags and budget sums (as values, not
    model instances: ten times the rows a second), and the names of their supporting partners.
    """
    actions = (
        selectors.actions_for_plan(action_plan, filters, sort)
        .annotate(budget_total=_money("amount"), budget_spent=_money("spent_to_date"))
        .values(*_EXPORT_VALUES)
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    while chunk := list(islice(actions, EXPORT_CHUNK)):
        supporting = _supporting_names([action["pk"] for action in chunk])
        for action in chunk:
            row: list[Any] = [
                action["reference"],
                action["priority__title"] or "",
                action["title"],
                action["description"],
                action["lead_organisation__name"],
            ]
            if with_people:
                row.append(action["lead_officer__full_name"] or "")
            row += [
                "; ".join(supporting.get(action["pk"], ())),
                action["start_date"],
                action["due_date"],
                _STATUS_LABELS.get(action["status"], action["status"]),
                selectors.RAG_LABELS[action["display_rag"]],
                action["percent_complete"],
                action["last_update_on"],
                "yes" if action["is_overdue"] else "no",
                _pounds(action["budget_total"]),
                _pounds(action["budget_spent"]),
            ]
            yield row
        del chunk, supporting  # before the next chunk is read, not after: one chunk in memory at a time


def _supporting_names(action_ids: list[int]) -> dict[int, list[str]]:
    """Action id → the names of its supporting partners, alphabetically (one query)."""
    through = Action.supporting_organisations.through
    names: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(action_id__in=action_ids)
        .order_by("organisation__name")
        .values_list("action_id", "organisation__name")
    )
    for action_id, name in rows:
        names.setdefault(action_id, []).append(name)
    return names


def _pounds(value: Any) -> Decimal:
    # SQLite hands sums back without their two decimal places.
    return Decimal(value).quantize(PENNY)


def csv_cell(value: Any) -> str:
    """A value as CSV text: ISO dates, and text that a spreadsheet would run as a formula quoted with '."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Line:
    """csv.writer's file: hands back each line instead of storing it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The CSV file a line at a time, starting with a byte-order mark so that Excel reads it as UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


# Column widths (characters) for the XLSX export; the rest take DEFAULT_WIDTH.
XLSX_WIDTHS = {"ref": 8, "priority": 30, "action": 50, "description": 60, "supporting partners": 40}
DEFAULT_WIDTH = 16


@dataclass
class Sheet:
    """One sheet of an XLSX workbook: a header row, rows, and which columns hold dates and money."""

    title: str
    header: list[str]
    rows: Iterable[list[Any]]
    dates: frozenset[str] = frozenset()
    money: frozenset[str] = frozenset()
    widths: dict[str, int] = dataclass_field(default_factory=dict)


def write_xlsx(header: list[str], rows: Iterable[list[Any]], destination: IO[bytes], *, sheet_title: str) -> None:
    """Write an XLSX workbook of one sheet of actions."""
    write_workbook([Sheet(sheet_title, header, rows, DATE_COLUMNS, MONEY_COLUMNS, XLSX_WIDTHS)], destination)


def write_workbook(sheets: list[Sheet], destination: IO[bytes]) -> None:
    """Write an XLSX workbook: each sheet with a styled, frozen header row and filters, dates as dates,
    money as numbers; text that a spreadsheet would run as a formula stays text."""
    workbook = Workbook(write_only=True)
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1D70B8")
    wrap = Alignment(wrap_text=True, vertical="top")
    for spec in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(spec.title))
        sheet.freeze_panes = "A2"
        for number, name in enumerate(spec.header, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = spec.widths.get(name, DEFAULT_WIDTH)
        head = []
        for name in spec.header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
            head.append(cell)
        sheet.append(head)
        formats = {
            index: "dd/mm/yyyy" if name in spec.dates else "#,##0.00"
            for index, name in enumerate(spec.header)
            if name in spec.dates or name in spec.money
        }
        count = 0
        for row in spec.rows:
            cells: list[Any] = list(row)
            for index, value in enumerate(cells):
                if index in formats and value is not None:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = formats[index]
                    cells[index] = cell
                elif isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"  # openpyxl would otherwise store it as a formula
                    cells[index] = cell
            sheet.append(cells)
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(spec.header))}{count + 1}"
    workbook.save(destination)


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet's name, and names longer than 31 characters.
    return re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Actions"


def export_filename(action_plan: ActionPlan, extension: str) -> str:
    """The download's name, from the plan's title: community-safety-action-plan-2026-27.xlsx."""
    # Slashes and en or em dashes separate years ("2026/27"): kept as hyphens, not run together.
    return f"{slugify(re.sub(r'[/–—]', '-', action_plan.title)) or 'action-plan'}.{extension}"


# --- Import ---------------------------------------------------------------------------------------------

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Far more actions than a partnership's plan has. Each row costs some 18 queries (checked, then created
# through action_create with its history and supporting partners): 2,000 rows took 40 s in the benchmark,
# too long for a page; 500 take about 10.
MAX_IMPORT_ROWS = 500
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an XLSX is a zip: refuse one that unpacks to far more than 5 MB
MAX_ERRORS = 100  # a file wrong throughout is reported by its first problems, not thousands
IMPORT_EXTENSIONS = (".xlsx", ".csv")

# Column → what it holds, as the import page explains it.
IMPORT_COLUMNS = {
    "ref": "The action's reference, like 1.3; not one the action plan already has",
    "priority": "The title of one of the priorities of the plan's partnership plan (may be blank)",
    "action": "What will be done",
    "description": "More about the action, and why (may be blank)",
    "lead organisation": "The name of the member organisation that leads it",
    "lead officer email": "The email address of the person leading it, who has a role in the partnership "
    "for the lead organisation (may be blank)",
    "supporting partners": "Names of other member organisations, separated by semicolons (may be blank)",
    "start date": "Like 01/04/2026 (day/month/year) or 2026-04-01",
    "due date": "Like 31/03/2027 (day/month/year) or 2027-03-31",
    "status": "Not started, In progress, Complete, Cancelled or Deferred (blank is Not started)",
}
# Where the service's errors (by ActionFields field) are shown: the column that holds the value.
_COLUMN_OF_FIELD = {
    "reference": "ref",
    "title": "action",
    "description": "description",
    "priority": "priority",
    "lead_organisation": "lead organisation",
    "lead_officer": "lead officer email",
    "supporting_organisations": "supporting partners",
    "start_date": "start date",
    "due_date": "due date",
    "status": "status",
}
_STATUS_WORDS = {
    **{str(label).lower(): value for value, label in ActionStatus.choices},
    **{value: value for value in ActionStatus.values},
    **{value.replace("_", " "): value for value in ActionStatus.values},
}
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")
_FIELD_LIMITS = {"ref": 20, "action": 300}  # the model's max_length


@dataclass(frozen=True)
class ParsedRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    fields: services.ActionFields


class ImportRefused(ValidationError):
    """The file was refused: `messages` names each problem ("Row 7, due date: …"); nothing was saved."""


def actions_import(*, actor: User | None, action_plan: ActionPlan, name: str, upload: IO[bytes]) -> list[Action]:
    """Create actions from an XLSX or CSV file, all or nothing; ImportRefused lists every problem."""
    if action_plan.status == ActionPlanStatus.CLOSED:
        raise ImportRefused("This action plan is closed: no actions can be added")
    header, rows = _read_table(name, upload)
    columns = _columns(header)
    parsed = _parse_rows(action_plan, columns, rows)
    try:
        with transaction.atomic():
            # Imports into one plan take turns, and the plan cannot be closed while one runs.
            current = ActionPlan.objects.select_for_update().get(pk=action_plan.pk)
            if current.status == ActionPlanStatus.CLOSED:
                raise ImportRefused("This action plan is closed: no actions can be added")
            created = []
            for row in parsed:
                try:
                    created.append(services.action_create(actor=actor, action_plan=current, fields=row.fields))
                except ValidationError as error:
                    raise ImportRefused(_row_errors(row.number, error)) from error
    except IntegrityError as error:
        # Another import or form added one of the references after this file was checked.
        raise ImportRefused(
            "Someone else added actions to the plan while the file was being imported, with a reference the file "
            "uses. Nothing was imported: upload the file again to see which rows clash"
        ) from error
    return created


def _read_table(name: str, upload: IO[bytes]) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header and the data rows (with their spreadsheet row numbers) of an XLSX or CSV file."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        rows = _xlsx_rows(upload)
    elif lowered.endswith(".csv"):
        rows = _csv_rows(upload)
    else:
        raise ImportRefused("The file must be a spreadsheet saved as .xlsx or .csv")
    first = next(rows, None)
    if first is None or not any(_text(v) for v in first[1]):
        raise ImportRefused("Row 1 must be the header, naming the columns: " + ", ".join(IMPORT_COLUMNS))
    return [_text(v) for v in first[1]], rows


# What openpyxl raises on a file that is not a readable workbook: a bad zip, missing parts, XML that does
# not parse (ParseError is a SyntaxError), or XML that defusedxml refuses (entities: a ValueError).
_UNREADABLE = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    SyntaxError,
    OSError,
    EOFError,
)
UNREADABLE_XLSX = "The file is not an Excel spreadsheet (.xlsx) that can be read"


def _xlsx_rows(upload: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        upload.seek(0)
        if unpacked > MAX_UNPACKED_BYTES:
            raise ImportRefused(
                f"The spreadsheet is too large once unpacked: import at most {MAX_IMPORT_ROWS:,} actions at a time"
            )
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (*_UNREADABLE, IndexError) as error:
        raise ImportRefused(UNREADABLE_XLSX) from error
    # Read-only mode believes the sheet's stated size, which some programs write wrongly: read what is there.
    sheet.reset_dimensions()
    return _sheet_rows(workbook, sheet)


def _sheet_rows(workbook: Any, sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's rows as they are parsed (a sheet's XML is read lazily, so its errors come from here)."""
    try:
        yield from _numbered(sheet.iter_rows(values_only=True))
    except _UNREADABLE as error:
        raise ImportRefused(UNREADABLE_XLSX) from error
    finally:
        workbook.close()


def _csv_rows(upload: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV (Comma delimited)" saves in Windows-1252, not UTF-8.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportRefused("The CSV file's text cannot be read: save it as CSV UTF-8") from error
    if "\x00" in text:
        raise ImportRefused("The file is not a CSV file: save the spreadsheet as CSV UTF-8 or as .xlsx")
    # A record (a row, as a spreadsheet shows it) may span lines inside quotes: rows are counted, not lines.
    return _numbered(csv.reader(io.StringIO(text, newline="")))


def _numbered(rows: Iterable[Iterable[Any]]) -> Iterator[tuple[int, list[Any]]]:
    for number, row in enumerate(rows, start=1):
        yield number, list(row)


def _text(value: Any) -> str:
    """A cell as text: spaces trimmed, and the ' that the export puts before formula-like text removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a reference typed as 2 is read by Excel as the number 2.0
    text = " ".join(str(value).split()) if not isinstance(value, str) else value.strip()
    if text.startswith("'") and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


def _header_name(value: str) -> str:
    return " ".join(value.lower().split())


def _columns(header: list[str]) -> dict[str, int]:
    """Column name → its position in the row; refuses unknown, missing and repeated columns by name."""
    positions: dict[str, int] = {}
    unknown, repeated = [], []
    for index, cell in enumerate(header):
        name = _header_name(cell)
        if not name:
            continue
        if name not in IMPORT_COLUMNS:
            unknown.append(cell)
        elif name in positions:
            repeated.append(cell)
        else:
            positions[name] = index
    problems = []
    if unknown:
        problems.append(f"Row 1: the file has columns the import does not know: {', '.join(unknown)}")
    missing = [name for name in IMPORT_COLUMNS if name not in positions]
    if missing:
        problems.append(f"Row 1: the file is missing columns: {', '.join(missing)}")
    if repeated:
        problems.append(f"Row 1: these columns appear more than once: {', '.join(repeated)}")
    if problems:
        problems.append(f"The columns are: {', '.join(IMPORT_COLUMNS)}")
        raise ImportRefused(problems)
    return positions


class _Lookups:
    """The partnership's organisations, people and priorities, read once for the whole file."""

    def __init__(self, action_plan: ActionPlan) -> None:
        memberships = (
            OrganisationMembership.objects.current()
            .filter(partnership_id=action_plan.partnership_id)
            .select_related("organisation")
        )
        self.organisations = {m.organisation.name.lower(): m.organisation for m in memberships}
        self.priorities: dict[str, Priority] = {}
        if action_plan.plan_id is not None:
            self.priorities = {p.title.lower(): p for p in Priority.objects.filter(plan_id=action_plan.plan_id)}
        roles = (
            RoleAssignment.objects.current().filter(partnership_id=action_plan.partnership_id).select_related("person")
        )
        self.people: dict[str, User] = {}
        self.people_of: set[tuple[str, int]] = set()  # (email, organisation id): a role held for it
        for role in roles:
            email = role.person.email.lower()
            self.people[email] = role.person
            self.people_of.add((email, role.organisation_id))


def _parse_rows(
    action_plan: ActionPlan, columns: dict[str, int], rows: Iterator[tuple[int, list[Any]]]
) -> list[ParsedRow]:
    """Every row parsed and checked by the service's rules; ImportRefused with every problem found."""
    lookups = _Lookups(action_plan)
    errors: list[str] = []
    parsed: list[ParsedRow] = []
    first_row_of: dict[str, int] = {}
    count = 0
    for number, cells in rows:
        values = {name: cells[index] if index < len(cells) else None for name, index in columns.items()}
        if not any(_text(v) for v in values.values()):
            continue  # a blank row between actions
        count += 1
        if count > MAX_IMPORT_ROWS:
            errors.append(f"The file has more than {MAX_IMPORT_ROWS:,} actions: import it in parts")
            break
        row_errors: list[str] = []
        reference = _text(values["ref"])
        if reference in first_row_of:
            row_errors.append(f"Row {number}, ref: {reference} is also the ref of row {first_row_of[reference]}")
        elif reference:
            first_row_of[reference] = number
        fields = _parse_row(number, values, lookups, action_plan, row_errors)
        if fields is not None:
            try:
                # The service's own rules: dates in order, member organisations, a reference new to the plan.
                services._check_action(action_plan, fields)
            except ValidationError as error:
                row_errors += _row_errors(number, error)
        if row_errors:
            errors += row_errors
        elif fields is not None:
            parsed.append(ParsedRow(number, fields))
        if len(errors) > MAX_ERRORS:
            errors = [*errors[:MAX_ERRORS], f"Only the first {MAX_ERRORS} problems are listed"]
            break
    if not errors and not parsed:
        errors.append("The file has a header but no actions under it")
    if errors:
        raise ImportRefused(errors)
    return parsed


def _parse_row(
    number: int, values: dict[str, Any], lookups: _Lookups, action_plan: ActionPlan, errors: list[str]
) -> services.ActionFields | None:
    """One row as ActionFields, or None with its problems added to `errors`."""

    def problem(column: str, message: str) -> None:
        errors.append(f"Row {number}, {column}: {message}")

    text = {name: _text(value) for name, value in values.items()}
    for column, required in (("ref", "Enter the action's reference, like 1.3"), ("action", "Enter the action")):
        if not text[column]:
            problem(column, required)
        elif len(text[column]) > _FIELD_LIMITS[column]:
            problem(column, f"Must be {_FIELD_LIMITS[column]} characters or fewer")

    priority = None
    if text["priority"]:
        priority = lookups.priorities.get(text["priority"].lower())
        if action_plan.plan_id is None:
            problem("priority", "The action plan is not linked to a partnership plan: leave priority blank")
        elif priority is None:
            problem("priority", f"{text['priority']} is not a priority of the partnership plan")
        elif priority.status == PriorityStatus.RETIRED:
            problem("priority", f"{priority.title} was retired from the partnership plan")

    lead = lookups.organisations.get(text["lead organisation"].lower())
    if not text["lead organisation"]:
        problem("lead organisation", "Enter the organisation that leads the action")
    elif lead is None:
        problem("lead organisation", f"{text['lead organisation']} is not a member organisation of the partnership")

    officer = None
    email = text["lead officer email"].lower()
    if email:
        officer = lookups.people.get(email)
        if officer is None:
            problem("lead officer email", f"No one with the email address {email} has a role in the partnership")
        elif lead is not None and (email, lead.pk) not in lookups.people_of:
            officer = None
            problem("lead officer email", f"{email} has no role in the partnership for {lead.name}")

    supporting: list[Organisation] = []
    unknown = []
    for name in (n.strip() for n in text["supporting partners"].split(";")):
        if not name:
            continue
        organisation = lookups.organisations.get(name.lower())
        if organisation is None:
            unknown.append(name)
        elif organisation not in supporting:
            supporting.append(organisation)
    if unknown:
        problem("supporting partners", f"Not member organisations of the partnership: {', '.join(unknown)}")

    start = _date(values["start date"], "start date", problem)
    due = _date(values["due date"], "due date", problem)

    status = _STATUS_WORDS.get(text["status"].lower()) if text["status"] else ActionStatus.NOT_STARTED
    if status is None:
        problem(
            "status", f"{text['status']} is not a status: use Not started, In progress, Complete, Cancelled or Deferred"
        )

    if errors or lead is None or start is None or due is None or status is None:
        return None
    return services.ActionFields(
        reference=text["ref"],
        title=text["action"],
        description=text["description"],
        priority=priority,
        lead_organisation=lead,
        lead_officer=officer,
        supporting_organisations=tuple(supporting),
        start_date=start,
        due_date=due,
        status=status,
    )


def _date(value: Any, column: str, problem: Callable[[str, str], None]) -> date | None:
    """A date cell: a real Excel date, or text as dd/mm/yyyy or yyyy-mm-dd."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        problem(column, f"Enter the {column}")
        return None
    uk, iso = _UK_DATE.fullmatch(text), _ISO_DATE.fullmatch(text)
    try:
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass
    problem(column, f"{text} is not a real date: enter it as day/month/year, like 31/03/2027")
    return None


def _row_errors(number: int, error: ValidationError) -> list[str]:
    """A service's ValidationError as "Row n, column: message" lines."""
    if not hasattr(error, "error_dict"):
        return [f"Row {number}: {message}" for message in error.messages]
    return [
        f"Row {number}, {_COLUMN_OF_FIELD.get(field, field)}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    ]
