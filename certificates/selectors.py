"""Reads of certificates that pages share."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from certificates.models import Certificate


def certificates_for_user(*, user: User) -> QuerySet[Certificate]:
    """The person's own certificates, newest first (one query, whatever their number)."""
    return Certificate.objects.filter(user=user).order_by("-issued_on", "-pk")
