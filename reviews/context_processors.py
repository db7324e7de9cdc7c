from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from reviews.terms import review_terms


def terms(request: HttpRequest) -> dict[str, Any]:
    """`review_term` on every page: {{ review_term.title_plural }} and the like."""
    return {"review_term": review_terms()}
