"""Writing and publishing annual reports (one transaction each; stale edits refused, never overwritten)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplans.dashboard import plan_choices, year_bounds, year_label
from actionplans.models import AnnualReport, AnnualReportStatus
from actionplans.reports.contents import report_contents
from actionplans.services import StaleEdit
from csp_portal.history import adopt, save_as
from partnerships.models import Partnership, User
from priorities.models import PartnershipPlan, PlanStatus

REPORTABLE_PLANS = (PlanStatus.ADOPTED, PlanStatus.SUPERSEDED)
NARRATIVE = ("summary", "successes", "year_ahead", "recommendations")


def annual_report_create(
    *, actor: User | None, partnership: Partnership, plan: PartnershipPlan, year: int, committee: str = ""
) -> AnnualReport:
    """Start a draft report on one financial year of an adopted plan (one report per partnership a year)."""
    if plan.partnership_id != partnership.pk or plan.status not in REPORTABLE_PLANS:
        raise ValidationError({"plan": "Choose one of this partnership's adopted plans"})
    if year not in dict(plan_choices(PartnershipPlan.objects.filter(pk=plan.pk))):
        raise ValidationError({"year": f"Choose a year that {plan.title} covers"})
    start, end = year_bounds(year)
    with transaction.atomic():
        if AnnualReport.objects.filter(partnership=partnership, period_start=start).exists():
            raise ValidationError({"year": f"There is already an annual report for {year_label(year)}"})
        report = AnnualReport(
            partnership=partnership,
            plan=plan,
            title=f"{partnership.name}: annual report to the crime and disorder committee {year_label(year)}",
            period_start=start,
            period_end=end,
            committee=committee.strip(),
        )
        save_as(report, actor)
    return report


def _locked(report: AnnualReport, version: int) -> AnnualReport:
    current = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if current.version != version:
        raise StaleEdit(current)
    if current.status == AnnualReportStatus.PUBLISHED:
        raise ValidationError("This report has been published and can no longer be changed")
    return current


def annual_report_update(
    *, actor: User | None, report: AnnualReport, version: int, title: str, committee: str, **narrative: Any
) -> AnnualReport:
    """Change a draft's title, committee and narrative sections."""
    unknown = set(narrative) - set(NARRATIVE)
    if unknown:
        raise ValueError(f"Not narrative sections: {sorted(unknown)}")
    if not title.strip():
        raise ValidationError({"title": "Enter a title"})
    with transaction.atomic():
        current = _locked(report, version)
        current.title = title.strip()
        current.committee = committee.strip()
        for name, text in narrative.items():
            setattr(current, name, text.strip())
        current.version += 1
        save_as(current, actor)
    adopt(report, current)
    return report


def annual_report_publish(*, actor: User | None, report: AnnualReport, version: int) -> AnnualReport:
    """Publish a draft: its figures are generated one last time and frozen with its narrative."""
    with transaction.atomic():
        current = _locked(report, version)
        if not current.summary.strip():
            raise ValidationError({"summary": "Write the summary before publishing the report"})
        current.partnership = report.partnership
        current.plan = report.plan
        current.contents = report_contents(current)
        current.status = AnnualReportStatus.PUBLISHED
        current.published_at = timezone.now()
        current.published_by = actor
        current.version += 1
        save_as(current, actor)
    adopt(report, current)
    return report
