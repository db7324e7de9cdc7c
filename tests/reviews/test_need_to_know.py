"""Need to know, page by page: a review panel member opens their review (read pages 200, the rest 403) and
nothing of a second review of the same CSP (404); partner officers of the same CSP and organisation,
scrutiny and county members, other CSPs' managers and administrators get 404 on every URL of a review,
GET and POST, documents included (real and guessed ids), and never see a review's reference or
pseudonym on the pages they can open.

The URL list is walked from reviews.urls.urlpatterns, so a new review URL is covered without editing
this file; the expected answer per URL comes from url_rules.py (the project's URL walk).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.urls import URLPattern, reverse

from partnerships.models import Role
from reviews import urls as review_urls
from reviews.choices import PanelRole
from reviews.models import AccessLogEntry, Review
from tests.conftest import Personas, sign_in
from tests.factories import ActionFactory, ActionPlanFactory, RoleFactory, UserFactory
from tests.reviews import url_rules
from tests.reviews.factories import (
    AgencyFactory,
    FamilyContactFactory,
    PanelMemberFactory,
    RecommendationFactory,
    ReviewDocumentFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN_FROM = ("police_officer", "council_officer", "scrutiny", "county_member", "outsider", "admin")
SECRETS = ("DHR 2026/01", "Ms Kestrel", "Mr Falcon", "DHR 2026/02", "Ms Osprey")


def _patterns() -> list[URLPattern]:
    return [p for p in review_urls.urlpatterns if isinstance(p, URLPattern)]


REVIEW_URLS = [p.name for p in _patterns() if "pk" in p.pattern.regex.groupindex]
PARTNERSHIP_URLS = [p.name for p in _patterns() if "pk" not in p.pattern.regex.groupindex]


def _url(name: str, review: Review, **overrides: Any) -> str:
    """The URL `name` for a review and its first member, agency, document and recommendation."""
    pattern = next(p for p in _patterns() if p.name == name)
    values = {
        "pk": lambda: review.pk,
        "ref": lambda: review.partnership.slug,
        "step": lambda: "decision",
        "member_pk": lambda: review.panel.order_by("pk").first().pk,
        "agency_pk": lambda: review.agencies.order_by("pk").first().pk,
        "document_pk": lambda: review.documents.order_by("pk").first().pk,
        "rec_pk": lambda: review.recommendations.order_by("pk").first().pk,
    }
    kwargs = {key: overrides[key] if key in overrides else values[key]() for key in pattern.pattern.regex.groupindex}
    return reverse(f"reviews:{name}", kwargs=kwargs)


@pytest.fixture
def reviews(personas: Personas, review: Review) -> tuple[Review, Review]:
    """The fixture review (pseudonyms made distinctive) and a second review of the same CSP, complete."""
    review.victim_pseudonym = "Ms Kestrel"
    review.perpetrator_pseudonym = "Mr Falcon"
    review.save()
    second = ReviewFactory(
        partnership=personas.csp,
        reference="DHR 2026/02",
        notified_by=personas.police,
        victim_pseudonym="Ms Osprey",
        perpetrator_pseudonym="Mr Harrier",
    )
    agency = AgencyFactory(review=second, organisation=personas.police)
    FamilyContactFactory(review=second, recorded_by=personas.manager)
    ReviewDocumentFactory(review=second, kind="imr", agency=agency, title="Second IMR", uploaded_by=personas.manager)
    RecommendationFactory(review=second, number="1", lead_organisation=personas.police)
    PanelMemberFactory(review=second, person=None, name="Dr Second Chair", panel_role=PanelRole.INDEPENDENT_CHAIR)
    return review, second


def _reviewer_expects(name: str) -> int:
    """A panel member (agency representative) reads what the lead and chair both read; nothing else."""
    rule = url_rules.RULES[f"reviews:{name}"]
    return 200 if rule["manager"] == 200 and rule["chair"] == 200 else 403


# --- The panel member -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REVIEW_URLS)
def test_a_panel_member_opens_their_reviews_read_pages_and_nothing_more(client, reviews, reviewer, name):
    review, _ = reviews
    sign_in(client, reviewer)
    response = client.get(_url(name, review))
    assert response.status_code == _reviewer_expects(name)


@pytest.mark.parametrize("name", REVIEW_URLS)
def test_a_panel_member_cannot_tell_a_second_review_of_the_same_csp_exists(client, reviews, reviewer, name):
    _, second = reviews
    sign_in(client, reviewer)
    before = AccessLogEntry.objects.count()
    assert client.get(_url(name, second)).status_code == 404
    assert client.post(_url(name, second), {}).status_code == 404
    assert AccessLogEntry.objects.count() == before


def test_a_panel_member_cannot_reach_the_second_reviews_parts_through_their_own(client, reviews, reviewer):
    review, second = reviews
    sign_in(client, reviewer)
    for name, key, part in (
        ("document_download", "document_pk", second.documents.get()),
        ("recommendation", "rec_pk", second.recommendations.get()),
    ):
        assert client.get(_url(name, review, **{key: part.pk})).status_code == 404


@pytest.mark.parametrize("name", PARTNERSHIP_URLS)
def test_a_panel_member_sees_nothing_of_the_second_review_across_reviews(client, reviews, reviewer, name):
    review, _ = reviews
    sign_in(client, reviewer)
    response = client.get(_url(name, review))
    if name in ("list", "outstanding"):
        # Rows of the reviews they can open: theirs.
        assert response.status_code == 200
        assert "DHR 2026/01" in response.content.decode()
    else:
        # Starting reviews and setting their rules are the lead's.
        assert response.status_code in (403, 404)
    content = response.content.decode()
    assert "DHR 2026/02" not in content
    assert "Ms Osprey" not in content


# --- Everyone else ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", HIDDEN_FROM)
@pytest.mark.parametrize("name", REVIEW_URLS)
def test_people_off_the_panel_get_not_found_on_every_review_url(client, personas: Personas, reviews, role, name):
    review, second = reviews
    sign_in(client, personas.by_role(role))
    before = AccessLogEntry.objects.count()
    for target in (review, second):
        assert client.get(_url(name, target)).status_code == 404
        assert client.post(_url(name, target), {}).status_code == 404
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize("role", HIDDEN_FROM)
def test_people_off_the_panel_cannot_download_with_real_or_guessed_ids(client, personas: Personas, reviews, role):
    review, second = reviews
    hillford = ReviewFactory(partnership=personas.other_csp, reference="HF 2026/01")
    theirs = ReviewDocumentFactory(review=hillford, uploaded_by=personas.outsider)
    sign_in(client, personas.by_role(role))
    documents = [*review.documents.all(), *second.documents.all()]
    for target in (review, second, hillford):
        for document in documents:
            response = client.get(_url("document_download", target, document_pk=document.pk))
            assert response.status_code == 404
            assert not response.has_header("Content-Disposition")
    for guess in (theirs.pk, theirs.pk + 1000, 0):
        assert client.get(_url("document_download", review, document_pk=guess)).status_code == 404


@pytest.mark.parametrize("role", HIDDEN_FROM)
@pytest.mark.parametrize("name", PARTNERSHIP_URLS)
def test_pages_across_reviews_answer_as_declared_and_name_no_review(client, personas, reviews, role, name):
    review, _ = reviews
    sign_in(client, personas.by_role(role))
    url = _url(name, review)
    expected = url_rules.RULES[f"reviews:{name}"][role]
    response = client.get(url)
    assert response.status_code == expected
    content = response.content.decode()
    for secret in SECRETS:
        assert secret not in content, f"{role} sees {secret!r} on {url}"
    if f"reviews:{name}" in url_rules.WRITE_URLS:
        assert client.post(url, {}).status_code == expected


# --- Pages they can open: no trace of a review -------------------------------------------------------------


@pytest.fixture
def plan(personas: Personas):  # type: ignore[no-untyped-def]
    """An agreed action plan of the CSP with an action led by the police (the reviews' lead agency too)."""
    action_plan = ActionPlanFactory(partnership=personas.csp, title="Riverton action plan")
    ActionFactory(action_plan=action_plan, lead_organisation=personas.police, lead_officer=personas.police_officer)
    return action_plan


def _body(response) -> str:  # type: ignore[no-untyped-def]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )


@pytest.mark.parametrize("role", HIDDEN_FROM)
def test_no_page_they_can_open_names_a_review(client, personas: Personas, reviews, plan, role):
    # The police officer leads a recommendation of each review, as their organisation does.
    for review in reviews:
        review.recommendations.update(lead_officer=personas.police_officer)
    sign_in(client, personas.by_role(role))
    pages = {
        "home": reverse("home"),
        "partnership": reverse("partnerships:detail", args=[personas.csp.slug]),
        "partnerships": reverse("partnerships:list"),
        "my actions": reverse("actionplans:my_actions"),
        "plans": reverse("actionplans:plans", args=[personas.csp.slug]),
        "plan": reverse("actionplans:plan", args=[plan.pk]),
    }
    for page, url in pages.items():
        content = _body(client.get(url))
        for secret in SECRETS:
            assert secret not in content, f"{role} sees {secret!r} on the {page} page"
    csv_response = client.get(reverse("actionplans:export_csv", args=[plan.pk]))
    if csv_response.status_code == 200:
        text = "\n".join(",".join(row) for row in csv.reader(io.StringIO(_body(csv_response))))
        for secret in SECRETS:
            assert secret not in text
    xlsx_response = client.get(reverse("actionplans:export_xlsx", args=[plan.pk]))
    if xlsx_response.status_code == 200:
        text = _xlsx_text(
            b"".join(xlsx_response.streaming_content) if xlsx_response.streaming else xlsx_response.content
        )
        for secret in SECRETS:
            assert secret not in text


def test_the_panel_member_sees_only_their_review_on_the_pages_they_share(client, personas, reviews, reviewer, plan):
    sign_in(client, reviewer)
    for url in (
        reverse("home"),
        reverse("partnerships:detail", args=[personas.csp.slug]),
        reverse("actionplans:my_actions"),
        reverse("actionplans:export_csv", args=[plan.pk]),
    ):
        content = _body(client.get(url))
        assert "DHR 2026/02" not in content
        assert "Ms Osprey" not in content


def test_a_review_lead_of_another_csp_sees_none_of_riverton_s_reviews(client, personas, reviews):
    # The outsider leads reviews in Hillford: they have review access, just not to these.
    ReviewFactory(partnership=personas.other_csp, reference="HF 2026/01", victim_pseudonym="Mx Wren")
    sign_in(client, personas.outsider)
    content = client.get(reverse("reviews:list")).content.decode()
    assert "HF 2026/01" in content
    for secret in SECRETS:
        assert secret not in content


def test_a_partner_officer_made_review_lead_elsewhere_still_cannot_see_riverton_s(client, personas, reviews):
    # Holding a review role somewhere opens the review pages' door, not these reviews.
    officer = UserFactory(email="lead.elsewhere@example.org")
    RoleFactory(person=officer, partnership=personas.other_csp, organisation=personas.police, role=Role.REVIEW_LEAD)
    RoleFactory(person=officer, partnership=personas.csp, organisation=personas.police, role=Role.PARTNER_OFFICER)
    review, second = reviews
    sign_in(client, officer)
    for name in REVIEW_URLS:
        assert client.get(_url(name, review)).status_code == 404, name
        assert client.get(_url(name, second)).status_code == 404, name
