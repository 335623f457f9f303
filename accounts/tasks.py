from celery import shared_task

from accounts.emails import send_welcome


@shared_task(acks_late=True)
def send_welcome_email(user_id: int) -> int:
    """Greet a new account holder; returns the number of emails sent."""
    return send_welcome(user_id=user_id)
