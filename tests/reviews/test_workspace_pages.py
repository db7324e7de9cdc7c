"""The review workspace pages (reviews/views/workspace.py): the list of reviews, a new notification, the
deadline rules, a review's overview, its case details, the step pages, pauses, the take-down and the
history. What each shows, their forms (errors and saves), who may use them, and their query counts.

Who may open each URL is also in url_rules.py (the project's URL walk). Time is pinned to 10 April 2026:
the fixture review was notified on 2 March 2026, so its decision (due 2 April) is 8 days overdue.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from partnerships.models import Role
from reviews.choices import Decision, DocumentKind, PauseReason, QaOutcome, Stage
from reviews.forms.workspace import case_from, case_initial
from reviews.models import AccessLogEntry, Pause, QaSubmission, Review, ReviewRules, StageChange
from reviews.services import process
from reviews.services.process import CaseFields
from tests.conftest import Personas, sign_in
from tests.factories import OrganisationFactory, RoleFactory, UserFactory
from tests.reviews.factories import (
    AgencyFactory,
    PanelMemberFactory,
    ReviewDocumentFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 10)


@pytest.fixture(autouse=True)
def _pinned():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 4, 10, 9, 0, tzinfo=UTC), tick=False):
        yield


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's visible text, tags dropped and spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip())


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The error summary's messages, in order."""
    summary = response.content.decode().split("govuk-error-summary__list", 1)
    if len(summary) < 2:
        return []
    items = summary[1].split("</ul>", 1)[0]
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m)).strip())
        for m in re.findall(r"<li>(.*?)</li>", items, re.S)
    ]


def _error_links(response) -> list[str]:  # type: ignore[no-untyped-def]
    """Where each of the error summary's messages leads: the field it names."""
    summary = response.content.decode().split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="([^"]+)"', summary)


def _options(page: str, name: str) -> list[str]:
    """The values of the inputs of a field (checkboxes, radios, a hidden field)."""
    return re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page, re.S)


def _day(name: str, value: date) -> dict[str, str]:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def _url(name: str, review: Review, **kwargs: Any) -> str:
    return reverse(f"reviews:{name}", kwargs={"pk": review.pk, **kwargs})


# The statutory steps in order, each through its service, with dates before the pinned day.
def _walk(review: Review, personas: Personas, until: str) -> Review:
    lead, chair = personas.manager, personas.chair
    steps = [
        (
            Stage.DECIDED,
            lambda r: process.review_record_decision(
                actor=chair,
                review=r,
                version=r.version,
                decision=Decision.HOLD,
                reasons="Criteria met",
                decided_on=date(2026, 3, 20),
            ),
        ),
        (
            Stage.HOME_OFFICE_NOTIFIED,
            lambda r: process.review_notify_home_office(
                actor=lead, review=r, version=r.version, notified_on=date(2026, 3, 21)
            ),
        ),
        (
            Stage.COMMISSIONED,
            lambda r: process.review_commission(
                actor=lead,
                review=r,
                version=r.version,
                commissioned_on=date(2026, 3, 22),
                independent_chair="Dr Jo Independent",
                chair_certified=True,
            ),
        ),
        (
            Stage.TERMS_AGREED,
            lambda r: process.review_agree_terms(
                actor=lead,
                review=r,
                version=r.version,
                terms_version="1.0",
                agreed_on=date(2026, 3, 23),
                period_start=date(2021, 1, 1),
                period_end=date(2026, 2, 20),
            ),
        ),
        (
            Stage.INFORMATION,
            lambda r: process.review_start_information(
                actor=lead, review=r, version=r.version, started_on=date(2026, 3, 24)
            ),
        ),
        (
            Stage.DRAFTING,
            lambda r: process.review_start_drafting(
                actor=lead, review=r, version=r.version, started_on=date(2026, 3, 25)
            ),
        ),
        (
            Stage.SIGNED_OFF,
            lambda r: (
                ReviewDocumentFactory(review=r, kind=DocumentKind.DRAFT, title="Overview report", uploaded_by=lead),
                process.review_sign_off(actor=lead, review=r, version=r.version, signed_off_on=date(2026, 3, 26)),
            ),
        ),
        (
            Stage.SUBMITTED,
            lambda r: process.review_submit_to_qa(
                actor=lead, review=r, version=r.version, submitted_on=date(2026, 3, 27)
            ),
        ),
        (
            Stage.QA_APPROVED,
            lambda r: process.review_record_qa_outcome(
                actor=lead, review=r, version=r.version, outcome=QaOutcome.APPROVED, letter_on=date(2026, 3, 28)
            ),
        ),
        (
            Stage.PUBLISHED,
            lambda r: process.review_publish(
                actor=lead,
                review=r,
                version=r.version,
                published_on=date(2026, 3, 29),
                publication_url="https://riverton.example/dhr-2026-01",
            ),
        ),
    ]
    for stage, step in steps:
        step(review)
        if stage == until:
            break
    review.refresh_from_db()
    return review


# --- The list of reviews ---------------------------------------------------------------------------------


