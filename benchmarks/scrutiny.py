"""Scrutiny at national scale: the dashboard, the county roll-up and the annual report (HTML, PDF, XLSX).

Load data, added to the national load data (benchmarks/generate.py) and the strategic assessments of
benchmarks/assessment_bench.py (both approved here, so the dashboard and the report show a crime profile),
deterministic for a seed; the years are counted back from this financial year (`fy`), so the dashboard
shows the current plan whenever the benchmark runs:

- Birmingham (the large CSP): ten years of plans, four three-year strategies (fy-9 to fy+3, the last
  adopted, the others superseded), each with 6 priorities of 3 outcome measures with quarterly values;
  an agreed action plan a year under the strategy in force, **500 actions each, 5,000 in all**, each with
  a lead organisation (one of 40 members), a lead officer and a budget line, and **5,000 progress updates
  a year (50,000)** shared by the actions that have started, their narratives 250 to 650 characters;
- 299 more CSPs (**300 in all**: Rutland, every CSP of the Metropolitan Police, West Midlands and
  Leicestershire force areas, the rest drawn at random): an adopted strategy fy-1 to fy+2 with 3 to 6
  priorities of 2 measures, and an action plan for this year of 15 to 120 actions (by the square root of
  the partnership's role holders) with 3 updates each; Rutland (the small CSP) 2 priorities of 1 measure
  and 12 actions this year and 12 last year (so that its report, like Birmingham's, has actions);
- three county groups over those force areas, their CSPs in local policing areas: London (32 CSPs, the
  most), West Midlands (7, Birmingham among them) and Leicestershire (9, Rutland among them), each with
  a county member;
- a scrutiny member of Birmingham and of Rutland, who read the dashboards; the national load data's
  manager of both writes their annual reports for last year (fy-1).

Rows go in with bulk_create, without history (nobody made these changes), and keep the model
constraints. Measured through Django's test client as run.py measures pages (production settings, every
middleware): the dashboard this year and last year (the strategy under last year holds three action
plans, 1,500 actions), the roll-up of each county group, and the annual report page as a draft (its figures
generated on every request) and published (frozen). Then the annual report of last year: publishing (the
contents generated once and kept), the PDF (WeasyPrint) of the draft and of the published report, and the
XLSX, through the views: fastest and median of a few runs, with the queries counted.

**Fails (exit 1) if a page of the large CSP or county makes more queries than the small one's.**

`make bench` runs it after the reminder planner; alone, on a fresh database with the national load data:
`.venv/bin/python benchmarks/scrutiny.py` (DATABASE_URL as for run.py; about two minutes).
"""

from __future__ import annotations

import json
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if __package__ in (None, ""):  # run as a script: benchmarks/scrutiny.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

if TYPE_CHECKING:
    from django.test import Client

    from actionplans.models import AnnualReport
    from benchmarks.assessment_bench import AssessmentData
    from benchmarks.generate import Generated
    from partnerships.models import Organisation, Partnership, User
    from priorities.models import PartnershipPlan, Priority

RESULTS = Path(__file__).resolve().parent / "results" / "scrutiny.json"
CSPS = 300
COUNTIES = {  # county group slug: (its name, the police force area of its CSPs)
    "scrutiny-bench-london": ("London", "Metropolitan Police"),
    "scrutiny-bench-west-midlands": ("West Midlands", "West Midlands"),
    "scrutiny-bench-leicestershire": ("Leicestershire", "Leicestershire"),
}
FORCES = {force for _, force in COUNTIES.values()}
AREAS = ("Central", "North", "East", "South", "West")
LARGE_STRATEGIES = 4  # three-year strategies covering the ten years fy-9 to fy
LARGE_ACTIONS_A_YEAR = 500
LARGE_UPDATES_A_YEAR = 5_000  # 50,000 in ten years, shared by the actions that have started
LARGE_PRIORITIES, LARGE_MEASURES = 6, 3
OTHER_UPDATES = 3
BATCH = 5_000
DOCUMENT_RUNS = 3  # PDF and XLSX: each made this many times (after one warm-up)

