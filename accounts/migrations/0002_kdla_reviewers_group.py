"""Create the "KDLA Reviewers" group with only the permissions reviewers need.

The list is frozen here (a migration must not change meaning when the code does);
``accounts.reviewers.reviewers_group`` keeps the live list and re-applies it whenever a
reviewer is added, which also covers models created by later migrations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

REVIEWERS_GROUP = "KDLA Reviewers"
REVIEWER_PERMISSIONS = [
    ("accounts", "user", ("view",)),
    ("accounts", "library", ("view",)),
    ("certifications", "externalfile", ("view", "change")),
    ("certifications", "credentialtype", ("add", "change", "view")),
    ("certifications", "documenttype", ("add", "change", "view")),
    ("certifications", "registration", ("view",)),
    ("certifications", "notification", ("view",)),
    ("credits", "creditrequest", ("view", "change")),
    ("courses", "course", ("add", "change", "view")),
    ("courses", "category", ("add", "change", "view")),
    ("courses", "provider", ("add", "change", "view")),
    ("courses", "enrollment", ("view",)),
    ("courses", "courseapprovalrequest", ("view", "change")),
    ("courses", "asynccompletion", ("view", "change")),
    ("certifications", "historicalexternalfile", ("view",)),
    ("certifications", "historicalcredentialtype", ("view",)),
    ("certifications", "historicalregistration", ("view",)),
    ("credits", "historicalcreditrequest", ("view",)),
    ("courses", "historicalcourse", ("view",)),
    ("courses", "historicalprovider", ("view",)),
    ("courses", "historicalenrollment", ("view",)),
    ("courses", "historicalcourseapprovalrequest", ("view",)),
    ("courses", "historicalasynccompletion", ("view",)),
]


def create_reviewers_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the
    # group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Q(pk__in=[])
    for app_label, model, actions in REVIEWER_PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    group.permissions.add(*Permission.objects.filter(wanted))


def remove_reviewers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("certifications", "0001_initial"),
        ("courses", "0002_asynchronous_courses"),
        ("credits", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_reviewers_group, remove_reviewers_group)]
