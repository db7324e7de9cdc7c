"""Need to know: who may see and work on a domestic homicide review. The one place these rules live.

A review is visible only to
- its partnership's review lead: whoever holds the "review lead" role there, or, where nobody does,
  the partnership's managers;
- the partnership's chair (who decides whether a review is held);
- the same people in a co-commissioning partnership;
- the people appointed to that review's panel (a grant for that review only).
Nobody else — not portal administrators, partner officers, scrutiny or county group members, other
CSPs — can tell that it exists: every lookup outside scope is a 404. Scrutiny and county readers get
aggregate counts (reviews/selectors.py), never a review.

Opening a review also needs a second factor (reviews/views/common.py asks `needs_second_factor`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from partnerships.models import Partnership, Role, RoleAssignment
from partnerships.permissions import current_roles, is_admin
from reviews.choices import AGENCY_DOCUMENT_KINDS, EDITING_PANEL_ROLES
from reviews.models import PanelMember, Recommendation, Review, ReviewDocument

_CACHE_ATTR = "_portal_review_scope"


@dataclass(frozen=True)
class ReviewScope:
    """The partnerships where the user leads or chairs reviews, and the reviews they sit on the panel of."""

    lead_ids: frozenset[int]
    chair_ids: frozenset[int]
    panel: dict[int, tuple[str, int | None]]  # review id → (panel role, organisation id)

    @property
    def partnership_ids(self) -> frozenset[int]:
        return self.lead_ids | self.chair_ids

    @property
    def any(self) -> bool:
        return bool(self.lead_ids or self.chair_ids or self.panel)


def review_scope(user: Any) -> ReviewScope:
    """The user's review scope, read once per request (two queries at most) and cached on the user."""
    cached: ReviewScope | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles = current_roles(user)
    leads = {a.partnership_id for a in roles if a.role == Role.REVIEW_LEAD}
    managed = {a.partnership_id for a in roles if a.role == Role.MANAGER} - leads
    if managed:
        # Managers lead reviews only where the partnership has no review lead of its own.
        managed -= set(
            RoleAssignment.objects.current()
            .filter(partnership_id__in=managed, role=Role.REVIEW_LEAD)
            .values_list("partnership_id", flat=True)
        )
    panel: dict[int, tuple[str, int | None]] = {}
    if user.is_authenticated and user.is_active:
        for review_id, panel_role, organisation_id in (
            PanelMember.objects.active().filter(person=user).values_list("review_id", "panel_role", "organisation_id")
        ):
            panel[review_id] = (panel_role, organisation_id)
    scope = ReviewScope(
        lead_ids=frozenset(leads | managed),
        chair_ids=frozenset(a.partnership_id for a in roles if a.role == Role.CHAIR),
        panel=panel,
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_review_scope(user: Any) -> None:
    """Drop the per-request cache after the user's roles or panels changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_review_access(user: Any) -> bool:
    """Whether the user may open any review at all (and so must hold a second factor)."""
    return bool(user.is_authenticated and user.is_active and review_scope(user).any)


def _scope_q(scope: ReviewScope) -> Q:
    ids = scope.partnership_ids
    return (
        Q(partnership_id__in=ids)
        | Q(pk__in=Review.co_commissioners.through.objects.filter(partnership_id__in=ids).values("review_id"))
        | Q(pk__in=list(scope.panel))
    )


def visible_reviews(user: Any) -> QuerySet[Review]:
    """Reviews the user may open. Empty for everyone without a review role: admins included."""
    if not has_review_access(user):
        return Review.objects.none()
    return Review.objects.filter(_scope_q(review_scope(user)))


@dataclass(frozen=True)
class ReviewAccess:
    """What one user may do on one review."""

    lead: bool  # the partnership's review lead: everything, including the panel, stages and access log
    chair: bool  # the partnership's chair: reads everything and records the decision
    panel_role: str | None  # on the panel, in this role
    panel_organisation_id: int | None

    @property
    def can_edit(self) -> bool:
        """Edit the case, agencies, family log, documents and recommendations: the lead, the independent
        chair, the author and the coordinator."""
        return self.lead or self.panel_role in EDITING_PANEL_ROLES

    @property
    def can_manage(self) -> bool:
        """Move stages, pause, appoint the panel, read the access log: the review lead."""
        return self.lead

    @property
    def can_decide(self) -> bool:
        return self.chair

    def can_upload(self, kind: str, organisation_id: int | None) -> bool:
        """Editors upload anything; other panel members their own agency's IMR and chronology."""
        if self.can_edit:
            return True
        return (
            self.panel_role is not None
            and kind in AGENCY_DOCUMENT_KINDS
            and organisation_id is not None
            and organisation_id == self.panel_organisation_id
        )


NO_ACCESS = ReviewAccess(lead=False, chair=False, panel_role=None, panel_organisation_id=None)


def review_access(user: Any, review: Review) -> ReviewAccess:
    """The user's rights on a review they can see (NO_ACCESS if they cannot). Queries only for
    co-commissioned reviews, and only once per request for the partnership scope."""
    if not has_review_access(user):
        return NO_ACCESS
    scope = review_scope(user)
    commissioners = {review.partnership_id}
    if scope.partnership_ids - commissioners:
        commissioners |= set(review.co_commissioners.values_list("pk", flat=True))
    panel_role, organisation_id = scope.panel.get(review.pk, (None, None))
    return ReviewAccess(
        lead=bool(scope.lead_ids & commissioners),
        chair=bool(scope.chair_ids & commissioners),
        panel_role=panel_role,
        panel_organisation_id=organisation_id,
    )


REQUIREMENTS: dict[str, Callable[[ReviewAccess], bool]] = {
    "view": lambda access: True,
    "edit": lambda access: access.can_edit,
    "manage": lambda access: access.can_manage,
    "decide": lambda access: access.can_decide,
}
REFUSALS = {
    "edit": "Only the review lead and the review's chair, author or coordinator can change this review",
    "manage": "Only the partnership's review lead can do this",
    "decide": "Only the partnership's chair can record the decision",
}


def get_review_for_user(user: Any, pk: int, *, need: str = "view") -> tuple[Review, ReviewAccess]:
    """Fetch a review and authorise: 404 unless the user may see it, 403 if they lack `need`."""
    review = visible_reviews(user).filter(pk=pk).select_related("partnership", "notified_by").first()
    if review is None:
        raise Http404("No such review")
    access = review_access(user, review)
    if not REQUIREMENTS[need](access):
        raise PermissionDenied(REFUSALS[need])
    return review, access


def get_document_for_user(user: Any, review_pk: int, pk: int) -> tuple[Review, ReviewAccess, ReviewDocument]:
    """A document of a review the user may see; a guessed id of another review's document is a 404."""
    review, access = get_review_for_user(user, review_pk)
    document = ReviewDocument.objects.filter(review=review, pk=pk).select_related("agency__organisation").first()
    if document is None:
        raise Http404("No such document")
    return review, access, document


def can_update_recommendation(access: ReviewAccess, recommendation: Recommendation, user: Any) -> bool:
    """Report progress: editors of the review, and the recommendation's lead officer (who is on the panel)."""
    return access.can_edit or (recommendation.lead_officer_id is not None and recommendation.lead_officer_id == user.pk)


def get_recommendation_for_user(
    user: Any, review_pk: int, pk: int, *, for_update: bool = False
) -> tuple[Review, ReviewAccess, Recommendation]:
    review, access = get_review_for_user(user, review_pk)
    recommendation = (
        Recommendation.objects.filter(review=review, pk=pk).select_related("lead_organisation", "lead_officer").first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    if for_update and not can_update_recommendation(access, recommendation, user):
        raise PermissionDenied("Only the recommendation's lead officer and the review's editors can report progress")
    return review, access, recommendation


def may_see_review_counts(user: Any, partnership: Partnership) -> bool:
    """Aggregate counts (open, completed this year, recommendations outstanding) on partnership pages:
    its managers, chair, review lead, scrutiny and county group members, and administrators. Partner
    officers, who may not know a review exists, see none."""
    if is_admin(user):
        return True
    wanted = {Role.MANAGER, Role.CHAIR, Role.REVIEW_LEAD, Role.SCRUTINY_MEMBER, Role.COUNTY_MEMBER}
    ids = {partnership.pk, partnership.parent_id}
    return any(a.role in wanted and a.partnership_id in ids for a in current_roles(user))
