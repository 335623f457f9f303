"""Live sessions (workshops and webinars): registering with a capacity and a waiting list, and
attendance recorded on the roster in the review site (by a reviewer, or by the session's
trainer) or by the learner with the session's attendance code. Attending completes the module; hours
follow only from attendance."""

from __future__ import annotations

import datetime
import hmac
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from courses.models import Enrollment, LiveSession, LiveSessionRegistration
from courses.services.modules import complete_module_for_enrollment
from kdla_portal.mail import queue_email


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
    # A free seat belongs to whoever has waited longest; a newcomer queues behind them.
    someone_waits = LiveSessionRegistration.objects.filter(
        session=session, status=LiveSessionRegistration.Status.WAITING
    ).exists()
    status = (
        LiveSessionRegistration.Status.REGISTERED
        if taken < session.capacity and not someone_waits
        else LiveSessionRegistration.Status.WAITING
    )
    try:
        with transaction.atomic():
            return LiveSessionRegistration.objects.create(
                session=session, enrollment=enrollment, module=module, status=status
            )
    except IntegrityError as error:
        raise ValidationError("You are already registered for a session of this module.") from error


SCHEDULE_SESSIONS_PERMISSION = "courses.change_livesession"


def may_record_attendance(*, user: User, session: LiveSession) -> bool:
    """Reviewers (who schedule sessions) record attendance of any session; a trainer only of
    the sessions they give."""
    return session.trainer_id == user.pk or user.has_perm(SCHEDULE_SESSIONS_PERMISSION)


def trainer_sessions(*, user: User) -> QuerySet[LiveSession]:
    """The sessions ``user`` sees on the roster: all for reviewers, their own for trainers."""
    if user.has_perm(SCHEDULE_SESSIONS_PERMISSION):
        return LiveSession.objects.all()
    return LiveSession.objects.filter(trainer=user)


@transaction.atomic
def live_session_record_attendance(
    *, registration: LiveSessionRegistration, attended: bool, reviewer: User
) -> LiveSessionRegistration:
    """Records, on the roster, whether the person attended: by a reviewer or by the session's
    trainer (``may_record_attendance``); attending completes the module (and the course when
    it was the last required module). A recorded attendance is not changed here."""
    registration = _locked_registration(registration)
    if not may_record_attendance(user=reviewer, session=registration.session):
        raise PermissionDenied("You record attendance only for the sessions you give.")
    return _record_attendance(registration=registration, attended=attended, recorder=reviewer)


def _locked_registration(registration: LiveSessionRegistration) -> LiveSessionRegistration:
    return (
        LiveSessionRegistration.objects.select_for_update(of=("self",))
        .select_related("session", "module", "enrollment__course")
        .get(pk=registration.pk)
    )


def _record_attendance(
    *, registration: LiveSessionRegistration, attended: bool, recorder: User
) -> LiveSessionRegistration:
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
    registration.attendance_recorded_by = recorder
    registration.attendance_recorded_at = timezone.now()
    registration.save()
    if attended:
        complete_module_for_enrollment(
            enrollment=registration.enrollment, module=registration.module
        )
    return registration


@transaction.atomic
def live_session_cancel(
    *, registration: LiveSessionRegistration, actor: User
) -> list[LiveSessionRegistration]:
    """Cancels the registration (the learner's own, or one a reviewer removes from the roster)
    and promotes the first people on the waiting list into the seats that are now free;
    returns those promoted.

    The session row is locked first, as ``live_session_register`` locks it, so a cancellation
    and a registration (or two cancellations) are taken one after the other and a seat is never
    given twice. The registration is deleted so the learner may register again; History keeps
    it with who cancelled it.
    """
    session = LiveSession.objects.select_for_update().get(pk=registration.session_id)
    registration = (
        LiveSessionRegistration.objects.select_for_update(of=("self",))
        .select_related("enrollment__user", "module")
        .filter(pk=registration.pk)
        .first()
    )
    if registration is None:
        raise ValidationError("This registration was already cancelled.")
    is_learner = registration.enrollment.user_id == actor.pk
    if not is_learner and not actor.has_perm(SCHEDULE_SESSIONS_PERMISSION):
        raise PermissionDenied("Only the learner or a reviewer can cancel a registration.")
    if registration.attended is not None:
        raise ValidationError(
            "Attendance was already recorded for this session, so the registration stays."
        )
    if is_learner and session.starts_at <= timezone.now():
        raise ValidationError(
            "This session has already started, so you cannot cancel it here. Ask the trainer."
        )
    registration._history_user = actor  # read by django-simple-history for the deletion
    removed_pk = registration.pk
    registration.delete()
    if not is_learner:
        _removal_email_queue(registration=registration, pk=removed_pk, session=session)
    return _promote_from_waiting_list(session=session, actor=actor)


def _removal_email_queue(
    *, registration: LiveSessionRegistration, pk: int, session: LiveSession
) -> None:
    """Someone a reviewer removed from the roster is told, so they do not come for a seat
    they no longer have."""
    module = registration.module
    queue_email(
        key=f"live_session_removed:{pk}",
        template="live_session_removed",
        to=[registration.enrollment.user.email],
        context={
            "user": registration.enrollment.user,
            "module": module,
            "session": session,
            "starts_at": timezone.localtime(session.starts_at),
            "was_waiting": registration.status == LiveSessionRegistration.Status.WAITING,
            "module_path": reverse(
                "course_module", kwargs={"course_pk": module.course_id, "module_pk": module.pk}
            ),
        },
    )


