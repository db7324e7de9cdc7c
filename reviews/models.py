"""Domestic homicide reviews: the case, its stages and pauses, panel, agencies, family contact,
documents, the access log, and recommendations tracked to closure.

Need to know: a review is seen only by its partnership's review lead, chair and appointed panel
(reviews/permissions.py). Pseudonyms only, never real names; age bands, never dates of birth.
Changes go through reviews/services.py and are recorded by django-simple-history; every view and
download is recorded in AccessLogEntry.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils.deconstruct import deconstructible
from simple_history.models import HistoricalRecords

from actionplans.models import ProgressReport, Rag
from partnerships.models import Organisation, Partnership
from reviews.choices import (
    AccessKind,
    AgeBand,
    CauseOfDeath,
    Consent,
    ContactMethod,
    CourtVerdict,
    Decision,
    DocumentKind,
    Ethnicity,
    LocationType,
    PanelRole,
    PauseReason,
    QaOutcome,
    RecommendationScope,
    RecommendationStatus,
    Relationship,
    Religion,
    ReviewType,
    Sex,
    SexualOrientation,
    Stage,
    YesNoUnknown,
)


@deconstructible
class ReviewDocumentStorage(FileSystemStorage):
    """Review documents live under settings.REVIEW_DOCUMENTS_ROOT, outside the web root.

    No URL serves that folder: files go out only through the permission-checked download view.
    The location is read from settings on every use, so tests can point it at a temporary folder.
    """

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:
        return str(settings.REVIEW_DOCUMENTS_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


class ReviewRules(models.Model):
    """A partnership's deadline rules for its reviews (defaults: DOMAIN.md §2.2 and §7)."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="review_rules")
    decision_months = models.PositiveSmallIntegerField(
        default=1, help_text="Months from notification to the chair's decision"
    )
    home_office_days = models.PositiveSmallIntegerField(
        default=0, help_text="Days from the decision to notifying the Home Office (0: with the decision)"
    )
    completion_months = models.PositiveSmallIntegerField(
        default=6, help_text="Months from the decision to hold a review to submitting it for quality assurance"
    )
    publication_months = models.PositiveSmallIntegerField(
        default=12, help_text="Months a published report stays online before it may be taken down"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "review rules"
        constraints = [
            models.CheckConstraint(condition=Q(decision_months__gte=1), name="review_rules_decision_at_least_1"),
            models.CheckConstraint(condition=Q(completion_months__gte=1), name="review_rules_completion_at_least_1"),
        ]

    def __str__(self) -> str:
        return f"Review rules for {self.partnership}"


class Review(models.Model):
    """One domestic homicide review, from notification to closure."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="reviews")
    co_commissioners = models.ManyToManyField(
        Partnership, blank=True, related_name="co_commissioned_reviews", help_text="Other CSPs commissioning it"
    )
    reference = models.CharField(max_length=30, help_text='The partnership\'s own reference, e.g. "DHR 2026/01"')
    review_type = models.CharField(max_length=20, choices=ReviewType.choices, default=ReviewType.STANDARD)
    protective_marking = models.CharField(max_length=40, default="OFFICIAL-SENSITIVE")
    sharing_agreement = models.CharField(
        max_length=100, blank=True, help_text="Reference of the information sharing agreement that covers it"
    )

    # Notification and the case (pseudonyms only; age bands, never dates of birth).
    notified_on = models.DateField(help_text="When the death came to the partnership's attention")
    notified_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="Source agency"
    )
    date_of_death = models.DateField(null=True, blank=True)
    location_type = models.CharField(max_length=20, choices=LocationType.choices, default=LocationType.NOT_KNOWN)
    cause_of_death = models.CharField(max_length=30, choices=CauseOfDeath.choices, blank=True)
    victim_pseudonym = models.CharField(max_length=100)
    perpetrator_pseudonym = models.CharField(max_length=100, blank=True)
    other_pseudonyms = models.TextField(blank=True, help_text="Others named in the review, one on each line")
    incident_flags = models.JSONField(default=list, blank=True)

    victim_age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    victim_sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    victim_sexual_orientation = models.CharField(max_length=20, choices=SexualOrientation.choices, blank=True)
    victim_ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)
    victim_religion = models.CharField(max_length=10, choices=Religion.choices, blank=True)
    victim_relationship = models.CharField(
        max_length=20,
        choices=Relationship.choices,
        blank=True,
        help_text="The victim's relationship to the perpetrator",
    )
    victim_suicide = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    victim_carer = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    victim_previous_offences = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    victim_mental_health = models.JSONField(default=list, blank=True)
    victim_vulnerabilities = models.JSONField(default=list, blank=True)

    perpetrator_age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    perpetrator_sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    perpetrator_sexual_orientation = models.CharField(max_length=20, choices=SexualOrientation.choices, blank=True)
    perpetrator_ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)
    perpetrator_religion = models.CharField(max_length=10, choices=Religion.choices, blank=True)
    perpetrator_carer = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN, help_text="A carer for the victim"
    )
    perpetrator_previous_offences = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    perpetrator_mental_health = models.JSONField(default=list, blank=True)
    perpetrator_vulnerabilities = models.JSONField(default=list, blank=True)
    court_verdict = models.CharField(max_length=30, choices=CourtVerdict.choices, blank=True)

    parallel_proceedings = models.TextField(blank=True, help_text="Criminal trial, inquest, IOPC, SAR or CSPR")
    trial_on = models.DateField(null=True, blank=True)
    inquest_on = models.DateField(null=True, blank=True)

    # The process: one field per step, set by the step's service function.
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.NOTIFIED)
    scoping_started_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    home_office_notified_on = models.DateField(null=True, blank=True)
    home_office_response = models.TextField(blank=True)
    directed_by_secretary_of_state = models.BooleanField(default=False)
    completion_months = models.PositiveSmallIntegerField(
        default=6, help_text="Months from the decision to submission for quality assurance (6, or 12)"
    )
    commissioned_on = models.DateField(null=True, blank=True)
    independent_chair = models.CharField(max_length=200, blank=True)
    chair_certified = models.BooleanField(
        default=False, help_text="The independent chair holds the Certificate in Chairing a DHR"
    )
    author = models.CharField(max_length=200, blank=True, help_text="If not the independent chair")
    terms_version = models.CharField(max_length=20, blank=True)
    terms_agreed_on = models.DateField(null=True, blank=True)
    period_start = models.DateField(null=True, blank=True, help_text="Start of the period under review")
    period_end = models.DateField(null=True, blank=True)
    information_started_on = models.DateField(null=True, blank=True)
    drafting_started_on = models.DateField(null=True, blank=True)
    signed_off_on = models.DateField(null=True, blank=True)
    qa_approved_on = models.DateField(null=True, blank=True, help_text="Date of the Home Office approval letter")
    commissioner_submitted_on = models.DateField(
        null=True, blank=True, help_text="Sent to the Secretary of State and the Domestic Abuse Commissioner"
    )
    published_on = models.DateField(null=True, blank=True)
    publication_url = models.URLField(blank=True)
    takedown_on = models.DateField(null=True, blank=True, help_text="Not before this date")
    taken_down_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closure_note = models.TextField(blank=True)

    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; detects concurrent edits")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[co_commissioners])

    class Meta:
        ordering = ("-notified_on", "reference")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="review_unique_reference"),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("notified_on")),
                name="review_decided_after_notified",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_on__isnull=False), name="review_decision_has_date"
            ),
            models.CheckConstraint(condition=Q(completion_months__gte=1), name="review_completion_at_least_1"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED


class StageChange(models.Model):
    """A recorded transition: who moved the review to which stage, when, and why."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage.choices)
    effective_on = models.DateField(help_text="The date the step happened")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("changed_at", "pk")

    def __str__(self) -> str:
        return f"{self.review}: {self.get_to_stage_display()}"


class Pause(models.Model):
    """A period the review was paused, e.g. for a criminal trial; the clock shows time with and without."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=20, choices=PauseReason.choices)
    detail = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ("started_on", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["review"], condition=Q(ended_on__isnull=True), name="pause_one_open_per_review"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="pause_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.started_on:%-d %B %Y}"


class QaSubmission(models.Model):
    """One submission to the Home Office quality assurance panel and its outcome."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="qa_submissions")
    submitted_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=QaOutcome.choices, default=QaOutcome.PENDING)
    letter_on = models.DateField(null=True, blank=True, help_text="Date of the Home Office letter")
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("submitted_on", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(letter_on__isnull=False), name="qa_outcome_has_letter_date"
            ),
        ]

    def __str__(self) -> str:
        return f"Submitted {self.submitted_on:%-d %B %Y}: {self.get_outcome_display()}"


