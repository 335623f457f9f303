from django.apps import AppConfig


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"

    def ready(self) -> None:
        # The asynchronous-training review screens live in their own module; importing it
        # registers them with the admin site.
        from courses import admin_asynchronous  # noqa: F401
