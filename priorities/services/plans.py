"""Partnership plans: drafting, consultation, adoption (superseding the plan before), priorities, outcome
measures and their values, and the annual review.

The lifecycle is draft → out for consultation → adopted → superseded. A plan's details and priorities
change while it is a draft or out for consultation; once adopted, its priorities change only through the
annual review, while its measures and their values are kept up to date until a newer plan supersedes it.
A stale edit (the version the editor saw is not the current one) is refused rather than overwriting
someone else's change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from partnerships.models import Partnership, User
from priorities import permissions
from priorities.models import (
    Alignment,
    Direction,
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
    StrategyStrand,
    Theme,
)
from priorities.services.history import save_as

EDITABLE = (PlanStatus.DRAFT, PlanStatus.CONSULTATION)
MAX_PLAN_YEARS = 5


def _year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _check_years(start_year: int, end_year: int) -> None:
    if end_year < start_year:
        raise ValidationError({"end_year": "The last year of the plan must be the same as or after its first year"})
    if end_year - start_year > MAX_PLAN_YEARS:
        raise ValidationError({"end_year": f"A plan covers at most {MAX_PLAN_YEARS} years"})


def _check_editable(plan: PartnershipPlan, version: int | None = None) -> None:
    if plan.status not in EDITABLE:
        raise ValidationError(
            "This plan has been adopted: its priorities change only through its annual review"
            if plan.status == PlanStatus.ADOPTED
            else "This plan has been superseded and can no longer be changed"
        )
    if version is not None and version != plan.version:
        raise ValidationError(
            "Someone else changed this plan while you were editing it. "
            "Their changes are shown on the plan; make yours again."
        )


def _check_recordable(plan: PartnershipPlan) -> None:
    if plan.status == PlanStatus.SUPERSEDED:
        raise ValidationError("This plan has been superseded and can no longer be changed")


def _touch(plan: PartnershipPlan) -> None:
    """Raise the plan's version after a change to its priorities, so an open edit form becomes stale."""
    PartnershipPlan.objects.filter(pk=plan.pk).update(version=F("version") + 1)


def plan_create(
    *,
    actor: User | None,
    partnership: Partnership,
    title: str,
    start_year: int,
    end_year: int,
    vision: str = "",
    assessments: Iterable[StrategicAssessment] = (),
) -> PartnershipPlan:
    """Start a draft partnership plan for a period, informed by the partnership's strategic assessments."""
    _check_years(start_year, end_year)
    chosen = list(assessments)
    if any(a.partnership_id != partnership.pk for a in chosen):
        raise ValidationError({"assessments": "Choose strategic assessments of this partnership"})
    with transaction.atomic():
        plan = PartnershipPlan(
            partnership=partnership, title=title.strip(), start_year=start_year, end_year=end_year, vision=vision
        )
        save_as(plan, actor)  # the actor stays on the instance, so the m2m history records them too
        if chosen:
            plan.assessments.set(chosen)
    return plan


def plan_update(
    *,
    actor: User | None,
    plan: PartnershipPlan,
    version: int,
    title: str,
    start_year: int,
    end_year: int,
    vision: str,
    assessments: Iterable[StrategicAssessment],
) -> PartnershipPlan:
    """Change a draft plan's details; refuses a stale edit and a plan that has been adopted."""
    _check_years(start_year, end_year)
    chosen = list(assessments)
    if any(a.partnership_id != plan.partnership_id for a in chosen):
        raise ValidationError({"assessments": "Choose strategic assessments of this partnership"})
    with transaction.atomic():
        current = PartnershipPlan.objects.select_for_update().get(pk=plan.pk)
        _check_editable(current, version)
        current.title, current.start_year, current.end_year = title.strip(), start_year, end_year
        current.vision = vision
        current.version += 1  # the row is locked, so this cannot race
        save_as(current, actor)
        if {a.pk for a in chosen} != set(current.assessments.values_list("pk", flat=True)):
            current.assessments.set(chosen)
    return current


