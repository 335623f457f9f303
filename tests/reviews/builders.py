"""Rows the review tests start from: credential rules like KDLA's, applications with a file
awaiting review, renewal cycles with a credit request awaiting review, and reviewers.
Files are real bytes in the test's private storage folder."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from accounts.reviewers import add_to_reviewers
from certifications.models import CredentialType, DocumentType, ExternalFile, Registration
from credits.models import CreditRequest
from tests.factories import (
    CredentialTypeFactory,
    DocumentTypeFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.fixtures.documents import PDF, PDF_BYTES, PNG, PNG_BYTES

RENEWAL_CODE = "part-time-renewal-credits"


def reviewer(**fields: object) -> User:
    user = UserFactory(library=None, position="Certification Coordinator", **fields)
    add_to_reviewers(user)
    return user


def renewal_credits_type(*, code: str = RENEWAL_CODE, version: int = 1, **fields) -> CredentialType:
    """The renewal-credits rules with this code and version (created once per test)."""
    existing = CredentialType.objects.filter(code=code, version=version).first()
    if existing is not None:
        return existing
    defaults = {
        "name": "Part-time Certification- Renewal credits",
        "cycle_label": "Part Time Certification- Renewal credits",
        "kind": CredentialType.Kind.RENEWAL_CREDITS,
        "required_credits": Decimal("15"),
        "cycle_length_years": 5,
    }
    return CredentialTypeFactory(code=code, version=version, **{**defaults, **fields})


def application_type(
    *,
    kind: str = CredentialType.Kind.INITIAL_APPLICATION,
    leads_to: CredentialType | None = None,
    document_types: list[DocumentType] | None = None,
) -> CredentialType:
    initial = kind == CredentialType.Kind.INITIAL_APPLICATION
    credential = CredentialTypeFactory(
        code="part-time-initial-application" if initial else "part-time-renewal-application",
        name=f"Part-time Certification- {'Initial' if initial else 'Renewal'} Application",
        cycle_label="Initial Part Time Certification" if initial else "Part Time Certification",
        kind=kind,
        required_credits=0,
        cycle_length_years=0,
        cycle_length_days=60,
        upload_window_days=30,
        leads_to=leads_to if leads_to is not None else renewal_credits_type(),
    )
    credential.required_document_types.add(*(document_types or [DocumentTypeFactory()]))
    return credential


def application(
    *,
    user: User | None = None,
    credential_type: CredentialType | None = None,
    status: str = Registration.Status.PENDING_REVIEW,
    registered_on: datetime.date | None = None,
) -> Registration:
    registered_on = registered_on or timezone.localdate() - datetime.timedelta(days=5)
    fields = {"user": user} if user else {}
    return RegistrationFactory(
        credential_type=credential_type or application_type(),
        status=status,
        cycle_start=registered_on,
        cycle_end=registered_on + datetime.timedelta(days=60),
        upload_due_on=registered_on + datetime.timedelta(days=30),
        **fields,
    )


def pending_file(
    registration: Registration,
    *,
    document_type: DocumentType | None = None,
    submitted_at: datetime.datetime | None = None,
    image: bool = False,
) -> ExternalFile:
    name, content, content_type = (
        ("scan.png", PNG_BYTES, PNG) if image else ("application.pdf", PDF_BYTES, PDF)
    )
    external_file = ExternalFile(
        registration=registration,
        document_type=document_type or registration.credential_type.required_document_types.first(),
        description="Signed application",
        original_name=name,
        content_type=content_type,
        size=len(content),
        uploaded_by=registration.user,
        submitted_at=submitted_at or timezone.now(),
    )
    external_file.file.save(name, ContentFile(content), save=False)
    external_file.save()
    return external_file


def renewal_cycle(
    *,
    user: User | None = None,
    credential_type: CredentialType | None = None,
    cycle_start: datetime.date | None = None,
    status: str = Registration.Status.ACTIVE,
    earned_credits: Decimal = Decimal("0"),
) -> Registration:
    cycle_start = cycle_start or timezone.localdate() - datetime.timedelta(days=100)
    fields = {"user": user} if user else {}
    return RegistrationFactory(
        credential_type=credential_type or renewal_credits_type(),
        status=status,
        cycle_start=cycle_start,
        cycle_end=cycle_start + datetime.timedelta(days=5 * 365 + 1),
        earned_credits=earned_credits,
        **fields,
    )


def pending_credit_request(
    registration: Registration,
    *,
    requested: Decimal = Decimal("20"),
    submitted_at: datetime.datetime | None = None,
    course: str = "Annual Summation",
) -> CreditRequest:
    credit_request = CreditRequest(
        user=registration.user,
        registration=registration,
        activity_date=registration.cycle_start + datetime.timedelta(days=10),
        course=course,
        description="CE Activities",
        requested_credits=requested,
        documentation_name="annual-summation.pdf",
        documentation_content_type=PDF,
        submitted_at=submitted_at or timezone.now(),
    )
    credit_request.documentation.save("annual-summation.pdf", ContentFile(PDF_BYTES), save=False)
    credit_request.save()
    return credit_request
