"""Reads for assessments and plans, aggregated in SQL with a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from partnerships.models import Partnership, PartnershipKind
from partnerships.selectors import HistoryEntry
from priorities.models import (
    Alignment,
    CandidateIssue,
    ConsultationEvent,
    CrimeCount,
    Direction,
    LocalDataValue,
    MeasureValue,
    OutcomeMeasure,
    PartnershipPlan,
    PlanReview,
    PlanStatus,
    Priority,
    PriorityChange,
    PriorityChangeKind,
    PriorityStatus,
    StrategicAssessment,
    Theme,
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


# --- Plan pages -----------------------------------------------------------------------------------------


def plans_for_partnership(queryset: QuerySet[PartnershipPlan]) -> QuerySet[PartnershipPlan]:
    """Plans with their count of active priorities, newest first (one query)."""
    return queryset.annotate(
        active_priorities=Count("priorities", filter=Q(priorities__status=PriorityStatus.ACTIVE))
    ).order_by("-start_year", "-pk")


def expected_value(measure: OutcomeMeasure, on: date) -> Decimal:
    """Where a straight line from the baseline (at its date) to the target (at its date) is on a day."""
    span = (measure.target_date - measure.baseline_date).days
    elapsed = min(max((on - measure.baseline_date).days, 0), span)
    return measure.baseline + (measure.target - measure.baseline) * Decimal(elapsed) / Decimal(span)


@dataclass
class MeasureProgress:
    """A measure with its values (oldest first) and whether the latest is on track for the target."""

    measure: OutcomeMeasure
    values: list[MeasureValue]
    on_track: bool | None
    expected: Decimal | None
    chart: str = ""  # the SVG the page draws (priorities.charts.line_chart)

    @property
    def latest(self) -> MeasureValue | None:
        return self.values[-1] if self.values else None

    @property
    def target_met(self) -> bool:
        latest = self.latest
        if latest is None:
            return False
        if self.measure.direction == Direction.UP:
            return latest.value >= self.measure.target
        return latest.value <= self.measure.target


def measure_progress(measure: OutcomeMeasure) -> MeasureProgress:
    """Progress from prefetched values (no query)."""
    values = list(measure.values.all())
    latest = values[-1] if values else None
    return MeasureProgress(
        measure=measure,
        values=values,
        on_track=measure_on_track(measure, values),
        expected=expected_value(measure, latest.period_end) if latest else None,
    )


@dataclass
class PriorityDetail:
    priority: Priority
    measures: list[MeasureProgress]
    retired_by: PriorityChange | None = None  # the annual review decision that retired it


@dataclass
class ReviewYear:
    """A year of the plan's period and its annual review, if recorded."""

    year: int
    review: PlanReview | None

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"


@dataclass
class PlanDetail:
    active: list[PriorityDetail]
    retired: list[PriorityDetail]
    reviews: list[PlanReview]
    review_years: list[ReviewYear]
    assessments: list[StrategicAssessment]
    superseded_by: PartnershipPlan | None
    supersedes: list[PartnershipPlan]


def plan_detail(plan: PartnershipPlan) -> PlanDetail:
    """Everything the plan page shows: at most eight queries, whatever the number of priorities and measures."""
    priorities = plan_with_priorities(plan)
    reviews = list(
        plan.reviews.select_related("assessment").prefetch_related(
            Prefetch("changes", queryset=PriorityChange.objects.select_related("priority").order_by("id"))
        )
    )
    retired_by: dict[int, PriorityChange] = {
        change.priority_id: change
        for review in reviews
        for change in review.changes.all()
        if change.kind == PriorityChangeKind.RETIRED
    }
    details = [
        PriorityDetail(p, [measure_progress(m) for m in p.measures.all()], retired_by.get(p.pk)) for p in priorities
    ]
    by_year = {review.year: review for review in reviews}
    return PlanDetail(
        active=[d for d in details if d.priority.status == PriorityStatus.ACTIVE],
        retired=[d for d in details if d.priority.status == PriorityStatus.RETIRED],
        reviews=reviews,
        review_years=[ReviewYear(year, by_year.get(year)) for year in plan.years],
        assessments=list(plan.assessments.order_by("-year")),
        superseded_by=(
            PartnershipPlan.objects.filter(pk=plan.superseded_by_id).first() if plan.superseded_by_id else None
        ),
        supersedes=list(PartnershipPlan.objects.filter(superseded_by=plan).order_by("-start_year")),
    )


