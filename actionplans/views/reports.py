"""Annual reports to the crime and disorder committee: the list, starting one, the narrative, publishing,
and the report as a printable page, a PDF and a spreadsheet.

A draft shows figures generated now; a published report shows the figures frozen when it was published.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from actionplans import dashboard, permissions
from actionplans.models import AnnualReport
from actionplans.reports import services
from actionplans.reports.contents import rag_chart, report_contents
from actionplans.reports.forms import PublishForm, ReportForm, ReportStartForm
from actionplans.reports.pdf import report_pdf
from actionplans.reports.xlsx import write_report_xlsx
from actionplans.selectors import RAG_LABELS
from actionplans.services import StaleEdit
from actionplans.views.common import GET_AND_POST, actor, form_page, page_of
from csp_portal.history import adopt
from partnerships import permissions as partnership_permissions
from partnerships.forms import posted
from partnerships.models import Partnership
from priorities import permissions as priority_permissions
from priorities.models import PlanStatus
from reviews.permissions import may_see_review_counts

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reports_url(partnership: Partnership) -> str:
    return reverse("actionplans:reports", args=[partnership.slug])


def _report_url(report: AnnualReport) -> str:
    return reverse("actionplans:report", args=[report.pk])


def _readable_partnership(request: HttpRequest, ref: str) -> Partnership:
    partnership = permissions.get_dashboard_partnership(request.user, ref)
    if not partnership.is_csp:
        raise Http404("Annual reports to the crime and disorder committee are a CSP's")
    return partnership


@login_required
@require_GET
def report_list(request: HttpRequest, ref: str) -> HttpResponse:
    """A partnership's annual reports, newest first: published ones for every reader, drafts for managers
    and the chair."""
    partnership = _readable_partnership(request, ref)
    reports = (
        permissions.visible_annual_reports(request.user)
        .filter(partnership=partnership)
        .select_related("plan")
        .order_by("-period_start")
    )
    context = {
        "partnership": partnership,
        "page": page_of(request, reports),
        "can_write": permissions.can_write_reports(request.user, partnership),
    }
    return render(request, "actionplans/reports/list.html", context)


@login_required
@GET_AND_POST
def report_start(request: HttpRequest, ref: str) -> HttpResponse:
    partnership = partnership_permissions.get_partnership_for_user(request.user, ref, for_write=True)
    if not partnership.is_csp:
        raise Http404("Annual reports to the crime and disorder committee are a CSP's")
    plans = priority_permissions.visible_plans(request.user).filter(
        partnership=partnership, status__in=services.REPORTABLE_PLANS
    )
    form = ReportStartForm(posted(request), years=dashboard.plan_choices(plans))
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            report = services.annual_report_create(
                actor=actor(request),
                partnership=partnership,
                plan=form.plans[year],
                year=year,
                committee=form.cleaned_data["committee"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Report started as a draft. Its figures come from the portal's data.")
            return redirect(_report_url(report))
    return form_page(
        request,
        form,
        partnership=partnership,
        title="Start an annual report",
        explanation="The report to the council's crime and disorder committee on one year of the partnership "
        "plan. Its figures are generated from the action plans, measures and strategic assessment; you write "
        "the summary, successes, the year ahead and the recommendations to the committee.",
        warning=None if plans.filter(status=PlanStatus.ADOPTED).exists() else "The partnership has no adopted plan.",
        back_url=_reports_url(partnership),
        back_text="Back to annual reports",
    )


def _report_context(request: HttpRequest, report: AnnualReport) -> dict[str, Any]:
    contents = report.contents if report.is_published else report_contents(report)
    assert contents is not None  # noqa: S101 - a published report always has its contents (a constraint)
    return {
        "report": report,
        "partnership": report.partnership,
        "contents": contents,
        "rag_chart": rag_chart(contents),
        "rag_labels": RAG_LABELS,
        # Review counts are need-to-know even in a report: partner officers do not see them.
        "show_reviews": bool(contents.get("reviews")) and may_see_review_counts(request.user, report.partnership),
    }


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a printable page."""
    report = permissions.get_annual_report_for_user(request.user, pk)
    can_write = not report.is_published and permissions.can_write_reports(request.user, report.partnership)
    context = {
        **_report_context(request, report),
        "can_write": can_write,
        "reports_url": _reports_url(report.partnership),
    }
    return render(request, "actionplans/reports/detail.html", context)


@login_required
@GET_AND_POST
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _draft(request, pk)
    initial = {name: getattr(report, name) for name in ("title", "committee", *services.NARRATIVE, "version")}
    form = ReportForm(posted(request), initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.annual_report_update(
                actor=actor(request),
                report=report,
                version=data["version"],
                title=data["title"],
                committee=data["committee"],
                **{name: data[name] for name in services.NARRATIVE},
            )
        except StaleEdit as error:
            stale = True
            form.add_error(None, error.messages[0])
            form.set_version(error.current.version)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Report saved")
            return redirect(_report_url(report))
    return form_page(
        request,
        form,
        stale=stale,
        partnership=report.partnership,
        caption=report.title,
        title="Write the report",
        explanation="The figures, tables and highlights are generated from the data; these sections are yours.",
        back_url=_report_url(report),
        back_text="Back to the report",
    )


@login_required
@GET_AND_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = _draft(request, pk)
    form = PublishForm(posted(request), initial={"version": report.version})
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_publish(actor=actor(request), report=report, version=form.cleaned_data["version"])
        except StaleEdit as error:
            stale = True
            form.add_error(None, error.messages[0])
            form.set_version(error.current.version)
            adopt(report, error.current)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Report published: its figures are now fixed as they are today")
            return redirect(_report_url(report))
    return form_page(
        request,
        form,
        stale=stale,
        partnership=report.partnership,
        caption=report.title,
        title="Publish the report",
        explanation="Publishing fixes the report's figures as they are now and makes it readable by the "
        "scrutiny committee and the partners. Later changes to actions and measures will not change it.",
        warning="A published report cannot be changed.",
        back_url=_report_url(report),
        back_text="Back to the report",
    )


def _draft(request: HttpRequest, pk: int) -> AnnualReport:
    report = permissions.get_annual_report_for_user(request.user, pk, for_write=True)
    if report.is_published:
        raise PermissionDenied("A published report cannot be changed")
    return report


def _filename(report: AnnualReport, extension: str) -> str:
    state = "" if report.is_published else "-draft"
    return f"{slugify(report.partnership.name)}-annual-report-{report.period_start.year}{state}.{extension}"


@login_required
@require_GET
def report_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as an A4 PDF for the committee's papers."""
    report = permissions.get_annual_report_for_user(request.user, pk)
    context = {**_report_context(request, report), "printed_on": timezone.localdate()}
    response = HttpResponse(report_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_xlsx_download(request: HttpRequest, pk: int) -> FileResponse:
    """The report's tables as an Excel workbook."""
    report = permissions.get_annual_report_for_user(request.user, pk)
    context = _report_context(request, report)
    contents = dict(context["contents"])
    if not context["show_reviews"]:
        contents["reviews"] = None
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    write_report_xlsx(report, contents, file)
    file.seek(0)
    response = FileResponse(file, as_attachment=True, filename=_filename(report, "xlsx"), content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
