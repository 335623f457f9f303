"""Live sessions get an attendance code; registrations count wrong codes entered."""

import courses.models
from django.db import migrations, models


def codes_of_their_own(apps, schema_editor):
    """The column's default gave every existing session the same code; each gets its own."""
    live_session = apps.get_model("courses", "LiveSession")
    for session in live_session.objects.all():
        session.attendance_code = courses.models.attendance_code_new()
        session.save(update_fields=["attendance_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_reviewers_record_attendance"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicallivesession",
            name="attendance_code",
            field=models.CharField(
                default=courses.models.attendance_code_new,
                editable=False,
                help_text="The trainer gives it out during the session; registered learners enter it on the module page to record their attendance.",
                max_length=6,
            ),
        ),
        migrations.AddField(
            model_name="historicallivesessionregistration",
            name="attendance_code_wrong_tries",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="livesession",
            name="attendance_code",
            field=models.CharField(
                default=courses.models.attendance_code_new,
                editable=False,
                help_text="The trainer gives it out during the session; registered learners enter it on the module page to record their attendance.",
                max_length=6,
            ),
        ),
        migrations.AddField(
            model_name="livesessionregistration",
            name="attendance_code_wrong_tries",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(codes_of_their_own, migrations.RunPython.noop),
    ]
