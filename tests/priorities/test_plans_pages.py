"""The partnership plan pages as people use them: who reads a plan at each stage, every form's bad input
(each shown with the error summary, status 400 and nothing saved), the plan's journey from draft to its
annual review, the measures' charts and tables, the history of changes and the county view."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from priorities.models import (
    AssessmentStatus,
    MeasureValue,
    OutcomeMeasure,
    PartnershipPlan,
    PlanReview,
    PlanStatus,
    Priority,
    PriorityStatus,
    StrategicAssessment,
)
from tests.factories import MeasureFactory, MeasureValueFactory, PartnershipFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned_day():
    """Roles in force and the rule that adoption is not in the future depend on the day: 1 June 2025."""
    with time_machine.travel(datetime(2025, 6, 1, 10, 0, tzinfo=UTC)):
        yield


def _plan(personas: Any, status: str = PlanStatus.DRAFT, **kwargs: Any) -> PartnershipPlan:
    adopted = status in (PlanStatus.ADOPTED, PlanStatus.SUPERSEDED)
    fields = {
        "partnership": personas.csp,
        "title": f"Riverton strategy ({status})",
        "start_year": 2024,
        "end_year": 2027,
        "status": status,
        "adopted_on": date(2024, 5, 1) if adopted else None,
        "adopted_by_body": "Full Council" if adopted else "",
        **kwargs,
    }
    return PlanFactory(**fields)  # type: ignore[no-any-return]


def _assessment(partnership: Any, year: int = 2025) -> StrategicAssessment:
    return StrategicAssessment.objects.create(
        partnership=partnership,
        year=year,
        title=f"Riverton strategic assessment {year}/{(year + 1) % 100}",
        period_start=date(year - 1, 10, 1),
        period_end=date(year, 3, 1),
        status=AssessmentStatus.APPROVED,
        approved_at=datetime(year, 4, 1, tzinfo=UTC),
    )


def _date(field: str, day: Any, month: Any, year: Any) -> dict[str, Any]:
    """The three boxes of a GOV.UK date input."""
    return {f"{field}_0": day, f"{field}_1": month, f"{field}_2": year}


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _plain(response: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _snapshot() -> dict[str, int]:
    """Rows of every table of the priorities app, history included: a refused form changes none."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_app_config("priorities").get_models()}


def _refused(client: Any, url: str, data: dict[str, Any], *messages: str) -> str:
    """Post bad input: the page comes back with status 400, the error summary and each message."""
    before = _snapshot()
    response = client.post(url, data)
    assert response.status_code == 400
    page = _text(response)
    assert "govuk-error-summary" in page
    assert page.startswith("<!DOCTYPE html>") or "<title>" in page
    assert "Error: " in page  # the page title says there is an error
    for message in messages:
        assert message in page, f"{message!r} is not on the page"
    assert _snapshot() == before
    return page


@pytest.fixture
def manager_client(client, personas):
    client.force_login(personas.manager)
    return client


@pytest.fixture
def chair_client(client, personas):
    client.force_login(personas.chair)
    return client


# --- Who reads a plan at each stage ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("scrutiny", PlanStatus.DRAFT, 404),
        ("scrutiny", PlanStatus.CONSULTATION, 404),
        ("scrutiny", PlanStatus.ADOPTED, 200),
        ("scrutiny", PlanStatus.SUPERSEDED, 200),
        ("police_officer", PlanStatus.DRAFT, 404),
        ("police_officer", PlanStatus.CONSULTATION, 200),
        ("council_officer", PlanStatus.ADOPTED, 200),
        ("county_member", PlanStatus.DRAFT, 404),
        ("county_member", PlanStatus.CONSULTATION, 404),
        ("county_member", PlanStatus.ADOPTED, 200),
        ("county_member", PlanStatus.SUPERSEDED, 200),
        ("manager", PlanStatus.DRAFT, 200),
        ("chair", PlanStatus.DRAFT, 200),
        ("admin", PlanStatus.DRAFT, 200),
        ("outsider", PlanStatus.ADOPTED, 404),
        ("nobody", PlanStatus.ADOPTED, 404),
    ],
)
def test_who_reads_a_plan_depends_on_its_stage(client, personas, role, status, expected):
    plan = _plan(personas, status)
    client.force_login(personas.by_role(role))

    response = client.get(reverse("priorities:plan", args=[plan.pk]))

    assert response.status_code == expected


