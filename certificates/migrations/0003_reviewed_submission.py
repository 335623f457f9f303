"""Name changes are reviewed submissions (review.models.ReviewedSubmission): the request time is
``submitted_at`` and a decision records when and by whom.

No data changes: the columns keep their names (``db_column``), and the decision constraint
replaces the one that checked only the time.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_name_changes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="namechangerequest",
            name="requested_at",
            field=models.DateTimeField(
                db_column="requested_at",
                default=django.utils.timezone.now,
                verbose_name="requested at",
            ),
        ),
        migrations.RenameField(
            model_name="namechangerequest", old_name="requested_at", new_name="submitted_at"
        ),
        migrations.AlterField(
            model_name="namechangerequest",
            name="reviewer_note",
            field=models.TextField(blank=True, help_text="The reviewer's note to the person."),
        ),
        migrations.AlterField(
            model_name="historicalnamechangerequest",
            name="requested_at",
            field=models.DateTimeField(
                db_column="requested_at",
                default=django.utils.timezone.now,
                verbose_name="requested at",
            ),
        ),
        migrations.RenameField(
            model_name="historicalnamechangerequest",
            old_name="requested_at",
            new_name="submitted_at",
        ),
        migrations.AlterField(
            model_name="historicalnamechangerequest",
            name="reviewer_note",
            field=models.TextField(blank=True, help_text="The reviewer's note to the person."),
        ),
        migrations.AlterModelOptions(
            name="namechangerequest",
            options={"ordering": ["-submitted_at", "-id"]},
        ),
        migrations.RemoveConstraint(
            model_name="namechangerequest", name="name_change_decision_has_time"
        ),
        migrations.AddConstraint(
            model_name="namechangerequest",
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
                name="namechangerequest_decision_recorded",
            ),
        ),
    ]
