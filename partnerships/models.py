"""Partnerships, the places they cover, organisations, people and the roles people hold.

Changes go through partnerships/services.py; history of every change is kept by
django-simple-history (who, when, what) on the models that carry `history`.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from knox.models import AbstractAuthToken
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("Email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


# The type checker cannot see the API tokens' relation (ApiToken's base, from knox, is untyped).
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    """A person who signs in with their email address. Portal administrators are staff."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "portal administrator", default=False, help_text="Can use the admin site and sees every partnership."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ("full_name", "email")
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class PoliceForceArea(models.Model):
    """A police force area (ONS PFA24CD), e.g. E23000028 Essex."""

    code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class LocalAuthorityArea(models.Model):
    """A local authority district (ONS LAD24CD), e.g. E07000066 Basildon."""

    code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    police_force_area = models.ForeignKey(PoliceForceArea, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class PolicingArea(models.Model):
    """A local policing area inside a force area (Essex: North, West, South)."""

    name = models.CharField(max_length=100)
    police_force_area = models.ForeignKey(PoliceForceArea, on_delete=models.PROTECT, related_name="policing_areas")

    class Meta:
        ordering = ("police_force_area__name", "name")
        constraints = [
            models.UniqueConstraint(fields=["police_force_area", "name"], name="policing_area_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.police_force_area.name})"


class PartnershipKind(models.TextChoices):
    CSP = "csp", "Community safety partnership"
    COUNTY_GROUP = "county_group", "County group"
    THEMATIC_GROUP = "thematic_group", "Thematic or task-and-finish group"


class Partnership(models.Model):
    """A CSP, a county group joining CSPs, or a thematic group under a parent partnership."""

    kind = models.CharField(max_length=20, choices=PartnershipKind.choices)
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        help_text="The CSP's code in the ONS register (CSP24CD), e.g. E22000089.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The county group a CSP belongs to, or the partnership a thematic group reports to.",
    )
    local_authority_areas = models.ManyToManyField(LocalAuthorityArea, blank=True, related_name="partnerships")
    police_force_area = models.ForeignKey(
        PoliceForceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="partnerships"
    )
    policing_area = models.ForeignKey(
        PolicingArea, on_delete=models.PROTECT, null=True, blank=True, related_name="partnerships"
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[local_authority_areas])

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(ons_code__isnull=True) | Q(kind=PartnershipKind.CSP),
                name="partnership_ons_code_only_for_csp",
            ),
            models.CheckConstraint(
                condition=~Q(kind=PartnershipKind.THEMATIC_GROUP) | Q(parent__isnull=False),
                name="partnership_thematic_group_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_csp(self) -> bool:
        return self.kind == PartnershipKind.CSP

    @property
    def is_county_group(self) -> bool:
        return self.kind == PartnershipKind.COUNTY_GROUP


class OrganisationType(models.TextChoices):
    POLICE = "police", "Police force"
    DISTRICT_COUNCIL = "district_council", "District, borough or city council"
    COUNTY_COUNCIL = "county_council", "County council"
    UNITARY_AUTHORITY = "unitary_authority", "Unitary authority"
    FIRE_AND_RESCUE = "fire_and_rescue", "Fire and rescue"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health or integrated care board"
    AMBULANCE = "ambulance", "Ambulance service"
    HOUSING = "housing", "Housing provider"
    VOLUNTARY = "voluntary", "Voluntary sector"
    EDUCATION = "education", "Education"
    PCC = "pcc", "Police, fire and crime commissioner"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A body that takes part in partnerships: a police force, a council, a charity …"""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    type = models.CharField(max_length=30, choices=OrganisationType.choices)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Standing(models.TextChoices):
    """An organisation's standing in a partnership (Crime and Disorder Act 1998 s5)."""

    RESPONSIBLE_AUTHORITY = "responsible_authority", "Responsible authority"
    CO_OPERATING = "co_operating", "Co-operating body"
    INVITED = "invited", "Invited partner"


class CurrentQuerySet(models.QuerySet[Any]):
    def current(self, on: date | None = None) -> CurrentQuerySet:
        """Rows in force on a day (today by default): started, and not ended before it."""
        day = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class OrganisationMembership(models.Model):
    """An organisation's membership of a partnership, with its standing and dates."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    standing = models.CharField(max_length=30, choices=Standing.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ("organisation__name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_dates_in_order",
            ),
            # At most one open membership of an organisation in a partnership.
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership} ({self.get_standing_display()})"


class Role(models.TextChoices):
    MANAGER = "manager", "Partnership manager"
    CHAIR = "chair", "Chair"
    PARTNER_OFFICER = "partner_officer", "Partner officer"
    SCRUTINY_MEMBER = "scrutiny_member", "Scrutiny member"
    COUNTY_MEMBER = "county_member", "County group member"
    # Runs the partnership's domestic homicide reviews. Where nobody holds it, the managers do.
    REVIEW_LEAD = "review_lead", "Review lead"


class RoleAssignment(models.Model):
    """A person's role in a partnership, tied to the organisation they work for there."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="role_assignments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ("person__full_name", "role")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="role_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["person", "partnership", "organisation", "role"],
                condition=Q(end_date__isnull=True),
                name="role_one_open_per_person_organisation_role",
            ),
        ]
        indexes = [
            # Serves permissions.current_roles(user): every request looks up the open roles of one person.
            models.Index(fields=["person", "end_date"], name="role_person_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}, {self.partnership} ({self.organisation})"


class ApiToken(AbstractAuthToken):  # type: ignore[misc]
    """A person's API token (django-rest-knox, settings.KNOX_TOKEN_MODEL): only its SHA-512 digest is stored.

    Made and revoked on the person's "API tokens" page (partnerships/tokens.py); revoking deletes the row,
    so the token stops working at once. `token_key` is the token's first characters, which knox looks the
    row up by. A token reaches domestic homicide reviews only if it was made by someone with review access
    in a session that had passed the second factor (`reviews`); a token made without that never will,
    even after its owner joins a review panel: they make a new one.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. Power BI dashboard")
    last_used_at = models.DateTimeField(null=True, blank=True)
    reviews = models.BooleanField(
        default=False, help_text="Made in a session that passed the second factor, by someone with review access"
    )

    class Meta:
        ordering = ("-created",)
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
