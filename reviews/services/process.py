"""A review's life: notification, case details, the statutory stages, pauses and the deadline rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplans.services import StaleEdit
from csp_portal.history import adopt, save_as
from partnerships.models import Organisation, Partnership, PartnershipKind, User
from reviews.choices import (
    INCIDENT_FLAGS,
    MENTAL_HEALTH_FLAGS,
    PERPETRATOR_VULNERABILITY_FLAGS,
    VULNERABILITY_FLAGS,
    Decision,
    DocumentKind,
    PauseReason,
    QaOutcome,
    Stage,
)
from reviews.clock import add_months
from reviews.models import Pause, QaSubmission, Review, ReviewRules, StageChange

# --- Deadline rules --------------------------------------------------------------------------------


def rules_for(partnership: Partnership) -> ReviewRules:
    """The partnership's rules, or the defaults (unsaved) where it has not set any."""
    rules = ReviewRules.objects.filter(partnership=partnership).first()
    return rules or ReviewRules(partnership=partnership)


def review_rules_update(
    *,
    actor: User,
    partnership: Partnership,
    decision_months: int,
    home_office_days: int,
    completion_months: int,
    publication_months: int,
) -> ReviewRules:
    errors = {}
    if not 1 <= decision_months <= 12:
        errors["decision_months"] = "Months to the decision must be from 1 to 12"
    if not 0 <= home_office_days <= 90:
        errors["home_office_days"] = "Days to notify the Home Office must be from 0 to 90"
    if not 1 <= completion_months <= 24:
        errors["completion_months"] = "Months to completion must be from 1 to 24"
    if not 1 <= publication_months <= 60:
        errors["publication_months"] = "Months online must be from 1 to 60"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rules = ReviewRules.objects.select_for_update().filter(partnership=partnership).first()
        rules = rules or ReviewRules(partnership=partnership)
        rules.decision_months, rules.home_office_days = decision_months, home_office_days
        rules.completion_months, rules.publication_months = completion_months, publication_months
        save_as(rules, actor)
    return rules


# --- The case --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFields:
    """The case details a review lead or the independent chair keeps (pseudonyms and codes only)."""

    review_type: str
    protective_marking: str
    sharing_agreement: str
    notified_by: Organisation | None
    date_of_death: date | None
    location_type: str
    cause_of_death: str
    victim_pseudonym: str
    perpetrator_pseudonym: str
    other_pseudonyms: str
    incident_flags: tuple[str, ...]
    victim_age_band: str
    victim_sex: str
    victim_sexual_orientation: str
    victim_ethnicity: str
    victim_religion: str
    victim_relationship: str
    victim_suicide: str
    victim_carer: str
    victim_previous_offences: str
    victim_mental_health: tuple[str, ...]
    victim_vulnerabilities: tuple[str, ...]
    perpetrator_age_band: str
    perpetrator_sex: str
    perpetrator_sexual_orientation: str
    perpetrator_ethnicity: str
    perpetrator_religion: str
    perpetrator_carer: str
    perpetrator_previous_offences: str
    perpetrator_mental_health: tuple[str, ...]
    perpetrator_vulnerabilities: tuple[str, ...]
    court_verdict: str
    parallel_proceedings: str
    trial_on: date | None
    inquest_on: date | None


_FLAG_SETS = {
    "incident_flags": INCIDENT_FLAGS,
    "victim_mental_health": MENTAL_HEALTH_FLAGS,
    "victim_vulnerabilities": VULNERABILITY_FLAGS,
    "perpetrator_mental_health": MENTAL_HEALTH_FLAGS,
    "perpetrator_vulnerabilities": PERPETRATOR_VULNERABILITY_FLAGS,
}


def _check_case(case: CaseFields, notified_on: date) -> None:
    errors: dict[str, str] = {}
    if not case.victim_pseudonym.strip():
        errors["victim_pseudonym"] = "Enter the pseudonym used for the victim"
    if case.date_of_death and case.date_of_death > notified_on:
        errors["date_of_death"] = "The date of death must be on or before the notification date"
    for name, allowed in _FLAG_SETS.items():
        unknown = set(getattr(case, name)) - {code for code, _ in allowed}
        if unknown:
            errors[name] = f"Unknown code: {', '.join(sorted(unknown))}"
    for name in ("trial_on", "inquest_on"):
        value = getattr(case, name)
        if value and case.date_of_death and value < case.date_of_death:
            errors[name] = "This date must be after the date of death"
    if errors:
        raise ValidationError(errors)


