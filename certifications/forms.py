"""Forms of the staff pages for required files. They validate and normalise input only; the
rules (window, status, file content) live in certifications.services.uploads."""

from django import forms

from certifications.models import Registration

ACCEPTED_FILE_TYPES_HELP = "The following document types are accepted: PDF, Word, .jpg, .png"
# What the browser's file picker offers; the content is checked again on the server.
ACCEPT_ATTRIBUTE = (
    ".pdf,.doc,.docx,.jpg,.jpeg,.png,application/pdf,application/msword,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,image/jpeg,image/png"
)


class ExternalFileForm(forms.Form):
    document_type = forms.ModelChoiceField(
        label="Document type", queryset=None, empty_label="Select…"
    )
    description = forms.CharField(
        label="Short description",
        max_length=255,
        help_text="Enter a short description of the file you are uploading.",
    )
    upload = forms.FileField(
        label="File",
        help_text=ACCEPTED_FILE_TYPES_HELP,
        # An empty file reaches the content check, which names the file in its message.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": "Choose a file to upload."},
    )

    def __init__(self, *args, registration: Registration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "document_type"
        ].queryset = registration.credential_type.required_document_types.order_by("name")
