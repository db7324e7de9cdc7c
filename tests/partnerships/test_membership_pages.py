"""The partnership pages as people use them: member organisations, people and roles, history, the
list of partnerships and signing in. Each change is checked in the database and on the history page;
each refusal and each bad input is checked to save nothing."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from partnerships.models import (
    OrganisationMembership,
    OrganisationType,
    PartnershipKind,
    Role,
    RoleAssignment,
    Standing,
    User,
)
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, PartnershipFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-2026"  # tests/factories.py UserFactory


@pytest.fixture(autouse=True)
def _pinned_day():
    """Roles and memberships in force depend on the day; these tests run on 1 June 2025."""
    with time_machine.travel(datetime(2025, 6, 1, 10, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def manager_client(client, personas):
    client.force_login(personas.manager)
    return client


@pytest.fixture
def fire(personas):
    """An organisation that is not yet a member of Riverton."""
    return OrganisationFactory(name="Shire Fire and Rescue", slug="shire-fire", type=OrganisationType.FIRE_AND_RESCUE)


def _date(field: str, day: Any, month: Any, year: Any) -> dict[str, Any]:
    """The three boxes of a GOV.UK date input (crispy-forms-gds DateInputField)."""
    return {f"{field}_0": day, f"{field}_1": month, f"{field}_2": year}


def _url(name: str, *args: Any) -> str:
    return reverse(f"partnerships:{name}", args=["riverton", *args])


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _police_membership(personas: Any) -> OrganisationMembership:
    return OrganisationMembership.objects.get(partnership=personas.csp, organisation=personas.police)


def _role_of(person: User) -> RoleAssignment:
    return RoleAssignment.objects.get(person=person)


def _snapshot() -> dict[str, Any]:
    """Everything a membership page can change, to check that a refused request changed nothing."""
    return {
        "memberships": list(OrganisationMembership.objects.values().order_by("pk")),
        "roles": list(RoleAssignment.objects.values().order_by("pk")),
        "people": list(User.objects.values("pk", "email", "full_name").order_by("pk")),
        "history": (
            OrganisationMembership.history.count(),
            RoleAssignment.history.count(),
            User.history.count(),
        ),
    }


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _history(client: Any) -> list[tuple[str, str, str]]:
    """The rows of the history page, newest first: (when, who, change with its details)."""
    response = client.get(_url("history"))
    assert response.status_code == 200
    body = response.content.decode().partition('<tbody class="govuk-table__body">')[2].partition("</tbody>")[0]
    rows = []
    for row in body.split('<tr class="govuk-table__row">')[1:]:
        when, who, change = (_plain(cell) for cell in row.split('<td class="govuk-table__cell">')[1:])
        rows.append((when, who, change))
    return rows


def _by_manager(client: Any) -> list[str]:
    """The changes the history page shows Mina Manager made (the personas were set up by "The portal")."""
    return [change for _, who, change in _history(client) if who == "Mina Manager"]


# --- Member organisations -------------------------------------------------------------------------


def test_add_organisation_form_offers_only_organisations_not_yet_members(manager_client, personas, fire):
    response = manager_client.get(_url("membership_add"))
    assert response.status_code == 200
    page = _text(response)
    assert "Shire Fire and Rescue (Fire and rescue)" in page
    assert "Hillford District Council" in page
    assert "Shire Police (" not in page
    for box in ("start_date_0", "start_date_1", "start_date_2"):
        assert f'name="{box}"' in page


def test_manager_adds_an_organisation_to_their_partnership(manager_client, personas, fire, mailoutbox):
    response = manager_client.post(
        _url("membership_add"),
        {"organisation": fire.pk, "standing": Standing.CO_OPERATING, **_date("start_date", 1, 4, 2025)},
    )
    assert response.status_code == 302
    assert response["Location"] == _url("members")
    membership = OrganisationMembership.objects.get(partnership=personas.csp, organisation=fire)
    assert membership.standing == Standing.CO_OPERATING
    assert membership.start_date == date(2025, 4, 1)
    assert membership.end_date is None
    assert membership.history.get().history_user == personas.manager

    members_page = _text(manager_client.get(_url("members")))
    assert "Shire Fire and Rescue added as co-operating body" in members_page
    assert "1 April 2025" in members_page
    assert _by_manager(manager_client) == ["Added Shire Fire and Rescue (co-operating body)"]
    assert mailoutbox == []


def test_manager_changes_an_organisations_standing(manager_client, personas):
    membership = _police_membership(personas)
    response = manager_client.post(_url("membership_standing", membership.pk), {"standing": Standing.INVITED})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.standing == Standing.INVITED
    assert membership.history.first().history_user == personas.manager
    assert _by_manager(manager_client) == [
        "Changed Shire Police (invited partner) standing: Responsible authority → Invited partner"
    ]


def test_standing_form_starts_with_the_current_standing(manager_client, personas):
    page = _text(manager_client.get(_url("membership_standing", _police_membership(personas).pk)))
    assert re.search(r'value="responsible_authority"\s+checked', page)


def test_manager_ends_a_membership_and_the_roles_of_its_people_end_with_it(manager_client, personas):
    membership = _police_membership(personas)
    response = manager_client.post(_url("membership_end", membership.pk), _date("end_date", 31, 5, 2025))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == date(2025, 5, 31)
    officer_role = _role_of(personas.police_officer)
    assert officer_role.end_date == date(2025, 5, 31)
    assert officer_role.history.first().history_user == personas.manager
    # The council's people keep their roles.
    assert _role_of(personas.council_officer).end_date is None
    # Shire Police stays a member of Hillford.
    assert (
        OrganisationMembership.objects.get(partnership=personas.other_csp, organisation=personas.police).end_date
        is None
    )

    assert sorted(_by_manager(manager_client)) == [
        "Changed Polly Police, partner officer for Shire Police end date: none → 31 May 2025",
        "Changed Shire Police (responsible authority) end date: none → 31 May 2025",
    ]
    # The officer's role has ended, so Riverton is no longer theirs to see.
    manager_client.force_login(personas.police_officer)
    assert manager_client.get(reverse("partnerships:detail", args=["riverton"])).status_code == 404


def test_end_membership_page_warns_that_roles_end_too(manager_client, personas):
    page = _text(manager_client.get(_url("membership_end", _police_membership(personas).pk)))
    assert "The roles of the people who represent this organisation in the partnership end on the same date." in page


# --- People and roles -----------------------------------------------------------------------------


def test_manager_gives_an_existing_person_a_role(manager_client, personas, mailoutbox):
    people_before = User.objects.count()
    response = manager_client.post(
        _url("role_add"),
        {
            "email": "Nobody@Example.org",
            "organisation": personas.police.pk,
            "role": Role.PARTNER_OFFICER,
            **_date("start_date", 1, 5, 2025),
        },
    )
    assert response.status_code == 302
    assert User.objects.count() == people_before
    role = RoleAssignment.objects.get(person=personas.nobody)
    assert (role.partnership, role.organisation, role.role, role.start_date) == (
        personas.csp,
        personas.police,
        Role.PARTNER_OFFICER,
        date(2025, 5, 1),
    )
    assert role.history.get().history_user == personas.manager
    assert mailoutbox == []
    assert _by_manager(manager_client) == ["Added Nora Nobody, partner officer for Shire Police"]


def test_manager_adds_a_new_person_who_is_invited_to_set_a_password(
    manager_client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            _url("role_add"),
            {
                "email": "New.Person@Example.org",
                "full_name": "Nia Newcomer",
                "job_title": "Community safety officer",
                "organisation": personas.council.pk,
                "role": Role.PARTNER_OFFICER,
                **_date("start_date", 1, 6, 2025),
            },
        )
    assert response.status_code == 302
    person = User.objects.get(email="new.person@example.org")
    assert person.full_name == "Nia Newcomer"
    assert person.job_title == "Community safety officer"
    assert not person.has_usable_password()
    assert person.history.get().history_user == personas.manager
    assert RoleAssignment.objects.get(person=person).role == Role.PARTNER_OFFICER

    assert len(mailoutbox) == 1
    invitation = mailoutbox[0]
    assert invitation.to == ["new.person@example.org"]
    assert invitation.subject == "You have been added to the Community Safety Partnership Portal"
    assert "Hello Nia Newcomer" in invitation.body
    assert _by_manager(manager_client) == ["Added Nia Newcomer, partner officer for Riverton Borough Council"]

    # The link in the email lets them choose a password.
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", invitation.body)
    assert link is not None
    manager_client.logout()
    form_page = manager_client.get(link.group(1), follow=True)
    assert "Choose a new password" in _text(form_page)
    new_password = "an-entirely-new-password-42"
    done = manager_client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new_password)


def test_manager_changes_a_persons_role(manager_client, personas):
    role = _role_of(personas.council_officer)
    response = manager_client.post(_url("role_change", role.pk), {"role": Role.CHAIR})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.role == Role.CHAIR
    assert role.history.first().history_user == personas.manager
    assert _by_manager(manager_client) == [
        "Changed Colin Council, chair for Riverton Borough Council role: Partner officer → Chair"
    ]


def test_manager_ends_a_persons_role(manager_client, personas):
    role = _role_of(personas.scrutiny)
    response = manager_client.post(_url("role_end", role.pk), _date("end_date", 31, 5, 2025))
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.end_date == date(2025, 5, 31)
    assert role.history.first().history_user == personas.manager
    assert "Sam Scrutiny's role as scrutiny member ended" in _text(manager_client.get(_url("members")))
    assert _by_manager(manager_client) == [
        "Changed Sam Scrutiny, scrutiny member for Riverton Borough Council end date: none → 31 May 2025"
    ]


def test_end_role_page_asks_to_end_the_role(manager_client, personas):
    page = _text(manager_client.get(_url("role_end", _role_of(personas.scrutiny).pk)))
    assert "End the role of Sam Scrutiny" in page
    assert 'value="End role"' in page


def test_role_form_in_a_csp_does_not_offer_the_county_group_member_role(manager_client, personas):
    page = _text(manager_client.get(_url("role_add")))
    assert 'value="partner_officer"' in page
    assert 'value="county_member"' not in page


def test_history_page_lists_the_newest_change_first_with_when_and_who(manager_client, personas, fire):
    membership = _police_membership(personas)
    manager_client.post(_url("membership_standing", membership.pk), {"standing": Standing.INVITED})
    manager_client.post(
        _url("membership_add"),
        {"organisation": fire.pk, "standing": Standing.INVITED, **_date("start_date", 1, 4, 2025)},
    )
    newest, second, *older = _history(manager_client)
    assert newest[0].startswith("1 June 2025, 11:")  # British Summer Time
    assert newest[1:] == ("Mina Manager", "Added Shire Fire and Rescue (invited partner)")
    assert second[1:] == (
        "Mina Manager",
        "Changed Shire Police (invited partner) standing: Responsible authority → Invited partner",
    )
    # The personas were set up without a signed-in person.
    assert older
    assert all(who == "The portal" and change.startswith("Added ") for _, who, change in older)


def test_history_page_of_a_partnership_without_changes_says_so(client, personas):
    PartnershipFactory(name="Quietville", slug="quietville")
    client.force_login(personas.admin)
    response = client.get(reverse("partnerships:history", args=["quietville"]))
    assert "No changes have been recorded yet." in _text(response)


# --- Bad input: every form says what is wrong and saves nothing -----------------------------------


def _blank(*fields: str, dates: tuple[str, ...] = ()) -> dict[str, str]:
    """What a browser sends for a form submitted with nothing filled in (no radio button chosen)."""
    data = dict.fromkeys(fields, "")
    for field in dates:
        data.update(_date(field, "", "", ""))
    return {**data, "submit": "Save"}


BLANK_FORMS = [
    pytest.param(
        "membership_add",
        None,
        _blank("organisation", dates=("start_date",)),
        [
            "Select the organisation to add",
            "Select the organisation's standing in the partnership",
            "Enter the date the membership starts",
        ],
        id="membership_add",
    ),
    pytest.param(
        "membership_standing",
        "membership",
        _blank(),
        ["Select the organisation's standing in the partnership"],
        id="membership_standing",
    ),
    pytest.param(
        "membership_end", "membership", _blank(dates=("end_date",)), ["Enter the date it ends"], id="membership_end"
    ),
    pytest.param(
        "role_add",
        None,
        _blank("email", "full_name", "job_title", "organisation", dates=("start_date",)),
        [
            "Enter the person's email address",
            "Select the organisation the person represents",
            "Select the person's role in the partnership",
            "Enter the date the role starts",
        ],
        id="role_add",
    ),
    pytest.param("role_change", "role", _blank(), ["Select the person's role in the partnership"], id="role_change"),
    pytest.param("role_end", "role", _blank(dates=("end_date",)), ["Enter the date it ends"], id="role_end"),
]


def _form_url(name: str, target: str | None, personas: Any) -> str:
    if target == "membership":
        return _url(name, _police_membership(personas).pk)
    if target == "role":
        return _url(name, _role_of(personas.police_officer).pk)
    return _url(name)


def _assert_refused_with(response: Any, *messages: str) -> None:
    assert response.status_code == 400
    page = _text(response)
    assert "There is a problem" in page
    assert "govuk-error-summary" in page
    assert re.search(r"<title>\s*Error: ", page), "the page title starts with 'Error: '"
    for message in messages:
        assert message in page, f"missing error message {message!r}"


@pytest.mark.parametrize(("name", "target", "data", "messages"), BLANK_FORMS)
def test_blank_form_names_every_required_field_and_saves_nothing(
    manager_client, personas, name, target, data, messages
):
    url = _form_url(name, target, personas)
    before = _snapshot()
    _assert_refused_with(manager_client.post(url, data), *messages)
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "target"), [pytest.param(*p.values[:2], id=p.id) for p in BLANK_FORMS])
def test_post_without_any_fields_is_answered_with_the_errors_not_a_fresh_form(manager_client, personas, name, target):
    # A request with an empty body is a submitted form too; showing the blank form again with 200 hides it.
    before = _snapshot()
    _assert_refused_with(manager_client.post(_form_url(name, target, personas), {}))
    assert _snapshot() == before


DATED_FORMS = [
    pytest.param("membership_add", None, "start_date", id="membership_add"),
    pytest.param("membership_end", "membership", "end_date", id="membership_end"),
    pytest.param("role_add", None, "start_date", id="role_add"),
    pytest.param("role_end", "role", "end_date", id="role_end"),
]


def _valid_rest(name: str, personas: Any, fire: Any) -> dict[str, Any]:
    """Everything but the date, filled in correctly."""
    if name == "membership_add":
        return {"organisation": fire.pk, "standing": Standing.INVITED}
    if name == "role_add":
        return {"email": "nobody@example.org", "organisation": personas.police.pk, "role": Role.PARTNER_OFFICER}
    return {}


@pytest.mark.parametrize(("name", "target", "field"), DATED_FORMS)
@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        pytest.param("31", "2", "2024", None, id="31-february"),
        pytest.param("1", "13", "2024", None, id="month-13"),
        pytest.param("abc", "4", "2024", "Enter a valid date", id="letters"),
        pytest.param("1", "", "2024", "Enter the month", id="no-month"),
    ],
)
def test_impossible_or_incomplete_date_is_refused_and_saves_nothing(
    manager_client, personas, fire, name, target, field, day, month, year, message
):
    before = _snapshot()
    data = {**_valid_rest(name, personas, fire), **_date(field, day, month, year)}
    response = manager_client.post(_form_url(name, target, personas), data)
    _assert_refused_with(response, *([message] if message else []))
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "target", "field"), DATED_FORMS)
def test_impossible_date_is_explained_in_plain_english(manager_client, personas, fire, name, target, field):
    data = {**_valid_rest(name, personas, fire), **_date(field, 31, 2, 2024)}
    page = _text(manager_client.post(_form_url(name, target, personas), data))
    # GOV.UK date input pattern: "[whatever it is] must be a real date", not Python's ValueError text.
    assert "must be a real date" in page
    assert "out of range" not in page


@pytest.mark.parametrize(("name", "target"), [("membership_end", "membership"), ("role_end", "role")])
def test_end_date_before_the_start_date_is_refused(manager_client, personas, name, target):
    before = _snapshot()
    response = manager_client.post(_form_url(name, target, personas), _date("end_date", 31, 3, 2022))
    _assert_refused_with(response, "End date must be on or after the start date, 1 April 2022")
    assert _snapshot() == before


def test_organisation_already_a_member_cannot_be_added_again(manager_client, personas):
    before = _snapshot()
    response = manager_client.post(
        _url("membership_add"),
        {"organisation": personas.police.pk, "standing": Standing.INVITED, **_date("start_date", 1, 4, 2025)},
    )
    _assert_refused_with(response, "Select an organisation from the list")
    assert _snapshot() == before


def test_membership_add_refuses_an_unknown_standing(manager_client, personas, fire):
    before = _snapshot()
    response = manager_client.post(
        _url("membership_add"),
        {"organisation": fire.pk, "standing": "overlord", **_date("start_date", 1, 4, 2025)},
    )
    assert response.status_code == 400
    assert _snapshot() == before


def test_ended_membership_cannot_have_its_standing_changed_or_be_ended_again(manager_client, personas):
    membership = _police_membership(personas)
    OrganisationMembership.objects.filter(pk=membership.pk).update(end_date=date(2025, 1, 31))
    before = _snapshot()
    response = manager_client.post(_url("membership_standing", membership.pk), {"standing": Standing.INVITED})
    _assert_refused_with(response, "This membership has ended and cannot be changed")
    response = manager_client.post(_url("membership_end", membership.pk), _date("end_date", 1, 5, 2025))
    _assert_refused_with(response, "This membership has already ended")
    assert _snapshot() == before


def _role_add_data(personas: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "email": "nobody@example.org",
        "full_name": "",
        "job_title": "",
        "organisation": personas.police.pk,
        "role": Role.PARTNER_OFFICER,
        **_date("start_date", 1, 5, 2025),
        **overrides,
    }


def test_role_for_an_organisation_that_is_not_a_member_is_refused(manager_client, personas):
    hillford_council = OrganisationMembership.objects.get(
        partnership=personas.other_csp, organisation__slug="hillford-district-council"
    ).organisation
    before = _snapshot()
    response = manager_client.post(_url("role_add"), _role_add_data(personas, organisation=hillford_council.pk))
    _assert_refused_with(response, "Select an organisation from the list")
    assert _snapshot() == before


def test_role_starting_before_the_organisation_joined_is_refused(manager_client, personas):
    before = _snapshot()
    response = manager_client.post(_url("role_add"), _role_add_data(personas, **_date("start_date", 1, 1, 2020)))
    _assert_refused_with(response, "Shire Police is not a member of Riverton on 1 January 2020")
    assert _snapshot() == before


def test_county_group_member_role_is_refused_in_a_csp(manager_client, personas):
    before = _snapshot()
    response = manager_client.post(_url("role_add"), _role_add_data(personas, role=Role.COUNTY_MEMBER))
    _assert_refused_with(response, "Select a role from the list")
    response = manager_client.post(
        _url("role_change", _role_of(personas.police_officer).pk), {"role": Role.COUNTY_MEMBER}
    )
    _assert_refused_with(response, "Select a role from the list")
    assert _snapshot() == before


def test_same_role_for_the_same_organisation_cannot_be_given_twice(manager_client, personas):
    before = _snapshot()
    response = manager_client.post(_url("role_add"), _role_add_data(personas, email="police.officer@example.org"))
    _assert_refused_with(response, "Polly Police is already partner officer for Shire Police")
    assert _snapshot() == before


def test_role_cannot_be_changed_into_one_the_person_already_holds(manager_client, personas):
    RoleFactory(
        person=personas.chair, partnership=personas.csp, organisation=personas.council, role=Role.SCRUTINY_MEMBER
    )
    chair_role = RoleAssignment.objects.get(person=personas.chair, role=Role.CHAIR)
    before = _snapshot()
    response = manager_client.post(_url("role_change", chair_role.pk), {"role": Role.SCRUTINY_MEMBER})
    _assert_refused_with(response, "Charles Chair already holds that role")
    assert _snapshot() == before


def test_ended_role_cannot_be_changed(manager_client, personas):
    role = _role_of(personas.scrutiny)
    RoleAssignment.objects.filter(pk=role.pk).update(end_date=date(2025, 1, 31))
    before = _snapshot()
    response = manager_client.post(_url("role_change", role.pk), {"role": Role.CHAIR})
    _assert_refused_with(response, "This role has ended and cannot be changed")
    response = manager_client.post(_url("role_end", role.pk), _date("end_date", 1, 5, 2025))
    _assert_refused_with(response, "This role has already ended")
    assert _snapshot() == before


def test_new_person_without_a_name_is_refused_and_not_invited(
    manager_client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    before = _snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(_url("role_add"), _role_add_data(personas, email="someone.new@example.org"))
    _assert_refused_with(response, "Enter the full name of the person, who is new to the portal")
    assert _snapshot() == before
    assert mailoutbox == []


def test_new_person_whose_role_is_refused_is_neither_created_nor_invited(
    manager_client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    # The person would be created first, then the role refused: all or nothing.
    before = _snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            _url("role_add"),
            _role_add_data(
                personas, email="someone.new@example.org", full_name="Sol New", **_date("start_date", 1, 1, 2020)
            ),
        )
    _assert_refused_with(response, "Shire Police is not a member of Riverton on 1 January 2020")
    assert _snapshot() == before
    assert mailoutbox == []


def test_badly_formed_email_address_is_refused(manager_client, personas):
    before = _snapshot()
    response = manager_client.post(_url("role_add"), _role_add_data(personas, email="not-an-email", full_name="X"))
    _assert_refused_with(response, "Enter an email address in the correct format, like name@example.org")
    assert _snapshot() == before


# --- Ids of other partnerships under this partnership's address -----------------------------------


def _hillford_police_membership(personas: Any) -> OrganisationMembership:
    return OrganisationMembership.objects.get(partnership=personas.other_csp, organisation=personas.police)


@pytest.mark.parametrize("name", ["membership_standing", "membership_end"])
def test_manager_cannot_reach_another_partnerships_membership_through_their_own(manager_client, personas, name):
    before = _snapshot()
    pk = _hillford_police_membership(personas).pk
    assert manager_client.get(_url(name, pk)).status_code == 404
    data = {"standing": Standing.INVITED, **_date("end_date", 31, 5, 2025)}
    assert manager_client.post(_url(name, pk), data).status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize("name", ["role_change", "role_end"])
def test_manager_cannot_reach_another_partnerships_role_through_their_own(manager_client, personas, name):
    before = _snapshot()
    pk = _role_of(personas.outsider).pk
    data = {"role": Role.CHAIR, **_date("end_date", 31, 5, 2025)}
    assert manager_client.post(_url(name, pk), data).status_code == 404
    assert _snapshot() == before


def test_officer_cannot_end_another_partnerships_membership_through_their_own(client, personas):
    # The officer may not change Riverton at all, so the answer is 403 whatever the id.
    client.force_login(personas.police_officer)
    before = _snapshot()
    response = client.post(
        _url("membership_end", _hillford_police_membership(personas).pk), _date("end_date", 31, 5, 2025)
    )
    assert response.status_code == 403
    assert _snapshot() == before


def test_other_csps_manager_cannot_end_their_own_membership_through_rivertons_address(client, personas):
    client.force_login(personas.outsider)
    before = _snapshot()
    response = client.post(
        _url("membership_end", _hillford_police_membership(personas).pk), _date("end_date", 31, 5, 2025)
    )
    assert response.status_code == 404
    assert _snapshot() == before


def test_officer_cannot_end_another_organisations_membership(client, personas):
    client.force_login(personas.police_officer)
    council = OrganisationMembership.objects.get(partnership=personas.csp, organisation=personas.council)
    before = _snapshot()
    assert client.post(_url("membership_end", council.pk), _date("end_date", 31, 5, 2025)).status_code == 403
    assert _snapshot() == before


# --- The partnership page -------------------------------------------------------------------------


def test_manager_sees_their_partnership_on_my_partnerships(client, personas):
    client.force_login(personas.manager)
    page = _text(client.get(reverse("home")))
    assert "Riverton" in page
    assert "Partnership manager for Riverton Borough Council" in page


def test_person_without_a_role_is_told_to_ask_their_manager(client, personas):
    client.force_login(personas.nobody)
    assert "You do not hold a role in any partnership yet" in _text(client.get(reverse("home")))


def test_partnership_page_shows_members_by_standing_and_its_people_to_the_manager(manager_client, personas):
    page = _text(manager_client.get(reverse("partnerships:detail", args=["riverton"])))
    assert "Responsible authorities (2)" in page
    assert "Shire Police" in page
    assert "police.officer@example.org" in page
    assert "Manage members" in page


@pytest.mark.parametrize("role", ["scrutiny", "county_member"])
def test_scrutiny_and_county_members_see_organisations_but_not_people(client, personas, role):
    client.force_login(personas.by_role(role))
    page = _text(client.get(reverse("partnerships:detail", args=["riverton"])))
    assert "Shire Police" in page
    assert "Polly Police" not in page
    assert "police.officer@example.org" not in page
    assert "Manage members" not in page


def test_partner_officer_sees_people_but_no_manage_button(client, personas):
    client.force_login(personas.police_officer)
    page = _text(client.get(reverse("partnerships:detail", args=["E22900001"])))
    assert "Colin Council" in page
    assert "Manage members" not in page


def test_county_group_page_lists_its_csps(client, personas):
    client.force_login(personas.county_member)
    page = _text(client.get(reverse("partnerships:detail", args=["safer-shire"])))
    assert "Community safety partnerships by policing area" in page
    assert "Riverton" in page
    assert "Hillford" in page


@pytest.mark.parametrize(
    ("role", "page_name"),
    [
        ("manager", "detail"),
        ("chair", "detail"),
        ("police_officer", "detail"),
        ("scrutiny", "detail"),
        ("manager", "members"),
        ("manager", "history"),
    ],
)
def test_partnership_pages_link_only_to_partnerships_the_reader_may_see(client, personas, role, page_name):
    # Riverton's pages name the county group it is part of, which Riverton's people cannot open.
    # Signed in with the second factor: the review pages linked for managers and chairs ask for it first.
    sign_in(client, personas.by_role(role))
    response = client.get(reverse(f"partnerships:{page_name}", args=["riverton"]))
    assert response.status_code == 200
    links = set(re.findall(r'href="(/partnerships/[^"]*)"', response.content.decode()))
    dead = [link for link in sorted(links) if client.get(link).status_code != 200]
    assert dead == [], f"the {page_name} page links {role} to pages they cannot open: {dead}"


# --- The list of partnerships ---------------------------------------------------------------------


@pytest.fixture
def many_partnerships(personas):
    """30 more CSPs: 33 partnerships in all, two pages of 25."""
    return PartnershipFactory.create_batch(30, parent=None)


def _listed(response: Any) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_administrator_pages_through_every_partnership(client, personas, many_partnerships):
    client.force_login(personas.admin)
    first = client.get(reverse("partnerships:list"))
    assert first.status_code == 200
    assert len(_listed(first)) == 25
    assert "33 partnerships" in " ".join(_text(first).split())
    second = client.get(reverse("partnerships:list"), {"page": 2})
    assert second.context["page"].number == 2
    assert len(_listed(second)) == 8
    assert set(_listed(first)).isdisjoint(_listed(second))


@pytest.mark.parametrize(("asked", "shown"), [("999", 2), ("abc", 1)])
def test_page_number_out_of_range_or_not_a_number_shows_a_real_page(client, personas, many_partnerships, asked, shown):
    # Django's Paginator.get_page: past the end gives the last page, not a number gives the first.
    client.force_login(personas.admin)
    response = client.get(reverse("partnerships:list"), {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_pagination_links_keep_the_search(client, personas, many_partnerships):
    client.force_login(personas.admin)
    page = _text(client.get(reverse("partnerships:list"), {"q": "Partnership"}))
    assert "?q=Partnership&page=2" in page


def test_list_is_searched_by_name(client, personas):
    client.force_login(personas.admin)
    assert _listed(client.get(reverse("partnerships:list"), {"q": "river"})) == ["Riverton"]


@pytest.mark.parametrize("code", ["E22900002", "e22900002"])
def test_list_is_searched_by_ons_code(client, personas, code):
    client.force_login(personas.admin)
    assert _listed(client.get(reverse("partnerships:list"), {"q": code})) == ["Hillford"]


def test_list_is_filtered_by_kind(client, personas):
    client.force_login(personas.admin)
    response = client.get(reverse("partnerships:list"), {"kind": PartnershipKind.COUNTY_GROUP})
    assert _listed(response) == ["Safer Shire"]
    response = client.get(reverse("partnerships:list"), {"kind": PartnershipKind.CSP})
    assert _listed(response) == ["Hillford", "Riverton"]


def test_unknown_kind_is_ignored(client, personas):
    client.force_login(personas.admin)
    response = client.get(reverse("partnerships:list"), {"kind": "secret_society"})
    assert response.status_code == 200
    assert _listed(response) == ["Hillford", "Riverton", "Safer Shire"]


def test_search_matching_nothing_says_so(client, personas):
    client.force_login(personas.admin)
    assert "No partnerships match your search." in _text(client.get(reverse("partnerships:list"), {"q": "zzz"}))


@pytest.mark.parametrize(
    ("role", "names"),
    [
        ("manager", ["Riverton"]),
        ("county_member", ["Hillford", "Riverton", "Safer Shire"]),
        ("outsider", ["Hillford"]),
        ("nobody", []),
    ],
)
def test_list_shows_only_the_partnerships_the_person_may_see(client, personas, role, names):
    client.force_login(personas.by_role(role))
    assert _listed(client.get(reverse("partnerships:list"))) == names


def test_search_does_not_find_partnerships_outside_a_persons_scope(client, personas):
    client.force_login(personas.outsider)
    assert _listed(client.get(reverse("partnerships:list"), {"q": "E22900001"})) == []


def test_every_listed_partnership_links_to_a_page_its_reader_may_open(client, personas):
    client.force_login(personas.chair)
    page = client.get(reverse("partnerships:list")).content.decode()
    links = re.findall(r'href="(/partnerships/[^/"]+/)"', page)
    assert links == ["/partnerships/riverton/"]
    assert client.get(links[0]).status_code == 200


# --- Signing in -----------------------------------------------------------------------------------


def test_sign_in_with_a_wrong_password_explains_and_stays_signed_out(client, personas):
    response = client.post(reverse("login"), {"username": "manager@example.org", "password": "wrong-password"})
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page
    assert "_auth_user_id" not in client.session


def test_sign_in_with_nothing_entered_names_both_fields(client, personas):
    page = _text(client.post(reverse("login"), {"username": "", "password": ""}))
    assert "Enter your email address" in page
    assert "Enter your password" in page


def test_sign_in_with_the_right_password_leads_to_my_partnerships(client, personas):
    response = client.post(reverse("login"), {"username": "manager@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == personas.manager.pk
    assert "Partnership manager for Riverton Borough Council" in _text(client.get(reverse("home")))


def test_sign_in_email_address_is_not_case_sensitive(client, personas):
    response = client.post(reverse("login"), {"username": "Manager@Example.ORG", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_in_returns_to_the_page_asked_for(client, personas):
    wanted = reverse("partnerships:members", args=["riverton"])
    response = client.post(
        f"{reverse('login')}?next={wanted}", {"username": "manager@example.org", "password": PASSWORD, "next": wanted}
    )
    assert response["Location"] == wanted


def test_invited_person_without_a_password_cannot_sign_in(client, personas):
    invited = UserFactory(email="invited@example.org", password=None)
    assert not invited.has_usable_password()
    response = client.post(reverse("login"), {"username": "invited@example.org", "password": "a-guess-at-nothing"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in _text(response)
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post(client, personas):
    client.force_login(personas.manager)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
