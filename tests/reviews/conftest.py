"""A review in the personas' CSP (Riverton), with a panel member who has a portal account.

- `review`: at "Scoping", with the police as an agency, a family contact, a document and a recommendation;
- `reviewer`: a Shire Police officer in Riverton appointed to that review's panel (agency representative).
  personas.police_officer works for the same force in the same CSP but is not on the panel: the
  need-to-know rules must hide the review from them.
"""

from __future__ import annotations

import pytest

from partnerships.models import Role
from reviews.models import Review
from tests.factories import RoleFactory, UserFactory
from tests.reviews.factories import (
    AgencyFactory,
    FamilyContactFactory,
    PanelMemberFactory,
    RecommendationFactory,
    ReviewDocumentFactory,
    ReviewFactory,
)


def make_review(personas) -> Review:  # type: ignore[no-untyped-def]
    """The shared review fixture's content (also used by the URL walk, which has no fixtures of its own)."""
    existing = Review.objects.filter(partnership=personas.csp, reference="DHR 2026/01").first()
    if existing is not None:
        return existing
    review = ReviewFactory(partnership=personas.csp, reference="DHR 2026/01", notified_by=personas.police)
    agency = AgencyFactory(review=review, organisation=personas.police)
    FamilyContactFactory(review=review, recorded_by=personas.manager)
    ReviewDocumentFactory(review=review, uploaded_by=personas.manager)
    ReviewDocumentFactory(
        review=review, kind="imr", agency=agency, title="Shire Police IMR", uploaded_by=personas.manager
    )
    RecommendationFactory(review=review, number="1", lead_organisation=personas.police)
    PanelMemberFactory(review=review, person=None, name="Dr Jo Independent", panel_role="independent_chair")
    return review  # type: ignore[no-any-return]


@pytest.fixture
def review(personas):  # type: ignore[no-untyped-def]
    return make_review(personas)


@pytest.fixture
def reviewer(personas, review):  # type: ignore[no-untyped-def]
    person = UserFactory(email="reviewer@example.org", full_name="Rita Reviewer")
    RoleFactory(person=person, partnership=personas.csp, organisation=personas.police, role=Role.PARTNER_OFFICER)
    PanelMemberFactory(review=review, person=person, organisation=personas.police, panel_role="agency")
    return person
