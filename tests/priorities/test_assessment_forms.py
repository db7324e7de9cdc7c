"""Every assessment form's bad input: the message for each required field and each wrong value, a 400,
and nothing saved. Includes the month-and-year input of the data window.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from priorities.models import CandidateIssue, StrategicAssessment
from tests.conftest import Personas
from tests.priorities.factories_assessments import CandidateIssueFactory, StrategicAssessmentFactory

pytestmark = pytest.mark.django_db

GOOD_ASSESSMENT = {
    "year": "2024",
    "title": "Riverton strategic assessment 2024/25",
    "period_start_0": "10",
    "period_start_1": "2023",
    "period_end_0": "9",
    "period_end_1": "2024",
    "summary": "",
}


def counts() -> dict[str, int]:
    """Rows of every priorities model, their history included."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_app_config("priorities").get_models()}


def refused(client: Any, url: str, data: dict[str, Any], *messages: str) -> str:
    """Post, expect a 400 listing each message in the error summary, and nothing saved; returns the page."""
    before = counts()
    response = client.post(url, data)
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400
    summary = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    for message in messages:
        assert message in summary, f"{message!r} is not in the error summary"
    assert counts() == before
    return page


@pytest.fixture
def manager(client: Any, personas: Personas) -> Personas:
    client.force_login(personas.manager)
    return personas


@pytest.fixture
def assessment(personas: Personas) -> StrategicAssessment:
    return StrategicAssessmentFactory(partnership=personas.csp, title="Riverton strategic assessment 2024/25")  # type: ignore[no-any-return]


def create_url(personas: Personas) -> str:
    return reverse("priorities:assessment_create", args=[personas.csp.slug])


# --- The assessment and its data window ----------------------------------------------------------


def test_an_empty_assessment_form_names_every_required_field(client, manager):
    refused(
        client,
        create_url(manager),
        {},
        "Enter the year the assessment covers",
        "Enter a title",
        "Enter the month and year the data window starts",
        "Enter the month and year the data window ends",
    )


def test_the_data_window_is_entered_as_a_month_and_a_year(client, manager):
    page = client.get(create_url(manager)).content.decode()

    start = page[page.index('id="div_id_period_start"') : page.index('id="div_id_period_end"')]
    assert "<legend" in start
    assert "Start of the data window" in start
    assert re.search(r'<label class="govuk-label govuk-date-input__label" for="id_period_start_0">Month</label>', start)
    assert re.search(r'<label class="govuk-label govuk-date-input__label" for="id_period_start_1">Year</label>', start)
    assert 'name="period_start_0"' in start
    assert 'name="period_start_1"' in start
    assert 'name="period_start_2"' not in start  # no day
    assert 'inputmode="numeric"' in start


def test_a_month_and_a_year_are_saved_as_the_first_of_the_month(client, manager):
    response = client.post(create_url(manager), {**GOOD_ASSESSMENT, "period_end_0": "Sept"})

    assert response.status_code == 302
    assessment = StrategicAssessment.objects.get()
    assert (assessment.period_start, assessment.period_end) == (date(2023, 10, 1), date(2024, 9, 1))


@pytest.mark.parametrize(
    ("month", "year", "message", "box"),
    [
        ("", "", "Enter the month and year the data window starts", 0),
        ("", "2023", "Start of the data window must include a month", 0),
        ("10", "", "Start of the data window must include a year", 1),
        ("13", "2023", "Start of the data window must be a real month", 0),
        ("0", "2023", "Start of the data window must be a real month", 0),
        ("Octember", "2023", "Start of the data window must be a real month", 0),
        ("10", "23", "The year the data window starts must include 4 numbers, like 2024", 1),
        ("10", "2023a", "The year the data window starts must include 4 numbers, like 2024", 1),
    ],
)
def test_a_wrong_month_is_refused_with_a_message_that_names_the_field_and_links_to_its_box(
    client, manager, month, year, message, box
):
    page = refused(
        client, create_url(manager), {**GOOD_ASSESSMENT, "period_start_0": month, "period_start_1": year}, message
    )

    # The error summary links to the box to correct (the month when both are empty).
    assert f'<a href="#id_period_start_{box}">{message}</a>' in page
    assert re.search(rf'class="[^"]*govuk-input--error[^"]*"[^>]*id="id_period_start_{box}"', page)


def test_the_end_of_the_data_window_cannot_be_before_its_start(client, manager):
    refused(
        client,
        create_url(manager),
        {**GOOD_ASSESSMENT, "period_end_0": "9", "period_end_1": "2023"},
        "The end of the data window must be on or after its start",
    )


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1999", "Enter a year from 2000"),
        ("twenty", "Enter the year as a number, like 2024"),
        ("2101", "Enter a year no later than 2100"),
    ],
)
def test_a_wrong_year_is_refused(client, manager, year, message):
    refused(client, create_url(manager), {**GOOD_ASSESSMENT, "year": year}, message)


