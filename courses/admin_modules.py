"""Authoring a portal course's modules in the review site: lessons (sanitised rich text) and
quizzes (questions with their choices), and the learners' quiz attempts as a record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts.history_admin import ReadOnlyHistoryAdmin
from courses.models import (
    CourseModule,
    LiveSession,
    LiveSessionRegistration,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
    ScormAttempt,
    ScormInteraction,
    ScormPackage,
    ScormSco,
)
from courses.services.lesson_html import lesson_html_sanitised
from courses.services.live_sessions import (
    SCHEDULE_SESSIONS_PERMISSION,
    live_session_cancel,
    live_session_fill_free_seats,
    live_session_record_attendance,
    trainer_sessions,
)
from courses.services.scorm_packages import scorm_package_checked, scorm_package_upload


class CourseModuleForm(forms.ModelForm):
    class Meta:
        model = CourseModule
        fields = (
            "course",
            "position",
            "title",
            "kind",
            "required",
            "body",
            "pass_mark_percent",
            "max_attempts",
        )

    def clean_body(self) -> str:
        return lesson_html_sanitised(self.cleaned_data["body"])

    # The course's inline lists modules without their text, so the text is checked only
    # where it is edited.

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == CourseModule.Kind.QUIZ and cleaned.get("pass_mark_percent") is None:
            self.add_error("pass_mark_percent", "A quiz needs a pass mark, e.g. 80.")
        if (cleaned.get("pass_mark_percent") or 0) > 100:
            self.add_error("pass_mark_percent", "The pass mark is a percentage, at most 100.")
        if "body" in self.fields and kind == CourseModule.Kind.LESSON and not cleaned.get("body"):
            self.add_error("body", "A lesson needs its text.")
        return cleaned


class CourseModuleInline(admin.TabularInline):
    model = CourseModule
    form = CourseModuleForm
    fields = ("position", "title", "kind", "required", "pass_mark_percent", "max_attempts", "edit")
    readonly_fields = ("edit",)
    extra = 0
    show_change_link = True

    @admin.display(description="content")
    def edit(self, module: CourseModule) -> str:
        if not module.pk:
            return "Save first, then write the lesson text or the questions."
        url = reverse("admin:courses_coursemodule_change", args=[module.pk])
        return format_html('<a href="{}">Edit lesson text or questions</a>', url)


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    fields = ("position", "text", "kind", "feedback", "edit")
    readonly_fields = ("edit",)
    extra = 0

    @admin.display(description="choices")
    def edit(self, question: QuizQuestion) -> str:
        if not question.pk:
            return "Save first, then add the choices."
        url = reverse("admin:courses_quizquestion_change", args=[question.pk])
        return format_html('<a href="{}">Edit choices</a>', url)


class LiveSessionInline(admin.TabularInline):
    model = LiveSession
    fields = ("starts_at", "ends_at", "place", "link", "capacity", "trainer")
    extra = 0
    show_change_link = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(LiveSession)
class LiveSessionAdmin(ReadOnlyHistoryAdmin):
    """A session's own page, with the attendance code the trainer gives out during it.
    Sessions are added on their module's page."""

    list_display = ("__str__", "place", "capacity", "trainer")
    list_select_related = ("module", "trainer")
    list_filter = ("module__course",)
    fields = (
        "module",
        "starts_at",
        "ends_at",
        "place",
        "link",
        "capacity",
        "trainer",
        "attendance_code",
    )
    # Made when the session is saved; only the review site shows it.
    readonly_fields = ("module", "attendance_code")
    ordering = ("-starts_at",)
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        # One labelled box per date and time (Django's split boxes have no labels).
        models.DateTimeField: {
            "form_class": forms.DateTimeField,
            "widget": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        },
    }

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[LiveSession]:
        # A trainer sees the sessions they give; reviewers see all.
        return super().get_queryset(request) & trainer_sessions(user=request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _seats_filled(request, [obj])


def _seats_filled(request: HttpRequest, sessions: list[LiveSession]) -> None:
    """Seats a reviewer added (a larger capacity) go to the waiting list at once, in order."""
    promoted = sum(
        len(live_session_fill_free_seats(session=session, actor=request.user))
        for session in sessions
    )
    if promoted:
        people = "1 person" if promoted == 1 else f"{promoted} people"
        messages.info(request, f"{people} promoted from the waiting list and emailed.")


@admin.register(CourseModule)
class CourseModuleAdmin(ReadOnlyHistoryAdmin):
    form = CourseModuleForm
    list_display = ("title", "course", "position", "kind", "required")
    list_select_related = ("course",)
    list_filter = ("kind", "required")
    search_fields = ("title", "course__title")
    raw_id_fields = ("course",)
    inlines = [QuizQuestionInline, LiveSessionInline]
    ordering = ("course__title", "position")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is LiveSession:
            _seats_filled(request, [session for session, _ in formset.changed_objects])


class QuizChoiceFormSet(forms.BaseInlineFormSet):
    """A single-choice or true/false question has exactly one correct choice; a multiple
    choice question at least one."""

    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        correct = sum(bool(choice.get("is_correct")) for choice in kept)
        if len(kept) < 2:
            raise ValidationError("A question needs at least two choices.")
        if self.instance.kind == QuizQuestion.Kind.MULTIPLE:
            if correct < 1:
                raise ValidationError("Mark at least one choice as correct.")
        elif correct != 1:
            raise ValidationError("Mark exactly one choice as correct.")


class QuizChoiceInline(admin.TabularInline):
    model = QuizChoice
    formset = QuizChoiceFormSet
    fields = ("position", "text", "is_correct")
    extra = 0


@admin.register(QuizQuestion)
class QuizQuestionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("text", "module", "position", "kind")
    list_select_related = ("module__course",)
    search_fields = ("text", "module__title", "module__course__title")
    raw_id_fields = ("module",)
    inlines = [QuizChoiceInline]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyHistoryAdmin):
    """Attempts are graded by the portal; here they are only shown."""

    list_display = ("enrollment", "module", "number", "status", "score_percent", "passed")
    list_select_related = ("enrollment__user", "enrollment__course", "module__course")
    list_filter = ("status", "passed")
    search_fields = ("enrollment__user__email", "module__title", "module__course__title")
    ordering = ("-started_at",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScormPackageUploadForm(forms.ModelForm):
    package = forms.FileField(
        label="SCORM package (.zip)",
        help_text="The .zip your authoring tool exported (SCORM 1.2 or SCORM 2004). It is "
        "checked before it is stored; a new upload becomes the module's next version, and "
        "learners already playing keep the version they started with.",
    )

    class Meta:
        model = ScormPackage
        fields = ("module",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = CourseModule.objects.filter(
            kind=CourseModule.Kind.SCORM
        ).select_related("course")
        self.fields["module"].help_text = "A module of kind “SCORM package” of a course."

    def clean_package(self) -> Any:
        upload = self.cleaned_data["package"]
        scorm_package_checked(upload)
        upload.seek(0)
        return upload


class ScormScoInline(admin.TabularInline):
    """The package's SCOs as read from its manifest: shown, never edited."""

    model = ScormSco
    fields = readonly_fields = (
        "order",
        "title",
        "identifier",
        "launch_path",
        "launch_parameters",
        "mastery_score",
        "completion_threshold",
        "scaled_passing_score",
    )
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScormPackage)
class ScormPackageAdmin(ReadOnlyHistoryAdmin):
    """Uploading goes through ``scorm_package_upload``; a stored version is not edited."""

    inlines = [ScormScoInline]

    list_display = ("module", "version", "standard", "title", "uploaded_by", "uploaded_at")
    list_select_related = ("module__course", "uploaded_by")
    list_filter = ("standard",)
    search_fields = ("module__title", "module__course__title", "title", "original_name")
    readonly_fields = (
        "module",
        "version",
        "standard",
        "title",
        "launch_path",
        "original_name",
        "entry_count",
        "total_bytes",
        "mastery_score",
        "completion_threshold",
        "scaled_passing_score",
        "uploaded_by",
        "uploaded_at",
    )

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list:
        return self.inlines if obj is not None else []

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        if obj is None:
            kwargs["form"] = ScormPackageUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("module", "package") if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        upload = form.cleaned_data["package"]
        try:
            stored = scorm_package_upload(
                module=form.cleaned_data["module"],
                upload=upload,
                original_name=upload.name,
                uploaded_by=request.user,
            )
        except ValidationError as error:  # checked in the form already; kept for races
            raise ValidationError(error.messages) from error
        obj.pk = stored.pk
        obj.version = stored.version

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScormInteractionInline(admin.TabularInline):
    """The interactions the package reported, as the last commit that changed them carried
    them; shown, never edited (the runtime alone writes them)."""

    model = ScormInteraction
    verbose_name = "interaction"
    fields = (
        "number",
        "interaction_id",
        "interaction_type",
        "description",
        "learner_response",
        "correct",
        "result",
        "weighting",
        "latency",
        "time",
        "objectives",
    )
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("index",)

    @admin.display(description="n")
    def number(self, interaction: ScormInteraction) -> int:
        return interaction.index

    @admin.display(description="correct responses")
    def correct(self, interaction: ScormInteraction) -> str:
        return "; ".join(interaction.correct_responses)

    @admin.display(description="time")
    def time(self, interaction: ScormInteraction) -> str:
        if interaction.timestamp is None:
            return interaction.timestamp_text
        return f"{timezone.localtime(interaction.timestamp):%m/%d/%Y %I:%M:%S %p}"

    @admin.display(description="objectives")
    def objectives(self, interaction: ScormInteraction) -> str:
        return "; ".join(interaction.objective_ids)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScormAttempt)
