"""What the action plan pages share: the signed-in actor, pagination, form pages and safe return links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from actionplans.models import Action, ActionPlan
from partnerships.models import User

GET_AND_POST = require_http_methods(["GET", "POST"])
FORM_TEMPLATE = "actionplans/form.html"


def actor(request: HttpRequest) -> User:
    """The signed-in person making a change (every view that calls this requires sign-in)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in to make changes")
    return user


def page_of(request: HttpRequest, items: Any, param: str = "page") -> Page[Any]:
    return Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get(param))


def query_without(request: HttpRequest, *params: str) -> str:
    """The page's query string without some parameters, for links that set them."""
    query = request.GET.copy()
    for param in params:
        query.pop(param, None)
    return query.urlencode()


def form_status(form: Any, *, stale: bool = False) -> int:
    """409 when the save was refused as stale, 400 for other errors, else 200."""
    if stale:
        return 409
    return 400 if form.is_bound and form.errors else 200


def form_page(request: HttpRequest, form: Any, *, stale: bool = False, **context: Any) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"form": form, **context}, status=form_status(form, stale=stale))


def safe_next(request: HttpRequest) -> str | None:
    """The ?next= page to return to after a save, if it is on this site (never an open redirect)."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def plan_url(action_plan: ActionPlan | int) -> str:
    pk = action_plan if isinstance(action_plan, int) else action_plan.pk
    return reverse("actionplans:plan", args=[pk])


def action_url(action: Action | int, anchor: str = "") -> str:
    pk = action if isinstance(action, int) else action.pk
    return reverse("actionplans:action", args=[pk]) + (f"#{anchor}" if anchor else "")
