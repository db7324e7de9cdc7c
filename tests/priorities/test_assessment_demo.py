"""The demo assessments: Uttlesford's in progress (seed 002) and Barnet's, approved, from police.uk data."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from partnerships.models import Partnership, User
from priorities import selectors
from priorities.demo_assessments import POLICEUK_FILE, load_assessments_demo
from priorities.models import AssessmentStatus, CrimeCount, CrimeImport, StrategicAssessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("load_registry", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_app_config("priorities").get_models()}


def test_load_demo_creates_uttlesfords_assessment_in_progress_as_a_draft(demo):
    assessment = StrategicAssessment.objects.get(partnership__ons_code="E22000092")

    assert assessment.title == "Uttlesford strategic risk assessment 2024/25"
    assert (assessment.year_label, assessment.status) == ("2024/25", AssessmentStatus.DRAFT)
    assert "Strategic risk assessment in progress" in assessment.summary
    assert "Community Safety Action Plan 2024–2027" in assessment.summary


def test_load_demo_creates_barnets_approved_assessment_from_the_police_uk_file(demo):
    barnet = Partnership.objects.get(ons_code="E22000187")
    assessment = StrategicAssessment.objects.get(partnership=barnet)

    assert assessment.title == "Barnet strategic assessment 2024/25"
    assert (assessment.period_start, assessment.period_end) == (date(2024, 12, 1), date(2025, 2, 1))
    assert assessment.status == AssessmentStatus.APPROVED
    assert assessment.approved_at is not None
    assert assessment.approved_by is None  # the portal, not a person: Barnet has no demo people
    assert CrimeCount.objects.filter(partnership=barnet).aggregate(total=Sum("count"))["total"] == 680
    record = CrimeImport.objects.get(scope=barnet)
    assert (record.files, record.rows_read, record.imported_by) == (POLICEUK_FILE.name, 12_945, None)
    ranked = selectors.ranked_issues(assessment)
    assert len(ranked) == 3
    assert [s.issue.recommended for s in ranked] == [True, True, False]
    event = assessment.consultations.get()
    assert "(demo)" in event.title
    assert event.results.count() == 2
    assert all("demo" in r.question for r in event.results.all())
    assert all("demo" in s.issue.evidence.lower() for s in ranked)


def test_the_demo_profile_of_barnet_compares_with_the_three_months_before(demo):
    assessment = StrategicAssessment.objects.get(partnership__ons_code="E22000187")

    profile = selectors.crime_profile(assessment)

    assert profile.monthly == {"burglary": [244, 244, 192]}
    assert (profile.total.current, profile.total.previous, profile.total.percent) == (680, 0, None)
    assert len(profile.hot_spots["burglary"]) == 5


def test_loading_the_demo_again_changes_nothing(demo):
    before = counts()

    load_assessments_demo()
    call_command("load_demo", stdout=io.StringIO())

    assert counts() == before


def test_the_demo_administrator_reads_barnets_assessment(client, demo):
    assessment = StrategicAssessment.objects.get(partnership__ons_code="E22000187")
    client.force_login(User.objects.get(email="admin@demo.example"))

    response = client.get(reverse("priorities:assessment", args=[assessment.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Approved" in page
    assert "by the portal" in page
    assert "680" in page
    assert "Community safety engagement event (demo)" in page


def test_the_demo_file_in_the_repository_has_a_readme_naming_its_source_and_licence():
    readme = (POLICEUK_FILE.parent / "README.md").read_text()

    assert POLICEUK_FILE.name in readme
    assert "data.police.uk" in readme
    assert "Open Government Licence v3.0" in readme
