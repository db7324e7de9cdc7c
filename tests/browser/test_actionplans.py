"""Action plans in the browser: the officer's quick update on "My actions" saves in place, the manager
filters and sorts the plan page, and every action plan page and form (empty-submitted) passes axe.

Each test adds its own action plan to the Southend demo (through the services, so with history), with
its own partnership plan and priorities: it does not depend on the demo's action plans. Its actions are
long overdue, so they come first on "My actions" whatever else the demo holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actionplans import services
from actionplans.models import Action, ActionPlan
from partnerships.models import Organisation, Partnership, User
from priorities.models import Priority
from tests.browser.conftest import DEMO_LOGINS, Portal
from tests.factories import PlanFactory, PriorityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Browser test action plan"
# Clears every answer of the page's form (keeping its hidden version) to submit it empty.
CLEAR_FORM = """() => {
    for (const el of document.querySelectorAll('main form[method=post] input, main form[method=post] textarea')) {
        if (el.type === 'radio' || el.type === 'checkbox') { el.checked = false; }
        else if (!['hidden', 'submit'].includes(el.type)) { el.value = ''; }
    }
    for (const select of document.querySelectorAll('main form[method=post] select')) { select.selectedIndex = 0; }
}"""


@dataclass
class Plan:
    action_plan: ActionPlan
    priorities: list[Priority]
    actions: list[Action]


def _plan(actions: int = 6) -> Plan:
    """An agreed action plan of Southend's with police and council actions, all long overdue."""
    southend = Partnership.objects.get(slug="southend-on-sea")
    manager = User.objects.get(email=DEMO_LOGINS["manager"])
    police = Organisation.objects.get(name="Essex Police")
    council = Organisation.objects.get(name="Southend-on-Sea City Council")
    officer = User.objects.get(email=DEMO_LOGINS["police_officer"])
    strategy = PlanFactory(partnership=southend, title="Browser test strategy")
    priorities = [
        PriorityFactory(plan=strategy, title="Browser priority one", position=1),
        PriorityFactory(plan=strategy, title="Browser priority two", position=2),
    ]
    today = timezone.localdate()
    action_plan = services.action_plan_create(
        actor=manager,
        partnership=southend,
        title=TITLE,
        period_start=today - timedelta(days=800),
        period_end=today + timedelta(days=400),
        plan=strategy,
    )
    created = []
    for n in range(actions):
        police_led = n % 3 != 2
        created.append(
            services.action_create(
                actor=manager,
                action_plan=action_plan,
                fields=services.ActionFields(
                    reference=f"B{n + 1}",
                    title=f"Browser action {n + 1}",
                    description="What will be done, and why",
                    priority=priorities[n % 2],
                    lead_organisation=police if police_led else council,
                    lead_officer=officer if police_led else None,
                    supporting_organisations=(),
                    start_date=today - timedelta(days=790),
                    due_date=today - timedelta(days=700 - n),
                    status="in_progress",
                ),
            )
        )
    services.action_plan_agree(
        actor=manager, action_plan=action_plan, agreed_on=today - timedelta(days=780), agreed_by="Board"
    )
    return Plan(action_plan, priorities, created)


def _error_links_lead_to_fields(portal: Portal) -> None:
    """Each link in the error summary moves focus to its field."""
    links = portal.page.locator(".govuk-error-summary__list a")
    for index, target in enumerate(links.evaluate_all("links => links.map(a => a.hash)")):
        field = portal.page.locator(target)
        expect(field).to_have_count(1)
        links.nth(index).click()
        expect(field).to_be_focused()


