"""Personal API tokens: made with a name and an expiry, shown once, listed, revoked. (The page is
partnerships/tokens.py; authentication is csp_portal/api/authentication.py.)

knox stores a SHA-512 digest of each token and its first characters, never the token itself, so a token
can be shown only once: when it is made. Revoking deletes the row; the next request with it is a 401.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from partnerships.models import ApiToken, User

MAX_TOKENS_PER_PERSON = 10
EXPIRY_DAYS = (30, 90, 180, 365)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The person's tokens, newest first (expired ones too, until knox deletes them on the next use)."""
    tokens: QuerySet[ApiToken] = ApiToken.objects.filter(user=user).order_by("-created", "uid")
    return tokens


def api_token_create(*, user: User, name: str, days: int, reviews: bool) -> tuple[ApiToken, str]:
    """Make a token for the person; returns the row and the token, which is never available again.

    `reviews`: the token may reach domestic homicide reviews (the caller decides: the person has review
    access and this session passed the second factor)."""
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter a name for the token, like Power BI dashboard"
    if days not in EXPIRY_DAYS:
        errors["days"] = "Select when the token expires"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # One person's tokens are made one at a time, so two at once cannot pass the limit together.
        User.objects.select_for_update().filter(pk=user.pk).first()
        live = ApiToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), user=user).count()
        if live >= MAX_TOKENS_PER_PERSON:
            raise ValidationError(f"You have {live} tokens: revoke one you no longer use before making another")
        token, secret = ApiToken.objects.create(user=user, expiry=timedelta(days=days), name=name, reviews=reviews)
    return token, secret


def get_token_for_user(user: User, uid: uuid.UUID) -> ApiToken:
    """One of the person's own tokens; anyone else's is a 404."""
    token: ApiToken | None = ApiToken.objects.filter(user=user, uid=uid).first()
    if token is None:
        raise Http404("No such token")
    return token


def api_token_revoke(*, token: ApiToken) -> None:
    """Revoke a token: the row goes, and the token stops working at once."""
    ApiToken.objects.filter(pk=token.pk).delete()
