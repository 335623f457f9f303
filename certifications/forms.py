"""Forms of the staff pages for required files. They validate and normalise input only; the
rules (window, status, file content) live in certifications.services.uploads."""

from django import forms

from certifications.models import Registration

# How both the help line and a refused type's message (documents.upload_checks) begin the list.
ACCEPTED_TYPES_LEAD = "The following document types are accepted:"
ACCEPTED_FILE_TYPES_HELP = f"{ACCEPTED_TYPES_LEAD} PDF, Word, .jpg, .png"
# What the browser's file picker offers; the content is checked again on the server.
ACCEPT_ATTRIBUTE = (
    ".pdf,.doc,.docx,.jpg,.jpeg,.png,application/pdf,application/msword,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,image/jpeg,image/png"
)


class RefusedUploadNotes(forms.Form):
    """A form with a file field, shown again after a refusal."""

    def note_refused_uploads(self) -> None:
        """Call before showing a refused form again. Browsers never refill a file input, so a
        file chosen for a refused form is gone: the field says so (and so does the error
        summary). A field whose own error already lists the accepted types drops the help line
        that says the same."""
        if not self.is_bound or not self.errors:
            return
        for name, field in self.fields.items():
            if not isinstance(field, forms.FileField):
                continue
            own_errors = self.errors.get(name)
            if own_errors:
                lists_types = any(ACCEPTED_TYPES_LEAD in error for error in own_errors)
                if lists_types and str(field.help_text).startswith(ACCEPTED_TYPES_LEAD):
                    field.help_text = ""
                    self[name].help_text = ""  # the bound field copied it when first built
                continue
            chosen = self.files.get(self.add_prefix(name))
            if chosen:
                self.add_error(
                    name,
                    f"Choose the file again: “{chosen.name}” was not kept because the form "
                    "was refused.",
                )


class ExternalFileForm(RefusedUploadNotes):
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
