"""The daily reminder planner (reviews/reminders/planner.py), one test group per row of issue 6's table.

Each test builds real rows in the personas' CSP (Riverton), runs the planner every morning of a range of
days with the clock pinned to 7am that day (as beat does), records what it plans, and reads back who was
reminded of what on which day. Recording ignores a reminder already recorded, so the rows show exactly
the days each reminder first fell due.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action
from partnerships.models import Role, User
from priorities.models import PartnershipPlan, PlanReview, StrategicAssessment
from reviews.choices import Decision, PanelRole, PauseReason, Stage
from reviews.models import Pause, Recommendation, Review, ReviewRules
from reviews.reminders import planner, sending
from reviews.reminders.models import Reminder, ReminderKind, ReminderOffsets, ReminderOptOut
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    MilestoneFactory,
    PlanFactory,
    RoleFactory,
    UserFactory,
)
from tests.reviews.factories import AgencyFactory, PanelMemberFactory, RecommendationFactory, ReviewFactory

LONDON = ZoneInfo("Europe/London")
MANAGER = "manager@example.org"
CHAIR = "chair@example.org"
POLICE = "police.officer@example.org"
COUNCIL = "council.officer@example.org"
COORDINATOR = "coordinator@example.org"
PANEL_MEMBER = "panel.member@example.org"
K = ReminderKind


def on(text: str) -> date:
    return date.fromisoformat(text)


def run(days: Iterable[date]) -> None:
    """The planner every morning of `days`, with the clock at 7am that day, recording what it plans."""
    for day in days:
        with time_machine.travel(datetime.combine(day, time(7), tzinfo=LONDON), tick=False):
            today = timezone.localdate()
            assert today == day
            sending.record(planner.plan(today), today)


def every_day(first: str, last: str) -> list[date]:
    start, end = on(first), on(last)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def reminded(*kinds: str) -> set[tuple[str, str, str, date]]:
    """(email, kind, window, the day it was planned) of every reminder of these kinds recorded."""
    rows = Reminder.objects.filter(kind__in=kinds)
    return set(rows.values_list("recipient__email", "kind", "window", "planned_for"))


def people(*kinds: str) -> set[str]:
    return set(Reminder.objects.filter(kind__in=kinds).values_list("recipient__email", flat=True))


def end_role(person: User, role: str, on_day: str) -> None:
    person.role_assignments.filter(role=role).update(end_date=on(on_day))


def switch_off(person: User) -> None:
    person.is_active = False
    person.save(update_fields=["is_active"])


# --- Action due: 14 days before, on the day, weekly while overdue; copy to managers when overdue ------------


@pytest.fixture
def action(personas: Personas) -> Action:
    """A police action in Riverton due on Tuesday 30 June 2026, led by Polly Police."""
    plan = ActionPlanFactory(partnership=personas.csp)
    return ActionFactory(  # type: ignore[no-any-return]
        action_plan=plan,
        reference="2.1",
        title="Knife crime workshops",
        lead_organisation=personas.police,
        lead_officer=personas.police_officer,
        due_date=on("2026-06-30"),
        last_update_on=on("2026-06-01"),
    )


ACTION_WINDOWS = {
    (POLICE, K.ACTION_DUE, "before-14:2026-06-30", on("2026-06-16")),
    (POLICE, K.ACTION_DUE, "before-0:2026-06-30", on("2026-06-30")),
    (MANAGER, K.ACTION_OVERDUE_COPY, "before-0:2026-06-30", on("2026-07-01")),
    (POLICE, K.ACTION_DUE, "overdue-1:2026-06-30", on("2026-07-07")),
    (MANAGER, K.ACTION_OVERDUE_COPY, "overdue-1:2026-06-30", on("2026-07-07")),
    (POLICE, K.ACTION_DUE, "overdue-2:2026-06-30", on("2026-07-14")),
    (MANAGER, K.ACTION_OVERDUE_COPY, "overdue-2:2026-06-30", on("2026-07-14")),
}


def test_action_due_reminds_the_lead_officer_then_copies_managers_while_overdue(action: Action) -> None:
    run(every_day("2026-06-01", "2026-07-20"))
    assert reminded(K.ACTION_DUE, K.ACTION_OVERDUE_COPY) == ACTION_WINDOWS
    titles = dict(Reminder.objects.values_list("window", "title").filter(recipient__email=POLICE))
    assert titles["before-14:2026-06-30"] == "Action 2.1 Knife crime workshops: due 30 June 2026"
    assert titles["overdue-1:2026-06-30"] == "Action 2.1 Knife crime workshops: was due 30 June 2026"
    assert set(Reminder.objects.values_list("item", "path", "due_on")) == {
        (f"action:{action.pk}", reverse("actionplans:action", args=[action.pk]), on("2026-06-30"))
    }


@pytest.mark.parametrize("status", ["not_started", "in_progress", "deferred"])
def test_open_actions_are_reminded(action: Action, status: str) -> None:
    Action.objects.filter(pk=action.pk).update(status=status)
    run([on("2026-06-16")])
    assert reminded(K.ACTION_DUE) == {(POLICE, K.ACTION_DUE, "before-14:2026-06-30", on("2026-06-16"))}


@pytest.mark.parametrize("status", ["complete", "cancelled"])
def test_no_reminders_for_completed_or_cancelled_actions(action: Action, status: str) -> None:
    Action.objects.filter(pk=action.pk).update(status=status)
    run([on("2026-06-16"), on("2026-06-30"), on("2026-07-01"), on("2026-07-07")])
    assert not Reminder.objects.exists()


def test_no_reminders_for_actions_of_a_closed_action_plan(action: Action) -> None:
    type(action.action_plan).objects.filter(pk=action.action_plan_id).update(status="closed")
    run([on("2026-06-16"), on("2026-06-30"), on("2026-07-07")])
    assert not Reminder.objects.exists()


def test_a_lead_officer_who_left_the_partnership_gets_nothing_but_managers_still_hear(
    personas: Personas, action: Action
) -> None:
    end_role(personas.police_officer, Role.PARTNER_OFFICER, "2026-06-10")
    run(every_day("2026-06-09", "2026-07-08"))
    assert people(K.ACTION_DUE) == set()
    assert reminded(K.ACTION_OVERDUE_COPY) == {
        (MANAGER, K.ACTION_OVERDUE_COPY, "before-0:2026-06-30", on("2026-07-01")),
        (MANAGER, K.ACTION_OVERDUE_COPY, "overdue-1:2026-06-30", on("2026-07-07")),
    }


def test_the_role_counts_until_its_last_day(personas: Personas, action: Action) -> None:
    end_role(personas.police_officer, Role.PARTNER_OFFICER, "2026-06-16")
    run([on("2026-06-16"), on("2026-06-30")])
    assert reminded(K.ACTION_DUE) == {(POLICE, K.ACTION_DUE, "before-14:2026-06-30", on("2026-06-16"))}


def test_a_switched_off_account_gets_nothing(personas: Personas, action: Action) -> None:
    switch_off(personas.police_officer)
    switch_off(personas.manager)
    run([on("2026-06-16"), on("2026-06-30"), on("2026-07-07")])
    assert not Reminder.objects.exists()


def test_a_lead_officer_of_another_partnership_gets_nothing(personas: Personas, action: Action) -> None:
    Action.objects.filter(pk=action.pk).update(lead_officer=personas.outsider)
    run([on("2026-06-16"), on("2026-06-30")])
    assert not Reminder.objects.exists()


def test_managers_who_left_get_no_overdue_copy(personas: Personas, action: Action) -> None:
    former = UserFactory(email="former.manager@example.org")
    RoleFactory(person=former, partnership=personas.csp, organisation=personas.council, role=Role.MANAGER)
    end_role(former, Role.MANAGER, "2026-06-30")
    run([on("2026-07-07")])
    assert people(K.ACTION_OVERDUE_COPY) == {MANAGER}


def test_the_manager_leading_an_action_gets_one_reminder_not_a_copy_as_well(personas: Personas, action: Action) -> None:
    Action.objects.filter(pk=action.pk).update(lead_officer=personas.manager)
    run([on("2026-07-07")])
    assert reminded(K.ACTION_DUE, K.ACTION_OVERDUE_COPY) == {
        (MANAGER, K.ACTION_DUE, "overdue-1:2026-06-30", on("2026-07-07"))
    }


# --- Quarterly update: lead officers with no update this quarter; 10 working days before and at the end ---


@pytest.fixture
def quarter_actions(personas: Personas) -> dict[str, Action]:
    """Three actions due next year: the police one last updated in the previous quarter, the council one
    updated this quarter, and a completed one never updated."""
    plan = ActionPlanFactory(partnership=personas.csp)

    def make(officer: User, **fields: object) -> Action:
        return ActionFactory(  # type: ignore[no-any-return]
            action_plan=plan, lead_officer=officer, due_date=on("2027-03-31"), **fields
        )

    return {
        "stale": make(personas.police_officer, reference="1.1", last_update_on=on("2026-03-20")),
        "fresh": make(personas.council_officer, reference="1.2", last_update_on=on("2026-04-20")),
        "done": make(personas.council_officer, reference="1.3", status="complete"),
    }


def test_quarterly_update_reminds_officers_without_an_update_this_quarter(
    quarter_actions: dict[str, Action],
) -> None:
    # The June quarter ends on Tuesday 30 June 2026; 10 working days before is Tuesday 16 June.
    run(every_day("2026-06-12", "2026-07-03"))
    assert reminded(K.QUARTER_UPDATE) == {
        (POLICE, K.QUARTER_UPDATE, "quarter-10wd:2026-04-01", on("2026-06-16")),
        (POLICE, K.QUARTER_UPDATE, "quarter-0wd:2026-04-01", on("2026-06-30")),
    }
    reminder = Reminder.objects.get(kind=K.QUARTER_UPDATE, window__startswith="quarter-10wd")
    assert reminder.item == f"action:{quarter_actions['stale'].pk}"
    assert reminder.due_on == on("2026-06-30")
    assert reminder.title.endswith("no progress update yet this quarter (ends 30 June 2026)")


def test_quarterly_update_never_updated_action_is_reminded(personas: Personas) -> None:
    ActionFactory(
        action_plan=ActionPlanFactory(partnership=personas.csp),
        lead_officer=personas.council_officer,
        due_date=on("2027-03-31"),
    )
    run([on("2026-09-16"), on("2026-09-30")])
    assert reminded(K.QUARTER_UPDATE) == {
        (COUNCIL, K.QUARTER_UPDATE, "quarter-10wd:2026-07-01", on("2026-09-16")),
        (COUNCIL, K.QUARTER_UPDATE, "quarter-0wd:2026-07-01", on("2026-09-30")),
    }


def test_quarterly_update_skips_officers_who_left_and_closed_plans(
    personas: Personas, quarter_actions: dict[str, Action]
) -> None:
    end_role(personas.police_officer, Role.PARTNER_OFFICER, "2026-06-01")
    run([on("2026-06-16")])
    assert not Reminder.objects.filter(kind=K.QUARTER_UPDATE).exists()
    Action.objects.filter(pk=quarter_actions["stale"].pk).update(lead_officer=personas.council_officer)
    type(quarter_actions["stale"].action_plan).objects.update(status="closed")
    run([on("2026-06-30")])
    assert not Reminder.objects.filter(kind=K.QUARTER_UPDATE).exists()


# --- Milestone due: 7 days before ---------------------------------------------------------------------------


def test_milestone_due_reminds_the_lead_officer_seven_days_before(personas: Personas) -> None:
    plan = ActionPlanFactory(partnership=personas.csp)
    action = ActionFactory(
        action_plan=plan,
        reference="3.1",
        lead_officer=personas.police_officer,
        due_date=on("2027-03-31"),
        last_update_on=on("2026-06-01"),
    )
    milestone = MilestoneFactory(action=action, title="Pilot in two schools", due_date=on("2026-06-30"))
    MilestoneFactory(action=action, title="Already done", due_date=on("2026-06-30"), done_on=on("2026-06-01"))
    completed = ActionFactory(
        action_plan=plan, lead_officer=personas.council_officer, due_date=on("2027-03-31"), status="complete"
    )
    MilestoneFactory(action=completed, due_date=on("2026-06-30"))
    closed = ActionFactory(
        action_plan=ActionPlanFactory(partnership=personas.csp, status="closed"),
        lead_officer=personas.council_officer,
        due_date=on("2027-03-31"),
    )
    MilestoneFactory(action=closed, due_date=on("2026-06-30"))

    run(every_day("2026-06-20", "2026-07-10"))
    assert reminded(K.MILESTONE_DUE) == {(POLICE, K.MILESTONE_DUE, "before-7:2026-06-30", on("2026-06-23"))}
    reminder = Reminder.objects.get(kind=K.MILESTONE_DUE)
    assert reminder.item == f"milestone:{milestone.pk}"
    assert reminder.title == "Milestone of action 3.1: Pilot in two schools, due 30 June 2026"
    assert reminder.path == reverse("actionplans:action", args=[action.pk])


def test_milestone_of_a_lead_officer_who_left_is_not_reminded(personas: Personas) -> None:
    action = ActionFactory(
        action_plan=ActionPlanFactory(partnership=personas.csp),
        lead_officer=personas.police_officer,
        due_date=on("2027-03-31"),
    )
    MilestoneFactory(action=action, due_date=on("2026-06-30"))
    end_role(personas.police_officer, Role.PARTNER_OFFICER, "2026-06-22")
    run([on("2026-06-23")])
    assert not Reminder.objects.filter(kind=K.MILESTONE_DUE).exists()


# --- Annual plan review: managers and chair, 60 and 30 days before the end of the plan year ---------------


@pytest.fixture
def adopted_plan(personas: Personas) -> PartnershipPlan:
    """Riverton's 2025–2028 plan: the 2025/26 review is due by 31 March 2026."""
    return PlanFactory(  # type: ignore[no-any-return]
        partnership=personas.csp,
        title="Safer Riverton 2025-2028",
        start_year=2025,
        end_year=2028,
        status="adopted",
        adopted_on=on("2025-06-01"),
        adopted_by_body="Full Council",
    )


