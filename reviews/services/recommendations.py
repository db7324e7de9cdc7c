"""Recommendations: tracked to closure like actions, with the action plans' progress rules
(actionplans.services.check_progress) and optimistic concurrency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplans.services import StaleEdit, check_progress
from csp_portal.history import adopt, save_as
from partnerships.models import Organisation, User
from reviews.choices import STATUSES_NEEDING_REASON, RecommendationScope, RecommendationStatus, Stage
from reviews.models import Recommendation, RecommendationUpdate, Review
from reviews.permissions import visible_reviews

# A recommendation is reported on while open; progress may set it to open or completed.
PROGRESS_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.COMPLETED)


@dataclass(frozen=True)
class RecommendationFields:
    number: str
    text: str
    scope: str
    addressed_to: str
    lead_organisation: Organisation | None
    lead_officer: User | None
    target_date: date


def _check(review: Review, fields: RecommendationFields, *, exclude_pk: int | None = None) -> None:
    errors: dict[str, str] = {}
    number = fields.number.strip()
    if not number:
        errors["number"] = "Enter the recommendation's number"
    elif review.recommendations.filter(number__iexact=number).exclude(pk=exclude_pk or 0).exists():
        errors["number"] = f"This review already has a recommendation {number}"
    if not fields.text.strip():
        errors["text"] = "Enter the recommendation"
    if fields.scope not in RecommendationScope.values:
        errors["scope"] = "Select the scope"
    if not fields.addressed_to.strip():
        errors["addressed_to"] = 'Enter who it is addressed to, e.g. "All agencies" or "Home Office"'
    # Need to know: the lead officer must be someone who may open the review.
    officer = fields.lead_officer
    if officer is not None and not visible_reviews(officer).filter(pk=review.pk).exists():
        errors["lead_officer"] = (
            "The lead officer must be on the review's panel, or its partnership's review lead or chair"
        )
    if fields.target_date < review.notified_on:
        errors["target_date"] = "The target date must be after the review's notification"
    if review.stage == Stage.CLOSED:
        errors["number"] = "This review is closed"
    if errors:
        raise ValidationError(errors)


def _apply(recommendation: Recommendation, fields: RecommendationFields) -> None:
    recommendation.number = fields.number.strip()
    recommendation.text = fields.text.strip()
    recommendation.scope = fields.scope
    recommendation.addressed_to = fields.addressed_to.strip()
    recommendation.lead_organisation = fields.lead_organisation
    recommendation.lead_officer = fields.lead_officer
    recommendation.target_date = fields.target_date


def recommendation_create(*, actor: User, review: Review, fields: RecommendationFields) -> Recommendation:
    _check(review, fields)
    recommendation = Recommendation(review=review)
    _apply(recommendation, fields)
    save_as(recommendation, actor)
    return recommendation


def recommendation_update(
    *, actor: User, recommendation: Recommendation, version: int, fields: RecommendationFields
) -> Recommendation:
    _check(recommendation.review, fields, exclude_pk=recommendation.pk)
    with transaction.atomic():
        current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if current.version != version:
            raise StaleEdit(current)
        _apply(current, fields)
        current.version += 1
        save_as(current, actor)
    adopt(recommendation, current)
    return recommendation


def recommendation_set_status(
    *, actor: User, recommendation: Recommendation, version: int, status: str, reason: str, on: date | None = None
) -> Recommendation:
    """Mark a recommendation superseded or not accepted (with the reason), completed, or open again."""
    errors: dict[str, str] = {}
    on = on or timezone.localdate()
    if status not in RecommendationStatus.values:
        errors["status"] = "Select a status"
    elif status in STATUSES_NEEDING_REASON and not reason.strip():
        errors["reason"] = f"Say why the recommendation is {RecommendationStatus(status).label.lower()}"
    if on > timezone.localdate():
        errors["on"] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if current.version != version:
            raise StaleEdit(current)
        current.status = status
        current.status_reason = reason.strip() if status in STATUSES_NEEDING_REASON else ""
        current.completed_on = on if status == RecommendationStatus.COMPLETED else None
        current.version += 1
        save_as(current, actor)
    adopt(recommendation, current)
    return recommendation


def recommendation_record_progress(
    *,
    actor: User,
    recommendation: Recommendation,
    version: int,
    reported_on: date,
    rag: str,
    narrative: str,
    percent_complete: int,
    status: str,
    evidence_links: str = "",
) -> RecommendationUpdate:
    """A progress update, exactly as on an action: RAG with its reason, % complete, status, evidence."""
    links = check_progress(
        reported_on=reported_on,
        rag=rag,
        narrative=narrative,
        percent_complete=percent_complete,
        evidence_links=evidence_links,
        status_ok=status in PROGRESS_STATUSES,
    )
    with transaction.atomic():
        current = Recommendation.objects.select_for_update().select_related("review").get(pk=recommendation.pk)
        if current.version != version:
            raise StaleEdit(current)
        if current.status not in PROGRESS_STATUSES:
            raise ValidationError(f"This recommendation is {current.get_status_display().lower()}")
        update = RecommendationUpdate(
            recommendation=current,
            author=actor,
            reported_on=reported_on,
            rag=rag,
            narrative=narrative.strip(),
            percent_complete=percent_complete,
            evidence_links=links,
        )
        save_as(update, actor)
        if current.last_update_on is None or reported_on >= current.last_update_on:
            current.rag, current.percent_complete, current.last_update_on = rag, percent_complete, reported_on
        current.status = status
        current.completed_on = (
            (current.completed_on or reported_on) if status == RecommendationStatus.COMPLETED else None
        )
        current.version += 1
        save_as(current, actor)
    adopt(recommendation, current)
    return update
