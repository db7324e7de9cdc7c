"""Partnership plan pages: the plan and its priorities, outcome measures with charts, the lifecycle
(consultation, adoption), the annual review, the history of changes, and the county view of priorities.

Views parse and render; priorities.permissions fetches and authorises, priorities.services changes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from csp_portal.pages import GET_AND_POST, actor, form_page
from partnerships import permissions as partnership_permissions
from partnerships.forms import posted
from partnerships.models import Partnership, PartnershipKind
from priorities import charts, permissions, selectors, services
from priorities.forms import ConfirmForm
from priorities.forms_plans import AdoptForm, MeasureForm, MeasureValueForm, PlanForm, PriorityForm, ReviewForm
from priorities.models import (
    OutcomeMeasure,
    PartnershipPlan,
    PlanStatus,
    Priority,
    PriorityStatus,
    StrategicAssessment,
)

TEMPLATE_FORM = "priorities/form.html"


def _plan_url(plan: PartnershipPlan, anchor: str = "") -> str:
    return reverse("priorities:plan", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


def _back(plan: PartnershipPlan, anchor: str = "") -> dict[str, Any]:
    return {"partnership": plan.partnership, "back_url": _plan_url(plan, anchor), "back_text": f"Back to {plan.title}"}


def _figure(value: Decimal) -> str:
    """A stored figure as someone would type it: 5400, not 5400.00."""
    return format(value.normalize(), "f")


def _assessments(partnership: Partnership) -> Any:
    return StrategicAssessment.objects.filter(partnership=partnership).order_by("-year")


# --- A partnership's plans -------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest, ref: str) -> HttpResponse:
    """A partnership's plans the user may read, newest first."""
    partnership = partnership_permissions.get_partnership_for_user(request.user, ref)
    plans = selectors.plans_for_partnership(permissions.visible_plans(request.user).filter(partnership=partnership))
    return render(
        request,
        "priorities/plans/list.html",
        {
            "partnership": partnership,
            "plans": plans,
            "can_create": partnership.is_csp and permissions.can_draft(request.user, partnership),
        },
    )


