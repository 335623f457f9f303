from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from kdla_portal.mail import queue_email


def queue_welcome(*, user: User) -> bool:
    """Greet a new account holder (once per account, whatever retries the sign-up sees)."""
    return queue_email(
        key=f"welcome:{user.pk}", template="welcome", to=[user.email], context={"user": user}
    )


def queue_signup_with_existing_address(*, user: User) -> bool:
    """Tell an account holder that someone signed up with their address. The sign-up page says
    the same whether or not the address has an account, so only the owner learns it does; at
    most one such email a day, so repeated attempts cannot flood the mailbox."""
    return queue_email(
        key=f"signup-existing:{user.pk}:{timezone.localdate().isoformat()}",
        template="signup_existing",
        to=[user.email],
        context={"user": user},
    )


def set_password_path(*, user: User) -> str:
    """The password-reset link, which also sets a first password (the token holds the
    current, unusable, password: it stops working once a password is set)."""
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def queue_invitation(*, user: User) -> bool:
    """Invite a person imported from the agency's records to choose a password."""
    return queue_email(
        key=f"invitation:{user.pk}",
        template="invitation",
        to=[user.email],
        context={"user": user, "set_password_path": set_password_path(user=user)},
    )
