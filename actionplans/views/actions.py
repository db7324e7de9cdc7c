"""An action: its page (details, milestones, budget, measures, timeline), changes by managers, progress
updates by its lead organisation's officers, milestones, budget lines and the history of changes.

A save made from a page someone else has since changed is refused by the service (StaleEdit): the form
comes back with status 409, the message, their version beside the person's input, and the current
version, so saving again is a deliberate choice.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actionplans import permissions, selectors, services
from actionplans.forms import ActionForm, BudgetLineForm, MilestoneForm, ProgressForm
from actionplans.models import Action, ActionPlan, ActionPlanStatus, ActionStatus, FundingSource
from actionplans.views.common import (
    GET_AND_POST,
    action_url,
    actor,
    form_page,
    form_status,
    page_of,
    plan_url,
    safe_next,
)
from partnerships.forms import posted
from partnerships.models import Organisation, OrganisationMembership, RoleAssignment, User
from priorities.models import OutcomeMeasure, Priority

# The "My actions" page's quick form sends this header and takes back just the action's card.
QUICK_HEADER = "app-quick-update"


def _day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "none"


def _back(action: Action, anchor: str = "") -> dict[str, Any]:
    return {
        "partnership": action.action_plan.partnership,
        "caption": f"{action.reference} {action.title}",
        "back_url": action_url(action, anchor),
        "back_text": "Back to the action",
    }


def _who_changed(action: Action, *, show_people: bool) -> str:
    """Who saved the action last and when, for the stale-edit message."""
    record = (
        Action.history.filter(id=action.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        return ""
    when = timezone.localtime(record.history_date)
    if show_people and record.history_user is not None:
        return f"Saved by {record.history_user} at {when:%-I:%M%p on %-d %B %Y}".replace("AM", "am").replace("PM", "pm")
    return f"Saved at {when:%-I:%M%p on %-d %B %Y}".replace("AM", "am").replace("PM", "pm")


# --- The action page -------------------------------------------------------------------------------------


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = permissions.get_action_for_user(request.user, pk)
    partnership = action.action_plan.partnership
    can_update = permissions.can_update_action(request.user, action, partnership)
    can_manage = permissions.can_manage(request.user, partnership)
    context = {
        "action": action,
        "action_plan": action.action_plan,
        "partnership": partnership,
        "detail": selectors.action_detail(action),
        "today": timezone.localdate(),
        "rag_meanings": selectors.RAG_MEANINGS,
        "quarter_start": selectors.quarter_start(timezone.localdate()),
        "can_update": can_update,
        "can_edit": can_manage and action.action_plan.status != ActionPlanStatus.CLOSED,
        "can_read_people": permissions.can_read_people(request.user, partnership),
        "progress_form": ProgressForm(initial=progress_initial(action)) if can_update else None,
        "crumbs": [
            ("Action plans", _plans_crumb(action.action_plan)),
            (action.action_plan.title, plan_url(action.action_plan)),
        ],
    }
    return render(request, "actionplans/action_detail.html", context)


def _plans_crumb(action_plan: ActionPlan) -> str:
    return reverse("actionplans:plans", args=[action_plan.partnership.slug])


# --- Adding and changing actions (managers) ----------------------------------------------------------------


def _action_form(action_plan: ActionPlan, data: Any, **kwargs: Any) -> ActionForm:
    partnership_id = action_plan.partnership_id
    members = Organisation.objects.filter(
        pk__in=OrganisationMembership.objects.current().filter(partnership_id=partnership_id).values("organisation_id")
    ).order_by("name")
    priorities: QuerySet[Priority] | None = None
    measures: QuerySet[OutcomeMeasure] | None = None
    if action_plan.plan_id is not None:
        priorities = Priority.objects.filter(plan_id=action_plan.plan_id).order_by("position", "pk")
        if not priorities.exists():
            priorities = None
        measures = (
            OutcomeMeasure.objects.filter(priority__plan_id=action_plan.plan_id)
            .select_related("priority")
            .order_by("priority__position", "pk")
        )
    roles = (
        RoleAssignment.objects.current()
        .filter(partnership_id=partnership_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return ActionForm(data, organisations=members, priorities=priorities, measures=measures, roles=roles, **kwargs)


def _fields(data: dict[str, Any]) -> services.ActionFields:
    return services.ActionFields(
        reference=data["reference"],
        title=data["title"],
        description=data["description"],
        priority=data.get("priority"),
        lead_organisation=data["lead_organisation"],
        lead_officer=data.get("lead_officer"),
        supporting_organisations=tuple(data.get("supporting_organisations") or ()),
        start_date=data["start_date"],
        due_date=data["due_date"],
        status=data["status"],
        outcome_measures=tuple(data.get("outcome_measures") or ()),
    )


@login_required
@GET_AND_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    action_plan = permissions.get_action_plan_for_user(request.user, pk, for_write=True)
    if action_plan.status == ActionPlanStatus.CLOSED:
        raise PermissionDenied("A closed plan is read-only")
    form = _action_form(action_plan, posted(request), versioned=False, initial={"status": ActionStatus.NOT_STARTED})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                actor=actor(request), action_plan=action_plan, fields=_fields(form.cleaned_data)
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Action {action.reference} added")
            return redirect(action_url(action))
    return form_page(
        request,
        form,
        partnership=action_plan.partnership,
        caption=action_plan.title,
        title="Add an action",
        back_url=plan_url(action_plan),
        back_text=f"Back to {action_plan.title}",
    )


def _action_initial(action: Action) -> dict[str, Any]:
    return {
        "reference": action.reference,
        "title": action.title,
        "description": action.description,
        "priority": action.priority_id,
        "lead_organisation": action.lead_organisation_id,
        "lead_officer": action.lead_officer_id,
        "supporting_organisations": list(action.supporting_organisations.values_list("pk", flat=True)),
        "outcome_measures": list(action.outcome_measures.values_list("pk", flat=True)),
        "start_date": action.start_date,
        "due_date": action.due_date,
        "status": action.status,
        "version": action.version,
    }


def _names(items: Any) -> str:
    names = sorted(str(getattr(item, "name", item)) for item in items)
    return ", ".join(names) if names else "None"


def _action_comparison(current: Action, form: ActionForm, *, show_people: bool) -> list[tuple[str, str, str]]:
    """Their version of the action beside the person's input, field by field."""
    data = form.cleaned_data

    def officer(person: User | None) -> str:
        if person is None:
            return "Not named"
        return str(person) if show_people else "Named"

    rows = [
        ("Reference", current.reference, data.get("reference", "")),
        ("Action", current.title, data.get("title", "")),
        ("Description", current.description, data.get("description", "")),
    ]
    if "priority" in form.fields:
        rows.append(
            (
                "Priority",
                current.priority.title if current.priority else "None",
                data["priority"].title if data.get("priority") else "None",
            )
        )
    rows += [
        ("Lead organisation", str(current.lead_organisation), str(data.get("lead_organisation") or "None")),
        ("Lead officer", officer(current.lead_officer), officer(data.get("lead_officer"))),
        (
            "Supporting organisations",
            _names(current.supporting_organisations.all()),
            _names(data.get("supporting_organisations") or []),
        ),
    ]
    if "outcome_measures" in form.fields:
        rows.append(
            ("Outcome measures", _names(current.outcome_measures.all()), _names(data.get("outcome_measures") or []))
        )
    rows += [
        ("Start date", _day(current.start_date), _day(data.get("start_date"))),
        ("Due date", _day(current.due_date), _day(data.get("due_date"))),
        ("Status", current.get_status_display(), dict(ActionStatus.choices).get(data.get("status", ""), "")),
    ]
    return rows


