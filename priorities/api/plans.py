"""Partnership plans, their priorities, outcome measures and the measures' values.

Scope: priorities.permissions (visible_plans and the priorities, measures and values of those plans).
Writes, through priorities.services as on the plan pages:
- PUT/PATCH a plan (plan_update): its managers, while it is a draft or out for consultation (403 after
  adoption: it changes through its annual review, in the portal);
- POST, PUT/PATCH a priority (priority_save) and POST its retire address (priority_retire): the plan's
  managers, while the plan is a draft or out for consultation, as the plan's details;
- POST, PUT/PATCH an outcome measure (measure_save) and POST a measure value (measure_value_add): the
  plan's managers, until the plan is superseded.
Priorities and measures carry no version (on the pages either): their last change wins.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action as endpoint
from rest_framework.request import Request
from rest_framework.response import Response

from csp_portal.api.concurrency import call_service, expected_version, with_etag
from csp_portal.api.filters import ChangedSinceFilter, IdFilter, PartnershipFilter, date_range
from csp_portal.api.serializers import PartnershipRefField, WriteSerializer, limit_choices, version_field
from csp_portal.api.views import PortalViewSet, created, first_or_404
from csp_portal.pages import actor
from priorities import permissions, services
from priorities.models import (
    Alignment,
    Direction,
    MeasureValue,
    OutcomeMeasure,
    PartnershipPlan,
    PlanStatus,
    Priority,
    PriorityStatus,
    StrategicAssessment,
    StrategyStrand,
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
class PlanViewSet(mixins.UpdateModelMixin, PortalViewSet):
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
        values = self.valid_input(PlanWriteSerializer, partial=kwargs.get("partial", False))
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


class PriorityWriteSerializer(WriteSerializer):
    """A priority of a draft plan (POST: under `plan`; PUT: all its fields; PATCH: those sent)."""

    plan = serializers.IntegerField(min_value=1, help_text="The draft plan's id (when adding a priority only)")
    title = serializers.CharField(max_length=200, help_text="Unique in the plan, ignoring case")
    aim = serializers.CharField(max_length=20_000, help_text="What the partnership wants to change")
    how_achieved = serializers.CharField(max_length=20_000, help_text="How the priority will be achieved")
    theme = serializers.ChoiceField(choices=Theme.choices, help_text="Lets the county group see shared priorities")
    strand = serializers.ChoiceField(
        choices=StrategyStrand.choices, help_text="The strand of the strategy (Crime and Disorder Act 1998, s. 6)"
    )
    alignment = serializers.ListField(
        child=serializers.ChoiceField(choices=Alignment.choices),
        max_length=len(Alignment.choices),
        required=False,
        help_text="The strategies it aligns with",
    )

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["plan"]  # a priority stays in its plan


def _priority_values(values: dict[str, Any], current: Priority | None) -> dict[str, Any]:
    """What priority_save takes: the fields sent, the rest as they are (PATCH)."""
    names = ("title", "aim", "how_achieved", "theme", "strand", "alignment")
    return {name: values[name] if name in values else getattr(current, name, []) for name in names}


@extend_schema_view(
    create=extend_schema(request=PriorityWriteSerializer, responses={201: PrioritySerializer}),
    update=extend_schema(request=PriorityWriteSerializer, responses=PrioritySerializer),
    partial_update=extend_schema(request=PriorityWriteSerializer, responses=PrioritySerializer),
    retire=extend_schema(
        summary="Retire a priority of a draft plan",
        description="It stays on record as retired. Priorities of an adopted plan are retired by its annual "
        "review, in the portal.",
        request=None,
        responses=PrioritySerializer,
    ),
)
class PriorityViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, PortalViewSet):
    """The priorities of the plans you may read; the plan's managers add, change and retire them while the
    plan is a draft or out for consultation."""

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
        priority = first_or_404(self.scoped(user), pk)
        if for_write:
            permissions.get_plan_for_user(user, priority.plan_id, action="edit")
            if priority.status == PriorityStatus.RETIRED:
                raise PermissionDenied("A retired priority cannot be changed")
        return priority

    def represent(self, priority: Priority) -> Any:
        return PrioritySerializer(self.reread(priority), context=self.get_serializer_context()).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan, values = self.valid_input_under(
            "plan",
            lambda pk: permissions.get_plan_for_user(request.user, pk, action="edit"),
            PriorityWriteSerializer,
            creating=True,
        )
        priority = call_service(
            lambda: services.priority_save(actor=actor(request), plan=plan, **_priority_values(values, None)),
            expected=None,
            represent=self.represent,
        )
        return created(self.represent(priority), "api:priority-detail", priority.pk)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        priority = self.get_object(for_write=True)
        values = self.valid_input(PriorityWriteSerializer, partial=kwargs.get("partial", False))
        saved = call_service(
            lambda: services.priority_save(
                actor=actor(request),
                plan=priority.plan,
                priority=priority,
                **_priority_values(values, priority),
            ),
            expected=None,
            represent=self.represent,
        )
        return Response(self.represent(saved))

    @endpoint(detail=True, methods=["post"])
    def retire(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        priority = self.get_object(for_write=True)
        self.valid_input(WriteSerializer)  # takes no fields
        retired = call_service(
            lambda: services.priority_retire(actor=actor(request), plan=priority.plan, priority=priority),
            expected=None,
            represent=self.represent,
        )
        return Response(self.represent(retired))


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


def _amount(label: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, help_text=label)


class MeasureWriteSerializer(WriteSerializer):
    """An outcome measure (POST: under `priority`; PUT: all its fields; PATCH: those sent)."""

    priority = serializers.IntegerField(min_value=1, help_text="The priority's id (when adding a measure only)")
    name = serializers.CharField(max_length=200, help_text="For example, Knife crime with injury")
    unit = serializers.CharField(max_length=50, help_text="For example, crimes, % or per 1,000 people")
    data_source = serializers.CharField(max_length=150, help_text="Where the figures come from")
    baseline = _amount("The figure at the baseline date")
    baseline_date = serializers.DateField()
    target = _amount("The figure aimed for by the target date")
    target_date = serializers.DateField(help_text="After the baseline date")
    direction = serializers.ChoiceField(choices=Direction.choices, help_text="Which way is good")

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["priority"]  # a measure stays with its priority


def _measure_values(values: dict[str, Any], current: OutcomeMeasure | None) -> dict[str, Any]:
    """What measure_save takes: the fields sent, the rest as they are (PATCH)."""
    names = ("name", "unit", "data_source", "baseline", "baseline_date", "target", "target_date", "direction")
    return {name: values[name] if name in values else getattr(current, name) for name in names}


@extend_schema_view(
    create=extend_schema(request=MeasureWriteSerializer, responses={201: MeasureSerializer}),
    update=extend_schema(request=MeasureWriteSerializer, responses=MeasureSerializer),
    partial_update=extend_schema(request=MeasureWriteSerializer, responses=MeasureSerializer),
)
class MeasureViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, PortalViewSet):
    """The outcome measures of the plans you may read: baseline, target and which direction is good. The
    plan's managers add and change them until the plan is superseded."""

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
        return self.reread(permissions.get_measure_for_user(user, pk, action="record" if for_write else "view"))

    def represent(self, measure: OutcomeMeasure) -> Any:
        return MeasureSerializer(self.reread(measure), context=self.get_serializer_context()).data

    def _priority_for_write(self, pk: int) -> Priority:
        priority: Priority = first_or_404(permissions.visible_priorities(self.request.user), pk)
        permissions.get_plan_for_user(self.request.user, priority.plan_id, action="record")
        return priority

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        priority, values = self.valid_input_under(
            "priority", self._priority_for_write, MeasureWriteSerializer, creating=True
        )
        measure = call_service(
            lambda: services.measure_save(actor=actor(request), priority=priority, **_measure_values(values, None)),
            expected=None,
            represent=self.represent,
        )
        return created(self.represent(measure), "api:measure-detail", measure.pk)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        measure = self.get_object(for_write=True)
        values = self.valid_input(MeasureWriteSerializer, partial=kwargs.get("partial", False))
        saved = call_service(
            lambda: services.measure_save(
                actor=actor(request),
                priority=measure.priority,
                measure=measure,
                **_measure_values(values, measure),
            ),
            expected=None,
            represent=self.represent,
        )
        return Response(self.represent(saved))


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
        measure, values = self.valid_input_under(
            "measure",
            lambda pk: permissions.get_measure_for_user(request.user, pk, action="record"),
            MeasureValueWriteSerializer,
        )
        figure = call_service(
            lambda: services.measure_value_add(
                actor=actor(request), measure=measure, period_end=values["period_end"], value=values["value"]
            ),
            expected=None,
            represent=lambda row: None,
        )
        body = MeasureValueSerializer(figure, context=self.get_serializer_context()).data
        return created(body, "api:measure-value-detail", figure.pk)
