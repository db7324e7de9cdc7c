"""Deadline arithmetic for reviews: the statutory dates from the partnership's rules, and the elapsed
time with and without pauses (DOMAIN.md §2.2: reviews are slow, so show the clock and its pauses).

Pure functions of a review, its pauses, agencies and QA submissions, and today's date: no queries of
their own when those are prefetched.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from reviews.choices import Decision, Stage
from reviews.models import Agency, Pause, QaSubmission, Review, ReviewRules


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 January + 1 month = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days_phrase(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


@dataclass(frozen=True)
class Deadline:
    label: str
    due_on: date
    met_on: date | None = None
    paused_days: int = 0  # days paused since the clock for this deadline started

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days

    def is_overdue(self, today: date) -> bool:
        return self.met_on is None and today > self.due_on

    def status(self, today: date) -> str:
        """ "Met on 3 May 2026", "Due today", "Due in 5 days" or "Overdue by 3 days"."""
        if self.met_on is not None:
            late = (self.met_on - self.due_on).days
            suffix = f", {days_phrase(late)} late" if late > 0 else ""
            return f"Met on {self.met_on:%-d %B %Y}{suffix}"
        left = self.days_left(today)
        if left == 0:
            return "Due today"
        if left > 0:
            return f"Due in {days_phrase(left)}"
        return f"Overdue by {days_phrase(-left)}"

    def allowing_for_pauses(self, today: date) -> str:
        """The same deadline moved by the days paused, for reviews that waited for a trial or inquest."""
        if not self.paused_days or self.met_on is not None:
            return ""
        moved = Deadline(self.label, date.fromordinal(self.due_on.toordinal() + self.paused_days))
        return f"{moved.status(today)} allowing for {days_phrase(self.paused_days)} paused"


def paused_days(pauses: Iterable[Pause], start: date, end: date) -> int:
    """Days between start and end (exclusive) on which the review was paused; overlaps counted once."""
    days: set[int] = set()
    for pause in pauses:
        first = max(pause.started_on, start)
        last = min(pause.ended_on or end, end)
        days.update(range(first.toordinal(), last.toordinal()))
    return len(days)


@dataclass(frozen=True)
class Clock:
    """Elapsed days since notification (to closure or today), with and without pauses."""

    elapsed_days: int
    paused_days: int
    paused_since: date | None

    @property
    def active_days(self) -> int:
        return self.elapsed_days - self.paused_days


def review_clock(review: Review, pauses: list[Pause], today: date) -> Clock:
    end = review.closed_on or today
    open_pause = next((p for p in pauses if p.ended_on is None), None)
    return Clock(
        elapsed_days=max((end - review.notified_on).days, 0),
        paused_days=paused_days(pauses, review.notified_on, end),
        paused_since=open_pause.started_on if open_pause else None,
    )


def review_deadlines(
    review: Review,
    rules: ReviewRules,
    *,
    pauses: list[Pause],
    agencies: list[Agency],
    submissions: list[QaSubmission],
    today: date,
) -> list[Deadline]:
    """Every statutory date of the review that applies so far, in date order."""
    deadlines = [
        Deadline(
            "Decision whether to hold a review",
            add_months(review.notified_on, rules.decision_months),
            review.decided_on,
            paused_days(pauses, review.notified_on, review.decided_on or today),
        )
    ]
    if review.decided_on is not None:
        deadlines.append(
            Deadline(
                "Home Office notified of the decision",
                date.fromordinal(review.decided_on.toordinal() + rules.home_office_days),
                review.home_office_notified_on,
            )
        )
    if review.decided_on is not None and review.decision == Decision.HOLD:
        first_submission = submissions[0].submitted_on if submissions else None
        deadlines.append(
            Deadline(
                "Submitted for Home Office quality assurance",
                add_months(review.decided_on, review.completion_months),
                first_submission,
                paused_days(pauses, review.decided_on, first_submission or today),
            )
        )
    if review.stage != Stage.CLOSED:
        for agency in agencies:
            if agency.imr_due_on and agency.imr_requested_on:
                deadlines.append(
                    Deadline(
                        f"Individual management review from {agency.organisation.name}",
                        agency.imr_due_on,
                        agency.imr_received_on,
                    )
                )
            if agency.chronology_due_on and agency.chronology_requested_on:
                deadlines.append(
                    Deadline(
                        f"Chronology from {agency.organisation.name}",
                        agency.chronology_due_on,
                        agency.chronology_received_on,
                    )
                )
    return sorted(deadlines, key=lambda d: (d.due_on, d.label))


def next_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """The earliest deadline not yet met: the one a list of reviews shows."""
    return next((d for d in deadlines if d.met_on is None), None)
