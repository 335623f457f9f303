from django.apps import AppConfig


def describe_credit_request(credit_request) -> str:
    hours = f"{credit_request.requested_credits.normalize():f}"
    return f"{credit_request.user.full_name}: {credit_request.course} ({hours} hours)"


class CreditsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "credits"

    def ready(self) -> None:
        from certifications.hour_sources import HourSource, register_hour_source
        from credits.hours import approved_credits_in_cycle
        from review.queues import ReviewQueue, register_queue

        register_hour_source(
            HourSource(name="credit requests", hours_in_cycle=approved_credits_in_cycle)
        )
        register_queue(
            ReviewQueue(
                title="Credit requests awaiting review",
                digest_title="Credit requests",
                noun=("credit request", "credit requests"),
                model_label="credits.CreditRequest",
                received_field="submitted_at",
                describe=describe_credit_request,
                select_related=("user",),
                order=20,
            )
        )
