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


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"

    def ready(self) -> None:
        # The asynchronous-training review screens live in their own module; importing it
        # registers them with the admin site.
        from courses import admin_asynchronous  # noqa: F401
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