class PanelMemberQuerySet(models.QuerySet["PanelMember"]):
    def active(self) -> PanelMemberQuerySet:
        return self.filter(ended_on__isnull=True)


class PanelMember(models.Model):
    """A member of a review's panel. One with a portal account is granted access to this review only."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="panel")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="review_panels"
    )
    name = models.CharField(max_length=200, blank=True, help_text="For members without a portal account")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    panel_role = models.CharField(max_length=20, choices=PanelRole.choices)
    independent = models.BooleanField(
        default=False, help_text="Declared independent: no direct involvement with the case or its line management"
    )
    independence_note = models.TextField(blank=True)
    appointed_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    objects = PanelMemberQuerySet.as_manager()

    class Meta:
        ordering = ("panel_role", "name", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(name=""), name="panel_member_person_or_name"),
            models.UniqueConstraint(
                fields=["review", "person"],
                condition=Q(ended_on__isnull=True, person__isnull=False),
                name="panel_member_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("appointed_on")),
                name="panel_member_dates_in_order",
            ),
        ]
        indexes = [
            # Serves permissions.visible_reviews: the reviews a person is on the panel of.
            models.Index(fields=["person", "ended_on"], name="panel_person_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id is not None:
            return str(self.person)
        return self.name


class Agency(models.Model):
    """An agency asked about its contact with the people in the review, and its reports."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agencies")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField(null=True, blank=True, help_text="Scoping letter sent")
    had_contact = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    imr_requested_on = models.DateField(null=True, blank=True)
    imr_due_on = models.DateField(null=True, blank=True, help_text="Set by the panel")
    imr_received_on = models.DateField(null=True, blank=True)
    chronology_requested_on = models.DateField(null=True, blank=True)
    chronology_due_on = models.DateField(null=True, blank=True)
    chronology_received_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("organisation__name",)
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["review", "organisation"], name="agency_once_per_review"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def imr_status(self) -> str:
        if self.imr_received_on:
            return "Received"
        if self.imr_requested_on:
            return "Requested"
        return "Not requested"


