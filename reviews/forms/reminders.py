"""Forms of the reminder pages: a partnership's reminder days per kind (its managers), and the kinds of
reminder a person has switched off (their own). They parse input; reviews/views/reminders.py saves.

Every message names the kind it is about, so the error summary says which of the similar-looking
fields needs changing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from partnerships.forms import PortalForm
from reviews.reminders.models import ReminderKind
from reviews.reminders.planner import DEFAULTS, WEEKLY_KINDS, WORKING_DAY_KINDS, normalised
from reviews.reminders.windows import Offsets

MAX_DAYS = 365
MAX_VALUES = 5
EXAMPLE = "14, 0"
_WHOLE_NUMBER = re.compile(r"\d+")


def label(kind: str) -> str:
    return str(ReminderKind(kind).label)


def days_text(days: Sequence[int]) -> str:
    """Days as the form shows them: "14, 0"."""
    return ", ".join(str(day) for day in days)


def describe_default(kind: str) -> str:
    """The default, in words, for the hint beside each kind."""
    default = DEFAULTS[kind]
    unit = "working days" if kind in WORKING_DAY_KINDS else "days"
    text = f"Default: {days_text(default.days_before)} {unit} before"
    if kind in WEEKLY_KINDS:
        text += ", then weekly while overdue" if default.weekly_when_overdue else ", nothing after the due date"
    return text


def parse_days(kind: str, text: str) -> tuple[int, ...]:
    """ "14, 0" → (14, 0), largest first; a ValidationError naming the kind otherwise."""
    name = label(kind)
    unit = "working days" if kind in WORKING_DAY_KINDS else "days"
    parts = [part.strip() for part in text.split(",")]
    parts = [part for part in parts if part]
    if not parts:
        raise ValidationError(f"{name}: enter the {unit} before the due date, like {EXAMPLE}", code="required")
    if not all(_WHOLE_NUMBER.fullmatch(part) for part in parts):
        raise ValidationError(
            f"{name}: enter {unit} as whole numbers separated by commas, like {EXAMPLE}", code="invalid"
        )
    days = sorted({int(part) for part in parts}, reverse=True)
    if any(day > MAX_DAYS for day in days):
        raise ValidationError(f"{name}: {unit} must be from 0 to {MAX_DAYS}", code="range")
    if len(parts) > MAX_VALUES:
        raise ValidationError(f"{name}: enter no more than {MAX_VALUES} {unit}", code="too_many")
    return tuple(days)


class DaysField(forms.CharField):
    """Comma-separated days before a due date, cleaned to a tuple of whole numbers, largest first."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        if kind in WORKING_DAY_KINDS:
            field_label = "Working days before the last day of the quarter"
            help_text = (
                f"{describe_default(kind)} (Monday to Friday). Separate the numbers with commas; 0 is the last day."
            )
        else:
            field_label = "Days before the due date"
            help_text = f"{describe_default(kind)}. Separate the numbers with commas; 0 is the due date itself."
        super().__init__(
            label=field_label,
            help_text=help_text,
            required=False,  # an empty answer is refused by parse_days, with the kind named
            max_length=100,
            widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
            error_messages={"max_length": f"{label(kind)}: enter no more than {MAX_VALUES} numbers"},
            **kwargs,
        )

    def clean(self, value: Any) -> tuple[int, ...]:
        text = super().clean(value)
        return parse_days(self.kind, text or "")


def days_field_name(kind: str) -> str:
    return f"{kind}_days"


def weekly_field_name(kind: str) -> str:
    return f"{kind}_weekly"


class ReminderSettingsForm(PortalForm):
    """A partnership's reminder days, one fieldset per kind."""

    submit_label = "Save reminder days"

    def __init__(self, *args: Any, kinds: Sequence[str], current: dict[str, Offsets], **kwargs: Any) -> None:
        self.kinds = list(kinds)
        initial: dict[str, Any] = {}
        fields: dict[str, forms.Field] = {}
        for kind in self.kinds:
            offsets = current.get(kind) or DEFAULTS[kind]
            fields[days_field_name(kind)] = DaysField(kind)
            initial[days_field_name(kind)] = days_text(offsets.days_before)
            if kind in WEEKLY_KINDS:
                # The default is said in the days' hint ("then weekly while overdue").
                fields[weekly_field_name(kind)] = forms.BooleanField(
                    label="Remind every week while overdue", required=False
                )
                initial[weekly_field_name(kind)] = offsets.weekly_when_overdue
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        # The fields depend on the kinds shown: added to this form, never to the class.
        self.fields.update(fields)

    def layout(self) -> Layout:
        fieldsets = []
        for kind in self.kinds:
            parts: list[Any] = [Field.text(days_field_name(kind), field_width=10)]
            if kind in WEEKLY_KINDS:
                parts.append(Field.checkbox(weekly_field_name(kind), small=True))
            fieldsets.append(Fieldset(*parts, legend=label(kind), legend_size=Size.MEDIUM))
        return Layout(*fieldsets)

    def offsets(self) -> dict[str, Offsets]:
        """The cleaned answer: each kind's offsets, normalised (call after is_valid())."""
        return {
            kind: normalised(
                Offsets(
                    self.cleaned_data[days_field_name(kind)],
                    bool(self.cleaned_data.get(weekly_field_name(kind), False)),
                ),
                kind,
            )
            for kind in self.kinds
        }


class ReminderOptOutForm(PortalForm):
    """The kinds of reminder a person has switched off; statutory kinds are not offered."""

    submit_label = "Save your choices"

    switched_off = forms.MultipleChoiceField(
        label="Reminders you do not want",
        help_text="Select the kinds of reminder to switch off. Clear a box to have them sent again.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Select only the reminders listed: statutory reminders cannot be switched off",
        },
    )
    # Tells a saved form with every box cleared (all reminders on) from a request that sent nothing.
    answered = forms.CharField(widget=forms.HiddenInput, required=False, initial="yes")

    def __init__(self, *args: Any, kinds: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["switched_off"].choices = [(kind, label(kind)) for kind in kinds]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("answered") != "yes":
            raise ValidationError("Choose the reminders you do not want, then save your choices")
        return cleaned

    def layout(self) -> Layout:
        return Layout(Field.checkboxes("switched_off", legend_size=Size.SMALL, small=True), "answered")
