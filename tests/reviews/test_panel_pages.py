"""A review's panel, agencies and family contact log pages: what they show, their forms (bad input is
refused with the field named and nothing saved; good input is saved), and who may use them.

The panel is the need-to-know grant: appointing someone with a portal account opens that review (and
only it) to them, and ending the appointment closes it at once. Who may open each URL is in
url_rules.py (the project's URL walk) and test_need_to_know.py.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from reviews.choices import PanelRole
from reviews.models import Agency, FamilyContact, PanelMember
from tests.conftest import Personas, sign_in
from tests.factories import OrganisationFactory, UserFactory
from tests.reviews.factories import (
    AgencyFactory,
    FamilyContactFactory,
    PanelMemberFactory,
    ReviewDocumentFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 20)


@pytest.fixture(autouse=True)
def _today(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime(2026, 4, 20, 10, 0, tzinfo=UTC), tick=False)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's visible text, tags dropped and spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip())


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The error summary's messages, in order."""
    summary = response.content.decode().split("govuk-error-summary__list", 1)
    if len(summary) < 2:
        return []
    items = summary[1].split("</ul>", 1)[0]
    return [html.unescape(re.sub(r"\s+", " ", m).strip()) for m in re.findall(r"<a [^>]*>(.*?)</a>", items, re.S)]


def _day(name: str, value: date) -> dict[str, str]:
    """A GOV.UK date input's three boxes."""
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def _url(name: str, review, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"reviews:{name}", kwargs={"pk": review.pk, **kwargs})


# --- The panel ------------------------------------------------------------------------------------------


def test_panel_lists_members_with_organisation_role_independence_and_dates(
    client, personas: Personas, review, reviewer
):
    PanelMemberFactory(
        review=review,
        person=None,
        name="Pat Former",
        organisation=personas.council,
        panel_role=PanelRole.SPECIALIST,
        independent=False,
        independence_note="Managed the housing officer involved",
        ended_on=date(2026, 4, 1),
    )
    sign_in(client, personas.manager)
    response = client.get(_url("panel", review))
    assert response.status_code == 200
    text = _text(response)
    assert "Rita Reviewer Shire Police Agency representative Yes 10 March 2026 Current" in text
    assert "Dr Jo Independent (no portal account) None Independent chair Yes" in text
    assert "Pat Former (no portal account) Riverton Borough Council Domestic abuse specialist No" in text
    assert "Managed the housing officer involved 10 March 2026 1 April 2026" in text
    assert "Appoint a member" in text
    # Current members can be ended; the ended one cannot.
    assert text.count("End ") == 2


@pytest.mark.parametrize("who", ["chair", "reviewer"])
def test_panel_offers_no_changes_to_those_who_do_not_manage_the_review(client, personas, review, reviewer, who):
    sign_in(client, reviewer if who == "reviewer" else personas.chair)
    text = _text(client.get(_url("panel", review)))
    assert "Rita Reviewer" in text
    assert "Appoint a member" not in text
    assert "End " not in text


def test_appointing_with_nothing_filled_in_names_each_missing_answer_and_saves_nothing(client, personas, review):
    sign_in(client, personas.manager)
    before = PanelMember.objects.count()
    response = client.post(_url("panel_add", review), {})
    assert response.status_code == 400
    assert _errors(response) == [
        "Enter the member's name, or the email address of their portal account",
        "Select the member's role on the panel",
        "Enter the date the member was appointed",
    ]
    assert PanelMember.objects.count() == before


NAMED = {"name": "Sam Someone"}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "nobody-here@example.org"}, "No portal account has this email address"),
        ({"email": "not an email"}, "Enter an email address in the correct format, like name@example.org"),
        (
            {**NAMED, **_day("appointed_on", date(2026, 4, 21))},
            "The appointment date must be today or in the past",
        ),
        ({**NAMED, **_day("appointed_on", date(2026, 2, 1))}, "The appointment cannot be before the notification"),
        (
            {**NAMED, "appointed_on_0": "31", "appointed_on_1": "2", "appointed_on_2": "2026"},
            "Date appointed must be a real date",
        ),
        ({**NAMED, "organisation": "999999"}, "Select an organisation from the list"),
    ],
)
def test_appointing_with_a_bad_answer_names_it_and_saves_nothing(client, personas, review, data, error):
    sign_in(client, personas.manager)
    before = PanelMember.objects.count()
    response = client.post(_url("panel_add", review), {"panel_role": "agency", **_day("appointed_on", TODAY), **data})
    assert response.status_code == 400
    assert _errors(response) == [error]
    assert PanelMember.objects.count() == before


