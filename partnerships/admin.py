"""The Django admin for portal administrators, with the change history of every model."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from partnerships.models import (
    LocalAuthorityArea,
    Organisation,
    OrganisationMembership,
    Partnership,
    PoliceForceArea,
    PolicingArea,
    RoleAssignment,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):  # type: ignore[type-arg,misc]
    ordering = ("full_name", "email")
    list_display = ("email", "full_name", "job_title", "is_staff", "is_active")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    filter_horizontal = ("groups",)
    list_filter = ("is_staff", "is_active")


@admin.register(PoliceForceArea)
class PoliceForceAreaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(LocalAuthorityArea)
class LocalAuthorityAreaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "police_force_area")
    search_fields = ("name", "code")
    list_select_related = ("police_force_area",)


@admin.register(PolicingArea)
class PolicingAreaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "police_force_area")
    list_select_related = ("police_force_area",)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("name", "kind", "ons_code", "parent", "police_force_area", "policing_area")
    list_filter = ("kind", "police_force_area")
    search_fields = ("name", "ons_code", "slug")
    list_select_related = ("parent", "police_force_area", "policing_area")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "local_authority_areas")
    inlines = (MembershipInline,)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("name", "type")
    list_filter = ("type",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("organisation", "partnership", "standing", "start_date", "end_date")
    list_filter = ("standing",)
    search_fields = ("organisation__name", "partnership__name")
    list_select_related = ("organisation", "partnership")
    autocomplete_fields = ("organisation", "partnership")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("person", "role", "partnership", "organisation", "start_date", "end_date")
    list_filter = ("role",)
    search_fields = ("person__email", "person__full_name", "partnership__name")
    list_select_related = ("person", "organisation", "partnership")
    autocomplete_fields = ("person", "organisation", "partnership")
