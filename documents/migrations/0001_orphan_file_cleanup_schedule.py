"""Install the nightly orphan-file clean-up (django-celery-beat), at 03:15 Eastern time.

Only created when missing, so an administrator's edits in "Periodic tasks" are kept.
"""

import zoneinfo

from django.db import migrations
from django.utils import timezone

TASK_NAME = "KDLA stored-file clean-up"
TASK = "documents.tasks.clean_orphan_files"


def install_cleanup(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=TASK_NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="3",
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
            "Removes stored files that no record names (left by an upload whose transaction "
            "failed or whose worker was killed) once they are a day old."
        ),
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_cleanup(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=TASK_NAME, task=TASK
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(install_cleanup, remove_cleanup)]
