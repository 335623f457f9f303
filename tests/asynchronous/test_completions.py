"""Proof of completion of an asynchronous course, its review, and the hours it earns."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from certifications.models import CredentialType, Registration
from courses.models import AsyncCompletion, Course, Enrollment, Provider
from tests.asynchronous.factories import (
    AsyncCompletionFactory,
    approved_async_course,
    make_reviewer,
    pdf_upload,
    renewal_credits_type,
    renewal_registration,
    text_upload,
)
from tests.factories import CourseFactory, CredentialTypeFactory, RegistrationFactory, UserFactory
from training.selectors import async_completions_for_transcript
from training.services import async_completion_decide

NEW_URL = reverse("async_completion_new")


@pytest.fixture
def staff_member(client):
    person = UserFactory(email="pat@example.org", first_name="Pat")
    client.force_login(person)
    return person


@pytest.fixture
def cycle(staff_member) -> Registration:
    return renewal_registration(staff_member)


def form_data(registration: Registration, **overrides: object) -> dict:
    return {
        "registration": registration.pk,
        "provider_name": "Coursera",
        "course_title": "Data Literacy for Librarians",
        "completed_on": "2025-06-01",
        "hours": "12",
        "proof": pdf_upload(),
        **overrides,
    }


@pytest.mark.django_db
def test_it_stores_a_completion_from_an_approved_source(client, cycle, stored_files):
    response = client.post(NEW_URL, form_data(cycle, provider_name="coursera"))
    completion = AsyncCompletion.objects.get()
    assert response.url == reverse("async_completion_detail", args=[completion.pk])
    assert completion.provider == Provider.objects.get(name="Coursera")
    assert completion.course is None
    assert completion.course_title == "Data Literacy for Librarians"
    assert completion.completed_on == datetime.date(2025, 6, 1)
    assert completion.hours == Decimal("12")
    assert completion.status == AsyncCompletion.Status.PENDING
    assert completion.proof_content_type == "application/pdf"
    assert len(stored_files()) == 1


@pytest.mark.django_db
def test_it_stores_a_completion_of_an_individually_approved_course(client, cycle):
    course = approved_async_course(title="Grant Writing for Libraries")
    client.post(NEW_URL, form_data(cycle, course=course.pk, provider_name="", course_title=""))
    completion = AsyncCompletion.objects.get()
    assert completion.course == course
    assert completion.provider == course.provider
    assert completion.course_title == "Grant Writing for Libraries"


@pytest.mark.django_db
def test_it_recognises_a_typed_approved_course(client, cycle):
    course = approved_async_course(title="Grant Writing for Libraries")
    client.post(
        NEW_URL,
        form_data(
            cycle,
            provider_name="kentucky library association",
            course_title="grant writing for libraries",
        ),
    )
    assert AsyncCompletion.objects.get().course == course


@pytest.mark.django_db
def test_it_refuses_an_unlisted_source_with_a_prefilled_approval_link(client, cycle, stored_files):
    response = client.post(
        NEW_URL,
        form_data(
            cycle,
            provider_name="Acme Learning",
            course_title="Cataloging 101",
            course_url="https://acme.example.org/cataloging",
        ),
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["provider_name"]
    assert "“Acme Learning” is not on KDLA's list of approved sources" in message
    assert "Asynchronous Course Approval Submission Form" in message
    link = response.context["approval_link"]
    assert link.startswith(reverse("async_course_approval_new"))
    assert parse_qs(urlparse(link).query) == {
        "provider_name": ["Acme Learning"],
        "course_title": ["Cataloging 101"],
        "course_url": ["https://acme.example.org/cataloging"],
        "length_hours": ["12"],
    }
    assert f'href="{link.replace("&", "&amp;")}"' in response.content.decode()
    assert AsyncCompletion.objects.count() == 0
    assert stored_files() == []
    prefilled = client.get(link).context["form"]
    assert prefilled["provider_name"].value() == "Acme Learning"
    assert prefilled["course_title"].value() == "Cataloging 101"
    assert prefilled["length_hours"].value() == "12"


@pytest.mark.django_db
def test_it_refuses_a_provider_created_for_one_approved_course_for_other_courses(client, cycle):
    approved_async_course(title="Grant Writing for Libraries")
    response = client.post(
        NEW_URL,
        form_data(cycle, provider_name="Kentucky Library Association", course_title="Other"),
    )
    assert "is not on KDLA's list" in response.context["form"].errors["provider_name"][0]
    assert AsyncCompletion.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_fewer_than_ten_hours(client, cycle, stored_files):
    response = client.post(NEW_URL, form_data(cycle, hours="9.5"))
    assert response.context["form"].errors["hours"] == [
        "Asynchronous courses must be at least 10 hours long; this one is 9.5 hours."
    ]
    assert AsyncCompletion.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
@pytest.mark.parametrize("completed_on", ["2023-12-31", "2029-01-01"])
def test_it_refuses_a_completion_date_outside_the_cycle(client, staff_member, completed_on):
    registration = renewal_registration(
        staff_member, cycle_start=datetime.date(2024, 1, 1), cycle_end=datetime.date(2030, 12, 31)
    )
    if completed_on == "2029-01-01":  # inside this cycle but still in the future
        expected = "The completion date cannot be in the future."
    else:
        expected = (
            "The completion date 12/31/2023 is before your first registration with KDLA "
            "(01/01/2024): no cycle of yours can count it. Only courses completed inside your "
            "Part Time Certification- Renewal credits cycle (01/01/2024 – 12/31/2030) count."
        )
    response = client.post(NEW_URL, form_data(registration, completed_on=completed_on))
    assert response.context["form"].errors["completed_on"] == [expected]
    assert AsyncCompletion.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_date_after_the_cycle_ended(client, staff_member):
    registration = renewal_registration(
        staff_member, cycle_start=datetime.date(2020, 1, 1), cycle_end=datetime.date(2025, 12, 31)
    )
    response = client.post(NEW_URL, form_data(registration, completed_on="2026-01-05"))
    assert "is outside your" in response.context["form"].errors["completed_on"][0]
    assert AsyncCompletion.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_proof_that_is_not_a_document(client, cycle, stored_files):
    response = client.post(NEW_URL, form_data(cycle, proof=text_upload("certificate.pdf")))
    [message] = response.context["form"].errors["proof"]
    assert "“certificate.pdf” is not a PDF, Word document or image" in message
    assert AsyncCompletion.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_it_refuses_a_report_without_a_source(client, cycle):
    response = client.post(NEW_URL, form_data(cycle, provider_name="", course_title=""))
    assert response.context["form"].non_field_errors() == [
        "Choose an approved course, or type the provider and the course title."
    ]
    assert AsyncCompletion.objects.count() == 0


@pytest.mark.django_db
def test_it_offers_only_registrations_that_accept_asynchronous_courses(client, staff_member):
    renewal = renewal_registration(staff_member)
    full_time_initial = RegistrationFactory(
        user=staff_member,
        credential_type=CredentialTypeFactory(
            kind=CredentialType.Kind.INITIAL_APPLICATION, accepts_async_courses=True
        ),
    )
    part_time_initial = RegistrationFactory(
        user=staff_member,
        credential_type=CredentialTypeFactory(
            kind=CredentialType.Kind.INITIAL_APPLICATION, accepts_async_courses=False
        ),
    )
    lapsed = renewal_registration(
        staff_member, status=Registration.Status.LAPSED, credential_type=renewal_credits_type()
    )
    someone_elses = renewal_registration(UserFactory())
    offered = set(client.get(NEW_URL).context["form"].fields["registration"].queryset)
    assert offered == {renewal, full_time_initial}
    for refused in (part_time_initial, lapsed, someone_elses):
        response = client.post(NEW_URL, form_data(refused))
        assert response.context["form"].errors["registration"] == [
            "Select a valid choice. That choice is not one of the available choices."
        ]
    assert AsyncCompletion.objects.count() == 0


@pytest.mark.django_db
def test_an_initial_application_accepts_a_course_completed_before_it(client, staff_member):
    application = RegistrationFactory(
        user=staff_member,
        credential_type=CredentialTypeFactory(
            kind=CredentialType.Kind.INITIAL_APPLICATION, accepts_async_courses=True
        ),
    )
    client.post(NEW_URL, form_data(application, completed_on="2025-06-01"))
    assert AsyncCompletion.objects.get().registration == application


@pytest.mark.django_db
def test_it_answers_404_for_someone_elses_completion(client, staff_member):
    other = AsyncCompletionFactory()
    assert client.get(reverse("async_completion_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("async_completion_proof", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_it_serves_the_proof_to_its_owner(client, staff_member):
    own = AsyncCompletionFactory(user=staff_member)
    assert client.get(reverse("async_completion_detail", args=[own.pk])).status_code == 200
    response = client.get(reverse("async_completion_proof", args=[own.pk]), {"inline": "1"})
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_approved_hours_count_toward_the_registration(django_capture_on_commit_callbacks):
    completion = AsyncCompletionFactory(hours=Decimal("12"))
    registration = completion.registration
    with django_capture_on_commit_callbacks(execute=True):
        async_completion_decide(
            completion=completion, approve=True, note="", reviewer=make_reviewer()
        )
    registration.refresh_from_db()
    assert registration.earned_credits == Decimal("12")
    assert registration.status == Registration.Status.ACTIVE
    [email] = mail.outbox
    assert email.subject == "Asynchronous course approved: Data Literacy for Librarians"
    assert "count toward Part Time Certification- Renewal credits" in email.body
    assert list(async_completions_for_transcript(completion.user)) == [completion]


@pytest.mark.django_db
def test_approved_hours_add_to_portal_hours_and_complete_the_cycle():
    completion = AsyncCompletionFactory(hours=Decimal("12"))
    registration = completion.registration
    Enrollment.objects.create(
        user=completion.user,
        course=CourseFactory(contact_hours=Decimal("3"), format=Course.Format.PORTAL),
        status=Enrollment.Status.COMPLETED,
        completed_on=datetime.date(2025, 2, 1),
    )
    async_completion_decide(completion=completion, approve=True, note="", reviewer=make_reviewer())
    registration.refresh_from_db()
    assert registration.earned_credits == Decimal("15")
    assert registration.status == Registration.Status.COMPLETED


@pytest.mark.django_db
def test_approved_hours_are_capped_by_the_credential_types_maximum():
    user = UserFactory()
    registration = renewal_registration(
        user,
        credential_type=renewal_credits_type(
            required_credits=Decimal("75"), max_async_hours=Decimal("20")
        ),
    )
    reviewer = make_reviewer()
    for _ in range(2):
        completion = AsyncCompletionFactory(
            user=user, registration=registration, hours=Decimal("12")
        )
        async_completion_decide(completion=completion, approve=True, note="", reviewer=reviewer)
    registration.refresh_from_db()
    assert registration.earned_credits == Decimal("20")


@pytest.mark.django_db
def test_pending_and_rejected_hours_do_not_count(django_capture_on_commit_callbacks):
    completion = AsyncCompletionFactory(hours=Decimal("12"))
    AsyncCompletionFactory(user=completion.user, registration=completion.registration)
    with django_capture_on_commit_callbacks(execute=True):
        async_completion_decide(
            completion=completion,
            approve=False,
            note="The certificate does not show your name.",
            reviewer=make_reviewer(),
        )
    completion.registration.refresh_from_db()
    assert completion.registration.earned_credits == Decimal("0")
    assert "does not show your name" in mail.outbox[0].body
    assert list(async_completions_for_transcript(completion.user)) == []


@pytest.mark.django_db
def test_it_refuses_a_rejection_without_a_note():
    completion = AsyncCompletionFactory()
    with pytest.raises(ValidationError, match="Write a note"):
        async_completion_decide(
            completion=completion, approve=False, note="", reviewer=make_reviewer()
        )
    completion.refresh_from_db()
    assert completion.status == AsyncCompletion.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 25])
def test_my_courses_page_runs_a_fixed_number_of_queries(
    client, staff_member, cycle, django_assert_max_num_queries, rows
):
    AsyncCompletionFactory.create_batch(rows, user=staff_member, registration=cycle)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("async_my_courses"))
    assert len(response.context["completions"]) == rows


@pytest.mark.django_db
@pytest.mark.parametrize("courses", [1, 25])
def test_the_report_form_runs_a_fixed_number_of_queries(
    client, staff_member, cycle, django_assert_max_num_queries, courses
):
    for number in range(courses):
        approved_async_course(title=f"Approved course {number}")
    with django_assert_max_num_queries(7):
        response = client.get(NEW_URL)
    assert response.status_code == 200
