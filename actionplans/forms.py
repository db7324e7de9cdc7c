"""Forms for action plans, actions and progress updates. They parse input; actionplans.services applies
the rules.

Every required field has its own error message, naming the field (GOV.UK Design System). Forms that
change a versioned row (a plan, an action, a progress update) carry the version the person started from
in a hidden field: the service refuses a save made from a stale page instead of overwriting.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Layout, Size
from django import forms
from django.db.models import QuerySet

from actionplans.models import ActionStatus, FundingSource, Rag
from actionplans.selectors import RAG_LABELS
from partnerships.forms import GovukDateField, PortalForm, date_field
from partnerships.models import Organisation, RoleAssignment, User
from priorities.models import OutcomeMeasure, PartnershipPlan, Priority

TITLE_ERRORS = {"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"}
STALE_PAGE = "This page is out of date: open it again and make your change"


def _hint() -> str:
    return f"For example, {date.today():%-d %-m %Y}"  # noqa: DTZ011 - an example, not a rule


def optional_date_field(label: str, hint: str, name: str) -> GovukDateField:
    """An optional GOV.UK date input: empty is fine, half a date or one that does not exist is not.

    `name` names the date in messages ("The date done must include a year")."""
    field = GovukDateField(label=label, help_text=hint, required=False, require_all_fields=False)
    field.error_messages["invalid_date"] = f"{name} must be a real date"
    for part, what in zip(field.fields, ("day", "month", "year"), strict=True):
        part.error_messages["incomplete"] = f"{name} must include a {what}"
    return field


def _number_input(mode: str = "numeric") -> forms.TextInput:
    """A text box for a number: the Design System avoids type="number"."""
    return forms.TextInput(attrs={"inputmode": mode, "spellcheck": "false"})


def _money_field(label: str, required: str | None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required is not None,
        help_text="In pounds, for example 12500 or 480.50",
        widget=_number_input("decimal"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        error_messages={
            "required": required or "",
            "invalid": f"{label} must be an amount in pounds, like 12500 or 480.50",
            "min_value": f"{label} cannot be negative",
            "max_decimal_places": f"{label} must have two decimal places at most",
            "max_digits": f"{label} is too large",
            "max_whole_digits": f"{label} is too large",
        },
    )


class ActionPlansForm(PortalForm):
    """A portal form that can add fields made per instance (dates with today's example) in page order."""

    def add_fields(self, fields: dict[str, forms.Field], *, first: bool = False) -> None:
        order = [*fields, *self.fields] if first else [*self.fields, *fields]
        self.fields.update(fields)
        # The error summary lists errors in this order: the class's field_order, as on the page.
        self.order_fields(self.field_order or order)
        self.helper.layout = self.layout()


class VersionedForm(ActionPlansForm):
    """A form that changes a versioned row: the version it was opened at travels in a hidden field."""

    def __init__(self, *args: Any, versioned: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if versioned:
            # Checked in clean(): an error on a hidden field would not reach the error summary.
            self.add_fields({"version": forms.IntegerField(widget=forms.HiddenInput, required=False)})

    def layout(self) -> Layout:
        return Layout(*self.fields)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "version" in self.fields and cleaned.get("version") is None:
            self.errors.pop("version", None)
            self.add_error(None, STALE_PAGE)
        return cleaned

    def set_version(self, version: int) -> None:
        """Carry the current version, so that saving again (deliberately) goes through."""
        data = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix("version")] = str(version)
        self.data = data


# --- Action plans ---------------------------------------------------------------------------------------


class PlanChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: PartnershipPlan) -> str:
        return f"{obj.title} ({obj.get_status_display().lower()})"


