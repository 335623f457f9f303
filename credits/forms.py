"""The Request new Credit form. It validates and normalises input only; the rules (cycle
dates, credit limits, file content) live in credits.services.requests."""

from django import forms

from accounts.models import User
from certifications.forms import ACCEPT_ATTRIBUTE, RefusedUploadNotes
from certifications.models import Registration
from credits.models import MAX_REQUESTED_CREDITS
from credits.services.requests import ACTIVITY_DATE_OUTSIDE_CYCLE, open_renewal_registrations


class RenewalRegistrationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, registration: Registration) -> str:
        return (
            f"{registration.credential_type.display_label} "
            f"({registration.cycle_start:%m/%d/%Y} – {registration.cycle_end:%m/%d/%Y})"
        )


class CreditRequestForm(RefusedUploadNotes):
    activity_date = forms.DateField(
        label="Activity Date",
        input_formats=["%m/%d/%Y"],
        help_text=ACTIVITY_DATE_OUTSIDE_CYCLE,
        widget=forms.TextInput(
            attrs={"placeholder": "MM/dd/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        ),
        error_messages={"invalid": "Enter the Activity Date as MM/DD/YYYY, e.g. 01/06/2027."},
    )
    course = forms.CharField(label="Course", max_length=200)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}))
    registration = RenewalRegistrationChoiceField(
        label="Credentials to count against",
        queryset=Registration.objects.none(),
        empty_label="Select…",
        error_messages={
            "invalid_choice": "Choose one of your own open renewal credentials.",
            "required": "Choose the credential these credits count against.",
        },
    )
    # No decimal places or range here: the service explains each refusal in words.
    requested_credits = forms.DecimalField(
        label="Requested Credits",
        widget=forms.NumberInput(
            attrs={"step": "0.5", "min": "0.5", "max": str(MAX_REQUESTED_CREDITS)}
        ),
    )
    documentation = forms.FileField(
        label="Documentation",
        help_text="Upload your documentation, such as LARs, certificates, etc. (all as one file).",
        # An empty file reaches the content check, which names the file in its message.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": "Choose the file with your documentation."},
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = open_renewal_registrations(user=user)
