"""The demo reviews (reviews/demo.py), loaded by `manage.py load_demo` after the other demo data:
two fictional Southend reviews, the demo review panel member and the demo authenticator apps."""

from __future__ import annotations

import csv
import re
from base64 import b32encode
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships import services as partnership_services
from partnerships.management.commands.load_registry import DEFAULT_PATH
from partnerships.models import Role, RoleAssignment, User
from partnerships.permissions import forget_roles
from reviews.choices import DocumentKind, PanelRole, PauseReason, QaOutcome, RecommendationStatus, Stage
from reviews.clock import review_deadlines
from reviews.demo import PAUSED_REFERENCE, QA_REFERENCE, TOTP_SECRETS
from reviews.models import Review, StageChange
from reviews.permissions import forget_review_scope, visible_reviews
from reviews.services.process import rules_for

pytestmark = pytest.mark.django_db

TODAY = date(2027, 1, 15)
DEMO_EMAILS = ("manager@demo.example", "chair@demo.example", "reviewer@demo.example")
DOCUMENTED = {  # the keys in reviews/demo.py's docstring, as people type them into an app
    "manager@demo.example": "DEMO MANA GERS OUTH ENDC SPRE VIEW LEAD",
    "chair@demo.example": "DEMO CHAI RSOU THEN DCSP DECI DESR EVWS",
    "reviewer@demo.example": "DEMO REVI EWER ESSE XPOL ICEP ANEL MEMB",
}


def _counts() -> dict[str, int]:
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_app_config("reviews").get_models()}
    counts["TOTPDevice"] = TOTPDevice.objects.count()
    counts["User"] = User.objects.count()
    counts["RoleAssignment"] = RoleAssignment.objects.count()
    return counts


@pytest.fixture
def loaded(tmp_path: Path, time_machine) -> str:  # type: ignore[no-untyped-def]
    """The register's rows the demo needs, then load_demo; returns what it printed."""
    time_machine.move_to(datetime(2027, 1, 15, 9, 0, tzinfo=UTC), tick=False)
    with Path(DEFAULT_PATH).open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header, rows = (
            list(reader.fieldnames or []),
            [
                # Essex, and Barnet for the police.uk demo (priorities/demo_assessments.py).
                row
                for row in reader
                if row["PFA24CD"] == "E23000028" or row["CSP24CD"] == "E22000187"
            ],
        )
    path = tmp_path / "essex.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    partnership_services.registry_import(path=path)
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _fresh(email: str) -> User:
    person = User.objects.get(email=email)
    forget_roles(person)
    forget_review_scope(person)
    return person


def test_loading_twice_leaves_exactly_the_two_demo_reviews(loaded):
    call_command("load_demo", stdout=StringIO())
    assert sorted(Review.objects.values_list("partnership__slug", "reference")) == [
        ("southend-on-sea", QA_REFERENCE),
        ("southend-on-sea", PAUSED_REFERENCE),
    ]
    before = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == before


def test_the_first_review_is_paused_for_the_criminal_trial_at_information_gathering(loaded):
    review = Review.objects.get(reference=PAUSED_REFERENCE)
    assert review.stage == Stage.INFORMATION
    assert (review.victim_pseudonym, review.perpetrator_pseudonym) == ("Jasmine", "Carl")
    pause = review.pauses.get()
    assert pause.reason == PauseReason.CRIMINAL_TRIAL
    assert pause.ended_on is None
    assert pause.started_on == TODAY - timedelta(days=60)
    assert review.trial_on == TODAY + timedelta(days=40)
    # The panel has an independent chair, and the demo reviewer for Essex Police.
    roles = dict(review.panel.values_list("panel_role", "organisation__name"))
    assert PanelRole.INDEPENDENT_CHAIR in roles
    assert review.panel.get(person__email="reviewer@demo.example").organisation.name == "Essex Police"
    # Agencies were asked for their IMRs with due dates: one overdue, one due later, one received.
    agencies = {a.organisation.name: a for a in review.agencies.select_related("organisation")}
    assert agencies["Essex Police"].imr_due_on < TODAY
    assert agencies["Essex Police"].imr_received_on is None
    assert agencies["Southend-on-Sea City Council"].imr_due_on > TODAY
    assert agencies["Mid and South Essex Integrated Care Board"].imr_received_on is not None
    assert review.family_contacts.count() == 3


