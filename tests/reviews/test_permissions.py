"""The need-to-know rules themselves (reviews/permissions.py), below the pages: who may open a review and
what they may do on it. The pages' answers per URL are in url_rules.py and test_need_to_know.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerships.models import Role
from partnerships.permissions import forget_roles
from reviews.choices import DocumentKind
from reviews.permissions import (
    forget_review_scope,
    get_document_for_user,
    get_review_for_user,
    has_review_access,
    may_see_review_counts,
    review_access,
    visible_reviews,
)
from tests.conftest import Personas
from tests.factories import RoleFactory, UserFactory
from tests.reviews.factories import PanelMemberFactory, ReviewDocumentFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def _fresh(user):  # type: ignore[no-untyped-def]
    forget_roles(user)
    forget_review_scope(user)
    return user


def test_the_manager_leads_reviews_where_nobody_holds_the_review_lead_role(personas: Personas, review):
    access = review_access(personas.manager, review)
    assert access.lead
    assert access.can_manage
    assert access.can_edit
    assert not access.can_decide
    assert list(visible_reviews(personas.manager)) == [review]


def test_a_review_lead_takes_the_reviews_from_the_managers(personas: Personas, review):
    lead = UserFactory(email="lead@example.org")
    RoleFactory(person=lead, partnership=personas.csp, organisation=personas.council, role=Role.REVIEW_LEAD)
    _fresh(personas.manager)
    assert review_access(lead, review).can_manage
    assert not visible_reviews(personas.manager).exists()
    with pytest.raises(Http404):
        get_review_for_user(personas.manager, review.pk)


def test_the_chair_reads_and_decides_but_does_not_manage(personas: Personas, review):
    review_, access = get_review_for_user(personas.chair, review.pk, need="decide")
    assert review_ == review
    assert not access.can_edit
    assert not access.can_manage
    with pytest.raises(PermissionDenied):
        get_review_for_user(personas.chair, review.pk, need="manage")


@pytest.mark.parametrize(
    "role", ["admin", "police_officer", "council_officer", "scrutiny", "county_member", "outsider", "nobody"]
)
def test_everyone_else_cannot_tell_a_review_exists(personas: Personas, review, role):
    user = personas.by_role(role)
    # The outsider leads reviews in their own CSP (Hillford), so holds review access, just not to this one.
    assert has_review_access(user) is (role == "outsider")
    assert not visible_reviews(user).exists()
    with pytest.raises(Http404):
        get_review_for_user(user, review.pk)
    with pytest.raises(Http404):
        get_document_for_user(user, review.pk, review.documents.first().pk)


def test_a_panel_member_sees_their_review_only_and_uploads_their_own_agencys_reports(personas, review, reviewer):
    second = ReviewFactory(partnership=personas.csp, reference="DHR 2026/02")
    assert list(visible_reviews(reviewer)) == [review]
    access = review_access(reviewer, review)
    assert access.panel_role == "agency"
    assert not access.can_edit
    assert not access.can_manage
    assert access.can_upload(DocumentKind.IMR, personas.police.pk)
    assert not access.can_upload(DocumentKind.IMR, personas.council.pk)
    assert not access.can_upload(DocumentKind.DRAFT, personas.police.pk)
    with pytest.raises(Http404):
        get_review_for_user(reviewer, second.pk)


def test_an_ended_appointment_ends_access(personas, review, reviewer):
    member = review.panel.get(person=reviewer)
    member.ended_on = date(2026, 4, 1)
    member.save()
    assert not visible_reviews(_fresh(reviewer)).exists()


def test_an_independent_chair_on_the_panel_edits_the_workspace(personas, review):
    chair = UserFactory(email="independent@example.org")
    PanelMemberFactory(review=review, person=chair, panel_role="independent_chair")
    access = review_access(chair, review)
    assert access.can_edit
    assert not access.can_manage
    assert not access.can_decide


def test_a_co_commissioning_csps_lead_and_chair_see_the_review(personas, review):
    review.co_commissioners.add(personas.other_csp)
    access = review_access(personas.outsider, review)  # the manager of the other CSP
    assert access.lead
    assert list(visible_reviews(personas.outsider)) == [review]


def test_a_guessed_document_id_of_another_review_is_not_found(personas, review):
    other = ReviewFactory(partnership=personas.other_csp, reference="HF 1")
    document = ReviewDocumentFactory(review=other, uploaded_by=personas.outsider)
    with pytest.raises(Http404):
        get_document_for_user(personas.manager, review.pk, document.pk)


def test_counts_are_for_scrutiny_county_managers_chairs_and_admins_not_partner_officers(personas: Personas):
    allowed = {"admin", "manager", "chair", "scrutiny", "county_member"}
    for role in Personas.ROLES:
        assert may_see_review_counts(personas.by_role(role), personas.csp) is (role in allowed), role


def test_scope_is_read_in_a_bounded_number_of_queries(personas, review, django_assert_max_num_queries):
    _fresh(personas.manager)
    with django_assert_max_num_queries(4):
        list(visible_reviews(personas.manager))
        review_access(personas.manager, review)
