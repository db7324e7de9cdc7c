"""Every change to action plans and actions goes through these functions (one transaction each).

Concurrent edits are detected with a version number on the plan and the action: a save made from a
stale form is refused with StaleEdit (carrying the current row) and nothing is overwritten. The row is
locked (SELECT … FOR UPDATE) while the version is compared, so two saves cannot both pass the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from actionplans.models import (
    Action,
    ActionPlan,
    ActionPlanStatus,
    ActionStatus,
    BudgetLine,
    FundingSource,
    Milestone,
    ProgressUpdate,
    Rag,
)
from csp_portal.history import save_as
from partnerships.models import Organisation, OrganisationMembership, Partnership, RoleAssignment, User
from priorities.models import OutcomeMeasure, Priority


class StaleEdit(ValidationError):
    """Someone else saved the row after the editor opened it; `current` is the row as it is now."""

    def __init__(self, current: Any) -> None:
        super().__init__(
            "Someone else changed this while you were editing it. Their version is shown below; "
            "check it and make your change again.",
            code="stale",
        )
        self.current = current


# --- Action plans ---------------------------------------------------------------------------------


def action_plan_create(
    *,
    actor: User | None,
    partnership: Partnership,
    title: str,
    period_start: date,
    period_end: date,
    plan: Any = None,
) -> ActionPlan:
    """Start a draft action plan for a partnership, optionally under one of its partnership plans."""
    if period_end < period_start:
        raise ValidationError({"period_end": "The end of the period must be on or after its start"})
    if plan is not None and plan.partnership_id != partnership.pk:
        raise ValidationError({"plan": "Choose one of this partnership's plans"})
    with transaction.atomic():
        action_plan = ActionPlan(
            partnership=partnership, plan=plan, title=title.strip(), period_start=period_start, period_end=period_end
        )
        save_as(action_plan, actor)
    return action_plan


def action_plan_update(
    *,
    actor: User | None,
    action_plan: ActionPlan,
    version: int,
    title: str,
    period_start: date,
    period_end: date,
    plan: Any = None,
) -> ActionPlan:
    """Change an action plan's title, period or partnership plan; refuses stale edits."""
    if period_end < period_start:
        raise ValidationError({"period_end": "The end of the period must be on or after its start"})
    if plan is not None and plan.partnership_id != action_plan.partnership_id:
        raise ValidationError({"plan": "Choose one of this partnership's plans"})
    with transaction.atomic():
        current = ActionPlan.objects.select_for_update().get(pk=action_plan.pk)
        if current.version != version:
            raise StaleEdit(current)
        current.title, current.period_start, current.period_end, current.plan = (
            title.strip(),
            period_start,
            period_end,
            plan,
        )
        current.version += 1
        save_as(current, actor)
    return current


def action_plan_agree(*, actor: User | None, action_plan: ActionPlan, agreed_on: date, agreed_by: str) -> ActionPlan:
    """Record that the partnership's strategic group signed the plan off (draft → agreed)."""
    if not agreed_by.strip():
        raise ValidationError({"agreed_by": "Enter the group that agreed the action plan"})
    with transaction.atomic():
        current = ActionPlan.objects.select_for_update().get(pk=action_plan.pk)
        if current.status != ActionPlanStatus.DRAFT:
            raise ValidationError("Only a draft action plan can be agreed")
        current.status, current.agreed_on, current.agreed_by = ActionPlanStatus.AGREED, agreed_on, agreed_by.strip()
        current.version += 1
        save_as(current, actor)
    return current


def action_plan_close(*, actor: User | None, action_plan: ActionPlan) -> ActionPlan:
    """Close an agreed action plan at the end of its period; its actions become read-only."""
    with transaction.atomic():
        current = ActionPlan.objects.select_for_update().get(pk=action_plan.pk)
        if current.status != ActionPlanStatus.AGREED:
            raise ValidationError("Only an agreed action plan can be closed")
        current.status = ActionPlanStatus.CLOSED
        current.version += 1
        save_as(current, actor)
    return current


# --- Actions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFields:
    """What a manager sets on an action (from the form, the import or the API)."""

    reference: str
    title: str
    description: str
    priority: Priority | None
    lead_organisation: Organisation
    lead_officer: User | None
    supporting_organisations: tuple[Organisation, ...]
    start_date: date
    due_date: date
    status: str
    outcome_measures: tuple[OutcomeMeasure, ...] = ()


