"""The daily planner: what is due today, for whom. Reads in a fixed number of streamed queries, holds
only the people and partnerships in memory (never all the actions), and yields one Due per reminder.

Kinds, with their defaults (issue 6 and DOMAIN.md §7; each partnership may set its own days):
- action due → the action's lead officer: 14 days before, on the day, weekly while overdue;
- overdue action copy → the partnership's managers, with each overdue reminder;
- quarterly update → lead officers of open actions with no update this quarter: 10 working days before
  the quarter ends, and on its last day;
- milestone due → the action's lead officer: 7 days before;
- annual plan review → managers and chair: 60 and 30 days before the end of a plan year not reviewed;
- next strategic assessment → managers: 90 days before a year has passed since the last approval;
- review deadlines → the review lead, the chair and the review's coordinators: 14 and 7 days before,
  on the day, weekly while overdue;
- recommendation due → its lead officer, if they can open the review: 14 days before, on the day,
  weekly while overdue;
- annual report to the crime and disorder committee (which meets at least once in every 12 months) →
  the CSP's managers: 60 and 30 days before a year has passed since its last published report.
People who have left the partnership (no current role there) and switched-off accounts get nothing; a
person may switch off the kinds that are not statutory.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action, ActionPlanStatus, AnnualReport, AnnualReportStatus, Milestone
from actionplans.selectors import OPEN_STATUSES, quarter_start
from partnerships.models import Role, RoleAssignment
from priorities.models import AssessmentStatus, PartnershipPlan, PlanReview, PlanStatus, StrategicAssessment
from reviews.choices import PanelRole, RecommendationStatus, Stage
from reviews.clock import add_months, review_deadlines
from reviews.models import PanelMember, Recommendation, Review, ReviewRules
from reviews.reminders.models import ReminderKind, ReminderOffsets, ReminderOptOut
from reviews.reminders.windows import Offsets, current_window, working_days_before
from reviews.selectors import with_parts

DEFAULTS: dict[str, Offsets] = {
    ReminderKind.ACTION_DUE: Offsets((14, 0), weekly_when_overdue=True),
    ReminderKind.QUARTER_UPDATE: Offsets((10, 0)),  # working days before the quarter's last day
    ReminderKind.MILESTONE_DUE: Offsets((7,)),
    ReminderKind.PLAN_REVIEW: Offsets((60, 30)),
    ReminderKind.ASSESSMENT_DUE: Offsets((90,)),
    ReminderKind.REVIEW_DEADLINE: Offsets((14, 7, 0), weekly_when_overdue=True),
    ReminderKind.RECOMMENDATION_DUE: Offsets((14, 0), weekly_when_overdue=True),
    ReminderKind.ANNUAL_REPORT: Offsets((60, 30)),
}
# The copy to managers follows the action's own reminders.
CONFIGURABLE = tuple(DEFAULTS)
# Statutory dates nobody may switch off.
STATUTORY = frozenset(
    {ReminderKind.PLAN_REVIEW, ReminderKind.ASSESSMENT_DUE, ReminderKind.REVIEW_DEADLINE, ReminderKind.ANNUAL_REPORT}
)
# Kinds that tell whoever sees them that reviews are held (need to know: not for administrators).
REVIEW_KINDS = frozenset({ReminderKind.REVIEW_DEADLINE, ReminderKind.RECOMMENDATION_DUE})
# Kinds that may keep reminding every week after the due date while the item stays open.
WEEKLY_KINDS = frozenset({ReminderKind.ACTION_DUE, ReminderKind.REVIEW_DEADLINE, ReminderKind.RECOMMENDATION_DUE})
# The quarterly update counts working days (Monday to Friday) before the quarter's last day.
WORKING_DAY_KINDS = frozenset({ReminderKind.QUARTER_UPDATE})
CHUNK = 5000


def normalised(offsets: Offsets, kind: str) -> Offsets:
    """Days largest first without repeats; weekly only where the kind reminds weekly."""
    days = tuple(sorted(set(offsets.days_before), reverse=True))
    return Offsets(days, offsets.weekly_when_overdue if kind in WEEKLY_KINDS else False)


@dataclass(frozen=True)
class Due:
    recipient_id: int
    partnership_id: int
    kind: str
    item: str
    window: str
    due_on: date
    title: str
    path: str


def _path(name: str) -> str:
    """A URL pattern's path with {} for the id, reversed once instead of once per row."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


