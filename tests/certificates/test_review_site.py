import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from certificates.models import Certificate
from tests.certificates.builders import approved_certificate
from tests.factories import UserFactory
from tests.reviews.builders import reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def robin(client):
    person = reviewer(first_name="Robin", last_name="Reviewer")
    client.force_login(person)
    return person


def revoke_url(certificate):
    return reverse("admin:certificates_certificate_revoke", args=[certificate.pk])


def test_a_reviewer_finds_the_certificate_and_its_revoke_form(client, robin):
    certificate = approved_certificate()

    listing = client.get(reverse("admin:certificates_certificate_changelist"))
    page = client.get(reverse("admin:certificates_certificate_change", args=[certificate.pk]))

    assert certificate.holder_name in listing.content.decode()
    assert page.status_code == 200
    assert revoke_url(certificate) in page.content.decode()
    assert "Revoke certificate" in page.content.decode()


def test_a_reviewer_revokes_with_a_reason(client, robin):
    certificate = approved_certificate()

    response = client.post(revoke_url(certificate), {"reason": "Issued to the wrong person."})

    certificate.refresh_from_db()
    assert response.status_code == 302
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == robin
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Revoked the certificate of {certificate.holder_name}."
    ]


def test_it_refuses_a_revocation_without_a_reason(client, robin):
    certificate = approved_certificate()

    response = client.post(revoke_url(certificate), {"reason": " "})

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Write the reason for revoking this certificate."
    ]


def test_the_change_page_never_saves_the_row(client, robin):
    certificate = approved_certificate()
    response = client.post(
        reverse("admin:certificates_certificate_change", args=[certificate.pk]),
        {"holder_name": "Someone Else"},
    )
    certificate.refresh_from_db()
    assert response.status_code == 403
    assert certificate.holder_name != "Someone Else"


def test_library_staff_cannot_revoke(client):
    certificate = approved_certificate()
    client.force_login(UserFactory(is_staff=False))

    response = client.post(revoke_url(certificate), {"reason": "Mine now."})

    certificate.refresh_from_db()
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert certificate.status == Certificate.Status.VALID
