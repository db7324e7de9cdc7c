"""The rules of partnerships/permissions.py, asked directly: who sees, manages and reads people where."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerships import permissions
from partnerships.models import (
    OrganisationMembership,
    PartnershipKind,
    Role,
    RoleAssignment,
    User,
)
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


def _fresh(user: User) -> User:
    """The user as a new request would load them (roles are cached on the user object)."""
    return User.objects.get(pk=user.pk)


def _names(user: User) -> set[str]:
    return set(permissions.visible_partnerships(_fresh(user)).values_list("name", flat=True))


@pytest.fixture
def thematic_group(personas):
    """A task-and-finish group reporting to Riverton."""
    return PartnershipFactory(
        kind=PartnershipKind.THEMATIC_GROUP,
        name="Riverton Night-Time Economy",
        slug="riverton-nte",
        ons_code=None,
        parent=personas.csp,
    )


# --- Which partnerships each persona sees ---------------------------------------------------------


def test_administrator_sees_every_partnership(personas, thematic_group):
    assert _names(personas.admin) == {"Safer Shire", "Riverton", "Hillford", "Riverton Night-Time Economy"}


@pytest.mark.parametrize("role", ["manager", "chair", "police_officer", "council_officer", "scrutiny"])
def test_people_with_a_role_in_a_csp_see_it_and_the_groups_under_it(personas, thematic_group, role):
    assert _names(personas.by_role(role)) == {"Riverton", "Riverton Night-Time Economy"}


def test_county_group_member_sees_the_county_group_and_every_partnership_under_it(personas, thematic_group):
    assert _names(personas.county_member) == {"Safer Shire", "Riverton", "Hillford", "Riverton Night-Time Economy"}


def test_manager_of_another_csp_in_the_county_sees_only_their_own(personas, thematic_group):
    assert _names(personas.outsider) == {"Hillford"}


def test_person_without_a_role_sees_no_partnership(personas):
    assert _names(personas.nobody) == set()


def test_anonymous_visitor_sees_no_partnership(personas):
    assert not permissions.visible_partnerships(AnonymousUser()).exists()


def test_inactive_person_sees_nothing_and_is_not_found(personas):
    User.objects.filter(pk=personas.manager.pk).update(is_active=False)
    manager = _fresh(personas.manager)
    assert not permissions.visible_partnerships(manager).exists()
    with pytest.raises(Http404):
        permissions.get_partnership_for_user(manager, "riverton")


def test_inactive_administrator_is_no_longer_an_administrator(personas):
    User.objects.filter(pk=personas.admin.pk).update(is_active=False)
    admin = _fresh(personas.admin)
    assert not permissions.is_admin(admin)
    assert not permissions.visible_partnerships(admin).exists()
    assert not permissions.can_manage_partnership(admin, personas.csp)


# --- Dates: only roles in force count -------------------------------------------------------------


def test_ended_role_grants_nothing(personas):
    RoleAssignment.objects.filter(person=personas.manager).update(end_date=date(2025, 5, 31))
    with time_machine.travel(TODAY, tick=False):
        manager = _fresh(personas.manager)
        assert _names(manager) == set()
        assert not permissions.can_manage_partnership(manager, personas.csp)
        assert not permissions.can_view_people(manager, personas.csp)
        with pytest.raises(Http404):
            permissions.get_partnership_for_user(manager, "riverton")


def test_role_ending_today_still_counts_today_and_not_tomorrow(personas):
    RoleAssignment.objects.filter(person=personas.manager).update(end_date=TODAY)
    with time_machine.travel(TODAY, tick=False):
        assert permissions.can_manage_partnership(_fresh(personas.manager), personas.csp)
    with time_machine.travel(date(2025, 6, 2), tick=False):
        assert not permissions.can_manage_partnership(_fresh(personas.manager), personas.csp)


def test_role_starting_in_the_future_grants_nothing_until_its_first_day(personas):
    newcomer = UserFactory(email="newcomer@example.org")
    RoleFactory(
        person=newcomer,
        partnership=personas.csp,
        organisation=personas.council,
        role=Role.MANAGER,
        start_date=date(2025, 7, 1),
    )
    with time_machine.travel(TODAY, tick=False):
        assert _names(newcomer) == set()
        assert not permissions.can_manage_partnership(_fresh(newcomer), personas.csp)
    with time_machine.travel(date(2025, 7, 1), tick=False):
        assert _names(newcomer) == {"Riverton"}
        assert permissions.can_manage_partnership(_fresh(newcomer), personas.csp)


def test_current_roles_are_read_once_and_reread_after_forget_roles(personas, django_assert_num_queries):
    manager = _fresh(personas.manager)
    with django_assert_num_queries(1):
        permissions.current_roles(manager)
        permissions.current_roles(manager)
    RoleAssignment.objects.filter(person=manager).update(end_date=date(2022, 4, 1))
    assert permissions.can_manage_partnership(manager, personas.csp)  # still the cached answer
    permissions.forget_roles(manager)
    assert not permissions.can_manage_partnership(manager, personas.csp)


# --- What each role allows ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("manager", True),
        ("chair", False),
        ("police_officer", False),
        ("council_officer", False),
        ("scrutiny", False),
        ("county_member", False),
        ("outsider", False),
        ("nobody", False),
    ],
)
def test_only_the_csps_managers_and_administrators_manage_it(personas, role, allowed):
    assert permissions.can_manage_partnership(_fresh(personas.by_role(role)), personas.csp) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("manager", True),
        ("chair", True),
        ("police_officer", True),
        ("council_officer", True),
        ("scrutiny", False),
        ("county_member", False),
        ("outsider", False),
        ("nobody", False),
    ],
)
def test_scrutiny_and_county_group_members_cannot_see_the_people_of_a_csp(personas, role, allowed):
    assert permissions.can_view_people(_fresh(personas.by_role(role)), personas.csp) is allowed


def test_manager_of_another_csp_cannot_manage_this_one(personas):
    outsider = _fresh(personas.outsider)
    assert permissions.can_manage_partnership(outsider, personas.other_csp)
    assert not permissions.can_manage_partnership(outsider, personas.csp)


def test_thematic_group_under_a_csp_is_managed_by_the_csps_manager(personas, thematic_group):
    assert permissions.can_manage_partnership(_fresh(personas.manager), thematic_group)
    assert permissions.can_view_people(_fresh(personas.police_officer), thematic_group)
    assert not permissions.can_manage_partnership(_fresh(personas.chair), thematic_group)
    assert not permissions.can_manage_partnership(_fresh(personas.outsider), thematic_group)


def test_thematic_group_under_a_county_group_is_managed_by_the_county_groups_manager(personas):
    county_manager = UserFactory(email="county.manager@example.org")
    RoleFactory(person=county_manager, partnership=personas.county, organisation=personas.council, role=Role.MANAGER)
    county_theme = PartnershipFactory(
        kind=PartnershipKind.THEMATIC_GROUP, name="Shire Serious Violence Duty", ons_code=None, parent=personas.county
    )
    assert permissions.can_manage_partnership(_fresh(county_manager), county_theme)
    assert not permissions.can_manage_partnership(_fresh(personas.manager), county_theme)


def test_county_group_manager_does_not_manage_the_csps_in_the_county(personas):
    # permissions._holds: a role counts in the partnership above only "for a thematic group".
    county_manager = UserFactory(email="county.manager@example.org")
    RoleFactory(person=county_manager, partnership=personas.county, organisation=personas.council, role=Role.MANAGER)
    assert permissions.can_manage_partnership(_fresh(county_manager), personas.county)
    assert not permissions.can_manage_partnership(_fresh(county_manager), personas.csp)
    with pytest.raises(PermissionDenied):
        permissions.get_partnership_for_user(_fresh(county_manager), "riverton", for_write=True)


def test_county_group_officer_does_not_see_the_people_of_the_csps_in_the_county(personas):
    county_officer = UserFactory(email="county.officer@example.org")
    RoleFactory(
        person=county_officer, partnership=personas.county, organisation=personas.police, role=Role.PARTNER_OFFICER
    )
    assert permissions.can_view_people(_fresh(county_officer), personas.county)
    assert not permissions.can_view_people(_fresh(county_officer), personas.csp)


def test_partner_officer_in_one_csp_is_not_one_in_another_for_the_same_organisation(personas):
    officer = _fresh(personas.police_officer)
    # Shire Police is a member of both CSPs; Polly is its partner officer in Riverton only.
    assert OrganisationMembership.objects.filter(partnership=personas.other_csp, organisation=personas.police).exists()
    assert permissions.officer_organisation_ids(officer, personas.csp) == {personas.police.pk}
    assert permissions.officer_organisation_ids(officer, personas.other_csp) == set()


def test_partner_officer_acts_only_for_the_organisation_they_represent(personas):
    assert permissions.officer_organisation_ids(_fresh(personas.council_officer), personas.csp) == {personas.council.pk}


@pytest.mark.parametrize("role", ["manager", "chair", "scrutiny"])
def test_other_roles_act_for_no_organisation(personas, role):
    assert permissions.officer_organisation_ids(_fresh(personas.by_role(role)), personas.csp) == set()


def test_roles_in_lists_the_roles_held_in_that_partnership_only(personas):
    both = UserFactory(email="both@example.org")
    RoleFactory(person=both, partnership=personas.csp, organisation=personas.council, role=Role.CHAIR)
    RoleFactory(person=both, partnership=personas.csp, organisation=personas.police, role=Role.PARTNER_OFFICER)
    RoleFactory(person=both, partnership=personas.county, organisation=personas.council, role=Role.COUNTY_MEMBER)
    assert permissions.roles_in(_fresh(both), personas.csp) == {Role.CHAIR, Role.PARTNER_OFFICER}
    assert permissions.roles_in(_fresh(both), personas.other_csp) == set()


# --- Fetch and authorise in one call --------------------------------------------------------------


@pytest.mark.parametrize("ref", ["riverton", "E22900001", "e22900001"])
def test_partnership_is_found_by_slug_or_by_ons_code_in_any_case(personas, ref):
    assert permissions.get_partnership_for_user(_fresh(personas.chair), ref) == personas.csp


def test_partnership_outside_a_persons_scope_is_not_found(personas):
    with pytest.raises(Http404):
        permissions.get_partnership_for_user(_fresh(personas.outsider), "riverton")
    with pytest.raises(Http404):
        permissions.get_partnership_for_user(_fresh(personas.outsider), "E22900001")


def test_unknown_partnership_is_not_found_even_for_an_administrator(personas):
    with pytest.raises(Http404):
        permissions.get_partnership_for_user(_fresh(personas.admin), "atlantis")


@pytest.mark.parametrize("role", ["chair", "police_officer", "scrutiny", "county_member"])
def test_partnership_seen_but_not_managed_is_refused_for_writing(personas, role):
    user = _fresh(personas.by_role(role))
    assert permissions.get_partnership_for_user(user, "riverton") == personas.csp
    with pytest.raises(PermissionDenied):
        permissions.get_partnership_for_user(user, "riverton", for_write=True)


def test_manager_gets_their_partnership_for_writing(personas):
    assert permissions.get_partnership_for_user(_fresh(personas.manager), "riverton", for_write=True) == personas.csp


def test_membership_of_another_partnership_is_not_found_under_this_ones_address(personas):
    hillford_police = OrganisationMembership.objects.get(partnership=personas.other_csp, organisation=personas.police)
    with pytest.raises(Http404):
        permissions.get_membership_for_user(_fresh(personas.manager), "riverton", hillford_police.pk, for_write=True)


def test_manager_gets_a_membership_of_their_partnership(personas):
    police = OrganisationMembership.objects.get(partnership=personas.csp, organisation=personas.police)
    assert permissions.get_membership_for_user(_fresh(personas.manager), "riverton", police.pk, for_write=True) == (
        police
    )


def test_role_in_another_partnership_is_not_found_under_this_ones_address(personas):
    outsider_role = RoleAssignment.objects.get(person=personas.outsider)
    with pytest.raises(Http404):
        permissions.get_role_for_user(_fresh(personas.manager), "riverton", outsider_role.pk, for_write=True)


def test_scrutiny_member_cannot_read_a_persons_role(personas):
    officer_role = RoleAssignment.objects.get(person=personas.police_officer)
    with pytest.raises(PermissionDenied):
        permissions.get_role_for_user(_fresh(personas.scrutiny), "riverton", officer_role.pk)


def test_partner_officer_reads_but_cannot_change_a_persons_role(personas):
    officer_role = RoleAssignment.objects.get(person=personas.council_officer)
    officer = _fresh(personas.police_officer)
    assert permissions.get_role_for_user(officer, "riverton", officer_role.pk) == officer_role
    with pytest.raises(PermissionDenied):
        permissions.get_role_for_user(officer, "riverton", officer_role.pk, for_write=True)


def test_new_csp_in_the_county_is_visible_to_county_group_members_but_not_to_other_csps(personas):
    newcomer = PartnershipFactory(name="Lakeside", slug="lakeside", parent=personas.county)
    MembershipFactory(partnership=newcomer, organisation=OrganisationFactory())
    assert "Lakeside" in _names(personas.county_member)
    assert "Lakeside" not in _names(personas.manager)