@login_required
@GET_AND_POST
def plan_create(request: HttpRequest, ref: str) -> HttpResponse:
    partnership = partnership_permissions.get_partnership_for_user(request.user, ref, for_write=True)
    if partnership.kind != PartnershipKind.CSP:
        raise PermissionDenied("Partnership plans belong to community safety partnerships")
    form = PlanForm(posted(request), assessments=_assessments(partnership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=actor(request),
                partnership=partnership,
                title=data["title"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                vision=data["vision"],
                assessments=data["assessments"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{plan.title} started. Add its priorities next.")
            return redirect(_plan_url(plan))
    return form_page(
        request,
        TEMPLATE_FORM,
        form,
        partnership=partnership,
        title="Start a partnership plan",
        explanation="A partnership plan (community safety strategy) usually covers three years and is reviewed "
        "every year against the new strategic assessment.",
        back_url=reverse("priorities:plans", args=[partnership.slug]),
        back_text="Back to partnership plans",
    )


# --- One plan ----------------------------------------------------------------------------------------------


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan: its status, period, vision, annual reviews, and each priority with its measures."""
    plan = permissions.get_plan_for_user(request.user, pk)
    partnership = plan.partnership
    detail = selectors.plan_detail(plan)
    for item in [*detail.active, *detail.retired]:
        for progress in item.measures:
            progress.chart = _measure_chart(progress)
    visible = set(
        permissions.visible_assessments(request.user)
        .filter(pk__in=[a.pk for a in detail.assessments])
        .values_list("pk", flat=True)
    )
    can_draft = permissions.can_draft(request.user, partnership)
    status = plan.status
    context = {
        "plan": plan,
        "partnership": partnership,
        "detail": detail,
        "visible_assessments": visible,
        "can_edit": can_draft and status in (PlanStatus.DRAFT, PlanStatus.CONSULTATION),
        "can_consult": can_draft and status == PlanStatus.DRAFT,
        "can_adopt": permissions.can_approve(request.user, partnership) and status == PlanStatus.CONSULTATION,
        "can_review": can_draft
        and status == PlanStatus.ADOPTED
        and any(year.review is None for year in detail.review_years),
        "can_record": can_draft and status != PlanStatus.SUPERSEDED,
        "can_see_history": permissions.can_read_plan_history(request.user, partnership),
        "crumbs": [("Partnership plans", reverse("priorities:plans", args=[partnership.slug]))],
    }
    return render(request, "priorities/plans/detail.html", context)


def _measure_chart(progress: selectors.MeasureProgress) -> str:
    measure = progress.measure
    unit = f" {measure.unit}" if measure.unit else ""
    latest = progress.latest
    summary = (
        f"Baseline {charts.number(measure.baseline)}{unit} at {measure.baseline_date:%-d %B %Y}; "
        f"target {charts.number(measure.target)}{unit} by {measure.target_date:%-d %B %Y} "
        f"({measure.get_direction_display().lower()}). "
    )
    if latest is not None:
        summary += (
            f"{len(progress.values)} values recorded, the latest {charts.number(latest.value)}{unit} "
            f"for the period to {latest.period_end:%-d %B %Y}. "
        )
    else:
        summary += "No values recorded yet. "
    summary += "The table beside the chart gives every value."
    return charts.line_chart(
        [charts.Point(v.period_end, v.value) for v in progress.values],
        baseline=charts.Point(measure.baseline_date, measure.baseline),
        target=charts.Point(measure.target_date, measure.target),
        title=f"{measure.name} ({measure.unit})" if measure.unit else measure.name,
        summary=summary,
        chart_id=f"measure-{measure.pk}",
    )


@login_required
@GET_AND_POST
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, pk, action="edit")
    initial = {
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "vision": plan.vision,
        "assessments": list(plan.assessments.values_list("pk", flat=True)),
        "version": plan.version,
    }
    form = PlanForm(posted(request), initial=initial, assessments=_assessments(plan.partnership), editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_update(
                actor=actor(request),
                plan=plan,
                version=data["version"],
                title=data["title"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                vision=data["vision"],
                assessments=data["assessments"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Plan saved")
            return redirect(_plan_url(plan))
    return form_page(request, TEMPLATE_FORM, form, title=f"Change {plan.title}", **_back(plan))


@login_required
@GET_AND_POST
def plan_consult(request: HttpRequest, pk: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, pk, action="edit")
    form = ConfirmForm(posted(request), label="Send for consultation")
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_send_to_consultation(actor=actor(request), plan=plan)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Plan sent for consultation")
            return redirect(_plan_url(plan))
    return form_page(
        request,
        TEMPLATE_FORM,
        form,
        title="Send the plan for consultation",
        explanation="Partner officers will be able to read the draft. You can still change it until the chair "
        "records its adoption.",
        **_back(plan),
    )


@login_required
@GET_AND_POST
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, pk, action="approve")
    form = AdoptForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_adopt(
                actor=actor(request),
                plan=plan,
                adopted_on=data["adopted_on"],
                adopted_by_body=data["adopted_by_body"],
                adoption_notes=data["adoption_notes"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Adoption recorded")
            return redirect(_plan_url(plan))
    current = (
        PartnershipPlan.objects.filter(partnership=plan.partnership, status=PlanStatus.ADOPTED)
        .exclude(pk=plan.pk)
        .first()
    )
    explanation = "Once adopted, the plan's priorities change only through its annual review."
    if current is not None:
        explanation += f" {current.title} ({current.period_label}) will be marked as superseded by this plan."
    return form_page(
        request, TEMPLATE_FORM, form, title="Record the plan's adoption", explanation=explanation, **_back(plan)
    )


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the plan, its priorities, measures, values and reviews, and when."""
    plan = permissions.get_plan_for_user(request.user, pk, action="history")
    page = Paginator(selectors.plan_history(plan), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    crumbs = [
        ("Partnership plans", reverse("priorities:plans", args=[plan.partnership.slug])),
        (plan.title, _plan_url(plan)),
    ]
    return render(
        request,
        "priorities/plans/history.html",
        {"plan": plan, "partnership": plan.partnership, "page": page, "crumbs": crumbs},
    )


# --- Priorities --------------------------------------------------------------------------------------------


@login_required
@GET_AND_POST
def priority_edit(request: HttpRequest, pk: int, priority_pk: int | None = None) -> HttpResponse:
    """Add a priority to a draft plan, or change one."""
    plan = permissions.get_plan_for_user(request.user, pk, action="edit")
    priority = (
        get_object_or_404(Priority, pk=priority_pk, plan=plan, status=PriorityStatus.ACTIVE) if priority_pk else None
    )
    initial = (
        {
            "title": priority.title,
            "aim": priority.aim,
            "how_achieved": priority.how_achieved,
            "theme": priority.theme,
            "strand": priority.strand,
            "alignment": priority.alignment,
        }
        if priority
        else {}
    )
    form = PriorityForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.priority_save(actor=actor(request), plan=plan, priority=priority, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{saved.title} saved")
            return redirect(_plan_url(plan, f"priority-{saved.pk}"))
    title = f"Change {priority.title}" if priority else "Add a priority"
    return form_page(
        request, TEMPLATE_FORM, form, title=title, **_back(plan, f"priority-{priority.pk}" if priority else "")
    )


@login_required
@GET_AND_POST
def priority_retire(request: HttpRequest, pk: int, priority_pk: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, pk, action="edit")
    priority = get_object_or_404(Priority, pk=priority_pk, plan=plan, status=PriorityStatus.ACTIVE)
    form = ConfirmForm(posted(request), label="Retire priority")
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_retire(actor=actor(request), plan=plan, priority=priority)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{priority.title} retired")
            return redirect(_plan_url(plan, "retired"))
    return form_page(
        request,
        TEMPLATE_FORM,
        form,
        title=f"Retire {priority.title}",
        explanation="The priority stays on record as retired, with its measures. Once the plan is adopted, "
        "priorities are retired through the annual review instead, with the reason.",
        **_back(plan, f"priority-{priority.pk}"),
    )


# --- Outcome measures and their values ---------------------------------------------------------------------


@login_required
@GET_AND_POST
def measure_edit(
    request: HttpRequest, pk: int, priority_pk: int | None = None, measure_pk: int | None = None
) -> HttpResponse:
    """Add an outcome measure to a priority, or change one."""
    plan = permissions.get_plan_for_user(request.user, pk, action="record")
    measure = (
        get_object_or_404(OutcomeMeasure.objects.select_related("priority"), pk=measure_pk, priority__plan=plan)
        if measure_pk
        else None
    )
    priority = (
        measure.priority
        if measure
        else get_object_or_404(Priority, pk=priority_pk, plan=plan, status=PriorityStatus.ACTIVE)
    )
    initial = (
        {
            "name": measure.name,
            "unit": measure.unit,
            "data_source": measure.data_source,
            "baseline": _figure(measure.baseline),
            "baseline_date": measure.baseline_date,
            "target": _figure(measure.target),
            "target_date": measure.target_date,
            "direction": measure.direction,
        }
        if measure
        else {}
    )
    form = MeasureForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.measure_save(actor=actor(request), priority=priority, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{saved.name} saved")
            return redirect(_plan_url(plan, f"measure-{saved.pk}"))
    title = f"Change {measure.name}" if measure else "Add an outcome measure"
    anchor = f"measure-{measure.pk}" if measure else f"priority-{priority.pk}"
    return form_page(request, TEMPLATE_FORM, form, title=title, caption=priority.title, **_back(plan, anchor))


@login_required
@GET_AND_POST
def value_add(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    """Record a measure's actual value for a period."""
    plan = permissions.get_plan_for_user(request.user, pk, action="record")
    measure = get_object_or_404(OutcomeMeasure.objects.select_related("priority"), pk=measure_pk, priority__plan=plan)
    form = MeasureValueForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_value_add(actor=actor(request), measure=measure, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Value of {measure.name} saved")
            return redirect(_plan_url(plan, f"measure-{measure.pk}"))
    return form_page(
        request,
        TEMPLATE_FORM,
        form,
        title=f"Add a value of {measure.name}",
        caption=measure.priority.title,
        explanation=f"Unit: {measure.unit}. Baseline {charts.number(measure.baseline)} at "
        f"{measure.baseline_date:%-d %B %Y}; target {charts.number(measure.target)} by "
        f"{measure.target_date:%-d %B %Y}.",
        **_back(plan, f"measure-{measure.pk}"),
    )


# --- The annual review -------------------------------------------------------------------------------------


@login_required
@GET_AND_POST
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Review an adopted plan against the new strategic assessment: every priority kept, changed or retired."""
    plan = permissions.get_plan_for_user(request.user, pk, action="review")
    reviewed = set(plan.reviews.values_list("year", flat=True))
    priorities = list(plan.priorities.filter(status=PriorityStatus.ACTIVE))
    form = ReviewForm(
        posted(request),
        plan=plan,
        priorities=priorities,
        years=[year for year in plan.years if year not in reviewed],
        assessments=_assessments(plan.partnership),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.plan_review(
                actor=actor(request),
                plan=plan,
                year=data["year"],
                assessment=data["assessment"],
                summary=data["summary"],
                decisions=[services.Decision(**decision) for decision in form.decisions()],
                added=[
                    services.NewPriority(
                        title=row["title"],
                        aim=row["aim"],
                        how_achieved=row["how"],
                        theme=row["theme"],
                        strand=row["strand"],
                        reason=row["reason"],
                    )
                    for row in data["added"]
                ],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Annual review {review.year_label} recorded")
            return redirect(_plan_url(plan, "reviews"))
    explanation = (
        "Check the plan against the new strategic assessment. Keep, change or retire each priority and give "
        "the reason; add any new priorities. Everything is recorded together, and the plan keeps the history."
    )
    if not _assessments(plan.partnership).exists():
        explanation += " Record the strategic assessment first: the review is checked against it."
    return form_page(
        request, TEMPLATE_FORM, form, title=f"Annual review of {plan.title}", explanation=explanation, **_back(plan)
    )


# --- The county view -----------------------------------------------------------------------------------------


@login_required
def county_priorities(request: HttpRequest, ref: str) -> HttpResponse:
    """A county group's CSPs' priorities side by side, grouped by theme, shared themes first."""
    county = partnership_permissions.get_partnership_for_user(request.user, ref)
    if county.kind != PartnershipKind.COUNTY_GROUP:
        raise Http404("Only a county group has a county view of priorities")
    result = selectors.county_priorities(county, permissions.visible_plans(request.user))
    return render(request, "priorities/plans/county.html", {"partnership": county, "county": result})
