"""Demo domestic homicide reviews, loaded by `manage.py load_demo` after the other demo data.

Two FICTIONAL reviews in Southend-on-Sea CSP, with pseudonyms only (no real person is described):
- DHR 2025/02, "Jasmine" (perpetrator "Carl"): at information gathering, paused for the criminal trial,
  with its panel (an independent chair; reviewer@demo.example for Essex Police), agencies asked for
  their IMRs and chronologies with due dates, and the family contact log;
- DHR 2024/04, "Adult A" (perpetrator "Adult B"): submitted to the Home Office quality assurance panel,
  with its draft overview report, an earlier pause for the inquest, and six recommendations at several
  RAG states (red, amber, green, completed, not accepted with its reason) with progress updates.
Every step goes through the services (the chair records the decision), so the history is real. Dates
are relative to the day of the first load, so deadlines read "due in …" and "overdue by …".

The demo review panel member, reviewer@demo.example (a partner officer for Essex Police in Southend),
sits on the first review's panel only: the second is hidden from them.

Second factor: manager@, chair@ and reviewer@demo.example each have a confirmed authenticator app
(django-otp TOTPDevice) with a fixed key, printed by load_demo. Add one to an app (base32, time-based,
6 digits, 30 seconds):
    manager@demo.example   DEMO MANA GERS OUTH ENDC SPRE VIEW LEAD
    chair@demo.example     DEMO CHAI RSOU THEN DCSP DECI DESR EVWS
    reviewer@demo.example  DEMO REVI EWER ESSE XPOL ICEP ANEL MEMB
They are public, like the demo password: never load the demo into a portal with real reviews.

Idempotent: a review that exists is left as it is; the reviewer's account and role are created once;
each demo app keeps (or gets back) its documented key, and nothing is duplicated.
"""

from __future__ import annotations

from base64 import b32decode, b32encode
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships import services as partnership_services
from partnerships.models import Organisation, Partnership, Role, RoleAssignment, User
from partnerships.permissions import partnership_lookup
from reviews.choices import (
    AgeBand,
    CauseOfDeath,
    Consent,
    ContactMethod,
    CourtVerdict,
    Decision,
    DocumentKind,
    Ethnicity,
    LocationType,
    PanelRole,
    PauseReason,
    RecommendationScope,
    RecommendationStatus,
    Relationship,
    Religion,
    ReviewType,
    Sex,
    SexualOrientation,
    YesNoUnknown,
)
from reviews.models import Review
from reviews.permissions import ReviewAccess
from reviews.services import process, recommendations, workspace
from reviews.services.recommendations import RecommendationFields
from reviews.services.workspace import AgencyFields

SOUTHEND = "E22000089"
POLICE = "Essex Police"
COUNCIL = "Southend-on-Sea City Council"
HEALTH = "Mid and South Essex Integrated Care Board"
HOMES = "South Essex Homes"
AMBULANCE = "East of England Ambulance Service"

MANAGER, CHAIR = "manager@demo.example", "chair@demo.example"
REVIEWER = "reviewer@demo.example"
REVIEWER_NAME, REVIEWER_JOB = "Jordan Hale", "Detective Inspector, Public Protection"
REVIEWER_DESCRIPTION = "review panel member for Essex Police (one review only), Southend-on-Sea CSP"
REVIEWER_SINCE = date(2022, 4, 1)

PAUSED_REFERENCE = "DHR 2025/02"
QA_REFERENCE = "DHR 2024/04"

# The demo authenticator apps' keys, base32 (django-otp stores them in hex). Documented above.
TOTP_SECRETS = {
    MANAGER: "DEMOMANAGERSOUTHENDCSPREVIEWLEAD",
    CHAIR: "DEMOCHAIRSOUTHENDCSPDECIDESREVWS",
    REVIEWER: "DEMOREVIEWERESSEXPOLICEPANELMEMB",
}
DEVICE_NAME = "Authenticator app"

LEAD_ACCESS = ReviewAccess(lead=True, chair=False, panel_role=None, panel_organisation_id=None)


@dataclass(frozen=True)
class SecondFactor:
    email: str
    secret: str  # base32, in groups of four
    uri: str  # otpauth://totp/… for apps that read links or QR codes


