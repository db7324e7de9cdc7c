"""Forms of the review workspace: a new notification, the deadline rules, the case details, each step of
the statutory process, pauses and the take-down. They parse input; reviews.services.process applies the
rules and answers with field-keyed errors, which the views put back on these fields.

Step forms name their fields as the service function's keyword arguments, so the view can pass the
cleaned data straight through (reviews/views/workspace.py's STEPS registry).
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Fieldset, Layout, Size
from django import forms
from django.db import models
from django.db.models import QuerySet

from actionplans.forms import VersionedForm, optional_date_field
from partnerships.forms import GovukDateField, OrganisationChoiceField, PortalForm, date_field
from partnerships.models import Organisation, Partnership
from reviews.choices import (
    INCIDENT_FLAGS,
    MENTAL_HEALTH_FLAGS,
    PERPETRATOR_VULNERABILITY_FLAGS,
    VULNERABILITY_FLAGS,
    AgeBand,
    CauseOfDeath,
    CourtVerdict,
    Decision,
    Ethnicity,
    LocationType,
    PauseReason,
    QaOutcome,
    Relationship,
    Religion,
    ReviewType,
    Sex,
    SexualOrientation,
    Stage,
    YesNoUnknown,
)
from reviews.models import Review
from reviews.services.process import CaseFields

PSEUDONYM_HINT = "A pseudonym, never a real name: for example, Adult A, or the name the family chose"


def _hint() -> str:
    return f"For example, {date.today():%-d %-m %Y}"  # noqa: DTZ011 - an example, not a rule


def _text(label: str, *, required: str | None = None, max_length: int = 200, help_text: str = "") -> forms.CharField:
    """A text box; `required` is the message for an empty answer (None: optional)."""
    return forms.CharField(
        label=label,
        required=required is not None,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "required": required or "",
            "max_length": f"{label.removesuffix(' (optional)')} must be {max_length} characters or fewer",
        },
    )


def _long_text(label: str, *, required: str | None = None, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required is not None,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required or ""},
    )


def _choice(
    label: str, choices: Any, *, required: str | None = None, radios: bool = False, help_text: str = ""
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required is not None,
        help_text=help_text,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={
            "required": required or "",
            "invalid_choice": f"Select one of the options for {label.lower().removesuffix(' (optional)')}",
        },
    )


def _flags(label: str, choices: list[tuple[str, str]]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"Select only the options listed for {label.lower()}"},
    )


def _number(label: str, help_text: str, *, low: int, high: int) -> forms.IntegerField:
    plain = label[:1].lower() + label[1:]
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {plain}",
            "invalid": f"{label} must be a whole number, like {max(low, 1)}",
            "min_value": f"{label} must be from {low} to {high}",
            "max_value": f"{label} must be from {low} to {high}",
        },
    )


def organisation_field(label: str, *, required: str | None) -> OrganisationChoiceField:
    return OrganisationChoiceField(
        label=label,
        queryset=Organisation.objects.none(),
        required=required is not None,
        empty_label="Select an organisation" if required else "Not recorded",
        error_messages={"required": required or "", "invalid_choice": "Select an organisation from the list"},
    )


def new_case(**given: Any) -> CaseFields:
    """Case fields for a new review: what the person gave, the model's defaults for the rest."""
    values: dict[str, Any] = {}
    for field in dataclass_fields(CaseFields):
        if field.name in given:
            values[field.name] = given[field.name]
            continue
        model_field = Review._meta.get_field(field.name)
        default = model_field.get_default() if isinstance(model_field, models.Field) else None
        values[field.name] = tuple(default) if isinstance(default, list) else default
    return CaseFields(**values)


def case_from(data: dict[str, Any]) -> CaseFields:
    """Case fields from a case form's cleaned data (lists of flags as tuples)."""
    values: dict[str, Any] = {}
    for field in dataclass_fields(CaseFields):
        value = data.get(field.name)
        if isinstance(value, list):
            value = tuple(value)
        values[field.name] = value
    return CaseFields(**values)


