"""The demo partnership plans (priorities/demo.py): Southend-on-Sea, Thurrock and Colchester, from the
seed documents, loaded after the demo partnerships, and loaded again without changing anything."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from partnerships import services as partnership_services
from partnerships.demo import load_demo
from partnerships.management.commands import load_demo as load_demo_command
from partnerships.management.commands.load_registry import DEFAULT_PATH
from partnerships.models import Partnership, User
from priorities import selectors
from priorities.demo import load_plans_demo
from priorities.models import OutcomeMeasure, PartnershipPlan, PlanStatus, PriorityStatus

pytestmark = pytest.mark.django_db


def _table_counts() -> dict[str, int]:
    """Rows in every table of the priorities app, history tables included."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_app_config("priorities").get_models()}


@pytest.fixture
def essex(tmp_path: Path) -> None:
    """The register's Essex rows and the demo partnerships and people: what the plans demo needs."""
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


def _plan(ons_code: str, title_part: str) -> PartnershipPlan:
    return PartnershipPlan.objects.get(partnership__ons_code=ons_code, title__contains=title_part)


def test_southend_has_its_2022_to_2025_strategy_with_the_four_priorities_from_the_council(demo):
    plan = _plan("E22000089", "2022 to 2025")

    assert (plan.start_year, plan.end_year, plan.status) == (2022, 2025, PlanStatus.ADOPTED)
    assert (plan.adopted_on, plan.adopted_by_body) == (date(2022, 12, 8), "Full Council")
    assert plan.adoption_notes == "Cabinet, 13 September 2022 (item 8)"
    priorities = list(plan.priorities.all())
    assert [p.title for p in priorities] == [
        "Safe and confident communities",
        "Reducing violence against women and girls",
        "Reducing hate crime",
        "Reducing knife enabled serious violence",
    ]
    assert all(p.aim and p.how_achieved for p in priorities)
    assert "improve the confidence of residents" in priorities[0].aim
    assert priorities[0].how_achieved.startswith("Coordinated partnership working")
    assert "non-domestic knife crime with injury affecting 15-34 year-olds" in priorities[3].aim
    assert [p.theme for p in priorities] == ["asb", "domestic_abuse", "hate_crime", "violence"]
    assert plan.assessments.count() == 1


def test_southends_measures_are_demo_figures_and_say_so(demo):
    plan = _plan("E22000089", "2022 to 2025")
    measures = OutcomeMeasure.objects.filter(priority__plan=plan)

    assert measures.count() == 5
    assert all(m.data_source.startswith("Demo figures") for m in measures)
    assert all(m.values.count() >= 3 for m in measures)
    progress = [selectors.measure_progress(m) for m in measures.prefetch_related("values")]
    assert {p.on_track for p in progress} == {True, False}  # the demo shows both


def test_southends_plan_was_drafted_by_the_manager_and_adopted_by_the_chair(demo):
    plan = _plan("E22000089", "2022 to 2025")
    manager, chair = User.objects.get(email="manager@demo.example"), User.objects.get(email="chair@demo.example")

    assert plan.history.earliest().history_user == manager
    assert plan.history.latest().history_user == chair


def test_thurrock_has_its_four_priorities_for_2019_20(demo):
    plan = _plan("E22000091", "2019/20")

    assert plan.status == PlanStatus.ADOPTED
    assert [p.title for p in plan.priorities.all()] == [
        "Tackling offending",
        "Violence and vulnerability",
        "Local community and visibility",
        "Counter extremism and terrorism",
    ]
    assert "illustrative" in plan.vision


def test_colchesters_five_priorities_of_2016_17_were_reviewed_down_to_three_for_2017_18(demo):
    first, second = _plan("E22000084", "2016-17"), _plan("E22000084", "2017-18")

    assert (first.status, first.superseded_by) == (PlanStatus.SUPERSEDED, second)
    assert first.priorities.count() == 5
    assert second.status == PlanStatus.ADOPTED
    assert list(second.priorities.filter(status=PriorityStatus.ACTIVE).values_list("title", flat=True)) == [
        "Improve community resilience to reduce the threat of vulnerability and exploitation",
        "Reduce violent crime and the fear of being a victim of it",
        "Tackle high harm and repeat anti-social behaviour",
    ]
    review = second.reviews.get()
    assert (review.year, review.reviewed_on) == (2017, date(2017, 9, 12))
    assert review.assessment is not None
    assert sorted(review.changes.values_list("kind", "previous_title")) == [
        ("added", ""),
        ("changed", "Protect vulnerable people"),
        ("changed", "Reduce crime and the fear of crime"),
        ("retired", ""),
        ("retired", ""),
        ("retired", ""),
    ]


def test_the_county_view_shows_the_demo_csps_shared_themes(client, demo):
    client.force_login(User.objects.get(email="county@demo.example"))
    county = Partnership.objects.get(slug="safer-essex")

    page = client.get(reverse("priorities:county_priorities", args=[county.slug])).content.decode()

    assert "Shared by 3 partnerships" in page  # anti-social behaviour and violence: Southend, Thurrock, Colchester
    assert "Reducing hate crime" in page
    assert "Address alcohol and drug misuse" not in page  # superseded plan


def test_loading_the_plans_demo_again_changes_nothing(demo):
    before = _table_counts()

    load_plans_demo()

    assert _table_counts() == before


def test_load_demo_loads_the_plans_after_the_partnerships(essex, monkeypatch: Any):
    # Only this file's part is under test: the other demo loaders the command runs are stubbed out.
    for name in dir(load_demo_command):
        if name.startswith("load_") and name.endswith("_demo") and name != "load_plans_demo":
            monkeypatch.setattr(load_demo_command, name, lambda *args, **kwargs: [("x@example.org", "x")])
    with mock.patch.object(load_demo_command, "load_plans_demo", wraps=load_plans_demo) as plans:
        call_command("load_demo", stdout=mock.Mock())

    plans.assert_called_once_with()
    assert PartnershipPlan.objects.count() == 4
