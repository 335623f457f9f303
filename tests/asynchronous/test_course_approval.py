"""The Asynchronous Course Approval Submission Form and its review."""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import Course, CourseApprovalRequest, Provider
from tests.asynchronous.factories import (
    CourseApprovalRequestFactory,
    make_reviewer,
    pdf_upload,
    text_upload,
)
from tests.factories import UserFactory
from training.services import course_approval_decide

NEW_URL = reverse("async_course_approval_new")


def form_data(**overrides: object) -> dict:
    return {
        "provider_name": "Kentucky Library Association",
        "provider_url": "https://www.klaonline.org/",
        "course_title": "Grant Writing for Libraries",
        "course_url": "https://www.klaonline.org/grant-writing",
        "description": "Finding, writing and reporting on grants.",
        "length_hours": "12",
        **overrides,
    }


@pytest.fixture
def staff_member(client):
    person = UserFactory(email="pat@example.org", first_name="Pat")
    client.force_login(person)
    return person


@pytest.mark.django_db
def test_it_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(NEW_URL)
    assert response.status_code == 302
    assert reverse("login") in response.url


@pytest.mark.django_db
def test_it_stores_a_request_with_its_syllabus(client, staff_member, stored_files):
    response = client.post(NEW_URL, form_data(syllabus=pdf_upload("syllabus.pdf")))
    approval_request = CourseApprovalRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("async_course_approval_detail", args=[approval_request.pk])
    assert approval_request.user == staff_member
    assert approval_request.status == CourseApprovalRequest.Status.PENDING
    assert approval_request.length_hours == Decimal("12")
    assert approval_request.syllabus_name == "syllabus.pdf"
    assert approval_request.syllabus_content_type == "application/pdf"
    assert len(stored_files()) == 1


@pytest.mark.django_db
def test_it_refuses_a_course_shorter_than_ten_hours(client, staff_member, stored_files):
    response = client.post(NEW_URL, form_data(length_hours="9.5", syllabus=pdf_upload()))
    assert response.status_code == 200
    assert response.context["form"].errors["length_hours"] == [
        "Asynchronous courses must be at least 10 hours long; this one is 9.5 hours."
    ]
    assert "this one is 9.5 hours" in response.content.decode()
    assert CourseApprovalRequest.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_it_refuses_a_syllabus_that_is_not_a_document(client, staff_member, stored_files):
    response = client.post(NEW_URL, form_data(syllabus=text_upload("syllabus.pdf")))
    assert "is not a PDF, Word document or image" in response.context["form"].errors["syllabus"][0]
    assert CourseApprovalRequest.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_it_refuses_a_source_already_on_the_list(client, staff_member):
    response = client.post(NEW_URL, form_data(provider_name="coursera"))
    assert (
        "Coursera is already on KDLA's list" in response.context["form"].errors["provider_name"][0]
    )
    assert CourseApprovalRequest.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_missing_and_malformed_fields(client, staff_member):
    response = client.post(NEW_URL, form_data(course_title="", course_url="not a url"))
    errors = response.context["form"].errors
    assert errors["course_title"] == ["This field is required."]
    assert errors["course_url"] == ["Enter a valid URL."]
    assert CourseApprovalRequest.objects.count() == 0


@pytest.mark.django_db
def test_it_prefills_the_form_from_the_link(client, staff_member):
    query = urlencode({"provider_name": "Acme Learning", "course_title": "Cataloging 101"})
    response = client.get(f"{NEW_URL}?{query}")
    form = response.context["form"]
    assert form["provider_name"].value() == "Acme Learning"
    assert form["course_title"].value() == "Cataloging 101"
    assert 'value="Acme Learning"' in response.content.decode()


@pytest.mark.django_db
def test_it_answers_404_for_someone_elses_request(client, staff_member):
    other = CourseApprovalRequestFactory(syllabus=pdf_upload(), syllabus_name="s.pdf")
    assert client.get(reverse("async_course_approval_detail", args=[other.pk])).status_code == 404
    syllabus_url = reverse("async_course_approval_syllabus", args=[other.pk])
    assert client.get(syllabus_url).status_code == 404


