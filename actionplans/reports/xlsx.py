"""The annual report's tables as an XLSX workbook (one sheet per table), from the report's contents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import IO, Any

from actionplans.exchange import Sheet, write_workbook
from actionplans.models import AnnualReport
from actionplans.selectors import RAG_LABELS

RAGS = ("red", "amber", "green", "blue", "grey")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _number(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _on_track(value: bool | None) -> str:
    return "No data" if value is None else ("On track" if value else "Off track")


def report_sheets(report: AnnualReport, contents: dict[str, Any]) -> list[Sheet]:
    period = contents["period"]
    summary = [
        ["Partnership", contents["partnership"]],
        ["Report", report.title],
        ["Committee", report.committee],
        ["Plan", contents["plan"]],
        ["Period", f"{period['start']} to {period['end']} ({period['label']})"],
        ["Status", "Published" if report.is_published else "Draft: figures change until it is published"],
        ["Figures as of", contents["generated_on"]],
        ["Actions", contents["totals"]["actions"]],
        *([f"Actions: {RAG_LABELS[r]}", contents["totals"]["rag"][r]] for r in RAGS),
        ["Overdue actions", contents["totals"]["overdue"]],
        ["Actions without an update this quarter", contents["totals"]["needs_update"]],
    ]
    if contents.get("reviews"):
        reviews = contents["reviews"]
        summary += [
            ["Domestic homicide reviews open", reviews["open"]],
            ["Domestic homicide reviews completed this year", reviews["completed_this_year"]],
            ["Review recommendations outstanding", reviews["recommendations_outstanding"]],
            ["Review recommendations overdue", reviews["recommendations_overdue"]],
        ]
    priorities = contents["priorities"]
    sheets = [
        Sheet("Summary", ["item", "value"], summary, widths={"item": 45, "value": 70}),
        Sheet(
            "Priorities",
            ["priority", "actions", *(RAG_LABELS[r].lower() for r in RAGS), "overdue", "no update this quarter"],
            [
                [p["title"], p["actions"], *(p["rag"][r] for r in RAGS), p["overdue"], p["needs_update"]]
                for p in priorities
            ],
            widths={"priority": 45},
        ),
        Sheet(
            "Measures",
            [
                "priority",
                "measure",
                "unit",
                "baseline",
                "baseline date",
                "target",
                "target date",
                "latest",
                "latest date",
                "trend",
            ],
            [
                [
                    p["title"],
                    m["name"],
                    m["unit"],
                    _number(m["baseline"]),
                    _day(m["baseline_date"]),
                    _number(m["target"]),
                    _day(m["target_date"]),
                    _number(m["latest"]),
                    _day(m["latest_date"]),
                    _on_track(m["on_track"]),
                ]
                for p in priorities
                for m in p["measures"]
            ],
            dates=frozenset({"baseline date", "target date", "latest date"}),
            widths={"priority": 35, "measure": 45},
        ),
        Sheet(
            "Highlights",
            ["priority", "action", "RAG", "reported on", "progress"],
            [
                [p["title"], h["action"], RAG_LABELS.get(h["rag"], h["rag"]), _day(h["reported_on"]), h["narrative"]]
                for p in priorities
                for h in p["highlights"]
            ],
            dates=frozenset({"reported on"}),
            widths={"priority": 30, "action": 45, "progress": 90},
        ),
        Sheet(
            "Completed actions",
            ["ref", "action", "lead", "completed on"],
            [[a["reference"], a["title"], a["lead"], _day(a["completed_on"])] for a in contents["completed"]],
            dates=frozenset({"completed on"}),
            widths={"action": 60, "lead": 35},
        ),
        Sheet(
            "Overdue actions",
            ["ref", "action", "lead", "due", "days overdue", "RAG"],
            [
                [a["reference"], a["title"], a["lead"], _day(a["due"]), a["days_overdue"], RAG_LABELS.get(a["rag"], "")]
                for a in contents["overdue"]
            ],
            dates=frozenset({"due"}),
            widths={"action": 60, "lead": 35},
        ),
        Sheet(
            "Funding",
            ["source", "budget", "spent to date"],
            [[f["source"], _number(f["budget"]), _number(f["spent"])] for f in contents["funding"]],
            money=frozenset({"budget", "spent to date"}),
            widths={"source": 40},
        ),
    ]
    crime = contents.get("crime")
    if crime:
        sheets.append(
            Sheet(
                "Crime",
                ["category", "this period", "previous period", "change (%)"],
                [[c["category"], c["current"], c["previous"], _number(c["percent"])] for c in crime["categories"]],
                widths={"category": 40},
            )
        )
    return sheets


def write_report_xlsx(report: AnnualReport, contents: dict[str, Any], destination: IO[bytes]) -> None:
    write_workbook(report_sheets(report, contents), destination)
