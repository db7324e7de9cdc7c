"""Strategic assessments, with their crime profile on the detail: read-only.

Scope: priorities.permissions.visible_assessments (managers and chairs read every status, partner
officers shared and approved ones, scrutiny and county group members approved ones). The crime profile is
priorities.selectors.crime_profile, as on the assessment page: counts by category against the window
before, by month, and the neighbourhoods with most crime (police.uk data, no personal data).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from csp_portal.api.concurrency import with_etag
from csp_portal.api.filters import ChangedSinceFilter, PartnershipFilter
from csp_portal.api.serializers import PartnershipRefField
from csp_portal.api.views import PortalViewSet
from priorities import permissions, selectors
from priorities.models import AssessmentStatus, StrategicAssessment
from priorities.policeuk import CrimeCategory


class AssessmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    partnership = PartnershipRefField()
    year_label = serializers.CharField(read_only=True, help_text="The year it covers, e.g. 2024/25")

    class Meta:
        model = StrategicAssessment
        fields: tuple[str, ...] = (
            "id",
            "partnership",
            "year",
            "year_label",
            "title",
            "period_start",
            "period_end",
            "summary",
            "status",
            "shared_at",
            "approved_at",
            "version",
            "created_at",
        )


class HotSpotSerializer(serializers.Serializer):  # type: ignore[type-arg]
    lsoa_code = serializers.CharField(help_text="The neighbourhood's ONS code (LSOA)")
    lsoa_name = serializers.CharField()
    count = serializers.IntegerField(help_text="Crimes in the data window")


class CategoryChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    category = serializers.ChoiceField(choices=CrimeCategory.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    current = serializers.IntegerField(help_text="Crimes in the data window")
    previous = serializers.IntegerField(help_text="Crimes in the window of the same length before it")
    change = serializers.IntegerField()
    percent = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text="Change as a percentage; null when none before"
    )
    monthly = serializers.ListField(child=serializers.IntegerField(), help_text="Crimes in each month of `months`")
    hot_spots = HotSpotSerializer(many=True, help_text="The neighbourhoods with most crimes of this category")


class CrimeTotalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    current = serializers.IntegerField()
    previous = serializers.IntegerField()
    change = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class CrimeProfileSerializer(serializers.Serializer):  # type: ignore[type-arg]
    months = serializers.ListField(child=serializers.DateField(), help_text="First day of each month of the window")
    previous_start = serializers.DateField()
    previous_end = serializers.DateField()
    total = CrimeTotalSerializer()
    categories = CategoryChangeSerializer(many=True)


class AssessmentDetailSerializer(AssessmentSerializer):
    crime_profile = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = (*AssessmentSerializer.Meta.fields, "crime_profile")

    @staticmethod
    def _profile(assessment: StrategicAssessment) -> dict[str, Any]:
        profile = selectors.crime_profile(assessment)
        categories = [
            {
                "category": change.category.value,
                "label": change.category.label,
                "current": change.current,
                "previous": change.previous,
                "change": change.change,
                "percent": change.percent,
                "monthly": profile.monthly.get(change.category.value, []),
                "hot_spots": profile.hot_spots.get(change.category.value, []),
            }
            for change in profile.changes
        ]
        total = profile.total
        return {
            "months": profile.months,
            "previous_start": profile.previous_start,
            "previous_end": profile.previous_end,
            "total": {
                "current": total.current,
                "previous": total.previous,
                "change": total.change,
                "percent": total.percent,
            },
            "categories": categories,
        }

    @extend_schema_field(CrimeProfileSerializer)
    def get_crime_profile(self, assessment: StrategicAssessment) -> Any:
        return CrimeProfileSerializer(self._profile(assessment)).data


class AssessmentFilterSet(filters.FilterSet):  # type: ignore[misc]
    partnership = PartnershipFilter()
    status = filters.ChoiceFilter(choices=AssessmentStatus.choices)
    year = filters.NumberFilter(help_text="The first calendar year it covers: 2024 for 2024/25")
    updated_since = ChangedSinceFilter()

    class Meta:
        model = StrategicAssessment
        fields = ("partnership", "status", "year", "updated_since")


@extend_schema_view(retrieve=extend_schema(responses=AssessmentDetailSerializer))
class AssessmentViewSet(PortalViewSet):
    """Strategic assessments you may read; the detail adds the crime profile."""

    queryset = StrategicAssessment.objects.none()  # the model, for the schema; lists are scoped()
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    ordering_fields = ("year", "title", "status")
    ordering = ("-year", "pk")
    versioned = True

    def scoped(self, user: Any) -> QuerySet[StrategicAssessment]:
        return permissions.visible_assessments(user).select_related("partnership").order_by("-year", "pk")

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        return permissions.get_assessment_for_user(user, pk)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assessment = self.get_object()
        data = AssessmentDetailSerializer(assessment, context=self.get_serializer_context()).data
        return with_etag(Response(data), assessment.version)
