"""Filters every list shares: a partnership by slug or ONS code, ids, and "changed since".

A filter only narrows the caller's scoped queryset; it can never widen it. A partnership the caller
may not see filters to an empty list, exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from partnerships.models import Partnership
from partnerships.permissions import partnership_lookup

MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):  # type: ignore[misc]
    """A row's id (a whole number)."""

    field_class = IdField


class PartnershipFilter(filters.CharFilter):  # type: ignore[misc]
    """`?partnership=riverton` or `?partnership=E22000089`: the rows of that partnership."""

    def __init__(self, field_name: str = "partnership", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "A partnership's slug or ONS code, as in its address in the portal")
        kwargs.setdefault("max_length", 160)
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return qs
        partnerships = Partnership.objects.filter(partnership_lookup(value)).values("pk")
        return qs.filter(**{f"{self.field_name}__in": partnerships})


class UtcDateTimeField(IsoDateTimeField):  # type: ignore[misc]
    """An ISO 8601 time, handed to the database in UTC: PostgreSQL refuses offsets past 15:59, which ISO allows."""

    def to_python(self, value: Any) -> datetime | None:
        moment: datetime | None = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("Enter a time between the years 1 and 9999") from None


class DateTimeFilter(filters.IsoDateTimeFilter):  # type: ignore[misc]
    field_class = UtcDateTimeField


class ChangedSinceFilter(DateTimeFilter):
    """`?updated_since=2025-04-01T00:00:00Z`: rows created or changed since then (from their history)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Only rows created or changed at or after this time (ISO 8601)")
        super().__init__(field_name="pk", **kwargs)

    def filter(self, qs: QuerySet[Any], value: datetime | None) -> QuerySet[Any]:
        if value is None:
            return qs
        # django-simple-history keeps a row per save, indexed by its date and the row's id.
        history = qs.model.history.model
        return qs.filter(pk__in=history.objects.filter(history_date__gte=value).values("id"))


class StrictBooleanField(forms.Field):
    """true or false (also 1 or 0); anything else is an error rather than no filter at all."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text not in self.VALUES:
            raise forms.ValidationError("Enter true or false")
        return self.VALUES[text]


class BooleanFilter(filters.BooleanFilter):  # type: ignore[misc]
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # django-filter's widget turns an unknown value into "no filter" before the field sees it.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


def date_range(field_name: str, what: str) -> tuple[filters.DateFilter, filters.DateFilter]:
    """`<what>_before` / `<what>_after` filters on a date field (inclusive)."""
    return (
        filters.DateFilter(field_name=field_name, lookup_expr="lte", help_text=f"Only rows {what} on or before"),
        filters.DateFilter(field_name=field_name, lookup_expr="gte", help_text=f"Only rows {what} on or after"),
    )


class StableOrderingFilter(OrderingFilter):
    """`?ordering=due_date,-reference`: the fields a list allows, with the row id last so that rows that tie
    keep one order from page to page."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            ordering.append("pk")
        return ordering