def _apply_case(review: Review, case: CaseFields) -> None:
    for field in fields(case):
        value = getattr(case, field.name)
        if isinstance(value, tuple):
            value = sorted(set(value))
        elif isinstance(value, str):
            value = value.strip()
        setattr(review, field.name, value)


def review_create(
    *, actor: User, partnership: Partnership, reference: str, notified_on: date, case: CaseFields
) -> Review:
    """Record a notification: the review starts at "Notification received" with the partnership's rules."""
    errors: dict[str, str] = {}
    reference = reference.strip()
    if partnership.kind != PartnershipKind.CSP:
        errors["reference"] = "Only a community safety partnership commissions reviews"
    elif not reference:
        errors["reference"] = "Enter the review's reference"
    elif Review.objects.filter(partnership=partnership, reference__iexact=reference).exists():
        errors["reference"] = f"This partnership already has a review with the reference {reference}"
    if notified_on > timezone.localdate():
        errors["notified_on"] = "The notification date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    _check_case(case, notified_on)
    with transaction.atomic():
        review = Review(
            partnership=partnership,
            reference=reference,
            notified_on=notified_on,
            completion_months=rules_for(partnership).completion_months,
        )
        _apply_case(review, case)
        save_as(review, actor)
        StageChange.objects.create(
            review=review, from_stage="", to_stage=Stage.NOTIFIED, effective_on=notified_on, changed_by=actor
        )
    return review


def _locked(review: Review, version: int) -> Review:
    current = Review.objects.select_for_update().get(pk=review.pk)
    if current.version != version:
        raise StaleEdit(current)
    return current


def _saved(review: Review, current: Review, actor: User) -> Review:
    current.version += 1
    save_as(current, actor)
    adopt(review, current)
    return review


def review_update_case(
    *,
    actor: User,
    review: Review,
    version: int,
    case: CaseFields,
    co_commissioners: tuple[Partnership, ...] = (),
    completion_months: int | None = None,
) -> Review:
    """Change the case details (and the co-commissioning CSPs and the completion period)."""
    _check_case(case, review.notified_on)
    if completion_months is not None and not 1 <= completion_months <= 24:
        raise ValidationError({"completion_months": "Months to completion must be from 1 to 24"})
    if any(p.pk == review.partnership_id or p.kind != PartnershipKind.CSP for p in co_commissioners):
        raise ValidationError({"co_commissioners": "Co-commissioners must be other community safety partnerships"})
    with transaction.atomic():
        current = _locked(review, version)
        _apply_case(current, case)
        if completion_months is not None:
            current.completion_months = completion_months
        _saved(review, current, actor)
        current._history_user = actor  # type: ignore[attr-defined]
        current.co_commissioners.set(co_commissioners)
    return review


# --- The stage machine -----------------------------------------------------------------------------

# The stages a review may move to from each stage. Resubmission after QA goes back to drafting;
# a decision not to hold a review closes it once the Home Office is told.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.NOTIFIED: frozenset({Stage.SCOPING}),
    Stage.SCOPING: frozenset({Stage.DECIDED}),
    Stage.DECIDED: frozenset({Stage.HOME_OFFICE_NOTIFIED}),
    Stage.HOME_OFFICE_NOTIFIED: frozenset({Stage.COMMISSIONED, Stage.CLOSED}),
    Stage.COMMISSIONED: frozenset({Stage.TERMS_AGREED}),
    Stage.TERMS_AGREED: frozenset({Stage.INFORMATION}),
    Stage.INFORMATION: frozenset({Stage.DRAFTING}),
    Stage.DRAFTING: frozenset({Stage.SIGNED_OFF}),
    Stage.SIGNED_OFF: frozenset({Stage.SUBMITTED}),
    Stage.SUBMITTED: frozenset({Stage.QA_APPROVED, Stage.DRAFTING}),
    Stage.QA_APPROVED: frozenset({Stage.PUBLISHED}),
    Stage.PUBLISHED: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
}


def _last_step_date(review: Review) -> date:
    last = review.stage_changes.order_by("-effective_on").values_list("effective_on", flat=True).first()
    return last or review.notified_on


