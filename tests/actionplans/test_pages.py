"""The action plan pages: what each shows, their forms (errors and saves), filters, sorting and "My actions".

Who may open each URL is in url_rules.py (the project's URL walk); refusals specific to action plans are
in test_permissions.py.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from actionplans import services
from actionplans.models import Action, ActionPlan, BudgetLine, Milestone, ProgressUpdate
from tests.actionplans.conftest import World, fields, progress
from tests.conftest import Personas
from tests.factories import ActionFactory, ActionPlanFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's visible text, tags dropped and spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip())


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The error summary's messages, in order."""
    summary = response.content.decode().split("govuk-error-summary__list", 1)
    if len(summary) < 2:
        return []
    items = summary[1].split("</ul>", 1)[0]
    return [html.unescape(re.sub(r"\s+", " ", m).strip()) for m in re.findall(r"<a [^>]*>(.*?)</a>", items, re.S)]


# --- A partnership's action plans ---------------------------------------------------------------------


def test_partnership_page_links_to_action_plans_for_their_readers(client, personas: Personas):
    url = reverse("partnerships:detail", args=[personas.csp.slug])
    client.force_login(personas.scrutiny)
    assert "Action plans" in _text(client.get(url))
    client.force_login(personas.county_member)
    assert "Action plans" not in _text(client.get(url))


def test_list_shows_the_partnerships_plans_and_a_start_button_for_managers(client, personas: Personas, world: World):
    ActionPlanFactory(partnership=personas.other_csp, title="Hillford action plan")
    url = reverse("actionplans:plans", args=[personas.csp.slug])
    client.force_login(personas.manager)
    text = _text(client.get(url))
    assert "Riverton Community Safety Action Plan 2024 to 2027" in text
    assert "Hillford action plan" not in text
    assert "Start an action plan" in text
    client.force_login(personas.police_officer)
    assert "Start an action plan" not in _text(client.get(url))


def test_starting_a_plan_empty_shows_each_missing_answer_and_saves_nothing(client, personas: Personas, world: World):
    client.force_login(personas.manager)
    response = client.post(reverse("actionplans:plan_create", args=[personas.csp.slug]), {})
    assert response.status_code == 400
    assert _errors(response) == ["Enter a title", "Enter the date the period starts", "Enter the date the period ends"]
    assert ActionPlan.objects.count() == 1


