"""The default schedule: every morning at 05:30 New York time, editable in the review site."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask

from kdla_portal.celery import app
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TASK_NAME = "KDLA daily deadlines and reminders"


def test_the_daily_jobs_run_every_morning_at_0530_eastern(migration_installed_data):
    app.loader.import_default_modules()  # what a worker does at start: find every tasks.py
    task = PeriodicTask.objects.select_related("crontab").get(name=TASK_NAME)

    assert task.enabled
    assert task.task == "certifications.tasks.run_daily_deadlines"
    assert task.task in app.tasks
    assert (task.crontab.minute, task.crontab.hour) == ("30", "5")
    assert (task.crontab.day_of_week, task.crontab.day_of_month) == ("*", "*")
    assert str(task.crontab.timezone) == "America/New_York"


def test_every_job_is_a_registered_task():
    app.loader.import_default_modules()
    for name in (
        "run_upload_deadlines",
        "send_upload_reminders",
        "run_renewal_windows",
        "send_reviewer_digest",
        "run_daily_deadlines",
    ):
        task = app.tasks[f"certifications.tasks.{name}"]
        assert task.acks_late


def test_the_schedule_is_listed_in_the_review_site(client, migration_installed_data):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/django_celery_beat/periodictask/")

    assert response.status_code == 200
    assert TASK_NAME in response.content.decode()
