"""Who reads an assessment, by its status: managers and the chair always; partner officers once it is
shared; scrutiny members and county group members once it is approved. Not visible means 404.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from priorities.models import AssessmentStatus
from tests.conftest import Personas
from tests.priorities.factories_assessments import StrategicAssessmentFactory

pytestmark = pytest.mark.django_db

DRAFT, SHARED, APPROVED = AssessmentStatus.DRAFT, AssessmentStatus.SHARED, AssessmentStatus.APPROVED
APPROVED_AT = datetime(2025, 3, 5, 16, 0, tzinfo=UTC)

READERS = {
    DRAFT: {"admin", "manager", "chair"},
    SHARED: {"admin", "manager", "chair", "police_officer", "council_officer"},
    APPROVED: {"admin", "manager", "chair", "police_officer", "council_officer", "scrutiny", "county_member"},
}


def assessment_in(partnership, status: str, year: int = 2024):  # type: ignore[no-untyped-def]
    return StrategicAssessmentFactory(
        partnership=partnership,
        status=status,
        year=year,
        title=f"{partnership.name} {status} {year}",
        approved_at=APPROVED_AT if status == APPROVED else None,
    )


@pytest.mark.parametrize("status", [DRAFT, SHARED, APPROVED])
@pytest.mark.parametrize("role", Personas.ROLES)
def test_each_role_reads_an_assessment_only_in_the_statuses_it_may(client, personas: Personas, status, role):
    assessment = assessment_in(personas.csp, status)
    client.force_login(personas.by_role(role))

    response = client.get(reverse("priorities:assessment", args=[assessment.pk]))

    assert response.status_code == (200 if role in READERS[status] else 404)


@pytest.mark.parametrize("role", ["scrutiny", "county_member", "police_officer"])
def test_the_list_shows_only_the_assessments_a_person_may_read(client, personas: Personas, role):
    for year, status in ((2022, APPROVED), (2023, SHARED), (2024, DRAFT)):
        assessment_in(personas.csp, status, year)
    client.force_login(personas.by_role(role))

    page = client.get(reverse("priorities:assessments", args=[personas.csp.slug])).content.decode()

    for status in (DRAFT, SHARED, APPROVED):
        title = f"Riverton {status}"
        assert (title in page) == (role in READERS[status]), f"{title} for {role}"


def test_a_county_group_member_reads_the_approved_assessments_of_every_csp_of_the_county(client, personas: Personas):
    riverton = assessment_in(personas.csp, APPROVED)
    hillford = assessment_in(personas.other_csp, APPROVED)
    hillford_draft = assessment_in(personas.other_csp, SHARED, 2023)
    client.force_login(personas.county_member)

    assert client.get(reverse("priorities:assessment", args=[riverton.pk])).status_code == 200
    assert client.get(reverse("priorities:assessment", args=[hillford.pk])).status_code == 200
    assert client.get(reverse("priorities:assessment", args=[hillford_draft.pk])).status_code == 404


def test_the_manager_of_another_csp_in_the_county_does_not_learn_an_approved_assessment_exists(
    client, personas: Personas
):
    assessment = assessment_in(personas.csp, APPROVED)
    client.force_login(personas.outsider)

    assert client.get(reverse("priorities:assessment", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("priorities:assessment_edit", args=[assessment.pk])).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, personas: Personas):
    assessment = assessment_in(personas.csp, APPROVED)

    response = client.get(reverse("priorities:assessment", args=[assessment.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
