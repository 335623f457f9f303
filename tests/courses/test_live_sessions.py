"""Live sessions: registration with capacity and a waiting list; attendance recorded by a
reviewer; attended = complete, hours only then."""

from __future__ import annotations

import datetime
import threading
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.reviewers import add_to_reviewers
from accounts.trainers import add_to_trainers
from courses.models import (
    CourseModule,
    Enrollment,
    LiveSession,
    LiveSessionRegistration,
    ModuleCompletion,
)
from courses.services.live_sessions import (
    ATTENDANCE_CODE_WINDOW,
    live_session_cancel,
    live_session_fill_free_seats,
    live_session_record_attendance,
    live_session_record_attendance_by_code,
    live_session_register,
)
from notifications.models import OutboxMessage
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


def trainer_of(session: LiveSession):
    """Someone in the KDLA Trainers group who gives ``session``."""
    trainer = UserFactory()
    add_to_trainers(trainer)
    session.trainer = trainer
    session.save(update_fields=["trainer"])
    return trainer


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
    reviewer = trainer_of(session)
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
        registration=registration, attended=False, reviewer=trainer_of(session)
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
        live_session_record_attendance(
            registration=waiting, attended=True, reviewer=trainer_of(session)
        )
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


# Attendance by code: the trainer gives out the session's code, the learner enters it.


def registered_in_session(module):
    session = session_of(module, starts_in=datetime.timedelta(days=7))
    enrollment = EnrollmentFactory(course=module.course)
    registration = live_session_register(enrollment=enrollment, session=session)
    return session, enrollment, registration


def enter_code(client, registration, code):
    return client.post(
        reverse("live_session_attendance_code", args=[registration.pk]),
        {"attendance_code": code},
        follow=True,
    )


def test_each_session_has_its_own_unambiguous_code(module):
    codes = {session_of(module).attendance_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 6
        assert not set(code) & set("01OIL")


def test_the_right_code_records_attendance_like_the_roster(client, module, time_machine):
    session, enrollment, registration = registered_in_session(module)
    time_machine.move_to(session.starts_at + HOUR)
    client.force_login(enrollment.user)
    page = client.get(reverse("course_module", args=[module.course_id, module.pk]))
    assert "Attendance code" in page.content.decode()
    assert session.attendance_code not in page.content.decode()
    typed = f" {session.attendance_code[:3].lower()} {session.attendance_code[3:]} "
    response = enter_code(client, registration, typed)
    assert "Your attendance is recorded; the module is complete." in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is True
    assert registration.attendance_recorded_by == enrollment.user
    assert ModuleCompletion.objects.filter(enrollment=enrollment, module=module).exists()
    assert Enrollment.objects.get(pk=enrollment.pk).status == "COMPLETED"
    assert "Attendance code" not in response.content.decode()


def test_a_second_entry_says_it_was_already_recorded(client, module, time_machine):
    session, enrollment, registration = registered_in_session(module)
    time_machine.move_to(session.starts_at + HOUR)
    client.force_login(enrollment.user)
    enter_code(client, registration, session.attendance_code)
    recorded = LiveSessionRegistration.objects.get(pk=registration.pk).attendance_recorded_at
    history = registration.history.count()
    response = enter_code(client, registration, session.attendance_code)
    today = timezone.localtime(recorded).strftime("%m/%d/%Y")
    assert f"Your attendance was already recorded on {today}." in response.content.decode()
    assert (
        LiveSessionRegistration.objects.get(pk=registration.pk).attendance_recorded_at == recorded
    )
    assert registration.history.count() == history
    assert ModuleCompletion.objects.count() == 1


def test_a_wrong_code_counts_a_try_and_five_lock_the_code(client, module, time_machine):
    session, enrollment, registration = registered_in_session(module)
    time_machine.move_to(session.starts_at + HOUR)
    client.force_login(enrollment.user)
    wrong = "ZZZZZZ" if session.attendance_code != "ZZZZZZ" else "YYYYYY"
    response = enter_code(client, registration, wrong)
    assert "That is not the session&#x27;s code; check it with the trainer (4 tries left)." in (
        response.content.decode()
    )
    for _ in range(3):
        enter_code(client, registration, wrong)
    response = enter_code(client, registration, wrong)
    assert "no tries are left; ask the trainer to record your attendance." in (
        response.content.decode()
    )
    response = enter_code(client, registration, session.attendance_code)
    assert "Too many wrong codes were entered; ask the trainer" in response.content.decode()
    registration.refresh_from_db()
    assert (registration.attended, registration.attendance_code_wrong_tries) == (None, 5)
    assert not ModuleCompletion.objects.exists()


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (-HOUR, "The attendance code can be entered once the session starts, on"),
        (12 * HOUR + datetime.timedelta(minutes=1), "The attendance code could be entered until"),
    ],
)
def test_the_code_is_refused_outside_the_window(client, module, time_machine, moment, message):
    session, enrollment, registration = registered_in_session(module)
    time_machine.move_to(session.starts_at + moment)
    client.force_login(enrollment.user)
    page = client.get(reverse("course_module", args=[module.course_id, module.pk]))
    assert "Attendance code" not in page.content.decode()
    response = enter_code(client, registration, session.attendance_code)
    assert message in response.content.decode()
    registration.refresh_from_db()
    assert (registration.attended, registration.attendance_code_wrong_tries) == (None, 0)
    assert not ModuleCompletion.objects.exists()


