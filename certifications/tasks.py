"""Scheduled jobs (Celery beat, see the "Periodic tasks" in the review site). Each task takes
an optional ISO date (default: today in America/New_York), calls a service and returns a small
count per kind. They are safe to repeat, hence ``acks_late`` and ``reject_on_worker_lost`` (the
settings' defaults): a worker lost mid-run leaves the message for another worker, and the rerun
claims nothing twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from certifications.services import daily_jobs


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(acks_late=True)
def run_upload_deadlines(today: str | None = None) -> dict[str, int]:
    return daily_jobs.run_upload_deadlines(today=_day(today))


@shared_task(acks_late=True)
def send_upload_reminders(today: str | None = None) -> dict[str, int]:
    return daily_jobs.send_upload_reminders(today=_day(today))


@shared_task(acks_late=True)
def run_renewal_windows(today: str | None = None) -> dict[str, int]:
    return daily_jobs.run_renewal_windows(today=_day(today))


@shared_task(acks_late=True)
def send_reviewer_digest(today: str | None = None) -> dict[str, int]:
    return daily_jobs.send_reviewer_digest(today=_day(today))


@shared_task(acks_late=True)
def run_daily_deadlines(today: str | None = None) -> dict[str, int]:
    """All of the above, in order; the task the default schedule runs every morning."""
    return daily_jobs.run_daily_jobs(today=_day(today))


@shared_task(acks_late=True)
def catch_up_daily_deadlines() -> dict[str, int]:
    """Today's run, if its time (05:30) has passed without one: beat runs this every few
    minutes and each worker when it starts; it does nothing once today's run happened."""
    return daily_jobs.catch_up_daily_jobs(now=timezone.now())
