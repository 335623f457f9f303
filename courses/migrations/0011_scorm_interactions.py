"""SCORM interactions as rows of their own (ScormInteraction), and what the attempt needs to
write them only when a commit changes them. KDLA Reviewers may view the rows."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
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
            content_type__app_label="courses", codename="view_scorminteraction"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_kdla_reviewers_group"),
        ("courses", "0010_scorm_scos"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalscormattempt",
            name="interactions_sequence",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Number of the commit whose interactions are stored as rows.",
            ),
        ),
        migrations.AddField(
            model_name="scormattempt",
            name="interactions_digest",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Digest of the interactions last stored as rows; a commit that carries the same ones writes none.",
                max_length=32,
            ),
        ),
        migrations.AddField(
            model_name="scormattempt",
            name="interactions_sequence",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Number of the commit whose interactions are stored as rows.",
            ),
        ),
        migrations.CreateModel(
            name="ScormInteraction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("index", models.PositiveSmallIntegerField(help_text="n of cmi.interactions.n.")),
                ("interaction_id", models.CharField(max_length=4000)),
                ("interaction_type", models.CharField(blank=True, max_length=20)),
                ("description", models.CharField(blank=True, max_length=250)),
                ("learner_response", models.TextField(blank=True)),
                ("correct_responses", models.JSONField(blank=True, default=list)),
                ("result", models.CharField(blank=True, max_length=30)),
                (
                    "weighting",
                    models.DecimalField(blank=True, decimal_places=7, max_digits=17, null=True),
                ),
                ("latency", models.CharField(blank=True, max_length=30)),
                (
                    "timestamp_text",
                    models.CharField(
                        blank=True, help_text="The time as the package reported it.", max_length=30
                    ),
                ),
                (
                    "timestamp",
                    models.DateTimeField(
                        blank=True,
                        help_text="The SCORM 2004 timestamp, when it is a valid one.",
                        null=True,
                    ),
                ),
                ("objective_ids", models.JSONField(blank=True, default=list)),
                (
                    "commit_sequence",
                    models.PositiveIntegerField(
                        help_text="Number of the commit that stored this version."
                    ),
                ),
                ("recorded_at", models.DateTimeField()),
                (
                    "attempt",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="interactions",
                        to="courses.scormattempt",
                    ),
                ),
            ],
            options={
                "ordering": ["attempt", "index"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("attempt", "index"), name="scorminteraction_one_per_index"
                    )
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
