"""The service navigation, chosen by what the signed-in user may do."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from partnerships import permissions
from partnerships.models import Role
from reviews.permissions import has_review_access
from reviews.terms import review_terms


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[dict[str, str]] = []
    if user is not None and user.is_authenticated:
        items.append({"text": "My partnerships", "href": reverse("home")})
        # Partner officers and managers update their organisation's actions. (Not asked of administrators,
        # whose pages otherwise never read roles.)
        if not permissions.is_admin(user) and any(
            a.role in (Role.PARTNER_OFFICER, Role.MANAGER) for a in permissions.current_roles(user)
        ):
            items.append({"text": "My actions", "href": reverse("actionplans:my_actions")})
        # Only for people who may open a review: nobody else learns from the menu that reviews exist.
        if has_review_access(user):
            items.append({"text": review_terms().title_plural, "href": reverse("reviews:list")})
        if permissions.is_admin(user) or len(permissions.current_roles(user)) > 0:
            items.append({"text": "Partnerships", "href": reverse("partnerships:list")})
        if permissions.is_admin(user):
            items.append({"text": "Administration", "href": reverse("admin:index")})
    path = request.path
    for item in items:
        # The deepest matching item is the current page's section.
        item["current"] = (
            "yes" if item["href"] == path or (item["href"] != "/" and path.startswith(item["href"])) else ""
        )
    return {"service_name": settings.PORTAL_SERVICE_NAME, "nav_items": items}
