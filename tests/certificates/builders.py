"""Certificates the tests start from: issued the way KDLA issues them, by approving the last
required file of an application."""

from __future__ import annotations

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader

from accounts.models import User
from certificates.models import Certificate
from certifications.models import CredentialType
from certifications.services.reviews import external_file_approve
from tests.reviews.builders import application, application_type, pending_file, reviewer


def approved_certificate(
    *, user: User | None = None, kind: str = CredentialType.Kind.INITIAL_APPLICATION
) -> Certificate:
    """A person's application approved by a reviewer, and the certificate that follows."""
    credential_type = CredentialType.objects.filter(kind=kind).first() or application_type(
        kind=kind
    )
    registration = application(user=user, credential_type=credential_type)
    external_file_approve(external_file=pending_file(registration), reviewer=reviewer())
    return Certificate.objects.get(grant=registration)


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_qr_codes(content: bytes) -> list[str]:
    """The QR codes a phone would read on the first page, rendered at 200 dpi."""
    page = pypdfium2.PdfDocument(content)[0]
    image = page.render(scale=200 / 72).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]
