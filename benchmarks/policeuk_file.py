"""Synthetic police.uk street-level files (DOMAIN.md §5.2) for the import benchmark and its tests.

A force's file as data.police.uk publishes it: the 12 columns, a month after another, a 64-hex crime ID
(empty for anti-social behaviour), "On or near …" locations, LSOA names `<district> 001A` for districts
of the ONS register, the 14 category names in roughly their national shares, some rows with no location
and a few in a neighbouring force's districts. LSOA codes are made up (E01 and six digits): the import
joins on the LSOA *name*. Deterministic for a seed, and written as a stream, so a 1,000,000-row file
(about a year of the Metropolitan Police Service, 250 MB) costs no memory to make.

Needs no Django: the district names come straight from the registry CSV.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from priorities.policeuk import HEADER

REGISTRY = Path(__file__).resolve().parents[1] / "partnerships" / "data" / "ons_lad24_csp24_pfa24_lookup_ew.csv"

# Shares of recorded crime and ASB in England and Wales, roughly (police.uk, 2024).
CATEGORY_SHARES = {
    "Violence and sexual offences": 33.0,
    "Anti-social behaviour": 17.0,
    "Other theft": 8.0,
    "Criminal damage and arson": 7.0,
    "Vehicle crime": 7.0,
    "Shoplifting": 7.0,
    "Public order": 7.0,
    "Burglary": 4.5,
    "Drugs": 3.0,
    "Other crime": 2.0,
    "Theft from the person": 2.0,
    "Robbery": 1.5,
    "Bicycle theft": 1.0,
    "Possession of weapons": 0.8,
}
OUTCOMES = (
    "Investigation complete; no suspect identified",
    "Under investigation",
    "Unable to prosecute suspect",
    "Awaiting court outcome",
    "Status update unavailable",
    "Local resolution",
    "Offender given a caution",
    "Suspect charged as part of another case",
)
STREETS = ("High Street", "Station Road", "Church Lane", "Park Avenue", "Victoria Road", "Mill Lane", "The Green")


def districts_of_force(force_area: str) -> list[str]:
    """The district (LAD24NM) names of one police force area (PFA24NM) in the ONS register."""
    with REGISTRY.open(newline="", encoding="utf-8-sig") as handle:
        return sorted({row["LAD24NM"] for row in csv.DictReader(handle) if row["PFA24NM"] == force_area})


@dataclass(frozen=True)
class StreetFile:
    """What a synthetic file holds: one force's rows over whole months."""

    force: str
    districts: Sequence[str]
    months: Sequence[date]
    lsoas_per_district: int = 150
    neighbours: Sequence[str] = ()  # districts of another force: a few rows land there (outside the area)
    no_location_share: float = 0.01
    outside_share: float = 0.002
    seed: int = 20_260_401


def street_lines(spec: StreetFile, rows: int) -> Iterator[str]:
    """The file as CSV lines (header first); `rows` data rows spread evenly over the months."""
    rng = random.Random(spec.seed)
    lsoas: list[tuple[str, str, str, str]] = []  # code, name, longitude, latitude
    for district in spec.districts:
        for n in range(spec.lsoas_per_district):
            code = f"E01{len(lsoas) + 1:06d}"
            name = f"{district} {n // 4 + 1:03d}{'ABCD'[n % 4]}"
            lsoas.append((code, name, f"{rng.uniform(-0.5, 0.3):.6f}", f"{rng.uniform(51.3, 51.7):.6f}"))
    # Crime concentrates: a few neighbourhoods (town centres) see many times the typical count.
    weights = [rng.lognormvariate(0, 0.9) for _ in lsoas]
    outside = [(f"E01{900_000 + i:06d}", f"{d} 001A", "0.2", "51.5") for i, d in enumerate(spec.neighbours)]
    categories, shares = list(CATEGORY_SHARES), list(CATEGORY_SHARES.values())

    # Each line is put together from pieces made (and CSV-quoted where needed) once: the same text the
    # csv module would write, several times faster.
    force = _field(spec.force)
    streets = [f"On or near {_field(street)}" for street in STREETS]
    lsoas_text = [(f"{lon},{lat}", f"{code},{_field(name)}") for code, name, lon, lat in lsoas]
    outside_text = [(f"{lon},{lat}", f"{code},{_field(name)}") for code, name, lon, lat in outside]
    yield ",".join(_field(column) for column in HEADER) + "\n"
    for index, month in enumerate(spec.months):
        count = rows * (index + 1) // len(spec.months) - rows * index // len(spec.months)
        head = f"{month:%Y-%m},{force},{force}"
        places = rng.choices(range(len(lsoas)), weights=weights, k=count)
        kinds = rng.choices(categories, weights=shares, k=count)
        for place, kind in zip(places, kinds, strict=True):
            luck = rng.random()
            if luck < spec.no_location_share:
                where = ",,No location,,"
            elif outside and luck < spec.no_location_share + spec.outside_share:
                position, lsoa = rng.choice(outside_text)
                where = f"{position},{rng.choice(streets)},{lsoa}"
            else:
                position, lsoa = lsoas_text[place]
                where = f"{position},{rng.choice(streets)},{lsoa}"
            if kind == "Anti-social behaviour":
                yield f",{head},{where},{kind},,\n"
            else:
                yield f"{rng.getrandbits(256):064x},{head},{where},{_field(kind)},{_field(rng.choice(OUTCOMES))},\n"


def _field(text: str) -> str:
    """A CSV field as the csv module writes it: quoted only when it holds a comma, quote or line break."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_street_file(path: Path, spec: StreetFile, rows: int) -> int:
    """Write the file (UTF-8 with a byte-order mark, as police.uk serves it); returns its size in bytes."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        buffer: list[str] = []
        for line in street_lines(spec, rows):
            buffer.append(line)
            if len(buffer) == 10_000:
                handle.write("".join(buffer))
                buffer.clear()
        handle.write("".join(buffer))
    return path.stat().st_size
