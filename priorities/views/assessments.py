"""Strategic assessment pages: the crime profile, police.uk import, issues, consultation and workflow.

Views parse and render; priorities.permissions fetches and authorises, priorities.services changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from csp_portal.pages import GET_AND_POST, actor, form_page
from partnerships import permissions as partnership_permissions
from partnerships.forms import posted
from partnerships.models import PartnershipKind
from priorities import charts, permissions, selectors, services
from priorities.forms import (
    AssessmentForm,
    CommentForm,
    ConfirmForm,
    ConsultationForm,
    CrimeImportForm,
    IssueForm,
    LocalDataForm,
)
from priorities.models import CandidateIssue, CrimeImport, StrategicAssessment

TEMPLATE_FORM = "priorities/form.html"


def _assessment_url(assessment: StrategicAssessment) -> str:
    return reverse("priorities:assessment", args=[assessment.pk])


def _back(assessment: StrategicAssessment) -> dict[str, Any]:
    return {
        "partnership": assessment.partnership,
        "back_url": _assessment_url(assessment),
        "back_text": f"Back to {assessment.title}",
    }


@login_required
def assessment_list(request: HttpRequest, ref: str) -> HttpResponse:
    """A partnership's strategic assessments the user may read."""
    partnership = partnership_permissions.get_partnership_for_user(request.user, ref)
    assessments = selectors.assessments_for_partnership(
        permissions.visible_assessments(request.user).filter(partnership=partnership)
    )
    imports = CrimeImport.objects.filter(scope=partnership).select_related("imported_by")[:5]
    return render(
        request,
        "priorities/assessment_list.html",
        {
            "partnership": partnership,
            "assessments": assessments,
            "can_draft": permissions.can_draft(request.user, partnership),
            "imports": imports if permissions.can_draft(request.user, partnership) else [],
        },
    )


