"""Reminders before a due date, and the reviewers' daily digest.

Each reminder is due on an exact day: ``settings.UPLOAD_REMINDER_DAYS`` days before the upload
deadline, ``settings.RENEWAL_REMINDER_DAYS`` days before a renewal cycle ends. Claiming them is
one INSERT … SELECT over the rows due on those days (the partial indexes on ``upload_due_on`` /
``cycle_end`` find them), so a run costs the same few queries for 5 or 50,000 reminders.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Case, Exists, F, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from accounts.reviewers import REVIEWERS_GROUP
from certifications.models import CredentialType, ExternalFile, Notification, Registration
from certifications.services.deadlines import has_counting_file
from certifications.services.notifications import claim_notifications

DIGEST_LIST_LIMIT = 50


def _days_before(*, today: datetime.date, offsets: Iterable[int]) -> dict[datetime.date, int]:
    return {today + datetime.timedelta(days=offset): offset for offset in offsets if offset > 0}


def _offset_for(*, due_field: str, due_dates: dict[datetime.date, int]) -> Case:
    return Case(
        *(When(**{due_field: due}, then=Value(offset)) for due, offset in due_dates.items()),
        output_field=IntegerField(),
    )


def _not_yet_claimed(*, kind: str) -> Exists:
    return ~Exists(
        Notification.objects.filter(
            registration=OuterRef("pk"), kind=kind, offset_days=OuterRef("reminder_offset")
        )
    )


def upload_reminders_due(*, today: datetime.date) -> QuerySet[Registration]:
    """ACTIVE registrations whose required file is still missing, on a reminder day, not yet
    reminded for that day; annotated with ``reminder_offset`` (days left)."""
    due_dates = _days_before(today=today, offsets=settings.UPLOAD_REMINDER_DAYS)
    kind = Notification.Kind.UPLOAD_REMINDER
    return (
        Registration.objects.filter(
            status=Registration.Status.ACTIVE, upload_due_on__in=list(due_dates)
        )
        .exclude(has_counting_file())
        .annotate(reminder_offset=_offset_for(due_field="upload_due_on", due_dates=due_dates))
        .filter(_not_yet_claimed(kind=kind))
        .order_by()
    )


def renewal_reminders_due(*, today: datetime.date) -> QuerySet[Registration]:
    """ACTIVE renewal-credits cycles short of hours, on a reminder day before their end, not
    yet reminded for that day; annotated with ``reminder_offset`` (days left)."""
    due_dates = _days_before(today=today, offsets=settings.RENEWAL_REMINDER_DAYS)
    kind = Notification.Kind.RENEWAL_REMINDER
    return (
        Registration.objects.filter(
            status=Registration.Status.ACTIVE,
            cycle_end__in=list(due_dates),
            credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS,
            earned_credits__lt=F("credential_type__required_credits"),
        )
        .annotate(reminder_offset=_offset_for(due_field="cycle_end", due_dates=due_dates))
        .filter(_not_yet_claimed(kind=kind))
        .order_by()
    )


def _claim_reminders(*, due: QuerySet[Registration], kind: str, due_field: str) -> int:
    return claim_notifications(
        source=due,
        kind=kind,
        recipient=F("user_id"),
        registration=F("pk"),
        sent_for=F(due_field),
        offset_days=F("reminder_offset"),
    )


def claim_upload_reminders(*, today: datetime.date) -> int:
    """Claim today's upload reminders; returns how many emails were claimed."""
    return _claim_reminders(
        due=upload_reminders_due(today=today),
        kind=Notification.Kind.UPLOAD_REMINDER,
        due_field="upload_due_on",
    )


def claim_renewal_reminders(*, today: datetime.date) -> int:
    """Claim today's renewal reminders; returns how many emails were claimed."""
    return _claim_reminders(
        due=renewal_reminders_due(today=today),
        kind=Notification.Kind.RENEWAL_REMINDER,
        due_field="cycle_end",
    )


def waiting_since(*, today: datetime.date) -> datetime.datetime:
    """Items submitted before this moment have waited longer than the digest's N days."""
    cutoff_day = today - datetime.timedelta(days=settings.REVIEWER_DIGEST_AFTER_DAYS)
    return timezone.make_aware(datetime.datetime.combine(cutoff_day, datetime.time.min))


def waiting_files(*, today: datetime.date) -> QuerySet[ExternalFile]:
    return ExternalFile.objects.filter(
        status=ExternalFile.Status.PENDING, uploaded_at__lt=waiting_since(today=today)
    )


def waiting_credit_requests(*, today: datetime.date) -> QuerySet:
    from credits.models import CreditRequest

    return CreditRequest.objects.filter(
        status=CreditRequest.Status.PENDING, requested_at__lt=waiting_since(today=today)
    )


def waiting_review_items(*, today: datetime.date) -> dict[str, Any]:
    """The oldest waiting files and credit requests (up to DIGEST_LIST_LIMIT each) and how
    many wait in all."""
    files = waiting_files(today=today)
    credit_requests = waiting_credit_requests(today=today)
    return {
        "today": today,
        "after_days": settings.REVIEWER_DIGEST_AFTER_DAYS,
        "file_count": files.count(),
        "files": list(
            files.select_related("registration__user", "document_type").order_by("uploaded_at")[
                :DIGEST_LIST_LIMIT
            ]
        ),
        "credit_request_count": credit_requests.count(),
        "credit_requests": list(
            credit_requests.select_related("user", "registration__credential_type").order_by(
                "requested_at"
            )[:DIGEST_LIST_LIMIT]
        ),
    }


def reviewers_due_digest(*, today: datetime.date) -> QuerySet[User]:
    """Active reviewers who have not had today's digest, when anything waits; else none."""
    if not (waiting_files(today=today).exists() or waiting_credit_requests(today=today).exists()):
        return User.objects.none()
    already = Notification.objects.filter(
        recipient=OuterRef("pk"), kind=Notification.Kind.REVIEWER_DIGEST, sent_for=today
    )
    return (
        User.objects.filter(is_active=True, groups__name=REVIEWERS_GROUP)
        .exclude(Exists(already))
        .order_by()
    )


def claim_reviewer_digests(*, today: datetime.date) -> int:
    """Claim today's digest for each reviewer, when anything waits; returns how many."""
    reviewers = reviewers_due_digest(today=today)
    if reviewers.query.is_empty():
        return 0
    return claim_notifications(
        source=reviewers,
        kind=Notification.Kind.REVIEWER_DIGEST,
        recipient=F("pk"),
        registration=None,
        sent_for=today,
    )
