"""The API's action list at national scale: 100,000 actions, listed by partnership, page by page.

Load data: the national load data (benchmarks/generate.py: every CSP of England and Wales, 20,000 people
with roles) and 100,000 open actions in 300 CSPs (benchmarks/reminders.py's loader: Birmingham, the large
CSP, has about 1,900 of them and Rutland, the small one, about 160). In `make bench` this runs after the
reminder benchmark, on its actions and the action plan benchmark's (108,585 in all).

Requests go through Django's test client with an API token ("Authorization: Token …"), as a dashboard
would send them, with production settings: GET /api/v1/actions/?partnership=<slug> as the manager of
Birmingham and Rutland, the first, a middle and the last page (50 a page, and 500 a page); the same list
filtered by RAG and due date; and an administrator's unfiltered list of every action, first and a deep
page. For each: median and 95th-percentile latency, the time in SQL, and the queries per request, which
must be the same for Birmingham as for Rutland and for every page (run.py fails otherwise).

Alone, on a fresh national database: `.venv/bin/python benchmarks/api.py` (DATABASE_URL as for run.py).
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if __package__ in (None, ""):  # run as a script: benchmarks/api.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

if TYPE_CHECKING:
    from benchmarks.generate import Generated

ACTIONS = 100_000
RATES = {"token": "1000000/minute", "session": "1000000/minute", "anonymous": "1000000/minute"}


@dataclass
class ApiResult:
    case: str
    partnership: str
    actions: int  # rows the list holds (all its pages)
    page: int
    page_size: int
    rows: int  # rows on this page
    requests: int
    median_ms: float
    p95_ms: float
    database_ms: float
    queries: int  # per request, the fewest seen (a token's last use is written once a minute)
    queries_varied: bool
    kilobytes: float


@dataclass
class _Case:
    case: str
    partnership: str
    query: dict[str, Any]
    client: Any


def _token_client(user: Any) -> Any:
    from django.test import Client

    from partnerships.models import ApiToken

    _row, secret = ApiToken.objects.create(user=user, name="Benchmark")
    return Client(HTTP_AUTHORIZATION=f"Token {secret}")


def _administrator() -> Any:
    from partnerships.models import User

    admin, _ = User.objects.get_or_create(
        email="api-bench-admin@bench.example", defaults={"full_name": "API benchmark", "is_staff": True}
    )
    return admin


def _cases(data: Generated) -> list[_Case]:
    manager, admin = _token_client(data.manager), _token_client(_administrator())
    cases = []
    for partnership in (data.large, data.small):
        for query in ({}, {"overdue": "true"}, {"due_before": "2025-06-30", "status": "in_progress"}):
            name = "by partnership" + "".join(f", {k}={v}" for k, v in query.items())
            cases.append(_Case(name, partnership.name, {"partnership": partnership.slug, **query}, manager))
    cases.append(_Case("every action", "(all)", {}, admin))
    return cases


def _pages(count: int, page_size: int) -> list[int]:
    last = max(1, -(-count // page_size))
    return sorted({1, (last + 1) // 2, last})


def _measure(client: Any, url: str, query: dict[str, Any], *, warm_up: int, requests: int) -> tuple[Any, ...]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get() -> Any:
        # secure=True: production settings redirect plain HTTP to HTTPS (SECURE_SSL_REDIRECT).
        response = client.get(url, query, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} {query} answered {response.status_code}, not 200: {response.content[:300]!r}")
        return response

    for _ in range(warm_up):
        get()
    timings, database, counts = [], [], []
    response = None
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = get()
            timings.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries.captured_queries))
        database.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    assert response is not None
    return response, timings, database, counts


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run(data: Generated, *, requests: int = 30, warm_up: int = 3) -> list[ApiResult]:
    """Every case at 50 and 500 a page: its first, middle and last page."""
    from django.conf import settings
    from django.test import override_settings

    url = "/api/v1/actions/"
    results = []
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], REST_FRAMEWORK=rest):
        for case in _cases(data):
            for page_size in (50, 500):
                first = case.client.get(url, {**case.query, "page_size": page_size}, secure=True).json()
                count = int(first["count"])
                for page in _pages(count, page_size):
                    query = {**case.query, "page_size": page_size, "page": page}
                    response, timings, database, counts = _measure(
                        case.client, url, query, warm_up=warm_up, requests=requests
                    )
                    results.append(
                        ApiResult(
                            case=case.case,
                            partnership=case.partnership,
                            actions=count,
                            page=page,
                            page_size=page_size,
                            rows=len(response.json()["results"]),
                            requests=requests,
                            median_ms=statistics.median(timings),
                            p95_ms=_percentile(timings, 0.95),
                            database_ms=statistics.median(database),
                            queries=min(counts),
                            queries_varied=len(set(counts)) > 1,
                            kilobytes=len(response.content) / 1024,
                        )
                    )
    return results


def print_results(results: list[ApiResult], *, say: Callable[[str], None] = print) -> None:
    header = (
        f"{'list':<44} {'partnership':<11} {'actions':>8} {'page':>6} {'size':>5} {'rows':>5} "
        f"{'median ms':>10} {'p95 ms':>8} {'SQL ms':>7} {'queries':>8} {'KB':>6}"
    )
    say(header)
    say("-" * len(header))
    for r in results:
        queries = f"{r.queries}{'*' if r.queries_varied else ''}"
        say(
            f"{r.case:<44} {r.partnership:<11} {r.actions:>8,} {r.page:>6} {r.page_size:>5} {r.rows:>5} "
            f"{r.median_ms:>10.1f} {r.p95_ms:>8.1f} {r.database_ms:>7.1f} {queries:>8} {r.kilobytes:>6.0f}"
        )
    say(
        "SQL ms: median time inside the database driver. queries: per request, the token's check and the\n"
        "caller's roles included (* once a minute one more: the token's last use is recorded)."
    )


def failures(results: list[ApiResult]) -> list[str]:
    """The queries per request of a page with rows must not grow with the actions, the page or its size: the
    same for Birmingham as for Rutland, and for the administrator's 100,000 (who needs no roles read)."""
    found = []
    for caller in ("manager", "administrator"):
        counts = {r.queries for r in results if r.rows and (r.partnership == "(all)") == (caller == "administrator")}
        if len(counts) > 1:
            found.append(f"the {caller}'s action list makes {sorted(counts)} queries per request")
    return found


def in_suite(data: Generated, *, requests: int, warm_up: int) -> bool:
    """run.py's step: measure, print, and say whether it failed."""
    from actionplans.models import Action

    print(f"\nThe API's action list ({Action.objects.count():,} actions in the database; benchmarks/api.py):")
    results = run(data, requests=min(requests, 30), warm_up=warm_up)
    print_results(results)
    problems = failures(results)
    for problem in problems:
        print(f"FAIL: {problem}")
    return bool(problems)


def main() -> int:
    """On its own: a fresh benchmark database with the national load data and 100,000 actions, then this."""
    import argparse

    from benchmarks import run as bench

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20_260_401, help="seed of the load data")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed requests first (default 3)")
    args = parser.parse_args()

    def load(data: Generated) -> None:
        from benchmarks import reminders

        reminders.load(args.seed).add(ACTIONS)

    data, _ = bench.standalone_database(args.seed, load, f"national load data and {ACTIONS:,} actions")
    return 1 if in_suite(data, requests=args.requests, warm_up=args.warm_up) else 0


if __name__ == "__main__":
    sys.exit(main())