# What the plan history shows of each model: the fields whose changes are listed.
_PLAN_TRACKED: dict[str, tuple[str, ...]] = {
    "plan": ("title", "start_year", "end_year", "vision", "status", "adopted_on", "adopted_by_body", "adoption_notes"),
    "priority": ("title", "aim", "how_achieved", "theme", "strand", "alignment", "status"),
    "measure": ("name", "unit", "data_source", "baseline", "baseline_date", "target", "target_date", "direction"),
    "value": ("period_end", "value"),
    "review": ("year", "summary"),
}
_HISTORY_ACTION = {"+": "Added", "~": "Changed", "-": "Deleted"}
_LONG_TEXT = 120


def _shown(model: Any, field_name: str, value: Any) -> str:
    if value in (None, "", []):
        return "none"
    field_object = model._meta.get_field(field_name)
    choices = dict(field_object.flatchoices)
    if field_name == "alignment":
        labels = dict(Alignment.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if value in choices:
        return str(choices[value])
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    text = " ".join(str(value).split())
    return text if len(text) <= _LONG_TEXT else text[: _LONG_TEXT - 1] + "…"


def _field_changes(model: Any, fields: tuple[str, ...], record: Any, previous: Any) -> list[str]:
    if record.history_type != "~" or previous is None:
        return []
    lines = []
    for name in fields:
        old, new = getattr(previous, name), getattr(record, name)
        if old != new:
            label = str(model._meta.get_field(name).verbose_name)
            lines.append(f"{label[0].upper()}{label[1:]}: {_shown(model, name, old)} → {_shown(model, name, new)}")
    return lines


def _history_entries(
    model: Any, records: list[Any], fields: tuple[str, ...], subject: Any, extra: Any = None
) -> list[HistoryEntry]:
    """Entries for one model, each record compared with the one before it of the same row (in memory).

    A change that touched none of the listed fields (a version raised, a review recorded) is left out.
    """
    previous: dict[int, Any] = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        changes = _field_changes(model, fields, record, previous.get(record.id))
        if extra is not None:
            changes += extra(record, previous.get(record.id))
        previous[record.id] = record
        if record.history_type == "~" and not changes:
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "The portal",
                action=_HISTORY_ACTION[record.history_type],
                subject=subject(record),
                changes=changes,
            )
        )
    return entries