def test_the_code_is_accepted_until_the_end_of_the_window(module, time_machine):
    session, enrollment, registration = registered_in_session(module)
    time_machine.move_to(session.starts_at + ATTENDANCE_CODE_WINDOW)
    result = live_session_record_attendance_by_code(
        registration=registration, learner=enrollment.user, code=session.attendance_code
    )
    assert result.registration.attended is True


def test_a_learner_on_the_waiting_list_is_refused(client, module, time_machine):
    session = session_of(module, capacity=1)
    live_session_register(enrollment=EnrollmentFactory(course=module.course), session=session)
    enrollment = EnrollmentFactory(course=module.course)
    waiting = live_session_register(enrollment=enrollment, session=session)
    time_machine.move_to(session.starts_at + HOUR)
    client.force_login(enrollment.user)
    response = enter_code(client, waiting, session.attendance_code)
    assert "You are on the waiting list of this session, not registered for it" in (
        response.content.decode()
    )
    waiting.refresh_from_db()
    assert waiting.attended is None
    assert not ModuleCompletion.objects.exists()


def test_someone_elses_registration_is_refused(client, module, time_machine):
    session, enrollment, registration = registered_in_session(module)
    other = EnrollmentFactory(course=module.course)
    live_session_register(enrollment=other, session=session)
    time_machine.move_to(session.starts_at + HOUR)
    client.force_login(other.user)
    response = enter_code(client, registration, session.attendance_code)
    assert "This registration is someone else&#x27;s; use your own." in response.content.decode()
    registration.refresh_from_db()
    assert (registration.attended, registration.attendance_code_wrong_tries) == (None, 0)
    assert not ModuleCompletion.objects.exists()


def test_a_learner_recorded_absent_cannot_change_it_with_the_code(module, time_machine):
    session, enrollment, registration = registered_in_session(module)
    time_machine.move_to(session.starts_at + HOUR)
    live_session_record_attendance(
        registration=registration, attended=False, reviewer=trainer_of(session)
    )
    with pytest.raises(ValidationError, match="The trainer recorded you as absent"):
        live_session_record_attendance_by_code(
            registration=registration, learner=enrollment.user, code=session.attendance_code
        )
    assert not ModuleCompletion.objects.exists()


def test_the_code_of_another_session_is_a_wrong_code(module, time_machine):
    session, enrollment, registration = registered_in_session(module)
    other = session_of(module, starts_in=datetime.timedelta(days=7))
    time_machine.move_to(session.starts_at + HOUR)
    with pytest.raises(ValidationError, match="That is not the session's code"):
        live_session_record_attendance_by_code(
            registration=registration, learner=enrollment.user, code=other.attendance_code
        )


def test_the_module_page_with_the_code_form_keeps_its_queries(
    client, module, time_machine, django_assert_num_queries
):
    session, enrollment, registration = registered_in_session(module)
    time_machine.move_to(session.starts_at + HOUR)
    client.force_login(enrollment.user)
    url = reverse("course_module", args=[module.course_id, module.pk])
    with django_assert_num_queries(7):
        response = client.get(url)
    assert "Record my attendance" in response.content.decode()


