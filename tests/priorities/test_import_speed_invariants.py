"""The fast import counts exactly what a plain row-by-row import would, and its memory does not grow with rows.

priorities.policeuk.StreetTally splits most lines on commas, remembers every raw text it has checked and
counts into dense lists; crime_import writes the counts in batches (COPY on PostgreSQL). Each shortcut
must give the same CrimeCount rows, summary and refusals as the straightforward reading: a reference
import kept here, built on read_street_rows (one object per row, csv.reader for every line).
Speed itself is measured by `make bench` (benchmarks/import_bench.py), never asserted here.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from benchmarks.policeuk_file import StreetFile, districts_of_force, street_lines, write_street_file
from partnerships.models import Partnership, PartnershipKind
from priorities import services
from priorities.models import CrimeCount, CrimeImport
from priorities.policeuk import HEADER, FileRefused, StreetTally, read_street_rows
from tests.factories import CountyGroupFactory, LocalAuthorityAreaFactory, PartnershipFactory, PoliceForceAreaFactory
from tests.priorities.factories_assessments import MET_STREET_FILE

pytestmark = pytest.mark.django_db

MET_FORCE = "Metropolitan Police"


# --- The reference: one object per row, every rule written out plainly ----------------------------------


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z]+", " ", name.lower()).strip()


def reference_import(targets: list[Partnership], files: list[tuple[str, bytes]]) -> dict[str, Any]:
    """What an import must produce, worked out row by row (no caching, no dense counts, no batches)."""
    owners: dict[str, list[int]] = defaultdict(list)
    for partnership in targets:
        for area in partnership.local_authority_areas.all():
            owners[_normalise(area.name)].append(partnership.pk)
    cells: Counter[tuple[int, date, str, str, str]] = Counter()
    names: dict[str, str] = {}
    per_partnership: dict[int, Counter[str]] = defaultdict(Counter)
    outside: Counter[str] = Counter()
    months: set[date] = set()
    read = outside_rows = no_location = 0
    for file_name, data in files:
        stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
        for row in read_street_rows(stream, name=file_name):
            read += 1
            months.add(row.month)
            if not row.lsoa_code:
                no_location += 1
                continue
            match = re.match(r"^(.+) \d{3}[A-Z]$", row.lsoa_name)
            district = match.group(1) if match else ""
            found = owners.get(_normalise(district))
            if not found:
                outside_rows += 1
                outside[district or row.lsoa_name] += 1
                continue
            names[row.lsoa_code] = row.lsoa_name
            for pk in found:
                cells[(pk, row.month, row.reported_by, row.category.value, row.lsoa_code)] += 1
                per_partnership[pk][row.category.label] += 1
    by_pk = {p.pk: p.name for p in targets}
    return {
        "rows": {(pk, m, by, cat, code, names[code], n) for (pk, m, by, cat, code), n in cells.items()},
        "rows_read": read,
        "rows_outside": outside_rows,
        "rows_no_location": no_location,
        "months": sorted(months),
        "per_partnership": {
            by_pk[pk]: dict(sorted(c.items())) for pk, c in sorted(per_partnership.items(), key=lambda i: by_pk[i[0]])
        },
        "outside": dict(outside),
    }


def fast_import(scope: Partnership, files: list[tuple[str, bytes]]) -> dict[str, Any]:
    summary = services.crime_import(
        actor=None, scope=scope, files=[(name, services.text_stream(io.BytesIO(data))) for name, data in files]
    )
    rows = list(
        CrimeCount.objects.values_list(
            "partnership_id", "month", "reported_by", "category", "lsoa_code", "lsoa_name", "count"
        )
    )
    record = CrimeImport.objects.latest("pk")
    assert record.summary == {"per_partnership": summary.per_partnership, "outside": dict(summary.outside_districts)}
    assert (record.rows_read, record.rows_outside, record.rows_no_location) == (
        summary.rows_read,
        summary.rows_outside,
        summary.rows_no_location,
    )
    return {
        "rows": set(rows),
        "row_count": len(rows),
        "rows_read": summary.rows_read,
        "rows_outside": summary.rows_outside,
        "rows_no_location": summary.rows_no_location,
        "months": summary.months,
        "per_partnership": summary.per_partnership,
        "outside": dict(summary.outside_districts),
    }


def assert_same_as_reference(scope: Partnership, files: list[tuple[str, bytes]]) -> dict[str, Any]:
    expected = reference_import(services.import_targets(scope), files)
    got = fast_import(scope, files)
    assert got["row_count"] == len(got["rows"])
    assert got["rows"] == expected["rows"]
    for key in ("rows_read", "rows_outside", "rows_no_location", "months", "per_partnership", "outside"):
        assert got[key] == expected[key], key
    assert list(got["per_partnership"]) == list(expected["per_partnership"])  # in partnership name order
    return got


# --- The real file -------------------------------------------------------------------------------------


@pytest.fixture
def london() -> Partnership:
    """A county group over the Met's force area: a CSP per borough, with some borough shapes to test.

    Westminster and Camden form one joint CSP; Hackney is covered by two CSPs; Bexley and Bromley have
    no CSP here, so their rows fall outside.
    """
    met = PoliceForceAreaFactory(name=MET_FORCE, code="E23000001")
    areas = {
        name: LocalAuthorityAreaFactory(name=name, police_force_area=met) for name in districts_of_force(MET_FORCE)
    }
    csps: list[tuple[str, list[str]]] = [
        (name, [name]) for name in areas if name not in {"Westminster", "Camden", "Bexley", "Bromley"}
    ]
    csps += [("Camden and Westminster", ["Camden", "Westminster"]), ("Hackney East", ["Hackney"])]
    for number, (name, districts) in enumerate(csps):
        csp = PartnershipFactory(name=name, ons_code=f"E22{number:06d}", police_force_area=met)
        csp.local_authority_areas.set([areas[d] for d in districts])
    return CountyGroupFactory(name="Safer London", slug="safer-london", police_force_area=met)  # type: ignore[no-any-return]


def test_the_real_met_file_gives_the_same_crime_counts_as_the_row_by_row_reference(london):
    got = assert_same_as_reference(london, [(MET_STREET_FILE.name, MET_STREET_FILE.read_bytes())])

    assert got["rows_read"] == 12_945
    assert got["rows_no_location"] == 0
    assert got["outside"]["Bexley"] > 0
    assert got["outside"]["Epping Forest"] == 2
    # Hackney's rows go to both CSPs covering it; Camden's and Westminster's to their joint CSP.
    partnerships = Partnership.objects.in_bulk()
    assert {partnerships[r[0]].name for r in got["rows"] if r[5].startswith("Hackney")} == {"Hackney", "Hackney East"}
    assert {partnerships[r[0]].name for r in got["rows"] if r[5].startswith("Camden")} == {"Camden and Westminster"}


def test_importing_the_real_file_again_replaces_it_with_the_same_rows(london):
    files = [(MET_STREET_FILE.name, MET_STREET_FILE.read_bytes())]
    first = fast_import(london, files)

    assert_same_as_reference(london, files)
    assert CrimeCount.objects.count() == first["row_count"]


def test_the_real_file_saved_by_a_spreadsheet_with_crlf_endings_counts_the_same(london):
    crlf = MET_STREET_FILE.read_bytes().replace(b"\n", b"\r\n")

    got = assert_same_as_reference(london, [("saved-again.csv", crlf)])

    assert got["rows_read"] == 12_945


# --- A file with every awkward thing police.uk or a spreadsheet might put in one -------------------------


def _line(*cells: str, ending: str = "\n") -> str:
    return ",".join(cells) + ending


def _row(month: str, force: str, code: str, name: str, crime_type: str, context: str = "", ending: str = "\n") -> str:
    return _line("", month, force, force, "-0.1", "51.5", "On or near High Street", code, name, crime_type, "", context,
                 ending=ending)  # fmt: skip


AWKWARD_A = "".join(
    [
        _line(*HEADER),
        _row("2024-01", "Testshire Police", "E01000001", "Riverton 001A", "Burglary"),
        _row("2024-01", "Testshire Police", "E01000001", "Riverton 001A", "burglary"),  # a slug's spelling
        _row(" 2024-01 ", " Testshire Police ", " E01000001 ", " Riverton 001A ", " Burglary "),  # padded
        _row("2024-01", "Testshire Police", "E01000002", "Riverton 002B", "Violent crime", ending="\r\n"),  # CRLF
        "\n",  # blank lines are skipped, but still numbered
        "\r\n",
        _row("2024-01", "Testshire Police", "E01000002", '"Riverton 002B"', "public-disorder-weapons"),
        _row("2024-01", "Testshire Police", "E01000003", "Marshby 001A", "Drugs", context='"Seen, then\nleft"'),
        _row("2024-01", "Testshire Police", "E01000004", "Hillford 001A", "Anti-social behaviour"),
        _row("2024-01", "Testshire Police", "", "", "Other theft"),  # no location
        _row("2024-01", "Testshire Police", "E01000005", "", "Other theft"),  # a code but no name: outside
        _row("2024-01", "Testshire Police", "E01000006", "Riverton", "Robbery"),  # no LSOA suffix: outside
        _row("2024-01", "Testshire Police", "E01000007", "Outer Town 003C", "Robbery"),
        # One code under two names inside (two CSPs) and one outside: the last name inside is kept.
        _row("2024-01", "Testshire Police", "E01000009", "Riverton 009A", "Shoplifting"),
        _row("2024-02", "Testshire Police", "E01000009", "Hillford 009A", "Shoplifting"),
        _row("2024-02", "Testshire Police", "E01000009", "Outer Town 009A", "Shoplifting"),
        _row("2024-02", "Testshire Police", "E01000009", "Riverton 009A", "SHOPLIFTING"),
        _row("2024-02", "Testshire Police", "E01000009", "Hillford 009A", "Shoplifting"),
        # Text that COPY must escape: a tab and a backslash.
        _row("2024-02", "Testshire Police", "E01000010", '"Riverton\t 010A"', "Vehicle crime"),
        _row("2024-02", "Testshire Police", "E01000011", "Riverton 011A", "Weapons possession"),
        _row("2024-02", "Testshire Police", "E01000011", "Riverton 011A", "Violence and sexual offences"),
    ]
)
AWKWARD_B = "\ufeff" + "".join(
    [
        _line(*HEADER),
        _row("2024-02", "Testshire Police", "E01000001", "Riverton 001A", "Burglary"),
        _row("2024-02", "Back\\slash Constabulary", "E01000001", "Riverton 001A", "Burglary"),
        _row("2024-03", "Back\\slash Constabulary", "E01000012", "Marshby 012A", "Criminal damage and arson"),
        _row("2024-03", "Back\\slash Constabulary", "E01000012", "Marshby 012A", "Criminal damage and arson"),
        _row("2024-03", "Back\\slash Constabulary", "E01000001", "Riverton 001A", "Bicycle theft"),
    ]
)


@pytest.fixture
def shire() -> Partnership:
    """A county group: Riverton; Hillford; Marshby shared by Hillford and Marshby Vale (a joint district)."""
    force = PoliceForceAreaFactory(name="Testshire", code="E23900001")
    county = CountyGroupFactory(name="Safer Testshire", slug="safer-testshire", police_force_area=force)
    riverton, hillford, marshby = (
        LocalAuthorityAreaFactory(name=n, police_force_area=force) for n in ("Riverton", "Hillford", "Marshby")
    )
    for number, (name, areas) in enumerate(
        (("Riverton", [riverton]), ("Hillford", [hillford, marshby]), ("Marshby Vale", [marshby]))
    ):
        csp = PartnershipFactory(name=name, ons_code=f"E22{900 + number:06d}", police_force_area=force)
        csp.local_authority_areas.set(areas)
    return county  # type: ignore[no-any-return]


def test_an_awkward_pair_of_files_gives_the_same_crime_counts_as_the_row_by_row_reference(shire):
    files = [("a.csv", AWKWARD_A.encode()), ("b.csv", AWKWARD_B.encode())]

    got = assert_same_as_reference(shire, files)

    assert got["rows_read"] == 24
    assert (got["rows_no_location"], got["rows_outside"]) == (1, 4)
    names = {row[4]: row[5] for row in got["rows"]}
    assert names["E01000009"] == "Hillford 009A"
    assert names["E01000010"] == "Riverton\t 010A"
    assert "Back\\slash Constabulary" in {row[2] for row in got["rows"]}


def test_one_file_counted_on_its_own_matches_the_reference_for_a_single_csp(shire):
    riverton = Partnership.objects.get(name="Riverton", kind=PartnershipKind.CSP)

    assert_same_as_reference(riverton, [("a.csv", AWKWARD_A.encode())])


# --- Refusals: the same message from the fast reader as from the plain one --------------------------------

GOOD = _row("2024-01", "Testshire Police", "E01000001", "Riverton 001A", "Burglary")
BAD_FILES = {
    "empty": "",
    "wrong header": _line(*reversed(HEADER)) + GOOD,
    "missing column": _line(*HEADER[:-1]) + GOOD,
    "too few columns": _line(*HEADER) + GOOD + _line("a", "b", "c"),
    "too many columns after blank lines": _line(*HEADER) + GOOD + "\n\r\n" + GOOD[:-1] + ",extra\n",
    "too few columns, quoted": _line(*HEADER) + GOOD + '"a,b",c\n',
    "bad month": _line(*HEADER) + GOOD + _row("2024-13", "Testshire Police", "E01", "Riverton 001A", "Burglary"),
    "bad month after a record over two lines": _line(*HEADER)
    + _row("2024-01", "Testshire Police", "E01", "Riverton 001A", "Drugs", context='"two\nlines"')
    + _row("Jan 2024", "Testshire Police", "E01", "Riverton 001A", "Burglary"),
    "bad month and crime type": _line(*HEADER) + _row("2024", "P", "E01", "Riverton 001A", "Jaywalking"),
    "unknown crime type": _line(*HEADER) + GOOD + GOOD + _row("2024-01", "P", "E01", "Riverton 001A", "Jaywalking"),
    "unknown crime type, CRLF": _line(*HEADER) + _row("2024-01", "P", "E01", "X 001A", "Jaywalking", ending="\r\n"),
    "a month seen before, then a bad crime type": _line(*HEADER)
    + GOOD
    + _row("2024-01", "Testshire Police", "E01000001", "Riverton 001A", "All crime"),
}


def _plain_refusal(text: str) -> str:
    with pytest.raises(FileRefused) as refused:
        list(read_street_rows(io.StringIO(text, newline=""), name="bad.csv"))
    return str(refused.value)


@pytest.mark.parametrize("kind", BAD_FILES)
def test_the_fast_reader_refuses_a_bad_file_with_the_same_message_as_the_plain_reader(kind):
    text = BAD_FILES[kind]

    with pytest.raises(FileRefused) as refused:
        StreetTally().add_file(io.StringIO(text, newline=""), name="bad.csv")

    assert str(refused.value) == _plain_refusal(text)
    assert str(refused.value).startswith("bad.csv")


@pytest.mark.parametrize("kind", BAD_FILES)
def test_the_import_refuses_a_bad_file_with_the_plain_readers_message_and_saves_nothing(shire, kind):
    text = BAD_FILES[kind]

    with pytest.raises(ValidationError) as refused:
        services.crime_import(actor=None, scope=shire, files=[("bad.csv", io.StringIO(text, newline=""))])

    assert refused.value.messages == [_plain_refusal(text)]
    assert not CrimeCount.objects.exists()
    assert not CrimeImport.objects.exists()


def test_a_record_the_csv_module_cannot_read_is_refused_with_its_row_not_an_error_page(shire):
    huge = '"' + "x" * (csv.field_size_limit() + 1) + '"'
    text = _line(*HEADER) + GOOD + _row("2024-01", "Testshire Police", "E01", "Riverton 001A", "Drugs", context=huge)

    with pytest.raises(ValidationError) as refused:
        services.crime_import(actor=None, scope=shire, files=[("huge.csv", io.StringIO(text, newline=""))])

    assert refused.value.messages[0].startswith("huge.csv, row 3: not a CSV record (field larger than field limit")


# --- Memory: flat as the file grows --------------------------------------------------------------------

# 4 districts of 60 neighbourhoods over 3 months: some 10,000 cells, most of them filled by 200,000 rows and
# far fewer by 20,000. An import that kept rows, or held every cell as an object (as the one-list
# bulk_create did), would need megabytes more for the larger file.
SPEC = StreetFile(
    force="Testshire Police",
    districts=("Riverton", "Hillford", "Marshby", "Lowmoor"),
    months=(),
    lsoas_per_district=60,
    neighbours=("Outer Town",),
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Files of 2,000, 20,000 and 200,000 rows (2019, 2020 and 2021), written before anything is traced."""
    folder = tmp_path_factory.mktemp("generated")
    files = {}
    for rows, year in ((2_000, 2019), (20_000, 2020), (200_000, 2021)):
        spec = replace(SPEC, months=tuple(date(year, m, 1) for m in (1, 2, 3)), seed=year)
        files[rows] = folder / f"{rows}.csv"
        write_street_file(files[rows], spec, rows)
    return files


