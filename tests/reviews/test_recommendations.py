"""A review's recommendations, tracked like actions: the list, the page, adding and changing them, their
status, and progress reports by the review's editors and the recommendation's lead officer.

Who may open each URL is in url_rules.py (the project's URL walk); the refusals that depend on the
recommendation (its lead officer) are here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reviews.choices import RecommendationStatus
from reviews.models import Recommendation, RecommendationUpdate
from reviews.services.recommendations import RecommendationFields, recommendation_create, recommendation_record_progress
from tests.conftest import Personas, sign_in
from tests.reviews.factories import PanelMemberFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Mid-June 2026: the reporting quarter began on 1 April; the fixture review was notified on 2 March.
JUNE_2026 = datetime(2026, 6, 15, 10, 0, tzinfo=LONDON)
STALE = "Someone else changed this while you were editing it."


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(JUNE_2026, tick=False):
        yield


def _text(response: Any) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip())


def _errors(response: Any) -> list[str]:
    """The error summary's messages, in order."""
    summary = response.content.decode().split("govuk-error-summary__list", 1)
    if len(summary) < 2:
        return []
    items = summary[1].split("</ul>", 1)[0]
    return [html.unescape(re.sub(r"\s+", " ", m).strip()) for m in re.findall(r"<a [^>]*>(.*?)</a>", items, re.S)]


def _error_links(response: Any) -> list[str]:
    """The fields the error summary's links point at (#id_<field>...)."""
    summary = response.content.decode().split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="#id_([a-z_]+?)(?:_\d)?"', summary)


def _flags(response: Any) -> str:
    """The RAG tag and flags at the top of a recommendation's page (the RAG rules below name them all)."""
    tags = response.content.decode().split('aria-label="RAG status and flags">', 1)[1].split("</ul>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", tags)).strip()


