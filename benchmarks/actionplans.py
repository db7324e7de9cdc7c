"""Action plans at scale: the plan page and "my actions" over 2,000 actions and 20,000 updates, and the
export of 10,000 actions.

Load data, added to the national load data (benchmarks/generate.py), deterministic for a seed:

- Birmingham (the large CSP): an agreed action plan of 2,000 actions, each with a lead organisation (one
  of 40 of its members), a lead officer, two supporting partners, two milestones, a budget line and ten
  progress updates (20,000); and a second plan of 10,000 actions (two supporting partners and a budget
  line each) for the export;
- Rutland (the small CSP): an agreed plan of 12 actions with five updates each.
A partner officer in each CSP leads a share of its plan's open actions: "my actions" shows them.

Rows go in with bulk_create, without history (nobody made these changes), and keep the model
constraints. The pages are measured by run.py with the other pages (same table, same check that the
large CSP's page makes no more queries than the small one's). The exports are measured here: through
the views, as a signed-in manager, each format at three sizes; seconds from the fastest of three runs,
memory from one run with tracemalloc (the Python heap's peak while the file is made and read back) and
the growth of the process's peak resident memory (VmHWM, reset as the run starts). Last, a CSV of as many
actions as the import takes (exchange.MAX_IMPORT_ROWS) is imported into an empty plan through the page.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from actionplans.models import (
    Action,
    ActionPlan,
    ActionPlanStatus,
    ActionStatus,
    BudgetLine,
    FundingSource,
    Milestone,
    ProgressUpdate,
    Rag,
)
from benchmarks.generate import ANCHOR, Generated
from partnerships.models import Organisation, OrganisationMembership, Partnership, Role, RoleAssignment, User

PERIOD = (date(2024, 4, 1), date(2027, 3, 31))
STATUSES = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETE]
STATUSES += [ActionStatus.DEFERRED, ActionStatus.CANCELLED]
RAGS = [Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.RED]
BATCH = 5_000


@dataclass(frozen=True)
class PlanShape:
    actions: int
    updates_per_action: int
    milestones_per_action: int
    lead_organisations: int


LARGE = PlanShape(2_000, 10, 2, 40)
SMALL = PlanShape(12, 5, 1, 4)
EXPORT = PlanShape(10_000, 0, 0, 40)


@dataclass
class ActionPlanData:
    large: ActionPlan
    small: ActionPlan
    export: ActionPlan
    large_officer: User
    small_officer: User
    counts: dict[str, int]


def load(data: Generated, *, seed: int = 20_260_401) -> ActionPlanData:
    """Add the action plans, their actions, updates, milestones and budgets to the national load data."""
    rng = random.Random(seed)
    with transaction.atomic():
        large_officer = _officer(data.large, "bench.officer.large@portal.example")
        small_officer = _officer(data.small, "bench.officer.small@portal.example")
        large = _plan(data.large, "Birmingham Community Safety Action Plan 2024–2027", LARGE, large_officer, rng)
        small = _plan(data.small, "Rutland Community Safety Action Plan 2024–2027", SMALL, small_officer, rng)
        export = _plan(data.large, "Birmingham actions for export", EXPORT, large_officer, rng)
    counts = {
        f"{data.large.name}: actions in the action plan": large.actions.count(),
        f"{data.large.name}: progress updates": ProgressUpdate.objects.filter(action__action_plan=large).count(),
        f"{data.large.name}: actions in the export plan": export.actions.count(),
        f"{data.small.name}: actions in the action plan": small.actions.count(),
        f"{data.small.name}: progress updates": ProgressUpdate.objects.filter(action__action_plan=small).count(),
    }
    return ActionPlanData(large, small, export, large_officer, small_officer, counts)


def _members(partnership: Partnership) -> list[Organisation]:
    ids = (
        OrganisationMembership.objects.current()
        .filter(partnership=partnership)
        .order_by("organisation__name")
        .values_list("organisation_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=list(ids)).order_by("name"))


def _officer(partnership: Partnership, email: str) -> User:
    """A partner officer for the partnership's first member organisation (which leads a share of actions)."""
    person = User.objects.create(email=email, full_name=f"Benchmark officer of {partnership.name}")
    RoleAssignment.objects.create(
        person=person,
        partnership=partnership,
        organisation=_members(partnership)[0],
        role=Role.PARTNER_OFFICER,
        start_date=ANCHOR,
    )
    return person


