"""Importing police.uk street-level files into crime counts (one transaction per import)."""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import IO

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q

from partnerships.models import LocalAuthorityArea, Partnership, PartnershipKind, User
from priorities.models import CrimeCount, CrimeImport
from priorities.policeuk import CATEGORIES, FileRefused, Place, StreetTally, district_of

# CrimeCount rows per INSERT or COPY: big enough that round trips do not count, small enough that the
# rows being written never take much memory, whatever the size of the import.
WRITE_BATCH = 5_000


@dataclass
class ImportSummary:
    """What an import did with every row: nothing is dropped without being counted here."""

    files: list[str]
    rows_read: int = 0
    rows_outside: int = 0
    rows_no_location: int = 0
    months: list[date] = field(default_factory=list)
    # partnership name → category label → rows
    per_partnership: dict[str, dict[str, int]] = field(default_factory=dict)
    outside_districts: Counter[str] = field(default_factory=Counter)
    record_id: int | None = None  # the CrimeImport saved for this import

    @property
    def rows_imported(self) -> int:
        return sum(sum(c.values()) for c in self.per_partnership.values())


def _normalise_district(name: str) -> str:
    # The ONS register writes "Bristol, City of" and "Herefordshire, County of"; police.uk's LSOA names
    # say "Bristol 001A" and "Herefordshire 001A".
    name = re.sub(r",\s*(city|county) of\s*$", "", name, flags=re.IGNORECASE)
    return re.sub(r"[^a-z]+", " ", name.lower()).strip()


def import_targets(scope: Partnership) -> list[Partnership]:
    """The CSPs that receive rows: the CSP itself, or for a county group every CSP in its force area."""
    if scope.kind == PartnershipKind.CSP:
        return [scope]
    if scope.kind == PartnershipKind.COUNTY_GROUP:
        query = Q(parent=scope)
        if scope.police_force_area_id is not None:
            query |= Q(police_force_area_id=scope.police_force_area_id)
        return list(Partnership.objects.filter(query, kind=PartnershipKind.CSP).distinct())
    raise ValidationError("Crime data is imported for a community safety partnership or a county group")


def district_owners(targets: list[Partnership]) -> dict[str, list[int]]:
    """District name (normalised) → the target partnerships covering it (a joint CSP shares its districts)."""
    mapping: dict[str, list[int]] = defaultdict(list)
    wanted = {t.pk for t in targets}
    for area in LocalAuthorityArea.objects.filter(partnerships__in=targets).values("name", "partnerships"):
        if area["partnerships"] in wanted:
            mapping[_normalise_district(area["name"])].append(area["partnerships"])
    return mapping


def crime_import(*, actor: User | None, scope: Partnership, files: Iterable[tuple[str, IO[str]]]) -> ImportSummary:
    """Import police.uk street-level files for a CSP or a county group; all or nothing.

    Files are read as streams and counted by (month, force, category, LSOA) in a StreetTally, so memory
    grows with months × neighbourhoods, not with rows; the rows go to the database in batches. Re-importing
    a month of a force replaces what was there. A bad file refuses the whole import with the file, row and
    column named.
    """
    targets = import_targets(scope)
    names = {t.pk: t.name for t in targets}
    summary = ImportSummary(files=[])
    tally = StreetTally()
    for name, stream in files:
        summary.files.append(name)
        try:
            tally.add_file(stream, name=name)
        except UnicodeDecodeError as error:
            raise ValidationError(f"{name}: not a text (UTF-8) CSV file ({error.reason})") from error
        except FileRefused as error:
            raise ValidationError(str(error)) from error
    if tally.rows == 0:
        raise ValidationError("The files hold no rows of crime data")

    placement = place_rows(tally, district_owners(targets), summary, names)
    replaced = tally.periods()
    with transaction.atomic():
        stale = Q()
        for month, force in replaced:
            stale |= Q(month=month, reported_by=force)
        CrimeCount.objects.filter(stale, partnership__in=targets).delete()
        _write_counts(
            (pk, month, force, category, lsoa, placement.lsoa_names[lsoa], count)
            for (pk, month, force, category, lsoa), count in placement.cells()
        )
        record = CrimeImport.objects.create(
            imported_by=actor,
            scope=scope,
            files=", ".join(summary.files),
            rows_read=summary.rows_read,
            rows_outside=summary.rows_outside,
            rows_no_location=summary.rows_no_location,
            months=[m.isoformat() for m in summary.months],
            summary={"per_partnership": summary.per_partnership, "outside": dict(summary.outside_districts)},
        )
    summary.record_id = record.pk
    return summary


_COLUMNS = ("partnership", "month", "reported_by", "category", "lsoa_code", "lsoa_name", "count")
CountRow = tuple[int, date, str, str, str, str, int]  # the values of _COLUMNS


