"""Factories and file builders for the strategic assessment and crime data tests."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import factory

from partnerships.models import Partnership, PoliceForceArea
from priorities.models import (
    AssessmentStatus,
    CandidateIssue,
    ConsultationEvent,
    ConsultationKind,
    ConsultationResult,
    CrimeCount,
    StrategicAssessment,
    Trend,
)
from priorities.policeuk import HEADER, CrimeCategory
from tests.factories import LocalAuthorityAreaFactory, PartnershipFactory, PoliceForceAreaFactory

DATA = Path(__file__).resolve().parents[2] / "priorities" / "data"
MET_STREET_FILE = DATA / "policeuk_street_met_burglary_2024-12_to_2025-02.csv"
# The first rows of police.uk's outcomes file (…-outcomes.csv): 10 columns, a different format.
MET_OUTCOMES_SAMPLE = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\r\n"
    b"e3654209fb4734c4d22a947ff2b37a6557826fca8c552ee8dd9bfd30c08cc2be,2025-01,Metropolitan Police Service,"
    b"Metropolitan Police Service,-0.1408,51.540518,On or near Supermarket,E01000856,Camden 019A,Suspect charged\r\n"
    b"8e9fa3d25456b690ceaf4da014431c46fd6121900e3e29ccc8f9c9efb57ebc22,2025-01,Metropolitan Police Service,"
    b"Metropolitan Police Service,-0.225756,51.589798,On or near Supermarket,E01000244,Barnet 032D,Suspect charged\r\n"
)


class StrategicAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicAssessment

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2024
    title = factory.Sequence(lambda n: f"Strategic assessment {n}")
    period_start = date(2023, 10, 1)
    period_end = date(2024, 9, 1)
    status = AssessmentStatus.DRAFT


class CandidateIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateIssue

    assessment = factory.SubFactory(StrategicAssessmentFactory)
    title = factory.Sequence(lambda n: f"Issue {n}")
    harm = 2
    likelihood = 2
    trend = Trend.STABLE


class ConsultationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationEvent

    assessment = factory.SubFactory(StrategicAssessmentFactory)
    kind = ConsultationKind.SURVEY
    title = factory.Sequence(lambda n: f"Residents' survey {n}")
    held_on = date(2024, 6, 1)


class ConsultationResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationResult

    event = factory.SubFactory(ConsultationEventFactory)
    question = factory.Sequence(lambda n: f"Question {n}")
    percent_agreeing = 50
    respondents = 100


class CrimeCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrimeCount

    partnership = factory.SubFactory(PartnershipFactory)
    month = date(2024, 1, 1)
    reported_by = "Shire Police"
    category = CrimeCategory.BURGLARY
    lsoa_code = factory.Sequence(lambda n: f"E01{n:06d}")
    lsoa_name = factory.Sequence(lambda n: f"Riverton {n % 1000:03d}A")
    count = 1


def csp_for_districts(name: str, ons_code: str, force: PoliceForceArea, *districts: str) -> Partnership:
    """A CSP covering districts of these names (a registry of just what a test needs)."""
    csp = PartnershipFactory(name=name, ons_code=ons_code, police_force_area=force)
    areas = [LocalAuthorityAreaFactory(name=district, police_force_area=force) for district in districts or (name,)]
    csp.local_authority_areas.set(areas)
    return csp  # type: ignore[no-any-return]


def force(name: str, code: str) -> PoliceForceArea:
    return PoliceForceAreaFactory(name=name, code=code)  # type: ignore[no-any-return]


def street_row(
    month: str = "2025-01",
    lsoa_code: str = "E01000248",
    lsoa_name: str = "Barnet 001A",
    crime_type: str = "Burglary",
    reported_by: str = "Metropolitan Police Service",
) -> list[str]:
    """One row of a police.uk street-level file, in its 12 columns."""
    return [
        "",
        month,
        reported_by,
        reported_by,
        "-0.2",
        "51.6",
        "On or near High Street",
        lsoa_code,
        lsoa_name,
        crime_type,
        "Under investigation",
        "",
    ]


def street_file(*rows: list[str], header: tuple[str, ...] | list[str] = HEADER) -> bytes:
    """A street-level CSV file as police.uk writes it (UTF-8, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
