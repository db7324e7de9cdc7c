"""The second factor: an authenticator app (TOTP, django-otp) that people with review access must use.

Two pages, both for signed-in people (anyone may set one up; only review pages ask for it):
- `two_factor` shows whether an app is set up. Without one it enrols: one unconfirmed TOTPDevice per
  person, shown as a QR code and as its key in text, confirmed by a code from the app, which also
  verifies this session. With one, "Replace your authenticator app" needs a code from the current
  app, deletes it and starts enrolment again.
- `two_factor_verify` asks for a code and marks the session verified (django_otp.login), then returns
  to `next`. reviews.views.common.second_factor_redirect sends unverified review users here.

Signing out flushes the session, and with it the verification. Wrong codes are throttled by
django-otp (each failure doubles the wait: 1, 2, 4 … seconds); the page says how long to wait.
"""

from __future__ import annotations

import math
import re
from base64 import b32encode
from typing import Any

import django_otp
import segno
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from csp_portal.pages import GET_AND_POST, actor, safe_next
from partnerships.forms import PortalForm, posted
from partnerships.models import User
from reviews.terms import review_terms

DEVICE_NAME = "Authenticator app"
CODE_LABEL = "Enter the 6-digit code from your authenticator app"
WRONG_CODE = "The code is not correct or has expired: enter the code your app shows now"

# Status of a page whose code was refused because of too many wrong codes in a row.
THROTTLED_STATUS = 429


class CodeForm(PortalForm):
    """One 6-digit code; spaces are ignored ("123 456" as the app shows it)."""

    submit_label = "Continue"

    code = forms.CharField(
        label=CODE_LABEL,
        help_text="The code changes every 30 seconds",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, submit_label: str | None = None, **kwargs: Any) -> None:
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)

    def layout(self) -> Layout:
        # The Design System's code input: fixed width, letter-spaced (Field.text would drop either class).
        return Layout(Field("code", css_class="govuk-input--width-5 govuk-input--extra-letter-spacing"))

    def clean_code(self) -> str:
        code = re.sub(r"\s+", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]+", code):
            raise ValidationError("The code must be 6 digits, like 123456: numbers only")
        if len(code) != 6:
            raise ValidationError("The code must be 6 digits, like 123456")
        return code


# --- Devices ---------------------------------------------------------------------------------------


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def enrolment_device(user: User) -> TOTPDevice:
    """The person's one unconfirmed device, created on first use (and any extra from a race removed)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        pending = list(TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk"))
        if not pending:
            return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        for extra in pending[1:]:
            extra.delete()
        return pending[0]


def secret_text(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32, in groups of four ("ABCD EFGH …")."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address as an inline SVG QR code (no style attribute: the CSP forbids them)."""
    label = "QR code to scan with your authenticator app"
    svg = segno.make(device.config_url).svg_inline(scale=4, light="#fff", svgclass="app-qr-code")
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S308


def _throttled(device: TOTPDevice) -> str | None:
    """The message for a device that refuses codes for now after wrong ones, else None."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
    wait = f"{seconds} seconds" if seconds != 1 else "1 second"
    if seconds > 90:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minutes"
    return f"You have entered too many wrong codes. Wait {wait}, then enter the code your app shows."


def _check_code(request: HttpRequest, form: CodeForm, device: TOTPDevice) -> tuple[bool, int]:
    """Verify the form's code against the device (throttled by django-otp): (accepted, status if not)."""
    if not form.is_valid():
        return False, 400
    message = _throttled(device)
    if message is not None:
        form.add_error("code", message)
        return False, THROTTLED_STATUS
    if django_otp.verify_token(actor(request), device.persistent_id, form.cleaned_data["code"]) is None:
        form.add_error("code", WRONG_CODE)
        return False, 400
    return True, 200


def _mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    """The session has passed the second factor; a new session key, as on any gain of privilege."""
    request.session.cycle_key()
    django_otp.login(request, device)


def is_verified(request: HttpRequest) -> bool:
    """Whether this session passed the second factor (django-otp's OTPMiddleware adds is_verified)."""
    check = getattr(request.user, "is_verified", None)
    return bool(callable(check) and check())


def _with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


# --- Pages -----------------------------------------------------------------------------------------


def _why() -> str:
    terms = review_terms()
    return (
        f"People with access to {terms.plural} must use a second factor: a code from an authenticator app "
        f"on their phone as well as their password. {terms.title_plural} hold sensitive information about "
        "people who died and their families, so a stolen password alone must not open them."
    )


@login_required
@GET_AND_POST
def two_factor(request: HttpRequest) -> HttpResponse:
    """Status, enrolment, and replacing the app (which needs a code from the current one)."""
    user = actor(request)
    next_url = safe_next(request)
    device = confirmed_device(user)
    if device is not None:
        form = CodeForm(posted(request), submit_label="Replace your authenticator app")
        status = 200
        if request.method == "POST":
            accepted, status = _check_code(request, form, device)
            if accepted:
                with transaction.atomic():
                    TOTPDevice.objects.filter(user=user).delete()
                    TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
                messages.success(request, "Your old authenticator app no longer works. Set up the new one to finish.")
                return redirect(_with_next(reverse("two_factor"), next_url))
        context = {
            "form": form,
            "device": device,
            "why": _why(),
            "next": next_url,
            "verified": is_verified(request),
        }
        return render(request, "registration/two_factor.html", context, status=status)

    pending = enrolment_device(user)
    form = CodeForm(posted(request), submit_label="Confirm the code")
    status = 200
    if request.method == "POST":
        accepted, status = _check_code(request, form, pending)
        if accepted:
            with transaction.atomic():
                pending.refresh_from_db()
                pending.confirmed = True
                pending.created_at = timezone.now()  # "set up on": when it was confirmed
                pending.save(update_fields=["confirmed", "created_at"])
                TOTPDevice.objects.filter(user=user).exclude(pk=pending.pk).delete()
            _mark_verified(request, pending)
            messages.success(request, "Your authenticator app is set up")
            return redirect(next_url or reverse("two_factor"))
    context = {
        "form": form,
        "pending": pending,
        "secret": secret_text(pending),
        "qr_code": qr_code_svg(pending),
        "setup_uri": pending.config_url,
        "why": _why(),
        "next": next_url,
    }
    return render(request, "registration/two_factor.html", context, status=status)


@login_required
@GET_AND_POST
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code; a session that already passed sees a link on instead of the form."""
    user = actor(request)
    next_url = safe_next(request)
    device = confirmed_device(user)
    if device is None:
        return redirect(_with_next(reverse("two_factor"), next_url))
    form = CodeForm(posted(request))
    status = 200
    if request.method == "POST":
        accepted, status = _check_code(request, form, device)
        if accepted:
            _mark_verified(request, device)
            return redirect(next_url or reverse("home"))
    context = {
        "form": form,
        "why": _why(),
        "next": next_url,
        "verified": is_verified(request) and not form.is_bound,
    }
    return render(request, "registration/two_factor_verify.html", context, status=status)
