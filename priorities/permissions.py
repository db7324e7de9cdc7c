"""Who may see and change strategic assessments and partnership plans.

Built on the roles of partnerships.permissions (never re-derived here):
- partnership manager: drafts and edits; shares an assessment; puts a plan out for consultation;
- chair: approves assessments and adopts plans (and reads everything the manager reads);
- partner officer: reads and comments on assessments shared with partners, reads plans past draft;
- scrutiny member: reads approved assessments and adopted (or superseded) plans only;
- county group member: reads the approved assessments and adopted plans of the county's CSPs;
- portal administrator: reads everything and may do what a manager does (not what a chair does).
Not visible → 404; visible but not allowed → 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from partnerships import permissions as partnership_permissions
from partnerships.models import Partnership, Role
from priorities.models import (
    AssessmentStatus,
    MeasureValue,
    OutcomeMeasure,
    PartnershipPlan,
    PlanStatus,
    Priority,
    StrategicAssessment,
)

_ALL_ASSESSMENTS: set[str] = set(AssessmentStatus.values)
_ALL_PLANS: set[str] = set(PlanStatus.values)
# What each role may read, by status.
_ASSESSMENT_STATUSES: dict[str, set[str]] = {
    Role.MANAGER: _ALL_ASSESSMENTS,
    Role.CHAIR: _ALL_ASSESSMENTS,
    Role.PARTNER_OFFICER: {AssessmentStatus.SHARED, AssessmentStatus.APPROVED},
    Role.SCRUTINY_MEMBER: {AssessmentStatus.APPROVED},
    Role.COUNTY_MEMBER: {AssessmentStatus.APPROVED},
}
_PLAN_STATUSES: dict[str, set[str]] = {
    Role.MANAGER: _ALL_PLANS,
    Role.CHAIR: _ALL_PLANS,
    Role.PARTNER_OFFICER: {PlanStatus.CONSULTATION, PlanStatus.ADOPTED, PlanStatus.SUPERSEDED},
    Role.SCRUTINY_MEMBER: {PlanStatus.ADOPTED, PlanStatus.SUPERSEDED},
    Role.COUNTY_MEMBER: {PlanStatus.ADOPTED, PlanStatus.SUPERSEDED},
}


def _scope(user: Any, statuses: dict[str, set[str]], partnership_field: str) -> Q | None:
    """A filter for the rows the user may read: per role held, its partnerships and the statuses it reads."""
    if partnership_permissions.is_admin(user):
        return Q()
    query: Q | None = None
    for assignment in partnership_permissions.current_roles(user):
        allowed = statuses.get(assignment.role, set())
        if not allowed:
            continue
        pid = assignment.partnership_id
        # A role in a county group reaches the CSPs under it; any role reaches thematic groups under it.
        where = Q(**{partnership_field: pid}) | Q(**{f"{partnership_field}__parent_id": pid})
        part = where & Q(status__in=allowed)
        query = part if query is None else query | part
    return query


def visible_assessments(user: Any) -> QuerySet[StrategicAssessment]:
    """Assessments the user may read."""
    query = _scope(user, _ASSESSMENT_STATUSES, "partnership")
    if query is None:
        return StrategicAssessment.objects.none()
    return StrategicAssessment.objects.filter(query)


def visible_plans(user: Any) -> QuerySet[PartnershipPlan]:
    """Plans the user may read."""
    query = _scope(user, _PLAN_STATUSES, "partnership")
    if query is None:
        return PartnershipPlan.objects.none()
    return PartnershipPlan.objects.filter(query)


def visible_priorities(user: Any) -> QuerySet[Priority]:
    """Priorities of the plans the user may read."""
    return Priority.objects.filter(plan__in=visible_plans(user))


def visible_measures(user: Any) -> QuerySet[OutcomeMeasure]:
    """Outcome measures of the plans the user may read."""
    return OutcomeMeasure.objects.filter(priority__plan__in=visible_plans(user))


def visible_measure_values(user: Any) -> QuerySet[MeasureValue]:
    """Values of the outcome measures of the plans the user may read."""
    return MeasureValue.objects.filter(measure__priority__plan__in=visible_plans(user))


def get_measure_for_user(user: Any, pk: int, *, action: str = "view") -> OutcomeMeasure:
    """Fetch an outcome measure and authorise `action` on its plan (see get_plan_for_user): "record" adds
    values (managers, until the plan is superseded). 404 outside scope, 403 if not allowed."""
    measure = visible_measures(user).select_related("priority").filter(pk=pk).first()
    if measure is None:
        raise Http404("No such outcome measure")
    get_plan_for_user(user, measure.priority.plan_id, action=action)
    return measure


def can_draft(user: Any, partnership: Partnership) -> bool:
    """Create and edit the partnership's assessments and plans: its managers and administrators."""
    return partnership_permissions.can_manage_partnership(user, partnership)


