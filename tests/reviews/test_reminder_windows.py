"""The reminder window arithmetic (reviews/reminders/windows.py): which reminder is due on a day.

Pure functions of dates; the due date throughout is Tuesday 30 June 2026.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reviews.reminders.windows import Offsets, current_window, working_days_before

DUE = date(2026, 6, 30)
ACTION = Offsets((14, 0), weekly_when_overdue=True)


def days(n: int) -> date:
    """`n` days after the due date (negative: before it)."""
    return DUE + timedelta(days=n)


def test_nothing_before_the_first_window() -> None:
    assert current_window(days(-15), DUE, ACTION) is None
    assert current_window(days(-400), DUE, Offsets((90,))) is None


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-14, "before-14:2026-06-30"),
        (-13, "before-14:2026-06-30"),
        (-1, "before-14:2026-06-30"),
        (0, "before-0:2026-06-30"),
    ],
)
def test_before_windows_from_n_days_before(offset: int, expected: str) -> None:
    assert current_window(days(offset), DUE, ACTION) == expected


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-30, "before-30"), (-15, "before-30"), (-14, "before-14"), (-8, "before-14"), (-7, "before-7"), (0, "before-7")],
)
def test_the_smallest_window_reached_wins_whatever_the_order(offset: int, expected: str) -> None:
    for order in ((30, 14, 7), (7, 30, 14)):
        assert current_window(days(offset), DUE, Offsets(order)) == f"{expected}:2026-06-30"


def test_on_the_day() -> None:
    assert current_window(DUE, DUE, ACTION) == "before-0:2026-06-30"
    assert current_window(DUE, DUE, Offsets((0,))) == "before-0:2026-06-30"


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        # The first week overdue stays in the on-the-day window: no second reminder yet.
        (1, "before-0:2026-06-30"),
        (6, "before-0:2026-06-30"),
        (7, "overdue-1:2026-06-30"),
        (13, "overdue-1:2026-06-30"),
        (14, "overdue-2:2026-06-30"),
        (21, "overdue-3:2026-06-30"),
        (70, "overdue-10:2026-06-30"),
    ],
)
def test_weekly_while_overdue(offset: int, expected: str) -> None:
    assert current_window(days(offset), DUE, ACTION) == expected


def test_weekly_kind_without_an_on_the_day_reminder_chases_from_day_seven() -> None:
    offsets = Offsets((14,), weekly_when_overdue=True)
    assert current_window(days(3), DUE, offsets) == "before-14:2026-06-30"
    assert current_window(days(7), DUE, offsets) == "overdue-1:2026-06-30"


@pytest.mark.parametrize("offsets", [Offsets((60, 30)), Offsets((7,)), Offsets((14, 0)), Offsets((0,))])
@pytest.mark.parametrize("offset", [1, 7, 14, 365])
def test_nothing_after_the_due_date_for_kinds_that_do_not_chase(offsets: Offsets, offset: int) -> None:
    assert current_window(days(offset), DUE, offsets) is None


def test_no_days_before_and_no_chasing_never_reminds() -> None:
    for offset in (-30, 0, 30):
        assert current_window(days(offset), DUE, Offsets(())) is None


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2026, 6, 30), 0, date(2026, 6, 30)),  # Tuesday: no days back
        (date(2026, 6, 30), 1, date(2026, 6, 29)),  # Tuesday → Monday
        (date(2026, 6, 29), 1, date(2026, 6, 26)),  # Monday → the Friday before
        (date(2026, 6, 28), 1, date(2026, 6, 26)),  # Sunday → Friday
        (date(2026, 6, 27), 1, date(2026, 6, 26)),  # Saturday → Friday
        (date(2026, 6, 30), 5, date(2026, 6, 23)),  # a working week is seven days
        (date(2026, 6, 30), 10, date(2026, 6, 16)),  # the quarterly update window of the June quarter
        (date(2026, 9, 30), 10, date(2026, 9, 16)),
        (date(2026, 12, 31), 10, date(2026, 12, 17)),  # bank holidays are not counted out
    ],
)
def test_working_days_before_skips_weekends(day: date, count: int, expected: date) -> None:
    assert working_days_before(day, count) == expected
    assert expected.weekday() < 5 or count == 0
