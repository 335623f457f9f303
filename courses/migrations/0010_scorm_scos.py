"""Packages get their SCOs as rows, and attempts are per SCO.

Every package stored so far was launched as a single SCO: it gets one SCO row made from its
own launch path and thresholds, and its attempts are attached to that SCO.
"""

import django.db.models.deletion
from django.db import migrations, models


def one_sco_per_stored_package(apps, schema_editor):
    package_model = apps.get_model("courses", "ScormPackage")
    sco_model = apps.get_model("courses", "ScormSco")
    attempt_model = apps.get_model("courses", "ScormAttempt")
    for package in package_model.objects.all():
        sco = sco_model.objects.create(
            package=package,
            order=1,
            # The item's identifier was not kept when these packages were stored.
            identifier="",
            title=package.title,
            launch_path=package.launch_path,
            mastery_score=package.mastery_score,
            completion_threshold=package.completion_threshold,
            scaled_passing_score=package.scaled_passing_score,
        )
        attempt_model.objects.filter(package=package).update(sco=sco)
    # The new foreign keys are checked at commit; check them now, so that PostgreSQL lets the
    # next operation alter the table these rows were written to.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0009_live_session_attendance_codes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScormSco",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        help_text="1 for the first SCO of the package."
                    ),
                ),
                (
                    "identifier",
                    models.CharField(
                        blank=True, help_text="The manifest item's identifier.", max_length=200
                    ),
                ),
                ("title", models.CharField(blank=True, max_length=300)),
                ("launch_path", models.CharField(max_length=500)),
                (
                    "launch_parameters",
                    models.CharField(
                        blank=True,
                        help_text="Query string and fragment added to the launch address (href and the item's parameters), starting with ? or #; empty for none.",
                        max_length=1000,
                    ),
                ),
                (
                    "mastery_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="SCORM 1.2 adlcp:masteryscore (0–100) of the item.",
                        max_digits=5,
                        null=True,
                    ),
                ),
                (
                    "completion_threshold",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        help_text="SCORM 2004 adlcp:completionThreshold (0–1) of the item.",
                        max_digits=5,
                        null=True,
                    ),
                ),
                (
                    "scaled_passing_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        help_text="SCORM 2004 minimum normalised measure (−1–1) of the item's objective.",
                        max_digits=5,
                        null=True,
                    ),
                ),
            ],
            options={
                "verbose_name": "SCORM SCO",
                "verbose_name_plural": "SCORM SCOs",
                "ordering": ["package", "order"],
            },
        ),
        migrations.AddField(
            model_name="scormsco",
            name="package",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="scos",
                to="courses.scormpackage",
            ),
        ),
        migrations.AddField(
            model_name="historicalscormattempt",
            name="sco",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="courses.scormsco",
            ),
        ),
        migrations.AddField(
            model_name="scormattempt",
            name="sco",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attempts",
                to="courses.scormsco",
            ),
        ),
        migrations.RunPython(one_sco_per_stored_package, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="scormattempt",
            name="sco",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attempts",
                to="courses.scormsco",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="scormattempt",
            name="scormattempt_one_per_module",
        ),
        migrations.AddConstraint(
            model_name="scormattempt",
            constraint=models.UniqueConstraint(
                fields=("enrollment", "sco"), name="scormattempt_one_per_sco"
            ),
        ),
        migrations.AddConstraint(
            model_name="scormsco",
            constraint=models.UniqueConstraint(
                fields=("package", "order"), name="scormsco_order_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="scormsco",
            constraint=models.CheckConstraint(
                condition=models.Q(("order__gte", 1)), name="scormsco_order_from_one"
            ),
        ),
    ]
