"""The crime and disorder profile: this data window against the one before it, month by month, and the
hot spots; and the assessment page's query count, which must not grow with the data.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from priorities import selectors
from priorities.models import AssessmentComment, AssessmentStatus, LocalDataValue
from priorities.policeuk import CrimeCategory
from tests.conftest import Personas
from tests.factories import PartnershipFactory
from tests.priorities.factories_assessments import (
    CandidateIssueFactory,
    ConsultationEventFactory,
    ConsultationResultFactory,
    CrimeCountFactory,
    StrategicAssessmentFactory,
)

pytestmark = pytest.mark.django_db

BURGLARY = CrimeCategory.BURGLARY
ROBBERY = CrimeCategory.ROBBERY
DRUGS = CrimeCategory.DRUGS


@pytest.fixture
def assessment():  # type: ignore[no-untyped-def]
    """A three-month window, December 2024 to February 2025; the one before is September to November."""
    return StrategicAssessmentFactory(period_start=date(2024, 12, 1), period_end=date(2025, 2, 1))


def crimes(assessment, month: date, category: str, count: int, lsoa: str = "E01000001", **kwargs) -> None:  # type: ignore[no-untyped-def]
    CrimeCountFactory(
        partnership=assessment.partnership,
        month=month,
        category=category,
        count=count,
        lsoa_code=lsoa,
        lsoa_name=kwargs.pop("lsoa_name", f"Riverton {lsoa[-3:]}A"),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("start", "end", "previous_start", "previous_end"),
    [
        (date(2024, 12, 1), date(2025, 2, 1), date(2024, 9, 1), date(2024, 11, 1)),
        (date(2023, 10, 1), date(2024, 9, 1), date(2022, 10, 1), date(2023, 9, 1)),
        (date(2024, 1, 1), date(2024, 1, 1), date(2023, 12, 1), date(2023, 12, 1)),
    ],
    ids=["three months across a new year", "twelve months October to September", "one month"],
)
def test_the_previous_window_is_as_long_as_the_data_window_and_ends_just_before_it(
    start, end, previous_start, previous_end
):
    assessment = StrategicAssessmentFactory(period_start=start, period_end=end)

    profile = selectors.crime_profile(assessment)

    assert (profile.previous_start, profile.previous_end) == (previous_start, previous_end)
    assert profile.months[0] == start
    assert profile.months[-1] == end
    assert len(profile.months) == len(selectors.months_between(previous_start, previous_end))


def test_each_category_shows_this_window_the_one_before_and_the_change_as_a_number_and_a_percentage(assessment):
    crimes(assessment, date(2024, 12, 1), BURGLARY, 9)
    crimes(assessment, date(2025, 2, 1), BURGLARY, 6)
    crimes(assessment, date(2024, 9, 1), BURGLARY, 10)
    crimes(assessment, date(2025, 1, 1), ROBBERY, 3)
    crimes(assessment, date(2024, 11, 1), ROBBERY, 4)
    crimes(assessment, date(2024, 10, 1), DRUGS, 2)

    profile = selectors.crime_profile(assessment)

    rows = [(c.category, c.current, c.previous, c.change, c.percent) for c in profile.changes]
    assert rows == [
        (BURGLARY, 15, 10, 5, Decimal("50.0")),
        (ROBBERY, 3, 4, -1, Decimal("-25.0")),
        (DRUGS, 0, 2, -2, Decimal("-100.0")),
    ]
    assert (profile.total.current, profile.total.previous, profile.total.change) == (18, 16, 2)
    assert profile.total.percent == Decimal("12.5")


def test_the_percentage_is_none_when_there_was_nothing_in_the_window_before(assessment):
    crimes(assessment, date(2025, 1, 1), BURGLARY, 4)

    change = selectors.crime_profile(assessment).changes[0]

    assert (change.current, change.previous, change.change, change.percent) == (4, 0, 4, None)


def test_the_percentage_is_rounded_to_one_place(assessment):
    crimes(assessment, date(2025, 1, 1), BURGLARY, 4)
    crimes(assessment, date(2024, 10, 1), BURGLARY, 3)

    assert selectors.crime_profile(assessment).changes[0].percent == Decimal("33.3")


def test_the_monthly_series_has_a_count_for_every_month_of_the_window_zeros_included(assessment):
    crimes(assessment, date(2024, 12, 1), BURGLARY, 2, lsoa="E01000001")
    crimes(assessment, date(2024, 12, 1), BURGLARY, 3, lsoa="E01000002")
    crimes(assessment, date(2024, 12, 1), BURGLARY, 1, lsoa="E01000001", reported_by="British Transport Police")
    crimes(assessment, date(2025, 2, 1), BURGLARY, 4)
    crimes(assessment, date(2025, 1, 1), ROBBERY, 1)
    crimes(assessment, date(2024, 11, 1), ROBBERY, 7)  # the window before: not in the series
    crimes(assessment, date(2025, 3, 1), ROBBERY, 7)  # after the window: not counted at all

    profile = selectors.crime_profile(assessment)

    assert profile.months == [date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]
    assert profile.monthly == {BURGLARY: [6, 0, 4], ROBBERY: [0, 1, 0]}


def test_another_partnerships_counts_are_not_in_the_profile(assessment):
    crimes(assessment, date(2025, 1, 1), BURGLARY, 4)
    CrimeCountFactory(partnership=PartnershipFactory(), month=date(2025, 1, 1), category=BURGLARY, count=50)

    profile = selectors.crime_profile(assessment)

    assert profile.total.current == 4


def test_hot_spots_are_the_five_neighbourhoods_with_most_crimes_in_the_window_per_category(assessment):
    for lsoa, count in [
        ("E01000001", 3),
        ("E01000002", 9),
        ("E01000003", 1),
        ("E01000004", 5),
        ("E01000005", 5),
        ("E01000006", 2),
        ("E01000007", 4),
    ]:
        crimes(assessment, date(2025, 1, 1), BURGLARY, count, lsoa=lsoa)
    # Counts of one neighbourhood add up across months of the window and across forces.
    crimes(assessment, date(2025, 2, 1), BURGLARY, 2, lsoa="E01000006")
    crimes(assessment, date(2024, 12, 1), BURGLARY, 1, lsoa="E01000006", reported_by="British Transport Police")
    # The window before does not make a hot spot.
    crimes(assessment, date(2024, 11, 1), BURGLARY, 100, lsoa="E01000003")
    crimes(assessment, date(2025, 1, 1), ROBBERY, 1, lsoa="E01000003")

    hot_spots = selectors.crime_profile(assessment).hot_spots

    assert [(s.lsoa_code, s.count) for s in hot_spots[BURGLARY]] == [
        ("E01000002", 9),
        ("E01000004", 5),  # ties: by LSOA code
        ("E01000005", 5),
        ("E01000006", 5),
        ("E01000007", 4),
    ]
    assert hot_spots[BURGLARY][0].lsoa_name == "Riverton 002A"
    assert [(s.lsoa_code, s.count) for s in hot_spots[ROBBERY]] == [("E01000003", 1)]


def test_a_profile_with_no_data_says_so(assessment):
    profile = selectors.crime_profile(assessment)

    assert not profile.has_data
    assert profile.changes == []
    assert profile.hot_spots == {}


def test_the_page_shows_the_change_and_the_percentage_with_signs(client, personas: Personas):
    assessment = StrategicAssessmentFactory(
        partnership=personas.csp, period_start=date(2024, 12, 1), period_end=date(2025, 2, 1)
    )
    crimes(assessment, date(2025, 1, 1), BURGLARY, 15)
    crimes(assessment, date(2024, 10, 1), BURGLARY, 10)
    crimes(assessment, date(2025, 1, 1), ROBBERY, 3)
    client.force_login(personas.manager)

    page = client.get(reverse("priorities:assessment", args=[assessment.pk])).content.decode()

    assert "+5" in page
    assert "+50.0%" in page
    assert "December 2024 to February 2025, compared with September 2024 to November 2024" in page
    assert "Riverton 001A" in page  # a hot spot
    assert 'role="img"' in page  # the chart, with the table beside it


def _fill(assessment, *, months: int, neighbourhoods: int, issues: int, events: int) -> None:  # type: ignore[no-untyped-def]
    """Crime counts (a category per neighbourhood and month), issues, consultations and comments."""
    categories = list(CrimeCategory)[:5]
    for m in range(months):
        month = selectors.add_months(assessment.period_start, m - months // 2)
        for n in range(neighbourhoods):
            crimes(assessment, month, categories[n % len(categories)], n + 1, lsoa=f"E01{n:06d}")
    CandidateIssueFactory.create_batch(issues, assessment=assessment)
    for _ in range(events):
        ConsultationResultFactory.create_batch(2, event=ConsultationEventFactory(assessment=assessment))
    for _ in range(events):
        LocalDataValue.objects.create(
            partnership=assessment.partnership,
            source="Fire",
            indicator=f"Deliberate fires {_}",
            period_start=assessment.period_start,
            period_end=assessment.period_end,
            value=3,
        )


def _queries_for_page(client, assessment) -> int:  # type: ignore[no-untyped-def]
    url = reverse("priorities:assessment", args=[assessment.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["manager", "police_officer"])
def test_the_assessment_page_runs_the_same_number_of_queries_whatever_the_amount_of_data(
    client, personas: Personas, django_assert_max_num_queries, role
):
    # One partnership, so the same people see both: a window with one count and one with a thousand.
    small = StrategicAssessmentFactory(
        partnership=personas.csp,
        year=2010,
        period_start=date(2010, 1, 1),
        period_end=date(2010, 12, 1),
        status=AssessmentStatus.SHARED,
    )
    large = StrategicAssessmentFactory(partnership=personas.csp, year=2024, status=AssessmentStatus.SHARED)
    _fill(small, months=1, neighbourhoods=1, issues=1, events=1)
    _fill(large, months=24, neighbourhoods=40, issues=12, events=6)
    AssessmentComment.objects.create(assessment=small, author=personas.manager, body="Seen")
    for author in (personas.manager, personas.chair, personas.police_officer):
        AssessmentComment.objects.create(assessment=large, author=author, body="Seen")
    client.force_login(personas.by_role(role))

    small_queries = _queries_for_page(client, small)
    with django_assert_max_num_queries(small_queries):
        assert client.get(reverse("priorities:assessment", args=[large.pk])).status_code == 200
    assert _queries_for_page(client, large) == small_queries
