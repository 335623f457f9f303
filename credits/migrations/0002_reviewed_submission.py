"""Credit requests are reviewed submissions (review.models.ReviewedSubmission): the request time
is ``submitted_at``, the reviewer's note ``reviewer_note``, and a decision records when and by
whom.

No data changes: the columns keep their names (``db_column``), the indexes stay as they are;
the decision constraint is new.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="creditrequest",
            name="requested_at",
            field=models.DateTimeField(
                db_column="requested_at",
                default=django.utils.timezone.now,
                verbose_name="request date",
            ),
        ),
        migrations.RenameField(
            model_name="creditrequest", old_name="requested_at", new_name="submitted_at"
        ),
        migrations.AlterField(
            model_name="creditrequest",
            name="notes",
            field=models.TextField(
                blank=True,
                db_column="notes",
                help_text="The reviewer's note to the person.",
                verbose_name="notes",
            ),
        ),
        migrations.RenameField(
            model_name="creditrequest", old_name="notes", new_name="reviewer_note"
        ),
        migrations.AlterField(
            model_name="historicalcreditrequest",
            name="requested_at",
            field=models.DateTimeField(
                db_column="requested_at",
                default=django.utils.timezone.now,
                verbose_name="request date",
            ),
        ),
        migrations.RenameField(
            model_name="historicalcreditrequest", old_name="requested_at", new_name="submitted_at"
        ),
        migrations.AlterField(
            model_name="historicalcreditrequest",
            name="notes",
            field=models.TextField(
                blank=True,
                db_column="notes",
                help_text="The reviewer's note to the person.",
                verbose_name="notes",
            ),
        ),
        migrations.RenameField(
            model_name="historicalcreditrequest", old_name="notes", new_name="reviewer_note"
        ),
        migrations.AlterModelOptions(
            name="creditrequest",
            options={"ordering": ["-submitted_at"]},
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(
                    model_name="creditrequest", name="credits_cre_user_id_2866ac_idx"
                ),
                migrations.RemoveIndex(model_name="creditrequest", name="creditrequest_pending"),
                migrations.AddIndex(
                    model_name="creditrequest",
                    index=models.Index(
                        fields=["user", "submitted_at"], name="credits_cre_user_id_2866ac_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="creditrequest",
                    index=models.Index(
                        condition=models.Q(("status", "PENDING")),
                        fields=["submitted_at"],
                        name="creditrequest_pending",
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="creditrequest",
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
                name="creditrequest_decision_recorded",
            ),
        ),
    ]
