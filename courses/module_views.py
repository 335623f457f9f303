"""The learner's pages of a portal course's modules: reading a lesson, taking a quiz,
registering for a live session (the SCORM player is in ``courses.scorm_views``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from courses.models import (
    CourseModule,
    Enrollment,
    LiveSession,
    LiveSessionRegistration,
    QuizAttempt,
)
from courses.scorm_views import scorm_player
from courses.selectors import (
    ModuleOfEnrollment,
    cancelled_live_registration_module_id,
    get_attempt_for_user,
    get_learner_module,
    live_registration,
    live_sessions_for_module,
    module_completions,
    quiz_attempts,
    waiting_list_place,
)
from courses.services.live_sessions import (
    ATTENDANCE_CODE_WINDOW,
    live_session_cancel,
    live_session_record_attendance_by_code,
    live_session_register,
)
from courses.services.modules import (
    lesson_finish,
    lesson_open,
    quiz_attempt_start,
    quiz_attempt_submit,
    quiz_attempts_left,
    quiz_paper,
)


def _registered_module(request: HttpRequest, course_pk: int, module_pk: int) -> ModuleOfEnrollment:
    return get_learner_module(user=request.user, course_pk=course_pk, module_pk=module_pk)


def _not_registered(request: HttpRequest, module: CourseModule) -> HttpResponse:
    messages.error(request, f"Register for {module.course.title} to open its lessons and quizzes.")
    return redirect("course_detail", pk=module.course_id)


@login_required
@require_GET
def module_detail(request: HttpRequest, course_pk: int, module_pk: int) -> HttpResponse:
    found = _registered_module(request, course_pk, module_pk)
    module, enrollment = found.module, found.enrollment
    if enrollment is None:
        return _not_registered(request, module)
    if module.kind == CourseModule.Kind.LESSON:
        return _lesson_page(request, enrollment, module)
    if module.kind == CourseModule.Kind.SCORM:
        return scorm_player(request, enrollment, module)
    if module.kind == CourseModule.Kind.LIVE:
        return _live_sessions_page(request, enrollment, module)
    return _quiz_page(request, enrollment, module)


def _lesson_page(
    request: HttpRequest, enrollment: Enrollment, module: CourseModule
) -> HttpResponse:
    view = lesson_open(enrollment=enrollment, module=module)
    completion = module_completions(enrollment=enrollment).get(module.pk)
    return render(
        request,
        "courses/module_lesson.html",
        {"enrollment": enrollment, "module": module, "view": view, "completion": completion},
    )


def _quiz_page(
    request: HttpRequest,
    enrollment: Enrollment,
    module: CourseModule,
    *,
    errors: list[str] | None = None,
    chosen: dict[int, list[int]] | None = None,
    status: int = 200,
) -> HttpResponse:
    attempts = quiz_attempts(enrollment=enrollment, module=module)
    open_attempt = next((a for a in attempts if a.status == QuizAttempt.Status.STARTED), None)
    submitted = [a for a in attempts if a.status == QuizAttempt.Status.SUBMITTED]
    paper = quiz_paper(attempt=open_attempt) if open_attempt else []
    chosen_ids = {choice for ids in (chosen or {}).values() for choice in ids}
    return render(
        request,
        "courses/module_quiz.html",
        {
            "enrollment": enrollment,
            "module": module,
            "open_attempt": open_attempt,
            "submitted_attempts": submitted,
            "passed": any(a.passed for a in submitted),
            "attempts_left": quiz_attempts_left(module=module, attempts_used=len(attempts)),
            "paper": paper,
            "errors": errors or [],
            "chosen_ids": chosen_ids,
        },
        status=status,
    )


@login_required
@require_POST
def lesson_finish_view(request: HttpRequest, course_pk: int, module_pk: int) -> HttpResponse:
    found = _registered_module(request, course_pk, module_pk)
    module, enrollment = found.module, found.enrollment
    if enrollment is None:
        return _not_registered(request, module)
    try:
        lesson_finish(enrollment=enrollment, module=module, view_token=request.POST.get("view", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("course_module", course_pk=course_pk, module_pk=module_pk)
    return _back_to_course(request, enrollment, f"You finished the lesson {module.title}.")


def _back_to_course(request: HttpRequest, enrollment: Enrollment, done: str) -> HttpResponse:
    enrollment.refresh_from_db(fields=["status", "completed_on"])
    if enrollment.status == Enrollment.Status.COMPLETED:
        course = enrollment.course
        hours = f"{course.contact_hours.normalize():f}"
        messages.success(request, f"{done} You completed {course.title} ({hours} contact hours).")
    else:
        messages.success(request, done)
    return redirect("course_detail", pk=enrollment.course_id)


@login_required
@require_POST
def quiz_start_view(request: HttpRequest, course_pk: int, module_pk: int) -> HttpResponse:
    found = _registered_module(request, course_pk, module_pk)
    module, enrollment = found.module, found.enrollment
    if enrollment is None:
        return _not_registered(request, module)
    try:
        quiz_attempt_start(enrollment=enrollment, module=module)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("course_module", course_pk=course_pk, module_pk=module_pk)


def _answers_from_post(request: HttpRequest) -> dict[int, list[int]] | None:
    """``question-<id>`` fields holding choice ids; None when a name or value is not a number."""
    answers: dict[int, list[int]] = {}
    for name in request.POST:
        if not name.startswith("question-"):
            continue
        try:
            question_id = int(name.removeprefix("question-"))
            answers[question_id] = [int(value) for value in request.POST.getlist(name)]
        except ValueError:
            return None
    return answers


@login_required
@require_POST
def quiz_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(user=request.user, pk=pk)
    enrollment, module = attempt.enrollment, attempt.module
    answers = _answers_from_post(request)
    try:
        if answers is None:
            raise ValidationError("The answers sent do not belong to this quiz. Reload the quiz.")
        attempt = quiz_attempt_submit(attempt=attempt, answers=answers)
    except ValidationError as error:
        return _quiz_page(
            request,
            enrollment,
            module,
            errors=error.messages,
            chosen=answers,
            status=400,
        )
    enrollment.refresh_from_db(fields=["status", "completed_on"])
    if enrollment.status == Enrollment.Status.COMPLETED:
        course = enrollment.course
        hours = f"{course.contact_hours.normalize():f}"
        messages.success(
            request,
            f"You passed {module.title}. You completed {course.title} ({hours} contact hours).",
        )
    return redirect("quiz_attempt_result", pk=attempt.pk)


@login_required
@require_GET
def quiz_attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(user=request.user, pk=pk)
    if attempt.status != QuizAttempt.Status.SUBMITTED:
        return redirect(
            "course_module", course_pk=attempt.module.course_id, module_pk=attempt.module_id
        )
    enrollment = attempt.enrollment
    paper = quiz_paper(attempt=attempt)
    marked = []
    for item in paper:
        chosen = set(attempt.answers.get(str(item.question.pk), []))
        right = {choice.pk for choice in item.choices if choice.is_correct}
        marked.append(
            {
                "question": item.question,
                "chosen": [choice for choice in item.choices if choice.pk in chosen],
                "correct": chosen == right,
            }
        )
    attempts = quiz_attempts(enrollment=enrollment, module=attempt.module)
    return render(
        request,
        "courses/quiz_result.html",
        {
            "attempt": attempt,
            "module": attempt.module,
            "enrollment": enrollment,
            "marked": marked,
            "attempts_left": quiz_attempts_left(module=attempt.module, attempts_used=len(attempts)),
        },
    )


def _live_sessions_page(
    request: HttpRequest, enrollment: Enrollment, module: CourseModule
) -> HttpResponse:
    completion = module_completions(enrollment=enrollment).get(module.pk)
    registration = live_registration(enrollment=enrollment, module=module)
    now = timezone.now()
    code_open = (
        registration is not None
        and registration.status == LiveSessionRegistration.Status.REGISTERED
        and registration.attended is None
        and registration.session.starts_at
        <= now
        <= registration.session.starts_at + ATTENDANCE_CODE_WINDOW
    )
    return render(
        request,
        "courses/module_live.html",
        {
            "enrollment": enrollment,
            "module": module,
            "sessions": live_sessions_for_module(module=module),
            "registration": registration,
            "completion": completion,
            "waiting_list_place": (
                waiting_list_place(registration=registration)
                if registration is not None
                and registration.status == LiveSessionRegistration.Status.WAITING
                else None
            ),
            "attendance_code_open": code_open,
            "attendance_code_closes": (
                registration.session.starts_at + ATTENDANCE_CODE_WINDOW if code_open else None
            ),
            "now": now,
        },
    )


@login_required
@require_POST
def live_session_register_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(LiveSession.objects.select_related("module__course"), pk=pk)
    module = session.module
    enrollment = Enrollment.objects.filter(user=request.user, course_id=module.course_id).first()
    if enrollment is None:
        return _not_registered(request, module)
    try:
        registration = live_session_register(enrollment=enrollment, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        starts = timezone.localtime(session.starts_at)
        if registration.status == LiveSessionRegistration.Status.WAITING:
            place = waiting_list_place(registration=registration)
            messages.success(
                request,
                f"The session of {starts:%m/%d/%Y} is full; you are number {place} on its "
                "waiting list. If a seat opens you are registered and emailed.",
            )
        else:
            messages.success(
                request,
                f"You are registered for the session of {starts:%m/%d/%Y} at "
                f"{starts:%I:%M %p}".replace(" at 0", " at ")
                + ".",
            )
    return redirect("course_module", course_pk=module.course_id, module_pk=module.pk)


@login_required
@require_POST
def live_session_attendance_code_view(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(
        LiveSessionRegistration.objects.select_related("module"), pk=pk
    )
    module = registration.module
    try:
        result = live_session_record_attendance_by_code(
            registration=registration,
            learner=request.user,
            code=request.POST.get("attendance_code", "")[:50],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if result.already_recorded:
            recorded = timezone.localtime(result.registration.attendance_recorded_at)
            messages.info(request, f"Your attendance was already recorded on {recorded:%m/%d/%Y}.")
        else:
            messages.success(request, "Your attendance is recorded; the module is complete.")
    return redirect("course_module", course_pk=module.course_id, module_pk=module.pk)


@login_required
@require_POST
def live_session_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The learner cancels their own registration (or waiting-list place) for a session."""
    registration = (
        LiveSessionRegistration.objects.select_related("module", "session")
        .filter(pk=pk, enrollment__user=request.user)
        .first()
    )
    if registration is None:
        module_id = cancelled_live_registration_module_id(pk=pk, user=request.user)
        if module_id is None:
            raise Http404("No such registration.")
        module = get_object_or_404(CourseModule, pk=module_id)
        messages.error(request, "This registration was already cancelled.")
        return redirect("course_module", course_pk=module.course_id, module_pk=module.pk)
    module = registration.module
    try:
        live_session_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        starts = timezone.localtime(registration.session.starts_at)
        if registration.status == LiveSessionRegistration.Status.WAITING:
            done = f"You left the waiting list of the session of {starts:%m/%d/%Y}."
        else:
            done = f"Your registration for the session of {starts:%m/%d/%Y} is cancelled."
        messages.success(request, f"{done} You may register for another session.")
    return redirect("course_module", course_pk=module.course_id, module_pk=module.pk)