def _row(response: Any, href: str) -> str:
    """The text of the list's row linking to href."""
    row = response.content.decode().split(f'href="{href}">', 1)[1].split("</tr>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip())


def _version(response: Any) -> str:
    match = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert match, "no version field on the page"
    return match.group(1)


def _url(name: str, review: Any, recommendation: Any = None) -> str:
    if recommendation is None:
        return reverse(f"reviews:{name}", args=[review.pk])
    return reverse(f"reviews:{name}", args=[review.pk, recommendation.pk])


def _client(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _data(personas: Personas, **overrides: Any) -> dict[str, Any]:
    """A valid recommendation form, as the browser would post it."""
    data = {
        "number": "2",
        "text": "Shire Police should refer every repeat victim of stalking to the specialist service",
        "scope": "single_agency",
        "addressed_to": "Shire Police",
        "lead_organisation": str(personas.police.pk),
        "lead_officer": "",
        "target_date_0": "30",
        "target_date_1": "9",
        "target_date_2": "2026",
    }
    data.update(overrides)
    return data


def _progress(recommendation: Recommendation, **overrides: Any) -> dict[str, Any]:
    data = {
        "reported_on_0": "10",
        "reported_on_1": "6",
        "reported_on_2": "2026",
        "rag": "amber",
        "narrative": "Referral pathway drafted; training booked for July",
        "percent_complete": "40",
        "status": "open",
        "evidence_links": "https://example.org/pathway.pdf",
        "version": str(recommendation.version),
    }
    data.update(overrides)
    return data


def _first(review: Any) -> Recommendation:
    return review.recommendations.get(number="1")  # type: ignore[no-any-return]


# --- The list -------------------------------------------------------------------------------------------


def test_list_shows_each_recommendation_with_its_lead_target_status_rag_and_flags(personas: Personas, review):
    recommendation = _first(review)
    recommendation.lead_officer = personas.manager
    recommendation.save()
    response = _client(personas.manager).get(_url("recommendations", review))
    row = _row(response, _url("recommendation", review, recommendation))
    # Never reported on: grey, and flagged as having no update this quarter.
    assert row == (
        "Agencies should share risk assessments through the MARAC within 24 hours Multi-agency All agencies "
        "Shire Police Mina Manager 31 Mar 2027 Open No update No update this quarter 0%"
    )
    text = _text(response)
    assert "No update 1 recommendation" in text
    assert "Add a recommendation" in text


def test_list_counts_recommendations_by_rag(personas: Personas, review):
    RecommendationFactory(review=review, number="2", rag="red", last_update_on=date(2026, 5, 1))
    RecommendationFactory(review=review, number="3", rag="red", last_update_on=date(2026, 5, 1))
    RecommendationFactory(review=review, number="4", status="completed", completed_on=date(2026, 5, 1))
    text = _text(_client(personas.chair).get(_url("recommendations", review)))
    assert "Red 2 recommendations" in text
    assert "Complete 1 recommendation" in text
    assert "No update 1 recommendation" in text
    assert "Green 0 recommendations" in text


def test_list_filters_by_status(personas: Personas, review):
    RecommendationFactory(
        review=review,
        number="2",
        text="Completed: the GP practice audit",
        status="completed",
        completed_on=date(2026, 5, 1),
    )
    client = _client(personas.manager)
    text = _text(client.get(_url("recommendations", review), {"status": "completed"}))
    assert "1 recommendation match the filter" in text
    assert "Completed: the GP practice audit" in text
    assert "Agencies should share risk assessments" not in text
    # An unknown status (an old link) is ignored.
    assert "2 recommendations" in _text(client.get(_url("recommendations", review), {"status": "lost"}))


def test_only_editors_are_offered_to_add_a_recommendation(personas: Personas, review, reviewer):
    assert "Add a recommendation" not in _text(_client(personas.chair).get(_url("recommendations", review)))
    assert "Add a recommendation" not in _text(_client(reviewer).get(_url("recommendations", review)))


def test_list_runs_as_many_queries_for_30_recommendations_as_for_3(
    personas: Personas, review, django_assert_max_num_queries
):
    client = _client(personas.manager)
    url = _url("recommendations", review)
    client.get(url)  # warm the per-process caches
    for n in range(2, 4):
        RecommendationFactory(
            review=review, number=str(n), lead_organisation=personas.police, lead_officer=personas.chair
        )
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for n in range(4, 31):
        RecommendationFactory(
            review=review, number=str(n), lead_organisation=personas.council, lead_officer=personas.manager
        )
    with django_assert_max_num_queries(20) as large:
        response = client.get(url)
    assert len(large) == len(small)
    assert "30 recommendations, page 1 of 2" in _text(response)


# --- One recommendation ---------------------------------------------------------------------------------


def test_page_shows_the_details_and_the_progress_timeline(personas: Personas, review):
    recommendation = _first(review)
    recommendation_record_progress(
        actor=personas.manager,
        recommendation=recommendation,
        version=recommendation.version,
        reported_on=date(2026, 6, 10),
        rag="amber",
        narrative="Protocol drafted with the MARAC coordinator",
        percent_complete=40,
        status="open",
        evidence_links="https://example.org/marac-protocol.pdf",
    )
    text = _text(_client(personas.manager).get(_url("recommendation", review, recommendation)))
    assert "Recommendation 1" in text
    assert "Scope Multi-agency" in text
    assert "Addressed to All agencies" in text
    assert "Lead organisation Shire Police" in text
    assert "Target date 31 March 2027" in text
    assert "Status Open" in text
    assert "10 June 2026 by Mina Manager Amber 40% complete" in text
    assert "Protocol drafted with the MARAC coordinator" in text
    assert "Evidence 1: https://example.org/marac-protocol.pdf" in text
    assert "Report progress" in text
    assert "Change status" in text
    assert "Change the recommendation" in text


def test_page_offers_the_chair_no_changes(personas: Personas, review):
    text = _text(_client(personas.chair).get(_url("recommendation", review, _first(review))))
    assert "No progress has been reported yet." in text
    assert "Report progress" not in text
    assert "Change status" not in text
    assert "Change the recommendation" not in text


def test_a_recommendation_of_another_review_is_not_found(personas: Personas, review):
    other = RecommendationFactory()  # another CSP's review
    client = _client(personas.manager)
    assert client.get(reverse("reviews:recommendation", args=[review.pk, other.pk])).status_code == 404
    assert client.get(reverse("reviews:recommendation_edit", args=[review.pk, other.pk])).status_code == 404
    assert client.get(reverse("reviews:recommendation_progress", args=[review.pk, other.pk])).status_code == 404


# --- Adding and changing --------------------------------------------------------------------------------


def test_adding_one_empty_names_each_missing_answer_and_saves_nothing(personas: Personas, review):
    response = _client(personas.manager).post(_url("recommendation_add", review), {})
    assert response.status_code == 400
    assert _errors(response) == [
        "Enter the recommendation's number",
        "Enter the recommendation",
        "Select the scope",
        'Enter who it is addressed to, e.g. "All agencies" or "Home Office"',
        "Enter the date the recommendation should be met by",
    ]
    assert review.recommendations.count() == 1


def test_manager_adds_a_recommendation_and_the_history_records_them(personas: Personas, review, reviewer):
    response = _client(personas.manager).post(
        _url("recommendation_add", review), _data(personas, lead_officer=str(reviewer.pk))
    )
    recommendation = review.recommendations.get(number="2")
    assert response.status_code == 302
    assert response["Location"] == _url("recommendation", review, recommendation)
    assert (recommendation.scope, recommendation.addressed_to) == ("single_agency", "Shire Police")
    assert (recommendation.lead_organisation, recommendation.lead_officer) == (personas.police, reviewer)
    assert recommendation.target_date == date(2026, 9, 30)
    assert recommendation.status == "open"
    assert recommendation.version == 1
    assert recommendation.history.get().history_user == personas.manager


def test_a_number_the_review_already_has_is_refused_with_the_field_named(personas: Personas, review):
    response = _client(personas.manager).post(_url("recommendation_add", review), _data(personas, number="1"))
    assert response.status_code == 400
    assert _errors(response) == ["This review already has a recommendation 1"]
    assert _error_links(response) == ["number"]
    assert review.recommendations.count() == 1


def test_a_target_date_before_the_notification_is_refused(personas: Personas, review):
    response = _client(personas.manager).post(
        _url("recommendation_add", review), _data(personas, target_date_1="1", target_date_0="1")
    )
    assert response.status_code == 400
    assert _errors(response) == ["The target date must be after the review's notification"]
    assert review.recommendations.count() == 1


def test_lead_officers_offered_are_the_people_who_may_open_the_review(personas: Personas, review, reviewer):
    page = _client(personas.manager).get(_url("recommendation_add", review)).content.decode()
    options = dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page))
    assert options[str(reviewer.pk)] == "Rita Reviewer (Agency representative, Shire Police)"
    assert options[str(personas.manager.pk)] == "Mina Manager (Partnership manager)"
    assert options[str(personas.chair.pk)] == "Charles Chair (Chair)"
    for outside in (personas.police_officer, personas.council_officer, personas.scrutiny, personas.outsider):
        assert str(outside.pk) not in options