def test_plan_review_reminds_managers_and_chair_60_and_30_days_before(adopted_plan: PartnershipPlan) -> None:
    run(every_day("2026-01-28", "2026-04-02"))
    expected = {
        (person, K.PLAN_REVIEW, window, planned)
        for person in (MANAGER, CHAIR)
        for window, planned in (("before-60:2026-03-31", on("2026-01-30")), ("before-30:2026-03-31", on("2026-03-01")))
    }
    assert reminded(K.PLAN_REVIEW) == expected
    reminder = Reminder.objects.filter(kind=K.PLAN_REVIEW).first()
    assert reminder is not None
    assert reminder.item == f"plan:{adopted_plan.pk}:2025"
    assert reminder.title == "Annual review of Safer Riverton 2025-2028 for 2025/26: due by 31 March 2026"
    assert reminder.path == reverse("priorities:plan", args=[adopted_plan.pk])


def test_no_plan_review_reminder_once_the_year_is_reviewed(adopted_plan: PartnershipPlan) -> None:
    PlanReview.objects.create(plan=adopted_plan, year=2025, reviewed_on=on("2026-01-15"), summary="Done early")
    run([on("2026-01-30"), on("2026-03-01")])
    assert not Reminder.objects.filter(kind=K.PLAN_REVIEW).exists()


