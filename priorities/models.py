"""Strategic assessments (crime data, consultation, risk scoring) and three-year partnership plans.

Changes go through priorities/services.py. History of every change to assessments, plans, priorities
and measures is kept by django-simple-history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from partnerships.models import Partnership
from priorities.policeuk import CrimeCategory


class CrimeCount(models.Model):
    """Recorded crimes of one category, in one neighbourhood (LSOA), in one month, for one partnership.

    Filled from police.uk street-level files. A file is per force per month, so re-importing a month
    replaces the counts of (partnership, month, reporting force).
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="crime_counts")
    month = models.DateField(help_text="The first day of the month")
    reported_by = models.CharField(max_length=100)
    category = models.CharField(max_length=40, choices=CrimeCategory.choices)
    lsoa_code = models.CharField("LSOA code", max_length=9)
    lsoa_name = models.CharField("LSOA name", max_length=100)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "month", "reported_by", "category", "lsoa_code"],
                name="crime_count_unique_cell",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="crime_count_month_is_first_day"),
        ]
        indexes = [
            # Serves the crime profile: one partnership's counts over a range of months.
            models.Index(fields=["partnership", "month", "category"], name="crime_count_profile_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} in {self.lsoa_name}, {self.month:%B %Y}: {self.count}"


class CrimeImport(models.Model):
    """A record of one import of police.uk files: who, when, and what happened to every row."""

    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    scope = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="crime_imports",
        help_text="The partnership (or county group, for a force-wide file) the files were imported for.",
    )
    files = models.TextField()
    rows_read = models.PositiveIntegerField()
    rows_outside = models.PositiveIntegerField(help_text="Rows in districts outside the partnership(s)")
    rows_no_location = models.PositiveIntegerField(help_text="Rows without an LSOA")
    months = models.JSONField(default=list)
    summary = models.JSONField(default=dict, help_text="Rows per partnership and category")

    class Meta:
        ordering = ("-imported_at",)

    def __str__(self) -> str:
        return f"Import of {self.files} ({self.imported_at:%-d %B %Y})"


class LocalDataValue(models.Model):
    """A figure entered by hand from another source (ASB, fire, health …) for a period."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="local_data")
    source = models.CharField(max_length=150, help_text="e.g. Essex County Fire and Rescue Service")
    indicator = models.CharField(max_length=150, help_text="e.g. Deliberate secondary fires")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ("indicator", "period_start")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="local_data_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.source}): {self.value}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared with partners"
    APPROVED = "approved", "Approved"


class StrategicAssessment(models.Model):
    """A partnership's annual strategic assessment, e.g. 2024/25 with data from Oct 2023 to Sep 2024."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField(help_text="The first calendar year of the year it covers: 2024 for 2024/25")
    title = models.CharField(max_length=200)
    period_start = models.DateField("data from", help_text="First month of the data window")
    period_end = models.DateField("data to", help_text="Last month of the data window")
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; detects concurrent edits")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("-year",)
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="assessment_one_per_partnership_year"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="assessment_period_in_order"),
            models.CheckConstraint(
                condition=Q(period_start__day=1) & Q(period_end__day=1), name="assessment_period_whole_months"
            ),
            models.CheckConstraint(
                condition=~Q(status=AssessmentStatus.APPROVED) | Q(approved_at__isnull=False),
                name="assessment_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def is_approved(self) -> bool:
        return self.status == AssessmentStatus.APPROVED


class Trend(models.TextChoices):
    RISING = "rising", "Rising"
    STABLE = "stable", "Stable"
    FALLING = "falling", "Falling"


class CandidateIssue(models.Model):
    """An issue scored for risk and harm in an assessment (the matrix is in DOMAIN.md §3.1)."""

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=40, choices=CrimeCategory.choices, blank=True)
    evidence = models.TextField(blank=True)
    harm = models.PositiveSmallIntegerField(help_text="1 (low) to 4 (severe)")
    likelihood = models.PositiveSmallIntegerField(help_text="1 (rare) to 4 (almost certain)")
    trend = models.CharField(max_length=10, choices=Trend.choices, default=Trend.STABLE)
    recommended = models.BooleanField(default=False, help_text="Recommended as a priority")

    history = HistoricalRecords()

    class Meta:
        ordering = ("title",)
        constraints = [
            models.CheckConstraint(condition=Q(harm__gte=1, harm__lte=4), name="issue_harm_1_to_4"),
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=4), name="issue_likelihood_1_to_4"),
            models.UniqueConstraint(fields=["assessment", "title"], name="issue_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class ConsultationKind(models.TextChoices):
    SURVEY = "survey", "Survey"
    EVENT = "event", "Engagement event"
    PUBLIC_MEETING = "public_meeting", "Public meeting"


class ConsultationEvent(models.Model):
    """A survey or engagement event whose results feed the assessment (2007 regulations, reg 12)."""

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(max_length=20, choices=ConsultationKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    respondents = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("held_on", "title")

    def __str__(self) -> str:
        return self.title


class ConsultationResult(models.Model):
    """One question's result, e.g. "I feel safe in my area after dark": 54% agree of 1,210."""

    event = models.ForeignKey(ConsultationEvent, on_delete=models.CASCADE, related_name="results")
    question = models.CharField(max_length=300)
    percent_agreeing = models.DecimalField(max_digits=5, decimal_places=1)
    respondents = models.PositiveIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_agreeing__gte=0, percent_agreeing__lte=100), name="result_percent_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.percent_agreeing}%"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Out for consultation"
    ADOPTED = "adopted", "Adopted"
    SUPERSEDED = "superseded", "Superseded"


class PartnershipPlan(models.Model):
    """A three-year partnership plan (community safety strategy), e.g. 2022–2025, refreshed yearly."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=200)
    start_year = models.PositiveSmallIntegerField(help_text="First year of the plan: 2022 for 2022–2025")
    end_year = models.PositiveSmallIntegerField()
    vision = models.TextField(blank=True)
    assessments = models.ManyToManyField(StrategicAssessment, blank=True, related_name="plans")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    adopted_on = models.DateField(null=True, blank=True)
    adopted_by_body = models.CharField(max_length=200, blank=True, help_text='e.g. "Full Council"')
    adoption_notes = models.TextField(
        blank=True, help_text="Decisions on the way to adoption, e.g. Cabinet, 13 September 2022 (item 8)"
    )
    superseded_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; detects concurrent edits")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[assessments])

    class Meta:
        ordering = ("-start_year", "title")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="plan_years_in_order"),
            models.CheckConstraint(
                condition=~Q(status__in=["adopted", "superseded"]) | Q(adopted_on__isnull=False),
                name="plan_adopted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["adopted", "superseded"]) | ~Q(adopted_by_body=""),
                name="plan_adopted_has_body",
            ),
            # One plan in force per partnership: adopting a newer plan supersedes the old one first.
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(status="adopted"), name="plan_one_adopted_per_partnership"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def years(self) -> list[int]:
        """The years of the period, each reviewed once: 2022, 2023 and 2024 for 2022–2025 (April to March)."""
        return list(range(self.start_year, max(self.end_year, self.start_year + 1)))


class Alignment(models.TextChoices):
    NATIONAL = "national", "National"
    COUNTY = "county", "Regional or county"
    PCC = "pcc", "Police and crime plan"


class StrategyStrand(models.TextChoices):
    """The strands of a CSP strategy in the Crime and Disorder Act 1998 s6 (DOMAIN.md L3)."""

    CRIME_DISORDER = "crime_disorder", "Crime and disorder"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    REOFFENDING = "reoffending", "Reoffending"
    SERIOUS_VIOLENCE = "serious_violence", "Serious violence"


class Theme(models.TextChoices):
    """Themes that let a county group see its CSPs' shared priorities side by side."""

    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse and VAWG"
    ASB = "asb", "Anti-social behaviour"
    ACQUISITIVE = "acquisitive", "Serious acquisitive crime"
    VIOLENCE = "violence", "Violence and serious violence"
    HATE_CRIME = "hate_crime", "Hate crime"
    DRUGS_ALCOHOL = "drugs_alcohol", "Drugs and alcohol"
    REOFFENDING = "reoffending", "Reoffending"
    EXPLOITATION = "exploitation", "Exploitation and vulnerability"
    EXTREMISM = "extremism", "Extremism and terrorism"
    COMMUNITY = "community", "Community confidence and safety"
    OTHER = "other", "Other"


class PriorityStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    RETIRED = "retired", "Retired"


class Priority(models.Model):
    """A priority of a plan: what it aims at and how it will be achieved."""

    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    aim = models.TextField()
    how_achieved = models.TextField("how it will be achieved", blank=True)
    theme = models.CharField(max_length=30, choices=Theme.choices, default=Theme.OTHER)
    strand = models.CharField(max_length=30, choices=StrategyStrand.choices, default=StrategyStrand.CRIME_DISORDER)
    alignment = models.JSONField(default=list, blank=True, help_text="Alignment values (national, county, pcc)")
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=PriorityStatus.choices, default=PriorityStatus.ACTIVE)

    history = HistoricalRecords()

    class Meta:
        ordering = ("position", "id")
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="priority_unique_title_in_plan"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def alignment_labels(self) -> list[str]:
        labels = dict(Alignment.choices)
        return [str(labels[value]) for value in self.alignment if value in labels]


