from accounts.models import User
from kdla_portal.mail import send_email


def send_welcome(*, user_id: int) -> int:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    return send_email(template="welcome", to=[user.email], context={"user": user})