def _move(
    *,
    actor: User,
    review: Review,
    version: int,
    to_stage: str,
    on: date,
    note: str = "",
    date_field: str = "on",
    apply: Callable[[Review], None] | None = None,
) -> Review:
    """Move a review one step: checks the transition, the date, pauses and the version; records the change."""
    if on > timezone.localdate():
        raise ValidationError({date_field: "The date must be today or in the past"})
    with transaction.atomic():
        current = _locked(review, version)
        if to_stage not in TRANSITIONS[current.stage]:
            raise ValidationError(
                f"A review at “{current.get_stage_display()}” cannot move to “{Stage(to_stage).label}”"
            )
        if current.pauses.filter(ended_on__isnull=True).exists():
            raise ValidationError("This review is paused: resume it before moving it to the next stage")
        previous = _last_step_date(current)
        if on < previous:
            raise ValidationError({date_field: f"The date must be on or after the last step, {previous:%-d %B %Y}"})
        from_stage = current.stage
        if apply is not None:
            apply(current)
        current.stage = to_stage
        _saved(review, current, actor)
        StageChange.objects.create(
            review=current,
            from_stage=from_stage,
            to_stage=to_stage,
            effective_on=on,
            changed_by=actor,
            note=note.strip(),
        )
    return review


def review_start_scoping(*, actor: User, review: Review, version: int, started_on: date, note: str = "") -> Review:
    """Scoping letters go to the agencies: did they have contact with the people in the case?"""

    def apply(r: Review) -> None:
        r.scoping_started_on = started_on

    return _move(
        actor=actor,
        review=review,
        version=version,
        to_stage=Stage.SCOPING,
        on=started_on,
        note=note,
        date_field="started_on",
        apply=apply,
    )


def review_record_decision(
    *, actor: User, review: Review, version: int, decision: str, reasons: str, decided_on: date
) -> Review:
    """The chair's decision whether to hold a review, with the reasons (the chair alone: see permissions)."""
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "Select the decision"
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for the decision"
    if errors:
        raise ValidationError(errors)

    def apply(r: Review) -> None:
        r.decision, r.decision_reasons, r.decided_on, r.decided_by = decision, reasons.strip(), decided_on, actor

    return _move(
        actor=actor,
        review=review,
        version=version,
        to_stage=Stage.DECIDED,
        on=decided_on,
        note=reasons,
        date_field="decided_on",
        apply=apply,
    )


def review_notify_home_office(
    *, actor: User, review: Review, version: int, notified_on: date, response: str = "", directed: bool = False
) -> Review:
    def apply(r: Review) -> None:
        r.home_office_notified_on, r.home_office_response = notified_on, response.strip()
        r.directed_by_secretary_of_state = directed

    return _move(
        actor=actor,
        review=review,
        version=version,
        to_stage=Stage.HOME_OFFICE_NOTIFIED,
        on=notified_on,
        note=response,
        date_field="notified_on",
        apply=apply,
    )


def review_commission(
    *,
    actor: User,
    review: Review,
    version: int,
    commissioned_on: date,
    independent_chair: str,
    chair_certified: bool,
    author: str = "",
) -> Review:
    """Appoint the independent chair (and author): only for a review the chair decided to hold."""
    if review.decision != Decision.HOLD:
        raise ValidationError("Only a review the chair decided to hold can be commissioned")
    if not independent_chair.strip():
        raise ValidationError({"independent_chair": "Enter the independent chair's name"})

    def apply(r: Review) -> None:
        r.commissioned_on, r.independent_chair, r.chair_certified = (
            commissioned_on,
            independent_chair.strip(),
            chair_certified,
        )
        r.author = author.strip()

    return _move(
        actor=actor,
        review=review,
        version=version,
        to_stage=Stage.COMMISSIONED,
        on=commissioned_on,
        date_field="commissioned_on",
        apply=apply,
    )


def review_agree_terms(
    *,
    actor: User,
    review: Review,
    version: int,
    terms_version: str,
    agreed_on: date,
    period_start: date,
    period_end: date,
) -> Review:
    errors = {}
    if not terms_version.strip():
        errors["terms_version"] = "Enter the version of the terms of reference"
    if period_end < period_start:
        errors["period_end"] = "The end of the period under review must be on or after its start"
    if errors:
        raise ValidationError(errors)

    def apply(r: Review) -> None:
        r.terms_version, r.terms_agreed_on = terms_version.strip(), agreed_on
        r.period_start, r.period_end = period_start, period_end

    return _move(
        actor=actor,
        review=review,
        version=version,
        to_stage=Stage.TERMS_AGREED,
        on=agreed_on,
        date_field="agreed_on",
        apply=apply,
    )


