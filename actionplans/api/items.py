"""An action's milestones and budget lines: read with the action; kept up to date by those who report its
progress (the lead organisation's officers and the managers), as on the action's page.

Scope: the milestones and budget lines of actionplans.permissions.visible_actions. A write is authorised
on the action (get_action_for_user with for_update: 404 outside scope, 403 for those who may not report);
a closed action plan is read-only (403). Milestones and budget lines carry no version (on the pages
either): their last change wins.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from actionplans import permissions, services
from actionplans.api.plans import CLOSED
from actionplans.models import Action, ActionPlanStatus, BudgetLine, FundingSource, Milestone
from csp_portal.api.concurrency import call_service
from csp_portal.api.filters import ChangedSinceFilter, IdFilter, PartnershipFilter
from csp_portal.api.serializers import PartnershipRefField, WriteSerializer
from csp_portal.api.views import PortalViewSet, created, first_or_404
from csp_portal.pages import actor


def _action_for_write(user: Any, pk: int) -> Action:
    action = permissions.get_action_for_user(user, pk, for_update=True)
    if action.action_plan.status == ActionPlanStatus.CLOSED:
        raise PermissionDenied(CLOSED)
    return action


class ItemWriteSerializer(WriteSerializer):
    """What a milestone's and a budget line's input share: the action, named when adding only."""

    action = serializers.IntegerField(min_value=1, help_text="The action's id (when adding only)")

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["action"]  # it stays with its action


class ItemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, PortalViewSet):
    """Rows that belong to an action: listed and read with it; added and changed by its progress reporters.

    A subclass names its model, its input serializer, the service that saves it (`save`, called with the
    actor, the action, the row or None, and the input's values) and its detail view's name.
    """

    model: type[Model]
    write_serializer: type[ItemWriteSerializer]
    detail_name: str
    ordering: tuple[str, ...]

    def save(self, request: Request, action: Action, row: Any, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def scoped(self, user: Any) -> QuerySet[Any]:
        return (
            self.model._default_manager.filter(action__in=permissions.visible_actions(user))
            .select_related("action__action_plan__partnership")
            .order_by(*self.ordering)
        )

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        row = first_or_404(self.scoped(user), pk)
        if for_write:
            row.action = _action_for_write(user, row.action_id)
        return row

    def represent(self, row: Any) -> Any:
        return self.get_serializer(self.reread(row)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action, values = self.valid_input_under(
            "action", lambda pk: _action_for_write(request.user, pk), self.write_serializer, creating=True
        )
        del values["action"]
        row = call_service(lambda: self.save(request, action, None, values), expected=None, represent=self.represent)
        return created(self.represent(row), self.detail_name, row.pk)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object(for_write=True)
        sent = self.valid_input(self.write_serializer, partial=kwargs.get("partial", False))
        names = [str(name) for name in self.write_serializer().fields]  # those of a change: not the action
        values = {name: sent.get(name, getattr(row, name)) for name in names}
        saved = call_service(
            lambda: self.save(request, row.action, row, values), expected=None, represent=self.represent
        )
        return Response(self.represent(saved))


def _item_filters(model: type[Model]) -> type[filters.FilterSet]:
    """The filters every action's row has: its action, action plan, partnership and changed since."""
    names = ("action", "action_plan", "partnership", "updated_since")
    declared = {
        "action": IdFilter(field_name="action"),
        "action_plan": IdFilter(field_name="action__action_plan"),
        "partnership": PartnershipFilter(field_name="action__action_plan__partnership"),
        "updated_since": ChangedSinceFilter(),
        "Meta": type("Meta", (), {"model": model, "fields": names}),
    }
    return type(f"{model.__name__}FilterSet", (filters.FilterSet,), declared)


def _item_schema(write: type[serializers.Serializer], read: type[serializers.Serializer]) -> Callable[[Any], Any]:  # type: ignore[type-arg]
    return extend_schema_view(
        create=extend_schema(request=write, responses={201: read}),
        update=extend_schema(request=write, responses=read),
        partial_update=extend_schema(request=write, responses=read),
    )


# --- Milestones ------------------------------------------------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    action_plan = serializers.IntegerField(source="action.action_plan_id", read_only=True)
    partnership = PartnershipRefField(source="action.action_plan.partnership")

    class Meta:
        model = Milestone
        fields = ("id", "action", "action_plan", "partnership", "title", "due_date", "done_on")


class MilestoneWriteSerializer(ItemWriteSerializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    done_on = serializers.DateField(
        allow_null=True, required=False, default=None, help_text="When it was done; null until then"
    )


@_item_schema(MilestoneWriteSerializer, MilestoneSerializer)
class MilestoneViewSet(ItemViewSet):
    """The milestones of the actions you may read; the action's progress reporters add and change them."""

    model = Milestone
    queryset = Milestone.objects.none()
    serializer_class = MilestoneSerializer
    write_serializer = MilestoneWriteSerializer
    detail_name = "api:milestone-detail"
    filterset_class = _item_filters(Milestone)
    ordering_fields = ("due_date", "done_on")
    ordering = ("action_id", "due_date", "pk")

    def save(self, request: Request, action: Action, row: Any, values: dict[str, Any]) -> Any:
        return services.milestone_save(
            actor=actor(request),
            action=action,
            milestone=row,
            title=values["title"],
            due_date=values["due_date"],
            done_on=values.get("done_on"),
        )


# --- Budget lines -------------------------------------------------------------------------------------------------


class BudgetLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    action_plan = serializers.IntegerField(source="action.action_plan_id", read_only=True)
    partnership = PartnershipRefField(source="action.action_plan.partnership")

    class Meta:
        model = BudgetLine
        fields = ("id", "action", "action_plan", "partnership", "source", "grant_name", "amount", "spent_to_date")


def _money(help_text: str, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), help_text=help_text, **kwargs
    )


class BudgetLineWriteSerializer(ItemWriteSerializer):
    source = serializers.ChoiceField(  # type: ignore[assignment]  # a field named source, not Field.source
        choices=FundingSource.choices, help_text="Where the money comes from"
    )
    grant_name = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    amount = _money("The amount, in pounds")
    spent_to_date = _money("Spent so far, in pounds", required=False, default=Decimal(0))


@_item_schema(BudgetLineWriteSerializer, BudgetLineSerializer)
class BudgetLineViewSet(ItemViewSet):
    """The budget lines of the actions you may read: amount and spend by funding source. The action's
    progress reporters add and change them."""

    model = BudgetLine
    queryset = BudgetLine.objects.none()
    serializer_class = BudgetLineSerializer
    write_serializer = BudgetLineWriteSerializer
    detail_name = "api:budget-line-detail"
    filterset_class = _item_filters(BudgetLine)
    ordering_fields = ("amount", "spent_to_date", "source")
    ordering = ("action_id", "pk")

    def save(self, request: Request, action: Action, row: Any, values: dict[str, Any]) -> Any:
        return services.budget_line_save(
            actor=actor(request),
            action=action,
            line=row,
            source=values["source"],
            grant_name=values.get("grant_name", ""),
            amount=values["amount"],
            spent_to_date=values.get("spent_to_date", Decimal(0)),
        )
