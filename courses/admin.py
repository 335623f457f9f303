"""The catalogue and enrollments in the review site. The module authoring screens are in
``courses.admin_modules``, imported here so the admin finds them; the asynchronous-training
review screens are the training app's (``training.admin``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

from accounts.admin import SuperuserImportMixin, county_filter
from accounts.history_admin import ReadOnlyHistoryAdmin
from courses.admin_modules import CourseModuleInline
from courses.importers import CompletedHoursResource
from courses.input_limits import course_hours_error
from courses.models import Category, Course, Enrollment, Provider
from courses.services.enrollments import (
    COMPLETION_REASON_MAX_LENGTH,
    RECORD_COMPLETION_PERMISSION,
    course_completion_record_by_hand,
)
from courses.signals import course_hours_changed
from review.admin_decisions import decision_urls


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Provider)
class ProviderAdmin(ReadOnlyHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "url", "is_approved_async_source", "active", "added_on")
    list_filter = ("is_approved_async_source", "active", "added_on")
    search_fields = ("name", "url")


class CourseForm(forms.ModelForm):
    def clean_contact_hours(self) -> Decimal:
        hours = self.cleaned_data["contact_hours"]
        error = course_hours_error(hours) if hours is not None else None
        if error:
            raise forms.ValidationError(error)
        return hours


@admin.register(Course)
class CourseAdmin(ReadOnlyHistoryAdmin):
    form = CourseForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "category", "provider", "format", "contact_hours", "active")
    list_select_related = ("category", "provider")
    list_filter = ("format", "active", "category", "provider__is_approved_async_source")
    search_fields = ("title", "description", "provider__name")
    ordering = ("title", "pk")
    inlines = [CourseModuleInline]

    def save_model(self, request: HttpRequest, obj: Course, form: Any, change: bool) -> None:
        # New contact hours change the earned hours of everyone who completed the course,
        # recomputed in this transaction so no page or job reads a stale total.
        super().save_model(request, obj, form, change)
        if change:
            course_hours_changed.send(sender=Course, course=obj)


COMPLETION_DRAFT_SESSION_KEY = "record_completion_draft"


class RecordCompletionForm(forms.Form):
    completed_on = forms.DateField(
        label="Completed on",
        input_formats=["%m/%d/%Y"],
        required=False,
        error_messages={"invalid": "Enter the completion date as MM/DD/YYYY, e.g. 03/04/2027."},
    )
    reason = forms.CharField(label="Reason", required=False)


@admin.register(Enrollment)
class EnrollmentAdmin(SuperuserImportMixin, ReadOnlyHistoryAdmin):
    """Enrollments and completions are written by the portal's services (completing a
    course also updates earned credits), or imported as CSV; here they are only shown. A
    reviewer with the permission records a completion by hand, with a reason, on the
    enrollment's page (``courses.services.enrollments.course_completion_record_by_hand``)."""

    resource_classes = [CompletedHoursResource]
    list_display = (
        "person",
        "library",
        "course",
        "status",
        "registered_at",
        "completed_on",
        "recorded_by_hand",
    )
    list_select_related = ("user__library", "course")
    list_filter = (
        "status",
        "course__format",
        "user__library",
        county_filter("user__library__county"),
        "completed_on",
        "registered_at",
    )
    search_fields = (
        "user__email",
        "user__first_name",
        "user__last_name",
        "user__library__name",
        "course__title",
    )
    raw_id_fields = ("user", "course")
    ordering = ("-registered_at", "-pk")
    show_full_result_count = False

    @admin.display(description="person", ordering="user__last_name")
    def person(self, enrollment: Enrollment) -> str:
        return enrollment.user.full_name

    @admin.display(description="recorded by hand", boolean=True)
    def recorded_by_hand(self, enrollment: Enrollment) -> bool:
        return enrollment.completed_by_hand

    def get_urls(self) -> list:
        views = {"record-completion": self.record_completion_view}
        return [*decision_urls(self, views), *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> Any:
        context = {
            **(extra_context or {}),
            "can_record_completion": request.user.has_perm(RECORD_COMPLETION_PERMISSION),
            # What the reviewer typed before a refusal, so nothing has to be typed again.
            "completion_draft": request.session.pop(
                f"{COMPLETION_DRAFT_SESSION_KEY}:{object_id}", {}
            ),
        }
        return super().change_view(request, object_id, form_url, context)

    def record_completion_view(self, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
        enrollment = self.get_object(request, object_id)
        if enrollment is None or not self.has_view_permission(request, enrollment):
            raise Http404("No such enrollment.")
        form = RecordCompletionForm(request.POST)
        change_url = redirect("admin:courses_enrollment_change", enrollment.pk)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors["completed_on"])
            completed = course_completion_record_by_hand(
                enrollment=enrollment,
                reviewer=request.user,
                completed_on=form.cleaned_data["completed_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            request.session[f"{COMPLETION_DRAFT_SESSION_KEY}:{enrollment.pk}"] = {
                "completed_on": request.POST.get("completed_on", "")[:20],
                "reason": request.POST.get("reason", "")[:COMPLETION_REASON_MAX_LENGTH],
            }
            return change_url
        messages.success(
            request,
            f"{completed.user.full_name}'s completion of {completed.course.title} on "
            f"{completed.completed_on:%m/%d/%Y} was recorded; its hours count and the person "
            "will be emailed.",
        )
        return change_url

    @admin.display(description="library")
    def library(self, enrollment: Enrollment) -> str:
        library = enrollment.user.library
        return library.name if library else ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
