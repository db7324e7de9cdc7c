"""A partnership's action plans and the plan page: actions grouped by priority, filtered, sorted, counted.

Views parse and render; actionplans.permissions fetches and authorises, actionplans.services changes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from actionplans import permissions, selectors, services
from actionplans.forms import ActionFilterForm, ActionPlanForm, AgreeForm, ConfirmForm
from actionplans.models import ActionPlan, ActionPlanStatus
from actionplans.views.common import (
    GET_AND_POST,
    actor,
    form_page,
    page_of,
    plan_url,
    query_without,
)
from partnerships import permissions as partnership_permissions
from partnerships.forms import posted
from partnerships.models import Partnership, PartnershipKind
from priorities import permissions as priority_permissions
from priorities.models import PartnershipPlan

# The columns the plan page sorts by, with their headings.
SORT_COLUMNS = {"reference": "Reference", "due": "Due date", "rag": "RAG", "lead": "Lead"}


def _plans_url(partnership: Partnership) -> str:
    return reverse("actionplans:plans", args=[partnership.slug])


def _partnership_plans(partnership: Partnership) -> QuerySet[PartnershipPlan]:
    return PartnershipPlan.objects.filter(partnership=partnership).order_by("-start_year", "title")


@login_required
def plan_list(request: HttpRequest, ref: str) -> HttpResponse:
    """A partnership's action plans, newest period first."""
    partnership = partnership_permissions.get_partnership_for_user(request.user, ref)
    if not permissions.can_read_action_plans(request.user, partnership):
        raise PermissionDenied("Action plans are read by the partnership's members")
    plans = (
        permissions.visible_action_plans(request.user)
        .filter(partnership=partnership)
        .select_related("plan")
        .order_by("-period_start", "title")
    )
    context = {
        "partnership": partnership,
        "plans": plans,
        "can_create": partnership.kind != PartnershipKind.COUNTY_GROUP
        and permissions.can_manage(request.user, partnership),
    }
    return render(request, "actionplans/plan_list.html", context)


