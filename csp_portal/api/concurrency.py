"""Optimistic concurrency for the API: the same versions the pages use.

Every versioned row (action plans, actions, partnership plans, assessments, reviews, recommendations)
is sent with `ETag: "<version>"` and a `version` field. A write says which version it changes, either
way: an `If-Match: "<version>"` header (a stale one is answered 412 Precondition Failed) or `version`
in the body (a stale one is answered 409 Conflict). Both answers carry the current version, and the row
as it is now, and nothing is saved. A write with neither is refused (400). The services compare the
version again under a row lock, so two writes from the same version cannot both pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from actionplans.services import StaleEdit
from csp_portal.api.exceptions import StaleWrite, service_error

T = TypeVar("T")

VERSION_REQUIRED = (
    "Say which version you are changing: send the ETag you read in an If-Match header, or its number as version"
)


@dataclass(frozen=True)
class Expected:
    """The version a write changes, and whether it came in If-Match (412 when stale) or the body (409)."""

    version: int
    from_header: bool


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = etag(version)
    return response


def _if_match(request: Request) -> list[str] | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if not tags:
        raise ParseError("If-Match is empty")
    return tags


def _tag_version(tag: str, current: int) -> int | None:
    if tag == "*":
        return current
    tag = tag.removeprefix("W/")
    if len(tag) >= 2 and tag[0] == tag[-1] == '"':
        tag = tag[1:-1]
    return int(tag) if tag.isdigit() else None


def expected_version(
    request: Request, body_version: int | None, *, current_version: int, represent: Callable[[], Any]
) -> Expected:
    """The version the write changes. A stale If-Match is refused here (412); a stale body version is
    refused here too (409), before the service is asked; a race after this is caught by the service."""
    tags = _if_match(request)
    if tags is not None:
        versions = [v for v in (_tag_version(tag, current_version) for tag in tags) if v is not None]
        if body_version is not None and body_version not in versions:
            raise ValidationError({"version": ["The version in the body and the If-Match header differ"]})
        if current_version not in versions:
            raise StaleWrite(current_version=current_version, current=represent(), from_header=True)
        return Expected(current_version, from_header=True)
    if body_version is None:
        raise ValidationError({"version": [VERSION_REQUIRED]})
    if body_version != current_version:
        raise StaleWrite(current_version=current_version, current=represent(), from_header=False)
    return Expected(body_version, from_header=False)


def call_service(service: Callable[[], T], *, expected: Expected | None, represent: Callable[[Any], Any]) -> T:
    """Call a service: its StaleEdit becomes 409/412 (with the current row), its ValidationError 400."""
    try:
        return service()
    except StaleEdit as stale:
        if expected is None:
            raise
        current = stale.current
        raise StaleWrite(
            current_version=current.version, current=represent(current), from_header=expected.from_header
        ) from None
    except DjangoValidationError as error:
        raise service_error(error) from None
