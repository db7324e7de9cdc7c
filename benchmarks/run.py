"""National-scale benchmarks on PostgreSQL: `make bench` (what and why: benchmarks/README.md).

Builds a fresh database with every CSP in England and Wales (benchmarks/generate.py) and ten years of
crime counts for the large CSP (benchmarks/assessment_bench.py), then requests pages of a large CSP and
a small one through Django's test client: the partnership and manage-members pages (400 member
organisations and 2,000 people against 8 and 12) as a signed-in manager, and the strategic assessment
page (201,600 crime counts against 1,200) as an administrator. Prints median and 95th-percentile
latency and the SQL queries per request, and exits 1 if a large CSP's page makes more queries than the
small one's: the number of queries must not grow with the data. The action plan page and "my actions"
(2,000 actions and 20,000 progress updates against 12 and 60, benchmarks/actionplans.py) join that table;
then the plans are exported to XLSX and CSV (up to 10,000 actions: seconds and peak memory). Then the
daily reminder planner runs over 25,000 and 100,000 open actions in 300 partnerships (benchmarks/reminders.py:
seconds, queries, peak memory; exits 1 if its queries grow with the actions). Then imports police.uk
files of 250,000 to 1,000,000 rows (benchmarks/import_bench.py) and prints rows per second and peak memory.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from django.test import Client

    from benchmarks.generate import Generated

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/csp_portal_bench"
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
T = TypeVar("T")


def _configure_environment() -> None:
    """Production settings (DEBUG off), with what only a benchmark may set; before Django loads."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "csp_portal.settings"
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = "bench-only-secret-key-not-for-any-deployment-5f1c9a7e3b2d4680"  # noqa: S105
    # Hashed static names need collectstatic first; the benchmark serves no static files.
    os.environ["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ["DATABASE_URL"] = _bench_database_url(os.environ.get("DATABASE_URL", ""))
    # WhiteNoise warns that STATIC_ROOT does not exist before collectstatic; irrelevant here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)


def _bench_database_url(url: str) -> str:
    """The benchmark's own database: dropped and created on every run, so never one holding real data.

    Without DATABASE_URL: csp_portal_bench on the local server. With it: the same server and
    credentials, and the database name suffixed `_bench` unless it already says bench.
    """
    if not url:
        return DEFAULT_DATABASE_URL
    import dj_database_url

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit(f"The benchmarks run on PostgreSQL; DATABASE_URL points at {config['ENGINE']}")
    name = str(config["NAME"])
    if "bench" in name:
        return url
    head, _, query = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}_bench" + (f"?{query}" if query else "")