class Direction(models.TextChoices):
    UP = "up", "Up is good"
    DOWN = "down", "Down is good"


class OutcomeMeasure(models.Model):
    """How a priority's success is measured: baseline, target, direction and periodic values."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=50, help_text='e.g. "crimes", "%", "per 1,000 people"')
    data_source = models.CharField(max_length=150)
    baseline = models.DecimalField(max_digits=12, decimal_places=2)
    baseline_date = models.DateField()
    target = models.DecimalField(max_digits=12, decimal_places=2)
    target_date = models.DateField()
    direction = models.CharField(max_length=4, choices=Direction.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__gt=F("baseline_date")), name="measure_target_after_baseline"
            ),
            models.CheckConstraint(
                condition=(Q(direction="down") & Q(target__lte=F("baseline")))
                | (Q(direction="up") & Q(target__gte=F("baseline"))),
                name="measure_target_in_direction",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MeasureValue(models.Model):
    """An actual value of a measure for a period ending on a date."""

    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.CASCADE, related_name="values")
    period_end = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ("period_end",)
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_end"], name="measure_value_one_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} to {self.period_end:%-d %B %Y}"


class PlanReview(models.Model):
    """The annual review of a plan against a new strategic assessment."""

    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField()
    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.PROTECT, null=True, blank=True)
    reviewed_on = models.DateField()
    summary = models.TextField()
    # Empty when the portal recorded it (a past plan loaded from the partnership's documents).
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("year",)
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="plan_review_one_per_year")]

    def __str__(self) -> str:
        return f"Review {self.year} of {self.plan}"

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"


class PriorityChangeKind(models.TextChoices):
    KEPT = "kept", "Kept"
    CHANGED = "changed", "Changed"
    ADDED = "added", "Added"
    RETIRED = "retired", "Retired"


class PriorityChange(models.Model):
    """What an annual review decided about one priority, and why."""

    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="changes")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="review_changes")
    kind = models.CharField(max_length=10, choices=PriorityChangeKind.choices)
    reason = models.TextField()
    previous_title = models.CharField(
        max_length=200, blank=True, help_text="The priority's title before the review changed it"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "priority"], name="priority_change_once_per_review")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.priority}"


class AssessmentComment(models.Model):
    """A partner's comment on an assessment shared with partners for review."""

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.assessment}"