def test_a_second_assessment_for_the_same_year_is_refused(client, manager, assessment):
    refused(client, create_url(manager), GOOD_ASSESSMENT, "Riverton already has a strategic assessment for 2024/25")


def test_the_edit_form_shows_the_data_window_as_month_and_year(client, manager, assessment):
    page = client.get(reverse("priorities:assessment_edit", args=[assessment.pk])).content.decode()

    assert re.search(r'name="period_start_0" value="10"', page)
    assert re.search(r'name="period_start_1" value="2023"', page)
    assert re.search(r'name="period_end_0" value="9"', page)
    assert re.search(r'name="period_end_1" value="2024"', page)


def test_an_empty_edit_names_every_required_field(client, manager, assessment):
    refused(
        client,
        reverse("priorities:assessment_edit", args=[assessment.pk]),
        {},
        "Enter a title",
        "Enter the month and year the data window starts",
        "Enter the month and year the data window ends",
        "Open the page again",
    )


# --- Candidate issues ----------------------------------------------------------------------------


def issue_url(assessment: StrategicAssessment) -> str:
    return reverse("priorities:issue_add", args=[assessment.pk])


GOOD_ISSUE = {"title": "Knife crime", "category": "", "evidence": "", "harm": "4", "likelihood": "3", "trend": "rising"}


def test_an_empty_issue_form_names_every_required_field(client, manager, assessment):
    refused(
        client,
        issue_url(assessment),
        {},
        "Enter the issue",
        "Select the harm score",
        "Select the likelihood score",
        "Select the trend",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("harm", "5", "Select a harm score from 1 to 4"),
        ("harm", "0", "Select a harm score from 1 to 4"),
        ("harm", "-1", "Select a harm score from 1 to 4"),
        ("likelihood", "12", "Select a likelihood score from 1 to 4"),
        ("likelihood", "high", "Select a likelihood score from 1 to 4"),
        ("trend", "soaring", "Select rising, stable or falling"),
        ("category", "jaywalking", "Select a valid choice"),
        ("title", "x" * 201, "Issue must be 200 characters or fewer"),
    ],
)
def test_a_crafted_issue_value_is_refused(client, manager, assessment, field, value, message):
    refused(client, issue_url(assessment), {**GOOD_ISSUE, field: value}, message)


def test_an_issue_title_already_in_the_assessment_is_refused_whatever_its_case(client, manager, assessment):
    CandidateIssueFactory(assessment=assessment, title="Knife crime")

    refused(
        client,
        issue_url(assessment),
        {**GOOD_ISSUE, "title": "  KNIFE CRIME "},
        "The assessment already has an issue called KNIFE CRIME",
    )


def test_renaming_an_issue_to_another_issues_title_is_refused_and_changes_nothing(client, manager, assessment):
    CandidateIssueFactory(assessment=assessment, title="Knife crime")
    issue = CandidateIssueFactory(assessment=assessment, title="Drugs", harm=2)

    refused(
        client,
        reverse("priorities:issue_edit", args=[assessment.pk, issue.pk]),
        {**GOOD_ISSUE, "title": "Knife crime"},
        "The assessment already has an issue called Knife crime",
    )
    issue.refresh_from_db()
    assert (issue.title, issue.harm) == ("Drugs", 2)


def test_a_good_issue_is_saved_with_its_scores(client, manager, assessment):
    response = client.post(issue_url(assessment), {**GOOD_ISSUE, "recommended": "on"})

    assert response.status_code == 302
    issue = CandidateIssue.objects.get()
    assert (issue.title, issue.harm, issue.likelihood, issue.trend, issue.recommended) == (
        "Knife crime",
        4,
        3,
        "rising",
        True,
    )


def test_an_issue_of_another_assessment_is_not_found(client, manager, assessment):
    other = CandidateIssueFactory(assessment=StrategicAssessmentFactory(partnership=manager.csp, year=2023))

    assert client.get(reverse("priorities:issue_edit", args=[assessment.pk, other.pk])).status_code == 404


# --- Consultation --------------------------------------------------------------------------------


def consultation_url(assessment: StrategicAssessment) -> str:
    return reverse("priorities:consultation_add", args=[assessment.pk])


GOOD_EVENT = {"kind": "survey", "title": "Residents' survey", "held_on_0": "14", "held_on_1": "2", "held_on_2": "2024"}


def test_an_empty_consultation_form_names_every_required_field(client, manager, assessment):
    refused(
        client,
        consultation_url(assessment),
        {},
        "Select the kind of consultation",
        "Enter a title",
        "Enter the date it was held",
    )


