"""Password rules beyond Django's own validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError


class NotOnlyWhitespaceValidator:
    """Twelve spaces are twelve characters, but not a password anyone would guess last."""

    def validate(self, password: str, user: object = None) -> None:
        if not password.strip():
            raise ValidationError(
                "Your password cannot be only spaces. Choose one with letters, numbers or symbols.",
                code="password_only_whitespace",
            )

    def get_help_text(self) -> str:
        return "Your password cannot be only spaces."