def test_the_list_shows_each_review_with_its_stage_clock_and_next_deadline(client, personas: Personas, review):
    sign_in(client, personas.manager)
    response = client.get(reverse("reviews:list"))
    assert response.status_code == 200
    text = _text(response)
    assert "DHR 2026/01 Riverton Adult A Scoping 39 Decision whether to hold a review 2 April 2026" in text
    assert "Overdue by 8 days" in text
    assert "Record a new notification" in text
    assert reverse("reviews:create", args=["riverton"]) in response.content.decode()


def test_the_list_shows_pauses_and_the_days_without_them(client, personas: Personas, review):
    Pause.objects.create(review=review, reason=PauseReason.CRIMINAL_TRIAL, started_on=date(2026, 3, 31))
    sign_in(client, personas.chair)
    text = _text(client.get(reverse("reviews:list")))
    assert "Scoping Paused 39 29 without pauses" in text
    # The chair decides but does not record notifications.
    assert "Record a new notification" not in text


def test_a_panel_member_lists_only_the_review_they_sit_on(client, personas: Personas, review, reviewer):
    ReviewFactory(partnership=personas.csp, reference="DHR 2026/02", victim_pseudonym="Adult C")
    sign_in(client, reviewer)
    text = _text(client.get(reverse("reviews:list")))
    assert "DHR 2026/01" in text
    assert "DHR 2026/02" not in text
    assert "Record a new notification" not in text


def test_the_list_filters_by_partnership_stage_and_state(client, personas: Personas, review):
    closed = ReviewFactory(partnership=personas.csp, reference="DHR 2025/04", stage=Stage.CLOSED, closed_on=TODAY)
    paused = ReviewFactory(partnership=personas.csp, reference="DHR 2025/05")
    Pause.objects.create(review=paused, reason=PauseReason.INQUEST, started_on=date(2026, 4, 1))
    hillford = ReviewFactory(partnership=personas.other_csp, reference="HF 2026/01")
    hillford.co_commissioners.add(personas.csp)
    ReviewFactory(partnership=personas.other_csp, reference="HF 2026/02")  # not co-commissioned: never shown
    sign_in(client, personas.manager)
    url = reverse("reviews:list")

    def references(**query: Any) -> list[str]:
        response = client.get(url, query)
        assert response.status_code == 200
        return re.findall(r">((?:DHR|HF) \d{4}/\d{2})</a>", response.content.decode())

    assert sorted(references()) == ["DHR 2025/04", "DHR 2025/05", "DHR 2026/01", "HF 2026/01"]
    assert references(partnership=personas.other_csp.pk) == ["HF 2026/01"]
    assert sorted(references(state="open")) == ["DHR 2026/01", "HF 2026/01"]
    assert references(state="paused") == ["DHR 2025/05"]
    assert references(state="closed") == [closed.reference]
    assert references(stage=Stage.CLOSED, partnership=personas.csp.pk) == ["DHR 2025/04"]
    # A choice no longer offered is ignored rather than failing the page.
    assert len(references(stage="no-such-stage")) == 4
    text = _text(client.get(url, {"state": "closed"}))
    assert "1 domestic homicide review match the filters" in text
    # Only partnerships of reviews the person may open are offered.
    options = re.findall(r'<option value="(\d+)"', client.get(url).content.decode().split('name="stage"')[0])
    assert sorted(int(pk) for pk in options) == sorted([personas.csp.pk, personas.other_csp.pk])


def test_the_list_is_paged_in_a_bounded_number_of_queries(client, personas: Personas, django_assert_max_num_queries):
    police = personas.police
    for number in range(30):
        item = ReviewFactory(
            partnership=personas.csp, reference=f"DHR 2025/{number + 1:02d}", notified_on=date(2026, 1, 1 + number)
        )
        AgencyFactory(review=item, organisation=police)
        Pause.objects.create(review=item, reason=PauseReason.INQUEST, started_on=date(2026, 3, 1), ended_on=TODAY)
    ReviewRules.objects.create(partnership=personas.csp, decision_months=2)
    sign_in(client, personas.manager)
    client.get(reverse("reviews:list"))  # warm the session
    with django_assert_max_num_queries(17):
        first = client.get(reverse("reviews:list"))
    with django_assert_max_num_queries(17):
        second = client.get(reverse("reviews:list"), {"page": 2})
    assert "30 domestic homicide reviews, page 1 of 2" in _text(first)
    assert len(re.findall(r'href="/reviews/\d+/"', first.content.decode())) == 25
    assert len(re.findall(r'href="/reviews/\d+/"', second.content.decode())) == 5
    # The partnership's rule (two months to the decision) sets each review's deadline.
    assert "Decision whether to hold a review 1 March 2026" in _text(second)


@override_settings(REVIEW_TERM="dardr")
def test_the_interface_can_call_them_domestic_abuse_related_death_reviews(client, personas: Personas, review):
    sign_in(client, personas.manager)
    text = _text(client.get(reverse("reviews:list")))
    assert "Domestic abuse related death reviews" in text
    assert "1 domestic abuse related death review" in text
    assert "homicide" not in text.lower()


# --- A new notification ----------------------------------------------------------------------------------


