"""Demo action plans, loaded by `manage.py load_demo` after the demo partnerships and plans (DOMAIN.md §11).

- Southend-on-Sea CSP: an agreed "Community Safety Action Plan 2026/27" under the community safety
  partnership strategy 2022 to 2025 (priorities/demo.py), with thirteen actions across its four
  priorities, led by Essex Police, the city council, Essex County Fire and Rescue Service and South Essex
  Homes. The actions, milestones, budgets and progress are illustrative: a mix of RAGs, some overdue,
  some not reported on this quarter, as a plan looks in November 2026. Its dates are fixed (the financial
  year 2026/27), so the flags change as the real date moves on, as they would for a real plan.
- Southend-on-Sea CSP's annual reports to the crime and disorder committee: 2024/25 published (the last
  year of its 2022 to 2025 strategy: the figures are the strategy's outcome measures, as no action plan
  of that year is in the demo) and 2026/27 a draft with its summary written. The narrative is fictional;
  the figures are generated, and the published report's are frozen on the day the demo is loaded.
- Uttlesford CSP: the draft "Community Safety Action Plan 2024–2027" its scrutiny committee was told of in
  January 2024 (seed 002), with three actions from that report: Crucial Crew, Community Speed Watch and
  bleed kits.
Everything goes through the services, so it carries history. Idempotent: a plan or report that exists is
left as it is. Without the Southend strategy (its demo not loaded) the plan has no partnership plan and its
actions no priority.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from actionplans import services
from actionplans.dashboard import plan_choices
from actionplans.models import ActionPlan, ActionStatus, AnnualReport, FundingSource, Rag
from actionplans.reports import services as report_services
from partnerships.models import Organisation, Partnership, User
from partnerships.permissions import partnership_lookup
from priorities.demo import SOUTHEND_TITLE
from priorities.models import PartnershipPlan, Priority

SOUTHEND, UTTLESFORD = "E22000089", "E22000092"
SOUTHEND_ACTION_PLAN = "Community Safety Action Plan 2026/27"
UTTLESFORD_ACTION_PLAN = "Community Safety Action Plan 2024–2027"

POLICE = "Essex Police"
COUNCIL = "Southend-on-Sea City Council"
FIRE = "Essex County Fire and Rescue Service"
HOMES = "South Essex Homes"
OFFICERS = {POLICE: "police.officer@demo.example", COUNCIL: "council.officer@demo.example"}

P1, P2, P3, P4 = (
    "Safe and confident communities",
    "Reducing violence against women and girls",
    "Reducing hate crime",
    "Reducing knife enabled serious violence",
)


@dataclass(frozen=True)
class DemoUpdate:
    reported_on: date
    rag: str
    percent: int
    narrative: str
    status: str = ActionStatus.IN_PROGRESS


@dataclass(frozen=True)
class DemoAction:
    reference: str
    priority: str
    title: str
    description: str
    lead: str
    start: date
    due: date
    supporting: tuple[str, ...] = ()
    status: str = ActionStatus.NOT_STARTED  # before any update
    milestones: tuple[tuple[str, date, date | None], ...] = ()  # title, due, done on
    budget: tuple[tuple[str, str, str, str], ...] = ()  # source, grant, amount, spent
    updates: tuple[DemoUpdate, ...] = field(default_factory=tuple)


YEAR_START, YEAR_END = date(2026, 4, 1), date(2027, 3, 31)

SOUTHEND_ACTIONS = [
    DemoAction(
        "1.1",
        P1,
        "Run high-visibility patrols in the ten anti-social behaviour hot spots each quarter",
        "Hot spots chosen each quarter from incident data shared by the police and the council's "
        "anti-social behaviour team; patrols by neighbourhood officers and community safety officers.",
        POLICE,
        YEAR_START,
        YEAR_END,
        supporting=(COUNCIL,),
        updates=(
            DemoUpdate(date(2026, 7, 8), Rag.GREEN, 25, "Patrol plan in place for all ten Q1 hot spots."),
            DemoUpdate(
                date(2026, 10, 12),
                Rag.GREEN,
                50,
                "Q2 patrols delivered as planned; incidents down in seven of the ten hot spots.",
            ),
        ),
    ),
    DemoAction(
        "1.2",
        P1,
        "Hold a community engagement event in each ward with high anti-social behaviour",
        "Street surgeries with partners so residents can raise local concerns and hear what is being done.",
        COUNCIL,
        YEAR_START,
        date(2027, 1, 31),
        supporting=(POLICE, HOMES),
        milestones=(
            ("Wards and dates agreed", date(2026, 5, 31), date(2026, 5, 20)),
            ("Half of the events held", date(2026, 10, 31), None),
        ),
        updates=(
            DemoUpdate(
                date(2026, 8, 14),
                Rag.AMBER,
                40,
                "Four of nine events held; two postponed over the summer for want of venues.",
            ),
        ),
    ),
    DemoAction(
        "1.3",
        P1,
        "Install CCTV cameras at three anti-social behaviour hot spots",
        "Redeployable cameras monitored by the council's control room.",
        COUNCIL,
        YEAR_START,
        date(2026, 9, 30),
        supporting=(POLICE,),
        milestones=(
            ("Sites agreed with the police", date(2026, 6, 30), date(2026, 6, 15)),
            ("Cameras installed", date(2026, 9, 30), None),
        ),
        budget=((FundingSource.HOME_OFFICE, "Safer Streets Fund", "45000", "31500"),),
        updates=(
            DemoUpdate(date(2026, 7, 20), Rag.AMBER, 40, "Sites agreed; supplier's lead time is 12 weeks."),
            DemoUpdate(
                date(2026, 10, 28),
                Rag.RED,
                70,
                "Two of three cameras installed; the third site needs a new power supply. Escalated to the "
                "partnership board: a new date of January 2027 is proposed.",
            ),
        ),
    ),
    DemoAction(
        "1.4",
        P1,
        "Deliver deliberate fire-setting prevention sessions in secondary schools",
        "Sessions on the dangers and consequences of deliberate fires and anti-social behaviour.",
        FIRE,
        date(2026, 9, 1),
        date(2027, 2, 28),
        supporting=(COUNCIL,),
    ),
    DemoAction(
        "2.1",
        P2,
        "Extend the Women's Safety Charter to 40 night-time economy venues",
        "Venues sign up to the charter, train their staff and display it.",
        COUNCIL,
        YEAR_START,
        YEAR_END,
        supporting=(POLICE,),
        budget=((FundingSource.PCC, "Safer Streets: violence against women and girls", "12000", "5400"),),
        updates=(
            DemoUpdate(date(2026, 7, 3), Rag.GREEN, 30, "14 venues signed up."),
            DemoUpdate(date(2026, 10, 9), Rag.GREEN, 60, "26 venues signed up; staff training booked for 10 more."),
        ),
    ),
    DemoAction(
        "2.2",
        P2,
        "Train housing officers in domestic abuse awareness and routes to support",
        "All tenancy and neighbourhood officers trained to spot domestic abuse and refer to specialist services.",
        HOMES,
        YEAR_START,
        date(2026, 10, 31),
        supporting=(COUNCIL,),
        status=ActionStatus.IN_PROGRESS,
    ),
    DemoAction(
        "2.3",
        P2,
        "Run Operation Minerva patrols of the night-time economy on Friday and Saturday nights",
        "Plain-clothes and uniformed patrols to identify and deter predatory behaviour.",
        POLICE,
        YEAR_START,
        date(2026, 9, 30),
        budget=((FundingSource.PCC, "Operation Minerva", "8000", "7850"),),
        updates=(
            DemoUpdate(date(2026, 6, 30), Rag.GREEN, 50, "Patrols every weekend since April."),
            DemoUpdate(
                date(2026, 9, 30),
                Rag.GREEN,
                100,
                "Summer season of patrols completed; findings reported to the partnership board.",
                ActionStatus.COMPLETE,
            ),
        ),
    ),
    DemoAction(
        "3.1",
        P3,
        "Recruit and train hate crime ambassadors in faith centres and community groups",
        "Ambassadors help people recognise and report hate crime.",
        COUNCIL,
        YEAR_START,
        YEAR_END,
        supporting=(POLICE,),
        milestones=(("First ten ambassadors trained", date(2026, 9, 30), None),),
        updates=(
            DemoUpdate(
                date(2026, 6, 25),
                Rag.AMBER,
                20,
                "Six ambassadors recruited; the training provider's dates slipped to September.",
            ),
        ),
    ),
    DemoAction(
        "3.2",
        P3,
        "Deliver hate crime awareness sessions in every secondary school",
        "With the schools' liaison officers, in personal, social and health education lessons.",
        POLICE,
        date(2026, 9, 1),
        date(2026, 11, 13),
        supporting=(COUNCIL,),
        updates=(
            DemoUpdate(
                date(2026, 10, 5),
                Rag.RED,
                10,
                "Two schools visited; the others could not fit sessions into the autumn timetable.",
            ),
        ),
    ),
    DemoAction(
        "3.3",
        P3,
        "Open two more third-party hate crime reporting centres",
        "In housing offices, so tenants can report hate crime where they already go.",
        HOMES,
        date(2026, 10, 1),
        YEAR_END,
        supporting=(COUNCIL,),
        status=ActionStatus.DEFERRED,
    ),
    DemoAction(
        "4.1",
        P4,
        "Install and empty four knife surrender bins",
        "Bins at community sites, emptied monthly; weapons recorded and destroyed.",
        POLICE,
        YEAR_START,
        date(2026, 7, 31),
        budget=((FundingSource.PCC, "Violence and Vulnerability fund", "4800", "4800"),),
        updates=(
            DemoUpdate(
                date(2026, 7, 28),
                Rag.GREEN,
                100,
                "All four bins installed; 61 weapons surrendered in the first two months.",
                ActionStatus.COMPLETE,
            ),
        ),
    ),
    DemoAction(
        "4.2",
        P4,
        "Fund and install bleed control kits in the city centre and on the seafront",
        "Kits in public places and licensed premises, with training for staff.",
        FIRE,
        YEAR_START,
        date(2027, 1, 31),
        supporting=(POLICE, COUNCIL),
        milestones=(("Sites mapped with licensed premises", date(2026, 6, 30), date(2026, 6, 26)),),
        budget=((FundingSource.HOME_OFFICE, "Serious Violence Duty", "9600", "2400"),),
        status=ActionStatus.IN_PROGRESS,
    ),
    DemoAction(
        "4.3",
        P4,
        "Deliver knife crime awareness workshops for young people during Knife Crime Week",
        "Workshops with youth services and schools, and a public reassurance campaign.",
        COUNCIL,
        date(2026, 9, 1),
        YEAR_END,
        supporting=(POLICE,),
        milestones=(("Knife Crime Week workshops held", date(2026, 11, 20), date(2026, 11, 20)),),
        budget=(
            (FundingSource.HOME_OFFICE, "Serious Violence Duty", "6000", "3900"),
            (FundingSource.PCC, "Community safety development fund", "2500", "0"),
        ),
        updates=(DemoUpdate(date(2026, 11, 23), Rag.GREEN, 60, "Workshops held for 420 young people."),),
    ),
]

UTTLESFORD_COUNCIL = "Uttlesford District Council"
UTTLESFORD_ACTIONS = [
    DemoAction(
        "1",
        "",
        "Hold Crucial Crew each year for Year 6 pupils",
        "Safety messaging for year 6 pupils, held in person again in 2023 for the first time since covid (850 pupils).",
        FIRE,
        date(2024, 5, 1),
        date(2027, 3, 31),
        supporting=(UTTLESFORD_COUNCIL, POLICE),
    ),
    DemoAction(
        "2",
        "",
        "Reinvigorate Community Speed Watch groups",
        "Recruit and support volunteers' speed watch groups in the villages that ask for them.",
        POLICE,
        date(2024, 5, 1),
        date(2027, 3, 31),
        supporting=(UTTLESFORD_COUNCIL,),
    ),
    DemoAction(
        "3",
        "",
        "Fund bleed kits across the district",
        "Bleed control kits funded through the district, with the police and the fire service.",
        UTTLESFORD_COUNCIL,
        date(2024, 5, 1),
        date(2025, 3, 31),
        supporting=(POLICE, FIRE),
    ),
]


# Southend's annual reports to the crime and disorder committee. The narrative is fictional (demo text);
# the figures quoted are the demo's outcome measures at 31 March 2025.
SOUTHEND_COMMITTEE = "Place Scrutiny Committee, Southend-on-Sea City Council"
SOUTHEND_REPORT_2024 = {
    "summary": (
        "2024/25 was the last year of the community safety partnership strategy 2022 to 2025. The partnership "
        "kept its four priorities: safe and confident communities, reducing violence against women and "
        "girls, reducing hate crime, and reducing knife enabled serious violence.\n\n"
        "Anti-social behaviour incidents fell to 4,930 in the twelve months to March 2025, from 5,400 when the "
        "strategy began, within touching distance of the target of 4,900. More victims of domestic abuse were "
        "supported by specialist services than in any year before (1,396), and hospital admissions for "
        "non-domestic knife injuries among 15 to 34 year-olds fell to 29, below the target of 30. Hate crime "
        "reported through third-party centres rose to 66, short of the target of 70, and the share of "
        "residents who feel safe after dark (56%) remains the measure furthest from its target."
    ),
    "successes": (
        "Joint patrols in the anti-social behaviour hot spots, chosen each quarter from shared police and "
        "council data, contributed to the fall in incidents in the town centre and on the seafront.\n\n"
        "The knife crime awareness programme reached nine of the city's twelve secondary schools, and "
        "surrender bins took weapons off the streets.\n\n"
        "Two new third-party hate crime reporting centres opened, and twelve community ambassadors were "
        "trained."
    ),
    "year_ahead": (
        "The partnership will refresh its strategy for 2025 onwards from the new strategic assessment. Early "
        "findings point to continued focus on violence against women and girls in the night-time economy, "
        "on anti-social behaviour in a small number of neighbourhoods, and on confidence among residents "
        "after dark."
    ),
    "recommendations": (
        "The committee is asked to:\n"
        "1. note the progress made against the four priorities of the strategy 2022 to 2025;\n"
        "2. comment on the priorities proposed for the partnership's next strategy;\n"
        "3. receive a further report on residents' feelings of safety after dark in six months."
    ),
}
SOUTHEND_REPORT_2026_SUMMARY = (
    "Draft for the partnership board. Half way through the year, most actions of the Community Safety "
    "Action Plan 2026/27 are on track: Operation Minerva and the knife surrender bins are complete, and the "
    "Women's Safety Charter has reached 26 venues. The CCTV installation at the third hot spot and the hate "
    "crime awareness sessions in schools have slipped and have been escalated to the board."
)


def _partnership(ref: str) -> Partnership:
    partnership = Partnership.objects.filter(partnership_lookup(ref)).first()
    if partnership is None:
        raise RuntimeError("Load the registry and the demo partnerships first: manage.py load_demo")
    return partnership


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


@transaction.atomic
def load_actionplans_demo() -> None:
    """Create the demo action plans of Southend-on-Sea and Uttlesford if they are missing."""
    _southend()
    _southend_reports()
    _uttlesford()


def _southend() -> None:
    southend = _partnership(SOUTHEND)
    if ActionPlan.objects.filter(partnership=southend, title=SOUTHEND_ACTION_PLAN).exists():
        return
    manager, chair = _person("manager@demo.example"), _person("chair@demo.example")
    strategy = PartnershipPlan.objects.filter(partnership=southend, title=SOUTHEND_TITLE).first()
    action_plan = services.action_plan_create(
        actor=manager,
        partnership=southend,
        title=SOUTHEND_ACTION_PLAN,
        period_start=YEAR_START,
        period_end=YEAR_END,
        plan=strategy,
    )
    priorities = {p.title: p for p in Priority.objects.filter(plan=strategy)} if strategy else {}
    _add_actions(action_plan, SOUTHEND_ACTIONS, priorities, actor=manager)
    services.action_plan_agree(
        actor=chair,
        action_plan=action_plan,
        agreed_on=date(2026, 4, 23),
        agreed_by="Southend Community Safety Partnership Board",
    )


def _southend_reports() -> None:
    """Southend's annual reports: 2024/25 published, 2026/27 a draft (each left alone once it exists)."""
    southend = _partnership(SOUTHEND)
    strategy = PartnershipPlan.objects.filter(partnership=southend, title=SOUTHEND_TITLE).first()
    if strategy is None:
        return  # a report is on a plan's year: none without the strategy
    manager = _person("manager@demo.example")
    existing = set(AnnualReport.objects.filter(partnership=southend).values_list("period_start__year", flat=True))
    # 2026/27 is a year of the strategy's only through the action plan under it.
    covered = dict(plan_choices(PartnershipPlan.objects.filter(pk=strategy.pk)))
    if 2024 not in existing:
        report = report_services.annual_report_create(
            actor=manager, partnership=southend, plan=strategy, year=2024, committee=SOUTHEND_COMMITTEE
        )
        report_services.annual_report_update(
            actor=manager,
            report=report,
            version=report.version,
            title=report.title,
            committee=report.committee,
            **SOUTHEND_REPORT_2024,
        )
        report_services.annual_report_publish(actor=manager, report=report, version=report.version)
    if 2026 not in existing and 2026 in covered:
        report = report_services.annual_report_create(
            actor=manager, partnership=southend, plan=strategy, year=2026, committee=SOUTHEND_COMMITTEE
        )
        report_services.annual_report_update(
            actor=manager,
            report=report,
            version=report.version,
            title=report.title,
            committee=report.committee,
            summary=SOUTHEND_REPORT_2026_SUMMARY,
        )


