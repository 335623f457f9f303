"""The KDLA Trainers group: people who give live sessions (workshops, webinars). In the review
site a trainer sees only the sessions they give, with their rosters and attendance codes, and
records attendance on them; they decide nothing else and edit no course.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.models import User

TRAINERS_GROUP = "KDLA Trainers"

# (app label, codenames). Which sessions a trainer sees is narrowed in the review site and in
# courses.services.live_sessions, not by these permissions.
TRAINER_PERMISSIONS: list[tuple[str, tuple[str, ...]]] = [
    ("courses", ("view_livesession", "view_livesessionregistration")),
    ("courses", ("change_livesessionregistration",)),  # the roster's attendance actions
]


def trainer_permissions_q() -> Q:
    wanted = Q(pk__in=[])
    for app_label, codenames in TRAINER_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    return wanted


def trainers_group() -> Group:
    group, _ = Group.objects.get_or_create(name=TRAINERS_GROUP)
    group.permissions.add(*Permission.objects.filter(trainer_permissions_q()))
    return group


def add_to_trainers(user: User) -> None:
    """Trainers sign in to the review site (``is_staff``) to reach their rosters."""
    user.groups.add(trainers_group())
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