def _plan(partnership: Partnership, title: str, shape: PlanShape, officer: User, rng: random.Random) -> ActionPlan:
    plan = ActionPlan.objects.create(
        partnership=partnership,
        title=title,
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        status=ActionPlanStatus.AGREED,
        agreed_on=date(2024, 5, 1),
        agreed_by="Responsible Authorities Group",
    )
    members = _members(partnership)
    leads = members[: shape.lead_organisations]
    people = {
        role.organisation_id: role.person
        for role in RoleAssignment.objects.current().filter(partnership=partnership).select_related("person")
    }
    people[leads[0].pk] = officer
    actions = []
    for number in range(shape.actions):
        lead = leads[number % len(leads)]
        start = PERIOD[0] + timedelta(days=rng.randint(0, 365))
        status = rng.choice(STATUSES)
        actions.append(
            Action(
                action_plan=plan,
                reference=f"{number // 100 + 1}.{number % 100 + 1}",
                title=f"Action {number + 1}: reduce harm in the {rng.choice(['north', 'south', 'east', 'west'])} "
                "of the city through partnership patrols and engagement",
                description="Hot spots chosen each quarter from partners' data; outcomes reported to the board.",
                lead_organisation=lead,
                lead_officer=people.get(lead.pk),
                start_date=start,
                due_date=start + timedelta(days=rng.randint(90, 700)),
                status=status,
            )
        )
    actions = Action.objects.bulk_create(actions, batch_size=BATCH)
    through = Action.supporting_organisations.through
    through.objects.bulk_create(
        (
            through(action_id=action.pk, organisation_id=organisation.pk)
            for action in actions
            for organisation in rng.sample(members[: shape.lead_organisations + 20], 2)
            if organisation.pk != action.lead_organisation_id
        ),
        batch_size=BATCH,
    )
    BudgetLine.objects.bulk_create(
        (
            BudgetLine(
                action=action,
                source=rng.choice(list(FundingSource)),
                grant_name="Bench grant",
                amount=Decimal(rng.randint(1_000, 50_000)),
                spent_to_date=Decimal(rng.randint(0, 1_000)),
            )
            for action in actions
        ),
        batch_size=BATCH,
    )
    Milestone.objects.bulk_create(
        (
            Milestone(action=action, title=f"Milestone {m + 1}", due_date=action.start_date + timedelta(days=60 * m))
            for action in actions
            for m in range(shape.milestones_per_action)
        ),
        batch_size=BATCH,
    )
    _updates(actions, shape, people, rng)
    return plan


def _updates(actions: list[Action], shape: PlanShape, people: dict[int, User], rng: random.Random) -> None:
    """Progress updates every few weeks from each action's start; the action carries the latest."""
    if not shape.updates_per_action:
        return
    fallback = next(iter(people.values()))
    updates = []
    for action in actions:
        day = action.start_date
        for n in range(shape.updates_per_action):
            day += timedelta(days=rng.randint(20, 50))
            percent = min(100, 10 * (n + 1))
            rag = rng.choice(RAGS)
            updates.append(
                ProgressUpdate(
                    action=action,
                    author=action.lead_officer or fallback,
                    reported_on=day,
                    rag=rag,
                    narrative="Delivered as planned this period; partners' returns attached.",
                    percent_complete=percent,
                    evidence_links="https://example.org/evidence",
                )
            )
        action.rag, action.percent_complete, action.last_update_on = rag, percent, day
    ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
    Action.objects.bulk_update(actions, ["rag", "percent_complete", "last_update_on"], batch_size=BATCH)


# --- Pages (measured by run.py) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    page: str
    partnership: str
    scale: str
    url: str
    user: User


def pages(plans: ActionPlanData, manager: User) -> list[Page]:
    """The plan page (as the manager of both CSPs) and "my actions" (as each CSP's officer), large first."""
    from django.urls import reverse

    from actionplans.selectors import my_actions

    found = []
    for plan, officer in ((plans.large, plans.large_officer), (plans.small, plans.small_officer)):
        name = plan.partnership.name
        actions = plans.counts[f"{name}: actions in the action plan"]
        updates = plans.counts[f"{name}: progress updates"]
        url = reverse("actionplans:plan", args=[plan.pk])
        found.append(Page("action plan page", name, f"{actions:,} act., {updates:,} upd.", url, manager))
        organisations = set(RoleAssignment.objects.filter(person=officer).values_list("organisation_id", flat=True))
        mine = my_actions({plan.partnership_id}, organisations).count()
        found.append(Page("my actions", name, f"{mine:,} open actions", reverse("actionplans:my_actions"), officer))
    return found


# --- Exports --------------------------------------------------------------------------------------------


