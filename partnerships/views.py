"""Pages for partnerships and their membership. Views parse input and render; rules live elsewhere.

Every view fetches its object through partnerships.permissions (404 outside the user's scope, 403 if
they may see but not change it) and changes data only through partnerships.services.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from csp_portal.pages import GET_AND_POST, actor, form_page, page_of, query_without
from partnerships import permissions, selectors, services
from partnerships.forms import (
    EndForm,
    MembershipAddForm,
    MembershipStandingForm,
    PartnershipSearchForm,
    RoleAddForm,
    RoleChangeForm,
    posted,
)
from partnerships.models import Partnership
from reviews.permissions import may_see_review_counts
from reviews.selectors import ReviewCounts, review_counts


def _members_url(partnership: Partnership) -> str:
    return reverse("partnerships:members", args=[partnership.slug])


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """'My partnerships': where the user holds roles, and what those roles are."""
    return render(request, "partnerships/home.html", {"mine": selectors.my_partnerships(request.user)})


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    """Every partnership the user may see, searchable by name or ONS code, paginated."""
    form = PartnershipSearchForm(request.GET or None)
    partnerships = permissions.visible_partnerships(request.user).select_related("parent", "police_force_area")
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            partnerships = partnerships.filter(Q(name__icontains=q) | Q(ons_code__iexact=q))
        if kind := form.cleaned_data["kind"]:
            partnerships = partnerships.filter(kind=kind)
    page = page_of(request, partnerships.order_by("name"))
    context = {"form": form, "page": page, "query": query_without(request, "page")}
    return render(request, "partnerships/list.html", context)


@login_required
def partnership_detail(request: HttpRequest, ref: str) -> HttpResponse:
    """A partnership: its area, member organisations by standing, people, and groups under it."""
    partnership = permissions.get_partnership_for_user(request.user, ref)
    can_view_people = permissions.can_view_people(request.user, partnership)
    children = selectors.child_groups(partnership)
    context = {
        "partnership": partnership,
        "areas": selectors.local_authority_areas(partnership),
        "standing_groups": selectors.memberships_by_standing(partnership),
        # People are paginated: a large CSP has thousands of role holders.
        "people": page_of(request, selectors.current_people(partnership), "people_page") if can_view_people else None,
        "people_query": query_without(request, "people_page"),
        # A county group lists its CSPs by policing area, and its other groups below.
        "policing_areas": selectors.csps_by_policing_area(children) if partnership.is_county_group else [],
        "children": [c for c in children if not (partnership.is_county_group and c.is_csp)],
        "can_manage": permissions.can_manage_partnership(request.user, partnership),
        "review_counts": _review_counts(request.user, partnership, children),
    }
    return render(request, "partnerships/detail.html", context)


def _review_counts(user: Any, partnership: Partnership, children: list[Partnership]) -> ReviewCounts | None:
    """A CSP's review counts, or a county group's totals across its CSPs (two queries), for those who may
    know how many reviews there are; None for everyone else (partner officers never see the section)."""
    if not (partnership.is_csp or partnership.is_county_group) or not may_see_review_counts(user, partnership):
        return None
    ids = [partnership.pk] if partnership.is_csp else [c.pk for c in children if c.is_csp]
    counts = review_counts(ids).values()
    return ReviewCounts(*(sum(getattr(c, f.name) for c in counts) for f in fields(ReviewCounts)))


@login_required
def members(request: HttpRequest, ref: str) -> HttpResponse:
    """The manager's page: change member organisations and people's roles."""
    partnership = permissions.get_partnership_for_user(request.user, ref, for_write=True)
    context = {
        "partnership": partnership,
        "memberships": page_of(request, selectors.open_memberships(partnership), "org_page"),
        "org_query": query_without(request, "org_page"),
        "roles": page_of(request, selectors.open_roles(partnership), "people_page"),
        "people_query": query_without(request, "people_page"),
    }
    return render(request, "partnerships/members.html", context)


@login_required
def history(request: HttpRequest, ref: str) -> HttpResponse:
    """Who changed the partnership's membership and roles, and when."""
    partnership = permissions.get_partnership_for_user(request.user, ref, for_write=True)
    page = page_of(request, selectors.membership_history(partnership))
    crumbs = [("Manage members", _members_url(partnership))]
    return render(request, "partnerships/history.html", {"partnership": partnership, "page": page, "crumbs": crumbs})