@pytest.mark.parametrize("status", ["draft", "consultation"])
def test_no_plan_review_reminder_for_plans_not_adopted(personas: Personas, status: str) -> None:
    PlanFactory(partnership=personas.csp, start_year=2025, end_year=2028, status=status)
    run([on("2026-01-30"), on("2026-03-01")])
    assert not Reminder.objects.exists()


def test_plan_review_not_to_a_chair_who_left_or_a_switched_off_manager(
    personas: Personas, adopted_plan: PartnershipPlan
) -> None:
    end_role(personas.chair, Role.CHAIR, "2026-02-01")
    run([on("2026-01-30")])
    switch_off(personas.manager)
    run([on("2026-03-01")])
    assert reminded(K.PLAN_REVIEW) == {
        (MANAGER, K.PLAN_REVIEW, "before-60:2026-03-31", on("2026-01-30")),
        (CHAIR, K.PLAN_REVIEW, "before-60:2026-03-31", on("2026-01-30")),
    }


# --- Next strategic assessment: managers, 90 days before a year has passed since the last approval -------


def assessment(personas: Personas, year: int, **fields: object) -> StrategicAssessment:
    return StrategicAssessment.objects.create(  # type: ignore[no-any-return]
        partnership=personas.csp,
        year=year,
        title=f"Strategic assessment {year}",
        period_start=date(year - 1, 10, 1),
        period_end=date(year, 9, 1),
        **fields,
    )


