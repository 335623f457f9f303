"""The demo staff member's history for ``manage.py seed_demo``, made through the services so
it obeys the same rules as real use: two of the four part-time courses completed and the other
two registered, so the dashboard shows the next step toward the initial application."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.demo import DEMO_STAFF_EMAIL
from accounts.models import User
from courses.kdla_catalogue import KDLA_PROVIDER, PART_TIME_REQUIRED_COURSES
from courses.models import Course, Enrollment
from courses.services.enrollments import course_complete, course_register

DEMO_COMPLETED_DAYS_AGO = {
    "Customer Service Basics": 21,
    "Solving Difficult Situations in the Library": 9,
}


def load_demo_history() -> None:
    """Idempotent: courses already registered or completed are left as they are."""
    user = User.objects.get(email=DEMO_STAFF_EMAIL)
    today = timezone.localdate()
    courses = Course.objects.filter(
        title__in=PART_TIME_REQUIRED_COURSES, provider__name=KDLA_PROVIDER[0]
    )
    enrollments = {e.course_id: e for e in Enrollment.objects.filter(user=user, course__in=courses)}
    for course in courses:
        enrollment = enrollments.get(course.pk) or course_register(user=user, course=course)
        days_ago = DEMO_COMPLETED_DAYS_AGO.get(course.title)
        if days_ago is not None and enrollment.status == Enrollment.Status.REGISTERED:
            course_complete(
                enrollment=enrollment, completed_on=today - datetime.timedelta(days=days_ago)
            )
