"""Course approval requests and asynchronous completions are reviewed submissions
(review.models.ReviewedSubmission): a decision records when and by whom.

No data changes: only the decision constraint replaces the one that checked only the time.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_scorm_interactions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="courseapprovalrequest", name="courseapproval_decision_has_time"
        ),
        migrations.AddConstraint(
            model_name="courseapprovalrequest",
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
                name="courseapprovalrequest_decision_recorded",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="asynccompletion", name="asynccompletion_decision_has_time"
        ),
        migrations.AddConstraint(
            model_name="asynccompletion",
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
                name="asynccompletion_decision_recorded",
            ),
        ),
    ]
