"""Forms of the asynchronous training pages: they validate and normalise input; the rules
(ten hours, approved sources, the cycle) are the services' to enforce."""

from __future__ import annotations

from django import forms

from accounts.models import User
from certifications.models import Registration
from courses.models import Course
from training.selectors import (
    approved_async_courses,
    registrations_accepting_async,
)

DOCUMENT_ACCEPT = ".pdf,.doc,.docx,.jpg,.jpeg,.png"


class CourseApprovalRequestForm(forms.Form):
    provider_name = forms.CharField(label="Provider name", max_length=200)
    provider_url = forms.URLField(
        label="Provider URL",
        max_length=500,
        assume_scheme="https",
        help_text="The provider's website.",
    )
    course_title = forms.CharField(label="Course title", max_length=200)
    course_url = forms.URLField(label="Course URL", max_length=500, assume_scheme="https")
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the course covers and how it relates to your library work.",
    )
    length_hours = forms.DecimalField(
        label="Length in hours",
        max_digits=5,
        decimal_places=1,
        min_value=0,
        help_text="Asynchronous courses must be at least 10 hours long.",
    )
    syllabus = forms.FileField(
        label="Syllabus (optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
        help_text="PDF, Word (.doc, .docx), .jpg or .png.",
    )


class RegistrationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, registration: Registration) -> str:
        return (
            f"{registration.credential_type.display_label} "
            f"({registration.cycle_start:%m/%d/%Y} – {registration.cycle_end:%m/%d/%Y})"
        )


class ApprovedCourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, course: Course) -> str:
        provider = f" – {course.provider.name}" if course.provider else ""
        return f"{course.title}{provider} ({course.contact_hours} hours)"


class AsyncCompletionForm(forms.Form):
    registration = RegistrationChoiceField(
        label="Credential it counts toward",
        queryset=Registration.objects.none(),
        empty_label="Choose a credential",
    )
    course = ApprovedCourseChoiceField(
        label="Approved course",
        queryset=Course.objects.none(),
        required=False,
        empty_label="None: my course is from a provider on KDLA's list",
        help_text="A course KDLA approved individually. Otherwise type the provider and title.",
    )
    provider_name = forms.CharField(
        label="Provider",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "approved-providers", "autocomplete": "off"}),
        help_text="One of KDLA's approved sources, e.g. Coursera or Infopeople.",
    )
    course_title = forms.CharField(label="Course title", max_length=200, required=False)
    course_url = forms.URLField(
        label="Course URL (optional)", max_length=500, required=False, assume_scheme="https"
    )
    completed_on = forms.DateField(
        label="Completion date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    hours = forms.DecimalField(
        label="Hours",
        max_digits=5,
        decimal_places=1,
        min_value=0,
        help_text="Asynchronous courses must be at least 10 hours long.",
    )
    proof = forms.FileField(
        label="Proof of successful completion",
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
        help_text="A certificate or transcript: PDF, Word (.doc, .docx), .jpg or .png.",
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations_accepting_async(user=user)
        self.fields["course"].queryset = approved_async_courses()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("course") is None and not (
            cleaned.get("provider_name") and cleaned.get("course_title")
        ):
            raise forms.ValidationError(
                "Choose an approved course, or type the provider and the course title."
            )
        return cleaned
