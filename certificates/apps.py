from django.apps import AppConfig


def describe_name_change(name_change) -> str:
    return f"{name_change.current_name}: to be named {name_change.new_name}"


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self) -> None:
        from certificates import receivers  # noqa: F401  (connects the signal receivers)
        from review.queues import ReviewQueue, register_queue

        register_queue(
            ReviewQueue(
                title="Name changes awaiting review",
                digest_title="Name changes",
                noun=("name change", "name changes"),
                model_label="certificates.NameChangeRequest",
                received_field="submitted_at",
                describe=describe_name_change,
                order=50,
            )
        )
