"""Actions: read by the partnership's members and scrutiny; added and changed by its managers; progress
reported by the officers of the organisation that leads each one (and the managers)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action as endpoint
from rest_framework.request import Request
from rest_framework.response import Response

from actionplans import permissions, selectors, services
from actionplans.api.plans import CLOSED
from actionplans.api.progress import ProgressCreatedSerializer, ProgressWriteSerializer, people_visible
from actionplans.models import Action, ActionPlan, ActionPlanStatus, ActionStatus
from csp_portal.api.concurrency import call_service, expected_version, with_etag
from csp_portal.api.filters import BooleanFilter, ChangedSinceFilter, IdFilter, PartnershipFilter, date_range
from csp_portal.api.serializers import (
    DISPLAY_RAGS,
    PartnershipRefField,
    WriteSerializer,
    limit_choices,
    version_field,
)
from csp_portal.api.views import PortalViewSet, body_pk, created, pk_of
from csp_portal.pages import actor
from partnerships.models import Organisation, RoleAssignment, User
from partnerships.permissions import visible_organisations
from priorities.models import OutcomeMeasure, Priority
from priorities.permissions import visible_measures, visible_priorities


class ActionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    partnership = PartnershipRefField(source="action_plan.partnership")
    lead_organisation_name = serializers.CharField(source="lead_organisation.name", read_only=True)
    lead_officer = serializers.IntegerField(
        source="lead_officer_id",
        read_only=True,
        allow_null=True,
        help_text="Null if none, or if you may not see people",
    )
    lead_officer_name = serializers.SerializerMethodField(help_text="Null if none, or if you may not see people")
    display_rag = serializers.ChoiceField(
        choices=DISPLAY_RAGS,
        read_only=True,
        help_text="As the pages show it: blue when complete, grey before any update",
    )
    is_overdue = serializers.BooleanField(
        read_only=True, help_text="Past its due date and neither complete nor cancelled"
    )
    needs_update = serializers.BooleanField(read_only=True, help_text="Open, and no progress update this quarter")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="When it last changed")

    class Meta:
        model = Action
        fields = (
            "id",
            "action_plan",
            "partnership",
            "priority",
            "reference",
            "title",
            "description",
            "lead_organisation",
            "lead_organisation_name",
            "lead_officer",
            "lead_officer_name",
            "supporting_organisations",
            "outcome_measures",
            "start_date",
            "due_date",
            "status",
            "rag",
            "display_rag",
            "percent_complete",
            "last_update_on",
            "is_overdue",
            "needs_update",
            "version",
            "updated_at",
        )

    def get_lead_officer_name(self, action: Action) -> str | None:
        officer = action.lead_officer
        if officer is None or not people_visible(self, action.action_plan.partnership):
            return None
        return str(officer)

    def to_representation(self, instance: Action) -> Any:
        data = super().to_representation(instance)
        if not people_visible(self, instance.action_plan.partnership):
            data["lead_officer"] = None
        return data


class ActionFieldsSerializer(WriteSerializer):
    """What a manager sets on an action: PUT sends every field, PATCH those it changes."""

    reference = serializers.CharField(max_length=20, help_text='e.g. "2.3", unique in the action plan')
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(allow_blank=True, max_length=20_000)
    priority = serializers.PrimaryKeyRelatedField(queryset=Priority.objects.none(), allow_null=True)
    lead_organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    lead_officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), allow_null=True, help_text="Someone holding a role in the partnership"
    )
    supporting_organisations = serializers.PrimaryKeyRelatedField(many=True, queryset=Organisation.objects.none())
    outcome_measures = serializers.PrimaryKeyRelatedField(many=True, queryset=OutcomeMeasure.objects.none())
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)

    def __init__(self, *args: Any, action_plan: ActionPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return  # described for the schema
        # Choices are what the caller may see; the service decides which of them the action may have.
        limit_choices(self, "priority", visible_priorities(request.user))
        limit_choices(self, "lead_organisation", visible_organisations(request.user))
        limit_choices(self, "supporting_organisations", visible_organisations(request.user))
        limit_choices(self, "outcome_measures", visible_measures(request.user))
        if action_plan is not None:
            holders = RoleAssignment.objects.current().filter(partnership_id=action_plan.partnership_id)
            limit_choices(self, "lead_officer", User.objects.filter(pk__in=holders.values("person_id")))


class ActionCreateSerializer(ActionFieldsSerializer):
    action_plan = serializers.IntegerField(min_value=1, help_text="The action plan it belongs to")


class ActionChangeSerializer(ActionFieldsSerializer):
    version = version_field()


def _action_fields(values: dict[str, Any], current: Action | None) -> services.ActionFields:
    """The service's fields from a write's values, the current action's where a PATCH sent none."""

    def pick(name: str, default: Any) -> Any:
        return values.get(name, default)

    return services.ActionFields(
        reference=pick("reference", current.reference if current else ""),
        title=pick("title", current.title if current else ""),
        description=pick("description", current.description if current else ""),
        priority=pick("priority", current.priority if current else None),
        lead_organisation=pick("lead_organisation", current.lead_organisation if current else None),
        lead_officer=pick("lead_officer", current.lead_officer if current else None),
        supporting_organisations=tuple(
            pick("supporting_organisations", current.supporting_organisations.all() if current else ())
        ),
        start_date=pick("start_date", current.start_date if current else None),
        due_date=pick("due_date", current.due_date if current else None),
        status=pick("status", current.status if current else ActionStatus.NOT_STARTED),
        outcome_measures=tuple(pick("outcome_measures", current.outcome_measures.all() if current else ())),
    )