def test_the_new_notification_form_offers_the_partnerships_members_and_a_pseudonym_hint(client, personas: Personas):
    OrganisationFactory(name="Elsewhere Trust")
    sign_in(client, personas.manager)
    response = client.get(reverse("reviews:create", args=["riverton"]))
    assert response.status_code == 200
    text = _text(response)
    assert "Record a new notification" in text
    assert "Shire Police" in text
    assert "Riverton Borough Council" in text
    assert "Elsewhere Trust" not in text
    assert "never a real name" in text


def test_an_empty_notification_names_each_missing_answer_and_saves_nothing(client, personas: Personas):
    sign_in(client, personas.manager)
    response = client.post(reverse("reviews:create", args=["riverton"]), {})
    assert response.status_code == 400
    assert _errors(response) == [
        "Enter the review's reference",
        "Enter the date the death came to the partnership's attention",
        "Select the agency that notified the partnership",
        "Enter the pseudonym used for the victim",
        "Select the type of review",
    ]
    assert not Review.objects.exists()


def test_a_notification_in_the_future_or_with_a_reference_in_use_is_refused(client, personas: Personas, review):
    sign_in(client, personas.manager)
    response = client.post(
        reverse("reviews:create", args=["riverton"]),
        {
            "reference": "dhr 2026/01",
            **_day("notified_on", date(2026, 4, 11)),
            "notified_by": personas.police.pk,
            "victim_pseudonym": "Adult C",
            "review_type": "standard",
        },
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "This partnership already has a review with the reference dhr 2026/01",
        "The notification date must be today or in the past",
    ]
    assert Review.objects.count() == 1


def test_the_review_lead_records_a_notification(client, personas: Personas):
    sign_in(client, personas.manager)
    response = client.post(
        reverse("reviews:create", args=["riverton"]),
        {
            "reference": "DHR 2026/03",
            **_day("notified_on", date(2026, 4, 8)),
            "notified_by": personas.police.pk,
            **_day("date_of_death", date(2026, 4, 1)),
            "victim_pseudonym": "Adult D",
            "perpetrator_pseudonym": "Adult E",
            "review_type": "joint_sar",
        },
    )
    review = Review.objects.get(reference="DHR 2026/03")
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:review", args=[review.pk])
    assert (review.stage, review.notified_by, review.date_of_death) == (
        Stage.NOTIFIED,
        personas.police,
        date(2026, 4, 1),
    )
    assert (review.victim_pseudonym, review.perpetrator_pseudonym, review.review_type) == (
        "Adult D",
        "Adult E",
        "joint_sar",
    )
    assert review.victim_suicide == "unknown"
    assert review.incident_flags == []
    change = StageChange.objects.get(review=review)
    assert (change.to_stage, change.changed_by) == (Stage.NOTIFIED, personas.manager)


def test_only_the_review_lead_records_notifications(client, personas: Personas):
    lead = UserFactory(email="lead@example.org")
    RoleFactory(person=lead, partnership=personas.csp, organisation=personas.council, role=Role.REVIEW_LEAD)
    url = reverse("reviews:create", args=["riverton"])
    sign_in(client, lead)
    assert client.get(url).status_code == 200
    # The manager no longer leads reviews once someone holds the role; the chair never does.
    sign_in(client, personas.manager)
    assert client.get(url).status_code == 404
    sign_in(client, personas.chair)
    assert client.get(url).status_code == 403
    sign_in(client, personas.police_officer)
    assert client.get(url).status_code == 404
    # The outsider leads Hillford's reviews, not Riverton's, which they cannot see.
    sign_in(client, personas.outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("reviews:create", args=["hillford"])).status_code == 200


# --- The deadline rules ---------------------------------------------------------------------------------


def test_the_rules_page_explains_the_statutory_defaults(client, personas: Personas):
    sign_in(client, personas.manager)
    response = client.get(reverse("reviews:rules", args=["riverton"]))
    assert response.status_code == 200
    text = _text(response)
    assert "within 1 month of the death coming to the partnership's attention" in text
    assert "The 2016 guidance says 6 months; the 2024 draft proposes 12" in text
    assert 'value="6"' in response.content.decode()


def test_rules_out_of_range_are_refused_and_saved_rules_apply(client, personas: Personas, review):
    sign_in(client, personas.manager)
    url = reverse("reviews:rules", args=["riverton"])
    response = client.post(
        url, {"decision_months": "0", "home_office_days": "x", "completion_months": "6", "publication_months": "12"}
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "Months to the decision must be from 1 to 12",
        "Days to notify the Home Office must be a whole number, like 1",
    ]
    assert not ReviewRules.objects.exists()
    response = client.post(
        url, {"decision_months": "2", "home_office_days": "7", "completion_months": "12", "publication_months": "24"}
    )
    assert response.status_code == 302
    rules = ReviewRules.objects.get(partnership=personas.csp)
    assert (rules.decision_months, rules.home_office_days, rules.completion_months, rules.publication_months) == (
        2,
        7,
        12,
        24,
    )
    assert "2 May 2026" in _text(client.get(_url("review", review)))
    sign_in(client, personas.chair)
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision_months": "3"}).status_code == 403


# --- The overview ---------------------------------------------------------------------------------------