def test_a_partner_officer_off_the_panel_cannot_lead_a_recommendation(personas: Personas, review):
    response = _client(personas.manager).post(
        _url("recommendation_add", review), _data(personas, lead_officer=str(personas.police_officer.pk))
    )
    assert response.status_code == 400
    assert _error_links(response) == ["lead_officer"]
    assert "only people who may open the review can lead it" in _errors(response)[0]
    assert review.recommendations.count() == 1
    # The service refuses them too, whatever the form offered.
    fields = RecommendationFields(
        number="2",
        text="A recommendation",
        scope="local",
        addressed_to="Shire Police",
        lead_organisation=personas.police,
        lead_officer=personas.police_officer,
        target_date=date(2026, 9, 30),
    )
    with pytest.raises(ValidationError) as refused:
        recommendation_create(actor=personas.manager, review=review, fields=fields)
    assert list(refused.value.error_dict) == ["lead_officer"]


def test_editing_saves_the_change_and_raises_the_version(personas: Personas, review):
    recommendation = _first(review)
    client = _client(personas.manager)
    url = _url("recommendation_edit", review, recommendation)
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Agencies should share' not in page.content.decode()  # the text is a textarea
    response = client.post(url, _data(personas, number="1", addressed_to="Home Office", version=_version(page)))
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.addressed_to, recommendation.version) == ("Home Office", 2)
    assert recommendation.history.latest().history_user == personas.manager


