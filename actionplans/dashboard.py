"""Reads for the scrutiny dashboard and the county roll-up: aggregates in SQL, a query count that does not
grow with the number of actions, and no personal data (organisations, never officers' names).

The dashboard shows one partnership's plan in one financial year (April to March): the actions that run
during the year, counted by RAG and status for each priority, the overdue ones, those without an update
this quarter, the outcome measures against baseline and target, the crime profile of the latest approved
strategic assessment, domestic homicide reviews as counts only (for those who may know them), and
funding by source. RAG and flags are as of today, whatever the year shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Layout, Size
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from actionplans.models import Action, ActionPlan, BudgetLine, FundingSource
from actionplans.selectors import RAG_LABELS, with_flags
from partnerships.models import Organisation, Partnership, PartnershipKind
from priorities import selectors as priority_selectors
from priorities.charts import RAG_FILLS, Bar, Segment, bar_chart, stacked_bar_chart
from priorities.models import (
    AssessmentStatus,
    MeasureValue,
    OutcomeMeasure,
    PartnershipPlan,
    PlanStatus,
    Priority,
    PriorityStatus,
    StrategicAssessment,
)

RAG_ORDER = ("red", "amber", "green", "blue", "grey")
OVERDUE_SHOWN = 25
CRIME_CATEGORIES_SHOWN = 8
HOT_SPOT_CATEGORIES = 3


# --- Financial years ------------------------------------------------------------------------------------


def financial_year(day: date) -> int:
    """The financial year a day falls in, named by its first calendar year: 2025 for 2025/26."""
    return day.year if day.month >= 4 else day.year - 1


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def plan_years(plan: PartnershipPlan) -> list[int]:
    """The financial years a plan runs: 2022, 2023, 2024 for a 2022–2025 plan (a one-year plan has one)."""
    return list(range(plan.start_year, max(plan.end_year, plan.start_year + 1)))


# --- Filters (django-filter) ------------------------------------------------------------------------------


class DashboardFilter(django_filters.FilterSet):  # type: ignore[misc]
    """Plan year, priority and lead organisation over a plan's actions. The year picks the plan too (the
    view passes that plan's actions): each year the partnership's plans cover is offered, newest first.
    Choices no longer offered (an old link) are ignored."""

    year = django_filters.ChoiceFilter(label="Plan year", method="filter_year", empty_label=None)
    priority = django_filters.ModelChoiceFilter(
        label="Priority", queryset=Priority.objects.none(), empty_label="All priorities"
    )
    lead_organisation = django_filters.ModelChoiceFilter(
        label="Lead organisation", queryset=Organisation.objects.none(), empty_label="All organisations"
    )

    class Meta:
        model = Action
        fields = ("year", "priority", "lead_organisation")

    def __init__(
        self,
        data: Any,
        *,
        actions: QuerySet[Action],
        years: list[tuple[int, PartnershipPlan]],
        priorities: QuerySet[Priority],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, queryset=actions, **kwargs)
        self.filters["year"].extra["choices"] = [(str(y), f"{year_label(y)} ({plan.title})") for y, plan in years]
        self.filters["priority"].queryset = priorities
        self.filters["lead_organisation"].queryset = organisations
        form = self.form
        for name in ("year", "priority", "lead_organisation"):
            if form.is_bound and name in form.errors:
                # An old link's choice is dropped rather than reported (as on the plan page).
                form.data = form.data.copy()
                form.data.pop(name, None)
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.disable_csrf = True
        form.helper.label_size = Size.SMALL
        form.helper.layout = Layout(
            Div(
                Div(Field.select("year"), css_class="govuk-grid-column-one-third"),
                Div(Field.select("priority"), css_class="govuk-grid-column-one-third"),
                Div(Field.select("lead_organisation"), css_class="govuk-grid-column-one-third"),
                css_class="govuk-grid-row",
            )
        )

    def filter_year(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        """The actions that run during the financial year."""
        start, end = year_bounds(int(value))
        return queryset.filter(start_date__lte=end, due_date__gte=start)

    def value(self, name: str) -> Any:
        """A cleaned value, or None when it is empty or not one of the choices."""
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {}).get(name)


def plan_choices(plans: QuerySet[PartnershipPlan]) -> list[tuple[int, PartnershipPlan]]:
    """Each financial year the plans cover, newest first, with the plan that covers it (the adopted plan
    where a superseded one covers the same year). A plan covers its own years and the years of the action
    plans under it, which may run on after it (two queries)."""
    chosen = list(plans)
    years_of: dict[int, set[int]] = {plan.pk: set(plan_years(plan)) for plan in chosen}
    periods = ActionPlan.objects.filter(plan__in=[p.pk for p in chosen]).values_list(
        "plan_id", "period_start", "period_end"
    )
    for plan_id, start, end in periods:
        years_of[plan_id].update(range(financial_year(start), financial_year(end) + 1))
    years: dict[int, PartnershipPlan] = {}
    rank: dict[str, int] = {
        PlanStatus.ADOPTED: 0,
        PlanStatus.SUPERSEDED: 1,
        PlanStatus.CONSULTATION: 2,
        PlanStatus.DRAFT: 3,
    }
    for plan in sorted(chosen, key=lambda p: (rank.get(p.status, 9), -p.start_year)):
        for year in sorted(years_of[plan.pk]):
            years.setdefault(year, plan)
    return sorted(years.items(), key=lambda item: -item[0])


def pick_year(asked: str | None, choices: list[tuple[int, PartnershipPlan]], today: date) -> int | None:
    """The year asked for if a plan covers it; else this financial year if one does; else the latest."""
    if not choices:
        return None
    covered = [year for year, _ in choices]
    if asked and asked.isdigit() and int(asked) in covered:
        return int(asked)
    this_year = financial_year(today)
    return this_year if this_year in covered else covered[0]


def priority_choices(plan: PartnershipPlan | None) -> QuerySet[Priority]:
    if plan is None:
        return Priority.objects.none()
    return Priority.objects.filter(plan=plan).order_by("position", "pk")


def organisation_choices(plan: PartnershipPlan | None) -> QuerySet[Organisation]:
    """The organisations that lead actions under the plan."""
    if plan is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(led_actions__action_plan__plan=plan).distinct().order_by("name")


# --- The dashboard ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Actions counted by display RAG and status, with the flags."""

    rag: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RAG_ORDER, 0))
    status: dict[str, int] = field(default_factory=dict)
    total: int = 0
    overdue: int = 0
    needs_update: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rag[row["display_rag"]] += row["n"]
        self.status[row["status"]] = self.status.get(row["status"], 0) + row["n"]
        self.total += row["n"]
        self.overdue += row["overdue"]
        self.needs_update += row["needs_update"]

    def merge(self, other: Tally) -> None:
        for rag, n in other.rag.items():
            self.rag[rag] += n
        for status, n in other.status.items():
            self.status[status] = self.status.get(status, 0) + n
        self.total += other.total
        self.overdue += other.overdue
        self.needs_update += other.needs_update

    def segments(self) -> list[Segment]:
        return [Segment(RAG_LABELS[rag], self.rag[rag], RAG_FILLS[rag]) for rag in RAG_ORDER]


