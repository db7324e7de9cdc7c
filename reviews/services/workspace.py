"""The review's working parts: the panel (whose members are granted access), the agencies and their
reports, the family contact log, documents (checked, stored outside the web root) and the access log."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from csp_portal.history import save_as
from partnerships.models import Organisation, User
from reviews.choices import AccessKind, Consent, ContactMethod, DocumentKind, PanelRole, YesNoUnknown
from reviews.models import AccessLogEntry, Agency, FamilyContact, PanelMember, Review, ReviewDocument
from reviews.permissions import ReviewAccess, forget_review_scope


def _not_future(errors: dict[str, str], name: str, value: date | None, label: str) -> None:
    if value is not None and value > timezone.localdate():
        errors[name] = f"{label} must be today or in the past"


# --- Panel -----------------------------------------------------------------------------------------


def panel_member_add(
    *,
    actor: User,
    review: Review,
    person: User | None,
    name: str,
    organisation: Organisation | None,
    panel_role: str,
    independent: bool,
    independence_note: str,
    appointed_on: date,
) -> PanelMember:
    """Appoint a panel member. One with a portal account can open this review (and no other) from now."""
    errors: dict[str, str] = {}
    if person is None and not name.strip():
        errors["name"] = "Enter the member's name, or the email address of their portal account"
    if person is not None and not person.is_active:
        errors["person"] = "This portal account is switched off"
    if panel_role not in PanelRole.values:
        errors["panel_role"] = "Select the member's role on the panel"
    _not_future(errors, "appointed_on", appointed_on, "The appointment date")
    if appointed_on < review.notified_on:
        errors["appointed_on"] = "The appointment cannot be before the notification"
    if person is not None and review.panel.active().filter(person=person).exists():
        errors["person"] = f"{person} is already on this review's panel"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        member = PanelMember(
            review=review,
            person=person,
            name="" if person is not None else name.strip(),
            organisation=organisation,
            panel_role=panel_role,
            independent=independent,
            independence_note=independence_note.strip(),
            appointed_on=appointed_on,
        )
        save_as(member, actor)
    if person is not None:
        forget_review_scope(person)
    return member


def panel_member_end(*, actor: User, member: PanelMember, ended_on: date) -> PanelMember:
    """End an appointment: the member loses access to the review at once."""
    if member.ended_on is not None:
        raise ValidationError("This appointment has already ended")
    if ended_on < member.appointed_on:
        raise ValidationError({"ended_on": f"The end date must be on or after {member.appointed_on:%-d %B %Y}"})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "The end date must be today or in the past"})
    member.ended_on = ended_on
    save_as(member, actor)
    if member.person is not None:
        forget_review_scope(member.person)
    return member


# --- Agencies --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyFields:
    asked_on: date | None = None
    had_contact: str = YesNoUnknown.UNKNOWN
    imr_requested_on: date | None = None
    imr_due_on: date | None = None
    imr_received_on: date | None = None
    chronology_requested_on: date | None = None
    chronology_due_on: date | None = None
    chronology_received_on: date | None = None
    notes: str = ""


def _check_agency(fields: AgencyFields) -> None:
    errors: dict[str, str] = {}
    if fields.had_contact not in YesNoUnknown.values:
        errors["had_contact"] = "Select whether the agency had contact"
    for name, label in (
        ("asked_on", "The date the agency was asked"),
        ("imr_requested_on", "The IMR request date"),
        ("imr_received_on", "The date the IMR was received"),
        ("chronology_requested_on", "The chronology request date"),
        ("chronology_received_on", "The date the chronology was received"),
    ):
        _not_future(errors, name, getattr(fields, name), label)
    for report in ("imr", "chronology"):
        requested = getattr(fields, f"{report}_requested_on")
        label = "IMR" if report == "imr" else "chronology"
        for suffix in ("due_on", "received_on"):
            value = getattr(fields, f"{report}_{suffix}")
            if value is not None and requested is None:
                errors.setdefault(f"{report}_requested_on", f"Enter when the {label} was requested")
            elif value is not None and requested is not None and value < requested:
                errors[f"{report}_{suffix}"] = f"This date must be on or after the {label} was requested"
    if errors:
        raise ValidationError(errors)


def agency_save(
    *, actor: User, review: Review, agency: Agency | None, organisation: Organisation | None, fields: AgencyFields
) -> Agency:
    """Add an agency to the review (organisation required) or update its reports' dates."""
    _check_agency(fields)
    if agency is None:
        if organisation is None:
            raise ValidationError({"organisation": "Select the agency"})
        if review.agencies.filter(organisation=organisation).exists():
            raise ValidationError({"organisation": f"{organisation} is already one of this review's agencies"})
        agency = Agency(review=review, organisation=organisation)
    for name, value in vars(fields).items():
        setattr(agency, name, value.strip() if isinstance(value, str) else value)
    save_as(agency, actor)
    return agency