def plan_send_to_consultation(*, actor: User | None, plan: PartnershipPlan) -> PartnershipPlan:
    """Put a draft plan out for consultation: partner officers can then read it."""
    with transaction.atomic():
        if not plan.priorities.filter(status=PriorityStatus.ACTIVE).exists():
            raise ValidationError("Add at least one priority before the plan goes out for consultation")
        # Claimed with a conditional update: two people pressing the button at once change it once.
        changed = PartnershipPlan.objects.filter(pk=plan.pk, status=PlanStatus.DRAFT).update(
            status=PlanStatus.CONSULTATION, version=F("version") + 1
        )
        if changed != 1:
            raise ValidationError("This plan is no longer a draft")
        current = PartnershipPlan.objects.get(pk=plan.pk)
        save_as(current, actor)  # records the step (who, when) in the history
    return current


def plan_adopt(
    *,
    actor: User | None,
    plan: PartnershipPlan,
    adopted_on: date,
    adopted_by_body: str,
    adoption_notes: str = "",
) -> PartnershipPlan:
    """The chair records the plan's adoption; the partnership's plan adopted before it is superseded.

    Only the partnership's chair adopts (actor None is the portal itself, loading records of past plans).
    The previous plan is superseded in the same transaction, before this one is marked adopted, so the
    database's one-adopted-plan-per-partnership constraint holds at every step.
    """
    if actor is not None and not permissions.can_approve(actor, plan.partnership):
        raise PermissionDenied("Only the partnership's chair adopts its plan")
    if not adopted_by_body.strip():
        raise ValidationError({"adopted_by_body": "Enter the body that adopted the plan, like Full Council"})
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": "The date of adoption must be today or in the past"})
    with transaction.atomic():
        current = PartnershipPlan.objects.select_for_update().get(pk=plan.pk)
        if current.status != PlanStatus.CONSULTATION:
            raise ValidationError("Only a plan out for consultation can be adopted")
        previous = list(
            PartnershipPlan.objects.select_for_update()
            .filter(partnership_id=current.partnership_id, status=PlanStatus.ADOPTED)
            .exclude(pk=current.pk)
        )
        for older in previous:
            if older.start_year > current.start_year:
                raise ValidationError(f"{older.title} ({older.period_label}) is in force and is newer than this plan")
        for older in previous:
            older.status, older.superseded_by = PlanStatus.SUPERSEDED, current
            older.version += 1
            save_as(older, actor)
        current.status, current.adopted_on = PlanStatus.ADOPTED, adopted_on
        current.adopted_by_body, current.adoption_notes = adopted_by_body.strip(), adoption_notes.strip()
        current.version += 1
        save_as(current, actor)
    return current


def _check_title(plan: PartnershipPlan, title: str, *, exclude: int | None = None, field: str = "title") -> None:
    duplicate = Priority.objects.filter(plan=plan, title__iexact=title)
    if exclude is not None:
        duplicate = duplicate.exclude(pk=exclude)
    if duplicate.exists():
        raise ValidationError({field: f"The plan already has a priority called {title}"})


def _check_choices(theme: str, strand: str, alignment: Sequence[str]) -> None:
    if theme not in Theme.values:
        raise ValidationError({"theme": "Select a theme from the list"})
    if strand not in StrategyStrand.values:
        raise ValidationError({"strand": "Select a strand of the strategy from the list"})
    if any(value not in Alignment.values for value in alignment):
        raise ValidationError({"alignment": "Select alignments from the list"})


def priority_save(
    *,
    actor: User | None,
    plan: PartnershipPlan,
    priority: Priority | None = None,
    title: str,
    aim: str,
    how_achieved: str,
    theme: str,
    strand: str,
    alignment: Sequence[str] = (),
) -> Priority:
    """Add a priority to a draft plan, or change one (titles are unique in a plan, ignoring case)."""
    title = title.strip()
    _check_choices(theme, strand, alignment)
    with transaction.atomic():
        current = PartnershipPlan.objects.select_for_update().get(pk=plan.pk)
        _check_editable(current)
        _check_title(current, title, exclude=priority.pk if priority else None)
        if priority is None:
            last = current.priorities.aggregate(last=Max("position"))["last"]
            priority = Priority(plan=current, position=0 if last is None else last + 1)
        priority.title, priority.aim, priority.how_achieved = title, aim.strip(), how_achieved.strip()
        priority.theme, priority.strand = theme, strand
        priority.alignment = [value for value in Alignment.values if value in alignment]
        save_as(priority, actor)
        _touch(current)
    return priority


def priority_retire(*, actor: User | None, plan: PartnershipPlan, priority: Priority) -> Priority:
    """Withdraw a priority from a draft plan. It stays on record as retired (an adopted plan's review
    retires priorities with a reason instead)."""
    with transaction.atomic():
        current = PartnershipPlan.objects.select_for_update().get(pk=plan.pk)
        _check_editable(current)
        if priority.plan_id != current.pk:
            raise ValidationError("This priority belongs to another plan")
        if priority.status == PriorityStatus.RETIRED:
            raise ValidationError(f"{priority.title} has already been retired")
        priority.status = PriorityStatus.RETIRED
        save_as(priority, actor)
        _touch(current)
    return priority


def check_measure(
    *, baseline: Decimal, baseline_date: date, target: Decimal, target_date: date, direction: str
) -> dict[str, str]:
    """The errors of a measure's figures, by field: the form and the service share these rules."""
    errors: dict[str, str] = {}
    if target_date <= baseline_date:
        errors["target_date"] = "The target date must be after the baseline date"
    if direction == Direction.DOWN and target > baseline:
        errors["target"] = "The target must be at or below the baseline, because down is good for this measure"
    elif direction == Direction.UP and target < baseline:
        errors["target"] = "The target must be at or above the baseline, because up is good for this measure"
    elif direction not in Direction.values:
        errors["direction"] = "Select whether up or down is good"
    return errors