def test_the_list_of_plans_shows_scrutiny_only_adopted_and_superseded_plans(client, personas):
    for status in PlanStatus.values:
        _plan(personas, status, title=f"Plan {status}", start_year=2010 + len(status), end_year=2013 + len(status))
    client.force_login(personas.scrutiny)

    page = _text(client.get(reverse("priorities:plans", args=["riverton"])))

    assert "Plan adopted" in page
    assert "Plan superseded" in page
    assert "Plan draft" not in page
    assert "Plan consultation" not in page
    assert "Start a plan" not in page


def test_a_county_group_member_cannot_read_another_countys_plan(client, personas):
    elsewhere = PartnershipFactory(name="Elsewhere")
    plan = _plan(personas, PlanStatus.ADOPTED, partnership=elsewhere)
    client.force_login(personas.county_member)

    assert client.get(reverse("priorities:plan", args=[plan.pk])).status_code == 404


@pytest.mark.parametrize(
    ("status", "name", "expected"),
    [
        (PlanStatus.ADOPTED, "plan_edit", 403),
        (PlanStatus.ADOPTED, "priority_add", 403),
        (PlanStatus.ADOPTED, "plan_consult", 403),
        (PlanStatus.ADOPTED, "measure_add", 200),
        (PlanStatus.ADOPTED, "plan_review", 200),
        (PlanStatus.SUPERSEDED, "plan_edit", 403),
        (PlanStatus.SUPERSEDED, "measure_add", 403),
        (PlanStatus.SUPERSEDED, "value_add", 403),
        (PlanStatus.SUPERSEDED, "plan_review", 403),
        (PlanStatus.DRAFT, "plan_review", 403),
        (PlanStatus.CONSULTATION, "plan_review", 403),
        (PlanStatus.CONSULTATION, "plan_edit", 200),
    ],
)
def test_what_the_manager_may_change_depends_on_the_plans_stage(manager_client, personas, status, name, expected):
    plan = _plan(personas, status)
    priority = PriorityFactory(plan=plan)
    measure = MeasureFactory(priority=priority)
    args = {
        "priority_add": [plan.pk],
        "measure_add": [plan.pk, priority.pk],
        "value_add": [plan.pk, measure.pk],
    }.get(name, [plan.pk])

    response = manager_client.get(reverse(f"priorities:{name}", args=args))

    assert response.status_code == expected


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.ADOPTED])
def test_the_chair_adopts_only_a_plan_out_for_consultation(chair_client, personas, status):
    plan = _plan(personas, status)

    assert chair_client.get(reverse("priorities:plan_adopt", args=[plan.pk])).status_code == 403


@pytest.mark.parametrize(("role", "expected"), [("scrutiny", 403), ("county_member", 403), ("police_officer", 200)])
def test_the_history_names_people_so_scrutiny_and_county_members_do_not_see_it(client, personas, role, expected):
    plan = _plan(personas, PlanStatus.ADOPTED)
    client.force_login(personas.by_role(role))

    assert client.get(reverse("priorities:plan_history", args=[plan.pk])).status_code == expected


def test_plans_are_started_only_for_a_csp(client, personas):
    client.force_login(personas.admin)

    assert client.get(reverse("priorities:plan_create", args=[personas.county.slug])).status_code == 403


def test_a_plan_priority_or_measure_of_another_plan_is_not_found(manager_client, personas):
    plan, other = _plan(personas), _plan(personas, title="Other")
    priority = PriorityFactory(plan=other)
    measure = MeasureFactory(priority=priority)

    for name, args in (
        ("priority_edit", [plan.pk, priority.pk]),
        ("measure_add", [plan.pk, priority.pk]),
        ("measure_edit", [plan.pk, measure.pk]),
        ("value_add", [plan.pk, measure.pk]),
    ):
        assert manager_client.get(reverse(f"priorities:{name}", args=args)).status_code == 404


# --- Bad input on every form ----------------------------------------------------------------------------


def test_starting_a_plan_without_its_details_names_each_missing_field(manager_client):
    _refused(
        manager_client,
        reverse("priorities:plan_create", args=["riverton"]),
        {},
        "Enter a title",
        "Enter the plan's first year",
        "Enter the plan's last year",
    )


