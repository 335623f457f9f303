"""Issuing, superseding and revoking certificates. Every change goes through here, inside the
caller's transaction, and is kept in the certificate's History."""

from __future__ import annotations

import base64
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from certifications.models import Registration
from kdla_portal.mail import Attachment, queue_email

REVOCATION_REASON_REQUIRED = "Write the reason for revoking this certificate."
ALREADY_REVOKED = "This certificate was already revoked on {date}."
CODE_LENGTH = 16


def new_verification_code() -> str:
    """16 base32 characters (80 random bits): unguessable, and easy to type from paper
    because the alphabet has no 0/O or 1/I pairs."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def _supersede_earlier(*, certificate: Certificate, reviewer: User) -> None:
    earlier = Certificate.objects.select_for_update(of=("self",)).filter(
        user=certificate.user,
        credential_code=certificate.credential_code,
        status=Certificate.Status.VALID,
    )
    for previous in earlier.exclude(pk=certificate.pk):
        previous.status = Certificate.Status.SUPERSEDED
        previous.superseded_by = certificate
        previous.superseded_at = timezone.now()
        previous._history_user = reviewer
        previous.save(update_fields=["status", "superseded_by", "superseded_at"])


def _queue_issued_email(certificate: Certificate) -> None:
    # Imported here: rendering loads WeasyPrint, which only issuing and downloads need.
    from certificates.pdf import certificate_pdf, certificate_pdf_filename

    queue_email(
        key=f"certificate_issued:{certificate.pk}",
        template="certificate_issued",
        to=[certificate.user.email],
        context={"user": certificate.user, "certificate": certificate},
        attachments=[
            Attachment(
                filename=certificate_pdf_filename(certificate),
                mimetype="application/pdf",
                content=certificate_pdf(certificate),
            )
        ],
    )


@transaction.atomic
def certificate_issue_for_grant(*, application: Registration, reviewer: User) -> Certificate | None:
    """The certificate for an approved application, issued once: a retry or a second call
    returns the one already stored (the grant is unique). None when the application opens
    no renewal cycle (nothing to be valid until)."""
    existing = Certificate.objects.filter(grant=application).first()
    if existing is not None:
        return existing
    cycle = (
        Registration.objects.select_related("credential_type", "user")
        .filter(source_registration=application)
        .first()
    )
    if cycle is None:
        return None
    certificate, created = Certificate.objects.get_or_create(
        grant=application,
        defaults={
            "user": cycle.user,
            "cycle": cycle,
            "credential_code": cycle.credential_code,
            "holder_name": cycle.user.full_name,
            "level": application.credential_type.level,
            "credential_name": cycle.credential_type.display_label,
            # The day KDLA granted it: a renewal's cycle may only start when the previous
            # cycle ends, months later.
            "issued_on": timezone.localdate(),
            "valid_until": cycle.cycle_end,
            "code": new_verification_code(),
            "issued_by": reviewer,
        },
    )
    if created:
        _supersede_earlier(certificate=certificate, reviewer=reviewer)
        _queue_issued_email(certificate)
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reviewer: User, reason: str) -> Certificate:
    """Revoke a certificate with the reason KDLA gives; the verification page shows REVOKED
    and its date from then on."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REVOCATION_REASON_REQUIRED)
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == Certificate.Status.REVOKED:
        revoked_on = timezone.localtime(locked.revoked_at).strftime("%m/%d/%Y")
        raise ValidationError(ALREADY_REVOKED.format(date=revoked_on))
    locked.status = Certificate.Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = reviewer
    locked.revocation_reason = reason
    locked._history_user = reviewer
    locked.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    return locked
