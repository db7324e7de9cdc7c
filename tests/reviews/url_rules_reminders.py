"""Who may open the reminder pages (merged into tests/partnerships/test_url_permissions.py's walk).

- A partnership's reminder days: its managers and administrators change them; others who may see the
  partnership are refused, everyone else does not learn it exists (the PARTNERSHIP_MANAGERS rule).
- "Your reminders": everyone signed in, each seeing only their own.
"""

from __future__ import annotations

from typing import Any

from tests.url_rules import PARTNERSHIP_MANAGERS, rule

RULES: dict[str, dict[str, Any]] = {
    "reminders:settings": PARTNERSHIP_MANAGERS,
    "reminders:mine": rule(
        admin=200,
        manager=200,
        chair=200,
        police_officer=200,
        council_officer=200,
        scrutiny=200,
        county_member=200,
        outsider=200,
        nobody=200,
    ),
}

WRITE_URLS = ("reminders:settings", "reminders:mine")


def url_kwarg(name: str, key: str, personas: Any) -> Any:
    """The personas' CSP for the settings page; None for every other URL."""
    if name == "reminders:settings" and key == "ref":
        return personas.csp.slug
    return None