def test_a_plan_whose_years_are_out_of_order_or_not_years_is_refused(manager_client):
    url = reverse("priorities:plan_create", args=["riverton"])
    _refused(
        manager_client,
        url,
        {"title": "Strategy", "start_year": 2025, "end_year": 2024},
        "The last year must be the same as or after the first year",
    )
    _refused(
        manager_client,
        url,
        {"title": "Strategy", "start_year": "twenty", "end_year": 2031},
        "First year must be a year, like 2025",
    )
    _refused(
        manager_client,
        url,
        {"title": "Strategy", "start_year": 2025, "end_year": 2031},
        "A plan covers at most 5 years",
    )


def test_a_stale_plan_edit_is_refused_with_a_clear_message(manager_client, personas):
    plan = _plan(personas)
    url = reverse("priorities:plan_edit", args=[plan.pk])
    data = {"title": "Mine", "start_year": 2024, "end_year": 2027, "vision": "", "version": plan.version}
    PartnershipPlan.objects.filter(pk=plan.pk).update(title="Theirs", version=plan.version + 1)

    _refused(manager_client, url, data, "Someone else changed this plan while you were editing it")

    plan.refresh_from_db()
    assert plan.title == "Theirs"


def test_a_plan_edit_without_its_version_is_refused(manager_client, personas):
    plan = _plan(personas)

    _refused(
        manager_client,
        reverse("priorities:plan_edit", args=[plan.pk]),
        {"title": "Mine", "start_year": 2024, "end_year": 2027},
        "This page is out of date: open the plan again and make your change",
    )


def test_adding_a_priority_without_its_details_names_each_missing_field(manager_client, personas):
    plan = _plan(personas)

    _refused(
        manager_client,
        reverse("priorities:priority_add", args=[plan.pk]),
        {},
        "Enter a title",
        "Enter the aim of the priority",
        "Enter how the priority will be achieved",
        "Select the priority's theme",
        "Select the strand of the strategy",
    )


def test_a_priority_with_the_title_of_another_in_the_plan_is_refused(manager_client, personas):
    plan = _plan(personas)
    PriorityFactory(plan=plan, title="Safer streets")

    _refused(
        manager_client,
        reverse("priorities:priority_add", args=[plan.pk]),
        {"title": "safer streets", "aim": "A", "how_achieved": "B", "theme": "asb", "strand": "crime_disorder"},
        "The plan already has a priority called safer streets",
    )


def test_a_priority_with_a_theme_or_alignment_not_in_the_list_is_refused(manager_client, personas):
    plan = _plan(personas)

    _refused(
        manager_client,
        reverse("priorities:priority_add", args=[plan.pk]),
        {"title": "T", "aim": "A", "how_achieved": "B", "theme": "weather", "strand": "crime", "alignment": ["eu"]},
        "Select a theme from the list",
        "Select a strand of the strategy from the list",
        "Select alignments from the list",
    )


def _measure_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Burglaries",
        "unit": "crimes",
        "data_source": "Police",
        "direction": "down",
        "baseline": "500",
        "target": "400",
        **_date("baseline_date", 31, 3, 2024),
        **_date("target_date", 31, 3, 2027),
    }
    data.update(overrides)
    return data


def test_adding_a_measure_without_its_details_names_each_missing_field(manager_client, personas):
    priority = PriorityFactory(plan=_plan(personas))

    _refused(
        manager_client,
        reverse("priorities:measure_add", args=[priority.plan_id, priority.pk]),
        {},
        "Enter the name of the measure",
        "Enter the unit of the measure",
        "Enter where the figures come from",
        "Select whether up or down is good",
        "Enter the baseline",
        "Enter the baseline date",
        "Enter the target",
        "Enter the target date",
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target": "600"}, "The target must be at or below the baseline, because down is good for this measure"),
        (
            {"direction": "up"},
            "The target must be at or above the baseline, because up is good for this measure",
        ),
        (_date("baseline_date", 31, 3, 2027), "The target date must be after the baseline date"),
        (_date("baseline_date", 1, 4, 2027), "The target date must be after the baseline date"),
        (_date("baseline_date", 31, 2, 2024), "Baseline date must be a real date"),
        (_date("target_date", 12, 13, 2027), "Target date must be a real date"),
        ({"baseline": "a lot"}, "Baseline must be a number, like 125 or 12.5"),
        ({"target": "1.234"}, "Target must have two decimal places at most"),
        ({"direction": "sideways"}, "Select whether up or down is good"),
    ],
)
def test_a_measure_with_bad_figures_or_dates_is_refused(manager_client, personas, overrides, message):
    priority = PriorityFactory(plan=_plan(personas))

    _refused(
        manager_client,
        reverse("priorities:measure_add", args=[priority.plan_id, priority.pk]),
        _measure_data(**overrides),
        message,
    )


