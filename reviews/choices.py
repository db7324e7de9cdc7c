"""Coded values for domestic homicide reviews.

The case fields follow the Home Office DHR library taxonomy (DOMAIN.md §2.3), so a portal record can be
compared with the national library; the process values follow the statutory process (DOMAIN.md §2.2).
"""

from __future__ import annotations

from django.db import models


class Stage(models.TextChoices):
    """The statutory process in order (DOMAIN.md §2.2). Transitions live in reviews/services.py."""

    NOTIFIED = "notified", "Notification received"
    SCOPING = "scoping", "Scoping"
    DECIDED = "decided", "Decision made"
    HOME_OFFICE_NOTIFIED = "home_office_notified", "Home Office notified"
    COMMISSIONED = "commissioned", "Commissioned"
    TERMS_AGREED = "terms_agreed", "Terms of reference agreed"
    INFORMATION = "information", "Information gathering"
    DRAFTING = "drafting", "Drafting"
    SIGNED_OFF = "signed_off", "Local sign-off"
    SUBMITTED = "submitted", "Submitted to the Home Office quality assurance panel"
    QA_APPROVED = "qa_approved", "Approved by the quality assurance panel"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"


STAGE_ORDER = list(Stage.values)


class ReviewType(models.TextChoices):
    STANDARD = "standard", "Standard review"
    JOINT_SAR = "joint_sar", "Joint review with a safeguarding adult review"
    JOINT_CSPR = "joint_cspr", "Joint review with a child safeguarding practice review"
    SCOPING = "scoping", "Scoping review"


class Decision(models.TextChoices):
    HOLD = "hold", "Hold a review"
    NOT_HOLD = "not_hold", "Do not hold a review"
    REFER = "refer", "Refer to another review process"


class PauseReason(models.TextChoices):
    CRIMINAL_TRIAL = "criminal_trial", "Parallel criminal proceedings"
    INQUEST = "inquest", "Inquest"
    IOPC = "iopc", "IOPC investigation"
    SAFEGUARDING = "safeguarding", "Safeguarding adult review or child safeguarding practice review"
    FAMILY = "family", "Waiting for the family"
    OTHER = "other", "Other"


class LocationType(models.TextChoices):
    NOT_KNOWN = "not_known", "Not known"
    PUBLIC = "public", "Public place"
    RESIDENTIAL = "residential", "Residential"
    OTHER = "other", "Other"


class YesNoUnknown(models.TextChoices):
    UNKNOWN = "unknown", "Not known"
    YES = "yes", "Yes"
    NO = "no", "No"


class AgeBand(models.TextChoices):
    NOT_KNOWN = "", "Not known"
    B16_19 = "16-19", "16 to 19"
    B20_24 = "20-24", "20 to 24"
    B25_34 = "25-34", "25 to 34"
    B35_44 = "35-44", "35 to 44"
    B45_54 = "45-54", "45 to 54"
    B55_64 = "55-64", "55 to 64"
    B65 = "65+", "65 and over"


class Sex(models.TextChoices):
    NOT_KNOWN = "", "Not known"
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class SexualOrientation(models.TextChoices):
    NOT_KNOWN = "", "Not known"
    HETEROSEXUAL = "heterosexual", "Heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Other"


class Ethnicity(models.TextChoices):
    NOT_KNOWN = "", "Not known"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"


class Religion(models.TextChoices):
    NOT_KNOWN = "", "Not known"
    CHRISTIAN = "christian", "Christian"
    BUDDHIST = "buddhist", "Buddhist"
    HINDU = "hindu", "Hindu"
    SIKH = "sikh", "Sikh"
    MUSLIM = "muslim", "Muslim"
    JEWISH = "jewish", "Jewish"
    NONE = "none", "No religion"
    OTHER = "other", "Other"


class Relationship(models.TextChoices):
    NOT_KNOWN = "", "Not known"
    PARTNER = "partner", "Partner"
    EX_PARTNER = "ex_partner", "Former partner"
    PARENT = "parent", "Parent"
    CHILD = "child", "Son or daughter"
    SIBLING = "sibling", "Brother or sister"
    OTHER_FAMILY = "other_family", "Other family member"
    HOUSEHOLD = "household", "Member of the same household"
    OTHER = "other", "Other"


class CourtVerdict(models.TextChoices):
    NOT_KNOWN = "", "Not known or not yet decided"
    MURDER = "murder", "Murder"
    MANSLAUGHTER = "manslaughter", "Manslaughter"
    DIMINISHED = "manslaughter_diminished", "Manslaughter with diminished responsibility"
    NOT_GUILTY = "not_guilty", "Not guilty"
    OTHER = "other", "Other"


