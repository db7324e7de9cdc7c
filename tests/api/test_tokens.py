"""Personal API tokens: made on the "API tokens" page with a name and an expiry, shown once and stored only as a
digest, listed with when they were made, last used and expire, revoked at once; an expired or revoked token,
or one of a switched-off account, is a 401. Reviews need the second factor, for sessions and for tokens.
The rate limit is per token (per person for sessions): 429 with Retry-After."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from knox.crypto import hash_token
from rest_framework.test import APIClient

from partnerships.models import ApiToken
from tests.api.conftest import API, World, make_token, token_client
from tests.conftest import Personas, sign_in

pytestmark = pytest.mark.django_db

PAGE = "/accounts/api-tokens/"


def _make_on_page(client: Any, name: str = "Power BI dashboard", days: str = "90") -> tuple[Any, str]:
    response = client.post(PAGE, {"name": name, "days": days})
    assert response.status_code == 200, response.content
    secret = response.context["created"]["secret"]
    return response, secret


def test_a_token_made_on_the_page_is_shown_once_and_stored_as_a_digest(client, personas: Personas) -> None:
    sign_in(client, personas.police_officer, second_factor=False)
    response, secret = _make_on_page(client)
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=personas.police_officer)
    assert token.name == "Power BI dashboard"
    assert token.digest == hash_token(secret)
    assert secret not in {token.digest, token.token_key, str(token.uid), token.name}
    assert secret.startswith(token.token_key)
    assert token.expiry is not None
    assert timedelta(days=89) < token.expiry - timezone.now() <= timedelta(days=90)
    assert token.reviews is False
    # The page again lists it, without the token.
    listing = client.get(PAGE)
    assert secret not in listing.content.decode()
    assert "Power BI dashboard" in listing.content.decode()
    assert "Never" in listing.content.decode()  # not used yet
    # And it works.
    assert token_client(secret).get(f"{API}actions/").status_code == 200


def test_the_page_refuses_a_token_without_a_name_or_expiry(client, personas: Personas) -> None:
    sign_in(client, personas.police_officer, second_factor=False)
    response = client.post(PAGE, {"name": "  ", "days": "7"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "days"}
    assert not ApiToken.objects.exists()


def test_a_person_has_at_most_ten_tokens(client, personas: Personas) -> None:
    sign_in(client, personas.police_officer, second_factor=False)
    for number in range(10):
        make_token(personas.police_officer, name=f"Token {number}")
    response = client.post(PAGE, {"name": "Eleventh", "days": "30"})
    assert response.status_code == 400
    assert "revoke one" in response.content.decode()
    assert ApiToken.objects.filter(user=personas.police_officer).count() == 10


def test_last_use_is_recorded(personas: Personas) -> None:
    secret = make_token(personas.scrutiny)
    token = ApiToken.objects.get(user=personas.scrutiny)
    assert token.last_used_at is None
    token_client(secret).get(f"{API}partnerships/")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


def test_revoking_a_token_stops_it_at_once(client, personas: Personas) -> None:
    sign_in(client, personas.manager)
    _response, secret = _make_on_page(client)
    api = token_client(secret)
    assert api.get(f"{API}actions/").status_code == 200
    token = ApiToken.objects.get(user=personas.manager)
    confirm = client.get(f"{PAGE}{token.uid}/revoke/")
    assert confirm.status_code == 200
    assert "Revoke the token Power BI dashboard?" in confirm.content.decode()
    response = client.post(f"{PAGE}{token.uid}/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    refused = api.get(f"{API}actions/")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"


def test_nobody_else_may_revoke_a_persons_token(client, personas: Personas) -> None:
    make_token(personas.manager)
    token = ApiToken.objects.get(user=personas.manager)
    sign_in(client, personas.chair)
    assert client.get(f"{PAGE}{token.uid}/revoke/").status_code == 404
    assert client.post(f"{PAGE}{token.uid}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_an_expired_token_is_refused(personas: Personas) -> None:
    secret = make_token(personas.manager, days=30)
    api = token_client(secret)
    assert api.get(f"{API}partnerships/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert api.get(f"{API}partnerships/").status_code == 401
    assert not ApiToken.objects.exists()  # knox deletes it


def test_a_switched_off_accounts_token_is_refused(personas: Personas) -> None:
    secret = make_token(personas.manager)
    personas.manager.is_active = False
    personas.manager.save()
    assert token_client(secret).get(f"{API}partnerships/").status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token abc def", "Token not-a-token", "Bearer abc"])
def test_malformed_or_unknown_tokens_are_refused(personas: Personas, header: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(f"{API}partnerships/").status_code == 401


# --- Reviews: the second factor, for sessions and for tokens -----------------------------------------------------


def test_someone_with_review_access_enters_a_code_before_making_a_token(client, personas: Personas) -> None:
    sign_in(client, personas.manager, second_factor=False)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/verify/?next=")
    assert client.post(PAGE, {"name": "x", "days": "30"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_a_token_made_after_the_second_factor_reaches_the_reviews_its_owner_may_open(client, world: World) -> None:
    sign_in(client, world.personas.chair)
    _response, secret = _make_on_page(client)
    assert ApiToken.objects.get(user=world.personas.chair, name="Power BI dashboard").reviews is True
    api = token_client(secret)
    assert api.get(f"{API}reviews/").json()["count"] == 1
    assert api.get(f"{API}reviews/{world.review.pk}/").status_code == 200


def test_a_token_made_before_its_owner_had_review_access_never_reaches_reviews(world: World) -> None:
    secret = make_token(world.personas.manager, reviews=False)
    api = token_client(secret)
    assert api.get(f"{API}reviews/").status_code == 404
    assert api.get(f"{API}reviews/{world.review.pk}/").status_code == 404
    assert api.get(f"{API}recommendations/{world.recommendation.pk}/").status_code == 404
    assert api.get(f"{API}actions/").status_code == 200  # everything else as before


def test_a_session_opens_reviews_only_after_the_second_factor(world: World) -> None:
    unverified = APIClient()
    sign_in(unverified, world.personas.manager, second_factor=False)
    response = unverified.get(f"{API}reviews/")
    assert response.status_code == 403
    assert "authenticator app" in response.json()["detail"]
    verified = APIClient()
    sign_in(verified, world.personas.manager)
    assert verified.get(f"{API}reviews/").status_code == 200
    # People without a review role are told nothing, second factor or not.
    officer = APIClient()
    sign_in(officer, world.personas.police_officer, second_factor=False)
    assert officer.get(f"{API}reviews/").status_code == 404


def test_opening_a_review_through_the_api_is_in_its_access_log(world: World) -> None:
    world.client("manager").get(f"{API}reviews/{world.review.pk}/")
    world.client("chair").get(f"{API}recommendations/{world.recommendation.pk}/")
    log = list(world.review.access_log.values_list("person__email", "page").order_by("at", "pk"))
    assert log == [
        ("manager@example.org", f"{API}reviews/{world.review.pk}/"),
        ("chair@example.org", f"{API}recommendations/{world.recommendation.pk}/"),
    ]


def test_a_review_is_sent_without_pseudonyms_or_case_details(world: World) -> None:
    body = world.client("manager").get(f"{API}reviews/{world.review.pk}/").json()
    text = str(body)
    assert world.review.victim_pseudonym not in text
    assert world.review.perpetrator_pseudonym not in text
    assert "date_of_death" not in body
    assert body["reference"] == "DHR 2026/01"
    assert body["stage"] == "scoping"
    assert body["deadlines"][0]["label"] == "Decision whether to hold a review"


# --- Rate limits ----------------------------------------------------------------------------------------------------


def _rates(settings: Any, **rates: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "token": "1000/minute",
            "session": "1000/minute",
            "anonymous": "1000/minute",
            **rates,
        },
    }


def test_each_token_has_its_own_rate_limit(personas: Personas, settings: Any) -> None:
    _rates(settings, token="3/minute")
    first, second = token_client(make_token(personas.manager)), token_client(make_token(personas.manager))
    assert [first.get(f"{API}partnerships/").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get(f"{API}partnerships/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()
    # Another token of the same person has its own allowance.
    assert second.get(f"{API}partnerships/").status_code == 200


def test_a_sessions_rate_limit_is_per_person(personas: Personas, settings: Any) -> None:
    _rates(settings, session="2/minute")
    one, two = APIClient(), APIClient()
    sign_in(one, personas.chair)
    sign_in(two, personas.chair)
    assert one.get(f"{API}partnerships/").status_code == 200
    assert two.get(f"{API}partnerships/").status_code == 200
    assert one.get(f"{API}partnerships/").status_code == 429
    other = APIClient()
    sign_in(other, personas.scrutiny)
    assert other.get(f"{API}partnerships/").status_code == 200
