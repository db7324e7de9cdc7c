"""The police.uk import at a million rows: throughput, and peak memory as the file grows (README).

Files of 250,000, 500,000 and 1,000,000 rows in police.uk's street-level format, each a year of the
Metropolitan Police Service (benchmarks/policeuk_file.py: the 32 London boroughs of the register, about
4,800 neighbourhoods, 14 categories), written to a temporary folder. Each is imported for a county group
over the Met's force area, so every row inside London is shared out to its borough's CSP.

Every measurement runs in a fresh Python process (`python -m benchmarks.import_bench PHASE FILE RUNS`) so
that its memory is its own: the peak resident set (VmHWM, reset just before the phase) less the resident
set when the phase starts, after Django, the models and the database connection are loaded. Reading runs
twice, and so does the import of the largest file: memory from the first run, time from the faster (the
machine may be shared). Phases:

- parse: reading, checking and counting the file and placing every row (StreetTally, place_rows,
  every CrimeCount cell worked out); no database writes;
- import: crime_import end to end, the transaction committed; each file has its own year, and before
  each run that year's rows are deleted and vacuumed away, so this is a first import of its months;
- re-import: the 1,000,000-row file again, replacing its months (the rows are deleted and written anew in
  one transaction, which PostgreSQL finds slower: the unique index still holds the deleted rows).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from benchmarks.policeuk_file import StreetFile, districts_of_force, write_street_file

ROOT = Path(__file__).resolve().parents[1]
FORCE_AREA = "Metropolitan Police"  # PFA24NM in the register
FORCE = "Metropolitan Police Service"  # "Reported by" in police.uk's files
COUNTY_SLUG = "bench-safer-london"
SIZES = (250_000, 500_000, 1_000_000)


@dataclass
class ImportResult:
    phase: str
    rows: int
    megabytes: float  # size of the file
    seconds: float
    rows_per_second: float
    peak_mb: float  # growth of the process's peak resident memory over the phase
    process_peak_mb: float  # the process's peak resident memory, Python and Django included
    cells: int  # CrimeCount rows the file makes


def spec_for(year: int) -> StreetFile:
    return StreetFile(
        force=FORCE,
        districts=districts_of_force(FORCE_AREA),
        months=tuple(date(year, month, 1) for month in range(1, 13)),
        neighbours=("Dartford", "Epping Forest", "Brentwood"),
        seed=year,
    )


def run(
    folder: Path, sizes: tuple[int, ...] = SIZES, *, repeat: int = 2, say: Callable[[str], None] = print
) -> list[ImportResult]:
    """Write the files, then measure each phase in its own process; the load data must exist."""
    from partnerships.models import Partnership, PartnershipKind, PoliceForceArea

    Partnership.objects.get_or_create(
        slug=COUNTY_SLUG,
        defaults={
            "kind": PartnershipKind.COUNTY_GROUP,
            "name": "Safer London (benchmark)",
            "police_force_area": PoliceForceArea.objects.get(name=FORCE_AREA),
        },
    )
    files: dict[int, Path] = {}
    started = time.perf_counter()
    for index, rows in enumerate(sizes):
        files[rows] = folder / f"{rows}-met-street.csv"
        write_street_file(files[rows], spec_for(2020 + index), rows)
    listed = ", ".join(f"{rows:,}" for rows in sizes)
    say(f"Wrote {len(sizes)} police.uk files ({listed} rows) in {time.perf_counter() - started:.1f} s")
    # Imports are the slow part of the run: the largest file (the headline figure) twice, the others once.
    results = [_child("parse", files[rows], repeat) for rows in sizes]
    results += [_child("import", files[rows], repeat if rows == max(sizes) else 1) for rows in sizes]
    results.append(_child("re-import", files[max(sizes)], 1))
    return results


def _child(phase: str, path: Path, repeat: int) -> ImportResult:
    completed = subprocess.run(  # noqa: S603 (this interpreter, this module, our own arguments)
        [sys.executable, "-m", "benchmarks.import_bench", phase, str(path), str(repeat)],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"import benchmark ({phase} {path.name}) failed:\n{completed.stderr}")
    return ImportResult(**json.loads(completed.stdout.splitlines()[-1]))


def _memory_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (peak since the last reset) of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> None:
    """Start VmHWM again from the present resident size (Linux 4.0+: `echo 5 > /proc/self/clear_refs`)."""
    Path("/proc/self/clear_refs").write_text("5")


def _measure(phase: str, path: Path, repeat: int) -> ImportResult:
    """Run the phase `repeat` times: memory from the first run, time from the fastest (a shared machine)."""
    import django

    django.setup()
    from django.db import connection

    from partnerships.models import Partnership
    from priorities.models import CrimeCount
    from priorities.policeuk import StreetTally
    from priorities.services.crime import (
        ImportSummary,
        crime_import,
        district_owners,
        import_targets,
        place_rows,
        text_stream,
    )

    scope = Partnership.objects.get(slug=COUNTY_SLUG)
    targets = import_targets(scope)
    districts, names = district_owners(targets), {t.pk: t.name for t in targets}
    timings: list[float] = []
    growth_mb = peak_mb = 0.0
    rows = cells = 0
    for attempt in range(repeat):
        if phase == "import":
            # Each attempt a first import of its months: the rows of an earlier attempt deleted and vacuumed
            # away (left in place, they would make it a re-import). A file is one calendar year.
            with path.open(encoding="utf-8-sig") as text:
                year = int(list(islice(csv.reader(text), 2))[1][1][:4])
            CrimeCount.objects.filter(partnership__in=targets, month__year=year).delete()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM priorities_crimecount")
        CrimeCount.objects.exists()  # the connection open and the ORM warm before the baseline
        _reset_peak()
        before = _memory_kb("VmRSS")
        started = time.perf_counter()
        with path.open("rb") as binary:
            if phase == "parse":
                tally = StreetTally()
                tally.add_file(text_stream(binary), name=path.name)
                placement = place_rows(tally, districts, ImportSummary(files=[]), names)
                cells = sum(1 for _cell in placement.cells())
                rows = tally.rows
                del tally, placement
            else:
                summary = crime_import(actor=None, scope=scope, files=[(path.name, text_stream(binary))])
                rows = summary.rows_read
        timings.append(time.perf_counter() - started)
        if attempt == 0:
            peak_mb = _memory_kb("VmHWM") / 1024
            growth_mb = peak_mb - before / 1024
        if phase != "parse":
            cells = CrimeCount.objects.filter(partnership__in=targets, month__in=summary.months).count()
    seconds = min(timings)
    return ImportResult(
        phase=phase,
        rows=rows,
        megabytes=path.stat().st_size / 1024 / 1024,
        seconds=seconds,
        rows_per_second=rows / seconds,
        peak_mb=growth_mb,
        process_peak_mb=peak_mb,
        cells=cells,
    )


def print_results(results: list[ImportResult], *, say: Callable[[str], None] = print) -> None:
    header = (
        f"{'phase':<10} {'rows':>10} {'file MB':>8} {'seconds':>8} {'rows/s':>9} {'peak +MB':>9} "
        f"{'process MB':>11} {'CrimeCount rows':>16}"
    )
    say(header)
    say("-" * len(header))
    for r in results:
        say(
            f"{r.phase:<10} {r.rows:>10,} {r.megabytes:>8.0f} {r.seconds:>8.2f} {r.rows_per_second:>9,.0f} "
            f"{r.peak_mb:>9.1f} {r.process_peak_mb:>11.0f} {r.cells:>16,}"
        )


if __name__ == "__main__":
    result = _measure(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]))
    print(json.dumps(asdict(result)))
