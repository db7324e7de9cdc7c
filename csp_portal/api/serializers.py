"""What every app's serializers share: strict input, and the fields partnerships are named by.

Output serializers only read. Input serializers (`WriteSerializer`) parse and type-check what a write
sends and name every field they do not take (an unknown field is an error, not silently dropped); the
rules of the data are the services', whose errors come back as field errors with the same names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

UNKNOWN_FIELD = "This request does not take this field"


class WriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Input that refuses fields it does not know, naming each, alongside the other errors."""

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[str]] = {}
        if isinstance(data, Mapping):
            unknown = {str(name): [UNKNOWN_FIELD] for name in data if name not in self.fields}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail if isinstance(error.detail, dict) else {"non_field_errors": error.detail}
            raise serializers.ValidationError({**unknown, **detail}) from None
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


# The RAG the pages show: the reported one, blue when complete, grey before any report.
DISPLAY_RAGS = (
    ("red", "Red"),
    ("amber", "Amber"),
    ("green", "Green"),
    ("blue", "Blue: complete"),
    ("grey", "Grey: no progress reported yet"),
)


@extend_schema_field(OpenApiTypes.STR)
class PartnershipRefField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A partnership by its slug (as in the pages' addresses: /partnerships/<slug>/)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", "The partnership's slug, as in its address in the portal")
        super().__init__(slug_field="slug", **kwargs)


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you are changing (the ETag you read). Or send it as If-Match.",
    )


def limit_choices(serializer: serializers.Serializer, name: str, queryset: QuerySet[Any]) -> None:  # type: ignore[type-arg]
    """Let a related field (or a list of them) take only rows of this queryset, e.g. those the caller may see."""
    field = serializer.fields[name]
    if isinstance(field, serializers.ManyRelatedField):
        field = field.child_relation
    if not isinstance(field, serializers.RelatedField):
        raise TypeError(f"{name} is not a related field")
    field.queryset = queryset  # type: ignore[arg-type]
