"""What a learner does in a portal course's modules, and the course completion that follows.

The server decides completion from what it observed: a lesson is complete once the learner
reached its end in a page the server served (a recorded view), a quiz once an attempt graded
here reached the pass mark. When every required module is complete, the enrollment is completed
through ``course_complete``, which credits the contact hours to the person's cycles, and the
completion email goes into the outbox in the same transaction.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import (
    CourseModule,
    Enrollment,
    LessonView,
    ModuleCompletion,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
)
from courses.services.enrollments import course_complete, course_completion_email_queue

SINGLE_ANSWER_KINDS = (QuizQuestion.Kind.SINGLE, QuizQuestion.Kind.TRUE_FALSE)


def _locked_enrollment(enrollment: Enrollment) -> Enrollment:
    """Locks the enrollment so two tabs finishing modules at once are taken one after the
    other: the last module completes the course exactly once."""
    return (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=enrollment.pk)
    )


def _check_module_of_enrollment(*, enrollment: Enrollment, module: CourseModule) -> None:
    if module.course_id != enrollment.course_id:
        raise ValidationError(f"{module.title} is not part of {enrollment.course.title}.")


def _complete_module(
    *, enrollment: Enrollment, module: CourseModule, score_percent: int | None = None
) -> ModuleCompletion:
    completion, _ = ModuleCompletion.objects.get_or_create(
        enrollment=enrollment, module=module, defaults={"score_percent": score_percent}
    )
    _complete_course_when_modules_are_done(enrollment=enrollment)
    return completion


def _complete_course_when_modules_are_done(*, enrollment: Enrollment) -> None:
    if enrollment.status == Enrollment.Status.COMPLETED:
        return
    required = CourseModule.objects.filter(course_id=enrollment.course_id, required=True)
    outstanding = required.exclude(completions__enrollment=enrollment)
    if required.exists() and not outstanding.exists():
        completed = course_complete(enrollment=enrollment)
        enrollment.refresh_from_db(fields=["status", "completed_on"])
        course_completion_email_queue(enrollment=completed)


def complete_module_for_enrollment(
    *, enrollment: Enrollment, module: CourseModule, score_percent: int | None = None
) -> ModuleCompletion:
    """For module kinds whose own service observed the completion (a SCORM attempt): records
    it and completes the course when it was the last required module. Call inside a
    transaction."""
    _check_module_of_enrollment(enrollment=enrollment, module=module)
    enrollment = _locked_enrollment(enrollment)
    return _complete_module(enrollment=enrollment, module=module, score_percent=score_percent)


# Lessons


def lesson_open(*, enrollment: Enrollment, module: CourseModule) -> LessonView:
    """Records that the server served the lesson to the learner."""
    _check_module_of_enrollment(enrollment=enrollment, module=module)
    if module.kind != CourseModule.Kind.LESSON:
        raise ValidationError(f"{module.title} is not a lesson.")
    return LessonView.objects.create(enrollment=enrollment, module=module)


@transaction.atomic
def lesson_finish(
    *, enrollment: Enrollment, module: CourseModule, view_token: str
) -> ModuleCompletion:
    """The learner reached the end of the lesson served with ``view_token``."""
    _check_module_of_enrollment(enrollment=enrollment, module=module)
    enrollment = _locked_enrollment(enrollment)
    try:
        token = uuid.UUID(str(view_token))
    except ValueError:
        token = None
    view = (
        LessonView.objects.filter(enrollment=enrollment, module=module, token=token).first()
        if token
        else None
    )
    if view is None:
        raise ValidationError(
            f"Open the lesson {module.title} and read it to its end before finishing it."
        )
    if view.finished_at is None:
        view.finished_at = timezone.now()
        view.save(update_fields=["finished_at"])
    return _complete_module(enrollment=enrollment, module=module)


# Quizzes


def quiz_attempts_left(*, module: CourseModule, attempts_used: int) -> int | None:
    """None when the quiz allows any number of attempts."""
    if module.max_attempts is None:
        return None
    return max(module.max_attempts - attempts_used, 0)


@transaction.atomic
def quiz_attempt_start(*, enrollment: Enrollment, module: CourseModule) -> QuizAttempt:
    """A new attempt, or the one already in progress (a second tab resumes it)."""
    _check_module_of_enrollment(enrollment=enrollment, module=module)
    if module.kind != CourseModule.Kind.QUIZ:
        raise ValidationError(f"{module.title} is not a quiz.")
    enrollment = _locked_enrollment(enrollment)
    open_attempt = QuizAttempt.objects.filter(
        enrollment=enrollment, module=module, status=QuizAttempt.Status.STARTED
    ).first()
    if open_attempt is not None:
        return open_attempt
    if ModuleCompletion.objects.filter(enrollment=enrollment, module=module).exists():
        raise ValidationError(f"You already passed {module.title}.")
    used = QuizAttempt.objects.filter(enrollment=enrollment, module=module).count()
    if quiz_attempts_left(module=module, attempts_used=used) == 0:
        raise ValidationError(
            f"You have used all {module.max_attempts} attempts at {module.title}. "
            "Contact KDLA if you need another."
        )
    if not module.questions.exists():
        raise ValidationError(f"{module.title} has no questions yet.")
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(enrollment=enrollment, module=module, number=used + 1)
    except IntegrityError as error:
        raise ValidationError("This attempt was already started in another window.") from error


@dataclass(frozen=True)
class QuizPaperQuestion:
    """A question as the learner sees it in one attempt (choices without their correctness)."""

    question: QuizQuestion
    choices: list[QuizChoice]


def quiz_paper(*, attempt: QuizAttempt) -> list[QuizPaperQuestion]:
    """The attempt's questions and choices, shuffled with the attempt as the seed, so reloading
    the page shows the same order and another attempt a new one."""
    questions = list(
        QuizQuestion.objects.filter(module_id=attempt.module_id).prefetch_related("choices")
    )
    shuffler = random.Random(attempt.pk)
    shuffler.shuffle(questions)
    paper = []
    for question in questions:
        choices = list(question.choices.all())
        if question.kind != QuizQuestion.Kind.TRUE_FALSE:
            shuffler.shuffle(choices)
        paper.append(QuizPaperQuestion(question=question, choices=choices))
    return paper


def _checked_answers(
    *, attempt: QuizAttempt, answers: dict[int, list[int]]
) -> tuple[dict[str, list[int]], int, int]:
    """Refuses an incomplete or foreign answer sheet; returns the answers to keep and the
    number of correct answers out of the number of questions."""
    questions = list(
        QuizQuestion.objects.filter(module_id=attempt.module_id).prefetch_related("choices")
    )
    unknown = set(answers) - {question.pk for question in questions}
    if unknown:
        raise ValidationError("The answers sent do not belong to this quiz. Reload the quiz.")
    kept: dict[str, list[int]] = {}
    correct = 0
    problems = []
    for number, question in enumerate(questions, start=1):
        chosen = set(answers.get(question.pk, []))
        choice_ids = {choice.pk for choice in question.choices.all()}
        if not chosen:
            problems.append(f"Answer question {number}: {question.text}")
            continue
        if not chosen <= choice_ids:
            raise ValidationError("The answers sent do not belong to this quiz. Reload the quiz.")
        if question.kind in SINGLE_ANSWER_KINDS and len(chosen) > 1:
            problems.append(f"Choose only one answer to question {number}: {question.text}")
            continue
        kept[str(question.pk)] = sorted(chosen)
        right = {choice.pk for choice in question.choices.all() if choice.is_correct}
        correct += chosen == right
    if problems:
        raise ValidationError(problems)
    return kept, correct, len(questions)


@transaction.atomic
def quiz_attempt_submit(*, attempt: QuizAttempt, answers: dict[int, list[int]]) -> QuizAttempt:
    """Grades the attempt on the server; a pass completes the quiz module. An attempt is
    submitted once: a replayed or second submission is refused and changes nothing."""
    enrollment = _locked_enrollment(attempt.enrollment)
    attempt = QuizAttempt.objects.select_for_update().select_related("module").get(pk=attempt.pk)
    module = attempt.module
    if attempt.status == QuizAttempt.Status.SUBMITTED:
        raise ValidationError(
            f"Attempt {attempt.number} at {module.title} was already submitted on "
            f"{timezone.localtime(attempt.submitted_at):%m/%d/%Y}; its score stays as it was."
        )
    kept, correct, total = _checked_answers(attempt=attempt, answers=answers)
    attempt.answers = kept
    attempt.correct_count = correct
    attempt.question_count = total
    # Rounded down: a pass mark of 80 % is not met by 79.9 %.
    attempt.score_percent = correct * 100 // total
    attempt.passed = attempt.score_percent >= (module.pass_mark_percent or 0)
    attempt.status = QuizAttempt.Status.SUBMITTED
    attempt.submitted_at = timezone.now()
    attempt.save()
    if attempt.passed:
        _complete_module(enrollment=enrollment, module=module, score_percent=attempt.score_percent)
    return attempt
