"""Celery wiring: the app reads its configuration from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kdla_portal.settings")

app = Celery("kdla_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
