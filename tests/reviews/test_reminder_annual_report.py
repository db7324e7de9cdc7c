"""The annual report reminder: the crime and disorder committee meets at least once in every 12 months
(DOMAIN.md L9), so a CSP's managers are reminded 60 and 30 days before a year has passed since its last
published annual report. Same harness as test_reminder_planner.py (the planner each morning, clock pinned).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse

from actionplans.models import AnnualReport, AnnualReportStatus
from partnerships.models import Role
from priorities.models import PartnershipPlan, PlanStatus
from reviews.reminders.models import Reminder, ReminderKind, ReminderOffsets, ReminderOptOut
from tests.conftest import Personas
from tests.factories import PlanFactory
from tests.reviews.test_reminder_planner import LONDON, MANAGER, end_role, every_day, on, reminded, run

K = ReminderKind

pytestmark = pytest.mark.django_db


def report(personas: Personas, year: int, published: date | None) -> AnnualReport:
    plan = PartnershipPlan.objects.filter(partnership=personas.csp).first() or PlanFactory(
        partnership=personas.csp,
        status=PlanStatus.ADOPTED,
        adopted_on=on("2024-06-01"),
        adopted_by_body="Full Council",
        start_year=2024,
        end_year=2027,
    )
    return AnnualReport.objects.create(
        partnership=personas.csp,
        plan=plan,
        title=f"Annual report {year}",
        period_start=date(year, 4, 1),
        period_end=date(year + 1, 3, 31),
        status=AnnualReportStatus.PUBLISHED if published else AnnualReportStatus.DRAFT,
        contents={} if published else None,
        published_at=datetime(published.year, published.month, published.day, 15, tzinfo=LONDON) if published else None,
    )


def test_managers_are_reminded_60_and_30_days_before_a_year_since_the_last_report(personas: Personas) -> None:
    published = report(personas, 2024, on("2025-07-10"))
    run(every_day("2026-05-09", "2026-06-12"))
    assert reminded(K.ANNUAL_REPORT) == {
        (MANAGER, K.ANNUAL_REPORT, "before-60:2026-07-10", on("2026-05-11")),
        (MANAGER, K.ANNUAL_REPORT, "before-30:2026-07-10", on("2026-06-10")),
    }
    reminder = Reminder.objects.filter(kind=K.ANNUAL_REPORT).first()
    assert reminder is not None
    assert reminder.item == f"annual_report:{published.pk}"
    assert reminder.path == reverse("actionplans:reports", args=[personas.csp.slug])
    assert "10 July 2026" in reminder.title


def test_the_latest_published_report_counts_and_drafts_do_not(personas: Personas) -> None:
    report(personas, 2023, on("2024-07-01"))
    latest = report(personas, 2024, on("2025-07-10"))
    report(personas, 2025, None)  # a draft is not a report to the committee yet
    run([on("2024-05-02"), on("2026-05-11")])
    assert set(Reminder.objects.filter(kind=K.ANNUAL_REPORT).values_list("item", flat=True)) == {
        f"annual_report:{latest.pk}"
    }


def test_no_reminder_without_a_published_report_or_after_the_due_date(personas: Personas) -> None:
    report(personas, 2024, None)
    run([on("2026-05-11")])
    assert not Reminder.objects.exists()
    report(personas, 2023, on("2024-07-10"))
    run([on("2025-07-11")])  # the day after it fell due: too late for "before" windows
    assert not Reminder.objects.filter(kind=K.ANNUAL_REPORT).exists()


def test_partnership_days_apply_and_the_reminder_cannot_be_switched_off(personas: Personas) -> None:
    report(personas, 2024, on("2025-07-10"))
    ReminderOffsets.objects.create(partnership=personas.csp, kind=K.ANNUAL_REPORT, days_before=[14])
    ReminderOptOut.objects.create(person=personas.manager, kind=K.ANNUAL_REPORT)
    run(every_day("2026-05-11", "2026-06-26"))
    assert reminded(K.ANNUAL_REPORT) == {(MANAGER, K.ANNUAL_REPORT, "before-14:2026-07-10", on("2026-06-26"))}


def test_no_reminder_to_a_manager_who_left_or_to_the_chair(personas: Personas) -> None:
    report(personas, 2024, on("2025-07-10"))
    end_role(personas.manager, Role.MANAGER, "2026-05-01")
    run([on("2026-05-11")])
    assert not Reminder.objects.exists()
