"""The OpenAPI 3 description (drf-spectacular): every operation with the answers it can give.

drf-spectacular describes the serializers, filters and pagination. This module adds what it cannot see:
the error answers every operation may give (400, 401, 403, 404, 429, and 413 and 415 for writes), the
If-Match header and the 409 and 412 answers of versioned writes, the ETag header of versioned rows,
Retry-After on 429, and the token security scheme. A client generated from the schema then knows every
status code it can meet.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"
STALE_WRITE = "StaleWrite"

_COMPONENTS: dict[str, dict[str, Any]] = {
    ERROR: {
        "type": "object",
        "description": "A refusal, with the reason.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    FIELD_ERRORS: {
        "type": "object",
        "description": (
            "Bad input: each field named with what is wrong with it (a field the request does not take is "
            "named too). Errors about no one field are under non_field_errors; a malformed body gives detail."
        ),
        "additionalProperties": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            ]
        },
    },
    STALE_WRITE: {
        "type": "object",
        "description": "Someone else changed the row after the version the write was made from; nothing was saved.",
        "properties": {
            "detail": {"type": "string"},
            "current_version": {"type": "integer", "description": "The version to send to change the row now"},
            "current": {"type": "object", "additionalProperties": {}, "description": "The row as it is now"},
        },
        "required": ["detail", "current_version", "current"],
    },
}

_ERRORS = {
    "400": (FIELD_ERRORS, "Bad input: the fields named, with what is wrong (nothing was saved)"),
    "401": (ERROR, "No valid token or session: the token is unknown, expired or revoked"),
    "403": (ERROR, "Visible to you, but your role does not allow this (or a session write without its CSRF token)"),
    "404": (ERROR, "Not found, or not in your scope (the two look the same), or a page past the last"),
    "429": (ERROR, "Too many requests for this token (or person): wait the seconds given in Retry-After"),
}
_WRITE_ERRORS = {
    "413": (ERROR, "The request body is larger than the API accepts"),
    "415": (ERROR, "The request body is not JSON (send Content-Type: application/json)"),
}
_STALE = {
    "409": (STALE_WRITE, "The version in the body is not the current one: nothing was saved"),
    "412": (STALE_WRITE, "If-Match does not match the current version: nothing was saved"),
}
ETAG_HEADER = {
    "schema": {"type": "string"},
    "description": 'The row\'s version, quoted: "3". Send it back in If-Match.',
}
RETRY_AFTER_HEADER = {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again"}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": (
        'The ETag you read ("3"): the write is refused with 412 if the row has changed since. '
        "Instead, send the version in the body (refused with 409 if stale). One of the two is required."
    ),
}


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "csp_portal.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A personal API token from /accounts/api-tokens/, sent as "Token <token>"',
        }


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers and concurrency headers added to each operation.

    A viewset marks its versioned rows with `versioned = True` and the actions that write a version
    with `versioned_writes` (e.g. {"update", "partial_update", "progress"}).
    """

    def get_summary(self) -> str | None:
        """A short summary for every operation, from the action and the model: "List actions", "Change an
        action" …, unless the view gives its own."""
        summary: str | None = super().get_summary()
        queryset = getattr(self.view, "queryset", None)
        if summary or queryset is None:
            return summary
        meta = queryset.model._meta
        one, many = str(meta.verbose_name), str(meta.verbose_name_plural)
        article = "an" if one[0] in "aeiou" else "a"
        return {
            "list": f"List the {many} you may see",
            "retrieve": f"One {one}",
            "create": f"Add {article} {one}",
            "update": f"Replace {article} {one} (every field)",
            "partial_update": f"Change {article} {one} (the fields sent)",
        }.get(str(getattr(self.view, "action", "")))

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: Any
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for name, spec in _COMPONENTS.items():
            component = ResolvedComponent(name, ResolvedComponent.SCHEMA, spec, name)  # type: ignore[no-untyped-call]
            registry.register_on_missing(component)
        action = getattr(self.view, "action", None)
        versioned_write = action in getattr(self.view, "versioned_writes", ())
        responses: dict[str, Any] = operation["responses"]
        errors = dict(_ERRORS)
        if method.upper() in ("POST", "PUT", "PATCH"):
            errors |= _WRITE_ERRORS
        if versioned_write:
            errors |= _STALE
            parameters = operation.setdefault("parameters", [])
            parameters.append(dict(IF_MATCH))
        for code, (shape, description) in errors.items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{shape}"}}},
                },
            )
        responses["429"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER_HEADER
        if getattr(self.view, "versioned", False) and (action == "retrieve" or versioned_write):
            for code in ("200", "201"):
                if code in responses:
                    responses[code].setdefault("headers", {})["ETag"] = ETAG_HEADER
        for code in ("409", "412"):
            if code in responses:
                responses[code].setdefault("headers", {})["ETag"] = ETAG_HEADER
        return operation
