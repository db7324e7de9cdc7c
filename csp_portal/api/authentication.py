"""Token authentication (django-rest-knox) that also records when each token was last used.

"Authorization: Token <token>": knox finds the row by the token's first characters and compares the
SHA-512 digest; an expired token is deleted and refused (401), as is a revoked (deleted) one and the
token of a person whose account is switched off. The time of last use is written at most once a minute
per token, so a busy client does not turn every read into a write.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from partnerships.models import ApiToken

LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuthentication(KnoxTokenAuthentication):  # type: ignore[misc]
    def validate_user(self, auth_token: ApiToken) -> tuple[Any, ApiToken]:
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token
