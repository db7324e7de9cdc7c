"""What the interface calls a review: "domestic homicide review" (the 2004 Act) or, with
REVIEW_TERM=dardr, "domestic abuse related death review" (the newer name, DOMAIN.md §2.1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ReviewTerms:
    singular: str
    plural: str
    short: str

    @property
    def title(self) -> str:
        """Capitalised for headings: "Domestic homicide review"."""
        return self.singular[:1].upper() + self.singular[1:]

    @property
    def title_plural(self) -> str:
        return self.plural[:1].upper() + self.plural[1:]


_TERMS = {
    "dhr": ReviewTerms("domestic homicide review", "domestic homicide reviews", "DHR"),
    "dardr": ReviewTerms("domestic abuse related death review", "domestic abuse related death reviews", "DARDR"),
}


def review_terms() -> ReviewTerms:
    return _TERMS[settings.REVIEW_TERM]
