"""Partnership plans, their priorities, outcome measures and the measures' values.

Scope: priorities.permissions (visible_plans and the priorities, measures and values of those plans).
Writes, through priorities.services as on the plan pages:
- PUT/PATCH a plan (plan_update): its managers, while it is a draft or out for consultation (403 after
  adoption: it changes through its annual review, in the portal);
- POST a measure value (measure_value_add): the plan's managers, until the plan is superseded.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from csp_portal.api.concurrency import call_service, expected_version, with_etag
from csp_portal.api.filters import ChangedSinceFilter, IdFilter, PartnershipFilter, date_range
from csp_portal.api.serializers import PartnershipRefField, WriteSerializer, limit_choices, version_field
from csp_portal.api.views import PortalViewSet, body_pk, first_or_404
from csp_portal.pages import actor
from priorities import permissions, services
from priorities.models import (
    MeasureValue,
    OutcomeMeasure,
    PartnershipPlan,
    PlanStatus,
    Priority,
    PriorityStatus,
    StrategicAssessment,
    Theme,
)

# --- Partnership plans ---------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    partnership = PartnershipRefField()
    assessments = serializers.SerializerMethodField(
        help_text="The strategic assessments informing it (those you may read)"
    )

    class Meta:
        model = PartnershipPlan
        fields = (
            "id",
            "partnership",
            "title",
            "start_year",
            "end_year",
            "vision",
            "status",
            "adopted_on",
            "adopted_by_body",
            "adoption_notes",
            "superseded_by",
            "assessments",
            "version",
            "created_at",
        )

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_assessments(self, plan: PartnershipPlan) -> list[int]:
        return [assessment.pk for assessment in plan.visible_assessments]  # type: ignore[attr-defined]


class PlanWriteSerializer(WriteSerializer):
    """A draft plan's details (PUT: all of them; PATCH: those sent)."""

    title = serializers.CharField(max_length=200)
    start_year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="2025 for a plan from April 2025")
    end_year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="2028 for a plan to March 2028")
    vision = serializers.CharField(allow_blank=True, max_length=20_000)
    assessments = serializers.PrimaryKeyRelatedField(
        many=True, queryset=StrategicAssessment.objects.none(), help_text="Strategic assessments of the partnership"
    )
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            limit_choices(self, "assessments", permissions.visible_assessments(request.user))


class PlanFilterSet(filters.FilterSet):  # type: ignore[misc]
    partnership = PartnershipFilter()
    status = filters.ChoiceFilter(choices=PlanStatus.choices)
    updated_since = ChangedSinceFilter()

    class Meta:
        model = PartnershipPlan
        fields = ("partnership", "status", "updated_since")