@login_required
@GET_AND_POST
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = permissions.get_action_for_user(request.user, pk, for_write=True)
    if action.action_plan.status == ActionPlanStatus.CLOSED:
        raise PermissionDenied("A closed plan is read-only")
    form = _action_form(action.action_plan, posted(request), initial=_action_initial(action))
    stale: Action | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                actor=actor(request),
                action=action,
                version=form.cleaned_data["version"],
                fields=_fields(form.cleaned_data),
            )
        except services.StaleEdit as error:
            stale = error.current
            form.add_error(None, error.messages[0])
            form.set_version(stale.version)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Action {form.cleaned_data['reference']} saved")
            return redirect(action_url(action))
    show_people = permissions.can_read_people(request.user, action.action_plan.partnership)
    context: dict[str, Any] = {}
    if stale is not None:
        context = {
            "comparison": _action_comparison(stale, form, show_people=show_people),
            "changed_by": _who_changed(action, show_people=show_people),
        }
    return form_page(request, form, stale=stale is not None, title="Change the action", **context, **_back(action))


# --- Progress updates ---------------------------------------------------------------------------------


def progress_initial(action: Action) -> dict[str, Any]:
    """A new update starts from today, the action's status and its last RAG and percentage."""
    status = ActionStatus.IN_PROGRESS if action.status == ActionStatus.NOT_STARTED else action.status
    return {
        "reported_on": timezone.localdate(),
        "rag": action.rag or None,
        "percent_complete": action.percent_complete,
        "status": status,
        "version": action.version,
    }


