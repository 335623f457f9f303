"""Demo data for the review site: a second staff member with a file and a credit request
awaiting review, so the demo reviewer has a queue. Safe to run again."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Library, User
from certifications.models import CredentialType, ExternalFile, Registration
from certifications.selectors import current_credential_types
from certifications.services.registrations import cycle_end_for
from credits.models import CreditRequest
from portal.demo.people import ensure_demo_user

DEMO_SECOND_STAFF_EMAIL = "jordan@example.org"
DEMO_APPLICATION_CODE = "paraprofessional-i-initial-application"
DEMO_RENEWAL_CODE = "part-time-renewal-credits"
# A one-page PDF that says what it is.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 700 Td (Demo document for KDLA review) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _current(code: str) -> CredentialType:
    return current_credential_types(on=timezone.localdate()).get(code=code)


def _open_registration(*, user: User, code: str, cycle_start: datetime.date) -> Registration:
    existing = Registration.objects.filter(
        user=user, credential_code=code, status__in=Registration.OPEN_STATUSES
    ).first()
    if existing is not None:
        return existing
    credential_type = _current(code)
    return Registration.objects.create(
        user=user,
        credential_type=credential_type,
        credential_code=code,
        cycle_start=cycle_start,
        cycle_end=cycle_end_for(credential_type=credential_type, cycle_start=cycle_start),
        upload_due_on=(
            cycle_start + datetime.timedelta(days=credential_type.upload_window_days)
            if credential_type.upload_window_days
            else None
        ),
    )


def _pending_application_file(user: User) -> None:
    application = _open_registration(
        user=user,
        code=DEMO_APPLICATION_CODE,
        cycle_start=timezone.localdate() - datetime.timedelta(days=5),
    )
    if application.external_files.exists():
        return
    document_type = application.credential_type.required_document_types.first()
    external_file = ExternalFile(
        registration=application,
        document_type=document_type,
        description="Signed application",
        original_name="application.pdf",
        content_type="application/pdf",
        size=len(DEMO_PDF),
        uploaded_by=user,
        submitted_at=timezone.now() - datetime.timedelta(days=3),
    )
    external_file.file.save("application.pdf", ContentFile(DEMO_PDF), save=False)
    external_file.save()
    application.status = Registration.Status.PENDING_REVIEW
    application.save(update_fields=["status"])


def _pending_credit_request(user: User) -> None:
    today = timezone.localdate()
    renewal = _open_registration(
        user=user, code=DEMO_RENEWAL_CODE, cycle_start=today - datetime.timedelta(days=400)
    )
    if renewal.credit_requests.exists():
        return
    credit_request = CreditRequest(
        user=user,
        registration=renewal,
        activity_date=today - datetime.timedelta(days=30),
        course="Annual Summation",
        description="CE Activities",
        requested_credits=Decimal("20"),
        documentation_name="annual-summation.pdf",
        documentation_content_type="application/pdf",
        submitted_at=timezone.now() - datetime.timedelta(days=2),
    )
    credit_request.documentation.save("annual-summation.pdf", ContentFile(DEMO_PDF), save=False)
    credit_request.save()


@transaction.atomic
def load_demo_review_queue() -> None:
    library = Library.objects.get(name="Kenton County Public Library")
    person = ensure_demo_user(
        email=DEMO_SECOND_STAFF_EMAIL,
        first_name="Jordan",
        last_name="Sample",
        library=library,
        position="Branch Manager",
        hours_per_month=160,
    )
    _pending_application_file(person)
    _pending_credit_request(person)
