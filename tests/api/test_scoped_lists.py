"""A list never holds a row its caller may not see: every list, for every persona, is exactly the scope the
app's permission module gives (the same functions the pages list from), and filters only narrow it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from actionplans import permissions as action_permissions
from actionplans.models import BudgetLine, Milestone, ProgressUpdate
from partnerships import permissions as partnership_permissions
from priorities import permissions as priority_permissions
from reviews import permissions as review_permissions
from reviews.models import Recommendation
from tests.api.conftest import API, World
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

SCOPES: dict[str, Callable[[Any], Any]] = {
    "partnerships": partnership_permissions.visible_partnerships,
    "organisations": partnership_permissions.visible_organisations,
    "strategic-assessments": priority_permissions.visible_assessments,
    "partnership-plans": priority_permissions.visible_plans,
    "priorities": priority_permissions.visible_priorities,
    "outcome-measures": priority_permissions.visible_measures,
    "measure-values": priority_permissions.visible_measure_values,
    "action-plans": action_permissions.visible_action_plans,
    "actions": action_permissions.visible_actions,
    "progress-updates": lambda user: ProgressUpdate.objects.filter(action__in=action_permissions.visible_actions(user)),
    "milestones": lambda user: Milestone.objects.filter(action__in=action_permissions.visible_actions(user)),
    "budget-lines": lambda user: BudgetLine.objects.filter(action__in=action_permissions.visible_actions(user)),
    "annual-reports": action_permissions.visible_annual_reports,
    "reviews": review_permissions.visible_reviews,
    "recommendations": lambda user: Recommendation.objects.filter(review__in=review_permissions.visible_reviews(user)),
}


def _ids(world: World, role: str, kind: str, query: str = "") -> set[int] | None:
    response = world.client(role).get(f"{API}{kind}/?page_size=500{query}")
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("kind", SCOPES)
@pytest.mark.parametrize("role", Personas.ROLES)
def test_a_list_is_exactly_the_callers_scope(world: World, role: str, kind: str) -> None:
    user = world.personas.by_role(role)
    listed = _ids(world, role, kind)
    if listed is None:  # the review lists: only for those with a review role
        assert kind in ("reviews", "recommendations")
        assert not review_permissions.has_review_access(user)
        return
    assert listed == set(SCOPES[kind](user).values_list("pk", flat=True))


def test_riverton_people_never_see_hillfords_actions_and_hillfords_manager_sees_only_them(world: World) -> None:
    riverton = {world.police_action.pk, world.council_action.pk}
    for role in ("manager", "chair", "police_officer", "council_officer", "scrutiny"):
        assert _ids(world, role, "actions") == riverton
    assert _ids(world, "outsider", "actions") == {world.other_action.pk}
    assert _ids(world, "county_member", "actions") == set()
    assert _ids(world, "nobody", "actions") == set()
    assert _ids(world, "admin", "actions") == riverton | {world.other_action.pk}


def test_a_filter_never_widens_the_scope(world: World) -> None:
    assert _ids(world, "manager", "actions", "&partnership=hillford") == set()
    assert _ids(world, "manager", "actions", f"&action_plan={world.other_action_plan.pk}") == set()
    assert _ids(world, "outsider", "actions", "&partnership=riverton") == set()
    assert _ids(world, "admin", "actions", "&partnership=hillford") == {world.other_action.pk}
    assert _ids(world, "scrutiny", "strategic-assessments", "&status=draft") == set()
    assert _ids(world, "manager", "strategic-assessments", "&status=draft") == {world.draft_assessment.pk}


def test_partner_officers_read_shared_and_approved_assessments_only(world: World) -> None:
    assert _ids(world, "police_officer", "strategic-assessments") == {world.approved_assessment.pk}
    assert _ids(world, "police_officer", "partnership-plans") == {world.plan.pk}
    assert _ids(world, "manager", "partnership-plans") == {world.plan.pk, world.draft_plan.pk}


def test_scrutiny_members_see_no_names(world: World) -> None:
    actions = world.client("scrutiny").get(f"{API}actions/").json()["results"]
    assert {(a["lead_officer"], a["lead_officer_name"]) for a in actions} == {(None, None)}
    updates = world.client("scrutiny").get(f"{API}progress-updates/").json()["results"]
    assert [u["author_name"] for u in updates] == [None]
    # Those who may see the partnership's people see the names.
    actions = world.client("council_officer").get(f"{API}actions/?ordering=reference").json()["results"]
    assert [a["lead_officer_name"] for a in actions] == ["Polly Police", "Colin Council"]
    updates = world.client("council_officer").get(f"{API}progress-updates/").json()["results"]
    assert [u["author_name"] for u in updates] == ["Polly Police"]


def test_a_plan_lists_only_the_assessments_its_reader_may_see(world: World) -> None:
    world.plan.assessments.add(world.draft_assessment)
    plan = world.client("police_officer").get(f"{API}partnership-plans/{world.plan.pk}/").json()
    assert plan["assessments"] == [world.approved_assessment.pk]
    plan = world.client("manager").get(f"{API}partnership-plans/{world.plan.pk}/").json()
    assert sorted(plan["assessments"]) == sorted([world.approved_assessment.pk, world.draft_assessment.pk])


def test_a_partnership_lists_its_member_organisations_and_districts(world: World) -> None:
    body = world.client("scrutiny").get(f"{API}partnerships/riverton/").json()
    assert body["parent"] == "safer-shire"
    assert [(m["name"], m["standing"]) for m in body["member_organisations"]] == [
        ("Riverton Borough Council", "responsible_authority"),
        ("Shire Police", "responsible_authority"),
    ]
    county = world.client("county_member").get(f"{API}partnerships/?kind=csp").json()["results"]
    assert sorted(p["slug"] for p in county) == ["hillford", "riverton"]


def test_review_lists_hold_only_the_reviews_their_caller_may_open(world: World) -> None:
    assert _ids(world, "manager", "reviews") == {world.review.pk}
    assert _ids(world, "chair", "reviews") == {world.review.pk}
    assert _ids(world, "outsider", "reviews") == set()  # Hillford's manager: their own reviews only
    assert _ids(world, "outsider", "recommendations") == set()
    for role in ("admin", "police_officer", "council_officer", "scrutiny", "county_member", "nobody"):
        assert _ids(world, role, "reviews") is None
        assert _ids(world, role, "recommendations") is None
