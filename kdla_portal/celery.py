"""Celery wiring: the app reads its configuration from Django settings (CELERY_* names)."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kdla_portal.settings")

app = Celery("kdla_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)
CATCH_UP_TASKS = (
    "certifications.tasks.catch_up_daily_deadlines",
    "notifications.tasks.deliver_outbox",
)


@worker_ready.connect
def catch_up_when_a_worker_starts(sender, **kwargs) -> None:
    """A worker coming back (after a crash, a deploy, a broker outage) runs a daily run that
    was missed and sends what waits in the outbox, without waiting for beat's next tick."""
    if not sender.app.conf.get("worker_catch_up_on_start", True):
        return
    for task in CATCH_UP_TASKS:
        try:
            sender.app.send_task(task)
        except Exception:
            logger.warning("Could not queue %s at worker start", task, exc_info=True)
