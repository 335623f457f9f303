"""Reads for the catalogue and course pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateTimeField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404

from accounts.models import User
from courses.models import (
    Category,
    Course,
    CourseModule,
    Enrollment,
    LessonView,
    LiveSession,
    LiveSessionRegistration,
    ModuleCompletion,
    QuizAttempt,
    ScormAttempt,
)


@dataclass(frozen=True)
class ModuleOfEnrollment:
    module: CourseModule
    enrollment: Enrollment | None


@dataclass(frozen=True)
class CourseProgress:
    """How far a person is in a course: for the dashboard's courses in progress."""

    enrollment: Enrollment
    modules_done: int
    modules_total: int
    last_activity: datetime.datetime
    next_module: CourseModule | None  # the first required module not done yet


def _latest_or_registered(queryset: QuerySet, field: str) -> Coalesce:
    """The enrollment's latest ``field`` in ``queryset``, or when it registered if none.

    Greatest() skips NULLs on PostgreSQL but not on SQLite (``make run``), hence the fallback.
    """
    latest = Subquery(
        queryset.filter(enrollment=OuterRef("pk")).order_by(f"-{field}").values(field)[:1],
        output_field=DateTimeField(),
    )
    return Coalesce(latest, "registered_at", output_field=DateTimeField())


def courses_in_progress(*, user: User) -> list[CourseProgress]:
    """The person's registered (not yet completed) courses with modules done of total, the
    last thing they did in each and where **Continue** resumes; three queries however many
    courses and modules."""
    enrollments = list(
        Enrollment.objects.filter(user=user, status=Enrollment.Status.REGISTERED)
        .select_related("course")
        .annotate(
            last_activity=Greatest(
                "registered_at",
                _latest_or_registered(LessonView.objects.all(), "opened_at"),
                _latest_or_registered(QuizAttempt.objects.all(), "started_at"),
                _latest_or_registered(
                    ScormAttempt.objects.exclude(last_commit_at=None), "last_commit_at"
                ),
                _latest_or_registered(ModuleCompletion.objects.all(), "completed_at"),
            )
        )
        .order_by("course__title", "pk")
    )
    if not enrollments:
        return []
    modules_by_course: dict[int, list[CourseModule]] = {}
    for module in (
        CourseModule.objects.filter(
            course_id__in=[enrollment.course_id for enrollment in enrollments]
        )
        .only("id", "course_id", "position", "title", "required")
        .order_by("position", "pk")
    ):
        modules_by_course.setdefault(module.course_id, []).append(module)
    done = set(
        ModuleCompletion.objects.filter(enrollment__in=enrollments).values_list(
            "enrollment_id", "module_id"
        )
    )
    progress = []
    for enrollment in enrollments:
        modules = modules_by_course.get(enrollment.course_id, [])
        progress.append(
            CourseProgress(
                enrollment=enrollment,
                modules_done=sum((enrollment.pk, module.pk) in done for module in modules),
                modules_total=len(modules),
                last_activity=enrollment.last_activity,
                next_module=next(
                    (
                        module
                        for module in modules
                        if module.required and (enrollment.pk, module.pk) not in done
                    ),
                    None,
                ),
            )
        )
    return progress


def catalogue_categories() -> QuerySet[Category]:
    return Category.objects.order_by("name")


def catalogue_courses(*, category: Category | None, search: str) -> QuerySet[Course]:
    courses = Course.objects.filter(active=True).select_related("category", "provider")
    if category is not None:
        courses = courses.filter(category=category)
    if search:
        courses = courses.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return courses.order_by("title", "pk")


def enrollments_by_course(*, user: User, course_ids: list[int]) -> dict[int, Enrollment]:
    enrollments = Enrollment.objects.filter(user=user, course_id__in=course_ids)
    return {enrollment.course_id: enrollment for enrollment in enrollments}


def get_enrollment_for_user(*, user: User, pk: int) -> Enrollment:
    """The person's own enrollment, or 404 (ids of others are not confirmed)."""
    return get_object_or_404(Enrollment.objects.select_related("course"), pk=pk, user=user)


def get_catalogue_course(*, pk: int) -> Course:
    return get_object_or_404(Course.objects.select_related("category", "provider"), pk=pk)


def course_modules(*, course: Course) -> list[CourseModule]:
    """The course's modules in order, without their lesson text (the course page lists them)."""
    return list(CourseModule.objects.filter(course=course).defer("body").order_by("position", "pk"))


def module_completions(*, enrollment: Enrollment | None) -> dict[int, ModuleCompletion]:
    if enrollment is None:
        return {}
    completions = ModuleCompletion.objects.filter(enrollment=enrollment)
    return {completion.module_id: completion for completion in completions}


def get_learner_module(*, user: User, course_pk: int, module_pk: int) -> ModuleOfEnrollment:
    """The module of the course and the person's enrollment in it (None when not registered);
    404 when the module is not part of that course."""
    module = get_object_or_404(
        CourseModule.objects.select_related("course"), pk=module_pk, course_id=course_pk
    )
    enrollment = (
        Enrollment.objects.filter(user=user, course_id=course_pk).select_related("course").first()
    )
    return ModuleOfEnrollment(module=module, enrollment=enrollment)


def quiz_attempts(*, enrollment: Enrollment, module: CourseModule) -> list[QuizAttempt]:
    return list(QuizAttempt.objects.filter(enrollment=enrollment, module=module).order_by("number"))


def get_attempt_for_user(*, user: User, pk: int) -> QuizAttempt:
    """The person's own quiz attempt, or 404 (attempts of others are not confirmed)."""
    return get_object_or_404(
        QuizAttempt.objects.select_related("module__course", "enrollment__course"),
        pk=pk,
        enrollment__user=user,
    )


def live_sessions_for_module(*, module: CourseModule) -> list[LiveSession]:
    """Upcoming and past sessions of the module with their seats taken, in one query."""
    return list(
        LiveSession.objects.filter(module=module)
        .annotate(seats_taken=Count("registrations", filter=Q(registrations__status="REGISTERED")))
        .order_by("starts_at")
    )


def live_registration(
    *, enrollment: Enrollment, module: CourseModule
) -> LiveSessionRegistration | None:
    return (
        LiveSessionRegistration.objects.filter(enrollment=enrollment, module=module)
        .select_related("session")
        .first()
    )


def waiting_list_place(*, registration: LiveSessionRegistration) -> int:
    """Where a waiting registration stands: 1 for the next to get a seat. The order is the one
    the waiting list is promoted in (``registered_at``, then ``pk``)."""
    earlier = Q(registered_at__lt=registration.registered_at) | Q(
        registered_at=registration.registered_at, pk__lt=registration.pk
    )
    ahead = LiveSessionRegistration.objects.filter(
        earlier,
        session_id=registration.session_id,
        status=LiveSessionRegistration.Status.WAITING,
    ).count()
    return ahead + 1


def cancelled_live_registration_module_id(*, pk: int, user: User) -> int | None:
    """The module of ``user``'s registration ``pk`` when it was cancelled (History keeps the
    deleted row), so a second press of Cancel (another tab, the Back button) is answered on
    the session page rather than with "page not found"."""
    return (
        LiveSessionRegistration.history.filter(id=pk, history_type="-", enrollment__user=user)
        .values_list("module_id", flat=True)
        .first()
    )
