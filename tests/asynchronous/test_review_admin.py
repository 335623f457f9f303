"""The reviewers' queues in the review site (the admin)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import AsyncCompletion, CourseApprovalRequest
from tests.asynchronous.factories import (
    AsyncCompletionFactory,
    CourseApprovalRequestFactory,
    make_reviewer,
)
from tests.factories import UserFactory

QUEUE_URL = reverse("admin:courses_courseapprovalrequest_changelist")


@pytest.fixture
def reviewer(client):
    person = make_reviewer(email="reviewer@example.org")
    client.force_login(person)
    return person


@pytest.mark.django_db
def test_the_queue_shows_requests_awaiting_review_oldest_first(client, reviewer):
    for day in (3, 1, 2):
        CourseApprovalRequestFactory(
            course_title=f"Course submitted on the {day}",
            submitted_at=f"2026-03-0{day}T10:00:00-05:00",
        )
    CourseApprovalRequestFactory(
        course_title="Already decided",
        status=CourseApprovalRequest.Status.REJECTED,
        reviewer_note="No.",
        decided_at="2026-03-04T10:00:00-05:00",
    )
    response = client.get(QUEUE_URL)
    assert response.status_code == 200
    assert response.context["title"] == "Course approval requests awaiting review"
    titles = [row.course_title for row in response.context["cl"].result_list]
    assert titles == [
        "Course submitted on the 1",
        "Course submitted on the 2",
        "Course submitted on the 3",
    ]
    everything = client.get(QUEUE_URL, {"status": "all"})
    assert len(everything.context["cl"].result_list) == 4


@pytest.mark.django_db
def test_a_reviewer_approves_a_request_in_the_admin(client, reviewer):
    approval_request = CourseApprovalRequestFactory(course_title="Grant Writing for Libraries")
    change_page = client.get(
        reverse("admin:courses_courseapprovalrequest_change", args=[approval_request.pk])
    )
    approve_url = reverse("admin:courses_courseapprovalrequest_approve", args=[approval_request.pk])
    assert approve_url in change_page.content.decode()
    assert client.get(approve_url).status_code == 200
    response = client.post(approve_url, {"note": ""})
    assert response.status_code == 302
    approval_request.refresh_from_db()
    assert approval_request.status == CourseApprovalRequest.Status.APPROVED
    assert approval_request.approved_course.title == "Grant Writing for Libraries"


@pytest.mark.django_db
def test_the_reject_page_refuses_a_missing_note(client, reviewer):
    approval_request = CourseApprovalRequestFactory()
    reject_url = reverse("admin:courses_courseapprovalrequest_reject", args=[approval_request.pk])
    response = client.post(reject_url, {"note": ""})
    assert response.status_code == 200
    assert "Write a note telling the person why it was not approved." in (response.content.decode())
    approval_request.refresh_from_db()
    assert approval_request.status == CourseApprovalRequest.Status.PENDING


@pytest.mark.django_db
def test_a_reviewer_approves_a_completion_and_the_hours_count(client, reviewer):
    completion = AsyncCompletionFactory(hours=Decimal("11"))
    queue = client.get(reverse("admin:courses_asynccompletion_changelist"))
    assert queue.context["title"] == "Asynchronous course completions awaiting review"
    approve_url = reverse("admin:courses_asynccompletion_approve", args=[completion.pk])
    client.post(approve_url, {"note": "Well done."})
    completion.refresh_from_db()
    completion.registration.refresh_from_db()
    assert completion.status == AsyncCompletion.Status.APPROVED
    assert completion.decided_by == reviewer
    assert completion.registration.earned_credits == Decimal("11")


@pytest.mark.django_db
def test_staff_without_the_permission_cannot_decide(client):
    approval_request = CourseApprovalRequestFactory()
    client.force_login(UserFactory(is_staff=True))
    approve_url = reverse("admin:courses_courseapprovalrequest_approve", args=[approval_request.pk])
    assert client.post(approve_url, {"note": ""}).status_code in (403, 404)
    approval_request.refresh_from_db()
    assert approval_request.status == CourseApprovalRequest.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_the_queues_run_a_fixed_number_of_queries(
    client, reviewer, django_assert_max_num_queries, rows
):
    AsyncCompletionFactory.create_batch(rows)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:courses_asynccompletion_changelist"))
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.django_db
def test_the_queues_show_the_days_waiting_and_the_library(client, reviewer):
    now = timezone.now()
    completion = AsyncCompletionFactory(submitted_at=now - datetime.timedelta(days=9))
    approval_request = CourseApprovalRequestFactory(submitted_at=now - datetime.timedelta(days=3))
    for queue, item, days in (
        (reverse("admin:courses_asynccompletion_changelist"), completion, 9),
        (QUEUE_URL, approval_request, 3),
    ):
        page = client.get(queue).content.decode()
        assert '<th scope="col" class="sortable column-age_in_days">' in page
        assert f'<td class="field-age_in_days">{days}</td>' in page
        assert f'<td class="field-library">{item.user.library.name}</td>' in page
        assert f'<td class="field-person">{item.user.full_name}</td>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_the_course_approval_queue_runs_a_fixed_number_of_queries(
    client, reviewer, django_assert_max_num_queries, rows
):
    CourseApprovalRequestFactory.create_batch(rows)
    with django_assert_max_num_queries(12):
        response = client.get(QUEUE_URL)
    assert len(response.context["cl"].result_list) == rows