def _uttlesford() -> None:
    uttlesford = _partnership(UTTLESFORD)
    if ActionPlan.objects.filter(partnership=uttlesford, title=UTTLESFORD_ACTION_PLAN).exists():
        return
    action_plan = services.action_plan_create(
        actor=None,
        partnership=uttlesford,
        title=UTTLESFORD_ACTION_PLAN,
        period_start=date(2024, 4, 1),
        period_end=date(2027, 3, 31),
    )
    _add_actions(action_plan, UTTLESFORD_ACTIONS, {}, actor=None)


def _add_actions(
    action_plan: ActionPlan, actions: list[DemoAction], priorities: dict[str, Priority], *, actor: User | None
) -> None:
    organisations = {o.name: o for o in Organisation.objects.filter(memberships__partnership=action_plan.partnership)}
    officers = {name: _person(email) for name, email in OFFICERS.items()}
    for item in actions:
        action = services.action_create(
            actor=actor,
            action_plan=action_plan,
            fields=services.ActionFields(
                reference=item.reference,
                title=item.title,
                description=item.description,
                priority=priorities.get(item.priority),
                lead_organisation=organisations[item.lead],
                lead_officer=officers.get(item.lead) if action_plan.partnership.ons_code == SOUTHEND else None,
                supporting_organisations=tuple(organisations[name] for name in item.supporting),
                start_date=item.start,
                due_date=item.due,
                status=item.status,
            ),
        )
        for title, due, done_on in item.milestones:
            services.milestone_save(
                actor=actor, action=action, milestone=None, title=title, due_date=due, done_on=done_on
            )
        for source, grant, amount, spent in item.budget:
            services.budget_line_save(
                actor=actor,
                action=action,
                line=None,
                source=source,
                grant_name=grant,
                amount=Decimal(amount),
                spent_to_date=Decimal(spent),
            )
        author = officers.get(item.lead)
        for update in item.updates:
            if author is None:
                raise RuntimeError(f"Load the demo people first: {OFFICERS[item.lead]} reports on {item.lead}")
            services.action_record_progress(
                actor=author,
                action=action,
                version=action.version,
                reported_on=update.reported_on,
                rag=update.rag,
                narrative=update.narrative,
                percent_complete=update.percent,
                status=update.status,
            )
