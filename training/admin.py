"""Review screens for asynchronous training: the queue of course approval requests and the
queue of reported completions, each with approve / reject-with-a-note pages that call the
services in training.services."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from accounts.history_admin import ReadOnlyHistoryAdmin
from accounts.models import User
from courses.models import AsyncCompletion, AsyncReviewStatus, CourseApprovalRequest
from review.admin_decisions import DecisionOnlyAdminMixin, decision_urls, item_to_decide
from training.services import async_completion_decide, course_approval_decide

SHOW_ALL = "all"


class AwaitingReviewFirstFilter(admin.SimpleListFilter):
    """The queue opens on what awaits review; reviewers can still look at everything."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [*AsyncReviewStatus.choices, (SHOW_ALL, "All")]

    def choices(self, changelist: ChangeList) -> Iterator[dict]:
        current = self.value() or AsyncReviewStatus.PENDING
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or AsyncReviewStatus.PENDING
        if value == SHOW_ALL:
            return queryset
        return queryset.filter(status=value)


class DecisionNoteForm(forms.Form):
    note = forms.CharField(
        label="Note to the person",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )


class AsyncReviewAdmin(DecisionOnlyAdminMixin, ReadOnlyHistoryAdmin):
    """What both queues share: read-only rows, decisions only through the decision pages."""

    queue_title = ""

    class Media:
        css = {"all": ["css/admin_asynchronous.css"]}

    list_filter = (AwaitingReviewFirstFilter,)
    ordering = ("submitted_at", "pk")
    list_per_page = 50

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return list(self.fields)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        showing = request.GET.get(AwaitingReviewFirstFilter.parameter_name)
        if showing in (None, AsyncReviewStatus.PENDING):
            extra_context = {**(extra_context or {}), "title": self.queue_title}
        return super().changelist_view(request, extra_context)

    def get_urls(self) -> list:
        # Each decision is a page with a note box (GET shows it, POST decides).
        views = {"approve": self.approve_view, "reject": self.reject_view}
        return [*decision_urls(self, views, post_only=False), *super().get_urls()]

    @admin.display(description="Decision")
    def review_actions(self, obj: Model) -> str:
        if obj.status != AsyncReviewStatus.PENDING:
            return f"{obj.get_status_display()} by {obj.decided_by} on {obj.decided_at:%m/%d/%Y}"
        opts = self.model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        return format_html(
            '<a class="button review-action" href="{}">Approve</a> '
            '<a class="button review-action" href="{}">Reject with a note</a>',
            reverse(f"{name}_approve", args=[obj.pk]),
            reverse(f"{name}_reject", args=[obj.pk]),
        )

    def approve_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._decision_view(request, object_id, approve=True)

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._decision_view(request, object_id, approve=False)

    def _decision_view(
        self, request: HttpRequest, object_id: str, *, approve: bool
    ) -> HttpResponse:
        obj = item_to_decide(self, request, object_id)
        form = DecisionNoteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                self.decide(
                    obj, approve=approve, note=form.cleaned_data["note"], reviewer=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                verb = "approved" if approve else "not approved"
                messages.success(request, f"“{obj}” was {verb}; the person will be emailed.")
                opts = self.model._meta
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"{'Approve' if approve else 'Reject'}: {obj}",
            "approve": approve,
            "form": form,
            "summary": self.decision_summary(obj),
        }
        return TemplateResponse(request, "training/admin_decision.html", context)

    def decide(self, obj: Model, *, approve: bool, note: str, reviewer: User) -> None:
        raise NotImplementedError

    def decision_summary(self, obj: Model) -> list[tuple[str, str]]:
        return []


@admin.register(CourseApprovalRequest)
class CourseApprovalRequestAdmin(AsyncReviewAdmin):
    queue_title = "Course approval requests awaiting review"
    list_display = (
        "course_title",
        "provider_name",
        "length_hours",
        "user",
        "submitted_at",
        "status",
    )
    search_fields = ("course_title", "provider_name", "user__email", "user__last_name")
    list_select_related = ("user",)
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
        "user",
        "registration",
        "submitted_at",
        "status",
    )
    search_fields = ("course_title", "provider__name", "user__email", "user__last_name")
    list_select_related = (
        "user",
        "provider",
        "registration__credential_type",
        "registration__user",
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