def test_reviewers_see_the_code_on_the_sessions_page(client, module, migration_installed_data):
    session = session_of(module)
    reviewer = UserFactory(email="robin@example.org")
    add_to_reviewers(reviewer)
    client.force_login(reviewer)
    modules_page = client.get(reverse("admin:courses_coursemodule_change", args=[module.pk]))
    sessions_page = reverse("admin:courses_livesession_change", args=[session.pk])
    assert sessions_page in modules_page.content.decode()
    page = client.get(sessions_page)
    assert page.status_code == 200
    assert session.attendance_code in page.content.decode()


def test_a_reviewer_moves_a_session_on_its_page(client, module, migration_installed_data):
    session = session_of(module)
    code = session.attendance_code
    reviewer = UserFactory(email="robin@example.org")
    add_to_reviewers(reviewer)
    client.force_login(reviewer)
    url = reverse("admin:courses_livesession_change", args=[session.pk])
    starts = timezone.localtime(session.starts_at) + datetime.timedelta(days=1)
    fields = {
        "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
        "ends_at": f"{starts + 2 * HOUR:%Y-%m-%dT%H:%M}",
        "place": "Ashland Community Center",
        "link": "",
        "capacity": "20",
    }
    refused = client.post(url, {**fields, "ends_at": fields["starts_at"]})
    assert refused.status_code == 200
    assert LiveSession.objects.get(pk=session.pk).place == "Boyd County PL"
    client.post(url, fields)
    session.refresh_from_db()
    assert (session.place, session.capacity) == ("Ashland Community Center", 20)
    assert timezone.localtime(session.starts_at).strftime("%m/%d %H:%M") == (
        f"{starts:%m/%d %H:%M}"
    )
    assert session.attendance_code == code


# Cancelling and the waiting list.


def full_session_with_waiting_list(module, *, capacity=1, waiting=2):
    session = session_of(module, capacity=capacity)
    seated = [
        live_session_register(enrollment=EnrollmentFactory(course=module.course), session=session)
        for _ in range(capacity)
    ]
    waiting_list = [
        live_session_register(enrollment=EnrollmentFactory(course=module.course), session=session)
        for _ in range(waiting)
    ]
    return session, seated, waiting_list


def test_a_cancelled_seat_goes_to_the_first_on_the_waiting_list_who_is_emailed(
    module, django_capture_on_commit_callbacks
):
    session, [seated], [first, second] = full_session_with_waiting_list(module)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = live_session_cancel(registration=seated, actor=seated.enrollment.user)
    assert promoted == [first]
    statuses = dict(LiveSessionRegistration.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "REGISTERED", second.pk: "WAITING"}
    [email] = mail.outbox
    assert email.to == [first.enrollment.user.email]
    starts = timezone.localtime(session.starts_at)
    assert email.subject == f"A seat is yours: De-escalation workshop on {starts:%m/%d/%Y}"
    assert (
        "You were on its waiting list, and the seat is now yours: you are registered." in email.body
    )
    assert first.history.first().history_change_reason == "Promoted from the waiting list"
    assert seated.history.first().history_type == "-"


def test_a_reviewer_removes_a_learner_on_the_roster_and_the_waiting_list_moves_up(
    client, module, migration_installed_data
):
    session, seated, [first, second, third] = full_session_with_waiting_list(
        module, capacity=2, waiting=3
    )
    reviewer = UserFactory(email="robin@example.org")
    add_to_reviewers(reviewer)
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:courses_livesessionregistration_changelist"),
        {"action": "remove_from_session", "_selected_action": [one.pk for one in seated]},
        follow=True,
    )
    assert "Removed 2 people and emailed them; 2 promoted from the waiting list and emailed." in (
        response.content.decode()
    )
    statuses = dict(LiveSessionRegistration.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "REGISTERED", second.pk: "REGISTERED", third.pk: "WAITING"}
    assert OutboxMessage.objects.filter(kind="live_session_promoted").count() == 2
    assert seated[0].history.first().history_user == reviewer
    removed = OutboxMessage.objects.filter(kind="live_session_removed")
    assert sorted(removed.values_list("to", flat=True)) == sorted(
        one.enrollment.user.email for one in seated
    )
    starts = timezone.localtime(session.starts_at)
    notice = removed.first()
    assert notice.subject == (
        f"Your place in De-escalation workshop on {starts:%m/%d/%Y} is cancelled"
    )
    assert "KDLA removed you from the session of" in notice.text_body
    assert "so you no longer have a seat." in notice.text_body


