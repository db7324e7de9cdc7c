"""Reads for action plans with planned queries: filters, flags and counts computed in SQL.

Flags (DOMAIN.md §3.3, shown on the pages):
- overdue: the due date has passed and the action is neither complete nor cancelled;
- no update this quarter: an open action without a progress update since the reporting quarter began
  (quarters of the financial year: April, July, October, January);
- the display RAG: complete shows blue, an action never reported on shows grey, otherwise the RAG the
  lead officer last reported.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from typing import Any

from django.apps import apps
from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from actionplans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    BudgetLine,
    FundingSource,
    Milestone,
    ProgressUpdate,
    Rag,
)
from partnerships.models import Organisation, User
from partnerships.selectors import HistoryEntry
from priorities.models import OutcomeMeasure, Priority

OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.DEFERRED)


def quarter_start(day: date) -> date:
    """The first day of the financial-year quarter containing `day` (Apr, Jul, Oct, Jan)."""
    month = ((day.month - 1) // 3) * 3 + 1
    return date(day.year, month, 1)


def with_flags(actions: QuerySet[Action], today: date | None = None) -> QuerySet[Any]:
    """Annotate `is_overdue`, `needs_update` and `display_rag` (blue, grey or the reported RAG)."""
    return rag_flags(
        actions,
        open_q=Q(status__in=OPEN_STATUSES),
        complete_q=Q(status=ActionStatus.COMPLETE),
        due_field="due_date",
        today=today,
    )


def rag_flags(items: QuerySet[Any], *, open_q: Q, complete_q: Q, due_field: str, today: date | None) -> QuerySet[Any]:
    """The flags of tracked work (actions, review recommendations) that carry a reported RAG.

    `is_overdue`: open and past its due date; `needs_update`: open with no report this quarter;
    `display_rag`: blue when complete, grey when never reported, else the reported RAG.
    """
    today = today or timezone.localdate()
    return items.annotate(
        is_overdue=Case(
            When(open_q & Q(**{f"{due_field}__lt": today}), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        needs_update=Case(
            When(
                open_q & (Q(last_update_on__isnull=True) | Q(last_update_on__lt=quarter_start(today))),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
        display_rag=Case(
            When(complete_q, then=Value("blue")),
            When(rag="", then=Value("grey")),
            default="rag",
        ),
    )


@dataclass(frozen=True)
class ActionFilters:
    organisation: int | None = None
    status: str = ""
    rag: str = ""  # red, amber, green, blue or grey (display RAG)
    due_before: date | None = None


SORTS = {
    "reference": ("priority__position", "reference", "pk"),
    "due": ("due_date", "reference", "pk"),
    "rag": ("rag_order", "due_date", "pk"),
    "lead": ("lead_organisation__name", "reference", "pk"),
}


def actions_for_plan(
    action_plan: ActionPlan, filters: ActionFilters, sort: str = "reference", *, by_priority: bool = False
) -> QuerySet[Any]:
    """The plan's actions, filtered and sorted, with flags and what the list shows (one query a page).

    by_priority keeps each priority's actions together (sorted within it) for pages that group them under
    headings; actions under no priority come last.
    """
    actions = with_flags(action_plan.actions.select_related("priority", "lead_organisation", "lead_officer")).annotate(
        rag_order=Case(
            When(display_rag="red", then=Value(0)),
            When(display_rag="amber", then=Value(1)),
            When(display_rag="grey", then=Value(2)),
            When(display_rag="green", then=Value(3)),
            default=Value(4),
        )
    )
    if filters.organisation:
        actions = actions.filter(lead_organisation_id=filters.organisation)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.rag:
        actions = actions.filter(display_rag=filters.rag)
    if filters.due_before:
        actions = actions.filter(due_date__lt=filters.due_before)
    order = SORTS.get(sort, SORTS["reference"])
    if by_priority:
        return actions.order_by(F("priority__position").asc(nulls_last=True), "priority_id", *order)
    return actions.order_by(*order)


@dataclass
class PriorityGroup:
    """A run of consecutive actions under one priority (a page of actions may hold several)."""

    priority: Priority | None
    actions: list[Any] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return self.priority.title if self.priority is not None else "Actions under no priority"


def group_by_priority(actions: Iterable[Any]) -> list[PriorityGroup]:
    """Consecutive actions with the same priority, as groups (no query: the priority is selected)."""
    groups: list[PriorityGroup] = []
    for action in actions:
        if not groups or groups[-1].actions[0].priority_id != action.priority_id:
            groups.append(PriorityGroup(action.priority))
        groups[-1].actions.append(action)
    return groups


def lead_organisations(action_plan: ActionPlan) -> QuerySet[Organisation]:
    """Organisations leading any of the plan's actions, for the filter (one query)."""
    return Organisation.objects.filter(led_actions__action_plan=action_plan).distinct().order_by("name")