@dataclass
class PriorityRow:
    priority: Priority | None  # None: actions under no priority
    tally: Tally
    measures: list[priority_selectors.MeasureProgress]

    @property
    def title(self) -> str:
        return self.priority.title if self.priority else "Not under a priority"

    # The figures under the names a report's frozen contents use, so one table template shows both.
    @property
    def actions(self) -> int:
        return self.tally.total

    @property
    def rag(self) -> dict[str, int]:
        return self.tally.rag

    @property
    def overdue(self) -> int:
        return self.tally.overdue

    @property
    def needs_update(self) -> int:
        return self.tally.needs_update


@dataclass
class FundingRow:
    source: str
    budget: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent


@dataclass
class CrimeSummary:
    assessment: StrategicAssessment
    profile: priority_selectors.CrimeProfile
    top: list[priority_selectors.CategoryChange]
    hot_spots: list[tuple[priority_selectors.CategoryChange, list[priority_selectors.HotSpot]]]
    chart: str


@dataclass
class Dashboard:
    partnership: Partnership
    plan: PartnershipPlan | None
    year: int | None
    rows: list[PriorityRow] = field(default_factory=list)
    totals: Tally = field(default_factory=Tally)
    overdue: list[Any] = field(default_factory=list)
    funding: list[FundingRow] = field(default_factory=list)
    crime: CrimeSummary | None = None
    rag_chart: str = ""
    funding_chart: str = ""

    @property
    def year_label(self) -> str:
        return year_label(self.year) if self.year is not None else ""

    @property
    def funding_total(self) -> FundingRow:
        return FundingRow(
            "Total", sum((f.budget for f in self.funding), Decimal(0)), sum((f.spent for f in self.funding), Decimal(0))
        )


def tallies(actions: QuerySet[Any], group: str) -> dict[Any, Tally]:
    """Actions (with flags) counted by display RAG and status for each value of `group` (one query)."""
    result: dict[Any, Tally] = defaultdict(Tally)
    rows = (
        actions.order_by()
        .values(group, "display_rag", "status")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(is_overdue=True)),
            needs_update=Count("pk", filter=Q(needs_update=True)),
        )
    )
    for row in rows:
        result[row[group]].add(row)
    return result


