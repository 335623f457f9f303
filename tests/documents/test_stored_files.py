"""Every upload path deletes its file when its row cannot be stored (a failed INSERT, a
second request racing the first): storage never keeps a file that no row names."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError

from certificates.models import NameChangeRequest
from certificates.name_changes import name_change_request
from courses.models import AsyncCompletion, CourseApprovalRequest
from credits.models import CreditRequest
from credits.services.requests import credit_request_submit
from tests.asynchronous.factories import renewal_registration
from tests.factories import UserFactory
from tests.fixtures.documents import PDF_BYTES
from tests.fixtures.registrations import stored_files
from training.services import async_completion_submit, course_approval_submit

# One character over the 200 the title columns hold: the INSERT fails after the file is written.
TOO_LONG_TITLE = "T" * 201


def pdf(name: str = "proof.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.mark.django_db
def test_a_completion_whose_row_fails_leaves_no_proof(migration_installed_data):
    person = UserFactory()
    with pytest.raises(DataError):
        async_completion_submit(
            user=person,
            registration=renewal_registration(person),
            completed_on=datetime.date(2025, 6, 1),
            hours=Decimal("12"),
            proof=pdf(),
            provider_name="Coursera",
            course_title=TOO_LONG_TITLE,
        )
    assert AsyncCompletion.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_an_approval_request_whose_row_fails_leaves_no_syllabus():
    with pytest.raises(DataError):
        course_approval_submit(
            user=UserFactory(),
            provider_name="Lexington Public Library",
            provider_url="https://example.org",
            course_title=TOO_LONG_TITLE,
            course_url="https://example.org/course",
            description="A course",
            length_hours=Decimal("12"),
            syllabus=pdf("syllabus.pdf"),
        )
    assert CourseApprovalRequest.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_a_credit_request_whose_row_fails_leaves_no_documentation():
    person = UserFactory()
    registration = renewal_registration(person)
    with pytest.raises(DataError):
        credit_request_submit(
            user=person,
            registration=registration,
            activity_date=datetime.date(2025, 6, 1),
            course="C" * 1000,
            description="Workshop",
            requested_credits=Decimal("2"),
            documentation=pdf("agenda.pdf"),
        )
    assert CreditRequest.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_a_name_change_refused_leaves_no_proof():
    person = UserFactory(first_name="Ada", last_name="Byron")
    name_change_request(user=person, first_name="Ada", last_name="Lovelace", proof=pdf())
    assert len(stored_files()) == 1

    with pytest.raises(ValidationError):
        name_change_request(user=person, first_name="Ada", last_name="King", proof=pdf())

    assert NameChangeRequest.objects.count() == 1
    assert len(stored_files()) == 1
