"""A staff member's history under KDLA's real rules (certifications/kdla_rules.py): courses
completed through the services, registrations, and credit requests as a reviewer left them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from accounts.models import User
from certifications.kdla_rules import load_kdla_rules
from certifications.models import CredentialType, ExternalFile, Registration
from certifications.services.earned import registrations_refresh_earned
from courses.models import Course, Enrollment
from courses.services.enrollments import course_complete, course_register
from credits.models import CreditRequest
from tests.factories import decided_fields, recorded_reviewer

INITIAL = "part-time-initial-application"
RENEWAL_CREDITS = "part-time-renewal-credits"
RENEWAL_APPLICATION = "part-time-renewal-application"


def kdla_credential(code: str) -> CredentialType:
    """The current version of one of KDLA's credentials, loading the rules if needed."""
    if not CredentialType.objects.filter(code=code).exists():
        load_kdla_rules()
    return CredentialType.objects.filter(code=code).order_by("-version").first()


def kdla_course(title: str) -> Course:
    if not Course.objects.filter(title=title).exists():
        load_kdla_rules()
    return Course.objects.get(title=title)


def complete_course(user: User, course: Course, on: datetime.date) -> Enrollment:
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    enrollment = enrollment or course_register(user=user, course=course)
    return course_complete(enrollment=enrollment, completed_on=on)


def complete_courses(user: User, titles: list[str], on: datetime.date) -> None:
    for title in titles:
        complete_course(user, kdla_course(title), on)


def open_renewal_cycle(
    user: User, *, cycle_start: datetime.date, credential: CredentialType | None = None
) -> Registration:
    """A renewal-credits cycle as an approved application leaves it (5 calendar years)."""
    credential = credential or kdla_credential(RENEWAL_CREDITS)
    return Registration.objects.create(
        user=user,
        credential_type=credential,
        credential_code=credential.code,
        cycle_start=cycle_start,
        cycle_end=cycle_start.replace(year=cycle_start.year + credential.cycle_length_years),
    )


def decided_credit_request(
    registration: Registration,
    *,
    activity_date: datetime.date,
    requested: str,
    approved: str | None,
    reviewer_note: str = "",
    course: str = "Annual Summation",
) -> CreditRequest:
    """A credit request with the reviewer's decision (None approved = still PENDING), and the
    registration's earned credits refreshed as the review service does."""
    if approved is None:
        status = CreditRequest.Status.PENDING
    elif Decimal(approved) == 0:
        status = CreditRequest.Status.REJECTED
    elif Decimal(approved) < Decimal(requested):
        status = CreditRequest.Status.PARTIALLY_APPROVED
    else:
        status = CreditRequest.Status.APPROVED
    credit_request = CreditRequest.objects.create(
        user=registration.user,
        registration=registration,
        activity_date=activity_date,
        course=course,
        description="CE Activities",
        requested_credits=Decimal(requested),
        approved_credits=Decimal(approved) if approved is not None else None,
        status=status,
        reviewer_note=reviewer_note,
        **decided_fields(status),
        documentation="credit-documentation/summation.pdf",
        documentation_name="summation.pdf",
        documentation_content_type="application/pdf",
    )
    registrations_refresh_earned(registration_ids=[registration.pk])
    return credit_request


def uploaded_file(registration: Registration, *, status: str = ExternalFile.Status.PENDING):
    """A file row for the registration's first required document (the bytes are not needed)."""
    document = registration.credential_type.required_document_types.first()
    decided = status != ExternalFile.Status.PENDING
    return ExternalFile.objects.create(
        registration=registration,
        document_type=document,
        description="Signed application",
        file="external-files/application.pdf",
        original_name="application.pdf",
        content_type="application/pdf",
        size=1200,
        uploaded_by=registration.user,
        status=status,
        reviewer_note="Please sign page 2" if status == ExternalFile.Status.REJECTED else "",
        decided_at=registration.registered_at if decided else None,
        decided_by=recorded_reviewer() if decided else None,
    )
