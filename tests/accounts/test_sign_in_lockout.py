"""Brute-force protection on the staff sign-in and the review-site sign-in (django-axes)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.foundation.test_deployment import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "not-the-right-password"
LOCKED_OUT_MESSAGE = (
    "Too many failed sign-in attempts. For your security, sign-in for this account is paused "
    "for 15 minutes. You can"
)
WRONG_PASSWORD_MESSAGE = "Please enter a correct email address and password"


def sign_in(client: Client, *, email: str, password: str, url: str | None = None, **headers):
    return client.post(
        url or reverse("login"), {"username": email, "password": password}, **headers
    )


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def fail_to_sign_in(client: Client, *, email: str, times: int, url: str | None = None) -> None:
    for _ in range(times):
        sign_in(client, email=email, password=WRONG_PASSWORD, url=url)


def assert_locked_out(response, client: Client) -> None:
    assert response.status_code == 429
    text = page_text(response)
    assert LOCKED_OUT_MESSAGE in text
    assert f'href="{reverse("password_reset")}"' in text
    assert "_auth_user_id" not in client.session


def test_it_shows_the_ordinary_message_before_the_limit(client):
    UserFactory(email="pat@example.org")
    for _ in range(4):
        response = sign_in(client, email="pat@example.org", password=WRONG_PASSWORD)
        assert response.status_code == 200
        assert WRONG_PASSWORD_MESSAGE in page_text(response)


def test_it_pauses_sign_in_after_five_wrong_passwords_even_with_the_right_one(client):
    UserFactory(email="pat@example.org")
    fail_to_sign_in(client, email="pat@example.org", times=5)

    response = sign_in(client, email="pat@example.org", password=PASSWORD)

    assert_locked_out(response, client)
    assert client.get(reverse("dashboard")).status_code == 302  # still signed out


def test_it_still_signs_in_another_email_from_the_same_address(client):
    UserFactory(email="pat@example.org")
    UserFactory(email="sam@example.org")
    fail_to_sign_in(client, email="pat@example.org", times=5)

    response = sign_in(client, email="sam@example.org", password=PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_it_pauses_the_review_site_sign_in_the_same_way(client):
    UserFactory(email="reviewer@example.org", is_staff=True)
    admin_login = reverse("admin:login")
    fail_to_sign_in(client, email="reviewer@example.org", times=5, url=admin_login)

    response = sign_in(client, email="reviewer@example.org", password=PASSWORD, url=admin_login)

    assert_locked_out(response, client)
    # The same email from the same address is paused on the staff sign-in too.
    assert_locked_out(sign_in(client, email="reviewer@example.org", password=PASSWORD), client)


def test_it_forgets_earlier_failures_after_a_successful_sign_in(client):
    UserFactory(email="pat@example.org")
    fail_to_sign_in(client, email="pat@example.org", times=4)
    assert sign_in(client, email="pat@example.org", password=PASSWORD).status_code == 302
    client.post(reverse("logout"))

    fail_to_sign_in(client, email="pat@example.org", times=4)
    response = sign_in(client, email="pat@example.org", password=PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_it_lets_the_person_sign_in_again_after_the_cool_off(client):
    UserFactory(email="pat@example.org")
    locked_at = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    with time_machine.travel(locked_at, tick=False):
        fail_to_sign_in(client, email="pat@example.org", times=5)
        assert_locked_out(sign_in(client, email="pat@example.org", password=PASSWORD), client)

    with time_machine.travel(locked_at + datetime.timedelta(minutes=14), tick=False):
        assert_locked_out(sign_in(client, email="pat@example.org", password=PASSWORD), client)

    # The pause runs 15 minutes from the last attempt made while paused.
    last_attempt = locked_at + datetime.timedelta(minutes=14)
    with time_machine.travel(last_attempt + datetime.timedelta(minutes=15, seconds=1), tick=False):
        response = sign_in(client, email="pat@example.org", password=PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_it_ignores_a_forged_forwarded_for_header_without_a_trusted_proxy(client):
    """By default no proxy is trusted: inventing a new address for each guess changes nothing."""
    UserFactory(email="pat@example.org")
    for number in range(15):
        response = sign_in(
            client,
            email="pat@example.org",
            password=WRONG_PASSWORD,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    assert response.status_code == 429

    response = sign_in(
        client, email="pat@example.org", password=PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99"
    )

    assert_locked_out(response, client)


def through_proxy(client_address: str, *, forged: str = "") -> dict[str, str]:
    """What one trusted proxy at 10.0.0.2 passes on: whatever the client sent, then its address."""
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": forwarded}


def test_it_pauses_the_real_client_behind_a_trusted_proxy_whatever_it_forges(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="pat@example.org")
    for number in range(5):
        sign_in(
            client,
            email="pat@example.org",
            password=WRONG_PASSWORD,
            **through_proxy("198.51.100.7", forged=f"203.0.113.{number}"),
        )

    response = sign_in(
        client,
        email="pat@example.org",
        password=PASSWORD,
        **through_proxy("198.51.100.7", forged="203.0.113.99"),
    )

    assert_locked_out(response, client)


def test_it_does_not_pause_other_clients_behind_the_same_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="pat@example.org")
    for _ in range(5):
        sign_in(
            client,
            email="pat@example.org",
            password=WRONG_PASSWORD,
            **through_proxy("198.51.100.7"),
        )

    response = sign_in(
        client, email="pat@example.org", password=PASSWORD, **through_proxy("198.51.100.8")
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


CLIENT_ADDRESS_SCRIPT = (
    "from axes.helpers import get_client_ip_address as ip\n"
    "from django.test import RequestFactory\n"
    "post = RequestFactory().post\n"
    "print(ip(post('/accounts/login/', REMOTE_ADDR='10.0.0.2',"
    " HTTP_X_FORWARDED_FOR='203.0.113.7')))\n"
    "print(ip(post('/accounts/login/', REMOTE_ADDR='10.0.0.2',"
    " HTTP_X_FORWARDED_FOR='198.51.100.1, 203.0.113.7')))\n"
    "print(ip(post('/accounts/login/', REMOTE_ADDR='10.0.0.2')))\n"
    "print(post('/', HTTP_X_FORWARDED_PROTO='https').is_secure())\n"
)


def test_it_trusts_no_forwarded_header_in_production_by_default():
    result = run_manage("shell", "--no-imports", "-c", CLIENT_ADDRESS_SCRIPT, env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == ["10.0.0.2", "10.0.0.2", "10.0.0.2", "False"]


def test_it_reads_the_client_from_the_configured_proxy_in_production():
    """Behind one trusted proxy the address it appended counts (anything left of it was written
    by the client) and its X-Forwarded-Proto says whether the connection was HTTPS."""
    env = {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "1"}
    result = run_manage("shell", "--no-imports", "-c", CLIENT_ADDRESS_SCRIPT, env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == ["203.0.113.7", "203.0.113.7", "10.0.0.2", "True"]
