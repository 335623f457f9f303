"""The scheduled jobs, each as one call: what the Celery tasks and ``run_deadlines`` run.

Every job first changes and claims in the database, then delivers the claimed emails (what
does not fit in the run's delivery time is left to the outbox's own task), and returns a small
count per kind. ``preview_daily_jobs`` counts what a run would do and changes nothing.
``catch_up_daily_jobs`` runs today's jobs when the scheduled run has not happened by now.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from certifications.models import DailyJobRun
from certifications.services.deadlines import (
    ended_renewal_cycles,
    lapse_ended_renewal_cycles,
    lapse_missed_upload_deadlines,
    missed_upload_deadlines,
)
from certifications.services.reminders import (
    claim_renewal_reminders,
    claim_reviewer_digests,
    claim_upload_reminders,
    renewal_reminders_due,
    reviewers_due_digest,
    upload_reminders_due,
)
from notifications.services import deliver_outbox, request_delivery, unsent_messages

JobCounts = dict[str, int]
# A run that started this long ago and never finished died; the catch-up runs it again.
ABANDONED_AFTER = datetime.timedelta(hours=1)


def deliver_notifications() -> int:
    """Deliver what is due within the run's delivery time; the rest goes to a worker."""
    counts = deliver_outbox(max_seconds=settings.DAILY_RUN_DELIVERY_SECONDS)
    if counts.more:
        request_delivery()
    return counts.sent


def run_upload_deadlines(*, today: datetime.date) -> JobCounts:
    lapsed = lapse_missed_upload_deadlines(today=today)
    return {"upload_lapsed": lapsed, "emails_sent": deliver_notifications()}


def send_upload_reminders(*, today: datetime.date) -> JobCounts:
    claimed = claim_upload_reminders(today=today)
    return {"upload_reminders": claimed, "emails_sent": deliver_notifications()}


def run_renewal_windows(*, today: datetime.date) -> JobCounts:
    lapsed = lapse_ended_renewal_cycles(today=today)
    claimed = claim_renewal_reminders(today=today)
    return {
        "renewal_lapsed": lapsed,
        "renewal_reminders": claimed,
        "emails_sent": deliver_notifications(),
    }


def send_reviewer_digest(*, today: datetime.date) -> JobCounts:
    claimed = claim_reviewer_digests(today=today)
    return {"reviewer_digests": claimed, "emails_sent": deliver_notifications()}


def run_daily_jobs(*, today: datetime.date) -> JobCounts:
    """Every daily job in order, then one delivery of all the emails they claimed."""
    counts = lapse_and_claim(today=today)
    counts["emails_sent"] = deliver_notifications()
    return counts


def lapse_and_claim(*, today: datetime.date) -> JobCounts:
    """The daily jobs' changes and email claims, recorded as today's run: a fixed number of
    queries whatever the number of rows."""
    run, _ = DailyJobRun.objects.get_or_create(day=today)
    counts = {
        "upload_lapsed": lapse_missed_upload_deadlines(today=today),
        "upload_reminders": claim_upload_reminders(today=today),
        "renewal_lapsed": lapse_ended_renewal_cycles(today=today),
        "renewal_reminders": claim_renewal_reminders(today=today),
        "reviewer_digests": claim_reviewer_digests(today=today),
    }
    DailyJobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    return counts


def daily_run_missed(*, now: datetime.datetime) -> bool:
    """Has today's scheduled time passed without a run that finished (or is still going)?"""
    local = timezone.localtime(now)
    if local.time() < settings.DAILY_RUN_TIME:
        return False
    run = DailyJobRun.objects.filter(day=local.date()).first()
    if run is None:
        return True
    return run.finished_at is None and run.started_at < now - ABANDONED_AFTER


def catch_up_daily_jobs(*, now: datetime.datetime) -> JobCounts:
    """Run today's jobs if beat or the workers were down at the scheduled time (safe to
    repeat: two runs at once claim and send each email once)."""
    if not daily_run_missed(now=now):
        return {}
    return run_daily_jobs(today=timezone.localdate(now))


def preview_daily_jobs(*, today: datetime.date) -> JobCounts:
    """What ``run_daily_jobs`` would do today, counted without changing or sending anything."""
    counts = {
        "upload_lapsed": missed_upload_deadlines(today=today).count(),
        "upload_reminders": upload_reminders_due(today=today).count(),
        "renewal_lapsed": ended_renewal_cycles(today=today).count(),
        "renewal_reminders": renewal_reminders_due(today=today).count(),
        "reviewer_digests": reviewers_due_digest(today=today).count(),
    }
    counts["emails_sent"] = sum(counts.values()) + unsent_messages().count()
    return counts
