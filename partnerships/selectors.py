"""Reads for the partnership pages, with their queries planned.

The number of queries of each function is fixed: it does not grow with the number of members,
people or child groups (asserted in tests/partnerships/test_queries.py and measured in benchmarks/).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from partnerships.models import (
    LocalAuthorityArea,
    Organisation,
    OrganisationMembership,
    Partnership,
    PartnershipKind,
    Role,
    RoleAssignment,
    Standing,
)
from partnerships.permissions import current_roles

_STANDING_PLURAL = {
    Standing.RESPONSIBLE_AUTHORITY: "Responsible authorities",
    Standing.CO_OPERATING: "Co-operating bodies",
    Standing.INVITED: "Invited partners",
}


@dataclass
class StandingGroup:
    standing: Standing
    memberships: list[OrganisationMembership]

    @property
    def heading(self) -> str:
        return _STANDING_PLURAL[self.standing]


def current_memberships(partnership: Partnership) -> QuerySet[OrganisationMembership]:
    """The partnership's member organisations today, by name."""
    return (
        OrganisationMembership.objects.current()
        .filter(partnership=partnership)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def memberships_by_standing(partnership: Partnership) -> list[StandingGroup]:
    """Current member organisations grouped by standing, responsible authorities first."""
    groups: dict[str, list[OrganisationMembership]] = defaultdict(list)
    for membership in current_memberships(partnership):
        groups[membership.standing].append(membership)
    return [StandingGroup(Standing(s), groups[s]) for s in Standing.values if groups.get(s)]


def current_people(partnership: Partnership) -> QuerySet[RoleAssignment]:
    """People holding a role in the partnership today, with the organisation they represent."""
    return (
        RoleAssignment.objects.current()
        .filter(partnership=partnership)
        .select_related("person", "organisation")
        .order_by("person__full_name", "role", "pk")
    )


def open_memberships(partnership: Partnership) -> QuerySet[OrganisationMembership]:
    """Memberships a manager can change: those not yet ended (including future ones), by name."""
    return (
        OrganisationMembership.objects.filter(partnership=partnership, end_date__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def open_roles(partnership: Partnership) -> QuerySet[RoleAssignment]:
    """Roles a manager can change: those not yet ended (including future ones), by name."""
    return (
        RoleAssignment.objects.filter(partnership=partnership, end_date__isnull=True)
        .select_related("person", "organisation")
        .order_by("person__full_name", "role", "pk")
    )


def local_authority_areas(partnership: Partnership) -> list[LocalAuthorityArea]:
    return list(partnership.local_authority_areas.order_by("name"))


def child_groups(partnership: Partnership) -> list[Partnership]:
    """Groups under the partnership, with how many organisations are members of each today."""
    today = timezone.localdate()
    current = Q(memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    return list(
        partnership.children.select_related("policing_area")
        .annotate(member_count=Count("memberships", filter=current))
        .order_by("kind", "name")
    )


@dataclass
class PolicingAreaGroup:
    name: str
    partnerships: list[Partnership] = field(default_factory=list)


def csps_by_policing_area(children: list[Partnership]) -> list[PolicingAreaGroup]:
    """A county group's CSPs (from its child groups) by local policing area, those without one last."""
    csps = [c for c in children if c.kind == PartnershipKind.CSP]
    csps.sort(key=lambda c: (c.policing_area is None, c.policing_area.name if c.policing_area else "", c.name))
    return [
        PolicingAreaGroup(name, list(items))
        for name, items in groupby(csps, key=lambda c: c.policing_area.name if c.policing_area else "No policing area")
    ]


@dataclass
class MyPartnership:
    partnership: Partnership
    roles: list[RoleAssignment]


def my_partnerships(user: Any) -> list[MyPartnership]:
    """The partnerships the user holds roles in today, each with those roles."""
    result: list[MyPartnership] = []
    for _, items in groupby(current_roles(user), key=lambda a: a.partnership_id):
        assignments = list(items)
        result.append(MyPartnership(assignments[0].partnership, assignments))
    return result


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    subject: str
    changes: list[str]


_ACTION = {"+": "Added", "~": "Changed", "-": "Deleted"}
_TRACKED = {
    "membership": ("standing", "start_date", "end_date"),
    "role": ("role", "organisation_id", "start_date", "end_date"),
}


def _display(model: Any, field_name: str, value: Any, names: dict[int, str]) -> str:
    if value in (None, ""):
        return "none"
    if field_name == "organisation_id":
        return names.get(value, str(value))
    choices = dict(model._meta.get_field(field_name).flatchoices)
    if value in choices:
        return str(choices[value])
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(value)


def _changes(model: Any, fields: tuple[str, ...], record: Any, previous: Any, names: dict[int, str]) -> list[str]:
    if record.history_type != "~" or previous is None:
        return []
    lines = []
    for name in fields:
        old, new = getattr(previous, name), getattr(record, name)
        if old != new:
            label = model._meta.get_field(name.removesuffix("_id")).verbose_name
            lines.append(f"{label}: {_display(model, name, old, names)} → {_display(model, name, new, names)}")
    return lines


def _entries(model: Any, records: list[Any], fields: tuple[str, ...], subject: Any) -> list[HistoryEntry]:
    """History entries for one model, each compared with the record before it of the same row.

    Records are paired in memory (not with simple-history's prev_record, one query per record).
    """
    names = {r.organisation_id: r.organisation.name for r in records}
    previous: dict[int, Any] = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "The portal",
                action=_ACTION[record.history_type],
                subject=subject(record),
                changes=_changes(model, fields, record, previous.get(record.id), names),
            )
        )
        previous[record.id] = record
    return entries


def membership_history(partnership: Partnership, *, limit: int = 1000) -> list[HistoryEntry]:
    """Every recorded change to the partnership's memberships and roles, newest first (two queries)."""
    membership_records = list(
        OrganisationMembership.history.filter(partnership_id=partnership.pk)
        .select_related("history_user", "organisation")
        .order_by("-history_date")[:limit]
    )
    role_records = list(
        RoleAssignment.history.filter(partnership_id=partnership.pk)
        .select_related("history_user", "organisation", "person")
        .order_by("-history_date")[:limit]
    )
    entries = _entries(
        OrganisationMembership,
        membership_records,
        _TRACKED["membership"],
        lambda r: f"{r.organisation.name} ({Standing(r.standing).label.lower()})",
    ) + _entries(
        RoleAssignment,
        role_records,
        _TRACKED["role"],
        lambda r: f"{r.person}, {Role(r.role).label.lower()} for {r.organisation.name}",
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def organisation_choices() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")