def test_officer_updates_an_action_in_place_without_losing_their_place(portal: Portal, demo: None) -> None:
    plan = _plan()
    page = portal.page
    portal.sign_in(DEMO_LOGINS["police_officer"])
    portal.follow("My actions")
    portal.expect_path("/my-actions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    portal.check()

    target = plan.actions[3]  # B4, the fourth police action down the page
    card = page.locator(f"#action-{target.pk}")
    expect(card.get_by_role("heading", level=2)).to_have_text("B4 Browser action 4")
    card.scroll_into_view_if_needed()
    card.get_by_text("Update progress").click()
    portal.check()
    # Marks this page: if the save reloaded or left it, the mark would be gone.
    page.evaluate("window.appNotReloaded = true")

    # A mistake first: the card comes back with its error summary, which takes focus.
    card.get_by_label("Progress", exact=True).fill("")
    card.get_by_role("button", name="Save progress update").click()
    card = page.locator(f"#action-{target.pk}")
    expect(card.locator(".govuk-error-summary")).to_be_focused()
    assert portal.error_summary() == ["Select the RAG status", "Describe the progress: the RAG needs a reason"]
    portal.expect_path("/my-actions/")
    # The quick form's answer to a mistake is HTTP 400 (the card with its errors), which the tab records.
    portal.problems = [p for p in portal.problems if not (p.startswith("fetch ") and p.endswith("HTTP 400"))]
    _error_links_lead_to_fields(portal)

    card.get_by_label("Amber: at risk; slipping but recoverable").check()
    card.get_by_label("Progress", exact=True).fill("Two patrols a weekend; the third starts in March")
    card.get_by_label("Percentage complete").fill("40")
    card.get_by_role("button", name="Save progress update").click()

    card = page.locator(f"#action-{target.pk}")
    saved = card.locator("[data-app-saved]")
    expect(saved).to_have_text("Progress update on B4 saved")
    expect(saved).to_be_focused()
    expect(card.locator(".govuk-tag", has_text="Amber")).to_be_visible()
    expect(card.get_by_text("No update this quarter")).to_have_count(0)
    # Still on the same page, at the same place: no navigation, scrolled down to the card, which is in view.
    portal.expect_path("/my-actions/")
    assert page.evaluate("window.appNotReloaded") is True
    assert page.evaluate("window.scrollY") > 0
    assert card.evaluate("el => { const r = el.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0 }")
    target.refresh_from_db()
    assert (target.rag, target.percent_complete, target.updates.count()) == ("amber", 40, 1)

    # The card's new form carries the new version: a second quick update goes through too.
    card.get_by_text("Update progress").click()
    card.get_by_label("Green: on track").check()
    card.get_by_label("Progress", exact=True).fill("Third patrol started early")
    card.get_by_role("button", name="Save progress update").click()
    # The old card also said "saved": wait for the new one, which shows the new RAG.
    expect(page.locator(f"#action-{target.pk} .govuk-tag", has_text="Green")).to_be_visible()
    expect(page.locator(f"#action-{target.pk} [data-app-saved]")).to_be_focused()
    assert target.updates.count() == 2
    portal.check()


def test_manager_filters_and_sorts_the_plan_page(portal: Portal, demo: None) -> None:
    plan = _plan()
    page = portal.page
    portal.sign_in(DEMO_LOGINS["manager"])
    portal.open(f"/action-plans/{plan.action_plan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("heading", name="Browser priority one")).to_be_visible()
    expect(page.get_by_role("heading", name="Browser priority two")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("6 actions")
    page.get_by_text("What the RAG colours and flags mean").click()
    expect(page.get_by_text("Blue: complete")).to_be_visible()
    portal.check()

    page.get_by_label("Lead organisation").select_option(label="Southend-on-Sea City Council")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("2 actions match the filters")
    expect(page.get_by_role("link", name="Browser action 3")).to_be_visible()
    expect(page.get_by_role("link", name="Browser action 1", exact=True)).to_have_count(0)
    portal.check()

    portal.follow("Due date")
    expect(page.get_by_role("status")).to_have_text("2 actions match the filters")  # the filter is kept
    expect(page.locator("strong[aria-current]")).to_have_text("Due date")

    page.get_by_role("group", name="Due before").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Due before").get_by_label("Month").fill("2")
    page.get_by_role("group", name="Due before").get_by_label("Year").fill("2025")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert portal.error_summary() == ["Due before must be a real date"]
    portal.check()

    portal.follow("Clear filters")
    expect(page.get_by_role("status")).to_have_text("6 actions")


def test_action_plan_pages_and_their_empty_forms_pass_axe(portal: Portal, demo: None) -> None:
    plan = _plan(actions=3)
    action = plan.actions[0]
    page = portal.page
    heading = page.get_by_role("heading", level=1)
    portal.sign_in(DEMO_LOGINS["manager"])
    portal.open("/partnerships/southend-on-sea/")
    portal.follow("Action plans")
    expect(heading).to_have_text("Action plans")
    portal.check()

    portal.follow(TITLE)
    portal.check()
    portal.follow("Browser action 1")
    expect(heading).to_have_text("B1 Browser action 1")
    portal.check()
    portal.follow("History of changes")
    expect(heading).to_have_text("History of changes")
    portal.check()
    portal.open("/my-actions/")
    portal.check()

    draft = services.action_plan_create(
        actor=User.objects.get(email=DEMO_LOGINS["manager"]),
        partnership=plan.action_plan.partnership,
        title="Browser draft",
        period_start=plan.action_plan.period_start,
        period_end=plan.action_plan.period_end,
    )
    forms = [
        # (page, button, what the form submitted empty says)
        (
            "/partnerships/southend-on-sea/action-plans/new/",
            "Save action plan",
            ["Enter a title", "Enter the date the period starts", "Enter the date the period ends"],
        ),
        (
            f"/action-plans/{plan.action_plan.pk}/edit/",
            "Save action plan",
            ["Enter a title", "Enter the date the period starts", "Enter the date the period ends"],
        ),
        (
            f"/action-plans/{draft.pk}/agree/",
            "Record agreement",
            ["Enter the date the action plan was agreed", "Enter the group that agreed the action plan"],
        ),
        (
            f"/action-plans/{plan.action_plan.pk}/actions/add/",
            "Save action",
            [
                "Enter a reference, like 1.3",
                "Enter the action",
                "Describe what will be done and why",
                "Select the priority the action serves",
                "Select the organisation that leads the action",
                "Enter the date the action starts",
                "Enter the date the action is due",
                "Select the action's status",
            ],
        ),
        (
            f"/actions/{action.pk}/edit/",
            "Save action",
            [
                "Enter a reference, like 1.3",
                "Enter the action",
                "Describe what will be done and why",
                "Select the priority the action serves",
                "Select the organisation that leads the action",
                "Enter the date the action starts",
                "Enter the date the action is due",
                "Select the action's status",
            ],
        ),
        (
            f"/actions/{action.pk}/progress/",
            "Save progress update",
            [
                "Enter the date of the update",
                "Select the RAG status",
                "Describe the progress: the RAG needs a reason",
                "Enter the percentage complete, from 0 to 100",
                "Select the action's status",
            ],
        ),
        (
            f"/actions/{action.pk}/milestones/add/",
            "Save milestone",
            ["Enter the milestone", "Enter the date the milestone is due"],
        ),
        (f"/actions/{action.pk}/budget/add/", "Save budget line", ["Select the funding source", "Enter the amount"]),
    ]
    for path, button, errors in forms:
        portal.open(path)
        portal.check()
        page.evaluate(CLEAR_FORM)
        portal.submit(button)
        assert page.title().startswith("Error: "), path
        assert portal.error_summary() == errors, path
        _error_links_lead_to_fields(portal)
        portal.check()

    # Closing asks for confirmation only.
    portal.open(f"/action-plans/{plan.action_plan.pk}/close/")
    expect(heading).to_have_text("Close the action plan")
    portal.check()
