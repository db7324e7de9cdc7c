"""Load data for the strategic assessment page: ten years of crime counts for the large CSP, a year for the small.

Birmingham gets 201,600 CrimeCount rows (120 neighbourhoods × 14 categories × 120 months, April 2015 to
March 2025), every cell filled, so the page's aggregates run over a decade of a large city. Rutland gets
two years of 10 neighbourhoods and 5 categories (1,200 rows). Each has a 2024/25 assessment shared with
partners, with scored issues, consultation results, local figures and comments: many for Birmingham, one
of each for Rutland, so that a page whose queries grew with the rows under it would show it.

Crime counts go in through PostgreSQL's COPY (the benchmarks run on PostgreSQL only); the rest with
bulk_create. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import connection, transaction

from benchmarks.generate import Generated
from benchmarks.policeuk_file import CATEGORY_SHARES
from partnerships.models import Partnership, User
from priorities.models import (
    AssessmentComment,
    AssessmentStatus,
    CandidateIssue,
    ConsultationEvent,
    ConsultationKind,
    ConsultationResult,
    CrimeCount,
    LocalDataValue,
    StrategicAssessment,
    Trend,
)
from priorities.policeuk import CrimeCategory, category_for

FIRST_MONTH = date(2015, 4, 1)
WINDOW = (date(2024, 4, 1), date(2025, 3, 1))  # the 2024/25 assessment's data window


@dataclass(frozen=True)
class Shape:
    """How much an assessment has under it."""

    force: str
    lsoas: int
    categories: int
    months: int
    issues: int
    consultations: int
    results_per_consultation: int
    local_figures: int
    comments: int


LARGE = Shape("West Midlands Police", 120, 14, 120, 25, 4, 5, 12, 8)
SMALL = Shape("Leicestershire Police", 10, 5, 24, 1, 1, 1, 1, 1)


@dataclass
class AssessmentData:
    admin: User
    large: StrategicAssessment
    small: StrategicAssessment
    counts: dict[str, int]


def load(data: Generated, *, seed: int = 20_260_401) -> AssessmentData:
    """Add the assessments and their crime counts to the national load data."""
    rng = random.Random(seed)
    with transaction.atomic():
        admin = User.objects.create(
            email="bench.admin@portal.example", full_name="Benchmark Administrator", is_staff=True, is_superuser=True
        )
        large = _assessment(data.large, LARGE, admin, rng)
        small = _assessment(data.small, SMALL, admin, rng)
    counts = {
        f"{a.partnership.name}: crime counts (rows)": CrimeCount.objects.filter(partnership=a.partnership).count()
        for a in (large, small)
    }
    return AssessmentData(admin=admin, large=large, small=small, counts=counts)


def _month(index: int) -> date:
    total = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + index
    return date(total // 12, total % 12 + 1, 1)


def _assessment(partnership: Partnership, shape: Shape, admin: User, rng: random.Random) -> StrategicAssessment:
    _crime_counts(partnership, shape, rng)
    assessment = StrategicAssessment.objects.create(
        partnership=partnership,
        year=2024,
        title=f"{partnership.name} strategic assessment 2024/25",
        period_start=WINDOW[0],
        period_end=WINDOW[1],
        summary="Violence, anti-social behaviour and shoplifting remain the largest volumes.",
        status=AssessmentStatus.SHARED,
        shared_at=datetime(2025, 5, 1, 9, tzinfo=UTC),
        shared_by=admin,
    )
    categories = list(CrimeCategory)[:14]
    CandidateIssue.objects.bulk_create(
        CandidateIssue(
            assessment=assessment,
            title=f"Issue {n + 1}: {categories[n % 14].label}",
            category=categories[n % 14].value,
            evidence="Rising in the town centre; partners' data agree.",
            harm=rng.randint(1, 4),
            likelihood=rng.randint(1, 4),
            trend=rng.choice(list(Trend)),
            recommended=n < 5,
        )
        for n in range(shape.issues)
    )
    events = ConsultationEvent.objects.bulk_create(
        ConsultationEvent(
            assessment=assessment,
            kind=ConsultationKind.SURVEY,
            title=f"Residents' survey {n + 1}",
            held_on=date(2024, 6 + n, 1),
            respondents=1_000 + 10 * n,
        )
        for n in range(shape.consultations)
    )
    ConsultationResult.objects.bulk_create(
        ConsultationResult(
            event=event,
            question=f"Question {q + 1}: I feel safe in my area after dark",
            percent_agreeing=Decimal(rng.randint(200, 900)) / 10,
            respondents=1_000,
        )
        for event in events
        for q in range(shape.results_per_consultation)
    )
    LocalDataValue.objects.bulk_create(
        LocalDataValue(
            partnership=partnership,
            source="Fire and rescue service",
            indicator=f"Indicator {n + 1}",
            period_start=WINDOW[0],
            period_end=date(2025, 3, 31),
            value=Decimal(rng.randint(10, 5_000)),
        )
        for n in range(shape.local_figures)
    )
    AssessmentComment.objects.bulk_create(
        AssessmentComment(assessment=assessment, author=admin, body=f"Comment {n + 1} on the shared draft.")
        for n in range(shape.comments)
    )
    return assessment


def _crime_counts(partnership: Partnership, shape: Shape, rng: random.Random) -> None:
    """Every (month, category, neighbourhood) cell of the shape, with a count of at least one."""
    district = partnership.name
    lsoas = [
        (f"E01{partnership.pk:03d}{n:03d}", f"{district} {n // 4 + 1:03d}{'ABCD'[n % 4]}") for n in range(shape.lsoas)
    ]
    weights = [rng.lognormvariate(0, 0.9) for _ in lsoas]
    shares = list(CATEGORY_SHARES.items())[: shape.categories]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index in range(shape.months):
        month = _month(index)
        for name, share in shares:
            category = category_for(name)
            assert category is not None
            for (code, lsoa_name), weight in zip(lsoas, weights, strict=True):
                count = 1 + int(rng.expovariate(1) * weight * share / 2)
                writer.writerow((partnership.pk, month, shape.force, category.value, code, lsoa_name, count))
    buffer.seek(0)
    meta = CrimeCount._meta
    columns = ("partnership_id", "month", "reported_by", "category", "lsoa_code", "lsoa_name", "count")
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {meta.db_table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", buffer)
