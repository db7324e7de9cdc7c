"""Importing police.uk street-level files into crime counts (one transaction per import)."""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from partnerships.models import LocalAuthorityArea, Partnership, PartnershipKind, User
from priorities.models import CrimeCount, CrimeImport
from priorities.policeuk import FileRefused, StreetRow, read_street_rows


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

    @property
    def rows_imported(self) -> int:
        return sum(sum(c.values()) for c in self.per_partnership.values())


def _normalise_district(name: str) -> str:
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


def _district_map(targets: list[Partnership]) -> dict[str, list[int]]:
    """District name → the target partnerships covering it (a joint CSP shares its districts)."""
    mapping: dict[str, list[int]] = defaultdict(list)
    for area in LocalAuthorityArea.objects.filter(partnerships__in=targets).values("name", "partnerships"):
        if area["partnerships"] in {t.pk for t in targets}:
            mapping[_normalise_district(area["name"])].append(area["partnerships"])
    return mapping


def crime_import(*, actor: User | None, scope: Partnership, files: Iterable[tuple[str, IO[str]]]) -> ImportSummary:
    """Import police.uk street-level files for a CSP or a county group; all or nothing.

    Files are read as streams and aggregated into (partnership, month, force, category, LSOA) cells, so
    memory grows with the number of neighbourhoods, not with the rows. Re-importing a month of a force
    replaces what was there. A bad file refuses the whole import with the file, row and column named.
    """
    targets = import_targets(scope)
    districts = _district_map(targets)
    names = {t.pk: t.name for t in targets}
    cells: Counter[tuple[int, date, str, str, str]] = Counter()
    lsoa_names: dict[str, str] = {}
    summary = ImportSummary(files=[])
    months: set[date] = set()
    replaced: set[tuple[date, str]] = set()
    per_partnership: dict[int, Counter[str]] = defaultdict(Counter)

    for name, stream in files:
        summary.files.append(name)
        try:
            rows = read_street_rows(stream, name=name)
            for row in rows:
                summary.rows_read += 1
                _place(row, districts, cells, lsoa_names, summary, per_partnership)
                months.add(row.month)
                replaced.add((row.month, row.reported_by))
        except UnicodeDecodeError as error:
            raise ValidationError(f"{name}: not a text (UTF-8) CSV file ({error.reason})") from error
        except FileRefused as error:
            raise ValidationError(str(error)) from error
    if summary.rows_read == 0:
        raise ValidationError("The files hold no rows of crime data")

    summary.months = sorted(months)
    summary.per_partnership = {
        names[pk]: dict(sorted(counter.items()))
        for pk, counter in sorted(per_partnership.items(), key=lambda i: names[i[0]])
    }
    with transaction.atomic():
        stale = Q()
        for month, force in replaced:
            stale |= Q(month=month, reported_by=force)
        CrimeCount.objects.filter(stale, partnership__in=targets).delete()
        CrimeCount.objects.bulk_create(
            (
                CrimeCount(
                    partnership_id=pk,
                    month=month,
                    reported_by=force,
                    category=category,
                    lsoa_code=lsoa,
                    lsoa_name=lsoa_names[lsoa],
                    count=count,
                )
                for (pk, month, force, category, lsoa), count in cells.items()
            ),
            batch_size=2000,
        )
        CrimeImport.objects.create(
            imported_by=actor,
            scope=scope,
            files=", ".join(summary.files),
            rows_read=summary.rows_read,
            rows_outside=summary.rows_outside,
            rows_no_location=summary.rows_no_location,
            months=[m.isoformat() for m in summary.months],
            summary={"per_partnership": summary.per_partnership, "outside": dict(summary.outside_districts)},
        )
    return summary


def _place(
    row: StreetRow,
    districts: dict[str, list[int]],
    cells: Counter[tuple[int, date, str, str, str]],
    lsoa_names: dict[str, str],
    summary: ImportSummary,
    per_partnership: dict[int, Counter[str]],
) -> None:
    if not row.lsoa_code:
        summary.rows_no_location += 1
        return
    owners = districts.get(_normalise_district(row.district_name))
    if not owners:
        summary.rows_outside += 1
        summary.outside_districts[row.district_name or row.lsoa_name] += 1
        return
    lsoa_names[row.lsoa_code] = row.lsoa_name
    for pk in owners:
        cells[(pk, row.month, row.reported_by, row.category.value, row.lsoa_code)] += 1
        per_partnership[pk][row.category.label] += 1


def text_stream(binary: IO[bytes]) -> IO[str]:
    """An uploaded or opened binary file as a text stream (UTF-8, with or without a byte-order mark)."""
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
