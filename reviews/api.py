"""Domestic homicide reviews and their recommendations: read-only, need to know.

Who reaches these endpoints is decided as for the review pages (reviews/views/common.py):
- anyone without a review role (reviews.permissions.has_review_access) gets 404 for every one of them,
  lists included, so nothing tells them reviews exist: administrators, partner officers, scrutiny and
  county members and other CSPs among them;
- a browser session must have passed the second factor (partnerships.two_factor.is_verified), else 403;
- a token reaches them only if it was made by someone with review access in a session that had passed
  the second factor (partnerships.models.ApiToken.reviews), else 404 as above;
- then reviews.permissions scopes every list (visible_reviews) and authorises every row.
What is sent is deliberately less than the pages show: the reference, stage, dates, clock and deadlines of
a review, and its recommendations as they are tracked; never pseudonyms, the case's details, the panel,
family contact or documents. Opening a review or a recommendation is recorded in the review's access log,
as opening its page is.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from csp_portal.api.concurrency import with_etag
from csp_portal.api.filters import IdFilter, PartnershipFilter, date_range
from csp_portal.api.serializers import DISPLAY_RAGS, PartnershipRefField
from csp_portal.api.views import PortalViewSet, first_or_404
from csp_portal.pages import actor
from partnerships.models import ApiToken
from partnerships.two_factor import is_verified
from reviews import permissions
from reviews.choices import AccessKind, Decision, RecommendationScope, RecommendationStatus, ReviewType, Stage
from reviews.clock import Deadline
from reviews.models import Recommendation, Review
from reviews.selectors import ReviewRow, review_rows, review_summary, with_parts, with_recommendation_flags
from reviews.services.workspace import log_access

SECOND_FACTOR = (
    "Enter a code from your authenticator app in the portal (/accounts/two-factor/verify/) before opening "
    "reviews in this session, or use an API token made after doing so"
)


def review_gate(request: Request) -> None:
    """Refuse callers who may not reach reviews at all (404), and sessions without the second factor (403)."""
    token = request.auth if isinstance(request.auth, ApiToken) else None
    if not permissions.has_review_access(request.user) or (token is not None and not token.reviews):
        raise Http404("No such page")
    if token is None and not is_verified(request._request):
        raise PermissionDenied(SECOND_FACTOR)


class ReviewGateMixin:
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        review_gate(request)


# --- Reviews -----------------------------------------------------------------------------------------------


class DeadlineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    label = serializers.CharField()  # type: ignore[assignment]
    due_on = serializers.DateField()
    met_on = serializers.DateField(allow_null=True, help_text="When it was met; null while it is not")
    paused_days = serializers.IntegerField(help_text="Days the review was paused since this clock started")
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, deadline: Deadline) -> bool:
        return deadline.is_overdue(self.context.get("today") or timezone.localdate())


class ReviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A review as a row of the list: what it is, where it stands and what is due next."""

    id = serializers.IntegerField(source="review.pk")
    reference = serializers.CharField(source="review.reference")
    partnership = PartnershipRefField(source="review.partnership")
    review_type = serializers.ChoiceField(source="review.review_type", choices=ReviewType.choices)
    stage = serializers.ChoiceField(source="review.stage", choices=Stage.choices)
    notified_on = serializers.DateField(source="review.notified_on")
    decision = serializers.ChoiceField(source="review.decision", choices=[("", "Not decided"), *Decision.choices])
    decided_on = serializers.DateField(source="review.decided_on", allow_null=True)
    home_office_notified_on = serializers.DateField(source="review.home_office_notified_on", allow_null=True)
    commissioned_on = serializers.DateField(source="review.commissioned_on", allow_null=True)
    completion_months = serializers.IntegerField(source="review.completion_months")
    signed_off_on = serializers.DateField(source="review.signed_off_on", allow_null=True)
    qa_approved_on = serializers.DateField(source="review.qa_approved_on", allow_null=True)
    published_on = serializers.DateField(source="review.published_on", allow_null=True)
    closed_on = serializers.DateField(source="review.closed_on", allow_null=True)
    paused_since = serializers.DateField(source="clock.paused_since", allow_null=True, help_text="Null if not paused")
    elapsed_days = serializers.IntegerField(source="clock.elapsed_days", help_text="Days since the notification")
    active_days = serializers.IntegerField(source="clock.active_days", help_text="The same, without pauses")
    next_deadline = DeadlineSerializer(allow_null=True, help_text="The earliest deadline not yet met")
    version = serializers.IntegerField(source="review.version")


class ReviewDetailSerializer(ReviewSerializer):
    deadlines = DeadlineSerializer(many=True, help_text="Every statutory date that applies so far, in date order")


