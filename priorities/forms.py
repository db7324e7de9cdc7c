"""Forms for assessments and crime data. They parse input; priorities.services applies the rules."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from partnerships.forms import PortalForm, date_field
from priorities.models import ConsultationKind, Trend
from priorities.policeuk import CrimeCategory

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # a force-wide year of street-level files is about 100 MB
# More people than any consultation reaches, and well inside the database's integer: a larger number is a
# typing mistake, refused with a message rather than failing at the database.
MAX_PEOPLE = 10_000_000

# The Design System asks date inputs to accept month names as well as numbers ("jan", "January").
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_BY_NAME = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}
_DIGITS = re.compile(r"[0-9]+")


def _number_input(mode: str = "numeric") -> forms.TextInput:
    """A text box for a number: the Design System avoids type="number" (and crispy-forms-gds styles only
    text inputs as govuk-input)."""
    return forms.TextInput(attrs={"inputmode": mode, "spellcheck": "false"})


class MonthInput(forms.MultiWidget):
    """The GOV.UK date input with two boxes, month and year (crispy-forms-gds's markup, without the day)."""

    template_name = "gds/widgets/date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # "label" is read (and removed) by the template: each box has its own visible label.
        box = "govuk-input govuk-date-input__input"
        widgets = [
            forms.TextInput(attrs={"class": f"{box} govuk-input--width-2", "inputmode": "numeric", "label": "Month"}),
            forms.TextInput(attrs={"class": f"{box} govuk-input--width-4", "inputmode": "numeric", "label": "Year"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.month, value.year]
        return [None, None]


class MonthField(forms.MultiValueField):
    """A month (month and year boxes), cleaned to the first day of that month.

    Errors follow the Design System's date input: one message naming the field, attached to the box
    that is wrong so the error summary links to it and only that box is marked (both when both are empty).
    """

    widget = MonthInput

    def __init__(self, *, label: str, what: str, hint: str, **kwargs: Any) -> None:
        # `what` completes the messages, e.g. "the data window starts".
        boxes = (forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=boxes, label=label, help_text=hint, require_all_fields=False, **kwargs)
        self.error_messages.update(
            {
                "required": f"Enter the month and year {what}",
                "no_month": f"{label} must include a month",
                "no_year": f"{label} must include a year",
                "bad_month": f"{label} must be a real month",
                "bad_year": f"The year {what} must include 4 numbers, like 2024",
            }
        )

    def clean(self, value: Any) -> date | None:
        for box in self.fields:
            box.widget.errors = []
        parts = list(value) if isinstance(value, list | tuple) else []
        month_text, year_text = (str(p).strip() if p is not None else "" for p in [*parts, None, None][:2])
        if not month_text and not year_text:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not month_text:
            self._refuse(0, "no_month")
        if not year_text:
            self._refuse(1, "no_year")
        month = int(month_text) if _DIGITS.fullmatch(month_text) else _MONTH_BY_NAME.get(month_text.lower())
        if month is None or not 1 <= month <= 12:
            self._refuse(0, "bad_month")
        if not (_DIGITS.fullmatch(year_text) and len(year_text) == 4 and int(year_text) >= 1000):
            self._refuse(1, "bad_year")
        return self.compress([month, int(year_text)])

    def compress(self, data_list: list[Any]) -> date | None:
        month, year = data_list
        return date(year, month, 1) if month and year else None

    def _refuse(self, box: int, key: str) -> None:
        message = self.error_messages[key]
        self.fields[box].widget.errors = [message]
        raise ValidationError(message, code=key)


class AssessmentForm(PortalForm):
    submit_label = "Save assessment"

    year = forms.IntegerField(
        label="Year it covers",
        help_text="The first year: 2024 for 2024/25",
        widget=_number_input(),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Enter the year the assessment covers",
            "invalid": "Enter the year as a number, like 2024",
            "min_value": "Enter a year from 2000",
            "max_value": "Enter a year no later than 2100",
        },
    )
    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"},
    )
    period_start = MonthField(
        label="Start of the data window",
        what="the data window starts",
        hint="The first month of data, for example 10 2023",
    )
    period_end = MonthField(
        label="End of the data window",
        what="the data window ends",
        hint="The last month of data, for example 9 2024",
    )
    summary = forms.CharField(label="Summary (optional)", required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
            # The version the editor saw: a change saved since then is not overwritten (services).
            # Not required by the field: a hidden field's error would not reach the error summary, so clean()
            # reports a missing version as an error of the form.
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
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
        if start and end and end < start:
            self.add_error("period_end", "The end of the data window must be on or after its start")
        if "version" in self.fields and cleaned.get("version") is None:
            self.add_error(None, "Open the page again: it was missing what it needs to save your changes safely")
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field taking several files at once (Django's documented pattern).

    Unlike the documented pattern, choosing no file at all is the field's "required" error: an empty
    list would otherwise pass.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # crispy-forms-gds styles only the widgets it knows by class name: give this one the GOV.UK class.
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,text/csv", "class": "govuk-file-upload"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = list(data) if isinstance(data, list | tuple) else [data]
        return [single(item, initial) for item in items or [None]]


class CrimeImportForm(PortalForm):
    submit_label = "Import files"

    csv_files = MultipleFileField(
        label="police.uk street-level crime files",
        help_text="CSV files as downloaded from data.police.uk (…-street.csv). You can choose several.",
        error_messages={"required": "Choose at least one police.uk CSV file", "empty": "The file is empty"},
    )

    def layout(self) -> Layout:
        return Layout(Field("csv_files"))

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if "csv_files" in self.errors:  # the red border crispy-forms-gds gives only to widgets it knows
            self.fields["csv_files"].widget.attrs["class"] = "govuk-file-upload govuk-file-upload--error"

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
        widget=_number_input(),
        min_value=0,
        max_value=MAX_PEOPLE,
        error_messages={
            "invalid": "Enter the number as a whole number",
            "min_value": "The number cannot be negative",
            "max_value": "Enter a number of 10,000,000 or fewer",
        },
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.base_fields["held_on"] = date_field("Date", "For example, 14 2 2024", "Enter the date it was held")
        for i in range(1, self.RESULT_ROWS + 1):
            self.base_fields[f"question_{i}"] = forms.CharField(label=f"Question {i}", required=False, max_length=300)
            self.base_fields[f"percent_{i}"] = forms.DecimalField(
                label=f"Question {i}: % agreeing",
                required=False,
                widget=_number_input("decimal"),
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
                widget=_number_input(),
                min_value=1,
                max_value=MAX_PEOPLE,
                error_messages={
                    "invalid": f"Enter the respondents to question {i} as a whole number",
                    "min_value": f"The respondents to question {i} must be 1 or more",
                    "max_value": f"The respondents to question {i} must be 10,000,000 or fewer",
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
        widget=_number_input("decimal"),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "Enter the figure",
            "invalid": "Enter the figure as a number, like 125 or 12.5",
            "max_decimal_places": "Give the figure to two decimal places at most",
            "max_digits": "The figure is too large",
            "max_whole_digits": "The figure is too large",
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