def review_start_information(*, actor: User, review: Review, version: int, started_on: date, note: str = "") -> Review:
    """Agencies are asked for their individual management reviews and chronologies."""

    def apply(r: Review) -> None:
        r.information_started_on = started_on

    return _move(
        actor=actor,
        review=review,
        version=version,
        to_stage=Stage.INFORMATION,
        on=started_on,
        note=note,
        date_field="started_on",
        apply=apply,
    )


def review_start_drafting(*, actor: User, review: Review, version: int, started_on: date, note: str = "") -> Review:
    def apply(r: Review) -> None:
        r.drafting_started_on = started_on

    return _move(
        actor=actor,
        review=review,
        version=version,
        to_stage=Stage.DRAFTING,
        on=started_on,
        note=note,
        date_field="started_on",
        apply=apply,
    )


def review_sign_off(*, actor: User, review: Review, version: int, signed_off_on: date, note: str = "") -> Review:
    """The panel and partnership sign the overview report off: there must be a draft to sign."""
    if not review.documents.filter(kind=DocumentKind.DRAFT).exists():
        raise ValidationError("Upload the draft overview report before recording the sign-off")

    def apply(r: Review) -> None:
        r.signed_off_on = signed_off_on

    return _move(
        actor=actor,
        review=review,
        version=version,
        to_stage=Stage.SIGNED_OFF,
        on=signed_off_on,
        note=note,
        date_field="signed_off_on",
        apply=apply,
    )


def review_submit_to_qa(*, actor: User, review: Review, version: int, submitted_on: date, note: str = "") -> Review:
    """Send the overview report, executive summary and action plan to the Home Office QA panel."""
    with transaction.atomic():
        _move(
            actor=actor,
            review=review,
            version=version,
            to_stage=Stage.SUBMITTED,
            on=submitted_on,
            note=note,
            date_field="submitted_on",
        )
        QaSubmission.objects.create(review=review, submitted_on=submitted_on, notes=note.strip())
    return review


def review_record_qa_outcome(
    *, actor: User, review: Review, version: int, outcome: str, letter_on: date, notes: str = ""
) -> Review:
    """The Home Office letter: approved (on to publication) or changes asked for (back to drafting)."""
    if outcome not in (QaOutcome.APPROVED, QaOutcome.RESUBMIT):
        raise ValidationError({"outcome": "Select the outcome in the Home Office letter"})
    if outcome == QaOutcome.RESUBMIT and not notes.strip():
        raise ValidationError({"notes": "Say what the panel asked to be changed"})
    with transaction.atomic():
        submission = review.qa_submissions.select_for_update().filter(outcome=QaOutcome.PENDING).last()
        if submission is None:
            raise ValidationError("There is no submission waiting for an outcome")
        if letter_on < submission.submitted_on:
            raise ValidationError({"letter_on": "The letter must be dated on or after the submission"})

        def apply(r: Review) -> None:
            if outcome == QaOutcome.APPROVED:
                r.qa_approved_on = letter_on

        _move(
            actor=actor,
            review=review,
            version=version,
            to_stage=Stage.QA_APPROVED if outcome == QaOutcome.APPROVED else Stage.DRAFTING,
            on=letter_on,
            note=notes,
            date_field="letter_on",
            apply=apply,
        )
        submission.outcome, submission.letter_on, submission.notes = outcome, letter_on, notes.strip()
        save_as(submission, actor)
    return review


def review_publish(
    *,
    actor: User,
    review: Review,
    version: int,
    published_on: date,
    publication_url: str,
    takedown_on: date | None = None,
    commissioner_submitted_on: date | None = None,
) -> Review:
    """Publish the anonymised report after QA approval; it stays online for the rules' months at least."""
    errors = {}
    if not publication_url.strip().startswith(("https://", "http://")):
        errors["publication_url"] = "Enter the web address where the report is published, starting https://"
    earliest = add_months(published_on, rules_for(review.partnership).publication_months)
    if takedown_on is not None and takedown_on < earliest:
        errors["takedown_on"] = f"The report must stay online until at least {earliest:%-d %B %Y}"
    if commissioner_submitted_on and commissioner_submitted_on > timezone.localdate():
        errors["commissioner_submitted_on"] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)

    def apply(r: Review) -> None:
        r.published_on, r.publication_url = published_on, publication_url.strip()
        r.takedown_on = takedown_on or earliest
        r.commissioner_submitted_on = commissioner_submitted_on

    return _move(
        actor=actor,
        review=review,
        version=version,
        to_stage=Stage.PUBLISHED,
        on=published_on,
        date_field="published_on",
        apply=apply,
    )


