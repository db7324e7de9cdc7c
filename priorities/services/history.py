"""Saving with the acting person recorded in the history (django-simple-history)."""

from __future__ import annotations

from typing import Any

from partnerships.models import User


def save_as(obj: Any, actor: User | None, **kwargs: Any) -> None:
    """Save with the actor recorded as the history user (works outside a request too)."""
    obj._history_user = actor
    obj.save(**kwargs)
