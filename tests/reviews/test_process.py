"""The statutory process through the services (reviews/services/process.py): every transition in order from
notification to closure, the refusals, the not-hold and resubmission paths, pauses, stale versions, and
what each change records (stage changes with who, when and why; history with the acting person).

Time is pinned: the services refuse dates in the future.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from actionplans.services import StaleEdit
from reviews.choices import Decision, DocumentKind, PauseReason, QaOutcome, Stage
from reviews.forms.workspace import new_case
from reviews.models import Pause, QaSubmission, Review, StageChange
from reviews.selectors import review_summary
from reviews.services import process
from tests.conftest import Personas
from tests.reviews.factories import ReviewDocumentFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _pinned():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=UTC), tick=False):
        yield


def _new(personas: Personas, **case) -> Review:  # type: ignore[no-untyped-def]
    """A notification recorded through the service (reference DHR 2026/07, notified 2 March 2026)."""
    return process.review_create(
        actor=personas.manager,
        partnership=personas.csp,
        reference=case.pop("reference", "DHR 2026/07"),
        notified_on=case.pop("notified_on", date(2026, 3, 2)),
        case=new_case(victim_pseudonym="Adult A", notified_by=personas.police, **case),
    )


def _decided(personas: Personas, decision: str = Decision.HOLD, reference: str = "DHR 2026/07") -> Review:
    review = _new(personas, reference=reference)
    process.review_start_scoping(
        actor=personas.manager, review=review, version=review.version, started_on=date(2026, 3, 5)
    )
    process.review_record_decision(
        actor=personas.chair,
        review=review,
        version=review.version,
        decision=decision,
        reasons="The criteria are met: a death at the hands of a former partner",
        decided_on=date(2026, 3, 30),
    )
    process.review_notify_home_office(
        actor=personas.manager, review=review, version=review.version, notified_on=date(2026, 3, 31)
    )
    return review


def _to_drafting(personas: Personas) -> Review:
    review = _decided(personas)
    lead = personas.manager
    process.review_commission(
        actor=lead,
        review=review,
        version=review.version,
        commissioned_on=date(2026, 4, 10),
        independent_chair="Dr Jo Independent",
        chair_certified=True,
    )
    process.review_agree_terms(
        actor=lead,
        review=review,
        version=review.version,
        terms_version="1.0",
        agreed_on=date(2026, 4, 20),
        period_start=date(2021, 1, 1),
        period_end=date(2026, 2, 20),
    )
    process.review_start_information(actor=lead, review=review, version=review.version, started_on=date(2026, 4, 25))
    process.review_start_drafting(actor=lead, review=review, version=review.version, started_on=date(2026, 6, 1))
    return review


def _submitted(personas: Personas) -> Review:
    review = _to_drafting(personas)
    ReviewDocumentFactory(review=review, kind=DocumentKind.DRAFT, title="Overview report", uploaded_by=personas.manager)
    process.review_sign_off(
        actor=personas.manager, review=review, version=review.version, signed_off_on=date(2026, 7, 1)
    )
    process.review_submit_to_qa(
        actor=personas.manager, review=review, version=review.version, submitted_on=date(2026, 7, 10)
    )
    return review


def _stages(review: Review) -> list[tuple[str, str]]:
    return list(StageChange.objects.filter(review=review).order_by("pk").values_list("from_stage", "to_stage"))


# --- The whole way -------------------------------------------------------------------------------------


def test_a_review_runs_from_notification_to_closure_one_recorded_step_at_a_time(personas: Personas):
    review = _submitted(personas)
    process.review_record_qa_outcome(
        actor=personas.manager,
        review=review,
        version=review.version,
        outcome=QaOutcome.APPROVED,
        letter_on=date(2026, 8, 20),
    )
    assert review.stage == Stage.QA_APPROVED
    assert review.qa_approved_on == date(2026, 8, 20)
    process.review_publish(
        actor=personas.manager,
        review=review,
        version=review.version,
        published_on=date(2026, 9, 1),
        publication_url="https://riverton.example/dhr-2026-07",
    )
    # Kept online for the rules' twelve months unless a later take-down date is given.
    assert review.takedown_on == date(2027, 9, 1)
    process.review_close(
        actor=personas.manager, review=review, version=review.version, closed_on=date(2026, 9, 10), note="Published"
    )

    review.refresh_from_db()
    assert review.stage == Stage.CLOSED
    assert review.closed_on == date(2026, 9, 10)
    assert _stages(review) == [
        ("", Stage.NOTIFIED),
        (Stage.NOTIFIED, Stage.SCOPING),
        (Stage.SCOPING, Stage.DECIDED),
        (Stage.DECIDED, Stage.HOME_OFFICE_NOTIFIED),
        (Stage.HOME_OFFICE_NOTIFIED, Stage.COMMISSIONED),
        (Stage.COMMISSIONED, Stage.TERMS_AGREED),
        (Stage.TERMS_AGREED, Stage.INFORMATION),
        (Stage.INFORMATION, Stage.DRAFTING),
        (Stage.DRAFTING, Stage.SIGNED_OFF),
        (Stage.SIGNED_OFF, Stage.SUBMITTED),
        (Stage.SUBMITTED, Stage.QA_APPROVED),
        (Stage.QA_APPROVED, Stage.PUBLISHED),
        (Stage.PUBLISHED, Stage.CLOSED),
    ]
    assert process.next_stages(review) == []
    # Each step's fields were kept on the review.
    assert (review.decision, review.decided_by, review.decided_on) == (
        Decision.HOLD,
        personas.chair,
        date(2026, 3, 30),
    )
    assert (review.independent_chair, review.chair_certified, review.terms_version) == (
        "Dr Jo Independent",
        True,
        "1.0",
    )
    assert (review.period_start, review.period_end) == (date(2021, 1, 1), date(2026, 2, 20))
    assert review.publication_url == "https://riverton.example/dhr-2026-07"
    assert review.version == 13  # created at 1, then twelve steps


def test_stage_changes_record_who_when_and_why(personas: Personas):
    review = _decided(personas)
    decision = StageChange.objects.get(review=review, to_stage=Stage.DECIDED)
    assert decision.changed_by == personas.chair
    assert decision.effective_on == date(2026, 3, 30)
    assert decision.note == "The criteria are met: a death at the hands of a former partner"
    assert decision.changed_at is not None
    notified = StageChange.objects.get(review=review, to_stage=Stage.NOTIFIED)
    assert (notified.changed_by, notified.effective_on) == (personas.manager, date(2026, 3, 2))


def test_every_change_is_in_the_history_with_the_acting_person(personas: Personas):
    review = _decided(personas)
    records = list(Review.history.filter(id=review.pk).order_by("history_date", "history_id"))
    assert [r.stage for r in records] == [Stage.NOTIFIED, Stage.SCOPING, Stage.DECIDED, Stage.HOME_OFFICE_NOTIFIED]
    assert [r.history_user for r in records] == [personas.manager, personas.manager, personas.chair, personas.manager]
    process.review_pause(
        actor=personas.manager,
        review=review,
        version=review.version,
        reason=PauseReason.INQUEST,
        detail="",
        started_on=date(2026, 4, 1),
    )
    assert Pause.history.get().history_user == personas.manager


def test_the_next_stages_follow_the_process(personas: Personas):
    review = _new(personas)
    assert process.next_stages(review) == [Stage.SCOPING]
    hold = _decided(personas, reference="DHR 2026/08")
    assert process.next_stages(hold) == [Stage.COMMISSIONED]


def test_after_submission_the_outcome_leads_on_or_back_to_drafting(personas: Personas):
    review = _submitted(personas)
    assert process.next_stages(review) == [Stage.DRAFTING, Stage.QA_APPROVED]


# --- Refusals --------------------------------------------------------------------------------------------


def test_a_review_cannot_skip_a_stage(personas: Personas):
    review = _new(personas)
    with pytest.raises(ValidationError) as error:
        process.review_record_decision(
            actor=personas.chair,
            review=review,
            version=review.version,
            decision=Decision.HOLD,
            reasons="Criteria met",
            decided_on=date(2026, 3, 20),
        )
    assert "cannot move to" in error.value.messages[0]
    with pytest.raises(ValidationError):
        process.review_start_drafting(actor=personas.manager, review=review, version=review.version, started_on=TODAY)
    review.refresh_from_db()
    assert review.stage == Stage.NOTIFIED
    assert _stages(review) == [("", Stage.NOTIFIED)]


def test_a_closed_review_moves_nowhere(personas: Personas):
    review = _decided(personas, Decision.NOT_HOLD)
    process.review_close(
        actor=personas.manager, review=review, version=review.version, closed_on=date(2026, 4, 2), note="Not held"
    )
    with pytest.raises(ValidationError):
        process.review_start_scoping(actor=personas.manager, review=review, version=review.version, started_on=TODAY)
    with pytest.raises(ValidationError, match="closed review cannot be paused"):
        process.review_pause(
            actor=personas.manager,
            review=review,
            version=review.version,
            reason=PauseReason.INQUEST,
            detail="",
            started_on=TODAY,
        )


def test_the_decision_needs_a_decision_and_reasons(personas: Personas):
    review = _new(personas)
    process.review_start_scoping(actor=personas.manager, review=review, version=review.version, started_on=TODAY)
    with pytest.raises(ValidationError) as error:
        process.review_record_decision(
            actor=personas.chair, review=review, version=review.version, decision="", reasons="  ", decided_on=TODAY
        )
    assert set(error.value.message_dict) == {"decision", "reasons"}
    review.refresh_from_db()
    assert review.stage == Stage.SCOPING
    assert review.decision == ""


def test_dates_must_not_be_in_the_future_nor_before_the_last_step(personas: Personas):
    review = _new(personas)
    with pytest.raises(ValidationError) as error:
        process.review_start_scoping(
            actor=personas.manager, review=review, version=review.version, started_on=date(2026, 12, 2)
        )
    assert error.value.message_dict == {"started_on": ["The date must be today or in the past"]}
    with pytest.raises(ValidationError) as error:
        process.review_start_scoping(
            actor=personas.manager, review=review, version=review.version, started_on=date(2026, 3, 1)
        )
    assert error.value.message_dict == {"started_on": ["The date must be on or after the last step, 2 March 2026"]}


def test_a_decision_not_to_hold_closes_once_the_home_office_knows(personas: Personas):
    review = _decided(personas, Decision.NOT_HOLD)
    assert process.next_stages(review) == [Stage.CLOSED]
    with pytest.raises(ValidationError, match="decided to hold can be commissioned"):
        process.review_commission(
            actor=personas.manager,
            review=review,
            version=review.version,
            commissioned_on=TODAY,
            independent_chair="Dr Jo Independent",
            chair_certified=False,
        )
    with pytest.raises(ValidationError) as error:
        process.review_close(actor=personas.manager, review=review, version=review.version, closed_on=TODAY, note="")
    assert error.value.message_dict == {"note": ["Say why the review is closed"]}
    process.review_close(
        actor=personas.manager,
        review=review,
        version=review.version,
        closed_on=date(2026, 4, 2),
        note="The Home Office accepted the decision",
    )
    assert review.stage == Stage.CLOSED
    assert _stages(review)[-1] == (Stage.HOME_OFFICE_NOTIFIED, Stage.CLOSED)


def test_a_review_the_chair_decided_to_hold_is_not_closed_before_publication(personas: Personas):
    review = _decided(personas, Decision.HOLD)
    with pytest.raises(ValidationError, match="closed after publication"):
        process.review_close(actor=personas.manager, review=review, version=review.version, closed_on=TODAY, note="Why")


def test_sign_off_needs_a_draft_overview_report(personas: Personas):
    review = _to_drafting(personas)
    with pytest.raises(ValidationError, match="Upload the draft overview report"):
        process.review_sign_off(actor=personas.manager, review=review, version=review.version, signed_off_on=TODAY)
    assert Review.objects.get(pk=review.pk).stage == Stage.DRAFTING
    ReviewDocumentFactory(review=review, kind=DocumentKind.DRAFT, uploaded_by=personas.manager)
    process.review_sign_off(actor=personas.manager, review=review, version=review.version, signed_off_on=TODAY)
    assert review.stage == Stage.SIGNED_OFF


def test_changes_asked_for_send_the_review_back_to_drafting_then_it_is_submitted_again(personas: Personas):
    review = _submitted(personas)
    with pytest.raises(ValidationError) as error:
        process.review_record_qa_outcome(
            actor=personas.manager,
            review=review,
            version=review.version,
            outcome=QaOutcome.RESUBMIT,
            letter_on=date(2026, 8, 20),
        )
    assert error.value.message_dict == {"notes": ["Say what the panel asked to be changed"]}
    with pytest.raises(ValidationError) as error:
        process.review_record_qa_outcome(
            actor=personas.manager,
            review=review,
            version=review.version,
            outcome=QaOutcome.RESUBMIT,
            letter_on=date(2026, 7, 1),
            notes="Too early",
        )
    assert "letter_on" in error.value.message_dict
    process.review_record_qa_outcome(
        actor=personas.manager,
        review=review,
        version=review.version,
        outcome=QaOutcome.RESUBMIT,
        letter_on=date(2026, 8, 20),
        notes="Say more about the GP's contact",
    )
    assert review.stage == Stage.DRAFTING
    first = QaSubmission.objects.get(review=review)
    assert (first.outcome, first.letter_on) == (QaOutcome.RESUBMIT, date(2026, 8, 20))
    # Signed off and submitted again: a second submission, waiting for its outcome.
    process.review_sign_off(
        actor=personas.manager, review=review, version=review.version, signed_off_on=date(2026, 9, 15)
    )
    process.review_submit_to_qa(
        actor=personas.manager, review=review, version=review.version, submitted_on=date(2026, 9, 20)
    )
    assert review.stage == Stage.SUBMITTED
    assert list(QaSubmission.objects.filter(review=review).values_list("outcome", flat=True)) == [
        QaOutcome.RESUBMIT,
        QaOutcome.PENDING,
    ]
    process.review_record_qa_outcome(
        actor=personas.manager,
        review=review,
        version=review.version,
        outcome=QaOutcome.APPROVED,
        letter_on=date(2026, 11, 2),
    )
    assert review.stage == Stage.QA_APPROVED
    # The completion deadline was met by the first submission.
    completion = next(d for d in review_summary(review).deadlines if d.label.startswith("Submitted"))
    assert completion.met_on == date(2026, 7, 10)


def test_publication_needs_an_address_and_keeps_the_report_online_long_enough(personas: Personas):
    review = _submitted(personas)
    process.review_record_qa_outcome(
        actor=personas.manager,
        review=review,
        version=review.version,
        outcome=QaOutcome.APPROVED,
        letter_on=date(2026, 8, 20),
    )
    with pytest.raises(ValidationError) as error:
        process.review_publish(
            actor=personas.manager,
            review=review,
            version=review.version,
            published_on=date(2026, 9, 1),
            publication_url="riverton.example",
            takedown_on=date(2027, 1, 1),
        )
    assert set(error.value.message_dict) == {"publication_url", "takedown_on"}
    assert "1 September 2027" in error.value.message_dict["takedown_on"][0]


# --- Pauses --------------------------------------------------------------------------------------------


def test_a_paused_review_cannot_move_until_it_resumes(personas: Personas):
    review = _new(personas)
    pause = process.review_pause(
        actor=personas.manager,
        review=review,
        version=review.version,
        reason=PauseReason.CRIMINAL_TRIAL,
        detail="Trial listed for three weeks",
        started_on=date(2026, 3, 10),
    )
    assert pause.recorded_by == personas.manager
    with pytest.raises(ValidationError, match="paused"):
        process.review_start_scoping(
            actor=personas.manager, review=review, version=review.version, started_on=date(2026, 3, 20)
        )
    with pytest.raises(ValidationError, match="already paused"):
        process.review_pause(
            actor=personas.manager,
            review=review,
            version=review.version,
            reason=PauseReason.INQUEST,
            detail="",
            started_on=date(2026, 3, 11),
        )
    process.review_resume(actor=personas.manager, review=review, version=review.version, ended_on=date(2026, 4, 9))
    process.review_start_scoping(
        actor=personas.manager, review=review, version=review.version, started_on=date(2026, 4, 10)
    )
    assert review.stage == Stage.SCOPING


def test_pauses_count_on_the_clock_and_move_the_decision_deadline(personas: Personas):
    review = _new(personas)
    process.review_pause(
        actor=personas.manager,
        review=review,
        version=review.version,
        reason=PauseReason.CRIMINAL_TRIAL,
        detail="",
        started_on=date(2026, 3, 10),
    )
    process.review_resume(actor=personas.manager, review=review, version=review.version, ended_on=date(2026, 4, 9))
    process.review_pause(
        actor=personas.manager,
        review=review,
        version=review.version,
        reason=PauseReason.INQUEST,
        detail="",
        started_on=date(2026, 11, 21),
    )
    row = review_summary(review, TODAY)
    assert row.clock.elapsed_days == (TODAY - date(2026, 3, 2)).days
    assert row.clock.paused_days == 30 + 10
    assert row.clock.active_days == row.clock.elapsed_days - 40
    assert row.clock.paused_since == date(2026, 11, 21)
    decision = row.deadlines[0]
    assert decision.paused_days == 40
    assert decision.allowing_for_pauses(TODAY).endswith("allowing for 40 days paused")


def test_pause_and_resume_dates_are_checked(personas: Personas):
    review = _new(personas)
    with pytest.raises(ValidationError) as error:
        process.review_pause(
            actor=personas.manager, review=review, version=review.version, reason="", detail="", started_on=TODAY
        )
    assert set(error.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError) as error:
        process.review_pause(
            actor=personas.manager,
            review=review,
            version=review.version,
            reason=PauseReason.OTHER,
            detail="",
            started_on=date(2026, 3, 1),
        )
    assert set(error.value.message_dict) == {"detail", "started_on"}
    with pytest.raises(ValidationError, match="not paused"):
        process.review_resume(actor=personas.manager, review=review, version=review.version, ended_on=TODAY)
    process.review_pause(
        actor=personas.manager,
        review=review,
        version=review.version,
        reason=PauseReason.FAMILY,
        detail="",
        started_on=date(2026, 5, 1),
    )
    with pytest.raises(ValidationError) as error:
        process.review_resume(actor=personas.manager, review=review, version=review.version, ended_on=date(2026, 4, 1))
    assert error.value.message_dict == {"ended_on": ["The pause cannot end before it started, 1 May 2026"]}
    assert Pause.objects.get(review=review).ended_on is None


# --- Concurrent edits -------------------------------------------------------------------------------------


def test_a_step_from_a_stale_page_is_refused_with_the_current_review(personas: Personas):
    review = _new(personas)
    opened_at = review.version
    process.review_start_scoping(actor=personas.manager, review=review, version=opened_at, started_on=TODAY)
    stale = Review.objects.get(pk=review.pk)
    with pytest.raises(StaleEdit) as error:
        process.review_pause(
            actor=personas.manager,
            review=stale,
            version=opened_at,
            reason=PauseReason.INQUEST,
            detail="",
            started_on=TODAY,
        )
    assert error.value.current.stage == Stage.SCOPING
    assert error.value.current.version == opened_at + 1
    assert not Pause.objects.exists()


def test_case_details_from_a_stale_page_are_refused(personas: Personas):
    review = _new(personas)
    with pytest.raises(StaleEdit):
        process.review_update_case(
            actor=personas.manager,
            review=review,
            version=review.version - 1,
            case=new_case(victim_pseudonym="Adult C"),
        )
    assert Review.objects.get(pk=review.pk).victim_pseudonym == "Adult A"
