"""Which reminder is due today for an item with a due date: the window arithmetic, pure functions.

Offsets are days before the due date (0: on the day). On any day the latest window reached is the one
due, so a planner that missed a day (a server down over a weekend) still sends the reminder that
matters now — once, as the window is part of the reminder's unique key — and never a stale earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Offsets:
    days_before: tuple[int, ...]
    weekly_when_overdue: bool = False


def current_window(day: date, due: date, offsets: Offsets) -> str | None:
    """The key of the reminder due on `day` for something due on `due`, or None.

    before-N:<due> from N days before (the smallest N reached wins); overdue-W:<due> every 7 days
    after the due date while the item stays open, if the kind reminds weekly.
    """
    if day > due and offsets.weekly_when_overdue and (day - due).days >= 7:
        return f"overdue-{(day - due).days // 7}:{due.isoformat()}"
    if day > due and not offsets.weekly_when_overdue:
        # Nothing after the due date for kinds that do not chase: not even a late "on the day" reminder
        # for an item created, reassigned or re-dated after it fell due.
        return None
    reached = [n for n in offsets.days_before if day >= due - timedelta(days=n)]
    if not reached:
        return None
    return f"before-{min(reached)}:{due.isoformat()}"


def working_days_before(day: date, count: int) -> date:
    """The date `count` working days (Monday to Friday) before `day`; bank holidays are not counted out."""
    current = day
    while count > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current
