"""Every endpoint and method of /api/v1/, asked by every persona with their own token and by an anonymous
caller, answers as this table declares: allowed (200/201), refused (403: visible but not theirs to change),
not found (404: outside their scope, existence never told), not allowed (405: no such method) or 401.

Each row is one test; the personas ask in turn, each inside a savepoint rolled back afterwards, so a write
one persona is allowed does not change what the next one sees. Writes send a valid body with the current
version: a refusal is about who asks, not what they send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from tests.api.conftest import ANONYMOUS, API, EVERYONE, World, measure_body, priority_body

pytestmark = pytest.mark.django_db

SIGNED_IN = tuple(role for role in EVERYONE if role != ANONYMOUS)


def outcome(**codes: int) -> dict[str, int]:
    """Each persona's status code; anonymous callers are always 401."""
    assert set(codes) == set(SIGNED_IN), f"give every persona: missing {set(SIGNED_IN) - set(codes)}"
    return {**codes, ANONYMOUS: 401}


def everyone(code: int) -> dict[str, int]:
    return outcome(**dict.fromkeys(SIGNED_IN, code))


RIVERTON_READERS = outcome(
    admin=200,
    manager=200,
    chair=200,
    police_officer=200,
    council_officer=200,
    scrutiny=200,
    county_member=200,
    outsider=404,
    nobody=404,
)
ACTION_READERS = {**RIVERTON_READERS, "county_member": 404}
DRAFT_READERS = outcome(
    admin=200,
    manager=200,
    chair=200,
    police_officer=404,
    council_officer=404,
    scrutiny=404,
    county_member=404,
    outsider=404,
    nobody=404,
)


def managers(code: int) -> dict[str, int]:
    """Riverton's managers (and administrators) may; others who see its action plans are refused."""
    return outcome(
        admin=code,
        manager=code,
        chair=403,
        police_officer=403,
        council_officer=403,
        scrutiny=403,
        county_member=404,
        outsider=404,
        nobody=404,
    )


def reporters(code: int) -> dict[str, int]:
    """The police's action: its lead organisation's officers and Riverton's managers (and administrators)."""
    return {**managers(code), "police_officer": code}


def review_gated(code: int) -> dict[str, int]:
    """Review endpoints: 404 for everyone without a review role; the code for those with one."""
    return outcome(
        admin=404,
        manager=code,
        chair=code,
        police_officer=404,
        council_officer=404,
        scrutiny=404,
        county_member=404,
        outsider=code,
        nobody=404,
    )


REVIEW_READERS = {**review_gated(200), "outsider": 404}
# Changing an adopted plan or its priorities: refused to all who see it (its annual review changes it).
ADOPTED_PLAN_REFUSED = {
    **{role: 403 for role, code in RIVERTON_READERS.items() if code == 200},
    "outsider": 404,
    "nobody": 404,
    ANONYMOUS: 401,
}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: Callable[[World], str]
    expected: dict[str, int]
    body: Callable[[World], dict[str, Any]] | None = None


def _today() -> str:
    return timezone.localdate().isoformat()


def _action_body(world: World, **extra: Any) -> dict[str, Any]:
    personas = world.personas
    return {
        "reference": "3.1",
        "title": "Street lighting survey",
        "description": "Where residents feel unsafe after dark",
        "priority": world.priority.pk,
        "lead_organisation": personas.council.pk,
        "lead_officer": personas.council_officer.pk,
        "supporting_organisations": [personas.police.pk],
        "outcome_measures": [world.measure.pk],
        "start_date": "2024-10-01",
        "due_date": "2025-09-30",
        "status": "not_started",
        **extra,
    }


def _progress_body(world: World) -> dict[str, Any]:
    return {
        "reported_on": _today(),
        "rag": "green",
        "narrative": "All four patrols staffed",
        "percent_complete": 60,
        "status": "in_progress",
        "evidence_links": ["https://example.org/patrols.pdf"],
        "version": world.police_action.version,
    }


def _plan_body(world: World) -> dict[str, Any]:
    return {
        "title": "Riverton Community Safety Strategy 2027 to 2030 (revised)",
        "start_year": 2027,
        "end_year": 2030,
        "vision": "A safer Riverton",
        "assessments": [world.draft_assessment.pk],
        "version": world.draft_plan.version,
    }


