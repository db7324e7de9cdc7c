"""What the review pages read: rows for the list with their next deadline, one review's workspace
summary, recommendations with their flags, and the aggregate counts scrutiny and county readers see.

Callers pass querysets already scoped by reviews.permissions; nothing here widens them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from actionplans.selectors import rag_flags
from reviews.choices import RecommendationStatus, Stage
from reviews.clock import Clock, Deadline, next_deadline, review_clock, review_deadlines
from reviews.models import Agency, Pause, Recommendation, Review, ReviewRules, StageChange


def _rules(partnership_ids: Iterable[int]) -> dict[int, ReviewRules]:
    return {
        rules.partnership_id: rules for rules in ReviewRules.objects.filter(partnership_id__in=set(partnership_ids))
    }


def with_parts(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """The related rows the clock and deadlines need, in four queries whatever the number of reviews."""
    return reviews.select_related("partnership").prefetch_related(
        Prefetch("pauses", queryset=Pause.objects.order_by("started_on")),
        Prefetch("agencies", queryset=Agency.objects.select_related("organisation")),
        "qa_submissions",
    )


@dataclass(frozen=True)
class ReviewRow:
    review: Review
    clock: Clock
    deadlines: list[Deadline]

    @property
    def next_deadline(self) -> Deadline | None:
        return next_deadline(self.deadlines)


def review_row(review: Review, rules: ReviewRules, today: date) -> ReviewRow:
    pauses = list(review.pauses.all())
    return ReviewRow(
        review=review,
        clock=review_clock(review, pauses, today),
        deadlines=review_deadlines(
            review,
            rules,
            pauses=pauses,
            agencies=list(review.agencies.all()),
            submissions=list(review.qa_submissions.all()),
            today=today,
        ),
    )


def review_rows(reviews: Iterable[Review], today: date | None = None) -> list[ReviewRow]:
    """Rows for a page of reviews (prefetched with `with_parts`): the clock and the next deadline."""
    today = today or timezone.localdate()
    reviews = list(reviews)
    rules = _rules(r.partnership_id for r in reviews)
    return [review_row(r, rules.get(r.partnership_id) or ReviewRules(), today) for r in reviews]


def review_summary(review: Review, today: date | None = None) -> ReviewRow:
    """One review's clock and deadlines."""
    review = with_parts(Review.objects.filter(pk=review.pk)).get()
    return review_rows([review], today)[0]


def stage_history(review: Review) -> QuerySet[StageChange]:
    return review.stage_changes.select_related("changed_by")


def with_recommendation_flags(items: QuerySet[Recommendation], today: date | None = None) -> QuerySet[Any]:
    """`is_overdue`, `needs_update` and `display_rag`, as on actions (the same tags on the page)."""
    return rag_flags(
        items,
        open_q=Q(status=RecommendationStatus.OPEN),
        complete_q=Q(status=RecommendationStatus.COMPLETED),
        due_field="target_date",
        today=today,
    )


def outstanding_recommendations(reviews: QuerySet[Review], today: date | None = None) -> QuerySet[Any]:
    """Open recommendations of the given (visible) reviews, soonest target first."""
    items = Recommendation.objects.filter(review__in=reviews, status=RecommendationStatus.OPEN).select_related(
        "review__partnership", "lead_organisation", "lead_officer"
    )
    return with_recommendation_flags(items, today).order_by("target_date", "review__reference", "number")


@dataclass(frozen=True)
class ReviewCounts:
    """Aggregates only: what scrutiny and county readers may know about reviews."""

    open: int
    completed_this_year: int
    recommendations_outstanding: int
    recommendations_overdue: int


def review_counts(partnership_ids: Iterable[int], today: date | None = None) -> dict[int, ReviewCounts]:
    """Counts per partnership (as commissioner), in two queries. Completed: published (or closed
    without publication) since 1 January."""
    today = today or timezone.localdate()
    ids = set(partnership_ids)
    new_year = date(today.year, 1, 1)
    reviews = (
        Review.objects.filter(partnership_id__in=ids)
        .values("partnership_id")
        .annotate(
            open=Count("pk", filter=~Q(stage=Stage.CLOSED)),
            completed=Count(
                "pk",
                filter=Q(published_on__gte=new_year) | Q(published_on__isnull=True, closed_on__gte=new_year),
            ),
        )
    )
    recommendations = (
        Recommendation.objects.filter(review__partnership_id__in=ids, status=RecommendationStatus.OPEN)
        .values("review__partnership_id")
        .annotate(outstanding=Count("pk"), overdue=Count("pk", filter=Q(target_date__lt=today)))
    )
    review_figures = {row["partnership_id"]: (row["open"], row["completed"]) for row in reviews}
    recommendation_figures = {
        row["review__partnership_id"]: (row["outstanding"], row["overdue"]) for row in recommendations
    }
    return {pk: ReviewCounts(*review_figures.get(pk, (0, 0)), *recommendation_figures.get(pk, (0, 0))) for pk in ids}
