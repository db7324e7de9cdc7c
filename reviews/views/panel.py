"""A review's panel, agencies, family and friends contact log, documents and access log.

Every page goes through reviews.views.common: 404 to anyone who may not see the review, the second
factor, then the need ("view", "edit", "manage"). Changes go through reviews.services.workspace.
Documents are served only by `document_download`, which records the download in the access log (one
"downloaded" entry, not a page view as well) and sends the file as an attachment that browsers do not
sniff or keep.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.views.decorators.http import require_GET

from partnerships.forms import posted
from partnerships.models import Organisation, OrganisationMembership, User
from reviews.choices import AccessKind, DocumentKind, YesNoUnknown
from reviews.clock import Deadline
from reviews.forms.panel import (
    AccessLogFilterForm,
    AgencyForm,
    DocumentUploadForm,
    FamilyContactForm,
    PanelEndForm,
    PanelMemberForm,
)
from reviews.models import AccessLogEntry, Agency, Review, ReviewDocument
from reviews.permissions import ReviewAccess, get_document_for_user
from reviews.services import workspace as services
from reviews.views.common import (
    GET_AND_POST,
    actor,
    form_page,
    page_of,
    query_without,
    review_page,
    review_url,
    reviews_area,
    workspace_context,
)

FORM_TEMPLATE = "reviews/form.html"


def _context(review: Review, access: ReviewAccess, tab: str, **extra: Any) -> dict[str, Any]:
    """The workspace's context, with whether the review is paused (its heading shows a tag)."""
    paused = review.pauses.filter(ended_on__isnull=True).exists()
    return {**workspace_context(review, access, tab), "paused": paused, **extra}


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """A service's error with its field keys renamed to the form's (the service's "person" is "email")."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(key, key): value for key, value in error.error_dict.items()})


# --- Panel ------------------------------------------------------------------------------------------


@review_page("view")
@require_GET
def panel_list(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    members = review.panel.select_related("person", "organisation").order_by(
        F("ended_on").desc(nulls_first=True), "panel_role", "name", "person__full_name", "pk"
    )
    return render(request, "reviews/panel/panel_list.html", _context(review, access, "panel", members=members))


def _panel_organisations(review: Review) -> QuerySet[Organisation]:
    """The commissioning partnerships' member organisations and those already on the review."""
    partnership_ids = [review.partnership_id, *review.co_commissioners.values_list("pk", flat=True)]
    members = OrganisationMembership.objects.current().filter(partnership_id__in=partnership_ids)
    return Organisation.objects.filter(
        Q(pk__in=members.values("organisation_id"))
        | Q(pk__in=review.agencies.values("organisation_id"))
        | Q(pk__in=review.panel.exclude(organisation=None).values("organisation_id"))
    ).order_by("name")