def test_the_overview_shows_the_clock_deadlines_and_every_stage(client, personas: Personas, review):
    sign_in(client, personas.manager)
    response = client.get(_url("review", review))
    assert response.status_code == 200
    text = _text(response)
    assert "Days since the notification 39 Days paused 0 Days active (without pauses) 39" in text
    assert "Decision whether to hold a review 2 April 2026 Overdue by 8 days" in text
    assert "Individual management review from Shire Police 1 May 2026 Due in 21 days" in text
    # Every stage, marked done, current or to do.
    assert "Notification received 2 March 2026 Done" in text
    assert "Scoping (current stage) 5 March 2026 Current stage" in text
    for stage in Stage.labels[2:]:
        assert f"{stage} To do" in text
    assert "Adult A" in text
    assert "Shire Police" in text


def test_the_overview_offers_each_person_the_next_steps_they_may_take(client, personas: Personas, review):
    decision_url = _url("step", review, step="decision")
    sign_in(client, personas.manager)
    response = client.get(_url("review", review))
    text = _text(response)
    assert "Next: Record the decision: by the partnership's chair" in text
    assert decision_url not in response.content.decode()
    assert _url("pause", review) in response.content.decode()
    assert _url("edit", review) in response.content.decode()
    sign_in(client, personas.chair)
    response = client.get(_url("review", review))
    assert decision_url in response.content.decode()
    assert _url("pause", review) not in response.content.decode()
    assert _url("edit", review) not in response.content.decode()


def test_a_paused_review_says_since_when_and_why_and_offers_to_resume(client, personas: Personas, review):
    Pause.objects.create(review=review, reason=PauseReason.CRIMINAL_TRIAL, started_on=date(2026, 3, 31))
    sign_in(client, personas.manager)
    response = client.get(_url("review", review))
    text = _text(response)
    assert "Paused since 31 March 2026 for parallel criminal proceedings" in text
    assert "Days paused 10 Days active (without pauses) 29" in text
    assert "Overdue by 8 days Due in 2 days allowing for 10 days paused" in text
    assert _url("resume", review) in response.content.decode()
    assert _url("pause", review) not in response.content.decode()


def test_a_published_review_shows_its_publication_and_offers_the_take_down(client, personas: Personas, review):
    review = _walk(review, personas, Stage.PUBLISHED)
    sign_in(client, personas.manager)
    response = client.get(_url("review", review))
    text = _text(response)
    assert "Published 29 March 2026" in text
    assert "https://riverton.example/dhr-2026-01" in text
    assert "Not to be taken down before 29 March 2027" in text
    assert "Taken down on Still online" in text
    assert _url("takedown", review) in response.content.decode()
    assert "Approved for publication" in text
    assert _url("step", review, step="close") in response.content.decode()


def test_a_review_not_held_shows_the_skipped_stages_as_not_needed(client, personas: Personas, review):
    lead = personas.manager
    process.review_record_decision(
        actor=personas.chair,
        review=review,
        version=review.version,
        decision=Decision.NOT_HOLD,
        reasons="Not a domestic homicide",
        decided_on=date(2026, 3, 20),
    )
    process.review_notify_home_office(actor=lead, review=review, version=review.version, notified_on=date(2026, 3, 21))
    process.review_close(actor=lead, review=review, version=review.version, closed_on=date(2026, 3, 22), note="Done")
    sign_in(client, lead)
    text = _text(client.get(_url("review", review)))
    assert "Commissioned Not needed" in text
    assert "Published Not needed" in text
    assert "Closed 22 March 2026, recorded by Mina Manager Done" in text
    assert "Decision Do not hold a review Reasons Not a domestic homicide" in text


def test_each_page_view_is_in_the_access_log(client, personas: Personas, review):
    sign_in(client, personas.chair)
    before = AccessLogEntry.objects.count()
    for page in (_url("review", review), _url("history", review), _url("step", review, step="decision")):
        assert client.get(page).status_code == 200
    entries = AccessLogEntry.objects.order_by("pk")[before:]
    assert [(e.person, e.kind, e.page) for e in entries] == [
        (personas.chair, "viewed", _url("review", review)),
        (personas.chair, "viewed", _url("history", review)),
        (personas.chair, "viewed", _url("step", review, step="decision")),
    ]


# --- The case details -----------------------------------------------------------------------------------


def _case_post(review: Review, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": review.version,
        "review_type": "standard",
        "completion_months": "6",
        "protective_marking": "OFFICIAL-SENSITIVE",
        "location_type": "residential",
        "victim_pseudonym": "Adult A",
        "victim_suicide": "no",
        "victim_carer": "unknown",
        "victim_previous_offences": "unknown",
        "perpetrator_carer": "unknown",
        "perpetrator_previous_offences": "yes",
    }
    data.update(changes)
    return data