def test_the_first_reviews_deadlines_read_due_in_and_overdue_by(loaded):
    review = Review.objects.get(reference=PAUSED_REFERENCE)
    deadlines = review_deadlines(
        review,
        rules_for(review.partnership),
        pauses=list(review.pauses.all()),
        agencies=list(review.agencies.select_related("organisation")),
        submissions=list(review.qa_submissions.all()),
        today=TODAY,
    )
    statuses = {d.label: d.status(TODAY) for d in deadlines}
    assert statuses["Decision whether to hold a review"].startswith("Met on")
    assert statuses["Submitted for Home Office quality assurance"].startswith("Due in")
    assert statuses["Individual management review from Essex Police"] == "Overdue by 30 days"
    assert statuses["Individual management review from Southend-on-Sea City Council"] == "Due in 21 days"


def test_the_second_review_is_with_the_quality_assurance_panel_with_its_draft(loaded, settings):
    review = Review.objects.get(reference=QA_REFERENCE)
    assert review.stage == Stage.SUBMITTED
    assert (review.victim_pseudonym, review.perpetrator_pseudonym) == ("Adult A", "Adult B")
    submission = review.qa_submissions.get()
    assert submission.outcome == QaOutcome.PENDING
    assert submission.submitted_on == TODAY - timedelta(days=30)
    draft = review.documents.get(kind=DocumentKind.DRAFT)
    assert draft.original_name.endswith(".pdf")
    assert draft.content_type == "application/pdf"
    with draft.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert b"FICTIONAL" in content
    # An earlier pause for the inquest, ended.
    pause = review.pauses.get()
    assert (pause.reason, pause.ended_on is not None) == (PauseReason.INQUEST, True)


def test_the_stages_were_driven_through_the_services_and_the_chair_decided(loaded):
    chair = User.objects.get(email="chair@demo.example")
    manager = User.objects.get(email="manager@demo.example")
    for reference in (PAUSED_REFERENCE, QA_REFERENCE):
        review = Review.objects.get(reference=reference)
        changes = list(StageChange.objects.filter(review=review).order_by("effective_on", "pk"))
        assert [c.to_stage for c in changes][:4] == [
            Stage.NOTIFIED,
            Stage.SCOPING,
            Stage.DECIDED,
            Stage.HOME_OFFICE_NOTIFIED,
        ]
        decided = next(c for c in changes if c.to_stage == Stage.DECIDED)
        assert decided.changed_by == chair
        assert review.decided_by == chair
        assert all(c.changed_by == manager for c in changes if c.to_stage != Stage.DECIDED)
        assert [c.effective_on for c in changes] == sorted(c.effective_on for c in changes)
        assert review.history.count() > len(changes)
    qa = Review.objects.get(reference=QA_REFERENCE)
    assert [c.to_stage for c in qa.stage_changes.order_by("effective_on", "pk")][-3:] == [
        Stage.DRAFTING,
        Stage.SIGNED_OFF,
        Stage.SUBMITTED,
    ]


def test_the_second_reviews_recommendations_are_at_several_rag_states(loaded):
    review = Review.objects.get(reference=QA_REFERENCE)
    states = {(r.number, r.status, r.rag) for r in review.recommendations.all()}
    assert ("2", RecommendationStatus.OPEN, "red") in states
    assert ("1", RecommendationStatus.OPEN, "amber") in states
    assert ("3", RecommendationStatus.OPEN, "green") in states
    assert ("4", RecommendationStatus.COMPLETED, "green") in states
    assert ("5", RecommendationStatus.OPEN, "") in states
    not_accepted = review.recommendations.get(status=RecommendationStatus.NOT_ACCEPTED)
    assert "Police, Fire and Crime Commissioner" in not_accepted.status_reason
    assert review.recommendations.get(number="4").completed_on is not None
    assert review.recommendations.get(number="2").target_date < TODAY
    updates = {r.number: r.updates.count() for r in review.recommendations.all()}
    assert updates == {"1": 1, "2": 2, "3": 1, "4": 2, "5": 0, "6": 0}