@extend_schema_view(
    update=extend_schema(request=PlanWriteSerializer, responses=PlanSerializer),
    partial_update=extend_schema(request=PlanWriteSerializer, responses=PlanSerializer),
)
class PlanViewSet(PortalViewSet):
    """Partnership plans (community safety strategies) you may read; their managers change drafts."""

    queryset = PartnershipPlan.objects.none()  # the model, for the schema; lists are scoped()
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    ordering_fields = ("start_year", "title", "status")
    ordering = ("-start_year", "pk")
    versioned = True
    versioned_writes = frozenset({"update", "partial_update"})

    def scoped(self, user: Any) -> QuerySet[PartnershipPlan]:
        readable = Prefetch(
            "assessments",
            queryset=permissions.visible_assessments(user).only("pk").order_by("-year"),
            to_attr="visible_assessments",
        )
        return (
            permissions.visible_plans(user)
            .select_related("partnership")
            .prefetch_related(readable)
            .order_by("-start_year", "pk")
        )

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        plan = permissions.get_plan_for_user(user, pk, action="edit" if for_write else "view")
        return self.reread(plan)

    def represent(self, plan: PartnershipPlan) -> Any:
        return PlanSerializer(self.reread(plan), context=self.get_serializer_context()).data

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object(for_write=True)
        data = PlanWriteSerializer(
            data=request.data, partial=kwargs.get("partial", False), context={"request": request}
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with transaction.atomic():
            # Locked here and again (the same lock) by the service: the version compared is the one saved over.
            current = PartnershipPlan.objects.select_for_update().get(pk=plan.pk)
            expected = expected_version(
                request,
                values.get("version"),
                current_version=current.version,
                represent=lambda: self.represent(current),
            )
            saved = call_service(
                lambda: services.plan_update(
                    actor=actor(request),
                    plan=current,
                    version=expected.version,
                    title=values.get("title", current.title),
                    start_year=values.get("start_year", current.start_year),
                    end_year=values.get("end_year", current.end_year),
                    vision=values.get("vision", current.vision),
                    assessments=values.get("assessments", list(current.assessments.all())),
                ),
                expected=expected,
                represent=self.represent,
            )
        return with_etag(Response(self.represent(saved)), saved.version)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


# --- Priorities ----------------------------------------------------------------------------------------------


class PrioritySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    partnership = PartnershipRefField(source="plan.partnership")

    class Meta:
        model = Priority
        fields = (
            "id",
            "plan",
            "partnership",
            "title",
            "aim",
            "how_achieved",
            "theme",
            "strand",
            "alignment",
            "position",
            "status",
        )


class PriorityFilterSet(filters.FilterSet):  # type: ignore[misc]
    plan = IdFilter(field_name="plan")
    partnership = PartnershipFilter(field_name="plan__partnership")
    status = filters.ChoiceFilter(choices=PriorityStatus.choices)
    theme = filters.ChoiceFilter(choices=Theme.choices)
    updated_since = ChangedSinceFilter()

    class Meta:
        model = Priority
        fields = ("plan", "partnership", "status", "theme", "updated_since")


class PriorityViewSet(PortalViewSet):
    """The priorities of the plans you may read."""

    queryset = Priority.objects.none()
    serializer_class = PrioritySerializer
    filterset_class = PriorityFilterSet
    ordering_fields = ("position", "title")
    ordering = ("plan_id", "position", "pk")

    def scoped(self, user: Any) -> QuerySet[Priority]:
        return (
            permissions.visible_priorities(user)
            .select_related("plan__partnership")
            .order_by("plan_id", "position", "pk")
        )

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        return first_or_404(self.scoped(user), pk)


# --- Outcome measures and their values ---------------------------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    plan = serializers.IntegerField(source="priority.plan_id", read_only=True)
    partnership = PartnershipRefField(source="priority.plan.partnership")

    class Meta:
        model = OutcomeMeasure
        fields = (
            "id",
            "priority",
            "plan",
            "partnership",
            "name",
            "unit",
            "data_source",
            "baseline",
            "baseline_date",
            "target",
            "target_date",
            "direction",
        )


class MeasureFilterSet(filters.FilterSet):  # type: ignore[misc]
    priority = IdFilter(field_name="priority")
    plan = IdFilter(field_name="priority__plan")
    partnership = PartnershipFilter(field_name="priority__plan__partnership")
    updated_since = ChangedSinceFilter()

    class Meta:
        model = OutcomeMeasure
        fields = ("priority", "plan", "partnership", "updated_since")


class MeasureViewSet(PortalViewSet):
    """The outcome measures of the plans you may read: baseline, target and which direction is good."""

    queryset = OutcomeMeasure.objects.none()
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilterSet
    ordering_fields = ("name", "target_date")
    ordering = ("priority_id", "name", "pk")

    def scoped(self, user: Any) -> QuerySet[OutcomeMeasure]:
        return (
            permissions.visible_measures(user)
            .select_related("priority__plan__partnership")
            .order_by("priority_id", "name", "pk")
        )

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        return self.reread(permissions.get_measure_for_user(user, pk))


class MeasureValueSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = MeasureValue
        fields = ("id", "measure", "period_end", "value")


class MeasureValueWriteSerializer(WriteSerializer):
    measure = serializers.IntegerField(min_value=1, help_text="The outcome measure's id")
    period_end = serializers.DateField(help_text="The last day of the period the value is for")
    value = serializers.DecimalField(max_digits=12, decimal_places=2)


_PERIOD_BEFORE, _PERIOD_AFTER = date_range("period_end", "for periods ending")


class MeasureValueFilterSet(filters.FilterSet):  # type: ignore[misc]
    measure = IdFilter(field_name="measure")
    plan = IdFilter(field_name="measure__priority__plan")
    partnership = PartnershipFilter(field_name="measure__priority__plan__partnership")
    period_end_before = _PERIOD_BEFORE
    period_end_after = _PERIOD_AFTER
    updated_since = ChangedSinceFilter()

    class Meta:
        model = MeasureValue
        fields = ("measure", "plan", "partnership", "period_end_before", "period_end_after", "updated_since")


@extend_schema_view(create=extend_schema(request=MeasureValueWriteSerializer, responses={201: MeasureValueSerializer}))
class MeasureValueViewSet(mixins.CreateModelMixin, PortalViewSet):
    """Values of the outcome measures you may read; the plan's managers add values (one per period)."""

    queryset = MeasureValue.objects.none()
    serializer_class = MeasureValueSerializer
    filterset_class = MeasureValueFilterSet
    ordering_fields = ("period_end",)
    ordering = ("measure_id", "period_end", "pk")

    def scoped(self, user: Any) -> QuerySet[MeasureValue]:
        return permissions.visible_measure_values(user).order_by("measure_id", "period_end", "pk")

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        return first_or_404(self.scoped(user), pk)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        measure_pk = body_pk(request, "measure")
        if measure_pk is not None:
            # The measure's plan is authorised first: 404 outside scope, 403 for those who may not record.
            permissions.get_measure_for_user(request.user, measure_pk, action="record")
        data = MeasureValueWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        measure = permissions.get_measure_for_user(request.user, values["measure"], action="record")
        figure = call_service(
            lambda: services.measure_value_add(
                actor=actor(request), measure=measure, period_end=values["period_end"], value=values["value"]
            ),
            expected=None,
            represent=lambda row: None,
        )
        body = MeasureValueSerializer(figure, context=self.get_serializer_context()).data
        return Response(
            body,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:measure-value-detail", args=[figure.pk])},
        )