def test_adding_a_value_without_its_details_or_twice_for_a_period_is_refused(manager_client, personas):
    measure = MeasureFactory(priority=PriorityFactory(plan=_plan(personas, PlanStatus.ADOPTED)))
    MeasureValueFactory(measure=measure, period_end=date(2024, 6, 30))
    url = reverse("priorities:value_add", args=[measure.priority.plan_id, measure.pk])

    _refused(manager_client, url, {}, "Enter the date the period ends", "Enter the value")
    _refused(manager_client, url, {**_date("period_end", 30, 6, 2024), "value": "x"}, "Value must be a number")
    _refused(
        manager_client,
        url,
        {**_date("period_end", 30, 6, 2024), "value": "90"},
        "There is already a value for the period to 30 June 2024",
    )
    _refused(
        manager_client,
        url,
        {**_date("period_end", 31, 3, 2024), "value": "90"},
        "The period must end after the baseline date, 31 March 2024",
    )
    _refused(
        manager_client,
        url,
        {**_date("period_end", 31, 6, 2024), "value": "90"},
        "End of the period must be a real date",
    )


def test_recording_an_adoption_without_its_details_names_each_missing_field(chair_client, personas):
    plan = _plan(personas, PlanStatus.CONSULTATION)
    url = reverse("priorities:plan_adopt", args=[plan.pk])

    _refused(chair_client, url, {}, "Enter the date the plan was adopted", "Enter the body that adopted the plan")
    _refused(
        chair_client,
        url,
        {**_date("adopted_on", 2, 6, 2025), "adopted_by_body": "Cabinet"},
        "The date of adoption must be today or in the past",
    )
    _refused(
        chair_client,
        url,
        {**_date("adopted_on", 29, 2, 2025), "adopted_by_body": "Cabinet"},
        "Date adopted must be a real date",
    )


def _reviewable(personas: Any) -> tuple[PartnershipPlan, Priority, Priority]:
    plan = _plan(personas, PlanStatus.ADOPTED)
    return plan, PriorityFactory(plan=plan, title="Safer streets"), PriorityFactory(plan=plan, title="Burglary")


def test_an_annual_review_without_its_details_names_each_missing_field(manager_client, personas):
    plan, _, _ = _reviewable(personas)
    _assessment(personas.csp)

    _refused(
        manager_client,
        reverse("priorities:plan_review", args=[plan.pk]),
        {},
        "Select the year of the plan this review is for",
        "Select the strategic assessment the plan was checked against",
        "Enter a summary of the review",
        "Select whether to keep, change or retire Safer streets",
        "Enter the reason for the decision on Safer streets",
        "Select whether to keep, change or retire Burglary",
        "Enter the reason for the decision on Burglary",
    )


def test_an_annual_review_with_a_half_filled_new_priority_or_a_clashing_title_is_refused(manager_client, personas):
    plan, streets, burglary = _reviewable(personas)
    assessment = _assessment(personas.csp)
    data = {
        "year": 2025,
        "assessment": assessment.pk,
        "summary": "Refresh",
        f"decision_{streets.pk}": "changed",
        f"title_{streets.pk}": "BURGLARY",
        f"reason_{streets.pk}": "Renamed",
        f"decision_{burglary.pk}": "kept",
        f"reason_{burglary.pk}": "Still high",
        "added_title_1": "Hate crime",
    }

    _refused(
        manager_client,
        reverse("priorities:plan_review", args=[plan.pk]),
        data,
        "The plan already has a priority called BURGLARY",
        "Enter the aim of new priority 1",
        "Enter how new priority 1 will be achieved",
        "Select the theme of new priority 1",
        "Select the strand of the strategy for new priority 1",
        "Enter the reason for adding new priority 1",
    )


