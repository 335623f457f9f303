"""Registering for courses and completing them.

A completed portal or live course counts its contact hours toward every renewal-credits cycle
whose dates contain the completion date. Completing sends ``courses.signals.course_completed``
inside its transaction, and certifications recomputes those cycles there: the dashboard never
shows a completion without its hours.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from courses.input_limits import activity_date_error
from courses.models import Course, Enrollment
from courses.signals import course_completed
from kdla_portal.mail import queue_email


def _already_registered(course: Course) -> ValidationError:
    return ValidationError(f"You are already registered for {course.title}.")


@transaction.atomic
def course_register(*, user: User, course: Course) -> Enrollment:
    """Register the person for an active course; a second registration is refused."""
    if not course.active:
        raise ValidationError(
            f"{course.title} is no longer offered, so you cannot register for it."
        )
    if course.format == Course.Format.ASYNC_EXTERNAL:
        # Taken with the outside provider; its hours count once KDLA accepts the proof.
        raise ValidationError(
            f"{course.title} is an asynchronous course taken with its provider. When you have "
            "finished it, report your completion with proof instead of registering here."
        )
    if Enrollment.objects.filter(user=user, course=course).exists():
        raise _already_registered(course)
    try:
        # Two clicks at once pass the check above; the unique constraint refuses the second.
        with transaction.atomic():
            return Enrollment.objects.create(user=user, course=course)
    except IntegrityError as error:
        raise _already_registered(course) from error


@transaction.atomic
def course_complete(
    *,
    enrollment: Enrollment,
    completed_on: datetime.date | None = None,
    recorded_by: User | None = None,
    reason: str = "",
) -> Enrollment:
    """Complete the enrollment (today, local time, unless a date is given) and credit its
    hours to the person's renewal-credits cycles that contain that date.

    Portal courses reach it only from their modules (``courses.services.modules``), once every
    required module is done; there is no page where a learner declares a course complete.
    Dated calls record history that happened elsewhere (imports, demo data)."""
    today = timezone.localdate()
    completed_on = completed_on or today
    locked = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=enrollment.pk)
    )
    if locked.status == Enrollment.Status.COMPLETED:
        raise ValidationError(
            f"You already completed {locked.course.title} on {locked.completed_on:%m/%d/%Y}."
        )
    date_error = activity_date_error(completed_on, what="The completion date")
    if date_error:
        raise ValidationError(date_error)
    locked.status = Enrollment.Status.COMPLETED
    locked.completed_on = completed_on
    locked.completion_recorded_by = recorded_by
    locked.completion_reason = reason
    if reason:
        locked._change_reason = f"Completion recorded by hand: {reason}"[:100]
    locked.save(
        update_fields=["status", "completed_on", "completion_recorded_by", "completion_reason"]
    )
    course_completed.send(sender=Enrollment, user_id=locked.user_id, completed_on=completed_on)
    return locked


COMPLETION_REASON_MAX_LENGTH = 1000
RECORD_COMPLETION_PERMISSION = "courses.complete_enrollment"


@transaction.atomic
def course_completion_record_by_hand(
    *, enrollment: Enrollment, reviewer: User, completed_on: datetime.date | None, reason: str
) -> Enrollment:
    """A reviewer records that the person completed the course outside the portal's own
    tracking (a paper sign-in sheet, a session the portal could not observe): the hours count
    once like any completion, the person is emailed, and the enrollment keeps who recorded it
    and why; the transcript marks it manual."""
    if not reviewer.has_perm(RECORD_COMPLETION_PERMISSION):
        raise PermissionDenied("You may not record course completions by hand.")
    if reviewer.pk == enrollment.user_id:
        raise ValidationError(
            "You cannot record a completion of your own course; another reviewer must."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            "Say why the completion is recorded by hand, for example which sign-in sheet shows it."
        )
    if len(reason) > COMPLETION_REASON_MAX_LENGTH:
        raise ValidationError(
            f"The reason is {len(reason)} characters long; keep it to "
            f"{COMPLETION_REASON_MAX_LENGTH}."
        )
    if completed_on is None:
        raise ValidationError("Enter the date the person completed the course (MM/DD/YYYY).")
    locked = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course", "user")
        .get(pk=enrollment.pk)
    )
    if locked.status == Enrollment.Status.COMPLETED:
        raise ValidationError(
            f"{locked.user.full_name} already completed {locked.course.title} on "
            f"{locked.completed_on:%m/%d/%Y}; nothing was changed."
        )
    completed = course_complete(
        enrollment=locked, completed_on=completed_on, recorded_by=reviewer, reason=reason
    )
    course_completion_email_queue(enrollment=completed)
    return completed


def course_completion_email_queue(*, enrollment: Enrollment) -> bool:
    """Put the learner's completion email in the outbox, in the completion's transaction.

    The key is the enrollment, which completes once: a repeated commit, a second tab or a
    retried task that reaches here again writes nothing (False)."""
    return queue_email(
        key=f"course_completed:{enrollment.pk}",
        template="course_completed",
        to=[enrollment.user.email],
        context={
            "user": enrollment.user,
            "course": enrollment.course,
            "completed_on": enrollment.completed_on,
            "transcript_path": reverse("transcript"),
            "dashboard_path": reverse("dashboard"),
        },
    )
