"""The scheduled jobs' email claims move into the outbox (notifications.OutboxMessage).

Each Notification row becomes an outbox row under the key its unique constraint stood for
(``<kind>:<registration>:<offset>``, ``REVIEWER_DIGEST:<recipient>:<day>``), sent or not as it
was, so nothing claimed is sent twice and nothing unsent is lost; then the table goes. Also the
record of daily runs, and the beat entry that catches up a missed one.
"""

import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone

CATCH_UP_NAME = "KDLA daily run catch-up"
CATCH_UP_TASK = "certifications.tasks.catch_up_daily_deadlines"


def notifications_to_outbox(apps, schema_editor):
    Notification = apps.get_model("certifications", "Notification")
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    rows = []
    for claim in Notification.objects.order_by("pk").iterator(chunk_size=2000):
        if claim.registration_id is None:
            key = f"{claim.kind}:{claim.recipient_id}:{claim.sent_for.isoformat()}"
        else:
            key = f"{claim.kind}:{claim.registration_id}:{claim.offset_days}"
        rows.append(
            OutboxMessage(
                key=key,
                kind=claim.kind,
                recipient_id=claim.recipient_id,
                about_id=claim.registration_id,
                offset_days=claim.offset_days,
                sent_for=claim.sent_for,
                created_at=claim.created_at,
                next_attempt_at=claim.created_at,
                sent_at=claim.sent_at,
                # Sent ones keep no content (it was never stored); unsent ones render on delivery.
                rendered_at=claim.sent_at,
            )
        )
        if len(rows) >= 2000:
            OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)


def install_catch_up_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=CATCH_UP_NAME).exists():
        return
    every, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.create(
        name=CATCH_UP_NAME,
        task=CATCH_UP_TASK,
        interval=every,
        description=(
            "Runs today's daily deadlines and reminders when 05:30 passed without a run "
            "(beat or the workers were down). Does nothing once today's run happened."
        ),
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_catch_up_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=CATCH_UP_NAME, task=CATCH_UP_TASK
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0002_daily_deadlines_schedule"),
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="DailyJobRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(unique=True)),
                ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["-day"],
            },
        ),
        migrations.RunPython(notifications_to_outbox, migrations.RunPython.noop),
        migrations.RunPython(install_catch_up_schedule, remove_catch_up_schedule),
        migrations.DeleteModel(
            name="Notification",
        ),
    ]
