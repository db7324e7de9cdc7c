"""Every change to partnerships, organisations, memberships and roles goes through these functions.

Each runs in one transaction, checks its rules, and records who made the change: the actor is set as
the history user of every row it writes (django-simple-history), so the membership history page and
the admin show who and when. Invalid requests raise ValidationError keyed by form field name.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from csp_portal.history import save_as
from partnerships.models import (
    LocalAuthorityArea,
    Organisation,
    OrganisationMembership,
    Partnership,
    PartnershipKind,
    PoliceForceArea,
    Role,
    RoleAssignment,
    Standing,
    User,
)

# --- Organisation memberships -------------------------------------------------------------------


def membership_add(
    *,
    actor: User | None,
    partnership: Partnership,
    organisation: Organisation,
    standing: str,
    start_date: date,
) -> OrganisationMembership:
    """Make an organisation a member of a partnership with a standing from a date."""
    if standing not in Standing.values:
        raise ValidationError({"standing": "Select the organisation's standing in the partnership"})
    with transaction.atomic():
        if OrganisationMembership.objects.filter(
            partnership=partnership, organisation=organisation, end_date__isnull=True
        ).exists():
            raise ValidationError({"organisation": f"{organisation} is already a member of {partnership}"})
        membership = OrganisationMembership(
            partnership=partnership, organisation=organisation, standing=standing, start_date=start_date
        )
        save_as(membership, actor)
    return membership


def membership_change_standing(
    *, actor: User | None, membership: OrganisationMembership, standing: str
) -> OrganisationMembership:
    """Change an organisation's standing in a partnership (e.g. invited partner → co-operating body)."""
    if standing not in Standing.values:
        raise ValidationError({"standing": "Select the organisation's standing in the partnership"})
    if membership.end_date is not None:
        raise ValidationError("This membership has ended and cannot be changed")
    with transaction.atomic():
        membership.standing = standing
        save_as(membership, actor)
    return membership


def membership_end(*, actor: User | None, membership: OrganisationMembership, end_date: date) -> OrganisationMembership:
    """End an organisation's membership, and the roles of the people who represent it there."""
    if membership.end_date is not None:
        raise ValidationError("This membership has already ended")
    if end_date < membership.start_date:
        raise ValidationError(
            {"end_date": f"End date must be on or after the start date, {membership.start_date:%-d %B %Y}"}
        )
    with transaction.atomic():
        membership.end_date = end_date
        save_as(membership, actor)
        open_roles = RoleAssignment.objects.select_for_update().filter(
            partnership=membership.partnership, organisation=membership.organisation, end_date__isnull=True
        )
        for assignment in open_roles:
            assignment.end_date = max(end_date, assignment.start_date)
            save_as(assignment, actor)
    return membership


# --- People and roles -----------------------------------------------------------------------------


def person_invite(*, actor: User | None, email: str, full_name: str, job_title: str = "") -> User:
    """Create a person who signs in by email; they set their password from an emailed link."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"A person with the email address {email} already exists"})
    if not full_name.strip():
        raise ValidationError({"full_name": "Enter the person's full name"})
    with transaction.atomic():
        person = User(email=email, full_name=full_name.strip(), job_title=job_title.strip())
        person.set_unusable_password()
        save_as(person, actor)
        transaction.on_commit(lambda: _send_invitation(person.email))
    return person


def _send_invitation(email: str) -> None:
    # Django's password-reset machinery sends the set-your-password link; its default skips people
    # without a usable password, which is exactly who an invitation is for.
    form = _InvitationForm(data={"email": email})
    if form.is_valid():
        form.save(
            domain_override=settings.PORTAL_DOMAIN,
            use_https=settings.PORTAL_USE_HTTPS,
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
        )


def users_for_password_link(email: str) -> Iterable[User]:
    """Active people with this email, including invited ones who have not set a password yet."""
    return User.objects.filter(email__iexact=email, is_active=True)


class _InvitationForm(PasswordResetForm):
    def get_users(self, email: str) -> Iterable[Any]:
        return users_for_password_link(email)


def role_grant(
    *,
    actor: User | None,
    partnership: Partnership,
    person: User,
    organisation: Organisation,
    role: str,
    start_date: date,
) -> RoleAssignment:
    """Give a person a role in a partnership, for an organisation that is a current member of it."""
    if role not in Role.values:
        raise ValidationError({"role": "Select the person's role in the partnership"})
    if role == Role.COUNTY_MEMBER and partnership.kind != PartnershipKind.COUNTY_GROUP:
        raise ValidationError({"role": "County group member is a role in a county group only"})
    with transaction.atomic():
        if (
            not OrganisationMembership.objects.current(start_date)
            .filter(partnership=partnership, organisation=organisation)
            .exists()
        ):
            raise ValidationError(
                {"organisation": f"{organisation} is not a member of {partnership} on {start_date:%-d %B %Y}"}
            )
        if RoleAssignment.objects.filter(
            person=person, partnership=partnership, organisation=organisation, role=role, end_date__isnull=True
        ).exists():
            raise ValidationError({"role": f"{person} is already {Role(role).label.lower()} for {organisation}"})
        assignment = RoleAssignment(
            person=person, partnership=partnership, organisation=organisation, role=role, start_date=start_date
        )
        save_as(assignment, actor)
    return assignment


def role_add_person(
    *,
    actor: User | None,
    partnership: Partnership,
    email: str,
    full_name: str,
    job_title: str,
    organisation: Organisation,
    role: str,
    start_date: date,
) -> RoleAssignment:
    """Give a role to a person found by email, inviting them first if they are new; all or nothing."""
    with transaction.atomic():
        person = User.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            person = person_invite(actor=actor, email=email, full_name=full_name, job_title=job_title)
        return role_grant(
            actor=actor,
            partnership=partnership,
            person=person,
            organisation=organisation,
            role=role,
            start_date=start_date,
        )


def role_change(*, actor: User | None, assignment: RoleAssignment, role: str) -> RoleAssignment:
    """Change the role a person holds (the history keeps the role they held before)."""
    if role not in Role.values:
        raise ValidationError({"role": "Select the person's role in the partnership"})
    if assignment.end_date is not None:
        raise ValidationError("This role has ended and cannot be changed")
    if role == Role.COUNTY_MEMBER and assignment.partnership.kind != PartnershipKind.COUNTY_GROUP:
        raise ValidationError({"role": "County group member is a role in a county group only"})
    with transaction.atomic():
        duplicate = (
            RoleAssignment.objects.filter(
                person=assignment.person_id,
                partnership=assignment.partnership_id,
                organisation=assignment.organisation_id,
                role=role,
                end_date__isnull=True,
            )
            .exclude(pk=assignment.pk)
            .exists()
        )
        if duplicate:
            raise ValidationError({"role": f"{assignment.person} already holds that role"})
        assignment.role = role
        save_as(assignment, actor)
    return assignment


def role_end(*, actor: User | None, assignment: RoleAssignment, end_date: date) -> RoleAssignment:
    """End a person's role in a partnership on a date."""
    if assignment.end_date is not None:
        raise ValidationError("This role has already ended")
    if end_date < assignment.start_date:
        raise ValidationError(
            {"end_date": f"End date must be on or after the start date, {assignment.start_date:%-d %B %Y}"}
        )
    with transaction.atomic():
        assignment.end_date = end_date
        save_as(assignment, actor)
    return assignment


