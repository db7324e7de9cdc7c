"""Partnerships (with their member organisations, districts and policing area) and organisations: read-only.

Scope: partnerships.permissions.visible_partnerships (a role there, or in a group above it) and
visible_organisations (members, now or before, of those partnerships). Membership and people are changed
on the members pages only; people (names, roles) are not in the API.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from csp_portal.api.filters import ChangedSinceFilter, DateTimeFilter, PartnershipFilter
from csp_portal.api.serializers import PartnershipRefField
from csp_portal.api.views import PortalViewSet
from partnerships import permissions
from partnerships.models import (
    LocalAuthorityArea,
    Organisation,
    OrganisationMembership,
    OrganisationType,
    Partnership,
    PartnershipKind,
    PoliceForceArea,
    PolicingArea,
)

REF = re.compile(r"[A-Za-z0-9_-]{1,160}")

# --- Serializers ---------------------------------------------------------------------------------------


class PoliceForceAreaSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = PoliceForceArea
        fields = ("code", "name")


class PolicingAreaSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    police_force_area = PoliceForceAreaSerializer(read_only=True)

    class Meta:
        model = PolicingArea
        fields = ("id", "name", "police_force_area")


class DistrictSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = LocalAuthorityArea
        fields = ("code", "name")


class MemberOrganisationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An organisation's membership of the partnership today, with its standing (Crime and Disorder Act s5)."""

    id = serializers.IntegerField(source="organisation.pk", read_only=True, help_text="The organisation's id")
    name = serializers.CharField(source="organisation.name", read_only=True)
    slug = serializers.CharField(source="organisation.slug", read_only=True)
    type = serializers.ChoiceField(source="organisation.type", choices=OrganisationType.choices, read_only=True)

    class Meta:
        model = OrganisationMembership
        fields = ("id", "name", "slug", "type", "standing", "start_date", "end_date")


class PartnershipSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    parent = PartnershipRefField(  # type: ignore[assignment]
        help_text="The county group or partnership it belongs to (its slug)"
    )
    police_force_area = PoliceForceAreaSerializer(read_only=True, allow_null=True)
    policing_area = PolicingAreaSerializer(read_only=True, allow_null=True)
    local_authority_areas = DistrictSerializer(many=True, read_only=True, source="districts")
    member_organisations = MemberOrganisationSerializer(many=True, read_only=True, source="current_memberships")

    class Meta:
        model = Partnership
        fields = (
            "id",
            "slug",
            "ons_code",
            "name",
            "kind",
            "parent",
            "description",
            "police_force_area",
            "policing_area",
            "local_authority_areas",
            "member_organisations",
            "created_at",
            "updated_at",
        )


class OrganisationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = ("id", "name", "slug", "type", "website")


# --- Filters ---------------------------------------------------------------------------------------------


class PartnershipFilterSet(filters.FilterSet):  # type: ignore[misc]
    kind = filters.ChoiceFilter(choices=PartnershipKind.choices)
    parent = PartnershipFilter(field_name="parent", help_text="The slug or ONS code of the group it belongs to")
    updated_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Only partnerships changed at or after this time"
    )

    class Meta:
        model = Partnership
        fields = ("kind", "parent", "updated_since")


class MemberOfFilter(PartnershipFilter):
    """Organisations that are (or were) members of a partnership (one row each, however many memberships)."""

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return qs
        members = OrganisationMembership.objects.filter(
            partnership__in=Partnership.objects.filter(permissions.partnership_lookup(value))
        )
        return qs.filter(pk__in=members.values("organisation_id"))


class OrganisationFilterSet(filters.FilterSet):  # type: ignore[misc]
    type = filters.ChoiceFilter(choices=OrganisationType.choices)
    partnership = MemberOfFilter(help_text="Organisations that are (or were) members of it (slug or ONS code)")
    updated_since = ChangedSinceFilter()

    class Meta:
        model = Organisation
        fields = ("type", "partnership", "updated_since")


# --- Viewsets ----------------------------------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "ref",
                str,
                OpenApiParameter.PATH,
                description="The partnership's slug or ONS code, e.g. riverton or E22000089",
            )
        ]
    )
)
class PartnershipViewSet(PortalViewSet):
    """Partnerships you may see: CSPs, county groups and thematic groups, looked up by slug or ONS code."""

    queryset = Partnership.objects.none()  # the model, for the schema; lists are scoped()
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilterSet
    ordering_fields = ("name", "slug", "ons_code", "updated_at")
    ordering = ("name", "pk")
    lookup_field = "ref"

    def scoped(self, user: Any) -> QuerySet[Partnership]:
        return (
            permissions.visible_partnerships(user)
            .select_related("parent", "police_force_area", "policing_area__police_force_area")
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=OrganisationMembership.objects.current()
                    .select_related("organisation")
                    .order_by("organisation__name", "pk"),
                    to_attr="current_memberships",
                ),
                Prefetch(
                    "local_authority_areas", queryset=LocalAuthorityArea.objects.order_by("name"), to_attr="districts"
                ),
            )
            .order_by("name", "pk")
        )

    def get_object(self, *, for_write: bool = False) -> Any:
        ref = str(self.kwargs["ref"])
        if not REF.fullmatch(ref):  # a slug or an ONS code; anything else (a NUL byte …) is never found
            raise NotFound("Not found.")
        partnership = permissions.get_partnership_for_user(self.request.user, ref)
        return self.reread(partnership)

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        raise NotImplementedError  # looked up by reference (get_object)


class OrganisationViewSet(PortalViewSet):
    """Organisations that are (or were) members of the partnerships you may see."""

    queryset = Organisation.objects.none()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    ordering_fields = ("name", "type")
    ordering = ("name", "pk")

    def scoped(self, user: Any) -> QuerySet[Organisation]:
        return permissions.visible_organisations(user).order_by("name", "pk")

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        return permissions.get_organisation_for_user(user, pk)
