"""Forms for partnership plans. They parse input; priorities.services.plans applies the rules.

Every required field has its own error message, naming the field (GOV.UK Design System).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from partnerships.forms import PortalForm, date_field
from priorities.models import (
    Alignment,
    Direction,
    PartnershipPlan,
    Priority,
    PriorityChangeKind,
    StrategicAssessment,
    StrategyStrand,
    Theme,
)
from priorities.services.plans import MAX_PLAN_YEARS, check_measure

TITLE_ERRORS = {"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"}


def _year_field(label: str, hint: str, required: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=hint,
        # GOV.UK asks for a text input for numbers (type="number" misbehaves in some browsers).
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": required,
            "invalid": f"{label} must be a year, like 2025",
            "min_value": f"{label} must be 2000 or later",
            "max_value": f"{label} must be before 2100",
        },
    )


def _number_field(label: str, required: str, hint: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=hint,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": required,
            "invalid": f"{label} must be a number, like 125 or 12.5",
            "max_decimal_places": f"{label} must have two decimal places at most",
            "max_digits": f"{label} is too large",
            "max_whole_digits": f"{label} is too large",
        },
    )


class AssessmentChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: StrategicAssessment) -> str:
        return obj.title if obj.is_approved else f"{obj.title} ({obj.get_status_display().lower()})"


class PlanForm(PortalForm):
    submit_label = "Save plan"

    title = forms.CharField(max_length=200, help_text="For example, Community safety partnership strategy 2025 to 2028")
    start_year = _year_field(
        "First year", "For example, 2025 for a plan from April 2025", "Enter the plan's first year"
    )
    end_year = _year_field("Last year", "For example, 2028 for a plan to March 2028", "Enter the plan's last year")
    vision = forms.CharField(label="Vision (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    assessments = AssessmentChoices(
        label="Strategic assessments that informed it (optional)",
        queryset=StrategicAssessment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose strategic assessments from the list"},
    )

    def __init__(
        self, *args: Any, assessments: QuerySet[StrategicAssessment], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages.update(TITLE_ERRORS)
        self.fields["assessments"].queryset = assessments  # type: ignore[attr-defined]
        if not assessments.exists():
            del self.fields["assessments"]
        if editing:
            # Checked in clean(): an error on a hidden field would not reach the error summary.
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(
            Field.text("title"),
            Field.text("start_year", field_width=4),
            Field.text("end_year", field_width=4),
            Field.textarea("vision", rows=4),
            *([Field.checkboxes("assessments")] if "assessments" in self.fields else []),
            *(["version"] if "version" in self.fields else []),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "The last year must be the same as or after the first year")
        elif start and end and end - start > MAX_PLAN_YEARS:
            self.add_error("end_year", f"A plan covers at most {MAX_PLAN_YEARS} years")
        cleaned.setdefault("assessments", [])
        if "version" in self.fields and cleaned.get("version") is None:
            self.errors.pop("version", None)
            self.add_error(None, "This page is out of date: open the plan again and make your change")
        return cleaned


class PriorityForm(PortalForm):
    submit_label = "Save priority"

    title = forms.CharField(max_length=200, error_messages=TITLE_ERRORS)
    aim = forms.CharField(
        label="Aim",
        help_text="What the partnership wants to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the aim of the priority"},
    )
    how_achieved = forms.CharField(
        label="How it will be achieved",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter how the priority will be achieved"},
    )
    theme = forms.ChoiceField(
        choices=[("", "Select a theme"), *Theme.choices],
        help_text="Lets the county group see priorities its partnerships share",
        error_messages={"required": "Select the priority's theme", "invalid_choice": "Select a theme from the list"},
    )
    strand = forms.ChoiceField(
        label="Strand of the strategy",
        choices=StrategyStrand.choices,
        widget=forms.RadioSelect,
        help_text="The Crime and Disorder Act 1998, section 6",
        error_messages={
            "required": "Select the strand of the strategy",
            "invalid_choice": "Select a strand of the strategy from the list",
        },
    )
    alignment = forms.MultipleChoiceField(
        label="Aligned with (optional)",
        choices=Alignment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select alignments from the list"},
    )

    def layout(self) -> Layout:
        return Layout(
            Field.text("title"),
            Field.textarea("aim", rows=4),
            Field.textarea("how_achieved", rows=4),
            Field.select("theme"),
            Field.radios("strand"),
            Field.checkboxes("alignment"),
        )


class MeasureForm(PortalForm):
    submit_label = "Save measure"

    name = forms.CharField(
        max_length=200,
        help_text="For example, Knife crime with injury",
        error_messages={
            "required": "Enter the name of the measure",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    unit = forms.CharField(
        max_length=50,
        help_text="For example, crimes, % or per 1,000 people",
        error_messages={
            "required": "Enter the unit of the measure",
            "max_length": "Unit must be 50 characters or fewer",
        },
    )
    data_source = forms.CharField(
        max_length=150,
        help_text="For example, Essex Police (Athena)",
        error_messages={
            "required": "Enter where the figures come from",
            "max_length": "Data source must be 150 characters or fewer",
        },
    )
    baseline = _number_field("Baseline", "Enter the baseline")
    target = _number_field("Target", "Enter the target")
    direction = forms.ChoiceField(
        label="Which way is good?",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether up or down is good",
            "invalid_choice": "Select whether up or down is good",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.base_fields["baseline_date"] = date_field(
            "Baseline date", "The end of the baseline period, for example 31 3 2022", "Enter the baseline date"
        )
        self.base_fields["target_date"] = date_field(
            "Target date", "When the target should be met, for example 31 3 2025", "Enter the target date"
        )
        super().__init__(*args, **kwargs)

    def layout(self) -> Layout:
        return Layout(
            Field.text("name"),
            Field.text("unit", field_width=20),
            Field.text("data_source"),
            Field.radios("direction", inline=True),
            Field.text("baseline", field_width=10),
            Field("baseline_date"),
            Field.text("target", field_width=10),
            Field("target_date"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        names = ("baseline", "baseline_date", "target", "target_date", "direction")
        if all(cleaned.get(name) is not None for name in names):
            for field, message in check_measure(**{name: cleaned[name] for name in names}).items():
                self.add_error(field, message)
        return cleaned


class MeasureValueForm(PortalForm):
    submit_label = "Save value"

    value = _number_field("Value", "Enter the value")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.base_fields["period_end"] = date_field(
            "End of the period", "For example, 30 6 2024 for the quarter to June", "Enter the date the period ends"
        )
        super().__init__(*args, **kwargs)
        self.order_fields(["period_end", "value"])

    def layout(self) -> Layout:
        return Layout(Field("period_end"), Field.text("value", field_width=10))


class AdoptForm(PortalForm):
    submit_label = "Record adoption"

    adopted_by_body = forms.CharField(
        label="Adopted by",
        max_length=200,
        help_text="The body that adopted it, for example Full Council",
        error_messages={
            "required": "Enter the body that adopted the plan, like Full Council",
            "max_length": "Adopted by must be 200 characters or fewer",
        },
    )
    adoption_notes = forms.CharField(
        label="Earlier decisions (optional)",
        required=False,
        help_text="For example, Cabinet, 13 September 2022 (item 8)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.base_fields["adopted_on"] = date_field(
            "Date adopted", "For example, 8 12 2022", "Enter the date the plan was adopted"
        )
        super().__init__(*args, **kwargs)

    def layout(self) -> Layout:
        return Layout(Field("adopted_on"), Field.text("adopted_by_body"), Field.textarea("adoption_notes", rows=3))

    def clean_adopted_on(self) -> date:
        adopted_on: date = self.cleaned_data["adopted_on"]
        if adopted_on > date.today():  # noqa: DTZ011 - compared with a date typed in; settings.TIME_ZONE is local
            raise ValidationError("The date of adoption must be today or in the past")
        return adopted_on


DECISIONS = [
    (PriorityChangeKind.KEPT.value, "Keep"),
    (PriorityChangeKind.CHANGED.value, "Change"),
    (PriorityChangeKind.RETIRED.value, "Retire"),
]


class ReviewForm(PortalForm):
    """The annual review: the year, the assessment, a summary, a decision on every active priority and
    up to ADDED_ROWS new priorities."""

    submit_label = "Record annual review"
    ADDED_ROWS = 2

    summary = forms.CharField(
        label="Summary of the review",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter a summary of the review"},
    )

    def __init__(
        self,
        *args: Any,
        plan: PartnershipPlan,
        priorities: Sequence[Priority],
        years: Sequence[int],
        assessments: QuerySet[StrategicAssessment],
        **kwargs: Any,
    ) -> None:
        self.plan, self.priorities = plan, list(priorities)
        fields: dict[str, forms.Field] = {
            "year": forms.TypedChoiceField(
                label="Year reviewed",
                coerce=int,
                choices=[(y, f"{y}/{(y + 1) % 100:02d}") for y in years],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select the year of the plan this review is for",
                    "invalid_choice": "Select a year of the plan that has not been reviewed",
                },
            ),
            "assessment": forms.ModelChoiceField(
                label="Strategic assessment it was checked against",
                queryset=assessments,
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={
                    "required": "Select the strategic assessment the plan was checked against",
                    "invalid_choice": "Select a strategic assessment from the list",
                },
            ),
        }
        for priority in self.priorities:
            pk, title = priority.pk, priority.title
            fields[f"decision_{pk}"] = forms.ChoiceField(
                label=f"Keep, change or retire {title}?",
                choices=DECISIONS,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select whether to keep, change or retire {title}",
                    "invalid_choice": f"Select whether to keep, change or retire {title}",
                },
            )
            fields[f"title_{pk}"] = forms.CharField(
                label="New title, if you change it (optional)",
                required=False,
                max_length=200,
                error_messages={"max_length": "Title must be 200 characters or fewer"},
            )
            fields[f"aim_{pk}"] = forms.CharField(
                label="New aim, if you change it (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            fields[f"how_{pk}"] = forms.CharField(
                label="New way it will be achieved, if you change it (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            fields[f"theme_{pk}"] = forms.ChoiceField(
                label="New theme, if you change it (optional)",
                required=False,
                choices=[("", f"No change ({priority.get_theme_display()})"), *Theme.choices],
                error_messages={"invalid_choice": f"Choose the new theme of {title} from the list"},
            )
            fields[f"reason_{pk}"] = forms.CharField(
                label=f"Reason for the decision on {title}",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"Enter the reason for the decision on {title}"},
            )
        for i in range(1, self.ADDED_ROWS + 1):
            fields[f"added_title_{i}"] = forms.CharField(
                label="Title",
                required=False,
                max_length=200,
                error_messages={"max_length": f"The title of new priority {i} must be 200 characters or fewer"},
            )
            fields[f"added_aim_{i}"] = forms.CharField(
                label="Aim", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            fields[f"added_how_{i}"] = forms.CharField(
                label="How it will be achieved", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            fields[f"added_theme_{i}"] = forms.ChoiceField(
                label="Theme",
                required=False,
                choices=[("", "Select a theme"), *Theme.choices],
                error_messages={"invalid_choice": f"Choose the theme of new priority {i} from the list"},
            )
            fields[f"added_strand_{i}"] = forms.ChoiceField(
                label="Strand of the strategy",
                required=False,
                choices=[("", "Select a strand"), *StrategyStrand.choices],
                error_messages={"invalid_choice": f"Choose the strand of new priority {i} from the list"},
            )
            fields[f"added_reason_{i}"] = forms.CharField(
                label="Reason for adding it", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        super().__init__(*args, **kwargs)
        # Added to this form's own copy of the fields (base_fields is shared by every instance).
        self.fields.update(fields)
        self.order_fields(["year", "assessment", "summary"])

    def layout(self) -> Layout:
        decisions = [
            Fieldset(
                # Not a conditional reveal: GOV.UK Frontend's reveal puts aria attributes on the radios
                # that axe reports (aria-expanded on a radio; aria-controls naming nothing).
                Field.radios(f"decision_{p.pk}", inline=True),
                Field.text(f"title_{p.pk}"),
                Field.textarea(f"aim_{p.pk}", rows=2),
                Field.textarea(f"how_{p.pk}", rows=2),
                Field.select(f"theme_{p.pk}"),
                Field.textarea(f"reason_{p.pk}", rows=3),
                legend=p.title,
                legend_size=Size.MEDIUM,
            )
            for p in self.priorities
        ]
        added = [
            Fieldset(
                Field.text(f"added_title_{i}"),
                Field.textarea(f"added_aim_{i}", rows=3),
                Field.textarea(f"added_how_{i}", rows=3),
                Field.select(f"added_theme_{i}"),
                Field.select(f"added_strand_{i}"),
                Field.textarea(f"added_reason_{i}", rows=3),
                legend=f"New priority {i} (optional)",
                legend_size=Size.MEDIUM,
            )
            for i in range(1, self.ADDED_ROWS + 1)
        ]
        return Layout(
            Field.radios("year", inline=True),
            Field.radios("assessment"),
            Field.textarea("summary", rows=5),
            *decisions,
            *added,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        existing = {p.title.lower(): p.pk for p in self.plan.priorities.all()}
        titles: dict[str, str] = {}  # new titles in this review → the field that gives it
        for priority in self.priorities:
            decision = cleaned.get(f"decision_{priority.pk}")
            rewording = [key for key in ("title", "aim", "how", "theme") if cleaned.get(f"{key}_{priority.pk}")]
            if decision and decision != PriorityChangeKind.CHANGED and rewording:
                self.add_error(
                    f"decision_{priority.pk}",
                    f"Select Change to give {priority.title} new wording or a new theme, or clear them",
                )
            new_title = (cleaned.get(f"title_{priority.pk}") or "").strip()
            if decision != PriorityChangeKind.CHANGED or not new_title:
                continue
            if existing.get(new_title.lower(), priority.pk) != priority.pk or new_title.lower() in titles:
                self.add_error(f"title_{priority.pk}", f"The plan already has a priority called {new_title}")
            titles[new_title.lower()] = f"title_{priority.pk}"
        added = []
        for i in range(1, self.ADDED_ROWS + 1):
            values = {key: (cleaned.get(f"added_{key}_{i}") or "").strip() for key in _ADDED_KEYS}
            if not any(values.values()):
                continue
            for key, message in _ADDED_REQUIRED.items():
                if not values[key] and f"added_{key}_{i}" not in self.errors:
                    self.add_error(f"added_{key}_{i}", message.format(i=i))
            title = values["title"]
            if title and (title.lower() in existing or title.lower() in titles):
                self.add_error(f"added_title_{i}", f"The plan already has a priority called {title}")
            titles[title.lower()] = f"added_title_{i}"
            added.append(values)
        cleaned["added"] = added
        return cleaned

    def decisions(self) -> list[dict[str, Any]]:
        """The decision on each active priority, from valid data."""
        data = self.cleaned_data
        return [
            {
                "priority": p,
                "kind": data[f"decision_{p.pk}"],
                "reason": data[f"reason_{p.pk}"],
                "title": data[f"title_{p.pk}"],
                "aim": data[f"aim_{p.pk}"],
                "how_achieved": data[f"how_{p.pk}"],
                "theme": data[f"theme_{p.pk}"],
            }
            for p in self.priorities
        ]


_ADDED_KEYS = ("title", "aim", "how", "theme", "strand", "reason")
_ADDED_REQUIRED = {
    "title": "Enter the title of new priority {i}",
    "aim": "Enter the aim of new priority {i}",
    "how": "Enter how new priority {i} will be achieved",
    "theme": "Select the theme of new priority {i}",
    "strand": "Select the strand of the strategy for new priority {i}",
    "reason": "Enter the reason for adding new priority {i}",
}
