"""Who holds which role where, and what that lets them see and do. The one place these rules live.

Every view, API endpoint and task asks this module; none re-derives a rule. Two kinds of answer:
- scoped querysets (`visible_partnerships`) for lists, so a list never shows what the user may not see;
- `get_partnership_for_user`, which fetches and authorises in one call: an object outside the user's
  scope is a 404 (its existence never leaks), one they may see but not change is a 403.

Roles are object-level: a role is held in one partnership, for one organisation, between two dates.
Portal administrators (staff) see and manage everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from partnerships.models import (
    Organisation,
    OrganisationMembership,
    Partnership,
    PartnershipKind,
    Role,
    RoleAssignment,
)

_CACHE_ATTR = "_portal_current_roles"

# Roles that may see the people of a partnership (names, emails). Scrutiny and county group members
# read dashboards without personal data.
PEOPLE_VIEWER_ROLES = frozenset({Role.MANAGER, Role.CHAIR, Role.PARTNER_OFFICER})


def is_admin(user: Any) -> bool:
    """A signed-in, active portal administrator."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def current_roles(user: Any) -> list[RoleAssignment]:
    """The user's roles in force today, read once per request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[RoleAssignment] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.current()
            .filter(person=user)
            .select_related("partnership", "organisation")
            .order_by("partnership__name", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: Any) -> None:
    """Drop the per-request cache after the user's roles changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _role_partnership_ids(user: Any, roles: Iterable[str] | None = None) -> set[int]:
    wanted = set(roles) if roles is not None else None
    return {a.partnership_id for a in current_roles(user) if wanted is None or a.role in wanted}


def roles_in(user: Any, partnership: Partnership) -> set[str]:
    """The roles the user holds in this partnership today."""
    return {a.role for a in current_roles(user) if a.partnership_id == partnership.pk}


def _holds(user: Any, partnership: Partnership, roles: Iterable[str]) -> bool:
    """A role in the partnership itself or, for a thematic group, in the partnership it reports to.

    A county group's people do not manage its CSPs, nor see their people: each CSP is its own.
    """
    ids = _role_partnership_ids(user, roles)
    if partnership.pk in ids:
        return True
    return partnership.kind == PartnershipKind.THEMATIC_GROUP and partnership.parent_id in ids


def can_see(user: Any, partnership: Partnership | None) -> bool:
    """Whether a partnership (e.g. the parent of the one on the page) is in the user's scope (no query).

    Matches visible_partnerships for a partnership and its parent; used to decide whether to link to it.
    """
    if partnership is None:
        return False
    return is_admin(user) or bool(_role_partnership_ids(user) & {partnership.pk, partnership.parent_id})


def visible_partnerships(user: Any) -> QuerySet[Partnership]:
    """Partnerships the user may see: those they hold a role in, and every group under them."""
    if is_admin(user):
        return Partnership.objects.all()
    ids = _role_partnership_ids(user)
    if not ids:
        return Partnership.objects.none()
    # Three levels at most: county group → CSP → thematic group.
    return Partnership.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids) | Q(parent__parent_id__in=ids))


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations the user may see: those that are (or were) members of the partnerships they may see."""
    if is_admin(user):
        return Organisation.objects.all()
    members = OrganisationMembership.objects.filter(partnership__in=visible_partnerships(user))
    return Organisation.objects.filter(pk__in=members.values("organisation_id"))


def get_organisation_for_user(user: Any, pk: int) -> Organisation:
    """Fetch an organisation the user may see: 404 otherwise (organisations are changed in the admin only)."""
    organisation = visible_organisations(user).filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def can_manage_partnership(user: Any, partnership: Partnership) -> bool:
    """Change a partnership's member organisations and people: its managers and administrators."""
    return is_admin(user) or _holds(user, partnership, {Role.MANAGER})


def can_view_people(user: Any, partnership: Partnership) -> bool:
    """See the named people of a partnership (personal data)."""
    return is_admin(user) or _holds(user, partnership, PEOPLE_VIEWER_ROLES)


def officer_organisation_ids(user: Any, partnership: Partnership) -> set[int]:
    """Organisations the user is a partner officer for in this partnership (their own actions)."""
    return {
        a.organisation_id
        for a in current_roles(user)
        if a.partnership_id == partnership.pk and a.role == Role.PARTNER_OFFICER
    }


def partnership_lookup(ref: str) -> Q:
    """A partnership is found by its slug or by its ONS code, wherever a URL or command takes one."""
    return Q(slug=ref) | Q(ons_code=ref.upper())


def get_partnership_for_user(user: Any, ref: str, *, for_write: bool = False) -> Partnership:
    """Fetch a partnership by slug or ONS code and authorise: 404 outside scope, 403 if not writable."""
    partnership = (
        visible_partnerships(user)
        .filter(partnership_lookup(ref))
        .select_related("parent", "police_force_area", "policing_area")
        .first()
    )
    if partnership is None:
        raise Http404("No such partnership")
    if for_write and not can_manage_partnership(user, partnership):
        raise PermissionDenied("Only the partnership's managers can change its membership")
    return partnership


def get_membership_for_user(user: Any, ref: str, pk: int, *, for_write: bool = False) -> OrganisationMembership:
    """An organisation's membership of a partnership the user may see (and, for writes, manage)."""
    partnership = get_partnership_for_user(user, ref, for_write=for_write)
    membership = (
        OrganisationMembership.objects.filter(partnership=partnership, pk=pk).select_related("organisation").first()
    )
    if membership is None:
        raise Http404("No such membership")
    membership.partnership = partnership
    return membership


def get_role_for_user(user: Any, ref: str, pk: int, *, for_write: bool = False) -> RoleAssignment:
    """A role held in a partnership the user may see people of (and, for writes, manage)."""
    partnership = get_partnership_for_user(user, ref, for_write=for_write)
    if not can_view_people(user, partnership):
        raise PermissionDenied("You cannot see the people of this partnership")
    assignment = (
        RoleAssignment.objects.filter(partnership=partnership, pk=pk).select_related("person", "organisation").first()
    )
    if assignment is None:
        raise Http404("No such role")
    assignment.partnership = partnership
    return assignment