@pytest.mark.django_db
def test_it_serves_the_syllabus_to_its_owner_and_to_reviewers_only(client, staff_member):
    own = CourseApprovalRequestFactory(
        user=staff_member,
        syllabus=pdf_upload(),
        syllabus_name="syllabus.pdf",
        syllabus_content_type="application/pdf",
    )
    url = reverse("async_course_approval_syllabus", args=[own.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(make_reviewer())
    preview = client.get(url, {"inline": "1"})
    assert preview["Content-Disposition"].startswith("inline")
    client.force_login(UserFactory(is_staff=True))  # staff without the permission
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_approving_creates_an_approved_course_visible_to_everyone(
    client, django_capture_on_commit_callbacks
):
    approval_request = CourseApprovalRequestFactory(
        course_title="Grant Writing for Libraries", length_hours=Decimal("14.5")
    )
    reviewer = make_reviewer()
    with django_capture_on_commit_callbacks(execute=True):
        course_approval_decide(
            approval_request=approval_request, approve=True, note="", reviewer=reviewer
        )
    approval_request.refresh_from_db()
    course = approval_request.approved_course
    assert approval_request.status == CourseApprovalRequest.Status.APPROVED
    assert approval_request.decided_by == reviewer
    assert course.format == Course.Format.ASYNC_EXTERNAL
    assert course.category.slug == "asynchronous-training"
    assert course.contact_hours == Decimal("14.5")
    assert course.url == "https://www.klaonline.org/grant-writing"
    assert course.provider.name == "Kentucky Library Association"
    assert course.provider.is_approved_async_source is False
    content = client.get(reverse("async_training")).content.decode()
    assert "Grant Writing for Libraries" in content
    assert "Kentucky Library Association" in content
    [email] = mail.outbox
    assert email.to == [approval_request.user.email]
    assert email.subject == "Course approved: Grant Writing for Libraries"
    assert f"/training/approval/{approval_request.pk}/" in email.body


@pytest.mark.django_db
def test_approving_reuses_the_provider_and_course(django_capture_on_commit_callbacks):
    reviewer = make_reviewer()
    first = CourseApprovalRequestFactory(course_title="Cataloging 101")
    second = CourseApprovalRequestFactory(
        course_title="cataloging 101", provider_name="KENTUCKY LIBRARY ASSOCIATION"
    )
    with django_capture_on_commit_callbacks(execute=True):
        course_approval_decide(approval_request=first, approve=True, note="", reviewer=reviewer)
        course_approval_decide(approval_request=second, approve=True, note="", reviewer=reviewer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.approved_course == second.approved_course
    assert Provider.objects.filter(name__iexact="Kentucky Library Association").count() == 1


@pytest.mark.django_db
def test_it_refuses_a_rejection_without_a_note(django_capture_on_commit_callbacks):
    approval_request = CourseApprovalRequestFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="Write a note"),
    ):
        course_approval_decide(
            approval_request=approval_request, approve=False, note="  ", reviewer=make_reviewer()
        )
    approval_request.refresh_from_db()
    assert approval_request.status == CourseApprovalRequest.Status.PENDING
    assert mail.outbox == []


@pytest.mark.django_db
def test_rejecting_emails_the_note_and_creates_no_course(django_capture_on_commit_callbacks):
    approval_request = CourseApprovalRequestFactory()
    with django_capture_on_commit_callbacks(execute=True):
        course_approval_decide(
            approval_request=approval_request,
            approve=False,
            note="This is a marketing webinar, not an in-depth course.",
            reviewer=make_reviewer(),
        )
    approval_request.refresh_from_db()
    assert approval_request.status == CourseApprovalRequest.Status.REJECTED
    assert Course.objects.filter(format=Course.Format.ASYNC_EXTERNAL).count() == 0
    [email] = mail.outbox
    assert "not an in-depth course" in email.body


@pytest.mark.django_db
def test_it_refuses_to_decide_twice():
    approval_request = CourseApprovalRequestFactory()
    reviewer = make_reviewer()
    course_approval_decide(
        approval_request=approval_request, approve=True, note="", reviewer=reviewer
    )
    with pytest.raises(ValidationError, match="was already approved by"):
        course_approval_decide(
            approval_request=approval_request, approve=False, note="No.", reviewer=reviewer
        )
    approval_request.refresh_from_db()
    assert approval_request.status == CourseApprovalRequest.Status.APPROVED


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 25])
def test_my_courses_page_runs_a_fixed_number_of_queries(
    client, staff_member, django_assert_max_num_queries, rows
):
    CourseApprovalRequestFactory.create_batch(rows, user=staff_member)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("async_my_courses"))
    assert len(response.context["approval_requests"]) == rows
