"""Aggregate review counts (reviews.selectors.review_counts) and where they are shown: the partnership
page of a CSP (its counts) and of a county group (totals across its CSPs), for those who may know how
many reviews there are. Partner officers never see the section."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reviews.choices import Stage
from reviews.selectors import ReviewCounts, review_counts
from tests.conftest import Personas
from tests.factories import PartnershipFactory
from tests.reviews.factories import RecommendationFactory, ReviewFactory

pytestmark = pytest.mark.django_db

JUNE_2026 = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(JUNE_2026, tick=False):
        yield


def _text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip())


def _section(response: Any) -> str:
    """The partnership page's review counts, as text ("" when the page has none)."""
    page = response.content.decode()
    if 'id="reviews"' not in page:
        return ""
    section = page.split('id="reviews"', 1)[1].split("</a>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section.split(">", 1)[1])).strip())


@pytest.fixture
def world(personas: Personas, review) -> None:
    """Riverton, on 15 June 2026:
    - the fixture review (scoping): open; recommendation 1 open, due 2027; 2 open, overdue; 3 completed;
      4 superseded;
    - a review published in May: open (not yet closed) and completed this year; one overdue recommendation;
    - a review closed without publication in February: completed this year;
    - a review published in 2025 and closed in January: neither open nor completed this year; an open
      recommendation of it is still outstanding, and not overdue;
    - a review closed in December 2025: nothing this year.
    Hillford: one open review with one open recommendation.
    """
    csp = personas.csp
    RecommendationFactory(review=review, number="2", target_date=date(2026, 6, 14))
    RecommendationFactory(
        review=review, number="3", status="completed", completed_on=date(2026, 5, 1), target_date=date(2026, 1, 31)
    )
    RecommendationFactory(
        review=review, number="4", status="superseded", status_reason="Replaced", target_date=date(2026, 1, 31)
    )
    published = ReviewFactory(partnership=csp, stage=Stage.PUBLISHED, published_on=date(2026, 5, 20))
    RecommendationFactory(review=published, number="1", target_date=date(2026, 6, 1))
    ReviewFactory(partnership=csp, stage=Stage.CLOSED, closed_on=date(2026, 2, 10))
    old = ReviewFactory(
        partnership=csp, stage=Stage.CLOSED, published_on=date(2025, 11, 1), closed_on=date(2026, 1, 15)
    )
    RecommendationFactory(review=old, number="1", target_date=date(2026, 6, 15))
    ReviewFactory(partnership=csp, stage=Stage.CLOSED, closed_on=date(2025, 12, 1))
    RecommendationFactory(review=ReviewFactory(partnership=personas.other_csp), number="1")


def test_review_counts_add_up_per_partnership(personas: Personas, world):
    counts = review_counts([personas.csp.pk, personas.other_csp.pk, personas.county.pk])
    assert counts[personas.csp.pk] == ReviewCounts(
        open=2, completed_this_year=2, recommendations_outstanding=4, recommendations_overdue=2
    )
    assert counts[personas.other_csp.pk] == ReviewCounts(1, 0, 1, 0)
    # A county group commissions no reviews of its own.
    assert counts[personas.county.pk] == ReviewCounts(0, 0, 0, 0)


def test_completed_this_year_starts_again_on_1_january(personas: Personas, world):
    with time_machine.travel(datetime(2027, 1, 4, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        counts = review_counts([personas.csp.pk])[personas.csp.pk]
    assert counts.completed_this_year == 0
    # By then every open recommendation is past its target date but 1 (due 31 March 2027).
    assert (counts.recommendations_outstanding, counts.recommendations_overdue) == (4, 3)


@pytest.mark.parametrize("role", ["manager", "chair", "scrutiny", "admin"])
def test_the_csp_page_shows_its_counts_to_those_who_may_know_them(client, personas: Personas, world, role):
    client.force_login(personas.by_role(role))
    response = client.get(reverse("partnerships:detail", args=[personas.csp.slug]))
    assert _section(response) == (
        "Domestic homicide reviews Open 2 domestic homicide reviews Completed this year 2 "
        "Recommendations outstanding 4 Recommendations overdue 2 Outstanding recommendations"
    )
    assert f'href="{reverse("reviews:outstanding", args=[personas.csp.slug])}"' in response.content.decode()


@pytest.mark.parametrize("role", ["police_officer", "council_officer"])
def test_partner_officers_see_no_review_section(client, personas: Personas, world, role):
    client.force_login(personas.by_role(role))
    response = client.get(reverse("partnerships:detail", args=[personas.csp.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert _section(response) == ""
    assert "homicide" not in page.lower()
    assert reverse("reviews:outstanding", args=[personas.csp.slug]) not in page


def test_a_panel_member_who_is_a_partner_officer_sees_no_counts_either(client, personas: Personas, world, reviewer):
    client.force_login(reviewer)
    assert _section(client.get(reverse("partnerships:detail", args=[personas.csp.slug]))) == ""


@pytest.mark.parametrize("role", ["county_member", "admin"])
def test_the_county_page_shows_totals_across_its_csps(client, personas: Personas, world, role):
    client.force_login(personas.by_role(role))
    response = client.get(reverse("partnerships:detail", args=[personas.county.slug]))
    assert _section(response) == (
        "Domestic homicide reviews Totals across the community safety partnerships of Safer Shire. "
        "Open 3 domestic homicide reviews Completed this year 2 "
        "Recommendations outstanding 5 Recommendations overdue 2 Outstanding recommendations by partnership"
    )


def test_the_manager_of_another_csp_sees_its_counts_and_not_rivertons(client, personas: Personas, world):
    # The outsider manages Hillford: Riverton's page is not theirs at all.
    client.force_login(personas.outsider)
    assert client.get(reverse("partnerships:detail", args=[personas.csp.slug])).status_code == 404
    assert "Open 1 domestic homicide review " in _text(
        client.get(reverse("partnerships:detail", args=[personas.other_csp.slug]))
    )


def test_the_section_uses_the_configured_review_term(client, personas: Personas, world, settings):
    settings.REVIEW_TERM = "dardr"
    client.force_login(personas.manager)
    text = _text(client.get(reverse("partnerships:detail", args=[personas.csp.slug])))
    assert "Domestic abuse related death reviews Open 2 domestic abuse related death reviews" in text


def test_the_counts_cost_the_partnership_page_two_queries_however_many_csps(
    client: Client, personas: Personas, world, django_assert_max_num_queries
):
    client.force_login(personas.county_member)
    url = reverse("partnerships:detail", args=[personas.county.slug])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(5):
        csp = PartnershipFactory(parent=personas.county)
        RecommendationFactory(review=ReviewFactory(partnership=csp))
    with django_assert_max_num_queries(20) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert "Open 8 domestic homicide reviews" in _text(response)
