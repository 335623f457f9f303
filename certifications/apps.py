from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certifications"

    def ready(self) -> None:
        from certifications.services.notifications import register_renderers

        register_renderers()
