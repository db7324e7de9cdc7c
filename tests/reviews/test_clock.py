"""Deadline arithmetic (reviews/clock.py): months that end early, the wording of each deadline's status,
days paused when pauses overlap or are still open, and which deadlines a review has at each stage.

Most of these are pure functions of unsaved rows and a given day; those that read today's date pin it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from reviews.choices import Decision, PauseReason, Stage
from reviews.clock import (
    Deadline,
    add_months,
    next_deadline,
    paused_days,
    review_clock,
    review_deadlines,
)
from reviews.models import Agency, Pause, QaSubmission, Review, ReviewRules
from reviews.selectors import review_summary
from tests.factories import OrganisationFactory
from tests.reviews.factories import AgencyFactory, ReviewFactory

NOTIFIED = date(2026, 3, 2)


def _pause(start: date, end: date | None = None) -> Pause:
    return Pause(reason=PauseReason.CRIMINAL_TRIAL, started_on=start, ended_on=end)


def _review(**fields) -> Review:  # type: ignore[no-untyped-def]
    return Review(notified_on=NOTIFIED, stage=fields.pop("stage", Stage.SCOPING), **fields)


def _deadlines(review: Review, *, rules: ReviewRules | None = None, today: date = date(2026, 3, 20), **parts):  # type: ignore[no-untyped-def]
    return review_deadlines(
        review,
        rules or ReviewRules(),
        pauses=parts.get("pauses", []),
        agencies=parts.get("agencies", []),
        submissions=parts.get("submissions", []),
        today=today,
    )


# --- add_months -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # February is shorter: its last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # 29 February a year on, in a common year
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # across the new year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 3, 2), 1, date(2026, 4, 2)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_months_last_day(day, months, expected):
    assert add_months(day, months) == expected


# --- Deadline.status ------------------------------------------------------------------------------------


def test_a_deadline_says_how_long_is_left_or_how_late_it_is():
    deadline = Deadline("Decision whether to hold a review", date(2026, 4, 2))
    assert deadline.status(date(2026, 4, 2)) == "Due today"
    assert deadline.status(date(2026, 4, 1)) == "Due in 1 day"
    assert deadline.status(date(2026, 3, 23)) == "Due in 10 days"
    assert deadline.status(date(2026, 4, 3)) == "Overdue by 1 day"
    assert deadline.status(date(2026, 4, 12)) == "Overdue by 10 days"
    assert not deadline.is_overdue(date(2026, 4, 2))
    assert deadline.is_overdue(date(2026, 4, 3))


def test_a_met_deadline_says_when_and_how_late_whatever_the_day():
    on_time = Deadline("Decision", date(2026, 4, 2), met_on=date(2026, 3, 30))
    assert on_time.status(date(2027, 1, 1)) == "Met on 30 March 2026"
    assert Deadline("Decision", date(2026, 4, 2), met_on=date(2026, 4, 2)).status(date(2026, 5, 1)) == (
        "Met on 2 April 2026"
    )
    assert Deadline("Decision", date(2026, 4, 2), met_on=date(2026, 4, 3)).status(date(2026, 5, 1)) == (
        "Met on 3 April 2026, 1 day late"
    )
    assert Deadline("Decision", date(2026, 4, 2), met_on=date(2026, 4, 9)).status(date(2026, 5, 1)) == (
        "Met on 9 April 2026, 7 days late"
    )
    assert not Deadline("Decision", date(2026, 4, 2), met_on=date(2026, 4, 9)).is_overdue(date(2026, 5, 1))


def test_a_deadline_allowing_for_pauses_moves_by_the_days_paused():
    deadline = Deadline("Submitted for Home Office quality assurance", date(2026, 10, 2), paused_days=30)
    assert deadline.status(date(2026, 10, 12)) == "Overdue by 10 days"
    assert deadline.allowing_for_pauses(date(2026, 10, 12)) == "Due in 20 days allowing for 30 days paused"
    assert Deadline("Decision", date(2026, 4, 2)).allowing_for_pauses(date(2026, 4, 1)) == ""
    met = Deadline("Decision", date(2026, 4, 2), met_on=date(2026, 4, 1), paused_days=3)
    assert met.allowing_for_pauses(date(2026, 4, 1)) == ""


# --- Pauses ---------------------------------------------------------------------------------------------


def test_days_paused_count_overlapping_pauses_once():
    pauses = [_pause(date(2026, 4, 1), date(2026, 4, 11)), _pause(date(2026, 4, 6), date(2026, 4, 16))]
    assert paused_days(pauses, NOTIFIED, date(2026, 6, 1)) == 15


def test_an_open_pause_counts_to_the_end_of_the_period():
    pauses = [_pause(date(2026, 4, 1), date(2026, 4, 5)), _pause(date(2026, 5, 1))]
    assert paused_days(pauses, NOTIFIED, date(2026, 5, 11)) == 4 + 10


def test_days_paused_are_clipped_to_the_period():
    pauses = [_pause(date(2026, 3, 1), date(2026, 3, 11))]
    assert paused_days(pauses, date(2026, 3, 5), date(2026, 3, 8)) == 3
    assert paused_days(pauses, date(2026, 4, 1), date(2026, 5, 1)) == 0
    assert paused_days([], NOTIFIED, date(2026, 5, 1)) == 0


def test_the_clock_shows_elapsed_days_with_and_without_pauses_and_since_when_paused():
    review = _review()
    pauses = [_pause(date(2026, 3, 12), date(2026, 3, 22)), _pause(date(2026, 4, 1))]
    clock = review_clock(review, pauses, date(2026, 4, 11))
    assert clock.elapsed_days == 40
    assert clock.paused_days == 10 + 10
    assert clock.active_days == 20
    assert clock.paused_since == date(2026, 4, 1)


def test_a_closed_reviews_clock_stops_at_closure():
    review = _review(stage=Stage.CLOSED, closed_on=date(2026, 5, 1))
    clock = review_clock(review, [_pause(date(2026, 4, 1), date(2026, 4, 11))], date(2027, 1, 1))
    assert (clock.elapsed_days, clock.paused_days, clock.paused_since) == (60, 10, None)


# --- The deadlines of each stage -----------------------------------------------------------------------


def test_before_the_decision_only_the_decision_is_due_a_month_after_notification():
    deadlines = _deadlines(_review())
    assert [(d.label, d.due_on, d.met_on) for d in deadlines] == [
        ("Decision whether to hold a review", date(2026, 4, 2), None)
    ]
    assert deadlines[0].status(date(2026, 3, 20)) == "Due in 13 days"


def test_the_decision_deadline_follows_the_partnerships_rules_and_counts_pauses():
    rules = ReviewRules(decision_months=2)
    deadlines = _deadlines(_review(), rules=rules, pauses=[_pause(date(2026, 3, 10), date(2026, 3, 15))])
    assert deadlines[0].due_on == date(2026, 5, 2)
    assert deadlines[0].paused_days == 5


def test_a_decision_to_hold_brings_the_home_office_and_completion_deadlines():
    review = _review(stage=Stage.DECIDED, decision=Decision.HOLD, decided_on=date(2026, 3, 31), completion_months=6)
    deadlines = _deadlines(review, today=date(2026, 4, 1))
    # In date order: the Home Office is due with the decision, before the decision's own deadline.
    assert [(d.label, d.due_on, d.met_on) for d in deadlines] == [
        ("Home Office notified of the decision", date(2026, 3, 31), None),
        ("Decision whether to hold a review", date(2026, 4, 2), date(2026, 3, 31)),
        ("Submitted for Home Office quality assurance", date(2026, 9, 30), None),
    ]
    assert deadlines[0].status(date(2026, 4, 1)) == "Overdue by 1 day"
    assert deadlines[1].status(date(2026, 4, 1)) == "Met on 31 March 2026"


def test_the_home_office_deadline_can_allow_days_after_the_decision():
    review = _review(stage=Stage.DECIDED, decision=Decision.HOLD, decided_on=date(2026, 3, 31))
    deadlines = _deadlines(review, rules=ReviewRules(home_office_days=7))
    assert next(d for d in deadlines if d.label.startswith("Home Office")).due_on == date(2026, 4, 7)


def test_twelve_months_to_completion_when_the_review_is_set_so():
    review = _review(
        stage=Stage.COMMISSIONED, decision=Decision.HOLD, decided_on=date(2026, 3, 31), completion_months=12
    )
    completion = next(d for d in _deadlines(review) if d.label.startswith("Submitted"))
    assert completion.due_on == date(2027, 3, 31)


def test_a_decision_not_to_hold_has_no_completion_deadline():
    review = _review(stage=Stage.DECIDED, decision=Decision.NOT_HOLD, decided_on=date(2026, 3, 20))
    labels = [d.label for d in _deadlines(review)]
    assert sorted(labels) == ["Decision whether to hold a review", "Home Office notified of the decision"]


def test_the_first_submission_meets_the_completion_deadline_and_pauses_move_it():
    review = _review(stage=Stage.SUBMITTED, decision=Decision.HOLD, decided_on=date(2026, 3, 31))
    submissions = [
        QaSubmission(submitted_on=date(2026, 10, 15)),
        QaSubmission(submitted_on=date(2026, 12, 1)),
    ]
    pauses = [_pause(date(2026, 5, 1), date(2026, 6, 1))]
    completion = next(
        d for d in _deadlines(review, submissions=submissions, pauses=pauses) if d.label.startswith("Submitted")
    )
    assert completion.met_on == date(2026, 10, 15)
    assert completion.paused_days == 31
    assert completion.status(date(2027, 1, 1)) == "Met on 15 October 2026, 15 days late"


def test_requested_reports_have_the_due_dates_the_panel_set(db):
    review = ReviewFactory()
    police = AgencyFactory(
        review=review,
        organisation=OrganisationFactory(name="Shire Police"),
        imr_due_on=date(2026, 5, 1),
        imr_received_on=date(2026, 4, 28),
    )
    police.chronology_requested_on, police.chronology_due_on = date(2026, 3, 20), date(2026, 4, 15)
    not_asked = AgencyFactory(
        review=review, organisation=OrganisationFactory(name="Shire Council"), imr_requested_on=None
    )
    deadlines = _deadlines(review, agencies=[police, not_asked], today=date(2026, 4, 20))
    by_label = {d.label: d for d in deadlines}
    imr = by_label[f"Individual management review from {police.organisation.name}"]
    chronology = by_label[f"Chronology from {police.organisation.name}"]
    assert (imr.due_on, imr.met_on) == (date(2026, 5, 1), date(2026, 4, 28))
    assert chronology.status(date(2026, 4, 20)) == "Overdue by 5 days"
    assert f"Individual management review from {not_asked.organisation.name}" not in by_label
    # Earliest first: the decision (2 April), the chronology (15 April), the report (1 May).
    assert [d.due_on for d in deadlines] == sorted(d.due_on for d in deadlines)
    assert next_deadline(deadlines) == by_label["Decision whether to hold a review"]


def test_a_closed_review_has_no_report_deadlines():
    review = _review(stage=Stage.CLOSED, closed_on=date(2026, 6, 1))
    agency = Agency(imr_requested_on=date(2026, 3, 20), imr_due_on=date(2026, 5, 1))
    assert [d.label for d in _deadlines(review, agencies=[agency])] == ["Decision whether to hold a review"]


def test_next_deadline_is_the_earliest_not_met():
    met = Deadline("A", date(2026, 3, 1), met_on=date(2026, 3, 1))
    later = Deadline("C", date(2026, 5, 1))
    sooner = Deadline("B", date(2026, 4, 1))
    assert next_deadline([met, sooner, later]) == sooner
    assert next_deadline([met]) is None


@pytest.mark.django_db
def test_a_reviews_summary_measures_against_today(personas):
    review = ReviewFactory(partnership=personas.csp)
    with time_machine.travel(datetime(2026, 4, 5, 9, 0, tzinfo=UTC), tick=False):
        row = review_summary(review)
    assert row.clock.elapsed_days == 34
    assert row.next_deadline is not None
    assert row.next_deadline.status(date(2026, 4, 5)) == "Overdue by 3 days"