@dataclass
class ExportResult:
    format: str
    actions: int
    seconds: float
    traced_peak_mb: float  # the Python heap's peak while the file is made (tracemalloc)
    peak_mb: float  # growth of the process's peak resident memory over the run
    kilobytes: float
    queries: int


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def run_exports(plans: ActionPlanData, client: Any, *, repeat: int = 3) -> list[ExportResult]:
    """Export the small plan, the large plan and the export plan as XLSX and CSV through the views."""
    from django.db import connection
    from django.urls import reverse

    results = []
    for fmt in ("xlsx", "csv"):
        for plan in (plans.small, plans.large, plans.export):
            url = reverse(f"actionplans:export_{fmt}", args=[plan.pk])

            def fetch(url: str = url) -> int:
                response = client.get(url, secure=True)
                if response.status_code != 200:
                    raise SystemExit(f"GET {url} answered {response.status_code}, not 200")
                size = 0
                for chunk in response.streaming_content:
                    size += len(chunk)
                response.close()
                return size

            fetch()  # warm: templates, the connection, openpyxl's imports
            timings = []
            for _ in range(repeat):
                queries = _Counter()
                # Counted as they reach the driver: a streamed CSV runs its queries after the view returns.
                with connection.execute_wrapper(queries):
                    started = time.perf_counter()
                    size = fetch()
                    timings.append(time.perf_counter() - started)
            _reset_peak()
            before = _memory_kb("VmRSS")
            tracemalloc.start()
            fetch()
            traced = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            grown = (_memory_kb("VmHWM") - before) / 1024
            results.append(
                ExportResult(
                    format=fmt.upper(),
                    actions=plan.actions.count(),
                    seconds=min(timings),
                    traced_peak_mb=traced / 1024 / 1024,
                    peak_mb=max(0.0, grown),
                    kilobytes=size / 1024,
                    queries=queries.count,
                )
            )
    return results


def print_exports(results: list[ExportResult], *, say: Callable[[str], None] = print) -> None:
    header = (
        f"{'format':<7} {'actions':>8} {'seconds':>8} {'actions/s':>10} {'heap peak MB':>13} {'peak +MB':>9} "
        f"{'file KB':>8} {'queries':>8}"
    )
    say(header)
    say("-" * len(header))
    for r in results:
        say(
            f"{r.format:<7} {r.actions:>8,} {r.seconds:>8.2f} {r.actions / r.seconds:>10,.0f} "
            f"{r.traced_peak_mb:>13.1f} {r.peak_mb:>9.1f} {r.kilobytes:>8,.0f} {r.queries:>8}"
        )
    by_format: dict[str, list[ExportResult]] = {}
    for r in results:
        by_format.setdefault(r.format, []).append(r)
    for fmt, rows in by_format.items():
        small, large = rows[0], rows[-1]
        say(
            f"  {fmt}: heap peak {large.traced_peak_mb:.1f} MB at {large.actions:,} actions against "
            f"{small.traced_peak_mb:.1f} MB at {small.actions:,}"
        )


# --- Import ---------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    actions: int
    seconds: float
    queries: int
    status: int


def run_import(plans: ActionPlanData, client: Any, *, actions: int | None = None) -> ImportResult:
    """Import a CSV of `actions` actions (by default the import's limit) into a new, empty plan of the large CSP."""
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.urls import reverse

    from actionplans.exchange import IMPORT_COLUMNS, MAX_IMPORT_ROWS

    actions = actions or MAX_IMPORT_ROWS

    partnership = plans.large.partnership
    target = ActionPlan.objects.create(
        partnership=partnership, title="Birmingham imported plan", period_start=PERIOD[0], period_end=PERIOD[1]
    )
    leads = [o.name for o in _members(partnership)[:40]]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(IMPORT_COLUMNS))
    for n in range(actions):
        writer.writerow(
            [
                f"{n // 100 + 1}.{n % 100 + 1}",
                "",
                f"Imported action {n + 1}",
                "Moved from the partnership's spreadsheet.",
                leads[n % len(leads)],
                "",
                f"{leads[(n + 1) % len(leads)]}; {leads[(n + 2) % len(leads)]}",
                "01/04/2024",
                "31/03/2027",
                "In progress",
            ]
        )
    upload = SimpleUploadedFile("actions.csv", buffer.getvalue().encode("utf-8"))
    queries = _Counter()
    with connection.execute_wrapper(queries):
        started = time.perf_counter()
        response = client.post(reverse("actionplans:import", args=[target.pk]), {"file": upload}, secure=True)
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"The import answered {response.status_code}, not 200")
    return ImportResult(target.actions.count(), seconds, queries.count, response.status_code)
