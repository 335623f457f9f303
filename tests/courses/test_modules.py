"""A portal course completes from what the learner did in its modules, never from a tick box."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from certifications.models import Registration
from courses.models import Enrollment, LessonView, ModuleCompletion, QuizAttempt
from courses.services.enrollments import course_complete
from courses.services.lesson_html import lesson_html_sanitised
from courses.services.modules import (
    lesson_finish,
    lesson_open,
    quiz_attempt_start,
    quiz_attempt_submit,
    quiz_paper,
)
from notifications.models import OutboxMessage
from tests.certifications.kdla_history import open_renewal_cycle
from tests.courses.factories import (
    LessonFactory,
    answer_sheet,
    question_with_choices,
    quiz_with_questions,
)
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")


@pytest.fixture
def course():
    return CourseFactory(title="Customer Service Basics", contact_hours=Decimal("3"))


@pytest.fixture
def enrollment(course):
    return EnrollmentFactory(course=course)


def read(enrollment, lesson):
    view = lesson_open(enrollment=enrollment, module=lesson)
    return lesson_finish(enrollment=enrollment, module=lesson, view_token=str(view.token))


def pass_quiz(enrollment, quiz, *, wrong=0):
    attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
    return quiz_attempt_submit(attempt=attempt, answers=answer_sheet(quiz, wrong=wrong))


def test_it_completes_the_course_when_every_required_module_is_done(course, enrollment):
    lesson = LessonFactory(course=course)
    quiz = quiz_with_questions(course)
    LessonFactory(course=course, required=False)
    read(enrollment, lesson)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.REGISTERED
    attempt = pass_quiz(enrollment, quiz)
    assert (attempt.score_percent, attempt.passed) == (100, True)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED


def test_the_completed_course_credits_its_hours_once(time_machine, course):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 23, 30, tzinfo=KENTUCKY), tick=False)
    user = UserFactory()
    cycle = open_renewal_cycle(user, cycle_start=datetime.date(2026, 1, 1))
    enrollment = EnrollmentFactory(user=user, course=course)
    lesson = LessonFactory(course=course)
    read(enrollment, lesson)
    # Finishing the same lesson again (a second tab) neither completes nor credits twice.
    read(enrollment, lesson)
    assert Registration.objects.get(pk=cycle.pk).earned_credits == Decimal("3")
    enrollment.refresh_from_db()
    assert enrollment.completed_on == datetime.date(2026, 3, 1)
    assert ModuleCompletion.objects.filter(enrollment=enrollment).count() == 1


def test_a_course_without_modules_never_completes(enrollment):
    assert enrollment.course.modules.count() == 0
    assert enrollment.status == Enrollment.Status.REGISTERED


def test_it_refuses_to_finish_a_lesson_that_was_not_opened(course, enrollment):
    lesson = LessonFactory(course=course, title="Greeting patrons")
    for token in ["", "not-a-token", "5f0c7a1e-0000-4000-8000-000000000000"]:
        with pytest.raises(ValidationError) as refusal:
            lesson_finish(enrollment=enrollment, module=lesson, view_token=token)
        assert refusal.value.messages == [
            "Open the lesson Greeting patrons and read it to its end before finishing it."
        ]
    assert not ModuleCompletion.objects.exists()


def test_it_refuses_a_view_token_of_another_learner(course, enrollment):
    lesson = LessonFactory(course=course)
    other = EnrollmentFactory(course=course)
    view = lesson_open(enrollment=other, module=lesson)
    with pytest.raises(ValidationError):
        lesson_finish(enrollment=enrollment, module=lesson, view_token=str(view.token))
    assert not ModuleCompletion.objects.exists()


def test_it_refuses_a_module_of_another_course(enrollment):
    lesson = LessonFactory(title="Budgets")
    with pytest.raises(ValidationError, match="Budgets is not part of Customer Service Basics"):
        lesson_open(enrollment=enrollment, module=lesson)
    assert not LessonView.objects.exists()


def test_a_failed_quiz_does_not_complete_and_a_later_pass_does(course, enrollment):
    quiz = quiz_with_questions(course, count=5, max_attempts=2)
    failed = pass_quiz(enrollment, quiz, wrong=2)
    assert (failed.score_percent, failed.passed, failed.number) == (60, False, 1)
    assert not ModuleCompletion.objects.exists()
    passed = pass_quiz(enrollment, quiz, wrong=1)
    assert (passed.score_percent, passed.passed, passed.number) == (80, True, 2)
    assert ModuleCompletion.objects.get().score_percent == 80
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED


def test_it_refuses_a_new_attempt_when_the_attempts_are_used_up(course, enrollment):
    quiz = quiz_with_questions(course, max_attempts=1, title="Service check")
    pass_quiz(enrollment, quiz, wrong=5)
    with pytest.raises(ValidationError) as refusal:
        quiz_attempt_start(enrollment=enrollment, module=quiz)
    assert refusal.value.messages == [
        "You have used all 1 attempts at Service check. Contact KDLA if you need another."
    ]
    assert QuizAttempt.objects.count() == 1


def test_a_replayed_submission_is_refused_and_keeps_the_first_score(course, enrollment):
    quiz = quiz_with_questions(course, max_attempts=3)
    attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
    quiz_attempt_submit(attempt=attempt, answers=answer_sheet(quiz, wrong=5))
    with pytest.raises(ValidationError, match="was already submitted on"):
        quiz_attempt_submit(attempt=attempt, answers=answer_sheet(quiz))
    attempt.refresh_from_db()
    assert (attempt.score_percent, attempt.passed) == (0, False)
    assert not ModuleCompletion.objects.exists()


def test_starting_twice_resumes_the_open_attempt(course, enrollment):
    quiz = quiz_with_questions(course)
    first = quiz_attempt_start(enrollment=enrollment, module=quiz)
    assert quiz_attempt_start(enrollment=enrollment, module=quiz) == first
    assert QuizAttempt.objects.count() == 1


def test_a_passed_quiz_is_not_started_again(course, enrollment):
    quiz = quiz_with_questions(course, title="Service check")
    pass_quiz(enrollment, quiz)
    with pytest.raises(ValidationError, match="You already passed Service check."):
        quiz_attempt_start(enrollment=enrollment, module=quiz)


def test_it_refuses_an_incomplete_answer_sheet_and_stores_nothing(course, enrollment):
    quiz = quiz_with_questions(course, count=2)
    attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
    sheet = answer_sheet(quiz)
    first_question = quiz.questions.order_by("position").first()
    del sheet[first_question.pk]
    with pytest.raises(ValidationError) as refusal:
        quiz_attempt_submit(attempt=attempt, answers=sheet)
    assert refusal.value.messages == ["Answer question 1: Question 1?"]
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.STARTED
    assert attempt.answers == {}


def test_it_refuses_choices_of_another_question(course, enrollment):
    quiz = quiz_with_questions(course, count=2)
    other_quiz = quiz_with_questions(course)
    attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
    sheet = answer_sheet(quiz)
    first_question = quiz.questions.order_by("position").first()
    sheet[first_question.pk] = list(answer_sheet(other_quiz).values())[0]
    with pytest.raises(ValidationError, match="do not belong to this quiz"):
        quiz_attempt_submit(attempt=attempt, answers=sheet)
    sheet = answer_sheet(quiz) | answer_sheet(other_quiz)
    with pytest.raises(ValidationError, match="do not belong to this quiz"):
        quiz_attempt_submit(attempt=attempt, answers=sheet)
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.STARTED


def test_it_refuses_two_answers_to_a_single_choice_question(course, enrollment):
    quiz = quiz_with_questions(course, count=0)
    question = question_with_choices(quiz, "Greet first?", right=["Yes"], wrong=["No"])
    attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
    both = [choice.pk for choice in question.choices.all()]
    with pytest.raises(ValidationError) as refusal:
        quiz_attempt_submit(attempt=attempt, answers={question.pk: both})
    assert refusal.value.messages == ["Choose only one answer to question 1: Greet first?"]


def test_a_multiple_choice_question_needs_every_right_choice(course, enrollment):
    quiz = quiz_with_questions(course, count=0, pass_mark_percent=100)
    question = question_with_choices(
        quiz, "Good habits?", right=["Listen", "Restate"], wrong=["Interrupt"], kind="MULTIPLE"
    )
    listen, restate, _ = question.choices.order_by("position")
    attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
    assert not quiz_attempt_submit(attempt=attempt, answers={question.pk: [listen.pk]}).passed
    attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
    graded = quiz_attempt_submit(attempt=attempt, answers={question.pk: [listen.pk, restate.pk]})
    assert graded.passed


def test_each_attempt_has_its_own_stable_order(course, enrollment):
    quiz = quiz_with_questions(course, count=8, max_attempts=None)
    attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
    order = [item.question.pk for item in quiz_paper(attempt=attempt)]
    assert order == [item.question.pk for item in quiz_paper(attempt=attempt)]
    assert sorted(order) == sorted(quiz.questions.values_list("pk", flat=True))


def test_attempts_are_kept_in_history(course, enrollment):
    quiz = quiz_with_questions(course)
    attempt = pass_quiz(enrollment, quiz)
    assert [h.status for h in attempt.history.order_by("history_date")] == [
        "STARTED",
        "SUBMITTED",
    ]


def test_lesson_html_keeps_formatting_and_drops_scripts_and_styles():
    cleaned = lesson_html_sanitised(
        '<h2 onclick="steal()">Greeting</h2><script>alert(1)</script>'
        '<p style="color:red">Smile <a href="javascript:alert(1)">here</a> '
        '<a href="https://kdla.ky.gov/">KDLA</a></p><img src="https://kdla.ky.gov/a.png" alt="A">'
    )
    assert cleaned == (
        '<h2>Greeting</h2><p>Smile <a rel="noopener noreferrer">here</a> '
        '<a href="https://kdla.ky.gov/" rel="noopener noreferrer">KDLA</a></p>'
        '<img src="https://kdla.ky.gov/a.png" alt="A">'
    )


def test_the_completion_email_goes_out_once_with_the_date_and_hours(
    time_machine, course, enrollment, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 23, 30, tzinfo=KENTUCKY), tick=False)
    lesson = LessonFactory(course=course)
    with django_capture_on_commit_callbacks(execute=True):
        read(enrollment, lesson)
        read(enrollment, lesson)  # a second tab finishing it again
    [email] = mail.outbox
    assert email.to == [enrollment.user.email]
    assert email.subject == "Course completed: Customer Service Basics"
    assert "on 03/01/2026. Its 3.0 contact hours are on your transcript" in email.body
    assert "/transcript/" in email.body
    assert OutboxMessage.objects.filter(key=f"course_completed:{enrollment.pk}").count() == 1


def test_the_completion_email_is_queued_in_the_completions_transaction(course, enrollment):
    lesson = LessonFactory(course=course)
    view = lesson_open(enrollment=enrollment, module=lesson)
    with pytest.raises(RuntimeError), transaction.atomic():
        lesson_finish(enrollment=enrollment, module=lesson, view_token=str(view.token))
        assert OutboxMessage.objects.filter(kind="course_completed").count() == 1
        raise RuntimeError("the request failed after the completion")
    assert OutboxMessage.objects.filter(kind="course_completed").count() == 0
    assert Enrollment.objects.get(pk=enrollment.pk).status == Enrollment.Status.REGISTERED


def test_a_completion_recorded_from_history_sends_no_email(course, enrollment):
    course_complete(enrollment=enrollment, completed_on=datetime.date(2025, 5, 1))
    assert not OutboxMessage.objects.filter(kind="course_completed").exists()
