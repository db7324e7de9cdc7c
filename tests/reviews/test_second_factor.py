"""The second factor: review pages ask for a code from an authenticator app (partnerships/two_factor.py).

- sessions without it are sent to the verify page (with `next`), people without an app to enrolment;
- enrolment with a real TOTP code confirms the device and verifies the session; bad codes are refused
  with the field named, wrong ones are throttled;
- signing out ends the verification; replacing the app needs a code from the current one;
- people with no review role get 404 on review URLs, verified or not; `next` never leaves the site.

Time is pinned (tick=False): TOTP codes come from the device key at that instant, and django-otp
refuses a code of a time step already used, so tests move on 30 seconds before a second code.
"""

from __future__ import annotations

import html
import re
from base64 import b32encode
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.models import User
from partnerships.two_factor import CODE_LABEL, WRONG_CODE
from reviews.models import Review
from tests.conftest import Personas, sign_in

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 10, 0, 5, tzinfo=UTC)
# The RFC 6238 test key ("12345678901234567890"), in hex as django-otp stores it.
KEY = "3132333435363738393031323334353637383930"
PASSWORD = "a-long-test-password-2026"  # tests/factories.py UserFactory
# Personas with no review role anywhere (the outsider manages another CSP, so leads its reviews).
NOT_REVIEWERS = ("admin", "police_officer", "council_officer", "scrutiny", "county_member", "nobody")


@pytest.fixture
def clock(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)
    return time_machine


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's visible text, tags dropped and spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip())


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The error summary's messages, in order."""
    summary = response.content.decode().split("govuk-error-summary__list", 1)
    if len(summary) < 2:
        return []
    items = summary[1].split("</ul>", 1)[0]
    return [html.unescape(re.sub(r"\s+", " ", m).strip()) for m in re.findall(r"<a [^>]*>(.*?)</a>", items, re.S)]


