"""Who may see and change action plans and actions. Built on partnerships.permissions' roles.

- partnership managers (and administrators): everything in their partnership's action plans;
- partner officers: read their partnership's plans; change only actions their own organisation leads
  (progress, RAG, milestones, budget spend);
- chairs and scrutiny members: read;
- nobody else sees them (county group members read the roll-up, not a CSP's actions).
The dashboard follows the same rule as the action plans (it is read-only for everyone). Annual reports to
the crime and disorder committee: managers write and publish them; the chair reads drafts; everyone who
reads the action plans reads the published ones.
Not visible → 404; visible but not changeable → 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from actionplans.models import (
    Action,
    ActionPlan,
    ActionPlanStatus,
    AnnualReport,
    AnnualReportStatus,
    BudgetLine,
    Milestone,
)
from partnerships import permissions as partnership_permissions
from partnerships.models import Partnership, PartnershipKind, Role

READER_ROLES = frozenset({Role.MANAGER, Role.CHAIR, Role.PARTNER_OFFICER, Role.SCRUTINY_MEMBER})


def _reader_partnership_ids(user: Any) -> set[int]:
    return {a.partnership_id for a in partnership_permissions.current_roles(user) if a.role in READER_ROLES}


def _readable(ids: set[int], prefix: str = "") -> Q:
    # Thematic groups' action plans are read by those of the partnership they report to; a CSP's are
    # not read by the managers of the county group above it.
    return Q(**{f"{prefix}partnership_id__in": ids}) | Q(
        **{f"{prefix}partnership__parent_id__in": ids, f"{prefix}partnership__kind": PartnershipKind.THEMATIC_GROUP}
    )


def visible_action_plans(user: Any) -> QuerySet[ActionPlan]:
    """Action plans the user may read."""
    if partnership_permissions.is_admin(user):
        return ActionPlan.objects.all()
    return ActionPlan.objects.filter(_readable(_reader_partnership_ids(user)))


def visible_actions(user: Any) -> QuerySet[Action]:
    """Actions the user may read."""
    if partnership_permissions.is_admin(user):
        return Action.objects.all()
    return Action.objects.filter(_readable(_reader_partnership_ids(user), "action_plan__"))


def can_read_action_plans(user: Any, partnership: Partnership) -> bool:
    """Read a partnership's action plans (no query): the same scope as visible_action_plans."""
    if partnership_permissions.is_admin(user):
        return True
    ids = _reader_partnership_ids(user)
    return partnership.pk in ids or (
        partnership.kind == PartnershipKind.THEMATIC_GROUP and partnership.parent_id in ids
    )


def my_action_leads(user: Any) -> set[tuple[int, int]]:
    """(partnership, organisation) pairs whose actions are the user's own: where they are a partner officer
    or manager for that organisation. Pairs, not two sets: an officer for the police in one CSP and for
    the council in another must not get the council's actions in the first."""
    return {
        (a.partnership_id, a.organisation_id)
        for a in partnership_permissions.current_roles(user)
        if a.role in (Role.PARTNER_OFFICER, Role.MANAGER)
    }


def can_manage(user: Any, partnership: Partnership) -> bool:
    """Create and change action plans and any of their actions: managers and administrators."""
    return partnership_permissions.can_manage_partnership(user, partnership)


def can_update_action(user: Any, action: Action, partnership: Partnership) -> bool:
    """Report progress on an action: managers, or an officer of the organisation that leads it."""
    if action.action_plan.status == ActionPlanStatus.CLOSED:
        return False
    return can_manage(user, partnership) or action.lead_organisation_id in (
        partnership_permissions.officer_organisation_ids(user, partnership)
    )


def can_read_people(user: Any, partnership: Partnership) -> bool:
    """Lead officers' names are personal data: not shown to scrutiny members."""
    return partnership_permissions.can_view_people(user, partnership)


def get_action_plan_for_user(user: Any, pk: int, *, for_write: bool = False) -> ActionPlan:
    """Fetch and authorise an action plan: 404 outside scope, 403 if it may not be changed."""
    action_plan = (
        visible_action_plans(user).select_related("partnership", "partnership__parent", "plan").filter(pk=pk).first()
    )
    if action_plan is None:
        raise Http404("No such action plan")
    if for_write and not can_manage(user, action_plan.partnership):
        raise PermissionDenied("Only the partnership's managers change its action plans")
    return action_plan


