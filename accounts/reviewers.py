"""The KDLA Reviewers group: who may use the review site (the Django admin)."""

from django.contrib.auth.models import Group

from accounts.models import User

REVIEWERS_GROUP = "KDLA Reviewers"


def add_to_reviewers(user: User) -> None:
    group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