def _traced_peak(work: Callable[[], object]) -> int:
    """Peak Python memory (bytes above where it started) while `work` runs."""
    gc.collect()  # garbage of earlier tests, collected at whatever moment, would blur the peak
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()


@pytest.fixture
def testshire() -> Partnership:
    force = PoliceForceAreaFactory(name="Testshire", code="E23900002")
    county = CountyGroupFactory(name="Testshire county", slug="testshire-county", police_force_area=force)
    for number, name in enumerate(SPEC.districts):
        csp = PartnershipFactory(name=name, ons_code=f"E22{800 + number:06d}", police_force_area=force)
        csp.local_authority_areas.set([LocalAuthorityAreaFactory(name=name, police_force_area=force)])
    return county  # type: ignore[no-any-return]


def test_peak_memory_of_an_import_does_not_grow_with_the_rows_of_the_file(testshire, generated):
    def run(rows: int) -> int:
        with generated[rows].open("rb") as binary:
            return _traced_peak(
                lambda: services.crime_import(
                    actor=None, scope=testshire, files=[("generated.csv", services.text_stream(binary))]
                )
            )

    run(2_000)  # first use: imports, query compilation, caches
    small, large = run(20_000), run(200_000)

    small_cells = CrimeCount.objects.filter(month__year=2020).count()
    large_cells = CrimeCount.objects.filter(month__year=2021).count()
    assert large_cells > 1.3 * small_cells
    # Ten times the rows and far more cells to write, within a quarter of a megabyte of the same peak.
    assert large - small < 256 * 1024, (small, large)


