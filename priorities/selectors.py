"""Reads for assessments and plans, aggregated in SQL with a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum

from priorities.models import (
    CandidateIssue,
    ConsultationEvent,
    CrimeCount,
    LocalDataValue,
    MeasureValue,
    OutcomeMeasure,
    PartnershipPlan,
    Priority,
    StrategicAssessment,
    Trend,
)
from priorities.policeuk import CrimeCategory


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """Every first-of-month from start to end inclusive."""
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [add_months(start, i) for i in range(max(count, 0))]


@dataclass
class CategoryChange:
    category: CrimeCategory
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def percent(self) -> Decimal | None:
        """Change as a percentage of the previous period; none when there was nothing before."""
        if self.previous == 0:
            return None
        return (Decimal(self.change) * 100 / Decimal(self.previous)).quantize(Decimal("0.1"))


@dataclass
class HotSpot:
    lsoa_code: str
    lsoa_name: str
    count: int


@dataclass
class CrimeProfile:
    """The crime and disorder profile of an assessment's data window against the window before it."""

    months: list[date]
    previous_start: date
    previous_end: date
    changes: list[CategoryChange]
    monthly: dict[str, list[int]]  # category value → counts per month of `months`
    hot_spots: dict[str, list[HotSpot]] = field(default_factory=dict)  # category value → top LSOAs

    @property
    def total(self) -> CategoryChange:
        return CategoryChange(
            category=CrimeCategory.OTHER_CRIME,  # placeholder: the total has no category
            current=sum(c.current for c in self.changes),
            previous=sum(c.previous for c in self.changes),
        )

    @property
    def has_data(self) -> bool:
        return any(c.current or c.previous for c in self.changes)


HOT_SPOTS_PER_CATEGORY = 5


def crime_profile(assessment: StrategicAssessment) -> CrimeProfile:
    """Counts by category (this window against the one before), by month, and the hot spots (3 queries)."""
    months = months_between(assessment.period_start, assessment.period_end)
    previous_start = add_months(assessment.period_start, -len(months))
    previous_end = add_months(assessment.period_start, -1)
    counts = CrimeCount.objects.filter(partnership_id=assessment.partnership_id)

    current: dict[str, int] = defaultdict(int)
    previous: dict[str, int] = defaultdict(int)
    monthly: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    position = {m: i for i, m in enumerate(months)}
    rows = (
        counts.filter(month__gte=previous_start, month__lte=assessment.period_end)
        .values("category", "month")
        .annotate(total=Sum("count"))
    )
    for row in rows:
        if row["month"] >= assessment.period_start:
            current[row["category"]] += row["total"]
            monthly[row["category"]][position[row["month"]]] += row["total"]
        else:
            previous[row["category"]] += row["total"]

    categories = sorted(set(current) | set(previous), key=lambda c: (-current[c], CrimeCategory(c).label))
    changes = [CategoryChange(CrimeCategory(c), current[c], previous[c]) for c in categories]

    hot_spots: dict[str, list[HotSpot]] = defaultdict(list)
    lsoa_rows = (
        counts.filter(month__gte=assessment.period_start, month__lte=assessment.period_end)
        .values("category", "lsoa_code", "lsoa_name")
        .annotate(total=Sum("count"))
        .order_by("category", "-total", "lsoa_code")
    )
    for spot in lsoa_rows:
        spots = hot_spots[spot["category"]]
        if len(spots) < HOT_SPOTS_PER_CATEGORY:
            spots.append(HotSpot(spot["lsoa_code"], spot["lsoa_name"], spot["total"]))
    return CrimeProfile(
        months=months,
        previous_start=previous_start,
        previous_end=previous_end,
        changes=changes,
        monthly={c: monthly[c] for c in categories},
        hot_spots={c: hot_spots[c] for c in categories if hot_spots.get(c)},
    )


# --- Risk scoring -----------------------------------------------------------------------------------

TREND_WEIGHT = {Trend.RISING: Decimal("1.25"), Trend.STABLE: Decimal("1"), Trend.FALLING: Decimal("0.75")}


@dataclass
class ScoredIssue:
    """A candidate issue with its score: harm × likelihood (the 4×4 grid, 1–16) × trend weight."""

    issue: CandidateIssue
    rank: int = 0

    @property
    def risk(self) -> int:
        return self.issue.harm * self.issue.likelihood

    @property
    def score(self) -> Decimal:
        return (self.risk * TREND_WEIGHT[Trend(self.issue.trend)]).quantize(Decimal("0.01"))

    @property
    def band(self) -> str:
        if self.score >= 12:
            return "High"
        if self.score >= 6:
            return "Medium"
        return "Low"


def ranked_issues(assessment: StrategicAssessment) -> list[ScoredIssue]:
    """Candidate issues ranked by score, highest first (ties share a rank)."""
    scored = sorted((ScoredIssue(issue) for issue in assessment.issues.all()), key=lambda s: (-s.score, s.issue.title))
    previous: Decimal | None = None
    for index, item in enumerate(scored, start=1):
        item.rank = index if item.score != previous else scored[index - 2].rank
        previous = item.score
    return scored


def local_data(assessment: StrategicAssessment) -> list[LocalDataValue]:
    """Figures from other sources whose period overlaps the assessment's data window."""
    window_end = add_months(assessment.period_end, 1)
    return list(
        LocalDataValue.objects.filter(
            partnership_id=assessment.partnership_id,
            period_start__lt=window_end,
            period_end__gte=assessment.period_start,
        ).order_by("indicator", "period_start")
    )


def consultations(assessment: StrategicAssessment) -> list[ConsultationEvent]:
    return list(assessment.consultations.prefetch_related("results"))


def assessments_for_partnership(queryset: QuerySet[StrategicAssessment]) -> QuerySet[StrategicAssessment]:
    return queryset.select_related("partnership").annotate(issue_count=Count("issues")).order_by("-year")


# --- Plans --------------------------------------------------------------------------------------------


def plan_with_priorities(plan: PartnershipPlan) -> list[Priority]:
    """A plan's priorities with their measures and values (3 queries whatever their number)."""
    return list(
        plan.priorities.prefetch_related(
            Prefetch(
                "measures",
                queryset=OutcomeMeasure.objects.prefetch_related(
                    Prefetch("values", queryset=MeasureValue.objects.order_by("period_end"))
                ),
            )
        )
    )


def measure_on_track(measure: OutcomeMeasure, values: list[Any]) -> bool | None:
    """Whether the latest value is at least as far towards the target as time is towards the target date.

    A straight line from baseline (at its date) to target (at the target date) gives the expected value
    at the latest value's date; on track means the latest value is no worse than expected.
    """
    if not values:
        return None
    latest = values[-1]
    span = (measure.target_date - measure.baseline_date).days
    elapsed = min(max((latest.period_end - measure.baseline_date).days, 0), span)
    expected = measure.baseline + (measure.target - measure.baseline) * Decimal(elapsed) / Decimal(span)
    return latest.value >= expected if measure.direction == "up" else latest.value <= expected
