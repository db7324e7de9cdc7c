"""Page-number pagination with a bounded page size (`?page=2&page_size=200`, at most API_MAX_PAGE_SIZE)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    page_size_query_description = "Results per page: 50 unless given, 500 at most."

    @property
    def page_size(self) -> int:  # type: ignore[override]
        return int(settings.API_PAGE_SIZE)

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return int(settings.API_MAX_PAGE_SIZE)