def get_action_for_user(user: Any, pk: int, *, for_write: bool = False, for_update: bool = False) -> Action:
    """Fetch and authorise an action: for_write (change the action: managers), for_update (progress)."""
    action = (
        visible_actions(user)
        .select_related(
            "action_plan",
            "action_plan__partnership",
            "action_plan__partnership__parent",
            "lead_organisation",
            "lead_officer",
            "priority",
        )
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404("No such action")
    partnership = action.action_plan.partnership
    if for_write and not can_manage(user, partnership):
        raise PermissionDenied("Only the partnership's managers change actions")
    if for_update and not can_update_action(user, action, partnership):
        raise PermissionDenied("Only the lead organisation's officers and the partnership's managers report progress")
    return action


def get_milestone_for_user(user: Any, action_pk: int, pk: int) -> tuple[Action, Milestone]:
    """A milestone of an action the user may report progress on; one of another action is a 404."""
    action = get_action_for_user(user, action_pk, for_update=True)
    milestone = Milestone.objects.filter(action=action, pk=pk).first()
    if milestone is None:
        raise Http404("No such milestone")
    return action, milestone


def get_budget_line_for_user(user: Any, action_pk: int, pk: int) -> tuple[Action, BudgetLine]:
    """A budget line of an action the user may report progress on; one of another action is a 404."""
    action = get_action_for_user(user, action_pk, for_update=True)
    line = BudgetLine.objects.filter(action=action, pk=pk).first()
    if line is None:
        raise Http404("No such budget line")
    return action, line


# --- Dashboards, the county roll-up and annual reports ---------------------------------------------------


def get_dashboard_partnership(user: Any, ref: str) -> Partnership:
    """A partnership whose dashboard the user may read: 404 outside scope or for a county group (it has a
    roll-up), 403 for those who see the partnership but not its performance (a county group's members)."""
    partnership = partnership_permissions.get_partnership_for_user(user, ref)
    if partnership.kind == PartnershipKind.COUNTY_GROUP:
        raise Http404("A county group has a roll-up, not a dashboard")
    if not can_read_action_plans(user, partnership):
        raise PermissionDenied("The dashboard is read by the partnership's members and its scrutiny committee")
    return partnership


def get_county_for_user(user: Any, ref: str) -> Partnership:
    """A county group whose roll-up the user may read: anyone holding a role in the group itself (and
    administrators); 404 for everyone else, who cannot see the county group at all (a CSP's people see
    their own CSP, not the group above it). The 403 guards a wider scope for county groups in future."""
    county = partnership_permissions.get_partnership_for_user(user, ref)
    if county.kind != PartnershipKind.COUNTY_GROUP:
        raise Http404("Only a county group has a roll-up")
    if not can_read_roll_up(user, county):
        raise PermissionDenied("The roll-up is read by the county group's members")
    return county


def can_read_roll_up(user: Any, county: Partnership) -> bool:
    """Read a county group's roll-up (no query): a role in the group itself, or an administrator."""
    return partnership_permissions.is_admin(user) or bool(partnership_permissions.roles_in(user, county))


_REPORT_DRAFT_ROLES = frozenset({Role.MANAGER, Role.CHAIR})


def visible_annual_reports(user: Any) -> QuerySet[AnnualReport]:
    """Annual reports the user may read: published ones of the partnerships whose action plans they read,
    and drafts too where they are a manager or the chair."""
    if partnership_permissions.is_admin(user):
        return AnnualReport.objects.all()
    drafts = {a.partnership_id for a in partnership_permissions.current_roles(user) if a.role in _REPORT_DRAFT_ROLES}
    return AnnualReport.objects.filter(
        Q(partnership_id__in=drafts)
        | (Q(status=AnnualReportStatus.PUBLISHED) & _readable(_reader_partnership_ids(user)))
    )


def can_write_reports(user: Any, partnership: Partnership) -> bool:
    """Start, edit and publish annual reports: the partnership's managers (and administrators), for a CSP."""
    return partnership.kind == PartnershipKind.CSP and can_manage(user, partnership)


def get_annual_report_for_user(user: Any, pk: int, *, for_write: bool = False) -> AnnualReport:
    """Fetch and authorise an annual report: 404 outside scope, 403 if it may not be changed by the user."""
    report = visible_annual_reports(user).select_related("partnership", "plan", "published_by").filter(pk=pk).first()
    if report is None:
        raise Http404("No such annual report")
    if for_write and not can_write_reports(user, report.partnership):
        raise PermissionDenied("Only the partnership's managers write its annual report")
    return report