def funding_by_source(actions: QuerySet[Action]) -> list[FundingRow]:
    """Budget and spend to date of the actions' budget lines, by source (one query)."""
    labels = dict(FundingSource.choices)
    rows = (
        BudgetLine.objects.filter(action__in=actions.order_by().values("pk"))
        .values("source")
        .annotate(budget=Sum("amount"), spent=Sum("spent_to_date"))
        .order_by("source")
    )
    return [FundingRow(labels.get(r["source"], r["source"]), r["budget"], r["spent"]) for r in rows]


def latest_assessment(
    assessments: QuerySet[StrategicAssessment], partnership: Partnership
) -> StrategicAssessment | None:
    """The latest approved strategic assessment among those the reader may see."""
    return (
        assessments.filter(partnership=partnership, status=AssessmentStatus.APPROVED).order_by("-year", "-pk").first()
    )


def crime_summary(assessment: StrategicAssessment) -> CrimeSummary | None:
    """The top categories against the previous period and the hot spots of the largest (two queries)."""
    profile = priority_selectors.crime_profile(assessment)
    if not profile.has_data:
        return None
    top = profile.changes[:CRIME_CATEGORIES_SHOWN]
    chart = bar_chart(
        [Bar(c.category.label, c.current, c.previous) for c in top],
        title=f"Crimes by category: {assessment.title}",
        summary="; ".join(f"{c.category.label}: {c.current:,} (previously {c.previous:,})" for c in top),
        series=("This period", "Previous period"),
        chart_id="crime-chart",
    )
    hot_spots = [(c, profile.hot_spots.get(c.category.value, [])) for c in top[:HOT_SPOT_CATEGORIES]]
    return CrimeSummary(assessment, profile, top, [(c, spots) for c, spots in hot_spots if spots], chart)


def dashboard_for_partnership(
    partnership: Partnership,
    *,
    plan: PartnershipPlan | None,
    year: int | None,
    actions: QuerySet[Action],
    priority: Priority | None = None,
    assessments: QuerySet[StrategicAssessment],
    today: date | None = None,
) -> Dashboard:
    """The dashboard of the plan's `actions` (filtered by DashboardFilter), with the rows of every active
    priority or only the one filtered on (about a dozen queries whatever the number of actions)."""
    today = today or timezone.localdate()
    dashboard = Dashboard(partnership=partnership, plan=plan, year=year)
    if plan is not None:
        flagged = with_flags(actions, today)
        counts = tallies(flagged, "priority_id")
        priorities = [p for p in active_priorities_of([plan.pk]) if priority is None or p.pk == priority.pk]
        dashboard.rows = [
            PriorityRow(
                p, counts.pop(p.pk, Tally()), [priority_selectors.measure_progress(m) for m in p.measures.all()]
            )
            for p in priorities
        ]
        # Actions under a retired priority or none are still counted, under their own heading.
        leftover = Tally()
        for tally in counts.values():
            leftover.merge(tally)
        if leftover.total:
            dashboard.rows.append(PriorityRow(None, leftover, []))
        for row in dashboard.rows:
            dashboard.totals.merge(row.tally)
        dashboard.overdue = list(
            flagged.filter(is_overdue=True)
            .select_related("lead_organisation", "priority")
            .only("pk", "reference", "title", "due_date", "rag", "status", "lead_organisation__name", "priority__title")
            .order_by("due_date", "reference", "pk")[:OVERDUE_SHOWN]
        )
        for action in dashboard.overdue:
            action.days_overdue = (today - action.due_date).days
        dashboard.funding = funding_by_source(actions)
        dashboard.rag_chart = _rag_chart(dashboard.rows)
        dashboard.funding_chart = _funding_chart(dashboard.funding)
    assessment = latest_assessment(assessments, partnership)
    if assessment is not None:
        dashboard.crime = crime_summary(assessment)
    return dashboard


def _rag_chart(rows: list[PriorityRow]) -> str:
    shown = [row for row in rows if row.tally.total]
    if not shown:
        return ""
    return stacked_bar_chart(
        [(row.title, row.tally.segments()) for row in shown],
        title="Actions by RAG for each priority",
        summary="; ".join(
            f"{row.title}: "
            + ", ".join(f"{row.tally.rag[r]} {RAG_LABELS[r].lower()}" for r in RAG_ORDER if row.tally.rag[r])
            for row in shown
        ),
        chart_id="rag-chart",
    )


def _funding_chart(funding: list[FundingRow]) -> str:
    if not funding:
        return ""
    return bar_chart(
        [Bar(f.source, f.budget, f.spent) for f in funding],
        title="Budget and spend to date by funding source",
        summary="; ".join(f"{f.source}: budget £{f.budget:,.0f}, spent £{f.spent:,.0f}" for f in funding),
        series=("Budget (£)", "Spent to date (£)"),
        chart_id="funding-chart",
    )


