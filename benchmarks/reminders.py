"""Daily reminder planning at national scale: 300 partnerships, 100,000 open actions, 20,000 people.

Load data, added to the national load data (benchmarks/generate.py: the CSPs of England and Wales and
20,000 people with roles), deterministic for a seed:

- 300 CSPs (Birmingham and Rutland among them) get an agreed action plan each; the open actions are
  shared between them by the square root of their role holders (Birmingham about 1,900, Rutland about
  160), each led by one of the partnership's current role holders for the organisation they work for;
- due dates spread so that a realistic share is due on the day planned, Friday 20 June 2025: 15% overdue
  by up to six months (weekly reminders, copied to the managers), the rest due within two years (about 2%
  within the 14-day window); that day is inside the quarter's last ten working days, so the lead officers
  of actions with no progress update this quarter (about 30%) are reminded of that too: a heavy day;
- 30 partnerships have their own days for action reminders (30, 7 and 0 days before, weekly when
  overdue), 20 their own for quarterly updates; 1,000 people have switched off quarterly update
  reminders and 200 the managers' copies.

The actions go in two steps, 25,000 and then 75,000 more, and the day is planned after each: the planner
(planner.plan) with sending.record storing every reminder, as the daily task does, timed as one (wall
time); then again into an empty table under tracemalloc for the Python heap's peak; then once more as a
re-run of the day, which must record nothing new. Queries are counted as they reach the database driver
(connection.execute_wrapper): the planner's reads must be the same at 25,000 actions as at 100,000
(run.py fails otherwise), while the inserts grow with the reminders (one per 2,000).

Run with the other benchmarks (`make bench`), or alone on a fresh national database:
`.venv/bin/python benchmarks/reminders.py` (DATABASE_URL as for run.py).
"""

from __future__ import annotations

import gc
import math
import random
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: benchmarks/reminders.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DAY = date(2025, 6, 20)
PARTNERSHIPS = 300
STEPS = (25_000, 100_000)
BATCH = 5_000
PERIOD = (date(2024, 4, 1), date(2027, 3, 31))


@dataclass
class ReminderResult:
    actions: int  # open actions in the database (the national load data's action plans included)
    people: int  # people with a role on the day
    reminders: int  # reminders the planner found due
    recorded: int  # rows stored by the first run
    recipients: int  # people with a digest to send
    seconds: float  # planner.plan + sending.record, wall time
    plan_seconds: float  # planner.plan alone (the reminders counted, not stored)
    reads: int  # queries other than INSERT: the planner's, and sending.record's counts
    inserts: int  # sending.record's INSERT statements
    heap_peak_mb: float  # tracemalloc's peak over planner.plan + sending.record
    rerun_seconds: float  # the same day again: everything is recorded already
    rerun_recorded: int  # rows a re-run stored (must be 0)


