"""Live sessions name their trainer; the KDLA Trainers group sees sessions and rosters and
records attendance (the review site narrows it to a trainer's own sessions)."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.conf import settings
from django.db import migrations, models

TRAINERS_GROUP = "KDLA Trainers"
TRAINER_CODENAMES = [
    "view_livesession",
    "view_livesessionregistration",
    "change_livesessionregistration",
]


def create_trainers_group(apps, schema_editor):
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=TRAINERS_GROUP)
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="courses", codename__in=TRAINER_CODENAMES
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0013_completions_recorded_by_hand"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicallivesession",
            name="trainer",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The trainer who gives the session: they see its roster and record its attendance in the review site. Someone in the KDLA Trainers group.",
                limit_choices_to={"groups__name": "KDLA Trainers"},
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="livesession",
            name="trainer",
            field=models.ForeignKey(
                blank=True,
                help_text="The trainer who gives the session: they see its roster and record its attendance in the review site. Someone in the KDLA Trainers group.",
                limit_choices_to={"groups__name": "KDLA Trainers"},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="trained_sessions",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(create_trainers_group, migrations.RunPython.noop),
    ]