# --- People and their authenticator apps -------------------------------------------------------------


def _person(email: str) -> User:
    person = User.objects.filter(email=email).first()
    if person is None:
        raise RuntimeError(f"Load the demo people first ({email}): manage.py load_demo")
    return person


def _reviewer(southend: Partnership, police: Organisation) -> User:
    """The demo review panel member: a partner officer for Essex Police in Southend."""
    password = settings.DEMO_PASSWORD
    person = User.objects.filter(email=REVIEWER).first()
    if person is None:
        person = User(email=REVIEWER, full_name=REVIEWER_NAME, job_title=REVIEWER_JOB)
        person.set_password(password)
        person.save()
    elif not person.check_password(password):
        person.set_password(password)
        person.skip_history_when_saving = True  # type: ignore[attr-defined]
        person.save(update_fields=["password"])
    if not RoleAssignment.objects.filter(
        person=person, partnership=southend, organisation=police, role=Role.PARTNER_OFFICER, end_date__isnull=True
    ).exists():
        partnership_services.role_grant(
            actor=None,
            partnership=southend,
            person=person,
            organisation=police,
            role=Role.PARTNER_OFFICER,
            start_date=REVIEWER_SINCE,
        )
    return person


def _hex_key(secret: str) -> str:
    return b32decode(secret).hex()


def _authenticator(person: User, secret: str) -> None:
    """One confirmed app with the documented key; left alone when it is already so."""
    key = _hex_key(secret)
    devices = list(TOTPDevice.objects.filter(user=person))
    if len(devices) == 1 and devices[0].confirmed and devices[0].key == key:
        return
    TOTPDevice.objects.filter(user=person).delete()
    TOTPDevice.objects.create(user=person, name=DEVICE_NAME, key=key, confirmed=True)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def demo_second_factors() -> list[SecondFactor]:
    """The demo people's authenticator app keys, to print (empty before the reviews demo is loaded)."""
    found = []
    for email in TOTP_SECRETS:
        device = TOTPDevice.objects.filter(user__email=email, confirmed=True).select_related("user").first()
        if device is not None:
            found.append(SecondFactor(email, _grouped(b32encode(device.bin_key).decode()), device.config_url))
    return found


# --- The case ------------------------------------------------------------------------------------------


def _case(**values: Any) -> process.CaseFields:
    """Case fields with everything not given left unknown."""
    defaults: dict[str, Any] = {}
    for field in fields(process.CaseFields):
        if field.name.endswith(("_flags", "_mental_health", "_vulnerabilities")):
            defaults[field.name] = ()
        elif field.name in ("notified_by", "date_of_death", "trial_on", "inquest_on"):
            defaults[field.name] = None
        elif field.name.endswith(("_suicide", "_carer", "_previous_offences")):
            defaults[field.name] = YesNoUnknown.UNKNOWN
        else:
            defaults[field.name] = ""
    defaults.update(
        review_type=ReviewType.STANDARD, protective_marking="OFFICIAL-SENSITIVE", location_type=LocationType.NOT_KNOWN
    )
    return process.CaseFields(**{**defaults, **values})


def _pdf(*lines: str) -> bytes:
    """A small, real one-page PDF saying what the demo document stands for."""
    text = "BT /F1 14 Tf 72 770 Td 20 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines
    )
    stream = text + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return out


def _upload(review: Review, actor: User, kind: str, title: str, filename: str, access: ReviewAccess) -> None:
    content = _pdf(
        "DEMO DOCUMENT - FICTIONAL",
        f"{review.reference}: {title}",
        "Southend-on-Sea Community Safety Partnership (demo data)",
        f"Victim: {review.victim_pseudonym}. Pseudonyms only.",
    )
    workspace.document_upload(
        actor=actor,
        review=review,
        access=access,
        kind=kind,
        agency=None,
        title=title,
        upload=SimpleUploadedFile(filename, content, content_type="application/pdf"),
    )


# --- The reviews ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class People:
    manager: User
    chair: User
    reviewer: User


