"""The OpenAPI description: it validates (drf-spectacular's own check, warnings as errors), it is served at
/api/schema/ to anyone, the docs page at /api/docs/ shows every operation, and schemathesis fuzzes every
operation through the running application (in-process WSGI) with a manager's token: no answer is a 5xx,
and every answer matches the schema (status code, content type, headers, body).

The fuzzing is bounded (FUZZ_EXAMPLES per operation, positive and negative data) so that it adds well
under a minute to the suite; it runs in `make test` and in CI on PostgreSQL like every other test.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import API, World, make_token

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_schema_validates_without_warnings(tmp_path) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=io.StringIO())
    text = target.read_text()
    assert text.startswith("openapi: 3.0.3")
    assert "/api/v1/actions/{id}/progress-updates/" in text


def test_the_schema_is_served_to_anyone(client) -> None:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "CSP Portal API"
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    patch = schema["paths"]["/api/v1/actions/{id}/"]["patch"]
    assert {p["name"] for p in patch["parameters"]} >= {"id", "If-Match"}
    assert {"200", "400", "401", "403", "404", "409", "412", "413", "415", "429"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]


def test_the_docs_page_shows_every_operation_without_a_script(client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    schema = json.loads(client.get("/api/schema/?format=json").content)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert f'id="{operation["operationId"]}"' in page, f"{method.upper()} {path}"
    for name in schema["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert "<script>" not in page  # only the portal's own script files (the CSP allows nothing else)
    assert "Content-Security-Policy" in response.headers


# --- Fuzzing --------------------------------------------------------------------------------------------------


def _generated() -> dict[str, Any]:
    """The schema as /api/schema/ serves it (test_the_served_schema_is_the_one_fuzzed checks it is)."""
    from drf_spectacular.generators import SchemaGenerator

    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


# Loaded when the tests are collected (schemathesis makes one test per operation), without a request.
SCHEMA = schemathesis.openapi.from_dict(_generated())
SCHEMA.config.generation.update(max_examples=FUZZ_EXAMPLES)


def test_the_served_schema_is_the_one_fuzzed(client) -> None:
    assert json.loads(client.get("/api/schema/?format=json").content) == _generated()


@pytest.fixture
def fuzz_target(world: World, settings: Any) -> Iterator[tuple[Any, dict[str, str]]]:
    """The running application (in-process WSGI, on the test database) and a manager's token."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/minute", "session": "100000/minute", "anonymous": "100000/minute"},
    }
    # As Django's test client does: the WSGI handler would close the test's database connection (and with
    # it the test's transaction) at the end of every request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application(), {"Authorization": f"Token {make_token(world.personas.manager)}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@SCHEMA.parametrize()
@hypothesis.settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_no_operation_answers_with_a_5xx_or_outside_its_schema(case: Any, fuzz_target: Any) -> None:
    app, headers = fuzz_target
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)


def test_the_fuzzing_covers_every_operation() -> None:
    operations = {(result.ok().method.upper(), result.ok().path) for result in SCHEMA.get_all_operations()}
    assert ("POST", f"{API}actions/{{id}}/progress-updates/") in operations
    assert len(operations) == sum(len(methods) for methods in _generated()["paths"].values())
