"""Who may open each review URL (merged into tests/partnerships/test_url_permissions.py's walk).

Need to know: only the partnership's review lead (here the manager, as nobody holds the review lead
role) and its chair see the review; everyone else — administrators, partner officers of the same CSP,
scrutiny and county members, other CSPs — gets 404 everywhere. The walk signs people in with the
second factor passed; tests/reviews/test_second_factor.py covers sessions without it.
The panel member (not a persona) is covered by tests/reviews/test_need_to_know.py.
"""

from __future__ import annotations

from typing import Any

from tests.url_rules import rule

HIDDEN = {
    "admin": 404,
    "police_officer": 404,
    "council_officer": 404,
    "scrutiny": 404,
    "county_member": 404,
    "outsider": 404,
    "nobody": 404,
}
READERS = rule(**HIDDEN, manager=200, chair=200)
EDITORS = rule(**HIDDEN, manager=200, chair=403)  # lead (or the review's chair/author/coordinator)
LEAD = rule(**HIDDEN, manager=200, chair=403)
CHAIR = rule(**HIDDEN, manager=403, chair=200)
# Aggregates are for those who may know how many reviews there are; rows for those who may open them.
COUNT_READERS = rule(
    admin=200,
    manager=200,
    chair=200,
    police_officer=404,
    council_officer=404,
    scrutiny=200,
    county_member=200,
    outsider=404,
    nobody=404,
)

RULES: dict[str, dict[str, Any]] = {
    # The outsider leads reviews in their own CSP (Hillford): they may list theirs, and see none of Riverton's.
    "reviews:list": {**READERS, "outsider": 200},
    "reviews:create": LEAD,
    "reviews:rules": LEAD,
    "reviews:review": READERS,
    "reviews:edit": EDITORS,
    # The fixture review is at scoping: its next step is the chair's decision.
    "reviews:step": CHAIR,
    "reviews:pause": LEAD,
    # The fixture review is neither paused nor published: both pages send the lead back to the review.
    "reviews:resume": {**LEAD, "manager": "redirect to review"},
    "reviews:takedown": {**LEAD, "manager": "redirect to review"},
    "reviews:history": READERS,
    "reviews:panel": READERS,
    "reviews:panel_add": LEAD,
    "reviews:panel_end": LEAD,
    "reviews:agencies": READERS,
    "reviews:agency_add": EDITORS,
    "reviews:agency_edit": EDITORS,
    "reviews:family": READERS,
    "reviews:family_add": EDITORS,
    "reviews:documents": READERS,
    "reviews:document_upload": READERS,  # panel members upload their agency's reports
    "reviews:document_download": READERS,
    "reviews:access_log": LEAD,
    "reviews:recommendations": READERS,
    "reviews:recommendation_add": EDITORS,
    "reviews:recommendation": READERS,
    "reviews:recommendation_edit": EDITORS,
    "reviews:recommendation_progress": EDITORS,  # and the recommendation's lead officer
    "reviews:recommendation_status": EDITORS,
    "reviews:outstanding": COUNT_READERS,
}

WRITE_URLS = (
    "reviews:create",
    "reviews:rules",
    "reviews:edit",
    "reviews:step",
    "reviews:pause",
    "reviews:panel_add",
    "reviews:panel_end",
    "reviews:agency_add",
    "reviews:agency_edit",
    "reviews:family_add",
    "reviews:document_upload",
    "reviews:recommendation_add",
    "reviews:recommendation_edit",
    "reviews:recommendation_progress",
    "reviews:recommendation_status",
)


def url_kwarg(name: str, key: str, personas: Any) -> Any:
    """Arguments for review URLs: the fixture review (tests/reviews/conftest.make_review) and its parts."""
    if not name.startswith("reviews:"):
        return None
    from tests.reviews.conftest import make_review

    review = make_review(personas)
    values = {
        "pk": review.pk,
        "step": "decision",
        "member_pk": lambda: review.panel.first().pk,
        "agency_pk": lambda: review.agencies.first().pk,
        "document_pk": lambda: review.documents.first().pk,
        "rec_pk": lambda: review.recommendations.first().pk,
    }
    value = values.get(key)
    return value() if callable(value) else value