def _paused_for_trial(southend: Partnership, orgs: dict[str, Organisation], people: People, today: date) -> None:
    """DHR 2025/02: agencies asked for their IMRs, then paused for Carl's trial."""
    if Review.objects.filter(partnership=southend, reference=PAUSED_REFERENCE).exists():
        return
    manager, chair, reviewer = people.manager, people.chair, people.reviewer

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    death = day(-158)
    review = process.review_create(
        actor=manager,
        partnership=southend,
        reference=PAUSED_REFERENCE,
        notified_on=day(-150),
        case=_case(
            sharing_agreement="Essex DHR information sharing agreement 2024",
            notified_by=orgs[POLICE],
            date_of_death=death,
            location_type=LocationType.RESIDENTIAL,
            cause_of_death=CauseOfDeath.SHARP,
            victim_pseudonym="Jasmine",
            perpetrator_pseudonym="Carl",
            other_pseudonyms="Jasmine's mother\nJasmine's sister",
            incident_flags=("intimate_partner_violence", "coercive_control", "separation", "stalking"),
            victim_age_band=AgeBand.B25_34,
            victim_sex=Sex.FEMALE,
            victim_relationship=Relationship.EX_PARTNER,
            victim_suicide=YesNoUnknown.NO,
            victim_carer=YesNoUnknown.YES,
            victim_mental_health=("anxiety",),
            perpetrator_age_band=AgeBand.B35_44,
            perpetrator_sex=Sex.MALE,
            perpetrator_previous_offences=YesNoUnknown.YES,
            perpetrator_vulnerabilities=("alcohol",),
            parallel_proceedings="Carl is charged with murder; the Crown Court trial is listed.",
            trial_on=day(40),
        ),
    )
    process.review_start_scoping(
        actor=manager,
        review=review,
        version=review.version,
        started_on=day(-146),
        note="Scoping letters sent to nine agencies.",
    )
    process.review_record_decision(
        actor=chair,
        review=review,
        version=review.version,
        decision=Decision.HOLD,
        reasons="Jasmine was killed by her former partner: the statutory criteria are met. Four agencies "
        "had contact with Jasmine or Carl in the three years before her death.",
        decided_on=day(-125),
    )
    process.review_notify_home_office(
        actor=manager, review=review, version=review.version, notified_on=day(-123), response="Acknowledged."
    )
    process.review_commission(
        actor=manager,
        review=review,
        version=review.version,
        commissioned_on=day(-110),
        independent_chair="Dr Ruth Adeyemi",
        chair_certified=True,
    )
    process.review_agree_terms(
        actor=manager,
        review=review,
        version=review.version,
        terms_version="1.0",
        agreed_on=day(-95),
        period_start=death - timedelta(days=3 * 365),
        period_end=death,
    )
    process.review_start_information(
        actor=manager,
        review=review,
        version=review.version,
        started_on=day(-90),
        note="IMRs and chronologies requested from four agencies.",
    )

    appointed = day(-108)
    for person, name, organisation, role, note in (
        (None, "Dr Ruth Adeyemi", None, PanelRole.INDEPENDENT_CHAIR, "Independent of every agency in the review."),
        (
            reviewer,
            "",
            orgs[POLICE],
            PanelRole.AGENCY,
            "Public Protection; no contact with the case or the line management of the officers involved.",
        ),
        (None, "Head of Adult Safeguarding", orgs[COUNCIL], PanelRole.AGENCY, "No involvement with the case."),
        (None, "Designated Nurse, Safeguarding Adults", orgs[HEALTH], PanelRole.AGENCY, ""),
        (None, "Independent domestic violence adviser service manager", None, PanelRole.SPECIALIST, ""),
    ):
        workspace.panel_member_add(
            actor=manager,
            review=review,
            person=person,
            name=name,
            organisation=organisation,
            panel_role=role,
            independent=bool(note),
            independence_note=note,
            appointed_on=appointed,
        )

    agencies = (
        (
            POLICE,
            AgencyFields(
                asked_on=day(-146),
                had_contact=YesNoUnknown.YES,
                imr_requested_on=day(-88),
                imr_due_on=day(-30),
                chronology_requested_on=day(-88),
                chronology_due_on=day(-45),
                chronology_received_on=day(-47),
                notes="Three call-outs to Jasmine's address in the last year; one DASH risk assessment.",
            ),
        ),
        (
            COUNCIL,
            AgencyFields(
                asked_on=day(-146),
                had_contact=YesNoUnknown.YES,
                imr_requested_on=day(-88),
                imr_due_on=day(21),
                chronology_requested_on=day(-88),
                chronology_due_on=day(-10),
                notes="Children's services and housing options had contact.",
            ),
        ),
        (
            HEALTH,
            AgencyFields(
                asked_on=day(-146),
                had_contact=YesNoUnknown.YES,
                imr_requested_on=day(-88),
                imr_due_on=day(-5),
                imr_received_on=day(-8),
                chronology_requested_on=day(-88),
                chronology_due_on=day(-45),
                chronology_received_on=day(-50),
                notes="GP practice and the acute trust (emergency department).",
            ),
        ),
        (HOMES, AgencyFields(asked_on=day(-146), had_contact=YesNoUnknown.NO, notes="No tenancy or contact found.")),
    )
    for name, agency_fields in agencies:
        workspace.agency_save(actor=manager, review=review, agency=None, organisation=orgs[name], fields=agency_fields)

    for offset, contact, method, consent, summary in (
        (-115, "Mother", ContactMethod.LETTER, Consent.NOT_ASKED, "Home Office leaflet and the offer of an advocate."),
        (-100, "Mother", ContactMethod.MEETING, Consent.GIVEN, "Met the independent chair; chose the pseudonyms."),
        (-70, "Sister", ContactMethod.PHONE, Consent.GIVEN, "Will meet the chair after the trial."),
    ):
        workspace.family_contact_add(
            actor=manager,
            review=review,
            contacted_on=day(offset),
            contact=contact,
            method=method,
            consent=consent,
            advocate="AAFDA advocate",
            summary=summary,
        )
    _upload(
        review, manager, DocumentKind.TERMS, "Terms of reference version 1.0", "terms-of-reference.pdf", LEAD_ACCESS
    )

    process.review_pause(
        actor=manager,
        review=review,
        version=review.version,
        reason=PauseReason.CRIMINAL_TRIAL,
        detail="Essex Police and the CPS asked the panel not to interview witnesses before Carl's trial.",
        started_on=day(-60),
    )