def _code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for this device."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _wrong_code(device: TOTPDevice) -> str:
    """Six digits that are not the code of this time step nor of the steps either side."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    near = set()
    for offset in (-1, 0, 1):
        totp.drift = offset
        near.add(totp.token())
    return next(f"{n:06d}" for n in range(123456, 999999) if n not in near)


def _grouped(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _device(user: User, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", key=KEY, confirmed=confirmed)  # type: ignore[no-any-return]


def _verify_url(next_url: str) -> str:
    return f"{reverse('two_factor_verify')}?next={quote(next_url, safe='')}"


def _review_url(review: Review) -> str:
    return reverse("reviews:review", kwargs={"pk": review.pk})


def _verified(client) -> bool:  # type: ignore[no-untyped-def]
    return DEVICE_ID_SESSION_KEY in client.session


# --- Sessions without the second factor --------------------------------------------------------------


@pytest.mark.parametrize("name", ["reviews:list", "reviews:review"])
def test_a_review_lead_without_the_second_factor_is_sent_to_enter_a_code(client, personas: Personas, review, name):
    sign_in(client, personas.manager, second_factor=False)
    url = reverse(name, kwargs={"pk": review.pk} if name == "reviews:review" else {})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == _verify_url(url)


def test_the_verify_page_sends_someone_without_an_app_to_set_one_up_keeping_next(client, personas, review):
    sign_in(client, personas.manager, second_factor=False)
    response = client.get(_verify_url(_review_url(review)))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor')}?next={quote(_review_url(review), safe='')}"


def test_the_verify_page_asks_for_the_code_and_keeps_next(client, personas: Personas, review, clock):
    _device(personas.manager)
    sign_in(client, personas.manager, second_factor=False)
    response = client.get(_verify_url(_review_url(review)))
    assert response.status_code == 200
    text = _text(response)
    assert "Enter a code from your authenticator app" in text
    assert CODE_LABEL in text
    assert "People with access to domestic homicide reviews must use a second factor" in text
    assert f'name="next" value="{_review_url(review)}"' in response.content.decode()
    assert 'autocomplete="one-time-code"' in response.content.decode()


# --- Enrolment ---------------------------------------------------------------------------------------


def test_enrolment_shows_one_qr_code_and_the_key_as_text_and_reuses_the_same_device(client, personas, clock):
    sign_in(client, personas.manager, second_factor=False)
    response = client.get(reverse("two_factor"))
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=personas.manager)
    assert not device.confirmed
    content = response.content.decode()
    text = _text(response)
    assert "Two-factor authentication" in text
    assert "Not set up" in text
    # The QR code: an inline SVG with an accessible name and no style attribute (the CSP forbids them).
    svg = re.search(r"<svg [^>]*>", content)
    assert svg is not None
    assert 'role="img"' in svg.group(0)
    assert 'aria-label="QR code to scan with your authenticator app"' in svg.group(0)
    assert "style=" not in content
    # The key, base32 in groups of four, for those who cannot scan.
    secret = b32encode(device.bin_key).decode()
    assert len(secret) == 32
    assert _grouped(device) in text
    assert device.config_url.replace("&", "&amp;") in content
    # Coming back shows the same key: one unconfirmed device, not a new one each time.
    again = client.get(reverse("two_factor"))
    assert TOTPDevice.objects.filter(user=personas.manager).count() == 1
    assert _grouped(device) in _text(again)


def test_enrolment_with_a_real_code_confirms_the_app_and_then_the_review_opens(client, personas, review, clock):
    sign_in(client, personas.manager, second_factor=False)
    client.get(f"{reverse('two_factor')}?next={quote(_review_url(review), safe='')}")
    device = TOTPDevice.objects.get(user=personas.manager)
    session_key = client.session.session_key
    response = client.post(reverse("two_factor"), {"code": _code(device), "next": _review_url(review)})
    assert response.status_code == 302
    assert response["Location"] == _review_url(review)
    device.refresh_from_db()
    assert device.confirmed
    assert _verified(client)
    assert client.session.session_key != session_key  # a new session key on passing the second factor
    assert client.get(_review_url(review)).status_code == 200
    assert client.get(reverse("reviews:list")).status_code == 200


def test_enrolment_without_next_comes_back_with_a_banner_and_the_status(client, personas, clock):
    sign_in(client, personas.manager, second_factor=False)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=personas.manager)
    response = client.post(reverse("two_factor"), {"code": _code(device)[:3] + " " + _code(device)[3:]}, follow=True)
    assert response.redirect_chain == [(reverse("two_factor"), 302)]
    text = _text(response)
    assert "Your authenticator app is set up" in text
    assert "Set up on 4 May 2026" in text
    assert "Code entered" in text
    assert "Replace your authenticator app" in text
    # Once confirmed, the key is never shown again.
    assert _grouped(device) not in text


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("   ", "Enter the 6-digit code from your authenticator app"),
        ("12345", "The code must be 6 digits, like 123456"),
        ("1234567", "The code must be 6 digits, like 123456"),
        ("12a456", "The code must be 6 digits, like 123456: numbers only"),
        ("abcdef", "The code must be 6 digits, like 123456: numbers only"),
        ("wrong", WRONG_CODE),
    ],
)
def test_enrolment_refuses_bad_codes_naming_the_field(client, personas, review, clock, code, message):
    sign_in(client, personas.manager, second_factor=False)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=personas.manager)
    response = client.post(reverse("two_factor"), {"code": _wrong_code(device) if code == "wrong" else code})
    assert response.status_code == 400
    assert _errors(response) == [message]
    assert 'href="#id_code"' in response.content.decode()
    assert _text(response).startswith("Error:")
    device.refresh_from_db()
    assert not device.confirmed
    assert not _verified(client)
    assert client.get(_review_url(review))["Location"] == _verify_url(_review_url(review))


# --- Verifying a session -----------------------------------------------------------------------------


def test_a_code_from_the_app_verifies_the_session_and_returns_to_next(client, personas, review, clock):
    device = _device(personas.manager)
    sign_in(client, personas.manager, second_factor=False)
    response = client.post(reverse("two_factor_verify"), {"code": _code(device), "next": _review_url(review)})
    assert response.status_code == 302
    assert response["Location"] == _review_url(review)
    assert client.get(_review_url(review)).status_code == 200


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "The code must be 6 digits, like 123456"),
        ("12 34 5x", "The code must be 6 digits, like 123456: numbers only"),
        ("wrong", WRONG_CODE),
    ],
)
def test_the_verify_page_refuses_bad_codes_and_does_not_verify(client, personas, review, clock, code, message):
    device = _device(personas.manager)
    sign_in(client, personas.manager, second_factor=False)
    response = client.post(
        reverse("two_factor_verify"),
        {"code": _wrong_code(device) if code == "wrong" else code, "next": _review_url(review)},
    )
    assert response.status_code == 400
    assert _errors(response) == [message]
    assert f'name="next" value="{_review_url(review)}"' in response.content.decode()
    assert not _verified(client)
    assert client.get(_review_url(review)).status_code == 302


def test_after_a_wrong_code_the_app_is_throttled_with_a_clear_message(client, personas, review, clock):
    device = _device(personas.manager)
    sign_in(client, personas.manager, second_factor=False)
    client.post(reverse("two_factor_verify"), {"code": _wrong_code(device)})
    # At once, even the right code is refused: django-otp makes people wait 1, 2, 4 … seconds.
    response = client.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert response.status_code == 429
    assert _errors(response) == [
        "You have entered too many wrong codes. Wait 1 second, then enter the code your app shows."
    ]
    assert not _verified(client)
    clock.shift(2)
    response = client.post(reverse("two_factor_verify"), {"code": _code(device), "next": _review_url(review)})
    assert response["Location"] == _review_url(review)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_throttle_message_counts_in_minutes_after_many_wrong_codes(client, personas, clock):
    device = _device(personas.manager)
    device.throttling_failure_count = 9  # the next wait: 2 ** 8 = 256 seconds
    device.throttling_failure_timestamp = NOW
    device.save()
    sign_in(client, personas.manager, second_factor=False)
    response = client.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert response.status_code == 429
    assert "Wait 5 minutes" in _errors(response)[0]


def test_a_verified_session_opens_the_review_and_the_verify_page_just_links_on(client, personas, review):
    sign_in(client, personas.manager)
    assert client.get(_review_url(review)).status_code == 200
    response = client.get(_verify_url(_review_url(review)))
    assert response.status_code == 200
    assert "You have already entered a code in this session" in _text(response)
    assert f'href="{_review_url(review)}"' in response.content.decode()
    assert 'name="code"' not in response.content.decode()


def test_signing_out_ends_the_verification_and_signing_in_again_asks_for_the_code(client, personas, review, clock):
    device = _device(personas.manager)
    sign_in(client, personas.manager, second_factor=False)
    client.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert client.get(_review_url(review)).status_code == 200

    assert client.post(reverse("logout")).status_code == 302
    assert not _verified(client)
    signed_in = client.post(reverse("login"), {"username": personas.manager.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get(_review_url(review))["Location"] == _verify_url(_review_url(review))

    # The code just used is refused (one use per time step); the next one works.
    reused = client.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert reused.status_code == 400
    clock.shift(35)
    client.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert client.get(_review_url(review)).status_code == 200


# --- Replacing the app -------------------------------------------------------------------------------


def test_the_status_page_of_someone_with_an_app_offers_to_replace_it(client, personas, clock):
    _device(personas.manager)
    sign_in(client, personas.manager, second_factor=False)
    response = client.get(reverse("two_factor"))
    assert response.status_code == 200
    text = _text(response)
    assert "Set up on 4 May 2026" in text
    assert "No code entered yet" in text
    assert "Enter a code from your app to open domestic homicide reviews" in text
    assert "<svg" not in response.content.decode()


@pytest.mark.parametrize("code", ["", "12345", "wrong"])
def test_replacing_the_app_needs_a_valid_code_from_the_current_one(client, personas, clock, code):
    device = _device(personas.manager)
    sign_in(client, personas.manager)
    response = client.post(reverse("two_factor"), {"code": _wrong_code(device) if code == "wrong" else code})
    assert response.status_code == 400
    assert len(_errors(response)) == 1
    assert list(TOTPDevice.objects.filter(user=personas.manager)) == [device]
    device.refresh_from_db()
    assert device.confirmed
    assert device.key == KEY


def test_replacing_the_app_with_a_valid_code_starts_enrolment_again(client, personas, review, clock):
    device = _device(personas.manager)
    sign_in(client, personas.manager)
    response = client.post(reverse("two_factor"), {"code": _code(device)}, follow=True)
    assert response.redirect_chain == [(reverse("two_factor"), 302)]
    assert "Your old authenticator app no longer works" in _text(response)
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    new = TOTPDevice.objects.get(user=personas.manager)
    assert not new.confirmed
    assert new.key != KEY
    assert _grouped(new) in _text(response)
    # The old app's verification went with it: the review asks again, and there is no app to ask.
    assert client.get(_review_url(review))["Location"] == _verify_url(_review_url(review))
    clock.shift(35)
    client.post(reverse("two_factor"), {"code": _code(new)})
    new.refresh_from_db()
    assert new.confirmed
    assert client.get(_review_url(review)).status_code == 200


# --- People without a review role, and `next` ------------------------------------------------------------


@pytest.mark.parametrize("second_factor", [True, False])
@pytest.mark.parametrize("role", NOT_REVIEWERS)
def test_people_without_a_review_role_get_404_verified_or_not(client, personas, review, role, second_factor):
    sign_in(client, personas.by_role(role), second_factor=second_factor)
    for url in (reverse("reviews:list"), _review_url(review), reverse("reviews:panel", kwargs={"pk": review.pk})):
        assert client.get(url).status_code == 404, url


def test_another_csps_review_lead_learns_nothing_verified_or_not(client, personas, review):
    # Unverified, they are asked for the code alike for this review and for an id that does not exist.
    sign_in(client, personas.outsider, second_factor=False)
    made_up = reverse("reviews:review", kwargs={"pk": review.pk + 1000})
    assert client.get(_review_url(review))["Location"] == _verify_url(_review_url(review))
    assert client.get(made_up)["Location"] == _verify_url(made_up)
    sign_in(client, personas.outsider)
    assert client.get(_review_url(review)).status_code == 404
    assert client.get(made_up).status_code == 404
    assert "DHR 2026/01" not in client.get(reverse("reviews:list")).content.decode()


def test_a_panel_member_without_the_second_factor_is_asked_for_it(client, personas, review, reviewer):
    sign_in(client, reviewer, second_factor=False)
    assert client.get(_review_url(review))["Location"] == _verify_url(_review_url(review))


@pytest.mark.parametrize("evil", ["https://evil.example", "//evil.example/", "https://evil.example/reviews/"])
def test_next_pointing_off_the_site_is_ignored(client, personas, clock, evil):
    device = _device(personas.manager)
    sign_in(client, personas.manager, second_factor=False)
    page = client.get(f"{reverse('two_factor_verify')}?next={quote(evil, safe='')}")
    assert "evil.example" not in page.content.decode()
    response = client.post(f"{reverse('two_factor_verify')}?next={quote(evil, safe='')}", {"code": _code(device)})
    assert response["Location"] == reverse("home")
    assert _verified(client)


def test_next_pointing_off_the_site_is_ignored_by_enrolment_too(client, personas, clock):
    sign_in(client, personas.nobody, second_factor=False)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=personas.nobody)
    response = client.post(reverse("two_factor"), {"code": _code(device), "next": "https://evil.example"})
    assert response["Location"] == reverse("two_factor")
    no_app = client.get(f"{reverse('two_factor_verify')}?next=https://evil.example")
    assert no_app.status_code == 200  # has an app now: the page (already verified), no redirect off the site
    assert "evil.example" not in no_app.content.decode()


def test_anonymous_people_are_sent_to_sign_in(client):
    for name in ("two_factor", "two_factor_verify"):
        response = client.get(reverse(name))
        assert response["Location"] == f"{reverse('login')}?next={reverse(name)}"


# --- Navigation --------------------------------------------------------------------------------------


def _nav(response) -> list[str]:  # type: ignore[no-untyped-def]
    nav = response.content.decode().split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m)).strip())
        for m in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)
    ]


@pytest.mark.parametrize(
    ("role", "shown"), [("manager", True), ("chair", True), ("outsider", True), *((r, False) for r in NOT_REVIEWERS)]
)
def test_the_menu_shows_reviews_only_to_people_who_may_open_one(client, personas, review, role, shown):
    sign_in(client, personas.by_role(role))
    items = _nav(client.get(reverse("home")))
    assert ("Domestic homicide reviews" in items) is shown
    if shown:
        assert f'href="{reverse("reviews:list")}"' in client.get(reverse("home")).content.decode()


def test_the_menu_shows_reviews_to_a_panel_member_and_uses_the_configured_term(client, personas, review, reviewer):
    sign_in(client, reviewer)
    assert "Domestic homicide reviews" in _nav(client.get(reverse("home")))
    with override_settings(REVIEW_TERM="dardr"):
        items = _nav(client.get(reverse("home")))
    assert "Domestic abuse related death reviews" in items
    page = client.get(reverse("reviews:list"))
    assert 'aria-current="page"' in page.content.decode().split('id="navigation"', 1)[1].split("</ul>", 1)[0]
