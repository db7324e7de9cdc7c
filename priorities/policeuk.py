"""Reading police.uk street-level crime files (DOMAIN.md §5), one row at a time.

The standard download has 12 columns; the "Crime type" column holds the category *name*. Legacy names
and slugs (before public order and weapons were split) are mapped to today's categories. A bad row is
refused with a message naming its row number and column; nothing here touches the database.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

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
        match = _LSOA_NAME.match(self.lsoa_name)
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


def read_street_rows(lines: Iterable[str], *, name: str) -> Iterator[StreetRow]:
    """Yield the rows of one street-level file, refusing the file at the first bad row.

    Streaming: the file is read line by line and nothing is kept, so memory does not grow with it.
    """
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise FileRefused(f"{name}: the file is empty")
    header = [h.strip().lstrip("\ufeff") for h in header]
    if tuple(header) != HEADER:
        missing = [h for h in HEADER if h not in header]
        detail = f"missing column(s) {', '.join(missing)}" if missing else "columns in the wrong order"
        raise FileRefused(f"{name}, row 1: not a police.uk street-level file ({detail})")
    for number, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(HEADER):
            raise FileRefused(f"{name}, row {number}: expected {len(HEADER)} columns, found {len(row)}")
        month = parse_month(row[1])
        if month is None:
            raise FileRefused(f"{name}, row {number}, column Month: {row[1]!r} is not a month like 2025-01")
        category = category_for(row[9])
        if category is None:
            raise FileRefused(f"{name}, row {number}, column Crime type: unknown crime type {row[9]!r}")
        yield StreetRow(
            month=month,
            reported_by=row[2].strip(),
            category=category,
            lsoa_code=row[7].strip(),
            lsoa_name=row[8].strip(),
        )