def test_new_wording_for_a_priority_that_is_kept_is_refused(manager_client, personas):
    plan, streets, burglary = _reviewable(personas)
    assessment = _assessment(personas.csp)

    _refused(
        manager_client,
        reverse("priorities:plan_review", args=[plan.pk]),
        {
            "year": 2025,
            "assessment": assessment.pk,
            "summary": "Refresh",
            f"decision_{streets.pk}": "kept",
            f"aim_{streets.pk}": "A new aim",
            f"reason_{streets.pk}": "Still high",
            f"decision_{burglary.pk}": "retired",
            f"reason_{burglary.pk}": "Down a third",
        },
        "Select Change to give Safer streets new wording or a new theme, or clear them",
    )


def test_a_year_already_reviewed_is_not_offered_again(manager_client, personas):
    plan, streets, burglary = _reviewable(personas)
    PlanReview.objects.create(plan=plan, year=2025, reviewed_on=date(2025, 5, 1), summary="Done")
    assessment = _assessment(personas.csp)

    page = _refused(
        manager_client,
        reverse("priorities:plan_review", args=[plan.pk]),
        {
            "year": 2025,
            "assessment": assessment.pk,
            "summary": "Again",
            f"decision_{streets.pk}": "kept",
            f"reason_{streets.pk}": "R",
            f"decision_{burglary.pk}": "kept",
            f"reason_{burglary.pk}": "R",
        },
        "Select a year of the plan that has not been reviewed",
    )
    assert 'value="2026"' in page


@pytest.mark.parametrize("name", ["plan_create", "plan_edit", "priority_add", "measure_add", "value_add"])
def test_an_empty_post_fails_validation_on_every_manager_form(manager_client, personas, name):
    plan = _plan(personas, PlanStatus.CONSULTATION)
    priority = PriorityFactory(plan=plan)
    measure = MeasureFactory(priority=priority)
    args = {
        "plan_create": ["riverton"],
        "measure_add": [plan.pk, priority.pk],
        "value_add": [plan.pk, measure.pk],
    }.get(name, [plan.pk])

    _refused(manager_client, reverse(f"priorities:{name}", args=args), {})


# --- The journey: draft, consultation, adoption, review -------------------------------------------------------