SENTENCES = (
    "Patrols were delivered in all hot spots identified by the partnership's analysts this quarter",
    "Incidents fell in most of the target neighbourhoods against the same quarter last year",
    "Two sessions were postponed because the venue was not available and have been rebooked",
    "The partner agencies shared data monthly and the problem-solving group met as planned",
    "Feedback from residents at the street surgeries was positive and fed into the next quarter's plan",
    "Funding from the police and crime commissioner was confirmed for the rest of the year",
    "Recruitment to the coordinator post slipped, so the work was covered by the team in the meantime",
    "The evaluation by the university is under way and will report to the board in the spring",
    "Referrals to the specialist service rose, and waiting times stayed within the agreed standard",
    "Young people took part in the diversionary activities over the school holidays",
)


def _narrative(rng: random.Random) -> str:
    """Three to seven sentences, 250 to 650 characters, as officers write them (highlights cut at 600)."""
    return ". ".join(rng.sample(SENTENCES, rng.randint(3, 7))) + "."


# --- Load data ------------------------------------------------------------------------------------------


@dataclass
class ScrutinyData:
    year: int  # this financial year (fy)
    large: Partnership
    small: Partnership
    counties: list[Partnership]  # most actions first
    county_members: dict[int, User]
    scrutiny: dict[int, User]  # partnership → its scrutiny member
    reports: dict[int, AnnualReport]  # partnership → its draft report of fy-1
    counts: dict[str, int] = field(default_factory=dict)