def case_initial(review: Review) -> dict[str, Any]:
    initial = {field.name: getattr(review, field.name) for field in dataclass_fields(CaseFields)}
    initial["notified_by"] = review.notified_by_id
    return initial


# --- A new notification and the partnership's rules -----------------------------------------------------


class ReviewCreateForm(PortalForm):
    """A death notified to the partnership: the review starts at "Notification received"."""

    field_order = (
        "reference",
        "notified_on",
        "notified_by",
        "date_of_death",
        "victim_pseudonym",
        "perpetrator_pseudonym",
        "review_type",
    )

    reference = _text(
        "Reference",
        required="Enter the review's reference",
        max_length=30,
        help_text="The partnership's own reference, for example DHR 2026/01",
    )
    notified_by = organisation_field(
        "Agency that notified the partnership", required="Select the agency that notified the partnership"
    )
    victim_pseudonym = _text("Victim's pseudonym", required="Enter the pseudonym used for the victim", max_length=100)
    perpetrator_pseudonym = _text("Perpetrator's pseudonym (optional)", max_length=100, help_text=PSEUDONYM_HINT)
    review_type = _choice("Type of review", ReviewType.choices, required="Select the type of review", radios=True)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], review_term: str, **kwargs: Any) -> None:
        self.submit_label = f"Record the {review_term}"
        super().__init__(*args, **kwargs)
        self.fields["notified_by"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["victim_pseudonym"].help_text = PSEUDONYM_HINT
        self.fields["notified_on"] = date_field(
            "Date of the notification", _hint(), "Enter the date the death came to the partnership's attention"
        )
        self.fields[
            "notified_on"
        ].help_text = (
            f"When the death came to the partnership's attention. {_hint()}: the decision is due a month later"
        )
        self.fields["date_of_death"] = optional_date_field("Date of death (optional)", _hint(), "The date of death")
        self.order_fields(self.field_order)
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        if "notified_on" not in self.fields:
            return Layout()
        return Layout(
            Field.text("reference", field_width=10),
            Field("notified_on"),
            Field.select("notified_by"),
            Field("date_of_death"),
            Field.text("victim_pseudonym", field_width=20),
            Field.text("perpetrator_pseudonym", field_width=20),
            Field.radios("review_type"),
        )


class ReviewRulesForm(PortalForm):
    """The partnership's deadline rules: the statutory defaults, which a partnership may change."""

    submit_label = "Save the deadline rules"

    decision_months = _number(
        "Months to the decision",
        "From the notification to the chair's decision whether to hold a review. "
        "The statutory guidance says within 1 month of the death coming to the partnership's attention.",
        low=1,
        high=12,
    )
    home_office_days = _number(
        "Days to notify the Home Office",
        "From the decision to telling the Home Office about it, whether or not a review is held. "
        "The guidance says with the decision: 0 days.",
        low=0,
        high=90,
    )
    completion_months = _number(
        "Months to completion",
        "From the decision to hold a review to submitting it for Home Office quality assurance. "
        "The 2016 guidance says 6 months; the 2024 draft proposes 12. Each review can also be set to 6 or 12.",
        low=1,
        high=24,
    )
    publication_months = _number(
        "Months online",
        "How long a published report stays online before it may be taken down. Partnerships commonly keep "
        "reports online for at least 12 months.",
        low=1,
        high=60,
    )

    def layout(self) -> Layout:
        return Layout(
            *(Field.text(name, field_width=3) for name in self.fields),
        )


# --- The case -------------------------------------------------------------------------------------------


YES_NO = YesNoUnknown.choices


class CaseForm(VersionedForm):
    """Every case field (pseudonyms and Home Office library codes); co-commissioners and the completion
    period for the review lead only."""

    submit_label = "Save case details"

    review_type = _choice("Type of review", ReviewType.choices, required="Select the type of review", radios=True)
    protective_marking = _text(
        "Protective marking",
        required="Enter the protective marking",
        max_length=40,
        help_text="For example, OFFICIAL-SENSITIVE",
    )
    sharing_agreement = _text(
        "Information sharing agreement (optional)",
        max_length=100,
        help_text="The reference of the agreement that covers the review",
    )
    completion_months = forms.TypedChoiceField(
        label="Months from the decision to submission for quality assurance",
        choices=[(6, "6 months (the 2016 guidance)"), (12, "12 months (the 2024 draft guidance)")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the months to completion",
            "invalid_choice": "Select 6 or 12 months to completion",
        },
    )
    co_commissioners = forms.ModelMultipleChoiceField(
        label="Other partnerships commissioning the review (optional)",
        queryset=Partnership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select partnerships from the list"},
    )
    notified_by = organisation_field("Agency that notified the partnership (optional)", required=None)
    location_type = _choice("Location", LocationType.choices, required="Select the location", radios=True)
    cause_of_death = _choice("Cause of death (optional)", CauseOfDeath.choices)
    incident_flags = _flags("Incident", INCIDENT_FLAGS)
    victim_pseudonym = _text(
        "Victim's pseudonym",
        required="Enter the pseudonym used for the victim",
        max_length=100,
        help_text=PSEUDONYM_HINT,
    )
    perpetrator_pseudonym = _text("Perpetrator's pseudonym (optional)", max_length=100, help_text=PSEUDONYM_HINT)
    other_pseudonyms = _long_text(
        "Other people named in the review (optional)", help_text="Pseudonyms only, one on each line"
    )
    victim_age_band = _choice("Victim's age at death (optional)", AgeBand.choices)
    victim_sex = _choice("Victim's sex (optional)", Sex.choices, radios=True)
    victim_sexual_orientation = _choice("Victim's sexual orientation (optional)", SexualOrientation.choices)
    victim_ethnicity = _choice("Victim's ethnicity (optional)", Ethnicity.choices)
    victim_religion = _choice("Victim's religion (optional)", Religion.choices)
    victim_relationship = _choice("Victim's relationship to the perpetrator (optional)", Relationship.choices)
    victim_suicide = _choice(
        "Did the victim die by suicide?", YES_NO, required="Select whether it was suicide", radios=True
    )
    victim_carer = _choice(
        "Did the victim have caring responsibilities?",
        YES_NO,
        required="Select whether the victim had caring responsibilities",
        radios=True,
    )
    victim_previous_offences = _choice(
        "Did the victim have previous offences?",
        YES_NO,
        required="Select whether the victim had previous offences",
        radios=True,
    )
    victim_mental_health = _flags("Victim's mental health", MENTAL_HEALTH_FLAGS)
    victim_vulnerabilities = _flags("Victim's vulnerabilities", VULNERABILITY_FLAGS)
    perpetrator_age_band = _choice("Perpetrator's age (optional)", AgeBand.choices)
    perpetrator_sex = _choice("Perpetrator's sex (optional)", Sex.choices, radios=True)
    perpetrator_sexual_orientation = _choice("Perpetrator's sexual orientation (optional)", SexualOrientation.choices)
    perpetrator_ethnicity = _choice("Perpetrator's ethnicity (optional)", Ethnicity.choices)
    perpetrator_religion = _choice("Perpetrator's religion (optional)", Religion.choices)
    perpetrator_carer = _choice(
        "Was the perpetrator a carer for the victim?",
        YES_NO,
        required="Select whether the perpetrator was a carer for the victim",
        radios=True,
    )
    perpetrator_previous_offences = _choice(
        "Did the perpetrator have previous offences?",
        YES_NO,
        required="Select whether the perpetrator had previous offences",
        radios=True,
    )
    perpetrator_mental_health = _flags("Perpetrator's mental health", MENTAL_HEALTH_FLAGS)
    perpetrator_vulnerabilities = _flags("Perpetrator's vulnerabilities", PERPETRATOR_VULNERABILITY_FLAGS)
    court_verdict = _choice("Court verdict (optional)", CourtVerdict.choices)
    parallel_proceedings = _long_text(
        "Parallel proceedings (optional)",
        help_text="Criminal trial, inquest, IOPC investigation, safeguarding adult review or child safeguarding "
        "practice review",
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        partnerships: QuerySet[Partnership] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notified_by"].queryset = organisations  # type: ignore[attr-defined]
        if partnerships is None:
            # Only the review lead changes who commissions the review and its completion period.
            del self.fields["co_commissioners"]
            del self.fields["completion_months"]
        else:
            self.fields["co_commissioners"].queryset = partnerships  # type: ignore[attr-defined]
            current = self.initial.get("completion_months")
            if current and current not in (6, 12):
                # Set from the partnership's rules at notification: keep it on offer.
                months = self.fields["completion_months"]
                months.choices = [(current, f"{current} months (the partnership's rule)"), *months.choices]  # type: ignore[attr-defined]
        self.add_fields(
            {
                "date_of_death": optional_date_field("Date of death (optional)", _hint(), "The date of death"),
                "trial_on": optional_date_field("Date of the criminal trial (optional)", _hint(), "The trial date"),
                "inquest_on": optional_date_field("Date of the inquest (optional)", _hint(), "The inquest date"),
            }
        )
        order = [name for section in self._sections() for name in section[1]]
        self.order_fields([*order, "version"])
        self.helper.layout = self.layout()

    def _sections(self) -> list[tuple[str, list[str]]]:
        review: list[str] = [
            name
            for name in (
                "review_type",
                "completion_months",
                "co_commissioners",
                "protective_marking",
                "sharing_agreement",
            )
            if name in self.fields
        ]
        return [
            ("The review", review),
            (
                "The death",
                ["notified_by", "date_of_death", "location_type", "cause_of_death", "incident_flags"],
            ),
            ("Pseudonyms", ["victim_pseudonym", "perpetrator_pseudonym", "other_pseudonyms"]),
            (
                "The victim",
                [
                    "victim_age_band",
                    "victim_sex",
                    "victim_sexual_orientation",
                    "victim_ethnicity",
                    "victim_religion",
                    "victim_relationship",
                    "victim_suicide",
                    "victim_carer",
                    "victim_previous_offences",
                    "victim_mental_health",
                    "victim_vulnerabilities",
                ],
            ),
            (
                "The perpetrator",
                [
                    "perpetrator_age_band",
                    "perpetrator_sex",
                    "perpetrator_sexual_orientation",
                    "perpetrator_ethnicity",
                    "perpetrator_religion",
                    "perpetrator_carer",
                    "perpetrator_previous_offences",
                    "perpetrator_mental_health",
                    "perpetrator_vulnerabilities",
                ],
            ),
            ("Court and parallel proceedings", ["court_verdict", "parallel_proceedings", "trial_on", "inquest_on"]),
        ]

    def layout(self) -> Layout:
        if "trial_on" not in self.fields:
            return Layout()
        return Layout(
            *(
                Fieldset(*(self._field(name) for name in names), legend=legend, legend_size=Size.MEDIUM)
                for legend, names in self._sections()
            ),
            "version",
        )

    def _field(self, name: str) -> Any:
        widget = self.fields[name].widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return Field.checkboxes(name, small=True)
        if isinstance(widget, forms.RadioSelect):
            return Field.radios(name, small=True, inline=len(self.fields[name].choices) <= 3)  # type: ignore[attr-defined]
        if isinstance(widget, forms.Select):
            return Field.select(name)
        if isinstance(widget, forms.Textarea):
            return Field.textarea(name, rows=3)
        if isinstance(self.fields[name], GovukDateField):
            return Field(name)
        return Field.text(name, field_width=20)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned.setdefault("co_commissioners", [])
        return cleaned


# --- Steps of the process ------------------------------------------------------------------------------


class StepForm(VersionedForm):
    """A step of the process: its date (named as the service's argument), then the step's own fields."""

    date_name = "on"
    date_label = "Date"
    date_required = "Enter the date"
    fields_after: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields({self.date_name: date_field(self.date_label, _hint(), self.date_required)}, first=True)
        self.order_fields([self.date_name, *self.fields_after, "version"])
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        if self.date_name not in self.fields:
            return Layout()
        return Layout(Field(self.date_name), *(self._field(name) for name in self.fields_after), "version")

    def _field(self, name: str) -> Any:
        field = self.fields[name]
        if isinstance(field.widget, forms.RadioSelect):
            return Field.radios(name)
        if isinstance(field.widget, forms.CheckboxInput):
            return Field.checkbox(name)
        if isinstance(field.widget, forms.Textarea):
            return Field.textarea(name, rows=4)
        if isinstance(field, GovukDateField):
            return Field(name)
        return Field.text(name)


class NoteStepForm(StepForm):
    fields_after = ("note",)
    note = _long_text("Note (optional)", help_text="Anything the panel should know about this step")


class ScopingForm(NoteStepForm):
    submit_label = "Record the start of scoping"
    date_name, date_label = "started_on", "Date scoping started"
    date_required = "Enter the date the scoping letters went out"


class InformationForm(NoteStepForm):
    submit_label = "Record the start of information gathering"
    date_name, date_label = "started_on", "Date agencies were asked for their reports"
    date_required = "Enter the date agencies were asked for their reports"


class DraftingForm(NoteStepForm):
    submit_label = "Record the start of drafting"
    date_name, date_label = "started_on", "Date drafting started"
    date_required = "Enter the date drafting started"


class SignOffForm(NoteStepForm):
    submit_label = "Record the sign-off"
    date_name, date_label = "signed_off_on", "Date signed off"
    date_required = "Enter the date the panel and partnership signed the report off"


class SubmitForm(NoteStepForm):
    submit_label = "Record the submission"
    date_name, date_label = "submitted_on", "Date submitted"
    date_required = "Enter the date the report was sent to the Home Office"


class CloseForm(StepForm):
    submit_label = "Close the review"
    date_name, date_label = "closed_on", "Date closed"
    date_required = "Enter the date the review closed"
    fields_after = ("note",)
    note = _long_text("Why the review is closed", required="Say why the review is closed")


class DecisionForm(StepForm):
    submit_label = "Record the decision"
    date_name, date_label = "decided_on", "Date of the decision"
    date_required = "Enter the date of the decision"
    fields_after = ("decision", "reasons")

    decision = _choice("Decision", Decision.choices, required="Select the decision", radios=True)
    reasons = _long_text(
        "Reasons for the decision",
        required="Give the reasons for the decision",
        help_text="Whether the death meets the criteria, and what the partners said",
        rows=5,
    )


class HomeOfficeForm(StepForm):
    submit_label = "Record the notification"
    date_name, date_label = "notified_on", "Date the Home Office was told"
    date_required = "Enter the date the Home Office was told of the decision"
    fields_after = ("response", "directed")

    response = _long_text("The Home Office's response (optional)")
    directed = forms.BooleanField(label="The Secretary of State directed that a review be held", required=False)


class CommissionForm(StepForm):
    submit_label = "Record the commission"
    date_name, date_label = "commissioned_on", "Date commissioned"
    date_required = "Enter the date the review was commissioned"
    fields_after = ("independent_chair", "chair_certified", "author")

    independent_chair = _text("Independent chair", required="Enter the independent chair's name")
    chair_certified = forms.BooleanField(
        label="The independent chair holds the Home Office-funded chairing certificate (AAFDA, Level 3)", required=False
    )
    author = _text("Report author (optional)", help_text="If not the independent chair")


class TermsForm(StepForm):
    submit_label = "Record the terms of reference"
    date_name, date_label = "agreed_on", "Date agreed"
    date_required = "Enter the date the terms of reference were agreed"
    fields_after = ("terms_version", "period_start", "period_end")

    terms_version = _text(
        "Version", required="Enter the version of the terms of reference", max_length=20, help_text="For example, 1.0"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(
            {
                "period_start": date_field(
                    "Start of the period under review", _hint(), "Enter the start of the period under review"
                ),
                "period_end": date_field(
                    "End of the period under review", _hint(), "Enter the end of the period under review"
                ),
            }
        )
        self.order_fields([self.date_name, *self.fields_after, "version"])
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        if "period_end" not in self.fields:
            return Layout()
        return super().layout()


class QaOutcomeForm(StepForm):
    submit_label = "Record the outcome"
    date_name, date_label = "letter_on", "Date of the Home Office letter"
    date_required = "Enter the date of the Home Office letter"
    fields_after = ("outcome", "notes")

    outcome = _choice(
        "Outcome",
        [(QaOutcome.APPROVED.value, QaOutcome.APPROVED.label), (QaOutcome.RESUBMIT.value, QaOutcome.RESUBMIT.label)],
        required="Select the outcome in the Home Office letter",
        radios=True,
    )
    notes = _long_text(
        "What the panel said", help_text="Needed when the panel asked for changes: the review goes back to drafting"
    )


class PublishForm(StepForm):
    submit_label = "Record the publication"
    date_name, date_label = "published_on", "Date published"
    date_required = "Enter the date the report was published"
    fields_after = ("publication_url", "takedown_on", "commissioner_submitted_on")

    publication_url = forms.URLField(
        label="Web address of the published report",
        help_text="The anonymised overview report and executive summary, for example https://…",
        max_length=200,
        assume_scheme="https",
        error_messages={
            "required": "Enter the web address where the report is published",
            "invalid": "Enter the web address where the report is published, starting https://",
        },
    )

    def __init__(self, *args: Any, publication_months: int = 12, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(
            {
                "takedown_on": optional_date_field(
                    "Not to be taken down before (optional)",
                    f"Leave empty for {publication_months} months after publication (the partnership's rule)",
                    "The take-down date",
                ),
                "commissioner_submitted_on": optional_date_field(
                    "Date sent to the Secretary of State and the Domestic Abuse Commissioner (optional)",
                    _hint(),
                    "The date sent",
                ),
            }
        )
        self.order_fields([self.date_name, *self.fields_after, "version"])
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        if "commissioner_submitted_on" not in self.fields:
            return Layout()
        return super().layout()


# --- Pauses and the take-down ---------------------------------------------------------------------------


class PauseForm(StepForm):
    submit_label = "Pause the review"
    date_name, date_label = "started_on", "Date the pause starts"
    date_required = "Enter the date the pause starts"
    fields_after = ("reason", "detail")

    reason = _choice("Reason", PauseReason.choices, required="Select the reason for the pause", radios=True)
    detail = _long_text(
        "Details (optional)", help_text='For example, "Trial listed for 3 weeks from 14 September". Needed for "Other"'
    )


class ResumeForm(StepForm):
    submit_label = "Resume the review"
    date_name, date_label = "ended_on", "Date the pause ended"
    date_required = "Enter the date the pause ended"


class TakedownForm(StepForm):
    submit_label = "Record the take-down"
    date_name, date_label = "taken_down_on", "Date taken down"
    date_required = "Enter the date the report was taken down"


# --- The list's filters --------------------------------------------------------------------------------

STATE_CHOICES = [("", "Any"), ("open", "Open, not paused"), ("paused", "Paused"), ("closed", "Closed")]


class PartnershipChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Partnership) -> str:
        return obj.name


class ReviewFilterForm(forms.Form):
    """Filters on the list of reviews (GET). Choices no longer offered (an old link) are ignored."""

    partnership = PartnershipChoiceField(
        label="Partnership", queryset=Partnership.objects.none(), required=False, empty_label="Any partnership"
    )
    stage = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any stage"), *Stage.choices])
    state = forms.ChoiceField(label="Open, paused or closed", required=False, choices=STATE_CHOICES)

    def __init__(self, *args: Any, partnerships: QuerySet[Partnership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Div(
                Div(Field.select("partnership"), css_class="govuk-grid-column-one-third"),
                Div(Field.select("stage"), css_class="govuk-grid-column-one-third"),
                Div(Field.select("state"), css_class="govuk-grid-column-one-third"),
                css_class="govuk-grid-row",
            )
        )

    def values(self) -> dict[str, Any]:
        """The valid filters; the others are dropped."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
