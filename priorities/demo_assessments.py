"""Demo strategic assessments, loaded by `manage.py load_demo` after the demo partnerships.

- Uttlesford CSP 2024/25: a draft, the strategic risk assessment under way that the scrutiny committee
  heard about on 11 January 2024 (seed 002, DOMAIN.md §11).
- Barnet 2024/25: approved, with real police.uk data (Metropolitan Police burglary, December 2024 to
  February 2025, in priorities/data/) imported through the same service as the import page; its
  candidate issues and consultation figures are demo values and say so. Barnet has no demo people: the
  demo administrator sees it.

Idempotent: an assessment that exists is left as it is, and the file is imported once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db import transaction

from partnerships.models import Partnership
from partnerships.permissions import partnership_lookup
from priorities import services
from priorities.models import ConsultationKind, CrimeImport, StrategicAssessment, Trend
from priorities.policeuk import CrimeCategory

UTTLESFORD = "E22000092"
BARNET = "E22000187"
POLICEUK_FILE = Path(__file__).resolve().parent / "data" / "policeuk_street_met_burglary_2024-12_to_2025-02.csv"

UTTLESFORD_SUMMARY = (
    "Strategic risk assessment in progress. It identifies the high-risk, high-harm factors affecting our "
    "communities (the local priorities) and how they have changed from the previous year. A workshop for "
    "partners in February will sense-check the assessment and the priorities it identifies, and residents "
    "will be consulted on their perceptions. It will inform the Community Safety Action Plan 2024–2027, due "
    "by the end of April 2024."
)
BARNET_SUMMARY = (
    "Demo assessment. The crime profile is real police.uk data: burglaries recorded by the Metropolitan "
    "Police in Barnet, December 2024 to February 2025. The scores of the candidate issues and the "
    "consultation figures are demo values, not Barnet's."
)
# (title, category, evidence, harm, likelihood, trend, recommended)
BARNET_ISSUES = [
    (
        "Residential burglary",
        CrimeCategory.BURGLARY,
        "680 burglaries recorded in Barnet from December 2024 to February 2025 (police.uk). Scores are demo values.",
        3,
        4,
        Trend.STABLE,
        True,
    ),
    (
        "Repeat burglary in a few neighbourhoods",
        CrimeCategory.BURGLARY,
        "The hot spot tables show up to 10 burglaries in one neighbourhood in three months. Demo scores.",
        3,
        3,
        Trend.RISING,
        True,
    ),
    (
        "Anti-social behaviour in town centres",
        CrimeCategory.ANTI_SOCIAL_BEHAVIOUR,
        "No police.uk ASB data imported for this demo. Demo scores.",
        2,
        3,
        Trend.FALLING,
        False,
    ),
]


@transaction.atomic
def load_assessments_demo() -> None:
    """Create the demo assessments (Uttlesford draft, Barnet approved with police.uk data) if missing."""
    _uttlesford()
    _barnet()


def _uttlesford() -> None:
    uttlesford = Partnership.objects.get(partnership_lookup(UTTLESFORD))
    if StrategicAssessment.objects.filter(partnership=uttlesford, year=2024).exists():
        return
    services.assessment_create(
        actor=None,
        partnership=uttlesford,
        year=2024,
        title="Uttlesford strategic risk assessment 2024/25",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 1),
        summary=UTTLESFORD_SUMMARY,
    )


def _barnet() -> None:
    barnet = Partnership.objects.get(partnership_lookup(BARNET))
    if not CrimeImport.objects.filter(scope=barnet, files=POLICEUK_FILE.name).exists():
        with POLICEUK_FILE.open("rb") as handle:
            services.crime_import(actor=None, scope=barnet, files=[(POLICEUK_FILE.name, services.text_stream(handle))])
    if StrategicAssessment.objects.filter(partnership=barnet, year=2024).exists():
        return
    assessment = services.assessment_create(
        actor=None,
        partnership=barnet,
        year=2024,
        title="Barnet strategic assessment 2024/25",
        period_start=date(2024, 12, 1),
        period_end=date(2025, 2, 1),
        summary=BARNET_SUMMARY,
    )
    for title, category, evidence, harm, likelihood, trend, recommended in BARNET_ISSUES:
        services.issue_save(
            actor=None,
            assessment=assessment,
            title=title,
            category=category,
            evidence=evidence,
            harm=harm,
            likelihood=likelihood,
            trend=trend,
            recommended=recommended,
        )
    services.consultation_add(
        actor=None,
        assessment=assessment,
        kind=ConsultationKind.EVENT,
        title="Community safety engagement event (demo)",
        held_on=date(2025, 3, 12),
        respondents=86,
        notes="Demo values: a drop-in event at the library; the figures are not Barnet's.",
        results=[
            ("I feel safe in my area after dark (demo)", 54.0, 80),
            ("Burglary is a problem where I live (demo)", 41.5, 82),
        ],
    )
    assessment = services.assessment_share(actor=None, assessment=assessment)
    services.assessment_approve(actor=None, assessment=assessment)
