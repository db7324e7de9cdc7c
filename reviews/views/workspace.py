"""The review workspace: the list of reviews, a new notification, the deadline rules, a review's overview
(clock, deadlines, stages, next steps), its case details, each step of the statutory process, pauses,
the take-down and the history of changes.

Every step of the process is one generic page (`review_step`) driven by the STEPS registry: the stage it
moves the review to, the stages it is taken from, its form and the service function that makes it.
The forms name their fields as the service's arguments, so nothing is copied field by field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from actionplans.services import StaleEdit
from partnerships.forms import posted
from partnerships.models import Organisation, OrganisationMembership, Partnership, PartnershipKind
from partnerships.permissions import get_partnership_for_user
from reviews.choices import QaOutcome, Stage
from reviews.forms.workspace import (
    CaseForm,
    CloseForm,
    CommissionForm,
    DecisionForm,
    DraftingForm,
    HomeOfficeForm,
    InformationForm,
    PauseForm,
    PublishForm,
    QaOutcomeForm,
    ResumeForm,
    ReviewCreateForm,
    ReviewFilterForm,
    ReviewRulesForm,
    ScopingForm,
    SignOffForm,
    StepForm,
    SubmitForm,
    TakedownForm,
    TermsForm,
    case_from,
    case_initial,
    new_case,
)
from reviews.history import review_history as history_entries
from reviews.models import Pause, Review, ReviewRules, StageChange
from reviews.permissions import REFUSALS, REQUIREMENTS, ReviewAccess, review_scope, visible_reviews
from reviews.selectors import review_rows, review_summary, stage_history, with_parts
from reviews.services import process
from reviews.terms import review_terms
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
PARTNERSHIP_FORM_TEMPLATE = "reviews/partnership_form.html"


def _open_pause(review: Review) -> Pause | None:
    return review.pauses.filter(ended_on__isnull=True).first()


def _context(review: Review, access: ReviewAccess, tab: str = "overview", **extra: Any) -> dict[str, Any]:
    paused = extra.pop("paused", None)
    if paused is None:
        paused = _open_pause(review) is not None
    return {**workspace_context(review, access, tab), "paused": paused, **extra}


def _who_changed(review: Review) -> str:
    """Who saved the review last and when, for the stale-edit message (everyone here may see names)."""
    record = (
        Review.history.filter(id=review.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        return ""
    when = timezone.localtime(record.history_date)
    moment = f"{when:%-I:%M%p on %-d %B %Y}".replace("AM", "am").replace("PM", "pm")
    return f"Saved by {record.history_user} at {moment}" if record.history_user else f"Saved at {moment}"


def _versioned_save(
    request: HttpRequest,
    review: Review,
    form: StepForm | CaseForm,
    save: Callable[[dict[str, Any], int], Any],
) -> tuple[bool, Review | None]:
    """Run a save from a versioned form: (saved, the current review if the save was stale).

    Service errors go onto the fields they name, or into the error summary; a stale version leaves the
    person's input in the form with the current version, so saving again is a deliberate choice.
    """
    if request.method != "POST" or not form.is_valid():
        return False, None
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        save(data, version)
    except StaleEdit as error:
        form.add_error(None, error.messages[0])
        form.set_version(error.current.version)
        return False, error.current
    except ValidationError as error:
        form.add_service_errors(error)
        return False, None
    return True, None


# --- Across reviews ---------------------------------------------------------------------------------


def _state_filter(reviews: QuerySet[Review], state: str) -> QuerySet[Review]:
    open_pauses = Pause.objects.filter(ended_on__isnull=True).values("review_id")
    if state == "closed":
        return reviews.filter(stage=Stage.CLOSED)
    if state == "paused":
        return reviews.filter(pk__in=open_pauses)
    return reviews.exclude(stage=Stage.CLOSED).exclude(pk__in=open_pauses)


@reviews_area
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """Every review the person may open, with its clock and next deadline; filters and pages."""
    today = timezone.localdate()
    visible = visible_reviews(request.user)
    partnerships = Partnership.objects.filter(pk__in=visible.values("partnership_id")).order_by("name")
    form = ReviewFilterForm(request.GET or None, partnerships=partnerships)
    filters = form.values()
    reviews = visible
    if "partnership" in filters:
        reviews = reviews.filter(partnership=filters["partnership"])
    if "stage" in filters:
        reviews = reviews.filter(stage=filters["stage"])
    if "state" in filters:
        reviews = _state_filter(reviews, filters["state"])
    page = page_of(request, with_parts(reviews.order_by("-notified_on", "reference", "pk")))
    leads = list(
        Partnership.objects.filter(pk__in=review_scope(request.user).lead_ids, kind=PartnershipKind.CSP).order_by(
            "name"
        )
    )
    context = {
        "form": form,
        "filtered": bool(filters),
        "page": page,
        "rows": review_rows(page.object_list, today),
        "today": today,
        "leads": leads,
        "query": query_without(request, "page"),
    }
    return render(request, "reviews/list.html", context)


def _led_partnership(request: HttpRequest, ref: str) -> Partnership:
    """A partnership the person leads reviews for: 404 if they cannot see it, 403 if they do not lead."""
    partnership = get_partnership_for_user(request.user, ref)
    if partnership.pk not in review_scope(request.user).lead_ids:
        raise PermissionDenied(REFUSALS["manage"])
    return partnership


def _members(partnership_id: int, also: int | None = None) -> QuerySet[Organisation]:
    """The partnership's member organisations (and one the review already names, if it has left)."""
    members = OrganisationMembership.objects.current().filter(partnership_id=partnership_id).values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=members) | Q(pk=also)).order_by("name")


