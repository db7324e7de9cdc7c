"""Progress updates on actions: listed here; posted on their action (actions.py)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers

from actionplans import permissions
from actionplans.models import ActionStatus, ProgressUpdate, Rag
from csp_portal.api.filters import ChangedSinceFilter, IdFilter, PartnershipFilter, date_range
from csp_portal.api.serializers import PartnershipRefField, WriteSerializer, version_field
from csp_portal.api.views import PortalViewSet, first_or_404


def people_visible(serializer: serializers.Serializer, partnership: Any) -> bool:  # type: ignore[type-arg]
    """Whether the caller may see the people of this partnership, asked once per partnership per response."""
    context = cast(dict[str, Any], serializer.context)
    cache: dict[int, bool] = context.setdefault("_people_visible", {})
    if partnership.pk not in cache:
        cache[partnership.pk] = permissions.can_read_people(serializer.context["request"].user, partnership)
    return cache[partnership.pk]


class ProgressUpdateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    partnership = PartnershipRefField(source="action.action_plan.partnership")
    evidence_links = serializers.ListField(child=serializers.URLField(), source="links", read_only=True)
    author_name = serializers.SerializerMethodField(help_text="Null if you may not see people")

    class Meta:
        model = ProgressUpdate
        fields: tuple[str, ...] = (
            "id",
            "action",
            "partnership",
            "reported_on",
            "rag",
            "narrative",
            "percent_complete",
            "evidence_links",
            "author_name",
            "created_at",
        )

    def get_author_name(self, update: ProgressUpdate) -> str | None:
        if not people_visible(self, update.action.action_plan.partnership):
            return None
        return str(update.author)


class ProgressCreatedSerializer(ProgressUpdateSerializer):
    action_version = serializers.IntegerField(
        source="action.version", read_only=True, help_text="The action's version now: send it with the next write"
    )

    class Meta(ProgressUpdateSerializer.Meta):
        fields = (*ProgressUpdateSerializer.Meta.fields, "action_version")


class ProgressWriteSerializer(WriteSerializer):
    reported_on = serializers.DateField(help_text="The day the update is for: today or in the past")
    rag = serializers.ChoiceField(choices=Rag.choices)
    narrative = serializers.CharField(max_length=20_000, help_text="The progress, and the reason for the RAG")
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)
    status = serializers.ChoiceField(choices=ActionStatus.choices, help_text="The action's status after this update")
    evidence_links = serializers.ListField(
        child=serializers.CharField(max_length=2_000), max_length=20, required=False, help_text="Web addresses"
    )
    version = version_field()


_REPORTED_BEFORE, _REPORTED_AFTER = date_range("reported_on", "reported")


class ProgressUpdateFilterSet(filters.FilterSet):  # type: ignore[misc]
    action = IdFilter(field_name="action")
    action_plan = IdFilter(field_name="action__action_plan")
    partnership = PartnershipFilter(field_name="action__action_plan__partnership")
    lead_organisation = IdFilter(field_name="action__lead_organisation", help_text="The action's lead organisation")
    rag = filters.MultipleChoiceFilter(choices=Rag.choices)
    reported_before = _REPORTED_BEFORE
    reported_after = _REPORTED_AFTER
    updated_since = ChangedSinceFilter()

    class Meta:
        model = ProgressUpdate
        fields = (
            "action",
            "action_plan",
            "partnership",
            "lead_organisation",
            "rag",
            "reported_before",
            "reported_after",
            "updated_since",
        )


class ProgressUpdateViewSet(PortalViewSet):
    """Progress updates on the actions you may read, newest first. Post them on the action."""

    queryset = ProgressUpdate.objects.none()
    serializer_class = ProgressUpdateSerializer
    filterset_class = ProgressUpdateFilterSet
    ordering_fields = ("reported_on", "created_at")
    ordering = ("-reported_on", "-created_at", "-pk")

    def scoped(self, user: Any) -> QuerySet[ProgressUpdate]:
        return (
            ProgressUpdate.objects.filter(action__in=permissions.visible_actions(user))
            .select_related("action__action_plan__partnership", "author")
            .order_by("-reported_on", "-created_at", "-pk")
        )

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        return first_or_404(self.scoped(user), pk)
