"""Asynchronous training: KDLA's approved outside sources, requests to approve another one and
completions reported for a certification cycle, with their review queues.

The tables are the courses app's (``courses.Provider``, ``CourseApprovalRequest``,
``AsyncCompletion``, created by its migrations; moving them would mean new tables and no gain).
The code lives here, above certifications, because a completion is reported for a
registration's cycle and adds to its earned hours: courses, below certifications, could not
hold it without importing the app above it.
"""

from django.apps import AppConfig


def describe_course_approval(approval_request) -> str:
    hours = f"{approval_request.length_hours.normalize():f}"
    return (
        f"{approval_request.user.full_name}: {approval_request.course_title} "
        f"({approval_request.provider_name}, {hours} hours)"
    )


def describe_async_completion(completion) -> str:
    hours = f"{completion.hours.normalize():f}"
    return f"{completion.user.full_name}: {completion.course_title} ({hours} hours)"


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "training"
    verbose_name = "Asynchronous training"

    def ready(self) -> None:
        from review.queues import ReviewQueue, register_queue

        register_queue(
            ReviewQueue(
                title="Course approval requests awaiting review",
                digest_title="Asynchronous course approval requests",
                noun=("course approval request", "course approval requests"),
                model_label="courses.CourseApprovalRequest",
                received_field="submitted_at",
                describe=describe_course_approval,
                select_related=("user",),
                order=30,
            )
        )
        register_queue(
            ReviewQueue(
                title="Asynchronous completions awaiting review",
                digest_title="Asynchronous course completions",
                noun=("asynchronous completion", "asynchronous completions"),
                model_label="courses.AsyncCompletion",
                received_field="submitted_at",
                describe=describe_async_completion,
                select_related=("user",),
                order=40,
            )
        )