def _submitted_to_qa(southend: Partnership, orgs: dict[str, Organisation], people: People, today: date) -> None:
    """DHR 2024/04: signed off and with the Home Office quality assurance panel; its recommendations
    are already being worked on."""
    if Review.objects.filter(partnership=southend, reference=QA_REFERENCE).exists():
        return
    manager, chair = people.manager, people.chair

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    death = day(-430)
    review = process.review_create(
        actor=manager,
        partnership=southend,
        reference=QA_REFERENCE,
        notified_on=day(-420),
        case=_case(
            sharing_agreement="Essex DHR information sharing agreement 2024",
            notified_by=orgs[POLICE],
            date_of_death=death,
            location_type=LocationType.RESIDENTIAL,
            cause_of_death=CauseOfDeath.BLUNT,
            victim_pseudonym="Adult A",
            perpetrator_pseudonym="Adult B",
            other_pseudonyms="Child C",
            incident_flags=("familial_homicide", "parricide", "physical_abuse", "economic_abuse"),
            victim_age_band=AgeBand.B65,
            victim_sex=Sex.FEMALE,
            victim_sexual_orientation=SexualOrientation.HETEROSEXUAL,
            victim_ethnicity=Ethnicity.WHITE,
            victim_religion=Religion.CHRISTIAN,
            victim_relationship=Relationship.PARENT,
            victim_suicide=YesNoUnknown.NO,
            victim_vulnerabilities=("physical_disability",),
            perpetrator_age_band=AgeBand.B35_44,
            perpetrator_sex=Sex.MALE,
            perpetrator_carer=YesNoUnknown.YES,
            perpetrator_mental_health=("psychosis", "depression"),
            perpetrator_vulnerabilities=("substance_abuse", "housing"),
            court_verdict=CourtVerdict.DIMINISHED,
            parallel_proceedings="Adult B was convicted of manslaughter with diminished responsibility. "
            "The inquest was resumed and closed after the trial.",
            inquest_on=day(-250),
        ),
    )
    process.review_start_scoping(actor=manager, review=review, version=review.version, started_on=day(-416))
    process.review_record_decision(
        actor=chair,
        review=review,
        version=review.version,
        decision=Decision.HOLD,
        reasons="Adult A was killed by her son, who lived with her and was her carer: the criteria are met.",
        decided_on=day(-395),
    )
    process.review_notify_home_office(actor=manager, review=review, version=review.version, notified_on=day(-393))
    process.review_commission(
        actor=manager,
        review=review,
        version=review.version,
        commissioned_on=day(-380),
        independent_chair="Martin Osei",
        chair_certified=True,
        author="Martin Osei",
    )
    process.review_agree_terms(
        actor=manager,
        review=review,
        version=review.version,
        terms_version="1.1",
        agreed_on=day(-360),
        period_start=death - timedelta(days=5 * 365),
        period_end=death,
    )
    process.review_start_information(actor=manager, review=review, version=review.version, started_on=day(-350))
    process.review_pause(
        actor=manager,
        review=review,
        version=review.version,
        reason=PauseReason.INQUEST,
        detail="Waited for the coroner's inquest to close before the family interviews.",
        started_on=day(-300),
    )
    process.review_resume(actor=manager, review=review, version=review.version, ended_on=day(-240))
    for person, name, organisation, role in (
        (None, "Martin Osei", None, PanelRole.INDEPENDENT_CHAIR),
        (None, "Detective Chief Inspector, Essex Police", orgs[POLICE], PanelRole.AGENCY),
        (None, "Head of Adult Social Care", orgs[COUNCIL], PanelRole.AGENCY),
        (None, "Named GP for Safeguarding", orgs[HEALTH], PanelRole.AGENCY),
    ):
        workspace.panel_member_add(
            actor=manager,
            review=review,
            person=person,
            name=name,
            organisation=organisation,
            panel_role=role,
            independent=True,
            independence_note="",
            appointed_on=day(-378),
        )
    for name in (POLICE, COUNCIL, HEALTH, AMBULANCE):
        workspace.agency_save(
            actor=manager,
            review=review,
            agency=None,
            organisation=orgs[name],
            fields=AgencyFields(
                asked_on=day(-416),
                had_contact=YesNoUnknown.YES,
                imr_requested_on=day(-348),
                imr_due_on=day(-290),
                imr_received_on=day(-280),
                chronology_requested_on=day(-348),
                chronology_due_on=day(-300),
                chronology_received_on=day(-301),
            ),
        )
    workspace.family_contact_add(
        actor=manager,
        review=review,
        contacted_on=day(-230),
        contact="Child C",
        method=ContactMethod.ADVOCATE,
        consent=Consent.GIVEN,
        advocate="AAFDA advocate",
        summary="Read the draft with their advocate; asked for the term 'carer' to be explained.",
    )
    process.review_start_drafting(actor=manager, review=review, version=review.version, started_on=day(-200))
    _upload(review, manager, DocumentKind.DRAFT, "Overview report, draft 3", "overview-report-draft-3.pdf", LEAD_ACCESS)
    _upload(review, manager, DocumentKind.SUMMARY, "Executive summary, draft 3", "executive-summary.pdf", LEAD_ACCESS)
    process.review_sign_off(
        actor=manager,
        review=review,
        version=review.version,
        signed_off_on=day(-45),
        note="Signed off by the panel and the partnership board.",
    )
    process.review_submit_to_qa(
        actor=manager,
        review=review,
        version=review.version,
        submitted_on=day(-30),
        note="Overview report, executive summary and action plan sent to the Home Office.",
    )
    _recommendations(review, orgs, manager, day)


