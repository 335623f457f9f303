"""Writes with a rule on people and libraries."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Library, LibraryRole, User


@transaction.atomic
def library_role_grant(*, user: User, library: Library, role: str, granted_by: User) -> LibraryRole:
    """Make ``user`` director or delegate of ``library``. Granting again changes the role and
    keeps who first granted it (the history records every change)."""
    library_role, created = LibraryRole.objects.select_for_update().get_or_create(
        user=user, library=library, defaults={"role": role, "granted_by": granted_by}
    )
    if not created and library_role.role != role:
        library_role.role = role
        library_role.save(update_fields=["role"])
    return library_role
