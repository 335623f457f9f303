"""The upload corpus (tests/upload_corpus.py) posted to every upload form, with the virus-scan
hook on: no hostile file kept, no genuine file refused, and a refusal keeps no row and no file."""

from __future__ import annotations

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.documents.upload_endpoints import UPLOAD_ENDPOINTS, UploadEndpoint
from tests.fixtures.registrations import stored_files
from tests.upload_corpus import CORPUS, GENUINE, HOSTILE, UploadCase, one_page_pdf

EICAR_IN_TEXT = next(case for case in HOSTILE if case.needs_virus_scan)


def sent(case: UploadCase, content: bytes | None = None) -> SimpleUploadedFile:
    # The declared type is the browser's say-so; the check ignores it.
    content = case.build() if content is None else content
    return SimpleUploadedFile(case.file_name, content, content_type="application/pdf")


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("case", HOSTILE, ids=lambda case: case.key)
@pytest.mark.parametrize("endpoint", UPLOAD_ENDPOINTS, ids=lambda endpoint: endpoint.key)
def test_every_upload_form_refuses_each_hostile_file(client, clamd, endpoint: UploadEndpoint, case):
    response = endpoint.post(client, sent(case))

    assert response.status_code == 200, "a hostile file was accepted"
    page = page_text(response)
    assert f"“{case.file_name}”" in page  # names the file, then says why and what to do
    assert case.refusal in page
    assert "rename" not in page.lower()
    assert endpoint.kept().count() == 0
    assert stored_files() == []


@pytest.mark.django_db
@pytest.mark.parametrize("case", GENUINE, ids=lambda case: case.key)
@pytest.mark.parametrize("endpoint", UPLOAD_ENDPOINTS, ids=lambda endpoint: endpoint.key)
def test_every_upload_form_keeps_each_genuine_file(client, clamd, endpoint: UploadEndpoint, case):
    content = case.build()

    response = endpoint.post(client, sent(case, content))

    assert response.status_code == 302, page_text(response)
    assert endpoint.kept().count() == 1
    [stored] = stored_files()
    if case.file_name.endswith((".jpg", ".jpeg", ".png")):
        assert_same_picture_without_metadata(stored.read_bytes(), content)
    else:
        assert stored.read_bytes() == content
    assert content in clamd.scanned


def assert_same_picture_without_metadata(kept_bytes: bytes, sent_bytes: bytes) -> None:
    with Image.open(io.BytesIO(kept_bytes)) as kept, Image.open(io.BytesIO(sent_bytes)) as sent:
        assert kept.format == sent.format
        turned = sent.getexif().get(0x0112) in {5, 6, 7, 8}
        assert kept.size == (sent.size[::-1] if turned else sent.size)
        assert not kept.getexif()
        assert not {"exif", "comment", "Comment", "icc_profile", "xmp"} & set(kept.info)
    assert b"Main Street" not in kept_bytes


def test_the_corpus_has_hostile_and_genuine_files_of_every_accepted_kind():
    genuine_endings = {case.file_name.rsplit(".", 1)[1] for case in GENUINE}
    assert genuine_endings == {"pdf", "docx", "doc", "jpg", "jpeg", "png"}
    assert len({case.key for case in CORPUS}) == len(CORPUS)
    assert len(HOSTILE) >= 20


def test_the_zip_bomb_is_small_on_disk_and_512_mb_inside():
    bomb = next(case for case in HOSTILE if case.key == "zip-bomb").build()
    assert len(bomb) < 600 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(entry.file_size for entry in archive.infolist()) > 512 * 1024 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", UPLOAD_ENDPOINTS, ids=lambda endpoint: endpoint.key)
def test_without_the_virus_scan_hook_only_the_scanner_would_have_found_eicar(
    client, settings, endpoint: UploadEndpoint
):
    # Off by default: every other hostile file is refused without it; this one is a plain
    # PDF whose text holds the EICAR string.
    settings.CLAMD_SOCKET = ""
    response = endpoint.post(client, sent(EICAR_IN_TEXT))
    assert response.status_code == 302
    assert endpoint.kept().count() == 1


@pytest.mark.django_db
def test_a_virus_scanner_that_does_not_answer_refuses_the_file(client, settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "no-clamd-here.sock")
    endpoint = UPLOAD_ENDPOINTS[0]
    response = endpoint.post(client, SimpleUploadedFile("application.pdf", one_page_pdf()))
    assert response.status_code == 200
    assert (
        "“application.pdf” could not be checked for viruses just now, so it was not accepted. "
        "Try again in a few minutes." in page_text(response)
    )
    assert endpoint.kept().count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_a_virus_scanner_answering_an_error_refuses_the_file(client, clamd):
    clamd.answer_error = True
    endpoint = UPLOAD_ENDPOINTS[1]
    response = endpoint.post(client, SimpleUploadedFile("summation.pdf", one_page_pdf()))
    assert "could not be checked for viruses just now" in page_text(response)
    assert endpoint.kept().count() == 0
    assert stored_files() == []
