"""Reads shared by pages: each returns only what the asking person may see."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from certifications.models import CredentialType, Registration
from courses.models import Category, Course

# Renewal-credits cycles start when KDLA approves an application, so only applications are
# offered in the catalogue.
REGISTRABLE_CREDENTIAL_KINDS = (
    CredentialType.Kind.INITIAL_APPLICATION,
    CredentialType.Kind.RENEWAL_APPLICATION,
)


def get_registration_for_user(*, user: User, pk: int) -> Registration:
    """The person's own registration, or 404 (never 403: ids of others are not confirmed)."""
    return get_object_or_404(
        Registration.objects.select_related("credential_type", "user"), pk=pk, user=user
    )


def current_credential_types(*, on: datetime.date) -> QuerySet[CredentialType]:
    """The version of each credential's rules in force on ``on``: the highest active version
    already effective. Older versions stay attached to the registrations that started under
    them; newer versions wait for their effective date."""
    in_force = CredentialType.objects.filter(active=True, effective_on__lte=on)
    newer = in_force.filter(code=OuterRef("code"), version__gt=OuterRef("version"))
    return in_force.exclude(Exists(newer))


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
