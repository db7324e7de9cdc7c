"""/api/docs/: the API's documentation as a page of the portal, rendered on the server from the OpenAPI schema.

Why not Swagger UI or Redoc: both are JavaScript applications that drf-spectacular loads from a CDN
(or from drf-spectacular-sidecar, which the portal does not install), and they run inline scripts. The
portal's Content-Security-Policy allows only its own script files, and a council's network may not reach
a CDN. So the page is built here from the same schema as /api/schema/: every operation with its
parameters, request body and answers, and every data shape with its fields, as GOV.UK tables. It needs
no script, works offline, and passes the same accessibility checks as every other page.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

METHOD_ORDER = ("get", "post", "put", "patch", "delete")
LOCATIONS = {"query": "Query", "path": "Path", "header": "Header", "cookie": "Cookie"}


@dataclass(frozen=True)
class Type:
    text: str
    link: str = ""  # the anchor of the schema it names, if any


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    type: Type
    description: str


@dataclass(frozen=True)
class Answer:
    code: str
    description: str
    type: Type | None
    headers: list[str]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Parameter]
    body: Type | None
    answers: list[Answer]


@dataclass
class Group:
    name: str
    anchor: str
    operations: list[Operation] = field(default_factory=list)


@dataclass(frozen=True)
class Property:
    name: str
    type: Type
    required: bool
    read_only: bool
    nullable: bool
    description: str


@dataclass(frozen=True)
class Shape:
    name: str
    anchor: str
    description: str
    properties: list[Property]
    values: list[str]  # an enumeration's values


def schema_anchor(name: str) -> str:
    return f"schema-{name}"


def type_of(schema: dict[str, Any]) -> Type:
    """A schema as a short phrase ("list of Action", "string (date)"), linking to a named schema."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return Type(name, schema_anchor(name))
    for combiner in ("allOf", "oneOf", "anyOf"):
        if combiner in schema:
            parts = [type_of(part) for part in schema[combiner]]
            linked = next((part.link for part in parts if part.link), "")
            return Type(" or ".join(part.text for part in parts), linked)
    kind = schema.get("type", "any")
    if kind == "array":
        inner = type_of(schema.get("items", {}))
        return Type(f"list of {inner.text}", inner.link)
    if "enum" in schema:
        return Type(f"{kind}: one of {', '.join(str(value) for value in schema['enum'] if value not in ('', None))}")
    if schema.get("format"):
        return Type(f"{kind} ({schema['format']})")
    return Type(str(kind))


def _operation(path: str, method: str, spec: dict[str, Any]) -> Operation:
    parameters = [
        Parameter(
            name=p["name"],
            location=LOCATIONS.get(p["in"], p["in"]),
            required=bool(p.get("required")),
            type=type_of(p.get("schema", {})),
            description=p.get("description", ""),
        )
        for p in spec.get("parameters", [])
    ]
    body = None
    if "requestBody" in spec:
        content = spec["requestBody"].get("content", {})
        body_media: dict[str, Any] = content.get("application/json") or next(iter(content.values()), {})
        body = type_of(body_media.get("schema", {}))
    answers = []
    for code, answer in sorted(spec.get("responses", {}).items()):
        content = answer.get("content", {})
        media: dict[str, Any] | None = content.get("application/json") or next(iter(content.values()), None)
        answers.append(
            Answer(
                code=code,
                description=answer.get("description", ""),
                type=type_of(media["schema"]) if media and "schema" in media else None,
                headers=sorted(answer.get("headers", {})),
            )
        )
    return Operation(
        method=method.upper(),
        path=path,
        anchor=spec["operationId"],
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        parameters=parameters,
        body=body,
        answers=answers,
    )


def _shape(name: str, schema: dict[str, Any]) -> Shape:
    required = set(schema.get("required", []))
    properties = [
        Property(
            name=prop_name,
            type=type_of(prop),
            required=prop_name in required,
            read_only=bool(prop.get("readOnly")),
            nullable=bool(prop.get("nullable")),
            description=prop.get("description", ""),
        )
        for prop_name, prop in schema.get("properties", {}).items()
    ]
    values = [str(value) for value in schema.get("enum", []) if value not in ("", None)]
    description = schema.get("description", "")
    if values:
        description = ""  # drf-spectacular lists the values in Markdown; the page lists them itself
    return Shape(name, schema_anchor(name), description, properties, values)


def build(schema: dict[str, Any]) -> dict[str, Any]:
    """The page's content from an OpenAPI schema: operations grouped by tag, and the named schemas."""
    groups: dict[str, Group] = {}
    for path, methods in schema.get("paths", {}).items():
        for method in METHOD_ORDER:
            if method not in methods:
                continue
            spec = methods[method]
            tag = (spec.get("tags") or ["other"])[0]
            group = groups.setdefault(tag, Group(tag.replace("-", " ").capitalize(), f"tag-{tag}"))
            group.operations.append(_operation(path, method, spec))
    shapes = [_shape(name, spec) for name, spec in sorted(schema.get("components", {}).get("schemas", {}).items())]
    return {
        "info": schema.get("info", {}),
        "groups": sorted(groups.values(), key=lambda g: g.name),
        "shapes": shapes,
        "security": schema.get("components", {}).get("securitySchemes", {}),
    }


@functools.cache
def _content() -> dict[str, Any]:
    """Built once per process: the schema depends on the code alone."""
    generator = SchemaGenerator()  # type: ignore[no-untyped-call]
    return build(generator.get_schema(request=None, public=True))  # type: ignore[no-untyped-call]


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API documentation; public, like the schema it is built from (it holds no data)."""
    context = {
        **_content(),
        "rates": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "page_size": settings.API_PAGE_SIZE,
        "max_page_size": settings.API_MAX_PAGE_SIZE,
        "max_body_kb": settings.API_MAX_BODY_BYTES // 1024,
    }
    return render(request, "api/docs.html", context)