class _Queries:
    """Counts the statements reaching the database driver: INSERTs apart from the rest."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.counts["insert" if sql.lstrip().upper().startswith("INSERT") else "read"] += 1
        return execute(sql, params, many, context)


def _partnerships(rng: random.Random) -> list[tuple[int, list[tuple[int, int, str]]]]:
    """300 CSPs with their role holders on the day: (partnership, [(person, organisation, role), …])."""
    from benchmarks.generate import LARGE_CSP, SMALL_CSP
    from partnerships.models import Partnership, PartnershipKind, RoleAssignment

    csps = list(Partnership.objects.filter(kind=PartnershipKind.CSP).order_by("ons_code").values_list("pk", "ons_code"))
    chosen = [pk for pk, code in csps if code in (LARGE_CSP, SMALL_CSP)]
    others = [pk for pk, code in csps if code not in (LARGE_CSP, SMALL_CSP)]
    chosen += rng.sample(others, PARTNERSHIPS - len(chosen))
    holders: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    roles = RoleAssignment.objects.current(DAY).filter(partnership_id__in=chosen, person__is_active=True)
    for person, partnership, organisation, role in roles.order_by("pk").values_list(
        "person_id", "partnership_id", "organisation_id", "role"
    ):
        holders[partnership].append((person, organisation, role))
    return [(pk, holders[pk]) for pk in sorted(chosen) if holders[pk]]


def _settings(partnerships: list[int], rng: random.Random) -> None:
    """Some partnerships' own reminder days, and some people's opt-outs."""
    from partnerships.models import RoleAssignment
    from reviews.reminders.models import ReminderKind, ReminderOffsets, ReminderOptOut

    ReminderOffsets.objects.bulk_create(
        [
            ReminderOffsets(
                partnership_id=pk, kind=ReminderKind.ACTION_DUE, days_before=[30, 7, 0], weekly_when_overdue=True
            )
            for pk in rng.sample(partnerships, 30)
        ]
        + [
            ReminderOffsets(partnership_id=pk, kind=ReminderKind.QUARTER_UPDATE, days_before=[15, 5, 0])
            for pk in rng.sample(partnerships, 20)
        ]
    )
    people = sorted(set(RoleAssignment.objects.current(DAY).values_list("person_id", flat=True)))
    ReminderOptOut.objects.bulk_create(
        [ReminderOptOut(person_id=p, kind=ReminderKind.QUARTER_UPDATE) for p in rng.sample(people, 1_000)]
        + [ReminderOptOut(person_id=p, kind=ReminderKind.ACTION_OVERDUE_COPY) for p in rng.sample(people, 200)]
    )


@dataclass
class _Loader:
    """Adds open actions to one agreed plan per partnership, the partnerships weighted by √(role holders)."""

    rng: random.Random
    partnerships: list[tuple[int, list[tuple[int, int, str]]]]
    plans: dict[int, int]
    made: int = 0

    def add(self, count: int) -> None:
        from actionplans.models import Action, ActionStatus

        weights = [math.sqrt(len(holders)) for _, holders in self.partnerships]
        statuses = [ActionStatus.IN_PROGRESS] * 15 + [ActionStatus.NOT_STARTED] * 4 + [ActionStatus.DEFERRED]
        quarter = date(DAY.year, 4, 1)
        rows = []
        for pk, holders in self.rng.choices(self.partnerships, weights=weights, k=count):
            person, organisation, _role = self.rng.choice(holders)
            if self.rng.random() < 0.15:
                due = DAY - timedelta(days=self.rng.randint(1, 180))
            else:
                due = DAY + timedelta(days=self.rng.randint(0, 730))
            start = max(PERIOD[0], due - timedelta(days=self.rng.randint(60, 700)))
            start = min(start, due)
            share = self.rng.random()
            if start > DAY:
                updated = None
            elif share < 0.7:
                updated = quarter + timedelta(days=self.rng.randint(0, (DAY - quarter).days))
            elif share < 0.9:
                updated = quarter - timedelta(days=self.rng.randint(1, 90))
            else:
                updated = None
            self.made += 1
            rows.append(
                Action(
                    action_plan_id=self.plans[pk],
                    reference=f"R{self.made}",
                    title=f"Action {self.made}: reduce harm through partnership patrols and engagement",
                    lead_organisation_id=organisation,
                    lead_officer_id=person,
                    start_date=start,
                    due_date=due,
                    status=self.rng.choice(statuses),
                    last_update_on=updated,
                    percent_complete=0 if updated is None else self.rng.randint(5, 95),
                )
            )
            if len(rows) == BATCH:
                Action.objects.bulk_create(rows)
                rows = []
        Action.objects.bulk_create(rows)


def load(seed: int) -> _Loader:
    """Plans, offsets and opt-outs; the actions come in steps (_Loader.add)."""
    from django.db import transaction

    from actionplans.models import ActionPlan, ActionPlanStatus

    rng = random.Random(seed)
    partnerships = _partnerships(rng)
    with transaction.atomic():
        plans = ActionPlan.objects.bulk_create(
            ActionPlan(
                partnership_id=pk,
                title="Community Safety Action Plan 2024–2027 (reminders benchmark)",
                period_start=PERIOD[0],
                period_end=PERIOD[1],
                status=ActionPlanStatus.AGREED,
                agreed_on=date(2024, 5, 1),
                agreed_by="Responsible Authorities Group",
            )
            for pk, _ in partnerships
        )
        _settings([pk for pk, _ in partnerships], rng)
    return _Loader(rng, partnerships, {plan.partnership_id: plan.pk for plan in plans})


def _empty_reminders() -> None:
    from django.db import connection

    from reviews.reminders.models import Reminder

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Reminder._meta.db_table}")


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _plan_and_record() -> int:
    """The daily task's work: every reminder due, stored (those stored already are left as they are)."""
    from reviews.reminders import planner, sending

    return sending.record(planner.plan(DAY), DAY)