@login_required
@GET_AND_POST
def assessment_create(request: HttpRequest, ref: str) -> HttpResponse:
    partnership = partnership_permissions.get_partnership_for_user(request.user, ref, for_write=True)
    if partnership.kind != PartnershipKind.CSP:
        raise PermissionDenied("Strategic assessments belong to community safety partnerships")
    form = AssessmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_create(
                actor=actor(request),
                partnership=partnership,
                year=data["year"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                summary=data["summary"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{assessment.title} started")
            return redirect(_assessment_url(assessment))
    return form_page(
        request,
        TEMPLATE_FORM,
        form,
        partnership=partnership,
        title="Start a strategic assessment",
        back_url=reverse("priorities:assessments", args=[partnership.slug]),
        back_text="Back to strategic assessments",
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment: crime profile, hot spots, scored issues, consultation and its workflow."""
    assessment = permissions.get_assessment_for_user(request.user, pk)
    partnership = assessment.partnership
    profile = selectors.crime_profile(assessment)
    context = {
        "assessment": assessment,
        "partnership": partnership,
        "profile": profile,
        "profile_chart": _profile_chart(profile) if profile.has_data else "",
        "issues": selectors.ranked_issues(assessment),
        "consultations": selectors.consultations(assessment),
        "local_data": selectors.local_data(assessment),
        "comments": list(assessment.comments.select_related("author")),
        "can_edit": permissions.can_draft(request.user, partnership) and not assessment.is_approved,
        "can_share": permissions.can_draft(request.user, partnership) and assessment.status == "draft",
        "can_approve": permissions.can_approve(request.user, partnership) and assessment.status == "shared",
        "can_comment": permissions.can_comment(request.user, partnership) and assessment.status == "shared",
        "comment_form": CommentForm(),
    }
    return render(request, "priorities/assessment_detail.html", context)


def _profile_chart(profile: selectors.CrimeProfile) -> str:
    this = f"{profile.months[0]:%b %Y} to {profile.months[-1]:%b %Y}"
    before = f"{profile.previous_start:%b %Y} to {profile.previous_end:%b %Y}"
    total = profile.total
    return charts.bar_chart(
        [charts.Bar(c.category.label, c.current, c.previous) for c in profile.changes],
        title="Recorded crime by category",
        summary=f"{total.current:,} crimes from {this}, against {total.previous:,} from {before}. "
        "The table below gives every figure.",
        series=(this, before),
        chart_id="crime-profile",
    )


@login_required
@GET_AND_POST
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_assessment_for_user(request.user, pk, action="edit")
    initial = {
        "title": assessment.title,
        "period_start": assessment.period_start,
        "period_end": assessment.period_end,
        "summary": assessment.summary,
        "version": assessment.version,
    }
    form = AssessmentForm(posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_update(
                actor=actor(request),
                assessment=assessment,
                version=data["version"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                summary=data["summary"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Assessment saved")
            return redirect(_assessment_url(assessment))
    return form_page(request, TEMPLATE_FORM, form, title=f"Change {assessment.title}", **_back(assessment))


def _workflow_step(
    request: HttpRequest, pk: int, *, action: str, label: str, title: str, explanation: str, step: Any, done: str
) -> HttpResponse:
    assessment = permissions.get_assessment_for_user(request.user, pk, action=action)
    if assessment.is_approved:
        raise PermissionDenied("An approved assessment is read-only")
    form = ConfirmForm(posted(request), label=label)
    if request.method == "POST" and form.is_valid():
        try:
            step(actor=actor(request), assessment=assessment)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect(_assessment_url(assessment))
    return form_page(request, TEMPLATE_FORM, form, title=title, explanation=explanation, **_back(assessment))


@login_required
@GET_AND_POST
def assessment_share(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow_step(
        request,
        pk,
        action="edit",
        label="Share with partners",
        title="Share the assessment with partners",
        explanation="Partner officers will be able to read the draft and comment on it, for example before "
        "the partners' workshop. You can still change it until the chair approves it.",
        step=services.assessment_share,
        done="Assessment shared with partners",
    )


@login_required
@GET_AND_POST
def assessment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow_step(
        request,
        pk,
        action="approve",
        label="Approve assessment",
        title="Approve the strategic assessment",
        explanation="Once approved the assessment is read-only, and scrutiny and county group members can read it.",
        step=services.assessment_approve,
        done="Assessment approved",
    )


@login_required
@require_http_methods(["POST"])
def assessment_comment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_assessment_for_user(request.user, pk, action="comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_comment(actor=actor(request), assessment=assessment, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Comment added")
            return redirect(_assessment_url(assessment) + "#comments")
    return form_page(request, TEMPLATE_FORM, form, title="Comment on the assessment", **_back(assessment))


@login_required
@GET_AND_POST
def issue_edit(request: HttpRequest, pk: int, issue_pk: int | None = None) -> HttpResponse:
    """Add a candidate issue, or change one, with its harm, likelihood and trend scores."""
    assessment = permissions.get_assessment_for_user(request.user, pk, action="edit")
    issue = get_object_or_404(CandidateIssue, pk=issue_pk, assessment=assessment) if issue_pk else None
    initial = (
        {
            "title": issue.title,
            "category": issue.category,
            "evidence": issue.evidence,
            "harm": issue.harm,
            "likelihood": issue.likelihood,
            "trend": issue.trend,
            "recommended": issue.recommended,
        }
        if issue
        else {"trend": "stable"}
    )
    form = IssueForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.issue_save(actor=actor(request), assessment=assessment, issue=issue, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{saved.title} saved")
            return redirect(_assessment_url(assessment) + "#issues")
    title = f"Change {issue.title}" if issue else "Add a candidate issue"
    return form_page(request, TEMPLATE_FORM, form, title=title, **_back(assessment))


@login_required
@GET_AND_POST
def consultation_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_assessment_for_user(request.user, pk, action="edit")
    form = ConsultationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.consultation_add(
                actor=actor(request),
                assessment=assessment,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                respondents=data["respondents"],
                notes=data["notes"],
                results=data["results"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{event.title} added")
            return redirect(_assessment_url(assessment) + "#consultation")
    return form_page(request, TEMPLATE_FORM, form, title="Add a consultation", **_back(assessment))


@login_required
@GET_AND_POST
def local_data_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_assessment_for_user(request.user, pk, action="edit")
    form = LocalDataForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            figure = services.local_data_add(actor=actor(request), assessment=assessment, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{figure.indicator} added")
            return redirect(_assessment_url(assessment) + "#local-data")
    return form_page(request, TEMPLATE_FORM, form, title="Add a figure from another source", **_back(assessment))


@login_required
@GET_AND_POST
def crime_import(request: HttpRequest, ref: str) -> HttpResponse:
    """Upload police.uk files for a CSP, or force-wide files for a county group (all its CSPs)."""
    partnership = partnership_permissions.get_partnership_for_user(request.user, ref, for_write=True)
    if partnership.kind not in (PartnershipKind.CSP, PartnershipKind.COUNTY_GROUP):
        raise PermissionDenied("Crime data is imported for a CSP or a county group")
    form = CrimeImportForm(posted(request), request.FILES if request.method == "POST" else None)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.crime_import(
                actor=actor(request),
                scope=partnership,
                files=[(f.name, services.text_stream(f.file)) for f in form.cleaned_data["csv_files"]],
            )
        except ValidationError as error:
            # A refused file is about the files chosen: shown at the file input, and in the summary.
            form.add_error("csv_files", error.messages)
        else:
            url = reverse("priorities:crime_import_summary", args=[summary.record_id])
            if wants_json:
                return JsonResponse({"redirect": url})
            return redirect(url)
    if wants_json and form.is_bound:
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return JsonResponse({"errors": errors}, status=400)
    return form_page(
        request,
        TEMPLATE_FORM,
        form,
        partnership=partnership,
        title="Import police.uk crime data",
        multipart=True,
        explanation=(
            "Rows are matched to the partnership through their neighbourhood (LSOA) and its district. "
            "Rows outside the partnership's districts and rows without a location are counted and shown on the "
            "summary. Importing a month again replaces it."
            if partnership.kind == PartnershipKind.CSP
            else "A force-wide file is shared out: every CSP in the county group's police force area gets the "
            "rows of its own districts. Importing a month again replaces it."
        ),
        back_url=reverse("priorities:assessments", args=[partnership.slug]),
        back_text="Back to strategic assessments",
    )


@login_required
def crime_import_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """What an import did with every row."""
    record = get_object_or_404(CrimeImport.objects.select_related("scope", "imported_by"), pk=pk)
    partnership_permissions.get_partnership_for_user(request.user, record.scope.slug, for_write=True)
    outside: dict[str, int] = record.summary.get("outside", {})
    return render(
        request,
        "priorities/crime_import_summary.html",
        {
            "record": record,
            "partnership": record.scope,
            "months": [f"{date.fromisoformat(m):%B %Y}" for m in record.months],
            "per_partnership": record.summary.get("per_partnership", {}),
            # Where the rows outside the partnership(s) were, most rows first.
            "outside": sorted(outside.items(), key=lambda item: (-item[1], item[0])),
        },
    )
