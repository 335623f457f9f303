from accounts.models import User
from kdla_portal.mail import queue_email


def queue_welcome(*, user: User) -> bool:
    """Greet a new account holder (once per account, whatever retries the sign-up sees)."""
    return queue_email(
        key=f"welcome:{user.pk}", template="welcome", to=[user.email], context={"user": user}
    )