def test_editing_empty_names_the_missing_answers_and_changes_nothing(personas: Personas, review):
    recommendation = _first(review)
    response = _client(personas.manager).post(
        _url("recommendation_edit", review, recommendation), {"version": str(recommendation.version)}
    )
    assert response.status_code == 400
    assert "Enter the recommendation's number" in _errors(response)
    recommendation.refresh_from_db()
    assert recommendation.version == 1


def test_the_second_of_two_edits_is_shown_the_first_and_not_saved(personas: Personas, review):
    recommendation = _first(review)
    url = _url("recommendation_edit", review, recommendation)
    first, second = _client(personas.manager), _client(personas.manager)
    version = _version(first.get(url))
    assert _version(second.get(url)) == version
    assert first.post(url, _data(personas, number="1", addressed_to="Home Office", version=version)).status_code == 302
    refused = second.post(url, _data(personas, number="1", addressed_to="NHS England", version=version))
    assert refused.status_code == 409
    text = _text(refused)
    assert STALE in text
    assert "Their version and yours" in text
    assert "Saved by Mina Manager" in text
    assert "Home Office" in text
    assert "NHS England" in text
    recommendation.refresh_from_db()
    assert (recommendation.addressed_to, recommendation.version) == ("Home Office", 2)
    # The page now carries the current version: saving again is deliberate, and goes through.
    assert _version(refused) == "2"
    again = second.post(url, _data(personas, number="1", addressed_to="NHS England", version="2"))
    assert again.status_code == 302


def test_a_panel_member_who_is_not_an_editor_may_not_add_or_change_recommendations(
    personas: Personas, review, reviewer
):
    client = _client(reviewer)
    recommendation = _first(review)
    assert client.get(_url("recommendation_add", review)).status_code == 403
    assert client.post(_url("recommendation_add", review), _data(personas)).status_code == 403
    assert client.get(_url("recommendation_edit", review, recommendation)).status_code == 403
    assert client.get(_url("recommendation_status", review, recommendation)).status_code == 403
    assert review.recommendations.count() == 1


def test_the_review_chair_on_the_panel_edits_recommendations(personas: Personas, review):
    independent = PanelMemberFactory(review=review, panel_role="independent_chair").person
    response = _client(independent).post(_url("recommendation_add", review), _data(personas))
    assert response.status_code == 302
    assert review.recommendations.get(number="2").history.get().history_user == independent


def test_a_partner_officer_off_the_panel_cannot_find_the_recommendations(personas: Personas, review):
    client = _client(personas.police_officer)
    recommendation = _first(review)
    for url in (
        _url("recommendations", review),
        _url("recommendation", review, recommendation),
        _url("recommendation_progress", review, recommendation),
    ):
        assert client.get(url).status_code == 404


# --- Progress -------------------------------------------------------------------------------------------


def test_progress_page_asks_for_the_recommendations_status_not_an_actions(personas: Personas, review):
    response = _client(personas.manager).get(_url("recommendation_progress", review, _first(review)))
    text = _text(response)
    assert response.status_code == 200
    assert "Status of the recommendation" in text
    assert "Status of the action" not in text
    inputs = re.findall(r'<input[^>]*name="status"[^>]*>', response.content.decode())
    assert sorted(re.search(r'value="([a-z_]+)"', tag).group(1) for tag in inputs) == ["completed", "open"]  # type: ignore[union-attr]
    assert "Agencies should share risk assessments" in text  # the recommendation above the form


def test_progress_empty_names_each_missing_answer_and_saves_nothing(personas: Personas, review):
    recommendation = _first(review)
    response = _client(personas.manager).post(
        _url("recommendation_progress", review, recommendation), {"version": str(recommendation.version)}
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "Enter the date of the update",
        "Select the RAG status",
        "Describe the progress: the RAG needs a reason",
        "Enter the percentage complete, from 0 to 100",
        "Select the recommendation's status",
    ]
    assert not RecommendationUpdate.objects.exists()


