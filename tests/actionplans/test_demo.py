"""The demo action plans (actionplans/demo.py): Southend-on-Sea's agreed plan for 2026/27 under its
strategy, and Uttlesford's draft plan from seed 002; loaded by load_demo, and again without changing anything."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command

from actionplans import selectors
from actionplans.demo import load_actionplans_demo
from actionplans.models import (
    Action,
    ActionPlan,
    ActionPlanStatus,
    AnnualReport,
    AnnualReportStatus,
    BudgetLine,
    FundingSource,
    ProgressUpdate,
)
from partnerships import services as partnership_services
from partnerships.demo import load_demo
from partnerships.management.commands import load_demo as load_demo_command
from partnerships.management.commands.load_registry import DEFAULT_PATH
from partnerships.models import User
from priorities.demo import load_plans_demo

pytestmark = pytest.mark.django_db

# The demo is dated for the financial year 2026/27 and read as in late November 2026.
NOVEMBER_2026 = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def _table_counts() -> dict[str, int]:
    """Rows in every table of the actionplans app, history tables included."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_app_config("actionplans").get_models()}


@pytest.fixture
def essex(tmp_path: Path) -> None:
    """The register's Essex rows and the demo partnerships and people."""
    with Path(DEFAULT_PATH).open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), [row for row in reader if row["PFA24CD"] == "E23000028"]
    path = tmp_path / "essex.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    partnership_services.registry_import(path=path)
    load_demo()


@pytest.fixture
def demo(essex: None) -> None:
    load_plans_demo()
    load_actionplans_demo()


def _southend() -> ActionPlan:
    return ActionPlan.objects.get(partnership__ons_code="E22000089", title="Community Safety Action Plan 2026/27")


def _flagged(action_plan: ActionPlan) -> list[Any]:
    with time_machine.travel(NOVEMBER_2026, tick=False):
        return list(selectors.actions_for_plan(action_plan, selectors.ActionFilters()))


def test_southend_has_an_agreed_action_plan_for_2026_27_under_its_strategy(demo):
    action_plan = _southend()

    assert action_plan.status == ActionPlanStatus.AGREED
    assert (action_plan.period_start, action_plan.period_end) == (date(2026, 4, 1), date(2027, 3, 31))
    assert action_plan.plan is not None
    assert action_plan.plan.title == "Community safety partnership strategy 2022 to 2025"
    assert action_plan.agreed_on == date(2026, 4, 23)


def test_southends_actions_serve_all_four_priorities_with_four_lead_organisations(demo):
    actions = list(_southend().actions.select_related("priority", "lead_organisation"))

    assert len(actions) >= 12
    assert {a.priority.title for a in actions if a.priority} == {
        "Safe and confident communities",
        "Reducing violence against women and girls",
        "Reducing hate crime",
        "Reducing knife enabled serious violence",
    }
    assert all(a.priority is not None for a in actions)
    assert {a.lead_organisation.name for a in actions} == {
        "Essex Police",
        "Southend-on-Sea City Council",
        "Essex County Fire and Rescue Service",
        "South Essex Homes",
    }


def test_the_demo_officers_lead_their_organisations_actions_and_report_on_them(demo):
    police, council = (
        User.objects.get(email="police.officer@demo.example"),
        User.objects.get(email="council.officer@demo.example"),
    )
    actions = _southend().actions.select_related("lead_organisation", "lead_officer")

    for action in actions:
        expected = {"Essex Police": police, "Southend-on-Sea City Council": council}.get(action.lead_organisation.name)
        assert action.lead_officer == expected
    authors = set(ProgressUpdate.objects.filter(action__action_plan=_southend()).values_list("author", flat=True))
    assert authors == {police.pk, council.pk}


def test_in_november_2026_the_plan_shows_every_rag_with_some_actions_overdue_and_some_unreported(demo):
    actions = _flagged(_southend())

    assert {a.display_rag for a in actions} == {"red", "amber", "green", "blue", "grey"}
    overdue = {a.reference for a in actions if a.is_overdue}
    unreported = {a.reference for a in actions if a.needs_update}
    assert 2 <= len(overdue) <= 5
    assert 3 <= len(unreported) <= 7
    assert unreported - overdue  # some are only short of an update this quarter
    assert {a.status for a in actions} >= {"not_started", "in_progress", "complete", "deferred"}


def test_southends_actions_have_milestones_and_home_office_and_pcc_budgets(demo):
    action_plan = _southend()
    lines = BudgetLine.objects.filter(action__action_plan=action_plan)

    assert {line.source for line in lines} == {FundingSource.HOME_OFFICE, FundingSource.PCC}
    assert all(line.spent_to_date <= line.amount for line in lines)
    milestones = [m for a in action_plan.actions.prefetch_related("milestones") for m in a.milestones.all()]
    assert any(m.done_on for m in milestones)
    assert any(m.done_on is None for m in milestones)


