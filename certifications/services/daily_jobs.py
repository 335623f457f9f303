"""The scheduled jobs, each as one call: what the Celery tasks and ``run_deadlines`` run.

Every job first changes and claims in the database, then delivers the claimed emails, and
returns a small count per kind. ``dry_run`` counts what a run would do and changes nothing.
"""

from __future__ import annotations

import datetime

from certifications.services.deadlines import (
    ended_renewal_cycles,
    lapse_ended_renewal_cycles,
    lapse_missed_upload_deadlines,
    missed_upload_deadlines,
)
from certifications.services.notifications import deliver_notifications, unsent_notifications
from certifications.services.reminders import (
    claim_renewal_reminders,
    claim_reviewer_digests,
    claim_upload_reminders,
    renewal_reminders_due,
    reviewers_due_digest,
    upload_reminders_due,
)

JobCounts = dict[str, int]


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
    counts = {
        "upload_lapsed": lapse_missed_upload_deadlines(today=today),
        "upload_reminders": claim_upload_reminders(today=today),
        "renewal_lapsed": lapse_ended_renewal_cycles(today=today),
        "renewal_reminders": claim_renewal_reminders(today=today),
        "reviewer_digests": claim_reviewer_digests(today=today),
    }
    counts["emails_sent"] = deliver_notifications()
    return counts


def preview_daily_jobs(*, today: datetime.date) -> JobCounts:
    """What ``run_daily_jobs`` would do today, counted without changing or sending anything."""
    counts = {
        "upload_lapsed": missed_upload_deadlines(today=today).count(),
        "upload_reminders": upload_reminders_due(today=today).count(),
        "renewal_lapsed": ended_renewal_cycles(today=today).count(),
        "renewal_reminders": renewal_reminders_due(today=today).count(),
        "reviewer_digests": reviewers_due_digest(today=today).count(),
    }
    counts["emails_sent"] = sum(counts.values()) + unsent_notifications().count()
    return counts
