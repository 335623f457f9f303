"""Reads about asynchronous training that pages share: the public list of approved sources and
courses, and each person's own approval requests and completions."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from certifications.models import CredentialType, Registration
from certifications.services.earned import collecting_cycles_q
from courses.models import AsyncCompletion, Course, CourseApprovalRequest, Provider


def approved_async_providers(*, search: str = "") -> QuerySet[Provider]:
    """Active sources on KDLA's list; a course from any of them needs no prior approval."""
    providers = Provider.objects.filter(is_approved_async_source=True, active=True)
    if search:
        providers = providers.filter(name__icontains=search)
    return providers.order_by("name")


def approved_async_courses(*, search: str = "") -> QuerySet[Course]:
    """Courses KDLA approved one by one (from sources not on the list)."""
    courses = Course.objects.filter(format=Course.Format.ASYNC_EXTERNAL, active=True)
    if search:
        courses = courses.filter(
            Q(title__icontains=search)
            | Q(description__icontains=search)
            | Q(provider__name__icontains=search)
        )
    return courses.select_related("provider").order_by("title", "pk")


def registrations_accepting_async(*, user: User) -> QuerySet[Registration]:
    """The person's registrations an asynchronous course may count toward: an open initial
    application whose rules accept asynchronous courses, or a renewal-credits cycle that
    accepts hours (the same cycles as credit requests) and asynchronous courses."""
    open_initial_application = Q(
        credential_type__kind=CredentialType.Kind.INITIAL_APPLICATION,
        status__in=Registration.OPEN_STATUSES,
    )
    return (
        Registration.objects.filter(
            open_initial_application | collecting_cycles_q(),
            user=user,
            credential_type__accepts_async_courses=True,
        )
        .select_related("credential_type")
        .order_by("-cycle_start", "-pk")
    )


def course_approval_requests_for_user(*, user: User) -> QuerySet[CourseApprovalRequest]:
    return CourseApprovalRequest.objects.filter(user=user).order_by("-submitted_at", "-pk")


def async_completions_for_user(*, user: User) -> QuerySet[AsyncCompletion]:
    return (
        AsyncCompletion.objects.filter(user=user)
        .select_related("provider", "registration__credential_type")
        .order_by("-submitted_at", "-pk")
    )


def get_course_approval_request_for_user(*, user: User, pk: int) -> CourseApprovalRequest:
    """The person's own request, or 404 (ids of others are never confirmed)."""
    return get_object_or_404(
        CourseApprovalRequest.objects.select_related("approved_course"), pk=pk, user=user
    )


def get_async_completion_for_user(*, user: User, pk: int) -> AsyncCompletion:
    """The person's own completion, or 404."""
    return get_object_or_404(
        AsyncCompletion.objects.select_related(
            "provider", "course", "registration__credential_type"
        ),
        pk=pk,
        user=user,
    )


def async_completions_for_transcript(user: User) -> QuerySet[AsyncCompletion]:
    """Approved asynchronous courses for the person's transcript, oldest first, with the
    provider and the credential each counted toward."""
    return (
        AsyncCompletion.objects.filter(user=user, status=AsyncCompletion.Status.APPROVED)
        .select_related("provider", "registration__credential_type")
        .order_by("completed_on", "pk")
    )
