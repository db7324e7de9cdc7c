"""Template helpers for the action plan pages: RAG tags and flags that always carry their text, and a
filter that asks actionplans.permissions (it decides nothing itself)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from actionplans import permissions
from actionplans.selectors import RAG_LABELS
from partnerships.models import Partnership

register = template.Library()

# GOV.UK tag colours for each display RAG. Complete is a solid blue of its own (static/src/scss/_app-rag.scss):
# GOV.UK's default tag is a pale blue, used here for statuses.
RAG_CLASSES = {
    "red": "govuk-tag--red",
    "amber": "govuk-tag--orange",
    "green": "govuk-tag--green",
    "blue": "app-tag--complete",
    "grey": "govuk-tag--grey",
}
STATUS_CLASSES = {
    "draft": "govuk-tag--grey",
    "agreed": "govuk-tag--green",
    "closed": "govuk-tag--purple",
}


@register.simple_tag
def rag_tag(rag: str) -> SafeString:
    """{% rag_tag action.display_rag %}: a tag whose text says the RAG (never colour alone)."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', RAG_CLASSES.get(rag, "govuk-tag--grey"), RAG_LABELS.get(rag, rag)
    )


@register.simple_tag
def action_flags(action: Any) -> SafeString:
    """{% action_flags action %}: "Overdue" and "No update this quarter" tags, for an action with flags."""
    flags = []
    if getattr(action, "is_overdue", False):
        flags.append("Overdue")
    if getattr(action, "needs_update", False):
        flags.append("No update this quarter")
    return format_html_join(" ", '<strong class="govuk-tag app-flag">{}</strong>', ((flag,) for flag in flags))


@register.simple_tag
def plan_status_tag(action_plan: Any) -> SafeString:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATUS_CLASSES.get(action_plan.status, ""),
        action_plan.get_status_display(),
    )


@register.filter
def action_plans_visible_to(partnership: Partnership, user: Any) -> bool:
    """{% if partnership|action_plans_visible_to:user %}: link to the action plans only for their readers."""
    return permissions.can_read_action_plans(user, partnership)


@register.filter
def roll_up_visible_to(county: Partnership, user: Any) -> bool:
    """{% if partnership|roll_up_visible_to:user %}: link to a county group's roll-up only for its readers."""
    return county.is_county_group and permissions.can_read_roll_up(user, county)


@register.filter
def isodate(value: str | None, fmt: str = "j F Y") -> str:
    """{{ "2025-03-31"|isodate }} → "31 March 2025": dates in a report's frozen contents are ISO text."""
    if not value:
        return ""
    return dateformat.format(date.fromisoformat(value), fmt)


@register.filter
def pounds(value: str | Decimal | None) -> str:
    """{{ "12500.00"|pounds }} → "£12,500.00"."""
    if value in (None, ""):
        return ""
    return f"£{Decimal(value):,.2f}"


@register.filter
def number(value: str | Decimal | None) -> str:
    """A measure's value without needless decimals: "12.50" → "12.5", "40.00" → "40"."""
    if value in (None, ""):
        return "–"
    amount = Decimal(value).normalize()
    return f"{amount:,f}" if amount == amount.to_integral() else f"{amount:,}"


@register.filter
def trend(on_track: bool | None) -> str:
    """A measure's trend in words (shown as text, never colour alone)."""
    return "No data yet" if on_track is None else ("On track" if on_track else "Off track")


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    """{{ tally.rag|get:"red" }}."""
    return mapping.get(key) if mapping else None
