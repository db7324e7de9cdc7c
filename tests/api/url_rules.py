"""Who may open the API's addresses and the token pages (merged into tests/partnerships/test_url_permissions.py's
walk, which asks every URL with a GET in a session that has passed the second factor).

- /api/v1/: every list answers everyone signed in (each with their own scope; tests/api/test_scoped_lists.py
  checks what is in them); a row answers as its page does: 200 in scope, 404 outside it. Reviews and their
  recommendations answer only those with a review role (404 for everyone else, lists included), as the
  review pages. Anonymous callers get 401, not the sign-in page.
- The progress-update address of an action and the retire address of a priority take POST only: 405 for a
  GET, for anyone signed in.
- /api/schema/ and /api/docs/ are public: they hold no data.
- "API tokens": everyone signed in, each with their own; a token's revoke page answers its owner only.
Every method and persona is in tests/api/test_permission_matrix.py; these rows are the walk's GET.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from actionplans.models import AnnualReport, BudgetLine, Milestone, ProgressUpdate
from actionplans.reports import services as report_services
from partnerships.models import ApiToken
from priorities.models import MeasureValue, OutcomeMeasure, Priority
from tests.actionplans.url_rules import agreed_plan, police_action
from tests.conftest import Personas
from tests.priorities.url_rules_assessments import shared_assessment
from tests.priorities.url_rules_plans import adopted_plan
from tests.url_rules import ANONYMOUS, rule

UNAUTHENTICATED = 401


def _api(**outcomes: Any) -> dict[str, Any]:
    return {**outcomes, ANONYMOUS: UNAUTHENTICATED}


SIGNED_IN = _api(**dict.fromkeys(Personas.ROLES, 200))
# Riverton's partnership page and what its county group also reads (adopted plans, their priorities).
RIVERTON_READERS = _api(
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
# An assessment shared with partners: not yet with scrutiny or the county group.
SHARED_READERS = _api(**{**RIVERTON_READERS, "scrutiny": 404, "county_member": 404})
# Action plans, their actions and progress: not the county group's.
ACTION_READERS = _api(**{**RIVERTON_READERS, "county_member": 404})
# The member organisations: the council is a member of Riverton and the county group, not of Hillford.
COUNCIL_READERS = RIVERTON_READERS
_HIDDEN = dict.fromkeys(("admin", "police_officer", "council_officer", "scrutiny", "county_member", "nobody"), 404)
# Need to know: the review lead (the manager) and the chair; the outsider leads Hillford's reviews.
REVIEW_LISTS = _api(**_HIDDEN, manager=200, chair=200, outsider=200)
REVIEW_READERS = _api(**_HIDDEN, manager=200, chair=200, outsider=404)
PUBLIC = {**dict.fromkeys(Personas.ROLES, 200), ANONYMOUS: 200}

RULES: dict[str, dict[str, Any]] = {
    "api:api-root": SIGNED_IN,
    "api:partnership-list": SIGNED_IN,
    "api:partnership-detail": RIVERTON_READERS,
    "api:organisation-list": SIGNED_IN,
    "api:organisation-detail": COUNCIL_READERS,
    "api:assessment-list": SIGNED_IN,
    "api:assessment-detail": SHARED_READERS,
    "api:plan-list": SIGNED_IN,
    "api:plan-detail": RIVERTON_READERS,
    "api:priority-list": SIGNED_IN,
    "api:priority-detail": RIVERTON_READERS,
    "api:priority-retire": _api(**dict.fromkeys(Personas.ROLES, 405)),
    "api:measure-list": SIGNED_IN,
    "api:measure-detail": RIVERTON_READERS,
    "api:measure-value-list": SIGNED_IN,
    "api:measure-value-detail": RIVERTON_READERS,
    "api:action-plan-list": SIGNED_IN,
    "api:action-plan-detail": ACTION_READERS,
    "api:action-list": SIGNED_IN,
    "api:action-detail": ACTION_READERS,
    "api:action-progress": _api(**dict.fromkeys(Personas.ROLES, 405)),
    "api:progress-update-list": SIGNED_IN,
    "api:progress-update-detail": ACTION_READERS,
    "api:milestone-list": SIGNED_IN,
    "api:milestone-detail": ACTION_READERS,
    "api:budget-line-list": SIGNED_IN,
    "api:budget-line-detail": ACTION_READERS,
    "api:annual-report-list": SIGNED_IN,
    # A published report: those who read the partnership's action plans (a draft: its managers and chair).
    "api:annual-report-detail": ACTION_READERS,
    "api:review-list": REVIEW_LISTS,
    "api:review-detail": REVIEW_READERS,
    "api:recommendation-list": REVIEW_LISTS,
    "api:recommendation-detail": REVIEW_READERS,
    "api:schema": PUBLIC,
    "api:docs": PUBLIC,
    # Any other address under /api/: a 404 in JSON, for everyone.
    "api:not-found": {**dict.fromkeys(Personas.ROLES, 404), ANONYMOUS: 404},
    "api_tokens": rule(**dict.fromkeys(Personas.ROLES, 200)),
    # The manager's token: theirs to revoke; nobody else learns it exists.
    "api_token_revoke": rule(**{**dict.fromkeys(Personas.ROLES, 404), "manager": 200}),
}

# Posting an empty form makes no token (the name is missing).
WRITE_URLS = ("api_tokens",)


def _measure(personas: Personas) -> OutcomeMeasure:
    priority = Priority.objects.get(plan=adopted_plan(personas), title="Burglary")
    measure, _ = OutcomeMeasure.objects.get_or_create(
        priority=priority,
        name="Burglaries",
        defaults={
            "unit": "crimes",
            "data_source": "Test figures",
            "baseline": 500,
            "baseline_date": date(2021, 3, 31),
            "target": 400,
            "target_date": date(2024, 3, 31),
            "direction": "down",
        },
    )
    return measure


def _published_report(personas: Personas) -> AnnualReport:
    """Riverton's published annual report on the first year of its adopted plan."""
    plan = adopted_plan(personas)
    report = AnnualReport.objects.filter(partnership=personas.csp, plan=plan, status="published").first()
    if report is None:
        report = report_services.annual_report_create(
            actor=personas.manager, partnership=personas.csp, plan=plan, year=plan.start_year
        )
        AnnualReport.objects.filter(pk=report.pk).update(summary="A good year")
        report.refresh_from_db()
        report_services.annual_report_publish(actor=personas.manager, report=report, version=report.version)
    return report


