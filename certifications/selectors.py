"""Reads shared by pages: each returns only what the asking person may see."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts.models import User
from certifications.models import Registration


def get_registration_for_user(*, user: User, pk: int) -> Registration:
    """The person's own registration, or 404 (never 403: ids of others are not confirmed)."""
    return get_object_or_404(
        Registration.objects.select_related("credential_type", "user"), pk=pk, user=user
    )
