"""Template helpers for the review pages: the stage tag and the section tabs. They decide nothing
about permissions (reviews.permissions does)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from reviews.choices import Stage

register = template.Library()

STAGE_CLASSES = {
    Stage.NOTIFIED: "govuk-tag--grey",
    Stage.SCOPING: "govuk-tag--grey",
    Stage.DECIDED: "govuk-tag--blue",
    Stage.PUBLISHED: "govuk-tag--green",
    Stage.QA_APPROVED: "govuk-tag--green",
    Stage.CLOSED: "govuk-tag--purple",
}


@register.simple_tag
def stage_tag(review: Any) -> SafeString:
    """{% stage_tag review %}: the stage in words, in a tag."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STAGE_CLASSES.get(review.stage, "govuk-tag--light-blue"),
        review.get_stage_display(),
    )


@register.simple_tag(takes_context=True)
def review_tab(context: Any, tab: str, label: str, url_name: str) -> SafeString:
    """One link of the review's section navigation, marked as the current page when it is."""
    url = reverse(url_name, args=[context["review"].pk])
    if context.get("tab") == tab:
        return format_html(
            '<li class="app-subnav__item app-subnav__item--current">'
            '<a class="govuk-link app-subnav__link" href="{}" aria-current="page">{}</a></li>',
            url,
            label,
        )
    return format_html(
        '<li class="app-subnav__item"><a class="govuk-link app-subnav__link" href="{}">{}</a></li>', url, label
    )


@register.filter
def deadline_status(deadline: Any, today: Any) -> str:
    """{{ deadline|deadline_status:today }}: "Due in 5 days", "Overdue by 3 days", "Met on …"."""
    return str(deadline.status(today))


@register.filter
def deadline_overdue(deadline: Any, today: Any) -> bool:
    """{% if deadline|deadline_overdue:today %}: not met and past its date."""
    return bool(deadline.is_overdue(today))


@register.simple_tag
def summary_row(key: str, value: Any) -> SafeString:
    """{% summary_row "Date of death" review.date_of_death|date:"j F Y" %}: one row of a summary list
    (line breaks kept, for notes)."""
    return format_html(
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
        '<dd class="govuk-summary-list__value">{}</dd></div>',
        key,
        linebreaksbr(value),
    )
