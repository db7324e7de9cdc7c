"""Who may open the strategic assessment and crime data URLs: rows of the project's URL permission table.

The walk uses one assessment of the personas' CSP (Riverton), shared with partners: managers and the
chair read it, partner officers read and comment, scrutiny and county group members (who read approved
assessments only) and outsiders do not learn it exists.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from partnerships.models import Partnership
from priorities.models import AssessmentStatus, CandidateIssue, CrimeImport, StrategicAssessment
from tests.conftest import Personas
from tests.url_rules import PARTNERSHIP_MANAGERS, PARTNERSHIP_READERS, rule

# Reading a shared assessment.
SHARED_READERS = rule(
    admin=200,
    manager=200,
    chair=200,
    police_officer=200,
    council_officer=200,
    scrutiny=404,
    county_member=404,
    outsider=404,
    nobody=404,
)
# Changing it: the partnership's managers (and administrators).
SHARED_EDITORS = rule(
    admin=200,
    manager=200,
    chair=403,
    police_officer=403,
    council_officer=403,
    scrutiny=404,
    county_member=404,
    outsider=404,
    nobody=404,
)
# Approving it: the chair only.
SHARED_APPROVERS = rule(
    admin=403,
    manager=403,
    chair=200,
    police_officer=403,
    council_officer=403,
    scrutiny=404,
    county_member=404,
    outsider=404,
    nobody=404,
)

RULES: dict[str, dict[str, Any]] = {
    "priorities:assessments": PARTNERSHIP_READERS,
    "priorities:assessment_create": PARTNERSHIP_MANAGERS,
    "priorities:crime_import": PARTNERSHIP_MANAGERS,
    "priorities:crime_import_summary": PARTNERSHIP_MANAGERS,
    "priorities:assessment": SHARED_READERS,
    "priorities:assessment_edit": SHARED_EDITORS,
    "priorities:assessment_share": SHARED_EDITORS,
    "priorities:assessment_approve": SHARED_APPROVERS,
    # Comments are posted from the assessment page; a GET is not allowed.
    "priorities:assessment_comment": rule(
        admin=405,
        manager=405,
        chair=405,
        police_officer=405,
        council_officer=405,
        scrutiny=405,
        county_member=405,
        outsider=405,
        nobody=405,
    ),
    "priorities:issue_add": SHARED_EDITORS,
    "priorities:issue_edit": SHARED_EDITORS,
    "priorities:consultation_add": SHARED_EDITORS,
    "priorities:local_data_add": SHARED_EDITORS,
}

# Posting an empty form to these changes nothing, for anyone.
WRITE_URLS = (
    "priorities:assessment_create",
    "priorities:assessment_edit",
    "priorities:issue_add",
    "priorities:issue_edit",
    "priorities:consultation_add",
    "priorities:local_data_add",
)


def shared_assessment(personas: Personas) -> StrategicAssessment:
    assessment, _ = StrategicAssessment.objects.get_or_create(
        partnership=personas.csp,
        year=2024,
        defaults={
            "title": "Riverton strategic assessment 2024/25",
            "period_start": date(2023, 10, 1),
            "period_end": date(2024, 9, 1),
            "status": AssessmentStatus.SHARED,
        },
    )
    return assessment


def url_kwarg(name: str, key: str, personas: Personas) -> Any:
    """The value of a URL argument for these URLs, or None when the name is not one of them."""
    if name not in RULES:
        return None
    if key == "ref":
        return personas.csp.slug
    assessment = shared_assessment(personas)
    if key == "pk" and name == "priorities:crime_import_summary":
        record, _ = CrimeImport.objects.get_or_create(
            scope=Partnership.objects.get(pk=personas.csp.pk),
            files="2024-09-shire-street.csv",
            defaults={"rows_read": 10, "rows_outside": 1, "rows_no_location": 1},
        )
        return record.pk
    if key == "pk":
        return assessment.pk
    if key == "issue_pk":
        issue, _ = CandidateIssue.objects.get_or_create(
            assessment=assessment, title="Burglary", defaults={"harm": 3, "likelihood": 3}
        )
        return issue.pk
    return None
