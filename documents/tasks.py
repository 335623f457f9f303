"""Thin Celery wrapper of the orphan-file clean-up; safe to repeat (deleting is idempotent)."""

from __future__ import annotations

from celery import shared_task

from documents.orphans import remove_orphan_files


@shared_task(acks_late=True, reject_on_worker_lost=True)
def clean_orphan_files() -> dict[str, int]:
    report = remove_orphan_files()
    return {"examined": report.examined, "removed": report.removed}
