"""Required-file uploads: the External Files page, Add new file, and the rules behind them."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DataError
from django.urls import reverse
from PIL import Image

from certifications.models import ExternalFile, Registration
from certifications.services.uploads import registration_submit_file
from tests.factories import DocumentTypeFactory, UserFactory, recorded_reviewer
from tests.fixtures.documents import (
    DOCX,
    ELF_PROGRAM_BYTES,
    JPEG,
    JPEG_BYTES,
    PDF,
    PDF_BYTES,
    PNG,
    PNG_BYTES,
    WINDOWS_PROGRAM_BYTES,
    docx_bytes,
    pdf_upload,
    upload,
)
from tests.fixtures.registrations import PART_TIME_APPLICATION, part_time_application, stored_files

KENTUCKY = ZoneInfo("America/New_York")


def add_file_url(registration: Registration) -> str:
    return reverse("external_file_add", args=[registration.pk])


def add_file_form(registration: Registration, file, **overrides) -> dict:
    document_type = registration.credential_type.required_document_types.get()
    form = {"document_type": document_type.pk, "description": "Signed application", "upload": file}
    form.update(overrides)
    return form


def assert_nothing_stored() -> None:
    assert ExternalFile.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("application.pdf", PDF_BYTES, PDF),
        ("application.docx", docx_bytes(), DOCX),
        ("application.jpg", JPEG_BYTES, JPEG),
        ("application.png", PNG_BYTES, PNG),
    ],
)
def test_it_accepts_each_document_type_and_stores_what_it_is(client, name, content, content_type):
    registration = part_time_application()
    client.force_login(registration.user)
    # The browser's declared type is ignored: the stored type comes from the content.
    response = client.post(
        add_file_url(registration), add_file_form(registration, upload(name, content))
    )
    assert response.status_code == 302
    assert response.url == reverse("registration_files", args=[registration.pk])
    external_file = ExternalFile.objects.get()
    assert external_file.original_name == name
    assert external_file.content_type == content_type
    assert external_file.status == ExternalFile.Status.PENDING
    assert external_file.uploaded_by == registration.user
    assert external_file.file.name.startswith("external-files/")
    assert name not in external_file.file.name  # stored under a name nobody can guess
    [stored] = stored_files()
    assert external_file.size == stored.stat().st_size
    if content_type.startswith("image/"):
        # Pictures are stored re-encoded (without their metadata): the same pixels.
        with Image.open(stored) as kept, Image.open(io.BytesIO(content)) as sent:
            assert (kept.format, kept.size) == (sent.format, sent.size)
    else:
        assert stored.read_bytes() == content


@pytest.mark.django_db
def test_it_marks_the_registration_pending_review_once_every_required_file_is_in(client):
    registration = part_time_application()
    client.force_login(registration.user)
    client.post(add_file_url(registration), add_file_form(registration, pdf_upload()))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING_REVIEW
    assert registration.history.first().history_user == registration.user


@pytest.mark.django_db
def test_it_waits_for_every_required_document_type_before_review():
    first = DocumentTypeFactory(name="Application form")
    second = DocumentTypeFactory(name="Director's letter")
    registration = part_time_application(document_types=[first, second])
    registration_submit_file(
        registration=registration,
        document_type=first,
        description="Form",
        upload=pdf_upload(),
        actor=registration.user,
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACTIVE
    registration_submit_file(
        registration=registration,
        document_type=second,
        description="Letter",
        upload=pdf_upload("letter.pdf"),
        actor=registration.user,
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING_REVIEW


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("application.pdf", ELF_PROGRAM_BYTES, "is not a PDF, Word document or image"),
        ("application.pdf", WINDOWS_PROGRAM_BYTES, "is not a PDF, Word document or image"),
        ("application.pdf", PNG_BYTES, "does not match its content (it is a PNG file)"),
        ("application.pdf", b"", "is empty. Choose the completed file."),
        ("notes.txt", b"Plain text is not accepted.", "is not a PDF, Word document or image"),
    ],
    ids=["elf-program", "windows-program", "png-renamed", "empty", "text"],
)
def test_it_refuses_a_file_that_is_not_an_accepted_document(client, name, content, message):
    registration = part_time_application()
    client.force_login(registration.user)
    response = client.post(
        add_file_url(registration), add_file_form(registration, upload(name, content, PDF))
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert_nothing_stored()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACTIVE


@pytest.mark.django_db
def test_a_refused_type_lists_the_accepted_types_once_near_the_field(client):
    registration = part_time_application()
    client.force_login(registration.user)
    response = client.post(
        add_file_url(registration),
        add_file_form(registration, upload("notes.txt", b"Plain text is not accepted.", PDF)),
    )
    page = response.content.decode()
    # Once in the field's error and once in the error summary; the help line is left out.
    assert page.count("The following document types are accepted:") == 2
    assert "id_upload_helptext" not in page  # nor in aria-describedby
    assert "Choose the file again" not in page  # the file itself was refused
    assert_nothing_stored()


@pytest.mark.django_db
def test_a_refusal_elsewhere_on_the_form_says_the_chosen_file_was_not_kept(client):
    registration = part_time_application()
    client.force_login(registration.user)
    response = client.post(
        add_file_url(registration),
        add_file_form(registration, pdf_upload("my-application.pdf"), description=""),
    )
    assert response.status_code == 200
    choose_again = (
        "Choose the file again: “my-application.pdf” was not kept because the form was refused."
    )
    assert response.context["form"].errors["upload"] == [choose_again]
    page = response.content.decode()
    assert f"File: {choose_again}" in page  # the error summary
    assert 'id="id_upload_helptext"' in page  # the accepted types, still shown once
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_refuses_a_file_over_the_size_limit(client, settings):
    settings.UPLOAD_MAX_BYTES = 100
    registration = part_time_application()
    client.force_login(registration.user)
    big = upload("application.pdf", PDF_BYTES + b"%" * 200, PDF)
    response = client.post(add_file_url(registration), add_file_form(registration, big))
    assert "the largest file accepted is 100\xa0bytes" in response.content.decode()
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_refuses_a_post_without_a_file(client):
    registration = part_time_application()
    client.force_login(registration.user)
    form = add_file_form(registration, None)
    del form["upload"]
    response = client.post(add_file_url(registration), form)
    assert "Choose a file to upload." in response.content.decode()
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_refuses_a_document_type_the_credential_does_not_require(client):
    registration = part_time_application()
    other_type = DocumentTypeFactory(name="Application for Certification of Public Library Staff")
    client.force_login(registration.user)
    response = client.post(
        add_file_url(registration),
        add_file_form(registration, pdf_upload(), document_type=other_type.pk),
    )
    assert "Select a valid choice" in response.content.decode()
    assert_nothing_stored()
    with pytest.raises(ValidationError) as refusal:
        registration_submit_file(
            registration=registration,
            document_type=other_type,
            description="Wrong form",
            upload=pdf_upload(),
            actor=registration.user,
        )
    assert refusal.value.message_dict["document_type"] == [
        "Initial Part Time Certification does not require “Application for Certification of "
        "Public Library Staff”. Choose “Application for Certification of Part-Time Library "
        "Staff”."
    ]
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_answers_404_for_another_persons_registration(client):
    registration = part_time_application()
    client.force_login(UserFactory())
    assert client.get(reverse("registration_files", args=[registration.pk])).status_code == 404
    assert client.get(add_file_url(registration)).status_code == 404
    response = client.post(add_file_url(registration), add_file_form(registration, pdf_upload()))
    assert response.status_code == 404
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_refuses_a_file_for_another_persons_registration_in_the_service():
    registration = part_time_application()
    with pytest.raises(ValidationError, match="not found among your registrations"):
        registration_submit_file(
            registration=registration,
            document_type=registration.credential_type.required_document_types.get(),
            description="Not mine",
            upload=pdf_upload(),
            actor=UserFactory(),
        )
    assert_nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Registration.Status.PENDING_REVIEW, "Your file is awaiting KDLA review"),
        (Registration.Status.COMPLETED, "Initial Part Time Certification is COMPLETED"),
        (Registration.Status.LAPSED, "Initial Part Time Certification lapsed"),
    ],
)
def test_it_refuses_a_file_when_the_registration_is_not_active(client, status, message):
    registration = part_time_application(status=status)
    client.force_login(registration.user)
    page = client.get(add_file_url(registration)).content.decode()
    assert message in page
    assert 'type="file"' not in page
    response = client.post(add_file_url(registration), add_file_form(registration, pdf_upload()))
    assert message in response.content.decode()
    assert_nothing_stored()
    with pytest.raises(ValidationError, match=message):
        registration_submit_file(
            registration=registration,
            document_type=registration.credential_type.required_document_types.get(),
            description="Late",
            upload=pdf_upload(),
            actor=registration.user,
        )
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_refuses_a_second_file_while_the_first_awaits_review(client):
    registration = part_time_application()
    client.force_login(registration.user)
    client.post(add_file_url(registration), add_file_form(registration, pdf_upload()))
    response = client.post(
        add_file_url(registration), add_file_form(registration, pdf_upload("again.pdf"))
    )
    assert "Your file is awaiting KDLA review" in response.content.decode()
    assert ExternalFile.objects.count() == 1
    assert len(stored_files()) == 1


@pytest.mark.django_db
def test_it_accepts_a_file_on_day_30_until_midnight(client):
    with time_machine.travel(datetime.datetime(2027, 2, 8, 9, 0, tzinfo=KENTUCKY), tick=False):
        registration = part_time_application()
    assert registration.upload_due_on == datetime.date(2027, 3, 10)
    with time_machine.travel(datetime.datetime(2027, 3, 10, 23, 59, tzinfo=KENTUCKY), tick=False):
        client.force_login(registration.user)
        page = client.get(reverse("registration_files", args=[registration.pk]))
        assert "today is the last day" in page.content.decode()
        response = client.post(
            add_file_url(registration), add_file_form(registration, pdf_upload())
        )
    assert response.status_code == 302
    assert ExternalFile.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_a_file_on_day_31_with_the_date_the_window_closed(client):
    with time_machine.travel(datetime.datetime(2027, 2, 8, 9, 0, tzinfo=KENTUCKY), tick=False):
        registration = part_time_application()
    message = "The 30-day upload window for Initial Part Time Certification closed on 03/10/2027."
    with time_machine.travel(datetime.datetime(2027, 3, 11, 0, 1, tzinfo=KENTUCKY), tick=False):
        client.force_login(registration.user)
        page = client.get(add_file_url(registration)).content.decode()
        assert message in page
        assert "<form" not in page.split('id="main"')[1]
        files_page = client.get(reverse("registration_files", args=[registration.pk]))
        assert message in files_page.content.decode()
        assert "Add new file" not in files_page.content.decode()
        response = client.post(
            add_file_url(registration), add_file_form(registration, pdf_upload())
        )
        assert message in response.content.decode()
        with pytest.raises(ValidationError, match=message):
            registration_submit_file(
                registration=registration,
                document_type=registration.credential_type.required_document_types.get(),
                description="Late",
                upload=pdf_upload(),
                actor=registration.user,
            )
    assert_nothing_stored()


@pytest.mark.django_db
def test_the_add_new_file_page_uses_the_agencys_words(client):
    registration = part_time_application()
    client.force_login(registration.user)
    page = client.get(add_file_url(registration)).content.decode()
    assert "Fill all information below and submit your file" in page
    assert 'enctype="multipart/form-data"' in page
    assert "csrfmiddlewaretoken" in page
    assert '<option value="" selected>Select…</option>' in page
    assert PART_TIME_APPLICATION in page
    assert "Enter a short description of the file you are uploading." in page
    assert page.count("The following document types are accepted: PDF, Word, .jpg, .png") == 1
    assert 'accept=".pdf,.doc,.docx,.jpg,.jpeg,.png,' in page
    assert ">Submit</button>" in page
    assert ">Close</a>" in page


@pytest.mark.django_db
def test_the_external_files_page_lists_requirements_window_and_files(client):
    with time_machine.travel(datetime.datetime(2027, 2, 8, 9, 0, tzinfo=KENTUCKY), tick=False):
        registration = part_time_application()
        document_type = registration.credential_type.required_document_types.get()
        document_type.blank_form.save("blank.pdf", pdf_upload("blank.pdf"))
    with time_machine.travel(datetime.datetime(2027, 2, 18, 12, 0, tzinfo=KENTUCKY), tick=False):
        client.force_login(registration.user)
        page = client.get(reverse("registration_files", args=[registration.pk])).content.decode()
    assert "<h1" in page and "External Files</h1>" in page
    assert "Initial Part Time Certification" in page
    assert "02/08/2027 – 04/09/2027" in page
    blank_form_url = reverse("document_type_blank_form", args=[document_type.pk])
    # The how-to: "You can download the required file".
    assert (
        f"{PART_TIME_APPLICATION}. You can download the required file: "
        f'<a href="{blank_form_url}" download>Download the blank form'
    ) in page
    with time_machine.travel(datetime.datetime(2027, 2, 18, 12, 0, tzinfo=KENTUCKY), tick=False):
        download = client.get(blank_form_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "Upload by <strong>03/10/2027</strong>" in page
    assert "20 days left of the 30" in page
    assert reverse("external_file_add", args=[registration.pk]) in page
    assert "No files uploaded yet." in page


@pytest.mark.django_db
def test_the_external_files_page_offers_no_download_without_a_blank_form(client):
    registration = part_time_application()
    client.force_login(registration.user)
    page = client.get(reverse("registration_files", args=[registration.pk])).content.decode()
    assert PART_TIME_APPLICATION in page
    assert "You can download the required file" not in page


@pytest.mark.django_db
def test_the_external_files_page_shows_each_file_with_its_review(client):
    registration = part_time_application()
    external_file = registration_submit_file(
        registration=registration,
        document_type=registration.credential_type.required_document_types.get(),
        description="Signed by the director",
        upload=pdf_upload("my-application.pdf"),
        actor=registration.user,
    )
    ExternalFile.objects.filter(pk=external_file.pk).update(
        status=ExternalFile.Status.REJECTED,
        reviewer_note="Please sign page 2.",
        decided_at=external_file.submitted_at,
        decided_by=recorded_reviewer(),
    )
    client.force_login(registration.user)
    page = client.get(reverse("registration_files", args=[registration.pk])).content.decode()
    for column in ["Document type", "Short description", "File name", "Uploaded"]:
        assert f'<th scope="col">{column}</th>' in page
    assert "Signed by the director" in page
    assert reverse("external_file_download", args=[external_file.pk]) in page
    assert ">my-application.pdf</a>" in page
    assert external_file.submitted_at.astimezone(KENTUCKY).strftime("%m/%d/%Y") in page
    assert "Not approved" in page
    assert "Please sign page 2." in page


@pytest.mark.django_db
def test_the_blank_form_is_streamed_to_signed_in_people_only(client):
    document_type = DocumentTypeFactory(name=PART_TIME_APPLICATION)
    document_type.blank_form.save("blank.pdf", pdf_upload("blank.pdf"))
    url = reverse("document_type_blank_form", args=[document_type.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF_BYTES
    without_form = DocumentTypeFactory(name="No blank form")
    url = reverse("document_type_blank_form", args=[without_form.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("file_count", [1, 50])
def test_the_external_files_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, file_count
):
    registration = part_time_application()
    document_type = registration.credential_type.required_document_types.get()
    ExternalFile.objects.bulk_create(
        ExternalFile(
            registration=registration,
            document_type=document_type,
            description=f"File {number}",
            file=f"external-files/{number}.pdf",
            original_name=f"file-{number}.pdf",
            content_type=PDF,
            size=10,
            uploaded_by=registration.user,
        )
        for number in range(file_count)
    )
    client.force_login(registration.user)
    url = reverse("registration_files", args=[registration.pk])
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count("file-") >= file_count


@pytest.mark.django_db(transaction=True)
def test_it_deletes_the_stored_file_when_the_row_cannot_be_saved(settings):
    # A size beyond the column's range makes the INSERT fail after the file was written.
    settings.UPLOAD_MAX_BYTES = 2**40
    registration = part_time_application()
    oversized = pdf_upload()
    oversized.size = 2**33
    with pytest.raises(DataError):
        registration_submit_file(
            registration=registration,
            document_type=registration.credential_type.required_document_types.get(),
            description="Signed application",
            upload=oversized,
            actor=registration.user,
        )
    assert_nothing_stored()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACTIVE
