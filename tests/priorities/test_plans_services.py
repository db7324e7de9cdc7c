"""The rules of partnership plans, as the services apply them: the lifecycle (draft → consultation →
adopted → superseded), who adopts, priorities, outcome measures and values, and the annual review.
Each change records who made it in the history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from priorities import selectors, services
from priorities.models import (
    AssessmentStatus,
    MeasureValue,
    OutcomeMeasure,
    PartnershipPlan,
    PlanReview,
    PlanStatus,
    Priority,
    PriorityChange,
    PriorityStatus,
    StrategicAssessment,
)
from tests.factories import MeasureFactory, MeasureValueFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned_day():
    """Roles in force, adoption dates and review dates depend on the day: 1 June 2025."""
    with time_machine.travel(datetime(2025, 6, 1, 10, 0, tzinfo=UTC)):
        yield


def _assessment(partnership: Any, year: int = 2024) -> StrategicAssessment:
    return StrategicAssessment.objects.create(
        partnership=partnership,
        year=year,
        title=f"Riverton strategic assessment {year}",
        period_start=date(year - 1, 10, 1),
        period_end=date(year, 9, 1),
        status=AssessmentStatus.APPROVED,
        approved_at=datetime(year, 11, 1, tzinfo=UTC),
    )


def _draft(personas: Any, **kwargs: Any) -> PartnershipPlan:
    defaults = {"title": "Riverton strategy 2025 to 2028", "start_year": 2025, "end_year": 2028}
    return services.plan_create(actor=personas.manager, partnership=personas.csp, **{**defaults, **kwargs})


def _priority(personas: Any, plan: PartnershipPlan, title: str = "Safer streets") -> Priority:
    return services.priority_save(
        actor=personas.manager,
        plan=plan,
        title=title,
        aim="Less anti-social behaviour",
        how_achieved="Patrols and youth work",
        theme="asb",
        strand="crime_disorder",
        alignment=["county", "national"],
    )


def _consultation(personas: Any, **kwargs: Any) -> PartnershipPlan:
    plan = _draft(personas, **kwargs)
    _priority(personas, plan)
    return services.plan_send_to_consultation(actor=personas.manager, plan=plan)


def _adopted(personas: Any, *, adopted_on: date = date(2025, 3, 20), **kwargs: Any) -> PartnershipPlan:
    plan = _consultation(personas, **kwargs)
    return services.plan_adopt(actor=personas.chair, plan=plan, adopted_on=adopted_on, adopted_by_body="Full Council")


def _errors(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- Drafting ----------------------------------------------------------------------------------------


def test_manager_starts_a_draft_plan_informed_by_an_assessment_and_is_recorded_as_its_author(personas):
    assessment = _assessment(personas.csp)

    plan = _draft(personas, assessments=[assessment])

    assert plan.status == PlanStatus.DRAFT
    assert list(plan.assessments.all()) == [assessment]
    assert plan.history.earliest().history_user == personas.manager
    assert plan.history.latest().history_user == personas.manager


def test_a_plan_cannot_end_before_it_starts_or_run_more_than_five_years(personas):
    with pytest.raises(ValidationError) as before:
        _draft(personas, start_year=2025, end_year=2024)
    with pytest.raises(ValidationError) as long:
        _draft(personas, start_year=2025, end_year=2031)

    assert before.value.message_dict == {
        "end_year": ["The last year of the plan must be the same as or after its first year"]
    }
    assert long.value.message_dict == {"end_year": ["A plan covers at most 5 years"]}
    assert not PartnershipPlan.objects.exists()


def test_a_plan_is_informed_only_by_its_own_partnerships_assessments(personas):
    elsewhere = _assessment(personas.other_csp)

    with pytest.raises(ValidationError) as refused:
        _draft(personas, assessments=[elsewhere])

    assert refused.value.message_dict == {"assessments": ["Choose strategic assessments of this partnership"]}


def test_a_stale_edit_is_refused_and_keeps_the_other_persons_change(personas):
    plan = _draft(personas)
    seen = plan.version
    services.plan_update(
        actor=personas.manager,
        plan=plan,
        version=seen,
        title="First edit",
        start_year=2025,
        end_year=2028,
        vision="",
        assessments=[],
    )

    with pytest.raises(ValidationError) as stale:
        services.plan_update(
            actor=personas.admin,
            plan=plan,
            version=seen,
            title="Second edit",
            start_year=2025,
            end_year=2028,
            vision="",
            assessments=[],
        )

    assert "Someone else changed this plan while you were editing it" in _errors(stale.value)[0]
    plan.refresh_from_db()
    assert plan.title == "First edit"
    assert plan.version == seen + 1


def test_changing_a_priority_makes_an_open_plan_edit_stale(personas):
    plan = _draft(personas)
    seen = plan.version

    _priority(personas, plan)

    with pytest.raises(ValidationError):
        services.plan_update(
            actor=personas.manager,
            plan=plan,
            version=seen,
            title="Late",
            start_year=2025,
            end_year=2028,
            vision="",
            assessments=[],
        )


def test_an_adopted_plan_is_not_edited_outside_its_annual_review(personas):
    plan = _adopted(personas)

    with pytest.raises(ValidationError) as edit:
        services.plan_update(
            actor=personas.manager,
            plan=plan,
            version=plan.version,
            title="Rewritten",
            start_year=2025,
            end_year=2028,
            vision="",
            assessments=[],
        )
    with pytest.raises(ValidationError) as add:
        _priority(personas, plan, "Another priority")

    assert _errors(edit.value) == ["This plan has been adopted: its priorities change only through its annual review"]
    assert _errors(add.value) == _errors(edit.value)
    assert plan.priorities.count() == 1


# --- Consultation and adoption ------------------------------------------------------------------------


def test_a_plan_goes_out_for_consultation_only_with_a_priority(personas):
    plan = _draft(personas)

    with pytest.raises(ValidationError) as empty:
        services.plan_send_to_consultation(actor=personas.manager, plan=plan)

    assert _errors(empty.value) == ["Add at least one priority before the plan goes out for consultation"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_plan_goes_out_for_consultation_once(personas):
    plan = _consultation(personas)

    with pytest.raises(ValidationError) as again:
        services.plan_send_to_consultation(actor=personas.manager, plan=plan)

    assert _errors(again.value) == ["This plan is no longer a draft"]
    assert plan.history.latest().status == PlanStatus.CONSULTATION
    assert plan.history.latest().history_user == personas.manager


@pytest.mark.parametrize("role", ["manager", "admin", "police_officer", "scrutiny", "county_member"])
def test_only_the_chair_adopts_a_plan(personas, role):
    plan = _consultation(personas)

    with pytest.raises(PermissionDenied):
        services.plan_adopt(
            actor=personas.by_role(role), plan=plan, adopted_on=date(2025, 3, 20), adopted_by_body="Full Council"
        )

    plan.refresh_from_db()
    assert plan.status == PlanStatus.CONSULTATION


def test_the_chair_records_the_adoption_with_the_date_and_the_body(personas):
    plan = _consultation(personas)

    adopted = services.plan_adopt(
        actor=personas.chair,
        plan=plan,
        adopted_on=date(2022, 12, 8),
        adopted_by_body=" Full Council ",
        adoption_notes="Cabinet, 13 September 2022 (item 8)",
    )

    assert (adopted.status, adopted.adopted_on, adopted.adopted_by_body) == (
        PlanStatus.ADOPTED,
        date(2022, 12, 8),
        "Full Council",
    )
    assert adopted.adoption_notes == "Cabinet, 13 September 2022 (item 8)"
    assert adopted.history.latest().history_user == personas.chair


def test_a_draft_is_not_adopted_before_consultation(personas):
    plan = _draft(personas)
    _priority(personas, plan)

    with pytest.raises(ValidationError) as refused:
        services.plan_adopt(actor=personas.chair, plan=plan, adopted_on=date(2025, 3, 1), adopted_by_body="Cabinet")

    assert _errors(refused.value) == ["Only a plan out for consultation can be adopted"]


def test_an_adoption_date_in_the_future_is_refused(personas):
    plan = _consultation(personas)

    with pytest.raises(ValidationError) as future:
        services.plan_adopt(actor=personas.chair, plan=plan, adopted_on=date(2025, 6, 2), adopted_by_body="Cabinet")

    assert future.value.message_dict == {"adopted_on": ["The date of adoption must be today or in the past"]}


def test_adopting_a_newer_plan_supersedes_the_plan_in_force(personas):
    older = _adopted(
        personas, title="Strategy 2022 to 2025", start_year=2022, end_year=2025, adopted_on=date(2022, 6, 1)
    )
    newer = _consultation(personas, title="Strategy 2025 to 2028")

    services.plan_adopt(actor=personas.chair, plan=newer, adopted_on=date(2025, 4, 2), adopted_by_body="Full Council")

    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, older.superseded_by) == (PlanStatus.SUPERSEDED, newer)
    assert older.adopted_on == date(2022, 6, 1)  # the record of its adoption stays
    assert newer.status == PlanStatus.ADOPTED
    assert older.history.latest().history_user == personas.chair


def test_adoption_and_superseding_happen_together_or_not_at_all(personas):
    older = _adopted(
        personas, title="Strategy 2022 to 2025", start_year=2022, end_year=2025, adopted_on=date(2022, 6, 1)
    )
    newer = _consultation(personas, title="Strategy 2025 to 2028")
    real_save_as = services.plan_adopt.__globals__["save_as"]

    def fail_on_the_new_plan(obj: Any, actor: Any, **kwargs: Any) -> None:
        if obj.pk == newer.pk:
            raise RuntimeError("the database went away")
        real_save_as(obj, actor, **kwargs)

    with mock.patch("priorities.services.plans.save_as", fail_on_the_new_plan), pytest.raises(RuntimeError):
        services.plan_adopt(actor=personas.chair, plan=newer, adopted_on=date(2025, 4, 2), adopted_by_body="Council")

    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, older.superseded_by) == (PlanStatus.ADOPTED, None)
    assert newer.status == PlanStatus.CONSULTATION


def test_an_older_plan_is_not_adopted_over_a_newer_one_in_force(personas):
    _adopted(personas, title="Strategy 2025 to 2028")
    older = _consultation(personas, title="Strategy 2022 to 2025", start_year=2022, end_year=2025)

    with pytest.raises(ValidationError) as refused:
        services.plan_adopt(actor=personas.chair, plan=older, adopted_on=date(2025, 4, 2), adopted_by_body="Council")

    assert _errors(refused.value) == ["Strategy 2025 to 2028 (2025–2028) is in force and is newer than this plan"]


def test_the_database_keeps_one_adopted_plan_per_partnership(personas):
    PlanFactory(partnership=personas.csp, status=PlanStatus.ADOPTED, adopted_on=date(2024, 1, 1), adopted_by_body="X")

    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(
            partnership=personas.csp, status=PlanStatus.ADOPTED, adopted_on=date(2024, 2, 1), adopted_by_body="Y"
        )


def test_the_database_refuses_an_adopted_plan_without_the_adopting_body(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(partnership=personas.csp, status=PlanStatus.ADOPTED, adopted_on=date(2024, 1, 1))


# --- Priorities -------------------------------------------------------------------------------------


def test_priority_titles_are_unique_in_a_plan_whatever_their_case(personas):
    plan = _draft(personas)
    _priority(personas, plan, "Safer streets")

    with pytest.raises(ValidationError) as duplicate:
        _priority(personas, plan, "  SAFER streets ")

    assert duplicate.value.message_dict == {"title": ["The plan already has a priority called SAFER streets"]}
    assert plan.priorities.count() == 1


def test_priorities_keep_their_order_and_alignment_in_a_fixed_order(personas):
    plan = _draft(personas)
    first = _priority(personas, plan, "First")
    second = _priority(personas, plan, "Second")

    assert (first.position, second.position) == (0, 1)
    assert first.alignment == ["national", "county"]
    assert first.history.latest().history_user == personas.manager


def test_retiring_a_draft_priority_keeps_it_on_record(personas):
    plan = _draft(personas)
    priority = _priority(personas, plan)

    services.priority_retire(actor=personas.manager, plan=plan, priority=priority)

    priority.refresh_from_db()
    assert priority.status == PriorityStatus.RETIRED
    assert priority.history.latest().history_user == personas.manager


# --- Outcome measures and values ------------------------------------------------------------------------


def _measure(personas: Any, priority: Priority, **kwargs: Any) -> OutcomeMeasure:
    fields = {
        "name": "Anti-social behaviour incidents",
        "unit": "incidents",
        "data_source": "Police",
        "baseline": Decimal(500),
        "baseline_date": date(2025, 3, 31),
        "target": Decimal(400),
        "target_date": date(2028, 3, 31),
        "direction": "down",
        **kwargs,
    }
    return services.measure_save(actor=personas.manager, priority=priority, **fields)


@pytest.mark.parametrize(
    ("direction", "target", "message"),
    [
        ("down", 600, "The target must be at or below the baseline, because down is good for this measure"),
        ("up", 400, "The target must be at or above the baseline, because up is good for this measure"),
    ],
)
def test_a_target_in_the_wrong_direction_for_the_measure_is_refused(personas, direction, target, message):
    priority = _priority(personas, _draft(personas))

    with pytest.raises(ValidationError) as wrong:
        _measure(personas, priority, direction=direction, target=Decimal(target))

    assert wrong.value.message_dict == {"target": [message]}
    assert not OutcomeMeasure.objects.exists()


@pytest.mark.parametrize("target_date", [date(2025, 3, 31), date(2024, 3, 31)])
def test_a_target_date_on_or_before_the_baseline_date_is_refused(personas, target_date):
    priority = _priority(personas, _draft(personas))

    with pytest.raises(ValidationError) as wrong:
        _measure(personas, priority, target_date=target_date)

    assert wrong.value.message_dict == {"target_date": ["The target date must be after the baseline date"]}


def test_measures_and_values_are_kept_up_to_date_on_an_adopted_plan_by_the_manager(personas):
    plan = _adopted(personas)
    measure = _measure(personas, plan.priorities.get())

    value = services.measure_value_add(
        actor=personas.manager, measure=measure, period_end=date(2025, 6, 30), value=Decimal(480)
    )

    assert measure.history.latest().history_user == personas.manager
    assert value.history.latest().history_user == personas.manager


def test_one_value_per_period_and_after_the_baseline(personas):
    measure = _measure(personas, _priority(personas, _draft(personas)))
    services.measure_value_add(actor=personas.manager, measure=measure, period_end=date(2025, 6, 30), value=Decimal(1))

    with pytest.raises(ValidationError) as twice:
        services.measure_value_add(
            actor=personas.manager, measure=measure, period_end=date(2025, 6, 30), value=Decimal(2)
        )
    with pytest.raises(ValidationError) as early:
        services.measure_value_add(
            actor=personas.manager, measure=measure, period_end=date(2025, 3, 31), value=Decimal(2)
        )

    assert twice.value.message_dict == {"period_end": ["There is already a value for the period to 30 June 2025"]}
    assert early.value.message_dict == {"period_end": ["The period must end after the baseline date, 31 March 2025"]}
    assert MeasureValue.objects.count() == 1


def test_a_superseded_plans_measures_are_read_only(personas):
    plan = PlanFactory(
        partnership=personas.csp, status=PlanStatus.SUPERSEDED, adopted_on=date(2022, 1, 1), adopted_by_body="X"
    )
    measure = MeasureFactory(priority=PriorityFactory(plan=plan))

    with pytest.raises(ValidationError) as refused:
        services.measure_value_add(
            actor=personas.manager, measure=measure, period_end=date(2025, 6, 30), value=Decimal(1)
        )

    assert _errors(refused.value) == ["This plan has been superseded and can no longer be changed"]


@pytest.mark.parametrize(
    ("values", "on_track", "target_met"),
    [
        ([], None, False),
        # Down is good, 100 → 80 over three years: by 31 March 2025 (a third of the way) 93.3 is expected.
        ([(date(2025, 3, 31), 93)], True, False),
        ([(date(2025, 3, 31), 97)], False, False),
        ([(date(2025, 3, 31), 97), (date(2026, 3, 31), 80)], True, True),
    ],
)
def test_a_measure_is_on_track_when_its_latest_value_is_no_worse_than_the_straight_path(values, on_track, target_met):
    measure = MeasureFactory(baseline_date=date(2024, 3, 31), target_date=date(2027, 3, 31))
    for period_end, value in values:
        MeasureValueFactory(measure=measure, period_end=period_end, value=value)

    progress = selectors.measure_progress(OutcomeMeasure.objects.prefetch_related("values").get(pk=measure.pk))

    assert (progress.on_track, progress.target_met) == (on_track, target_met)


# --- The annual review ----------------------------------------------------------------------------------


def _review_plan(personas: Any) -> tuple[PartnershipPlan, dict[str, Priority]]:
    plan = _draft(personas, title="Strategy 2024 to 2027", start_year=2024, end_year=2027)
    for title in ("Safer streets", "Burglary", "Night-time economy"):
        _priority(personas, plan, title)
    plan = services.plan_send_to_consultation(actor=personas.manager, plan=plan)
    plan = services.plan_adopt(actor=personas.chair, plan=plan, adopted_on=date(2024, 4, 1), adopted_by_body="Cabinet")
    return plan, {p.title: p for p in plan.priorities.all()}


def test_the_annual_review_records_each_decision_with_its_reason(personas):
    plan, priorities = _review_plan(personas)
    assessment = _assessment(personas.csp, 2025)

    review = services.plan_review(
        actor=personas.manager,
        plan=plan,
        year=2025,
        assessment=assessment,
        summary="Refreshed against the 2025 assessment",
        decisions=[
            services.Decision(priorities["Safer streets"], "kept", "Still the top issue"),
            services.Decision(
                priorities["Burglary"],
                "changed",
                "Widened",
                title="Acquisitive crime",
                aim="Less theft",
                theme="acquisitive",
            ),
            services.Decision(priorities["Night-time economy"], "retired", "Fell by a third"),
        ],
        added=[
            services.NewPriority(
                title="Violence against women and girls",
                aim="Safer nights",
                how_achieved="Walk and talk",
                theme="domestic_abuse",
                strand="crime_disorder",
                reason="New national strategy",
            )
        ],
    )

    assert (review.year, review.assessment, review.reviewed_on, review.reviewed_by) == (
        2025,
        assessment,
        date(2025, 6, 1),
        personas.manager,
    )
    changes = {
        c.priority.title: (c.kind, c.reason, c.previous_title) for c in review.changes.select_related("priority")
    }
    assert changes == {
        "Safer streets": ("kept", "Still the top issue", ""),
        "Acquisitive crime": ("changed", "Widened", "Burglary"),
        "Night-time economy": ("retired", "Fell by a third", ""),
        "Violence against women and girls": ("added", "New national strategy", ""),
    }
    changed = Priority.objects.get(title="Acquisitive crime")
    assert (changed.aim, changed.theme, changed.how_achieved) == ("Less theft", "acquisitive", "Patrols and youth work")
    assert Priority.objects.get(title="Night-time economy").status == PriorityStatus.RETIRED
    assert changed.history.latest().history_user == personas.manager
    assert review.history.latest().history_user == personas.manager


def test_the_review_decides_on_every_active_priority_or_records_nothing(personas):
    plan, priorities = _review_plan(personas)

    with pytest.raises(ValidationError) as missing:
        services.plan_review(
            actor=personas.manager,
            plan=plan,
            year=2025,
            assessment=None,
            summary="Partial",
            decisions=[services.Decision(priorities["Safer streets"], "retired", "Done")],
        )

    assert _errors(missing.value) == ["Decide once whether to keep, change or retire every active priority"]
    assert not PlanReview.objects.exists()
    assert not Priority.objects.filter(status=PriorityStatus.RETIRED).exists()


def test_a_review_that_adds_a_duplicate_priority_is_undone_whole(personas):
    plan, priorities = _review_plan(personas)

    with pytest.raises(ValidationError):
        services.plan_review(
            actor=personas.manager,
            plan=plan,
            year=2025,
            assessment=None,
            summary="Refresh",
            decisions=[services.Decision(p, "retired", "Done") for p in priorities.values()],
            added=[services.NewPriority("burglary", "Aim", "How", "acquisitive", "crime_disorder", "Back again")],
        )

    assert not PlanReview.objects.exists()
    assert not PriorityChange.objects.exists()
    assert Priority.objects.filter(status=PriorityStatus.ACTIVE).count() == 3


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (2023, "Choose a year of the plan: 2024/25, 2025/26, 2026/27"),
        (2027, "Choose a year of the plan: 2024/25, 2025/26, 2026/27"),
    ],
)
def test_a_review_is_for_a_year_of_the_plan(personas, year, message):
    plan, priorities = _review_plan(personas)

    with pytest.raises(ValidationError) as wrong:
        services.plan_review(
            actor=personas.manager,
            plan=plan,
            year=year,
            assessment=None,
            summary="Refresh",
            decisions=[services.Decision(p, "kept", "Fine") for p in priorities.values()],
        )

    assert wrong.value.message_dict == {"year": [message]}


def test_each_year_is_reviewed_once(personas):
    plan, priorities = _review_plan(personas)
    decisions = [services.Decision(p, "kept", "Fine") for p in priorities.values()]
    services.plan_review(
        actor=personas.manager, plan=plan, year=2025, assessment=None, summary="One", decisions=decisions
    )

    with pytest.raises(ValidationError) as twice:
        services.plan_review(
            actor=personas.manager, plan=plan, year=2025, assessment=None, summary="Two", decisions=decisions
        )

    assert twice.value.message_dict == {"year": ["The plan has already been reviewed for 2025/26"]}


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.CONSULTATION, PlanStatus.SUPERSEDED])
def test_only_an_adopted_plan_is_reviewed(personas, status):
    plan = PlanFactory(
        partnership=personas.csp,
        status=status,
        adopted_on=date(2024, 1, 1) if status == PlanStatus.SUPERSEDED else None,
        adopted_by_body="X" if status == PlanStatus.SUPERSEDED else "",
    )

    with pytest.raises(ValidationError) as refused:
        services.plan_review(actor=personas.manager, plan=plan, year=2024, assessment=None, summary="S", decisions=[])

    assert _errors(refused.value) == ["Only an adopted plan has annual reviews"]