def test_progress_is_checked_as_on_an_action(personas: Personas, review):
    recommendation = _first(review)
    response = _client(personas.manager).post(
        _url("recommendation_progress", review, recommendation),
        _progress(recommendation, reported_on_1="7", evidence_links="not a link"),
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "The date of the update must be today or in the past",
        "Evidence link 1 is not a web address starting http:// or https://",
    ]
    assert not RecommendationUpdate.objects.exists()


def test_manager_reports_progress_and_the_history_records_them(personas: Personas, review):
    recommendation = _first(review)
    response = _client(personas.manager).post(
        _url("recommendation_progress", review, recommendation), _progress(recommendation)
    )
    assert response.status_code == 302
    assert response["Location"] == _url("recommendation", review, recommendation) + "#timeline"
    recommendation.refresh_from_db()
    assert (recommendation.rag, recommendation.percent_complete) == ("amber", 40)
    assert recommendation.last_update_on == date(2026, 6, 10)
    update = recommendation.updates.get()
    assert (update.author, update.links) == (personas.manager, ["https://example.org/pathway.pdf"])
    assert update.history.get().history_user == personas.manager
    assert recommendation.history.latest().history_user == personas.manager


def test_progress_reported_complete_completes_the_recommendation(personas: Personas, review):
    recommendation = _first(review)
    client = _client(personas.manager)
    client.post(
        _url("recommendation_progress", review, recommendation),
        _progress(recommendation, rag="green", percent_complete="100", status="completed"),
    )
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.completed_on) == ("completed", date(2026, 6, 10))
    text = _text(client.get(_url("recommendation", review, recommendation)))
    assert "Complete" in text
    assert "Status Completed on 10 June 2026" in text
    assert "Report progress" in text  # a completed recommendation may still be reported on (or reopened)


def test_the_reviewer_reports_progress_on_the_recommendation_they_lead_but_not_on_another(
    personas: Personas, review, reviewer
):
    theirs = RecommendationFactory(review=review, number="2", lead_officer=reviewer, lead_organisation=personas.police)
    other = _first(review)
    client = _client(reviewer)
    assert "Report progress" in _text(client.get(_url("recommendation", review, theirs)))
    assert "Report progress" not in _text(client.get(_url("recommendation", review, other)))
    assert client.get(_url("recommendation_progress", review, theirs)).status_code == 200
    assert client.post(_url("recommendation_progress", review, theirs), _progress(theirs)).status_code == 302
    assert theirs.updates.get().author == reviewer
    assert client.get(_url("recommendation_progress", review, other)).status_code == 403
    assert client.post(_url("recommendation_progress", review, other), _progress(other)).status_code == 403
    assert not other.updates.exists()


def test_the_chair_may_not_report_progress(personas: Personas, review):
    client = _client(personas.chair)
    recommendation = _first(review)
    assert client.get(_url("recommendation_progress", review, recommendation)).status_code == 403
    assert (
        client.post(_url("recommendation_progress", review, recommendation), _progress(recommendation)).status_code
        == 403
    )
    assert not RecommendationUpdate.objects.exists()


def test_the_second_of_two_progress_reports_is_refused_with_both_versions(personas: Personas, review, reviewer):
    recommendation = RecommendationFactory(review=review, number="2", lead_officer=reviewer)
    url = _url("recommendation_progress", review, recommendation)
    lead, manager = _client(reviewer), _client(personas.manager)
    version = _version(lead.get(url))
    assert _version(manager.get(url)) == version
    assert lead.post(url, _progress(recommendation, narrative="Lead: pathway live")).status_code == 302
    refused = manager.post(url, _progress(recommendation, rag="red", narrative="Manager: stalled"))
    assert refused.status_code == 409
    text = _text(refused)
    assert STALE in text
    assert "Lead: pathway live" in text
    assert "Manager: stalled" in text
    assert list(recommendation.updates.values_list("narrative", flat=True)) == ["Lead: pathway live"]


# --- Status ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("superseded", "Say why the recommendation is superseded"),
        ("not_accepted", "Say why the recommendation is not accepted"),
    ],
)
def test_superseded_or_not_accepted_needs_a_reason(personas: Personas, review, status, message):
    recommendation = _first(review)
    response = _client(personas.manager).post(
        _url("recommendation_status", review, recommendation),
        {"status": status, "reason": " ", "on_0": "1", "on_1": "6", "on_2": "2026", "version": "1"},
    )
    assert response.status_code == 400
    assert _errors(response) == [message]
    assert _error_links(response) == ["reason"]
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.version) == ("open", 1)