def test_the_tally_of_ten_times_the_rows_takes_the_same_memory(generated):
    def run(rows: int) -> int:
        with generated[rows].open("rb") as binary:
            return _traced_peak(lambda: StreetTally().add_file(services.text_stream(binary), name="generated.csv"))

    run(2_000)
    small, large = run(20_000), run(200_000)

    assert large - small < 64 * 1024, (small, large)


def test_the_write_batches_cover_every_cell_once(testshire, monkeypatch):
    """Many small batches give the same rows as one: nothing lost or repeated at a batch's edge."""
    spec = replace(SPEC, months=(date(2022, 1, 1),), seed=3)
    text = "".join(street_lines(spec, 5_000))
    expected = assert_same_as_reference(testshire, [("one.csv", text.encode())])["rows"]
    CrimeCount.objects.all().delete()

    monkeypatch.setattr("priorities.services.crime.WRITE_BATCH", 7)
    services.crime_import(actor=None, scope=testshire, files=[("one.csv", io.StringIO(text, newline=""))])

    rows = CrimeCount.objects.values_list(
        "partnership_id", "month", "reported_by", "category", "lsoa_code", "lsoa_name", "count"
    )
    assert set(rows) == expected
    assert len(rows) == len(expected)


def test_the_generated_file_is_a_police_uk_file_of_districts_in_the_registry():
    met = districts_of_force(MET_FORCE)
    spec = StreetFile(force="Metropolitan Police Service", districts=met, months=(date(2024, 1, 1),))
    rows = list(csv.reader(street_lines(spec, 1_000)))

    assert tuple(rows[0]) == HEADER
    assert len(rows) == 1_001
    assert all(len(r) == 12 for r in rows)
    assert len(met) == 32
    assert {r[8].rsplit(" ", 1)[0] for r in rows[1:] if r[8]} <= set(met)
