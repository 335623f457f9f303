"""The demo staff member's history for ``manage.py seed_demo``, made through the services so
it obeys the same rules as real use: two of the four part-time courses taken — each lesson
read to its end and each quiz passed, so the server records the completion as it would for a
learner — and the other two registered, so the dashboard shows the next step toward the
initial application."""

from __future__ import annotations

from accounts.models import User
from courses.kdla_catalogue import KDLA_PROVIDER, PART_TIME_REQUIRED_COURSES
from courses.models import Course, CourseModule, Enrollment
from courses.services.enrollments import course_register
from courses.services.modules import (
    lesson_finish,
    lesson_open,
    quiz_attempt_start,
    quiz_attempt_submit,
    quiz_paper,
)
from portal.demo.people import DEMO_STAFF_EMAIL

DEMO_COMPLETED_COURSES = ("Customer Service Basics", "Solving Difficult Situations in the Library")


def take_course_as_a_learner(enrollment: Enrollment) -> None:
    """Read every lesson to its end and answer every quiz correctly, through the services."""
    for module in CourseModule.objects.filter(course_id=enrollment.course_id).order_by(
        "position", "pk"
    ):
        if module.kind == CourseModule.Kind.LESSON:
            view = lesson_open(enrollment=enrollment, module=module)
            lesson_finish(enrollment=enrollment, module=module, view_token=str(view.token))
        elif module.kind == CourseModule.Kind.QUIZ:
            attempt = quiz_attempt_start(enrollment=enrollment, module=module)
            answers = {
                paper.question.pk: [choice.pk for choice in paper.choices if choice.is_correct]
                for paper in quiz_paper(attempt=attempt)
            }
            quiz_attempt_submit(attempt=attempt, answers=answers)


def load_demo_history() -> None:
    """Idempotent: courses already registered or completed are left as they are."""
    user = User.objects.get(email=DEMO_STAFF_EMAIL)
    courses = Course.objects.filter(
        title__in=PART_TIME_REQUIRED_COURSES, provider__name=KDLA_PROVIDER[0]
    )
    enrollments = {e.course_id: e for e in Enrollment.objects.filter(user=user, course__in=courses)}
    for course in courses:
        enrollment = enrollments.get(course.pk) or course_register(user=user, course=course)
        if course.title in DEMO_COMPLETED_COURSES and (
            enrollment.status == Enrollment.Status.REGISTERED
        ):
            take_course_as_a_learner(enrollment)
