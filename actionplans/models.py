"""Action plans: SMART actions under a plan's priorities, kept up to date by partner officers.

Changes go through actionplans/services.py. Every change to plans, actions, milestones, budget lines
and progress updates is recorded by django-simple-history (who, when, what).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from partnerships.models import Organisation, Partnership
from priorities.models import OutcomeMeasure, PartnershipPlan, Priority


class ActionPlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    CLOSED = "closed", "Closed"


class ActionPlan(models.Model):
    """A partnership's action plan for a period, e.g. "Community Safety Action Plan 2024–2027"."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="action_plans")
    plan = models.ForeignKey(
        PartnershipPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plans",
        help_text="The partnership plan (strategy) whose priorities the actions serve",
    )
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=ActionPlanStatus.choices, default=ActionPlanStatus.DRAFT)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.CharField(
        max_length=200, blank=True, help_text='The group that signed it off, e.g. "Responsible Authorities Group"'
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; detects concurrent edits")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("-period_start", "title")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="action_plan_period_in_order"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_on__isnull=False), name="action_plan_agreed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"
    DEFERRED = "deferred", "Deferred"


class Rag(models.TextChoices):
    """The RAG an action's lead officer reports (DOMAIN.md §3.3, the portal's default scheme)."""

    RED = "red", "Red: missed or will miss its due date or target; needs escalation"
    AMBER = "amber", "Amber: at risk; slipping but recoverable"
    GREEN = "green", "Green: on track"


class Action(models.Model):
    """A SMART action with a lead organisation and officer, dates, milestones, budget and progress."""

    action_plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    reference = models.CharField(max_length=20, help_text='e.g. "2.3"')
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="What will be done, and why")
    lead_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="led_actions")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="led_actions"
    )
    supporting_organisations = models.ManyToManyField(Organisation, blank=True, related_name="supported_actions")
    outcome_measures = models.ManyToManyField(OutcomeMeasure, blank=True, related_name="actions")
    start_date = models.DateField()
    due_date = models.DateField()
    status = models.CharField(max_length=15, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    # The latest progress update's RAG and figures, kept on the action so lists need no subquery.
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    percent_complete = models.PositiveSmallIntegerField(default=0)
    last_update_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; detects concurrent edits")

    history = HistoricalRecords(m2m_fields=[supporting_organisations, outcome_measures])

    class Meta:
        ordering = ("action_plan", "reference", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(due_date__gte=F("start_date")), name="action_dates_in_order"),
            models.CheckConstraint(
                condition=Q(rag__in=["", "red", "amber", "green"]), name="action_rag_allowed_values"
            ),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="action_percent_at_most_100"),
            models.UniqueConstraint(fields=["action_plan", "reference"], name="action_unique_reference_in_plan"),
        ]
        indexes = [
            # Serves "my actions": the open actions an organisation leads, soonest due first.
            models.Index(
                fields=["lead_organisation", "due_date"],
                name="action_open_by_lead_idx",
                condition=Q(status__in=["not_started", "in_progress", "deferred"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("due_date", "pk")

    def __str__(self) -> str:
        return self.title


class FundingSource(models.TextChoices):
    HOME_OFFICE = "home_office", "Home Office"
    PCC = "pcc", "Police, fire and crime commissioner"
    COUNCIL = "council", "Council"
    GRANT = "grant", "Other grant"
    PARTNER = "partner", "Partner contribution"


class BudgetLine(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.CharField(max_length=20, choices=FundingSource.choices)
    grant_name = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    spent_to_date = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
            models.CheckConstraint(condition=Q(spent_to_date__gte=0), name="budget_spent_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: £{self.amount:,.2f}"


class ProgressReport(models.Model):
    """A lead's report on tracked work: RAG with its reason, percentage complete, evidence.

    Actions' progress updates and domestic homicide review recommendations' updates share it, so both
    are reported and shown the same way.
    """

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    rag = models.CharField(max_length=10, choices=Rag.choices)
    narrative = models.TextField()
    percent_complete = models.PositiveSmallIntegerField()
    evidence_links = models.TextField(blank=True, help_text="One web address per line")

    class Meta:
        abstract = True

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


class ProgressUpdate(ProgressReport):
    """A lead officer's report on an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")

    history = HistoricalRecords()

    class Meta:
        ordering = ("-reported_on", "-created_at")
        constraints = [
            models.CheckConstraint(condition=Q(rag__in=["red", "amber", "green"]), name="update_rag_allowed_values"),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="update_percent_at_most_100"),
        ]
        indexes = [
            # Serves the action page's timeline: one action's updates, newest first.
            models.Index(fields=["action", "-reported_on"], name="update_timeline_idx"),
        ]

    def __str__(self) -> str:
        return f"Update on {self.action} ({self.reported_on:%-d %B %Y})"


class AnnualReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class AnnualReport(models.Model):
    """The partnership's annual report to the council's crime and disorder committee (DOMAIN.md L9).

    While a draft, its tables are generated from the live data every time it is shown. Publishing freezes
    them: `contents` keeps the generated figures, and the narrative is no longer editable, so later
    changes to actions do not change what the committee was given.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="annual_reports")
    plan = models.ForeignKey(PartnershipPlan, on_delete=models.PROTECT, related_name="annual_reports")
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    committee = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Place Scrutiny Committee, Southend-on-Sea City Council"'
    )
    # The narrative the manager writes; the rest of the report is generated from the data.
    summary = models.TextField(blank=True)
    successes = models.TextField(blank=True)
    year_ahead = models.TextField(blank=True)
    recommendations = models.TextField("recommendations to the committee", blank=True)
    status = models.CharField(max_length=10, choices=AnnualReportStatus.choices, default=AnnualReportStatus.DRAFT)
    contents = models.JSONField(null=True, blank=True, help_text="The generated figures, frozen on publication")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; detects concurrent edits")

    history = HistoricalRecords()

    class Meta:
        ordering = ("-period_start", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="annual_report_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False, contents__isnull=False),
                name="annual_report_published_is_frozen",
            ),
            models.UniqueConstraint(
                fields=["partnership", "period_start"], name="annual_report_one_per_partnership_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == AnnualReportStatus.PUBLISHED
