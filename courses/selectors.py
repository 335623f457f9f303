"""Reads for the catalogue and course pages."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from certifications.models import CredentialType
from certifications.selectors import current_credential_types
from courses.models import Category, Course, Enrollment

# Renewal-credits cycles start when KDLA approves an application, so only applications are
# offered in the catalogue.
REGISTRABLE_CREDENTIAL_KINDS = (
    CredentialType.Kind.INITIAL_APPLICATION,
    CredentialType.Kind.RENEWAL_APPLICATION,
)


def catalogue_categories() -> QuerySet[Category]:
    return Category.objects.order_by("name")


def catalogue_courses(*, category: Category | None, search: str) -> QuerySet[Course]:
    courses = Course.objects.filter(active=True).select_related("category", "provider")
    if category is not None:
        courses = courses.filter(category=category)
    if search:
        courses = courses.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return courses.order_by("title", "pk")


def catalogue_credentials(*, category: Category | None, search: str) -> QuerySet[CredentialType]:
    """The credential applications open for registration today (current rule versions)."""
    credentials = current_credential_types(on=timezone.localdate()).filter(
        kind__in=REGISTRABLE_CREDENTIAL_KINDS
    )
    if category is not None:
        credentials = credentials.filter(category=category)
    if search:
        credentials = credentials.filter(
            Q(name__icontains=search) | Q(description__icontains=search)
        )
    return (
        credentials.select_related("category", "requires_completed")
        .prefetch_related(Prefetch("prerequisite_courses", queryset=Course.objects.order_by("pk")))
        .order_by("name")
    )


def enrollments_by_course(*, user: User, course_ids: list[int]) -> dict[int, Enrollment]:
    enrollments = Enrollment.objects.filter(user=user, course_id__in=course_ids)
    return {enrollment.course_id: enrollment for enrollment in enrollments}


def get_enrollment_for_user(*, user: User, pk: int) -> Enrollment:
    """The person's own enrollment, or 404 (ids of others are not confirmed)."""
    return get_object_or_404(Enrollment.objects.select_related("course"), pk=pk, user=user)


def get_catalogue_course(*, pk: int) -> Course:
    return get_object_or_404(Course.objects.select_related("category", "provider"), pk=pk)