def test_the_latest_update_sets_each_actions_rag_and_percentage(demo):
    for action in _southend().actions.all():
        latest = action.updates.first()
        if latest is None:
            assert (action.rag, action.percent_complete, action.last_update_on) == ("", 0, None)
        else:
            assert (action.rag, action.percent_complete, action.last_update_on) == (
                latest.rag,
                latest.percent_complete,
                latest.reported_on,
            )


def test_every_demo_change_carries_history_with_the_person_who_made_it(demo):
    action_plan = _southend()
    manager, chair = User.objects.get(email="manager@demo.example"), User.objects.get(email="chair@demo.example")

    assert action_plan.history.earliest().history_user == manager
    assert action_plan.history.latest().history_user == chair
    assert Action.history.filter(action_plan_id=action_plan.pk).count() > action_plan.actions.count()


def test_uttlesford_has_a_draft_action_plan_for_2024_to_2027_with_three_actions_from_its_report(demo):
    action_plan = ActionPlan.objects.get(partnership__ons_code="E22000092")

    assert action_plan.title == "Community Safety Action Plan 2024–2027"
    assert action_plan.status == ActionPlanStatus.DRAFT
    assert action_plan.plan is None
    titles = " ".join(action_plan.actions.values_list("title", flat=True))
    assert action_plan.actions.count() == 3
    for words in ("Crucial Crew", "Community Speed Watch", "bleed kits"):
        assert words in titles


def test_southend_has_a_published_annual_report_for_2024_25_with_its_narrative_and_frozen_figures(demo):
    report = AnnualReport.objects.get(partnership__ons_code="E22000089", period_start=date(2024, 4, 1))
    manager = User.objects.get(email="manager@demo.example")

    assert report.status == AnnualReportStatus.PUBLISHED
    assert report.period_end == date(2025, 3, 31)
    assert report.plan.title == "Community safety partnership strategy 2022 to 2025"
    assert report.published_by == manager
    assert report.committee == "Place Scrutiny Committee, Southend-on-Sea City Council"
    assert all((report.summary, report.successes, report.year_ahead, report.recommendations))
    contents = report.contents
    assert contents["period"]["label"] == "2024/25"
    assert [p["title"] for p in contents["priorities"]] == [
        "Safe and confident communities",
        "Reducing violence against women and girls",
        "Reducing hate crime",
        "Reducing knife enabled serious violence",
    ]
    # The measures as they stood at the end of the year (the narrative quotes them).
    anti_social = contents["priorities"][0]["measures"][0]
    assert (anti_social["latest"], anti_social["latest_date"]) == ("4930.00", "2025-03-31")
    assert {h.history_user for h in report.history.all()} == {manager}


def test_southend_has_a_draft_annual_report_for_2026_27_with_only_its_summary_written(demo):
    report = AnnualReport.objects.get(partnership__ons_code="E22000089", period_start=date(2026, 4, 1))

    assert report.status == AnnualReportStatus.DRAFT
    assert report.contents is None
    assert report.summary.startswith("Draft for the partnership board.")
    assert (report.successes, report.year_ahead, report.recommendations) == ("", "", "")
    assert report.plan.title == "Community safety partnership strategy 2022 to 2025"


def test_without_southends_strategy_the_action_plan_has_no_plan_and_no_priorities(essex):
    load_actionplans_demo()

    action_plan = _southend()
    assert action_plan.plan is None
    assert not action_plan.actions.filter(priority__isnull=False).exists()
    assert action_plan.actions.count() >= 12
    assert not AnnualReport.objects.exists()  # a report is on a plan's year


def test_loading_the_action_plans_demo_again_changes_nothing(demo):
    before = _table_counts()

    load_actionplans_demo()

    assert _table_counts() == before


def test_load_demo_loads_the_action_plans_after_the_partnerships(essex, monkeypatch: Any):
    # Only this file's part is under test: the other demo loaders the command runs are stubbed out.
    for name in dir(load_demo_command):
        if name.startswith("load_") and name.endswith("_demo") and name != "load_actionplans_demo":
            monkeypatch.setattr(load_demo_command, name, lambda *args, **kwargs: [("x@example.org", "x")])
    with mock.patch.object(load_demo_command, "load_actionplans_demo", wraps=load_actionplans_demo) as loader:
        call_command("load_demo", stdout=mock.Mock())

    loader.assert_called_once_with()
    assert ActionPlan.objects.count() == 2
