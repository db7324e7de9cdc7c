"""Load data at national scale for the benchmarks: every CSP in England and Wales, with members and people.

The 314 CSPs, 318 districts and 43 police force areas come from the ONS register (through
`services.registry_import`, as in production). On top of them, deterministically from one seed:

- organisations as a CSP has them: a police force, police and crime commissioner, fire and rescue
  service, probation region and ambulance trust per area; a council per district (and the county
  council in two-tier areas); an integrated care board (Wales: health board); local housing, voluntary,
  education and business partners named after each place;
- 5,000 organisation memberships: every CSP's responsible authorities (Crime and Disorder Act 1998 s5)
  and co-operating bodies, then invited partners spread unevenly; Birmingham is the large CSP with 400
  member organisations, Rutland the small one with 8; some memberships elsewhere have ended;
- 20,000 people, each with a role: Birmingham has 2,000 role holders, Rutland 12; about 1,500 police,
  fire and probation officers also hold a role in a second CSP of their force area, and some people have
  an ended earlier role behind their current one.

Rows go in with bulk_create (no history rows: this is load data, not changes anyone made), but every
membership and role satisfies the model constraints and the services' rules (a role is held for an
organisation that is a member of the partnership on the day the role starts).
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
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
    Role,
    RoleAssignment,
    Standing,
    User,
)

REGISTRY = Path(__file__).resolve().parents[1] / "partnerships" / "data" / "ons_lad24_csp24_pfa24_lookup_ew.csv"
LARGE_CSP = "E22000335"  # Birmingham: the largest CSP by population
SMALL_CSP = "E22000172"  # Rutland: one of the smallest
# Dates are fixed (not relative to today) so that two runs produce the same rows; all roles and
# memberships start before this day, so they are current whenever the benchmark runs.
ANCHOR = date(2025, 4, 1)
CSP_FORMED = date(2012, 4, 1)

T = OrganisationType


@dataclass(frozen=True)
class Scale:
    memberships: int = 5_000
    people: int = 20_000
    large_members: int = 400
    large_people: int = 2_000
    small_members: int = 8
    small_people: int = 12
    cross_roles: int = 1_500  # officers who also hold a role in a second CSP of their force area
    ended_membership_share: float = 0.06
    earlier_role_share: float = 0.04


@dataclass
class Generated:
    large: Partnership
    small: Partnership
    manager: User  # manager of the large CSP, and (for the benchmark) of the small one too
    counts: dict[str, int] = field(default_factory=dict)


# --- Who the organisations are ----------------------------------------------------------------------

PROBATION_REGION = {
    "North East": ("Northumbria", "Durham", "Cleveland"),
    "North West": ("Cumbria", "Lancashire", "Merseyside", "Cheshire"),
    "Greater Manchester": ("Greater Manchester",),
    "Yorkshire and the Humber": ("North Yorkshire", "West Yorkshire", "South Yorkshire", "Humberside"),
    "East Midlands": ("Derbyshire", "Nottinghamshire", "Lincolnshire", "Leicestershire", "Northamptonshire"),
    "West Midlands": ("West Midlands", "Staffordshire", "West Mercia", "Warwickshire"),
    "East of England": ("Cambridgeshire", "Norfolk", "Suffolk", "Bedfordshire", "Hertfordshire", "Essex"),
    "London": ("Metropolitan Police", "London, City of"),
    "Kent, Surrey and Sussex": ("Kent", "Surrey", "Sussex"),
    "South Central": ("Thames Valley", "Hampshire"),
    "South West": ("Devon & Cornwall", "Avon and Somerset", "Gloucestershire", "Wiltshire", "Dorset"),
    "Wales": ("North Wales", "Gwent", "South Wales", "Dyfed-Powys"),
}
REGION_OF_FORCE = {force: region for region, forces in PROBATION_REGION.items() for force in forces}
AMBULANCE = {
    "North East": "North East Ambulance Service",
    "North West": "North West Ambulance Service",
    "Greater Manchester": "North West Ambulance Service",
    "Yorkshire and the Humber": "Yorkshire Ambulance Service",
    "East Midlands": "East Midlands Ambulance Service",
    "West Midlands": "West Midlands Ambulance Service",
    "East of England": "East of England Ambulance Service",
    "London": "London Ambulance Service",
    "Kent, Surrey and Sussex": "South East Coast Ambulance Service",
    "South Central": "South Central Ambulance Service",
    "South West": "South Western Ambulance Service",
    "Wales": "Welsh Ambulance Services University NHS Trust",
}
POLICE = {"Metropolitan Police": "Metropolitan Police Service", "London, City of": "City of London Police"}
PCC = {
    "Metropolitan Police": "Mayor's Office for Policing and Crime",
    "London, City of": "City of London Police Authority",
}
FIRE = {
    "Metropolitan Police": "London Fire Brigade",
    "London, City of": "London Fire Brigade",
    "West Midlands": "West Midlands Fire Service",
    "Gwent": "South Wales Fire and Rescue Service",
    "South Wales": "South Wales Fire and Rescue Service",
    "Dyfed-Powys": "Mid and West Wales Fire and Rescue Service",
}
WELSH_HEALTH_BOARD = {
    "North Wales": "Betsi Cadwaladr University Health Board",
    "Gwent": "Aneurin Bevan University Health Board",
    "South Wales": "Cardiff and Vale University Health Board",
    "Dyfed-Powys": "Hywel Dda University Health Board",
}
LONDON_ICBS = (
    "NHS North Central London Integrated Care Board",
    "NHS North East London Integrated Care Board",
    "NHS North West London Integrated Care Board",
    "NHS South East London Integrated Care Board",
    "NHS South West London Integrated Care Board",
)
# Two-tier areas whose county is not named like the force area.
COUNTY_OF_FORCE = {
    "Thames Valley": "Oxfordshire",
    "West Mercia": "Worcestershire",
    "Devon & Cornwall": "Devon",
}
EAST_SUSSEX = {"Eastbourne", "Hastings", "Lewes", "Rother", "Wealden"}

# Local partners, named "<place> <noun>" (and "<place> <quarter> <noun>" where a city has many).
LOCAL_PARTNERS: tuple[tuple[str, str], ...] = (
    ("Citizens Advice", T.VOLUNTARY),
    ("Women's Aid", T.VOLUNTARY),
    ("Victim Support", T.VOLUNTARY),
    ("Age UK", T.VOLUNTARY),
    ("Mind", T.VOLUNTARY),
    ("Street Pastors", T.VOLUNTARY),
    ("Neighbourhood Watch Association", T.VOLUNTARY),
    ("Food Bank", T.VOLUNTARY),
    ("Rape Crisis Centre", T.VOLUNTARY),
    ("Youth Trust", T.VOLUNTARY),
    ("Council for Voluntary Service", T.VOLUNTARY),
    ("Refugee and Migrant Centre", T.VOLUNTARY),
    ("Samaritans", T.VOLUNTARY),
    ("Domestic Abuse Service", T.VOLUNTARY),
    ("Recovery Community", T.VOLUNTARY),
    ("Carers Centre", T.VOLUNTARY),
    ("Faith Forum", T.VOLUNTARY),
    ("Boxing Club", T.VOLUNTARY),
    ("Community Foundation", T.VOLUNTARY),
    ("Homes", T.HOUSING),
    ("Housing Association", T.HOUSING),
    ("Housing Trust", T.HOUSING),
    ("Tenants' Federation", T.HOUSING),
    ("Community Housing", T.HOUSING),
    ("Supported Housing", T.HOUSING),
    ("College", T.EDUCATION),
    ("Academy Trust", T.EDUCATION),
    ("Schools Partnership", T.EDUCATION),
    ("Pupil Referral Unit", T.EDUCATION),
    ("Drug and Alcohol Service", T.HEALTH),
    ("Mental Health Trust", T.HEALTH),
    ("Sexual Health Service", T.HEALTH),
    ("GP Federation", T.HEALTH),
    ("Business Improvement District", T.OTHER),
    ("Chamber of Commerce", T.OTHER),
    ("Pubwatch", T.OTHER),
    ("Shopwatch", T.OTHER),
    ("Night-time Economy Forum", T.OTHER),
    ("Football Club Community Trust", T.OTHER),
    ("Youth Justice Service", T.OTHER),
    ("Bus Operators' Group", T.OTHER),
    ("Transport Hub", T.OTHER),
)
QUARTERS = ("North", "South", "East", "West", "Central", "City Centre", "Inner", "Outer", "Eastside", "Westside")

FIRST_NAMES = (  # noqa: SIM905 (a list literal would take a line per name)
    "Aisha Alex Amelia Amir Anna Ben Bethan Chloe Chris Daniel David Deepa Eleanor Emma Fatima Gareth Grace "
    "Hannah Harry Imran Isla Jack James Jasmine Joanne John Kate Kwame Laura Liam Lucy Mark Mei Michael Mohammed "
    "Naomi Nia Oliver Olivia Patrick Priya Rachel Rhys Rob Ruth Sam Sarah Sean Sophie Steve Tom Usha Vikram Will "
    "Zainab"
).split()
SURNAMES = (  # noqa: SIM905 (a list literal would take a line per name)
    "Ahmed Ali Allen Bailey Baker Begum Bell Brown Campbell Carter Clarke Cooper Davies Edwards Evans Green "
    "Griffiths Hall Harris Hughes Hussain Jackson James Jones Kaur Khan King Lewis Martin Mitchell Moore Morgan "
    "Morris Murphy Nguyen O'Brien Okafor Owen Patel Phillips Price Roberts Robinson Scott Shah Singh Smith Taylor "
    "Thomas Thompson Turner Walker Ward Watson White Williams Wilson Wood Wright Young"
).split()
JOB_TITLES = {
    T.POLICE: ("Inspector", "Chief Inspector", "Sergeant", "Superintendent", "Neighbourhood Policing Lead"),
    T.DISTRICT_COUNCIL: ("Community Safety Officer", "Anti-social Behaviour Officer", "Licensing Manager"),
    T.COUNTY_COUNCIL: ("Head of Community Safety", "Domestic Abuse Coordinator", "Trading Standards Manager"),
    T.UNITARY_AUTHORITY: ("Community Safety Officer", "Anti-social Behaviour Officer", "Head of Community Safety"),
    T.FIRE_AND_RESCUE: ("Station Manager", "Community Risk Manager"),
    T.PROBATION: ("Senior Probation Officer", "Head of Probation Delivery Unit"),
    T.HEALTH: ("Safeguarding Lead", "Public Health Consultant", "Commissioning Manager"),
    T.AMBULANCE: ("Community Engagement Manager",),
    T.HOUSING: ("Tenancy Enforcement Officer", "Housing Manager"),
    T.VOLUNTARY: ("Service Manager", "Chief Executive", "Project Coordinator"),
    T.EDUCATION: ("Safeguarding Lead", "Head of Inclusion"),
    T.PCC: ("Policy Officer", "Commissioning Officer"),
    T.OTHER: ("Partnership Lead", "Operations Manager"),
}


def _place(name: str) -> str:
    """'Bristol, City of' → 'Bristol'."""
    return name.split(",")[0].strip()


def _council(lad: LocalAuthorityArea) -> tuple[str, str]:
    code, place = lad.code, _place(lad.name)
    if lad.name.endswith(", City of"):
        return f"{place} City Council", T.UNITARY_AUTHORITY
    if code.startswith("E07"):
        return f"{place} District Council", T.DISTRICT_COUNCIL
    if code.startswith("E08"):
        return f"{place} Metropolitan Borough Council", T.UNITARY_AUTHORITY
    if code.startswith("E09"):
        if place == "City of London":
            return "City of London Corporation", T.UNITARY_AUTHORITY
        return f"London Borough of {place}", T.UNITARY_AUTHORITY
    if code.startswith("W06"):
        return f"{place} County Borough Council", T.UNITARY_AUTHORITY
    return f"{place} Council", T.UNITARY_AUTHORITY


def _county_council(lad: LocalAuthorityArea, force: str) -> tuple[str, str] | None:
    if not lad.code.startswith("E07"):
        return None
    if force == "Sussex":
        county = "East Sussex" if lad.name in EAST_SUSSEX else "West Sussex"
    else:
        county = COUNTY_OF_FORCE.get(force, force)
    return f"{county} County Council", T.COUNTY_COUNCIL


def _health_body(lad: LocalAuthorityArea, force: str, london_index: int) -> tuple[str, str]:
    if force in WELSH_HEALTH_BOARD:
        return WELSH_HEALTH_BOARD[force], T.HEALTH
    if force in ("Metropolitan Police", "London, City of"):
        return LONDON_ICBS[london_index % len(LONDON_ICBS)], T.HEALTH
    return f"NHS {force.replace('&', 'and')} Integrated Care Board", T.HEALTH


# --- The generator --------------------------------------------------------------------------------


@dataclass
class _Member:
    organisation: str
    standing: str
    start: date
    end: date | None = None


class _Generator:
    def __init__(self, seed: int, scale: Scale) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.org_types: dict[str, str] = {}  # name → type, in creation order
        self.members: dict[int, list[_Member]] = defaultdict(list)  # partnership pk → memberships

    def _org(self, name: str, kind: str) -> str:
        self.org_types.setdefault(name, kind)
        return name

    def date_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def statutory(self, csps: list[Partnership]) -> None:
        """Each CSP's responsible authorities and co-operating bodies."""
        london = 0
        for csp in csps:
            assert csp.police_force_area is not None
            force = csp.police_force_area.name
            region = REGION_OF_FORCE[force]
            responsible = [
                self._org(POLICE.get(force, f"{force} Police"), T.POLICE),
                self._org(FIRE.get(force, f"{force.replace('&', 'and')} Fire and Rescue Service"), T.FIRE_AND_RESCUE),
                self._org(f"Probation Service – {region}", T.PROBATION),
            ]
            for lad in sorted(csp.local_authority_areas.all(), key=lambda a: a.code):
                responsible.append(self._org(*_council(lad)))
                if county := _county_council(lad, force):
                    responsible.append(self._org(*county))
                responsible.append(self._org(*_health_body(lad, force, london)))
                if lad.code.startswith("E09"):
                    london += 1
            co_operating = [self._org(PCC.get(force, f"{force} Police and Crime Commissioner"), T.PCC)]
            for name in dict.fromkeys(responsible):
                start = CSP_FORMED if self.rng.random() < 0.7 else self.date_between(CSP_FORMED, ANCHOR)
                self.members[csp.pk].append(_Member(name, Standing.RESPONSIBLE_AUTHORITY, start))
            for name in co_operating:
                self.members[csp.pk].append(_Member(name, Standing.CO_OPERATING, self.date_between(CSP_FORMED, ANCHOR)))

    def invited(self, csps: list[Partnership], large: Partnership, small: Partnership) -> None:
        """Invited partners: fill the large and small CSPs to size, spread the rest unevenly."""
        scale = self.scale
        wanted = {
            large.pk: scale.large_members - len(self.members[large.pk]),
            small.pk: scale.small_members - len(self.members[small.pk]),
        }
        others = [c for c in csps if c.pk not in wanted]
        remaining = scale.memberships - sum(len(m) for m in self.members.values()) - sum(wanted.values())
        if min(*wanted.values(), remaining) < 0:
            raise ValueError("Scale too small for the statutory memberships")
        weights = [self.rng.uniform(0.3, 2.5) * len(c.local_authority_areas.all()) for c in others]
        wanted.update(Counter(c.pk for c in self.rng.choices(others, weights=weights, k=remaining)))
        for csp in csps:
            count = wanted.get(csp.pk, 0)
            force = csp.police_force_area.name if csp.police_force_area else ""
            names: list[str] = []
            if count and csp.pk not in (large.pk, small.pk) and self.rng.random() < 0.5:
                names.append(self._org(AMBULANCE[REGION_OF_FORCE[force]], T.AMBULANCE))
            names += self._local_partners(_place(csp.name), count - len(names))
            may_end = csp.pk not in (large.pk, small.pk)
            for name in names:
                start = self.date_between(CSP_FORMED, ANCHOR - timedelta(days=30))
                end = None
                if may_end and self.rng.random() < scale.ended_membership_share:
                    end = self.date_between(start, ANCHOR - timedelta(days=1))
                self.members[csp.pk].append(_Member(name, Standing.INVITED, start, end))

    def _local_partners(self, place: str, count: int) -> list[str]:
        nouns = list(LOCAL_PARTNERS)
        self.rng.shuffle(nouns)
        names: list[str] = []
        for quarter in ("", *QUARTERS):
            for noun, kind in nouns:
                if len(names) == count:
                    return names
                name = " ".join(part for part in (place, quarter, noun) if part)
                if name not in self.org_types:
                    names.append(self._org(name, kind))
        if len(names) < count:
            raise ValueError(f"Not enough local partner names for {place} ({count})")
        return names


