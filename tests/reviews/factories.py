"""Factories for review tests: a review at any stage, its panel, agencies, documents and recommendations."""

from __future__ import annotations

from datetime import date

import factory
from django.core.files.base import ContentFile

from reviews.choices import DocumentKind, PanelRole, RecommendationScope, Stage
from reviews.models import (
    Agency,
    FamilyContact,
    PanelMember,
    Recommendation,
    Review,
    ReviewDocument,
    StageChange,
)
from tests.factories import PartnershipFactory, UserFactory


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    reference = factory.Sequence(lambda n: f"DHR 2026/{n + 1:02d}")
    notified_on = date(2026, 3, 2)
    date_of_death = date(2026, 2, 20)
    victim_pseudonym = "Adult A"
    perpetrator_pseudonym = "Adult B"
    stage = Stage.SCOPING
    scoping_started_on = date(2026, 3, 5)

    @factory.post_generation
    def stage_changes(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            StageChange.objects.create(review=self, to_stage=Stage.NOTIFIED, effective_on=self.notified_on)
            if self.stage == Stage.SCOPING:
                StageChange.objects.create(
                    review=self,
                    from_stage=Stage.NOTIFIED,
                    to_stage=Stage.SCOPING,
                    effective_on=self.scoping_started_on,
                )


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    review = factory.SubFactory(ReviewFactory)
    person = factory.SubFactory(UserFactory)
    panel_role = PanelRole.AGENCY
    independent = True
    appointed_on = date(2026, 3, 10)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    review = factory.SubFactory(ReviewFactory)
    asked_on = date(2026, 3, 5)
    imr_requested_on = date(2026, 3, 20)
    imr_due_on = date(2026, 5, 1)


class FamilyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyContact

    review = factory.SubFactory(ReviewFactory)
    contacted_on = date(2026, 3, 12)
    contact = "Mother"
    method = "letter"
    consent = "given"
    advocate = "AAFDA advocate"


class ReviewDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewDocument

    review = factory.SubFactory(ReviewFactory)
    kind = DocumentKind.TERMS
    title = "Terms of reference"
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test document", name="terms.pdf"))
    original_name = "terms.pdf"
    content_type = "application/pdf"
    size = 23
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    review = factory.SubFactory(ReviewFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    text = "Agencies should share risk assessments through the MARAC within 24 hours"
    scope = RecommendationScope.MULTI_AGENCY
    addressed_to = "All agencies"
    target_date = date(2027, 3, 31)