def can_approve(user: Any, partnership: Partnership) -> bool:
    """Approve assessments and adopt plans: the partnership's chair."""
    return Role.CHAIR in partnership_permissions.roles_in(user, partnership)


def can_comment(user: Any, partnership: Partnership) -> bool:
    """Comment on an assessment shared with partners: anyone at the table (not scrutiny or county)."""
    roles = partnership_permissions.roles_in(user, partnership)
    return partnership_permissions.is_admin(user) or bool(roles & {Role.MANAGER, Role.CHAIR, Role.PARTNER_OFFICER})


def get_assessment_for_user(user: Any, pk: int, *, action: str = "view") -> StrategicAssessment:
    """Fetch and authorise: action is view, edit (draft/shared, managers), approve (chair) or comment.

    An approved assessment is read-only: editing it is refused (403) for everyone.
    """
    assessment = visible_assessments(user).select_related("partnership", "partnership__parent").filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment")
    _authorise(user, assessment.partnership, action)
    if action == "edit" and assessment.status == AssessmentStatus.APPROVED:
        raise PermissionDenied("An approved assessment is read-only")
    return assessment


# What each action on a plan needs: who (the _authorise action) and in which statuses. A plan is drafted
# and edited until it is adopted; after that its priorities change only through the annual review, while
# its outcome measures and their values are kept up to date until a newer plan supersedes it.
_PLAN_ACTIONS: dict[str, tuple[str, set[str], str]] = {
    "edit": (
        "edit",
        {PlanStatus.DRAFT, PlanStatus.CONSULTATION},
        "An adopted plan changes only through its annual review",
    ),
    "review": ("edit", {PlanStatus.ADOPTED}, "Only an adopted plan has annual reviews"),
    "record": ("edit", {PlanStatus.DRAFT, PlanStatus.CONSULTATION, PlanStatus.ADOPTED}, "This plan is read-only"),
    "approve": ("approve", {PlanStatus.CONSULTATION}, "Only a plan out for consultation can be adopted"),
}


def can_read_plan_history(user: Any, partnership: Partnership) -> bool:
    """Who changed a plan, and when, names people: those who may see the partnership's people."""
    return partnership_permissions.can_view_people(user, partnership)


def get_plan_for_user(user: Any, pk: int, *, action: str = "view") -> PartnershipPlan:
    """Fetch and authorise a plan: action is view, history, edit, review, record or approve.

    - edit (managers): the plan's details and priorities, while draft or out for consultation;
    - review (managers): the annual review of an adopted plan;
    - record (managers): outcome measures and their values, until the plan is superseded;
    - approve (the chair): adopt a plan out for consultation;
    - history: who changed what (names people, so not for scrutiny or county group members).
    A superseded plan is read-only for everyone; a step the plan's status does not allow is a 403.
    """
    plan = visible_plans(user).select_related("partnership", "partnership__parent").filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan")
    if action == "view":
        return plan
    if action == "history":
        if not can_read_plan_history(user, plan.partnership):
            raise PermissionDenied("Your role does not allow you to see who changed this plan")
        return plan
    if action not in _PLAN_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    role_action, statuses, refusal = _PLAN_ACTIONS[action]
    _authorise(user, plan.partnership, role_action)
    if plan.status == PlanStatus.SUPERSEDED:
        raise PermissionDenied("A superseded plan is read-only")
    if plan.status not in statuses:
        raise PermissionDenied(refusal)
    return plan


def _authorise(user: Any, partnership: Partnership, action: str) -> None:
    if action == "view":
        allowed = True
    elif action == "edit":
        allowed = can_draft(user, partnership)
    elif action == "approve":
        allowed = can_approve(user, partnership)
    elif action == "comment":
        allowed = can_comment(user, partnership)
    else:
        raise ValueError(f"Unknown action {action!r}")
    if not allowed:
        raise PermissionDenied(f"Your role does not allow you to {action} this")