# --- Family and friends ----------------------------------------------------------------------------


def family_contact_add(
    *,
    actor: User,
    review: Review,
    contacted_on: date,
    contact: str,
    method: str,
    consent: str,
    advocate: str = "",
    summary: str = "",
) -> FamilyContact:
    errors: dict[str, str] = {}
    _not_future(errors, "contacted_on", contacted_on, "The date of contact")
    if not contact.strip():
        errors["contact"] = "Enter who was contacted, by relationship or pseudonym"
    if method not in ContactMethod.values:
        errors["method"] = "Select how they were contacted"
    if consent not in Consent.values:
        errors["consent"] = "Select their consent"
    if errors:
        raise ValidationError(errors)
    entry = FamilyContact(
        review=review,
        contacted_on=contacted_on,
        contact=contact.strip(),
        method=method,
        consent=consent,
        advocate=advocate.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    save_as(entry, actor)
    return entry


# --- Documents -------------------------------------------------------------------------------------

# The document types accepted, by extension: the content type they are served with and how their
# first bytes must look (a renamed executable or web page is refused).
ZIP_MAGIC = b"PK\x03\x04"
ALLOWED_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP_MAGIC),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP_MAGIC),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP_MAGIC),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP_MAGIC),
    ".txt": ("text/plain; charset=utf-8", None),
}
ALLOWED_DESCRIPTION = "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods) or plain text (.txt)"


def _check_file(upload: UploadedFile) -> tuple[str, str]:
    """The file's clean name and content type, or a ValidationError naming the problem."""
    name = os.path.basename(upload.name or "").strip()
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED_TYPES:
        raise ValidationError({"file": f"The file must be {ALLOWED_DESCRIPTION}"})
    limit = settings.REVIEW_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError({"file": f"The file must be smaller than {limit // (1024 * 1024)} MB"})
    if upload.size == 0:
        raise ValidationError({"file": "The file is empty"})
    content_type, magic = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if magic is not None and not head.startswith(magic):
        raise ValidationError({"file": f"The file is not a real {extension} file"})
    if magic is None and b"\x00" in head:
        raise ValidationError({"file": "The file is not a plain text file"})
    return name[:200], content_type


def document_upload(
    *,
    actor: User,
    review: Review,
    access: ReviewAccess,
    kind: str,
    agency: Agency | None,
    title: str,
    upload: UploadedFile,
) -> ReviewDocument:
    """Store a document under the private root. Versions count up per kind (and agency)."""
    errors: dict[str, str] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = "Select the type of document"
    if not title.strip():
        errors["title"] = "Enter a title for the document"
    if agency is not None and agency.review_id != review.pk:
        errors["agency"] = "Select one of this review's agencies"
    if kind in (DocumentKind.IMR, DocumentKind.CHRONOLOGY) and agency is None:
        errors["agency"] = "Select the agency whose report this is"
    if errors:
        raise ValidationError(errors)
    if not access.can_upload(kind, agency.organisation_id if agency else None):
        raise ValidationError({"kind": "You can upload only your own agency's IMR and chronology"})
    name, content_type = _check_file(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).first()
        latest = review.documents.filter(kind=kind, agency=agency).aggregate(v=Max("version"))["v"] or 0
        document = ReviewDocument(
            review=review,
            kind=kind,
            agency=agency,
            title=title.strip(),
            version=latest + 1,
            original_name=name,
            content_type=content_type,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        document.file.save(name, upload, save=False)
        try:
            save_as(document, actor)
        except Exception:
            document.file.delete(save=False)
            raise
    return document


# --- Access log ------------------------------------------------------------------------------------


def log_access(
    *, review: Review, person: User, kind: str = AccessKind.VIEWED, page: str, document: ReviewDocument | None = None
) -> AccessLogEntry:
    """Record that someone viewed a page of the review or downloaded one of its documents."""
    return AccessLogEntry.objects.create(review=review, person=person, kind=kind, page=page[:200], document=document)