@pytest.mark.parametrize(
    ("row", "messages"),
    [
        (
            {"question_1": "I feel safe after dark"},
            ["Enter the % agreeing with question 1", "Enter the respondents to question 1"],
        ),
        ({"percent_1": "54"}, ["Enter question 1, or clear its figures", "Enter the respondents to question 1"]),
        ({"question_2": "Burglary is a problem", "percent_2": "41.5"}, ["Enter the respondents to question 2"]),
        ({"count_3": "120"}, ["Enter question 3, or clear its figures", "Enter the % agreeing with question 3"]),
        (
            {"question_1": "Safe", "percent_1": "101", "count_1": "10"},
            ["The percentage for question 1 must be 100 or less"],
        ),
        (
            {"question_1": "Safe", "percent_1": "54.55", "count_1": "10"},
            ["Give the percentage for question 1 to one decimal place"],
        ),
        (
            {"question_1": "Safe", "percent_1": "lots", "count_1": "10"},
            ["Enter the percentage for question 1 as a number"],
        ),
        (
            {"question_1": "Safe", "percent_1": "54", "count_1": "0"},
            ["The respondents to question 1 must be 1 or more"],
        ),
    ],
)
def test_a_half_filled_or_wrong_result_row_is_refused(client, manager, assessment, row, messages):
    refused(client, consultation_url(assessment), {**GOOD_EVENT, **row}, *messages)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("respondents", "-5", "The number cannot be negative"),
        ("respondents", "many", "Enter the number as a whole number"),
        ("respondents", "99999999999999999999", "Enter a number of 10,000,000 or fewer"),
        ("count_1", "3000000000", "The respondents to question 1 must be 10,000,000 or fewer"),
        ("held_on_1", "13", "Date must be a real date"),
    ],
)
def test_a_wrong_consultation_value_is_refused(client, manager, assessment, field, value, message):
    refused(client, consultation_url(assessment), {**GOOD_EVENT, field: value}, message)


def test_a_consultation_is_saved_with_its_filled_result_rows(client, manager, assessment):
    response = client.post(
        consultation_url(assessment),
        {
            **GOOD_EVENT,
            "respondents": "1210",
            "question_1": "I feel safe after dark",
            "percent_1": "54",
            "count_1": "1210",
        },
    )

    assert response.status_code == 302
    event = assessment.consultations.get()
    assert (event.title, event.held_on, event.respondents) == ("Residents' survey", date(2024, 2, 14), 1210)
    assert [(r.question, r.percent_agreeing, r.respondents) for r in event.results.all()] == [
        ("I feel safe after dark", 54, 1210)
    ]


# --- Figures from other sources ------------------------------------------------------------------


def local_data_url(assessment: StrategicAssessment) -> str:
    return reverse("priorities:local_data_add", args=[assessment.pk])


GOOD_FIGURE = {
    "source": "Essex County Fire and Rescue Service",
    "indicator": "Deliberate secondary fires",
    "period_start_0": "1",
    "period_start_1": "10",
    "period_start_2": "2023",
    "period_end_0": "30",
    "period_end_1": "9",
    "period_end_2": "2024",
    "value": "125",
}


def test_an_empty_figure_form_names_every_required_field(client, manager, assessment):
    refused(
        client,
        local_data_url(assessment),
        {},
        "Enter where the figure comes from",
        "Enter what the figure counts",
        "Enter the start of the period",
        "Enter the end of the period",
        "Enter the figure",
    )


def test_a_figure_whose_period_ends_before_it_starts_is_refused(client, manager, assessment):
    refused(
        client,
        local_data_url(assessment),
        {**GOOD_FIGURE, "period_end_2": "2022"},
        "The end of the period must be on or after its start",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "Enter the figure as a number, like 125 or 12.5"),
        ("12.345", "Give the figure to two decimal places at most"),
        ("12345678901", "The figure is too large"),
    ],
)
def test_a_figure_that_is_not_a_number_is_refused(client, manager, assessment, value, message):
    refused(client, local_data_url(assessment), {**GOOD_FIGURE, "value": value}, message)


def test_a_figure_is_saved_for_the_partnership(client, manager, assessment):
    assert client.post(local_data_url(assessment), GOOD_FIGURE).status_code == 302

    figure = manager.csp.local_data.get()
    assert (figure.indicator, figure.value, figure.period_start) == (
        "Deliberate secondary fires",
        125,
        date(2023, 10, 1),
    )


# --- Comments ------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   "])
def test_an_empty_comment_is_refused(client, manager, assessment, body):
    assessment.status = "shared"
    assessment.save()

    refused(
        client, reverse("priorities:assessment_comment", args=[assessment.pk]), {"body": body}, "Enter your comment"
    )
