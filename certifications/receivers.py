"""Certifications' answers to the signals of the apps below it: hours that moved in courses
are counted again toward the renewal cycles they belong to (certifications/services/earned.py).
Connected in CertificationsConfig.ready."""

from __future__ import annotations

import datetime
from typing import Any

from django.dispatch import receiver

from certifications.models import CredentialType, Registration
from certifications.services.earned import (
    COLLECTING_STATUSES,
    earned_refresh_for_course,
    refresh_earned_after_course_completion,
    registrations_refresh_earned,
)
from courses.models import Course
from courses.signals import completed_courses_imported, course_completed, course_hours_changed


@receiver(course_completed, dispatch_uid="certifications.course_completed")
def count_completed_course(
    sender: Any, *, user_id: int, completed_on: datetime.date, **kwargs: Any
) -> None:
    refresh_earned_after_course_completion(user_id=user_id, completed_on=completed_on)


@receiver(course_hours_changed, dispatch_uid="certifications.course_hours_changed")
def count_changed_course_hours(sender: Any, *, course: Course, **kwargs: Any) -> None:
    earned_refresh_for_course(course=course)


@receiver(completed_courses_imported, dispatch_uid="certifications.completed_courses_imported")
def count_imported_courses(sender: Any, *, user_emails: set[str], **kwargs: Any) -> None:
    cycles = Registration.objects.filter(
        user__email__in=user_emails,
        credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS,
        status__in=COLLECTING_STATUSES,
    )
    registrations_refresh_earned(registration_ids=list(cycles.values_list("pk", flat=True)))
