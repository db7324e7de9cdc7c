"""JSON request bodies, refused with 413 above settings.API_MAX_BODY_BYTES before anything is parsed.

The limit is checked against the declared Content-Length and again while reading, so a body that
under-declares its length is cut off rather than read whole.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"

    def __init__(self) -> None:
        limit = settings.API_MAX_BODY_BYTES
        super().__init__(f"The request body is larger than the API accepts ({limit // 1024} KB)")


class BoundedJSONParser(JSONParser):
    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        limit = int(settings.API_MAX_BODY_BYTES)
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        try:
            if declared and int(declared) > limit:
                raise BodyTooLarge
        except ValueError:
            raise ParseError("The Content-Length header is not a number") from None
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise BodyTooLarge
        data = super().parse(io.BytesIO(body), media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError("The request body must be a JSON object")
        return data
