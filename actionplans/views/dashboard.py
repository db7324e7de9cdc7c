"""The scrutiny dashboard of a partnership and the county roll-up: read-only for everyone who may see them.

actionplans.permissions decides who reads what; actionplans.dashboard reads it with planned queries.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actionplans import dashboard, permissions
from actionplans.models import Action, ActionStatus
from actionplans.selectors import RAG_LABELS
from priorities import permissions as priority_permissions
from reviews.permissions import may_see_review_counts
from reviews.selectors import review_counts


@login_required
@require_GET
def partnership_dashboard(request: HttpRequest, ref: str) -> HttpResponse:
    """How the partnership is doing in one plan year: priorities, actions, measures, crime, reviews, funding."""
    user = request.user
    partnership = permissions.get_dashboard_partnership(user, ref)
    today = timezone.localdate()
    plans = priority_permissions.visible_plans(user).filter(partnership=partnership)
    years = dashboard.plan_choices(plans)
    year = dashboard.pick_year(request.GET.get("year"), years, today)
    plan = dict(years).get(year) if year is not None else None
    data = request.GET.copy()
    if year is not None:
        data["year"] = str(year)
    filters = dashboard.DashboardFilter(
        data,
        actions=Action.objects.filter(action_plan__plan=plan) if plan else Action.objects.none(),
        years=years,
        priorities=dashboard.priority_choices(plan),
        organisations=dashboard.organisation_choices(plan),
    )
    priority = filters.value("priority")
    result = dashboard.dashboard_for_partnership(
        partnership,
        plan=plan,
        year=year,
        actions=filters.qs,
        priority=priority,
        assessments=priority_permissions.visible_assessments(user),
        today=today,
    )
    reviews = None
    if partnership.is_csp and may_see_review_counts(user, partnership):
        reviews = review_counts([partnership.pk], today)[partnership.pk]
    context = {
        "partnership": partnership,
        "dashboard": result,
        "filters": filters,
        "filtered": bool(priority or filters.value("lead_organisation")),
        "reviews": reviews,
        "today": today,
        "rag_labels": RAG_LABELS,
        "statuses": ActionStatus.choices,
        "reports_url_visible": partnership.is_csp,
    }
    return render(request, "actionplans/dashboard.html", context)


@login_required
@require_GET
def county_roll_up(request: HttpRequest, ref: str) -> HttpResponse:
    """A county group's CSPs side by side by policing area (aggregates only, no people, no actions)."""
    user = request.user
    county = permissions.get_county_for_user(user, ref)
    today = timezone.localdate()
    counts = None
    if may_see_review_counts(user, county):
        ids = list(county.children.filter(kind="csp").values_list("pk", flat=True))
        counts = review_counts(ids, today)
    result = dashboard.county_roll_up(county, review_counts=counts, today=today)
    return render(
        request,
        "actionplans/roll_up.html",
        {
            "partnership": county,
            "roll_up": result,
            "show_reviews": counts is not None,
            "today": today,
            "rag_labels": RAG_LABELS,
        },
    )
