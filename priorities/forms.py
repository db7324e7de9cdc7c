"""Forms for assessments and crime data. They parse input; priorities.services applies the rules."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from partnerships.forms import PortalForm, date_field
from priorities.models import ConsultationKind, Trend
from priorities.policeuk import CrimeCategory

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # a force-wide year of street-level files is about 100 MB


def _month_field(label: str, required_message: str) -> Any:
    return date_field(label, "For example, 1 10 2023 (the day is ignored: a month is meant)", required_message)


class AssessmentForm(PortalForm):
    submit_label = "Save assessment"

    year = forms.IntegerField(
        label="Year it covers",
        help_text="The first year: 2024 for 2024/25",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Enter the year the assessment covers",
            "invalid": "Enter the year as a number, like 2024",
            "min_value": "Enter a year from 2000",
            "max_value": "Enter a year before 2100",
        },
    )
    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"},
    )
    summary = forms.CharField(label="Summary (optional)", required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        self.base_fields["period_start"] = _month_field("Data from", "Enter the first month of the data window")
        self.base_fields["period_end"] = _month_field("Data to", "Enter the last month of the data window")
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
            self.helper.layout = self.layout()

    def layout(self) -> Layout:
        names = ["year"] if "year" in self.fields else []
        hidden = ["version"] if "version" in self.fields else []
        return Layout(
            *[Field.text(n, field_width=4) for n in names],
            Field.text("title"),
            Field("period_start"),
            Field("period_end"),
            Field.textarea("summary"),
            *hidden,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end.replace(day=1) < start.replace(day=1):
            self.add_error("period_end", "The end of the data window must be on or after its start")
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field taking several files at once (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,text/csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class CrimeImportForm(PortalForm):
    submit_label = "Import files"

    csv_files = MultipleFileField(
        label="police.uk street-level crime files",
        help_text="CSV files as downloaded from data.police.uk (…-street.csv). You can choose several.",
        error_messages={"required": "Choose at least one police.uk CSV file", "empty": "The file is empty"},
    )

    def layout(self) -> Layout:
        return Layout(Field("csv_files"))

    def clean_csv_files(self) -> list[Any]:
        uploads: list[Any] = self.cleaned_data["csv_files"]
        for upload in uploads:
            if not upload.name.lower().endswith(".csv"):
                raise ValidationError(f"{upload.name} is not a CSV file (.csv)")
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(f"{upload.name} is larger than 200 MB; import it a few months at a time")
        return uploads


class IssueForm(PortalForm):
    submit_label = "Save issue"

    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter the issue", "max_length": "Issue must be 200 characters or fewer"},
    )
    category = forms.ChoiceField(
        label="police.uk category (optional)", required=False, choices=[("", "None"), *CrimeCategory.choices]
    )
    evidence = forms.CharField(label="Evidence (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    harm = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(1, "1 – low"), (2, "2 – moderate"), (3, "3 – serious"), (4, "4 – severe")],
        error_messages={"required": "Select the harm score", "invalid_choice": "Select a harm score from 1 to 4"},
    )
    likelihood = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(1, "1 – rare"), (2, "2 – possible"), (3, "3 – likely"), (4, "4 – almost certain")],
        error_messages={
            "required": "Select the likelihood score",
            "invalid_choice": "Select a likelihood score from 1 to 4",
        },
    )
    trend = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=Trend.choices,
        error_messages={"required": "Select the trend", "invalid_choice": "Select rising, stable or falling"},
    )
    recommended = forms.BooleanField(label="Recommend as a priority", required=False)

    def layout(self) -> Layout:
        return Layout(
            Field.text("title"),
            Field.select("category"),
            Field.textarea("evidence"),
            Field.radios("harm", inline=True, legend_size=Size.SMALL),
            Field.radios("likelihood", inline=True, legend_size=Size.SMALL),
            Field.radios("trend", inline=True, legend_size=Size.SMALL),
            Field.checkbox("recommended"),
        )


class ConsultationForm(PortalForm):
    """A survey or event with up to five question results (question, % agreeing, respondents)."""

    submit_label = "Save consultation"
    RESULT_ROWS = 5

    kind = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=ConsultationKind.choices,
        error_messages={"required": "Select the kind of consultation"},
    )
    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"},
    )
    respondents = forms.IntegerField(
        label="Number of respondents or attendees (optional)",
        required=False,
        min_value=0,
        error_messages={"invalid": "Enter the number as a whole number", "min_value": "The number cannot be negative"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.base_fields["held_on"] = date_field("Date", "For example, 14 2 2024", "Enter the date it was held")
        for i in range(1, self.RESULT_ROWS + 1):
            self.base_fields[f"question_{i}"] = forms.CharField(label=f"Question {i}", required=False, max_length=300)
            self.base_fields[f"percent_{i}"] = forms.DecimalField(
                label=f"Question {i}: % agreeing",
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=1,
                error_messages={
                    "invalid": f"Enter the percentage for question {i} as a number, like 54.5",
                    "min_value": f"The percentage for question {i} must be 0 or more",
                    "max_value": f"The percentage for question {i} must be 100 or less",
                    "max_decimal_places": f"Give the percentage for question {i} to one decimal place",
                },
            )
            self.base_fields[f"count_{i}"] = forms.IntegerField(
                label=f"Question {i}: respondents",
                required=False,
                min_value=1,
                error_messages={
                    "invalid": f"Enter the respondents to question {i} as a whole number",
                    "min_value": f"The respondents to question {i} must be 1 or more",
                },
            )
        super().__init__(*args, **kwargs)

    def layout(self) -> Layout:
        rows = [
            Fieldset(
                Field.text(f"question_{i}"),
                Field.text(f"percent_{i}", field_width=4),
                Field.text(f"count_{i}", field_width=5),
                legend=f"Result {i}",
                legend_size=Size.SMALL,
            )
            for i in range(1, self.RESULT_ROWS + 1)
        ]
        return Layout(
            Field.radios("kind", inline=True),
            Field.text("title"),
            Field("held_on"),
            Field.text("respondents", field_width=5),
            Field.textarea("notes"),
            *rows,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        results: list[tuple[str, Any, int]] = []
        for i in range(1, self.RESULT_ROWS + 1):
            question = (cleaned.get(f"question_{i}") or "").strip()
            percent, count = cleaned.get(f"percent_{i}"), cleaned.get(f"count_{i}")
            if not question and percent is None and count is None:
                continue
            if not question:
                self.add_error(f"question_{i}", f"Enter question {i}, or clear its figures")
            if percent is None and f"percent_{i}" not in self.errors:
                self.add_error(f"percent_{i}", f"Enter the % agreeing with question {i}")
            if count is None and f"count_{i}" not in self.errors:
                self.add_error(f"count_{i}", f"Enter the respondents to question {i}")
            if question and percent is not None and count is not None:
                results.append((question, percent, count))
        cleaned["results"] = results
        return cleaned


class CommentForm(PortalForm):
    submit_label = "Add comment"

    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter your comment", "max_length": "Comment must be 5,000 characters or fewer"},
    )

    def layout(self) -> Layout:
        return Layout(Field.textarea("body"))


class ConfirmForm(PortalForm):
    """A one-button form for a workflow step (share, approve): the page says what will happen."""

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        self.submit_label = label
        super().__init__(*args, **kwargs)

    def layout(self) -> Layout:
        return Layout()


class LocalDataForm(PortalForm):
    """A figure from another source (ASB, fire, health …) entered by hand."""

    submit_label = "Save figure"

    source = forms.CharField(
        max_length=150,
        help_text="For example, Essex County Fire and Rescue Service",
        error_messages={"required": "Enter where the figure comes from"},
    )
    indicator = forms.CharField(
        max_length=150,
        help_text="For example, Deliberate secondary fires",
        error_messages={"required": "Enter what the figure counts"},
    )
    value = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "Enter the figure",
            "invalid": "Enter the figure as a number, like 125 or 12.5",
            "max_decimal_places": "Give the figure to two decimal places at most",
            "max_digits": "The figure is too large",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.base_fields["period_start"] = date_field(
            "Period from", "For example, 1 10 2023", "Enter the start of the period"
        )
        self.base_fields["period_end"] = date_field(
            "Period to", "For example, 30 9 2024", "Enter the end of the period"
        )
        super().__init__(*args, **kwargs)

    def layout(self) -> Layout:
        return Layout(
            Field.text("source"),
            Field.text("indicator"),
            Field("period_start"),
            Field("period_end"),
            Field.text("value", field_width=10),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        return cleaned
