"""Learners for the SCORM commit benchmark: one per connection, each enrolled in a course whose
only module is a SCORM 1.2 package, with an attempt launched as the player page launches it.

Each connection commits to its own learner's attempt, as every learner's player does; two
connections on one attempt would only measure the wait for its row lock and refused (older)
sequence numbers. The package is uploaded through the portal's own service.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from courses.models import Category, Course, CourseModule, Enrollment, ScormAttempt
from courses.services.scorm_packages import scorm_package_upload
from courses.services.scorm_runtime import scorm_attempt_launch
from tests.fixtures.scorm_packages import scorm_package_zip

COMMIT_DATA_EMAIL_DOMAIN = "commits.bench.example.org"
# Only ever used against a throwaway or benchmark database.
COMMIT_DATA_PASSWORD = "bench-commits-password-2026"
COMMIT_COURSE_TITLE = "Benchmark: Customer Service in Practice (SCORM)"


@dataclass(frozen=True)
class CommitLearner:
    user: User
    attempt: ScormAttempt


def seed_commit_learners(*, count: int) -> list[CommitLearner]:
    """``count`` learners with a fresh attempt each (earlier benchmark learners are reused
    and their attempts started over, so every run begins at sequence 0)."""
    with transaction.atomic():
        module = _scorm_module()
        password = make_password(COMMIT_DATA_PASSWORD)  # hashed once: hashing is slow on purpose
        learners = []
        for number in range(1, count + 1):
            user, _ = User.objects.get_or_create(
                email=f"learner-{number}@{COMMIT_DATA_EMAIL_DOMAIN}",
                defaults={
                    "password": password,
                    "first_name": f"Learner {number}",
                    "last_name": "Benchmark",
                },
            )
            enrollment, _ = Enrollment.objects.get_or_create(user=user, course=module.course)
            ScormAttempt.objects.filter(enrollment=enrollment).delete()
            attempt = scorm_attempt_launch(enrollment=enrollment, module=module)
            learners.append(CommitLearner(user, attempt))
    return learners


def _scorm_module() -> CourseModule:
    course = Course.objects.filter(title=COMMIT_COURSE_TITLE).first()
    if course is not None:
        return course.modules.get()
    category, _ = Category.objects.get_or_create(
        slug="benchmark", defaults={"name": "Benchmark courses"}
    )
    course = Course.objects.create(
        title=COMMIT_COURSE_TITLE, category=category, contact_hours=Decimal("1.0")
    )
    module = CourseModule.objects.create(
        course=course, position=1, title="Service in practice", kind=CourseModule.Kind.SCORM
    )
    scorm_package_upload(
        module=module,
        upload=io.BytesIO(scorm_package_zip(standard="1.2")),
        original_name="customer-service.zip",
        uploaded_by=User.objects.create_user(
            f"course-manager@{COMMIT_DATA_EMAIL_DOMAIN}", COMMIT_DATA_PASSWORD, is_staff=True
        ),
    )
    return module
