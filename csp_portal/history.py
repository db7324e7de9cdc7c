"""Saving a row with the acting person recorded in its history (django-simple-history).

Services pass the person explicitly, so changes made by commands and tasks are recorded the same way
as changes made in a request (where simple-history's middleware would otherwise supply the user).
"""

from __future__ import annotations

from typing import Any


def save_as(obj: Any, actor: Any, **kwargs: Any) -> None:
    """Save with the actor (a person, or None for the portal itself) recorded as the history user."""
    obj._history_user = actor
    obj.save(**kwargs)


def adopt(target: Any, saved: Any) -> None:
    """Give the caller's instance the field values of the row a service locked, changed and saved (no query)."""
    for field in target._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