def test_someone_removed_from_the_waiting_list_is_told_so(
    module, django_capture_on_commit_callbacks
):
    _, _, [first] = full_session_with_waiting_list(module, waiting=1)
    reviewer = UserFactory()
    add_to_reviewers(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        live_session_cancel(registration=first, actor=reviewer)
    [email] = mail.outbox
    assert email.to == [first.enrollment.user.email]
    assert "KDLA removed you from the waiting list of the session of" in email.body
    assert "so you no longer have a place on it." in email.body


def test_a_learner_who_cancels_gets_no_removal_email(module):
    _, [seated], _ = full_session_with_waiting_list(module, waiting=0)
    live_session_cancel(registration=seated, actor=seated.enrollment.user)
    assert not OutboxMessage.objects.exists()


def test_leaving_the_waiting_list_promotes_nobody(module):
    _, [seated], [first, second] = full_session_with_waiting_list(module)
    assert live_session_cancel(registration=first, actor=first.enrollment.user) == []
    statuses = dict(LiveSessionRegistration.objects.values_list("pk", "status"))
    assert statuses == {seated.pk: "REGISTERED", second.pk: "WAITING"}
    assert not OutboxMessage.objects.filter(kind="live_session_promoted").exists()


def test_a_cancelled_learner_may_register_again_and_waits_behind_the_others(module):
    session, [seated], [first] = full_session_with_waiting_list(module, waiting=1)
    live_session_cancel(registration=seated, actor=seated.enrollment.user)
    again = live_session_register(enrollment=seated.enrollment, session=session)
    assert again.status == "WAITING"


def test_a_learner_cancels_on_the_session_page(client, module):
    _, [seated], [first] = full_session_with_waiting_list(module, waiting=1)
    client.force_login(seated.enrollment.user)
    url = reverse("course_module", args=[module.course_id, module.pk])
    assert "Cancel my registration" in client.get(url).content.decode()
    response = client.post(reverse("live_session_cancel", args=[seated.pk]), follow=True)
    assert "is cancelled. You may register for another session." in response.content.decode()
    assert not LiveSessionRegistration.objects.filter(pk=seated.pk).exists()
    assert LiveSessionRegistration.objects.get(pk=first.pk).status == "REGISTERED"


def test_a_learner_on_the_waiting_list_sees_their_place_in_it(client, module):
    session, _, [first, second] = full_session_with_waiting_list(module)
    client.force_login(second.enrollment.user)
    page = client.get(reverse("course_module", args=[module.course_id, module.pk]))
    starts = timezone.localtime(session.starts_at)
    assert f"You are number 2 on the waiting list of the session of {starts:%m/%d/%Y}" in (
        page.content.decode()
    )
    assert "Leave the waiting list" in page.content.decode()
    live_session_cancel(registration=first, actor=first.enrollment.user)
    page = client.get(reverse("course_module", args=[module.course_id, module.pk]))
    assert "You are number 1 on the waiting list" in page.content.decode()


def test_joining_the_waiting_list_says_which_place_is_yours(client, module):
    session, _, _ = full_session_with_waiting_list(module, waiting=2)
    enrollment = EnrollmentFactory(course=module.course)
    client.force_login(enrollment.user)
    response = client.post(reverse("live_session_register", args=[session.pk]), follow=True)
    starts = timezone.localtime(session.starts_at)
    assert (
        f"The session of {starts:%m/%d/%Y} is full; you are number 3 on its waiting list."
        in response.content.decode()
    )


def test_the_waiting_learners_page_runs_the_same_queries_however_long_the_list(
    client, module, django_assert_num_queries
):
    session, _, [first] = full_session_with_waiting_list(module, waiting=1)
    client.force_login(first.enrollment.user)
    url = reverse("course_module", args=[module.course_id, module.pk])
    with django_assert_num_queries(8) as short_list:
        client.get(url)
    for _ in range(10):
        live_session_register(enrollment=EnrollmentFactory(course=module.course), session=session)
    with django_assert_num_queries(len(short_list.captured_queries)):
        client.get(url)


def test_leaving_the_waiting_list_on_the_session_page(client, module):
    session, [seated], [first] = full_session_with_waiting_list(module, waiting=1)
    client.force_login(first.enrollment.user)
    response = client.post(reverse("live_session_cancel", args=[first.pk]), follow=True)
    starts = timezone.localtime(session.starts_at)
    assert f"You left the waiting list of the session of {starts:%m/%d/%Y}." in (
        response.content.decode()
    )
    assert list(LiveSessionRegistration.objects.values_list("pk", flat=True)) == [seated.pk]


def test_cancelling_twice_says_it_was_already_cancelled_on_the_session_page(client, module):
    _, [seated], [first] = full_session_with_waiting_list(module, waiting=1)
    client.force_login(seated.enrollment.user)
    cancel = reverse("live_session_cancel", args=[seated.pk])
    client.post(cancel)
    response = client.post(cancel, follow=True)
    assert response.redirect_chain == [
        (reverse("course_module", args=[module.course_id, module.pk]), 302)
    ]
    assert "This registration was already cancelled." in response.content.decode()
    assert LiveSessionRegistration.objects.get(pk=first.pk).status == "REGISTERED"
    assert OutboxMessage.objects.filter(kind="live_session_promoted").count() == 1


def test_someone_elses_cancelled_registration_is_not_found(client, module):
    _, [seated], [first] = full_session_with_waiting_list(module, waiting=1)
    live_session_cancel(registration=seated, actor=seated.enrollment.user)
    client.force_login(UserFactory())
    response = client.post(reverse("live_session_cancel", args=[seated.pk]))
    assert response.status_code == 404


def test_someone_elses_registration_cannot_be_cancelled(client, module):
    _, [seated], [first] = full_session_with_waiting_list(module, waiting=1)
    client.force_login(first.enrollment.user)
    response = client.post(reverse("live_session_cancel", args=[seated.pk]))
    assert response.status_code == 404
    assert LiveSessionRegistration.objects.get(pk=seated.pk).status == "REGISTERED"


def test_a_started_session_cannot_be_cancelled_by_the_learner(client, module, time_machine):
    session, [seated], [first] = full_session_with_waiting_list(module, waiting=1)
    time_machine.move_to(session.starts_at + HOUR)
    client.force_login(seated.enrollment.user)
    response = client.post(reverse("live_session_cancel", args=[seated.pk]), follow=True)
    assert "This session has already started, so you cannot cancel it here." in (
        response.content.decode()
    )
    assert LiveSessionRegistration.objects.get(pk=seated.pk).status == "REGISTERED"
    assert LiveSessionRegistration.objects.get(pk=first.pk).status == "WAITING"


def test_a_registration_with_attendance_recorded_stays(module, time_machine):
    session, [seated], _ = full_session_with_waiting_list(module, waiting=1)
    time_machine.move_to(session.starts_at + HOUR)
    reviewer = UserFactory()
    add_to_reviewers(reviewer)
    live_session_record_attendance(registration=seated, attended=False, reviewer=reviewer)
    with pytest.raises(ValidationError, match="Attendance was already recorded"):
        live_session_cancel(registration=seated, actor=reviewer)
    assert LiveSessionRegistration.objects.filter(pk=seated.pk).exists()


def test_a_second_cancellation_is_refused(module):
    _, [seated], [first] = full_session_with_waiting_list(module, waiting=1)
    live_session_cancel(registration=seated, actor=seated.enrollment.user)
    with pytest.raises(ValidationError, match="This registration was already cancelled."):
        live_session_cancel(registration=seated, actor=seated.enrollment.user)
    assert LiveSessionRegistration.objects.get(pk=first.pk).status == "REGISTERED"


@pytest.mark.django_db(transaction=True)
def test_two_cancellations_at_once_give_each_seat_to_one_person(module):
    session, seated, waiting = full_session_with_waiting_list(module, capacity=2, waiting=3)
    start = threading.Barrier(2)
    promoted: list[list[int]] = []

    def cancel(registration):
        try:
            start.wait()
            found = live_session_cancel(
                registration=registration, actor=registration.enrollment.user
            )
            promoted.append([one.pk for one in found])
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(one,)) for one in seated]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(promoted) == sorted([[waiting[0].pk], [waiting[1].pk]])
    assert LiveSessionRegistration.objects.filter(session=session, status="REGISTERED").count() == 2
    assert LiveSessionRegistration.objects.get(pk=waiting[2].pk).status == "WAITING"
    assert OutboxMessage.objects.filter(kind="live_session_promoted").count() == 2