class CauseOfDeath(models.TextChoices):
    NOT_KNOWN = "", "Not known"
    SHARP = "sharp_instrument", "Sharp instrument"
    BLUNT = "blunt_instrument", "Blunt instrument or assault"
    STRANGULATION = "strangulation", "Strangulation or asphyxiation"
    SHOOTING = "shooting", "Shooting"
    POISONING = "poisoning", "Poisoning or overdose"
    FIRE = "fire", "Fire"
    SUICIDE = "suicide", "Suicide"
    OTHER = "other", "Other"


# Multiple-choice codes, stored as JSON lists of the values.
INCIDENT_FLAGS = [
    ("intimate_partner_violence", "Intimate partner violence"),
    ("familial_homicide", "Familial homicide"),
    ("parricide", "Parricide"),
    ("homicide_suicide", "Homicide-suicide"),
    ("children_present", "Children present"),
    ("coercive_control", "Coercive control"),
    ("economic_abuse", "Economic abuse"),
    ("faith_based_marriage", "Faith-based marriage"),
    ("forced_marriage", "Forced marriage"),
    ("physical_abuse", "Physical abuse"),
    ("emotional_abuse", "Emotional abuse"),
    ("separation", "Separation"),
    ("sexual_abuse", "Sexual abuse"),
    ("stalking", "Stalking"),
    ("multiple_victims", "Multiple victims"),
]
MENTAL_HEALTH_FLAGS = [
    ("adjustment_disorder", "Adjustment disorder"),
    ("anxiety", "Anxiety"),
    ("dementia", "Dementia"),
    ("depression", "Depression"),
    ("panic_attacks", "Panic attacks"),
    ("ptsd", "Post-traumatic stress disorder"),
    ("psychosis", "Psychosis"),
    ("self_harm", "Self-harm"),
    ("suicidal_thoughts", "Suicidal thoughts"),
    ("suicide_attempts", "Suicide attempts"),
    ("other", "Other"),
]
VULNERABILITY_FLAGS = [
    ("alcohol", "Alcohol"),
    ("housing", "Housing"),
    ("neurodiversity", "Neurodiversity"),
    ("physical_disability", "Physical disability"),
    ("pregnancy", "Pregnancy"),
    ("substance_abuse", "Substance misuse"),
    ("other", "Other"),
]
# Pregnancy is recorded for the victim only (the Home Office taxonomy).
PERPETRATOR_VULNERABILITY_FLAGS = [flag for flag in VULNERABILITY_FLAGS if flag[0] != "pregnancy"]


class PanelRole(models.TextChoices):
    INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
    AUTHOR = "author", "Report author"
    COORDINATOR = "coordinator", "Review coordinator"
    AGENCY = "agency", "Agency representative"
    SPECIALIST = "specialist", "Domestic abuse specialist"
    OTHER = "other", "Other member"


# Panel roles that work on the whole review (DOMAIN.md §6: the independent chair edits the workspace,
# drafts and the family log); other members read it and upload their own agency's reports.
EDITING_PANEL_ROLES = frozenset({PanelRole.INDEPENDENT_CHAIR, PanelRole.AUTHOR, PanelRole.COORDINATOR})


class Consent(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked yet"
    GIVEN = "given", "Consent given"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Consent withdrawn"


class ContactMethod(models.TextChoices):
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    PHONE = "phone", "Telephone"
    MEETING = "meeting", "Meeting"
    ADVOCATE = "advocate", "Through their advocate"


class DocumentKind(models.TextChoices):
    IMR = "imr", "Individual management review"
    CHRONOLOGY = "chronology", "Chronology"
    TERMS = "terms", "Terms of reference"
    DRAFT = "draft", "Draft overview report"
    SUMMARY = "summary", "Executive summary"
    ACTION_PLAN = "action_plan", "Action plan"
    HOME_OFFICE_LETTER = "home_office_letter", "Letter from the Home Office"
    OTHER = "other", "Other document"


# Kinds a panel member may upload for their own organisation's agency.
AGENCY_DOCUMENT_KINDS = frozenset({DocumentKind.IMR, DocumentKind.CHRONOLOGY})


class QaOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for the panel"
    APPROVED = "approved", "Approved for publication"
    RESUBMIT = "resubmit", "Changes asked for: resubmit"


class RecommendationScope(models.TextChoices):
    SINGLE_AGENCY = "single_agency", "Single agency"
    MULTI_AGENCY = "multi_agency", "Multi-agency"
    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    SUPERSEDED = "superseded", "Superseded"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


# Statuses that end a recommendation only with a recorded reason.
STATUSES_NEEDING_REASON = (RecommendationStatus.SUPERSEDED, RecommendationStatus.NOT_ACCEPTED)


class AccessKind(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    DOWNLOADED = "downloaded", "Downloaded a document"
