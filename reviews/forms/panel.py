"""Forms of a review's panel, agencies, family contact log, documents and access log. They parse input;
reviews.services.workspace applies the rules (and its ValidationErrors come back on the fields they name).

Every required field has its own error message naming it (GOV.UK Design System). People in the family
contact log are named by relationship or pseudonym only, as everywhere in a review.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Layout, Size
from django import forms
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat

from actionplans.forms import optional_date_field
from partnerships.forms import PortalForm, date_field
from partnerships.models import Organisation, User
from reviews.choices import (
    AGENCY_DOCUMENT_KINDS,
    AccessKind,
    Consent,
    ContactMethod,
    DocumentKind,
    PanelRole,
    YesNoUnknown,
)
from reviews.models import Agency
from reviews.services.workspace import ALLOWED_DESCRIPTION, ALLOWED_TYPES

OWN_AGENCY_ONLY = "You can upload only your own agency's IMR and chronology"


def _hint() -> str:
    return f"For example, {date.today():%-d %-m %Y}"  # noqa: DTZ011 - an example, not a rule


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class AgencyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Agency) -> str:
        return obj.organisation.name


# --- Panel ------------------------------------------------------------------------------------------


class PanelMemberForm(PortalForm):
    """Appoint a member: a portal account (by email) or a name, their organisation, role and independence."""

    submit_label = "Appoint member"
    field_order = (
        "email",
        "name",
        "organisation",
        "panel_role",
        "independent",
        "independence_note",
        "appointed_on",
    )

    email = forms.EmailField(
        label="Email address of their portal account (optional)",
        help_text="A member with a portal account can open this review, and no other",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    name = forms.CharField(
        label="Name (if they have no portal account)",
        max_length=200,
        required=False,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    organisation = OrganisationChoiceField(
        label="Organisation (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None, or not listed",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    panel_role = forms.ChoiceField(
        label="Role on the panel",
        choices=PanelRole.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the member's role on the panel",
            "invalid_choice": "Select a role from the list",
        },
    )
    independent = forms.BooleanField(
        label="They have declared their independence from the case and its line management",
        required=False,
    )
    independence_note = forms.CharField(
        label="Note on independence (optional)",
        help_text="For example, any past contact with the people in the review",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointed_on"] = date_field("Date appointed", _hint(), "Enter the date the member was appointed")
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.order_fields(self.field_order)
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(
            Field.text("email", field_width=20),
            Field.text("name", field_width=20),
            Field.select("organisation"),
            Field.radios("panel_role", small=True),
            Field.checkbox("independent", small=True),
            Field.textarea("independence_note", rows=3),
            Field("appointed_on"),
        )

    def clean_email(self) -> User | None:
        email = (self.cleaned_data.get("email") or "").strip()
        if not email:
            return None
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError("No portal account has this email address")
        return person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "email" not in self.errors and cleaned.get("email") is None and not cleaned.get("name", "").strip():
            self.add_error("name", "Enter the member's name, or the email address of their portal account")
        return cleaned


class PanelEndForm(PortalForm):
    submit_label = "End appointment"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"] = date_field("Date the appointment ends", _hint(), "Enter the date it ends")
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(Field("ended_on"))


# --- Agencies ---------------------------------------------------------------------------------------

# The agency's dates in page order: (field name, label, how it is named in messages).
AGENCY_DATES = (
    ("asked_on", "Date asked about its contact (optional)", "The date asked"),
    ("imr_requested_on", "IMR requested (optional)", "The IMR request date"),
    ("imr_due_on", "IMR due (optional)", "The IMR due date"),
    ("imr_received_on", "IMR received (optional)", "The date the IMR was received"),
    ("chronology_requested_on", "Chronology requested (optional)", "The chronology request date"),
    ("chronology_due_on", "Chronology due (optional)", "The chronology due date"),
    ("chronology_received_on", "Chronology received (optional)", "The date the chronology was received"),
)


class AgencyForm(PortalForm):
    """An agency of the review: which organisation (when adding), whether it had contact, its reports."""

    submit_label = "Save agency"

    organisation = OrganisationChoiceField(
        label="Agency",
        queryset=Organisation.objects.none(),
        empty_label="Select an organisation",
        error_messages={"required": "Select the agency", "invalid_choice": "Select an agency from the list"},
    )
    had_contact = forms.ChoiceField(
        label="Did the agency have contact with the people in the review?",
        choices=[(YesNoUnknown.YES, "Yes"), (YesNoUnknown.NO, "No"), (YesNoUnknown.UNKNOWN, "Not known yet")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the agency had contact",
            "invalid_choice": "Select whether the agency had contact",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Use relationships or pseudonyms, never real names",
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        for name, label, what in AGENCY_DATES:
            self.fields[name] = optional_date_field(label, _hint(), what)
        self.order_fields(
            [
                *(["organisation"] if organisations is not None else []),
                "asked_on",
                "had_contact",
                *(name for name, _, _ in AGENCY_DATES[1:]),
                "notes",
            ]
        )
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(
            *([Field.select("organisation")] if "organisation" in self.fields else []),
            Field("asked_on"),
            Field.radios("had_contact", small=True, inline=True),
            *(Field(name) for name, _, _ in AGENCY_DATES[1:]),
            Field.textarea("notes", rows=3),
        )


# --- Family and friends -----------------------------------------------------------------------------


class FamilyContactForm(PortalForm):
    submit_label = "Save contact"
    field_order = ("contacted_on", "contact", "method", "consent", "advocate", "summary")

    contact = forms.CharField(
        label="Who was contacted",
        help_text='By relationship or pseudonym only, never by name: for example, "Mother" or "Friend 1"',
        max_length=200,
        error_messages={
            "required": "Enter who was contacted, by relationship or pseudonym",
            "max_length": "Who was contacted must be 200 characters or fewer",
        },
    )
    method = forms.ChoiceField(
        label="How they were contacted",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they were contacted", "invalid_choice": "Select a way of contact"},
    )
    consent = forms.ChoiceField(
        label="Their consent to take part",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their consent", "invalid_choice": "Select their consent"},
    )
    advocate = forms.CharField(
        label="Advocate (optional)",
        help_text='For example, "AAFDA advocate"',
        max_length=200,
        required=False,
        error_messages={"max_length": "The advocate must be 200 characters or fewer"},
    )
    summary = forms.CharField(
        label="Summary (optional)",
        help_text="Use relationships or pseudonyms, never real names",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"] = date_field("Date of contact", _hint(), "Enter the date of contact")
        self.order_fields(self.field_order)
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(
            Field("contacted_on"),
            Field.text("contact", field_width=20),
            Field.radios("method", small=True),
            Field.radios("consent", small=True),
            Field.text("advocate", field_width=20),
            Field.textarea("summary", rows=4),
        )


# --- Documents --------------------------------------------------------------------------------------


def upload_hint(limit: int) -> str:
    megabytes = 1024 * 1024
    size = f"{limit // megabytes} MB" if limit % megabytes == 0 else filesizeformat(limit)
    return f"{ALLOWED_DESCRIPTION}, smaller than {size}"


class DocumentUploadForm(PortalForm):
    """A document and what it is. Editors upload any kind; other panel members their agency's reports."""

    submit_label = "Upload document"
    field_order = ("kind", "agency", "title", "file")

    kind = forms.ChoiceField(
        label="Type of document",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of document", "invalid_choice": "Select a type of document"},
    )
    agency = AgencyChoiceField(
        label="Agency (for an IMR or chronology)",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Not an agency's document",
        error_messages={"invalid_choice": "Select one of this review's agencies"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text='For example, "Shire Police IMR, second draft"',
        error_messages={
            "required": "Enter a title for the document",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    file = forms.FileField(
        label="File",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_TYPES)}),
        error_messages={
            "required": "Select a file to upload",
            "empty": "The file is empty",
            "invalid": "Select a file to upload",
            "missing": "Select a file to upload",
        },
    )

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency],
        own_agency_only: bool,
        limit: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        agency = self.fields["agency"]
        agency.queryset = agencies  # type: ignore[attr-defined]
        if own_agency_only:
            # Panel members who do not edit the review upload their own agency's reports only.
            kind.choices = [(value, label) for value, label in DocumentKind.choices if value in AGENCY_DOCUMENT_KINDS]  # type: ignore[attr-defined]
            kind.error_messages["invalid_choice"] = OWN_AGENCY_ONLY
            agency.label = "Agency"
            agency.required = True
            agency.empty_label = None  # type: ignore[attr-defined]
            agency.error_messages["required"] = "Select your agency"
            agency.error_messages["invalid_choice"] = OWN_AGENCY_ONLY
        self.fields["file"].help_text = upload_hint(limit)
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(
            Field.radios("kind", small=True),
            Field.select("agency"),
            Field.text("title"),
            Field("file"),
        )


# --- The access log's filters -----------------------------------------------------------------------


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class AccessLogFilterForm(forms.Form):
    """Filters on the access log (GET). A choice no longer offered (an old link) is ignored."""

    person = PersonChoiceField(
        label="Person", queryset=User.objects.none(), required=False, empty_label="Anyone", to_field_name="pk"
    )
    kind = forms.ChoiceField(label="What", required=False, choices=[("", "Views and downloads"), *AccessKind.choices])

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Div(
                Div(Field.select("person"), css_class="govuk-grid-column-one-half"),
                Div(Field.select("kind"), css_class="govuk-grid-column-one-half"),
                css_class="govuk-grid-row",
            )
        )

    def full_clean(self) -> None:
        super().full_clean()
        for name in ("person", "kind"):
            self.errors.pop(name, None)

    def value(self, name: str) -> Any:
        """A cleaned value, or None when it is empty or did not validate."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None