def test_a_plan_from_draft_to_its_annual_review(client, personas):
    older = _plan(personas, PlanStatus.ADOPTED, title="Riverton strategy 2021 to 2024", start_year=2021, end_year=2024)
    assessment = _assessment(personas.csp, 2024)
    client.force_login(personas.manager)

    response = client.post(
        reverse("priorities:plan_create", args=["riverton"]),
        {
            "title": "Riverton strategy 2024 to 2027",
            "start_year": 2024,
            "end_year": 2027,
            "assessments": [assessment.pk],
        },
    )
    plan = PartnershipPlan.objects.get(title="Riverton strategy 2024 to 2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("priorities:plan", args=[plan.pk])
    assert list(plan.assessments.all()) == [assessment]

    client.post(
        reverse("priorities:priority_add", args=[plan.pk]),
        {
            "title": "Safer streets",
            "aim": "Less anti-social behaviour",
            "how_achieved": "Patrols",
            "theme": "asb",
            "strand": "crime_disorder",
            "alignment": ["pcc", "national"],
        },
    )
    priority = plan.priorities.get()
    assert priority.alignment == ["national", "pcc"]
    client.post(reverse("priorities:measure_add", args=[plan.pk, priority.pk]), _measure_data(name="ASB incidents"))
    measure = OutcomeMeasure.objects.get(name="ASB incidents")
    client.post(
        reverse("priorities:value_add", args=[plan.pk, measure.pk]),
        {**_date("period_end", 30, 9, 2024), "value": "450"},
    )
    assert MeasureValue.objects.get(measure=measure).value == 450
    client.post(reverse("priorities:plan_consult", args=[plan.pk]), {})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CONSULTATION

    client.force_login(personas.chair)
    response = client.post(
        reverse("priorities:plan_adopt", args=[plan.pk]),
        {**_date("adopted_on", 8, 12, 2024), "adopted_by_body": "Full Council", "adoption_notes": "Cabinet, 13 Sep"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    older.refresh_from_db()
    assert (plan.status, plan.adopted_on, plan.adopted_by_body) == (
        PlanStatus.ADOPTED,
        date(2024, 12, 8),
        "Full Council",
    )
    assert (older.status, older.superseded_by) == (PlanStatus.SUPERSEDED, plan)

    client.force_login(personas.manager)
    refreshed = _assessment(personas.csp, 2025)
    response = client.post(
        reverse("priorities:plan_review", args=[plan.pk]),
        {
            "year": 2025,
            "assessment": refreshed.pk,
            "summary": "Refreshed against the 2025 assessment",
            f"decision_{priority.pk}": "changed",
            f"title_{priority.pk}": "Safe and confident streets",
            f"aim_{priority.pk}": "",
            f"reason_{priority.pk}": "Residents' survey",
            "added_title_1": "Hate crime",
            "added_aim_1": "More reports",
            "added_how_1": "Reporting centres",
            "added_theme_1": "hate_crime",
            "added_strand_1": "crime_disorder",
            "added_reason_1": "Rising",
        },
    )
    assert response.status_code == 302
    review = PlanReview.objects.get(plan=plan)
    assert review.reviewed_by == personas.manager
    assert sorted(review.changes.values_list("kind", "reason")) == [
        ("added", "Rising"),
        ("changed", "Residents' survey"),
    ]

    client.force_login(personas.scrutiny)
    page = _plain(client.get(reverse("priorities:plan", args=[plan.pk])))
    assert "Adopted by Full Council on 8 December 2024" in page
    assert "Replaces Riverton strategy 2021 to 2024" in page
    assert "Review of 2025/26" in page
    assert "Safe and confident streets Was: Safer streets Changed Residents' survey" in page
    assert "Hate crime Added Rising" in page
    assert "2024/25 No review recorded" in page
    older_page = _plain(client.get(reverse("priorities:plan", args=[older.pk])))
    assert "Superseded by Riverton strategy 2024 to 2027" in older_page


def test_the_plan_page_shows_each_measure_as_a_chart_beside_its_table_with_whether_it_is_on_track(client, personas):
    plan = _plan(personas, PlanStatus.ADOPTED)
    priority = PriorityFactory(plan=plan, title="Safer streets")
    on_track = MeasureFactory(priority=priority, name="Burglaries", baseline=100, target=80)
    MeasureValueFactory(measure=on_track, period_end=date(2025, 3, 31), value=90)
    behind = MeasureFactory(priority=priority, name="Robberies", baseline=50, target=40)
    MeasureValueFactory(measure=behind, period_end=date(2025, 3, 31), value=55)
    MeasureFactory(priority=priority, name="Thefts")
    client.force_login(personas.scrutiny)

    response = client.get(reverse("priorities:plan", args=[plan.pk]))

    page = _text(response)
    assert page.count('<svg class="app-chart"') == 3
    assert 'role="img" aria-labelledby="measure-' in page
    assert "<title id=" in page
    assert "Values of Burglaries (crimes)" in page
    plain = _plain(response)
    assert "On track The latest value, 90 for the period to 31 March 2025, is no worse than the 93.3 expected" in plain
    assert "Not on track The latest value, 55 for the period to 31 March 2025, is worse than the 46.7 expected" in plain
    assert "No values yet" in plain
    assert "31 Mar 2024 (baseline) 100" in plain
    assert "31 Mar 2027 (target) 80" in plain
    # The Content-Security-Policy forbids inline styles and scripts: the charts use attributes only.
    assert "style=" not in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None
    # Scrutiny reads; the links to change are not shown.
    assert "Add a value" not in page
    assert "Record an annual review" not in page


def test_the_manager_sees_the_steps_the_plans_stage_allows(manager_client, personas):
    draft = _plan(personas)
    adopted = _plan(personas, PlanStatus.ADOPTED)

    draft_page = _text(manager_client.get(reverse("priorities:plan", args=[draft.pk])))
    adopted_page = _text(manager_client.get(reverse("priorities:plan", args=[adopted.pk])))

    assert "Send for consultation" in draft_page
    assert "Change details" in draft_page
    assert "Record an annual review" not in draft_page
    assert "Record an annual review" in adopted_page
    assert "Change details" not in adopted_page
    assert "Record adoption" not in draft_page


# --- History -----------------------------------------------------------------------------------------------


def test_the_history_shows_who_changed_the_plan_its_priorities_and_measures(client, personas):
    plan = _plan(personas, PlanStatus.CONSULTATION)
    client.force_login(personas.manager)
    client.post(
        reverse("priorities:priority_add", args=[plan.pk]),
        {
            "title": "Safer streets",
            "aim": "Less ASB",
            "how_achieved": "Patrols",
            "theme": "asb",
            "strand": "crime_disorder",
        },
    )
    priority = plan.priorities.get()
    client.post(
        reverse("priorities:priority_edit", args=[plan.pk, priority.pk]),
        {
            "title": "Safer streets",
            "aim": "Much less ASB",
            "how_achieved": "Patrols",
            "theme": "violence",
            "strand": "crime_disorder",
        },
    )
    client.post(reverse("priorities:measure_add", args=[plan.pk, priority.pk]), _measure_data(name="ASB incidents"))
    client.force_login(personas.chair)
    client.post(
        reverse("priorities:plan_adopt", args=[plan.pk]),
        {**_date("adopted_on", 1, 5, 2025), "adopted_by_body": "Cabinet"},
    )

    client.force_login(personas.police_officer)
    page = _plain(client.get(reverse("priorities:plan_history", args=[plan.pk])))

    assert "Mina Manager Added priority Safer streets" in page
    assert (
        "Mina Manager Changed priority Safer streets Aim: Less ASB → Much less ASB "
        "Theme: Anti-social behaviour → Violence and serious violence" in page
    )
    assert "Mina Manager Added measure ASB incidents (Safer streets)" in page
    assert "Charles Chair Changed plan Riverton strategy (consultation) Status: Out for consultation → Adopted" in page
    assert "Adopted on: none → 1 May 2025" in page


# --- The county view -------------------------------------------------------------------------------------------


def test_the_county_view_puts_its_csps_shared_priorities_side_by_side(client, personas):
    riverton = _plan(personas, PlanStatus.ADOPTED, title="Riverton strategy")
    hillford = _plan(personas, PlanStatus.ADOPTED, partnership=personas.other_csp, title="Hillford strategy")
    draft = _plan(personas, PlanStatus.DRAFT, partnership=personas.other_csp, title="Hillford draft")
    PriorityFactory(plan=riverton, title="Tackling ASB", theme="asb")
    PriorityFactory(plan=riverton, title="Hate crime", theme="hate_crime")
    PriorityFactory(plan=hillford, title="Anti-social behaviour hot spots", theme="asb")
    PriorityFactory(plan=hillford, title="Old priority", theme="extremism", status=PriorityStatus.RETIRED)
    PriorityFactory(plan=draft, title="Draft idea", theme="asb")
    PartnershipFactory(name="Lakeside", parent=personas.county)
    client.force_login(personas.county_member)

    response = client.get(reverse("priorities:county_priorities", args=[personas.county.slug]))

    page = _plain(response)
    assert response.status_code == 200
    assert page.index("Anti-social behaviour Shared by 2 partnerships") < page.index("Hate crime 1 partnership")
    assert "Hillford Anti-social behaviour hot spots Hillford strategy" in page
    assert "Riverton Tackling ASB Riverton strategy" in page
    assert "Draft idea" not in page
    assert "Old priority" not in page
    assert "Partnerships without an adopted plan you can read Lakeside" in page


def test_the_county_view_is_only_for_a_county_group(client, personas):
    client.force_login(personas.admin)

    assert client.get(reverse("priorities:county_priorities", args=["riverton"])).status_code == 404


def test_the_partnership_pages_link_to_plans_and_to_the_county_view(client, personas):
    client.force_login(personas.admin)

    csp_page = _text(client.get(reverse("partnerships:detail", args=["riverton"])))
    county_page = _text(client.get(reverse("partnerships:detail", args=[personas.county.slug])))

    assert reverse("priorities:plans", args=["riverton"]) in csp_page
    assert reverse("priorities:county_priorities", args=[personas.county.slug]) in county_page
    assert reverse("priorities:county_priorities", args=["riverton"]) not in csp_page
