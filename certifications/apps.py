from django.apps import AppConfig


def describe_file(external_file) -> str:
    return f"{external_file.registration.user.full_name}: {external_file.document_type.name}"


class CertificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certifications"

    def ready(self) -> None:
        from certifications import receivers  # noqa: F401  (connects the signal receivers)
        from certifications.services.notifications import register_renderers
        from review.queues import ReviewQueue, register_queue

        register_renderers()
        register_queue(
            ReviewQueue(
                title="Files awaiting review",
                digest_title="Files",
                noun=("file", "files"),
                model_label="certifications.ExternalFile",
                received_field="submitted_at",
                describe=describe_file,
                select_related=("registration__user", "document_type"),
                order=10,
            )
        )