def progress_comparison(current: Action, form: ProgressForm) -> list[tuple[str, str, str]]:
    """The action as the other person left it beside this person's update."""
    data = form.cleaned_data
    latest = current.updates.order_by("-reported_on", "-created_at", "-pk").first()
    return [
        (
            "RAG status",
            selectors.RAG_LABELS.get(current.rag, "No update"),
            selectors.RAG_LABELS.get(data.get("rag", ""), ""),
        ),
        ("Percentage complete", f"{current.percent_complete}%", f"{data.get('percent_complete', '')}%"),
        ("Status", current.get_status_display(), dict(ActionStatus.choices).get(data.get("status", ""), "")),
        ("Date of the update", _day(current.last_update_on), _day(data.get("reported_on"))),
        ("Progress", latest.narrative if latest else "None", data.get("narrative", "")),
    ]


def quick_progress_form(action: Action, data: Any = None) -> ProgressForm:
    """The quick form on an action's card: the same fields and rules, prefixed (a page holds many)."""
    return ProgressForm(data, initial=progress_initial(action), prefix=f"a{action.pk}")


def quick_card(request: HttpRequest, action_pk: int, **context: Any) -> str:
    """One action's card on "My actions", as the quick form's answer (or the page's loop) renders it."""
    action = selectors.my_action_card(action_pk)
    context.setdefault("form", quick_progress_form(action))
    return render_to_string("actionplans/includes/my_action_card.html", {"action": action, **context}, request=request)


