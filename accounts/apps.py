from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.sessions import mark_session_refreshed

        user_logged_in.connect(mark_session_refreshed, dispatch_uid="accounts.session_refreshed")
