"""Every kind of response carries the security headers; personal ones are never cached."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from certificates.open_badges import add_signing_key
from kdla_portal.security_headers import PERMISSIONS_POLICY
from tests.certifications.test_file_access import reviewer, submitted_file
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_security_headers(response, *, framing: str = "DENY", page: bool = True) -> None:
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == framing
    assert "no-store" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    # django-csp writes the directives in no fixed order: compare them one by one.
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    if page:
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in policy
    else:
        # A file loads nothing and runs nothing; only the browser's own viewer page styles it.
        assert "default-src 'none'" in policy
        assert "script-src" not in policy
        assert "'unsafe-inline'" not in policy.replace("style-src 'unsafe-inline'", "")
    assert "unsafe-eval" not in policy
    ancestors = "'self'" if framing == "SAMEORIGIN" else "'none'"
    assert directives["frame-ancestors"] == ancestors


def test_it_sends_them_with_a_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_it_sends_them_with_the_transcript_and_its_csv(client):
    client.force_login(UserFactory())
    assert_security_headers(client.get(reverse("transcript")))
    response = client.get(reverse("transcript_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert_security_headers(response, page=False)


def test_it_sends_them_with_a_file_download(client):
    external_file = submitted_file()
    client.force_login(external_file.registration.user)
    response = client.get(reverse("external_file_download", args=[external_file.pk]))
    assert response.status_code == 200
    # A stored file may be framed by the portal's own preview, never by another site.
    assert_security_headers(response, framing="SAMEORIGIN", page=False)


def test_it_sends_them_with_the_review_site(client):
    client.force_login(reviewer("view_externalfile"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_it_sends_them_to_someone_signed_out(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_it_keeps_a_public_document_s_own_caching(client, settings, tmp_path):
    settings.OPEN_BADGES_KEYS = ""
    settings.OPEN_BADGES_KEY_FILE = str(tmp_path / "keys.json")
    add_signing_key(tmp_path / "keys.json")
    response = client.get(reverse("open_badges_status_list"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


SIGNED_IN_AT = datetime.datetime(2027, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_a_session_ends_after_eight_hours_without_a_request(client):
    with time_machine.travel(SIGNED_IN_AT, tick=False):
        client.force_login(UserFactory())
    with time_machine.travel(SIGNED_IN_AT + datetime.timedelta(hours=7, minutes=59), tick=False):
        assert client.get(reverse("dashboard")).status_code == 200
    last_request = SIGNED_IN_AT + datetime.timedelta(hours=7, minutes=59)
    with time_machine.travel(last_request + datetime.timedelta(hours=7, minutes=59), tick=False):
        assert client.get(reverse("dashboard")).status_code == 200  # activity kept it open
    idle_since = last_request + datetime.timedelta(hours=7, minutes=59)
    with time_machine.travel(idle_since + datetime.timedelta(hours=8, seconds=1), tick=False):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_idle_limit_is_configurable(client, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    with time_machine.travel(SIGNED_IN_AT, tick=False):
        client.force_login(UserFactory())
    with time_machine.travel(SIGNED_IN_AT + datetime.timedelta(minutes=31), tick=False):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
