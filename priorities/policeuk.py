"""Reading police.uk street-level crime files (DOMAIN.md §5) as streams.

The standard download has 12 columns; the "Crime type" column holds the category *name*. Legacy names
and slugs (before public order and weapons were split) are mapped to today's categories. A bad row is
refused with a message naming its row number and column; nothing here touches the database.

Two readers give the same rows and the same refusals: read_street_rows, one object per row, and
StreetTally, which counts a million-row file in seconds without keeping its rows.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

from django.db import models

HEADER = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)


class CrimeCategory(models.TextChoices):
    """police.uk crime categories (slug, name), as /api/crime-categories lists them."""

    ANTI_SOCIAL_BEHAVIOUR = "anti-social-behaviour", "Anti-social behaviour"
    BICYCLE_THEFT = "bicycle-theft", "Bicycle theft"
    BURGLARY = "burglary", "Burglary"
    CRIMINAL_DAMAGE_ARSON = "criminal-damage-arson", "Criminal damage and arson"
    DRUGS = "drugs", "Drugs"
    OTHER_THEFT = "other-theft", "Other theft"
    POSSESSION_OF_WEAPONS = "possession-of-weapons", "Possession of weapons"
    PUBLIC_ORDER = "public-order", "Public order"
    ROBBERY = "robbery", "Robbery"
    SHOPLIFTING = "shoplifting", "Shoplifting"
    THEFT_FROM_THE_PERSON = "theft-from-the-person", "Theft from the person"
    VEHICLE_CRIME = "vehicle-crime", "Vehicle crime"
    VIOLENT_CRIME = "violent-crime", "Violence and sexual offences"
    OTHER_CRIME = "other-crime", "Other crime"
    # Before May 2013 public order and weapons were one category; kept so old files import.
    PUBLIC_DISORDER_WEAPONS = "public-disorder-weapons", "Public disorder and weapons"


def _key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


# Names and slugs, today's and legacy, all matched case- and punctuation-insensitively.
_CATEGORY_BY_KEY: dict[str, CrimeCategory] = {}
for _category in CrimeCategory:
    _CATEGORY_BY_KEY[_key(_category.label)] = _category
    _CATEGORY_BY_KEY[_key(_category.value)] = _category
_CATEGORY_BY_KEY.update(
    {
        _key("violence-and-sexual-offences"): CrimeCategory.VIOLENT_CRIME,
        _key("Violent crime"): CrimeCategory.VIOLENT_CRIME,
        _key("weapons-possession"): CrimeCategory.POSSESSION_OF_WEAPONS,
    }
)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_LSOA_NAME = re.compile(r"^(?P<district>.+) \d{3}[A-Z]$")


class FileRefused(ValueError):
    """A file that cannot be imported; the message names the file, row and column."""


@dataclass(frozen=True)
class StreetRow:
    month: date
    reported_by: str
    category: CrimeCategory
    lsoa_code: str
    lsoa_name: str

    @property
    def district_name(self) -> str:
        """The local authority district the LSOA lies in: its name without the trailing code."""
        return district_of(self.lsoa_name)


def district_of(lsoa_name: str) -> str:
    """The district an LSOA lies in, from its name ("Barnet 016B" → "Barnet"); "" when it has none."""
    match = _LSOA_NAME.match(lsoa_name)
    return match.group("district") if match else ""


def category_for(text: str) -> CrimeCategory | None:
    return _CATEGORY_BY_KEY.get(_key(text))


def parse_month(text: str) -> date | None:
    match = _MONTH.match(text.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 2000:
        return None
    return date(year, month, 1)


# --- Checks shared by both readers, so that a refusal reads the same whichever one met the row --------


def _check_header(header: list[str] | None, name: str) -> None:
    if header is None:
        raise FileRefused(f"{name}: the file is empty")
    header = [h.strip().lstrip("\ufeff") for h in header]
    if tuple(header) != HEADER:
        missing = [h for h in HEADER if h not in header]
        detail = f"missing column(s) {', '.join(missing)}" if missing else "columns in the wrong order"
        raise FileRefused(f"{name}, row 1: not a police.uk street-level file ({detail})")


def _wrong_width(row: list[str], name: str, number: int) -> FileRefused:
    return FileRefused(f"{name}, row {number}: expected {len(HEADER)} columns, found {len(row)}")


def _month_or_refuse(text: str, name: str, number: int) -> date:
    month = parse_month(text)
    if month is None:
        raise FileRefused(f"{name}, row {number}, column Month: {text!r} is not a month like 2025-01")
    return month


def _category_or_refuse(text: str, name: str, number: int) -> CrimeCategory:
    category = category_for(text)
    if category is None:
        raise FileRefused(f"{name}, row {number}, column Crime type: unknown crime type {text!r}")
    return category


def _csv_record(line: str | None, lines: Iterator[str], name: str, number: int) -> list[str] | None:
    """The next CSV record: the one starting at `line` (None: at the next line), with any lines it runs on to.

    None at the end of the file. A record the csv module cannot read (a field over its size limit)
    refuses the file.
    """
    reader = csv.reader(lines if line is None else chain((line,), lines))
    try:
        return next(reader, None)
    except csv.Error as error:
        raise FileRefused(f"{name}, row {number}: not a CSV record ({error})") from error


def read_street_rows(lines: Iterable[str], *, name: str) -> Iterator[StreetRow]:
    """Yield the rows of one street-level file, refusing the file at the first bad row.

    One object per row: simple, and right for a few rows. An import counts with StreetTally, which
    refuses the same rows with the same messages at a fraction of the cost per row.
    """
    reader = csv.reader(lines)
    _check_header(next(reader, None), name)
    for number, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(HEADER):
            raise _wrong_width(row, name, number)
        month = _month_or_refuse(row[1], name, number)
        category = _category_or_refuse(row[9], name, number)
        yield StreetRow(
            month=month,
            reported_by=row[2].strip(),
            category=category,
            lsoa_code=row[7].strip(),
            lsoa_name=row[8].strip(),
        )


# --- Counting at speed --------------------------------------------------------------------------------

CATEGORIES: tuple[CrimeCategory, ...] = tuple(CrimeCategory)
# An LSOA's block in a month's list of counts: one counter per category, then the ordinal of the last
# row that fell in it (which of an LSOA code's names is the latest, should a code come with two).
_BLOCK = len(CATEGORIES) + 1
_LAST = len(CATEGORIES)


@dataclass(eq=False)
class Place:
    """One LSOA (its code and name, cleaned) in the rows of one force."""

    force: str
    code: str
    name: str
    base: int  # where its block starts in each of the force's month lists


@dataclass(eq=False)
class _Force:
    name: str
    places: list[Place] = field(default_factory=list)
    place_at: dict[tuple[str, str], int] = field(default_factory=dict)  # cleaned (code, name) → base
    raw_place_at: dict[tuple[str, str], int] = field(default_factory=dict)  # raw (code, name) → base
    months: dict[date, list[int]] = field(default_factory=dict)  # month → counts, a block per place


class StreetTally:
    """Rows of street-level files counted by month, force, category and LSOA; a bad file is refused.

    Built for files of a million rows. Each distinct raw text (a month, a force, a crime type, an LSOA
    code and name) is checked and cleaned once, the first time it is met, and remembered; after that a
    row costs three dictionary look-ups and two list stores. The counts are dense: per force and month,
    one list with a block of counters per LSOA. Memory therefore grows with months × neighbourhoods (a
    year of the Metropolitan Police Service, about 4,800 LSOAs: some 7 MB), never with rows, and nothing
    of a row is kept once it is counted. A refusal names the file, row and column exactly as
    read_street_rows does.
    """

    def __init__(self) -> None:
        self.rows = 0
        self._forces: dict[str, _Force] = {}
        # Raw texts → what they mean: each is cleaned and checked once per import.
        self._periods: dict[tuple[str, str], tuple[list[int], dict[tuple[str, str], int], _Force]] = {}
        self._categories: dict[str, int] = {}
        self._next_ordinal = 1  # 0 in a block: no row yet

    def add_file(self, lines: Iterable[str], *, name: str) -> None:
        """Count the rows of one file; FileRefused at its first bad row (the tally is then unusable).

        `lines` as a text file yields them. A line with no quote and no line break but the one that ends
        it (LF or CRLF) is split on commas: what the csv module would make of it, at half the cost. Any
        other line (quoted fields, which may run over lines) goes through the csv module.
        """
        lines = iter(lines)
        _check_header(_csv_record(None, lines, name, 1), name)
        periods, categories, width, last = self._periods, self._categories, len(HEADER), _LAST
        # Ordinals run on across files (which name of an LSOA code came last); row N is first + N - 2.
        first = self._next_ordinal
        ordinal = first - 1
        blank = 0
        for line in lines:
            ordinal += 1
            end = len(line) - 1
            if '"' in line or line.find("\n") != end or ("\r" in line and line.find("\r") != end - 1):
                row = _csv_record(line, lines, name, ordinal - first + 2) or []
            else:
                # The last field (Context, never read) keeps the line ending.
                row = line.split(",")
            if len(row) != width:
                if not row or line in ("\n", "\r\n", ""):  # a blank line: csv.reader gives [] and skips it
                    blank += 1
                    continue
                raise _wrong_width(row, name, ordinal - first + 2)
            period = periods.get((row[1], row[2]))
            if period is None:
                period = self._period(row[1], row[2], name, ordinal - first + 2)
            category = categories.get(row[9])
            if category is None:
                category = self._category(row[9], name, ordinal - first + 2)
            counts, raw_place_at, force = period
            base = raw_place_at.get((row[7], row[8]))
            if base is None:
                base = self._place(force, row[7], row[8])
            counts[base + category] += 1
            counts[base + last] = ordinal
        self.rows += ordinal - first + 1 - blank
        self._next_ordinal = ordinal + 1

    def places(self) -> Iterator[Place]:
        """Every LSOA met, force by force, in the order first met ("" code: rows with no location)."""
        for force in self._forces.values():
            yield from force.places

    def periods(self) -> set[tuple[date, str]]:
        """The (month, force) pairs the rows came from."""
        return {(month, force.name) for force in self._forces.values() for month in force.months}

    def counts(self, place: Place) -> Iterator[tuple[date, CrimeCategory, int]]:
        """The place's rows per month and category (only the counts that are not zero)."""
        base = place.base
        for month, counts in self._forces[place.force].months.items():
            for index, count in enumerate(counts[base : base + _LAST]):
                if count:
                    yield month, CATEGORIES[index], count

    def month_counts(self, force: str, month: date) -> list[int] | None:
        """A force's counts for a month, if it has rows then: the rows of a place in a category are at
        `place.base + CATEGORIES.index(category)`."""
        return self._forces[force].months.get(month)

    def last_ordinal(self, place: Place) -> int:
        """Where the place's last row came in the files, as an ordinal: larger means later."""
        return max(counts[place.base + _LAST] for counts in self._forces[place.force].months.values())

    def _period(
        self, month_text: str, force_text: str, name: str, number: int
    ) -> tuple[list[int], dict[tuple[str, str], int], _Force]:
        month = _month_or_refuse(month_text, name, number)
        force_name = force_text.strip()
        force = self._forces.get(force_name)
        if force is None:
            force = self._forces[force_name] = _Force(force_name)
        counts = force.months.get(month)
        if counts is None:
            counts = force.months[month] = [0] * (len(force.places) * _BLOCK)
        period = self._periods[(month_text, force_text)] = (counts, force.raw_place_at, force)
        return period

    def _category(self, text: str, name: str, number: int) -> int:
        index = self._categories[text] = CATEGORIES.index(_category_or_refuse(text, name, number))
        return index

    def _place(self, force: _Force, code_text: str, name_text: str) -> int:
        key = (code_text.strip(), name_text.strip())
        base = force.place_at.get(key)
        if base is None:
            base = force.place_at[key] = len(force.places) * _BLOCK
            force.places.append(Place(force.name, *key, base=base))
            for counts in force.months.values():
                counts.extend([0] * _BLOCK)
        force.raw_place_at[(code_text, name_text)] = base
        return base