@dataclass
class Context:
    """Everything the kinds share, read once: offsets, who is in which partnership, opt-outs."""

    day: date
    offsets: dict[tuple[int, str], Offsets] = field(default_factory=dict)
    members: set[tuple[int, int]] = field(default_factory=set)  # (person, partnership) with a role today
    by_role: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # (partnership, role) → people
    opted_out: set[tuple[int, str]] = field(default_factory=set)

    def offsets_for(self, partnership_id: int, kind: str) -> Offsets:
        return self.offsets.get((partnership_id, kind), DEFAULTS[kind])

    def widest(self, kind: str) -> int:
        """The most days before a due date any partnership reminds of this kind."""
        days = [max(o.days_before, default=0) for (_, k), o in self.offsets.items() if k == kind]
        return max([*days, max(DEFAULTS[kind].days_before, default=0)])

    def wants(self, person_id: int, kind: str) -> bool:
        return kind in STATUTORY or (person_id, kind) not in self.opted_out

    def member(self, person_id: int, partnership_id: int) -> bool:
        return (person_id, partnership_id) in self.members

    def people(self, partnership_id: int, *roles: str) -> list[int]:
        return sorted({p for role in roles for p in self.by_role.get((partnership_id, role), ())})

    def review_leads(self, partnership_id: int) -> list[int]:
        """reviews.permissions' rule: the review lead role holders, else the managers."""
        return self.people(partnership_id, Role.REVIEW_LEAD) or self.people(partnership_id, Role.MANAGER)


def build_context(day: date) -> Context:
    context = Context(day=day)
    for partnership_id, kind, days, weekly in ReminderOffsets.objects.values_list(
        "partnership_id", "kind", "days_before", "weekly_when_overdue"
    ):
        context.offsets[(partnership_id, kind)] = Offsets(tuple(days), weekly)
    by_role: dict[tuple[int, str], set[int]] = defaultdict(set)
    roles = RoleAssignment.objects.current(day).filter(person__is_active=True)
    for person_id, partnership_id, role in roles.values_list("person_id", "partnership_id", "role").iterator(CHUNK):
        context.members.add((person_id, partnership_id))
        by_role[(partnership_id, role)].add(person_id)
    context.by_role = {key: sorted(people) for key, people in by_role.items()}
    context.opted_out = set(ReminderOptOut.objects.values_list("person_id", "kind"))
    return context


def _on(day: date) -> str:
    return f"{day:%-d %B %Y}"


def action_reminders(ctx: Context) -> Iterator[Due]:
    day, kind, path = ctx.day, ReminderKind.ACTION_DUE, _path("actionplans:action")
    rows = (
        Action.objects.filter(
            status__in=OPEN_STATUSES, lead_officer__isnull=False, due_date__lte=day + timedelta(ctx.widest(kind))
        )
        .exclude(action_plan__status=ActionPlanStatus.CLOSED)
        .order_by()
        .values_list("pk", "reference", "title", "due_date", "lead_officer_id", "action_plan__partnership_id")
    )
    for pk, reference, title, due, officer, partnership_id in rows.iterator(CHUNK):
        window = current_window(day, due, ctx.offsets_for(partnership_id, kind))
        if window is None:
            continue
        overdue = due < day
        text = f"Action {reference} {title}: {'was due' if overdue else 'due'} {_on(due)}"
        item = f"action:{pk}"
        if ctx.member(officer, partnership_id) and ctx.wants(officer, kind):
            yield Due(officer, partnership_id, kind, item, window, due, text, path.format(pk))
        if overdue:
            copy = ReminderKind.ACTION_OVERDUE_COPY
            for manager in ctx.people(partnership_id, Role.MANAGER):
                if manager != officer and ctx.wants(manager, copy):
                    yield Due(manager, partnership_id, copy, item, window, due, text, path.format(pk))


def quarter_reminders(ctx: Context) -> Iterator[Due]:
    day, kind, path = ctx.day, ReminderKind.QUARTER_UPDATE, _path("actionplans:action")
    start = quarter_start(day)
    end = add_months(start, 3) - timedelta(days=1)
    if day < working_days_before(end, ctx.widest(kind)):
        return
    windows: dict[int, str | None] = {}
    rows = (
        Action.objects.filter(status__in=OPEN_STATUSES, lead_officer__isnull=False, start_date__lte=day)
        .filter(Q(last_update_on__isnull=True) | Q(last_update_on__lt=start))
        .exclude(action_plan__status=ActionPlanStatus.CLOSED)
        .order_by()
        .values_list("pk", "reference", "title", "lead_officer_id", "action_plan__partnership_id")
    )
    for pk, reference, title, officer, partnership_id in rows.iterator(CHUNK):
        if partnership_id not in windows:
            offsets = ctx.offsets_for(partnership_id, kind)
            reached = [n for n in offsets.days_before if day >= working_days_before(end, n)]
            windows[partnership_id] = f"quarter-{min(reached)}wd:{start.isoformat()}" if reached else None
        window = windows[partnership_id]
        if window and ctx.member(officer, partnership_id) and ctx.wants(officer, kind):
            text = f"Action {reference} {title}: no progress update yet this quarter (ends {_on(end)})"
            yield Due(officer, partnership_id, kind, f"action:{pk}", window, end, text, path.format(pk))