_DUE_BEFORE, _DUE_AFTER = date_range("due_date", "due")


class ActionFilterSet(filters.FilterSet):  # type: ignore[misc]
    partnership = PartnershipFilter(field_name="action_plan__partnership")
    action_plan = IdFilter(field_name="action_plan")
    priority = IdFilter(field_name="priority")
    status = filters.MultipleChoiceFilter(choices=ActionStatus.choices)
    rag = filters.MultipleChoiceFilter(field_name="display_rag", choices=DISPLAY_RAGS, help_text="As the pages show it")
    lead_organisation = IdFilter(field_name="lead_organisation")
    due_before = _DUE_BEFORE
    due_after = _DUE_AFTER
    overdue = BooleanFilter(field_name="is_overdue", help_text="true: only actions past their due date and open")
    updated_since = ChangedSinceFilter()

    class Meta:
        model = Action
        fields = (
            "partnership",
            "action_plan",
            "priority",
            "status",
            "rag",
            "lead_organisation",
            "due_before",
            "due_after",
            "overdue",
            "updated_since",
        )


@extend_schema_view(
    create=extend_schema(request=ActionCreateSerializer, responses={201: ActionSerializer}),
    update=extend_schema(request=ActionChangeSerializer, responses=ActionSerializer),
    partial_update=extend_schema(request=ActionChangeSerializer, responses=ActionSerializer),
    progress=extend_schema(
        summary="Report progress on an action",
        request=ProgressWriteSerializer,
        responses={201: ProgressCreatedSerializer},
    ),
)
class ActionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, PortalViewSet):
    """Actions you may read. Managers add and change them; the lead organisation's officers report progress."""

    queryset = Action.objects.none()
    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    ordering_fields = ("reference", "due_date", "start_date", "status", "percent_complete", "last_update_on")
    ordering = ("action_plan_id", "reference", "pk")
    versioned = True
    versioned_writes = frozenset({"update", "partial_update", "progress"})

    def scoped(self, user: Any) -> QuerySet[Any]:
        history = Action.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
        actions = (
            permissions.visible_actions(user)
            .select_related("action_plan__partnership", "lead_organisation", "lead_officer")
            .prefetch_related(
                Prefetch("supporting_organisations", queryset=Organisation.objects.only("pk")),
                Prefetch("outcome_measures", queryset=OutcomeMeasure.objects.only("pk")),
            )
        )
        flagged: QuerySet[Any] = selectors.with_flags(actions).annotate(
            updated_at=Subquery(history.values("history_date")[:1])
        )
        return flagged

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        action = permissions.get_action_for_user(user, pk, for_write=for_write)
        if for_write and action.action_plan.status == ActionPlanStatus.CLOSED:
            raise PermissionDenied(CLOSED)  # as the edit page refuses it
        return action

    def get_object(self, *, for_write: bool = False) -> Any:
        return self.reread(super().get_object(for_write=for_write))

    def represent(self, action: Action) -> Any:
        return ActionSerializer(self.reread(action), context=self.get_serializer_context()).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan_pk = body_pk(request, "action_plan")
        action_plan = self._plan_for_create(plan_pk) if plan_pk is not None else None
        values = self.valid_input(ActionCreateSerializer, action_plan=action_plan)
        if action_plan is None:  # body_pk reads the field as the serializer does: not reached
            raise serializers.ValidationError({"action_plan": ["Choose an action plan"]})
        fields = _action_fields(values, None)
        action = call_service(
            lambda: services.action_create(actor=actor(request), action_plan=action_plan, fields=fields),
            expected=None,
            represent=self.represent,
        )
        return with_etag(created(self.represent(action), "api:action-detail", action.pk), action.version)

    def _plan_for_create(self, pk: int) -> ActionPlan:
        action_plan = permissions.get_action_plan_for_user(self.request.user, pk, for_write=True)
        if action_plan.status == ActionPlanStatus.CLOSED:
            raise PermissionDenied(CLOSED)
        return action_plan

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action = self.get_object(for_write=True)
        values = self.valid_input(
            ActionChangeSerializer, partial=kwargs.get("partial", False), action_plan=action.action_plan
        )
        expected = expected_version(
            request, values.get("version"), current_version=action.version, represent=lambda: self.represent(action)
        )
        fields = _action_fields(values, action)
        saved = call_service(
            lambda: services.action_update(
                actor=actor(request), action=action, version=expected.version, fields=fields
            ),
            expected=expected,
            represent=self.represent,
        )
        return with_etag(Response(self.represent(saved)), saved.version)

    @endpoint(detail=True, methods=["post"], url_path="progress-updates")
    def progress(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Report progress on the action: RAG with its reason, % complete, status and evidence."""
        action = permissions.get_action_for_user(request.user, self._pk(), for_update=True)
        values = self.valid_input(ProgressWriteSerializer)
        expected = expected_version(
            request, values.get("version"), current_version=action.version, represent=lambda: self.represent(action)
        )
        update = call_service(
            lambda: services.action_record_progress(
                actor=actor(request),
                action=action,
                version=expected.version,
                reported_on=values["reported_on"],
                rag=values["rag"],
                narrative=values["narrative"],
                percent_complete=values["percent_complete"],
                status=values["status"],
                evidence_links="\n".join(values.get("evidence_links", [])),
            ),
            expected=expected,
            represent=self.represent,
        )
        update.action = action  # carries the new version (the service sets it)
        body = ProgressCreatedSerializer(update, context=self.get_serializer_context()).data
        return created(body, "api:progress-update-detail", update.pk)

    def _pk(self) -> int:
        return pk_of(self.kwargs[self.lookup_field])