def rag_counts(actions: QuerySet[Any]) -> dict[str, int]:
    """How many of these actions show each display RAG (one query)."""
    counts = dict.fromkeys(("red", "amber", "green", "blue", "grey"), 0)
    for row in actions.order_by().values("display_rag").annotate(n=Count("pk")):
        counts[row["display_rag"]] = row["n"]
    return counts


def my_actions(partnership_ids: set[int], organisation_ids: set[int]) -> QuerySet[Any]:
    """Open actions the organisations lead in the partnerships (every organisation in every partnership).

    A person's own list is my_actions_for_leads: their roles pair each organisation with a partnership.
    """
    return _my_actions(Q(action_plan__partnership_id__in=partnership_ids, lead_organisation_id__in=organisation_ids))


def my_actions_for_leads(leads: Iterable[tuple[int, int]]) -> QuerySet[Any]:
    """Open actions of agreed plans that each (partnership, organisation) pair leads: overdue and
    unreported first, then by due date (one query a page)."""
    pairs = [Q(action_plan__partnership_id=p, lead_organisation_id=o) for p, o in sorted(leads)]
    if not pairs:
        return with_flags(Action.objects.none())
    return _my_actions(reduce(operator.or_, pairs))


def _my_actions(scope: Q) -> QuerySet[Any]:
    return with_flags(
        Action.objects.filter(scope, status__in=OPEN_STATUSES, action_plan__status="agreed").select_related(
            "action_plan", "action_plan__partnership", "lead_organisation", "lead_officer", "priority"
        )
    ).order_by("-is_overdue", "-needs_update", "due_date", "pk")


def my_action_card(pk: int) -> Any:
    """One action as "My actions" lists it, with its flags, whatever its status now (one query)."""
    return with_flags(
        Action.objects.filter(pk=pk).select_related(
            "action_plan", "action_plan__partnership", "lead_organisation", "lead_officer", "priority"
        )
    ).get()


def action_timeline(action: Action) -> list[ProgressUpdate]:
    """The action's progress updates, newest first, with their authors (one query)."""
    return list(action.updates.select_related("author"))


@dataclass
class ActionDetail:
    """Everything the action page shows besides the action itself."""

    is_overdue: bool
    needs_update: bool
    display_rag: str
    supporting_organisations: list[Organisation]
    outcome_measures: list[OutcomeMeasure]
    milestones: list[Milestone]
    budget_lines: list[BudgetLine]
    timeline: list[ProgressUpdate]

    @property
    def budget_total(self) -> Decimal:
        return sum((line.amount for line in self.budget_lines), Decimal(0))

    @property
    def spent_total(self) -> Decimal:
        return sum((line.spent_to_date for line in self.budget_lines), Decimal(0))

    @property
    def remaining(self) -> Decimal:
        return self.budget_total - self.spent_total


def action_detail(action: Action, today: date | None = None) -> ActionDetail:
    """The action's flags, partners, measures, milestones, budget and timeline (six queries)."""
    flags = with_flags(Action.objects.filter(pk=action.pk), today).values("is_overdue", "needs_update", "display_rag")
    row = flags.get()
    return ActionDetail(
        is_overdue=row["is_overdue"],
        needs_update=row["needs_update"],
        display_rag=row["display_rag"],
        supporting_organisations=list(action.supporting_organisations.order_by("name")),
        outcome_measures=list(action.outcome_measures.select_related("priority").order_by("priority__position", "pk")),
        milestones=list(action.milestones.all()),
        budget_lines=list(action.budget_lines.all()),
        timeline=action_timeline(action),
    )


# --- History of an action --------------------------------------------------------------------------------

