"""Demo partnership plans, loaded by `manage.py load_demo` after the demo partnerships (DOMAIN.md §11).

- Southend-on-Sea CSP: the community safety partnership strategy 2022–2025 and its four priorities, with
  each aim and "will be achieved through" as the council published them (seed 000); Cabinet on
  13 September 2022, adopted at Full Council on 8 December 2022. Its outcome measures are demo figures
  and say so in their data source.
- Thurrock CSP: the four priorities for 2019/20 the Health and Wellbeing Board supported (seed 001).
- Safer Colchester Partnership: the five key priority areas of 2016-17, superseded by the 2017-18 plan,
  whose annual review reduced them to three after the strategic assessment and the Fear of Crime Survey
  (seed 004).
Dates the seed documents do not give (Thurrock's and Colchester's adoption) are illustrative, and each
plan says so. Everything goes through the services, so it carries history. Idempotent: a plan that
exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from partnerships.models import Partnership, User
from partnerships.permissions import partnership_lookup
from priorities import services
from priorities.models import (
    Alignment,
    Direction,
    PartnershipPlan,
    Priority,
    PriorityChangeKind,
    StrategicAssessment,
    StrategyStrand,
    Theme,
)

SOUTHEND, THURROCK, COLCHESTER = "E22000089", "E22000091", "E22000084"
NATIONAL_AND_REGIONAL = (Alignment.NATIONAL, Alignment.COUNTY)


@dataclass(frozen=True)
class DemoPriority:
    title: str
    aim: str
    how_achieved: str
    theme: str
    strand: str = StrategyStrand.CRIME_DISORDER
    alignment: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoMeasure:
    priority: str
    name: str
    unit: str
    data_source: str
    baseline: str
    target: str
    direction: str
    values: tuple[tuple[date, str], ...] = field(default_factory=tuple)
    baseline_date: date = date(2022, 3, 31)
    target_date: date = date(2025, 3, 31)


# Southend: "The strategy will focus efforts and resources on four strategic priorities based upon national
# and regional priorities, assessment of crime and disorder issues across the city, and is also a
# reflection of community views and insights."
SOUTHEND_TITLE = "Community safety partnership strategy 2022 to 2025"
SOUTHEND_VISION = (
    "To continue to reduce crime and disorder and protect vulnerable people across Southend over the coming "
    "three years, making Southend safe and secure for residents, businesses and visitors, and to build on "
    "existing partnerships with greater collaboration across the partnership as a whole."
)
SOUTHEND_PRIORITIES = [
    DemoPriority(
        "Safe and confident communities",
        "Tackling high volume crimes and antisocial issues across the city, as well as targeting resources on "
        "those areas that are highlighted as hot spots. The aim will be to reduce crime and antisocial "
        "behaviour and improve the confidence of residents and provide reassurance.",
        "Coordinated partnership working, intelligence-led action using data and analytical tools to assist "
        "with targeting of resources and to evaluate outcomes.",
        Theme.ASB,
        alignment=NATIONAL_AND_REGIONAL,
    ),
    DemoPriority(
        "Reducing violence against women and girls",
        "This priority will tackle violence against women and girls. The CSP is committed to preventing all "
        "forms of gender-based violence and addressing it wherever and however it occurs. However, the CSP "
        "recognises that a significant number of men and boys also experience violent and abusive crimes. "
        "The aim is to increase public safety including the night-time economy, improve service provision "
        "for those affected and target the perpetrators.",
        "Preventative measures, support for victims and survivors' legislation and ensuring perpetrators are "
        "held accountable and rehabilitated.",
        Theme.DOMESTIC_ABUSE,
        alignment=NATIONAL_AND_REGIONAL,
    ),
    DemoPriority(
        "Reducing hate crime",
        "This priority will tackle hate crime across the city. The aim is to improve residents' knowledge of "
        "what a hate crime is, increase access to reporting centres and ambassadors, and to provide "
        "confidence and reassurance to victims and communities.",
        "A mix of intelligence and evidence to understand the profile of hate crime offenders, education and "
        "communication, working with schools and engaging with faith centres and local community groups, "
        "training and support to develop and work with hate crime ambassadors.",
        Theme.HATE_CRIME,
        alignment=NATIONAL_AND_REGIONAL,
    ),
    DemoPriority(
        "Reducing knife enabled serious violence",
        "Working with stakeholders to help prevent and deter individuals and groups from committing acts of "
        "serious violence and carrying or using knives. The aim is to decrease the number of knife crime "
        "assaults and weapons carried across Southend; reduce non-domestic knife crime with injury affecting "
        "15-34 year-olds as recorded in NHS admission data; prevent children and young people becoming "
        "involved in serious violence.",
        "An intelligence-led approach including stakeholder data, social media analysis, targeting problematic "
        "areas and misuse of substance and alcohol, and addressing high risk offenders.",
        Theme.VIOLENCE,
        StrategyStrand.SERIOUS_VIOLENCE,
        alignment=NATIONAL_AND_REGIONAL,
    ),
]


def _quarters(*figures: str) -> tuple[tuple[date, str], ...]:
    """Values for the quarters from June 2022 onwards."""
    ends = [(6, 30), (9, 30), (12, 31), (3, 31)]
    out = []
    for index, figure in enumerate(figures):
        month, day = ends[index % 4]
        year = 2022 + (index + 1) // 4
        out.append((date(year, month, day), figure))
    return tuple(out)


DEMO_SOURCE = "Demo figures, not real data"
SOUTHEND_MEASURES = [
    DemoMeasure(
        "Safe and confident communities",
        "Anti-social behaviour incidents",
        "incidents in the last 12 months",
        f"{DEMO_SOURCE} (in practice: Essex Police incident records)",
        "5400",
        "4900",
        Direction.DOWN,
        _quarters("5380", "5310", "5350", "5240", "5190", "5150", "5200", "5080", "5020", "4990", "4960", "4930"),
    ),
    DemoMeasure(
        "Safe and confident communities",
        "Residents who feel safe in their area after dark",
        "%",
        f"{DEMO_SOURCE} (in practice: the residents' survey)",
        "52",
        "60",
        Direction.UP,
        ((date(2023, 3, 31), "53"), (date(2024, 3, 31), "54"), (date(2025, 3, 31), "56")),
    ),
    DemoMeasure(
        "Reducing violence against women and girls",
        "Domestic abuse victims supported by specialist services",
        "victims in the last 12 months",
        f"{DEMO_SOURCE} (in practice: commissioned domestic abuse services)",
        "1150",
        "1400",
        Direction.UP,
        _quarters("1160", "1185", "1200", "1230", "1248", "1270", "1295", "1310", "1332", "1350", "1371", "1396"),
    ),
    DemoMeasure(
        "Reducing hate crime",
        "Hate crimes reported through third-party reporting centres",
        "reports in the last 12 months",
        f"{DEMO_SOURCE} (in practice: the hate crime reporting centres)",
        "40",
        "70",
        Direction.UP,
        _quarters("41", "44", "47", "49", "50", "54", "55", "58", "60", "61", "63", "66"),
    ),
    DemoMeasure(
        "Reducing knife enabled serious violence",
        "Non-domestic knife crime with injury, victims aged 15 to 34",
        "hospital admissions in the last 12 months",
        f"{DEMO_SOURCE} (in practice: NHS hospital admissions)",
        "38",
        "30",
        Direction.DOWN,
        _quarters("37", "39", "36", "35", "36", "34", "33", "33", "31", "32", "30", "29"),
    ),
]

THURROCK_TITLE = "Thurrock Community Safety Partnership priorities 2019/20"
THURROCK_VISION = (
    "Demo record from the Health and Wellbeing Board's minutes, which supported the partnership's four "
    "priorities for 2019/20 and noted its performance for 2018/19. The adoption date is illustrative."
)
THURROCK_PRIORITIES = [
    DemoPriority(
        "Tackling offending",
        "Preventing youth offending, targeting repeat and prolific offenders and reducing victims of burglary.",
        "",
        Theme.REOFFENDING,
        StrategyStrand.REOFFENDING,
    ),
    DemoPriority(
        "Violence and vulnerability",
        "Tackling gang related activity and offensive weapons, ensuring a coordinated approach to "
        "safeguarding against gangs and child criminal exploitation, and supporting all victims of domestic "
        "abuse, sexual offences and child exploitation.",
        "A protocol with schools to safeguard children against knife crime and gangs; Home Office funding of "
        "£93,000 for violence and vulnerability in schools; gang awareness in schools; Operation Raptor "
        "patrols and enforcement; working across Essex in the Police, Fire and Crime Commissioner's Violence "
        "and Vulnerability framework.",
        Theme.VIOLENCE,
        alignment=(Alignment.COUNTY, Alignment.PCC),
    ),
    DemoPriority(
        "Local community and visibility",
        "Identifying patterns, trends and hot spots for anti-social behaviour through increased visibility and "
        "enforcement, safeguarding victims from hate crime, and community engagement.",
        "Town centre policing teams in Grays, Ockendon and Stanford-le-Hope; park engagement officers; "
        "designing crime out of new housing estates with planning colleagues and developers.",
        Theme.ASB,
    ),
    DemoPriority(
        "Counter extremism and terrorism",
        "Preventing violent extremism locally.",
        "",
        Theme.EXTREMISM,
        alignment=(Alignment.NATIONAL,),
    ),
]

COLCHESTER_VISION = (
    "Demo record from Colchester Borough Council's notice of the crime and disorder committee of "
    "12 September 2017. The partnership works together to reduce crime and disorder in Colchester. "
    "The adoption dates are illustrative."
)
COLCHESTER_2016 = "Safer Colchester Partnership annual partnership plan 2016-17"
COLCHESTER_2017 = "Safer Colchester Partnership annual partnership plan 2017-18"
COLCHESTER_PRIORITIES = [
    DemoPriority("Protect vulnerable people", "To protect vulnerable people.", "", Theme.EXPLOITATION),
    DemoPriority("Reduce reoffending", "To reduce reoffending.", "", Theme.REOFFENDING, StrategyStrand.REOFFENDING),
    DemoPriority(
        "Address alcohol and drug misuse",
        "To address alcohol and drug misuse.",
        "",
        Theme.DRUGS_ALCOHOL,
        StrategyStrand.SUBSTANCE_MISUSE,
    ),
    DemoPriority("Reduce crime and the fear of crime", "To reduce crime and the fear of crime.", "", Theme.COMMUNITY),
    DemoPriority(
        "Address evening and night-time economy crime",
        "To address evening and night time economy crime.",
        "",
        Theme.VIOLENCE,
    ),
]
COLCHESTER_NOT_CHOSEN = (
    "Not one of the three main priorities for 2017-18 chosen after the strategic assessment of crime with "
    "partner agencies and the Fear of Crime Survey of residents."
)
COLCHESTER_REVIEW_SUMMARY = (
    "After a strategic assessment of crime with partner agencies in Colchester and a Fear of Crime Survey "
    "with residents, the five key priority areas reduce to three main priorities: reducing violent crime "
    "and the fear of being a victim of it, improving community resilience to reduce the threat of "
    "vulnerability and exploitation, and tackling high harm and repeat anti-social behaviour. Presented to "
    "the crime and disorder committee on 12 September 2017, with how the partnership tackled gangs, an "
    "emerging theme in 2016."
)


def _partnership(ref: str) -> Partnership:
    partnership = Partnership.objects.filter(partnership_lookup(ref)).first()
    if partnership is None:
        raise RuntimeError("Load the registry and the demo partnerships first: manage.py load_demo")
    return partnership


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _assessment(
    partnership: Partnership, year: int, title: str, start: date, end: date, summary: str
) -> StrategicAssessment:
    """An approved strategic assessment the plan refers to (without crime data: import police.uk files)."""
    existing = StrategicAssessment.objects.filter(partnership=partnership, year=year).first()
    if existing is not None:
        return existing
    assessment = services.assessment_create(
        actor=None, partnership=partnership, year=year, title=title, period_start=start, period_end=end, summary=summary
    )
    assessment = services.assessment_share(actor=None, assessment=assessment)
    return services.assessment_approve(actor=None, assessment=assessment)


def _plan(
    partnership: Partnership,
    *,
    actor: User | None,
    title: str,
    years: tuple[int, int],
    vision: str,
    priorities: list[DemoPriority],
    assessments: list[StrategicAssessment],
) -> PartnershipPlan:
    plan = services.plan_create(
        actor=actor,
        partnership=partnership,
        title=title,
        start_year=years[0],
        end_year=years[1],
        vision=vision,
        assessments=assessments,
    )
    for item in priorities:
        services.priority_save(
            actor=actor,
            plan=plan,
            title=item.title,
            aim=item.aim,
            how_achieved=item.how_achieved,
            theme=item.theme,
            strand=item.strand,
            alignment=item.alignment,
        )
    return services.plan_send_to_consultation(actor=actor, plan=plan)


@transaction.atomic
def load_plans_demo() -> None:
    """Create the demo plans of Southend-on-Sea, Thurrock and Colchester if they are missing."""
    _southend()
    _thurrock()
    _colchester()


def _southend() -> None:
    southend = _partnership(SOUTHEND)
    if PartnershipPlan.objects.filter(partnership=southend, title=SOUTHEND_TITLE).exists():
        return
    manager, chair = _person("manager@demo.example"), _person("chair@demo.example")
    assessment = _assessment(
        southend,
        2022,
        "Southend-on-Sea assessment of crime and disorder 2022",
        date(2020, 10, 1),
        date(2021, 9, 1),
        "The assessment of crime and disorder issues across the city that, with national and regional "
        "priorities and community views, informed the community safety partnership strategy 2022 to 2025. "
        "Demo record: the data window is illustrative; import police.uk files to see its crime profile.",
    )
    plan = _plan(
        southend,
        actor=manager,
        title=SOUTHEND_TITLE,
        years=(2022, 2025),
        vision=SOUTHEND_VISION,
        priorities=SOUTHEND_PRIORITIES,
        assessments=[assessment],
    )
    plan = services.plan_adopt(
        actor=chair,
        plan=plan,
        adopted_on=date(2022, 12, 8),
        adopted_by_body="Full Council",
        adoption_notes="Cabinet, 13 September 2022 (item 8)",
    )
    priorities = {p.title: p for p in plan.priorities.all()}
    for item in SOUTHEND_MEASURES:
        measure = services.measure_save(
            actor=manager,
            priority=priorities[item.priority],
            name=item.name,
            unit=item.unit,
            data_source=item.data_source,
            baseline=Decimal(item.baseline),
            baseline_date=item.baseline_date,
            target=Decimal(item.target),
            target_date=item.target_date,
            direction=item.direction,
        )
        for period_end, value in item.values:
            services.measure_value_add(actor=manager, measure=measure, period_end=period_end, value=Decimal(value))


def _thurrock() -> None:
    thurrock = _partnership(THURROCK)
    if PartnershipPlan.objects.filter(partnership=thurrock, title=THURROCK_TITLE).exists():
        return
    plan = _plan(
        thurrock,
        actor=None,
        title=THURROCK_TITLE,
        years=(2019, 2020),
        vision=THURROCK_VISION,
        priorities=THURROCK_PRIORITIES,
        assessments=[],
    )
    services.plan_adopt(
        actor=None,
        plan=plan,
        adopted_on=date(2019, 4, 1),
        adopted_by_body="Thurrock Community Safety Partnership",
        adoption_notes="Priorities supported by the Health and Wellbeing Board",
    )


def _colchester() -> None:
    colchester = _partnership(COLCHESTER)
    if PartnershipPlan.objects.filter(partnership=colchester, title=COLCHESTER_2017).exists():
        return
    if not PartnershipPlan.objects.filter(partnership=colchester, title=COLCHESTER_2016).exists():
        first = _plan(
            colchester,
            actor=None,
            title=COLCHESTER_2016,
            years=(2016, 2017),
            vision=COLCHESTER_VISION,
            priorities=COLCHESTER_PRIORITIES,
            assessments=[],
        )
        services.plan_adopt(
            actor=None, plan=first, adopted_on=date(2016, 4, 1), adopted_by_body="Safer Colchester Partnership"
        )
    assessment = _assessment(
        colchester,
        2017,
        "Safer Colchester Partnership strategic assessment of crime 2017/18",
        date(2016, 4, 1),
        date(2017, 3, 1),
        "A strategic assessment of crime with partner agencies in Colchester, with a Fear of Crime Survey of "
        "residents. Demo record: the data window is illustrative.",
    )
    # The 2017-18 plan starts from the 2016-17 priorities; its annual review reduces them to three.
    plan = _plan(
        colchester,
        actor=None,
        title=COLCHESTER_2017,
        years=(2017, 2018),
        vision=COLCHESTER_VISION,
        priorities=COLCHESTER_PRIORITIES,
        assessments=[assessment],
    )
    plan = services.plan_adopt(
        actor=None, plan=plan, adopted_on=date(2017, 4, 1), adopted_by_body="Safer Colchester Partnership"
    )
    current = {p.title: p for p in Priority.objects.filter(plan=plan)}
    decisions = [
        services.Decision(
            priority=current["Protect vulnerable people"],
            kind=PriorityChangeKind.CHANGED,
            reason="Focused on community resilience, one of the three main priorities for 2017-18.",
            title="Improve community resilience to reduce the threat of vulnerability and exploitation",
            aim="Improving community resilience to reduce the threat of vulnerability and exploitation.",
        ),
        services.Decision(
            priority=current["Reduce crime and the fear of crime"],
            kind=PriorityChangeKind.CHANGED,
            reason="Focused on violent crime, one of the three main priorities for 2017-18.",
            title="Reduce violent crime and the fear of being a victim of it",
            aim="Reducing the occurrence of violent crime and the fear of being a victim of violent crime.",
            theme=Theme.VIOLENCE,
        ),
        *(
            services.Decision(priority=current[title], kind=PriorityChangeKind.RETIRED, reason=COLCHESTER_NOT_CHOSEN)
            for title in (
                "Reduce reoffending",
                "Address alcohol and drug misuse",
                "Address evening and night-time economy crime",
            )
        ),
    ]
    services.plan_review(
        actor=None,
        plan=plan,
        year=2017,
        assessment=assessment,
        summary=COLCHESTER_REVIEW_SUMMARY,
        decisions=decisions,
        added=[
            services.NewPriority(
                title="Tackle high harm and repeat anti-social behaviour",
                aim="Tackling the incidents of high harm and repeat anti-social behaviour.",
                how_achieved="",
                theme=Theme.ASB,
                strand=StrategyStrand.CRIME_DISORDER,
                reason="One of the three main priorities for 2017-18 from the strategic assessment and the Fear "
                "of Crime Survey.",
            )
        ],
        reviewed_on=date(2017, 9, 12),
    )
