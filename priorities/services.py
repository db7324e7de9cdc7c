"""Every change to assessments, crime data and plans goes through these functions (one transaction each).

Rules of the statutory cycle live here: an approved assessment is read-only; a stale edit (the version
the editor saw is not the current one) is refused rather than overwriting someone else's change.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from partnerships.models import LocalAuthorityArea, Partnership, PartnershipKind, User
from priorities.models import (
    AssessmentComment,
    AssessmentStatus,
    CandidateIssue,
    ConsultationEvent,
    ConsultationResult,
    CrimeCount,
    CrimeImport,
    LocalDataValue,
    StrategicAssessment,
)
from priorities.policeuk import FileRefused, StreetRow, read_street_rows


def _save(obj: Any, actor: User | None, **kwargs: Any) -> None:
    """Save with the actor recorded as the history user (works outside a request too)."""
    obj._history_user = actor
    obj.save(**kwargs)


# --- police.uk import -----------------------------------------------------------------------------


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


# --- Strategic assessments ----------------------------------------------------------------------------


def _check_editable(assessment: StrategicAssessment, version: int | None) -> None:
    if assessment.status == AssessmentStatus.APPROVED:
        raise ValidationError("This assessment has been approved and can no longer be changed")
    if version is not None and version != assessment.version:
        raise ValidationError(
            "Someone else changed this assessment while you were editing it. "
            "Their changes are shown below; make yours again."
        )


def assessment_create(
    *,
    actor: User | None,
    partnership: Partnership,
    year: int,
    title: str,
    period_start: date,
    period_end: date,
    summary: str = "",
) -> StrategicAssessment:
    """Start a partnership's strategic assessment for a year (one per year)."""
    period_start, period_end = period_start.replace(day=1), period_end.replace(day=1)
    if period_end < period_start:
        raise ValidationError({"period_end": "The end of the data window must be on or after its start"})
    with transaction.atomic():
        if StrategicAssessment.objects.filter(partnership=partnership, year=year).exists():
            raise ValidationError(
                {"year": f"{partnership} already has a strategic assessment for {year}/{(year + 1) % 100:02d}"}
            )
        assessment = StrategicAssessment(
            partnership=partnership,
            year=year,
            title=title.strip(),
            period_start=period_start,
            period_end=period_end,
            summary=summary,
        )
        _save(assessment, actor)
    return assessment


def assessment_update(
    *,
    actor: User | None,
    assessment: StrategicAssessment,
    version: int,
    title: str,
    period_start: date,
    period_end: date,
    summary: str,
) -> StrategicAssessment:
    """Change an assessment's title, data window or summary; refuses stale or approved edits."""
    period_start, period_end = period_start.replace(day=1), period_end.replace(day=1)
    if period_end < period_start:
        raise ValidationError({"period_end": "The end of the data window must be on or after its start"})
    with transaction.atomic():
        current = StrategicAssessment.objects.select_for_update().get(pk=assessment.pk)
        _check_editable(current, version)
        current.title, current.period_start, current.period_end = title.strip(), period_start, period_end
        current.summary = summary
        current.version += 1  # the row is locked, so this cannot race
        _save(current, actor)
    return current


def _transition(
    assessment: StrategicAssessment, actor: User, *, from_status: str, to_status: str, stamp: dict[str, Any]
) -> StrategicAssessment:
    with transaction.atomic():
        # Claimed with a conditional update: two people pressing the button at once change it once.
        changed = StrategicAssessment.objects.filter(pk=assessment.pk, status=from_status).update(
            status=to_status, version=F("version") + 1, **stamp
        )
        if changed != 1:
            raise ValidationError(f"This assessment is no longer {AssessmentStatus(from_status).label.lower()}")
        current = StrategicAssessment.objects.get(pk=assessment.pk)
        _save(current, actor)  # records the transition (who, when) in the history
    return current


def assessment_share(*, actor: User, assessment: StrategicAssessment) -> StrategicAssessment:
    """Share a draft with partners for review (e.g. before the partners' workshop)."""
    return _transition(
        assessment,
        actor,
        from_status=AssessmentStatus.DRAFT,
        to_status=AssessmentStatus.SHARED,
        stamp={"shared_at": timezone.now(), "shared_by": actor},
    )


def assessment_approve(*, actor: User, assessment: StrategicAssessment) -> StrategicAssessment:
    """The chair approves a shared assessment; it becomes read-only."""
    return _transition(
        assessment,
        actor,
        from_status=AssessmentStatus.SHARED,
        to_status=AssessmentStatus.APPROVED,
        stamp={"approved_at": timezone.now(), "approved_by": actor},
    )


def assessment_comment(*, actor: User, assessment: StrategicAssessment, body: str) -> AssessmentComment:
    """A partner comments on an assessment shared for review."""
    if assessment.status != AssessmentStatus.SHARED:
        raise ValidationError("Comments are taken while the assessment is shared with partners")
    if not body.strip():
        raise ValidationError({"body": "Enter your comment"})
    return AssessmentComment.objects.create(assessment=assessment, author=actor, body=body.strip())


def issue_save(
    *,
    actor: User | None,
    assessment: StrategicAssessment,
    issue: CandidateIssue | None = None,
    title: str,
    category: str,
    evidence: str,
    harm: int,
    likelihood: int,
    trend: str,
    recommended: bool,
) -> CandidateIssue:
    """Add or change a candidate issue and its risk scores."""
    _check_editable(assessment, None)
    for name, value in (("harm", harm), ("likelihood", likelihood)):
        if not 1 <= value <= 4:
            raise ValidationError({name: f"{name.capitalize()} must be a score from 1 to 4"})
    with transaction.atomic():
        duplicate = CandidateIssue.objects.filter(assessment=assessment, title__iexact=title.strip())
        if issue is not None:
            duplicate = duplicate.exclude(pk=issue.pk)
        if duplicate.exists():
            raise ValidationError({"title": f"The assessment already has an issue called {title.strip()}"})
        issue = issue or CandidateIssue(assessment=assessment)
        issue.title, issue.category, issue.evidence = title.strip(), category, evidence
        issue.harm, issue.likelihood, issue.trend, issue.recommended = harm, likelihood, trend, recommended
        _save(issue, actor)
    return issue


def consultation_add(
    *,
    actor: User | None,
    assessment: StrategicAssessment,
    kind: str,
    title: str,
    held_on: date,
    respondents: int | None,
    notes: str,
    results: list[tuple[str, float, int]],
) -> ConsultationEvent:
    """Record a survey or engagement event with its results (question, % agreeing, respondents)."""
    _check_editable(assessment, None)
    with transaction.atomic():
        event = ConsultationEvent(
            assessment=assessment, kind=kind, title=title.strip(), held_on=held_on, respondents=respondents, notes=notes
        )
        _save(event, actor)
        for question, percent, count in results:
            result = ConsultationResult(event=event, question=question, percent_agreeing=percent, respondents=count)
            _save(result, actor)
    return event


def local_data_add(
    *,
    actor: User | None,
    assessment: StrategicAssessment,
    source: str,
    indicator: str,
    period_start: date,
    period_end: date,
    value: Any,
) -> LocalDataValue:
    """Record a figure from another source for the assessment's partnership."""
    _check_editable(assessment, None)
    if period_end < period_start:
        raise ValidationError({"period_end": "The end of the period must be on or after its start"})
    with transaction.atomic():
        figure = LocalDataValue(
            partnership=assessment.partnership,
            source=source.strip(),
            indicator=indicator.strip(),
            period_start=period_start,
            period_end=period_end,
            value=value,
        )
        _save(figure, actor)
    return figure