@pytest.fixture
def approved(personas: Personas) -> StrategicAssessment:
    """Approved on 15 September 2025: the next is due by 15 September 2026, 90 days after 17 June."""
    return assessment(
        personas, 2025, status="approved", approved_at=datetime(2025, 9, 15, 12, tzinfo=LONDON), approved_by=None
    )


def test_assessment_due_reminds_managers_90_days_before(personas: Personas, approved: StrategicAssessment) -> None:
    run([*every_day("2026-06-15", "2026-06-20"), on("2026-09-15"), on("2026-09-16")])
    assert reminded(K.ASSESSMENT_DUE) == {(MANAGER, K.ASSESSMENT_DUE, "before-90:2026-09-15", on("2026-06-17"))}
    reminder = Reminder.objects.get()
    assert reminder.item == f"assessment:{personas.csp.pk}:2025"
    assert reminder.path == reverse("priorities:assessments", args=[personas.csp.slug])
    assert "15 September 2026" in reminder.title


def test_no_assessment_reminder_once_the_next_is_being_written(
    personas: Personas, approved: StrategicAssessment
) -> None:
    assessment(personas, 2026)
    run([on("2026-06-17")])
    assert not Reminder.objects.exists()


def test_no_assessment_reminder_to_a_manager_who_left(personas: Personas, approved: StrategicAssessment) -> None:
    end_role(personas.manager, Role.MANAGER, "2026-06-01")
    run([on("2026-06-17")])
    assert not Reminder.objects.exists()


