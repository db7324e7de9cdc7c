"""Action plan export (CSV, XLSX) and import pages.

actionplans.permissions fetches and authorises; actionplans.exchange reads and writes the files. Exports
answer whoever may read the plan (404 for anyone else), without lead officers' names for those who may
not read people; importing is for the partnership's managers (403 for other readers).
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from typing import Any

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from actionplans import exchange, permissions, selectors
from actionplans.models import ActionPlan, ActionPlanStatus, ActionStatus
from actionplans.views.common import actor, plan_url
from partnerships.forms import PortalForm, posted

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def export_filters(params: QueryDict) -> tuple[selectors.ActionFilters, str]:
    """The plan page's filters and sort, from the same query string as the plan page.

    As on the plan page, a choice that is not one (an old link) is ignored; a due date that is not a real
    date is a bad request rather than an export of everything. The date is yyyy-mm-dd, or the plan page's
    GOV.UK date input (due_before_0, _1, _2: day, month, year).
    """
    organisation = params.get("organisation", "").strip()
    status = params.get("status", "").strip()
    rag = params.get("rag", "").strip()
    sort = params.get("sort", "").strip()
    filters = selectors.ActionFilters(
        organisation=int(organisation) if organisation.isdigit() else None,
        status=status if status in ActionStatus.values else "",
        rag=rag if rag in selectors.RAG_LABELS else "",
        due_before=_due_before(params),
    )
    return filters, sort if sort in selectors.SORTS else "reference"


def _due_before(params: QueryDict) -> date | None:
    text = params.get("due_before", "").strip()
    parts = [params.get(f"due_before_{n}", "").strip() for n in range(3)]
    if not text and not any(parts):
        return None
    match = _ISO_DATE.fullmatch(text) if text else None
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        if not text and all(part.isdigit() for part in parts):
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        pass
    raise BadRequest("Due before must be a real date")


def _export(request: HttpRequest, pk: int) -> tuple[ActionPlan, list[str], Any]:
    action_plan = permissions.get_action_plan_for_user(request.user, pk)
    filters, sort = export_filters(request.GET)
    with_people = permissions.can_read_people(request.user, action_plan.partnership)
    header = exchange.export_columns(with_people=with_people)
    rows = exchange.export_rows(action_plan, filters, with_people=with_people, sort=sort)
    return action_plan, header, rows


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The plan's actions (the plan page's filters applied) as CSV, streamed as it is read."""
    action_plan, header, rows = _export(request, pk)
    response = StreamingHttpResponse(exchange.csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, exchange.export_filename(action_plan, "csv"))
    response["Cache-Control"] = "private, no-store"  # it may name people
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    """The plan's actions (the plan page's filters applied) as an Excel workbook."""
    action_plan, header, rows = _export(request, pk)
    # Written to disk by openpyxl's write-only mode, then streamed from there: memory stays flat.
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    exchange.write_xlsx(header, rows, file, sheet_title=action_plan.title)
    file.seek(0)
    response = FileResponse(
        file, as_attachment=True, filename=exchange.export_filename(action_plan, "xlsx"), content_type=XLSX_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response


class ActionImportForm(PortalForm):
    submit_label = "Import actions"

    file = forms.FileField(
        label="Spreadsheet of actions",
        help_text="An Excel file (.xlsx) or a CSV file, up to 5 MB",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={
            "required": "Choose a spreadsheet of actions (.xlsx or .csv)",
            "empty": "The file is empty",
            "invalid": "Choose a spreadsheet of actions (.xlsx or .csv)",
        },
    )

    def layout(self) -> Layout:
        return Layout(Field("file"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(exchange.IMPORT_EXTENSIONS):
            raise ValidationError(f"{upload.name} is not an Excel (.xlsx) or CSV (.csv) file")
        if upload.size > exchange.MAX_IMPORT_BYTES:
            raise ValidationError(f"{upload.name} is larger than 5 MB")
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_actions(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a spreadsheet of actions: every row checked, then all created, or none and every problem listed."""
    action_plan = permissions.get_action_plan_for_user(request.user, pk, for_write=True)
    if action_plan.status == ActionPlanStatus.CLOSED:
        raise PermissionDenied("This action plan is closed")
    form = ActionImportForm(posted(request), request.FILES if request.method == "POST" else None)
    context: dict[str, Any] = {
        "action_plan": action_plan,
        "partnership": action_plan.partnership,
        "form": form,
        "columns": exchange.IMPORT_COLUMNS.items(),
        "max_rows": exchange.MAX_IMPORT_ROWS,
        "plan_url": plan_url(action_plan),
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = exchange.actions_import(
                actor=actor(request), action_plan=action_plan, name=upload.name, upload=upload
            )
        except exchange.ImportRefused as error:
            # The problems are about the file chosen: shown at the file input and in the error summary.
            form.add_error("file", error.messages)
            context["file_name"] = upload.name
            return render(request, "actionplans/import_result.html", context, status=400)
        context.update(created=created, file_name=upload.name)
        return render(request, "actionplans/import_result.html", context)
    return render(request, "actionplans/import.html", context, status=400 if form.errors else 200)
