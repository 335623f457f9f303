"""Reminders before a due date, and the reviewers' daily digest.

Reminders are due ``settings.UPLOAD_REMINDER_DAYS`` days before the upload deadline and
``settings.RENEWAL_REMINDER_DAYS`` days before a renewal cycle ends, read from the stored
``upload_due_on`` / ``cycle_end`` columns (so a deadline moved for one person moves their
reminders). A run sends, per registration, the latest reminder whose day has come and that was
not sent yet: a reminder whose day passed without a run goes out on the next run, once, unless a
later reminder replaced it (its day has come too) or the reason went away (the file was
uploaded, the hours were met). Reminder days more than ``settings.REMINDER_CATCH_UP_DAYS`` ago
are not caught up. Claiming is one INSERT … SELECT over the rows in the reminder range (the
partial indexes on the due columns find them), so a run costs the same few queries for 5 or
50,000 reminders.
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
from certifications.models import CredentialType, NoticeKind, Registration
from certifications.services.deadlines import has_counting_file
from certifications.services.notifications import claim_notifications, digest_key, notice_key
from notifications.models import OutboxMessage
from review.queues import registered_queues

DIGEST_LIST_LIMIT = 50


def _due_reminder(*, due_field: str, today: datetime.date, offsets: Iterable[int]) -> Case:
    """For each row, the reminder (days before ``due_field``) it is due now, or NULL.

    With offsets o1 < o2 < …, a row whose due date is between ``today + o(i-1)`` (exclusive)
    and ``today + oi`` gets reminder oi: its day has come, and no later reminder's has."""
    whens = []
    previous = -1
    for offset in sorted(offset for offset in offsets if offset > 0):
        earliest = max(previous + 1, offset - settings.REMINDER_CATCH_UP_DAYS)
        when = {
            f"{due_field}__gte": today + datetime.timedelta(days=earliest),
            f"{due_field}__lte": today + datetime.timedelta(days=offset),
        }
        whens.append(When(**when, then=Value(offset)))
        previous = offset
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _reminders_due(
    *,
    candidates: QuerySet[Registration],
    kind: str,
    due_field: str,
    offsets: list[int],
    today: datetime.date,
) -> QuerySet[Registration]:
    longest = max((offset for offset in offsets if offset > 0), default=0)
    return (
        candidates.filter(
            **{
                f"{due_field}__gte": today,
                f"{due_field}__lte": today + datetime.timedelta(days=longest),
            }
        )
        .annotate(reminder_offset=_due_reminder(due_field=due_field, today=today, offsets=offsets))
        .filter(reminder_offset__isnull=False)
        .annotate(
            reminder_key=notice_key(kind=kind, about=F("pk"), offset_days=F("reminder_offset"))
        )
        .exclude(Exists(OutboxMessage.objects.filter(key=OuterRef("reminder_key"))))
        .order_by()
    )


def upload_reminders_due(*, today: datetime.date) -> QuerySet[Registration]:
    """ACTIVE registrations whose required file is still missing and whose reminder is due;
    annotated with ``reminder_offset`` (which reminder) and ``reminder_key``."""
    return _reminders_due(
        candidates=Registration.objects.filter(status=Registration.Status.ACTIVE).exclude(
            has_counting_file()
        ),
        kind=NoticeKind.UPLOAD_REMINDER,
        due_field="upload_due_on",
        offsets=settings.UPLOAD_REMINDER_DAYS,
        today=today,
    )


def renewal_reminders_due(*, today: datetime.date) -> QuerySet[Registration]:
    """ACTIVE renewal-credits cycles short of hours whose reminder before the cycle's end is
    due; annotated with ``reminder_offset`` and ``reminder_key``."""
    return _reminders_due(
        candidates=Registration.objects.filter(
            status=Registration.Status.ACTIVE,
            credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS,
            earned_credits__lt=F("credential_type__required_credits"),
        ),
        kind=NoticeKind.RENEWAL_REMINDER,
        due_field="cycle_end",
        offsets=settings.RENEWAL_REMINDER_DAYS,
        today=today,
    )


def _claim_reminders(*, due: QuerySet[Registration], kind: str, due_field: str) -> int:
    return claim_notifications(
        source=due,
        kind=kind,
        key=F("reminder_key"),
        recipient=F("user_id"),
        registration=F("pk"),
        sent_for=F(due_field),
        offset_days=F("reminder_offset"),
    )


def claim_upload_reminders(*, today: datetime.date) -> int:
    """Claim the upload reminders due today; returns how many emails were claimed."""
    return _claim_reminders(
        due=upload_reminders_due(today=today),
        kind=NoticeKind.UPLOAD_REMINDER,
        due_field="upload_due_on",
    )


def claim_renewal_reminders(*, today: datetime.date) -> int:
    """Claim the renewal reminders due today; returns how many emails were claimed."""
    return _claim_reminders(
        due=renewal_reminders_due(today=today),
        kind=NoticeKind.RENEWAL_REMINDER,
        due_field="cycle_end",
    )


def waiting_since(*, today: datetime.date) -> datetime.datetime:
    """Items submitted before this moment have waited longer than the digest's N days."""
    cutoff_day = today - datetime.timedelta(days=settings.REVIEWER_DIGEST_AFTER_DAYS)
    return timezone.make_aware(datetime.datetime.combine(cutoff_day, datetime.time.min))


def waiting_review_items(*, today: datetime.date) -> dict[str, Any]:
    """Every registered review queue's items waiting longer than the digest's N days: how
    many, and the oldest (up to DIGEST_LIST_LIMIT each)."""
    since = waiting_since(today=today)
    queues = []
    for queue in registered_queues():
        waiting = queue.waiting_since(since)
        count = waiting.count()
        if not count:
            continue
        items = [
            {
                "text": queue.describe(item),
                "received": getattr(item, queue.received_field),
            }
            for item in waiting[:DIGEST_LIST_LIMIT]
        ]
        queues.append(
            {
                "title": queue.digest_title,
                "count": count,
                "items": items,
                "noun": queue.noun[0] if count == 1 else queue.noun[1],
            }
        )
    return {
        "today": today,
        "after_days": settings.REVIEWER_DIGEST_AFTER_DAYS,
        "queues": queues,
        "summary": _counted_list([f"{queue['count']} {queue['noun']}" for queue in queues]),
    }


def _counted_list(parts: list[str]) -> str:
    """ "1 file", "1 file and 2 credit requests", "1 file, 2 … and 3 …"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def reviewers_due_digest(*, today: datetime.date) -> QuerySet[User]:
    """Active reviewers who have not had today's digest, when anything waits; else none."""
    since = waiting_since(today=today)
    if not any(queue.waiting_since(since).exists() for queue in registered_queues()):
        return User.objects.none()
    already = OutboxMessage.objects.filter(key=digest_key(recipient=OuterRef("pk"), day=today))
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
        kind=NoticeKind.REVIEWER_DIGEST,
        key=digest_key(recipient=F("pk"), day=today),
        recipient=F("pk"),
        registration=None,
        sent_for=today,
    )