# --- Review deadlines: the review lead(s), chair and coordinators ------------------------------------------


@pytest.fixture
def dhr(personas: Personas) -> Review:
    """A review in Riverton notified on 2 March 2026 (decision due 2 April), with a coordinator and an
    agency representative on its panel. Riverton has no review lead role, so its manager leads reviews."""
    review = ReviewFactory(
        partnership=personas.csp,
        reference="DHR 2026/07",
        victim_pseudonym="Adult Q",
        perpetrator_pseudonym="Adult R",
        notified_on=on("2026-03-02"),
        scoping_started_on=on("2026-03-05"),
    )
    coordinator = UserFactory(email=COORDINATOR)
    PanelMemberFactory(review=review, person=coordinator, panel_role=PanelRole.COORDINATOR)
    member = UserFactory(email=PANEL_MEMBER)
    RoleFactory(person=member, partnership=personas.csp, organisation=personas.police, role=Role.PARTNER_OFFICER)
    PanelMemberFactory(review=review, person=member, organisation=personas.police, panel_role=PanelRole.AGENCY)
    return review  # type: ignore[no-any-return]


DECISION_WINDOWS = (
    ("before-14:2026-04-02", on("2026-03-19")),
    ("before-7:2026-04-02", on("2026-03-26")),
    ("before-0:2026-04-02", on("2026-04-02")),
    ("overdue-1:2026-04-02", on("2026-04-09")),
)


def test_review_decision_deadline_reminds_lead_chair_and_coordinator_only(dhr: Review) -> None:
    run(every_day("2026-03-10", "2026-04-12"))
    assert reminded(K.REVIEW_DEADLINE) == {
        (person, K.REVIEW_DEADLINE, window, planned)
        for person in (MANAGER, CHAIR, COORDINATOR)
        for window, planned in DECISION_WINDOWS
    }
    titles = set(Reminder.objects.values_list("title", flat=True))
    assert "DHR 2026/07: Decision whether to hold a review, due in 14 days" in titles
    assert "DHR 2026/07: Decision whether to hold a review, overdue by 7 days" in titles
    for title in titles:
        assert "DHR 2026/07" in title
        assert "Adult Q" not in title
        assert "Adult R" not in title
    assert set(Reminder.objects.values_list("path", flat=True)) == {reverse("reviews:review", args=[dhr.pk])}


