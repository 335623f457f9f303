"""The learner's lesson and quiz pages, through the client."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Enrollment, LessonView, ModuleCompletion, QuizAttempt
from courses.services.modules import quiz_attempt_start
from tests.courses.factories import LessonFactory, answer_sheet, quiz_with_questions
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory(first_name="Casey")


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def course():
    return CourseFactory(title="Customer Service Basics")


@pytest.fixture
def enrollment(course, learner):
    return EnrollmentFactory(user=learner, course=course)


def module_url(module):
    return reverse("course_module", args=[module.course_id, module.pk])


def posted_sheet(sheet):
    return {f"question-{question}": choices for question, choices in sheet.items()}


class TestLesson:
    def test_reading_a_lesson_to_its_end_completes_it(self, signed_in, course, enrollment):
        lesson = LessonFactory(course=course, title="Greeting patrons")
        LessonFactory(course=course)
        page = signed_in.get(module_url(lesson))
        assert page.status_code == 200
        html = page.content.decode()
        assert "<h2>Greeting patrons</h2><p>Look up and smile.</p>" in html
        view = LessonView.objects.get(enrollment=enrollment, module=lesson)
        assert f'value="{view.token}"' in html
        response = signed_in.post(
            reverse("lesson_finish", args=[course.pk, lesson.pk]),
            {"view": str(view.token)},
            follow=True,
        )
        assert response.redirect_chain == [(reverse("course_detail", args=[course.pk]), 302)]
        html = response.content.decode()
        assert "You finished the lesson Greeting patrons." in html
        assert "1 of 2 modules done." in html
        assert ModuleCompletion.objects.filter(enrollment=enrollment, module=lesson).exists()

    def test_the_last_module_completes_the_course_with_its_hours(
        self, signed_in, course, enrollment
    ):
        lesson = LessonFactory(course=course, title="Greeting patrons")
        signed_in.get(module_url(lesson))
        view = LessonView.objects.get()
        response = signed_in.post(
            reverse("lesson_finish", args=[course.pk, lesson.pk]),
            {"view": str(view.token)},
            follow=True,
        )
        assert (
            "You finished the lesson Greeting patrons. You completed Customer Service Basics "
            "(3 contact hours)." in response.content.decode()
        )
        enrollment.refresh_from_db()
        assert enrollment.status == Enrollment.Status.COMPLETED

    def test_finishing_without_opening_is_refused(self, signed_in, course, enrollment):
        lesson = LessonFactory(course=course, title="Greeting patrons")
        response = signed_in.post(
            reverse("lesson_finish", args=[course.pk, lesson.pk]), {"view": "x"}, follow=True
        )
        assert "Open the lesson Greeting patrons and read it to its end" in (
            response.content.decode()
        )
        assert not ModuleCompletion.objects.exists()

    def test_a_person_not_registered_is_sent_to_register(self, signed_in, course):
        lesson = LessonFactory(course=course)
        response = signed_in.get(module_url(lesson), follow=True)
        assert response.redirect_chain == [(reverse("course_detail", args=[course.pk]), 302)]
        assert "Register for Customer Service Basics to open its lessons and quizzes." in (
            response.content.decode()
        )
        assert not LessonView.objects.exists()

    def test_a_module_of_another_course_is_not_found(self, signed_in, course, enrollment):
        lesson = LessonFactory()
        response = signed_in.get(reverse("course_module", args=[course.pk, lesson.pk]))
        assert response.status_code == 404

    def test_a_post_without_the_csrf_token_is_refused(self, learner, course, enrollment):
        client = Client(enforce_csrf_checks=True)
        client.force_login(learner)
        lesson = LessonFactory(course=course)
        response = client.post(reverse("lesson_finish", args=[course.pk, lesson.pk]), {})
        assert response.status_code == 403


class TestQuiz:
    def test_the_quiz_page_never_shows_which_choice_is_correct(self, signed_in, course, enrollment):
        quiz = quiz_with_questions(course, count=3)
        signed_in.post(reverse("quiz_start", args=[course.pk, quiz.pk]))
        html = signed_in.get(module_url(quiz)).content.decode()
        assert "Question 1 of 3" in html
        assert "right 1" in html and "wrong 1" in html
        assert "correct" not in html.lower().replace("not correct", "")
        assert "feedback" not in html.lower()
        assert "Look up and smile." not in html  # feedback comes with the results only

    def test_a_failed_then_passed_quiz(self, signed_in, course, enrollment):
        quiz = quiz_with_questions(course, count=5, max_attempts=2)
        signed_in.post(reverse("quiz_start", args=[course.pk, quiz.pk]))
        attempt = QuizAttempt.objects.get()
        response = signed_in.post(
            reverse("quiz_submit", args=[attempt.pk]),
            posted_sheet(answer_sheet(quiz, wrong=2)),
            follow=True,
        )
        html = response.content.decode()
        assert "You scored 60% (3 of 5 correct). You did not pass: the pass mark is 80%." in html
        assert "Try again" in html
        signed_in.post(reverse("quiz_start", args=[course.pk, quiz.pk]))
        second = QuizAttempt.objects.get(number=2)
        response = signed_in.post(
            reverse("quiz_submit", args=[second.pk]), posted_sheet(answer_sheet(quiz)), follow=True
        )
        assert "You scored 100% (5 of 5 correct). You passed" in response.content.decode()
        enrollment.refresh_from_db()
        assert enrollment.status == Enrollment.Status.COMPLETED

    def test_a_replayed_submission_is_refused(self, signed_in, course, enrollment):
        quiz = quiz_with_questions(course, count=2)
        attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
        wrong = posted_sheet(answer_sheet(quiz, wrong=2))
        signed_in.post(reverse("quiz_submit", args=[attempt.pk]), wrong)
        response = signed_in.post(
            reverse("quiz_submit", args=[attempt.pk]), posted_sheet(answer_sheet(quiz))
        )
        assert response.status_code == 400
        assert "Attempt 1 at" in response.content.decode()
        assert "was already submitted on" in response.content.decode()
        attempt.refresh_from_db()
        assert attempt.score_percent == 0
        assert not ModuleCompletion.objects.exists()

    def test_an_unanswered_question_is_refused_and_the_answers_kept(
        self, signed_in, course, enrollment
    ):
        quiz = quiz_with_questions(course, count=2)
        attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
        sheet = answer_sheet(quiz)
        first, second = quiz.questions.order_by("position")
        del sheet[first.pk]
        response = signed_in.post(reverse("quiz_submit", args=[attempt.pk]), posted_sheet(sheet))
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html
        assert "Answer question 1: Question 1?" in html
        assert f'id="choice-{sheet[second.pk][0]}" value="{sheet[second.pk][0]}" checked' in html
        attempt.refresh_from_db()
        assert attempt.status == QuizAttempt.Status.STARTED

    def test_a_malformed_submission_is_refused(self, signed_in, course, enrollment):
        quiz = quiz_with_questions(course, count=1)
        attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
        question = quiz.questions.get()
        response = signed_in.post(
            reverse("quiz_submit", args=[attempt.pk]), {f"question-{question.pk}": "1 OR 1=1"}
        )
        assert response.status_code == 400
        assert "The answers sent do not belong to this quiz. Reload the quiz." in (
            response.content.decode()
        )
        attempt.refresh_from_db()
        assert attempt.status == QuizAttempt.Status.STARTED

    def test_another_persons_attempt_is_not_found(self, signed_in, course):
        quiz = quiz_with_questions(course, count=1)
        attempt = quiz_attempt_start(enrollment=EnrollmentFactory(course=course), module=quiz)
        sheet = posted_sheet(answer_sheet(quiz))
        assert signed_in.post(reverse("quiz_submit", args=[attempt.pk]), sheet).status_code == 404
        assert signed_in.get(reverse("quiz_attempt_result", args=[attempt.pk])).status_code == 404
        attempt.refresh_from_db()
        assert attempt.status == QuizAttempt.Status.STARTED

    def test_the_used_up_attempts_are_refused_with_the_reason(self, signed_in, course, enrollment):
        quiz = quiz_with_questions(course, count=1, max_attempts=1, title="Service check")
        attempt = quiz_attempt_start(enrollment=enrollment, module=quiz)
        signed_in.post(
            reverse("quiz_submit", args=[attempt.pk]), posted_sheet(answer_sheet(quiz, wrong=1))
        )
        response = signed_in.post(reverse("quiz_start", args=[course.pk, quiz.pk]), follow=True)
        assert "You have used all 1 attempts at Service check." in response.content.decode()
        assert QuizAttempt.objects.count() == 1


class TestQueryCounts:
    def test_the_course_page_runs_the_same_queries_for_one_or_thirty_modules(
        self, signed_in, course, enrollment, django_assert_num_queries
    ):
        LessonFactory(course=course)
        with django_assert_num_queries(6) as one:
            signed_in.get(reverse("course_detail", args=[course.pk]))
        for _ in range(15):
            LessonFactory(course=course)
            quiz_with_questions(course, count=2)
        with django_assert_num_queries(len(one.captured_queries)):
            response = signed_in.get(reverse("course_detail", args=[course.pk]))
        assert "0 of 31 modules done." in response.content.decode()

    def test_the_quiz_page_runs_the_same_queries_for_one_or_many_questions(
        self, signed_in, course, enrollment, django_assert_num_queries
    ):
        small = quiz_with_questions(course, count=1)
        quiz_attempt_start(enrollment=enrollment, module=small)
        large = quiz_with_questions(course, count=20)
        quiz_attempt_start(enrollment=enrollment, module=large)
        with django_assert_num_queries(7) as one:
            signed_in.get(module_url(small))
        with django_assert_num_queries(len(one.captured_queries)):
            response = signed_in.get(module_url(large))
        assert "Question 20 of 20" in response.content.decode()