def test_the_demo_reviewer_sees_the_first_review_only(loaded):
    reviewer = _fresh("reviewer@demo.example")
    assert [r.reference for r in visible_reviews(reviewer)] == [PAUSED_REFERENCE]
    assert (
        RoleAssignment.objects.current()
        .filter(
            person=reviewer,
            partnership__slug="southend-on-sea",
            organisation__name="Essex Police",
            role=Role.PARTNER_OFFICER,
        )
        .exists()
    )
    for email in ("manager@demo.example", "chair@demo.example"):
        assert sorted(r.reference for r in visible_reviews(_fresh(email))) == [QA_REFERENCE, PAUSED_REFERENCE]
    for email in ("police.officer@demo.example", "council.officer@demo.example", "scrutiny@demo.example"):
        assert not visible_reviews(_fresh(email)).exists()


def test_the_output_lists_the_reviewer_login_and_the_second_factor_keys(loaded):
    again = StringIO()
    call_command("load_demo", stdout=again)
    for output in (loaded, again.getvalue()):
        assert "reviewer@demo.example" in output
        assert "review panel member for Essex Police (one review only)" in output
        logins, keys = output.split("Second factor for review pages (add to an authenticator app)")
        assert "reviewer@demo.example" in logins
        for email, secret in DOCUMENTED.items():
            assert re.search(rf"{re.escape(email)} +{secret}\n", keys), email
            uri = TOTPDevice.objects.get(user__email=email).config_url
            assert uri in keys
            assert uri.startswith("otpauth://totp/CSP%20Portal%3A")
            assert f"secret={secret.replace(' ', '')}" in uri


def test_each_demo_authenticator_app_has_its_documented_key_unchanged_by_a_new_run(loaded):
    before = {d.user.email: (d.pk, d.key) for d in TOTPDevice.objects.select_related("user")}
    assert set(before) == set(DEMO_EMAILS)
    for email, secret in TOTP_SECRETS.items():
        device = TOTPDevice.objects.get(user__email=email)
        assert device.confirmed
        assert b32encode(device.bin_key).decode() == secret == DOCUMENTED[email].replace(" ", "")
        assert len(device.key) == 40  # 20 bytes in hex, as django-otp stores it
    call_command("load_demo", stdout=StringIO())
    assert {d.user.email: (d.pk, d.key) for d in TOTPDevice.objects.select_related("user")} == before


def test_a_demo_app_replaced_in_the_portal_gets_its_documented_key_back(loaded):
    TOTPDevice.objects.filter(user__email="chair@demo.example").update(key="00" * 20)
    call_command("load_demo", stdout=StringIO())
    device = TOTPDevice.objects.get(user__email="chair@demo.example")
    assert b32encode(device.bin_key).decode() == TOTP_SECRETS["chair@demo.example"]


def test_the_demo_reviewer_opens_their_review_with_a_code_from_the_printed_key(loaded, client, settings):
    signed_in = client.post(reverse("login"), {"username": "reviewer@demo.example", "password": settings.DEMO_PASSWORD})
    assert signed_in.status_code == 302
    review = Review.objects.get(reference=PAUSED_REFERENCE)
    url = reverse("reviews:review", kwargs={"pk": review.pk})
    assert client.get(url).status_code == 302
    key = bytes.fromhex(TOTPDevice.objects.get(user__email="reviewer@demo.example").key)
    code = f"{TOTP(key).token():06d}"
    assert client.post(reverse("two_factor_verify"), {"code": code, "next": url})["Location"] == url
    assert client.get(url).status_code == 200
    other = Review.objects.get(reference=QA_REFERENCE)
    assert client.get(reverse("reviews:review", kwargs={"pk": other.pk})).status_code == 404
