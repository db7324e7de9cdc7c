"""Forms for annual reports. They parse input; actionplans.reports.services applies the rules."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Layout
from django import forms

from actionplans.dashboard import year_label
from actionplans.forms import TITLE_ERRORS, VersionedForm
from priorities.models import PartnershipPlan

COMMITTEE_HINT = 'The crime and disorder committee it goes to, e.g. "Place Scrutiny Committee"'


def _committee() -> forms.CharField:
    return forms.CharField(
        label="Committee",
        help_text=COMMITTEE_HINT,
        required=False,
        max_length=200,
        error_messages={"max_length": "Committee must be 200 characters or fewer"},
    )


class ReportStartForm(VersionedForm):
    """Choose the plan year the report covers (the year picks the plan)."""

    submit_label = "Start the report"

    year = forms.TypedChoiceField(
        label="Year the report covers",
        coerce=int,
        error_messages={
            "required": "Choose the year the report covers",
            "invalid_choice": "Choose one of the years listed",
        },
    )
    committee = _committee()

    def __init__(self, *args: Any, years: list[tuple[int, PartnershipPlan]], **kwargs: Any) -> None:
        super().__init__(*args, versioned=False, **kwargs)
        self.plans = dict(years)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a year"),
            *((year, f"{year_label(year)}: {plan.title}") for year, plan in years),
        ]

    def layout(self) -> Layout:
        return Layout(Field.select("year"), Field.text("committee"))


def _narrative(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": f"{label} must be 20,000 characters or fewer"},
    )


class ReportForm(VersionedForm):
    """The title, committee and narrative sections of a draft report."""

    submit_label = "Save the report"

    title = forms.CharField(label="Title", max_length=200, error_messages=TITLE_ERRORS)
    committee = _committee()
    summary = _narrative(
        "Summary", "The year in a few paragraphs: the partnership's priorities and how it did. Needed to publish."
    )
    successes = _narrative("Successes", "What went well, with figures where you have them")
    year_ahead = _narrative("The year ahead", "What the partnership will focus on next year, and why")
    recommendations = _narrative(
        "Recommendations to the committee", 'What the committee is asked to do, e.g. "Note the progress made"'
    )

    def layout(self) -> Layout:
        return Layout(
            Field.text("title"),
            Field.text("committee"),
            *(Field.textarea(name) for name in ("summary", "successes", "year_ahead", "recommendations")),
            "version",
        )


class PublishForm(VersionedForm):
    """Publishing confirms the version the manager looked at."""

    submit_label = "Publish the report"

    def layout(self) -> Layout:
        return Layout("version")