def measure() -> ReminderResult:
    """Plan the day: alone, with recording (timed, queries counted), under tracemalloc, and re-run."""
    from django.db import connection

    from actionplans.models import Action
    from actionplans.selectors import OPEN_STATUSES
    from partnerships.models import RoleAssignment
    from reviews.reminders import planner, sending
    from reviews.reminders.models import Reminder

    _analyze()
    actions = Action.objects.filter(status__in=OPEN_STATUSES).count()
    people = RoleAssignment.objects.current(DAY).values("person").distinct().count()

    _empty_reminders()
    gc.collect()
    started = time.perf_counter()
    reminders = sum(1 for _ in planner.plan(DAY))
    plan_seconds = time.perf_counter() - started

    queries = _Queries()
    gc.collect()
    with connection.execute_wrapper(queries):
        started = time.perf_counter()
        found = _plan_and_record()
        seconds = time.perf_counter() - started
    recorded = Reminder.objects.count()
    if found != reminders:
        raise SystemExit(f"The planner found {found} reminders, then {reminders}")
    recipients = len(sending.recipients_waiting())

    started = time.perf_counter()
    _plan_and_record()
    rerun_seconds = time.perf_counter() - started
    after_rerun = Reminder.objects.count()

    _empty_reminders()
    gc.collect()
    tracemalloc.start()
    _plan_and_record()
    heap_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    return ReminderResult(
        actions=actions,
        people=people,
        reminders=reminders,
        recorded=recorded,
        recipients=recipients,
        seconds=seconds,
        plan_seconds=plan_seconds,
        reads=queries.counts["read"],
        inserts=queries.counts["insert"],
        heap_peak_mb=heap_peak / 1024 / 1024,
        rerun_seconds=rerun_seconds,
        rerun_recorded=after_rerun - recorded,
    )


def run(*, seed: int = 20_260_401, steps: Iterable[int] = STEPS) -> list[ReminderResult]:
    """Add the actions step by step (25,000, then up to 100,000) and plan the day after each step."""
    loader = load(seed)
    results = []
    for total in steps:
        loader.add(total - loader.made)
        results.append(measure())
    return results


def print_results(results: list[ReminderResult], *, say: Callable[[str], None] = print) -> None:
    header = (
        f"{'open actions':>12} {'people':>7} {'reminders':>10} {'recipients':>10} {'seconds':>8} "
        f"{'plan s':>7} {'reads':>6} {'inserts':>8} {'heap peak MB':>13} {'re-run s':>9} {'re-run rows':>12}"
    )
    say(header)
    say("-" * len(header))
    for r in results:
        say(
            f"{r.actions:>12,} {r.people:>7,} {r.reminders:>10,} {r.recipients:>10,} {r.seconds:>8.1f} "
            f"{r.plan_seconds:>7.1f} {r.reads:>6} {r.inserts:>8} {r.heap_peak_mb:>13.1f} {r.rerun_seconds:>9.1f} "
            f"{r.rerun_recorded:>12}"
        )
    small, large = results[0], results[-1]
    say(
        f"  heap peak {large.heap_peak_mb:.1f} MB at {large.actions:,} open actions against "
        f"{small.heap_peak_mb:.1f} MB at {small.actions:,}; the planner's reads {large.reads} against {small.reads}"
    )
    say(
        "seconds: planner.plan + sending.record (every reminder stored), wall time; plan s: the planner alone;\n"
        "reads: queries but INSERTs; heap peak MB: tracemalloc over plan + record; re-run: the same day again."
    )
    target = "within" if large.seconds < 60 else "OVER"
    say(f"  {large.actions:,} open actions planned and recorded in {large.seconds:.1f} s: {target} the 60 s target")


def failures(results: list[ReminderResult]) -> list[str]:
    """What must hold whatever the machine: reads that do not grow with the actions, re-runs that add nothing."""
    found = []
    if len({r.reads for r in results}) > 1:
        found.append(f"the planner's reads grew with the actions: {[r.reads for r in results]}")
    found += [f"a re-run of the day stored {r.rerun_recorded} rows" for r in results if r.rerun_recorded]
    return found


def main() -> int:
    """On its own: a fresh benchmark database with the national load data, then this benchmark."""
    import argparse

    from benchmarks import run as bench

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20_260_401, help="seed of the load data")
    args = parser.parse_args()
    bench.standalone_database(args.seed, lambda data: None, "national load data")
    print(f"\nDaily reminder planning for {DAY:%A %-d %B %Y} ({PARTNERSHIPS} partnerships):")
    results = run(seed=args.seed)
    print_results(results)
    problems = failures(results)
    for problem in problems:
        print(f"FAIL: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