def _check_action(action_plan: ActionPlan, fields: ActionFields, *, exclude_pk: int | None = None) -> None:
    """The rules an action must keep, each error naming its field."""
    errors: dict[str, str] = {}
    if not fields.reference.strip():
        errors["reference"] = "Enter a reference, like 1.3"
    if not fields.title.strip():
        errors["title"] = "Enter the action"
    if fields.due_date < fields.start_date:
        errors["due_date"] = "The due date must be on or after the start date"
    if fields.status not in ActionStatus.values:
        errors["status"] = "Select a status"
    if fields.priority is not None and (action_plan.plan_id is None or fields.priority.plan_id != action_plan.plan_id):
        errors["priority"] = "Choose a priority of the action plan's partnership plan"
    members = set(
        OrganisationMembership.objects.current()
        .filter(partnership_id=action_plan.partnership_id)
        .values_list("organisation_id", flat=True)
    )
    if fields.lead_organisation.pk not in members:
        errors["lead_organisation"] = f"{fields.lead_organisation} is not a member of the partnership"
    outsiders = [o.name for o in fields.supporting_organisations if o.pk not in members]
    if outsiders:
        errors["supporting_organisations"] = f"Not members of the partnership: {', '.join(outsiders)}"
    if fields.lead_officer is not None and not (
        RoleAssignment.objects.current()
        .filter(
            partnership_id=action_plan.partnership_id,
            organisation=fields.lead_organisation,
            person=fields.lead_officer,
        )
        .exists()
    ):
        errors["lead_officer"] = (
            f"{fields.lead_officer} does not represent {fields.lead_organisation} in the partnership"
        )
    in_plan = (
        set(
            OutcomeMeasure.objects.filter(
                pk__in=[m.pk for m in fields.outcome_measures], priority__plan_id=action_plan.plan_id
            ).values_list("pk", flat=True)
        )
        if fields.outcome_measures
        else set()
    )
    others = [m.name for m in fields.outcome_measures if m.pk not in in_plan]
    if others:
        errors["outcome_measures"] = f"Not measures of the action plan's partnership plan: {', '.join(others)}"
    duplicate = Action.objects.filter(action_plan=action_plan, reference=fields.reference.strip())
    if exclude_pk is not None:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if fields.reference.strip() and duplicate.exists():
        errors["reference"] = f"The action plan already has an action {fields.reference.strip()}"
    if errors:
        raise ValidationError(errors)


def action_create(*, actor: User | None, action_plan: ActionPlan, fields: ActionFields) -> Action:
    """Add an action to an action plan."""
    if action_plan.status == ActionPlanStatus.CLOSED:
        raise ValidationError("This action plan is closed")
    with transaction.atomic():
        _check_action(action_plan, fields)
        action = Action(action_plan=action_plan)
        _apply(action, fields)
        save_as(action, actor)
        action.supporting_organisations.set(fields.supporting_organisations)
        action.outcome_measures.set(fields.outcome_measures)
    return action


def action_update(*, actor: User | None, action: Action, version: int, fields: ActionFields) -> Action:
    """Change an action; refuses a stale edit (StaleEdit) instead of overwriting another's change."""
    with transaction.atomic():
        current = Action.objects.select_for_update().select_related("action_plan").get(pk=action.pk)
        if current.version != version:
            raise StaleEdit(current)
        if current.action_plan.status == ActionPlanStatus.CLOSED:
            raise ValidationError("This action plan is closed")
        _check_action(current.action_plan, fields, exclude_pk=current.pk)
        _apply(current, fields)
        current.version += 1
        save_as(current, actor)
        current.supporting_organisations.set(fields.supporting_organisations)
        current.outcome_measures.set(fields.outcome_measures)
    return current


def _apply(action: Action, fields: ActionFields) -> None:
    action.reference = fields.reference.strip()
    action.title = fields.title.strip()
    action.description = fields.description.strip()
    action.priority = fields.priority
    action.lead_organisation = fields.lead_organisation
    action.lead_officer = fields.lead_officer
    action.start_date, action.due_date = fields.start_date, fields.due_date
    action.status = fields.status


_URL = URLValidator(schemes=["http", "https"])


