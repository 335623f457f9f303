"""A reviewer records a course completion by hand (a paper sign-in sheet): once, with a
reason, never their own; the hours count once, the person is emailed, the transcript says so."""

from __future__ import annotations

import datetime
import html as html_module
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.reviewers import add_to_reviewers
from courses.models import Enrollment
from courses.services.enrollments import course_completion_record_by_hand, course_register
from notifications.models import OutboxMessage
from portal.transcript import build_transcript, transcript_csv_rows
from tests.certifications.kdla_history import open_renewal_cycle
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")
SHEET = "Sign-in sheet of the 03/04/2027 workshop in Frankfort"


@pytest.fixture(autouse=True)
def today(time_machine) -> datetime.date:
    time_machine.move_to(datetime.datetime(2027, 3, 10, 9, 0, tzinfo=KENTUCKY), tick=False)
    return datetime.date(2027, 3, 10)


@pytest.fixture
def reviewer(migration_installed_data):
    reviewer = UserFactory(email="robin@example.org", first_name="Robin", last_name="Reyes")
    add_to_reviewers(reviewer)
    return reviewer


@pytest.fixture
def learner():
    return UserFactory(email="casey@example.org", first_name="Casey", last_name="Jones")


@pytest.fixture
def enrollment(learner) -> Enrollment:
    course = CourseFactory(title="Weeding the Collection", contact_hours=Decimal("3"))
    return course_register(user=learner, course=course)


@pytest.fixture
def cycle(learner):
    return open_renewal_cycle(learner, cycle_start=datetime.date(2026, 1, 5))


def record(enrollment, reviewer, *, on=datetime.date(2027, 3, 4), reason=SHEET):
    return course_completion_record_by_hand(
        enrollment=enrollment, reviewer=reviewer, completed_on=on, reason=reason
    )


def test_a_completion_recorded_by_hand_counts_its_hours_once_and_emails_the_person(
    enrollment, reviewer, cycle
):
    completed = record(enrollment, reviewer)
    assert (completed.status, completed.completed_on) == ("COMPLETED", datetime.date(2027, 3, 4))
    assert (completed.completion_recorded_by, completed.completion_reason) == (reviewer, SHEET)
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("3")
    assert OutboxMessage.objects.filter(key=f"course_completed:{enrollment.pk}").count() == 1
    latest = completed.history.latest()
    assert latest.completion_recorded_by_id == reviewer.pk
    assert latest.history_change_reason == f"Completion recorded by hand: {SHEET}"

    with pytest.raises(ValidationError, match="Casey Jones already completed Weeding the"):
        record(enrollment, reviewer)  # a replayed post
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("3")
    assert OutboxMessage.objects.filter(key=f"course_completed:{enrollment.pk}").count() == 1


@pytest.mark.parametrize(
    ("reason", "on", "message"),
    [
        ("   ", datetime.date(2027, 3, 4), "Say why the completion is recorded by hand"),
        ("x" * 1001, datetime.date(2027, 3, 4), "keep it to 1000"),
        (SHEET, None, "Enter the date the person completed the course"),
        (SHEET, datetime.date(2027, 3, 11), "future"),
    ],
)
def test_a_bad_recording_is_refused_and_nothing_changes(
    enrollment, reviewer, cycle, reason, on, message
):
    with pytest.raises(ValidationError, match=message):
        record(enrollment, reviewer, on=on, reason=reason)
    enrollment.refresh_from_db()
    cycle.refresh_from_db()
    assert (enrollment.status, enrollment.completion_recorded_by, cycle.earned_credits) == (
        "REGISTERED",
        None,
        Decimal("0"),
    )
    assert not OutboxMessage.objects.filter(key=f"course_completed:{enrollment.pk}").exists()


def test_nobody_records_their_own_completion(reviewer):
    own = course_register(user=reviewer, course=CourseFactory(title="Storytime"))
    with pytest.raises(ValidationError, match="your own course; another reviewer must"):
        record(own, reviewer)
    own.refresh_from_db()
    assert own.status == "REGISTERED"


def test_a_reviewer_without_the_permission_is_refused(enrollment, migration_installed_data):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_enrollment"))
    with pytest.raises(PermissionDenied):
        record(enrollment, viewer)
    enrollment.refresh_from_db()
    assert enrollment.status == "REGISTERED"


