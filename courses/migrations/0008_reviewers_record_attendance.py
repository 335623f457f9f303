"""KDLA Reviewers schedule live sessions and record attendance on the roster."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

REVIEWERS_GROUP = "KDLA Reviewers"
LIVE_PERMISSIONS = [
    ("livesession", ("add", "change", "delete", "view")),
    ("livesessionregistration", ("change", "view")),
    ("historicallivesession", ("view",)),
    ("historicallivesessionregistration", ("view",)),
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=REVIEWERS_GROUP).first()
    if group is None:
        return
    wanted = Q(pk__in=[])
    for model, actions in LIVE_PERMISSIONS:
        wanted |= Q(
            content_type__app_label="courses",
            codename__in=[f"{action}_{model}" for action in actions],
        )
    group.permissions.add(*apps.get_model("auth", "Permission").objects.filter(wanted))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_kdla_reviewers_group"),
        ("courses", "0007_live_sessions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