_ACTION = {"+": "Added", "~": "Changed", "-": "Deleted"}
_ACTION_FIELDS = (
    "reference",
    "title",
    "description",
    "priority_id",
    "lead_organisation_id",
    "lead_officer_id",
    "start_date",
    "due_date",
    "status",
    "rag",
    "percent_complete",
    "last_update_on",
)
_MILESTONE_FIELDS = ("title", "due_date", "done_on")
_BUDGET_FIELDS = ("source", "grant_name", "amount", "spent_to_date")
_UPDATE_FIELDS = ("reported_on", "rag", "percent_complete", "narrative", "evidence_links")
_PEOPLE_FIELDS = {"lead_officer_id"}
# Long text is shown as it became, not as a before → after pair.
_LONG_FIELDS = {"description", "narrative", "evidence_links"}


@dataclass
class _Names:
    """Names of what history records point at, read once for the whole history."""

    organisations: dict[int, str]
    people: dict[int, str]
    priorities: dict[int, str]
    measures: dict[int, str]
    show_people: bool


def _value(model: Any, name: str, value: Any, names: _Names) -> str:
    if value in (None, ""):
        return "none"
    if name == "lead_officer_id":
        return names.people.get(value, "someone no longer on the portal") if names.show_people else "changed"
    if name == "lead_organisation_id":
        return names.organisations.get(value, str(value))
    if name == "priority_id":
        return names.priorities.get(value, str(value))
    if name == "rag":
        return RAG_LABELS.get(value, value)
    if name == "percent_complete":
        return f"{value}%"
    if name in ("amount", "spent_to_date"):
        return f"£{value:,.2f}"
    choices = dict(model._meta.get_field(name).flatchoices)
    if value in choices:
        return str(choices[value])
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    return str(value)


_LABELS = {"rag": "RAG", "percent_complete": "Percentage complete", "last_update_on": "Last update"}


def _label(model: Any, name: str) -> str:
    if name in _LABELS:
        return _LABELS[name]
    label = str(model._meta.get_field(name.removesuffix("_id")).verbose_name)
    return label[:1].upper() + label[1:]


def _diff(model: Any, fields: tuple[str, ...], record: Any, previous: Any, names: _Names) -> list[str]:
    lines = []
    for name in fields:
        old, new = getattr(previous, name), getattr(record, name)
        if old != new:
            label = _label(model, name)
            if name in _PEOPLE_FIELDS and not names.show_people:
                lines.append(f"{label} changed")
            elif name in _LONG_FIELDS:
                lines.append(f"{label} changed to: {new or 'none'}")
            else:
                lines.append(f"{label}: {_value(model, name, old, names)} → {_value(model, name, new, names)}")
    return lines


def _set_diff(label: str, old: set[int], new: set[int], lookup: dict[int, str]) -> list[str]:
    lines = []
    if added := sorted(lookup.get(pk, str(pk)) for pk in new - old):
        lines.append(f"{label} added: {', '.join(added)}")
    if removed := sorted(lookup.get(pk, str(pk)) for pk in old - new):
        lines.append(f"{label} removed: {', '.join(removed)}")
    return lines


def _m2m(model_name: str, column: str, history_ids: list[int]) -> dict[int, set[int]]:
    """Each action history record's set of related ids, from simple-history's m2m table (one query)."""
    through = apps.get_model("actionplans", model_name)
    sets: dict[int, set[int]] = defaultdict(set)
    for history_id, related_id in through.objects.filter(history_id__in=history_ids).values_list("history_id", column):
        sets[history_id].add(related_id)
    return sets


def _who(record: Any, names: _Names) -> str:
    if not names.show_people:
        return ""
    return str(record.history_user) if record.history_user else "The portal"


def _record_entries(
    model: Any,
    records: list[Any],
    fields: tuple[str, ...],
    subject: Callable[[Any], str],
    names: _Names,
    extra: Callable[[Any, Any], list[str]] | None = None,
) -> list[HistoryEntry]:
    """Entries for one model's records, each compared in memory with the previous record of its row.

    A change that touched none of the fields shown (a version raised) is left out. The records one save
    writes (the row, then a record per change to its many-to-many fields) make one entry.
    """
    entries: list[HistoryEntry] = []
    previous: dict[int, Any] = {}
    latest: dict[int, tuple[Any, HistoryEntry]] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        previous[record.id] = record
        changes: list[str] = []
        if record.history_type == "~" and before is not None:
            changes = _diff(model, fields, record, before, names) + (extra(record, before) if extra else [])
            if not changes:
                continue
            last = latest.get(record.id)
            if last is not None and _same_save(last[0], record):
                last[1].changes.extend(changes)
                continue
        elif record.history_type == "+" and extra:
            changes = extra(record, None)
        entry = HistoryEntry(
            when=record.history_date,
            who=_who(record, names),
            action=_ACTION[record.history_type],
            subject=subject(record),
            changes=changes,
        )
        entries.append(entry)
        latest[record.id] = (record, entry)
    return entries


