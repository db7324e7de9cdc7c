"""Who may open the scrutiny URLs (the dashboard, the county roll-up, annual reports): rows of the project's
URL permission table (tests/partnerships/test_url_permissions.py).

- The dashboard and the list of annual reports: those who read the partnership's action plans (its
  managers, chair, partner officers, scrutiny members, administrators); the county group member sees the
  partnership but not its performance (403); others do not learn it exists.
- The roll-up, asked of the county group (Safer Shire): those with a role in the county group itself and
  administrators. A CSP's people do not see the county group, so for them it does not exist (404).
- A published annual report (2024/25), its PDF and its spreadsheet: everyone who reads the action plans.
- Starting a report: the partnership's managers. Writing and publishing the draft (2025/26): its managers;
  the chair reads drafts but does not write them (403); nobody else sees a draft (404). So a scrutiny
  member's every request that would change data is refused.
"""

from __future__ import annotations

from typing import Any

from actionplans.models import AnnualReport
from actionplans.reports import services
from priorities.models import PartnershipPlan, PlanStatus
from tests.conftest import Personas
from tests.url_rules import PARTNERSHIP_MANAGERS, rule

# The action plans' readers; the county group member sees the partnership (403), not its action plans.
DASHBOARD_READERS = rule(
    admin=200,
    manager=200,
    chair=200,
    police_officer=200,
    council_officer=200,
    scrutiny=200,
    county_member=403,
    outsider=404,
    nobody=404,
)
ROLL_UP_READERS = rule(
    admin=200,
    manager=404,
    chair=404,
    police_officer=404,
    council_officer=404,
    scrutiny=404,
    county_member=200,
    outsider=404,
    nobody=404,
)
PUBLISHED_REPORT_READERS = rule(
    admin=200,
    manager=200,
    chair=200,
    police_officer=200,
    council_officer=200,
    scrutiny=200,
    county_member=404,
    outsider=404,
    nobody=404,
)
DRAFT_REPORT_WRITERS = rule(
    admin=200,
    manager=200,
    chair=403,
    police_officer=404,
    council_officer=404,
    scrutiny=404,
    county_member=404,
    outsider=404,
    nobody=404,
)

RULES: dict[str, dict[str, Any]] = {
    "actionplans:dashboard": DASHBOARD_READERS,
    "actionplans:roll_up": ROLL_UP_READERS,
    "actionplans:reports": DASHBOARD_READERS,
    "actionplans:report_start": PARTNERSHIP_MANAGERS,
    "actionplans:report": PUBLISHED_REPORT_READERS,
    "actionplans:report_pdf": PUBLISHED_REPORT_READERS,
    "actionplans:report_xlsx": PUBLISHED_REPORT_READERS,
    "actionplans:report_edit": DRAFT_REPORT_WRITERS,
    "actionplans:report_publish": DRAFT_REPORT_WRITERS,
}

# Posting an empty form to these changes nothing, for anyone (the dashboard, the roll-up and the
# downloads answer GET only).
WRITE_URLS = ("actionplans:report_start", "actionplans:report_edit", "actionplans:report_publish")

PLAN_TITLE = "Riverton Community Safety Strategy 2024 to 2027"


def _plan(personas: Personas) -> PartnershipPlan:
    plan, _ = PartnershipPlan.objects.get_or_create(
        partnership=personas.csp,
        title=PLAN_TITLE,
        defaults={
            "start_year": 2024,
            "end_year": 2027,
            "status": PlanStatus.ADOPTED,
            "adopted_on": "2024-03-20",
            "adopted_by_body": "Full Council",
        },
    )
    return plan


def _report(personas: Personas, year: int) -> AnnualReport:
    existing = AnnualReport.objects.filter(partnership=personas.csp, period_start__year=year).first()
    if existing is not None:
        return existing
    return services.annual_report_create(
        actor=personas.manager, partnership=personas.csp, plan=_plan(personas), year=year
    )


def published_report(personas: Personas) -> AnnualReport:
    report = _report(personas, 2024)
    if not report.is_published:
        services.annual_report_update(
            actor=personas.manager,
            report=report,
            version=report.version,
            title=report.title,
            committee="Place Scrutiny Committee",
            summary="A year of steady progress",
        )
        services.annual_report_publish(actor=personas.manager, report=report, version=report.version)
    return report


def draft_report(personas: Personas) -> AnnualReport:
    return _report(personas, 2025)


def url_kwarg(name: str, key: str, personas: Personas) -> Any:
    """The value of a URL argument for these URLs, or None when the name is not one of them."""
    if name not in RULES:
        return None
    if key == "ref":
        return personas.county.slug if name == "actionplans:roll_up" else personas.csp.slug
    if key == "pk" and name in ("actionplans:report_edit", "actionplans:report_publish"):
        return draft_report(personas).pk
    if key == "pk":
        return published_report(personas).pk
    return None
