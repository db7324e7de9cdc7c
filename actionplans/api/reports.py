"""Annual reports to the crime and disorder committee, read-only: what the report pages show.

Scope: actionplans.permissions.visible_annual_reports (published reports for those who read the
partnership's action plans; drafts too for its managers and chair). A row's `contents` are the report's
generated tables: frozen on publication, and for a draft generated from the live data on every read, as
its page is. The domestic homicide review counts in them are need-to-know (reviews.permissions.
may_see_review_counts): null for those who may not see them. Reports are written and published in the
portal.
"""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actionplans import permissions
from actionplans.models import AnnualReport, AnnualReportStatus
from actionplans.reports.contents import report_contents
from csp_portal.api.filters import ChangedSinceFilter, PartnershipFilter, date_range
from csp_portal.api.serializers import PartnershipRefField
from csp_portal.api.views import PortalViewSet
from reviews.permissions import may_see_review_counts


class AnnualReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    partnership = PartnershipRefField()

    class Meta:
        model = AnnualReport
        fields: tuple[str, ...] = (
            "id",
            "partnership",
            "plan",
            "title",
            "period_start",
            "period_end",
            "committee",
            "status",
            "published_at",
            "summary",
            "successes",
            "year_ahead",
            "recommendations",
            "version",
            "created_at",
        )


class AnnualReportDetailSerializer(AnnualReportSerializer):
    contents = serializers.SerializerMethodField(
        help_text="The generated tables: totals, priorities with their actions by RAG and status, highlights "
        "and measures, completed and overdue actions, funding, the crime profile and review counts "
        "(null unless you may see them). Frozen on publication; a draft's are today's."
    )

    class Meta(AnnualReportSerializer.Meta):
        fields = (*AnnualReportSerializer.Meta.fields, "contents")

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_contents(self, report: AnnualReport) -> dict[str, Any]:
        contents = dict(report.contents if report.is_published and report.contents else report_contents(report))
        request = self.context["request"]
        if not may_see_review_counts(request.user, report.partnership):
            contents["reviews"] = None
        return contents


_PERIOD_BEFORE, _PERIOD_AFTER = date_range("period_end", "for periods ending")


class AnnualReportFilterSet(filters.FilterSet):  # type: ignore[misc]
    partnership = PartnershipFilter()
    status = filters.ChoiceFilter(choices=AnnualReportStatus.choices)
    period_end_before = _PERIOD_BEFORE
    period_end_after = _PERIOD_AFTER
    updated_since = ChangedSinceFilter()

    class Meta:
        model = AnnualReport
        fields = ("partnership", "status", "period_end_before", "period_end_after", "updated_since")


class AnnualReportViewSet(PortalViewSet):
    """Annual reports to the crime and disorder committee that you may read; a report's detail has its tables."""

    queryset = AnnualReport.objects.none()
    serializer_class = AnnualReportSerializer
    filterset_class = AnnualReportFilterSet
    ordering_fields = ("period_start", "published_at")
    ordering = ("-period_start", "-pk")

    def scoped(self, user: Any) -> Any:
        return permissions.visible_annual_reports(user).select_related("partnership").order_by("-period_start", "-pk")

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        return permissions.get_annual_report_for_user(user, pk)

    def get_serializer_class(self) -> type[serializers.Serializer]:  # type: ignore[type-arg]
        return AnnualReportDetailSerializer if self.action == "retrieve" else AnnualReportSerializer
