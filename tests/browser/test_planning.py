"""Strategic assessments, partnership plans and the action import in the browser: every page, and every
form submitted empty, passes axe (WCAG 2.2 AA) under the portal's Content-Security-Policy.

The demo holds Uttlesford's draft assessment, Barnet's approved one with real police.uk data, the
Southend strategy 2022–2025 and Southend's action plan; the administrator sees them all.
"""

from __future__ import annotations

import pytest

from actionplans.models import ActionPlan
from priorities.models import CrimeImport, PartnershipPlan, PlanStatus, Priority, StrategicAssessment
from tests.browser.conftest import DEMO_LOGINS, Portal
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Clears every answer of the page's form (keeping hidden fields) so it is submitted empty.
CLEAR_FORM = """() => {
    for (const el of document.querySelectorAll('main form[method=post] input, main form[method=post] textarea')) {
        if (el.type === 'radio' || el.type === 'checkbox') { el.checked = false; }
        else if (!['hidden', 'submit', 'file'].includes(el.type)) { el.value = ''; }
    }
    for (const select of document.querySelectorAll('main form[method=post] select')) { select.selectedIndex = 0; }
}"""


def _empty_submit(portal: Portal, path: str) -> None:
    """Open a form, check it, submit it empty, and check the page with its error summary."""
    portal.open(path)
    portal.check()
    portal.page.evaluate(CLEAR_FORM)
    with portal.page.expect_navigation():
        portal.page.locator("main #submit-id-submit").click()
    assert portal.error_summary(), f"{path}: submitted empty, the form should say what is missing"
    portal.check()


def test_assessment_pages_and_their_empty_forms_pass_axe(portal: Portal, demo: None) -> None:
    draft = StrategicAssessment.objects.get(partnership__ons_code="E22000092")
    approved = StrategicAssessment.objects.get(partnership__ons_code="E22000187")
    portal.sign_in(DEMO_LOGINS["admin"])
    for path in (
        "/partnerships/uttlesford/assessments/",
        f"/assessments/{draft.pk}/",
        f"/assessments/{approved.pk}/",
        f"/crime-data/imports/{CrimeImport.objects.filter(scope=approved.partnership).first().pk}/",
    ):
        portal.open(path)
        portal.check()
    for path in (
        "/partnerships/uttlesford/assessments/new/",
        f"/assessments/{draft.pk}/edit/",
        f"/assessments/{draft.pk}/issues/add/",
        f"/assessments/{draft.pk}/consultations/add/",
        f"/assessments/{draft.pk}/local-data/add/",
    ):
        _empty_submit(portal, path)
    # The upload form sends through JavaScript (with progress); its refusals are walked in
    # tests/priorities/test_import_progress_in_browser.py.
    portal.open("/partnerships/uttlesford/crime-data/import/")
    portal.check()


def test_plan_pages_and_their_empty_forms_pass_axe(portal: Portal, demo: None) -> None:
    adopted = PartnershipPlan.objects.get(partnership__slug="southend-on-sea", status=PlanStatus.ADOPTED)
    priority = Priority.objects.filter(plan=adopted).first()
    measure = priority.measures.first()
    draft = PlanFactory(partnership=adopted.partnership, title="Browser draft plan", start_year=2026, end_year=2028)
    portal.sign_in(DEMO_LOGINS["manager"])
    for path in (
        "/partnerships/southend-on-sea/plans/",
        f"/plans/{adopted.pk}/",
        f"/plans/{adopted.pk}/history/",
    ):
        portal.open(path)
        portal.check()
    for path in (
        "/partnerships/southend-on-sea/plans/new/",
        f"/plans/{draft.pk}/edit/",
        f"/plans/{draft.pk}/priorities/add/",
        f"/plans/{adopted.pk}/priorities/{priority.pk}/measures/add/",
        f"/plans/{adopted.pk}/measures/{measure.pk}/values/add/",
    ):
        _empty_submit(portal, path)
    portal.sign_out()
    portal.sign_in(DEMO_LOGINS["county"])
    portal.open("/partnerships/safer-essex/county-priorities/")
    portal.check()


def test_action_import_page_passes_axe_before_and_after_an_empty_upload(portal: Portal, demo: None) -> None:
    action_plan = ActionPlan.objects.get(partnership__slug="southend-on-sea", status="agreed")
    portal.sign_in(DEMO_LOGINS["manager"])
    _empty_submit(portal, f"/action-plans/{action_plan.pk}/import/")
