"""The annual report as PDF: the same template body as the page, laid out for A4 by WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML


def report_pdf(context: dict[str, Any]) -> bytes:
    """Render the print template to a tagged PDF (PDF/UA-1: headings, tables and language marked for
    screen readers). No external resources are fetched: styles are in the template and the charts are
    inline SVG, so the PDF needs no network and no static files."""
    html = render_to_string("actionplans/reports/print.html", context)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The report PDF fetches nothing: {url}")