def test_review_deadlines_go_to_the_review_lead_instead_of_the_managers(personas: Personas, dhr: Review) -> None:
    lead = UserFactory(email="review.lead@example.org")
    RoleFactory(person=lead, partnership=personas.csp, organisation=personas.council, role=Role.REVIEW_LEAD)
    run([on("2026-03-19")])
    assert people(K.REVIEW_DEADLINE) == {"review.lead@example.org", CHAIR, COORDINATOR}


def test_review_deadlines_home_office_imr_and_completion(personas: Personas, dhr: Review) -> None:
    ReviewRules.objects.create(partnership=personas.csp, home_office_days=14)
    Review.objects.filter(pk=dhr.pk).update(stage=Stage.DECIDED, decision=Decision.HOLD, decided_on=on("2026-04-01"))
    AgencyFactory(
        review=dhr, organisation=personas.police, imr_requested_on=on("2026-04-10"), imr_due_on=on("2026-05-20")
    )
    home_office = "Home Office notified of the decision"
    imr = "Individual management review from Shire Police"
    completion = "Submitted for Home Office quality assurance"
    expected = {
        on("2026-04-01"): {home_office: "before-14:2026-04-15"},
        on("2026-05-06"): {home_office: "overdue-3:2026-04-15", imr: "before-14:2026-05-20"},
        on("2026-09-17"): {
            home_office: "overdue-22:2026-04-15",
            imr: "overdue-17:2026-05-20",
            completion: "before-14:2026-10-01",
        },
    }
    for day, windows in expected.items():
        run([day])
        rows = Reminder.objects.filter(kind=K.REVIEW_DEADLINE, planned_for=day)
        found = {
            (title.split(": ", 1)[1].rsplit(", ", 1)[0], window)
            for title, window in rows.values_list("title", "window")
        }
        assert found == set(windows.items()), day
        assert set(rows.values_list("recipient__email", flat=True)) == {MANAGER, CHAIR, COORDINATOR}
    # The decision was made on time: nothing about it, ever.
    assert not Reminder.objects.filter(title__contains="Decision whether").exists()


def test_no_review_deadline_reminders_while_paused(dhr: Review) -> None:
    Pause.objects.create(review=dhr, reason=PauseReason.CRIMINAL_TRIAL, started_on=on("2026-03-10"))
    run([on("2026-03-19"), on("2026-04-02"), on("2026-04-09")])
    assert not Reminder.objects.exists()
    Pause.objects.filter(review=dhr).update(ended_on=on("2026-04-10"))
    run([on("2026-04-16")])
    assert people(K.REVIEW_DEADLINE) == {MANAGER, CHAIR, COORDINATOR}


def test_no_review_deadline_reminders_for_closed_reviews(dhr: Review) -> None:
    Review.objects.filter(pk=dhr.pk).update(stage=Stage.CLOSED, closed_on=on("2026-03-15"))
    run([on("2026-03-19"), on("2026-04-02"), on("2026-04-09")])
    assert not Reminder.objects.exists()


def test_review_deadlines_skip_people_who_left(personas: Personas, dhr: Review) -> None:
    end_role(personas.chair, Role.CHAIR, "2026-03-01")
    switch_off(personas.manager)
    dhr.panel.filter(panel_role=PanelRole.COORDINATOR).update(ended_on=on("2026-03-15"))
    run([on("2026-03-19")])
    assert not Reminder.objects.exists()


# --- Recommendation due: its lead officer, if they can open the review ----------------------------------


@pytest.fixture
def recommendation(dhr: Review) -> Recommendation:
    """Recommendation 4 of DHR 2026/07, due 31 July 2026, led by the agency representative on the panel."""
    return RecommendationFactory(  # type: ignore[no-any-return]
        review=dhr, number="4", lead_officer=User.objects.get(email=PANEL_MEMBER), target_date=on("2026-07-31")
    )