class ReviewFilterSet(filters.FilterSet):  # type: ignore[misc]
    partnership = PartnershipFilter()
    stage = filters.MultipleChoiceFilter(choices=Stage.choices)

    class Meta:
        model = Review
        fields = ("partnership", "stage")


@extend_schema_view(
    list=extend_schema(responses=ReviewSerializer(many=True)), retrieve=extend_schema(responses=ReviewDetailSerializer)
)
class ReviewViewSet(ReviewGateMixin, PortalViewSet):
    """The domestic homicide reviews you may open (review lead, chair, or on the panel): stage, dates,
    clock and deadlines. Everyone else gets 404."""

    queryset = Review.objects.none()  # the model, for the schema; lists are scoped()
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilterSet
    ordering_fields = ("notified_on", "reference")
    ordering = ("-notified_on", "reference", "pk")
    versioned = True

    def scoped(self, user: Any) -> QuerySet[Review]:
        return with_parts(permissions.visible_reviews(user)).order_by("-notified_on", "reference", "pk")

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        review, _access = permissions.get_review_for_user(user, pk)
        return review

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        today = timezone.localdate()
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = review_rows(page if page is not None else [], today)
        data = ReviewSerializer(rows, many=True, context={"today": today}).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        review = self.get_object()
        today = timezone.localdate()
        row: ReviewRow = review_summary(review, today)
        log_access(review=review, person=actor(request), kind=AccessKind.VIEWED, page=request.path)
        data = ReviewDetailSerializer(row, context={"today": today}).data
        return with_etag(Response(data), review.version)


# --- Recommendations ---------------------------------------------------------------------------------------


class RecommendationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    review_reference = serializers.CharField(source="review.reference", read_only=True)
    lead_organisation_name = serializers.CharField(source="lead_organisation.name", read_only=True, allow_null=True)
    lead_officer_name = serializers.SerializerMethodField()
    display_rag = serializers.ChoiceField(choices=DISPLAY_RAGS, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    needs_update = serializers.BooleanField(read_only=True)
    scope = serializers.ChoiceField(choices=RecommendationScope.choices, read_only=True)
    status = serializers.ChoiceField(choices=RecommendationStatus.choices, read_only=True)

    class Meta:
        model = Recommendation
        fields = (
            "id",
            "review",
            "review_reference",
            "number",
            "text",
            "scope",
            "addressed_to",
            "lead_organisation",
            "lead_organisation_name",
            "lead_officer_name",
            "target_date",
            "status",
            "status_reason",
            "completed_on",
            "rag",
            "display_rag",
            "percent_complete",
            "last_update_on",
            "is_overdue",
            "needs_update",
            "version",
        )

    def get_lead_officer_name(self, recommendation: Recommendation) -> str | None:
        return str(recommendation.lead_officer) if recommendation.lead_officer else None


_TARGET_BEFORE, _TARGET_AFTER = date_range("target_date", "with a target date")


class RecommendationFilterSet(filters.FilterSet):  # type: ignore[misc]
    review = IdFilter(field_name="review")
    partnership = PartnershipFilter(field_name="review__partnership")
    status = filters.MultipleChoiceFilter(choices=RecommendationStatus.choices)
    rag = filters.MultipleChoiceFilter(field_name="display_rag", choices=DISPLAY_RAGS)
    lead_organisation = IdFilter(field_name="lead_organisation")
    due_before = _TARGET_BEFORE
    due_after = _TARGET_AFTER

    class Meta:
        model = Recommendation
        fields = ("review", "partnership", "status", "rag", "lead_organisation", "due_before", "due_after")


class RecommendationViewSet(ReviewGateMixin, PortalViewSet):
    """The recommendations of the reviews you may open, tracked to closure like actions."""

    queryset = Recommendation.objects.none()
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilterSet
    ordering_fields = ("target_date", "number", "last_update_on")
    ordering = ("review_id", "number", "pk")
    versioned = True

    def scoped(self, user: Any) -> QuerySet[Any]:
        items = Recommendation.objects.filter(review__in=permissions.visible_reviews(user)).select_related(
            "review", "lead_organisation", "lead_officer"
        )
        return with_recommendation_flags(items).order_by("review_id", "number", "pk")

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        recommendation = first_or_404(self.scoped(user), pk)
        # Authorised through the review, as the recommendation's page is.
        permissions.get_recommendation_for_user(user, recommendation.review_id, pk)
        return recommendation

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        recommendation = self.get_object()
        log_access(review=recommendation.review, person=actor(request), kind=AccessKind.VIEWED, page=request.path)
        data = self.get_serializer(recommendation).data
        return with_etag(Response(data), recommendation.version)