class FamilyContact(models.Model):
    """One contact with the victim's family or friends (who by relationship or pseudonym, never by name)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_contacts")
    contacted_on = models.DateField()
    contact = models.CharField(max_length=200, help_text='Who, by relationship or pseudonym, e.g. "Mother"')
    method = models.CharField(max_length=10, choices=ContactMethod.choices)
    consent = models.CharField(max_length=10, choices=Consent.choices, default=Consent.NOT_ASKED)
    advocate = models.CharField(max_length=200, blank=True, help_text='e.g. "AAFDA advocate"')
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ("-contacted_on", "-pk")

    def __str__(self) -> str:
        return f"{self.contact} on {self.contacted_on:%-d %B %Y}"


def _document_path(document: ReviewDocument, filename: str) -> str:
    # Stored names say nothing about the case: the review's id and a random name.
    extension = os.path.splitext(filename)[1].lower()
    return f"reviews/{document.review_id}/{os.urandom(16).hex()}{extension}"


class ReviewDocument(models.Model):
    """An uploaded document: IMR, chronology, draft, the Home Office letter …; served only by the download view."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    title = models.CharField(max_length=200)
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(storage=ReviewDocumentStorage(), upload_to=_document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("kind", "-version", "-uploaded_at")

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class AccessLogEntry(models.Model):
    """Every view of a review's pages and every document download: who, when, what."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="access_log")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=AccessKind.choices)
    page = models.CharField(max_length=200)
    document = models.ForeignKey(
        ReviewDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="access_log"
    )

    class Meta:
        ordering = ("-at", "-pk")
        verbose_name_plural = "access log entries"
        indexes = [models.Index(fields=["review", "-at"], name="access_log_review_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display().lower()} {self.page}"


class Recommendation(models.Model):
    """A review recommendation, tracked to closure like an action: lead, target date, RAG and updates."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.CharField(max_length=10, help_text='e.g. "3"')
    text = models.TextField()
    scope = models.CharField(max_length=20, choices=RecommendationScope.choices)
    addressed_to = models.CharField(max_length=200, help_text='An agency, "All agencies" or a national body')
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_recommendations",
    )
    target_date = models.DateField()
    status = models.CharField(max_length=15, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN)
    status_reason = models.TextField(blank=True, help_text="Why it was superseded or not accepted")
    completed_on = models.DateField(null=True, blank=True)
    # The latest update's RAG and figures, kept here so lists need no subquery (as on actions).
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    percent_complete = models.PositiveSmallIntegerField(default=0)
    last_update_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; detects concurrent edits")

    history = HistoricalRecords()

    class Meta:
        ordering = ("review", "number", "pk")
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_unique_number"),
            models.CheckConstraint(
                condition=~Q(status__in=["superseded", "not_accepted"]) | ~Q(status_reason=""),
                name="recommendation_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="recommendation_completed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(rag__in=["", "red", "amber", "green"]), name="recommendation_rag_allowed_values"
            ),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="recommendation_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class RecommendationUpdate(ProgressReport):
    """A progress report on a recommendation: the same report as an action's (actionplans.ProgressReport)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="updates")

    history = HistoricalRecords()

    class Meta:
        ordering = ("-reported_on", "-created_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(rag__in=["red", "amber", "green"]), name="recommendation_update_rag_allowed"
            ),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="recommendation_update_percent"),
        ]

    def __str__(self) -> str:
        return f"Update on {self.recommendation} ({self.reported_on:%-d %B %Y})"


# Reminders (issue 6) keep their models beside their code; imported here so Django finds them.
from reviews.reminders.models import Reminder, ReminderOffsets, ReminderOptOut  # noqa: E402, F401
