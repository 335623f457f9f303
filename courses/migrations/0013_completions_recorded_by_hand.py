"""Reviewers record a course completion by hand (from a paper sign-in sheet) with a reason;
the KDLA Reviewers group gets the permission to do so."""

from django.contrib.auth.management import create_permissions

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

REVIEWERS_GROUP = "KDLA Reviewers"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=REVIEWERS_GROUP).first()
    if group is None:
        return
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="courses", codename="complete_enrollment"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_kdla_reviewers_group"),
        ("courses", "0012_reviewed_submission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="enrollment",
            options={
                "ordering": ["-registered_at"],
                "permissions": [
                    ("complete_enrollment", "Can record a course completion by hand, with a reason")
                ],
            },
        ),
        migrations.AddField(
            model_name="enrollment",
            name="completion_reason",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                help_text="Why the completion was recorded by hand, e.g. the sign-in sheet.",
            ),
        ),
        migrations.AddField(
            model_name="enrollment",
            name="completion_recorded_by",
            field=models.ForeignKey(
                blank=True,
                help_text="The reviewer who recorded this completion by hand.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalenrollment",
            name="completion_reason",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                help_text="Why the completion was recorded by hand, e.g. the sign-in sheet.",
            ),
        ),
        migrations.AddField(
            model_name="historicalenrollment",
            name="completion_recorded_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The reviewer who recorded this completion by hand.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="enrollment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("completion_reason", ""), ("completion_recorded_by__isnull", True)),
                    models.Q(
                        ("completion_reason__gt", ""),
                        ("completion_recorded_by__isnull", False),
                        ("status", "COMPLETED"),
                    ),
                    _connector="OR",
                ),
                name="enrollment_manual_completion_has_reviewer_and_reason",
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
