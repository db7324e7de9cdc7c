"""What every app's pages share: the acting person, pagination, form pages and safe return links.

Views parse input and render output; these helpers keep that part the same on every page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from partnerships.models import User

GET_AND_POST = require_http_methods(["GET", "POST"])


def actor(request: HttpRequest) -> User:
    """The signed-in person making a change (every view that calls this requires sign-in)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in to make changes")
    return user


def page_of(request: HttpRequest, items: Any, param: str = "page") -> Page[Any]:
    """One page of a list (settings.PAGE_SIZE a page); a bad or too-large number gives a real page."""
    return Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get(param))


def query_without(request: HttpRequest, *params: str) -> str:
    """The page's query string without some parameters, for links that set them."""
    query = request.GET.copy()
    for param in params:
        query.pop(param, None)
    return query.urlencode()


def form_status(form: Any, *, stale: bool = False) -> int:
    """409 when a save was refused as stale, 400 for other errors, else 200."""
    if stale:
        return 409
    return 400 if form.is_bound and form.errors else 200


def form_page(request: HttpRequest, template: str, form: Any, *, stale: bool = False, **context: Any) -> HttpResponse:
    """A page with a form, answered with the status its state calls for."""
    return render(request, template, {"form": form, **context}, status=form_status(form, stale=stale))


def safe_next(request: HttpRequest) -> str | None:
    """The ?next= page to return to after a save, if it is on this site (never an open redirect)."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None
