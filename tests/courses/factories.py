"""Factories of portal course modules: lessons and quizzes with their questions."""

from __future__ import annotations

import factory
from django.db.models import Max

from courses.models import CourseModule, QuizChoice, QuizQuestion
from tests.factories import CourseFactory


def next_position(course) -> int:
    last = CourseModule.objects.filter(course=course).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseModule

    course = factory.SubFactory(CourseFactory)
    position = factory.LazyAttribute(lambda module: next_position(module.course))
    title = factory.Sequence(lambda n: f"Lesson {n}")
    kind = CourseModule.Kind.LESSON
    body = "<h2>Greeting patrons</h2><p>Look up and smile.</p>"


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseModule

    course = factory.SubFactory(CourseFactory)
    position = factory.LazyAttribute(lambda module: next_position(module.course))
    title = factory.Sequence(lambda n: f"Quiz {n}")
    kind = CourseModule.Kind.QUIZ
    pass_mark_percent = 80
    max_attempts = 2


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizQuestion

    module = factory.SubFactory(QuizFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = QuizQuestion.Kind.SINGLE
    feedback = "Look up and smile."


def question_with_choices(
    quiz: CourseModule, text: str, *, right: list[str], wrong: list[str], kind: str = "SINGLE"
) -> QuizQuestion:
    question = QuestionFactory(module=quiz, text=text, kind=kind)
    for position, choice in enumerate(right + wrong, start=1):
        QuizChoice.objects.create(
            question=question, position=position, text=choice, is_correct=choice in right
        )
    return question


def quiz_with_questions(course, *, count: int = 5, **fields) -> CourseModule:
    quiz = QuizFactory(course=course, **fields)
    for number in range(1, count + 1):
        question_with_choices(
            quiz, f"Question {number}?", right=[f"right {number}"], wrong=[f"wrong {number}"]
        )
    return quiz


def answer_sheet(quiz: CourseModule, *, wrong: int = 0) -> dict[int, list[int]]:
    """Right answers to every question of the quiz, except the first ``wrong`` ones."""
    sheet = {}
    for number, question in enumerate(quiz.questions.order_by("position"), start=1):
        choices = question.choices.filter(is_correct=number > wrong)
        sheet[question.pk] = [choice.pk for choice in choices][:1]
    return sheet
