"""Shared fixtures: the named personas every page and endpoint test uses, and test-wide settings.

Sign people in with `client.force_login(persona)`: django-axes needs the request when a password is
checked, which `client.login()` does not pass.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.models import Organisation, OrganisationType, Partnership, Role, User
from tests.factories import (
    CountyGroupFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    RoleFactory,
    UserFactory,
)

# The sync Playwright API runs an event loop in the test thread; live_server tests need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    # The test client and live server speak plain HTTP; everything else stays as in production.
    settings.SECURE_SSL_REDIRECT = False
    # Hashed static names need collectstatic first; tests serve the files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Review documents go to a folder of the test's own, never into the working tree.
    settings.REVIEW_DOCUMENTS_ROOT = tmp_path / "review-documents"


def sign_in(client, user: User, *, second_factor: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Sign a person in, by default with a session that has passed the second factor (a confirmed
    authenticator app), as opening a review requires. `second_factor=False` leaves it unverified."""
    client.force_login(user)
    if second_factor:
        device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "Authenticator app"})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@dataclass
class Personas:
    """One CSP (under a county group) with a person in every role, and people outside it.

    - admin: portal administrator (staff), no roles
    - manager, chair, scrutiny: roles in `csp` for `council`
    - police_officer / council_officer: partner officers in `csp` for `police` / `council`
    - county_member: county group member of `county` for `council`
    - outsider: manager of `other_csp` (a CSP in the same county) — no role in `csp`
    - nobody: signed in, holds no role anywhere
    """

    county: Partnership
    csp: Partnership
    other_csp: Partnership
    police: Organisation
    council: Organisation
    admin: User
    manager: User
    chair: User
    police_officer: User
    council_officer: User
    scrutiny: User
    county_member: User
    outsider: User
    nobody: User

    ROLES = (
        "admin",
        "manager",
        "chair",
        "police_officer",
        "council_officer",
        "scrutiny",
        "county_member",
        "outsider",
        "nobody",
    )

    def by_role(self, role: str) -> User:
        return getattr(self, role)  # type: ignore[no-any-return]


@pytest.fixture
def personas(db) -> Personas:  # type: ignore[no-untyped-def]
    county = CountyGroupFactory(name="Safer Shire", slug="safer-shire")
    csp = PartnershipFactory(name="Riverton", slug="riverton", ons_code="E22900001", parent=county)
    other_csp = PartnershipFactory(name="Hillford", slug="hillford", ons_code="E22900002", parent=county)
    police = OrganisationFactory(name="Shire Police", slug="shire-police", type=OrganisationType.POLICE)
    council = OrganisationFactory(
        name="Riverton Borough Council", slug="riverton-borough-council", type=OrganisationType.DISTRICT_COUNCIL
    )
    other_council = OrganisationFactory(
        name="Hillford District Council", slug="hillford-district-council", type=OrganisationType.DISTRICT_COUNCIL
    )
    for partnership, organisations in (
        (csp, (police, council)),
        (other_csp, (police, other_council)),
        (county, (police, council)),
    ):
        for organisation in organisations:
            MembershipFactory(partnership=partnership, organisation=organisation)

    def person(email: str, name: str) -> User:
        return UserFactory(email=email, full_name=name)  # type: ignore[no-any-return]

    manager = person("manager@example.org", "Mina Manager")
    chair = person("chair@example.org", "Charles Chair")
    police_officer = person("police.officer@example.org", "Polly Police")
    council_officer = person("council.officer@example.org", "Colin Council")
    scrutiny = person("scrutiny@example.org", "Sam Scrutiny")
    county_member = person("county@example.org", "Connie County")
    outsider = person("outsider@example.org", "Otto Outsider")
    RoleFactory(person=manager, partnership=csp, organisation=council, role=Role.MANAGER)
    RoleFactory(person=chair, partnership=csp, organisation=council, role=Role.CHAIR)
    RoleFactory(person=police_officer, partnership=csp, organisation=police, role=Role.PARTNER_OFFICER)
    RoleFactory(person=council_officer, partnership=csp, organisation=council, role=Role.PARTNER_OFFICER)
    RoleFactory(person=scrutiny, partnership=csp, organisation=council, role=Role.SCRUTINY_MEMBER)
    RoleFactory(person=county_member, partnership=county, organisation=council, role=Role.COUNTY_MEMBER)
    RoleFactory(person=outsider, partnership=other_csp, organisation=other_council, role=Role.MANAGER)
    admin = UserFactory(email="admin@example.org", full_name="Ada Admin", is_staff=True, is_superuser=True)
    nobody = person("nobody@example.org", "Nora Nobody")
    return Personas(
        county=county,
        csp=csp,
        other_csp=other_csp,
        police=police,
        council=council,
        admin=admin,
        manager=manager,
        chair=chair,
        police_officer=police_officer,
        council_officer=council_officer,
        scrutiny=scrutiny,
        county_member=county_member,
        outsider=outsider,
        nobody=nobody,
    )
