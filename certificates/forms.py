from __future__ import annotations

from django import forms

from certificates.open_badges import MAX_UPLOAD_BYTES, TOO_LARGE
from certificates.verification import normalized_code
from certifications.forms import ACCEPT_ATTRIBUTE


class VerificationLookupForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        max_length=40,
        help_text="The 16 letters and digits printed on the certificate, e.g. ABCD2EFGH3JKLM4N.",
    )

    def clean_code(self) -> str:
        code = normalized_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "A verification code has 16 letters (A–Z) and digits (2–7). Check the code "
                "printed on the certificate."
            )
        return code


class CredentialUploadForm(forms.Form):
    credential = forms.FileField(
        label="Open Badges credential (.json)",
        help_text="The .json file downloaded from the KDLA Learning Portal.",
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        error_messages={"required": "Choose the credential's .json file."},
    )

    def clean_credential(self) -> bytes:
        """The file's bytes, refused by its size before anything is read (an upload of any
        size is never held in memory)."""
        upload = self.cleaned_data["credential"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        return upload.read(MAX_UPLOAD_BYTES + 1)


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label="Reason for revoking", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class NameChangeForm(forms.Form):
    first_name = forms.CharField(label="New first name", max_length=150)
    last_name = forms.CharField(label="New last name", max_length=150)
    proof = forms.FileField(
        label="Proof of the new name",
        help_text=(
            "A marriage certificate, court order or similar document. "
            "The following document types are accepted: PDF, Word, .jpg, .png"
        ),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": "Choose a file to upload."},
    )