def _row(name: str, personas: Personas) -> Any:
    """The row a detail address of the walk points at: something of the personas' CSP, Riverton."""
    from tests.reviews.conftest import make_review

    kind = name.removeprefix("api:").removesuffix("-detail").removesuffix("-progress").removesuffix("-retire")
    if kind == "organisation":
        return personas.council
    if kind == "assessment":
        return shared_assessment(personas)
    if kind == "plan":
        return adopted_plan(personas)
    if kind == "priority":
        return Priority.objects.get(plan=adopted_plan(personas), title="Burglary")
    if kind == "measure":
        return _measure(personas)
    if kind == "measure-value":
        value, _ = MeasureValue.objects.get_or_create(
            measure=_measure(personas), period_end=date(2022, 3, 31), value=480
        )
        return value
    if kind == "action-plan":
        return agreed_plan(personas)
    if kind == "action":
        return police_action(personas)
    if kind == "progress-update":
        update, _ = ProgressUpdate.objects.get_or_create(
            action=police_action(personas),
            author=personas.police_officer,
            reported_on=date(2024, 6, 30),
            defaults={"rag": "green", "narrative": "On track", "percent_complete": 20},
        )
        return update
    if kind == "milestone":
        milestone, _ = Milestone.objects.get_or_create(
            action=police_action(personas), title="Rota agreed", defaults={"due_date": date(2024, 10, 31)}
        )
        return milestone
    if kind == "budget-line":
        line, _ = BudgetLine.objects.get_or_create(action=police_action(personas), source="pcc", amount=5000)
        return line
    if kind == "annual-report":
        return _published_report(personas)
    if kind == "review":
        return make_review(personas)
    if kind == "recommendation":
        return make_review(personas).recommendations.first()
    raise AssertionError(f"Add a row for {name} to tests/api/url_rules.py")


def url_kwarg(name: str, key: str, personas: Personas) -> Any:
    """Arguments for the API's addresses and the token pages; None for every other URL."""
    if name not in RULES:
        return None
    if key == "ref":
        return personas.csp.slug
    if key == "rest":
        return "v1/no-such-thing/"
    if key == "uid":
        token = ApiToken.objects.filter(user=personas.manager, name="Dashboard").first()
        if token is None:
            token, _secret = ApiToken.objects.create(user=personas.manager, name="Dashboard")
        return token.uid
    if key == "pk":
        return _row(name, personas).pk
    return None