@review_page("manage")
@GET_AND_POST
def panel_add(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    form = PanelMemberForm(
        posted(request), organisations=_panel_organisations(review), initial={"appointed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.panel_member_add(
                actor=actor(request),
                review=review,
                person=data["email"],
                name=data["name"],
                organisation=data["organisation"],
                panel_role=data["panel_role"],
                independent=data["independent"],
                independence_note=data["independence_note"],
                appointed_on=data["appointed_on"],
            )
        except ValidationError as error:
            form.add_service_errors(_renamed(error, {"person": "email"}))
        else:
            messages.success(request, f"{member.display_name} appointed to the panel")
            return redirect(review_url(review, "panel"))
    return form_page(
        request,
        FORM_TEMPLATE,
        form,
        **_context(review, access, "panel"),
        title="Appoint a panel member",
        explanation=(
            "A member with a portal account can open this review, and no other review, from the day you "
            "appoint them. They must set up a second factor (an authenticator app) before they can open it. "
            "Members without an account are listed by name only."
        ),
    )


@review_page("manage")
@GET_AND_POST
def panel_end(request: HttpRequest, review: Review, access: ReviewAccess, member_pk: int) -> HttpResponse:
    member = get_object_or_404(review.panel.select_related("person", "organisation"), pk=member_pk)
    if member.ended_on is not None:
        messages.success(request, f"{member.display_name}'s appointment ended on {member.ended_on:%-d %B %Y}")
        return redirect(review_url(review, "panel"))
    form = PanelEndForm(posted(request), initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_member_end(actor=actor(request), member=member, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{member.display_name}'s appointment has ended")
            return redirect(review_url(review, "panel"))
    return form_page(
        request,
        FORM_TEMPLATE,
        form,
        **_context(review, access, "panel"),
        title=f"End {member.display_name}'s appointment",
        explanation=f"{member.get_panel_role_display()}, appointed on {member.appointed_on:%-d %B %Y}.",
        warning="They can no longer open this review once the appointment ends." if member.person_id else "",
    )


# --- Agencies ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportStatus:
    """An agency's IMR or chronology: its dates and where it stands, in words and as a tag."""

    requested_on: date | None
    due_on: date | None
    received_on: date | None
    tag: str
    tag_class: str
    status: str


def report_status(
    requested_on: date | None, due_on: date | None, received_on: date | None, today: date
) -> ReportStatus:
    deadline = Deadline("", due_on, received_on) if due_on and requested_on else None
    if received_on is not None:
        status = deadline.status(today) if deadline else f"Received on {received_on:%-d %B %Y}"
        return ReportStatus(requested_on, due_on, received_on, "Received", "govuk-tag--green", status)
    if requested_on is None:
        return ReportStatus(requested_on, due_on, received_on, "Not requested", "govuk-tag--grey", "")
    if deadline is None:
        return ReportStatus(requested_on, due_on, received_on, "Requested", "govuk-tag--blue", "No due date set")
    if deadline.is_overdue(today):
        return ReportStatus(requested_on, due_on, received_on, "Overdue", "govuk-tag--red", deadline.status(today))
    return ReportStatus(requested_on, due_on, received_on, "Requested", "govuk-tag--blue", deadline.status(today))


@dataclass(frozen=True)
class AgencyRow:
    agency: Agency
    imr: ReportStatus
    chronology: ReportStatus


@review_page("view")
@require_GET
def agency_list(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    today = timezone.localdate()
    rows = [
        AgencyRow(
            agency=agency,
            imr=report_status(agency.imr_requested_on, agency.imr_due_on, agency.imr_received_on, today),
            chronology=report_status(
                agency.chronology_requested_on, agency.chronology_due_on, agency.chronology_received_on, today
            ),
        )
        for agency in review.agencies.select_related("organisation")
    ]
    return render(request, "reviews/panel/agency_list.html", _context(review, access, "agencies", rows=rows))


AGENCY_FIELDS = [field.name for field in fields(services.AgencyFields)]


@review_page("edit")
@GET_AND_POST
def agency_edit(
    request: HttpRequest, review: Review, access: ReviewAccess, agency_pk: int | None = None
) -> HttpResponse:
    agency = None
    organisations: QuerySet[Organisation] | None = None
    if agency_pk is not None:
        agency = get_object_or_404(review.agencies.select_related("organisation"), pk=agency_pk)
        initial: dict[str, Any] = {name: getattr(agency, name) for name in AGENCY_FIELDS}
    else:
        organisations = Organisation.objects.exclude(pk__in=review.agencies.values("organisation_id")).order_by("name")
        initial = {"had_contact": YesNoUnknown.UNKNOWN}
    form = AgencyForm(posted(request), organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.agency_save(
                actor=actor(request),
                review=review,
                agency=agency,
                organisation=data.get("organisation"),
                fields=services.AgencyFields(**{name: data[name] for name in AGENCY_FIELDS}),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{saved.organisation.name} {'saved' if agency else 'added as an agency'}")
            return redirect(review_url(review, "agencies"))
    return form_page(
        request,
        FORM_TEMPLATE,
        form,
        **_context(review, access, "agencies"),
        title=f"Change {agency.organisation.name}" if agency else "Add an agency",
        explanation=(
            "Record when the agency was asked whether it had contact with the people in the review, and "
            "when its individual management review (IMR) and chronology were requested, are due and arrived."
        ),
    )


# --- Family and friends -----------------------------------------------------------------------------


@review_page("view")
@require_GET
def family_list(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    page = page_of(request, review.family_contacts.select_related("recorded_by"))
    return render(request, "reviews/panel/family_list.html", _context(review, access, "family", page=page))


@review_page("edit")
@GET_AND_POST
def family_add(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    form = FamilyContactForm(posted(request), initial={"contacted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.family_contact_add(
                actor=actor(request),
                review=review,
                contacted_on=data["contacted_on"],
                contact=data["contact"],
                method=data["method"],
                consent=data["consent"],
                advocate=data["advocate"],
                summary=data["summary"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Contact recorded")
            return redirect(review_url(review, "family"))
    return form_page(
        request,
        FORM_TEMPLATE,
        form,
        **_context(review, access, "family"),
        title="Record a contact with family or friends",
        warning="Name people by their relationship to the victim or by pseudonym, never by their real name.",
    )


# --- Documents --------------------------------------------------------------------------------------

KIND_ORDER = {value: position for position, value in enumerate(DocumentKind.values)}


@dataclass(frozen=True)
class DocumentGroup:
    kind: str
    label: str
    documents: list[ReviewDocument]


def _uploadable_agencies(review: Review, access: ReviewAccess) -> QuerySet[Agency]:
    """The agencies the user may upload reports for: all for editors, their own for other panel members."""
    agencies = review.agencies.select_related("organisation")
    if access.can_edit:
        return agencies
    if access.panel_role is None or access.panel_organisation_id is None:
        return agencies.none()
    return agencies.filter(organisation_id=access.panel_organisation_id)


@review_page("view")
@require_GET
def document_list(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    documents = sorted(
        review.documents.select_related("agency__organisation", "uploaded_by"),
        key=lambda d: (KIND_ORDER.get(d.kind, 99), d.agency.organisation.name if d.agency else "", -d.version),
    )
    groups: list[DocumentGroup] = []
    for document in documents:
        if not groups or groups[-1].kind != document.kind:
            groups.append(DocumentGroup(document.kind, document.get_kind_display(), []))
        groups[-1].documents.append(document)
    may_upload = access.can_edit or _uploadable_agencies(review, access).exists()
    return render(
        request,
        "reviews/panel/document_list.html",
        _context(review, access, "documents", groups=groups, may_upload=may_upload),
    )


def _upload_refusal(access: ReviewAccess) -> str:
    """Why the user cannot upload anything, or "" if they can."""
    if access.can_edit:
        return ""
    if access.panel_role is None:
        return (
            "Only the review lead, the review's independent chair, author and coordinator, and panel members "
            "for their own agency's reports can upload documents."
        )
    return (
        "Your organisation is not one of this review's agencies, so you cannot upload its reports yet. "
        "Ask the review lead to add it."
    )


@review_page("view")
@GET_AND_POST
def document_upload(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    agencies = _uploadable_agencies(review, access)
    refusal = "" if access.can_edit or agencies.exists() else _upload_refusal(access)
    limit = settings.REVIEW_UPLOAD_MAX_BYTES
    form = DocumentUploadForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        agencies=agencies,
        own_agency_only=not access.can_edit,
        limit=limit,
        initial={"agency": agencies[0].pk} if not access.can_edit and len(agencies) == 1 else None,
    )
    context = _context(review, access, "documents", title="Upload a document", refusal=refusal)
    if refusal:
        # Nothing to upload: the page explains why; a POST is refused with the same reason.
        status = 400 if request.method == "POST" else 200
        return render(request, "reviews/panel/upload.html", {**context, "form": form}, status=status)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_upload(
                actor=actor(request),
                review=review,
                access=access,
                kind=data["kind"],
                agency=data["agency"],
                title=data["title"],
                upload=data["file"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{document.title} uploaded as version {document.version}")
            return redirect(review_url(review, "documents"))
    return form_page(request, "reviews/panel/upload.html", form, **context)


@reviews_area
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    # Not through review_page: that would record a page view as well as the download.
    review, _access, document = get_document_for_user(request.user, pk, document_pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The document's file is missing") from error
    services.log_access(
        review=review, person=actor(request), kind=AccessKind.DOWNLOADED, page=request.path, document=document
    )
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A streaming response, which the page decorators' HttpResponse annotation does not cover.
    return cast(HttpResponse, response)


# --- Access log -------------------------------------------------------------------------------------

# The review's pages in words, by URL name, for the access log.
PAGE_WORDS = {
    "review": "Overview",
    "edit": "Change the case details",
    "step": "Record a step",
    "pause": "Pause the review",
    "resume": "Resume the review",
    "takedown": "Record the take-down",
    "history": "History",
    "panel": "Panel",
    "panel_add": "Appoint a panel member",
    "panel_end": "End a panel appointment",
    "agencies": "Agencies",
    "agency_add": "Add an agency",
    "agency_edit": "Change an agency",
    "family": "Family and friends",
    "family_add": "Record a family contact",
    "documents": "Documents",
    "document_upload": "Upload a document",
    "access_log": "Access log",
    "recommendations": "Recommendations",
    "recommendation_add": "Add a recommendation",
    "recommendation": "A recommendation",
    "recommendation_edit": "Change a recommendation",
    "recommendation_progress": "Report progress on a recommendation",
    "recommendation_status": "Change a recommendation's status",
}


def describe_entry(entry: AccessLogEntry) -> str:
    """What was seen: the page in words (or its address), or the document's title and version."""
    if entry.kind == AccessKind.DOWNLOADED:
        document = entry.document
        return f"{document.title} v{document.version}" if document else "A document since deleted"
    try:
        match = resolve(entry.page)
    except Resolver404:
        return entry.page
    if match.namespace != "reviews" or match.url_name not in PAGE_WORDS:
        return entry.page
    return PAGE_WORDS[match.url_name]


@review_page("manage")
@require_GET
def access_log(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    people = User.objects.filter(pk__in=review.access_log.values("person_id")).order_by("full_name", "email")
    form = AccessLogFilterForm(request.GET, people=people)
    entries = review.access_log.select_related("person", "document")
    person = form.value("person")
    kind = form.value("kind")
    if person is not None:
        entries = entries.filter(person=person)
    if kind:
        entries = entries.filter(kind=kind)
    page = page_of(request, entries)
    rows = [(entry, describe_entry(entry)) for entry in page.object_list]
    return render(
        request,
        "reviews/panel/access_log.html",
        _context(
            review,
            access,
            "access_log",
            form=form,
            page=page,
            rows=rows,
            filtered=bool(person or kind),
            query=query_without(request, "page"),
        ),
    )
