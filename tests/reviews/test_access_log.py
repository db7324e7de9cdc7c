"""The access log: every view of a review's pages and every download of its documents is recorded (who,
what, when), and only the review's lead can read it (DOMAIN.md §2.4: "nothing is lost").

The URL list comes from reviews.urls, so a new page of a review is covered without editing this file.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.urls import URLPattern, reverse

from reviews import urls as review_urls
from reviews.choices import AccessKind
from reviews.models import AccessLogEntry
from tests.conftest import Personas, sign_in
from tests.factories import UserFactory
from tests.reviews import url_rules
from tests.reviews.factories import PanelMemberFactory, ReviewFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 20, 10, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _now(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip())


def _review_patterns() -> list[URLPattern]:
    """The URLs of one review: those that take its pk (reviews/<pk>/…)."""
    return [p for p in review_urls.urlpatterns if isinstance(p, URLPattern) and "pk" in p.pattern.regex.groupindex]


def _kwargs(pattern: URLPattern, review) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    values = {
        "pk": lambda: review.pk,
        "step": lambda: "decision",
        "member_pk": lambda: review.panel.first().pk,
        "agency_pk": lambda: review.agencies.first().pk,
        "document_pk": lambda: review.documents.first().pk,
        "rec_pk": lambda: review.recommendations.first().pk,
    }
    return {key: values[key]() for key in pattern.pattern.regex.groupindex}


def _url(name: str, review, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"reviews:{name}", kwargs={"pk": review.pk, **kwargs})


PAGES = [p.name for p in _review_patterns() if p.name != "document_download"]


@pytest.mark.parametrize("name", PAGES)
def test_every_get_of_a_review_page_records_one_view(client, personas: Personas, review, name):
    pattern = next(p for p in _review_patterns() if p.name == name)
    url = reverse(f"reviews:{name}", kwargs=_kwargs(pattern, review))
    # The lead opens every page but the chair's decision, which is the chair's.
    rule = url_rules.RULES[f"reviews:{name}"]
    person = personas.manager if rule["manager"] != 403 else personas.chair
    sign_in(client, person)
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    response = client.get(url)
    # Some pages send them back to the review when there is nothing to do.
    assert response.status_code in (200, 302)
    added = AccessLogEntry.objects.exclude(pk__in=before)
    assert added.count() == 1
    entry = added.get()
    assert (entry.review, entry.person, entry.kind, entry.page) == (review, person, "viewed", url)
    assert entry.document is None
    assert entry.at == NOW


def test_a_download_records_one_download_of_that_document(client, personas, review, reviewer):
    document = review.documents.get(kind="imr")
    sign_in(client, reviewer)
    before = AccessLogEntry.objects.count()
    url = _url("document_download", review, document_pk=document.pk)
    assert client.get(url).status_code == 200
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.latest("pk")
    assert (entry.person, entry.kind, entry.document, entry.page) == (reviewer, "downloaded", document, url)
    assert entry.at == NOW


@pytest.mark.parametrize("name", url_rules.WRITE_URLS)
def test_posts_add_no_views(client, personas, review, name):
    pattern = next((p for p in _review_patterns() if p.name == name.removeprefix("reviews:")), None)
    if pattern is None:
        kwargs: dict[str, Any] = {"ref": personas.csp.slug}
    else:
        kwargs = _kwargs(pattern, review)
    sign_in(client, personas.manager)
    before = AccessLogEntry.objects.count()
    client.post(reverse(name, kwargs=kwargs), {})
    assert AccessLogEntry.objects.count() == before


def test_a_successful_post_adds_no_view_either(client, personas, review):
    sign_in(client, personas.manager)
    before = AccessLogEntry.objects.count()
    response = client.post(
        _url("family_add", review),
        {
            "contacted_on_0": "19",
            "contacted_on_1": "4",
            "contacted_on_2": "2026",
            "contact": "Father",
            "method": "phone",
            "consent": "given",
        },
    )
    assert response.status_code == 302
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize(
    "role", ["admin", "police_officer", "council_officer", "scrutiny", "county_member", "outsider", "nobody"]
)
def test_refused_requests_record_nothing(client, personas, review, role):
    sign_in(client, personas.by_role(role))
    before = AccessLogEntry.objects.count()
    assert client.get(_url("review", review)).status_code == 404
    assert client.get(_url("panel", review)).status_code == 404
    assert client.get(_url("document_download", review, document_pk=review.documents.first().pk)).status_code == 404
    assert AccessLogEntry.objects.count() == before


# --- Reading the log ------------------------------------------------------------------------------------


def test_only_the_lead_reads_the_access_log(client, personas: Personas, review, reviewer):
    url = _url("access_log", review)
    sign_in(client, personas.manager)
    assert client.get(url).status_code == 200
    for person, status in (
        (personas.chair, 403),
        (reviewer, 403),
        (personas.admin, 404),
        (personas.police_officer, 404),
        (personas.council_officer, 404),
        (personas.scrutiny, 404),
        (personas.county_member, 404),
        (personas.outsider, 404),
        (personas.nobody, 404),
    ):
        sign_in(client, person)
        assert client.get(url).status_code == status, person


def test_the_reviews_independent_chair_does_not_read_the_access_log(client, personas, review):
    chair = UserFactory(email="independent.chair@example.org")
    PanelMemberFactory(review=review, person=chair, panel_role="independent_chair")
    sign_in(client, chair)
    assert client.get(_url("access_log", review)).status_code == 403


def test_the_log_says_who_saw_what_and_when(client, personas, review, reviewer):
    document = review.documents.get(kind="imr")
    sign_in(client, reviewer)
    client.get(_url("panel", review))
    client.get(_url("document_download", review, document_pk=document.pk))
    sign_in(client, personas.manager)
    response = client.get(_url("access_log", review))
    assert response.status_code == 200
    text = _text(response)
    # Newest first: the lead opening the log, then the download, then the panel page.
    rows = text.split("When Who What", 1)[1]
    assert rows.index("Access log") < rows.index("Downloaded") < rows.index("Viewed: Panel")
    assert "20 April 2026, 11:30 Rita Reviewer reviewer@example.org Downloaded: Shire Police IMR v1" in text, (
        "times are shown in UK time"
    )
    assert f"Rita Reviewer reviewer@example.org Viewed: Panel {_url('panel', review)}" in text
    assert "Mina Manager manager@example.org Viewed: Access log" in text
    assert "3 entries" in text


def test_the_log_filters_by_person_and_kind(client, personas, review, reviewer):
    sign_in(client, reviewer)
    client.get(_url("panel", review))
    client.get(_url("document_download", review, document_pk=review.documents.first().pk))
    sign_in(client, personas.manager)
    client.get(_url("agencies", review))
    url = _url("access_log", review)

    by_reviewer = _text(client.get(url, {"person": reviewer.pk}))
    assert "2 entries match the filters" in by_reviewer
    assert "Viewed: Agencies" not in by_reviewer

    downloads = _text(client.get(url, {"kind": AccessKind.DOWNLOADED}))
    assert "1 entry matches the filters" in downloads
    assert "Viewed:" not in downloads.split("When Who What", 1)[1]

    both = _text(client.get(url, {"person": personas.manager.pk, "kind": "viewed"}))
    assert "Viewed: Agencies" in both
    assert "Rita Reviewer reviewer@example.org Viewed" not in both
    # An unknown person or kind (an old link) is ignored rather than refused.
    assert client.get(url, {"person": "999999", "kind": "nonsense"}).status_code == 200


def test_the_log_is_paginated(client, personas, review):
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(review=review, person=personas.chair, kind="viewed", page=_url("panel", review))
        for _ in range(30)
    )
    sign_in(client, personas.manager)
    first = client.get(_url("access_log", review))
    assert "31 entries, page 1 of 2" in _text(first)
    second = client.get(_url("access_log", review), {"page": 2})
    assert second.status_code == 200
    assert "page 2 of 2" in _text(second)


def test_the_log_keeps_other_reviews_entries_out(client, personas, review):
    other = ReviewFactory(partnership=personas.csp, reference="DHR 2026/02")
    AccessLogEntry.objects.create(review=other, person=personas.chair, kind="viewed", page=_url("review", other))
    sign_in(client, personas.manager)
    text = _text(client.get(_url("access_log", review)))
    assert "Charles Chair" not in text