def test_the_database_refuses_a_manual_completion_without_a_reason(enrollment, reviewer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(
            status="COMPLETED",
            completed_on=datetime.date(2027, 3, 4),
            completion_recorded_by=reviewer,
            completion_reason="",
        )


def test_the_transcript_marks_the_completion_as_recorded_by_hand(
    client, enrollment, reviewer, cycle, learner
):
    record(enrollment, reviewer)
    client.force_login(learner)
    words = " ".join(client.get(reverse("transcript")).content.decode().split())
    assert f"Learning Portal course — recorded by hand by KDLA: {SHEET}" in words
    rows = transcript_csv_rows(build_transcript(user=learner))
    course_rows = [row for row in rows if row[5] == "Weeding the Collection"]
    assert [row[-1] for row in course_rows] == [f"Recorded by hand by KDLA: {SHEET}"] * 2


class TestReviewSite:
    def test_a_reviewer_records_a_completion_on_the_enrollments_page(
        self, client, enrollment, reviewer, cycle
    ):
        client.force_login(reviewer)
        page = client.get(reverse("admin:courses_enrollment_change", args=[enrollment.pk]))
        html = page.content.decode()
        action = reverse("admin:courses_enrollment_record_completion", args=[enrollment.pk])
        assert f'action="{action}"' in html
        assert "Record completion by hand" in html

        response = client.post(action, {"completed_on": "03/04/2027", "reason": SHEET})
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.completion_recorded_by == reviewer
        followed = client.get(response.url)
        words = " ".join(html_module.unescape(followed.content.decode()).split())
        assert (
            "Casey Jones's completion of Weeding the Collection on 03/04/2027 was recorded" in words
        )
        assert f"recorded by hand by Robin Reyes. Reason: {SHEET}" in words

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (
                {"completed_on": "2027-03-04", "reason": SHEET},
                "Enter the completion date as MM/DD/YYYY",
            ),
            ({"completed_on": "03/04/2027", "reason": ""}, "Say why the completion is recorded"),
        ],
    )
    def test_a_bad_form_is_refused_with_its_reason(
        self, client, enrollment, reviewer, data, message
    ):
        client.force_login(reviewer)
        action = reverse("admin:courses_enrollment_record_completion", args=[enrollment.pk])
        response = client.post(action, data, follow=True)
        html = response.content.decode()
        assert message in html
        # What was typed comes back in the boxes, once.
        assert f'value="{data["completed_on"]}"' in html
        assert f'aria-describedby="completion-reason-help">{data["reason"]}</textarea>' in html
        again = client.get(reverse("admin:courses_enrollment_change", args=[enrollment.pk]))
        assert 'aria-describedby="completion-reason-help"></textarea>' in again.content.decode()
        enrollment.refresh_from_db()
        assert enrollment.status == "REGISTERED"

    def test_it_is_post_only_and_csrf_protected(self, enrollment, reviewer):
        from django.test import Client

        action = reverse("admin:courses_enrollment_record_completion", args=[enrollment.pk])
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(reviewer)
        assert strict.get(action).status_code == 405
        assert (
            strict.post(action, {"completed_on": "03/04/2027", "reason": SHEET}).status_code == 403
        )
        enrollment.refresh_from_db()
        assert enrollment.status == "REGISTERED"

    def test_a_view_only_staff_member_gets_403_and_an_unknown_id_404(
        self, client, enrollment, migration_installed_data
    ):
        viewer = UserFactory(is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_enrollment"))
        client.force_login(viewer)
        action = reverse("admin:courses_enrollment_record_completion", args=[enrollment.pk])
        data = {"completed_on": "03/04/2027", "reason": SHEET}
        assert client.post(action, data).status_code == 403
        page = client.get(reverse("admin:courses_enrollment_change", args=[enrollment.pk]))
        assert "Record completion by hand" not in page.content.decode()
        missing = reverse("admin:courses_enrollment_record_completion", args=[enrollment.pk + 999])
        assert client.post(missing, data).status_code == 404
        enrollment.refresh_from_db()
        assert enrollment.status == "REGISTERED"
