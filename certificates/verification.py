"""What the public verification page says about a certificate, and how a code is read."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from certificates.models import Certificate

EXPIRING_WITHIN_DAYS = 90
CODE_PATTERN = re.compile(r"^[A-Z2-7]{16}$")


@dataclass(frozen=True)
class Standing:
    """The status a verifier reads: ``key`` is one of VALID, EXPIRING, EXPIRED, REVOKED,
    SUPERSEDED; ``label`` is what the page shows in capitals."""

    key: str
    label: str
    explanation: str


def normalized_code(typed: str) -> str | None:
    """A code as printed, whatever the case, spaces or dashes a person typed; None when it
    cannot be a code (so no lookup is made)."""
    code = re.sub(r"[\s-]", "", typed or "").upper()
    return code if CODE_PATTERN.match(code) else None


def certificate_standing(certificate: Certificate, *, today: datetime.date) -> Standing:
    if certificate.status == Certificate.Status.REVOKED:
        revoked_on = timezone.localtime(certificate.revoked_at).strftime("%m/%d/%Y")
        return Standing("REVOKED", "REVOKED", f"KDLA revoked this certificate on {revoked_on}.")
    if certificate.status == Certificate.Status.SUPERSEDED:
        return Standing(
            "SUPERSEDED",
            "SUPERSEDED",
            "This certificate was replaced by a renewal; the newer certificate is linked below.",
        )
    if certificate.valid_until < today:
        return Standing(
            "EXPIRED",
            "EXPIRED",
            f"This certificate expired on {certificate.valid_until:%m/%d/%Y}.",
        )
    if (certificate.valid_until - today).days <= EXPIRING_WITHIN_DAYS:
        return Standing(
            "EXPIRING",
            "VALID – EXPIRING SOON",
            f"This certificate is valid and expires on {certificate.valid_until:%m/%d/%Y}.",
        )
    return Standing(
        "VALID", "VALID", f"This certificate is valid until {certificate.valid_until:%m/%d/%Y}."
    )


def verification_allowed(request: HttpRequest) -> bool:
    """At most ``VERIFY_RATE_LIMIT_PER_MINUTE`` lookups a minute from one address (counted in
    Django's cache), so nobody can walk through codes; a person checking a few never notices."""
    from axes.helpers import get_client_ip_address

    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = f"certificate-verify:{get_client_ip_address(request)}:{minute}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=90)
        count = 1
    return count <= settings.VERIFY_RATE_LIMIT_PER_MINUTE