class _Loader:
    """Plans, priorities, measures, action plans, actions, updates and budget lines, in bulk."""

    def __init__(self, rng: random.Random, today: date, fallback: User) -> None:
        from actionplans.dashboard import financial_year
        from partnerships.models import RoleAssignment

        self.rng, self.today, self.fallback = rng, today, fallback.pk
        self.year = financial_year(today)
        self.anyone: dict[int, int] = {}  # partnership → its first role holder
        self.people: dict[tuple[int, int], int] = {}  # (partnership, organisation) → a role holder
        self.holders: dict[int, int] = {}  # partnership → people with a role
        for person, partnership, organisation in (
            RoleAssignment.objects.current()
            .order_by("pk")
            .values_list("person_id", "partnership_id", "organisation_id")
        ):
            self.people.setdefault((partnership, organisation), person)
            self.anyone.setdefault(partnership, person)
            self.holders[partnership] = self.holders.get(partnership, 0) + 1
        self.actions: list[Any] = []
        self.updates: list[Any] = []

    def members(self, partnership: Partnership) -> list[Organisation]:
        from partnerships.models import Organisation, OrganisationMembership

        ids = OrganisationMembership.objects.current().filter(partnership=partnership).values("organisation_id")
        return list(Organisation.objects.filter(pk__in=ids).order_by("name"))

    def strategy(
        self, partnership: Partnership, start: int, *, adopted: bool, priorities: int, measures: int
    ) -> tuple[PartnershipPlan, list[Priority]]:
        from priorities.models import (
            Direction,
            MeasureValue,
            OutcomeMeasure,
            PartnershipPlan,
            PlanStatus,
            Priority,
        )

        plan = PartnershipPlan.objects.create(
            partnership=partnership,
            title=f"{partnership.name} community safety strategy {start} to {start + 3}",
            start_year=start,
            end_year=start + 3,
            vision="Safer neighbourhoods, fewer victims (benchmark)",
            status=PlanStatus.ADOPTED if adopted else PlanStatus.SUPERSEDED,
            adopted_on=date(start, 4, 20),
            adopted_by_body="Full Council",
        )
        made = Priority.objects.bulk_create(
            Priority(
                plan=plan, title=f"Priority {n + 1} of {start}", aim="Reduce harm and reassure residents", position=n
            )
            for n in range(priorities)
        )
        rows = OutcomeMeasure.objects.bulk_create(
            OutcomeMeasure(
                priority=priority,
                name=f"Measure {priority.position + 1}.{m + 1}",
                unit="incidents in the last 12 months",
                data_source="Benchmark figures",
                baseline=Decimal(1000),
                baseline_date=date(start, 3, 31),
                target=Decimal(850),
                target_date=date(start + 3, 3, 31),
                direction=Direction.DOWN,
            )
            for priority in made
            for m in range(measures)
        )
        quarter_ends = [date(start, 6, 30) + timedelta(days=round(91.3 * q)) for q in range(12)]
        MeasureValue.objects.bulk_create(
            MeasureValue(measure=measure, period_end=end, value=Decimal(1000 - q * self.rng.randint(5, 20)))
            for measure in rows
            for q, end in enumerate(quarter_ends)
            if end <= self.today
        )
        return plan, made

    def action_plan(
        self,
        partnership: Partnership,
        plan: PartnershipPlan,
        year: int,
        priorities: list[Priority],
        leads: list[Organisation],
        *,
        actions: int,
        updates: int,
    ) -> None:
        from actionplans.models import Action, ActionPlan, ActionPlanStatus, ActionStatus, Rag

        start_of_year = date(year, 4, 1)
        action_plan = ActionPlan.objects.create(
            partnership=partnership,
            plan=plan,
            title=f"{partnership.name} community safety action plan {year}/{(year + 1) % 100:02d}",
            period_start=start_of_year,
            period_end=date(year + 1, 3, 31),
            status=ActionPlanStatus.AGREED,
            agreed_on=start_of_year + timedelta(days=20),
            agreed_by="Responsible Authorities Group",
        )
        past = year < self.year
        latest_start = min(200, max(0, (self.today - start_of_year).days))
        # Past years' actions are mostly complete; this year's mostly under way (some overdue).
        statuses = (
            [ActionStatus.COMPLETE] * 6
            + [ActionStatus.IN_PROGRESS] * 2
            + [ActionStatus.CANCELLED, ActionStatus.DEFERRED]
            if past
            else [ActionStatus.IN_PROGRESS] * 5 + [ActionStatus.NOT_STARTED] * 2 + [ActionStatus.COMPLETE] * 2
        )
        rags = (Rag.GREEN, Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.AMBER, Rag.RED)
        made = []
        for number in range(actions):
            lead = leads[number % len(leads)]
            start = start_of_year + timedelta(days=self.rng.randint(0, latest_start))
            made.append(
                Action(
                    action_plan=action_plan,
                    priority=priorities[number % len(priorities)],
                    reference=f"{number // 100 + 1}.{number % 100 + 1}",
                    title=f"Action {number + 1}: partnership patrols and engagement in the "
                    f"{self.rng.choice(['north', 'south', 'east', 'west', 'centre'])} of {partnership.name}",
                    description="Hot spots chosen each quarter from partners' data; outcomes reported to the board.",
                    lead_organisation=lead,
                    lead_officer_id=self.people.get((partnership.pk, lead.pk)),
                    start_date=start,
                    due_date=start + timedelta(days=self.rng.randint(60, 500)),
                    status=self.rng.choice(statuses),
                )
            )
        # The plan's updates shared by the actions that have started; each action carries its latest.
        started = [a for a in made if a.status != ActionStatus.NOT_STARTED]
        for index, action in enumerate(started):
            count = updates // len(started) + (1 if index < updates % len(started) else 0)
            # From the start to today or two months after the due date, whichever is sooner.
            span = max(0, (min(self.today, action.due_date + timedelta(days=60)) - action.start_date).days)
            author = action.lead_officer_id or self.anyone.get(partnership.pk, self.fallback)
            for n in range(count):
                rag = self.rng.choice(rags)
                percent = 100 if action.status == ActionStatus.COMPLETE and n == count - 1 else min(95, 10 * (n + 1))
                day = action.start_date + timedelta(days=span * (n + 1) // count)
                self.updates.append((action, author, day, rag, percent, _narrative(self.rng)))
                action.rag, action.percent_complete, action.last_update_on = rag, percent, day
        self.actions += made

    def flush(self) -> tuple[int, int]:
        """Write the actions gathered so far, their budget lines and their updates."""
        from actionplans.models import Action, BudgetLine, FundingSource, ProgressUpdate

        Action.objects.bulk_create(self.actions, batch_size=BATCH)
        BudgetLine.objects.bulk_create(
            (
                BudgetLine(
                    action=action,
                    source=self.rng.choice(list(FundingSource)),
                    grant_name="Benchmark grant",
                    amount=Decimal(self.rng.randint(1_000, 60_000)),
                    spent_to_date=Decimal(self.rng.randint(0, 1_000)),
                )
                for action in self.actions
            ),
            batch_size=BATCH,
        )
        ProgressUpdate.objects.bulk_create(
            (
                ProgressUpdate(
                    action=action, author_id=author, reported_on=day, rag=rag, narrative=text, percent_complete=percent
                )
                for action, author, day, rag, percent, text in self.updates
            ),
            batch_size=BATCH,
        )
        written = len(self.actions), len(self.updates)
        self.actions, self.updates = [], []
        return written


def _small_crime(assessment: Any, rng: random.Random) -> int:
    """Crime counts for the small CSP's assessment window and the twelve months before it: assessment_bench
    gives Rutland two years from April 2015, outside its 2024/25 window, so its profile would be empty."""
    from priorities.models import CrimeCount
    from priorities.policeuk import CrimeCategory

    first = date(assessment.period_start.year - 1, assessment.period_start.month, 1)
    months = []
    while first <= assessment.period_end:
        months.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    categories = list(CrimeCategory)[:5]
    rows = [
        CrimeCount(
            partnership=assessment.partnership,
            month=month,
            reported_by="Leicestershire Police",
            category=category,
            lsoa_code=f"E01900{n:03d}",
            lsoa_name=f"Rutland {n + 1:03d}A",
            count=rng.randint(1, 12),
        )
        for month in months
        for category in categories
        for n in range(10)
    ]
    CrimeCount.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _person(email: str, name: str, partnership: Partnership, organisation: Organisation, role: str) -> User:
    from benchmarks.generate import ANCHOR
    from partnerships.models import RoleAssignment, User

    person = User.objects.create(email=email, full_name=name)
    RoleAssignment.objects.create(
        person=person, partnership=partnership, organisation=organisation, role=role, start_date=ANCHOR
    )
    return person


def _counties(csps: dict[str, list[Partnership]]) -> tuple[list[Partnership], dict[int, User]]:
    """A county group over each force area, its CSPs in local policing areas, and a county member."""
    from benchmarks.generate import ANCHOR
    from partnerships.models import (
        Organisation,
        OrganisationMembership,
        OrganisationType,
        Partnership,
        PartnershipKind,
        PoliceForceArea,
        PolicingArea,
        Role,
        Standing,
    )

    counties, members = [], {}
    for slug, (name, force_name) in COUNTIES.items():
        force = PoliceForceArea.objects.get(name=force_name)
        county = Partnership.objects.create(
            kind=PartnershipKind.COUNTY_GROUP,
            name=f"Safer {name} (scrutiny benchmark)",
            slug=slug,
            police_force_area=force,
        )
        children = sorted(csps[force_name], key=lambda p: p.name)
        areas = [
            PolicingArea.objects.get_or_create(police_force_area=force, name=area)[0]
            for area in AREAS[: max(1, min(len(AREAS), len(children) // 3))]
        ]
        for index, csp in enumerate(children):
            csp.parent, csp.policing_area = county, areas[index % len(areas)]
        Partnership.objects.bulk_update(children, ["parent", "policing_area"])
        police = Organisation.objects.filter(
            type=OrganisationType.POLICE, memberships__partnership__in=children
        ).first()
        assert police is not None, "every CSP's police force is a responsible authority"
        OrganisationMembership.objects.create(
            partnership=county, organisation=police, standing=Standing.RESPONSIBLE_AUTHORITY, start_date=ANCHOR
        )
        members[county.pk] = _person(
            f"bench.county.{slug}@portal.example", f"County member of {county.name}", county, police, Role.COUNTY_MEMBER
        )
        counties.append(county)
    # Most actions first: the last is the small county the others' queries are compared with.
    counties.sort(key=lambda c: -_current_actions(c))
    return counties, members


def load(data: Generated, assessments: AssessmentData, *, seed: int = 20_260_401) -> ScrutinyData:
    """Add plans, action plans, county groups and readers to the national load data (and approve the
    assessments of assessment_bench, which the dashboard and the report read)."""
    from django.db import transaction
    from django.utils import timezone

    from actionplans.dashboard import financial_year
    from actionplans.models import Action, ProgressUpdate
    from actionplans.reports import services as report_services
    from partnerships.models import Partnership, PartnershipKind, Role
    from priorities import services as priority_services
    from priorities.models import AssessmentStatus

    rng = random.Random(seed)
    today = timezone.localdate()
    year = financial_year(today)
    with transaction.atomic():
        for assessment in (assessments.large, assessments.small):
            assessment.refresh_from_db()
            if assessment.status == AssessmentStatus.SHARED:
                priority_services.assessment_approve(actor=None, assessment=assessment)
        small_crime = _small_crime(assessments.small, rng)
        loader = _Loader(rng, today, data.manager)
        csps = list(
            Partnership.objects.filter(kind=PartnershipKind.CSP)
            .select_related("police_force_area")
            .order_by("ons_code")
        )
        by_force: dict[str, list[Partnership]] = {}
        for csp in csps:
            if csp.police_force_area and csp.police_force_area.name in FORCES:
                by_force.setdefault(csp.police_force_area.name, []).append(csp)
        chosen = {data.large.pk, data.small.pk} | {c.pk for group in by_force.values() for c in group}
        others = [c.pk for c in csps if c.pk not in chosen]
        chosen |= set(rng.sample(others, CSPS - len(chosen)))

        # Birmingham: four three-year strategies over ten years, an action plan a year under each.
        large_leads = loader.members(data.large)[:40]
        strategies = []
        for n in range(LARGE_STRATEGIES):
            start = year - 9 + 3 * n
            strategies.append(
                loader.strategy(
                    data.large,
                    start,
                    adopted=n == LARGE_STRATEGIES - 1,
                    priorities=LARGE_PRIORITIES,
                    measures=LARGE_MEASURES,
                )
            )
        for offset in range(10):
            plan, priorities = strategies[offset // 3]
            loader.action_plan(
                data.large,
                plan,
                year - 9 + offset,
                priorities,
                large_leads,
                actions=LARGE_ACTIONS_A_YEAR,
                updates=LARGE_UPDATES_A_YEAR,
            )
        large_actions, large_updates = loader.flush()

        # The other 299: a current strategy and this year's action plan each.
        for csp in csps:
            if csp.pk not in chosen or csp.pk == data.large.pk:
                continue
            small = csp.pk == data.small.pk
            leads = loader.members(csp)[:8]
            plan, priorities = loader.strategy(
                csp,
                year - 1,
                adopted=True,
                priorities=2 if small else rng.randint(3, 6),
                measures=1 if small else 2,
            )
            actions = 12 if small else max(15, min(120, round(8 * math.sqrt(loader.holders.get(csp.pk, 1)))))
            # The small CSP reports on last year too, so its report has actions as the large one's has.
            for plan_year in (year - 1, year) if small else (year,):
                loader.action_plan(
                    csp, plan, plan_year, priorities, leads, actions=actions, updates=OTHER_UPDATES * actions
                )
        loader.flush()

        counties, county_members = _counties(by_force)
        scrutiny = {}
        for csp in (data.large, data.small):
            council = loader.members(csp)[0]
            scrutiny[csp.pk] = _person(
                f"bench.scrutiny.{csp.slug}@portal.example",
                f"Scrutiny member of {csp.name}",
                csp,
                council,
                Role.SCRUTINY_MEMBER,
            )
        reports = {}
        for csp in (data.large, data.small):
            plan = (
                strategies[-2][0]
                if csp.pk == data.large.pk
                else csp.plans.get(start_year=year - 1)  # the small CSP's strategy covers last year
            )
            report = report_services.annual_report_create(
                actor=data.manager, partnership=csp, plan=plan, year=year - 1, committee="Scrutiny Committee"
            )
            report_services.annual_report_update(
                actor=data.manager,
                report=report,
                version=report.version,
                title=report.title,
                committee=report.committee,
                summary=_narrative(rng) * 3,
                successes=_narrative(rng) * 2,
                year_ahead=_narrative(rng) * 2,
                recommendations="The committee is asked to note the progress made.",
            )
            reports[csp.pk] = report

    counts = {
        "CSPs with a plan and an action plan": len(chosen),
        f"{data.small.name}: crime counts added in its assessment's window": small_crime,
        f"{data.large.name}: three-year strategies over ten years": len(strategies),
        f"{data.large.name}: actions (ten years)": large_actions,
        f"{data.large.name}: progress updates (ten years)": large_updates,
        f"{data.large.name}: actions under this year's plan": Action.objects.filter(
            action_plan__plan=strategies[-1][0]
        ).count(),
        f"{data.large.name}: actions under last year's plan": Action.objects.filter(
            action_plan__plan=strategies[-2][0]
        ).count(),
        "actions under the 300 CSPs' plans": Action.objects.filter(action_plan__plan__isnull=False).count(),
        "progress updates under the 300 CSPs' plans": ProgressUpdate.objects.filter(
            action__action_plan__plan__isnull=False
        ).count(),
        **{f"{c.name}: CSPs": c.children.count() for c in counties},
    }
    return ScrutinyData(
        year=year,
        large=data.large,
        small=data.small,
        counties=counties,
        county_members=county_members,
        scrutiny=scrutiny,
        reports=reports,
        counts=counts,
    )


# --- Measuring ------------------------------------------------------------------------------------------


@dataclass
class DocumentResult:
    document: str
    partnership: str
    runs: int
    fastest_s: float
    median_s: float
    queries: int
    kilobytes: float
    pages: int | None = None  # a PDF's pages, where poppler's pdfinfo is installed


def _pdf_pages(content: bytes) -> int | None:
    """The PDF's page count from pdfinfo (poppler-utils), if the machine has it; the PDF's page tree is
    compressed, so it is not read here."""
    import shutil
    import subprocess
    import tempfile

    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        info = subprocess.run([pdfinfo, file.name], capture_output=True, text=True, check=False).stdout  # noqa: S603
    pages = [line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")]
    return int(pages[0]) if pages else None


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _document(client: Client, url: str, name: str, partnership: str, runs: int) -> DocumentResult:
    """Fetch a download `runs` times after one warm-up: seconds and the queries of the last run."""
    from django.db import connection

    def fetch() -> bytes:
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}, not 200")
        content = response.getvalue()
        response.close()
        return content

    fetch()
    timings, content, queries = [], b"", _Counter()
    for _ in range(runs):
        queries = _Counter()
        with connection.execute_wrapper(queries):
            started = time.perf_counter()
            content = fetch()
            timings.append(time.perf_counter() - started)
    return DocumentResult(
        name,
        partnership,
        runs,
        min(timings),
        statistics.median(timings),
        queries.count,
        len(content) / 1024,
        _pdf_pages(content) if content.startswith(b"%PDF") else None,
    )


@dataclass
class PublishResult:
    partnership: str
    seconds: float
    queries: int
    contents_kilobytes: float


def _publish(report: AnnualReport, actor: User) -> PublishResult:
    from django.db import connection

    from actionplans.reports import services as report_services

    queries = _Counter()
    with connection.execute_wrapper(queries):
        started = time.perf_counter()
        report_services.annual_report_publish(actor=actor, report=report, version=report.version)
        seconds = time.perf_counter() - started
    size = len(json.dumps(report.contents)) / 1024
    return PublishResult(report.partnership.name, seconds, queries.count, size)


def run(
    data: Generated,
    assessments: AssessmentData,
    *,
    seed: int = 20_260_401,
    requests: int = 50,
    warm_up: int = 5,
    show_queries: bool = False,
    say: Callable[[str], None] = print,
) -> bool:
    """Load, measure and print; True if a large CSP's or county's page made more queries than the small one's."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    from benchmarks import run as bench

    say("\nScrutiny: dashboards, county roll-ups and the annual report at national scale (benchmarks/scrutiny.py)")
    started = time.perf_counter()
    scrutiny = load(data, assessments, seed=seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have gathered
    say(f"Load data for scrutiny in {time.perf_counter() - started:.1f} s:")
    for label, value in scrutiny.counts.items():
        say(f"  {label:<64} {value:>7,}")

    clients: dict[int, Client] = {}

    def client(user: User) -> Client:
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        return clients[user.pk]

    year = scrutiny.year
    label = f"{year}/{(year + 1) % 100:02d}"
    last_label = f"{year - 1}/{year % 100:02d}"
    large_this = scrutiny.counts[f"{data.large.name}: actions under this year's plan"]
    large_last = scrutiny.counts[f"{data.large.name}: actions under last year's plan"]
    cases: list[bench.PageCase] = []
    # What each page must show, checked once before it is timed: a page that lost its data would be fast.
    expected: dict[str, tuple[str, ...]] = {}
    for csp, scale_this, scale_last in (
        (data.large, f"{large_this:,} of 5,000 act.", f"{large_last:,} of 5,000 act."),
        (data.small, "12 actions", "12 actions"),
    ):
        url = reverse("actionplans:dashboard", args=[csp.slug])
        reader = client(scrutiny.scrutiny[csp.pk])
        cases.append(bench.PageCase(f"dashboard {label}", csp.name, scale_this, url, reader))
        cases.append(bench.PageCase(f"dashboard {last_label}", csp.name, scale_last, f"{url}?year={year - 1}", reader))
        for page in (f"dashboard {label}", f"dashboard {last_label}"):
            expected[page] = ("Actions by priority, RAG and flags", "Outcome measures", "Crimes by category")
    for county in scrutiny.counties:
        csps = county.children.count()
        actions = _current_actions(county)
        cases.append(
            bench.PageCase(
                "county roll-up",
                county.name.removeprefix("Safer ").removesuffix(" (scrutiny benchmark)"),
                f"{csps} CSPs, {actions:,} act.",
                reverse("actionplans:roll_up", args=[county.slug]),
                client(scrutiny.county_members[county.pk]),
            )
        )
        expected[cases[-1].url] = tuple(county.children.values_list("name", flat=True))
    manager = client(data.manager)
    for csp in (data.large, data.small):
        report = scrutiny.reports[csp.pk]
        cases.append(
            bench.PageCase(
                "report (draft)",
                csp.name,
                f"{last_label} report",
                reverse("actionplans:report", args=[report.pk]),
                manager,
            )
        )
        expected["report (draft)"] = expected["report (published)"] = ("Highlights", "Crime profile", "Funding")

    results: list[bench.Result] = []
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        for case in cases:
            _expect(case, expected.get(case.url) or expected[case.page])
            results.append(_result(case, bench, requests=requests, warm_up=warm_up, show_queries=show_queries))
        documents = []
        large_report, small_report = scrutiny.reports[data.large.pk], scrutiny.reports[data.small.pk]
        # The draft's PDF generates its figures first; the published one's are frozen.
        documents.append(
            _document(
                manager,
                reverse("actionplans:report_pdf", args=[large_report.pk]),
                "PDF (draft)",
                data.large.name,
                DOCUMENT_RUNS,
            )
        )
        publishes = [_publish(large_report, data.manager), _publish(small_report, data.manager)]
        for csp, report in ((data.large, large_report), (data.small, small_report)):
            results.append(
                _result(
                    bench.PageCase(
                        "report (published)",
                        csp.name,
                        f"{last_label} report",
                        reverse("actionplans:report", args=[report.pk]),
                        manager,
                    ),
                    bench,
                    requests=requests,
                    warm_up=warm_up,
                    show_queries=show_queries,
                    expected=expected["report (published)"],
                )
            )
        for csp, report in ((data.large, large_report), (data.small, small_report)):
            for name, kind in (("PDF (published)", "report_pdf"), ("XLSX (published)", "report_xlsx")):
                documents.append(
                    _document(manager, reverse(f"actionplans:{kind}", args=[report.pk]), name, csp.name, DOCUMENT_RUNS)
                )

    say(f"\nScrutiny pages: {requests} timed requests per page after {warm_up} warm-up requests\n")
    header = (
        f"{'page':<20} {'partnership':<16} {'under the page':<24} "
        f"{'median ms':>10} {'p95 ms':>8} {'SQL ms':>7} {'queries':>8} {'size KB':>8}"
    )
    say(header)
    say("-" * len(header))
    for r in results:
        queries = f"{r.queries}{'*' if r.queries_varied else ''}"
        say(
            f"{r.page:<20} {r.partnership:<16} {r.scale:<24} "
            f"{r.median_ms:>10.1f} {r.p95_ms:>8.1f} {r.database_ms:>7.1f} {queries:>8} {r.kilobytes:>8.0f}"
        )
    if any(r.queries_varied for r in results):
        say("* the number of queries differed between requests; the largest is shown")

    say(f"\nAnnual report {last_label} of {data.large.name} and {data.small.name}, through the views:")
    for p in publishes:
        say(
            f"  publish {p.partnership:<12} {p.seconds:>6.2f} s, {p.queries} queries "
            f"(figures generated and frozen: {p.contents_kilobytes:,.0f} KB of JSON)"
        )
    header = (
        f"{'document':<18} {'partnership':<12} {'fastest s':>10} {'median s':>9} {'queries':>8} {'size KB':>8} "
        f"{'pages':>6}"
    )
    say(header)
    say("-" * len(header))
    for d in documents:
        say(
            f"{d.document:<18} {d.partnership:<12} {d.fastest_s:>10.2f} {d.median_s:>9.2f} {d.queries:>8} "
            f"{d.kilobytes:>8,.0f} {d.pages if d.pages is not None else '':>6}"
        )
    say(f"fastest and median of {DOCUMENT_RUNS} runs after one warm-up; queries of one run")

    failed = False
    say("\nQueries per request, large against small (must not grow with the data):")
    # Each page's rows run from the most data to the least: the last is the small one.
    compared = [
        [(r.partnership, r.queries) for r in results if r.page == page]
        for page in dict.fromkeys(r.page for r in results)
    ]
    compared += [
        [(d.partnership, d.queries) for d in documents if d.document == name]
        for name in ("PDF (published)", "XLSX (published)")
    ]
    names = [*dict.fromkeys(r.page for r in results), "PDF (published)", "XLSX (published)"]
    for name, rows in zip(names, compared, strict=True):
        small = rows[-1][1]
        worst = max(queries for _, queries in rows[:-1])
        verdict = "same" if worst == small else ("FEWER" if worst < small else "MORE — FAIL")
        failed |= worst > small
        say(f"  {name:<20} " + " vs ".join(f"{who} {queries}" for who, queries in rows) + f": {verdict}")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "counts": scrutiny.counts,
                "pages": [asdict(r) for r in results],
                "publish": [asdict(p) for p in publishes],
                "documents": [asdict(d) for d in documents],
            },
            indent=2,
        )
        + "\n"
    )
    say(f"Scrutiny figures written to benchmarks/results/{RESULTS.name}; {time.perf_counter() - started:.0f} s")
    return failed


def _current_actions(county: Partnership) -> int:
    """Actions under the county's CSPs' adopted plans (what the roll-up counts)."""
    from actionplans.models import Action
    from priorities.models import PlanStatus

    return Action.objects.filter(
        action_plan__plan__partnership__parent=county, action_plan__plan__status=PlanStatus.ADOPTED
    ).count()


def _expect(case: Any, texts: tuple[str, ...]) -> None:
    """The page shows what the load data put under it (or the run stops)."""
    from django.utils.html import escape

    response = case.client.get(case.url, secure=True)
    page = response.content.decode()
    missing = [text for text in texts if escape(text) not in page]
    if response.status_code != 200 or missing:
        raise SystemExit(f"GET {case.url} answered {response.status_code} without {missing}")


def _result(
    case: Any, bench: Any, *, requests: int, warm_up: int, show_queries: bool, expected: tuple[str, ...] = ()
) -> Any:
    if expected:
        _expect(case, expected)
    sample = bench._measure(case.client, case.url, warm_up=warm_up, requests=requests, show_queries=show_queries)
    return bench.Result(
        page=case.page,
        partnership=case.partnership,
        scale=case.scale,
        requests=len(sample.timings_ms),
        median_ms=statistics.median(sample.timings_ms),
        p95_ms=bench._percentile(sample.timings_ms, 0.95),
        min_ms=min(sample.timings_ms),
        database_ms=statistics.median(sample.database_ms),
        queries=max(sample.queries),
        queries_varied=len(set(sample.queries)) > 1,
        kilobytes=sample.size / 1024,
    )


def main() -> int:
    """On its own: a fresh benchmark database with the national load data and assessments, then this."""
    import argparse

    from benchmarks import run as bench

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20_260_401, help="seed of the load data")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--warm-up", type=int, default=5, help="untimed requests first (default 5)")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of each page")
    args = parser.parse_args()

    def load(data: Generated) -> Any:
        from benchmarks import assessment_bench

        return assessment_bench.load(data, seed=args.seed)

    data, assessments = bench.standalone_database(args.seed, load, "national load data and assessments")
    print()
    failed = run(
        data,
        assessments,
        seed=args.seed,
        requests=args.requests,
        warm_up=args.warm_up,
        show_queries=args.show_queries,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