def review_close(*, actor: User, review: Review, version: int, closed_on: date, note: str) -> Review:
    """Close a published review, or one the chair decided not to hold once the Home Office knows."""
    if not note.strip():
        raise ValidationError({"note": "Say why the review is closed"})
    if review.stage == Stage.HOME_OFFICE_NOTIFIED and review.decision == Decision.HOLD:
        raise ValidationError("A review the chair decided to hold is closed after publication")

    def apply(r: Review) -> None:
        r.closed_on, r.closure_note = closed_on, note.strip()

    return _move(
        actor=actor,
        review=review,
        version=version,
        to_stage=Stage.CLOSED,
        on=closed_on,
        note=note,
        date_field="closed_on",
        apply=apply,
    )


def review_record_takedown(*, actor: User, review: Review, version: int, taken_down_on: date) -> Review:
    """Record that the published report was taken down (not before the rules allow)."""
    if review.published_on is None:
        raise ValidationError("The review has not been published")
    if review.takedown_on and taken_down_on < review.takedown_on:
        raise ValidationError({"taken_down_on": f"The report must stay online until {review.takedown_on:%-d %B %Y}"})
    if taken_down_on > timezone.localdate():
        raise ValidationError({"taken_down_on": "The date must be today or in the past"})
    with transaction.atomic():
        current = _locked(review, version)
        current.taken_down_on = taken_down_on
        return _saved(review, current, actor)


# --- Pauses ----------------------------------------------------------------------------------------


def review_pause(*, actor: User, review: Review, version: int, reason: str, detail: str, started_on: date) -> Pause:
    """Pause the clock, e.g. for a criminal trial; the review cannot change stage until it resumes."""
    errors = {}
    if reason not in PauseReason.values:
        errors["reason"] = "Select the reason for the pause"
    if reason == PauseReason.OTHER and not detail.strip():
        errors["detail"] = "Describe the reason for the pause"
    if started_on > timezone.localdate():
        errors["started_on"] = "The pause must start today or in the past"
    elif started_on < review.notified_on:
        errors["started_on"] = "The pause cannot start before the notification"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked(review, version)
        if current.stage == Stage.CLOSED:
            raise ValidationError("A closed review cannot be paused")
        if current.pauses.filter(ended_on__isnull=True).exists():
            raise ValidationError("This review is already paused")
        last = current.pauses.order_by("-ended_on").values_list("ended_on", flat=True).first()
        if last and started_on < last:
            raise ValidationError({"started_on": f"The pause must start after the last one ended, {last:%-d %B %Y}"})
        pause = Pause(review=current, reason=reason, detail=detail.strip(), started_on=started_on, recorded_by=actor)
        save_as(pause, actor)
        _saved(review, current, actor)
    return pause


def review_resume(*, actor: User, review: Review, version: int, ended_on: date) -> Pause:
    with transaction.atomic():
        current = _locked(review, version)
        pause = current.pauses.select_for_update().filter(ended_on__isnull=True).first()
        if pause is None:
            raise ValidationError("This review is not paused")
        if ended_on < pause.started_on:
            raise ValidationError({"ended_on": f"The pause cannot end before it started, {pause.started_on:%-d %B %Y}"})
        if ended_on > timezone.localdate():
            raise ValidationError({"ended_on": "The pause must end today or in the past"})
        pause.ended_on = ended_on
        save_as(pause, actor)
        _saved(review, current, actor)
    return pause


def next_stages(review: Review) -> list[str]:
    """The stages this review may move to next, in process order (for the page's buttons)."""
    allowed = set(TRANSITIONS[review.stage])
    if review.stage == Stage.HOME_OFFICE_NOTIFIED:
        allowed &= {Stage.COMMISSIONED} if review.decision == Decision.HOLD else {Stage.CLOSED}
    return [stage for stage in Stage.values if stage in allowed]
