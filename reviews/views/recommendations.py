"""A review's recommendations, tracked to closure like actions, and the outstanding report across reviews.

The machinery is the action plans': progress reports (actionplans.models.ProgressReport) checked by
actionplans.services.check_progress, RAG flags from actionplans.selectors.rag_flags, the RAG tags and the
progress form. A save made from a page someone else has since changed is refused (StaleEdit): the form
comes back with status 409 and both versions.

The outstanding report is a partnership's page, not one review's: people who may open reviews see the
open recommendations of the reviews they can open; those who may know how many reviews there are
(managers, chair, scrutiny and county members, administrators) see counts per CSP and nothing more.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from actionplans.selectors import RAG_LABELS, RAG_MEANINGS, quarter_start, rag_counts
from actionplans.services import StaleEdit
from csp_portal.pages import form_status
from partnerships.forms import posted
from partnerships.models import Organisation, OrganisationMembership, PartnershipKind, Role, RoleAssignment, User
from partnerships.permissions import get_partnership_for_user
from reviews import permissions
from reviews.choices import RecommendationScope, RecommendationStatus
from reviews.forms.recommendations import (
    RecommendationFilterForm,
    RecommendationForm,
    RecommendationProgressForm,
    RecommendationStatusForm,
)
from reviews.models import Recommendation, Review
from reviews.permissions import ReviewAccess
from reviews.selectors import outstanding_recommendations, review_counts, with_recommendation_flags
from reviews.services.recommendations import (
    PROGRESS_STATUSES,
    RecommendationFields,
    recommendation_create,
    recommendation_record_progress,
    recommendation_set_status,
    recommendation_update,
)
from reviews.views.common import (
    GET_AND_POST,
    actor,
    needs_second_factor,
    page_of,
    query_without,
    review_page,
    review_url,
    second_factor_redirect,
    workspace_context,
)

FORM_TEMPLATE = "reviews/recommendations/form.html"
OVERDUE_RULE = "The target date has passed and the recommendation is still open."


def _day(value: Any) -> str:
    return f"{value:%-d %B %Y}" if value else "none"


def _context(review: Review, access: ReviewAccess, **extra: Any) -> dict[str, Any]:
    """The workspace layout's context on the recommendations tab, with whether the review is paused."""
    paused = review.pauses.filter(ended_on__isnull=True).exists()
    return {**workspace_context(review, access, "recommendations"), "paused": paused, **extra}


def _rag_context() -> dict[str, Any]:
    return {
        "rag_meanings": RAG_MEANINGS,
        "quarter_start": quarter_start(timezone.localdate()),
        "item": "recommendation",
        "overdue_rule": OVERDUE_RULE,
    }


def _recommendation(review: Review, rec_pk: int) -> Any:
    """One of the review's recommendations with its flags; another review's id is a 404."""
    recommendation = (
        with_recommendation_flags(
            Recommendation.objects.filter(review=review, pk=rec_pk).select_related("lead_organisation", "lead_officer")
        )
    ).first()
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


def _recommendation_url(recommendation: Recommendation, anchor: str = "") -> str:
    url = review_url(recommendation.review_id, "recommendation", rec_pk=recommendation.pk)
    return f"{url}#{anchor}" if anchor else url


def _form_page(
    request: HttpRequest, review: Review, access: ReviewAccess, form: Any, *, stale: bool = False, **context: Any
) -> HttpResponse:
    return render(
        request,
        FORM_TEMPLATE,
        {**_context(review, access), "form": form, **context},
        status=form_status(form, stale=stale),
    )


