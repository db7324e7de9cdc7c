"""Errors as JSON: the services' ValidationError as 400 with field errors, stale writes as 409 or 412.

Every error body is an object: {"detail": "..."} for a refusal, {"<field>": ["..."], ...} for bad input
(a service's error about no field in particular under "non_field_errors"), and for a stale write the
current version and the row as it is now beside the message. Django's Http404 and PermissionDenied,
which the permission modules raise, become 404 and 403 (DRF's own handling).
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def service_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as field errors, keyed by the service's argument (= the API field) names."""
    non_field = str(api_settings.NON_FIELD_ERRORS_KEY)
    if hasattr(error, "error_dict"):
        detail: dict[str, list[str]] = {}
        for field, errors in error.message_dict.items():
            key = non_field if field == "__all__" else field
            detail.setdefault(key, []).extend(str(message) for message in errors)
        return detail
    return {non_field: [str(message) for message in error.messages]}


def service_error(error: DjangoValidationError) -> ValidationError:
    return ValidationError(service_error_detail(error))


class StaleWrite(APIException):
    """The version the caller changed from is not the current one: nothing was saved.

    409 when the version came in the body (`version`), 412 when it came in an If-Match header. The body
    carries the current version and the row as it is now; the ETag header the current version.
    """

    status_code: int = status.HTTP_409_CONFLICT
    default_code = "stale"

    def __init__(self, *, current_version: int, current: Any, from_header: bool) -> None:
        super().__init__()
        if from_header:
            self.status_code = status.HTTP_412_PRECONDITION_FAILED
            message = "If-Match does not match the current version: someone else changed this. Nothing was saved."
        else:
            message = "Someone else changed this after the version you sent. Nothing was saved."
        self.current_version = current_version
        # Set after __init__: APIException would turn every value (the version, the row) into text.
        self.detail = cast(Any, {"detail": message, "current_version": current_version, "current": current})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = service_error(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, StaleWrite):
        response["ETag"] = f'"{exc.current_version}"'
    return response
