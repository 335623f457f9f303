"""The one check every uploaded document goes through, by its content and not its name.

Accepted, as KDLA's instructions say: PDF, Word (.doc, .docx), .jpg and .png. Each kind is
opened the way its reader would open it (documents.office, documents.pdf, documents.images)
and refused when it is damaged, too large once opened, or carries macros, scripts, programs
or attached files; pictures are stored re-encoded, without their metadata. When
``CLAMD_SOCKET`` is set, what passed is also scanned by ClamAV. The reasons are written for
the person who uploads: what is wrong and what to do, never "rename the file".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat

from documents.images import JPEG, PNG, reencode_jpeg, reencode_png
from documents.office import DOC, DOCX, check_doc, check_docx
from documents.pdf import PDF, check_pdf
from documents.refusal import NOT_ACCEPTED, ContentRefused
from documents.virus_scan import VirusScanUnavailable, clamd_scan

logger = logging.getLogger(__name__)

ACCEPTED_TYPES_TEXT = "PDF, Word (.doc, .docx), .jpg, .png"


@dataclass(frozen=True)
class DocumentKind:
    content_type: str
    label: str
    suffixes: frozenset[str]
    signature: bytes
    # Raises ContentRefused; returns the bytes to store instead of the upload, or None to
    # store the upload as it was sent.
    check: Callable[[bytes], bytes | None]


KINDS = (
    DocumentKind(PDF, "PDF", frozenset({".pdf"}), b"%PDF", check_pdf),
    DocumentKind(DOCX, "DOCX", frozenset({".docx"}), b"PK\x03\x04", check_docx),
    DocumentKind(DOC, "DOC", frozenset({".doc"}), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", check_doc),
    DocumentKind(JPEG, "JPG", frozenset({".jpg", ".jpeg"}), b"\xff\xd8\xff", reencode_jpeg),
    DocumentKind(PNG, "PNG", frozenset({".png"}), b"\x89PNG\r\n\x1a\n", reencode_png),
)


@dataclass(frozen=True)
class CheckedUpload:
    """What was accepted. ``content`` is what to store: the upload itself, or for a picture
    its re-encoded copy (``size`` is then the copy's size)."""

    original_name: str
    content_type: str
    size: int
    content: UploadedFile


def check_document_upload(upload: UploadedFile | None) -> CheckedUpload:
    """Return what the file really is, or raise ValidationError with a plain reason."""
    if upload is None:
        raise ValidationError("Choose a file to upload.", code="missing")
    name = PurePath(upload.name or "").name
    _check_size(upload, name)
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    kind = next((kind for kind in KINDS if content.startswith(kind.signature)), None)
    try:
        if kind is None:
            raise ContentRefused(NOT_ACCEPTED)
        stored = kind.check(content)
    except ContentRefused as refusal:
        logger.info("Upload %r refused: %s", name, refusal.reason)
        raise _refusal_error(name, refusal.reason) from refusal
    _check_name_matches(name, kind)
    _scan_for_viruses(content, name)
    if stored is None:
        return CheckedUpload(name[:255], kind.content_type, upload.size, upload)
    copy = SimpleUploadedFile(name, stored, content_type=kind.content_type)
    return CheckedUpload(name[:255], kind.content_type, len(stored), copy)


def _check_size(upload: UploadedFile, name: str) -> None:
    if upload.size == 0:
        raise ValidationError(f"“{name}” is empty. Choose the completed file.", code="empty")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"“{name}” is {filesizeformat(upload.size)}; the largest file accepted is "
            f"{filesizeformat(limit)}.",
            code="too_large",
        )


def _refusal_error(name: str, reason: str) -> ValidationError:
    if reason == NOT_ACCEPTED:
        return ValidationError(
            f"“{name}” {NOT_ACCEPTED}. The following document types are accepted: "
            f"{ACCEPTED_TYPES_TEXT}.",
            code="bad_type",
        )
    return ValidationError(f"“{name}” {reason}", code="refused_content")


def _check_name_matches(name: str, kind: DocumentKind) -> None:
    if PurePath(name).suffix.lower() not in kind.suffixes:
        raise ValidationError(
            f"“{name}” does not match its content (it is a {kind.label} file). Choose the "
            f"file you meant to send, or save it again from the program that made it. "
            f"Accepted: {ACCEPTED_TYPES_TEXT}.",
            code="name_mismatch",
        )


def _scan_for_viruses(content: bytes, name: str) -> None:
    socket_path = settings.CLAMD_SOCKET
    if not socket_path:
        return
    try:
        found = clamd_scan(content, socket_path=socket_path)
    except VirusScanUnavailable:
        logger.exception("Virus scan unavailable; upload %r not accepted", name)
        raise ValidationError(
            f"“{name}” could not be checked for viruses just now, so it was not accepted. "
            "Try again in a few minutes.",
            code="scan_unavailable",
        ) from None
    if found is not None:
        logger.warning("Virus scan found %s in upload %r", found, name)
        raise ValidationError(
            f"“{name}” was not accepted: the virus scanner found “{found}” in it. Do not open "
            "it again; ask whoever looks after your library's computers to check the computer "
            "it came from.",
            code="virus_found",
        )
