"""The catalogue and enrollments in the review site. The module authoring screens are in
``courses.admin_modules``, imported here so the admin finds them; the asynchronous-training
review screens are the training app's (``training.admin``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from accounts.admin import SuperuserImportMixin, county_filter
from accounts.history_admin import ReadOnlyHistoryAdmin
from courses.admin_modules import CourseModuleInline
from courses.importers import CompletedHoursResource
from courses.input_limits import course_hours_error
from courses.models import Category, Course, Enrollment, Provider
from courses.signals import course_hours_changed


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


@admin.register(Enrollment)
class EnrollmentAdmin(SuperuserImportMixin, ReadOnlyHistoryAdmin):
    """Enrollments and completions are written by the portal's services (completing a
    course also updates earned credits), or imported as CSV; here they are only shown."""

    resource_classes = [CompletedHoursResource]
    list_display = ("person", "library", "course", "status", "registered_at", "completed_on")
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