class ScormAttemptAdmin(ReadOnlyHistoryAdmin):
    """What the player committed; written by the runtime only."""

    inlines = [ScormInteractionInline]

    list_display = (
        "enrollment",
        "module",
        "package",
        "sco",
        "lesson_status",
        "completion_status",
        "success_status",
        "score_raw",
        "completed_at",
    )
    list_select_related = (
        "enrollment__user",
        "enrollment__course",
        "module",
        "package__module",
        "sco__package__module",
    )
    search_fields = ("enrollment__user__email", "module__title")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LiveSessionRegistration)
class LiveSessionRegistrationAdmin(ReadOnlyHistoryAdmin):
    """The roster: who registered for which session. Attendance is recorded with the two
    actions, through ``live_session_record_attendance``."""

    list_display = ("person", "session", "status", "attended", "attendance_recorded_at")
    list_select_related = ("enrollment__user", "session__module")
    list_filter = ("status", "attended", "session__module__course")
    search_fields = ("enrollment__user__email", "enrollment__user__last_name")
    actions = ["record_attended", "record_absent", "remove_from_session"]
    ordering = ("session__starts_at", "registered_at")

    @admin.display(description="person", ordering="enrollment__user__last_name")
    def person(self, registration: LiveSessionRegistration) -> str:
        return registration.enrollment.user.full_name

    def _record(self, request: HttpRequest, queryset: Any, *, attended: bool) -> None:
        recorded = 0
        for registration in queryset:
            try:
                live_session_record_attendance(
                    registration=registration, attended=attended, reviewer=request.user
                )
                recorded += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        if recorded:
            people = "1 person" if recorded == 1 else f"{recorded} people"
            self.message_user(request, f"Attendance recorded for {people}.")

    @admin.action(description="Record as attended", permissions=["change"])
    def record_attended(self, request: HttpRequest, queryset: Any) -> None:
        self._record(request, queryset, attended=True)

    @admin.action(description="Record as absent", permissions=["change"])
    def record_absent(self, request: HttpRequest, queryset: Any) -> None:
        self._record(request, queryset, attended=False)

    @admin.action(
        description="Remove from the session (promotes the waiting list)",
        permissions=["schedule"],
    )
    def remove_from_session(self, request: HttpRequest, queryset: Any) -> None:
        removed = promoted = 0
        for registration in queryset:
            try:
                promoted += len(live_session_cancel(registration=registration, actor=request.user))
                removed += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        if removed:
            people = "1 person" if removed == 1 else f"{removed} people"
            self.message_user(
                request,
                f"Removed {people} and emailed them; {promoted} promoted from the waiting list "
                "and emailed.",
            )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in LiveSessionRegistration._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LiveSessionRegistration]:
        # A trainer's roster holds the sessions they give; reviewers see every roster.
        return super().get_queryset(request).filter(session__in=trainer_sessions(user=request.user))

    def has_schedule_permission(self, request: HttpRequest) -> bool:
        """Removing people from a session is the reviewers' (who schedule sessions), not a
        trainer's."""
        return request.user.has_perm(SCHEDULE_SESSIONS_PERMISSION)
