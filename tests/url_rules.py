"""What the per-app URL rule modules share: the outcome words and the two partnership-wide rules.

tests/partnerships/test_url_permissions.py merges every app's RULES into one walk.
"""

from __future__ import annotations

from typing import Any

ANONYMOUS = "anonymous"
# Outcomes other than a plain status code: where a redirect leads.
SIGN_IN = "redirect to sign in"


def rule(**outcomes: Any) -> dict[str, Any]:
    """A rule naming each persona's outcome; anonymous people are sent to sign in."""
    return {**outcomes, ANONYMOUS: SIGN_IN}


# Anyone with a role in the partnership, or in the county group above it, sees its pages. The manager of
# another CSP in the same county and people without roles do not learn it exists.
PARTNERSHIP_READERS = rule(
    admin=200,
    manager=200,
    chair=200,
    police_officer=200,
    council_officer=200,
    scrutiny=200,
    county_member=200,
    outsider=404,
    nobody=404,
)

# Only the partnership's managers (and administrators) change it; others who may see the partnership
# are refused (403), others again do not learn it exists (404).
PARTNERSHIP_MANAGERS = rule(
    admin=200,
    manager=200,
    chair=403,
    police_officer=403,
    council_officer=403,
    scrutiny=403,
    county_member=403,
    outsider=404,
    nobody=404,
)