def _unique_slugs(names: list[str]) -> list[str]:
    taken: set[str] = set()
    slugs = []
    for name in names:
        base = slugify(name)[:150]
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def generate(*, seed: int = 20_260_401, scale: Scale | None = None) -> Generated:
    """Fill an empty database with the national-scale load data; deterministic for a seed."""
    scale = scale or Scale()
    services.registry_import(path=REGISTRY)
    with transaction.atomic():
        return _generate(_Generator(seed, scale))


def _generate(gen: _Generator) -> Generated:
    rng, scale = gen.rng, gen.scale
    csps = list(
        Partnership.objects.filter(kind=PartnershipKind.CSP)
        .select_related("police_force_area")
        .prefetch_related("local_authority_areas")
        .order_by("ons_code")
    )
    large = next(c for c in csps if c.ons_code == LARGE_CSP)
    small = next(c for c in csps if c.ons_code == SMALL_CSP)
    gen.statutory(csps)
    gen.invited(csps, large, small)

    names = list(gen.org_types)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=name, slug=slug, type=gen.org_types[name])
            for name, slug in zip(names, _unique_slugs(names), strict=True)
        ],
        batch_size=2_000,
    )
    org = {o.name: o for o in organisations}
    OrganisationMembership.objects.bulk_create(
        [
            OrganisationMembership(
                partnership_id=pk,
                organisation=org[m.organisation],
                standing=m.standing,
                start_date=m.start,
                end_date=m.end,
            )
            for pk, members in gen.members.items()
            for m in members
        ],
        batch_size=2_000,
    )

    # People per CSP: the large and small CSPs to size, the rest by how many members each has.
    open_members = {pk: [m for m in members if m.end is None] for pk, members in gen.members.items()}
    people_wanted = {large.pk: scale.large_people, small.pk: scale.small_people}
    others = [c for c in csps if c.pk not in people_wanted]
    people_wanted.update({c.pk: 3 for c in others})  # a manager, a chair and a scrutiny member at least
    spread = scale.people - sum(people_wanted.values())
    weights = [len(open_members[c.pk]) * rng.uniform(0.7, 1.3) for c in others]
    for pk, extra in Counter(c.pk for c in rng.choices(others, weights=weights, k=spread)).items():
        people_wanted[pk] += extra

    users: list[User] = []
    roles: list[tuple[int, int, str, str, date, date | None]] = []  # user index, csp, org, role, start, end
    member_start = {(pk, m.organisation): m.start for pk, members in open_members.items() for m in members}
    force_of = {c.pk: c.police_force_area_id for c in csps}
    unusable = UNUSABLE_PASSWORD_PREFIX + "bench-load-data"
    for csp in csps:
        members = open_members[csp.pk]
        council = next(
            m.organisation
            for m in members
            if gen.org_types[m.organisation] in (T.UNITARY_AUTHORITY, T.DISTRICT_COUNCIL)
        )
        police = next(m.organisation for m in members if gen.org_types[m.organisation] == T.POLICE)
        count = people_wanted[csp.pk]
        scrutiny = max(1, count // 60)
        officer_weights = [
            {Standing.RESPONSIBLE_AUTHORITY: 4, Standing.CO_OPERATING: 2}.get(m.standing, 1) for m in members
        ]
        for i in range(count):
            if i == 0:
                role, organisation, title = Role.MANAGER, council, "Community Safety Manager"
            elif i == 1:
                role, organisation = Role.CHAIR, rng.choice((council, police))
                title = "Chair of the Community Safety Partnership"
            elif i < 2 + scrutiny:
                role, organisation, title = Role.SCRUTINY_MEMBER, council, "Councillor"
            else:
                role = Role.PARTNER_OFFICER
                organisation = rng.choices(members, weights=officer_weights)[0].organisation
                title = rng.choice(JOB_TITLES[gen.org_types[organisation]])
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            local = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
            domain = org[organisation].slug[:40].rstrip("-")
            users.append(
                User(
                    email=f"{local}.{len(users) + 1}@{domain}.example",
                    full_name=f"{first} {last}",
                    job_title=title,
                    password=unusable,
                )
            )
            earliest = member_start[(csp.pk, organisation)]
            start = gen.date_between(earliest, ANCHOR)
            roles.append((len(users) - 1, csp.pk, organisation, role, start, None))
            if start > earliest and rng.random() < scale.earlier_role_share:
                # An earlier role in the same partnership, ended the day before the current one began.
                before = gen.date_between(earliest, start - timedelta(days=1))
                roles.append((len(users) - 1, csp.pk, organisation, Role.PARTNER_OFFICER, before, start))

    # Police, fire and probation officers who also sit on a neighbouring CSP of their force area.
    csps_of_force: dict[int | None, list[int]] = defaultdict(list)
    for c in csps:
        if c.pk not in (large.pk, small.pk):
            csps_of_force[c.police_force_area_id].append(c.pk)
    area_wide = (T.POLICE, T.FIRE_AND_RESCUE, T.PROBATION)
    candidates = [
        r for r in roles if r[5] is None and r[3] == Role.PARTNER_OFFICER and gen.org_types[r[2]] in area_wide
    ]
    for user_index, home, organisation, _role, _start, _end in rng.sample(
        candidates, k=min(scale.cross_roles, len(candidates))
    ):
        options = [pk for pk in csps_of_force[force_of[home]] if pk != home and (pk, organisation) in member_start]
        if options:
            pk = rng.choice(options)
            start = gen.date_between(member_start[(pk, organisation)], ANCHOR)
            roles.append((user_index, pk, organisation, Role.PARTNER_OFFICER, start, None))

    users = User.objects.bulk_create(users, batch_size=2_000)
    manager_index = next(r[0] for r in roles if r[1] == large.pk and r[3] == Role.MANAGER)
    # The benchmark signs in once and opens both CSPs, so only the partnership differs between them.
    small_council = next(r[2] for r in roles if r[1] == small.pk and r[3] == Role.MANAGER)
    roles.append((manager_index, small.pk, small_council, Role.MANAGER, ANCHOR, None))
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                person=users[user_index],
                partnership_id=pk,
                organisation=org[organisation],
                role=role,
                start_date=start,
                end_date=end,
            )
            for user_index, pk, organisation, role, start, end in roles
        ],
        batch_size=2_000,
    )
    return Generated(large=large, small=small, manager=users[manager_index], counts=_counts(large, small))


def _counts(large: Partnership, small: Partnership) -> dict[str, int]:
    """What the database holds after generation (counted there, not from the generator's plans)."""
    counts = {
        "partnerships": Partnership.objects.count(),
        "organisations": Organisation.objects.count(),
        "organisation memberships": OrganisationMembership.objects.count(),
        "organisation memberships ended": OrganisationMembership.objects.filter(end_date__isnull=False).count(),
        "people": User.objects.count(),
        "role assignments": RoleAssignment.objects.count(),
        "role assignments ended": RoleAssignment.objects.filter(end_date__isnull=False).count(),
    }
    for csp in (large, small):
        counts[f"{csp.name}: member organisations today"] = (
            OrganisationMembership.objects.current().filter(partnership=csp).count()
        )
        counts[f"{csp.name}: people with a role today"] = (
            RoleAssignment.objects.current().filter(partnership=csp).values("person").distinct().count()
        )
    return counts