# --- The national registry ------------------------------------------------------------------------

REGISTRY_COLUMNS = ("LAD24CD", "LAD24NM", "CSP24CD", "CSP24NM", "PFA24CD", "PFA24NM")


@dataclass(frozen=True)
class RegistrySummary:
    rows: int
    police_force_areas: int
    districts: int
    partnerships_created: int
    partnerships_updated: int


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:150] or "partnership"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def registry_import(*, path: Path, actor: User | None = None) -> RegistrySummary:
    """Load or refresh the ONS register of CSPs (LAD → CSP → police force area); all or nothing."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REGISTRY_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ValidationError(f"{path.name}: header is missing column(s) {', '.join(missing)}")
            rows = list(reader)
    except UnicodeDecodeError as error:
        raise ValidationError(f"{path.name}: not UTF-8 text; save it as CSV UTF-8") from error
    for number, row in enumerate(rows, start=2):
        for column in REGISTRY_COLUMNS:
            if not (row.get(column) or "").strip():
                raise ValidationError(f"{path.name}, row {number}: column {column} is empty")

    with transaction.atomic():
        forces: dict[str, PoliceForceArea] = {}
        for row in rows:
            code = row["PFA24CD"].strip()
            if code not in forces:
                forces[code], _ = PoliceForceArea.objects.update_or_create(
                    code=code, defaults={"name": row["PFA24NM"].strip()}
                )
        districts: dict[str, LocalAuthorityArea] = {}
        for row in rows:
            districts[row["LAD24CD"].strip()], _ = LocalAuthorityArea.objects.update_or_create(
                code=row["LAD24CD"].strip(),
                defaults={"name": row["LAD24NM"].strip(), "police_force_area": forces[row["PFA24CD"].strip()]},
            )
        by_csp: dict[str, list[dict[str, str]]] = {}
        for row in rows:
            by_csp.setdefault(row["CSP24CD"].strip(), []).append(row)

        taken = set(Partnership.objects.values_list("slug", flat=True))
        existing = {p.ons_code: p for p in Partnership.objects.filter(ons_code__in=by_csp)}
        created = updated = 0
        for code, csp_rows in by_csp.items():
            name = csp_rows[0]["CSP24NM"].strip()
            force = forces[csp_rows[0]["PFA24CD"].strip()]
            partnership = existing.get(code)
            if partnership is None:
                partnership = Partnership(
                    kind=PartnershipKind.CSP, ons_code=code, name=name, slug=_unique_slug(name, taken)
                )
                created += 1
            elif partnership.name != name or partnership.police_force_area_id != force.pk:
                updated += 1
            else:
                # Unchanged: no write, so a refresh leaves no empty history records behind.
                partnership.local_authority_areas.set([districts[r["LAD24CD"].strip()] for r in csp_rows])
                continue
            partnership.name = name
            partnership.police_force_area = force
            save_as(partnership, actor)
            partnership.local_authority_areas.set([districts[r["LAD24CD"].strip()] for r in csp_rows])
    return RegistrySummary(
        rows=len(rows),
        police_force_areas=len(forces),
        districts=len(districts),
        partnerships_created=created,
        partnerships_updated=updated,
    )
