"""Every form that takes a document, as the person allowed to use it sees it: each signs the
right person in, posts one file through the real view, and counts the rows it would keep."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from certificates.models import NameChangeRequest
from certifications.models import DocumentType, ExternalFile
from courses.models import AsyncCompletion, CourseApprovalRequest
from credits.models import CreditRequest
from tests.asynchronous.factories import renewal_registration
from tests.factories import UserFactory
from tests.fixtures.registrations import part_time_application, renewal_credits
from tests.reviews.builders import reviewer


@dataclass(frozen=True)
class UploadEndpoint:
    key: str
    post: Callable[[Client, SimpleUploadedFile], HttpResponse]
    kept: Callable[[], QuerySet[Model]]


def post_external_file(client: Client, upload: SimpleUploadedFile) -> HttpResponse:
    registration = part_time_application()
    client.force_login(registration.user)
    document_type = registration.credential_type.required_document_types.get()
    form = {
        "document_type": document_type.pk,
        "description": "Signed application",
        "upload": upload,
    }
    return client.post(reverse("external_file_add", args=[registration.pk]), form)


def post_credit_request(client: Client, upload: SimpleUploadedFile) -> HttpResponse:
    registration = renewal_credits()
    client.force_login(registration.user)
    form = {
        "registration": registration.pk,
        "activity_date": registration.cycle_start.strftime("%m/%d/%Y"),
        "course": "Annual Summation",
        "description": "CE Activities",
        "requested_credits": "15",
        "documentation": upload,
    }
    return client.post(reverse("credit_request_new"), form)


def post_async_completion(client: Client, upload: SimpleUploadedFile) -> HttpResponse:
    person = UserFactory()
    registration = renewal_registration(person)
    client.force_login(person)
    form = {
        "registration": registration.pk,
        "provider_name": "Coursera",
        "course_title": "Data Literacy for Librarians",
        "completed_on": "2025-06-01",
        "hours": "12",
        "proof": upload,
    }
    return client.post(reverse("async_completion_new"), form)


def post_course_approval_syllabus(client: Client, upload: SimpleUploadedFile) -> HttpResponse:
    client.force_login(UserFactory())
    form = {
        "provider_name": "Kentucky Library Association",
        "provider_url": "https://www.klaonline.org/",
        "course_title": "Grant Writing for Libraries",
        "course_url": "https://www.klaonline.org/grant-writing",
        "description": "Finding, writing and reporting on grants.",
        "length_hours": "12",
        "syllabus": upload,
    }
    return client.post(reverse("async_course_approval_new"), form)


def post_name_change_proof(client: Client, upload: SimpleUploadedFile) -> HttpResponse:
    client.force_login(UserFactory(first_name="Ada", last_name="Byron"))
    form = {"first_name": "Ada", "last_name": "Lovelace", "proof": upload}
    return client.post(reverse("name_change_new"), form)


def post_blank_form(client: Client, upload: SimpleUploadedFile) -> HttpResponse:
    client.force_login(reviewer())
    form = {
        "name": "Director's letter",
        "description": "Signed by the director.",
        "blank_form": upload,
    }
    return client.post(reverse("admin:certifications_documenttype_add"), form)


UPLOAD_ENDPOINTS = (
    UploadEndpoint("external-file", post_external_file, ExternalFile.objects.all),
    UploadEndpoint("credit-request", post_credit_request, CreditRequest.objects.all),
    UploadEndpoint("async-completion-proof", post_async_completion, AsyncCompletion.objects.all),
    UploadEndpoint(
        "course-approval-syllabus", post_course_approval_syllabus, CourseApprovalRequest.objects.all
    ),
    UploadEndpoint("name-change-proof", post_name_change_proof, NameChangeRequest.objects.all),
    UploadEndpoint(
        "reviewer-blank-form",
        post_blank_form,
        lambda: DocumentType.objects.exclude(blank_form=""),
    ),
)
