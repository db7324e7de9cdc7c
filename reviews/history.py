"""What a review's history page reads: every recorded change to the review, its pauses and quality
assurance submissions (django-simple-history), and its stage changes, in words, newest first.

A fixed number of queries however long the history: records are paired with the previous record of
their row in memory, not with simple-history's prev_record (a query each).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.apps import apps

from partnerships.models import Organisation, Partnership, User
from partnerships.selectors import HistoryEntry
from reviews.choices import (
    INCIDENT_FLAGS,
    MENTAL_HEALTH_FLAGS,
    PERPETRATOR_VULNERABILITY_FLAGS,
    VULNERABILITY_FLAGS,
    PauseReason,
    QaOutcome,
    Stage,
)
from reviews.models import Pause, QaSubmission, Review, StageChange

_ACTION = {"+": "Added", "~": "Changed", "-": "Deleted"}
# Not shown: bookkeeping, and the stage (its changes are entries of their own, with the step's date and note).
_REVIEW_SKIPPED = {"id", "version", "created_at", "stage", "partnership_id"}
_FLAG_LABELS = {
    "incident_flags": dict(INCIDENT_FLAGS),
    "victim_mental_health": dict(MENTAL_HEALTH_FLAGS),
    "perpetrator_mental_health": dict(MENTAL_HEALTH_FLAGS),
    "victim_vulnerabilities": dict(VULNERABILITY_FLAGS),
    "perpetrator_vulnerabilities": dict(PERPETRATOR_VULNERABILITY_FLAGS),
}
_ORGANISATION_FIELDS = {"notified_by_id"}
_PEOPLE_FIELDS = {"decided_by_id"}


def _attnames(model: Any, skipped: Iterable[str] = ()) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname not in set(skipped))


_REVIEW_FIELDS = _attnames(Review, _REVIEW_SKIPPED)
_PAUSE_FIELDS = ("reason", "detail", "started_on", "ended_on")
_QA_FIELDS = ("outcome", "letter_on", "notes")


def _label(model: Any, name: str) -> str:
    label = str(model._meta.get_field(name.removesuffix("_id")).verbose_name)
    return label[:1].upper() + label[1:]


def _value(model: Any, name: str, value: Any, names: dict[str, dict[int, str]]) -> str:
    if value in (None, "", []):
        return "none"
    if name in _ORGANISATION_FIELDS:
        return names["organisations"].get(value, "an organisation no longer on the portal")
    if name in _PEOPLE_FIELDS:
        return names["people"].get(value, "someone no longer on the portal")
    if name in _FLAG_LABELS:
        return ", ".join(_FLAG_LABELS[name].get(code, code) for code in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    choices = dict(model._meta.get_field(name.removesuffix("_id")).flatchoices)
    if value in choices:
        return str(choices[value])
    return str(value)


def _is_long(model: Any, name: str) -> bool:
    return bool(model._meta.get_field(name.removesuffix("_id")).get_internal_type() == "TextField")


def _diff(model: Any, fields: tuple[str, ...], record: Any, before: Any, names: dict[str, dict[int, str]]) -> list[str]:
    lines = []
    for name in fields:
        old, new = getattr(before, name), getattr(record, name)
        if old == new:
            continue
        label = _label(model, name)
        if _is_long(model, name):
            lines.append(f"{label} changed to: {new or 'none'}")
        else:
            lines.append(f"{label}: {_value(model, name, old, names)} → {_value(model, name, new, names)}")
    return lines


def _who(person: Any) -> str:
    return str(person) if person is not None else "The portal"


def _same_save(earlier: Any, later: Any) -> bool:
    """Records one service call wrote (the row, then its many-to-many change): same person, within a second."""
    return bool(
        earlier.history_user_id == later.history_user_id
        and (later.history_date - earlier.history_date).total_seconds() < 1
    )


Keyed = tuple[tuple[Any, int], HistoryEntry]  # (when, sequence) to sort newest first, and the entry


def _entries(
    model: Any,
    records: list[Any],
    fields: tuple[str, ...],
    subject: Callable[[Any], str],
    names: dict[str, dict[int, str]],
    extra: Callable[[Any, Any], list[str]] | None = None,
) -> list[Keyed]:
    entries: list[Keyed] = []
    previous: dict[int, Any] = {}
    latest: dict[int, tuple[Any, HistoryEntry]] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        previous[record.id] = record
        changes: list[str] = []
        if record.history_type == "~" and before is not None:
            field_changes = _diff(model, fields, record, before, names)
            set_changes = extra(record, before) if extra else []
            changes = field_changes + set_changes
            if not changes:
                continue  # a version raised, or the stage (shown as its own entry)
            last = latest.get(record.id)
            if not field_changes and last is not None and _same_save(last[0], record):
                # The many-to-many record of the save just shown: one change, one entry.
                last[1].changes.extend(set_changes)
                continue
        entry = HistoryEntry(
            when=record.history_date,
            who=_who(record.history_user),
            action=_ACTION[record.history_type],
            subject=subject(record),
            changes=changes,
        )
        entries.append(((record.history_date, record.history_id), entry))
        latest[record.id] = (record, entry)
    return entries


def review_history(review: Review, *, limit: int = 1000) -> list[HistoryEntry]:
    """Every recorded change to the review, its pauses, QA submissions and stages, newest first."""
    review_records = list(
        Review.history.filter(id=review.pk).select_related("history_user").order_by("-history_date")[:limit]
    )
    through = apps.get_model("reviews", "HistoricalReview_co_commissioners")
    commissioners: dict[int, set[int]] = defaultdict(set)
    for history_id, partnership_id in through.objects.filter(
        history_id__in=[r.history_id for r in review_records]
    ).values_list("history_id", "partnership_id"):
        commissioners[history_id].add(partnership_id)
    pause_records = list(
        Pause.history.filter(review_id=review.pk).select_related("history_user").order_by("-history_date")[:limit]
    )
    qa_records = list(
        QaSubmission.history.filter(review_id=review.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    stage_changes = list(
        StageChange.objects.filter(review_id=review.pk).select_related("changed_by").order_by("-changed_at")[:limit]
    )
    names = {
        "organisations": dict(
            Organisation.objects.filter(
                pk__in={r.notified_by_id for r in review_records if r.notified_by_id}
            ).values_list("pk", "name")
        ),
        "people": dict(
            User.objects.filter(pk__in={r.decided_by_id for r in review_records if r.decided_by_id}).values_list(
                "pk", "full_name"
            )
        ),
        "partnerships": dict(
            Partnership.objects.filter(pk__in=set().union(*commissioners.values())).values_list("pk", "name")
        ),
    }

    def co_commissioners(record: Any, before: Any) -> list[str]:
        old, new = commissioners.get(before.history_id, set()), commissioners.get(record.history_id, set())
        lines = []
        if added := sorted(names["partnerships"].get(pk, str(pk)) for pk in new - old):
            lines.append(f"Co-commissioning partnerships added: {', '.join(added)}")
        if removed := sorted(names["partnerships"].get(pk, str(pk)) for pk in old - new):
            lines.append(f"Co-commissioning partnerships removed: {', '.join(removed)}")
        return lines

    entries = (
        _entries(Review, review_records, _REVIEW_FIELDS, lambda r: f"the review {r.reference}", names, co_commissioners)
        + _entries(
            Pause,
            pause_records,
            _PAUSE_FIELDS,
            lambda r: f"pause ({PauseReason(r.reason).label.lower()}, from {r.started_on:%-d %B %Y})",
            names,
        )
        + _entries(
            QaSubmission,
            qa_records,
            _QA_FIELDS,
            lambda r: f"quality assurance submission of {r.submitted_on:%-d %B %Y} ({QaOutcome(r.outcome).label})",
            names,
        )
        + [
            (
                (change.changed_at, change.pk),
                HistoryEntry(
                    when=change.changed_at,
                    who=_who(change.changed_by),
                    action="Stage",
                    subject=f"moved to “{Stage(change.to_stage).label}”, effective {change.effective_on:%-d %B %Y}",
                    changes=[change.note] if change.note else [],
                ),
            )
            for change in stage_changes
        ]
    )
    entries.sort(key=lambda keyed: keyed[0], reverse=True)
    return [entry for _, entry in entries[:limit]]
