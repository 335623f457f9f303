import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from tests.certificates.builders import approved_certificate, pdf_qr_codes, pdf_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
EASTERN = datetime.timezone(datetime.timedelta(hours=-5))


@pytest.fixture
def certificate():
    person = UserFactory(first_name="Ada", last_name="Lovelace")
    with time_machine.travel(datetime.datetime(2026, 2, 6, 10, tzinfo=EASTERN), tick=False):
        return approved_certificate(user=person)


def download(client, certificate):
    return client.get(reverse("certificate_pdf_download", kwargs={"pk": certificate.pk}))


def test_the_owner_downloads_the_pdf_from_the_dashboard(client, certificate):
    client.force_login(certificate.user)

    dashboard = client.get(reverse("dashboard")).content.decode()
    response = download(client, certificate)

    assert reverse("certificate_pdf_download", kwargs={"pk": certificate.pk}) in dashboard
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")


def test_the_pdf_carries_the_name_level_dates_code_and_issuer(client, certificate):
    client.force_login(certificate.user)
    text = pdf_text(download(client, certificate).content)

    for expected in (
        "Ada Lovelace",
        "Part-time",
        "02/06/2026",
        "02/06/2031",
        certificate.code,
        "KENTUCKY DEPARTMENT FOR LIBRARIES AND ARCHIVES",
    ):
        assert expected in text


def test_the_pdf_is_letter_landscape_and_tagged_for_screen_readers(client, certificate):
    client.force_login(certificate.user)
    reader = PdfReader(io.BytesIO(download(client, certificate).content))

    [page] = reader.pages
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (792, 612)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    assert "Ada Lovelace" in reader.metadata.title


def test_its_qr_code_opens_the_verification_page(client, certificate):
    client.force_login(certificate.user)

    codes = pdf_qr_codes(download(client, certificate).content)

    assert codes == [f"http://portal.test/verify/{certificate.code}/"]


def test_another_person_gets_not_found(client, certificate):
    client.force_login(UserFactory())
    assert download(client, certificate).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, certificate):
    response = download(client, certificate)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
