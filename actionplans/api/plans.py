"""Action plans: read by the partnership's members and scrutiny; changed by its managers until closed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from actionplans import permissions, services
from actionplans.models import ActionPlan, ActionPlanStatus
from csp_portal.api.concurrency import call_service, expected_version, with_etag
from csp_portal.api.filters import ChangedSinceFilter, IdFilter, PartnershipFilter
from csp_portal.api.serializers import PartnershipRefField, WriteSerializer, limit_choices, version_field
from csp_portal.api.views import PortalViewSet
from csp_portal.pages import actor
from priorities.models import PartnershipPlan
from priorities.permissions import visible_plans

CLOSED = "A closed plan is read-only"


class ActionPlanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    partnership = PartnershipRefField()

    class Meta:
        model = ActionPlan
        fields = (
            "id",
            "partnership",
            "plan",
            "title",
            "period_start",
            "period_end",
            "status",
            "agreed_on",
            "agreed_by",
            "version",
            "created_at",
        )


class ActionPlanWriteSerializer(WriteSerializer):
    title = serializers.CharField(max_length=200)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    plan = serializers.PrimaryKeyRelatedField(
        queryset=PartnershipPlan.objects.none(),
        allow_null=True,
        help_text="The partnership plan (strategy) whose priorities its actions serve, or null",
    )
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            limit_choices(self, "plan", visible_plans(request.user))


class ActionPlanFilterSet(filters.FilterSet):  # type: ignore[misc]
    partnership = PartnershipFilter()
    status = filters.ChoiceFilter(choices=ActionPlanStatus.choices)
    plan = IdFilter(field_name="plan", help_text="The partnership plan it delivers")
    updated_since = ChangedSinceFilter()

    class Meta:
        model = ActionPlan
        fields = ("partnership", "status", "plan", "updated_since")


@extend_schema_view(
    update=extend_schema(request=ActionPlanWriteSerializer, responses=ActionPlanSerializer),
    partial_update=extend_schema(request=ActionPlanWriteSerializer, responses=ActionPlanSerializer),
)
class ActionPlanViewSet(mixins.UpdateModelMixin, PortalViewSet):
    """Action plans you may read; the partnership's managers change them until they are closed."""

    queryset = ActionPlan.objects.none()  # the model, for the schema; lists are scoped()
    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilterSet
    ordering_fields = ("period_start", "title", "status")
    ordering = ("-period_start", "title", "pk")
    versioned = True
    versioned_writes = frozenset({"update", "partial_update"})

    def scoped(self, user: Any) -> QuerySet[ActionPlan]:
        return permissions.visible_action_plans(user).select_related("partnership").order_by("-period_start", "pk")

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        action_plan = permissions.get_action_plan_for_user(user, pk, for_write=for_write)
        if for_write and action_plan.status == ActionPlanStatus.CLOSED:
            raise PermissionDenied(CLOSED)  # as the edit page refuses it
        return action_plan

    def represent(self, action_plan: ActionPlan) -> Any:
        return ActionPlanSerializer(action_plan, context=self.get_serializer_context()).data

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action_plan = self.get_object(for_write=True)
        values = self.valid_input(ActionPlanWriteSerializer, partial=kwargs.get("partial", False))
        expected = expected_version(
            request,
            values.get("version"),
            current_version=action_plan.version,
            represent=lambda: self.represent(action_plan),
        )
        saved = call_service(
            lambda: services.action_plan_update(
                actor=actor(request),
                action_plan=action_plan,
                version=expected.version,
                title=values.get("title", action_plan.title),
                period_start=values.get("period_start", action_plan.period_start),
                period_end=values.get("period_end", action_plan.period_end),
                plan=values.get("plan", action_plan.plan),
            ),
            expected=expected,
            represent=self.represent,
        )
        return with_etag(Response(self.represent(self.reread(saved))), saved.version)
