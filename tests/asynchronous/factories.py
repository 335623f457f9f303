"""Factories and small builders for the asynchronous-training tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from accounts.reviewers import add_to_reviewers
from certifications.models import CredentialType
from courses.models import AsyncCompletion, Course, CourseApprovalRequest
from tests.factories import (
    CategoryFactory,
    CourseFactory,
    CredentialTypeFactory,
    ProviderFactory,
    RegistrationFactory,
    UserFactory,
    decided_fields,
)
from tests.fixtures.documents import PDF_BYTES

REVIEW_PERMISSIONS = [
    "view_courseapprovalrequest",
    "change_courseapprovalrequest",
    "view_asynccompletion",
    "change_asynccompletion",
]


def pdf_upload(name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def text_upload(name: str = "certificate.pdf") -> SimpleUploadedFile:
    """Plain text, whatever its name says."""
    return SimpleUploadedFile(name, b"I finished the course, honest.\n", content_type="text/plain")


def make_reviewer(**fields: object) -> User:
    reviewer = UserFactory(**fields)
    add_to_reviewers(reviewer)
    reviewer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="courses", codename__in=REVIEW_PERMISSIONS
        )
    )
    return User.objects.get(pk=reviewer.pk)  # a fresh instance: no stale permission cache


def renewal_credits_type(**fields: object) -> CredentialType:
    defaults = {
        "kind": CredentialType.Kind.RENEWAL_CREDITS,
        "accepts_async_courses": True,
        "required_credits": Decimal("15"),
        "cycle_label": "Part Time Certification- Renewal credits",
    }
    return CredentialTypeFactory(**{**defaults, **fields})


def renewal_registration(user: User, **fields: object):
    credential_type = fields.pop("credential_type", None) or renewal_credits_type()
    defaults = {
        "cycle_start": datetime.date(2024, 1, 1),
        "cycle_end": datetime.date(2028, 12, 31),
    }
    return RegistrationFactory(user=user, credential_type=credential_type, **{**defaults, **fields})


def approved_async_course(**fields: object) -> Course:
    defaults = {
        "format": Course.Format.ASYNC_EXTERNAL,
        "contact_hours": Decimal("12"),
        "provider": ProviderFactory(
            name="Kentucky Library Association", is_approved_async_source=False
        ),
        "category": CategoryFactory(name="Asynchronous Training", slug="asynchronous-training"),
    }
    return CourseFactory(**{**defaults, **fields})


class CourseApprovalRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseApprovalRequest

    user = factory.SubFactory(UserFactory)
    provider_name = "Kentucky Library Association"
    provider_url = "https://www.klaonline.org/"
    course_title = factory.Sequence(lambda n: f"Grant Writing for Libraries {n}")
    course_url = "https://www.klaonline.org/grant-writing"
    description = "Finding, writing and reporting on grants for public libraries."
    length_hours = Decimal("12")
    status = "PENDING"
    decided_at = factory.LazyAttribute(lambda o: decided_fields(o.status)["decided_at"])
    decided_by = factory.LazyAttribute(lambda o: decided_fields(o.status)["decided_by"])


class AsyncCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AsyncCompletion

    user = factory.SubFactory(UserFactory)
    registration = factory.LazyAttribute(lambda o: renewal_registration(o.user))
    provider = factory.SubFactory(ProviderFactory, name="Coursera")
    course_title = "Data Literacy for Librarians"
    completed_on = datetime.date(2025, 6, 1)
    hours = Decimal("12")
    proof = factory.LazyFunction(pdf_upload)
    proof_name = "certificate.pdf"
    proof_content_type = "application/pdf"
    status = "PENDING"
    decided_at = factory.LazyAttribute(lambda o: decided_fields(o.status)["decided_at"])
    decided_by = factory.LazyAttribute(lambda o: decided_fields(o.status)["decided_by"])
