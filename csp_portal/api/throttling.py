"""Rate limits: per token for token callers, per person for sessions, per address for anonymous callers.

The rates are settings (API_RATE_TOKEN, API_RATE_SESSION, API_RATE_ANONYMOUS in csp_portal/settings.py),
read on every request so that a test can lower them. The counts live in the default cache: Redis when
REDIS_URL is set (shared by every web process), the process's memory otherwise. Over the limit the answer
is 429 with Retry-After (DRF's exception handler adds it).
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from partnerships.models import ApiToken


class PortalRateThrottle(SimpleRateThrottle):
    scope = "anonymous"
    cache_format = "api-throttle:%(scope)s:%(ident)s"

    def get_rate(self) -> str:
        return str(api_settings.DEFAULT_THROTTLE_RATES[self.scope])

    def _scope_and_ident(self, request: Request) -> tuple[str, str]:
        if isinstance(request.auth, ApiToken):
            # The digest, never the token: the cache must not hold anything that authenticates.
            return "token", str(request.auth.digest)
        if request.user is not None and request.user.is_authenticated:
            return "session", str(request.user.pk)
        return "anonymous", str(self.get_ident(request))

    def allow_request(self, request: Request, view: Any) -> bool:
        self.scope, self.ident = self._scope_and_ident(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.ident}
