"""What every review page shares: the need-to-know gate, the second factor, the access log and links.

Every review view is wrapped by `review_page` (a page of one review) or `reviews_area` (pages across
reviews). Both answer 404 to anyone with no review role at all — partner officers, scrutiny and county
readers, administrators — so nothing tells them reviews exist; then send people with a role but an
unverified session to the second-factor page; then authorise through reviews.permissions.
`review_page` records every GET in the review's access log.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from csp_portal.pages import GET_AND_POST, actor, form_page, page_of, query_without, safe_next
from partnerships.two_factor import is_verified
from reviews.choices import AccessKind
from reviews.models import Review
from reviews.permissions import ReviewAccess, get_review_for_user, has_review_access
from reviews.services.workspace import log_access

ReviewView = Callable[..., HttpResponse]


def needs_second_factor(request: HttpRequest) -> bool:
    """A session that has not passed the second factor."""
    return not is_verified(request)


def second_factor_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")


def reviews_area(view: ReviewView) -> ReviewView:
    """For pages across reviews: 404 without any review role, then the second factor."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_review_access(request.user):
            raise Http404("No such page")
        if needs_second_factor(request):
            return second_factor_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def review_page(need: str = "view") -> Callable[[ReviewView], ReviewView]:
    """For a page of one review (URL argument `pk`): the view is called as view(request, review, access, ...).

    `need` is "view", "edit", "manage" or "decide" (reviews.permissions.REQUIREMENTS).
    """

    def decorate(view: ReviewView) -> ReviewView:
        @reviews_area
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
            review, access = get_review_for_user(request.user, pk, need=need)
            if request.method == "GET":
                log_access(review=review, person=actor(request), kind=AccessKind.VIEWED, page=request.path)
            return view(request, review, access, *args, **kwargs)

        return wrapper

    return decorate


def review_url(review: Review | int, name: str = "review", **kwargs: Any) -> str:
    pk = review if isinstance(review, int) else review.pk
    return reverse(f"reviews:{name}", kwargs={"pk": pk, **kwargs})


def workspace_context(review: Review, access: ReviewAccess, tab: str) -> dict[str, Any]:
    """What templates/reviews/workspace.html needs: the review, the user's rights and the current tab."""
    return {"review": review, "access": access, "tab": tab, "partnership": review.partnership}


__all__ = [
    "GET_AND_POST",
    "actor",
    "form_page",
    "needs_second_factor",
    "page_of",
    "query_without",
    "review_page",
    "review_url",
    "reviews_area",
    "safe_next",
    "workspace_context",
]