class ActionPlanForm(VersionedForm):
    submit_label = "Save action plan"
    field_order = ("title", "plan", "period_start", "period_end")

    title = forms.CharField(
        max_length=200,
        help_text="For example, Community Safety Action Plan 2024 to 2027",
        error_messages=TITLE_ERRORS,
    )
    plan = PlanChoiceField(
        label="Partnership plan it delivers (optional)",
        help_text="Its priorities and outcome measures are the ones the actions serve",
        queryset=PartnershipPlan.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Select a partnership plan from the list"},
    )

    def __init__(self, *args: Any, plans: QuerySet[PartnershipPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(
            {
                "period_start": date_field("Period starts", _hint(), "Enter the date the period starts"),
                "period_end": date_field("Period ends", _hint(), "Enter the date the period ends"),
            }
        )
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        if not plans.exists():
            del self.fields["plan"]
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(
            Field.text("title"),
            *([Field.select("plan")] if "plan" in self.fields else []),
            Field("period_start"),
            Field("period_end"),
            *(["version"] if "version" in self.fields else []),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after the date it starts")
        cleaned.setdefault("plan", None)
        return cleaned


class AgreeForm(ActionPlansForm):
    submit_label = "Record agreement"

    agreed_by = forms.CharField(
        label="Group that agreed it",
        max_length=200,
        help_text="For example, Responsible Authorities Group or Strategic Board",
        error_messages={
            "required": "Enter the group that agreed the action plan",
            "max_length": "The group's name must be 200 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(
            {"agreed_on": date_field("Date agreed", _hint(), "Enter the date the action plan was agreed")}, first=True
        )

    def layout(self) -> Layout:
        return Layout(Field("agreed_on"), Field.text("agreed_by"))

    def clean_agreed_on(self) -> date:
        agreed_on: date = self.cleaned_data["agreed_on"]
        if agreed_on > date.today():  # noqa: DTZ011 - compared with a date the person typed
            raise forms.ValidationError("The date agreed must be today or in the past")
        return agreed_on


class ConfirmForm(PortalForm):
    """A one-button form for a step the page explains (closing a plan)."""

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        self.submit_label = label
        super().__init__(*args, **kwargs)

    def layout(self) -> Layout:
        return Layout()


# --- Actions --------------------------------------------------------------------------------------------


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class OrganisationsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class PriorityChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Priority) -> str:
        return obj.title


class MeasuresField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: OutcomeMeasure) -> str:
        return f"{obj.name} ({obj.priority.title})"


class OfficerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """People with a role in the partnership, each shown with the organisations they represent."""

    represents: dict[int, list[str]]

    def label_from_instance(self, obj: User) -> str:
        organisations = ", ".join(self.represents.get(obj.pk, []))
        return f"{obj.full_name} ({organisations})" if organisations else obj.full_name


class ActionForm(VersionedForm):
    submit_label = "Save action"
    field_order = (
        "reference",
        "title",
        "description",
        "priority",
        "lead_organisation",
        "lead_officer",
        "supporting_organisations",
        "outcome_measures",
        "start_date",
        "due_date",
        "status",
    )

    reference = forms.CharField(
        max_length=20,
        help_text="For example, 2.3",
        error_messages={
            "required": "Enter a reference, like 1.3",
            "max_length": "Reference must be 20 characters or fewer",
        },
    )
    title = forms.CharField(
        label="Action",
        max_length=300,
        help_text="What will be done: specific, measurable and with an end",
        error_messages={"required": "Enter the action", "max_length": "The action must be 300 characters or fewer"},
    )
    description = forms.CharField(
        label="Description",
        help_text="What will be done and why",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what will be done and why"},
    )
    priority = PriorityChoiceField(
        queryset=Priority.objects.none(),
        empty_label="Select a priority",
        error_messages={"required": "Select the priority the action serves", "invalid_choice": "Select a priority"},
    )
    lead_organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        empty_label="Select an organisation",
        error_messages={
            "required": "Select the organisation that leads the action",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    lead_officer = OfficerChoiceField(
        label="Lead officer (optional)",
        help_text="Someone who represents the lead organisation in the partnership",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not named yet",
        error_messages={"invalid_choice": "Select a lead officer from the list"},
    )
    supporting_organisations = OrganisationsField(
        label="Supporting organisations (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select supporting organisations from the list"},
    )
    outcome_measures = MeasuresField(
        label="Outcome measures it contributes to (optional)",
        queryset=OutcomeMeasure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select outcome measures from the list"},
    )
    status = forms.ChoiceField(
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status", "invalid_choice": "Select a status"},
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        priorities: QuerySet[Priority] | None,
        measures: QuerySet[OutcomeMeasure] | None,
        roles: QuerySet[RoleAssignment],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(
            {
                "start_date": date_field("Start date", _hint(), "Enter the date the action starts"),
                "due_date": date_field("Due date", _hint(), "Enter the date the action is due"),
            }
        )
        self.fields["lead_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["supporting_organisations"].queryset = organisations  # type: ignore[attr-defined]
        represents: dict[int, list[str]] = defaultdict(list)
        for role in roles:
            if role.organisation.name not in represents[role.person_id]:
                represents[role.person_id].append(role.organisation.name)
        officer = self.fields["lead_officer"]
        officer.queryset = User.objects.filter(pk__in=list(represents)).order_by("full_name")  # type: ignore[attr-defined]
        officer.represents = represents  # type: ignore[attr-defined]
        if priorities is None:
            del self.fields["priority"]
        else:
            self.fields["priority"].queryset = priorities  # type: ignore[attr-defined]
        if measures is None or not measures.exists():
            del self.fields["outcome_measures"]
        else:
            self.fields["outcome_measures"].queryset = measures  # type: ignore[attr-defined]
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        optional = [name for name in ("priority", "outcome_measures") if name in self.fields]
        return Layout(
            Field.text("reference", field_width=5),
            Field.text("title"),
            Field.textarea("description", rows=4),
            *([Field.select("priority")] if "priority" in optional else []),
            Field.select("lead_organisation"),
            Field.select("lead_officer"),
            Field.checkboxes("supporting_organisations", small=True),
            *([Field.checkboxes("outcome_measures", small=True)] if "outcome_measures" in optional else []),
            Field("start_date"),
            Field("due_date"),
            Field.radios("status"),
            *(["version"] if "version" in self.fields else []),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date must be on or after the start date")
        cleaned.setdefault("priority", None)
        cleaned.setdefault("outcome_measures", [])
        return cleaned


RAG_CHOICES = [(value, label) for value, label in Rag.choices]


class ProgressForm(VersionedForm):
    """A progress update: the full page, and the quick form on "My actions" (the same fields)."""

    submit_label = "Save progress update"
    field_order = ("reported_on", "rag", "narrative", "percent_complete", "status", "evidence_links")

    rag = forms.ChoiceField(
        label="RAG status",
        choices=RAG_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG status", "invalid_choice": "Select a RAG status"},
    )
    narrative = forms.CharField(
        label="Progress",
        help_text="What has been done since the last update and the reason for the RAG status",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the progress: the RAG needs a reason"},
    )
    percent_complete = forms.IntegerField(
        label="Percentage complete",
        help_text="A whole number from 0 to 100",
        widget=_number_input(),
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the percentage complete, from 0 to 100",
            "invalid": "Percentage complete must be a whole number, like 40",
            "min_value": "Percentage complete must be from 0 to 100",
            "max_value": "Percentage complete must be from 0 to 100",
        },
    )
    status = forms.ChoiceField(
        label="Status of the action",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status", "invalid_choice": "Select a status"},
    )
    evidence_links = forms.CharField(
        label="Evidence links (optional)",
        help_text="Web addresses of reports, minutes or data, one on each line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields({"reported_on": date_field("Date of the update", _hint(), "Enter the date of the update")})
        if self.prefix:
            # Many quick forms share the "My actions" page, each with its prefix: the button's id too.
            self.helper.inputs[0].id = f"id_{self.prefix}-submit"

    def layout(self) -> Layout:
        return Layout(
            Field("reported_on"),
            Field.radios("rag"),
            Field.textarea("narrative", rows=4),
            Field.text("percent_complete", field_width=3),
            Field.radios("status", small=True),
            Field.textarea("evidence_links", rows=2),
            "version",
        )


class MilestoneForm(ActionPlansForm):
    submit_label = "Save milestone"

    title = forms.CharField(
        label="Milestone",
        max_length=200,
        error_messages={
            "required": "Enter the milestone",
            "max_length": "The milestone must be 200 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(
            {
                "due_date": date_field("Due date", _hint(), "Enter the date the milestone is due"),
                "done_on": optional_date_field("Date done (optional)", "Leave empty until it is done", "The date done"),
            }
        )

    def layout(self) -> Layout:
        return Layout(Field.text("title"), Field("due_date"), Field("done_on"))


class BudgetLineForm(PortalForm):
    submit_label = "Save budget line"

    source = forms.ChoiceField(
        label="Funding source",
        choices=FundingSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the funding source", "invalid_choice": "Select a funding source"},
    )
    grant_name = forms.CharField(
        label="Grant or budget name (optional)",
        help_text="For example, Safer Streets Fund round 5",
        max_length=200,
        required=False,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    amount = _money_field("Amount", "Enter the amount")
    spent_to_date = _money_field("Spent to date (optional)", None)

    def layout(self) -> Layout:
        return Layout(
            Field.radios("source"),
            Field.text("grant_name"),
            Field.text("amount", field_width=10),
            Field.text("spent_to_date", field_width=10),
        )


# --- The plan page's filters ----------------------------------------------------------------------------

DISPLAY_RAG_CHOICES = [("", "Any RAG"), *RAG_LABELS.items()]


class ActionFilterForm(forms.Form):
    """Filters on the plan page (GET). Unknown choices are ignored; a date that does not exist is reported."""

    organisation = OrganisationChoiceField(
        label="Lead organisation", queryset=Organisation.objects.none(), required=False, empty_label="Any organisation"
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *ActionStatus.choices])
    rag = forms.ChoiceField(label="RAG", required=False, choices=DISPLAY_RAG_CHOICES)
    due_before = optional_date_field("Due before", "For example, 31 3 2025", "Due before")

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        # Side by side above the list of actions, which then has the page's full width.
        self.helper.layout = Layout(
            Div(
                Div(Field.select("organisation"), css_class="govuk-grid-column-one-half"),
                Div(Field.select("status"), css_class="govuk-grid-column-one-quarter"),
                Div(Field.select("rag"), css_class="govuk-grid-column-one-quarter"),
                css_class="govuk-grid-row",
            ),
            Field("due_before"),
        )

    def full_clean(self) -> None:
        super().full_clean()
        # A choice that is no longer offered (an old link) is ignored rather than reported.
        for name in ("organisation", "status", "rag"):
            self.errors.pop(name, None)

    def value(self, name: str) -> Any:
        """A cleaned value, or None when it is empty or did not validate."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)
