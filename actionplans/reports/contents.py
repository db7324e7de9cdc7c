"""What an annual report says, generated from the data: one JSON-safe dict that the HTML page, the PDF
and the spreadsheet all render. A draft's contents are generated each time it is shown; publishing keeps
them on the report (AnnualReport.contents), so a published report never changes.

No personal data: organisations lead actions, never named officers; reviews appear as counts only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from actionplans.dashboard import RAG_ORDER, Tally, active_priorities_of, funding_by_source, tallies, year_label
from actionplans.models import Action, ActionStatus, AnnualReport, ProgressUpdate
from actionplans.selectors import RAG_LABELS, with_flags
from priorities import selectors as priority_selectors
from priorities.charts import RAG_FILLS, Segment, stacked_bar_chart
from priorities.models import AssessmentStatus, OutcomeMeasure, StrategicAssessment

SCHEMA = 1
HIGHLIGHTS_PER_PRIORITY = 3
HIGHLIGHT_LENGTH = 600
LISTED = 50  # completed and overdue actions listed in full; the counts cover the rest
CRIME_CATEGORIES = 10


def report_actions(report: AnnualReport) -> QuerySet[Action]:
    """The actions of the report's plan that ran during its period."""
    return Action.objects.filter(
        action_plan__plan_id=report.plan_id, start_date__lte=report.period_end, due_date__gte=report.period_start
    )


def _money(value: Decimal | None) -> str:
    return str((value or Decimal(0)).quantize(Decimal("0.01")))


def _tally(tally: Tally) -> dict[str, Any]:
    labels = dict(ActionStatus.choices)
    return {
        "actions": tally.total,
        "rag": {rag: tally.rag[rag] for rag in RAG_ORDER},
        "status": {str(labels.get(s, s)): n for s, n in sorted(tally.status.items())},
        "overdue": tally.overdue,
        "needs_update": tally.needs_update,
    }


def _measure(measure: OutcomeMeasure, period_end: date) -> dict[str, Any]:
    """A measure as it stood at the end of the period: later values are not the period's."""
    values = [v for v in measure.values.all() if v.period_end <= period_end]
    latest = values[-1] if values else None
    return {
        "name": measure.name,
        "unit": measure.unit,
        "direction": measure.direction,
        "baseline": str(measure.baseline),
        "baseline_date": measure.baseline_date.isoformat(),
        "target": str(measure.target),
        "target_date": measure.target_date.isoformat(),
        "latest": str(latest.value) if latest else None,
        "latest_date": latest.period_end.isoformat() if latest else None,
        "on_track": priority_selectors.measure_on_track(measure, values),
    }


def _highlights(actions: QuerySet[Any], report: AnnualReport) -> dict[int | None, list[dict[str, Any]]]:
    """Each priority's highlights: the latest progress narrative of its actions in the period, completed
    and green actions first, then the most recent (two queries)."""
    in_period = ProgressUpdate.objects.filter(
        action=OuterRef("pk"), reported_on__gte=report.period_start, reported_on__lte=report.period_end
    ).order_by("-reported_on", "-created_at")
    latest = {
        row["latest_update"]: row
        for row in actions.annotate(latest_update=Subquery(in_period.values("pk")[:1]))
        .filter(latest_update__isnull=False)
        .values("latest_update", "priority_id", "reference", "title", "display_rag")
    }
    chosen: dict[int | None, list[dict[str, Any]]] = {}
    updates = ProgressUpdate.objects.filter(pk__in=list(latest)).only("pk", "reported_on", "narrative", "rag")
    preference = {"blue": 0, "green": 1, "amber": 2, "red": 3, "grey": 4}
    candidates = sorted(
        ((latest[u.pk], u) for u in updates),
        key=lambda pair: (preference[pair[0]["display_rag"]], -pair[1].reported_on.toordinal(), pair[0]["reference"]),
    )
    for action, update in candidates:
        shown = chosen.setdefault(action["priority_id"], [])
        if len(shown) < HIGHLIGHTS_PER_PRIORITY:
            narrative = update.narrative.strip()
            if len(narrative) > HIGHLIGHT_LENGTH:
                narrative = narrative[: HIGHLIGHT_LENGTH - 1].rsplit(" ", 1)[0] + "…"
            shown.append(
                {
                    "action": f"{action['reference']} {action['title']}",
                    "rag": action["display_rag"],
                    "reported_on": update.reported_on.isoformat(),
                    "narrative": narrative,
                }
            )
    return chosen


