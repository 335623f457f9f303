from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Stored uploads as a whole: files kept only with the row that names them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Stored documents"