def test_manager_starts_a_draft_plan_under_the_partnership_plan(client, personas: Personas, world: World):
    client.force_login(personas.manager)
    response = client.post(
        reverse("actionplans:plan_create", args=[personas.csp.slug]),
        {
            "title": "Action plan 2025 to 2026",
            "plan": world.plan.pk,
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2025",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2026",
        },
    )
    created = ActionPlan.objects.get(title="Action plan 2025 to 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("actionplans:plan", args=[created.pk])
    assert (created.status, created.plan, created.partnership) == ("draft", world.plan, personas.csp)


def test_a_period_that_ends_before_it_starts_is_refused(client, personas: Personas, world: World):
    client.force_login(personas.manager)
    response = client.post(
        reverse("actionplans:plan_create", args=[personas.csp.slug]),
        {
            "title": "Backwards",
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2026",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2025",
        },
    )
    assert response.status_code == 400
    assert _errors(response) == ["The period must end on or after the date it starts"]


# --- The plan page ---------------------------------------------------------------------------------------


def test_plan_page_groups_actions_under_their_priorities_with_rag_counts_and_rules(
    client, personas: Personas, world: World
):
    client.force_login(personas.chair)
    response = client.get(reverse("actionplans:plan", args=[world.action_plan.pk]))
    html = response.content.decode()
    text = _text(response)
    assert response.status_code == 200
    assert (
        text.index("Safer town centre") < text.index("1.1") < text.index("Tackling domestic abuse") < text.index("2.1")
    )
    # Neither action has been reported on: two "No update" (grey), and the council's is overdue.
    assert "No update 2 actions" in text
    assert "Red 0 actions" in text
    assert text.count("No update this quarter") >= 2
    assert "Overdue" in text
    assert "What the RAG colours and flags mean" in text
    assert "since the reporting quarter began on 1 January 2025" in text
    assert "Polly Police" in text  # the chair may see people
    assert 'class="govuk-tag app-tag--complete"' in html  # the key explains the blue tag


def test_scrutiny_members_see_the_plan_without_lead_officers_names(client, personas: Personas, world: World):
    client.force_login(personas.scrutiny)
    text = _text(client.get(reverse("actionplans:plan", args=[world.action_plan.pk])))
    assert "Patrol the town centre" in text
    assert "Polly Police" not in text
    assert "Colin Council" not in text


def test_plan_page_filters_by_organisation_status_rag_and_due_date(client, personas: Personas, world: World):
    services.action_record_progress(
        actor=personas.police_officer,
        action=world.police_action,
        version=world.police_action.version,
        reported_on=date(2025, 2, 3),
        rag="red",
        narrative="No staff",
        percent_complete=10,
        status="in_progress",
    )
    url = reverse("actionplans:plan", args=[world.action_plan.pk])
    client.force_login(personas.manager)

    def shown(query: dict[str, str]) -> set[str]:
        text = _text(client.get(url, query))
        return {ref for ref in ("1.1", "2.1") if f" {ref} " in f" {text} "}

    assert shown({}) == {"1.1", "2.1"}
    assert shown({"organisation": personas.council.pk}) == {"2.1"}
    assert shown({"rag": "red"}) == {"1.1"}
    assert shown({"rag": "grey"}) == {"2.1"}
    assert shown({"status": "complete"}) == set()
    assert shown({"due_before_0": "1", "due_before_1": "3", "due_before_2": "2025"}) == {"2.1"}
    # An old link with a choice no longer offered is ignored, not an error.
    assert shown({"organisation": "999999", "rag": "purple"}) == {"1.1", "2.1"}


def test_rag_counts_follow_the_other_filters_and_link_to_their_rag(client, personas: Personas, world: World):
    client.force_login(personas.manager)
    response = client.get(
        reverse("actionplans:plan", args=[world.action_plan.pk]), {"organisation": personas.council.pk}
    )
    text = _text(response)
    assert "No update 1 action" in text
    assert f"?organisation={personas.council.pk}&amp;rag=grey" in response.content.decode()


def test_a_due_date_that_does_not_exist_is_reported_on_the_filter(client, personas: Personas, world: World):
    client.force_login(personas.manager)
    response = client.get(
        reverse("actionplans:plan", args=[world.action_plan.pk]),
        {"due_before_0": "31", "due_before_1": "2", "due_before_2": "2025"},
    )
    assert response.status_code == 400
    assert _errors(response) == ["Due before must be a real date"]


def test_plan_page_sorts_within_priorities_and_paginates_repeating_the_headings(
    client, personas: Personas, world: World
):
    for n in range(30):
        ActionFactory(
            action_plan=world.action_plan,
            priority=world.priority,
            reference=f"1.{n + 2:02d}",
            lead_organisation=personas.police,
            due_date=date(2026, 1, 1) if n % 2 else date(2025, 6, 1),
        )
    url = reverse("actionplans:plan", args=[world.action_plan.pk])
    client.force_login(personas.manager)
    with override_settings(PAGE_SIZE=25):
        first = _text(client.get(url, {"sort": "due"}))
        second = _text(client.get(url, {"sort": "due", "page": 2}))
    assert "32 actions, page 1 of 2" in first
    assert "Safer town centre" in first
    assert "Tackling domestic abuse" not in first
    # Page 2 repeats the heading of the priority it continues, then the next priority's heading.
    assert second.index("Safer town centre") < second.index("Tackling domestic abuse")
    # Sorted by due date within the priority: the June 2025 ones before the January 2026 ones.
    assert first.index("1 Jun 2025") < first.index("1 Jan 2026")
    assert "Sort by: Reference · Due date · RAG · Lead" in first


def test_manager_records_agreement_and_closes_the_plan(client, personas: Personas, world: World):
    draft = ActionPlanFactory(partnership=personas.csp, status="draft", agreed_on=None, agreed_by="")
    client.force_login(personas.manager)
    url = reverse("actionplans:plan_agree", args=[draft.pk])
    empty = client.post(url, {})
    assert empty.status_code == 400
    assert _errors(empty) == [
        "Enter the date the action plan was agreed",
        "Enter the group that agreed the action plan",
    ]
    response = client.post(
        url, {"agreed_on_0": "5", "agreed_on_1": "2", "agreed_on_2": "2025", "agreed_by": "Strategic Board"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.agreed_on, draft.agreed_by) == ("agreed", date(2025, 2, 5), "Strategic Board")
    # Agreed once: recording it again is refused.
    assert client.get(url).status_code == 403

    assert client.post(reverse("actionplans:plan_close", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "closed"
    assert client.get(reverse("actionplans:plan_edit", args=[draft.pk])).status_code == 403
    assert client.get(reverse("actionplans:action_add", args=[draft.pk])).status_code == 403


# --- Adding and changing actions ------------------------------------------------------------------------


def test_adding_an_action_empty_names_every_missing_answer(client, personas: Personas, world: World):
    client.force_login(personas.manager)
    response = client.post(reverse("actionplans:action_add", args=[world.action_plan.pk]), {})
    assert response.status_code == 400
    assert _errors(response) == [
        "Enter a reference, like 1.3",
        "Enter the action",
        "Describe what will be done and why",
        "Select the priority the action serves",
        "Select the organisation that leads the action",
        "Enter the date the action starts",
        "Enter the date the action is due",
        "Select the action's status",
    ]
    assert Action.objects.count() == 2


def _action_post(personas: Personas, world: World, **overrides: str | list[str]) -> dict[str, object]:
    data: dict[str, object] = {
        "reference": "1.2",
        "title": "CCTV in the bus station",
        "description": "Most robberies happen there after dark",
        "priority": str(world.priority.pk),
        "lead_organisation": str(personas.council.pk),
        "lead_officer": str(personas.council_officer.pk),
        "supporting_organisations": [str(personas.police.pk)],
        "outcome_measures": [str(world.measure.pk)],
        "start_date_0": "1",
        "start_date_1": "4",
        "start_date_2": "2025",
        "due_date_0": "31",
        "due_date_1": "3",
        "due_date_2": "2026",
        "status": "not_started",
    }
    data.update(overrides)
    return data


def test_manager_adds_an_action_with_partners_and_measures(client, personas: Personas, world: World):
    client.force_login(personas.manager)
    response = client.post(
        reverse("actionplans:action_add", args=[world.action_plan.pk]), _action_post(personas, world)
    )
    action = Action.objects.get(reference="1.2")
    assert response.status_code == 302
    assert (action.lead_organisation, action.lead_officer, action.priority) == (
        personas.council,
        personas.council_officer,
        world.priority,
    )
    assert list(action.supporting_organisations.all()) == [personas.police]
    assert list(action.outcome_measures.all()) == [world.measure]


def test_a_lead_officer_must_represent_the_lead_organisation(client, personas: Personas, world: World):
    client.force_login(personas.manager)
    response = client.post(
        reverse("actionplans:action_add", args=[world.action_plan.pk]),
        _action_post(personas, world, lead_officer=str(personas.police_officer.pk)),
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "Polly Police does not represent Riverton Borough Council in the partnership",
    ]


def test_the_lead_officer_list_names_each_persons_organisation(client, personas: Personas, world: World):
    client.force_login(personas.manager)
    html = client.get(reverse("actionplans:action_add", args=[world.action_plan.pk])).content.decode()
    assert "Polly Police (Shire Police)" in html
    assert "Colin Council (Riverton Borough Council)" in html
    assert "Otto Outsider" not in html


def test_manager_changes_an_action(client, personas: Personas, world: World):
    action = world.council_action
    client.force_login(personas.manager)
    url = reverse("actionplans:action_edit", args=[action.pk])
    assert 'value="1"' in client.get(url).content.decode()
    response = client.post(
        url,
        _action_post(
            personas, world, reference="2.1", priority=str(world.other_priority.pk), version=str(action.version)
        ),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.version) == ("CCTV in the bus station", 2)


# --- The action page ---------------------------------------------------------------------------------------


def test_action_page_shows_details_milestones_budget_measures_and_timeline(client, personas: Personas, world: World):
    action = world.police_action
    Milestone.objects.create(
        action=action, title="Patrol rota agreed", due_date=date(2024, 6, 30), done_on=date(2024, 6, 1)
    )
    Milestone.objects.create(action=action, title="Body-worn video for all", due_date=date(2025, 1, 31))
    BudgetLine.objects.create(action=action, source="pcc", grant_name="Safer Streets", amount=12000, spent_to_date=4500)
    BudgetLine.objects.create(action=action, source="council", amount=3000.50, spent_to_date=0)
    services.action_record_progress(
        actor=personas.police_officer,
        action=action,
        version=action.version,
        reported_on=date(2025, 2, 3),
        rag="amber",
        narrative="Half the patrols are staffed",
        percent_complete=45,
        status="in_progress",
        evidence_links="https://example.org/rota.pdf",
    )
    client.force_login(personas.police_officer)
    response = client.get(reverse("actionplans:action", args=[action.pk]))
    text = _text(response)
    assert "1.1 Patrol the town centre on Friday and Saturday nights" in text
    assert "Lead officer Polly Police" in text
    assert "Supporting organisations Riverton Borough Council" in text
    assert "Violence in the town centre (Safer town centre)" in text
    assert "Patrol rota agreed 30 Jun 2024 1 Jun 2024" in text
    assert "Body-worn video for all 31 Jan 2025 Overdue" in text
    assert "Total £15,000.50 £4,500.00" in text
    assert "Remaining: £10,500.50" in text
    assert "3 February 2025 by Polly Police Amber 45% complete Half the patrols are staffed" in text
    assert 'href="https://example.org/rota.pdf"' in response.content.decode()
    assert "Report progress" in text
    assert "Add a milestone" in text


def test_action_page_offers_no_progress_form_to_another_organisations_officer(client, personas: Personas, world: World):
    client.force_login(personas.council_officer)
    text = _text(client.get(reverse("actionplans:action", args=[world.police_action.pk])))
    assert "Save progress update" not in text
    assert "Add a milestone" not in text


def test_scrutiny_members_see_the_action_without_names(client, personas: Personas, world: World):
    services.action_record_progress(
        actor=personas.police_officer,
        action=world.police_action,
        version=world.police_action.version,
        reported_on=date(2025, 2, 3),
        rag="green",
        narrative="All patrols staffed",
        percent_complete=60,
        status="in_progress",
    )
    client.force_login(personas.scrutiny)
    text = _text(client.get(reverse("actionplans:action", args=[world.police_action.pk])))
    assert "All patrols staffed" in text
    assert "Polly Police" not in text
    history = _text(client.get(reverse("actionplans:action_history", args=[world.police_action.pk])))
    assert "Added action 1.1" in history
    assert "Polly Police" not in history
    assert "Mina Manager" not in history


# --- Progress updates ----------------------------------------------------------------------------------------


def test_progress_empty_names_every_missing_answer(client, personas: Personas, world: World):
    client.force_login(personas.police_officer)
    response = client.post(
        reverse("actionplans:action_progress", args=[world.police_action.pk]),
        {"version": str(world.police_action.version)},
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "Enter the date of the update",
        "Select the RAG status",
        "Describe the progress: the RAG needs a reason",
        "Enter the percentage complete, from 0 to 100",
        "Select the action's status",
    ]
    assert not ProgressUpdate.objects.exists()


def test_progress_with_bad_values_is_refused_with_specific_messages(client, personas: Personas, world: World):
    client.force_login(personas.police_officer)
    response = client.post(
        reverse("actionplans:action_progress", args=[world.police_action.pk]),
        progress(
            world.police_action,
            reported_on_0="11",
            percent_complete="140",
            evidence_links="https://example.org/ok\njavascript:alert(1)",
        ),
    )
    assert response.status_code == 400
    assert _errors(response) == ["Percentage complete must be from 0 to 100"]
    response = client.post(
        reverse("actionplans:action_progress", args=[world.police_action.pk]),
        progress(world.police_action, reported_on_0="11", evidence_links="https://example.org/ok\njavascript:alert(1)"),
    )
    assert _errors(response) == [
        "The date of the update must be today or in the past",
        "Evidence link 2 is not a web address starting http:// or https://",
    ]
    assert not ProgressUpdate.objects.exists()


def test_officer_reports_progress_and_returns_to_the_timeline(client, personas: Personas, world: World):
    action = world.police_action
    client.force_login(personas.police_officer)
    response = client.post(reverse("actionplans:action_progress", args=[action.pk]), progress(action))
    assert response.status_code == 302
    assert response["Location"] == reverse("actionplans:action", args=[action.pk]) + "#timeline"
    action.refresh_from_db()
    assert (action.rag, action.percent_complete, action.last_update_on, action.version) == (
        "amber",
        40,
        date(2025, 2, 10),
        2,
    )
    update = action.updates.get()
    assert (update.author, update.links) == (personas.police_officer, ["https://example.org/minutes.pdf"])


def test_progress_returns_to_the_page_named_in_next_only_on_this_site(client, personas: Personas, world: World):
    action = world.police_action
    url = reverse("actionplans:action_progress", args=[action.pk])
    client.force_login(personas.police_officer)
    back = f"/my-actions/?page=2#action-{action.pk}"
    response = client.post(f"{url}?next=/my-actions/%3Fpage%3D2%23action-{action.pk}", progress(action))
    assert response["Location"] == back
    action.refresh_from_db()
    response = client.post(f"{url}?next=https://evil.example/", progress(action))
    assert response["Location"] == reverse("actionplans:action", args=[action.pk]) + "#timeline"


# --- Milestones and budget lines ------------------------------------------------------------------------


def test_officer_adds_and_completes_a_milestone(client, personas: Personas, world: World):
    action = world.police_action
    client.force_login(personas.police_officer)
    empty = client.post(reverse("actionplans:milestone_add", args=[action.pk]), {})
    assert empty.status_code == 400
    assert _errors(empty) == ["Enter the milestone", "Enter the date the milestone is due"]
    response = client.post(
        reverse("actionplans:milestone_add", args=[action.pk]),
        {"title": "Rota agreed", "due_date_0": "31", "due_date_1": "3", "due_date_2": "2025"},
    )
    assert response["Location"] == reverse("actionplans:action", args=[action.pk]) + "#milestones"
    milestone = action.milestones.get()
    response = client.post(
        reverse("actionplans:milestone_edit", args=[action.pk, milestone.pk]),
        {
            "title": "Rota agreed",
            "due_date_0": "31",
            "due_date_1": "3",
            "due_date_2": "2025",
            "done_on_0": "7",
            "done_on_1": "2",
        },
    )
    assert response.status_code == 400
    assert _errors(response) == ["The date done must include a year"]
    client.post(
        reverse("actionplans:milestone_edit", args=[action.pk, milestone.pk]),
        {
            "title": "Rota agreed",
            "due_date_0": "31",
            "due_date_1": "3",
            "due_date_2": "2025",
            "done_on_0": "7",
            "done_on_1": "2",
            "done_on_2": "2025",
        },
    )
    milestone.refresh_from_db()
    assert milestone.done_on == date(2025, 2, 7)


def test_officer_adds_and_changes_a_budget_line(client, personas: Personas, world: World):
    action = world.police_action
    client.force_login(personas.police_officer)
    empty = client.post(reverse("actionplans:budget_add", args=[action.pk]), {})
    assert empty.status_code == 400
    assert _errors(empty) == ["Select the funding source", "Enter the amount"]
    negative = client.post(reverse("actionplans:budget_add", args=[action.pk]), {"source": "pcc", "amount": "-5"})
    assert _errors(negative) == ["Amount cannot be negative"]
    client.post(reverse("actionplans:budget_add", args=[action.pk]), {"source": "home_office", "amount": "12500"})
    line = action.budget_lines.get()
    assert (line.amount, line.spent_to_date) == (12500, 0)
    edit_url = reverse("actionplans:budget_edit", args=[action.pk, line.pk])
    assert 'value="12500"' in client.get(edit_url).content.decode()
    client.post(edit_url, {"source": "home_office", "amount": "12500", "spent_to_date": "480.50"})
    line.refresh_from_db()
    assert str(line.spent_to_date) == "480.50"


# --- History --------------------------------------------------------------------------------------------------


def test_history_shows_who_changed_what_on_the_action_and_its_parts(client, personas: Personas, world: World):
    action = world.police_action
    services.action_update(
        actor=personas.manager,
        action=action,
        version=action.version,
        fields=fields(
            personas,
            reference="1.1",
            title=action.title,
            priority=world.priority,
            supporting_organisations=(),
            due_date=date(2025, 9, 30),
        ),
    )
    action.refresh_from_db()
    services.milestone_save(
        actor=personas.police_officer,
        action=action,
        milestone=None,
        title="Rota",
        due_date=date(2025, 3, 1),
        done_on=None,
    )
    services.action_record_progress(
        actor=personas.police_officer,
        action=action,
        version=action.version,
        reported_on=date(2025, 2, 10),
        rag="green",
        narrative="Going well",
        percent_complete=70,
        status="in_progress",
    )
    client.force_login(personas.manager)
    text = _text(client.get(reverse("actionplans:action_history", args=[action.pk])))
    assert "Polly Police Added progress update of 10 February 2025 Green, 70% complete: Going well" in text
    assert "Polly Police Added milestone “Rota” (due 1 March 2025)" in text
    assert "Due date: 31 July 2025 → 30 September 2025" in text
    assert "Supporting organisations removed: Riverton Borough Council" in text
    assert "Outcome measures removed: Violence in the town centre" in text
    assert "Mina Manager Added action 1.1 Patrol the town centre" in text
    assert "RAG: none → Green" in text


# --- My actions ---------------------------------------------------------------------------------------------


def test_my_actions_lists_the_organisations_open_actions_unreported_and_overdue_first(
    client, personas: Personas, world: World
):
    reported = ActionFactory(
        action_plan=world.action_plan,
        reference="1.5",
        title="Reported this quarter",
        lead_organisation=personas.police,
        due_date=date(2025, 3, 1),
        last_update_on=date(2025, 1, 20),
        rag="green",
    )
    ActionFactory(
        action_plan=world.action_plan,
        reference="1.6",
        title="Overdue police action",
        lead_organisation=personas.police,
        due_date=date(2025, 2, 1),
        last_update_on=date(2025, 1, 20),
    )
    ActionFactory(
        action_plan=world.action_plan,
        reference="1.7",
        title="Finished",
        lead_organisation=personas.police,
        status="complete",
    )
    draft = ActionPlanFactory(partnership=personas.csp, status="draft", agreed_on=None)
    ActionFactory(action_plan=draft, title="In a draft plan", lead_organisation=personas.police)
    client.force_login(personas.police_officer)
    response = client.get(reverse("actionplans:my_actions"))
    text = _text(response)
    assert "3 actions" in text
    assert (
        text.index("Overdue police action") < text.index("Patrol the town centre") < text.index("Reported this quarter")
    )
    for absent in ("Commission a domestic abuse", "Finished", "In a draft plan"):
        assert absent not in text
    page = response.content.decode()
    # Each quick form has its own names and ids, and returns to the action on this page.
    assert f'id="id_a{reported.pk}-rag_1"' in page
    assert f'id="id_a{world.police_action.pk}-rag_1"' in page
    assert f"?form=quick&amp;next=/my-actions/%23action-{reported.pk}" in page


def test_my_actions_pairs_organisations_with_their_partnerships(client, personas: Personas, world: World):
    # Polly is the council's officer in Hillford, not in Riverton: Riverton's council action is not hers.
    RoleFactory(person=personas.police_officer, partnership=personas.other_csp, organisation=personas.council)
    client.force_login(personas.police_officer)
    text = _text(client.get(reverse("actionplans:my_actions")))
    assert "Patrol the town centre" in text
    assert "Commission a domestic abuse" not in text


def test_navigation_offers_my_actions_to_officers_and_managers(client, personas: Personas, world: World):
    for persona, shown in ((personas.police_officer, True), (personas.manager, True), (personas.scrutiny, False)):
        client.force_login(persona)
        html = client.get(reverse("home")).content.decode()
        assert ('href="/my-actions/"' in html) is shown, persona


def test_my_actions_for_someone_without_roles_says_so(client, personas: Personas):
    client.force_login(UserFactory())
    assert "You are not a partner officer or manager" in _text(client.get(reverse("actionplans:my_actions")))


def _quick(action: Action, **overrides: str) -> dict[str, str]:
    return {f"a{action.pk}-{name}": value for name, value in progress(action, **overrides).items()}


def test_quick_update_answers_with_the_card_alone(client, personas: Personas, world: World):
    action = world.police_action
    url = (
        reverse("actionplans:action_progress", args=[action.pk]) + f"?form=quick&next=/my-actions/%23action-{action.pk}"
    )
    client.force_login(personas.police_officer)
    headers = {"X-Requested-With": "app-quick-update"}
    bad = client.post(url, _quick(action, narrative=""), headers=headers)
    assert bad.status_code == 400
    assert bad.content.decode().lstrip().startswith("<section")
    assert _errors(bad) == ["Describe the progress: the RAG needs a reason"]
    assert f'href="#id_a{action.pk}-narrative"' in bad.content.decode()
    good = client.post(url, _quick(action), headers=headers)
    assert good.status_code == 200
    text = _text(good)
    assert "Progress update on 1.1 saved" in text
    assert "Amber" in text
    assert "No update this quarter" not in text
    # The card's new form carries the new version, so the next quick update goes through.
    assert f'name="a{action.pk}-version" value="{action.version + 1}"' in good.content.decode()


def test_quick_update_without_javascript_returns_to_the_action_on_my_actions(client, personas: Personas, world: World):
    action = world.police_action
    url = (
        reverse("actionplans:action_progress", args=[action.pk]) + f"?form=quick&next=/my-actions/%23action-{action.pk}"
    )
    client.force_login(personas.police_officer)
    bad = client.post(url, _quick(action, rag=""))
    assert bad.status_code == 400
    assert _errors(bad) == ["Select the RAG status"]
    assert "<h1" in bad.content.decode()  # the full progress page, with a way back
    good = client.post(url, _quick(action))
    assert good["Location"] == f"/my-actions/#action-{action.pk}"
    assert action.updates.count() == 1