# number, text, scope, addressed to, lead organisation, target date, updates (days ago, RAG, %, narrative)
DemoRecommendation = tuple[str, str, str, str, str | None, date, list[tuple[int, str, int, str]]]


def _recommendations(review: Review, orgs: dict[str, Organisation], manager: User, day: Callable[[int], date]) -> None:
    """Six recommendations: red, amber and green, one completed, one not accepted, one not reported on."""
    items: tuple[DemoRecommendation, ...] = (
        (
            "1",
            "All partner agencies include coercive control and carer stress in their domestic abuse training.",
            RecommendationScope.MULTI_AGENCY,
            "All agencies",
            COUNCIL,
            day(90),
            [(-40, "amber", 35, "Training content drafted; two agencies have not yet named trainers.")],
        ),
        (
            "2",
            "Essex Police complete a risk assessment when a parent reports abuse by an adult child who is their carer.",
            RecommendationScope.SINGLE_AGENCY,
            "Essex Police",
            POLICE,
            day(-20),
            [
                (-60, "amber", 20, "New guidance drafted for call handlers."),
                (-14, "red", 30, "The target date was missed: the guidance waits for force policy approval."),
            ],
        ),
        (
            "3",
            "GP practices ask about caring arrangements and safety when a patient's carer is a family member "
            "with a mental illness.",
            RecommendationScope.SINGLE_AGENCY,
            HEALTH,
            HEALTH,
            day(150),
            [(-21, "green", 50, "Template added to the practice system in 14 of 26 practices.")],
        ),
        (
            "4",
            "Adult social care records who provides care in every carer's assessment, and reviews it yearly.",
            RecommendationScope.SINGLE_AGENCY,
            COUNCIL,
            COUNCIL,
            day(-5),
            [
                (-50, "green", 60, "Assessment form changed; staff briefed."),
                (-7, "green", 100, "Audit of 40 assessments: all record the carer."),
            ],
        ),
        (
            "5",
            "The Home Office issue national guidance on reviews where the perpetrator was the victim's carer.",
            RecommendationScope.NATIONAL,
            "Home Office",
            None,
            day(365),
            [],
        ),
        (
            "6",
            "Southend-on-Sea CSP commissions a local service for adult family violence.",
            RecommendationScope.LOCAL,
            "Southend-on-Sea CSP",
            COUNCIL,
            day(200),
            [],
        ),
    )
    for number, text, scope, addressed_to, lead, target, updates in items:
        recommendation = recommendations.recommendation_create(
            actor=manager,
            review=review,
            fields=RecommendationFields(
                number=number,
                text=text,
                scope=scope,
                addressed_to=addressed_to,
                lead_organisation=orgs[lead] if lead else None,
                lead_officer=manager if lead == COUNCIL else None,
                target_date=target,
            ),
        )
        for offset, rag, percent, narrative in updates:
            recommendations.recommendation_record_progress(
                actor=manager,
                recommendation=recommendation,
                version=recommendation.version,
                reported_on=day(offset),
                rag=rag,
                narrative=narrative,
                percent_complete=percent,
                status=RecommendationStatus.COMPLETED if percent == 100 else RecommendationStatus.OPEN,
            )
        if number == "6":
            recommendations.recommendation_set_status(
                actor=manager,
                recommendation=recommendation,
                version=recommendation.version,
                status=RecommendationStatus.NOT_ACCEPTED,
                reason="Not accepted by the partnership board: the Essex-wide family violence service "
                "commissioned by the Police, Fire and Crime Commissioner already covers Southend.",
                on=day(-3),
            )


# --- Loading --------------------------------------------------------------------------------------------


@transaction.atomic
def load_reviews_demo() -> list[tuple[str, str]]:
    """Create the demo reviews, the review panel member and the demo authenticator apps if missing;
    returns the extra demo login as (email, description)."""
    southend = Partnership.objects.filter(partnership_lookup(SOUTHEND)).first()
    if southend is None:
        raise RuntimeError("Load the registry and the demo partnerships first: manage.py load_demo")
    names = (POLICE, COUNCIL, HEALTH, HOMES, AMBULANCE)
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=names, memberships__partnership=southend)}
    missing = sorted(set(names) - orgs.keys())
    if missing:
        raise RuntimeError(f"Load the demo partnerships first: Southend-on-Sea has no {', '.join(missing)}")
    people = People(_person(MANAGER), _person(CHAIR), _reviewer(southend, orgs[POLICE]))
    for email, secret in TOTP_SECRETS.items():
        _authenticator(_person(email), secret)
    today = timezone.localdate()
    _paused_for_trial(southend, orgs, people, today)
    _submitted_to_qa(southend, orgs, people, today)
    return [(REVIEWER, REVIEWER_DESCRIPTION)]