def _same_save(earlier: Any, later: Any) -> bool:
    """Records of one service call: the same person within a second (one transaction writes them)."""
    return bool(
        earlier.history_user_id == later.history_user_id
        and (later.history_date - earlier.history_date).total_seconds() < 1
    )


def action_history(action: Action, *, show_people: bool, limit: int = 1000) -> list[HistoryEntry]:
    """Every recorded change to the action, its milestones, budget and progress updates, newest first.

    A fixed number of queries (ten) however long the history: records are paired in memory.
    """
    action_records = list(
        Action.history.filter(id=action.pk).select_related("history_user").order_by("-history_date")[:limit]
    )
    history_ids = [r.history_id for r in action_records]
    partners = _m2m("HistoricalAction_supporting_organisations", "organisation_id", history_ids)
    measures = _m2m("HistoricalAction_outcome_measures", "outcomemeasure_id", history_ids)
    milestone_records = list(
        Milestone.history.filter(action_id=action.pk).select_related("history_user").order_by("-history_date")[:limit]
    )
    budget_records = list(
        BudgetLine.history.filter(action_id=action.pk).select_related("history_user").order_by("-history_date")[:limit]
    )
    update_records = list(
        ProgressUpdate.history.filter(action_id=action.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    organisation_ids = {r.lead_organisation_id for r in action_records}.union(*partners.values())
    names = _Names(
        organisations=dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name")),
        people=dict(
            User.objects.filter(pk__in={r.lead_officer_id for r in action_records if r.lead_officer_id}).values_list(
                "pk", "full_name"
            )
        )
        if show_people
        else {},
        priorities=dict(
            Priority.objects.filter(pk__in={r.priority_id for r in action_records if r.priority_id}).values_list(
                "pk", "title"
            )
        ),
        measures=dict(OutcomeMeasure.objects.filter(pk__in=set().union(*measures.values())).values_list("pk", "name")),
        show_people=show_people,
    )

    def action_sets(record: Any, before: Any) -> list[str]:
        old_partners = partners.get(before.history_id, set()) if before is not None else set()
        old_measures = measures.get(before.history_id, set()) if before is not None else set()
        return _set_diff(
            "Supporting organisations", old_partners, partners.get(record.history_id, set()), names.organisations
        ) + _set_diff("Outcome measures", old_measures, measures.get(record.history_id, set()), names.measures)

    def update_summary(record: Any, before: Any) -> list[str]:
        return [f"{RAG_LABELS[record.rag]}, {record.percent_complete}% complete: {record.narrative}"]

    entries = (
        _record_entries(
            Action, action_records, _ACTION_FIELDS, lambda r: f"action {r.reference} {r.title}", names, action_sets
        )
        + _record_entries(
            Milestone,
            milestone_records,
            _MILESTONE_FIELDS,
            lambda r: f"milestone “{r.title}” (due {r.due_date:%-d %B %Y})",
            names,
        )
        + _record_entries(
            BudgetLine,
            budget_records,
            _BUDGET_FIELDS,
            lambda r: (
                f"budget line: {FundingSource(r.source).label}{f', {r.grant_name}' if r.grant_name else ''}, "
                f"£{r.amount:,.2f}"
            ),
            names,
        )
        + _record_entries(
            ProgressUpdate,
            update_records,
            _UPDATE_FIELDS,
            lambda r: f"progress update of {r.reported_on:%-d %B %Y}",
            names,
            lambda record, before: update_summary(record, before) if before is None else [],
        )
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


RAG_LABELS = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "blue": "Complete",
    "grey": "No update",
}
RAG_MEANINGS = {
    **dict(Rag.choices),
    "blue": "Blue: complete",
    "grey": "Grey: not started, or no progress reported yet",
}