def measure_save(
    *,
    actor: User | None,
    priority: Priority,
    measure: OutcomeMeasure | None = None,
    name: str,
    unit: str,
    data_source: str,
    baseline: Decimal,
    baseline_date: date,
    target: Decimal,
    target_date: date,
    direction: str,
) -> OutcomeMeasure:
    """Add an outcome measure to a priority, or change one: baseline, target and direction."""
    errors = check_measure(
        baseline=baseline, baseline_date=baseline_date, target=target, target_date=target_date, direction=direction
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = PartnershipPlan.objects.select_for_update().get(pk=priority.plan_id)
        _check_recordable(plan)
        if priority.status == PriorityStatus.RETIRED:
            raise ValidationError(f"{priority.title} has been retired")
        if measure is not None and measure.values.filter(period_end__lte=baseline_date).exists():
            raise ValidationError(
                {"baseline_date": "The baseline date must be before the period of every value recorded"}
            )
        measure = measure or OutcomeMeasure(priority=priority)
        measure.name, measure.unit, measure.data_source = name.strip(), unit.strip(), data_source.strip()
        measure.baseline, measure.baseline_date = baseline, baseline_date
        measure.target, measure.target_date, measure.direction = target, target_date, direction
        save_as(measure, actor)
    return measure


def measure_value_add(*, actor: User | None, measure: OutcomeMeasure, period_end: date, value: Decimal) -> MeasureValue:
    """Record a measure's actual value for the period ending on a date (one value per period)."""
    if period_end <= measure.baseline_date:
        raise ValidationError(
            {"period_end": f"The period must end after the baseline date, {measure.baseline_date:%-d %B %Y}"}
        )
    with transaction.atomic():
        plan = PartnershipPlan.objects.select_for_update().get(pk=measure.priority.plan_id)
        _check_recordable(plan)
        if measure.values.filter(period_end=period_end).exists():
            raise ValidationError({"period_end": f"There is already a value for the period to {period_end:%-d %B %Y}"})
        figure = MeasureValue(measure=measure, period_end=period_end, value=value)
        save_as(figure, actor)
    return figure


@dataclass(frozen=True)
class Decision:
    """What an annual review decided about one active priority, and why; a change may reword it."""

    priority: Priority
    kind: str  # kept, changed or retired
    reason: str
    title: str = ""
    aim: str = ""
    how_achieved: str = ""
    theme: str = ""


@dataclass(frozen=True)
class NewPriority:
    """A priority an annual review adds, and why."""

    title: str
    aim: str
    how_achieved: str
    theme: str
    strand: str
    reason: str
    alignment: tuple[str, ...] = ()


def plan_review(
    *,
    actor: User | None,
    plan: PartnershipPlan,
    year: int,
    assessment: StrategicAssessment | None,
    summary: str,
    decisions: Sequence[Decision],
    added: Sequence[NewPriority] = (),
    reviewed_on: date | None = None,
) -> PlanReview:
    """Record an adopted plan's annual review against a new strategic assessment, in one transaction.

    Every active priority is kept, changed (and perhaps reworded) or retired with a reason; new
    priorities may be added. The review and each decision stay on record with the plan.
    """
    reviewed_on = reviewed_on or timezone.localdate()
    with transaction.atomic():
        current = PartnershipPlan.objects.select_for_update().get(pk=plan.pk)
        if current.status != PlanStatus.ADOPTED:
            raise ValidationError("Only an adopted plan has annual reviews")
        if year not in current.years:
            raise ValidationError(
                {"year": f"Choose a year of the plan: {', '.join(_year_label(y) for y in current.years)}"}
            )
        if PlanReview.objects.filter(plan=current, year=year).exists():
            raise ValidationError({"year": f"The plan has already been reviewed for {_year_label(year)}"})
        if assessment is not None and assessment.partnership_id != current.partnership_id:
            raise ValidationError({"assessment": "Choose a strategic assessment of this partnership"})
        if not summary.strip():
            raise ValidationError({"summary": "Enter a summary of the review"})
        active = {p.pk: p for p in current.priorities.filter(status=PriorityStatus.ACTIVE)}
        decided = [d.priority.pk for d in decisions]
        if sorted(decided) != sorted(active):
            raise ValidationError("Decide once whether to keep, change or retire every active priority")
        review = PlanReview(
            plan=current,
            year=year,
            assessment=assessment,
            reviewed_on=reviewed_on,
            summary=summary.strip(),
            reviewed_by=actor,
        )
        save_as(review, actor)
        for decision in decisions:
            _apply_decision(current, review, active[decision.priority.pk], decision, actor)
        next_position = (current.priorities.aggregate(last=Max("position"))["last"] or 0) + 1
        for offset, new in enumerate(added):
            _check_choices(new.theme, new.strand, new.alignment)
            _check_title(current, new.title.strip(), field="added")
            priority = Priority(
                plan=current,
                title=new.title.strip(),
                aim=new.aim.strip(),
                how_achieved=new.how_achieved.strip(),
                theme=new.theme,
                strand=new.strand,
                alignment=[value for value in Alignment.values if value in new.alignment],
                position=next_position + offset,
            )
            save_as(priority, actor)
            PriorityChange.objects.create(
                review=review, priority=priority, kind=PriorityChangeKind.ADDED, reason=new.reason.strip()
            )
        _touch(current)
    return review


def _apply_decision(
    plan: PartnershipPlan, review: PlanReview, priority: Priority, decision: Decision, actor: User | None
) -> None:
    if decision.kind not in (PriorityChangeKind.KEPT, PriorityChangeKind.CHANGED, PriorityChangeKind.RETIRED):
        raise ValidationError(f"Select whether to keep, change or retire {priority.title}")
    if not decision.reason.strip():
        raise ValidationError(f"Enter the reason for the decision on {priority.title}")
    previous_title = ""
    if decision.kind == PriorityChangeKind.CHANGED:
        title = decision.title.strip() or priority.title
        if title != priority.title:
            _check_title(plan, title, exclude=priority.pk, field="__all__")
            previous_title = priority.title
        priority.title = title
        priority.aim = decision.aim.strip() or priority.aim
        priority.how_achieved = decision.how_achieved.strip() or priority.how_achieved
        if decision.theme:
            _check_choices(decision.theme, priority.strand, ())
            priority.theme = decision.theme
        save_as(priority, actor)
    elif decision.kind == PriorityChangeKind.RETIRED:
        priority.status = PriorityStatus.RETIRED
        save_as(priority, actor)
    PriorityChange.objects.create(
        review=review,
        priority=priority,
        kind=decision.kind,
        reason=decision.reason.strip(),
        previous_title=previous_title,
    )