@login_required
@GET_AND_POST
def plan_create(request: HttpRequest, ref: str) -> HttpResponse:
    partnership = partnership_permissions.get_partnership_for_user(request.user, ref, for_write=True)
    if partnership.kind == PartnershipKind.COUNTY_GROUP:
        raise PermissionDenied("Action plans belong to community safety partnerships and their groups")
    form = ActionPlanForm(posted(request), plans=_partnership_plans(partnership), versioned=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action_plan = services.action_plan_create(
                actor=actor(request),
                partnership=partnership,
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                plan=data["plan"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{action_plan.title} started as a draft. Add its actions next.")
            return redirect(plan_url(action_plan))
    return form_page(
        request,
        form,
        partnership=partnership,
        title="Start an action plan",
        explanation="An action plan lists the actions the partners take to deliver the partnership plan's "
        "priorities. It starts as a draft until the partnership's strategic group agrees it.",
        back_url=_plans_url(partnership),
        back_text="Back to action plans",
    )


def _filters(form: ActionFilterForm) -> selectors.ActionFilters:
    organisation = form.value("organisation")
    return selectors.ActionFilters(
        organisation=organisation.pk if organisation is not None else None,
        status=form.value("status") or "",
        rag=form.value("rag") or "",
        due_before=form.value("due_before"),
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan page: counts by RAG, filters, and the actions grouped by priority, sortable and paginated."""
    action_plan = permissions.get_action_plan_for_user(request.user, pk)
    partnership = action_plan.partnership
    form = ActionFilterForm(request.GET or None, organisations=selectors.lead_organisations(action_plan))
    filters = _filters(form)
    sort = request.GET.get("sort", "reference")
    sort = sort if sort in SORT_COLUMNS else "reference"
    actions = selectors.actions_for_plan(action_plan, filters, sort, by_priority=True)
    page = page_of(request, actions)
    # Counted without the RAG filter: the counts say how the filtered actions split across RAG.
    counts = selectors.rag_counts(selectors.actions_for_plan(action_plan, replace(filters, rag="")))
    today = timezone.localdate()
    can_manage = permissions.can_manage(request.user, partnership)
    status = action_plan.status
    rag_query = query_without(request, "rag", "page")
    context = {
        "action_plan": action_plan,
        "partnership": partnership,
        "form": form,
        "page": page,
        "groups": selectors.group_by_priority(page.object_list),
        "query": query_without(request, "page"),
        "sort": sort,
        "sort_links": [
            (key, heading, f"?{query_without(request, 'sort', 'page')}&sort={key}".replace("?&", "?"))
            for key, heading in SORT_COLUMNS.items()
        ],
        "rag_rows": [
            (key, label, counts[key], f"?{rag_query}&rag={key}".replace("?&", "?"))
            for key, label in selectors.RAG_LABELS.items()
        ],
        "total": sum(counts.values()),
        "filtered": any([filters.organisation, filters.status, filters.rag, filters.due_before]),
        "rag_meanings": selectors.RAG_MEANINGS,
        "quarter_start": selectors.quarter_start(today),
        "today": today,
        "can_read_people": permissions.can_read_people(request.user, partnership),
        "can_edit": can_manage and status != ActionPlanStatus.CLOSED,
        "can_agree": can_manage and status == ActionPlanStatus.DRAFT,
        "can_close": can_manage and status == ActionPlanStatus.AGREED,
        "plan_visible": action_plan.plan_id is not None
        and priority_permissions.visible_plans(request.user).filter(pk=action_plan.plan_id).exists(),
        "crumbs": [("Action plans", _plans_url(partnership))],
    }
    return render(request, "actionplans/plan_detail.html", context, status=400 if form.errors else 200)


def _get_plan(request: HttpRequest, pk: int, *, statuses: tuple[str, ...], refusal: str) -> ActionPlan:
    action_plan = permissions.get_action_plan_for_user(request.user, pk, for_write=True)
    if action_plan.status not in statuses:
        raise PermissionDenied(refusal)
    return action_plan


def _back(action_plan: ActionPlan) -> dict[str, Any]:
    return {
        "partnership": action_plan.partnership,
        "caption": action_plan.title,
        "back_url": plan_url(action_plan),
        "back_text": f"Back to {action_plan.title}",
    }


@login_required
@GET_AND_POST
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action_plan = _get_plan(
        request, pk, statuses=(ActionPlanStatus.DRAFT, ActionPlanStatus.AGREED), refusal="A closed plan is read-only"
    )
    initial = {
        "title": action_plan.title,
        "plan": action_plan.plan_id,
        "period_start": action_plan.period_start,
        "period_end": action_plan.period_end,
        "version": action_plan.version,
    }
    form = ActionPlanForm(posted(request), initial=initial, plans=_partnership_plans(action_plan.partnership))
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_plan_update(
                actor=actor(request),
                action_plan=action_plan,
                version=data["version"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                plan=data["plan"],
            )
        except services.StaleEdit as error:
            stale = error.current
            form.add_error(None, error.messages[0])
            form.set_version(stale.version)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Action plan saved")
            return redirect(plan_url(action_plan))
    comparison = _plan_comparison(stale, form) if stale is not None else None
    return form_page(
        request,
        form,
        stale=stale is not None,
        comparison=comparison,
        title="Change the action plan",
        **_back(action_plan),
    )


def _plan_comparison(current: ActionPlan, form: ActionPlanForm) -> list[tuple[str, str, str]]:
    """Their version beside the person's input, field by field."""
    data = form.cleaned_data

    def day(value: date | None) -> str:
        return f"{value:%-d %B %Y}" if value else "none"

    theirs_plan = current.plan.title if current.plan else "None"
    yours_plan = data["plan"].title if data.get("plan") else "None"
    return [
        ("Title", current.title, data.get("title", "")),
        ("Partnership plan", theirs_plan, yours_plan),
        ("Period starts", day(current.period_start), day(data.get("period_start"))),
        ("Period ends", day(current.period_end), day(data.get("period_end"))),
    ]


@login_required
@GET_AND_POST
def plan_agree(request: HttpRequest, pk: int) -> HttpResponse:
    action_plan = _get_plan(
        request, pk, statuses=(ActionPlanStatus.DRAFT,), refusal="Only a draft action plan can be agreed"
    )
    form = AgreeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_agree(
                actor=actor(request),
                action_plan=action_plan,
                agreed_on=form.cleaned_data["agreed_on"],
                agreed_by=form.cleaned_data["agreed_by"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Agreement recorded: partner officers now see the plan's actions as theirs")
            return redirect(plan_url(action_plan))
    return form_page(
        request,
        form,
        title="Record that the action plan was agreed",
        explanation="Record the date the partnership's strategic group signed the plan off. Partner officers "
        "then find the actions their organisation leads under My actions.",
        **_back(action_plan),
    )


@login_required
@GET_AND_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    action_plan = _get_plan(
        request, pk, statuses=(ActionPlanStatus.AGREED,), refusal="Only an agreed action plan can be closed"
    )
    form = ConfirmForm(posted(request), label="Close the action plan")
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_close(actor=actor(request), action_plan=action_plan)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Action plan closed")
            return redirect(plan_url(action_plan))
    return form_page(
        request,
        form,
        title="Close the action plan",
        warning="Its actions, milestones, budget and progress become read-only. This cannot be undone.",
        **_back(action_plan),
    )
