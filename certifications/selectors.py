"""Reads shared by pages: each returns only what the asking person may see."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from certifications.models import CredentialType, Registration


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
