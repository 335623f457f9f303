from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """What every review queue shares: the registry the overview and the digest read."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = "Review queues"
