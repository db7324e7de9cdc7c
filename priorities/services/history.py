"""Saving with the acting person recorded in the history: the project's one helper, used here too."""

from csp_portal.history import save_as

__all__ = ["save_as"]
