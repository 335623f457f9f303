"""Files are reviewed submissions (review.models.ReviewedSubmission): the upload time is
``submitted_at`` and a decision records when and by whom.

No data changes: the columns keep their names (``db_column``), the indexes stay as they are,
and the decision constraint replaces the one that checked only the time.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0005_deadline_extensions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="externalfile",
            name="uploaded_at",
            field=models.DateTimeField(
                db_column="uploaded_at",
                default=django.utils.timezone.now,
                verbose_name="uploaded at",
            ),
        ),
        migrations.RenameField(
            model_name="externalfile", old_name="uploaded_at", new_name="submitted_at"
        ),
        migrations.AlterField(
            model_name="externalfile",
            name="reviewer_note",
            field=models.TextField(blank=True, help_text="The reviewer's note to the person."),
        ),
        migrations.AlterField(
            model_name="historicalexternalfile",
            name="uploaded_at",
            field=models.DateTimeField(
                db_column="uploaded_at",
                default=django.utils.timezone.now,
                verbose_name="uploaded at",
            ),
        ),
        migrations.RenameField(
            model_name="historicalexternalfile", old_name="uploaded_at", new_name="submitted_at"
        ),
        migrations.AlterField(
            model_name="historicalexternalfile",
            name="reviewer_note",
            field=models.TextField(blank=True, help_text="The reviewer's note to the person."),
        ),
        migrations.AlterModelOptions(
            name="externalfile",
            options={"ordering": ["-submitted_at"]},
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="externalfile", name="externalfile_pending"),
                migrations.AddIndex(
                    model_name="externalfile",
                    index=models.Index(
                        condition=models.Q(("status", "PENDING")),
                        fields=["submitted_at"],
                        name="externalfile_pending",
                    ),
                ),
            ],
        ),
        migrations.RemoveConstraint(
            model_name="externalfile", name="externalfile_decision_has_time"
        ),
        migrations.AddConstraint(
            model_name="externalfile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("decided_at__isnull", True),
                        ("decided_by__isnull", True),
                        ("status", "PENDING"),
                    ),
                    models.Q(
                        models.Q(("status", "PENDING"), _negated=True),
                        ("decided_at__isnull", False),
                        ("decided_by__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="externalfile_decision_recorded",
            ),
        ),
    ]
