"""Template filters that ask partnerships.permissions (never decide anything themselves)."""

from __future__ import annotations

from typing import Any

from django import template

from partnerships import permissions
from partnerships.models import Partnership

register = template.Library()


@register.filter
def visible_to(partnership: Partnership | None, user: Any) -> bool:
    """{% if partnership.parent|visible_to:user %}: link to it only if the user may open it."""
    return permissions.can_see(user, partnership)
