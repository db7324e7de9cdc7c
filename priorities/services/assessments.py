"""Strategic assessments: creation, editing, the draft → shared → approved workflow, issues, consultation.

Rules of the statutory cycle live here: an approved assessment is read-only; a stale edit (the version
the editor saw is not the current one) is refused rather than overwriting someone else's change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from partnerships.models import Partnership, User
from priorities.models import (
    AssessmentComment,
    AssessmentStatus,
    CandidateIssue,
    ConsultationEvent,
    ConsultationResult,
    LocalDataValue,
    StrategicAssessment,
)
from priorities.services.history import save_as


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
        save_as(assessment, actor)
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
        save_as(current, actor)
    return current


_STATUS_PHRASE: dict[str, str] = {
    AssessmentStatus.DRAFT: "a draft",
    AssessmentStatus.SHARED: "shared with partners",
    AssessmentStatus.APPROVED: "approved",
}


def _transition(
    assessment: StrategicAssessment,
    actor: User | None,
    *,
    from_status: str,
    to_status: str,
    stamp: dict[str, Any],
    refusal: str,
) -> StrategicAssessment:
    with transaction.atomic():
        # Claimed with a conditional update: two people pressing the button at once change it once.
        changed = StrategicAssessment.objects.filter(pk=assessment.pk, status=from_status).update(
            status=to_status, version=F("version") + 1, **stamp
        )
        if changed != 1:
            # Say what it is now (someone else may have moved it on): "… this one is approved".
            now = StrategicAssessment.objects.filter(pk=assessment.pk).values_list("status", flat=True).first()
            raise ValidationError(f"{refusal} {_STATUS_PHRASE.get(str(now), 'no longer there')}")
        current = StrategicAssessment.objects.get(pk=assessment.pk)
        save_as(current, actor)  # records the transition (who, when) in the history
    return current


def assessment_share(*, actor: User | None, assessment: StrategicAssessment) -> StrategicAssessment:
    """Share a draft with partners for review (e.g. before the partners' workshop); actor None is the portal."""
    return _transition(
        assessment,
        actor,
        from_status=AssessmentStatus.DRAFT,
        to_status=AssessmentStatus.SHARED,
        stamp={"shared_at": timezone.now(), "shared_by": actor},
        refusal="Only a draft can be shared: this assessment is",
    )


def assessment_approve(*, actor: User | None, assessment: StrategicAssessment) -> StrategicAssessment:
    """The chair approves a shared assessment; it becomes read-only (actor None: the portal, e.g. demo data)."""
    return _transition(
        assessment,
        actor,
        from_status=AssessmentStatus.SHARED,
        to_status=AssessmentStatus.APPROVED,
        stamp={"approved_at": timezone.now(), "approved_by": actor},
        refusal="Only an assessment shared with partners can be approved: this one is",
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
        save_as(issue, actor)
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
        save_as(event, actor)
        for question, percent, count in results:
            result = ConsultationResult(event=event, question=question, percent_agreeing=percent, respondents=count)
            save_as(result, actor)
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
        save_as(figure, actor)
    return figure