def _recreate_database() -> str:
    """Drop and create the benchmark database (connecting to the server's `postgres` database)."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    name = sql.Identifier(str(config["NAME"]))
    try:
        with connection.cursor() as cursor:
            # FORCE (PostgreSQL 13+) ends sessions left over from an interrupted run.
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
            cursor.execute("SHOW server_version")
            version = str(cursor.fetchone()[0])
    finally:
        connection.close()
    return version


def standalone_database(seed: int, load: Callable[[Generated], T], built: str) -> tuple[Generated, T]:
    """For a benchmark run on its own: a fresh benchmark database, migrated, with the national load data and
    what `load` adds to it (its answer is returned with the data), analysed; prints what was built (`built`,
    e.g. "national load data and 100,000 actions") and how long it took."""
    _configure_environment()
    version = _recreate_database()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.generate import generate

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    data = generate(seed=seed)
    added = load(data)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have gathered on a live database
    print(
        f"Database {settings.DATABASES['default']['NAME']} (PostgreSQL {version}): {built} in "
        f"{time.perf_counter() - started:.0f} s, {data.counts['people']:,} people"
    )
    return data, added


@dataclass
class Result:
    page: str
    partnership: str
    scale: str  # what lies under the page, e.g. "400 orgs, 2,000 people"
    requests: int
    median_ms: float
    p95_ms: float
    min_ms: float
    database_ms: float
    queries: int
    queries_varied: bool
    kilobytes: float


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value at least `share` of the values do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Sample:
    timings_ms: list[float]
    database_ms: list[float]  # time spent in SQL, as the database driver saw it
    queries: list[int]
    size: int


def _measure(client: Client, url: str, *, warm_up: int, requests: int, show_queries: bool) -> Sample:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get() -> int:
        # secure=True: production settings redirect plain HTTP to HTTPS (SECURE_SSL_REDIRECT).
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}, not 200")
        return len(response.content)

    for _ in range(warm_up):
        get()
    sample = Sample([], [], [], 0)
    for _ in range(requests):
        # Recording queries costs microseconds per query, next to milliseconds per page.
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            sample.size = get()
            sample.timings_ms.append((time.perf_counter() - started) * 1000)
        sample.queries.append(len(queries.captured_queries))
        sample.database_ms.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    if show_queries:
        print(f"\n-- {url}: {len(queries.captured_queries)} queries")
        for number, query in enumerate(queries.captured_queries, start=1):
            print(f"{number:3}. {query['sql'][:400]}")
    return sample


@dataclass
class PageCase:
    """One page of one partnership, requested by one signed-in client."""

    page: str
    partnership: str
    scale: str
    url: str
    client: Client


def _plan_cases(data: Generated, client: Client) -> list[PageCase]:
    """The partnership plan page of the large and the small CSP (as an administrator), large first.

    Birmingham's plan has 8 priorities with 5 outcome measures each and 40 quarterly values a measure
    (ten years of figures); Rutland's one priority with one measure and 4 values.
    """
    from datetime import date, timedelta
    from decimal import Decimal

    from django.urls import reverse

    from priorities.models import MeasureValue, OutcomeMeasure, PartnershipPlan, Priority

    cases = []
    for partnership, priorities, measures, values in ((data.large, 8, 5, 40), (data.small, 1, 1, 4)):
        plan = PartnershipPlan.objects.create(
            partnership=partnership, title=f"{partnership.name} plan (benchmark)", start_year=2024, end_year=2026
        )
        made = Priority.objects.bulk_create(
            Priority(plan=plan, title=f"Priority {n}", aim="Reduce harm", position=n) for n in range(priorities)
        )
        made_measures = OutcomeMeasure.objects.bulk_create(
            OutcomeMeasure(
                priority=priority,
                name=f"Measure {priority.position}.{m}",
                unit="crimes",
                data_source="Benchmark figures",
                baseline=Decimal(1000),
                baseline_date=date(2016, 3, 31),
                target=Decimal(800),
                target_date=date(2027, 3, 31),
                direction="down",
            )
            for priority in made
            for m in range(measures)
        )
        MeasureValue.objects.bulk_create(
            MeasureValue(measure=measure, period_end=date(2016, 6, 30) + timedelta(days=91 * v), value=1000 - v * 4)
            for measure in made_measures
            for v in range(values)
        )
        scale = f"{priorities} priorities, {len(made_measures) * values:,} values"
        cases.append(PageCase("plan page", partnership.name, scale, reverse("priorities:plan", args=[plan.pk]), client))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--warm-up", type=int, default=5, help="untimed requests first (default 5)")
    parser.add_argument("--seed", type=int, default=20_260_401, help="seed of the load data")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of each page")
    parser.add_argument(
        "--import-rows",
        default=",".join(str(n) for n in (250_000, 500_000, 1_000_000)),
        help="sizes of the police.uk files to import, comma-separated (default 250000,500000,1000000)",
    )
    parser.add_argument("--skip-import", action="store_true", help="pages only, no import benchmark")
    args = parser.parse_args()

    _configure_environment()
    postgres_version = _recreate_database()

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    from benchmarks import actionplans as actionplan_bench
    from benchmarks import api as api_bench
    from benchmarks import assessment_bench, import_bench
    from benchmarks import reminders as reminder_bench
    from benchmarks import scrutiny as scrutiny_bench
    from benchmarks.generate import generate

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    data = generate(seed=args.seed)
    assessments = assessment_bench.load(data, seed=args.seed)
    plans = actionplan_bench.load(data, seed=args.seed)
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would have gathered on a live database.
        cursor.execute("ANALYZE")
    generated = time.perf_counter()
    counts = {**data.counts, **assessments.counts, **plans.counts}

    print(
        f"CSP Portal benchmarks — Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {postgres_version}, {os.cpu_count()} CPU(s)"
    )
    print(
        f"Database {settings.DATABASES['default']['NAME']}: migrated in {migrated - started:.1f} s, "
        f"load data generated in {generated - migrated:.1f} s:"
    )
    for label, value in counts.items():
        print(f"  {label:<48} {value:>7,}")

    results: list[Result] = []
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        manager, admin = Client(), Client()
        manager.force_login(data.manager)
        admin.force_login(assessments.admin)
        cases: list[PageCase] = []
        for partnership in (data.large, data.small):
            members = data.counts[f"{partnership.name}: member organisations today"]
            people = data.counts[f"{partnership.name}: people with a role today"]
            scale = f"{members:,} orgs, {people:,} people"
            for page, name in (("partnership page", "partnerships:detail"), ("members page", "partnerships:members")):
                cases.append(PageCase(page, partnership.name, scale, reverse(name, args=[partnership.slug]), manager))
        for assessment in (assessments.large, assessments.small):
            crime_rows = assessments.counts[f"{assessment.partnership.name}: crime counts (rows)"]
            cases.append(
                PageCase(
                    "assessment page",
                    assessment.partnership.name,
                    f"{crime_rows:,} crime counts",
                    reverse("priorities:assessment", args=[assessment.pk]),
                    admin,
                )
            )
        cases += _plan_cases(data, admin)
        # Action plans: the plan page (as the manager) and "my actions" (as an officer of each CSP).
        clients: dict[int, Client] = {data.manager.pk: manager}
        for page in actionplan_bench.pages(plans, data.manager):
            if page.user.pk not in clients:
                clients[page.user.pk] = Client()
                clients[page.user.pk].force_login(page.user)
            cases.append(PageCase(page.page, page.partnership, page.scale, page.url, clients[page.user.pk]))
        for case in cases:
            sample = _measure(
                case.client, case.url, warm_up=args.warm_up, requests=args.requests, show_queries=args.show_queries
            )
            results.append(
                Result(
                    page=case.page,
                    partnership=case.partnership,
                    scale=case.scale,
                    requests=len(sample.timings_ms),
                    median_ms=statistics.median(sample.timings_ms),
                    p95_ms=_percentile(sample.timings_ms, 0.95),
                    min_ms=min(sample.timings_ms),
                    database_ms=statistics.median(sample.database_ms),
                    queries=max(sample.queries),
                    queries_varied=len(set(sample.queries)) > 1,
                    kilobytes=sample.size / 1024,
                )
            )

    print(f"\n{args.requests} timed requests per page after {args.warm_up} warm-up requests\n")
    header = (
        f"{'page':<17} {'partnership':<12} {'under the page':<24} "
        f"{'median ms':>10} {'p95 ms':>8} {'SQL ms':>7} {'queries':>8} {'size KB':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        queries = f"{r.queries}{'*' if r.queries_varied else ''}"
        print(
            f"{r.page:<17} {r.partnership:<12} {r.scale:<24} "
            f"{r.median_ms:>10.1f} {r.p95_ms:>8.1f} {r.database_ms:>7.1f} {queries:>8} {r.kilobytes:>8.0f}"
        )
    print("SQL ms: median time inside the database driver; the rest is Python (view, template, middleware).")
    if any(r.queries_varied for r in results):
        print("* the number of queries differed between requests; the largest is shown")

    print("\nQueries per request, large CSP against small CSP (must not grow with the data):")
    failed = False
    for page in dict.fromkeys(r.page for r in results):
        large, small = (
            next(r for r in results if r.page == page and r.partnership == p.name) for p in (data.large, data.small)
        )
        verdict = (
            "same" if large.queries == small.queries else ("FEWER" if large.queries < small.queries else "MORE — FAIL")
        )
        failed |= large.queries > small.queries
        print(f"  {page:<17} {large.partnership} {large.queries} vs {small.partnership} {small.queries}: {verdict}")

    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        print("\nExport of action plans through the views (as the manager), fastest of 3; memory from one more run:")
        exports = actionplan_bench.run_exports(plans, manager)
        action_import = actionplan_bench.run_import(plans, manager)
    actionplan_bench.print_exports(exports)
    print(
        "heap peak MB: the Python heap's peak while the file is made and sent (tracemalloc); peak +MB: growth of "
        "the process's peak resident memory (VmHWM) over that run, 0 when it fits in memory the process already had."
    )
    print(
        f"Import of {action_import.actions:,} actions from a CSV file (the import's limit) into an empty plan: "
        f"{action_import.seconds:.1f} s, {action_import.queries:,} queries (every row checked, then created "
        "through the service in one transaction)."
    )

    print(
        f"\nDaily reminder planning for {reminder_bench.DAY:%-d %B %Y}: {reminder_bench.PARTNERSHIPS} partnerships, "
        "the open actions added in two steps (benchmarks/reminders.py):"
    )
    reminders = reminder_bench.run(seed=args.seed)
    reminder_bench.print_results(reminders)
    for problem in reminder_bench.failures(reminders):
        print(f"FAIL: {problem}")
        failed = True
    failed |= api_bench.in_suite(data, requests=args.requests, warm_up=args.warm_up)
    failed |= scrutiny_bench.run(
        data, assessments, seed=args.seed, requests=args.requests, warm_up=args.warm_up, show_queries=args.show_queries
    )

    imports: list[import_bench.ImportResult] = []
    if not args.skip_import:
        sizes = tuple(int(n) for n in args.import_rows.split(","))
        print(f"\nImport of police.uk street-level files ({import_bench.FORCE}, a year each):")
        with tempfile.TemporaryDirectory(prefix="csp-bench-") as folder:
            imports = import_bench.run(Path(folder), sizes)
        import_bench.print_results(imports)
        print(
            "parse: read, check, count and place every row, no database; import: crime_import end to end "
            "(COPY, commit); re-import: the largest file again, replacing its months. peak +MB: growth of "
            "the process's peak resident memory over the phase; process MB: its peak, Django included."
        )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "django": django.get_version(),
                "postgresql": postgres_version,
                "cpus": os.cpu_count(),
                "counts": counts,
                "results": [asdict(r) for r in results],
                "imports": [asdict(r) for r in imports],
                "exports": [asdict(r) for r in exports],
                "action_import": asdict(action_import),
                "reminders": [asdict(r) for r in reminders],
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nFigures written to {RESULTS.relative_to(ROOT)}; whole run {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
