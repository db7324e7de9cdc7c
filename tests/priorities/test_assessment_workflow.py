"""The assessment's workflow: draft → shared with partners → approved by the chair, each step recorded
with who and when; approved assessments are read-only; concurrent changes never overwrite each other;
comments while shared, from the people at the table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships.models import Role
from priorities import services
from priorities.models import (
    AssessmentComment,
    AssessmentStatus,
    CandidateIssue,
    ConsultationEvent,
    LocalDataValue,
    StrategicAssessment,
)
from tests.conftest import Personas
from tests.factories import RoleFactory, UserFactory
from tests.priorities.factories_assessments import CandidateIssueFactory, StrategicAssessmentFactory

pytestmark = pytest.mark.django_db

DRAFT, SHARED, APPROVED = AssessmentStatus.DRAFT, AssessmentStatus.SHARED, AssessmentStatus.APPROVED
MONDAY = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
TUESDAY = datetime(2025, 3, 4, 14, 0, tzinfo=UTC)
WEDNESDAY = datetime(2025, 3, 5, 16, 45, tzinfo=UTC)


def page(name: str, assessment: StrategicAssessment, *args: int) -> str:
    return reverse(f"priorities:{name}", args=[assessment.pk, *args])


def approved(personas: Personas) -> StrategicAssessment:
    return StrategicAssessmentFactory(
        partnership=personas.csp, status=APPROVED, approved_at=MONDAY, approved_by=personas.chair
    )


def test_the_manager_shares_a_draft_and_the_step_records_who_and_when(client, personas: Personas):
    assessment = StrategicAssessmentFactory(partnership=personas.csp)
    client.force_login(personas.manager)

    with time_machine.travel(TUESDAY, tick=False):
        response = client.post(page("assessment_share", assessment))

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.shared_by, assessment.shared_at) == (SHARED, personas.manager, TUESDAY)
    assert assessment.version == 2


def test_the_chair_approves_a_shared_assessment_and_it_shows_who_approved_it_and_when(client, personas: Personas):
    assessment = StrategicAssessmentFactory(partnership=personas.csp, status=SHARED)
    client.force_login(personas.chair)

    with time_machine.travel(WEDNESDAY, tick=False):
        response = client.post(page("assessment_approve", assessment), follow=True)

    assessment.refresh_from_db()
    assert (assessment.status, assessment.approved_by, assessment.approved_at) == (APPROVED, personas.chair, WEDNESDAY)
    assert "Approved 5 March 2025 by Charles Chair" in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("admin", 403), ("manager", 403), ("police_officer", 403)])
def test_only_the_chair_approves_not_even_an_administrator(client, personas: Personas, role, status):
    assessment = StrategicAssessmentFactory(partnership=personas.csp, status=SHARED)
    client.force_login(personas.by_role(role))

    assert client.post(page("assessment_approve", assessment)).status_code == status

    assessment.refresh_from_db()
    assert assessment.status == SHARED


@pytest.mark.parametrize(("role", "status"), [("chair", 403), ("police_officer", 404), ("scrutiny", 404)])
def test_only_a_manager_shares_a_draft(client, personas: Personas, role, status):
    assessment = StrategicAssessmentFactory(partnership=personas.csp)
    client.force_login(personas.by_role(role))

    assert client.post(page("assessment_share", assessment)).status_code == status

    assessment.refresh_from_db()
    assert assessment.status == DRAFT


def test_a_draft_cannot_be_approved_before_it_is_shared(client, personas: Personas):
    assessment = StrategicAssessmentFactory(partnership=personas.csp)
    client.force_login(personas.chair)

    response = client.post(page("assessment_approve", assessment))

    assert response.status_code == 400
    assert "Only an assessment shared with partners can be approved: this one is a draft" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == DRAFT


def test_history_records_every_step_with_who_and_when(client, personas: Personas):
    # Each step signs in on its own day: a session left overnight has expired.
    with time_machine.travel(MONDAY, tick=False):
        client.force_login(personas.manager)
        client.post(
            reverse("priorities:assessment_create", args=[personas.csp.slug]),
            {
                "year": "2024",
                "title": "Riverton strategic assessment 2024/25",
                "period_start_0": "10",
                "period_start_1": "2023",
                "period_end_0": "9",
                "period_end_1": "2024",
            },
        )
    assessment = StrategicAssessment.objects.get()
    with time_machine.travel(TUESDAY, tick=False):
        client.force_login(personas.manager)
        client.post(page("assessment_share", assessment))
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(personas.chair)
        client.post(page("assessment_approve", assessment))

    steps = [
        (h.history_type, h.status, h.history_user, h.history_date) for h in assessment.history.order_by("history_id")
    ]

    assert steps == [
        ("+", DRAFT, personas.manager, MONDAY),
        ("~", SHARED, personas.manager, TUESDAY),
        ("~", APPROVED, personas.chair, WEDNESDAY),
    ]


def test_two_chairs_approving_at_once_approve_it_once(client, personas: Personas):
    second_chair = UserFactory(full_name="Vera Vice-chair")
    RoleFactory(person=second_chair, partnership=personas.csp, organisation=personas.police, role=Role.CHAIR)
    assessment = StrategicAssessmentFactory(partnership=personas.csp, status=SHARED)
    # Both opened the approval page while it was shared.
    seen_by_first = StrategicAssessment.objects.get(pk=assessment.pk)
    seen_by_second = StrategicAssessment.objects.get(pk=assessment.pk)

    with time_machine.travel(TUESDAY, tick=False):
        services.assessment_approve(actor=personas.chair, assessment=seen_by_first)
    with time_machine.travel(WEDNESDAY, tick=False), pytest.raises(ValidationError, match="this one is approved"):
        services.assessment_approve(actor=second_chair, assessment=seen_by_second)

    assessment.refresh_from_db()
    assert (assessment.approved_by, assessment.approved_at, assessment.version) == (personas.chair, TUESDAY, 2)
    assert assessment.history.filter(status=APPROVED).count() == 1


def test_the_second_approval_through_the_page_is_told_it_was_already_approved(client, personas: Personas):
    assessment = StrategicAssessmentFactory(partnership=personas.csp, status=SHARED)
    services.assessment_approve(actor=personas.chair, assessment=assessment)
    client.force_login(personas.chair)

    # Approved now: the approval page is read-only like every other change.
    assert client.post(page("assessment_approve", assessment)).status_code == 403
    assert assessment.history.filter(status=APPROVED).count() == 1


def test_a_stale_edit_is_refused_with_a_message_and_overwrites_nothing(client, personas: Personas):
    assessment = StrategicAssessmentFactory(partnership=personas.csp, title="First title")
    client.force_login(personas.manager)
    form = client.get(page("assessment_edit", assessment)).content.decode()
    assert 'name="version" value="1"' in form
    # Meanwhile an administrator changes the title.
    services.assessment_update(
        actor=personas.admin,
        assessment=assessment,
        version=1,
        title="Administrator's title",
        period_start=assessment.period_start,
        period_end=assessment.period_end,
        summary="",
    )

    response = client.post(
        page("assessment_edit", assessment),
        {
            "version": "1",
            "title": "Manager's title",
            "period_start_0": "10",
            "period_start_1": "2023",
            "period_end_0": "9",
            "period_end_1": "2024",
            "summary": "",
        },
    )

    assert response.status_code == 400
    assert "Someone else changed this assessment while you were editing it" in response.content.decode()
    assessment.refresh_from_db()
    assert (assessment.title, assessment.version) == ("Administrator's title", 2)


def test_an_edit_with_the_current_version_is_saved(client, personas: Personas):
    assessment = StrategicAssessmentFactory(partnership=personas.csp, title="First title")
    client.force_login(personas.manager)

    response = client.post(
        page("assessment_edit", assessment),
        {
            "version": "1",
            "title": "Second title",
            "period_start_0": "1",
            "period_start_1": "2024",
            "period_end_0": "12",
            "period_end_1": "2024",
            "summary": "Changed",
        },
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.title, assessment.period_start, assessment.period_end) == (
        "Second title",
        date(2024, 1, 1),
        date(2024, 12, 1),
    )
    assert assessment.version == 2


@pytest.mark.parametrize(
    "name", ["assessment_edit", "assessment_share", "issue_add", "consultation_add", "local_data_add"]
)
@pytest.mark.parametrize("role", ["manager", "admin"])
def test_an_approved_assessment_cannot_be_changed_through_any_page(client, personas: Personas, name, role):
    assessment = approved(personas)
    client.force_login(personas.by_role(role))

    assert client.get(page(name, assessment)).status_code == 403
    assert client.post(page(name, assessment), {"title": "New"}).status_code == 403


def test_an_approved_assessments_issues_cannot_be_changed(client, personas: Personas):
    assessment = approved(personas)
    issue = CandidateIssueFactory(assessment=assessment, title="Burglary")
    client.force_login(personas.manager)

    response = client.post(
        page("issue_edit", assessment, issue.pk),
        {"title": "Changed", "harm": "1", "likelihood": "1", "trend": "stable"},
    )

    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.title == "Burglary"


def test_the_approved_assessment_page_offers_no_change(client, personas: Personas):
    assessment = approved(personas)
    client.force_login(personas.manager)

    content = client.get(page("assessment", assessment)).content.decode()

    for name in ("assessment_edit", "issue_add", "consultation_add", "local_data_add", "assessment_share"):
        assert page(name, assessment) not in content


def test_the_services_refuse_to_change_an_approved_assessment(personas: Personas):
    assessment = approved(personas)
    refusal = "approved and can no longer be changed"

    with pytest.raises(ValidationError, match=refusal):
        services.assessment_update(
            actor=personas.manager,
            assessment=assessment,
            version=assessment.version,
            title="New",
            period_start=assessment.period_start,
            period_end=assessment.period_end,
            summary="",
        )
    with pytest.raises(ValidationError, match=refusal):
        services.issue_save(
            actor=personas.manager,
            assessment=assessment,
            title="Burglary",
            category="",
            evidence="",
            harm=2,
            likelihood=2,
            trend="stable",
            recommended=False,
        )
    with pytest.raises(ValidationError, match=refusal):
        services.consultation_add(
            actor=personas.manager,
            assessment=assessment,
            kind="survey",
            title="Survey",
            held_on=date(2024, 5, 1),
            respondents=None,
            notes="",
            results=[],
        )
    with pytest.raises(ValidationError, match=refusal):
        services.local_data_add(
            actor=personas.manager,
            assessment=assessment,
            source="Fire",
            indicator="Deliberate fires",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 3, 31),
            value=3,
        )
    with pytest.raises(ValidationError, match="Only a draft can be shared: this assessment is approved"):
        services.assessment_share(actor=personas.manager, assessment=assessment)
    assessment.refresh_from_db()
    assert (assessment.title, assessment.version) != ("New", 2)
    assert not CandidateIssue.objects.exists()
    assert not ConsultationEvent.objects.exists()
    assert not LocalDataValue.objects.exists()


@pytest.mark.parametrize("role", ["manager", "chair", "police_officer", "council_officer"])
def test_the_people_at_the_table_comment_on_a_shared_assessment(client, personas: Personas, role):
    assessment = StrategicAssessmentFactory(partnership=personas.csp, status=SHARED)
    author = personas.by_role(role)
    client.force_login(author)
    assert (
        'action="' + page("assessment_comment", assessment) + '"'
        in client.get(page("assessment", assessment)).content.decode()
    )

    with time_machine.travel(TUESDAY, tick=False):
        response = client.post(
            page("assessment_comment", assessment), {"body": "  The hot spots match ours.  "}, follow=True
        )

    comment = AssessmentComment.objects.get()
    assert (comment.author, comment.body, comment.created_at) == (author, "The hot spots match ours.", TUESDAY)
    assert "The hot spots match ours." in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("scrutiny", 404), ("county_member", 404), ("outsider", 404)])
def test_people_who_do_not_see_a_shared_assessment_cannot_comment(client, personas: Personas, role, status):
    assessment = StrategicAssessmentFactory(partnership=personas.csp, status=SHARED)
    client.force_login(personas.by_role(role))

    assert client.post(page("assessment_comment", assessment), {"body": "Hello"}).status_code == status
    assert not AssessmentComment.objects.exists()


def test_a_partner_officer_cannot_comment_on_a_draft_they_cannot_see(client, personas: Personas):
    assessment = StrategicAssessmentFactory(partnership=personas.csp)
    client.force_login(personas.police_officer)

    assert client.post(page("assessment_comment", assessment), {"body": "Hello"}).status_code == 404
    assert not AssessmentComment.objects.exists()


@pytest.mark.parametrize(("status", "role"), [(DRAFT, "manager"), (APPROVED, "police_officer"), (APPROVED, "chair")])
def test_comments_are_taken_only_while_the_assessment_is_shared(client, personas: Personas, status, role):
    assessment = StrategicAssessmentFactory(
        partnership=personas.csp, status=status, approved_at=MONDAY if status == APPROVED else None
    )
    client.force_login(personas.by_role(role))
    assert page("assessment_comment", assessment) not in client.get(page("assessment", assessment)).content.decode()

    response = client.post(page("assessment_comment", assessment), {"body": "Hello"})

    assert response.status_code == 400
    assert "Comments are taken while the assessment is shared with partners" in response.content.decode()
    assert not AssessmentComment.objects.exists()


def test_the_comment_service_refuses_outside_the_review(personas: Personas):
    assessment = StrategicAssessmentFactory(partnership=personas.csp)

    with pytest.raises(ValidationError, match="Comments are taken while"):
        services.assessment_comment(actor=personas.manager, assessment=assessment, body="Hello")
