"""Annual reports to the crime and disorder committee: starting one, writing it, publishing it, who reads
drafts and published reports, the permission functions and the forms.

What a report shows, its PDF and spreadsheet, and that publishing freezes it are in
test_reports_documents.py. Who may open each URL is in url_rules_scrutiny.py (the URL walk).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from actionplans import permissions
from actionplans.dashboard import plan_choices
from actionplans.forms import STALE_PAGE
from actionplans.models import AnnualReport, AnnualReportStatus
from actionplans.reports import services
from actionplans.reports.forms import PublishForm, ReportForm, ReportStartForm
from actionplans.services import StaleEdit
from partnerships.models import Partnership, PartnershipKind, Role
from priorities.models import PartnershipPlan, PlanStatus
from tests.actionplans.conftest import NOW, World
from tests.actionplans.scrutiny_data import error_links, errors, riverton_year, text
from tests.conftest import Personas
from tests.factories import PartnershipFactory, PlanFactory, RoleFactory

pytestmark = pytest.mark.django_db

TITLE = "Riverton: annual report to the crime and disorder committee 2024/25"
STALE = (
    "Someone else changed this while you were editing it. Their version is shown below; check it and make your "
    "change again."
)
READERS = ("admin", "manager", "chair", "police_officer", "council_officer", "scrutiny")


@pytest.fixture
def report(personas: Personas, world: World) -> AnnualReport:
    """A draft for 2024/25 of Riverton's adopted plan, on Riverton's known year."""
    riverton_year(personas, world)
    return services.annual_report_create(
        actor=personas.manager,
        partnership=personas.csp,
        plan=world.plan,
        year=2024,
        committee="Place Scrutiny Committee",
    )


def _write(personas: Personas, report: AnnualReport, **narrative: str) -> AnnualReport:
    return services.annual_report_update(
        actor=personas.manager,
        report=report,
        version=report.version,
        title=report.title,
        committee=report.committee,
        **narrative,
    )


def publish(personas: Personas, report: AnnualReport) -> AnnualReport:
    """Write the summary and publish, as the manager."""
    _write(personas, report, summary="A year of steady progress against both priorities")
    return services.annual_report_publish(actor=personas.manager, report=report, version=report.version)


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_app_config("actionplans").get_models()
    }


def _start_url(partnership: Partnership) -> str:
    return reverse("actionplans:report_start", args=[partnership.slug])


def _edit_form(report: AnnualReport, **changes: Any) -> dict[str, Any]:
    data = {
        "title": report.title,
        "committee": report.committee,
        "summary": report.summary,
        "successes": report.successes,
        "year_ahead": report.year_ahead,
        "recommendations": report.recommendations,
        "version": str(report.version),
    }
    data.update(changes)
    return data


def _year_options(response: Any) -> list[str]:
    select = response.content.decode().split('name="year"', 1)[1].split("</select>", 1)[0]
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


# --- Starting a report ------------------------------------------------------------------------------------


def test_start_offers_each_year_of_the_adopted_and_superseded_plans_but_not_a_draft(
    client, personas: Personas, world: World
):
    PlanFactory(
        partnership=personas.csp,
        title="Riverton Strategy 2021 to 2024",
        start_year=2021,
        end_year=2024,
        status=PlanStatus.SUPERSEDED,
        adopted_on=date(2021, 3, 1),
        adopted_by_body="Full Council",
    )
    PlanFactory(partnership=personas.csp, title="Draft strategy 2027 to 2030", start_year=2027, end_year=2030)
    client.force_login(personas.manager)
    response = client.get(_start_url(personas.csp))
    assert response.status_code == 200
    plan = "Riverton Community Safety Strategy 2024 to 2027"
    assert _year_options(response) == [
        "Choose a year",
        f"2026/27: {plan}",
        f"2025/26: {plan}",
        f"2024/25: {plan}",
        "2023/24: Riverton Strategy 2021 to 2024",
        "2022/23: Riverton Strategy 2021 to 2024",
        "2021/22: Riverton Strategy 2021 to 2024",
    ]
    assert "The partnership has no adopted plan." not in text(response)


def test_manager_starts_a_draft_report_on_a_year_of_the_plan(client, personas: Personas, world: World):
    client.force_login(personas.manager)
    response = client.post(_start_url(personas.csp), {"year": "2024", "committee": "  Place Scrutiny Committee  "})
    report = AnnualReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("actionplans:report", args=[report.pk])
    assert (report.partnership, report.plan, report.status) == (personas.csp, world.plan, AnnualReportStatus.DRAFT)
    assert (report.period_start, report.period_end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert (report.title, report.committee, report.contents, report.version) == (
        TITLE,
        "Place Scrutiny Committee",
        None,
        1,
    )
    assert report.history.get().history_user == personas.manager


def test_a_second_report_for_the_same_year_is_refused_on_the_year(client, personas: Personas, report: AnnualReport):
    client.force_login(personas.manager)
    before = _counts()
    response = client.post(_start_url(personas.csp), {"year": "2024"})
    assert response.status_code == 400
    assert error_links(response) == {"There is already an annual report for 2024/25": "#id_year"}
    assert _counts() == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, {"Choose the year the report covers": "#id_year"}),
        ({"year": "2019"}, {"Choose one of the years listed": "#id_year"}),
        ({"year": "2027"}, {"Choose one of the years listed": "#id_year"}),
        ({"year": "last year"}, {"Choose one of the years listed": "#id_year"}),
        ({"year": "2024", "committee": "x" * 201}, {"Committee must be 200 characters or fewer": "#id_committee"}),
    ],
)
def test_start_refuses_bad_input_and_saves_nothing(
    client, personas: Personas, world: World, data: dict[str, str], expected: dict[str, str]
):
    client.force_login(personas.manager)
    response = client.post(_start_url(personas.csp), data)
    assert response.status_code == 400
    assert error_links(response) == expected
    assert not AnnualReport.objects.exists()


def test_a_draft_plans_years_are_not_offered_so_cannot_be_reported_on(client, personas: Personas, world: World):
    PlanFactory(partnership=personas.csp, title="Draft strategy 2027 to 2030", start_year=2027, end_year=2030)
    client.force_login(personas.manager)
    response = client.post(_start_url(personas.csp), {"year": "2028"})
    assert response.status_code == 400
    assert errors(response) == ["Choose one of the years listed"]
    assert not AnnualReport.objects.exists()


def test_start_warns_a_partnership_without_an_adopted_plan(client, personas: Personas):
    client.force_login(personas.manager)
    response = client.get(_start_url(personas.csp))
    assert response.status_code == 200
    assert "The partnership has no adopted plan." in text(response)
    assert _year_options(response) == ["Choose a year"]


def test_service_refuses_a_plan_that_is_not_adopted(personas: Personas, world: World):
    for status in (PlanStatus.DRAFT, PlanStatus.CONSULTATION):
        plan = PlanFactory(partnership=personas.csp, status=status, start_year=2027, end_year=2030)
        with pytest.raises(ValidationError) as refused:
            services.annual_report_create(actor=personas.manager, partnership=personas.csp, plan=plan, year=2027)
        assert refused.value.message_dict == {"plan": ["Choose one of this partnership's adopted plans"]}
    assert not AnnualReport.objects.exists()


def test_service_refuses_another_partnerships_plan(personas: Personas, world: World):
    with pytest.raises(ValidationError) as refused:
        services.annual_report_create(
            actor=personas.manager, partnership=personas.other_csp, plan=world.plan, year=2024
        )
    assert refused.value.message_dict == {"plan": ["Choose one of this partnership's adopted plans"]}


def test_service_refuses_a_year_the_plan_does_not_cover(personas: Personas, world: World):
    with pytest.raises(ValidationError) as refused:
        services.annual_report_create(actor=personas.manager, partnership=personas.csp, plan=world.plan, year=2023)
    assert refused.value.message_dict == {
        "year": ["Choose a year that Riverton Community Safety Strategy 2024 to 2027 covers"]
    }


def test_service_refuses_a_second_report_for_a_year(personas: Personas, report: AnnualReport):
    with pytest.raises(ValidationError) as refused:
        services.annual_report_create(actor=personas.manager, partnership=personas.csp, plan=report.plan, year=2024)
    assert refused.value.message_dict == {"year": ["There is already an annual report for 2024/25"]}
    assert AnnualReport.objects.count() == 1


def test_a_superseded_plan_may_still_be_reported_on(personas: Personas, world: World):
    old = PlanFactory(
        partnership=personas.csp,
        title="Riverton Strategy 2021 to 2024",
        start_year=2021,
        end_year=2024,
        status=PlanStatus.SUPERSEDED,
        adopted_on=date(2021, 3, 1),
        adopted_by_body="Full Council",
    )
    report = services.annual_report_create(actor=personas.manager, partnership=personas.csp, plan=old, year=2023)
    assert (report.plan, report.period_start) == (old, date(2023, 4, 1))


def test_annual_reports_are_a_csp_s(client, personas: Personas):
    group = PartnershipFactory(
        name="Riverton Violence Group", kind=PartnershipKind.THEMATIC_GROUP, ons_code=None, parent=personas.csp
    )
    client.force_login(personas.manager)
    assert client.get(reverse("actionplans:reports", args=[group.slug])).status_code == 404
    assert client.get(_start_url(group)).status_code == 404
    assert client.get(reverse("actionplans:dashboard", args=[group.slug])).status_code == 200


# --- Writing the narrative --------------------------------------------------------------------------------


def test_manager_writes_the_narrative(client, personas: Personas, report: AnnualReport):
    client.force_login(personas.manager)
    url = reverse("actionplans:report_edit", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Place Scrutiny Committee"' in page.content.decode()
    response = client.post(
        url,
        _edit_form(
            report,
            title="  Riverton: report to the Place Scrutiny Committee 2024/25 ",
            summary=" Both priorities moved forward.\n\nOne action is red. ",
            successes="Knife arches every weekend",
            year_ahead="Marshals in the town centre",
            recommendations="Note the progress made",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("actionplans:report", args=[report.pk])
    report.refresh_from_db()
    assert report.title == "Riverton: report to the Place Scrutiny Committee 2024/25"
    assert report.summary == "Both priorities moved forward.\n\nOne action is red."
    assert (report.successes, report.year_ahead, report.recommendations) == (
        "Knife arches every weekend",
        "Marshals in the town centre",
        "Note the progress made",
    )
    assert (report.version, report.status) == (2, AnnualReportStatus.DRAFT)
    assert report.history.count() == 2
    detail = text(client.get(reverse("actionplans:report", args=[report.pk])))
    assert "Summary Both priorities moved forward. One action is red." in detail
    assert "Recommendations to the committee Note the progress made" in detail


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": ""}, ["Enter a title"]),
        ({"title": "   "}, ["Enter a title"]),
        ({"title": "x" * 201}, ["Title must be 200 characters or fewer"]),
        ({"committee": "x" * 201}, ["Committee must be 200 characters or fewer"]),
        ({"summary": "x" * 20001}, ["Summary must be 20,000 characters or fewer"]),
        ({"successes": "x" * 20001}, ["Successes must be 20,000 characters or fewer"]),
        ({"year_ahead": "x" * 20001}, ["The year ahead must be 20,000 characters or fewer"]),
        (
            {"recommendations": "x" * 20001},
            ["Recommendations to the committee must be 20,000 characters or fewer"],
        ),
        (
            {"title": "", "summary": "x" * 20001},
            ["Enter a title", "Summary must be 20,000 characters or fewer"],
        ),
        ({"version": ""}, [STALE_PAGE]),
    ],
)
def test_edit_refuses_bad_input_and_saves_nothing(
    client, personas: Personas, report: AnnualReport, changes: dict[str, str], expected: list[str]
):
    client.force_login(personas.manager)
    before = _counts()
    response = client.post(
        reverse("actionplans:report_edit", args=[report.pk]), _edit_form(report, **{"summary": "New", **changes})
    )
    assert response.status_code == 400
    assert errors(response) == expected
    assert _counts() == before
    report.refresh_from_db()
    assert (report.title, report.summary, report.version) == (TITLE, "", 1)


def test_a_stale_edit_is_refused_and_does_not_overwrite(client, personas: Personas, report: AnnualReport):
    opened = _edit_form(report, summary="The manager's summary")
    _write(personas, report, summary="The admin's summary")  # saved by someone else meanwhile: version 2
    client.force_login(personas.manager)
    url = reverse("actionplans:report_edit", args=[report.pk])
    response = client.post(url, opened)
    assert response.status_code == 409
    assert errors(response) == [STALE]
    report.refresh_from_db()
    assert (report.summary, report.version) == ("The admin's summary", 2)
    # The page now carries the current version: saving again, deliberately, goes through.
    assert 'name="version" value="2"' in response.content.decode()
    assert client.post(url, {**opened, "version": "2"}).status_code == 302
    report.refresh_from_db()
    assert (report.summary, report.version) == ("The manager's summary", 3)


def test_update_service_refuses_a_blank_title_unknown_sections_and_stale_versions(
    personas: Personas, report: AnnualReport
):
    with pytest.raises(ValidationError) as refused:
        services.annual_report_update(actor=personas.manager, report=report, version=1, title="  ", committee="")
    assert refused.value.message_dict == {"title": ["Enter a title"]}
    with pytest.raises(ValueError, match="Not narrative sections"):
        services.annual_report_update(
            actor=personas.manager, report=report, version=1, title="T", committee="", status="published"
        )
    with pytest.raises(StaleEdit):
        services.annual_report_update(actor=personas.manager, report=report, version=7, title="T", committee="")
    report.refresh_from_db()
    assert (report.title, report.version, report.status) == (TITLE, 1, AnnualReportStatus.DRAFT)


# --- Publishing ----------------------------------------------------------------------------------------


def test_publishing_without_a_summary_is_refused(client, personas: Personas, report: AnnualReport):
    client.force_login(personas.manager)
    response = client.post(reverse("actionplans:report_publish", args=[report.pk]), {"version": "1"})
    assert response.status_code == 400
    assert errors(response) == ["Write the summary before publishing the report"]
    report.refresh_from_db()
    assert (report.status, report.contents, report.published_at, report.version) == (
        AnnualReportStatus.DRAFT,
        None,
        None,
        1,
    )


def test_manager_publishes_the_report_and_its_figures_are_kept_with_it(
    client, personas: Personas, report: AnnualReport
):
    _write(personas, report, summary="A year of steady progress")
    client.force_login(personas.manager)
    url = reverse("actionplans:report_publish", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "A published report cannot be changed." in text(page)
    response = client.post(url, {"version": "2"})
    assert response.status_code == 302
    assert response["Location"] == reverse("actionplans:report", args=[report.pk])
    report.refresh_from_db()
    assert (report.status, report.published_at, report.published_by, report.version) == (
        AnnualReportStatus.PUBLISHED,
        NOW,
        personas.manager,
        3,
    )
    contents = report.contents
    assert contents["generated_on"] == "2025-02-10"
    assert contents["period"] == {"start": "2024-04-01", "end": "2025-03-31", "label": "2024/25"}
    assert contents["totals"] == {
        "actions": 6,
        "rag": {"red": 1, "amber": 1, "green": 1, "blue": 1, "grey": 2},
        "status": {"Complete": 1, "In progress": 5},
        "overdue": 2,
        "needs_update": 3,
    }
    assert contents["funding"] == [
        {"source": "Council", "budget": "6000.00", "spent": "6000.00"},
        {"source": "Police, fire and crime commissioner", "budget": "14000.00", "spent": "3500.00"},
    ]
    assert contents["reviews"] == {
        "open": 1,
        "completed_this_year": 0,
        "recommendations_outstanding": 2,
        "recommendations_overdue": 1,
    }
    assert "Published 10 Feb 2025" in text(client.get(reverse("actionplans:report", args=[report.pk])))


def test_a_stale_publish_is_refused(client, personas: Personas, report: AnnualReport):
    _write(personas, report, summary="Written")
    client.force_login(personas.manager)
    response = client.post(reverse("actionplans:report_publish", args=[report.pk]), {"version": "1"})
    assert response.status_code == 409
    assert errors(response) == [STALE]
    report.refresh_from_db()
    assert (report.status, report.version) == (AnnualReportStatus.DRAFT, 2)


def test_publishing_with_no_version_is_refused_as_out_of_date(client, personas: Personas, report: AnnualReport):
    _write(personas, report, summary="Written")
    client.force_login(personas.manager)
    response = client.post(reverse("actionplans:report_publish", args=[report.pk]), {})
    assert response.status_code == 400
    assert errors(response) == [STALE_PAGE]
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.DRAFT


@pytest.mark.parametrize("name", ["actionplans:report_edit", "actionplans:report_publish"])
@pytest.mark.parametrize("role", ["manager", "admin"])
def test_a_published_report_can_no_longer_be_edited_or_published(
    client, personas: Personas, report: AnnualReport, name: str, role: str
):
    publish(personas, report)
    frozen = AnnualReport.objects.values().get(pk=report.pk)
    client.force_login(personas.by_role(role))
    url = reverse(name, args=[report.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _edit_form(report, title="Changed afterwards", summary="Rewritten")).status_code == 403
    assert AnnualReport.objects.values().get(pk=report.pk) == frozen
    # The page offers neither.
    page = client.get(reverse("actionplans:report", args=[report.pk])).content.decode()
    assert reverse("actionplans:report_edit", args=[report.pk]) not in page
    assert reverse("actionplans:report_publish", args=[report.pk]) not in page


def test_services_refuse_to_change_a_published_report(personas: Personas, report: AnnualReport):
    publish(personas, report)
    message = "This report has been published and can no longer be changed"
    with pytest.raises(ValidationError, match=message):
        services.annual_report_update(
            actor=personas.manager, report=report, version=report.version, title="New", committee=""
        )
    with pytest.raises(ValidationError, match=message):
        services.annual_report_publish(actor=personas.manager, report=report, version=report.version)


# --- Who reads and writes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("manager", 200),
        ("chair", 200),
        ("police_officer", 404),
        ("council_officer", 404),
        ("scrutiny", 404),
        ("county_member", 404),
        ("outsider", 404),
    ],
)
@pytest.mark.parametrize("name", ["actionplans:report", "actionplans:report_pdf", "actionplans:report_xlsx"])
def test_a_draft_is_read_by_the_managers_and_the_chair_only(
    client, personas: Personas, report: AnnualReport, name: str, role: str, status: int
):
    client.force_login(personas.by_role(role))
    assert client.get(reverse(name, args=[report.pk])).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [*((role, 200) for role in READERS), ("county_member", 404), ("outsider", 404), ("nobody", 404)],
)
@pytest.mark.parametrize("name", ["actionplans:report", "actionplans:report_pdf", "actionplans:report_xlsx"])
def test_a_published_report_is_read_by_everyone_who_reads_the_action_plans(
    client, personas: Personas, report: AnnualReport, name: str, role: str, status: int
):
    publish(personas, report)
    client.force_login(personas.by_role(role))
    assert client.get(reverse(name, args=[report.pk])).status_code == status


@pytest.mark.parametrize(("role", "status"), [("chair", 403), ("scrutiny", 404), ("police_officer", 404)])
def test_only_managers_write_and_publish_a_draft(
    client, personas: Personas, report: AnnualReport, role: str, status: int
):
    client.force_login(personas.by_role(role))
    for name in ("actionplans:report_edit", "actionplans:report_publish"):
        url = reverse(name, args=[report.pk])
        assert client.get(url).status_code == status
        assert client.post(url, _edit_form(report, summary="Mine")).status_code == status
    report.refresh_from_db()
    assert (report.summary, report.status, report.version) == ("", AnnualReportStatus.DRAFT, 1)


def test_scrutiny_members_every_post_is_refused_and_changes_nothing(client, personas: Personas, report: AnnualReport):
    """The dashboard and downloads answer GET only (405); starting a report is refused (403); a published
    report cannot be written (403) and a draft is not seen (404)."""
    draft = services.annual_report_create(actor=personas.manager, partnership=personas.csp, plan=report.plan, year=2025)
    publish(personas, report)
    client.force_login(personas.scrutiny)
    before = _counts()
    posts = {
        reverse("actionplans:dashboard", args=[personas.csp.slug]): 405,
        reverse("actionplans:roll_up", args=[personas.county.slug]): 405,
        reverse("actionplans:reports", args=[personas.csp.slug]): 405,
        _start_url(personas.csp): 403,
        reverse("actionplans:report", args=[report.pk]): 405,
        reverse("actionplans:report_pdf", args=[report.pk]): 405,
        reverse("actionplans:report_xlsx", args=[report.pk]): 405,
        reverse("actionplans:report_edit", args=[report.pk]): 403,
        reverse("actionplans:report_publish", args=[report.pk]): 403,
        reverse("actionplans:report_edit", args=[draft.pk]): 404,
        reverse("actionplans:report_publish", args=[draft.pk]): 404,
    }
    form = {"year": "2026", "title": "Scrutiny's own", "summary": "Scrutiny's own", "version": "1"}
    assert {url: client.post(url, form).status_code for url in posts} == posts
    assert _counts() == before
    draft.refresh_from_db()
    assert (draft.title, draft.summary, draft.status) == (
        "Riverton: annual report to the crime and disorder committee 2025/26",
        "",
        AnnualReportStatus.DRAFT,
    )


def test_the_list_shows_drafts_to_managers_and_the_chair_and_published_reports_to_every_reader(
    client, personas: Personas, report: AnnualReport
):
    services.annual_report_create(actor=personas.manager, partnership=personas.csp, plan=report.plan, year=2025)
    publish(personas, report)
    url = reverse("actionplans:reports", args=[personas.csp.slug])
    draft_title = "Riverton: annual report to the crime and disorder committee 2025/26"
    for role in ("manager", "chair", "admin"):
        client.force_login(personas.by_role(role))
        page = text(client.get(url))
        assert f"{draft_title} 2025/26 Draft" in page
        assert f"{TITLE} 2024/25 Published 10 Feb 2025" in page
        assert ("Start an annual report" in page) == (role != "chair")
    for role in ("scrutiny", "police_officer", "council_officer"):
        client.force_login(personas.by_role(role))
        page = text(client.get(url))
        assert draft_title not in page
        assert f"{TITLE} 2024/25 Published 10 Feb 2025" in page
        assert "Start an annual report" not in page


def test_the_list_of_a_partnership_without_reports_says_so(client, personas: Personas):
    client.force_login(personas.scrutiny)
    assert "There are no annual reports to show yet." in text(
        client.get(reverse("actionplans:reports", args=[personas.csp.slug]))
    )


# --- The permission functions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("admin", None),
        ("manager", None),
        ("chair", None),
        ("police_officer", None),
        ("council_officer", None),
        ("scrutiny", None),
        ("county_member", PermissionDenied),
        ("outsider", Http404),
        ("nobody", Http404),
    ],
)
def test_get_dashboard_partnership(personas: Personas, role: str, outcome: type[Exception] | None):
    user = personas.by_role(role)
    if outcome is None:
        assert permissions.get_dashboard_partnership(user, personas.csp.slug) == personas.csp
        assert permissions.get_dashboard_partnership(user, personas.csp.ons_code) == personas.csp
    else:
        with pytest.raises(outcome):
            permissions.get_dashboard_partnership(user, personas.csp.slug)


def test_get_dashboard_partnership_refuses_a_county_group_and_reaches_thematic_groups(personas: Personas):
    group = PartnershipFactory(kind=PartnershipKind.THEMATIC_GROUP, ons_code=None, parent=personas.csp)
    for role in ("county_member", "admin"):
        with pytest.raises(Http404):
            permissions.get_dashboard_partnership(personas.by_role(role), personas.county.slug)
    assert permissions.get_dashboard_partnership(personas.scrutiny, group.slug) == group
    with pytest.raises(PermissionDenied):
        permissions.get_dashboard_partnership(personas.county_member, group.slug)


def test_get_county_for_user_and_can_read_roll_up(personas: Personas):
    officer = RoleFactory(partnership=personas.county, organisation=personas.police, role=Role.PARTNER_OFFICER).person
    for user in (personas.county_member, personas.admin, officer):
        assert permissions.get_county_for_user(user, personas.county.slug) == personas.county
        assert permissions.can_read_roll_up(user, personas.county)
    for role in ("manager", "chair", "police_officer", "scrutiny", "outsider", "nobody"):
        assert not permissions.can_read_roll_up(personas.by_role(role), personas.county)
        with pytest.raises(Http404):
            permissions.get_county_for_user(personas.by_role(role), personas.county.slug)
    # A CSP has no roll-up, even for an administrator.
    with pytest.raises(Http404):
        permissions.get_county_for_user(personas.admin, personas.csp.slug)


def test_can_write_reports_is_for_a_csps_managers_and_administrators(personas: Personas):
    group = PartnershipFactory(kind=PartnershipKind.THEMATIC_GROUP, ons_code=None, parent=personas.csp)
    assert permissions.can_write_reports(personas.manager, personas.csp)
    assert permissions.can_write_reports(personas.admin, personas.csp)
    for role in ("chair", "police_officer", "council_officer", "scrutiny", "county_member", "outsider", "nobody"):
        assert not permissions.can_write_reports(personas.by_role(role), personas.csp), role
    assert not permissions.can_write_reports(personas.manager, group)
    assert not permissions.can_write_reports(personas.admin, personas.county)


def test_visible_annual_reports(personas: Personas, report: AnnualReport):
    draft = services.annual_report_create(actor=personas.manager, partnership=personas.csp, plan=report.plan, year=2025)
    publish(personas, report)
    hillford = PlanFactory(
        partnership=personas.other_csp,
        status=PlanStatus.ADOPTED,
        adopted_on=date(2024, 3, 1),
        adopted_by_body="Council",
    )
    theirs = services.annual_report_create(
        actor=personas.outsider, partnership=personas.other_csp, plan=hillford, year=2024
    )
    expected = {
        "admin": {report, draft, theirs},
        "manager": {report, draft},
        "chair": {report, draft},
        "police_officer": {report},
        "council_officer": {report},
        "scrutiny": {report},
        "county_member": set(),
        "outsider": {theirs},
        "nobody": set(),
    }
    assert {role: set(permissions.visible_annual_reports(personas.by_role(role))) for role in expected} == expected


def test_get_annual_report_for_user(personas: Personas, report: AnnualReport):
    assert permissions.get_annual_report_for_user(personas.chair, report.pk) == report
    assert permissions.get_annual_report_for_user(personas.manager, report.pk, for_write=True) == report
    with pytest.raises(PermissionDenied):
        permissions.get_annual_report_for_user(personas.chair, report.pk, for_write=True)
    with pytest.raises(Http404):
        permissions.get_annual_report_for_user(personas.scrutiny, report.pk)
    with pytest.raises(Http404):
        permissions.get_annual_report_for_user(personas.manager, report.pk + 1000)
    publish(personas, report)
    assert permissions.get_annual_report_for_user(personas.scrutiny, report.pk) == report
    with pytest.raises(PermissionDenied):
        permissions.get_annual_report_for_user(personas.scrutiny, report.pk, for_write=True)


# --- The forms ----------------------------------------------------------------------------------------------


def _years(personas: Personas) -> list[tuple[int, PartnershipPlan]]:
    return plan_choices(PartnershipPlan.objects.filter(partnership=personas.csp))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, {"year": ["Choose the year the report covers"]}),
        ({"year": "2023"}, {"year": ["Choose one of the years listed"]}),
        ({"year": "twenty"}, {"year": ["Choose one of the years listed"]}),
        ({"year": "2024", "committee": "c" * 201}, {"committee": ["Committee must be 200 characters or fewer"]}),
    ],
)
def test_start_form_rejects_bad_input(personas: Personas, world: World, data: dict[str, str], expected: Any):
    form = ReportStartForm(data, years=_years(personas))
    assert not form.is_valid()
    assert form.errors == expected


def test_start_form_gives_the_year_and_its_plan(personas: Personas, world: World):
    form = ReportStartForm({"year": "2025", "committee": "Place Scrutiny"}, years=_years(personas))
    assert form.is_valid()
    assert form.cleaned_data == {"year": 2025, "committee": "Place Scrutiny"}
    assert form.plans[2025] == world.plan


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"version": "1"}, {"title": ["Enter a title"]}),
        ({"title": "T" * 201, "version": "1"}, {"title": ["Title must be 200 characters or fewer"]}),
        (
            {"title": "T", "summary": "s" * 20001, "version": "1"},
            {"summary": ["Summary must be 20,000 characters or fewer"]},
        ),
        ({"title": "T"}, {"__all__": [STALE_PAGE]}),
        # A version that is not a number is a page out of date too (the hidden field's error is not shown).
        ({"title": "T", "version": "one"}, {"__all__": [STALE_PAGE]}),
    ],
)
def test_report_form_rejects_bad_input(data: dict[str, str], expected: Any):
    form = ReportForm(data)
    assert not form.is_valid()
    assert form.errors == expected


def test_report_form_accepts_the_narrative(db):
    form = ReportForm({"title": " A title ", "summary": "S", "version": "3"})
    assert form.is_valid()
    assert form.cleaned_data == {
        "title": "A title",
        "committee": "",
        "summary": "S",
        "successes": "",
        "year_ahead": "",
        "recommendations": "",
        "version": 3,
    }


def test_publish_form_needs_the_version_it_was_opened_at(db):
    assert PublishForm({"version": "4"}).is_valid()
    form = PublishForm({})
    assert not form.is_valid()
    assert form.errors == {"__all__": [STALE_PAGE]}
