"""KDLA Reviewers write the portal courses' lessons and quizzes in the review site and see the
learners' attempts (read-only), and upload SCORM packages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

REVIEWERS_GROUP = "KDLA Reviewers"
# Frozen here, as in accounts/migrations/0002; accounts.reviewers keeps the live list.
MODULE_PERMISSIONS = [
    ("coursemodule", ("add", "change", "delete", "view")),
    ("quizquestion", ("add", "change", "delete", "view")),
    ("quizchoice", ("add", "change", "delete", "view")),
    ("quizattempt", ("view",)),
    ("scormpackage", ("add", "view")),
    ("scormattempt", ("view",)),
    ("historicalcoursemodule", ("view",)),
    ("historicalquizquestion", ("view",)),
    ("historicalquizchoice", ("view",)),
    ("historicalquizattempt", ("view",)),
    ("historicalmodulecompletion", ("view",)),
    ("historicalscormpackage", ("view",)),
    ("historicalscormattempt", ("view",)),
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=REVIEWERS_GROUP).first()
    if group is None:
        return
    wanted = Q(pk__in=[])
    for model, actions in MODULE_PERMISSIONS:
        wanted |= Q(
            content_type__app_label="courses",
            codename__in=[f"{action}_{model}" for action in actions],
        )
    group.permissions.add(*Permission.objects.filter(wanted))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_kdla_reviewers_group"),
        ("courses", "0005_scorm_packages"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