# Trainers: they see and mark only the sessions they give.


def test_the_trainers_group_comes_with_its_permissions(migration_installed_data):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="KDLA Trainers")
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "view_livesession",
        "view_livesessionregistration",
        "change_livesessionregistration",
    }


def test_a_trainer_records_attendance_only_of_their_own_sessions(module, time_machine):
    mine, other = session_of(module), session_of(module, starts_in=datetime.timedelta(days=8))
    trainer = trainer_of(mine)
    trainer_of(other)
    seated_mine = live_session_register(
        enrollment=EnrollmentFactory(course=module.course), session=mine
    )
    seated_other = live_session_register(
        enrollment=EnrollmentFactory(course=module.course), session=other
    )
    time_machine.move_to(other.starts_at + HOUR)
    live_session_record_attendance(registration=seated_mine, attended=True, reviewer=trainer)
    with pytest.raises(PermissionDenied, match="only for the sessions you give"):
        live_session_record_attendance(registration=seated_other, attended=True, reviewer=trainer)
    seated_other.refresh_from_db()
    assert (seated_other.attended, seated_other.attendance_recorded_by) == (None, None)
    assert ModuleCompletion.objects.filter(enrollment=seated_mine.enrollment).count() == 1
    assert not ModuleCompletion.objects.filter(enrollment=seated_other.enrollment).exists()


