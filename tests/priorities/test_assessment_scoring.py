"""Scoring candidate issues: harm × likelihood (the 4 × 4 grid, 1–16) × a trend weight, in bands, ranked."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from priorities import selectors
from priorities.models import Trend
from tests.conftest import Personas
from tests.priorities.factories_assessments import CandidateIssueFactory, StrategicAssessmentFactory

pytestmark = pytest.mark.django_db

RISING, STABLE, FALLING = Trend.RISING, Trend.STABLE, Trend.FALLING


@pytest.mark.parametrize(
    ("harm", "likelihood", "trend", "risk", "score", "band"),
    [
        (4, 4, RISING, 16, "20.00", "High"),
        (4, 4, STABLE, 16, "16.00", "High"),
        (4, 4, FALLING, 16, "12.00", "High"),  # falling, still high: 12 is the lowest high score
        (3, 4, STABLE, 12, "12.00", "High"),
        (3, 4, FALLING, 12, "9.00", "Medium"),
        (3, 3, RISING, 9, "11.25", "Medium"),  # just under high
        (2, 3, STABLE, 6, "6.00", "Medium"),  # the lowest medium score
        (2, 3, FALLING, 6, "4.50", "Low"),
        (2, 2, RISING, 4, "5.00", "Low"),
        (1, 4, RISING, 4, "5.00", "Low"),
        (1, 1, FALLING, 1, "0.75", "Low"),
    ],
)
def test_the_score_is_harm_times_likelihood_weighted_by_the_trend_in_a_band(harm, likelihood, trend, risk, score, band):
    issue = CandidateIssueFactory.build(harm=harm, likelihood=likelihood, trend=trend)

    scored = selectors.ScoredIssue(issue)

    assert scored.risk == risk
    assert scored.score == Decimal(score)
    assert scored.band == band


def test_the_trend_weights_are_a_quarter_up_or_down():
    weights = selectors.TREND_WEIGHT

    assert weights == {RISING: Decimal("1.25"), STABLE: Decimal("1"), FALLING: Decimal("0.75")}


def test_issues_are_ranked_by_score_and_equal_scores_share_a_rank():
    assessment = StrategicAssessmentFactory()
    for title, harm, likelihood, trend in [
        ("Shoplifting", 2, 2, STABLE),  # 4
        ("Knife crime", 4, 3, STABLE),  # 12
        ("Domestic abuse", 3, 4, STABLE),  # 12
        ("Drugs", 3, 3, STABLE),  # 9
        ("ASB", 2, 3, STABLE),  # 6
        ("Hate crime", 3, 2, STABLE),  # 6
    ]:
        CandidateIssueFactory(assessment=assessment, title=title, harm=harm, likelihood=likelihood, trend=trend)

    ranked = [(s.rank, s.issue.title, s.score) for s in selectors.ranked_issues(assessment)]

    assert ranked == [
        (1, "Domestic abuse", Decimal("12.00")),
        (1, "Knife crime", Decimal("12.00")),
        (3, "Drugs", Decimal("9.00")),
        (4, "ASB", Decimal("6.00")),
        (4, "Hate crime", Decimal("6.00")),
        (6, "Shoplifting", Decimal("4.00")),
    ]


def test_a_rising_trend_lifts_an_issue_above_an_equal_risk_that_is_falling():
    assessment = StrategicAssessmentFactory()
    CandidateIssueFactory(assessment=assessment, title="Burglary", harm=3, likelihood=3, trend=FALLING)
    CandidateIssueFactory(assessment=assessment, title="Vehicle crime", harm=3, likelihood=3, trend=RISING)

    assert [s.issue.title for s in selectors.ranked_issues(assessment)] == ["Vehicle crime", "Burglary"]


def test_the_page_ranks_the_issues_marks_the_recommended_ones_and_explains_the_matrix(client, personas: Personas):
    assessment = StrategicAssessmentFactory(partnership=personas.csp)
    CandidateIssueFactory(assessment=assessment, title="Knife crime", harm=4, likelihood=3, recommended=True)
    CandidateIssueFactory(assessment=assessment, title="Shoplifting", harm=2, likelihood=2, trend=FALLING)
    client.force_login(personas.manager)

    page = client.get(reverse("priorities:assessment", args=[assessment.pk])).content.decode()

    assert page.index("Knife crime") < page.index("Shoplifting")
    knife = page[page.index("Knife crime") : page.index("Shoplifting")]
    assert "12.00" in knife
    assert 'govuk-tag--red">High' in knife
    assert "Recommended priority" in knife
    shoplifting = page[page.index("Shoplifting") :]
    assert "3.00" in shoplifting
    assert "Low" in shoplifting
    assert "Recommended priority" not in shoplifting.split("</tr>")[0]
    assert "How issues are scored" in page
    assert re.search(r"rising × 1\.25, stable × 1, falling × 0\.75", page)
    assert "High is a score of 12 or more, medium 6 to 11.99, low under 6" in page