def test_someone_already_on_the_panel_cannot_be_appointed_twice(client, personas, review, reviewer):
    sign_in(client, personas.manager)
    response = client.post(
        _url("panel_add", review),
        {"email": "reviewer@example.org", "panel_role": "agency", **_day("appointed_on", TODAY)},
    )
    assert response.status_code == 400
    assert _errors(response) == ["Rita Reviewer is already on this review's panel"]
    assert PanelMember.objects.filter(person=reviewer).count() == 1


def test_the_form_offers_the_partnerships_organisations_and_those_on_the_review(client, personas, review):
    outside = OrganisationFactory(name="Hillford Hospice")
    AgencyFactory(review=review, organisation=outside)
    OrganisationFactory(name="Unrelated Trust")
    sign_in(client, personas.manager)
    response = client.get(_url("panel_add", review))
    assert response.status_code == 200
    text = _text(response)
    assert "Shire Police" in text
    assert "Riverton Borough Council" in text
    assert "Hillford Hospice" in text
    assert "Unrelated Trust" not in text
    assert "can open this review, and no other review" in text
    assert "second factor" in text


def test_appointing_a_portal_account_opens_that_review_and_no_other(client, personas: Personas, review):
    second = ReviewFactory(partnership=personas.csp, reference="DHR 2026/02", victim_pseudonym="Adult C")
    officer = personas.council_officer
    sign_in(client, officer)
    assert client.get(_url("review", review)).status_code == 404

    sign_in(client, personas.manager)
    response = client.post(
        _url("panel_add", review),
        {
            "email": "  Council.Officer@Example.ORG ",
            "organisation": personas.council.pk,
            "panel_role": "agency",
            "independent": "on",
            "independence_note": "No contact with the family",
            **_day("appointed_on", TODAY),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("panel", review)
    member = PanelMember.objects.get(person=officer)
    assert (member.review, member.organisation, member.panel_role) == (review, personas.council, "agency")
    assert member.independent
    assert member.independence_note == "No contact with the family"
    assert member.appointed_on == TODAY
    assert member.name == ""
    assert "Colin Council appointed to the panel" in _text(client.get(_url("panel", review)))

    sign_in(client, officer)
    assert client.get(_url("panel", review)).status_code == 200
    assert client.get(_url("documents", review)).status_code == 200
    assert client.get(_url("review", second)).status_code == 404
    assert client.get(_url("panel", second)).status_code == 404


def test_a_member_without_an_account_is_recorded_by_name(client, personas, review):
    sign_in(client, personas.manager)
    response = client.post(
        _url("panel_add", review),
        {"name": " Ms Adviser ", "panel_role": "specialist", **_day("appointed_on", TODAY)},
    )
    assert response.status_code == 302
    member = PanelMember.objects.get(name="Ms Adviser")
    assert member.person is None
    assert member.organisation is None
    assert not member.independent


def test_ending_an_appointment_asks_for_a_good_date_and_saves_nothing_otherwise(client, personas, review, reviewer):
    member = PanelMember.objects.get(person=reviewer)
    sign_in(client, personas.manager)
    url = _url("panel_end", review, member_pk=member.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "They can no longer open this review once the appointment ends" in _text(page)
    for data, error in (
        ({}, "Enter the date it ends"),
        (_day("ended_on", date(2026, 3, 1)), "The end date must be on or after 10 March 2026"),
        (_day("ended_on", date(2026, 4, 21)), "The end date must be today or in the past"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert _errors(response) == [error]
    member.refresh_from_db()
    assert member.ended_on is None


def test_ending_an_appointment_removes_access_at_once(client, personas, review, reviewer):
    member = PanelMember.objects.get(person=reviewer)
    reviewer_client = client.__class__()
    sign_in(reviewer_client, reviewer)
    assert reviewer_client.get(_url("review", review)).status_code == 200

    sign_in(client, personas.manager)
    response = client.post(_url("panel_end", review, member_pk=member.pk), _day("ended_on", TODAY))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ended_on == TODAY
    # The same signed-in session: the very next request is refused.
    assert reviewer_client.get(_url("review", review)).status_code == 404
    assert reviewer_client.get(_url("documents", review)).status_code == 404
    text = _text(client.get(_url("panel", review)))
    assert "Rita Reviewer Shire Police Agency representative Yes 10 March 2026 20 April 2026" in text
    # Opening the end page of an ended appointment goes back to the panel.
    again = client.get(_url("panel_end", review, member_pk=member.pk))
    assert again.status_code == 302
    assert again["Location"] == _url("panel", review)


def test_a_member_of_another_reviews_panel_cannot_be_ended_through_this_one(client, personas, review):
    other = ReviewFactory(partnership=personas.csp, reference="DHR 2026/02")
    stranger = PanelMemberFactory(review=other, person=UserFactory())
    sign_in(client, personas.manager)
    assert client.get(_url("panel_end", review, member_pk=stranger.pk)).status_code == 404
    assert client.post(_url("panel_end", review, member_pk=stranger.pk), _day("ended_on", TODAY)).status_code == 404
    stranger.refresh_from_db()
    assert stranger.ended_on is None


@pytest.mark.parametrize("who", ["chair", "reviewer"])
def test_only_the_lead_appoints_and_ends(client, personas, review, reviewer, who):
    sign_in(client, reviewer if who == "reviewer" else personas.chair)
    member = PanelMember.objects.get(person=reviewer)
    assert client.get(_url("panel_add", review)).status_code == 403
    response = client.post(
        _url("panel_add", review), {"name": "X", "panel_role": "agency", **_day("appointed_on", TODAY)}
    )
    assert response.status_code == 403
    assert client.post(_url("panel_end", review, member_pk=member.pk), _day("ended_on", TODAY)).status_code == 403
    assert PanelMember.objects.filter(name="X").count() == 0
    member.refresh_from_db()
    assert member.ended_on is None


# --- Agencies ---------------------------------------------------------------------------------------------


def test_agencies_show_the_reports_due_overdue_and_received(client, personas, review):
    AgencyFactory(
        review=review,
        organisation=personas.council,
        had_contact="yes",
        imr_requested_on=date(2026, 3, 20),
        imr_due_on=date(2026, 4, 15),
        chronology_requested_on=date(2026, 3, 20),
        chronology_due_on=date(2026, 4, 10),
        chronology_received_on=date(2026, 4, 12),
    )
    AgencyFactory(
        review=review,
        organisation=OrganisationFactory(name="Acme Housing"),
        asked_on=None,
        imr_requested_on=None,
        imr_due_on=None,
    )
    sign_in(client, personas.manager)
    response = client.get(_url("agencies", review))
    assert response.status_code == 200
    text = _text(response)
    assert "Acme Housing Not yet Not known Not requested Not requested" in text, (
        "an agency not asked yet shows no reports"
    )
    assert (
        "Riverton Borough Council 5 March 2026 Yes Overdue Overdue by 5 days Requested 20 March 2026 Due 15 April 2026 "
        "Received Met on 12 April 2026, 2 days late Requested 20 March 2026 Due 10 April 2026 Received 12 April 2026"
    ) in text
    assert "Shire Police 5 March 2026 Not known Requested Due in 11 days Requested 20 March 2026 Due 1 May 2026" in text
    assert "Add an agency" in text
    assert text.count("Change ") >= 3


def test_agencies_offer_no_changes_to_readers(client, personas, review, reviewer):
    sign_in(client, reviewer)
    text = _text(client.get(_url("agencies", review)))
    assert "Shire Police" in text
    assert "Add an agency" not in text
    assert "Change Shire Police" not in text


def test_adding_an_agency_with_nothing_filled_in_names_each_missing_answer(client, personas, review):
    sign_in(client, personas.manager)
    before = Agency.objects.count()
    response = client.post(_url("agency_add", review), {})
    assert response.status_code == 400
    assert _errors(response) == ["Select the agency", "Select whether the agency had contact"]
    assert Agency.objects.count() == before


def test_an_agency_already_on_the_review_is_not_offered_again(client, personas, review):
    sign_in(client, personas.manager)
    page = client.get(_url("agency_add", review))
    assert f'value="{personas.police.pk}"' not in page.content.decode()
    response = client.post(_url("agency_add", review), {"organisation": personas.police.pk, "had_contact": "yes"})
    assert response.status_code == 400
    assert _errors(response) == ["Select an agency from the list"]
    assert review.agencies.count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (_day("imr_received_on", date(2026, 4, 1)), "Enter when the IMR was requested"),
        ({**_day("chronology_requested_on", date(2026, 4, 1)), **_day("chronology_received_on", date(2026, 3, 1))},
         "This date must be on or after the chronology was requested"),
        (_day("asked_on", date(2026, 4, 21)), "The date the agency was asked must be today or in the past"),
        ({"imr_due_on_0": "1", "imr_due_on_1": "5"}, "The IMR due date must include a year"),
        ({"had_contact": "maybe"}, "Select whether the agency had contact"),
    ],
)  # fmt: skip
def test_adding_an_agency_with_a_bad_date_names_it_and_saves_nothing(client, personas, review, data, error):
    sign_in(client, personas.manager)
    response = client.post(
        _url("agency_add", review), {"organisation": personas.council.pk, "had_contact": "unknown", **data}
    )
    assert response.status_code == 400
    assert _errors(response) == [error]
    assert not review.agencies.filter(organisation=personas.council).exists()


def test_adding_and_changing_an_agency_saves_its_dates(client, personas, review):
    sign_in(client, personas.manager)
    response = client.post(
        _url("agency_add", review),
        {
            "organisation": personas.council.pk,
            "had_contact": "yes",
            **_day("asked_on", date(2026, 3, 6)),
            **_day("imr_requested_on", date(2026, 3, 20)),
            **_day("imr_due_on", date(2026, 5, 15)),
            "notes": "Housing and ASB teams",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("agencies", review)
    agency = review.agencies.get(organisation=personas.council)
    assert (agency.asked_on, agency.had_contact, agency.imr_due_on) == (date(2026, 3, 6), "yes", date(2026, 5, 15))
    assert agency.notes == "Housing and ASB teams"

    url = _url("agency_edit", review, agency_pk=agency.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "Change Riverton Borough Council" in _text(page)
    assert 'name="organisation"' not in page.content.decode()
    response = client.post(
        url,
        {
            "had_contact": "yes",
            **_day("asked_on", date(2026, 3, 6)),
            **_day("imr_requested_on", date(2026, 3, 20)),
            **_day("imr_due_on", date(2026, 5, 15)),
            **_day("imr_received_on", date(2026, 4, 18)),
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.imr_received_on == date(2026, 4, 18)
    assert agency.imr_status == "Received"
    assert agency.notes == ""


def test_changing_an_agency_with_a_bad_date_keeps_it_as_it_was(client, personas, review):
    agency = review.agencies.get()
    sign_in(client, personas.manager)
    response = client.post(
        _url("agency_edit", review, agency_pk=agency.pk),
        {"had_contact": "yes", **_day("imr_requested_on", date(2026, 3, 20)), **_day("imr_due_on", date(2026, 3, 1))},
    )
    assert response.status_code == 400
    assert _errors(response) == ["This date must be on or after the IMR was requested"]
    agency.refresh_from_db()
    assert agency.imr_due_on == date(2026, 5, 1)
    assert agency.had_contact == "unknown"


def test_an_agency_of_another_review_is_not_found_through_this_one(client, personas, review):
    other = AgencyFactory(review=ReviewFactory(partnership=personas.csp), organisation=personas.council)
    sign_in(client, personas.manager)
    url = _url("agency_edit", review, agency_pk=other.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"had_contact": "yes"}).status_code == 404
    other.refresh_from_db()
    assert other.had_contact == "unknown"


def test_the_reviews_independent_chair_edits_agencies_but_does_not_appoint(client, personas, review):
    chair = UserFactory(email="independent.chair@example.org", full_name="Ivy Independent")
    PanelMemberFactory(review=review, person=chair, panel_role=PanelRole.INDEPENDENT_CHAIR)
    sign_in(client, chair)
    assert client.get(_url("agency_add", review)).status_code == 200
    assert client.get(_url("family_add", review)).status_code == 200
    assert client.get(_url("panel_add", review)).status_code == 403
    assert "Add an agency" in _text(client.get(_url("agencies", review)))


@pytest.mark.parametrize("who", ["chair", "reviewer"])
def test_readers_cannot_add_agencies_or_contacts(client, personas, review, reviewer, who):
    sign_in(client, reviewer if who == "reviewer" else personas.chair)
    agency = review.agencies.get()
    for url in (
        _url("agency_add", review),
        _url("agency_edit", review, agency_pk=agency.pk),
        _url("family_add", review),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403


# --- Family and friends -----------------------------------------------------------------------------------


def test_family_log_shows_contacts_and_that_people_are_named_by_relationship(client, personas, review, reviewer):
    FamilyContactFactory(
        review=review,
        contacted_on=date(2026, 4, 2),
        contact="Sister",
        method="meeting",
        consent="declined",
        advocate="",
        summary="Met at her home",
        recorded_by=personas.manager,
    )
    sign_in(client, reviewer)
    response = client.get(_url("family", review))
    assert response.status_code == 200
    text = _text(response)
    assert "by their relationship to the victim or by pseudonym only" in text
    assert "2 April 2026 Sister Meeting Declined None Met at her home Mina Manager" in text
    assert "12 March 2026 Mother Letter Consent given AAFDA advocate" in text
    assert text.index("Sister") < text.index("Mother")
    assert "Record a contact" not in text
    sign_in(client, personas.manager)
    assert "Record a contact" in _text(client.get(_url("family", review)))


def test_family_log_is_paginated(client, personas, review):
    FamilyContactFactory.create_batch(25, review=review, contact="Friend", contacted_on=date(2026, 4, 1))
    sign_in(client, personas.manager)
    first = _text(client.get(_url("family", review)))
    assert "Mother" not in first
    second = client.get(_url("family", review) + "?page=2")
    assert "12 March 2026 Mother" in _text(second)


def test_recording_a_contact_with_nothing_filled_in_names_each_missing_answer(client, personas, review):
    sign_in(client, personas.manager)
    before = FamilyContact.objects.count()
    response = client.post(_url("family_add", review), {})
    assert response.status_code == 400
    assert _errors(response) == [
        "Enter the date of contact",
        "Enter who was contacted, by relationship or pseudonym",
        "Select how they were contacted",
        "Select their consent",
    ]
    assert FamilyContact.objects.count() == before


def test_a_contact_in_the_future_is_refused(client, personas, review):
    sign_in(client, personas.manager)
    response = client.post(
        _url("family_add", review),
        {"contact": "Brother", "method": "phone", "consent": "given", **_day("contacted_on", date(2026, 5, 1))},
    )
    assert response.status_code == 400
    assert _errors(response) == ["The date of contact must be today or in the past"]
    assert not FamilyContact.objects.filter(contact="Brother").exists()


def test_recording_a_contact_saves_it_with_who_recorded_it(client, personas, review):
    sign_in(client, personas.manager)
    response = client.post(
        _url("family_add", review),
        {
            "contact": " Brother ",
            "method": "phone",
            "consent": "given",
            "advocate": "AAFDA advocate",
            "summary": "Agreed to meet the chair",
            **_day("contacted_on", TODAY),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("family", review)
    entry = FamilyContact.objects.get(contact="Brother")
    assert (entry.review, entry.contacted_on, entry.method, entry.consent) == (review, TODAY, "phone", "given")
    assert entry.recorded_by == personas.manager
    assert entry.summary == "Agreed to meet the chair"


# --- Query counts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["panel", "agencies", "family", "documents", "access_log"])
def test_list_pages_take_the_same_queries_for_many_rows(
    client, personas, review, reviewer, name, django_assert_max_num_queries
):
    sign_in(client, personas.manager)
    with django_assert_max_num_queries(20) as few:
        assert client.get(_url(name, review)).status_code == 200
    bound = len(few)
    for _ in range(30):
        person = UserFactory()
        PanelMemberFactory(review=review, person=person, organisation=personas.council)
        agency = AgencyFactory(review=review, organisation=OrganisationFactory())
        FamilyContactFactory(review=review, recorded_by=person)
        ReviewDocumentFactory(review=review, kind="imr", agency=agency, uploaded_by=person)
    for member in PanelMember.objects.filter(review=review, organisation=personas.council)[:20]:
        # Access log entries by many people (the filter lists them).
        sign_in(client, member.person)
        client.get(_url("panel", review))
    sign_in(client, personas.manager)
    with django_assert_max_num_queries(bound):
        assert client.get(_url(name, review)).status_code == 200
