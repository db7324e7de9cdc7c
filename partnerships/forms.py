"""Forms for the membership pages. They parse and validate input; the services apply the rules.

Every required field has its own error message (GOV.UK Design System: say what to do, name the field).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError

from partnerships.models import (
    Organisation,
    OrganisationMembership,
    Partnership,
    PartnershipKind,
    Role,
    Standing,
    User,
)


class PortalForm(forms.Form):
    """A form rendered by crispy-forms-gds with one primary button; the error summary is in the page."""

    submit_label = "Save"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page template writes the <form> with its CSRF token
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = self.layout()
        self.helper.add_input(Submit("submit", self.submit_label))

    def layout(self) -> Layout:
        return Layout(*self.fields)

    def add_service_errors(self, error: ValidationError) -> None:
        """Attach a service's ValidationError to the fields it names (or to the form)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class GovukDateField(DateInputField):  # type: ignore[misc]
    """The GOV.UK date input, with the Design System's message for a date that does not exist."""

    def compress(self, data_list: list[str]) -> date | None:
        try:
            result: date | None = super().compress(data_list)
        except ValidationError as error:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date") from error
        return result


def date_field(label: str, hint: str, required_message: str) -> GovukDateField:
    """A required GOV.UK date input whose every error names the field."""
    field = GovukDateField(label=label, help_text=hint, require_all_fields=False)
    field.error_messages["required"] = required_message
    field.error_messages["incomplete"] = required_message
    field.error_messages["invalid_date"] = f"{label} must be a real date"
    return field


def posted(request: Any) -> Any:
    """The POST data of a POST (even an empty one, which must fail validation), else None."""
    return request.POST if request.method == "POST" else None


def _date_hint() -> str:
    return f"For example, {date.today():%-d %-m %Y}"  # noqa: DTZ011 - an example, not a rule


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_type_display()})"


class MembershipAddForm(PortalForm):
    submit_label = "Add organisation"

    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        empty_label="Select an organisation",
        error_messages={
            "required": "Select the organisation to add",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    standing = forms.ChoiceField(
        choices=Standing.choices,
        widget=forms.RadioSelect,
        label="Standing in the partnership",
        error_messages={"required": "Select the organisation's standing in the partnership"},
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.base_fields["start_date"] = date_field("Member from", _date_hint(), "Enter the date the membership starts")
        super().__init__(*args, **kwargs)
        current = OrganisationMembership.objects.filter(partnership=partnership, end_date__isnull=True)
        self.fields["organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            pk__in=current.values("organisation_id")
        )

    def layout(self) -> Layout:
        return Layout(Field.select("organisation"), Field.radios("standing"), Field("start_date"))


class MembershipStandingForm(PortalForm):
    submit_label = "Save standing"

    standing = forms.ChoiceField(
        choices=Standing.choices,
        widget=forms.RadioSelect,
        label="Standing in the partnership",
        error_messages={"required": "Select the organisation's standing in the partnership"},
    )

    def layout(self) -> Layout:
        return Layout(Field.radios("standing"))


class EndForm(PortalForm):
    """End a membership or a role on a date."""

    submit_label = "End membership"

    def __init__(self, *args: Any, start_date: date, **kwargs: Any) -> None:
        self.start_date = start_date
        self.base_fields["end_date"] = date_field("End date", _date_hint(), "Enter the date it ends")
        super().__init__(*args, **kwargs)

    def clean_end_date(self) -> date:
        end_date: date = self.cleaned_data["end_date"]
        if end_date < self.start_date:
            raise ValidationError(f"End date must be on or after the start date, {self.start_date:%-d %B %Y}")
        return end_date


def _role_choices(partnership: Partnership) -> list[tuple[str, str]]:
    if partnership.kind == PartnershipKind.COUNTY_GROUP:
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value != Role.COUNTY_MEMBER]


class RoleAddForm(PortalForm):
    submit_label = "Add person"

    email = forms.EmailField(
        label="Email address",
        help_text="They sign in with this address. Someone new is sent a link to set their password.",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    full_name = forms.CharField(
        label="Full name",
        required=False,
        max_length=150,
        help_text="Needed only for someone new to the portal.",
        error_messages={"max_length": "Full name must be 150 characters or fewer"},
    )
    job_title = forms.CharField(label="Job title (optional)", required=False, max_length=150)
    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        empty_label="Select an organisation",
        label="Organisation they represent",
        error_messages={
            "required": "Select the organisation the person represents",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    role = forms.ChoiceField(
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the person's role in the partnership",
            "invalid_choice": "Select a role from the list",
        },
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.base_fields["start_date"] = date_field("Role starts", _date_hint(), "Enter the date the role starts")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            memberships__partnership=partnership, memberships__end_date__isnull=True
        ).distinct()
        self.fields["role"].choices = _role_choices(partnership)  # type: ignore[attr-defined]

    def layout(self) -> Layout:
        # Headings, not fieldsets, group the questions: GOV.UK advises against nesting the role radios'
        # fieldset inside another.
        return Layout(
            HTML('<h2 class="govuk-heading-m">Person</h2>'),
            Field.text("email", field_width=20),
            Field.text("full_name", field_width=20),
            Field.text("job_title", field_width=20),
            HTML('<h2 class="govuk-heading-m">Their role in the partnership</h2>'),
            Field.select("organisation"),
            Field.radios("role"),
            Field("start_date"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = (cleaned.get("email") or "").lower()
        if email and not User.objects.filter(email__iexact=email).exists() and not cleaned.get("full_name", "").strip():
            self.add_error("full_name", "Enter the full name of the person, who is new to the portal")
        return cleaned


class RoleChangeForm(PortalForm):
    submit_label = "Save role"

    role = forms.ChoiceField(
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the person's role in the partnership",
            "invalid_choice": "Select a role from the list",
        },
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(partnership)  # type: ignore[attr-defined]

    def layout(self) -> Layout:
        return Layout(Field.radios("role"))


class PartnershipSearchForm(forms.Form):
    """The filter on the list of partnerships (GET, never fails: unknown values are ignored)."""

    q = forms.CharField(label="Name or ONS code", required=False, max_length=100)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds"), *PartnershipKind.choices])
