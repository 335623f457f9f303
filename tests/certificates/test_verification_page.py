import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from certificates.services import certificate_revoke
from certifications.models import CredentialType
from tests.certificates.builders import approved_certificate
from tests.certificates.test_open_badges import stored_rows_and_files
from tests.factories import UserFactory
from tests.reviews.builders import renewal_credits_type, reviewer

pytestmark = pytest.mark.django_db
EASTERN = datetime.timezone(datetime.timedelta(hours=-5))
ISSUED = datetime.datetime(2026, 2, 6, 10, tzinfo=EASTERN)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate():
    person = UserFactory(first_name="Ada", last_name="Lovelace")
    with time_machine.travel(ISSUED, tick=False):
        return approved_certificate(user=person)


def verify(client, code):
    return client.get(reverse("certificate_verify", kwargs={"code": code}))


def standing_of(response) -> str:
    return response.context["standing"].label


def test_anyone_sees_a_valid_certificate_without_signing_in(client, certificate):
    with time_machine.travel(datetime.datetime(2027, 1, 1, 12, tzinfo=EASTERN)):
        response = verify(client, certificate.code)

    page = response.content.decode()
    assert response.status_code == 200
    assert standing_of(response) == "VALID"
    for expected in (
        "Ada Lovelace",
        "Part-time",
        "02/06/2026",
        "02/06/2031",
        certificate.code,
        "Kentucky Department for Libraries and Archives",
    ):
        assert expected in page


def test_it_asks_search_engines_not_to_index_it(client, certificate):
    response = verify(client, certificate.code)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (datetime.date(2030, 11, 7), "VALID"),
        (datetime.date(2030, 11, 8), "VALID – EXPIRING SOON"),
        (datetime.date(2031, 2, 6), "VALID – EXPIRING SOON"),
        (datetime.date(2031, 2, 7), "EXPIRED"),
    ],
)
def test_it_tells_when_a_certificate_is_expiring_or_expired(client, certificate, today, label):
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(12), EASTERN)):
        response = verify(client, certificate.code)
    assert response.status_code == 200
    assert standing_of(response) == label


def test_it_shows_a_revoked_certificate_with_its_date(client, certificate):
    with time_machine.travel(datetime.datetime(2027, 3, 4, 9, tzinfo=EASTERN), tick=False):
        certificate_revoke(certificate=certificate, reviewer=reviewer(), reason="Issued in error.")

    response = verify(client, certificate.code)

    assert standing_of(response) == "REVOKED"
    assert "revoked this certificate on 03/04/2027" in response.content.decode()
    # The reason is KDLA's internal record, not published.
    assert "Issued in error." not in response.content.decode()


def test_it_links_a_superseded_certificate_to_the_newer_one(client, certificate):
    renewal_credits_type()
    with time_machine.travel(datetime.datetime(2030, 12, 1, 10, tzinfo=EASTERN), tick=False):
        renewed = approved_certificate(
            user=certificate.user, kind=CredentialType.Kind.RENEWAL_APPLICATION
        )

    response = verify(client, certificate.code)

    assert standing_of(response) == "SUPERSEDED"
    assert reverse("certificate_verify", kwargs={"code": renewed.code}) in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "code", ["ABCDEFGHIJKLMNOP", "short", "ABCDEFGHIJKLMNO1", "ABCDEFGHIJKLMNOPQ", "%3Cscript%3E"]
)
def test_an_unknown_or_malformed_code_is_a_plain_not_found(client, certificate, code):
    before = stored_rows_and_files()
    response = verify(client, code)
    assert stored_rows_and_files() == before
    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()
    assert "Ada Lovelace" not in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_code_typed_in_lower_case_opens_its_page(client, certificate):
    response = verify(client, certificate.code.lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("certificate_verify", kwargs={"code": certificate.code})


def test_the_lookup_form_opens_the_page_of_the_code_typed(client, certificate):
    spaced = " ".join(certificate.code[i : i + 4] for i in range(0, 16, 4)).lower()
    response = client.get(reverse("certificate_verify_lookup"), {"code": spaced})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificate_verify", kwargs={"code": certificate.code})


@pytest.mark.parametrize("typed", ["", "not a code", "ABCD-0000-1111-OOOO"])
def test_the_lookup_form_refuses_what_cannot_be_a_code(client, typed):
    before = stored_rows_and_files()
    response = client.get(reverse("certificate_verify_lookup"), {"code": typed})
    assert stored_rows_and_files() == before
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    message = "A verification code has 16 letters" if typed else "This field is required."
    assert message in response.content.decode()
    assert response.context["form"].errors["code"]


def test_the_lookup_form_opens_empty(client):
    response = client.get(reverse("certificate_verify_lookup"))
    assert response.status_code == 200
    assert not response.context["form"].is_bound


def test_it_limits_lookups_from_one_address(client, certificate, settings):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 3
    with time_machine.travel(datetime.datetime(2027, 1, 1, 12, 0, 5, tzinfo=EASTERN), tick=False):
        statuses = [verify(client, certificate.code).status_code for _ in range(4)]
        other_address = client.get(
            reverse("certificate_verify", kwargs={"code": certificate.code}),
            REMOTE_ADDR="10.0.0.9",
        )
    with time_machine.travel(datetime.datetime(2027, 1, 1, 12, 1, 5, tzinfo=EASTERN), tick=False):
        next_minute = verify(client, certificate.code)

    assert statuses == [200, 200, 200, 429]
    assert other_address.status_code == 200
    assert next_minute.status_code == 200


def test_unknown_codes_count_toward_the_limit(client, settings):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 2
    statuses = [verify(client, f"ABCDEFGHIJKLMN{suffix}").status_code for suffix in "ABCD"]
    assert statuses == [404, 404, 429, 429]


@pytest.mark.parametrize("renewals", [0, 3])
def test_the_page_runs_a_fixed_number_of_queries(
    client, certificate, renewals, django_assert_num_queries
):
    for year in range(renewals):
        with time_machine.travel(datetime.datetime(2027 + year, 6, 1, tzinfo=EASTERN)):
            renewal_credits_type()
            approved_certificate(
                user=certificate.user, kind=CredentialType.Kind.RENEWAL_APPLICATION
            )
    with django_assert_num_queries(1):
        response = verify(client, certificate.code)
    assert response.status_code == 200
