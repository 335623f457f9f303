"""Checks every uploaded document passes, by its content and not only its name.

Accepted, as KDLA's instructions say: PDF, Word (.doc, .docx), .jpg and .png.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

ACCEPTED_TYPES_TEXT = "PDF, Word (.doc, .docx), .jpg, .png"
# Detected content type -> file name endings that may carry it.
ACCEPTED_CONTENT = {
    "application/pdf": {".pdf"},
    "application/msword": {".doc"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}
HEADER_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    content_type: str
    size: int


def check_document_upload(upload: UploadedFile | None) -> CheckedUpload:
    """Return what the file really is, or raise ValidationError with a plain reason."""
    if upload is None:
        raise ValidationError("Choose a file to upload.", code="missing")
    name = PurePath(upload.name or "").name
    if upload.size == 0:
        raise ValidationError(f"“{name}” is empty. Choose the completed file.", code="empty")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"“{name}” is {filesizeformat(upload.size)}; the largest file accepted is "
            f"{filesizeformat(limit)}.",
            code="too_large",
        )
    upload.seek(0)
    header = upload.read(HEADER_BYTES)
    upload.seek(0)
    kind = filetype.guess(header)
    suffix = PurePath(name).suffix.lower()
    if kind is None or kind.mime not in ACCEPTED_CONTENT:
        raise ValidationError(
            f"“{name}” is not a PDF, Word document or image. The following document types are "
            f"accepted: {ACCEPTED_TYPES_TEXT}.",
            code="bad_type",
        )
    if suffix not in ACCEPTED_CONTENT[kind.mime]:
        raise ValidationError(
            f"“{name}” does not match its content (it is a {kind.extension.upper()} file). "
            f"Rename it or choose another file. Accepted: {ACCEPTED_TYPES_TEXT}.",
            code="name_mismatch",
        )
    return CheckedUpload(original_name=name[:255], content_type=kind.mime, size=upload.size)
