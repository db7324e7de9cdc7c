"""Known data for the scrutiny tests (dashboard, roll-up, annual reports), and readers of their pages.

`riverton_year` gives the personas' CSP (Riverton) a year whose every figure is known, on the pinned day
of tests/actionplans/conftest.py (Monday 10 February 2025: financial year 2024/25, quarter from 1 January).
The figures each test expects are spelled out here once, beside the rows that produce them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone

from actionplans.models import Action
from priorities.models import AssessmentStatus, OutcomeMeasure, StrategicAssessment
from priorities.policeuk import CrimeCategory
from reviews.models import Review
from tests.actionplans.conftest import World
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    BudgetLineFactory,
    MeasureFactory,
    MeasureValueFactory,
    ProgressUpdateFactory,
)
from tests.priorities.factories_assessments import CrimeCountFactory, StrategicAssessmentFactory
from tests.reviews.factories import RecommendationFactory, ReviewFactory

# --- Riverton's 2024/25 ------------------------------------------------------------------------------------

PRIORITY = "Safer town centre"
OTHER_PRIORITY = "Tackling domestic abuse"
NO_PRIORITY = "Not under a priority"
# (actions, red, amber, green, complete, no update, overdue, no update this quarter) in 2024/25.
YEAR_ROWS = {
    PRIORITY: [3, 1, 0, 0, 1, 1, 0, 1],
    OTHER_PRIORITY: [2, 0, 1, 0, 0, 1, 2, 2],
    NO_PRIORITY: [1, 0, 0, 1, 0, 0, 0, 0],
}
YEAR_TOTALS = {"actions": 6, "red": 1, "amber": 1, "green": 1, "blue": 1, "grey": 2, "overdue": 2, "needs_update": 3}
ASSESSMENT = "Riverton strategic assessment 2024/25"
DRAFT_ASSESSMENT = "Riverton strategic assessment 2025/26"
HIGHLIGHT = "Knife arches at both night-time economy hubs every weekend since November"


@dataclass
class Year:
    """Riverton's plan year 2024/25 on top of the action plan World (actions 1.1 and 2.1).

    Actions that run during 2024/25 (1 April 2024 to 31 March 2025), as of 10 February 2025:
    - 1.1 police, "Safer town centre", due 31 Jul 2025, never reported on: no update (grey), needs update;
    - 1.2 police, "Safer town centre", red, reported 20 Jan 2025;
    - 1.3 council, "Safer town centre", complete (blue), last reported 20 Dec 2024;
    - 2.1 council, "Tackling domestic abuse", due 31 Jan 2025, never reported on: overdue, needs update;
    - 2.2 council, "Tackling domestic abuse", amber, due 1 Dec 2024, reported 1 Nov 2024: overdue, needs
      update;
    - 9.1 police, under no priority, green, reported 1 Feb 2025.
    And one that runs only in 2025/26: 3.1 police, "Safer town centre", from 1 June 2025, not started.
    2025/26 has 1.1, 1.2, 3.1 and 9.1.

    Measures: "Violence in the town centre" (down, 100 to 80) at 90 in December 2024: on track;
    "Repeat victims of domestic abuse" (down, 100 to 80) at 99: off track; "Referrals to outreach" (up):
    no data. Funding in 2024/25: PCC £14,000 budget, £3,500 spent (1.1 and 2.2); council £6,000, all
    spent (1.2). The Home Office's £9,999 is for 3.1 (2025/26 only).

    Crime: the 2024/25 assessment (approved; October 2023 to September 2024) has anti-social behaviour
    50 (70 the year before) and burglary 30 (20); a draft 2025/26 assessment would show violence (77).
    Reviews: one open, two open recommendations of which one is overdue.
    """

    world: World
    actions: dict[str, Action]
    off_track: OutcomeMeasure
    no_data: OutcomeMeasure
    assessment: StrategicAssessment
    review: Review


def riverton_year(personas: Personas, world: World) -> Year:
    police, council = personas.police, personas.council
    ap = world.action_plan

    def action(reference: str, **values: Any) -> Action:
        values.setdefault("lead_officer", personas.police_officer if values["lead_organisation"] == police else None)
        return ActionFactory(action_plan=ap, reference=reference, **values)  # type: ignore[no-any-return]

    actions = {"1.1": world.police_action, "2.1": world.council_action}
    actions["1.2"] = action(
        "1.2",
        title="Knife arches in the night-time economy",
        priority=world.priority,
        lead_organisation=police,
        start_date=date(2024, 4, 1),
        due_date=date(2026, 3, 31),
        rag="red",
        last_update_on=date(2025, 1, 20),
    )
    actions["1.3"] = action(
        "1.3",
        title="Street lighting survey",
        priority=world.priority,
        lead_organisation=council,
        lead_officer=personas.council_officer,
        start_date=date(2024, 4, 1),
        due_date=date(2024, 12, 31),
        status="complete",
        rag="green",
        percent_complete=100,
        last_update_on=date(2024, 12, 20),
    )
    actions["2.2"] = action(
        "2.2",
        title="Train GP practices to spot coercive control",
        priority=world.other_priority,
        lead_organisation=council,
        lead_officer=personas.council_officer,
        start_date=date(2024, 4, 1),
        due_date=date(2024, 12, 1),
        rag="amber",
        last_update_on=date(2024, 11, 1),
    )
    actions["9.1"] = action(
        "9.1",
        title="Publish the partnership newsletter",
        lead_organisation=police,
        start_date=date(2024, 6, 1),
        due_date=date(2026, 3, 31),
        rag="green",
        last_update_on=date(2025, 2, 1),
    )
    actions["3.1"] = action(
        "3.1",
        title="Town centre marshals pilot",
        priority=world.priority,
        lead_organisation=police,
        start_date=date(2025, 6, 1),
        due_date=date(2026, 3, 31),
        status="not_started",
    )
    # The progress narratives behind the cached RAGs (the reports' highlights).
    ProgressUpdateFactory(
        action=actions["1.2"],
        author=personas.police_officer,
        reported_on=date(2025, 1, 20),
        rag="red",
        narrative=HIGHLIGHT,
    )
    ProgressUpdateFactory(
        action=actions["1.3"],
        author=personas.council_officer,
        reported_on=date(2024, 12, 20),
        rag="green",
        narrative="Survey done; 14 faulty lights replaced",
        percent_complete=100,
    )
    ProgressUpdateFactory(
        action=actions["2.2"],
        author=personas.council_officer,
        reported_on=date(2024, 11, 1),
        rag="amber",
        narrative="Three of eight practices trained",
    )
    ProgressUpdateFactory(
        action=actions["9.1"],
        author=personas.police_officer,
        reported_on=date(2025, 2, 1),
        rag="green",
        narrative="Winter edition out",
    )

    MeasureValueFactory(measure=world.measure, period_end=date(2024, 12, 31), value=90)
    off_track = MeasureFactory(priority=world.other_priority, name="Repeat victims of domestic abuse")
    MeasureValueFactory(measure=off_track, period_end=date(2024, 12, 31), value=99)
    no_data = MeasureFactory(
        priority=world.other_priority, name="Referrals to outreach", unit="referrals", direction="up", target=150
    )

    BudgetLineFactory(action=actions["1.1"], source="pcc", amount=10000, spent_to_date=2500)
    BudgetLineFactory(action=actions["2.2"], source="pcc", amount=4000, spent_to_date=1000)
    BudgetLineFactory(action=actions["1.2"], source="council", amount=6000, spent_to_date=6000)
    BudgetLineFactory(action=actions["3.1"], source="home_office", amount=9999, spent_to_date=0)

    assessment = StrategicAssessmentFactory(
        partnership=personas.csp,
        year=2024,
        title=ASSESSMENT,
        period_start=date(2023, 10, 1),
        period_end=date(2024, 9, 1),
        status=AssessmentStatus.APPROVED,
        approved_at=timezone.now(),
    )
    StrategicAssessmentFactory(
        partnership=personas.csp,
        year=2025,
        title=DRAFT_ASSESSMENT,
        period_start=date(2024, 10, 1),
        period_end=date(2025, 9, 1),
        status=AssessmentStatus.DRAFT,
    )

    def crimes(category: str, month: date, count: int, code: str, name: str) -> None:
        CrimeCountFactory(
            partnership=personas.csp, category=category, month=month, count=count, lsoa_code=code, lsoa_name=name
        )

    asb, burglary = CrimeCategory.ANTI_SOCIAL_BEHAVIOUR, CrimeCategory.BURGLARY
    crimes(asb, date(2024, 3, 1), 35, "E01000001", "Riverton 001A")
    crimes(asb, date(2024, 3, 1), 15, "E01000002", "Riverton 002B")
    crimes(asb, date(2023, 3, 1), 70, "E01000001", "Riverton 001A")
    crimes(burglary, date(2024, 1, 1), 30, "E01000003", "Riverton 003C")
    crimes(burglary, date(2023, 1, 1), 20, "E01000003", "Riverton 003C")
    crimes(CrimeCategory.VIOLENT_CRIME, date(2024, 11, 1), 77, "E01000004", "Riverton 004D")

    review = ReviewFactory(
        partnership=personas.csp,
        reference="DHR 2024/01",
        notified_on=date(2024, 11, 1),
        date_of_death=date(2024, 10, 20),
        scoping_started_on=date(2024, 11, 10),
        victim_pseudonym="Adult Q",
    )
    RecommendationFactory(review=review, number="1", target_date=date(2027, 3, 31))
    RecommendationFactory(review=review, number="2", target_date=date(2025, 1, 1))
    return Year(
        world=world, actions=actions, off_track=off_track, no_data=no_data, assessment=assessment, review=review
    )


# --- Reading pages -----------------------------------------------------------------------------------------


def text(content: Any) -> str:
    """A response's (or an HTML string's) visible text, tags dropped and spaces collapsed."""
    page = content if isinstance(content, str) else content.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).strip())


def errors(response: Any) -> list[str]:
    """The error summary's messages, in order."""
    summary = response.content.decode().split("govuk-error-summary__list", 1)
    if len(summary) < 2:
        return []
    items = summary[1].split("</ul>", 1)[0]
    return [html.unescape(re.sub(r"\s+", " ", m).strip()) for m in re.findall(r"<a [^>]*>(.*?)</a>", items, re.S)]


def error_links(response: Any) -> dict[str, str]:
    """The error summary's messages with the field each links to ("#id_year" → the year field)."""
    summary = response.content.decode().split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return {
        html.unescape(re.sub(r"\s+", " ", message).strip()): href
        for href, message in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', summary, re.S)
    }


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._name = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows, self._name = [], ""
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self._name = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._name] = self._rows
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.append(data)


def tables(content: Any) -> dict[str, list[list[str]]]:
    """Each table of a page by its caption: its rows (the header row first) as lists of cell texts."""
    parser = _Tables()
    parser.feed(content if isinstance(content, str) else content.content.decode())
    return parser.tables


def body_rows(content: Any, caption: str) -> dict[str, list[str]]:
    """A table's body rows by their first cell: {"Safer town centre": ["3", "1", ...]}."""
    return {row[0]: row[1:] for row in tables(content)[caption][1:]}