def plan_history(plan: PartnershipPlan, *, limit: int = 1000) -> list[HistoryEntry]:
    """Every recorded change to a plan, its priorities, measures, values and reviews, newest first.

    Six queries whatever the size of the plan: one per history table, and the strategic assessments the
    plan was linked to at each version.
    """
    plan_records = list(
        PartnershipPlan.history.filter(id=plan.pk).select_related("history_user").order_by("-history_date")[:limit]
    )
    priority_records = list(
        Priority.history.filter(plan_id=plan.pk).select_related("history_user").order_by("-history_date")[:limit]
    )
    priority_ids = Priority.history.filter(plan_id=plan.pk).values("id")
    measure_records = list(
        OutcomeMeasure.history.filter(priority_id__in=priority_ids)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    value_records = list(
        MeasureValue.history.filter(
            measure_id__in=OutcomeMeasure.history.filter(priority_id__in=priority_ids).values("id")
        )
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    review_records = list(
        PlanReview.history.filter(plan_id=plan.pk).select_related("history_user").order_by("-history_date")[:limit]
    )
    # The assessments linked at each version of the plan (simple-history keeps them per historical row).
    through = apps.get_model("priorities", "HistoricalPartnershipPlan_assessments")
    linked: dict[int, set[str]] = defaultdict(set)
    for row in through.objects.filter(history__in=[r.history_id for r in plan_records]).select_related(
        "strategicassessment"
    ):
        linked[row.history_id].add(row.strategicassessment.title)

    def assessment_changes(record: Any, previous: Any) -> list[str]:
        if previous is None or linked[record.history_id] == linked[previous.history_id]:
            return []
        now = ", ".join(sorted(linked[record.history_id])) or "none"
        return [f"Strategic assessments: {now}"]

    # Names as they were last recorded, for the subjects of measures and values.
    priority_titles = {r.id: r.title for r in sorted(priority_records, key=lambda r: r.history_date)}
    measure_names = {r.id: r.name for r in sorted(measure_records, key=lambda r: r.history_date)}
    entries = (
        _history_entries(
            PartnershipPlan, plan_records, _PLAN_TRACKED["plan"], lambda r: f"plan {r.title}", assessment_changes
        )
        + _history_entries(Priority, priority_records, _PLAN_TRACKED["priority"], lambda r: f"priority {r.title}")
        + _history_entries(
            OutcomeMeasure,
            measure_records,
            _PLAN_TRACKED["measure"],
            lambda r: f"measure {r.name} ({priority_titles.get(r.priority_id, 'a priority')})",
        )
        + _history_entries(
            MeasureValue,
            value_records,
            _PLAN_TRACKED["value"],
            lambda r: (
                f"value {_shown(MeasureValue, 'value', r.value)} of {measure_names.get(r.measure_id, 'a measure')} "
                f"for the period to {r.period_end:%-d %B %Y}"
            ),
        )
        + _history_entries(
            PlanReview,
            review_records,
            _PLAN_TRACKED["review"],
            lambda r: f"annual review {r.year}/{(r.year + 1) % 100:02d}",
        )
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


@dataclass
class ThemeRow:
    partnership: Partnership
    plan: PartnershipPlan
    priority: Priority


@dataclass
class ThemeGroup:
    """One theme across a county's CSPs: shared when more than one CSP has a priority on it."""

    theme: Theme
    rows: list[ThemeRow]

    @property
    def partnership_count(self) -> int:
        return len({row.partnership.pk for row in self.rows})

    @property
    def shared(self) -> bool:
        return self.partnership_count > 1


@dataclass
class CountyPriorities:
    groups: list[ThemeGroup]
    plans: list[PartnershipPlan]
    without_plan: list[Partnership]


def county_priorities(county: Partnership, plans: QuerySet[PartnershipPlan]) -> CountyPriorities:
    """The active priorities of the adopted plans of a county group's CSPs, grouped by theme (three queries).

    `plans` is what the user may read (priorities.permissions.visible_plans); shared themes come first.
    """
    in_force = list(
        plans.filter(partnership__parent=county, status=PlanStatus.ADOPTED)
        .select_related("partnership")
        .order_by("partnership__name")
    )
    priorities = Priority.objects.filter(plan__in=[p.pk for p in in_force], status=PriorityStatus.ACTIVE).order_by(
        "position", "id"
    )
    plan_by_id = {plan.pk: plan for plan in in_force}
    by_theme: dict[str, list[ThemeRow]] = defaultdict(list)
    for priority in priorities:
        plan = plan_by_id[priority.plan_id]
        by_theme[priority.theme].append(ThemeRow(plan.partnership, plan, priority))
    groups = [
        ThemeGroup(Theme(theme), sorted(rows, key=lambda r: (r.partnership.name, r.priority.position)))
        for theme, rows in by_theme.items()
    ]
    order = list(Theme.values)
    groups.sort(key=lambda g: (-g.partnership_count, order.index(g.theme.value)))
    with_plan = {plan.partnership_id for plan in in_force}
    csps = Partnership.objects.filter(parent=county, kind=PartnershipKind.CSP).order_by("name")
    return CountyPriorities(
        groups=groups, plans=in_force, without_plan=[csp for csp in csps if csp.pk not in with_plan]
    )