def test_the_case_form_groups_the_home_office_codes_in_fieldsets(client, personas: Personas, review):
    sign_in(client, personas.manager)
    response = client.get(_url("edit", review))
    assert response.status_code == 200
    page = response.content.decode()
    legends = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", legend)).strip()
        for legend in re.findall(
            r'<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">(.*?)</legend>', page, re.S
        )
    ]
    assert legends == [
        "The review",
        "The death",
        "Pseudonyms",
        "The victim",
        "The perpetrator",
        "Court and parallel proceedings",
    ]
    assert "coercive_control" in _options(page, "incident_flags")
    assert "pregnancy" in _options(page, "victim_vulnerabilities")
    assert "pregnancy" not in _options(page, "perpetrator_vulnerabilities")
    assert _options(page, "co_commissioners") == [str(personas.other_csp.pk)]
    assert _options(page, "version") == [str(review.version)]


def test_the_independent_chair_edits_the_case_but_not_who_commissions_it(client, personas: Personas, review):
    review.co_commissioners.add(personas.other_csp)
    chair = UserFactory(email="jo@example.org", full_name="Jo Independent")
    PanelMemberFactory(review=review, person=chair, panel_role="independent_chair")
    sign_in(client, chair)
    page = client.get(_url("edit", review)).content.decode()
    assert 'name="co_commissioners"' not in page
    assert 'name="completion_months"' not in page
    data = _case_post(review, victim_pseudonym="Adult Z")
    del data["completion_months"]
    response = client.post(_url("edit", review), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.victim_pseudonym == "Adult Z"
    assert list(review.co_commissioners.all()) == [personas.other_csp]
    # The partnership's chair reads the review but does not edit it.
    sign_in(client, personas.chair)
    assert client.get(_url("edit", review)).status_code == 403


def test_the_case_form_names_bad_answers_and_saves_nothing(client, personas: Personas, review):
    sign_in(client, personas.manager)
    response = client.post(
        _url("edit", review),
        _case_post(
            review,
            victim_pseudonym="",
            incident_flags=["stalking", "made_up"],
            victim_suicide="",
            trial_on_0="31",
            trial_on_1="2",
            trial_on_2="2026",
        ),
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "Select only the options listed for incident",
        "Enter the pseudonym used for the victim",
        "Select whether it was suicide",
        "The trial date must be a real date",
    ]
    review.refresh_from_db()
    assert review.victim_pseudonym == "Adult A"
    assert review.incident_flags == []


def test_the_services_rules_come_back_on_the_fields(client, personas: Personas, review):
    sign_in(client, personas.manager)
    response = client.post(
        _url("edit", review),
        _case_post(review, **_day("date_of_death", date(2026, 3, 3)), co_commissioners=[personas.csp.pk]),
    )
    assert response.status_code == 400
    assert _errors(response) == ["Select partnerships from the list"]
    response = client.post(_url("edit", review), _case_post(review, **_day("date_of_death", date(2026, 3, 3))))
    assert response.status_code == 400
    assert _errors(response) == ["The date of death must be on or before the notification date"]
    assert _error_links(response) == ["#id_date_of_death_0"]
    assert Review.objects.get(pk=review.pk).version == review.version


def test_the_review_lead_saves_the_case_and_its_co_commissioners(client, personas: Personas, review):
    sign_in(client, personas.manager)
    response = client.post(
        _url("edit", review),
        _case_post(
            review,
            incident_flags=["stalking", "coercive_control"],
            victim_age_band="25-34",
            victim_mental_health=["anxiety"],
            perpetrator_vulnerabilities=["alcohol"],
            court_verdict="murder",
            completion_months="12",
            co_commissioners=[personas.other_csp.pk],
            **_day("trial_on", date(2026, 9, 14)),
        ),
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.incident_flags == ["coercive_control", "stalking"]
    assert (review.victim_age_band, review.court_verdict, review.completion_months) == ("25-34", "murder", 12)
    assert review.victim_mental_health == ["anxiety"]
    assert review.perpetrator_vulnerabilities == ["alcohol"]
    assert review.trial_on == date(2026, 9, 14)
    assert list(review.co_commissioners.all()) == [personas.other_csp]
    assert review.version == 2


def test_a_case_saved_from_a_stale_page_is_refused_with_both_versions(client, personas: Personas, review):
    sign_in(client, personas.manager)
    opened = review.version
    process.review_update_case(
        actor=personas.chair,
        review=review,
        version=opened,
        case=_case_fields(review, victim_pseudonym="Adult Q"),
    )
    response = client.post(_url("edit", review), _case_post(review, version=opened, victim_pseudonym="Adult R"))
    assert response.status_code == 409
    text = _text(response)
    assert "Someone else changed this while you were editing it" in text
    assert "Victim's pseudonym Differs Adult Q Adult R" in text
    assert "Saved by Charles Chair" in text
    assert Review.objects.get(pk=review.pk).victim_pseudonym == "Adult Q"
    # Saving again from the refreshed form goes through.
    assert f'name="version" value="{opened + 1}"' in response.content.decode()


def _case_fields(review: Review, **changes: Any) -> CaseFields:
    """The review's case fields as they are, with some changed."""
    data = {**case_initial(review), "notified_by": review.notified_by, **changes}
    return case_from(data)


# --- The step pages --------------------------------------------------------------------------------------


def test_the_chair_records_the_decision(client, personas: Personas, review):
    sign_in(client, personas.chair)
    url = _url("step", review, step="decision")
    response = client.get(url)
    assert response.status_code == 200
    assert "Hold a review" in _text(response)
    response = client.post(
        url,
        {
            "version": review.version,
            **_day("decided_on", date(2026, 4, 1)),
            "decision": Decision.HOLD,
            "reasons": "The death meets the criteria",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("review", review)
    review.refresh_from_db()
    assert (review.stage, review.decision, review.decided_by) == (Stage.DECIDED, Decision.HOLD, personas.chair)
    change = StageChange.objects.filter(review=review).last()
    assert change is not None
    assert (change.to_stage, change.changed_by, change.note) == (
        Stage.DECIDED,
        personas.chair,
        "The death meets the criteria",
    )


def test_an_empty_decision_names_each_missing_answer(client, personas: Personas, review):
    sign_in(client, personas.chair)
    response = client.post(_url("step", review, step="decision"), {})
    assert response.status_code == 400
    assert _errors(response) == [
        "This page is out of date: open it again and make your change",
        "Enter the date of the decision",
        "Select the decision",
        "Give the reasons for the decision",
    ]
    assert Review.objects.get(pk=review.pk).stage == Stage.SCOPING


def test_the_decision_is_the_chairs_and_the_other_steps_the_leads(client, personas: Personas, review, reviewer):
    sign_in(client, personas.manager)
    assert client.get(_url("step", review, step="decision")).status_code == 403
    assert client.post(_url("step", review, step="decision"), {}).status_code == 403
    sign_in(client, reviewer)
    assert client.get(_url("step", review, step="decision")).status_code == 403
    review = _walk(review, personas, Stage.DECIDED)
    sign_in(client, personas.chair)
    assert client.get(_url("step", review, step="home-office")).status_code == 403
    sign_in(client, personas.manager)
    assert client.get(_url("step", review, step="home-office")).status_code == 200
    sign_in(client, personas.police_officer)
    assert client.get(_url("step", review, step="home-office")).status_code == 404


def test_an_unknown_step_is_not_found_and_a_step_out_of_turn_goes_back_to_the_review(client, personas, review):
    sign_in(client, personas.manager)
    assert client.get(_url("step", review, step="no-such-step")).status_code == 404
    response = client.get(_url("step", review, step="publish"), follow=True)
    assert response.redirect_chain == [(_url("review", review), 302)]
    assert "“Record the publication” is not the next step: the review is at “Scoping”" in _text(response)
    response = client.post(_url("step", review, step="start-scoping"), {"version": review.version})
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).version == review.version


def test_a_step_dated_before_the_last_one_is_refused_on_its_date(client, personas: Personas, review):
    sign_in(client, personas.chair)
    response = client.post(
        _url("step", review, step="decision"),
        {"version": review.version, **_day("decided_on", date(2026, 3, 4)), "decision": "hold", "reasons": "Met"},
    )
    assert response.status_code == 400
    assert _errors(response) == ["The date must be on or after the last step, 5 March 2026"]
    assert _error_links(response) == ["#id_decided_on_0"]
    assert Review.objects.get(pk=review.pk).stage == Stage.SCOPING


def test_a_paused_review_cannot_take_a_step(client, personas: Personas, review):
    Pause.objects.create(review=review, reason=PauseReason.INQUEST, started_on=date(2026, 4, 1))
    sign_in(client, personas.chair)
    url = _url("step", review, step="decision")
    assert "This review is paused: resume it before recording the next step." in _text(client.get(url))
    response = client.post(
        url, {"version": review.version, **_day("decided_on", TODAY), "decision": "hold", "reasons": "Met"}
    )
    assert response.status_code == 400
    assert _errors(response) == ["This review is paused: resume it before moving it to the next stage"]


def test_a_step_from_a_stale_page_is_refused(client, personas: Personas, review):
    sign_in(client, personas.chair)
    opened = review.version
    Review.objects.filter(pk=review.pk).update(version=opened + 1)
    response = client.post(
        _url("step", review, step="decision"),
        {"version": opened, **_day("decided_on", TODAY), "decision": "hold", "reasons": "Met"},
    )
    assert response.status_code == 409
    assert "Someone else changed this while you were editing it" in _text(response)
    assert Review.objects.get(pk=review.pk).stage == Stage.SCOPING


def test_sign_off_without_a_draft_is_refused_in_the_error_summary(client, personas: Personas, review):
    review = _walk(review, personas, Stage.DRAFTING)
    sign_in(client, personas.manager)
    url = _url("step", review, step="sign-off")
    assert "Upload the draft overview report on the documents page" in _text(client.get(url))
    response = client.post(url, {"version": review.version, **_day("signed_off_on", TODAY)})
    assert response.status_code == 400
    assert _errors(response) == ["Upload the draft overview report before recording the sign-off"]


def test_steps_from_commission_to_publication_through_their_pages(client, personas: Personas, review):
    review = _walk(review, personas, Stage.HOME_OFFICE_NOTIFIED)
    sign_in(client, personas.manager)

    def step(slug: str, data: dict[str, Any]) -> Any:
        current = Review.objects.get(pk=review.pk)
        return client.post(_url("step", review, step=slug), {"version": current.version, **data})

    assert (
        step("commission", {**_day("commissioned_on", date(2026, 3, 25)), "independent_chair": ""}).status_code == 400
    )
    assert (
        step(
            "commission",
            {
                **_day("commissioned_on", date(2026, 3, 25)),
                "independent_chair": "Dr Jo Independent",
                "chair_certified": "on",
                "author": "Sam Author",
            },
        ).status_code
        == 302
    )
    response = step(
        "terms-of-reference",
        {
            **_day("agreed_on", date(2026, 3, 26)),
            "terms_version": "1.0",
            **_day("period_start", date(2026, 1, 1)),
            **_day("period_end", date(2025, 1, 1)),
        },
    )
    assert response.status_code == 400
    assert _errors(response) == ["The end of the period under review must be on or after its start"]
    assert (
        step(
            "terms-of-reference",
            {
                **_day("agreed_on", date(2026, 3, 26)),
                "terms_version": "1.0",
                **_day("period_start", date(2021, 1, 1)),
                **_day("period_end", date(2026, 2, 20)),
            },
        ).status_code
        == 302
    )
    assert step("information-gathering", {**_day("started_on", date(2026, 3, 27))}).status_code == 302
    assert step("drafting", {**_day("started_on", date(2026, 3, 28)), "note": "First draft"}).status_code == 302
    ReviewDocumentFactory(review=review, kind=DocumentKind.DRAFT, uploaded_by=personas.manager)
    assert step("sign-off", {**_day("signed_off_on", date(2026, 3, 29))}).status_code == 302
    assert step("submit", {**_day("submitted_on", date(2026, 3, 30))}).status_code == 302
    response = step("qa-outcome", {**_day("letter_on", date(2026, 4, 1)), "outcome": "resubmit"})
    assert response.status_code == 400
    assert _errors(response) == ["Say what the panel asked to be changed"]
    response = step("qa-outcome", {**_day("letter_on", date(2026, 4, 1)), "outcome": "resubmit", "notes": "More"})
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).stage == Stage.DRAFTING
    assert step("sign-off", {**_day("signed_off_on", date(2026, 4, 2))}).status_code == 302
    assert step("submit", {**_day("submitted_on", date(2026, 4, 3))}).status_code == 302
    assert step("qa-outcome", {**_day("letter_on", date(2026, 4, 4)), "outcome": "approved"}).status_code == 302
    response = step("publish", {**_day("published_on", date(2026, 4, 5)), "publication_url": "not a web address"})
    assert response.status_code == 400
    assert _errors(response) == ["Enter the web address where the report is published, starting https://"]
    response = step(
        "publish",
        {
            **_day("published_on", date(2026, 4, 5)),
            "publication_url": "https://riverton.example/dhr",
            **_day("commissioner_submitted_on", date(2026, 4, 6)),
        },
    )
    assert response.status_code == 302
    assert step("close", {**_day("closed_on", date(2026, 4, 7))}).status_code == 400
    assert step("close", {**_day("closed_on", date(2026, 4, 7)), "note": "Published and done"}).status_code == 302
    review.refresh_from_db()
    assert review.stage == Stage.CLOSED
    assert (review.author, review.chair_certified, review.takedown_on) == ("Sam Author", True, date(2027, 4, 5))
    assert review.commissioner_submitted_on == date(2026, 4, 6)
    assert QaSubmission.objects.filter(review=review).count() == 2


def test_a_decision_not_to_hold_closes_after_the_home_office_is_told(client, personas: Personas, review):
    sign_in(client, personas.chair)
    client.post(
        _url("step", review, step="decision"),
        {"version": review.version, **_day("decided_on", TODAY), "decision": "not_hold", "reasons": "Not met"},
    )
    sign_in(client, personas.manager)
    review.refresh_from_db()
    response = client.post(
        _url("step", review, step="home-office"),
        {"version": review.version, **_day("notified_on", TODAY), "directed": ""},
    )
    assert response.status_code == 302
    page = client.get(_url("review", review)).content.decode()
    assert _url("step", review, step="close") in page
    assert _url("step", review, step="commission") not in page
    assert client.get(_url("step", review, step="commission")).status_code == 302


# --- Pauses and the take-down ----------------------------------------------------------------------------


def test_the_review_lead_pauses_and_resumes_the_review(client, personas: Personas, review):
    sign_in(client, personas.manager)
    response = client.post(_url("pause", review), {})
    assert response.status_code == 400
    assert _errors(response) == [
        "This page is out of date: open it again and make your change",
        "Enter the date the pause starts",
        "Select the reason for the pause",
    ]
    response = client.post(
        _url("pause", review), {"version": review.version, **_day("started_on", TODAY), "reason": "other"}
    )
    assert response.status_code == 400
    assert _errors(response) == ["Describe the reason for the pause"]
    assert not Pause.objects.exists()
    response = client.post(
        _url("pause", review),
        {"version": review.version, **_day("started_on", date(2026, 4, 1)), "reason": "criminal_trial"},
    )
    assert response.status_code == 302
    pause = Pause.objects.get(review=review)
    assert (pause.reason, pause.started_on, pause.recorded_by) == ("criminal_trial", date(2026, 4, 1), personas.manager)
    # Already paused: back to the review with a message.
    response = client.get(_url("pause", review), follow=True)
    assert response.redirect_chain == [(_url("review", review), 302)]
    assert "This review is already paused" in _text(response)
    review.refresh_from_db()
    response = client.post(_url("resume", review), {"version": review.version, **_day("ended_on", date(2026, 3, 1))})
    assert response.status_code == 400
    assert _errors(response) == ["The pause cannot end before it started, 1 April 2026"]
    assert Pause.objects.get(review=review).ended_on is None
    response = client.post(_url("resume", review), {"version": review.version, **_day("ended_on", TODAY)})
    assert response.status_code == 302
    pause.refresh_from_db()
    assert pause.ended_on == TODAY


def test_resuming_a_review_that_is_not_paused_goes_back_to_it(client, personas: Personas, review):
    sign_in(client, personas.manager)
    for response in (client.get(_url("resume", review)), client.post(_url("resume", review), {})):
        assert response.status_code == 302
        assert response["Location"] == _url("review", review)
    sign_in(client, personas.chair)
    assert client.get(_url("pause", review)).status_code == 403
    assert client.get(_url("resume", review)).status_code == 403


def test_the_take_down_is_recorded_only_for_a_published_review(client, personas: Personas, review):
    sign_in(client, personas.manager)
    for response in (client.get(_url("takedown", review)), client.post(_url("takedown", review), {})):
        assert response.status_code == 302
        assert response["Location"] == _url("review", review)
    review = _walk(review, personas, Stage.PUBLISHED)
    url = _url("takedown", review)
    response = client.get(url)
    assert "It must stay online until 29 March 2027" in _text(response)
    response = client.post(url, {"version": review.version, **_day("taken_down_on", TODAY)})
    assert response.status_code == 400
    assert _errors(response) == ["The report must stay online until 29 March 2027"]
    assert Review.objects.get(pk=review.pk).taken_down_on is None
    with time_machine.travel(datetime(2027, 4, 1, 9, 0, tzinfo=UTC), tick=False):
        sign_in(client, personas.manager)
        response = client.post(url, {"version": review.version, **_day("taken_down_on", date(2027, 3, 31))})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.taken_down_on == date(2027, 3, 31)


# --- The history ----------------------------------------------------------------------------------------


def test_the_history_says_who_changed_what_in_words(client, personas: Personas, review):
    lead = personas.manager
    process.review_update_case(
        actor=lead,
        review=review,
        version=review.version,
        case=_case_fields(review, victim_pseudonym="Adult Q", incident_flags=("stalking",)),
        co_commissioners=(personas.other_csp,),
    )
    process.review_pause(
        actor=lead, review=review, version=review.version, reason="inquest", detail="", started_on=date(2026, 4, 1)
    )
    sign_in(client, personas.chair)
    response = client.get(_url("history", review))
    assert response.status_code == 200
    text = _text(response)
    assert "Mina Manager Added pause (inquest, from 1 April 2026)" in text
    assert "Mina Manager Changed the review DHR 2026/01" in text
    assert "Victim pseudonym: Adult A → Adult Q" in text
    assert "Incident flags: none → Stalking" in text
    assert "Co-commissioning partnerships added: Hillford" in text
    assert "Stage moved to “Scoping”, effective 5 March 2026" in text


def test_the_history_is_paged(client, personas: Personas, review):
    with time_machine.travel(datetime(2026, 4, 10, 10, 0, tzinfo=UTC), tick=False) as traveller:
        for number in range(30):
            traveller.shift(60)  # a minute between changes
            process.review_update_case(
                actor=personas.manager,
                review=review,
                version=review.version,
                case=_case_fields(review, other_pseudonyms=f"Adult {number}"),
            )
            review.refresh_from_db()
    sign_in(client, personas.manager)
    first = _text(client.get(_url("history", review)))
    second = _text(client.get(_url("history", review), {"page": 2}))
    # Newest first: 30 changes, the two stages and the review's creation make 33 entries, 25 a page.
    assert first.index("Other pseudonyms changed to: Adult 29") < first.index("Other pseudonyms changed to: Adult 28")
    assert "Added the review DHR 2026/01" not in first
    assert "History of changes (page 2)" in second
    assert "Other pseudonyms changed to: Adult 4" in second
    assert "Other pseudonyms changed to: Adult 5" not in second
    assert "Added the review DHR 2026/01" in second


def test_a_completion_period_from_the_partnerships_rules_stays_on_offer(client, personas: Personas, review):
    Review.objects.filter(pk=review.pk).update(completion_months=9)
    sign_in(client, personas.manager)
    page = client.get(_url("edit", review)).content.decode()
    assert _options(page, "completion_months") == ["9", "6", "12"]
    response = client.post(_url("edit", review), _case_post(review, completion_months="9"))
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).completion_months == 9


def test_a_refusal_is_shown_as_important_not_as_success(client, personas: Personas, review):
    """A step that is not next sends the lead back with the reason in the blue "Important" banner."""
    sign_in(client, personas.manager)
    response = client.get(reverse("reviews:resume", args=[review.pk]), follow=True)
    page = response.content.decode()
    assert "This review is not paused" in page
    assert "govuk-notification-banner--success" not in page
    assert "Important" in page