@transaction.atomic
def live_session_fill_free_seats(
    *, session: LiveSession, actor: User
) -> list[LiveSessionRegistration]:
    """After a reviewer saved the session (more seats: a larger room): the longest-waiting
    people take the seats that are free, each emailed once; returns those promoted."""
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    return _promote_from_waiting_list(session=session, actor=actor)


def _promote_from_waiting_list(
    *, session: LiveSession, actor: User
) -> list[LiveSessionRegistration]:
    """Fills the free seats with the longest-waiting people, in one statement, and emails
    them through the outbox (one email per registration promoted)."""
    if session.starts_at <= timezone.now():
        return []  # a seat freed once the session runs is of no use to anyone waiting
    taken = LiveSessionRegistration.objects.filter(
        session=session, status=LiveSessionRegistration.Status.REGISTERED
    ).count()
    free = session.capacity - taken
    if free <= 0:
        return []
    promoted = list(
        LiveSessionRegistration.objects.select_for_update(of=("self",))
        .select_related("enrollment__user", "module")
        .filter(session=session, status=LiveSessionRegistration.Status.WAITING)
        .order_by("registered_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = LiveSessionRegistration.Status.REGISTERED
    bulk_update_with_history(
        promoted,
        LiveSessionRegistration,
        ["status"],
        default_user=actor,
        default_change_reason="Promoted from the waiting list",
    )
    for registration in promoted:
        _promotion_email_queue(registration=registration, session=session)
    return promoted


def _promotion_email_queue(*, registration: LiveSessionRegistration, session: LiveSession) -> None:
    module = registration.module
    queue_email(
        key=f"live_session_promoted:{registration.pk}",
        template="live_session_promoted",
        to=[registration.enrollment.user.email],
        context={
            "user": registration.enrollment.user,
            "module": module,
            "session": session,
            "starts_at": timezone.localtime(session.starts_at),
            "module_path": reverse(
                "course_module", kwargs={"course_pk": module.course_id, "module_pk": module.pk}
            ),
        },
    )


# A learner can enter the session's attendance code from its start until this long after it:
# long enough for a full-day workshop and for someone who enters it that evening, short enough
# that a code passed on later is of no use.
ATTENDANCE_CODE_WINDOW = datetime.timedelta(hours=12)
ATTENDANCE_CODE_TRIES = 5


@dataclass(frozen=True)
class AttendanceByCode:
    registration: LiveSessionRegistration
    already_recorded: bool


def attendance_code_normalised(code: str) -> str:
    """What the learner typed, without spaces or dashes and in capitals: codes are read off
    a slide or heard, so ``abc 234`` is the same as ``ABC234``."""
    return "".join(character for character in code.upper() if character.isalnum())


def live_session_record_attendance_by_code(
    *, registration: LiveSessionRegistration, learner: User, code: str
) -> AttendanceByCode:
    """The learner enters the code the trainer gave out; the right code within the window
    records the attendance as the roster does (so it completes the module the same way),
    recorded by the learner. A wrong code counts one of
    ``ATTENDANCE_CODE_TRIES``; nothing else is stored on a refusal."""
    with transaction.atomic():
        registration = (
            LiveSessionRegistration.objects.select_for_update(of=("self",))
            .select_related("session", "enrollment")
            .get(pk=registration.pk)
        )
        if registration.enrollment.user_id != learner.pk:
            raise ValidationError("This registration is someone else's; use your own.")
        if registration.attended is True:
            return AttendanceByCode(registration=registration, already_recorded=True)
        if registration.attended is False:
            raise ValidationError("The trainer recorded you as absent; ask them if you did attend.")
        if registration.status != LiveSessionRegistration.Status.REGISTERED:
            raise ValidationError(
                "You are on the waiting list of this session, not registered for it, so "
                "your attendance cannot be recorded; ask the trainer."
            )
        session = registration.session
        now = timezone.now()
        if now < session.starts_at:
            starts = timezone.localtime(session.starts_at)
            raise ValidationError(
                f"The attendance code can be entered once the session starts, on "
                f"{starts:%m/%d/%Y} at {starts:%I:%M %p}.".replace(" at 0", " at ")
            )
        closes = session.starts_at + ATTENDANCE_CODE_WINDOW
        if now > closes:
            raise ValidationError(
                f"The attendance code could be entered until "
                f"{timezone.localtime(closes):%m/%d/%Y}; ask the trainer to record your "
                "attendance."
            )
        if registration.attendance_code_wrong_tries >= ATTENDANCE_CODE_TRIES:
            raise ValidationError(
                "Too many wrong codes were entered; ask the trainer to record your attendance."
            )
        right = hmac.compare_digest(
            attendance_code_normalised(code).encode(), session.attendance_code.encode()
        )
        if right:
            # Locked above; the learner records their own attendance.
            registration = _record_attendance(
                registration=registration, attended=True, recorder=learner
            )
            return AttendanceByCode(registration=registration, already_recorded=False)
        registration.attendance_code_wrong_tries += 1
        registration.save(update_fields=["attendance_code_wrong_tries"])
        tries_left = ATTENDANCE_CODE_TRIES - registration.attendance_code_wrong_tries
    # Raised outside the transaction so that the wrong try stays counted.
    if tries_left == 0:
        raise ValidationError(
            "That is not the session's code, and no tries are left; ask the trainer to record "
            "your attendance."
        )
    tries = "1 try" if tries_left == 1 else f"{tries_left} tries"
    raise ValidationError(
        f"That is not the session's code; check it with the trainer ({tries} left)."
    )