def test_only_the_learner_or_a_reviewer_cancels_a_registration(module):
    session = session_of(module)
    registration = live_session_register(
        enrollment=EnrollmentFactory(course=module.course), session=session
    )
    for stranger in (UserFactory(), trainer_of(session)):
        with pytest.raises(PermissionDenied, match="Only the learner or a reviewer"):
            live_session_cancel(registration=registration, actor=stranger)
    assert LiveSessionRegistration.objects.filter(pk=registration.pk).exists()


class TestTrainersRoster:
    @pytest.fixture
    def two_sessions(self, module, time_machine, migration_installed_data):
        mine, other = session_of(module), session_of(module, starts_in=datetime.timedelta(days=8))
        trainer = trainer_of(mine)
        trainer_of(other)
        seated_mine = live_session_register(
            enrollment=EnrollmentFactory(course=module.course), session=mine
        )
        seated_other = live_session_register(
            enrollment=EnrollmentFactory(course=module.course), session=other
        )
        time_machine.move_to(other.starts_at + HOUR)
        return trainer, seated_mine, seated_other

    def test_the_roster_and_the_sessions_list_show_only_their_sessions(self, client, two_sessions):
        trainer, seated_mine, seated_other = two_sessions
        client.force_login(trainer)
        roster = client.get(reverse("admin:courses_livesessionregistration_changelist"))
        assert roster.status_code == 200
        assert list(roster.context["cl"].result_list) == [seated_mine]
        html = roster.content.decode()
        assert 'value="record_attended"' in html
        assert 'value="remove_from_session"' not in html
        sessions = client.get(reverse("admin:courses_livesession_changelist"))
        assert list(sessions.context["cl"].result_list) == [seated_mine.session]
        own = client.get(reverse("admin:courses_livesession_change", args=[seated_mine.session_id]))
        assert seated_mine.session.attendance_code in own.content.decode()
        for name, pk in [
            ("admin:courses_livesession_change", seated_other.session_id),
            ("admin:courses_livesessionregistration_change", seated_other.pk),
        ]:
            response = client.get(reverse(name, args=[pk]))
            assert response.status_code == 302  # the admin's "does not exist" redirect
            assert (
                seated_other.session.attendance_code
                not in client.get(response.url).content.decode()
            )

    def test_a_trainer_marks_their_roster_and_cannot_touch_another(self, client, two_sessions):
        trainer, seated_mine, seated_other = two_sessions
        client.force_login(trainer)
        response = client.post(
            reverse("admin:courses_livesessionregistration_changelist"),
            {"action": "record_attended", "_selected_action": [seated_mine.pk, seated_other.pk]},
            follow=True,
        )
        assert "Attendance recorded for 1 person." in response.content.decode()
        seated_mine.refresh_from_db()
        seated_other.refresh_from_db()
        assert (seated_mine.attended, seated_mine.attendance_recorded_by) == (True, trainer)
        assert seated_other.attended is None

    def test_a_trainer_cannot_remove_people_from_a_session(self, client, two_sessions):
        trainer, seated_mine, _ = two_sessions
        client.force_login(trainer)
        client.post(
            reverse("admin:courses_livesessionregistration_changelist"),
            {"action": "remove_from_session", "_selected_action": [seated_mine.pk]},
        )
        assert LiveSessionRegistration.objects.filter(pk=seated_mine.pk).exists()


