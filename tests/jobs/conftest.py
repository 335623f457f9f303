"""Registrations, files and credit requests at chosen dates, and a clock set to New York time."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from accounts.reviewers import add_to_reviewers
from certifications.models import CredentialType, ExternalFile, Registration
from credits.models import CreditRequest
from tests.factories import (
    CredentialTypeFactory,
    DocumentTypeFactory,
    RegistrationFactory,
    UserFactory,
    recorded_reviewer,
)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
REGISTERED_ON = datetime.date(2027, 2, 8)
APPLICATION_NAME = "Part-time Certification- Initial Application"
DOCUMENT_NAME = "Application for Certification of Part-Time Library Staff"


def new_york(day: datetime.date, hour: int = 5, minute: int = 30) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=NEW_YORK)


@contextmanager
def clock_at(day: datetime.date, hour: int = 5, minute: int = 30) -> Iterator[None]:
    """Stand at ``hour:minute`` New York time on ``day`` (when the schedule runs the jobs)."""
    with time_machine.travel(new_york(day, hour, minute), tick=False):
        yield


def after(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """These tests create hundreds of people; nobody here signs in."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def application_type(db) -> CredentialType:
    credential = CredentialTypeFactory(
        code="part-time-initial-application",
        name=APPLICATION_NAME,
        cycle_label="Initial Part Time Certification",
        kind=CredentialType.Kind.INITIAL_APPLICATION,
        required_credits=Decimal("0"),
        cycle_length_years=0,
        cycle_length_days=60,
        upload_window_days=30,
    )
    credential.required_document_types.add(DocumentTypeFactory(name=DOCUMENT_NAME))
    return credential


@pytest.fixture
def renewal_type(db) -> CredentialType:
    return CredentialTypeFactory(
        code="part-time-renewal-credits",
        name="Part-time Certification- Renewal credits",
        cycle_label="Part Time Certification- Renewal credits",
        kind=CredentialType.Kind.RENEWAL_CREDITS,
        required_credits=Decimal("15"),
        cycle_length_years=5,
    )


def application(
    credential_type: CredentialType,
    *,
    registered_on: datetime.date = REGISTERED_ON,
    user: User | None = None,
    **fields,
) -> Registration:
    """A registration as ``credential_register`` makes it: due 30 days after the start."""
    return RegistrationFactory(
        user=user or UserFactory(),
        credential_type=credential_type,
        registered_at=new_york(registered_on, 10),
        cycle_start=registered_on,
        cycle_end=after(registered_on, 60),
        upload_due_on=after(registered_on, credential_type.upload_window_days),
        **fields,
    )


def renewal_cycle(
    credential_type: CredentialType,
    *,
    cycle_end: datetime.date,
    earned: str = "3",
    user: User | None = None,
    **fields,
) -> Registration:
    return RegistrationFactory(
        user=user or UserFactory(),
        credential_type=credential_type,
        cycle_start=cycle_end.replace(year=cycle_end.year - 5),
        cycle_end=cycle_end,
        earned_credits=Decimal(earned),
        **fields,
    )


def external_file(
    registration: Registration, *, status: str, submitted_at: datetime.datetime | None = None
) -> ExternalFile:
    decided = status != ExternalFile.Status.PENDING
    return ExternalFile.objects.create(
        registration=registration,
        document_type=registration.credential_type.required_document_types.first(),
        description="Signed application",
        file="external-files/application.pdf",
        original_name="application.pdf",
        content_type="application/pdf",
        size=1200,
        submitted_at=submitted_at or new_york(registration.cycle_start, 12),
        uploaded_by=registration.user,
        status=status,
        reviewer_note="Please sign page 2." if status == ExternalFile.Status.REJECTED else "",
        decided_at=new_york(registration.cycle_start, 15) if decided else None,
        decided_by=recorded_reviewer() if decided else None,
    )


def credit_request(
    registration: Registration, *, submitted_at: datetime.datetime, course: str = "Annual Summation"
) -> CreditRequest:
    return CreditRequest.objects.create(
        user=registration.user,
        registration=registration,
        activity_date=registration.cycle_start,
        course=course,
        description="CE Activities",
        requested_credits=Decimal("4.5"),
        documentation="credit-documentation/lar.pdf",
        documentation_name="lar.pdf",
        documentation_content_type="application/pdf",
        submitted_at=submitted_at,
    )


def reviewer(**fields) -> User:
    user = UserFactory(**fields)
    add_to_reviewers(user)
    return user


def emails_to(address: str) -> list[mail.EmailMultiAlternatives]:
    return [message for message in mail.outbox if message.to == [address]]


def html_of(message: mail.EmailMultiAlternatives) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")
