"""factory_boy factories for the test suite. Memberships and roles start on 1 April 2022 unless told."""

from __future__ import annotations

from datetime import date

import factory

from partnerships.models import (
    LocalAuthorityArea,
    Organisation,
    OrganisationMembership,
    OrganisationType,
    Partnership,
    PartnershipKind,
    PoliceForceArea,
    Role,
    RoleAssignment,
    Standing,
    User,
)

SINCE = date(2022, 4, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password("a-long-test-password-2026")


class PoliceForceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceForceArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E2{n:07d}")
    name = factory.Sequence(lambda n: f"Force area {n}")


class LocalAuthorityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthorityArea

    code = factory.Sequence(lambda n: f"E0{n:07d}")
    name = factory.Sequence(lambda n: f"District {n}")
    police_force_area = factory.SubFactory(PoliceForceAreaFactory)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    kind = PartnershipKind.CSP
    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    ons_code = factory.Sequence(lambda n: f"E22{n:06d}")


class CountyGroupFactory(PartnershipFactory):
    kind = PartnershipKind.COUNTY_GROUP
    ons_code = None
    name = factory.Sequence(lambda n: f"Safer County {n}")
    slug = factory.Sequence(lambda n: f"safer-county-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    type = OrganisationType.OTHER


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    standing = Standing.RESPONSIBLE_AUTHORITY
    start_date = SINCE


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PARTNER_OFFICER
    start_date = SINCE


# --- Partnership plans (priorities app) ---------------------------------------------------------------


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft plan; pass status, adopted_on and adopted_by_body for later stages."""

    class Meta:
        model = "priorities.PartnershipPlan"

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Community safety strategy {n}")
    start_year = 2024
    end_year = 2027


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "priorities.Priority"

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    aim = "Reduce harm"
    how_achieved = "Partnership working"
    theme = "asb"
    position = factory.Sequence(lambda n: n)


class MeasureFactory(factory.django.DjangoModelFactory):
    """Down is good: 100 on 31 March 2024 to 80 by 31 March 2027."""

    class Meta:
        model = "priorities.OutcomeMeasure"

    priority = factory.SubFactory(PriorityFactory)
    name = factory.Sequence(lambda n: f"Measure {n}")
    unit = "crimes"
    data_source = "Test figures"
    baseline = 100
    baseline_date = date(2024, 3, 31)
    target = 80
    target_date = date(2027, 3, 31)
    direction = "down"


class MeasureValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "priorities.MeasureValue"

    measure = factory.SubFactory(MeasureFactory)
    period_end = date(2024, 6, 30)
    value = 95


# --- Action plans (actionplans app) -----------------------------------------------------------------------


class ActionPlanFactory(factory.django.DjangoModelFactory):
    """An agreed action plan for 2024–2027 (pass status="draft" and agreed_on=None for a draft)."""

    class Meta:
        model = "actionplans.ActionPlan"

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Community Safety Action Plan {n}")
    period_start = date(2024, 4, 1)
    period_end = date(2027, 3, 31)
    status = "agreed"
    agreed_on = date(2024, 5, 1)
    agreed_by = "Responsible Authorities Group"


class ActionFactory(factory.django.DjangoModelFactory):
    """An action in progress from April 2024, due at the end of March 2026, not yet reported on."""

    class Meta:
        model = "actionplans.Action"

    action_plan = factory.SubFactory(ActionPlanFactory)
    reference = factory.Sequence(lambda n: f"A{n + 1}")
    title = factory.Sequence(lambda n: f"Action {n}")
    description = "What will be done, and why"
    lead_organisation = factory.SubFactory(OrganisationFactory)
    start_date = date(2024, 4, 1)
    due_date = date(2026, 3, 31)
    status = "in_progress"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Milestone"

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = date(2025, 3, 31)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.BudgetLine"

    action = factory.SubFactory(ActionFactory)
    source = "pcc"
    grant_name = "Community Safety Fund"
    amount = 10000
    spent_to_date = 2500


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    """A row only: the action's cached RAG, percentage and last update date are not changed (use
    actionplans.services.action_record_progress for that)."""

    class Meta:
        model = "actionplans.ProgressUpdate"

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    reported_on = date(2025, 1, 15)
    rag = "green"
    narrative = "On track"
    percent_complete = 50