def _crime(report: AnnualReport) -> dict[str, Any] | None:
    """The latest approved strategic assessment by the end of the period: top categories, hot spots."""
    assessment = (
        StrategicAssessment.objects.filter(
            partnership_id=report.partnership_id,
            status=AssessmentStatus.APPROVED,
            period_end__lte=report.period_end,
        )
        .order_by("-year", "-pk")
        .first()
    )
    if assessment is None:
        return None
    profile = priority_selectors.crime_profile(assessment)
    if not profile.has_data:
        return None
    top = profile.changes[:CRIME_CATEGORIES]
    return {
        "assessment": assessment.title,
        "period_start": assessment.period_start.isoformat(),
        "period_end": assessment.period_end.isoformat(),
        "previous_start": profile.previous_start.isoformat(),
        "previous_end": profile.previous_end.isoformat(),
        "categories": [
            {
                "category": str(c.category.label),
                "current": c.current,
                "previous": c.previous,
                "percent": str(c.percent) if c.percent is not None else None,
            }
            for c in top
        ],
        "hot_spots": [
            {
                "category": str(c.category.label),
                "areas": [
                    {"code": s.lsoa_code, "name": s.lsoa_name, "count": s.count}
                    for s in profile.hot_spots.get(c.category.value, [])
                ],
            }
            for c in top[:3]
            if profile.hot_spots.get(c.category.value)
        ],
    }


def _reviews(report: AnnualReport, today: date) -> dict[str, int]:
    from reviews.selectors import review_counts  # reviews builds on action plans, not the other way round

    counts = review_counts([report.partnership_id], today)[report.partnership_id]
    return {
        "open": counts.open,
        "completed_this_year": counts.completed_this_year,
        "recommendations_outstanding": counts.recommendations_outstanding,
        "recommendations_overdue": counts.recommendations_overdue,
    }


def report_contents(report: AnnualReport, today: date | None = None) -> dict[str, Any]:
    """Everything the report shows apart from its narrative (about fifteen queries whatever its size)."""
    today = today or timezone.localdate()
    actions = report_actions(report)
    flagged = with_flags(actions, today)
    counts = tallies(flagged, "priority_id")
    total = Tally()
    for tally in counts.values():
        total.merge(tally)
    highlights = _highlights(flagged, report)
    priorities = []
    for priority in active_priorities_of([report.plan_id]):
        tally = counts.pop(priority.pk, Tally())
        priorities.append(
            {
                "title": priority.title,
                "aim": priority.aim,
                **_tally(tally),
                "highlights": highlights.get(priority.pk, []),
                "measures": [_measure(m, report.period_end) for m in priority.measures.all()],
            }
        )
    other = Tally()
    for tally in counts.values():
        other.merge(tally)
    if other.total:
        priorities.append(
            {
                "title": "Other actions",
                "aim": "Actions under a retired priority or none",
                **_tally(other),
                "highlights": [],
                "measures": [],
            }
        )
    completed = (
        actions.filter(
            status=ActionStatus.COMPLETE,
            last_update_on__gte=report.period_start,
            last_update_on__lte=report.period_end,
        )
        .select_related("lead_organisation")
        .order_by("reference", "pk")
    )
    overdue = flagged.filter(is_overdue=True).select_related("lead_organisation").order_by("due_date", "reference")
    return {
        "schema": SCHEMA,
        "generated_at": timezone.now().isoformat(),
        "generated_on": today.isoformat(),
        "partnership": report.partnership.name,
        "plan": report.plan.title,
        "period": {
            "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat(),
            "label": year_label(report.period_start.year),
        },
        "totals": _tally(total),
        "priorities": priorities,
        "completed_count": completed.count(),
        "completed": [
            {
                "reference": a.reference,
                "title": a.title,
                "lead": a.lead_organisation.name,
                "completed_on": a.last_update_on.isoformat() if a.last_update_on else None,
            }
            for a in completed[:LISTED]
        ],
        "overdue_count": total.overdue,
        "overdue": [
            {
                "reference": a.reference,
                "title": a.title,
                "lead": a.lead_organisation.name,
                "due": a.due_date.isoformat(),
                "days_overdue": (today - a.due_date).days,
                "rag": a.display_rag,
            }
            for a in overdue[:LISTED]
        ],
        "funding": [
            {"source": f.source, "budget": _money(f.budget), "spent": _money(f.spent)}
            for f in funding_by_source(actions)
        ],
        "crime": _crime(report),
        "reviews": _reviews(report, today),
    }


def rag_chart(contents: dict[str, Any]) -> str:
    """The report's chart of actions by RAG for each priority, drawn from its (possibly frozen) contents."""
    rows = [p for p in contents["priorities"] if p["actions"]]
    if not rows:
        return ""
    return stacked_bar_chart(
        [(p["title"], [Segment(RAG_LABELS[r], p["rag"][r], RAG_FILLS[r]) for r in RAG_ORDER]) for p in rows],
        title="Actions by RAG for each priority",
        summary="; ".join(
            f"{p['title']}: " + ", ".join(f"{p['rag'][r]} {RAG_LABELS[r].lower()}" for r in RAG_ORDER if p["rag"][r])
            for p in rows
        ),
        chart_id="report-rag-chart",
    )