def _write_counts(rows: Iterable[CountRow]) -> None:
    """Insert CrimeCount rows, a batch at a time so that memory stays flat however many there are.

    On PostgreSQL through COPY: a year of a large force is some 400,000 rows, which INSERT … VALUES
    writes at about 15,000 rows a second (Django preparing every value, the server parsing every
    literal) and COPY at over 100,000. Elsewhere (SQLite in development and tests) bulk_create.
    """
    pending = iter(rows)
    fields = {field.name: field for field in CrimeCount._meta.concrete_fields}
    with connection.cursor() as cursor:
        # psycopg2's COPY; any other driver (or psycopg 3, whose COPY differs) takes bulk_create.
        copy = getattr(cursor.cursor, "copy_expert", None) if connection.vendor == "postgresql" else None
        if copy is None:
            attnames = [fields[name].attname for name in _COLUMNS]
            for batch in iter(lambda: list(islice(pending, WRITE_BATCH)), []):
                CrimeCount.objects.bulk_create(CrimeCount(**dict(zip(attnames, row, strict=True))) for row in batch)
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(fields[name].column)) for name in _COLUMNS)
        statement = f"COPY {quote(CrimeCount._meta.db_table)} ({columns}) FROM STDIN"
        # COPY's text format, each distinct text escaped once: an import has a few thousand of them.
        text, day = _Escaped(), _IsoDates()
        lines = (
            f"{pk}\t{day[month]}\t{text[force]}\t{text[category]}\t{text[code]}\t{text[name]}\t{count}\n"
            for pk, month, force, category, code, name, count in pending
        )
        # One COPY fed a batch at a time: the server writes rows while the next batch is formatted.
        copy(statement, _Batches(lines))


class _Batches:
    """A file-like reader over text lines for COPY: each read() hands over the next WRITE_BATCH lines."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines

    def read(self, size: int = -1) -> str:
        return "".join(islice(self._lines, WRITE_BATCH))

    def readline(self, size: int = -1) -> str:
        return next(self._lines, "")


class _Escaped(dict[str, str]):
    """Text → as COPY's text format needs it (backslash, tab and line breaks escaped), worked out once."""

    def __missing__(self, value: str) -> str:
        escaped = self[value] = (
            value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        )
        return escaped


class _IsoDates(dict[date, str]):
    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


# (partnership id, month, force, category, LSOA code): what one CrimeCount row counts.
Cell = tuple[int, date, str, str, str]
# Category offsets in a tally's month list, in the order of their values (as the unique index sorts).
_CATEGORY_ORDER = sorted(range(len(CATEGORIES)), key=lambda index: CATEGORIES[index].value)


@dataclass
class Placement:
    """The counted rows of an import placed in its partnerships."""

    tally: StreetTally
    # partnership id → force → [(LSOA code, its places)], codes in order; a code has one place unless
    # the files gave it two names
    owned: dict[int, dict[str, list[tuple[str, list[Place]]]]]
    lsoa_names: dict[str, str]  # LSOA code → its name on the last row inside the partnerships

    def cells(self) -> Iterator[tuple[Cell, int]]:
        """Every CrimeCount cell of the import with its rows (never zero), in the unique index's order.

        Rows arriving in index order are appended to the index's last page instead of scattered
        through it: PostgreSQL writes them about 40% faster.
        """
        months = sorted({month for month, _force in self.tally.periods()})
        for pk in sorted(self.owned):
            forces = sorted(self.owned[pk].items())
            for month in months:
                for force, codes in forces:
                    counts = self.tally.month_counts(force, month)
                    if counts is None:
                        continue
                    for index in _CATEGORY_ORDER:
                        category = CATEGORIES[index].value
                        for code, places in codes:
                            count = sum(counts[place.base + index] for place in places)
                            if count:
                                yield (pk, month, force, category, code), count


def place_rows(
    tally: StreetTally, districts: dict[str, list[int]], summary: ImportSummary, names: dict[int, str]
) -> Placement:
    """Sort every LSOA met into no location, outside the partnerships, or theirs, and fill the summary.

    Works per LSOA, not per row: every row of an LSOA lies in the LSOA's district.
    """
    owned: dict[int, dict[str, dict[str, list[Place]]]] = defaultdict(lambda: defaultdict(dict))
    last_inside: dict[str, tuple[int, str]] = {}  # LSOA code → (ordinal of its last row inside, name)
    per_partnership: dict[int, Counter[str]] = defaultdict(Counter)
    for place in tally.places():
        rows = 0
        per_category: Counter[str] = Counter()
        for _month, category, count in tally.counts(place):
            rows += count
            per_category[category.label] += count
        if not place.code:
            summary.rows_no_location += rows
            continue
        district = district_of(place.name)
        owners = districts.get(_normalise_district(district))
        if not owners:
            summary.rows_outside += rows
            summary.outside_districts[district or place.name] += rows
            continue
        last = tally.last_ordinal(place)
        if place.code not in last_inside or last > last_inside[place.code][0]:
            last_inside[place.code] = (last, place.name)
        for pk in dict.fromkeys(owners):  # each partnership once, should a district be listed twice
            owned[pk][place.force].setdefault(place.code, []).append(place)
            per_partnership[pk].update(per_category)
    summary.rows_read = tally.rows
    summary.months = sorted({month for month, _force in tally.periods()})
    summary.per_partnership = {
        names[pk]: dict(sorted(counter.items()))
        for pk, counter in sorted(per_partnership.items(), key=lambda i: names[i[0]])
    }
    return Placement(
        tally,
        {pk: {force: sorted(codes.items()) for force, codes in forces.items()} for pk, forces in owned.items()},
        {code: name for code, (_last, name) in last_inside.items()},
    )


def text_stream(binary: IO[bytes]) -> IO[str]:
    """An uploaded or opened binary file as a text stream (UTF-8, with or without a byte-order mark)."""
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
