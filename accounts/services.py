"""Writes with a rule on people and libraries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.emails import queue_signup_with_existing_address, queue_welcome
from accounts.models import Library, LibraryRole, User

if TYPE_CHECKING:
    from accounts.forms import SignUpForm


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


def account_sign_up(*, form: SignUpForm) -> User | None:
    """Create the account a valid sign-up form describes and queue its welcome email; for an
    address that already has an account, change nothing and email its owner instead.

    Either way the person signing up sees the same page, so the form cannot be used to learn
    which addresses have accounts. Returns the new account, or None.
    """
    email = form.cleaned_data["email"]
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            # Hash the password anyway, so both answers take the same time.
            make_password(form.cleaned_data["password1"])
            queue_signup_with_existing_address(user=existing)
            return None
        user = form.save()
        queue_welcome(user=user)
        return user