def test_recommendation_due_reminds_its_lead_officer(dhr: Review, recommendation: Recommendation) -> None:
    run(every_day("2026-07-15", "2026-08-15"))
    assert reminded(K.RECOMMENDATION_DUE) == {
        (PANEL_MEMBER, K.RECOMMENDATION_DUE, "before-14:2026-07-31", on("2026-07-17")),
        (PANEL_MEMBER, K.RECOMMENDATION_DUE, "before-0:2026-07-31", on("2026-07-31")),
        (PANEL_MEMBER, K.RECOMMENDATION_DUE, "overdue-1:2026-07-31", on("2026-08-07")),
        (PANEL_MEMBER, K.RECOMMENDATION_DUE, "overdue-2:2026-07-31", on("2026-08-14")),
    }
    reminder = Reminder.objects.filter(kind=K.RECOMMENDATION_DUE).first()
    assert reminder is not None
    assert reminder.title == "DHR 2026/07: recommendation 4, target date 31 July 2026"
    assert reminder.path == reverse("reviews:recommendation", kwargs={"pk": dhr.pk, "rec_pk": recommendation.pk})


@pytest.mark.parametrize("status", ["completed", "superseded", "not_accepted"])
def test_no_recommendation_reminder_once_it_is_not_open(recommendation: Recommendation, status: str) -> None:
    Recommendation.objects.filter(pk=recommendation.pk).update(
        status=status, status_reason="Overtaken by events", completed_on=on("2026-07-01")
    )
    run([on("2026-07-17"), on("2026-07-31")])
    assert not Reminder.objects.filter(kind=K.RECOMMENDATION_DUE).exists()


def test_recommendation_reminders_only_to_officers_who_can_open_the_review(
    personas: Personas, dhr: Review, recommendation: Recommendation
) -> None:
    # A partner officer not on the panel cannot open the review: no reminder of it.
    Recommendation.objects.filter(pk=recommendation.pk).update(lead_officer=personas.police_officer)
    run([on("2026-07-17")])
    assert not Reminder.objects.filter(kind=K.RECOMMENDATION_DUE).exists()
    # The chair can.
    Recommendation.objects.filter(pk=recommendation.pk).update(lead_officer=personas.chair)
    run([on("2026-07-31")])
    assert people(K.RECOMMENDATION_DUE) == {CHAIR}


def test_no_recommendation_reminder_after_leaving_the_panel_or_closing(
    dhr: Review, recommendation: Recommendation
) -> None:
    dhr.panel.filter(person__email=PANEL_MEMBER).update(ended_on=on("2026-07-01"))
    run([on("2026-07-17")])
    assert not Reminder.objects.filter(kind=K.RECOMMENDATION_DUE).exists()
    dhr.panel.filter(person__email=PANEL_MEMBER).update(ended_on=None)
    Review.objects.filter(pk=dhr.pk).update(stage=Stage.CLOSED, closed_on=on("2026-07-20"))
    run([on("2026-07-31")])
    assert not Reminder.objects.filter(kind=K.RECOMMENDATION_DUE).exists()
    Review.objects.filter(pk=dhr.pk).update(stage=Stage.SCOPING, closed_on=None)
    switch_off(User.objects.get(email=PANEL_MEMBER))
    run([on("2026-08-07")])
    assert not Reminder.objects.filter(kind=K.RECOMMENDATION_DUE).exists()


# --- Per-partnership offsets ----------------------------------------------------------------------------