def _who_changed(recommendation: Recommendation) -> str:
    """Who saved the recommendation last and when, for the stale-edit message (everyone here may know)."""
    record = (
        Recommendation.history.filter(id=recommendation.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        return ""
    when = f"{timezone.localtime(record.history_date):%-I:%M%p on %-d %B %Y}".replace("AM", "am").replace("PM", "pm")
    return f"Saved by {record.history_user} at {when}" if record.history_user else f"Saved at {when}"


# --- A review's recommendations ---------------------------------------------------------------------------


@review_page("view")
def recommendation_list(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    """The review's recommendations: counts by RAG, a status filter, and the table with flags."""
    form = RecommendationFilterForm(request.GET or None)
    status = form.value()
    items = with_recommendation_flags(review.recommendations.select_related("lead_organisation", "lead_officer"))
    if status:
        items = items.filter(status=status)
    counts = rag_counts(items)
    page = page_of(request, items.order_by(Length("number"), "number", "pk"))
    context = _context(
        review,
        access,
        form=form,
        page=page,
        query=query_without(request, "page"),
        filtered=bool(status),
        rag_rows=[(key, counts[key]) for key in RAG_LABELS],
        can_add=access.can_edit and not review.is_closed,
        **_rag_context(),
    )
    return render(request, "reviews/recommendations/list.html", context)


@review_page("view")
def recommendation_detail(request: HttpRequest, review: Review, access: ReviewAccess, rec_pk: int) -> HttpResponse:
    """One recommendation: its details, status and reason, flags and progress timeline."""
    recommendation = _recommendation(review, rec_pk)
    context = _context(
        review,
        access,
        recommendation=recommendation,
        timeline=list(recommendation.updates.select_related("author")),
        can_update=permissions.can_update_recommendation(access, recommendation, request.user)
        and recommendation.status in PROGRESS_STATUSES,
        can_edit=access.can_edit and not review.is_closed,
        can_change_status=access.can_edit,
        **_rag_context(),
    )
    return render(request, "reviews/recommendations/detail.html", context)


# --- Adding and changing recommendations (the review's editors) -------------------------------------------


def lead_officers(review: Review) -> dict[User, str]:
    """People who may lead the review's recommendations, each with why: the panel members with accounts,
    and the commissioning partnerships' review leads, managers and chairs whom reviews.permissions lets
    open the review (a manager does not, where the partnership has a review lead)."""
    commissioners = {review.partnership_id, *review.co_commissioners.values_list("pk", flat=True)}
    people: dict[int, User] = {}
    described: dict[int, str] = {}
    panel = review.panel.active().filter(person__isnull=False).select_related("person", "organisation")
    for member in panel:
        if member.person is None:  # filtered out above; for the type checker
            continue
        people[member.person.pk] = member.person
        organisation = f", {member.organisation.name}" if member.organisation else ""
        described[member.person.pk] = f"{member.get_panel_role_display()}{organisation}"
    roles = (
        RoleAssignment.objects.current()
        .filter(partnership_id__in=commissioners, role__in=(Role.REVIEW_LEAD, Role.MANAGER, Role.CHAIR))
        .select_related("person")
        .order_by("pk")
    )
    for role in roles:
        people.setdefault(role.person_id, role.person)
        described.setdefault(role.person_id, role.get_role_display())
    # Need to know decides: only those the permissions let open this review.
    return {
        person: described[pk]
        for pk, person in people.items()
        if permissions.visible_reviews(person).filter(pk=review.pk).exists()
    }


def lead_organisations(review: Review, current: Organisation | None = None) -> QuerySet[Organisation]:
    """The partnership's member organisations, the review's agencies, and the present lead (if another)."""
    members = OrganisationMembership.objects.current().filter(partnership_id=review.partnership_id)
    ids = {
        *members.values_list("organisation_id", flat=True),
        *review.agencies.values_list("organisation_id", flat=True),
    }
    if current is not None:
        ids.add(current.pk)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def _fields(data: dict[str, Any]) -> RecommendationFields:
    return RecommendationFields(
        number=data["number"],
        text=data["text"],
        scope=data["scope"],
        addressed_to=data["addressed_to"],
        lead_organisation=data.get("lead_organisation"),
        lead_officer=data.get("lead_officer"),
        target_date=data["target_date"],
    )


def _initial(recommendation: Recommendation) -> dict[str, Any]:
    return {
        "number": recommendation.number,
        "text": recommendation.text,
        "scope": recommendation.scope,
        "addressed_to": recommendation.addressed_to,
        "lead_organisation": recommendation.lead_organisation_id,
        "lead_officer": recommendation.lead_officer_id,
        "target_date": recommendation.target_date,
        "version": recommendation.version,
    }


def _comparison(current: Recommendation, form: RecommendationForm) -> list[tuple[str, str, str]]:
    """Their version of the recommendation beside the person's input, field by field."""
    data = form.cleaned_data
    scopes = dict(RecommendationScope.choices)

    def name(value: Any, default: str = "Not named") -> str:
        return str(getattr(value, "full_name", None) or getattr(value, "name", None) or default)

    return [
        ("Number", current.number, data.get("number", "")),
        ("Recommendation", current.text, data.get("text", "")),
        ("Scope", current.get_scope_display(), scopes.get(data.get("scope", ""), "")),
        ("Addressed to", current.addressed_to, data.get("addressed_to", "")),
        ("Lead organisation", name(current.lead_organisation), name(data.get("lead_organisation"))),
        ("Lead officer", name(current.lead_officer), name(data.get("lead_officer"))),
        ("Target date", _day(current.target_date), _day(data.get("target_date"))),
    ]


@GET_AND_POST
@review_page("edit")
def recommendation_edit(
    request: HttpRequest, review: Review, access: ReviewAccess, rec_pk: int | None = None
) -> HttpResponse:
    """Add a recommendation (no rec_pk) or change one, versioned."""
    recommendation = _recommendation(review, rec_pk) if rec_pk is not None else None
    form = RecommendationForm(
        posted(request),
        organisations=lead_organisations(review, recommendation.lead_organisation if recommendation else None),
        officers=lead_officers(review),
        versioned=recommendation is not None,
        initial=_initial(recommendation) if recommendation else {},
    )
    stale: Recommendation | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if recommendation is None:
                recommendation = recommendation_create(actor=actor(request), review=review, fields=_fields(data))
                messages.success(request, f"Recommendation {recommendation.number} added")
            else:
                recommendation_update(
                    actor=actor(request), recommendation=recommendation, version=data["version"], fields=_fields(data)
                )
                messages.success(request, f"Recommendation {recommendation.number} saved")
        except StaleEdit as error:
            stale = error.current
            form.add_error(None, error.messages[0])
            form.set_version(stale.version)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect(_recommendation_url(recommendation))
    context: dict[str, Any] = {}
    if stale is not None and recommendation is not None:
        context = {"comparison": _comparison(stale, form), "changed_by": _who_changed(recommendation)}
    title = f"Change recommendation {recommendation.number}" if recommendation else "Add a recommendation"
    return _form_page(request, review, access, form, stale=stale is not None, title=title, **context)


# --- Progress (editors and the lead officer) and status (editors) --------------------------------------------


def _progress_initial(recommendation: Recommendation) -> dict[str, Any]:
    """A new report starts from today, the recommendation's status and its last RAG and percentage."""
    return {
        "reported_on": timezone.localdate(),
        "rag": recommendation.rag or None,
        "percent_complete": recommendation.percent_complete,
        "status": recommendation.status if recommendation.status in PROGRESS_STATUSES else RecommendationStatus.OPEN,
        "version": recommendation.version,
    }


def _progress_comparison(current: Recommendation, form: RecommendationProgressForm) -> list[tuple[str, str, str]]:
    data = form.cleaned_data
    latest = current.updates.order_by("-reported_on", "-created_at", "-pk").first()
    statuses = dict(RecommendationStatus.choices)
    return [
        ("RAG status", RAG_LABELS.get(current.rag, "No update"), RAG_LABELS.get(data.get("rag", ""), "")),
        ("Percentage complete", f"{current.percent_complete}%", f"{data.get('percent_complete', '')}%"),
        ("Status", current.get_status_display(), statuses.get(data.get("status", ""), "")),
        ("Date of the update", _day(current.last_update_on), _day(data.get("reported_on"))),
        ("Progress", latest.narrative if latest else "None", data.get("narrative", "")),
    ]


@GET_AND_POST
@review_page("view")
def recommendation_progress(request: HttpRequest, review: Review, access: ReviewAccess, rec_pk: int) -> HttpResponse:
    """Report progress, exactly as on an action: editors of the review and the recommendation's lead officer."""
    _, access, recommendation = permissions.get_recommendation_for_user(
        request.user, review.pk, rec_pk, for_update=True
    )
    form = RecommendationProgressForm(posted(request), initial=_progress_initial(recommendation))
    stale: Recommendation | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation_record_progress(
                actor=actor(request),
                recommendation=recommendation,
                version=data["version"],
                reported_on=data["reported_on"],
                rag=data["rag"],
                narrative=data["narrative"],
                percent_complete=data["percent_complete"],
                status=data["status"],
                evidence_links=data["evidence_links"],
            )
        except StaleEdit as error:
            stale = error.current
            form.add_error(None, error.messages[0])
            form.set_version(stale.version)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Progress update on recommendation {recommendation.number} saved")
            return redirect(_recommendation_url(recommendation, "timeline"))
    context: dict[str, Any] = {}
    if stale is not None:
        context = {"comparison": _progress_comparison(stale, form), "changed_by": _who_changed(recommendation)}
    return _form_page(
        request,
        review,
        access,
        form,
        stale=stale is not None,
        title=f"Report progress on recommendation {recommendation.number}",
        recommendation=recommendation,
        **context,
    )


@GET_AND_POST
@review_page("edit")
def recommendation_status(request: HttpRequest, review: Review, access: ReviewAccess, rec_pk: int) -> HttpResponse:
    """Complete, reopen, supersede or record as not accepted (the last two with the reason)."""
    recommendation = _recommendation(review, rec_pk)
    form = RecommendationStatusForm(
        posted(request),
        initial={
            "status": recommendation.status,
            "reason": recommendation.status_reason,
            "on": recommendation.completed_on or timezone.localdate(),
            "version": recommendation.version,
        },
    )
    stale: Recommendation | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation_set_status(
                actor=actor(request),
                recommendation=recommendation,
                version=data["version"],
                status=data["status"],
                reason=data["reason"],
                on=data["on"],
            )
        except StaleEdit as error:
            stale = error.current
            form.add_error(None, error.messages[0])
            form.set_version(stale.version)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            label = RecommendationStatus(data["status"]).label.lower()
            messages.success(request, f"Recommendation {recommendation.number} is now {label}")
            return redirect(_recommendation_url(recommendation))
    context: dict[str, Any] = {}
    if stale is not None:
        statuses = dict(RecommendationStatus.choices)
        context = {
            "comparison": [
                ("Status", stale.get_status_display(), statuses.get(form.cleaned_data.get("status", ""), "")),
                ("Reason", stale.status_reason or "None", form.cleaned_data.get("reason") or "None"),
            ],
            "changed_by": _who_changed(recommendation),
        }
    return _form_page(
        request,
        review,
        access,
        form,
        stale=stale is not None,
        title=f"Change the status of recommendation {recommendation.number}",
        recommendation=recommendation,
        **context,
    )


# --- Outstanding recommendations of a CSP's or a county's reviews ---------------------------------------------


@login_required
def outstanding(request: HttpRequest, ref: str) -> HttpResponse:
    """Rows for people who may open reviews (of the reviews they can open); counts per CSP for those who
    may know how many reviews there are; a 404 for everyone else (partner officers, other CSPs)."""
    user = request.user
    partnership = get_partnership_for_user(user, ref)
    show_rows = permissions.has_review_access(user)
    show_counts = permissions.may_see_review_counts(user, partnership)
    if not (show_rows or show_counts):
        raise Http404("No such page")
    if show_rows and needs_second_factor(request):
        return second_factor_redirect(request)
    is_county = partnership.is_county_group
    csps = list(partnership.children.filter(kind=PartnershipKind.CSP).order_by("name")) if is_county else [partnership]
    ids = [csp.pk for csp in csps]
    page = None
    if show_rows:
        reviews = permissions.visible_reviews(user).filter(partnership_id__in=ids)
        page = page_of(request, outstanding_recommendations(reviews))
    counts = review_counts(ids) if show_counts else {}
    context = {
        "partnership": partnership,
        "is_county": is_county,
        "page": page,
        "query": query_without(request, "page"),
        "count_rows": [(csp, counts[csp.pk]) for csp in csps] if show_counts else None,
        "today": timezone.localdate(),
    }
    return render(request, "reviews/recommendations/outstanding.html", context)
