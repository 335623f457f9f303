"""Review screens for asynchronous training: the queue of course approval requests and the
queue of reported completions, each with approve / reject-with-a-note pages that call the
services in training.services."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from accounts.history_admin import ReadOnlyHistoryAdmin
from accounts.models import User
from courses.models import AsyncCompletion, CourseApprovalRequest
from review.admin_queue import (
    DecisionPageAdminMixin,
    PendingFirstStatusFilter,
    ReviewQueueAdminMixin,
    us_datetime,
)
from training.services import async_completion_decide, course_approval_decide


class AsyncReviewAdmin(DecisionPageAdminMixin, ReviewQueueAdminMixin, ReadOnlyHistoryAdmin):
    """What both queues share with every other queue (review.admin_queue): pending items
    oldest first, days waiting, the person's library, read-only History, and a decision page
    with one note box."""

    class Media:
        css = {"all": ["css/admin_asynchronous.css"]}

    list_filter = (PendingFirstStatusFilter,)
    list_per_page = 50

    @admin.display(description="submitted", ordering="submitted_at")
    def submitted(self, item: CourseApprovalRequest | AsyncCompletion) -> str:
        return us_datetime(item.submitted_at)


@admin.register(CourseApprovalRequest)
class CourseApprovalRequestAdmin(AsyncReviewAdmin):
    queue_title = "Course approval requests awaiting review"
    person_path = "user"
    list_display = (
        "course_title",
        "provider_name",
        "length_hours",
        "person",
        "library",
        "submitted",
        "age_in_days",
        "status",
    )
    search_fields = ("course_title", "provider_name", "user__email", "user__last_name")
    list_select_related = ("user__library",)
    fields = (
        "review_actions",
        "user",
        "provider_name",
        "provider_url",
        "course_title",
        "course_url",
        "description",
        "length_hours",
        "syllabus_link",
        "submitted_at",
        "status",
        "reviewer_note",
        "decided_by",
        "decided_at",
        "approved_course",
    )

    def decide(
        self, obj: CourseApprovalRequest, *, approve: bool, note: str, reviewer: User
    ) -> None:
        course_approval_decide(approval_request=obj, approve=approve, note=note, reviewer=reviewer)

    @admin.display(description="Syllabus")
    def syllabus_link(self, obj: CourseApprovalRequest) -> str:
        if not obj.syllabus:
            return "None"
        url = reverse("async_course_approval_syllabus", args=[obj.pk])
        return format_html(
            '<a href="{}?inline=1">{}</a> (<a href="{}">download</a>)', url, obj.syllabus_name, url
        )

    def decision_summary(self, obj: CourseApprovalRequest) -> list[tuple[str, str]]:
        return [
            ("Requested by", str(obj.user)),
            ("Provider", f"{obj.provider_name} ({obj.provider_url})"),
            ("Course", f"{obj.course_title} ({obj.course_url})"),
            ("Length in hours", str(obj.length_hours)),
        ]


@admin.register(AsyncCompletion)
class AsyncCompletionAdmin(AsyncReviewAdmin):
    queue_title = "Asynchronous course completions awaiting review"
    list_display = (
        "course_title",
        "provider",
        "hours",
        "completed_on",
        "person",
        "library",
        "registration",
        "submitted",
        "age_in_days",
        "status",
    )
    search_fields = ("course_title", "provider__name", "user__email", "user__last_name")
    list_select_related = (
        "provider",
        "registration__credential_type",
        "registration__user__library",
    )
    fields = (
        "review_actions",
        "user",
        "registration",
        "provider",
        "course",
        "course_title",
        "completed_on",
        "hours",
        "proof_link",
        "submitted_at",
        "status",
        "reviewer_note",
        "decided_by",
        "decided_at",
    )

    def decide(self, obj: AsyncCompletion, *, approve: bool, note: str, reviewer: User) -> None:
        async_completion_decide(completion=obj, approve=approve, note=note, reviewer=reviewer)

    @admin.display(description="Proof of completion")
    def proof_link(self, obj: AsyncCompletion) -> str:
        url = reverse("async_completion_proof", args=[obj.pk])
        return format_html(
            '<a href="{}?inline=1">{}</a> (<a href="{}">download</a>)', url, obj.proof_name, url
        )

    def decision_summary(self, obj: AsyncCompletion) -> list[tuple[str, str]]:
        return [
            ("Staff member", str(obj.user)),
            ("Course", f"{obj.course_title} ({obj.provider})"),
            ("Completion date", f"{obj.completed_on:%m/%d/%Y}"),
            ("Hours", str(obj.hours)),
            ("Credential it counts toward", str(obj.registration.credential_type.display_label)),
        ]
