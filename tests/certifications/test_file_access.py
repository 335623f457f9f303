"""Stored files are only ever streamed to their owner or to KDLA reviewers allowed to see them."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from certifications.services.uploads import registration_submit_file
from credits.services.requests import credit_request_submit
from tests.factories import UserFactory
from tests.fixtures.documents import DOCX, PDF, PDF_BYTES, docx_bytes, pdf_upload, upload
from tests.fixtures.registrations import part_time_application, renewal_credits


def submitted_file(file=None):
    registration = part_time_application()
    return registration_submit_file(
        registration=registration,
        document_type=registration.credential_type.required_document_types.get(),
        description="Signed application",
        upload=file or pdf_upload("My Application.pdf"),
        actor=registration.user,
    )


def submitted_credit_request(file=None):
    registration = renewal_credits()
    return credit_request_submit(
        user=registration.user,
        registration=registration,
        activity_date=timezone.localdate() - datetime.timedelta(days=3),
        course="Annual Summation",
        description="CE Activities",
        requested_credits=15,
        documentation=file or pdf_upload("LARs 2027.pdf"),
    )


def reviewer(*permissions: str):
    person = UserFactory(is_staff=True)
    for codename in permissions:
        person.user_permissions.add(Permission.objects.get(codename=codename))
    return person


FILE_VIEWS = [
    pytest.param(
        lambda: submitted_file(), "external_file_download", "view_externalfile", id="external-file"
    ),
    pytest.param(
        lambda: submitted_credit_request(),
        "credit_request_documentation",
        "view_creditrequest",
        id="credit-documentation",
    ),
]


def owner_of(record):
    return record.registration.user


@pytest.mark.django_db
@pytest.mark.parametrize(("make_record", "url_name", "permission"), FILE_VIEWS)
def test_it_streams_the_file_to_its_owner_as_a_download(client, make_record, url_name, permission):
    record = make_record()
    client.force_login(owner_of(record))
    response = client.get(reverse(url_name, args=[record.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_it_names_the_download_after_the_original_file(client):
    external_file = submitted_file()
    client.force_login(external_file.uploaded_by)
    response = client.get(reverse("external_file_download", args=[external_file.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="My Application.pdf"'


@pytest.mark.django_db
@pytest.mark.parametrize(("make_record", "url_name", "permission"), FILE_VIEWS)
def test_it_answers_404_to_another_person(client, make_record, url_name, permission):
    record = make_record()
    client.force_login(UserFactory())
    assert client.get(reverse(url_name, args=[record.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("make_record", "url_name", "permission"), FILE_VIEWS)
def test_it_sends_anonymous_visitors_to_sign_in(client, make_record, url_name, permission):
    record = make_record()
    url = reverse(url_name, args=[record.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize(("make_record", "url_name", "permission"), FILE_VIEWS)
def test_it_lets_a_reviewer_with_view_permission_preview_inline(
    client, make_record, url_name, permission
):
    record = make_record()
    client.force_login(reviewer(permission))
    url = reverse(url_name, args=[record.pk])
    assert client.get(url)["Content-Disposition"].startswith("attachment;")
    response = client.get(url, {"inline": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    # The review site frames the preview; everything else keeps the DENY default.
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
@pytest.mark.parametrize(("make_record", "url_name", "permission"), FILE_VIEWS)
def test_it_answers_404_to_staff_without_the_view_permission(
    client, make_record, url_name, permission
):
    record = make_record()
    client.force_login(reviewer())
    assert client.get(reverse(url_name, args=[record.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("make_record", "url_name", "permission"), FILE_VIEWS)
def test_it_answers_404_to_a_non_staff_person_holding_the_permission(
    client, make_record, url_name, permission
):
    record = make_record()
    person = UserFactory()
    person.user_permissions.add(Permission.objects.get(codename=permission))
    client.force_login(person)
    assert client.get(reverse(url_name, args=[record.pk])).status_code == 404


@pytest.mark.django_db
def test_it_never_shows_a_word_document_inline(client):
    external_file = submitted_file(upload("application.docx", docx_bytes()))
    client.force_login(reviewer("view_externalfile"))
    response = client.get(
        reverse("external_file_download", args=[external_file.pk]), {"inline": "1"}
    )
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_it_answers_404_for_a_file_that_does_not_exist(client):
    client.force_login(reviewer("view_externalfile"))
    assert client.get(reverse("external_file_download", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_it_lets_the_proxy_send_the_file_when_configured(client, settings):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = True
    record = submitted_file()
    client.force_login(owner_of(record))

    response = client.get(reverse("external_file_download", args=[record.pk]))

    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/{record.file.name}"
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_the_proxy_gets_nothing_for_someone_else_s_file(client, settings):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = True
    record = submitted_file()
    client.force_login(UserFactory())

    response = client.get(reverse("external_file_download", args=[record.pk]))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
