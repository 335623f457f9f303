"""Live sessions: registration with capacity and a waiting list; attendance recorded by a
reviewer; attended = complete, hours only then."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.reviewers import add_to_reviewers
from courses.models import (
    CourseModule,
    Enrollment,
    LiveSession,
    LiveSessionRegistration,
    ModuleCompletion,
)
from courses.services.live_sessions import live_session_record_attendance, live_session_register
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def module():
    course = CourseFactory(title="Solving Difficult Situations in the Library")
    return CourseModule.objects.create(
        course=course, position=1, title="De-escalation workshop", kind=CourseModule.Kind.LIVE
    )


def session_of(module, *, starts_in=datetime.timedelta(days=7), capacity=2) -> LiveSession:
    starts = timezone.now() + starts_in
    return LiveSession.objects.create(
        module=module,
        starts_at=starts,
        ends_at=starts + 2 * HOUR,
        place="Boyd County PL",
        capacity=capacity,
    )


def test_seats_fill_then_learners_wait(module):
    session = session_of(module, capacity=1)
    first = live_session_register(
        enrollment=EnrollmentFactory(course=module.course), session=session
    )
    second = live_session_register(
        enrollment=EnrollmentFactory(course=module.course), session=session
    )
    assert (first.status, second.status) == ("REGISTERED", "WAITING")


def test_a_second_registration_for_the_module_is_refused(module):
    enrollment = EnrollmentFactory(course=module.course)
    live_session_register(enrollment=enrollment, session=session_of(module))
    with pytest.raises(ValidationError, match="You are already registered for the session of"):
        live_session_register(enrollment=enrollment, session=session_of(module))
    assert LiveSessionRegistration.objects.count() == 1


def test_a_session_that_started_is_refused(module):
    with pytest.raises(ValidationError, match="This session has already started"):
        live_session_register(
            enrollment=EnrollmentFactory(course=module.course),
            session=session_of(module, starts_in=-HOUR),
        )
    assert not LiveSessionRegistration.objects.exists()


def test_attendance_completes_the_module_and_the_course(module, time_machine):
    session = session_of(module)
    enrollment = EnrollmentFactory(course=module.course)
    registration = live_session_register(enrollment=enrollment, session=session)
    reviewer = UserFactory(is_staff=True)
    with pytest.raises(ValidationError, match="once the session has started"):
        live_session_record_attendance(registration=registration, attended=True, reviewer=reviewer)
    time_machine.move_to(session.starts_at + HOUR)
    live_session_record_attendance(registration=registration, attended=True, reviewer=reviewer)
    assert ModuleCompletion.objects.filter(enrollment=enrollment, module=module).exists()
    assert Enrollment.objects.get(pk=enrollment.pk).status == "COMPLETED"
    with pytest.raises(ValidationError, match="was already recorded on"):
        live_session_record_attendance(registration=registration, attended=False, reviewer=reviewer)


def test_absence_does_not_complete(module, time_machine):
    session = session_of(module)
    enrollment = EnrollmentFactory(course=module.course)
    registration = live_session_register(enrollment=enrollment, session=session)
    time_machine.move_to(session.starts_at + HOUR)
    live_session_record_attendance(
        registration=registration, attended=False, reviewer=UserFactory()
    )
    assert not ModuleCompletion.objects.exists()
    assert Enrollment.objects.get(pk=enrollment.pk).status == "REGISTERED"


def test_a_waiting_learner_cannot_be_marked_attended(module, time_machine):
    session = session_of(module, capacity=1)
    live_session_register(enrollment=EnrollmentFactory(course=module.course), session=session)
    waiting = live_session_register(
        enrollment=EnrollmentFactory(course=module.course), session=session
    )
    time_machine.move_to(session.starts_at + HOUR)
    with pytest.raises(ValidationError, match="is on the waiting list"):
        live_session_record_attendance(registration=waiting, attended=True, reviewer=UserFactory())
    assert not ModuleCompletion.objects.exists()


def test_a_learner_registers_on_the_module_page(client, module):
    enrollment = EnrollmentFactory(course=module.course)
    session = session_of(module)
    client.force_login(enrollment.user)
    page = client.get(reverse("course_module", args=[module.course_id, module.pk]))
    assert "Boyd County PL" in page.content.decode()
    response = client.post(reverse("live_session_register", args=[session.pk]), follow=True)
    starts = timezone.localtime(session.starts_at)
    time = f"{starts:%I:%M %p}".lstrip("0")
    assert f"You are registered for the session of {starts:%m/%d/%Y} at {time}." in (
        response.content.decode()
    )


def test_the_module_page_runs_the_same_queries_for_one_or_many_sessions(
    client, module, django_assert_num_queries
):
    enrollment = EnrollmentFactory(course=module.course)
    client.force_login(enrollment.user)
    session_of(module)
    url = reverse("course_module", args=[module.course_id, module.pk])
    with django_assert_num_queries(7) as one:
        client.get(url)
    for days in range(8, 20):
        live_session_register(
            enrollment=EnrollmentFactory(course=module.course),
            session=session_of(module, starts_in=datetime.timedelta(days=days)),
        )
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_a_reviewer_records_attendance_on_the_roster(
    client, module, time_machine, migration_installed_data
):
    session = session_of(module)
    enrollment = EnrollmentFactory(course=module.course)
    registration = live_session_register(enrollment=enrollment, session=session)
    reviewer = UserFactory(email="robin@example.org")
    add_to_reviewers(reviewer)
    time_machine.move_to(session.starts_at + HOUR)
    # Signed in once the session has happened: an 8-hour idle session would not last until then.
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:courses_livesessionregistration_changelist"),
        {"action": "record_attended", "_selected_action": [registration.pk]},
        follow=True,
    )
    assert "Attendance recorded for 1 person." in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is True
    assert registration.attendance_recorded_by == reviewer
    assert Enrollment.objects.get(pk=enrollment.pk).status == "COMPLETED"
