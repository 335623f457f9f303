"""Install the outbox sweep (django-celery-beat): every 5 minutes, send what is still unsent.

Delivery is normally asked for the moment an email is written; the sweep covers the times that
request could not be made (broker down) or failed (mail server down, a worker killed). Only
created when missing, so an administrator's edits in "Periodic tasks" are kept. Reviewers may
read the outbox in the review site.
"""

from django.db import migrations
from django.utils import timezone

SWEEP_NAME = "KDLA email delivery sweep"
SWEEP_TASK = "notifications.tasks.deliver_outbox"
REVIEWERS_GROUP = "KDLA Reviewers"


def install_sweep(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=SWEEP_NAME).exists():
        return
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.create(
        name=SWEEP_NAME,
        task=SWEEP_TASK,
        interval=every,
        description=(
            "Sends every email still waiting in the outbox: ones the mail server refused or "
            "could not take, and ones written while the task broker was down."
        ),
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_sweep(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=SWEEP_NAME, task=SWEEP_TASK
    ).delete()


def let_reviewers_read_the_outbox(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=REVIEWERS_GROUP).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="notifications", codename="view_outboxmessage"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("accounts", "0002_kdla_reviewers_group"),
    ]

    operations = [
        migrations.RunPython(install_sweep, remove_sweep),
        migrations.RunPython(let_reviewers_read_the_outbox, migrations.RunPython.noop),
    ]