def milestone_reminders(ctx: Context) -> Iterator[Due]:
    day, kind, path = ctx.day, ReminderKind.MILESTONE_DUE, _path("actionplans:action")
    rows = (
        Milestone.objects.filter(
            done_on__isnull=True,
            due_date__lte=day + timedelta(ctx.widest(kind)),
            due_date__gte=day - timedelta(days=30),
            action__status__in=OPEN_STATUSES,
            action__lead_officer__isnull=False,
        )
        .exclude(action__action_plan__status=ActionPlanStatus.CLOSED)
        .order_by()
        .values_list(
            "pk",
            "title",
            "due_date",
            "action_id",
            "action__reference",
            "action__lead_officer_id",
            "action__action_plan__partnership_id",
        )
    )
    for pk, title, due, action_id, reference, officer, partnership_id in rows.iterator(CHUNK):
        window = current_window(day, due, ctx.offsets_for(partnership_id, kind))
        if window and ctx.member(officer, partnership_id) and ctx.wants(officer, kind):
            text = f"Milestone of action {reference}: {title}, due {_on(due)}"
            yield Due(officer, partnership_id, kind, f"milestone:{pk}", window, due, text, path.format(action_id))


def plan_review_reminders(ctx: Context) -> Iterator[Due]:
    day, kind, path = ctx.day, ReminderKind.PLAN_REVIEW, _path("priorities:plan")
    done = set(PlanReview.objects.values_list("plan_id", "year"))
    plans = PartnershipPlan.objects.filter(status=PlanStatus.ADOPTED).values_list(
        "pk", "title", "start_year", "end_year", "partnership_id"
    )
    for pk, title, start_year, end_year, partnership_id in plans.iterator(CHUNK):
        for year in range(start_year, max(end_year, start_year + 1)):
            due = date(year + 1, 3, 31)  # the end of the plan year, April to March
            if (pk, year) in done or day > due:
                continue
            window = current_window(day, due, ctx.offsets_for(partnership_id, kind))
            if window is None:
                continue
            text = f"Annual review of {title} for {year}/{(year + 1) % 100:02d}: due by {_on(due)}"
            for person in ctx.people(partnership_id, Role.MANAGER, Role.CHAIR):
                yield Due(person, partnership_id, kind, f"plan:{pk}:{year}", window, due, text, path.format(pk))


def assessment_reminders(ctx: Context) -> Iterator[Due]:
    day, kind, path = ctx.day, ReminderKind.ASSESSMENT_DUE, _path("priorities:assessments")
    latest: dict[int, tuple[int, date]] = {}
    newest_year: dict[int, int] = {}
    rows = StrategicAssessment.objects.values_list(
        "partnership_id", "year", "status", "approved_at", "partnership__slug"
    )
    slugs: dict[int, str] = {}
    for partnership_id, year, status, approved_at, slug in rows.iterator(CHUNK):
        slugs[partnership_id] = slug
        newest_year[partnership_id] = max(year, newest_year.get(partnership_id, year))
        if status == AssessmentStatus.APPROVED and approved_at and year >= latest.get(partnership_id, (0, day))[0]:
            latest[partnership_id] = (year, approved_at.date())
    for partnership_id, (year, approved_on) in latest.items():
        if newest_year[partnership_id] > year:
            continue  # the next assessment is already being written
        due = add_months(approved_on, 12)
        window = current_window(day, due, ctx.offsets_for(partnership_id, kind))
        if window is None or day > due:
            continue
        text = f"The next strategic assessment (after {year}/{(year + 1) % 100:02d}) is due by {_on(due)}"
        url = path.replace("{}", slugs[partnership_id])
        for person in ctx.people(partnership_id, Role.MANAGER):
            yield Due(person, partnership_id, kind, f"assessment:{partnership_id}:{year}", window, due, text, url)