def _action_plan_body(world: World) -> dict[str, Any]:
    return {
        "title": "Riverton Community Safety Action Plan (revised)",
        "period_start": "2024-04-01",
        "period_end": "2027-03-31",
        "plan": world.plan.pk,
        "version": world.action_plan.version,
    }


def detail(kind: str, row: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda world: f"{API}{kind}/{row(world).pk}/"


def listing(kind: str) -> Callable[[World], str]:
    return lambda world: f"{API}{kind}/"


READ_ONLY_LISTS = (
    "annual-reports",
    "partnerships",
    "organisations",
    "strategic-assessments",
    "partnership-plans",
    "action-plans",
    "progress-updates",
)
READ_ONLY_DETAILS: dict[str, tuple[Callable[[World], str], dict[str, int]]] = {
    "partnership": (lambda w: f"{API}partnerships/riverton/", everyone(405)),
    "organisation": (detail("organisations", lambda w: w.personas.council), everyone(405)),
    "assessment": (detail("strategic-assessments", lambda w: w.approved_assessment), everyone(405)),
    "measure value": (detail("measure-values", lambda w: w.value), everyone(405)),
    "progress update": (detail("progress-updates", lambda w: w.update), everyone(405)),
    "annual report": (detail("annual-reports", lambda w: w.published_report), everyone(405)),
    "review": (detail("reviews", lambda w: w.review), review_gated(405)),
    "recommendation": (detail("recommendations", lambda w: w.recommendation), review_gated(405)),
}

ROWS: list[Row] = [
    # Lists: everyone signed in has one (scoped: tests/api/test_scoped_lists.py); reviews only with a role.
    *(
        Row(f"list {kind}", "get", listing(kind), everyone(200))
        for kind in (
            *READ_ONLY_LISTS,
            "priorities",
            "outcome-measures",
            "measure-values",
            "actions",
            "milestones",
            "budget-lines",
        )
    ),
    Row("list reviews", "get", listing("reviews"), review_gated(200)),
    Row("list recommendations", "get", listing("recommendations"), review_gated(200)),
    # Creating through a read-only list: no such method.
    *(Row(f"post to {kind}", "post", listing(kind), everyone(405), lambda w: {}) for kind in READ_ONLY_LISTS),
    Row("post to reviews", "post", listing("reviews"), review_gated(405), lambda w: {}),
    Row("post to recommendations", "post", listing("recommendations"), review_gated(405), lambda w: {}),
    # One row each, as its page answers.
    Row("partnership", "get", lambda w: f"{API}partnerships/riverton/", RIVERTON_READERS),
    Row("partnership by ONS code", "get", lambda w: f"{API}partnerships/E22900001/", RIVERTON_READERS),
    Row("organisation", "get", detail("organisations", lambda w: w.personas.council), RIVERTON_READERS),
    Row(
        "approved assessment", "get", detail("strategic-assessments", lambda w: w.approved_assessment), RIVERTON_READERS
    ),
    Row("draft assessment", "get", detail("strategic-assessments", lambda w: w.draft_assessment), DRAFT_READERS),
    Row("adopted plan", "get", detail("partnership-plans", lambda w: w.plan), RIVERTON_READERS),
    Row("draft plan", "get", detail("partnership-plans", lambda w: w.draft_plan), DRAFT_READERS),
    Row("priority", "get", detail("priorities", lambda w: w.priority), RIVERTON_READERS),
    Row("measure", "get", detail("outcome-measures", lambda w: w.measure), RIVERTON_READERS),
    Row("measure value", "get", detail("measure-values", lambda w: w.value), RIVERTON_READERS),
    Row("action plan", "get", detail("action-plans", lambda w: w.action_plan), ACTION_READERS),
    Row("action", "get", detail("actions", lambda w: w.police_action), ACTION_READERS),
    Row(
        "another CSP's action",
        "get",
        detail("actions", lambda w: w.other_action),
        outcome(
            admin=200,
            manager=404,
            chair=404,
            police_officer=404,
            council_officer=404,
            scrutiny=404,
            county_member=404,
            outsider=200,
            nobody=404,
        ),
    ),
    Row("progress update", "get", detail("progress-updates", lambda w: w.update), ACTION_READERS),
    Row("published annual report", "get", detail("annual-reports", lambda w: w.published_report), ACTION_READERS),
    Row(
        "draft annual report",
        "get",
        detail("annual-reports", lambda w: w.draft_report),
        {**DRAFT_READERS, "chair": 200},
    ),
    Row("milestone", "get", detail("milestones", lambda w: w.milestone), ACTION_READERS),
    Row("budget line", "get", detail("budget-lines", lambda w: w.budget_line), ACTION_READERS),
    Row("review", "get", detail("reviews", lambda w: w.review), REVIEW_READERS),
    Row("recommendation", "get", detail("recommendations", lambda w: w.recommendation), REVIEW_READERS),
    # Writes, through the services.
    Row(
        "add an action",
        "post",
        listing("actions"),
        managers(201),
        lambda w: _action_body(w, action_plan=w.action_plan.pk),
    ),
    Row(
        "change an action (PATCH)",
        "patch",
        detail("actions", lambda w: w.police_action),
        managers(200),
        lambda w: {"title": "Patrols on three nights", "version": w.police_action.version},
    ),
    Row(
        "change an action (PUT)",
        "put",
        detail("actions", lambda w: w.police_action),
        managers(200),
        lambda w: _action_body(w, version=w.police_action.version),
    ),
    Row(
        "report progress on the police's action",
        "post",
        lambda w: f"{API}actions/{w.police_action.pk}/progress-updates/",
        reporters(201),
        _progress_body,
    ),
    Row(
        "add a milestone to the police's action",
        "post",
        listing("milestones"),
        reporters(201),
        lambda w: {"action": w.police_action.pk, "title": "Second rota", "due_date": "2025-03-31"},
    ),
    Row(
        "change a milestone (PATCH)",
        "patch",
        detail("milestones", lambda w: w.milestone),
        reporters(200),
        lambda w: {"done_on": None},
    ),
    Row(
        "change a milestone (PUT)",
        "put",
        detail("milestones", lambda w: w.milestone),
        reporters(200),
        lambda w: {"title": "Rota agreed with the federation", "due_date": "2024-11-30", "done_on": "2024-11-02"},
    ),
    Row(
        "add a budget line to the police's action",
        "post",
        listing("budget-lines"),
        reporters(201),
        lambda w: {"action": w.police_action.pk, "source": "home_office", "amount": "2500.00"},
    ),
    Row(
        "change a budget line (PATCH)",
        "patch",
        detail("budget-lines", lambda w: w.budget_line),
        reporters(200),
        lambda w: {"spent_to_date": "6000.00"},
    ),
    Row(
        "change a budget line (PUT)",
        "put",
        detail("budget-lines", lambda w: w.budget_line),
        reporters(200),
        lambda w: {"source": "pcc", "grant_name": "Safer Streets 5", "amount": "15000", "spent_to_date": "6000"},
    ),
    Row(
        "change an action plan (PATCH)",
        "patch",
        detail("action-plans", lambda w: w.action_plan),
        managers(200),
        _action_plan_body,
    ),
    Row(
        "change an action plan (PUT)",
        "put",
        detail("action-plans", lambda w: w.action_plan),
        managers(200),
        _action_plan_body,
    ),
    Row(
        "change a draft plan (PATCH)",
        "patch",
        detail("partnership-plans", lambda w: w.draft_plan),
        {**DRAFT_READERS, "chair": 403},
        _plan_body,
    ),
    Row(
        "change a draft plan (PUT)",
        "put",
        detail("partnership-plans", lambda w: w.draft_plan),
        {**DRAFT_READERS, "chair": 403},
        _plan_body,
    ),
    Row(
        "change an adopted plan",
        "patch",
        detail("partnership-plans", lambda w: w.plan),
        {
            **{role: 403 for role, code in RIVERTON_READERS.items() if code == 200},
            "outsider": 404,
            "nobody": 404,
            ANONYMOUS: 401,
        },
        lambda w: {"title": "Renamed", "version": w.plan.version},
    ),
    Row(
        "add a priority to a draft plan",
        "post",
        listing("priorities"),
        {**DRAFT_READERS, "admin": 201, "manager": 201, "chair": 403},
        lambda w: priority_body(plan=w.draft_plan.pk, alignment=["national"]),
    ),
    Row(
        "add a priority to an adopted plan",
        "post",
        listing("priorities"),
        {**ADOPTED_PLAN_REFUSED, ANONYMOUS: 401},
        lambda w: priority_body(plan=w.plan.pk),
    ),
    Row(
        "change a draft plan's priority (PATCH)",
        "patch",
        detail("priorities", lambda w: w.draft_priority),
        {**DRAFT_READERS, "chair": 403},
        lambda w: {"aim": "No one feels unsafe walking home"},
    ),
    Row(
        "change a draft plan's priority (PUT)",
        "put",
        detail("priorities", lambda w: w.draft_priority),
        {**DRAFT_READERS, "chair": 403},
        lambda w: priority_body(),
    ),
    Row(
        "change an adopted plan's priority",
        "patch",
        detail("priorities", lambda w: w.priority),
        ADOPTED_PLAN_REFUSED,
        lambda w: {"title": "Renamed"},
    ),
    Row(
        "retire a draft plan's priority",
        "post",
        lambda w: f"{API}priorities/{w.draft_priority.pk}/retire/",
        {**DRAFT_READERS, "chair": 403},
    ),
    Row(
        "retire an adopted plan's priority",
        "post",
        lambda w: f"{API}priorities/{w.priority.pk}/retire/",
        ADOPTED_PLAN_REFUSED,
    ),
    Row(
        "add an outcome measure",
        "post",
        listing("outcome-measures"),
        {**managers(201), "county_member": 403},
        lambda w: measure_body(priority=w.priority.pk),
    ),
    Row(
        "change an outcome measure (PATCH)",
        "patch",
        detail("outcome-measures", lambda w: w.measure),
        {**managers(200), "county_member": 403},
        lambda w: {"target": "80.00"},
    ),
    Row(
        "change an outcome measure (PUT)",
        "put",
        detail("outcome-measures", lambda w: w.measure),
        {**managers(200), "county_member": 403},
        lambda w: measure_body(),
    ),
    Row(
        "add a measure value",
        "post",
        listing("measure-values"),
        {**managers(201), "county_member": 403},
        lambda w: {"measure": w.measure.pk, "period_end": "2024-09-30", "value": "90.00"},
    ),
    # No deletes anywhere; no changes to read-only rows.
    *(
        Row(f"{method} {kind}", method, path, expected, (lambda w: {}) if method != "delete" else None)
        for kind, (path, expected) in READ_ONLY_DETAILS.items()
        for method in ("put", "patch", "delete")
    ),
    *(
        Row(f"delete {kind}", "delete", path, everyone(405))
        for kind, path in (
            ("action", detail("actions", lambda w: w.police_action)),
            ("action plan", detail("action-plans", lambda w: w.action_plan)),
            ("plan", detail("partnership-plans", lambda w: w.draft_plan)),
            ("priority", detail("priorities", lambda w: w.draft_priority)),
            ("milestone", detail("milestones", lambda w: w.milestone)),
            ("budget line", detail("budget-lines", lambda w: w.budget_line)),
            ("measure", detail("outcome-measures", lambda w: w.measure)),
        )
    ),
]


def _ask(world: World, role: str, row: Row) -> int:
    client = world.client(role)
    path = row.path(world)
    body = row.body(world) if row.body is not None else None
    with transaction.atomic():
        response = (
            getattr(client, row.method)(path, body, format="json")
            if body is not None
            else getattr(client, row.method)(path)
        )
        transaction.set_rollback(True)
    return int(response.status_code)


def test_every_row_names_every_persona_and_anonymous_callers():
    for row in ROWS:
        assert set(row.expected) == set(EVERYONE), row.name


def test_every_endpoint_and_method_of_the_router_is_in_the_matrix(world: World) -> None:
    from django.urls import resolve

    from csp_portal.api.urls import router

    supported = {
        (f"api:{pattern.name}", method)
        for pattern in router.urls
        if pattern.name != "api-root"
        for method in pattern.callback.actions  # type: ignore[attr-defined]
        if method != "head"  # added by DRF on the first GET
    }
    covered = {(resolve(row.path(world)).view_name, row.method) for row in ROWS}
    assert supported - covered == set()


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_each_persona_gets_the_declared_answer(world: World, row: Row) -> None:
    answers = {role: _ask(world, role, row) for role in EVERYONE}
    assert answers == row.expected


@pytest.mark.parametrize("method", ["options", "trace"])
def test_there_is_no_options_or_trace(world: World, method: str) -> None:
    for role in ("manager", "nobody"):
        response = world.client(role).generic(method.upper(), f"{API}actions/{world.police_action.pk}/")
        assert response.status_code == 405
        assert "OPTIONS" not in response["Allow"]


def test_answers_are_private_to_their_caller(world: World) -> None:
    response = world.client("manager").get(f"{API}actions/{world.police_action.pk}/")
    assert "private" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]
