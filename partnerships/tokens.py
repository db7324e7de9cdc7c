"""The "API tokens" page (/accounts/api-tokens/): make a token with a name and an expiry, see it once,
list your tokens with when they were made, last used and expire, and revoke them.

Someone who may open domestic homicide reviews must have entered a code from their authenticator app in
this session before using the page, as before opening a review: a token made here then reaches reviews
(ApiToken.reviews). Everyone else's tokens never do.
"""

from __future__ import annotations

import uuid
from typing import Any

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from csp_portal.api.tokens import (
    EXPIRY_DAYS,
    MAX_TOKENS_PER_PERSON,
    api_token_create,
    api_token_revoke,
    get_token_for_user,
    tokens_of,
)
from csp_portal.pages import GET_AND_POST, actor, form_status
from partnerships.forms import PortalForm, posted
from partnerships.two_factor import is_verified
from reviews.permissions import has_review_access


class TokenForm(PortalForm):
    submit_label = "Create token"

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so that you recognise it later. For example, Power BI dashboard",
        error_messages={
            "required": "Enter a name for the token, like Power BI dashboard",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(days, f"{days} days") for days in EXPIRY_DAYS],
        initial=90,
        widget=forms.RadioSelect,
        error_messages={"required": "Select when the token expires", "invalid_choice": "Select when the token expires"},
    )

    def layout(self) -> Layout:
        return Layout(Field.text("name", field_width=20), Field.radios("days", legend_size=Size.SMALL))


def _needs_second_factor(request: HttpRequest) -> HttpResponse | None:
    if has_review_access(request.user) and not is_verified(request):
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
    return None


@login_required
@GET_AND_POST
def token_list(request: HttpRequest) -> HttpResponse:
    """Your tokens, and the form that makes one (the new token is shown on the answer, once)."""
    refused = _needs_second_factor(request)
    if refused is not None:
        return refused
    user = actor(request)
    form = TokenForm(posted(request))
    created: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                reviews=has_review_access(user) and is_verified(request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            created = {"token": token, "secret": secret}
            form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": list(tokens_of(user)),
        "max_tokens": MAX_TOKENS_PER_PERSON,
        "review_access": has_review_access(user),
        "now": timezone.now(),
    }
    response = render(request, "api/tokens.html", context, status=form_status(form))
    # The page may show a new token: no cache (browser or proxy) keeps a copy.
    add_never_cache_headers(response)
    return response


@login_required
@GET_AND_POST
def token_revoke(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Confirm, then revoke one of your tokens; another person's token is a 404."""
    refused = _needs_second_factor(request)
    if refused is not None:
        return refused
    token = get_token_for_user(actor(request), uid)
    if request.method == "POST":
        api_token_revoke(token=token)
        messages.success(request, f"Token {token.name} revoked: it no longer works")
        return redirect("api_tokens")
    return render(request, "api/token_revoke.html", {"token": token})