def _check_open(action: Action) -> None:
    if ActionPlan.objects.filter(pk=action.action_plan_id, status=ActionPlanStatus.CLOSED).exists():
        raise ValidationError("This action plan is closed")


def check_progress(
    *, reported_on: date, rag: str, narrative: str, percent_complete: int, evidence_links: str, status_ok: bool
) -> str:
    """Check a progress report (an action's or a review recommendation's); return its evidence links cleaned.

    Raises ValidationError naming each bad field.
    """
    errors: dict[str, str] = {}
    if reported_on > timezone.localdate():
        errors["reported_on"] = "The date of the update must be today or in the past"
    if rag not in Rag.values:
        errors["rag"] = "Select the RAG status"
    if not narrative.strip():
        errors["narrative"] = "Describe the progress: the RAG needs a reason"
    if not 0 <= percent_complete <= 100:
        errors["percent_complete"] = "Percentage complete must be from 0 to 100"
    if not status_ok:
        errors["status"] = "Select a status"
    links = [line.strip() for line in evidence_links.splitlines() if line.strip()]
    for number, link in enumerate(links, 1):
        try:
            _URL(link)
        except ValidationError:
            errors["evidence_links"] = f"Evidence link {number} is not a web address starting http:// or https://"
            break
    if errors:
        raise ValidationError(errors)
    return "\n".join(links)


def action_record_progress(
    *,
    actor: User,
    action: Action,
    version: int,
    reported_on: date,
    rag: str,
    narrative: str,
    percent_complete: int,
    status: str,
    evidence_links: str = "",
) -> ProgressUpdate:
    """Post a progress update: RAG with its reason, % complete, status and evidence; refuses stale forms."""
    links = check_progress(
        reported_on=reported_on,
        rag=rag,
        narrative=narrative,
        percent_complete=percent_complete,
        evidence_links=evidence_links,
        status_ok=status in ActionStatus.values,
    )
    with transaction.atomic():
        current = Action.objects.select_for_update().select_related("action_plan").get(pk=action.pk)
        if current.version != version:
            raise StaleEdit(current)
        if current.action_plan.status == ActionPlanStatus.CLOSED:
            raise ValidationError("This action plan is closed")
        update = ProgressUpdate(
            action=current,
            author=actor,
            reported_on=reported_on,
            rag=rag,
            narrative=narrative.strip(),
            percent_complete=percent_complete,
            evidence_links=links,
        )
        save_as(update, actor)
        # The action carries its latest reported state, so lists and dashboards need no subquery.
        latest = current.last_update_on is None or reported_on >= current.last_update_on
        if latest:
            current.rag, current.percent_complete, current.last_update_on = rag, percent_complete, reported_on
        current.status = status
        current.version += 1
        save_as(current, actor)
    action.version = current.version
    return update


def milestone_save(
    *, actor: User | None, action: Action, milestone: Milestone | None, title: str, due_date: date, done_on: date | None
) -> Milestone:
    """Add or change a milestone of an action."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter the milestone"
    if done_on is not None and done_on > timezone.localdate():
        errors["done_on"] = "The date it was done must be today or in the past"
    if errors:
        raise ValidationError(errors)
    _check_open(action)
    with transaction.atomic():
        milestone = milestone or Milestone(action=action)
        milestone.title, milestone.due_date, milestone.done_on = title.strip(), due_date, done_on
        save_as(milestone, actor)
    return milestone


def budget_line_save(
    *,
    actor: User | None,
    action: Action,
    line: BudgetLine | None,
    source: str,
    grant_name: str,
    amount: Decimal,
    spent_to_date: Decimal,
) -> BudgetLine:
    """Add or change a budget line (amount, funding source, spent to date)."""
    errors: dict[str, str] = {}
    if amount < 0:
        errors["amount"] = "The amount cannot be negative"
    if spent_to_date < 0:
        errors["spent_to_date"] = "Spent to date cannot be negative"
    if source not in FundingSource.values:
        errors["source"] = "Select the funding source"
    if errors:
        raise ValidationError(errors)
    _check_open(action)
    with transaction.atomic():
        line = line or BudgetLine(action=action)
        line.source, line.grant_name, line.amount, line.spent_to_date = (
            source,
            grant_name.strip(),
            amount,
            spent_to_date,
        )
        save_as(line, actor)
    return line