@login_required
@GET_AND_POST
def membership_add(request: HttpRequest, ref: str) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(request.user, ref, for_write=True)
    form = MembershipAddForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                actor=actor(request),
                partnership=partnership,
                organisation=form.cleaned_data["organisation"],
                standing=form.cleaned_data["standing"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{membership.organisation} added as {membership.get_standing_display().lower()}")
            return redirect(_members_url(partnership))
    return form_page(request, "partnerships/form.html", form, partnership=partnership, title="Add an organisation")


@login_required
@GET_AND_POST
def membership_standing(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    membership = permissions.get_membership_for_user(request.user, ref, pk, for_write=True)
    form = MembershipStandingForm(posted(request), initial={"standing": membership.standing})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_standing(
                actor=actor(request), membership=membership, standing=form.cleaned_data["standing"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{membership.organisation} is now {membership.get_standing_display().lower()}")
            return redirect(_members_url(membership.partnership))
    return form_page(
        request,
        "partnerships/form.html",
        form,
        partnership=membership.partnership,
        title=f"Change the standing of {membership.organisation}",
    )


@login_required
@GET_AND_POST
def membership_end(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    membership = permissions.get_membership_for_user(request.user, ref, pk, for_write=True)
    form = EndForm(posted(request), start_date=membership.start_date)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(actor=actor(request), membership=membership, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Membership of {membership.organisation} ended")
            return redirect(_members_url(membership.partnership))
    return form_page(
        request,
        "partnerships/form.html",
        form,
        partnership=membership.partnership,
        title=f"End the membership of {membership.organisation}",
        warning="The roles of the people who represent this organisation in the partnership end on the same date.",
    )


@login_required
@GET_AND_POST
def role_add(request: HttpRequest, ref: str) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(request.user, ref, for_write=True)
    form = RoleAddForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.role_add_person(
                actor=actor(request),
                partnership=partnership,
                email=data["email"],
                full_name=data["full_name"],
                job_title=data["job_title"],
                organisation=data["organisation"],
                role=data["role"],
                start_date=data["start_date"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"{assignment.person} added as {assignment.get_role_display().lower()} for {assignment.organisation}",
            )
            return redirect(_members_url(partnership))
    return form_page(request, "partnerships/form.html", form, partnership=partnership, title="Add a person")


@login_required
@GET_AND_POST
def role_change(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    assignment = permissions.get_role_for_user(request.user, ref, pk, for_write=True)
    form = RoleChangeForm(posted(request), partnership=assignment.partnership, initial={"role": assignment.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.role_change(actor=actor(request), assignment=assignment, role=form.cleaned_data["role"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{assignment.person} is now {assignment.get_role_display().lower()}")
            return redirect(_members_url(assignment.partnership))
    return form_page(
        request,
        "partnerships/form.html",
        form,
        partnership=assignment.partnership,
        title=f"Change the role of {assignment.person}",
        caption=f"{assignment.get_role_display()} for {assignment.organisation}",
    )


@login_required
@GET_AND_POST
def role_end(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    assignment = permissions.get_role_for_user(request.user, ref, pk, for_write=True)
    form = EndForm(posted(request), start_date=assignment.start_date)
    form.helper.inputs[0].value = "End role"
    if request.method == "POST" and form.is_valid():
        try:
            services.role_end(actor=actor(request), assignment=assignment, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{assignment.person}'s role as {assignment.get_role_display().lower()} ended")
            return redirect(_members_url(assignment.partnership))
    return form_page(
        request,
        "partnerships/form.html",
        form,
        partnership=assignment.partnership,
        title=f"End the role of {assignment.person}",
        caption=f"{assignment.get_role_display()} for {assignment.organisation}",
    )