def test_partnership_offsets_change_the_action_days_for_that_partnership_only(
    personas: Personas, action: Action
) -> None:
    ReminderOffsets.objects.create(
        partnership=personas.csp, kind=K.ACTION_DUE, days_before=[30, 7], weekly_when_overdue=False
    )
    other = UserFactory(email="hillford.officer@example.org")
    RoleFactory(person=other, partnership=personas.other_csp, organisation=personas.police)
    ActionFactory(
        action_plan=ActionPlanFactory(partnership=personas.other_csp),
        lead_officer=other,
        due_date=on("2026-06-30"),
    )
    run(every_day("2026-05-25", "2026-07-10"))
    assert reminded(K.ACTION_DUE, K.ACTION_OVERDUE_COPY) == {
        (POLICE, K.ACTION_DUE, "before-30:2026-06-30", on("2026-05-31")),
        (POLICE, K.ACTION_DUE, "before-7:2026-06-30", on("2026-06-23")),
        ("hillford.officer@example.org", K.ACTION_DUE, "before-14:2026-06-30", on("2026-06-16")),
        ("hillford.officer@example.org", K.ACTION_DUE, "before-0:2026-06-30", on("2026-06-30")),
        ("outsider@example.org", K.ACTION_OVERDUE_COPY, "before-0:2026-06-30", on("2026-07-01")),
        ("hillford.officer@example.org", K.ACTION_DUE, "overdue-1:2026-06-30", on("2026-07-07")),
        ("outsider@example.org", K.ACTION_OVERDUE_COPY, "overdue-1:2026-06-30", on("2026-07-07")),
    }


def test_partnership_offsets_change_the_quarterly_and_review_days(
    personas: Personas, quarter_actions: dict[str, Action], dhr: Review
) -> None:
    ReminderOffsets.objects.create(partnership=personas.csp, kind=K.QUARTER_UPDATE, days_before=[5])
    ReminderOffsets.objects.create(partnership=personas.csp, kind=K.REVIEW_DEADLINE, days_before=[21])
    run(every_day("2026-03-01", "2026-04-20"))
    assert reminded(K.REVIEW_DEADLINE) == {
        (person, K.REVIEW_DEADLINE, "before-21:2026-04-02", on("2026-03-12"))
        for person in (MANAGER, CHAIR, COORDINATOR)
    }
    run(every_day("2026-06-15", "2026-07-01"))
    # 5 working days before Tuesday 30 June is Tuesday 23 June; no reminder on the day itself.
    assert reminded(K.QUARTER_UPDATE) == {(POLICE, K.QUARTER_UPDATE, "quarter-5wd:2026-04-01", on("2026-06-23"))}


# --- Opt-outs: the non-statutory kinds only ---------------------------------------------------------------


def test_statutory_kinds() -> None:
    assert {K.PLAN_REVIEW, K.ASSESSMENT_DUE, K.REVIEW_DEADLINE, K.ANNUAL_REPORT} == planner.STATUTORY


def test_opt_outs_stop_non_statutory_kinds(
    personas: Personas, action: Action, quarter_actions: dict[str, Action], recommendation: Recommendation
) -> None:
    MilestoneFactory(action=action, due_date=on("2026-06-25"))
    member = User.objects.get(email=PANEL_MEMBER)
    for person, kind in (
        (personas.police_officer, K.ACTION_DUE),
        (personas.police_officer, K.QUARTER_UPDATE),
        (personas.police_officer, K.MILESTONE_DUE),
        (personas.manager, K.ACTION_OVERDUE_COPY),
        (member, K.RECOMMENDATION_DUE),
    ):
        ReminderOptOut.objects.create(person=person, kind=kind)
    run([on("2026-06-16"), on("2026-06-18"), on("2026-06-30"), on("2026-07-07"), on("2026-07-17")])
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert kinds == {K.REVIEW_DEADLINE}  # only the review's decision, overdue since April


def test_opt_outs_do_not_stop_statutory_kinds(
    personas: Personas, adopted_plan: PartnershipPlan, approved: StrategicAssessment, dhr: Review
) -> None:
    for person in (personas.manager, personas.chair):
        for kind in planner.STATUTORY:
            ReminderOptOut.objects.create(person=person, kind=kind)
    run([on("2026-01-30"), on("2026-03-19"), on("2026-06-17")])
    assert {(email, kind) for email, kind, _, _ in reminded(*planner.STATUTORY)} >= {
        (MANAGER, K.PLAN_REVIEW),
        (CHAIR, K.PLAN_REVIEW),
        (MANAGER, K.REVIEW_DEADLINE),
        (CHAIR, K.REVIEW_DEADLINE),
        (MANAGER, K.ASSESSMENT_DUE),
    }