def _partnership_page(partnership: Partnership) -> dict[str, Any]:
    terms = review_terms()
    return {
        "partnership": partnership,
        "caption": partnership.name,
        "back_url": reverse("reviews:list"),
        "back_text": f"Back to {terms.plural}",
    }


@reviews_area
@GET_AND_POST
def review_create(request: HttpRequest, ref: str) -> HttpResponse:
    """Record a notification: a new review at "Notification received" (the partnership's review lead)."""
    partnership = _led_partnership(request, ref)
    terms = review_terms()
    form = ReviewCreateForm(
        posted(request),
        organisations=_members(partnership.pk),
        review_term=terms.singular,
        initial={"review_type": "standard"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = new_case(
            review_type=data["review_type"],
            notified_by=data["notified_by"],
            date_of_death=data["date_of_death"],
            victim_pseudonym=data["victim_pseudonym"],
            perpetrator_pseudonym=data["perpetrator_pseudonym"],
        )
        try:
            review = process.review_create(
                actor=actor(request),
                partnership=partnership,
                reference=data["reference"],
                notified_on=data["notified_on"],
                case=case,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{terms.title} {review.reference} recorded")
            return redirect(review_url(review))
    return form_page(
        request,
        PARTNERSHIP_FORM_TEMPLATE,
        form,
        title="Record a new notification",
        explanation=(
            f"A death notified to the partnership starts a {terms.singular} at “Notification received”. "
            "Use pseudonyms only: real names never go in these fields."
        ),
        **_partnership_page(partnership),
    )


@reviews_area
@GET_AND_POST
def review_rules(request: HttpRequest, ref: str) -> HttpResponse:
    """The partnership's deadline rules for its reviews (the review lead)."""
    partnership = _led_partnership(request, ref)
    terms = review_terms()
    rules = process.rules_for(partnership)
    defaults = ReviewRules()
    initial = {
        name: getattr(rules, name)
        for name in ("decision_months", "home_office_days", "completion_months", "publication_months")
    }
    form = ReviewRulesForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            process.review_rules_update(actor=actor(request), partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Deadline rules for {partnership.name} saved")
            return redirect("reviews:list")
    return form_page(
        request,
        PARTNERSHIP_FORM_TEMPLATE,
        form,
        title=f"Deadline rules for {terms.plural}",
        explanation=(
            f"The dates each {terms.singular} is measured against. The defaults follow the statutory guidance: "
            f"the decision {defaults.decision_months} month after the notification, the Home Office told with "
            f"the decision, the review submitted {defaults.completion_months} months after the decision to hold "
            f"it, and the report online for at least {defaults.publication_months} months. "
            "A change applies to the deadlines of every review of the partnership; the completion period of a "
            "review already recorded stays as it is."
        ),
        **_partnership_page(partnership),
    )


# --- One review: the overview ------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A step of the statutory process, taken on the step page."""

    stage: str  # the stage it moves the review to
    after: frozenset[str]  # the stages it is taken from
    title: str
    form: type[StepForm]
    service: Callable[..., Any]
    need: str = "manage"  # reviews.permissions.REQUIREMENTS
    explanation: str = ""
    form_options: Callable[[Review], dict[str, Any]] = field(default=lambda review: {})


STEPS: dict[str, Step] = {
    "start-scoping": Step(
        Stage.SCOPING,
        frozenset({Stage.NOTIFIED}),
        "Start scoping",
        ScopingForm,
        process.review_start_scoping,
        explanation="Scoping letters ask the agencies whether they had contact with the people in the case.",
    ),
    "decision": Step(
        Stage.DECIDED,
        frozenset({Stage.SCOPING}),
        "Record the decision",
        DecisionForm,
        process.review_record_decision,
        need="decide",
        explanation=(
            "The partnership's chair decides, with the partners, whether the death meets the criteria for a "
            "review. The decision is due a month after the notification."
        ),
    ),
    "home-office": Step(
        Stage.HOME_OFFICE_NOTIFIED,
        frozenset({Stage.DECIDED}),
        "Record that the Home Office was told",
        HomeOfficeForm,
        process.review_notify_home_office,
        explanation="The Home Office is told of every decision, to hold a review or not, with the decision.",
    ),
    "commission": Step(
        Stage.COMMISSIONED,
        frozenset({Stage.HOME_OFFICE_NOTIFIED}),
        "Commission the review",
        CommissionForm,
        process.review_commission,
        explanation="Appoint the independent chair, who owns the overview report, and the author if not the chair.",
    ),
    "terms-of-reference": Step(
        Stage.TERMS_AGREED,
        frozenset({Stage.COMMISSIONED}),
        "Record the terms of reference",
        TermsForm,
        process.review_agree_terms,
        explanation="The panel agrees the terms of reference at its first meeting, with the period under review.",
    ),
    "information-gathering": Step(
        Stage.INFORMATION,
        frozenset({Stage.TERMS_AGREED}),
        "Start information gathering",
        InformationForm,
        process.review_start_information,
        explanation=(
            "Agencies that had contact are asked for their individual management reviews and chronologies, "
            "by the dates the panel sets on the agencies page."
        ),
    ),
    "drafting": Step(
        Stage.DRAFTING,
        frozenset({Stage.INFORMATION}),
        "Start drafting",
        DraftingForm,
        process.review_start_drafting,
        explanation="The independent chair drafts the overview report, executive summary and action plan.",
    ),
    "sign-off": Step(
        Stage.SIGNED_OFF,
        frozenset({Stage.DRAFTING}),
        "Record the local sign-off",
        SignOffForm,
        process.review_sign_off,
        explanation="The panel and the partnership sign the overview report off. Upload the draft first.",
    ),
    "submit": Step(
        Stage.SUBMITTED,
        frozenset({Stage.SIGNED_OFF}),
        "Record the submission for quality assurance",
        SubmitForm,
        process.review_submit_to_qa,
        explanation=(
            "The overview report, executive summary and action plan go to the Home Office quality assurance panel."
        ),
    ),
    "qa-outcome": Step(
        Stage.QA_APPROVED,
        frozenset({Stage.SUBMITTED}),
        "Record the quality assurance outcome",
        QaOutcomeForm,
        process.review_record_qa_outcome,
        explanation=(
            "The Home Office letter approves the report for publication, or asks for changes: the review then "
            "goes back to drafting and is submitted again."
        ),
    ),
    "publish": Step(
        Stage.PUBLISHED,
        frozenset({Stage.QA_APPROVED}),
        "Record the publication",
        PublishForm,
        process.review_publish,
        explanation="Publish the anonymised overview report and executive summary only after the panel approved them.",
        form_options=lambda review: {"publication_months": process.rules_for(review.partnership).publication_months},
    ),
    "close": Step(
        Stage.CLOSED,
        frozenset({Stage.HOME_OFFICE_NOTIFIED, Stage.PUBLISHED}),
        "Close the review",
        CloseForm,
        process.review_close,
        explanation="Close a published review, or one the chair decided not to hold once the Home Office knows.",
    ),
}


def open_steps(review: Review) -> list[tuple[str, Step]]:
    """The steps this review may take next, in process order."""
    nexts = set(process.next_stages(review))
    return [(slug, step) for slug, step in STEPS.items() if review.stage in step.after and step.stage in nexts]


@dataclass(frozen=True)
class TimelineItem:
    stage: str
    label: str
    status: str  # done, current, todo or skipped
    change: StageChange | None


def _timeline(review: Review, changes: list[StageChange]) -> list[TimelineItem]:
    """Every stage of the process: done, current, to do, or not needed (a review not held, closed early)."""
    latest = {change.to_stage: change for change in changes}
    position = Stage.values.index(review.stage)
    items = []
    for index, (value, label) in enumerate(Stage.choices):
        if value == review.stage:
            status = "done" if value == Stage.CLOSED else "current"
        elif index < position:
            status = "done" if value in latest else "skipped"
        else:
            status = "todo"
        items.append(TimelineItem(value, str(label), status, latest.get(value) if status != "todo" else None))
    return items


def _waiting_for(steps: list[tuple[str, Step]], access: ReviewAccess) -> list[str]:
    """Next steps this person cannot take, and who takes them."""
    who = {"decide": "the partnership's chair", "manage": "the partnership's review lead"}
    return [f"{step.title}: by {who[step.need]}" for _, step in steps if not REQUIREMENTS[step.need](access)]


@review_page("view")
@require_GET
def review_detail(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    """The overview: the case summary, the clock, deadlines, the stages and the next steps."""
    today = timezone.localdate()
    row = review_summary(review, today)
    pauses = list(row.review.pauses.all())
    changes = list(stage_history(review))
    steps = open_steps(review)
    paused = row.clock.paused_since is not None
    open_pause = next((p for p in pauses if p.ended_on is None), None)
    context = _context(
        review,
        access,
        paused=paused,
        today=today,
        clock=row.clock,
        open_pause=open_pause,
        deadlines=[(d, d.status(today), d.allowing_for_pauses(today), d.is_overdue(today)) for d in row.deadlines],
        pauses=pauses,
        submissions=list(row.review.qa_submissions.all()),
        timeline=_timeline(review, changes),
        changes=changes,
        steps=[(slug, step) for slug, step in steps if REQUIREMENTS[step.need](access)],
        waiting_for=_waiting_for(steps, access),
        co_commissioners=list(review.co_commissioners.order_by("name")),
        decided_by=review.decided_by if review.decided_by_id else None,
    )
    return render(request, "reviews/detail.html", context)


# --- One review: the case details ---------------------------------------------------------------------


def _case_comparison(current: Review, form: CaseForm) -> list[tuple[str, str, str]]:
    """The fields where the saved review differs from the person's input."""
    data = form.cleaned_data
    rows = []
    for name, bound in ((name, form[name]) for name in form.fields if name != "version"):
        if name == "co_commissioners":
            theirs_value: Any = sorted(p.name for p in current.co_commissioners.all())
            yours_value: Any = sorted(p.name for p in data.get(name, []))
            theirs, yours = ", ".join(theirs_value) or "none", ", ".join(yours_value) or "none"
        else:
            theirs, yours = _shown(form, name, getattr(current, name)), _shown(form, name, data.get(name))
        if theirs != yours:
            rows.append((str(bound.label).removesuffix(" (optional)"), theirs, yours))
    return rows


def _shown(form: CaseForm, name: str, value: Any) -> str:
    if value in (None, "", [], ()):
        return "none"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    choices = getattr(form.fields[name], "choices", None)
    if isinstance(value, list | tuple) and choices is not None:
        labels = dict(choices)
        return ", ".join(str(labels.get(v, v)) for v in sorted(value))
    if choices is not None and not isinstance(value, Organisation):
        return str(dict(choices).get(value, value))
    return str(value)


@review_page("edit")
@GET_AND_POST
def review_edit(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    """The full case: pseudonyms and the Home Office library's codes (co-commissioners for the lead)."""
    initial = {**case_initial(review), "version": review.version}
    partnerships = None
    if access.can_manage:
        partnerships = (
            Partnership.objects.filter(kind=PartnershipKind.CSP).exclude(pk=review.partnership_id).order_by("name")
        )
        initial["co_commissioners"] = list(review.co_commissioners.values_list("pk", flat=True))
        initial["completion_months"] = review.completion_months
    form = CaseForm(
        posted(request),
        initial=initial,
        organisations=_members(review.partnership_id, review.notified_by_id),
        partnerships=partnerships,
    )

    def save(data: dict[str, Any], version: int) -> None:
        process.review_update_case(
            actor=actor(request),
            review=review,
            version=version,
            case=case_from(data),
            co_commissioners=tuple(data["co_commissioners"] if access.can_manage else review.co_commissioners.all()),
            completion_months=data.get("completion_months"),
        )

    saved, stale = _versioned_save(request, review, form, save)
    if saved:
        messages.success(request, "Case details saved")
        return redirect(review_url(review))
    extra: dict[str, Any] = {}
    if stale is not None:
        extra = {"comparison": _case_comparison(stale, form), "changed_by": _who_changed(review)}
    return form_page(
        request,
        FORM_TEMPLATE,
        form,
        stale=stale is not None,
        title="Change case details",
        explanation=(
            "Use pseudonyms and age bands only: never real names or dates of birth. "
            "The codes follow the Home Office library of reviews."
        ),
        **_context(review, access),
        **extra,
    )


# --- One review: the steps, pauses and the take-down ----------------------------------------------------


def _stale_rows(current: Review, stage_label: str) -> list[tuple[str, str, str]]:
    return [("Stage", current.get_stage_display(), stage_label)]


@review_page("view")
@GET_AND_POST
def review_step(request: HttpRequest, review: Review, access: ReviewAccess, step: str) -> HttpResponse:
    """One step of the process: the chair's decision, or a step the review lead records."""
    spec = STEPS.get(step)
    if spec is None:
        raise Http404("No such step")
    if not REQUIREMENTS[spec.need](access):
        raise PermissionDenied(REFUSALS[spec.need])
    if step not in dict(open_steps(review)):
        messages.error(request, f"“{spec.title}” is not the next step: the review is at “{review.get_stage_display()}”")
        return redirect(review_url(review))
    form = spec.form(posted(request), initial={"version": review.version}, **spec.form_options(review))
    saved, stale = _versioned_save(
        request,
        review,
        form,
        lambda data, version: spec.service(actor=actor(request), review=review, version=version, **data),
    )
    if saved:
        messages.success(request, f"{review.reference} is now at “{review.get_stage_display()}”")
        return redirect(review_url(review))
    paused = _open_pause(review) is not None
    extra: dict[str, Any] = {}
    if stale is not None:
        extra = {"comparison": _stale_rows(stale, Stage(spec.stage).label), "changed_by": _who_changed(review)}
    warning = "This review is paused: resume it before recording the next step." if paused else ""
    if step == "sign-off" and not review.documents.filter(kind="draft").exists():
        warning = "Upload the draft overview report on the documents page before recording the sign-off."
    if step == "qa-outcome" and not review.qa_submissions.filter(outcome=QaOutcome.PENDING).exists():
        warning = "There is no submission waiting for an outcome."
    return form_page(
        request,
        FORM_TEMPLATE,
        form,
        stale=stale is not None,
        title=spec.title,
        explanation=spec.explanation,
        warning=warning,
        **_context(review, access, paused=paused),
        **extra,
    )


def _review_change_page(
    request: HttpRequest,
    review: Review,
    access: ReviewAccess,
    form: StepForm,
    save: Callable[[dict[str, Any], int], Any],
    *,
    done: str,
    title: str,
    explanation: str,
    paused: bool | None = None,
) -> HttpResponse:
    """A versioned form that changes the review without moving its stage (pause, resume, take-down):
    save and go back to the review with `done`, or show the form (400 with errors, 409 when stale)."""
    saved, stale = _versioned_save(request, review, form, save)
    if saved:
        messages.success(request, done)
        return redirect(review_url(review))
    extra: dict[str, Any] = {}
    if stale is not None:
        extra = {"comparison": _stale_rows(stale, review.get_stage_display()), "changed_by": _who_changed(review)}
    return form_page(
        request,
        FORM_TEMPLATE,
        form,
        stale=stale is not None,
        title=title,
        explanation=explanation,
        **_context(review, access, paused=paused),
        **extra,
    )


@review_page("manage")
@GET_AND_POST
def review_pause(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    """Pause the clock, for a criminal trial, an inquest or another process running alongside."""
    if review.stage == Stage.CLOSED:
        messages.error(request, "A closed review cannot be paused")
        return redirect(review_url(review))
    if _open_pause(review) is not None:
        messages.error(request, "This review is already paused")
        return redirect(review_url(review))
    return _review_change_page(
        request,
        review,
        access,
        PauseForm(posted(request), initial={"version": review.version}),
        lambda data, version: process.review_pause(actor=actor(request), review=review, version=version, **data),
        done=f"{review.reference} is paused",
        title="Pause the review",
        explanation=(
            "While it is paused the review cannot move to its next stage. The clock shows the time elapsed "
            "with and without pauses, and the deadlines allowing for them."
        ),
        paused=False,
    )


@review_page("manage")
@GET_AND_POST
def review_resume(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    pause = _open_pause(review)
    if pause is None:
        messages.error(request, "This review is not paused")
        return redirect(review_url(review))
    return _review_change_page(
        request,
        review,
        access,
        ResumeForm(posted(request), initial={"version": review.version}),
        lambda data, version: process.review_resume(actor=actor(request), review=review, version=version, **data),
        done=f"{review.reference} has resumed",
        title="Resume the review",
        explanation=f"Paused since {pause.started_on:%-d %B %Y}: {pause.get_reason_display().lower()}.",
        paused=True,
    )


@review_page("manage")
@GET_AND_POST
def review_takedown(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    """Record that the published report was taken down."""
    if review.published_on is None:
        messages.error(request, "The review has not been published")
        return redirect(review_url(review))
    earliest = f" It must stay online until {review.takedown_on:%-d %B %Y}." if review.takedown_on else ""
    return _review_change_page(
        request,
        review,
        access,
        TakedownForm(posted(request), initial={"version": review.version}),
        lambda data, version: process.review_record_takedown(
            actor=actor(request), review=review, version=version, **data
        ),
        done="Take-down recorded",
        title="Record that the report was taken down",
        explanation=f"Published on {review.published_on:%-d %B %Y} at {review.publication_url}.{earliest}",
    )


# --- One review: the history ----------------------------------------------------------------------------


@review_page("view")
@require_GET
def review_history(request: HttpRequest, review: Review, access: ReviewAccess) -> HttpResponse:
    """Every change to the review, its pauses, QA submissions and stages: who, when and what, newest first."""
    page = page_of(request, history_entries(review))
    return render(request, "reviews/history.html", {**_context(review, access, "history"), "page": page})