def test_status_empty_names_the_missing_answers(personas: Personas, review):
    recommendation = _first(review)
    response = _client(personas.manager).post(_url("recommendation_status", review, recommendation), {"version": "1"})
    assert response.status_code == 400
    assert _errors(response) == ["Select the recommendation's status", "Enter the date of the change"]


def test_superseding_with_a_reason_is_shown_and_recorded(personas: Personas, review):
    recommendation = _first(review)
    client = _client(personas.manager)
    response = client.post(
        _url("recommendation_status", review, recommendation),
        {
            "status": "superseded",
            "reason": "Replaced by the county-wide MARAC protocol",
            "on_0": "1",
            "on_1": "6",
            "on_2": "2026",
            "version": "1",
        },
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.status_reason) == (
        RecommendationStatus.SUPERSEDED,
        "Replaced by the county-wide MARAC protocol",
    )
    assert recommendation.history.latest().history_user == personas.manager
    text = _text(client.get(_url("recommendation", review, recommendation)))
    assert "Status Superseded Reason: Replaced by the county-wide MARAC protocol" in text
    # Nothing is reported on a superseded recommendation.
    assert "Report progress" not in text


def test_completing_records_the_date(personas: Personas, review):
    recommendation = _first(review)
    _client(personas.manager).post(
        _url("recommendation_status", review, recommendation),
        {"status": "completed", "reason": "", "on_0": "12", "on_1": "6", "on_2": "2026", "version": "1"},
    )
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.completed_on) == ("completed", date(2026, 6, 12))


def test_a_stale_status_change_is_refused(personas: Personas, review):
    recommendation = _first(review)
    url = _url("recommendation_status", review, recommendation)
    first, second = _client(personas.manager), _client(personas.manager)
    version = _version(first.get(url))
    _version(second.get(url))
    done = {"status": "completed", "reason": "", "on_0": "12", "on_1": "6", "on_2": "2026", "version": version}
    assert first.post(url, done).status_code == 302
    refused = second.post(url, {**done, "status": "not_accepted", "reason": "The board declined it"})
    assert refused.status_code == 409
    assert STALE in _text(refused)
    recommendation.refresh_from_db()
    assert recommendation.status == "completed"


# --- RAG flags, with time pinned ------------------------------------------------------------------------


def test_flags_follow_the_target_date_and_the_reporting_quarter(personas: Personas, review):
    recommendation = RecommendationFactory(
        review=review, number="2", target_date=date(2026, 5, 31), lead_organisation=personas.police
    )
    client = _client(personas.manager)
    detail = _url("recommendation", review, recommendation)
    assert _flags(client.get(detail)) == "No update Overdue No update this quarter"
    recommendation_record_progress(
        actor=personas.manager,
        recommendation=recommendation,
        version=recommendation.version,
        reported_on=date(2026, 6, 1),
        rag="red",
        narrative="Waiting for the new referral form",
        percent_complete=20,
        status="open",
    )
    row = _row(client.get(_url("recommendations", review)), detail)
    assert row.endswith("Open Red Overdue 20%")
    assert _flags(client.get(detail)) == "Red Overdue"
    # A new quarter begins on 1 July: the June report no longer counts for it.
    with time_machine.travel(datetime(2026, 7, 2, 10, 0, tzinfo=LONDON), tick=False):
        sign_in(client, personas.manager)  # the June session has long expired
        assert _flags(client.get(detail)) == "Red Overdue No update this quarter"
    # Completed: neither flag, and blue.
    recommendation.refresh_from_db()
    recommendation_record_progress(
        actor=personas.manager,
        recommendation=recommendation,
        version=recommendation.version,
        reported_on=date(2026, 6, 14),
        rag="green",
        narrative="Form live",
        percent_complete=100,
        status="completed",
    )
    sign_in(client, personas.manager)
    assert _flags(client.get(detail)) == "Complete"
