"""Install the default schedule of the daily deadline jobs (django-celery-beat).

Every morning at 05:30 Eastern time, before staff and reviewers start work. Reviewers can
change the time or switch it off in the review site under "Periodic tasks"; this migration only
creates the schedule when it is missing, so it never undoes their edits.
"""

import zoneinfo

from django.db import migrations
from django.utils import timezone

TASK_NAME = "KDLA daily deadlines and reminders"
TASK = "certifications.tasks.run_daily_deadlines"


def install_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=TASK_NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="5",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=zoneinfo.ZoneInfo("America/New_York"),
    )
    PeriodicTask.objects.create(
        name=TASK_NAME,
        task=TASK,
        crontab=crontab,
        description=(
            "Lapses registrations whose 30-day upload window closed and renewal cycles that "
            "ended short of contact hours; sends upload and renewal reminders and the "
            "reviewers' digest. Safe to run again: each email is sent once."
        ),
    )
    # Beat reloads its schedule when this marker changes (model signals do not run here).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install_schedule, remove_schedule)]
