"""The outstanding recommendations of a CSP's, or a county group's, reviews.

People who may open reviews see the open recommendations of the reviews they can open (after the second
factor); managers, chairs, scrutiny and county members and administrators see counts per CSP, which
never name a review, a pseudonym or a recommendation; everyone else gets 404. Who gets what for each
persona is also in url_rules.py ("reviews:outstanding").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from partnerships.models import Role
from tests.conftest import Personas, sign_in
from tests.factories import RoleFactory, UserFactory
from tests.reviews.factories import PanelMemberFactory, RecommendationFactory, ReviewFactory

pytestmark = pytest.mark.django_db

JUNE_2026 = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/London"))
SECRET_TEXT = "Agencies should share risk assessments through the MARAC within 24 hours"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(JUNE_2026, tick=False):
        yield


def _text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip())


def _client(user: Any, *, second_factor: bool = True) -> Client:
    client = Client()
    sign_in(client, user, second_factor=second_factor)
    return client


def _url(partnership: Any) -> str:
    return reverse("reviews:outstanding", args=[partnership.slug])


@pytest.fixture
def world(personas: Personas, review, reviewer) -> dict[str, Any]:
    """Riverton: the fixture review (the reviewer is on its panel) and a second review the reviewer is not
    on; Hillford: a review of its own. Each has open recommendations; one is overdue, one completed."""
    second = ReviewFactory(partnership=personas.csp, reference="DHR 2026/02", victim_pseudonym="Adult C")
    RecommendationFactory(
        review=second,
        number="1",
        text="The housing service should ask about abuse at every tenancy review",
        lead_organisation=personas.council,
        target_date=date(2026, 5, 1),
    )
    RecommendationFactory(review=second, number="2", status="completed", completed_on=date(2026, 5, 2))
    hillford = ReviewFactory(partnership=personas.other_csp, reference="HDHR 1", victim_pseudonym="Adult H")
    RecommendationFactory(review=hillford, number="1", text="Hillford GPs should screen for coercive control")
    return {"second": second, "hillford": hillford}


def test_the_manager_sees_the_outstanding_recommendations_of_the_csps_reviews(personas: Personas, world):
    response = _client(personas.manager).get(_url(personas.csp))
    text = _text(response)
    assert response.status_code == 200
    assert "2 outstanding recommendations" in text
    # Soonest target first: the overdue one of the second review, then the fixture review's.
    assert text.index("DHR 2026/02 1 The housing service") < text.index(f"DHR 2026/01 1 {SECRET_TEXT}")
    assert "Riverton Borough Council 1 May 2026 No update Overdue No update this quarter" in text
    assert "Hillford GPs" not in text
    assert "HDHR 1" not in text
    # Completed recommendations are not outstanding.
    assert "3 outstanding" not in text
    # And the counts: two open reviews, two outstanding recommendations, one overdue.
    assert "Riverton 2 0 2 1" in text


def test_rows_are_only_of_the_reviews_the_person_may_open(personas: Personas, world, reviewer):
    response = _client(reviewer).get(_url(personas.csp))
    text = _text(response)
    assert response.status_code == 200
    assert "1 outstanding recommendation" in text
    assert SECRET_TEXT in text
    assert "DHR 2026/02" not in text
    assert "The housing service" not in text
    # A panel member is not told how many reviews the partnership has.
    assert "in figures" not in text


def test_rows_link_to_the_review_and_the_recommendation(personas: Personas, review, world):
    page = _client(personas.chair).get(_url(personas.csp)).content.decode()
    recommendation = review.recommendations.get(number="1")
    assert f'href="{reverse("reviews:review", args=[review.pk])}"' in page
    assert f'href="{reverse("reviews:recommendation", args=[review.pk, recommendation.pk])}"' in page


@pytest.mark.parametrize("role", ["scrutiny", "admin"])
def test_scrutiny_and_administrators_get_counts_and_nothing_that_names_a_review(personas: Personas, world, role):
    response = _client(personas.by_role(role)).get(_url(personas.csp))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Riverton 2 0 2 1" in _text(response)
    for secret in ("DHR 2026/01", "DHR 2026/02", "Adult A", "Adult C", SECRET_TEXT, "The housing service", "Rita"):
        assert secret not in page
    assert "Recommendations of the reviews you can open" not in page


def test_a_county_groups_page_counts_each_csp_for_county_members(personas: Personas, world):
    response = _client(personas.county_member).get(_url(personas.county))
    text = _text(response)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hillford 1 0 1 0" in text
    assert "Riverton 2 0 2 1" in text
    for secret in ("DHR 2026/01", "HDHR 1", "Adult A", "Adult H", SECRET_TEXT, "Hillford GPs"):
        assert secret not in page


def test_a_county_groups_page_lists_the_rows_of_every_csp_the_person_may_open(personas: Personas, world):
    lead = UserFactory(email="county.lead@example.org")
    for partnership in (personas.csp, personas.other_csp):
        RoleFactory(person=lead, partnership=partnership, organisation=personas.police, role=Role.REVIEW_LEAD)
    RoleFactory(person=lead, partnership=personas.county, organisation=personas.police, role=Role.COUNTY_MEMBER)
    text = _text(_client(lead).get(_url(personas.county)))
    assert "3 outstanding recommendations" in text
    assert "Hillford HDHR 1 1 Hillford GPs should screen for coercive control" in text
    assert "Riverton DHR 2026/02 1 The housing service" in text
    assert "Hillford 1 0 1 0" in text
    assert "Riverton 2 0 2 1" in text


@pytest.mark.parametrize("role", ["police_officer", "council_officer"])
def test_partner_officers_cannot_find_the_page(personas: Personas, world, role):
    assert _client(personas.by_role(role)).get(_url(personas.csp)).status_code == 404


def test_people_outside_the_county_and_managers_on_the_county_page_get_no_counts(personas: Personas, world):
    assert _client(personas.outsider).get(_url(personas.csp)).status_code == 404
    # The Riverton manager holds no role in the county group: its page is not theirs.
    assert _client(personas.manager).get(_url(personas.county)).status_code == 404


def test_a_lead_without_the_second_factor_is_sent_to_it_first(personas: Personas, world):
    url = _url(personas.csp)
    response = _client(personas.manager, second_factor=False).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_verify')}?{urlencode({'next': url})}"
    # Counts alone need no second factor.
    assert _client(personas.scrutiny, second_factor=False).get(url).status_code == 200


def test_the_rows_come_a_page_at_a_time(personas: Personas, review):
    for n in range(2, 31):
        RecommendationFactory(review=review, number=str(n))
    client = _client(personas.manager)
    first = _text(client.get(_url(personas.csp)))
    assert "30 outstanding recommendations, page 1 of 2" in first
    links = r'href="/reviews/\d+/recommendations/\d+/"'
    assert len(re.findall(links, client.get(_url(personas.csp)).content.decode())) == 25
    second = client.get(_url(personas.csp), {"page": 2})
    assert "page 2 of 2" in _text(second)
    assert len(re.findall(links, second.content.decode())) == 5


def test_the_page_runs_as_many_queries_for_30_recommendations_as_for_3(
    personas: Personas, review, reviewer, django_assert_max_num_queries
):
    client = _client(personas.manager)
    url = _url(personas.csp)
    client.get(url)  # warm the per-process caches
    second = ReviewFactory(partnership=personas.csp)
    PanelMemberFactory(review=second, person=reviewer)
    for n in range(2, 4):
        RecommendationFactory(review=second, number=str(n), lead_organisation=personas.police)
    with django_assert_max_num_queries(16) as small:
        assert client.get(url).status_code == 200
    for n in range(4, 20):
        RecommendationFactory(review=second, number=str(n), lead_organisation=personas.council)
        RecommendationFactory(review=ReviewFactory(partnership=personas.csp), lead_organisation=personas.police)
    with django_assert_max_num_queries(16) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
