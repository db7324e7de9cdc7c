"""The demo partnership: Safer Essex and its 13 CSPs, from the seed documents (DOMAIN.md §11).

Run after the registry is loaded. Idempotent: running it again changes nothing but the demo passwords
(set to DEMO_PASSWORD each time). Memberships and roles go through the services, so they carry history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from partnerships import services
from partnerships.models import (
    LocalAuthorityArea,
    Organisation,
    OrganisationMembership,
    OrganisationType,
    Partnership,
    PartnershipKind,
    PoliceForceArea,
    PolicingArea,
    Role,
    RoleAssignment,
    Standing,
    User,
)
from partnerships.permissions import partnership_lookup

ESSEX_PFA = "E23000028"
SINCE = date(2022, 4, 1)
T = OrganisationType

# Local policing areas as the Safer Essex prospectus lists them. Castle Point and Rochford work as one
# joint CSP (their merger application), so Essex has 13 CSPs for 14 ONS codes (DOMAIN.md §9.9).
POLICING_AREAS: dict[str, list[str]] = {
    "North": ["E22000092", "E22000080", "E22000084", "E22000090", "E22000083", "E22000087"],
    "West": ["E22000086", "E22000085", "E22000081", "E22000091"],
    "South": ["E22000079", "castle-point-and-rochford", "E22000089"],
}
JOINT_CSP = ("castle-point-and-rochford", "Castle Point and Rochford", ["E07000069", "E07000075"])

# Council(s) of each CSP: unitary authorities stand alone; in two-tier areas the district and the
# county council are both responsible authorities (Crime and Disorder Act 1998 s5).
COUNCILS: dict[str, list[tuple[str, str]]] = {
    "E22000079": [("Basildon Borough Council", T.DISTRICT_COUNCIL)],
    "E22000080": [("Braintree District Council", T.DISTRICT_COUNCIL)],
    "E22000081": [("Brentwood Borough Council", T.DISTRICT_COUNCIL)],
    "castle-point-and-rochford": [
        ("Castle Point Borough Council", T.DISTRICT_COUNCIL),
        ("Rochford District Council", T.DISTRICT_COUNCIL),
    ],
    "E22000083": [("Chelmsford City Council", T.DISTRICT_COUNCIL)],
    "E22000084": [("Colchester City Council", T.DISTRICT_COUNCIL)],
    "E22000085": [("Epping Forest District Council", T.DISTRICT_COUNCIL)],
    "E22000086": [("Harlow Council", T.DISTRICT_COUNCIL)],
    "E22000087": [("Maldon District Council", T.DISTRICT_COUNCIL)],
    "E22000089": [("Southend-on-Sea City Council", T.UNITARY_AUTHORITY)],
    "E22000090": [("Tendring District Council", T.DISTRICT_COUNCIL)],
    "E22000091": [("Thurrock Council", T.UNITARY_AUTHORITY)],
    "E22000092": [("Uttlesford District Council", T.DISTRICT_COUNCIL)],
}
UNITARY = {"E22000089", "E22000091"}
ICB = {
    "Mid and South Essex Integrated Care Board": {
        "E22000079",
        "E22000080",
        "E22000081",
        "castle-point-and-rochford",
        "E22000083",
        "E22000087",
        "E22000089",
        "E22000091",
    },
    "Hertfordshire and West Essex Integrated Care Board": {"E22000085", "E22000086", "E22000092"},
    "Suffolk and North East Essex Integrated Care Board": {"E22000084", "E22000090"},
}
COUNTYWIDE = [
    ("Essex Police", T.POLICE),
    ("Essex County Fire and Rescue Service", T.FIRE_AND_RESCUE),
    ("Probation Service – East of England", T.PROBATION),
]
# Invited partners named in the seed documents.
INVITED = {
    "E22000089": [
        ("South Essex Homes", T.HOUSING),
        ("East of England Ambulance Service", T.AMBULANCE),
    ],
    "E22000084": [("Community 360", T.VOLUNTARY)],
}
THEMATIC_GROUPS = [
    "Essex Domestic Abuse Strategy Group",
    "Essex Acquisitive Crime Sub-group",
    "Essex ASB Steering Group",
]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    job_title: str
    role: str
    partnership: str  # ONS code or slug
    organisation: str
    description: str


DEMO_PEOPLE = [
    DemoPerson(
        "manager@demo.example",
        "Priya Shah",
        "Community Safety Manager",
        Role.MANAGER,
        "E22000089",
        "Southend-on-Sea City Council",
        "partnership manager, Southend-on-Sea CSP",
    ),
    DemoPerson(
        "chair@demo.example",
        "David Okafor",
        "Executive Director, Neighbourhoods",
        Role.CHAIR,
        "E22000089",
        "Southend-on-Sea City Council",
        "chair, Southend-on-Sea CSP",
    ),
    DemoPerson(
        "police.officer@demo.example",
        "Claire Dawson",
        "Inspector, Community Policing",
        Role.PARTNER_OFFICER,
        "E22000089",
        "Essex Police",
        "partner officer for Essex Police, Southend-on-Sea CSP",
    ),
    DemoPerson(
        "council.officer@demo.example",
        "Tom Bennett",
        "Community Safety Officer",
        Role.PARTNER_OFFICER,
        "E22000089",
        "Southend-on-Sea City Council",
        "partner officer for Southend-on-Sea City Council, Southend-on-Sea CSP",
    ),
    DemoPerson(
        "scrutiny@demo.example",
        "Cllr Helen Price",
        "Councillor",
        Role.SCRUTINY_MEMBER,
        "E22000089",
        "Southend-on-Sea City Council",
        "scrutiny member, Southend-on-Sea CSP",
    ),
    DemoPerson(
        "county@demo.example",
        "Mark Ellis",
        "Head of Community Safety",
        Role.COUNTY_MEMBER,
        "safer-essex",
        "Essex County Council",
        "county group member, Safer Essex",
    ),
]
ADMIN = ("admin@demo.example", "Alex Morgan", "portal administrator")


def _organisation(name: str, kind: str) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(name=name, defaults={"slug": slugify(name), "type": kind})
    return organisation


def _member(partnership: Partnership, organisation: Organisation, standing: str) -> None:
    if not OrganisationMembership.objects.filter(
        partnership=partnership, organisation=organisation, end_date__isnull=True
    ).exists():
        services.membership_add(
            actor=None, partnership=partnership, organisation=organisation, standing=standing, start_date=SINCE
        )


def _partnership(ref: str) -> Partnership:
    return Partnership.objects.get(partnership_lookup(ref))


@transaction.atomic
def load_demo(password: str | None = None) -> list[tuple[str, str]]:
    """Create (or refresh) the Essex demo data; returns the demo logins as (email, description)."""
    password = password or settings.DEMO_PASSWORD
    if not Partnership.objects.filter(ons_code="E22000089").exists():
        raise RuntimeError("Load the registry first: manage.py load_registry")
    essex = PoliceForceArea.objects.get(code=ESSEX_PFA)

    county, _ = Partnership.objects.get_or_create(
        slug="safer-essex",
        defaults={
            "kind": PartnershipKind.COUNTY_GROUP,
            "name": "Safer Essex",
            "police_force_area": essex,
            "description": "The county partnership for crime, disorder, drugs and alcohol across Essex, "
            "Southend and Thurrock, and the county strategy group of its 13 community safety partnerships.",
        },
    )
    slug, name, districts = JOINT_CSP
    joint, created = Partnership.objects.get_or_create(
        slug=slug,
        defaults={
            "kind": PartnershipKind.CSP,
            "name": name,
            "police_force_area": essex,
            "description": "Castle Point and Rochford District CSPs work as one joint partnership, with a "
            "joint strategic assessment and partnership plan.",
        },
    )
    if created:
        joint.local_authority_areas.set(LocalAuthorityArea.objects.filter(code__in=districts))

    for area_name, refs in POLICING_AREAS.items():
        area, _ = PolicingArea.objects.get_or_create(police_force_area=essex, name=area_name)
        for ref in refs:
            Partnership.objects.filter(partnership_lookup(ref)).update(parent=county, policing_area=area)

    for group_name in THEMATIC_GROUPS:
        Partnership.objects.get_or_create(
            slug=slugify(group_name),
            defaults={"kind": PartnershipKind.THEMATIC_GROUP, "name": group_name, "parent": county},
        )

    countywide = [_organisation(n, k) for n, k in COUNTYWIDE]
    county_council = _organisation("Essex County Council", T.COUNTY_COUNCIL)
    icbs = {name: _organisation(name, T.HEALTH) for name in ICB}
    for ref, councils in COUNCILS.items():
        csp = _partnership(ref)
        for council_name, kind in councils:
            _member(csp, _organisation(council_name, kind), Standing.RESPONSIBLE_AUTHORITY)
        if ref not in UNITARY:
            _member(csp, county_council, Standing.RESPONSIBLE_AUTHORITY)
        for organisation in countywide:
            _member(csp, organisation, Standing.RESPONSIBLE_AUTHORITY)
        for icb_name, icb_refs in ICB.items():
            if ref in icb_refs:
                _member(csp, icbs[icb_name], Standing.RESPONSIBLE_AUTHORITY)
        for invited_name, kind in INVITED.get(ref, []):
            _member(csp, _organisation(invited_name, kind), Standing.INVITED)

    for organisation in [county_council, *countywide, *icbs.values()]:
        _member(county, organisation, Standing.RESPONSIBLE_AUTHORITY)
    _member(county, _organisation("Essex Police, Fire and Crime Commissioner", T.PCC), Standing.INVITED)
    for group in Partnership.objects.filter(parent=county, kind=PartnershipKind.THEMATIC_GROUP):
        for organisation in [county_council, countywide[0]]:
            _member(group, organisation, Standing.RESPONSIBLE_AUTHORITY)

    admin_email, admin_name, admin_description = ADMIN
    admin = _person(admin_email, admin_name, "Portal administrator", password)
    if not admin.is_staff or not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    logins = [(admin_email, admin_description)]
    for demo in DEMO_PEOPLE:
        person = _person(demo.email, demo.full_name, demo.job_title, password)
        partnership = _partnership(demo.partnership)
        organisation = Organisation.objects.get(name=demo.organisation)
        if not RoleAssignment.objects.filter(
            person=person, partnership=partnership, organisation=organisation, role=demo.role, end_date__isnull=True
        ).exists():
            services.role_grant(
                actor=None,
                partnership=partnership,
                person=person,
                organisation=organisation,
                role=demo.role,
                start_date=SINCE,
            )
        logins.append((demo.email, demo.description))
    return logins


def _person(email: str, full_name: str, job_title: str, password: str) -> User:
    person = User.objects.filter(email=email).first()
    if person is None:
        person = User(email=email, full_name=full_name, job_title=job_title)
        person.set_password(password)
        person.save()
    elif not person.check_password(password):
        # DEMO_PASSWORD changed since the last run; a password is not history worth keeping.
        person.set_password(password)
        person.skip_history_when_saving = True  # type: ignore[attr-defined]
        person.save(update_fields=["password"])
    return person
