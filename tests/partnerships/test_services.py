"""The rules of partnerships/services.py, and the database constraints that back them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import resolve
from django.utils.http import urlsafe_base64_decode

from partnerships import services
from partnerships.models import (
    OrganisationMembership,
    Partnership,
    PartnershipKind,
    Role,
    RoleAssignment,
    Standing,
    User,
)
from tests.factories import (
    SINCE,
    CountyGroupFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor() -> User:
    return UserFactory(email="actor@example.org", full_name="Avery Actor")  # type: ignore[no-any-return]


def _field_errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def _latest_history(obj):  # type: ignore[no-untyped-def]
    return obj.history.order_by("-history_id").first()


# --- membership_add -----------------------------------------------------------------------------


def test_membership_add_makes_an_organisation_a_member_and_records_the_actor(actor):
    partnership = PartnershipFactory()
    organisation = OrganisationFactory()

    membership = services.membership_add(
        actor=actor,
        partnership=partnership,
        organisation=organisation,
        standing=Standing.INVITED,
        start_date=date(2024, 4, 1),
    )

    membership.refresh_from_db()
    assert membership.standing == Standing.INVITED
    assert membership.start_date == date(2024, 4, 1)
    assert membership.end_date is None
    record = _latest_history(membership)
    assert record.history_type == "+"
    assert record.history_user == actor


def test_membership_add_refuses_a_second_open_membership(actor):
    existing = MembershipFactory()

    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=actor,
            partnership=existing.partnership,
            organisation=existing.organisation,
            standing=Standing.INVITED,
            start_date=date(2024, 4, 1),
        )

    assert list(_field_errors(error)) == ["organisation"]
    assert "is already a member of" in _field_errors(error)["organisation"][0]
    assert OrganisationMembership.objects.filter(partnership=existing.partnership).count() == 1


def test_membership_add_lets_an_organisation_rejoin_after_its_membership_ended(actor):
    ended = MembershipFactory(end_date=date(2023, 3, 31))

    services.membership_add(
        actor=actor,
        partnership=ended.partnership,
        organisation=ended.organisation,
        standing=Standing.CO_OPERATING,
        start_date=date(2024, 4, 1),
    )

    assert OrganisationMembership.objects.filter(partnership=ended.partnership).count() == 2


def test_membership_add_refuses_an_unknown_standing(actor):
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=actor,
            partnership=PartnershipFactory(),
            organisation=OrganisationFactory(),
            standing="sleeping_partner",
            start_date=date(2024, 4, 1),
        )

    assert list(_field_errors(error)) == ["standing"]
    assert not OrganisationMembership.objects.exists()


# --- membership_change_standing -----------------------------------------------------------------


def test_membership_change_standing_changes_it_and_records_the_actor(actor):
    membership = MembershipFactory(standing=Standing.INVITED)

    services.membership_change_standing(actor=actor, membership=membership, standing=Standing.CO_OPERATING)

    membership.refresh_from_db()
    assert membership.standing == Standing.CO_OPERATING
    record = _latest_history(membership)
    assert record.history_type == "~"
    assert record.history_user == actor
    assert record.prev_record.standing == Standing.INVITED


def test_membership_change_standing_refuses_an_ended_membership(actor):
    membership = MembershipFactory(end_date=date(2023, 3, 31))

    with pytest.raises(ValidationError, match="has ended"):
        services.membership_change_standing(actor=actor, membership=membership, standing=Standing.CO_OPERATING)


# --- membership_end -----------------------------------------------------------------------------


def test_membership_end_ends_the_organisations_open_roles_in_that_partnership_on_the_same_date(actor):
    partnership = PartnershipFactory()
    elsewhere = PartnershipFactory()
    organisation = OrganisationFactory()
    other_organisation = OrganisationFactory()
    membership = MembershipFactory(partnership=partnership, organisation=organisation)
    MembershipFactory(partnership=partnership, organisation=other_organisation)
    MembershipFactory(partnership=elsewhere, organisation=organisation)
    officer = RoleFactory(partnership=partnership, organisation=organisation, role=Role.PARTNER_OFFICER)
    chair = RoleFactory(partnership=partnership, organisation=organisation, role=Role.CHAIR)
    already_ended = RoleFactory(partnership=partnership, organisation=organisation, end_date=date(2023, 1, 31))
    other_organisations_role = RoleFactory(partnership=partnership, organisation=other_organisation)
    same_organisation_elsewhere = RoleFactory(partnership=elsewhere, organisation=organisation)

    services.membership_end(actor=actor, membership=membership, end_date=date(2024, 6, 30))

    membership.refresh_from_db()
    assert membership.end_date == date(2024, 6, 30)
    for role in (officer, chair):
        role.refresh_from_db()
        assert role.end_date == date(2024, 6, 30)
        assert _latest_history(role).history_user == actor
    assert _latest_history(membership).history_user == actor
    for untouched, end_date in (
        (already_ended, date(2023, 1, 31)),
        (other_organisations_role, None),
        (same_organisation_elsewhere, None),
    ):
        untouched.refresh_from_db()
        assert untouched.end_date == end_date


def test_membership_end_ends_a_role_that_starts_later_on_its_own_start_date(actor):
    membership = MembershipFactory()
    future_role = RoleFactory(
        partnership=membership.partnership, organisation=membership.organisation, start_date=date(2024, 9, 1)
    )

    services.membership_end(actor=actor, membership=membership, end_date=date(2024, 6, 30))

    future_role.refresh_from_db()
    assert future_role.end_date == date(2024, 9, 1)


def test_membership_end_refuses_an_end_date_before_the_start(actor):
    membership = MembershipFactory(start_date=date(2022, 4, 1))
    role = RoleFactory(partnership=membership.partnership, organisation=membership.organisation)

    with pytest.raises(ValidationError) as error:
        services.membership_end(actor=actor, membership=membership, end_date=date(2022, 3, 31))

    assert _field_errors(error) == {"end_date": ["End date must be on or after the start date, 1 April 2022"]}
    membership.refresh_from_db()
    role.refresh_from_db()
    assert membership.end_date is None
    assert role.end_date is None


def test_membership_end_refuses_a_membership_that_has_already_ended(actor):
    membership = MembershipFactory(end_date=date(2023, 3, 31))

    with pytest.raises(ValidationError, match="already ended"):
        services.membership_end(actor=actor, membership=membership, end_date=date(2024, 6, 30))

    membership.refresh_from_db()
    assert membership.end_date == date(2023, 3, 31)


# --- role_grant ---------------------------------------------------------------------------------


def test_role_grant_gives_a_person_a_role_for_a_member_organisation_and_records_the_actor(actor):
    membership = MembershipFactory()
    person = UserFactory()

    assignment = services.role_grant(
        actor=actor,
        partnership=membership.partnership,
        person=person,
        organisation=membership.organisation,
        role=Role.MANAGER,
        start_date=date(2024, 4, 1),
    )

    assignment.refresh_from_db()
    assert (assignment.person, assignment.role, assignment.start_date) == (person, Role.MANAGER, date(2024, 4, 1))
    record = _latest_history(assignment)
    assert record.history_type == "+"
    assert record.history_user == actor


@pytest.mark.parametrize(
    ("membership_dates", "role_start"),
    [
        pytest.param(None, date(2024, 4, 1), id="never-a-member"),
        pytest.param((date(2024, 4, 1), None), date(2024, 3, 31), id="membership-starts-later"),
        pytest.param((date(2022, 4, 1), date(2023, 3, 31)), date(2024, 4, 1), id="membership-ended-before"),
    ],
)
def test_role_grant_refuses_an_organisation_that_is_not_a_member_on_the_start_date(actor, membership_dates, role_start):
    partnership = PartnershipFactory()
    organisation = OrganisationFactory(name="Northmoor Housing")
    if membership_dates:
        MembershipFactory(
            partnership=partnership,
            organisation=organisation,
            start_date=membership_dates[0],
            end_date=membership_dates[1],
        )

    with pytest.raises(ValidationError) as error:
        services.role_grant(
            actor=actor,
            partnership=partnership,
            person=UserFactory(),
            organisation=organisation,
            role=Role.PARTNER_OFFICER,
            start_date=role_start,
        )

    assert list(_field_errors(error)) == ["organisation"]
    assert f"Northmoor Housing is not a member of {partnership.name} on" in _field_errors(error)["organisation"][0]
    assert not RoleAssignment.objects.exists()


def test_role_grant_accepts_a_start_date_on_the_last_day_of_the_membership(actor):
    membership = MembershipFactory(end_date=date(2024, 3, 31))

    services.role_grant(
        actor=actor,
        partnership=membership.partnership,
        person=UserFactory(),
        organisation=membership.organisation,
        role=Role.PARTNER_OFFICER,
        start_date=date(2024, 3, 31),
    )

    assert RoleAssignment.objects.count() == 1


def test_role_grant_refuses_a_county_group_member_role_outside_a_county_group(actor):
    membership = MembershipFactory(partnership=PartnershipFactory(kind=PartnershipKind.CSP))

    with pytest.raises(ValidationError) as error:
        services.role_grant(
            actor=actor,
            partnership=membership.partnership,
            person=UserFactory(),
            organisation=membership.organisation,
            role=Role.COUNTY_MEMBER,
            start_date=date(2024, 4, 1),
        )

    assert _field_errors(error) == {"role": ["County group member is a role in a county group only"]}
    assert not RoleAssignment.objects.exists()


def test_role_grant_gives_a_county_group_member_role_in_a_county_group(actor):
    membership = MembershipFactory(partnership=CountyGroupFactory())

    assignment = services.role_grant(
        actor=actor,
        partnership=membership.partnership,
        person=UserFactory(),
        organisation=membership.organisation,
        role=Role.COUNTY_MEMBER,
        start_date=date(2024, 4, 1),
    )

    assert assignment.role == Role.COUNTY_MEMBER


def test_role_grant_refuses_the_same_open_role_twice(actor):
    existing = RoleFactory(role=Role.CHAIR)
    MembershipFactory(partnership=existing.partnership, organisation=existing.organisation)

    with pytest.raises(ValidationError) as error:
        services.role_grant(
            actor=actor,
            partnership=existing.partnership,
            person=existing.person,
            organisation=existing.organisation,
            role=Role.CHAIR,
            start_date=date(2024, 4, 1),
        )

    assert list(_field_errors(error)) == ["role"]
    assert "is already chair for" in _field_errors(error)["role"][0]
    assert RoleAssignment.objects.count() == 1


def test_role_grant_refuses_an_unknown_role(actor):
    membership = MembershipFactory()

    with pytest.raises(ValidationError) as error:
        services.role_grant(
            actor=actor,
            partnership=membership.partnership,
            person=UserFactory(),
            organisation=membership.organisation,
            role="treasurer",
            start_date=date(2024, 4, 1),
        )

    assert list(_field_errors(error)) == ["role"]


# --- role_change and role_end -------------------------------------------------------------------


def test_role_change_changes_the_role_and_history_keeps_the_one_held_before(actor):
    assignment = RoleFactory(role=Role.PARTNER_OFFICER)

    services.role_change(actor=actor, assignment=assignment, role=Role.CHAIR)

    assignment.refresh_from_db()
    assert assignment.role == Role.CHAIR
    record = _latest_history(assignment)
    assert record.history_user == actor
    assert record.prev_record.role == Role.PARTNER_OFFICER


def test_role_change_refuses_a_role_the_person_already_holds_for_that_organisation(actor):
    chair = RoleFactory(role=Role.CHAIR)
    officer = RoleFactory(
        person=chair.person, partnership=chair.partnership, organisation=chair.organisation, role=Role.PARTNER_OFFICER
    )

    with pytest.raises(ValidationError) as error:
        services.role_change(actor=actor, assignment=officer, role=Role.CHAIR)

    assert list(_field_errors(error)) == ["role"]
    officer.refresh_from_db()
    assert officer.role == Role.PARTNER_OFFICER


def test_role_change_refuses_an_ended_role(actor):
    assignment = RoleFactory(role=Role.PARTNER_OFFICER, end_date=date(2023, 3, 31))

    with pytest.raises(ValidationError, match="has ended"):
        services.role_change(actor=actor, assignment=assignment, role=Role.CHAIR)

    assignment.refresh_from_db()
    assert assignment.role == Role.PARTNER_OFFICER


def test_role_change_refuses_a_county_group_member_role_outside_a_county_group(actor):
    assignment = RoleFactory(role=Role.PARTNER_OFFICER)

    with pytest.raises(ValidationError) as error:
        services.role_change(actor=actor, assignment=assignment, role=Role.COUNTY_MEMBER)

    assert list(_field_errors(error)) == ["role"]


def test_role_end_ends_the_role_and_records_the_actor(actor):
    assignment = RoleFactory()

    services.role_end(actor=actor, assignment=assignment, end_date=date(2024, 6, 30))

    assignment.refresh_from_db()
    assert assignment.end_date == date(2024, 6, 30)
    assert _latest_history(assignment).history_user == actor


def test_role_end_refuses_an_end_date_before_the_start(actor):
    assignment = RoleFactory(start_date=SINCE)

    with pytest.raises(ValidationError) as error:
        services.role_end(actor=actor, assignment=assignment, end_date=date(2022, 3, 31))

    assert list(_field_errors(error)) == ["end_date"]


def test_role_end_refuses_a_role_that_has_already_ended(actor):
    assignment = RoleFactory(end_date=date(2023, 3, 31))

    with pytest.raises(ValidationError, match="already ended"):
        services.role_end(actor=actor, assignment=assignment, end_date=date(2024, 6, 30))


# --- role_add_person (and the invitation) -------------------------------------------------------


def _add_person(actor: User, membership: OrganisationMembership, email: str, **overrides: object) -> RoleAssignment:
    arguments: dict[str, object] = {
        "actor": actor,
        "partnership": membership.partnership,
        "email": email,
        "full_name": "Nadia Newcomer",
        "job_title": "Anti-social Behaviour Officer",
        "organisation": membership.organisation,
        "role": Role.PARTNER_OFFICER,
        "start_date": date(2024, 4, 1),
        **overrides,
    }
    return services.role_add_person(**arguments)  # type: ignore[arg-type]


def test_role_add_person_invites_someone_new_by_email_after_commit(
    actor, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PORTAL_DOMAIN = "portal.example.org"
    settings.PORTAL_USE_HTTPS = True
    membership = MembershipFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assignment = _add_person(actor, membership, " Nadia.Newcomer@Example.org ")
        assert mailoutbox == []  # nothing is sent while the transaction could still roll back

    assert len(callbacks) == 1
    person = assignment.person
    assert person.email == "nadia.newcomer@example.org"
    assert person.full_name == "Nadia Newcomer"
    assert person.job_title == "Anti-social Behaviour Officer"
    assert not person.has_usable_password()
    assert _latest_history(person).history_user == actor
    assert _latest_history(assignment).history_user == actor

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["nadia.newcomer@example.org"]
    assert email.subject == "You have been added to the Community Safety Partnership Portal"
    link = re.search(r"https://portal\.example\.org(/\S+)", email.body)
    assert link is not None
    match = resolve(link.group(1))
    assert match.url_name == "password_reset_confirm"
    assert urlsafe_base64_decode(match.kwargs["uidb64"]).decode() == str(person.pk)
    assert default_token_generator.check_token(person, match.kwargs["token"])


def test_role_add_person_gives_an_existing_person_the_role_without_inviting_them(
    actor, mailoutbox, django_capture_on_commit_callbacks
):
    membership = MembershipFactory()
    existing = UserFactory(email="known@example.org", full_name="Kim Known")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assignment = _add_person(actor, membership, "KNOWN@example.org", full_name="")

    assert assignment.person == existing
    assert User.objects.filter(email__iexact="known@example.org").count() == 1
    assert callbacks == []
    assert mailoutbox == []


def test_role_add_person_creates_nobody_when_the_role_cannot_be_granted(
    actor, mailoutbox, django_capture_on_commit_callbacks
):
    partnership = PartnershipFactory()
    not_a_member = OrganisationFactory()
    people_before = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError) as error:
        services.role_add_person(
            actor=actor,
            partnership=partnership,
            email="nadia.newcomer@example.org",
            full_name="Nadia Newcomer",
            job_title="",
            organisation=not_a_member,
            role=Role.PARTNER_OFFICER,
            start_date=date(2024, 4, 1),
        )

    assert list(_field_errors(error)) == ["organisation"]
    assert User.objects.count() == people_before
    assert not User.objects.filter(email="nadia.newcomer@example.org").exists()
    assert not User.history.filter(email="nadia.newcomer@example.org").exists()
    assert callbacks == []
    assert mailoutbox == []


def test_role_add_person_needs_a_name_for_someone_new(actor, mailoutbox, django_capture_on_commit_callbacks):
    membership = MembershipFactory()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        _add_person(actor, membership, "nadia.newcomer@example.org", full_name="  ")

    assert list(_field_errors(error)) == ["full_name"]
    assert not User.objects.filter(email="nadia.newcomer@example.org").exists()
    assert mailoutbox == []


def test_person_invite_refuses_an_email_address_that_is_already_taken(actor):
    UserFactory(email="known@example.org")

    with pytest.raises(ValidationError) as error:
        services.person_invite(actor=actor, email="Known@Example.org", full_name="Another Known")

    assert list(_field_errors(error)) == ["email"]


# --- Database constraints -----------------------------------------------------------------------


def test_the_database_refuses_a_membership_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(start_date=date(2024, 4, 1), end_date=date(2024, 3, 31))


def test_the_database_refuses_a_role_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(start_date=date(2024, 4, 1), end_date=date(2024, 3, 31))


def test_the_database_refuses_two_open_memberships_of_one_organisation():
    existing = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(partnership=existing.partnership, organisation=existing.organisation)


def test_the_database_refuses_two_open_copies_of_one_role():
    existing = RoleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(
            person=existing.person,
            partnership=existing.partnership,
            organisation=existing.organisation,
            role=existing.role,
        )


def test_the_database_refuses_a_thematic_group_without_a_parent():
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            kind=PartnershipKind.THEMATIC_GROUP, name="Orphan group", slug="orphan-group", ons_code=None
        )


def test_the_database_refuses_an_ons_code_on_a_county_group():
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            kind=PartnershipKind.COUNTY_GROUP, name="Safer Shire", slug="safer-shire", ons_code="E22900009"
        )
