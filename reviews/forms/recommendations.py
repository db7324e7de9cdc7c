"""Forms for a review's recommendations: adding and changing one, its status, and progress reports.

Progress is reported with the action plans' form (actionplans.forms.ProgressForm): the same fields, rules
and messages, with the recommendation's own statuses. reviews.services.recommendations applies the rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import QuerySet

from actionplans.forms import OrganisationChoiceField, ProgressForm, VersionedForm
from partnerships.forms import date_field
from partnerships.models import Organisation, User
from reviews.choices import RecommendationScope, RecommendationStatus
from reviews.services.recommendations import PROGRESS_STATUSES


def _hint() -> str:
    return f"For example, {date.today():%-d %-m %Y}"  # noqa: DTZ011 - an example, not a rule


class LeadOfficerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """People who may open the review, each with why (their panel role, or their role in the partnership)."""

    described: dict[int, str]

    def label_from_instance(self, obj: User) -> str:
        description = self.described.get(obj.pk, "")
        return f"{obj.full_name} ({description})" if description else obj.full_name


class RecommendationForm(VersionedForm):
    submit_label = "Save recommendation"
    field_order = ("number", "text", "scope", "addressed_to", "lead_organisation", "lead_officer", "target_date")

    number = forms.CharField(
        label="Number",
        max_length=10,
        help_text="As in the report, for example 3 or 3a",
        error_messages={
            "required": "Enter the recommendation's number",
            "max_length": "The number must be 10 characters or fewer",
        },
    )
    text = forms.CharField(
        label="Recommendation",
        help_text="As worded in the overview report",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the recommendation"},
    )
    scope = forms.ChoiceField(
        label="Scope",
        choices=RecommendationScope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the scope", "invalid_choice": "Select the scope"},
    )
    addressed_to = forms.CharField(
        label="Addressed to",
        max_length=200,
        help_text='An agency, "All agencies" or a national body such as the Home Office',
        error_messages={
            "required": 'Enter who it is addressed to, e.g. "All agencies" or "Home Office"',
            "max_length": "Addressed to must be 200 characters or fewer",
        },
    )
    lead_organisation = OrganisationChoiceField(
        label="Lead organisation (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not named yet",
        error_messages={"invalid_choice": "Select a lead organisation from the list"},
    )
    lead_officer = LeadOfficerField(
        label="Lead officer (optional)",
        help_text="Someone who may open this review: a panel member, or the partnership's review lead or chair",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not named yet",
        error_messages={
            "invalid_choice": "Select a lead officer from the list: only people who may open the review can lead it"
        },
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        officers: dict[User, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(
            {"target_date": date_field("Target date", _hint(), "Enter the date the recommendation should be met by")}
        )
        self.fields["lead_organisation"].queryset = organisations  # type: ignore[attr-defined]
        officer = self.fields["lead_officer"]
        officer.queryset = User.objects.filter(pk__in=[p.pk for p in officers]).order_by("full_name")  # type: ignore[attr-defined]
        officer.described = {person.pk: description for person, description in officers.items()}  # type: ignore[attr-defined]

    def layout(self) -> Layout:
        return Layout(
            Field.text("number", field_width=5),
            Field.textarea("text", rows=5),
            Field.radios("scope", small=True),
            Field.text("addressed_to"),
            Field.select("lead_organisation"),
            Field.select("lead_officer"),
            Field("target_date"),
            *(["version"] if "version" in self.fields else []),
        )


class RecommendationStatusForm(VersionedForm):
    submit_label = "Save status"
    field_order = ("status", "reason", "on")

    status = forms.ChoiceField(
        label="Status of the recommendation",
        choices=RecommendationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the recommendation's status", "invalid_choice": "Select a status"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed if it is superseded or not accepted: why, and by whom it was decided",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields({"on": date_field("Date of the change", _hint(), "Enter the date of the change")})

    def layout(self) -> Layout:
        return Layout(Field.radios("status"), Field.textarea("reason", rows=3), Field("on"), "version")


class RecommendationProgressForm(ProgressForm):
    """An action's progress form with the statuses a recommendation is reported in (open or completed)."""

    status = forms.ChoiceField(
        label="Status of the recommendation",
        choices=[(value.value, value.label) for value in PROGRESS_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the recommendation's status", "invalid_choice": "Select a status"},
    )


STATUS_FILTER_CHOICES = [("", "Any status"), *RecommendationStatus.choices]


class RecommendationFilterForm(forms.Form):
    """The status filter above a review's recommendations (GET); an unknown status is ignored."""

    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_FILTER_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(Field.select("status"))

    def value(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return str(self.cleaned_data.get("status") or "")