@login_required
@GET_AND_POST
def action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Report progress: the full page, or the quick form on "My actions" (?next= returns there)."""
    action = permissions.get_action_for_user(request.user, pk, for_update=True)
    # The quick form on "My actions" (?form=quick) has prefixed fields. Sent by its script (the header),
    # it is answered with the action's card alone; sent without JavaScript, with this page or a redirect.
    quick_form = request.GET.get("form") == "quick"
    quick = quick_form and request.headers.get("X-Requested-With") == QUICK_HEADER
    next_url = safe_next(request)
    form = (
        quick_progress_form(action, posted(request))
        if quick_form
        else ProgressForm(posted(request), initial=progress_initial(action))
    )
    stale: Action | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_record_progress(
                actor=actor(request),
                action=action,
                version=data["version"],
                reported_on=data["reported_on"],
                rag=data["rag"],
                narrative=data["narrative"],
                percent_complete=data["percent_complete"],
                status=data["status"],
                evidence_links=data["evidence_links"],
            )
        except services.StaleEdit as error:
            stale = error.current
            form.add_error(None, error.messages[0])
            form.set_version(stale.version)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            message = f"Progress update on {action.reference} saved"
            if quick:
                return HttpResponse(quick_card(request, action.pk, saved=message, next=next_url))
            messages.success(request, message)
            return redirect(next_url or action_url(action, "timeline"))
    show_people = permissions.can_read_people(request.user, action.action_plan.partnership)
    context: dict[str, Any] = {"stale": stale is not None}
    if stale is not None:
        context |= {
            "comparison": progress_comparison(stale, form),
            "changed_by": _who_changed(action, show_people=show_people),
        }
    status = form_status(form, stale=stale is not None)
    if quick:
        card = quick_card(request, action.pk, form=form, next=next_url, **context)
        return HttpResponse(card, status=status)
    back = _back(action)
    if next_url:
        back |= {"back_url": next_url, "back_text": "Back"}
    return render(
        request,
        "actionplans/progress.html",
        {"form": form, "action": action, "title": "Report progress", **context, **back},
        status=status,
    )


# --- Milestones and budget lines ------------------------------------------------------------------------


@login_required
@GET_AND_POST
def milestone_edit(request: HttpRequest, pk: int, milestone_pk: int | None = None) -> HttpResponse:
    if milestone_pk is None:
        action, milestone = permissions.get_action_for_user(request.user, pk, for_update=True), None
    else:
        action, milestone = permissions.get_milestone_for_user(request.user, pk, milestone_pk)
    initial = (
        {"title": milestone.title, "due_date": milestone.due_date, "done_on": milestone.done_on} if milestone else {}
    )
    form = MilestoneForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_save(
                actor=actor(request),
                action=action,
                milestone=milestone,
                title=data["title"],
                due_date=data["due_date"],
                done_on=data["done_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Milestone saved")
            return redirect(action_url(action, "milestones"))
    title = "Change the milestone" if milestone else "Add a milestone"
    return form_page(request, form, title=title, **_back(action, "milestones"))


@login_required
@GET_AND_POST
def budget_edit(request: HttpRequest, pk: int, line_pk: int | None = None) -> HttpResponse:
    if line_pk is None:
        action, line = permissions.get_action_for_user(request.user, pk, for_update=True), None
    else:
        action, line = permissions.get_budget_line_for_user(request.user, pk, line_pk)
    initial = (
        {
            "source": line.source,
            "grant_name": line.grant_name,
            "amount": _money(line.amount),
            "spent_to_date": _money(line.spent_to_date),
        }
        if line
        else {}
    )
    form = BudgetLineForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_line_save(
                actor=actor(request),
                action=action,
                line=line,
                source=data["source"],
                grant_name=data["grant_name"],
                amount=data["amount"],
                spent_to_date=data["spent_to_date"] if data["spent_to_date"] is not None else Decimal(0),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Budget line from {FundingSource(data['source']).label} saved")
            return redirect(action_url(action, "budget"))
    title = "Change the budget line" if line else "Add a budget line"
    return form_page(request, form, title=title, **_back(action, "budget"))


def _money(value: Decimal) -> str:
    """A stored amount as someone would type it: 12500 or 480.50."""
    return f"{value:.2f}".removesuffix(".00")


# --- History ------------------------------------------------------------------------------------------------


@login_required
def action_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the action, its milestones, budget and progress, when, and what changed."""
    action = permissions.get_action_for_user(request.user, pk)
    partnership = action.action_plan.partnership
    show_people = permissions.can_read_people(request.user, partnership)
    page = page_of(request, selectors.action_history(action, show_people=show_people))
    context = {
        "action": action,
        "partnership": partnership,
        "page": page,
        "show_people": show_people,
        "crumbs": [
            ("Action plans", _plans_crumb(action.action_plan)),
            (action.action_plan.title, plan_url(action.action_plan)),
            (f"{action.reference} {action.title}", action_url(action)),
        ],
    }
    return render(request, "actionplans/action_history.html", context)
