"""The certificate as a tagged PDF (PDF/UA-1), rendered by WeasyPrint from an HTML template,
with a QR code that opens the public verification page."""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from weasyprint import HTML

from certificates.models import Certificate

ISSUER_NAME = "Kentucky Department for Libraries and Archives"


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("certificate_verify", kwargs={"code": certificate.code})


def qr_code_svg(url: str) -> str:
    """An SVG QR code (medium error correction survives a crease or a stamp on paper)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")


def certificate_pdf_filename(certificate: Certificate) -> str:
    return f"kdla-certificate-{slugify(certificate.holder_name)}-{certificate.code}.pdf"


def certificate_pdf(certificate: Certificate) -> bytes:
    url = verification_url(certificate)
    html = render_to_string(
        "certificates/certificate_pdf.html",
        {
            "certificate": certificate,
            "issuer_name": ISSUER_NAME,
            "verification_url": url,
            "qr_code_svg": qr_code_svg(url),
        },
    )
    # PDF/UA-1 turns tagging on and requires a title and a language, which the template sets.
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(pdf_variant="pdf/ua-1")
