"""Course managers write lessons and quizzes in the review site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.reviewers import add_to_reviewers
from courses.models import CourseModule, QuizChoice
from tests.courses.factories import LessonFactory, QuestionFactory, QuizFactory
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_client(client, migration_installed_data):
    reviewer = UserFactory(email="robin@example.org")
    add_to_reviewers(reviewer)
    client.force_login(reviewer)
    return client


def lesson_form(course, **fields):
    return {
        "course": course.pk,
        "position": 1,
        "title": "Greeting patrons",
        "kind": "LESSON",
        "required": "on",
        "body": "<p>Look up.</p>",
        "pass_mark_percent": "",
        "max_attempts": "",
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
        "sessions-TOTAL_FORMS": 0,
        "sessions-INITIAL_FORMS": 0,
        **fields,
    }


def test_a_reviewer_writes_a_lesson_and_its_html_is_cleaned(reviewer_client):
    course = CourseFactory()
    response = reviewer_client.post(
        reverse("admin:courses_coursemodule_add"),
        lesson_form(
            course,
            body='<h2 onclick="x()">Greeting</h2><script>alert(1)</script><p style="a">Hi</p>',
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = CourseModule.objects.get()
    assert lesson.body == "<h2>Greeting</h2><p>Hi</p>"
    assert lesson.history.count() == 1


def test_a_quiz_without_a_pass_mark_is_refused(reviewer_client):
    course = CourseFactory()
    response = reviewer_client.post(
        reverse("admin:courses_coursemodule_add"),
        lesson_form(course, kind="QUIZ", body=""),
    )
    assert response.status_code == 200
    assert "A quiz needs a pass mark, e.g. 80." in response.content.decode()
    assert not CourseModule.objects.exists()


def test_a_lesson_without_text_is_refused(reviewer_client):
    response = reviewer_client.post(
        reverse("admin:courses_coursemodule_add"),
        lesson_form(CourseFactory(), body="<script></script>"),
    )
    assert "A lesson needs its text." in response.content.decode()
    assert not CourseModule.objects.exists()


def choices_form(question, choices):
    form = {
        "module": question.module_id,
        "position": 1,
        "text": question.text,
        "kind": question.kind,
        "feedback": "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": 0,
    }
    for index, (text, correct) in enumerate(choices):
        form[f"choices-{index}-position"] = index + 1
        form[f"choices-{index}-text"] = text
        if correct:
            form[f"choices-{index}-is_correct"] = "on"
    return form


def test_a_single_choice_question_needs_exactly_one_correct_choice(reviewer_client):
    question = QuestionFactory()
    url = reverse("admin:courses_quizquestion_change", args=[question.pk])
    response = reviewer_client.post(url, choices_form(question, [("Yes", True), ("No", True)]))
    assert "Mark exactly one choice as correct." in response.content.decode()
    response = reviewer_client.post(url, choices_form(question, [("Yes", True)]))
    assert "A question needs at least two choices." in response.content.decode()
    assert not QuizChoice.objects.exists()
    response = reviewer_client.post(url, choices_form(question, [("Yes", True), ("No", False)]))
    assert response.status_code == 302
    assert QuizChoice.objects.filter(question=question).count() == 2


def test_the_course_page_lists_its_modules_for_editing(reviewer_client):
    course = CourseFactory()
    LessonFactory(course=course, title="Greeting patrons")
    QuizFactory(course=course, title="Service check")
    html = reviewer_client.get(reverse("admin:courses_course_change", args=[course.pk])).content
    assert b"Greeting patrons" in html and b"Service check" in html
    assert b"Edit lesson text or questions" in html
