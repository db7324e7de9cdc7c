"""The action plan services' rules, and the selectors' flags and history."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from actionplans import selectors, services
from actionplans.models import Action, ActionPlan, ProgressUpdate
from tests.actionplans.conftest import QUARTER_START, TODAY, World, fields
from tests.conftest import Personas
from tests.factories import ActionFactory, MeasureFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def _record(action: Action, actor, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "reported_on": TODAY,
        "rag": "amber",
        "narrative": "Slipping but recoverable",
        "percent_complete": 30,
        "status": "in_progress",
    }
    values.update(overrides)
    return services.action_record_progress(actor=actor, action=action, version=action.version, **values)


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}


# --- Actions ---------------------------------------------------------------------------------------------


def test_an_action_needs_members_of_the_partnership_and_the_plans_own_priorities_and_measures(
    personas: Personas, world: World
):
    other_plan = PlanFactory(partnership=personas.other_csp)
    foreign_priority = PriorityFactory(plan=other_plan)
    foreign_measure = MeasureFactory(priority=foreign_priority, name="Hillford burglary")
    outsider_org = personas.outsider.role_assignments.get().organisation
    with pytest.raises(ValidationError) as refused:
        services.action_create(
            actor=personas.manager,
            action_plan=world.action_plan,
            fields=fields(
                personas,
                reference="1.1",
                priority=foreign_priority,
                lead_organisation=outsider_org,
                lead_officer=personas.police_officer,
                supporting_organisations=(outsider_org,),
                outcome_measures=(foreign_measure,),
                start_date=date(2025, 5, 1),
                due_date=date(2025, 4, 1),
            ),
        )
    assert _messages(refused.value) == {
        "reference": ["The action plan already has an action 1.1"],
        "due_date": ["The due date must be on or after the start date"],
        "priority": ["Choose a priority of the action plan's partnership plan"],
        "lead_organisation": ["Hillford District Council is not a member of the partnership"],
        "supporting_organisations": ["Not members of the partnership: Hillford District Council"],
        "lead_officer": ["Polly Police does not represent Hillford District Council in the partnership"],
        "outcome_measures": ["Not measures of the action plan's partnership plan: Hillford burglary"],
    }
    assert Action.objects.count() == 2


def test_changing_an_action_raises_its_version_and_refuses_a_stale_one(personas: Personas, world: World):
    action = world.police_action
    changed = services.action_update(
        actor=personas.manager,
        action=action,
        version=1,
        fields=fields(personas, reference="1.1", priority=world.priority, title="Patrol every night"),
    )
    assert (changed.title, changed.version) == ("Patrol every night", 2)
    with pytest.raises(services.StaleEdit) as stale:
        services.action_update(
            actor=personas.admin, action=action, version=1, fields=fields(personas, reference="1.1", title="Mine")
        )
    assert stale.value.current.title == "Patrol every night"
    action.refresh_from_db()
    assert action.title == "Patrol every night"


# --- Progress -------------------------------------------------------------------------------------------------


def test_progress_sets_the_actions_rag_percentage_status_and_last_update(personas: Personas, world: World):
    action = world.police_action
    update = _record(action, personas.police_officer, rag="red", percent_complete=20, status="deferred")
    action.refresh_from_db()
    assert (action.rag, action.percent_complete, action.status, action.last_update_on, action.version) == (
        "red",
        20,
        "deferred",
        TODAY,
        2,
    )
    assert (update.author, update.rag) == (personas.police_officer, "red")


def test_a_late_entered_older_update_does_not_replace_the_latest_figures(personas: Personas, world: World):
    action = world.police_action
    _record(action, personas.police_officer, rag="green", percent_complete=60)
    _record(action, personas.police_officer, reported_on=date(2025, 1, 5), rag="red", percent_complete=10)
    action.refresh_from_db()
    assert (action.rag, action.percent_complete, action.last_update_on) == ("green", 60, TODAY)
    assert [u.rag for u in selectors.action_timeline(action)] == ["green", "red"]


def test_progress_is_refused_from_a_stale_form_and_nothing_is_recorded(personas: Personas, world: World):
    action = world.police_action
    _record(action, personas.police_officer)
    stale_copy = Action.objects.get(pk=action.pk)
    stale_copy.version = 1
    with pytest.raises(services.StaleEdit) as stale:
        _record(stale_copy, personas.manager, rag="red")
    assert stale.value.current.rag == "amber"
    assert ProgressUpdate.objects.count() == 1


def test_progress_rules_name_their_fields(personas: Personas, world: World):
    with pytest.raises(ValidationError) as refused:
        _record(
            world.police_action,
            personas.police_officer,
            reported_on=date(2025, 2, 11),
            rag="purple",
            narrative="  ",
            percent_complete=101,
            status="lost",
            evidence_links="ftp://example.org/file",
        )
    assert set(refused.value.message_dict) == {
        "reported_on",
        "rag",
        "narrative",
        "percent_complete",
        "status",
        "evidence_links",
    }


def test_a_closed_plan_takes_no_more_progress_milestones_or_budget(personas: Personas, world: World):
    world.action_plan.status = "closed"
    world.action_plan.save()
    action = Action.objects.get(pk=world.police_action.pk)
    for attempt in (
        lambda: _record(action, personas.police_officer),
        lambda: services.milestone_save(
            actor=personas.manager, action=action, milestone=None, title="M", due_date=TODAY, done_on=None
        ),
        lambda: services.budget_line_save(
            actor=personas.manager, action=action, line=None, source="pcc", grant_name="", amount=1, spent_to_date=0
        ),
    ):
        with pytest.raises(ValidationError, match="This action plan is closed"):
            attempt()


# --- Plans ------------------------------------------------------------------------------------------------------


def test_a_plan_goes_from_draft_to_agreed_to_closed_and_no_other_way(personas: Personas, world: World):
    draft = services.action_plan_create(
        actor=personas.manager,
        partnership=personas.csp,
        title="  Next plan ",
        period_start=date(2027, 4, 1),
        period_end=date(2030, 3, 31),
    )
    assert (draft.title, draft.status) == ("Next plan", "draft")
    with pytest.raises(ValidationError, match="Only an agreed action plan can be closed"):
        services.action_plan_close(actor=personas.manager, action_plan=draft)
    agreed = services.action_plan_agree(
        actor=personas.manager, action_plan=draft, agreed_on=TODAY, agreed_by="Strategic Board"
    )
    assert agreed.status == "agreed"
    with pytest.raises(ValidationError, match="Only a draft action plan can be agreed"):
        services.action_plan_agree(actor=personas.manager, action_plan=draft, agreed_on=TODAY, agreed_by="Board")
    assert services.action_plan_close(actor=personas.manager, action_plan=draft).status == "closed"
    assert ActionPlan.objects.get(pk=draft.pk).version == 3


# --- Flags ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "last_update", "rag", "expected"),
    [
        # Open, due later, reported this quarter: no flags, its own RAG.
        ("in_progress", date(2025, 6, 1), QUARTER_START, "green", (False, False, "green")),
        # Reported in the last quarter only: needs an update this quarter.
        ("in_progress", date(2025, 6, 1), date(2024, 12, 31), "green", (False, True, "green")),
        # Past its due date and not finished: overdue.
        ("deferred", date(2025, 2, 9), TODAY, "amber", (True, False, "amber")),
        # Due today is not overdue yet.
        ("not_started", TODAY, None, "", (False, True, "grey")),
        # Complete shows blue and is never flagged; cancelled is not flagged either.
        ("complete", date(2024, 1, 1), None, "green", (False, False, "blue")),
        ("cancelled", date(2024, 1, 1), None, "", (False, False, "grey")),
    ],
)
def test_flags_and_display_rag(personas: Personas, world: World, status, due, last_update, rag, expected):  # type: ignore[no-untyped-def]
    action = ActionFactory(
        action_plan=world.action_plan,
        lead_organisation=personas.police,
        start_date=date(2023, 1, 1),
        status=status,
        due_date=due,
        last_update_on=last_update,
        rag=rag,
    )
    row = selectors.with_flags(Action.objects.filter(pk=action.pk)).get()
    assert (row.is_overdue, row.needs_update, row.display_rag) == expected
    detail = selectors.action_detail(action)
    assert (detail.is_overdue, detail.needs_update, detail.display_rag) == expected


def test_quarters_begin_in_january_april_july_and_october():
    assert [selectors.quarter_start(date(2025, m, 15)).month for m in range(1, 13)] == [1] * 3 + [4] * 3 + [7] * 3 + [
        10
    ] * 3


def test_rag_counts_count_each_display_rag(personas: Personas, world: World):
    _record(world.police_action, personas.police_officer, rag="red")
    ActionFactory(action_plan=world.action_plan, lead_organisation=personas.police, status="complete")
    counts = selectors.rag_counts(selectors.actions_for_plan(world.action_plan, selectors.ActionFilters()))
    assert counts == {"red": 1, "amber": 0, "green": 0, "blue": 1, "grey": 1}


def test_my_actions_for_leads_pairs_each_organisation_with_its_partnership(personas: Personas, world: World):
    mine = selectors.my_actions_for_leads(
        {(personas.csp.pk, personas.police.pk), (personas.other_csp.pk, personas.council.pk)}
    )
    assert [a.reference for a in mine] == ["1.1"]
    assert list(selectors.my_actions_for_leads(set())) == []


# --- History ------------------------------------------------------------------------------------------------------


def test_history_pairs_records_in_memory_and_merges_one_saves_records(
    personas: Personas, world: World, django_assert_max_num_queries
):
    action = world.police_action
    for n in range(5):
        action.refresh_from_db()
        _record(action, personas.police_officer, percent_complete=10 * n)
    with django_assert_max_num_queries(10):
        entries = selectors.action_history(action, show_people=True)
    created = [e for e in entries if e.action == "Added" and e.subject.startswith("action")]
    # The action, its supporting organisation and its measure: one entry for the one save.
    assert len(created) == 1
    assert created[0].who == "Mina Manager"
    assert "Supporting organisations added: Riverton Borough Council" in created[0].changes
    assert len([e for e in entries if e.subject.startswith("progress update")]) == 5
    hidden = selectors.action_history(action, show_people=False)
    assert {e.who for e in hidden} == {""}