def annual_report_reminders(ctx: Context) -> Iterator[Due]:
    """The next report to the crime and disorder committee, a year after the last one was published."""
    day, kind, path = ctx.day, ReminderKind.ANNUAL_REPORT, _path("actionplans:reports")
    latest: dict[int, tuple[int, date, str]] = {}
    rows = AnnualReport.objects.filter(status=AnnualReportStatus.PUBLISHED).values_list(
        "pk", "partnership_id", "published_at", "partnership__slug"
    )
    for pk, partnership_id, published_at, slug in rows.iterator(CHUNK):
        published_on = timezone.localdate(published_at)
        if partnership_id not in latest or published_on > latest[partnership_id][1]:
            latest[partnership_id] = (pk, published_on, slug)
    for partnership_id, (pk, published_on, slug) in latest.items():
        due = add_months(published_on, 12)
        window = current_window(day, due, ctx.offsets_for(partnership_id, kind))
        if window is None or day > due:
            continue
        text = f"The next annual report to the crime and disorder committee is due by {_on(due)}"
        for person in ctx.people(partnership_id, Role.MANAGER):
            yield Due(person, partnership_id, kind, f"annual_report:{pk}", window, due, text, path.replace("{}", slug))


def review_reminders(ctx: Context) -> Iterator[Due]:
    """Deadlines of open, unpaused reviews to their leads, chair and coordinators; recommendations to
    their lead officers. Emails carry the reference, never a pseudonym."""
    day, kind, path = ctx.day, ReminderKind.REVIEW_DEADLINE, _path("reviews:review")
    panel: dict[int, set[int]] = defaultdict(set)
    coordinators: dict[int, set[int]] = defaultdict(set)
    members = PanelMember.objects.active().filter(person__isnull=False, person__is_active=True)
    for review_id, person_id, role in members.values_list("review_id", "person_id", "panel_role"):
        panel[review_id].add(person_id)
        if role == PanelRole.COORDINATOR:
            coordinators[review_id].add(person_id)
    reviews = with_parts(Review.objects.exclude(stage=Stage.CLOSED))
    rules = {r.partnership_id: r for r in ReviewRules.objects.all()}
    for review in reviews.iterator(chunk_size=500):
        pauses = list(review.pauses.all())
        if any(p.ended_on is None for p in pauses):
            continue  # paused: its clock waits, and so do its reminders
        people = sorted(
            {*ctx.review_leads(review.partnership_id), *ctx.people(review.partnership_id, Role.CHAIR)}
            | coordinators[review.pk]
        )
        for deadline in review_deadlines(
            review,
            rules.get(review.partnership_id) or ReviewRules(),
            pauses=pauses,
            agencies=list(review.agencies.all()),
            submissions=list(review.qa_submissions.all()),
            today=day,
        ):
            if deadline.met_on is not None:
                continue
            window = current_window(day, deadline.due_on, ctx.offsets_for(review.partnership_id, kind))
            if window is None:
                continue
            key = hashlib.sha256(deadline.label.encode()).hexdigest()[:12]
            text = f"{review.reference}: {deadline.label}, {deadline.status(day).lower()}"
            for person in people:
                yield Due(
                    person,
                    review.partnership_id,
                    kind,
                    f"review:{review.pk}:{key}",
                    window,
                    deadline.due_on,
                    text,
                    path.format(review.pk),
                )
    yield from _recommendation_reminders(ctx, panel)


def _recommendation_reminders(ctx: Context, panel: dict[int, set[int]]) -> Iterator[Due]:
    day, kind = ctx.day, ReminderKind.RECOMMENDATION_DUE
    path = reverse("reviews:recommendation", kwargs={"pk": 987654321, "rec_pk": 123456789})
    rows = (
        Recommendation.objects.filter(
            status=RecommendationStatus.OPEN,
            lead_officer__isnull=False,
            lead_officer__is_active=True,
            target_date__lte=day + timedelta(ctx.widest(kind)),
        )
        .exclude(review__stage=Stage.CLOSED)
        .order_by()
        .values_list(
            "pk", "number", "target_date", "lead_officer_id", "review_id", "review__reference", "review__partnership_id"
        )
    )
    for pk, number, due, officer, review_id, reference, partnership_id in rows.iterator(CHUNK):
        may_open = officer in panel[review_id] or officer in {
            *ctx.review_leads(partnership_id),
            *ctx.people(partnership_id, Role.CHAIR),
        }
        window = current_window(day, due, ctx.offsets_for(partnership_id, kind))
        if window and may_open and ctx.wants(officer, kind):
            text = f"{reference}: recommendation {number}, target date {_on(due)}"
            url = path.replace("987654321", str(review_id)).replace("123456789", str(pk))
            yield Due(officer, partnership_id, kind, f"recommendation:{pk}", window, due, text, url)


KINDS = (
    action_reminders,
    quarter_reminders,
    milestone_reminders,
    plan_review_reminders,
    assessment_reminders,
    annual_report_reminders,
    review_reminders,
)


def plan(day: date) -> Iterator[Due]:
    """Every reminder due on `day` (a reminder already recorded is yielded again; recording ignores it)."""
    ctx = build_context(day)
    for kind in KINDS:
        yield from kind(ctx)