# --- The county roll-up -----------------------------------------------------------------------------------


@dataclass
class CspRollUp:
    partnership: Partnership
    plan: PartnershipPlan | None
    priorities: list[Priority]
    tally: Tally
    measures_on_track: int = 0
    measures_off_track: int = 0
    measures_no_data: int = 0
    reviews: Any = None  # reviews.selectors.ReviewCounts where the reader may know them


@dataclass
class RollUpArea:
    name: str
    rows: list[CspRollUp]


@dataclass
class RollUp:
    county: Partnership
    areas: list[RollUpArea]
    totals: Tally
    chart: str

    @property
    def csps(self) -> list[CspRollUp]:
        return [row for area in self.areas for row in area.rows]


def current_plans(csp_ids: list[int], today: date) -> dict[int, PartnershipPlan]:
    """Each CSP's adopted plan, preferring the one that covers this financial year (one query)."""
    this_year = financial_year(today)
    chosen: dict[int, PartnershipPlan] = {}
    plans = PartnershipPlan.objects.filter(partnership_id__in=csp_ids, status=PlanStatus.ADOPTED).order_by(
        "-start_year", "-pk"
    )
    for plan in plans:
        covers = this_year in plan_years(plan)
        current = chosen.get(plan.partnership_id)
        if current is None or (covers and this_year not in plan_years(current)):
            chosen[plan.partnership_id] = plan
    return chosen


def county_roll_up(
    county: Partnership, *, review_counts: dict[int, Any] | None = None, today: date | None = None
) -> RollUp:
    """A county group's CSPs side by side by policing area: their current plans' priorities, actions by
    RAG, overdue actions and measures on and off track (six queries whatever the county's size)."""
    today = today or timezone.localdate()
    csps = list(
        Partnership.objects.filter(parent=county, kind=PartnershipKind.CSP)
        .select_related("policing_area")
        # CSPs in no policing area come last on every database (SQLite sorts NULL first, PostgreSQL last).
        .order_by(F("policing_area__name").asc(nulls_last=True), "name")
    )
    plans = current_plans([c.pk for c in csps], today)
    plan_ids = [p.pk for p in plans.values()]
    priorities: dict[int, list[Priority]] = defaultdict(list)
    for priority in active_priorities_of(plan_ids):
        priorities[priority.plan_id].append(priority)
    counts = tallies(
        with_flags(Action.objects.filter(action_plan__plan_id__in=plan_ids), today), "action_plan__partnership_id"
    )
    areas: dict[str, list[CspRollUp]] = defaultdict(list)
    totals = Tally()
    for csp in csps:
        plan = plans.get(csp.pk)
        row = CspRollUp(
            partnership=csp,
            plan=plan,
            priorities=priorities.get(plan.pk, []) if plan else [],
            tally=counts.get(csp.pk, Tally()),
            reviews=(review_counts or {}).get(csp.pk),
        )
        for priority in row.priorities:
            for measure in priority.measures.all():
                on_track = priority_selectors.measure_progress(measure).on_track
                if on_track is None:
                    row.measures_no_data += 1
                elif on_track:
                    row.measures_on_track += 1
                else:
                    row.measures_off_track += 1
        totals.merge(row.tally)
        areas[csp.policing_area.name if csp.policing_area else "No policing area"].append(row)
    shown = [row for rows in areas.values() for row in rows if row.tally.total]
    chart = ""
    if shown:
        chart = stacked_bar_chart(
            [(row.partnership.name, row.tally.segments()) for row in shown],
            title=f"Actions by RAG in each of {county.name}'s partnerships",
            summary="; ".join(
                f"{row.partnership.name}: "
                + ", ".join(f"{row.tally.rag[r]} {RAG_LABELS[r].lower()}" for r in RAG_ORDER if row.tally.rag[r])
                for row in shown
            ),
            chart_id="county-rag-chart",
        )
    return RollUp(
        county=county, areas=[RollUpArea(name, rows) for name, rows in areas.items()], totals=totals, chart=chart
    )


def active_priorities_of(plan_ids: list[int]) -> QuerySet[Priority]:
    """Active priorities of several plans with measures and values (three queries)."""
    return (
        Priority.objects.filter(plan_id__in=plan_ids, status=PriorityStatus.ACTIVE)
        .order_by("plan_id", "position", "pk")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=OutcomeMeasure.objects.order_by("pk").prefetch_related(
                    Prefetch("values", queryset=MeasureValue.objects.order_by("period_end", "pk"))
                ),
            )
        )
    )