def test_a_newcomer_waits_behind_those_already_waiting_even_with_a_seat_free(module):
    session, _, [first] = full_session_with_waiting_list(module, waiting=1)
    LiveSession.objects.filter(pk=session.pk).update(capacity=2)
    newcomer = live_session_register(
        enrollment=EnrollmentFactory(course=module.course), session=session
    )
    assert newcomer.status == "WAITING"
    assert live_session_fill_free_seats(session=session, actor=UserFactory()) == [first]


class _FormFields(HTMLParser):
    """The values a browser would send for the page's form, as shown."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("submit", "file"):
            if attributes.get("type") != "checkbox" or "checked" in attributes:
                self.fields[name] = attributes.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields[self._select] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data.removeprefix("\n")


def form_as_shown(html: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(html)
    return parser.fields


@pytest.fixture
def reviewer_signed_in(client, migration_installed_data):
    reviewer = UserFactory(email="robin@example.org")
    add_to_reviewers(reviewer)
    client.force_login(reviewer)
    return reviewer


def test_seats_a_reviewer_adds_on_the_session_page_go_to_the_waiting_list_in_order(
    client, module, reviewer_signed_in, django_capture_on_commit_callbacks
):
    session, _, [first, second, third] = full_session_with_waiting_list(module, waiting=3)
    url = reverse("admin:courses_livesession_change", args=[session.pk])
    fields = {**form_as_shown(client.get(url).content.decode()), "capacity": "3"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, fields, follow=True)
    assert "2 people promoted from the waiting list and emailed." in response.content.decode()
    statuses = dict(LiveSessionRegistration.objects.values_list("pk", "status"))
    assert [statuses[one.pk] for one in (first, second, third)] == [
        "REGISTERED",
        "REGISTERED",
        "WAITING",
    ]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [first.enrollment.user.email, second.enrollment.user.email]
    )


def test_seats_a_reviewer_adds_on_the_module_page_go_to_the_waiting_list(
    client, module, reviewer_signed_in
):
    session, _, [first, second] = full_session_with_waiting_list(module, waiting=2)
    url = reverse("admin:courses_coursemodule_change", args=[module.pk])
    fields = form_as_shown(client.get(url).content.decode())
    [capacity] = [
        name for name in fields if name.endswith("-capacity") and "__prefix__" not in name
    ]
    response = client.post(url, {**fields, capacity: "2"}, follow=True)
    assert "1 person promoted from the waiting list and emailed." in response.content.decode()
    assert LiveSession.objects.get(pk=session.pk).capacity == 2
    assert LiveSessionRegistration.objects.get(pk=first.pk).status == "REGISTERED"
    assert LiveSessionRegistration.objects.get(pk=second.pk).status == "WAITING"
    assert OutboxMessage.objects.filter(kind="live_session_promoted").count() == 1


def test_saving_a_session_with_no_seat_free_promotes_nobody(client, module, reviewer_signed_in):
    session, _, [first] = full_session_with_waiting_list(module, waiting=1)
    url = reverse("admin:courses_livesession_change", args=[session.pk])
    fields = {**form_as_shown(client.get(url).content.decode()), "place": "Ashland Library"}
    response = client.post(url, fields, follow=True)
    assert "promoted from the waiting list" not in response.content.decode()
    assert LiveSession.objects.get(pk=session.pk).place == "Ashland Library"
    assert LiveSessionRegistration.objects.get(pk=first.pk).status == "WAITING"
    assert not OutboxMessage.objects.exists()


def test_two_sessions_on_one_day_have_buttons_that_say_which_is_which(client, module):
    morning = session_of(module, starts_in=datetime.timedelta(days=7))
    session_of(module, starts_in=datetime.timedelta(days=7, hours=4))
    client.force_login(EnrollmentFactory(course=module.course).user)
    page = client.get(reverse("course_module", args=[module.course_id, module.pk]))
    starts = timezone.localtime(morning.starts_at)
    names = [
        f"for the session of {(starts + offset):%m/%d/%Y} at {(starts + offset):%I:%M %p}".replace(
            " at 0", " at "
        )
        for offset in (datetime.timedelta(0), datetime.timedelta(hours=4))
    ]
    for name in names:
        assert f"{name}</span>" in page.content.decode()
