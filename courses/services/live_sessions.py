"""Live sessions (workshops and webinars): registering with a capacity and a waiting list, and
attendance recorded by a reviewer in the review site. Attending completes the module; hours
follow only from attendance."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from courses.models import Enrollment, LiveSession, LiveSessionRegistration
from courses.services.modules import complete_module_for_enrollment


@transaction.atomic
def live_session_register(
    *, enrollment: Enrollment, session: LiveSession
) -> LiveSessionRegistration:
    """A seat when one is left, otherwise a place on the waiting list."""
    session = LiveSession.objects.select_for_update().select_related("module").get(pk=session.pk)
    module = session.module
    if module.course_id != enrollment.course_id:
        raise ValidationError(f"{module.title} is not part of {enrollment.course.title}.")
    if session.starts_at <= timezone.now():
        raise ValidationError("This session has already started; choose a later one.")
    existing = LiveSessionRegistration.objects.filter(enrollment=enrollment, module=module).first()
    if existing is not None:
        starts = timezone.localtime(existing.session.starts_at)
        raise ValidationError(
            f"You are already registered for the session of {starts:%m/%d/%Y} at "
            f"{starts:%I:%M %p}.".replace(" at 0", " at ")
        )
    taken = LiveSessionRegistration.objects.filter(
        session=session, status=LiveSessionRegistration.Status.REGISTERED
    ).count()
    status = (
        LiveSessionRegistration.Status.REGISTERED
        if taken < session.capacity
        else LiveSessionRegistration.Status.WAITING
    )
    try:
        with transaction.atomic():
            return LiveSessionRegistration.objects.create(
                session=session, enrollment=enrollment, module=module, status=status
            )
    except IntegrityError as error:
        raise ValidationError("You are already registered for a session of this module.") from error


@transaction.atomic
def live_session_record_attendance(
    *, registration: LiveSessionRegistration, attended: bool, reviewer: User
) -> LiveSessionRegistration:
    """Records whether the person attended; attending completes the module (and the course when
    it was the last required module). A recorded attendance is not changed here."""
    registration = (
        LiveSessionRegistration.objects.select_for_update(of=("self",))
        .select_related("session", "module", "enrollment__course")
        .get(pk=registration.pk)
    )
    if registration.session.starts_at > timezone.now():
        raise ValidationError("Attendance can be recorded once the session has started.")
    if registration.attended is not None:
        raise ValidationError(
            f"Attendance of {registration.enrollment.user} was already recorded on "
            f"{timezone.localtime(registration.attendance_recorded_at):%m/%d/%Y}."
        )
    if registration.status != LiveSessionRegistration.Status.REGISTERED:
        raise ValidationError(
            f"{registration.enrollment.user} is on the waiting list, not registered for the session."
        )
    registration.attended = attended
    registration.attendance_recorded_by = reviewer
    registration.attendance_recorded_at = timezone.now()
    registration.save()
    if attended:
        complete_module_for_enrollment(
            enrollment=registration.enrollment, module=registration.module
        )
    return registration
