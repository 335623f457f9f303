from collections.abc import Iterator

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm

from accounts.models import Library, User


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class SignUpForm(UserCreationForm):
    library = forms.ModelChoiceField(
        queryset=Library.objects.order_by("name"),
        empty_label="Select…",
        help_text="The public library system you work for.",
    )
    hours_per_month = forms.IntegerField(
        label="Hours worked per month",
        min_value=1,
        max_value=744,
        help_text="Staff working under 100 hours a month follow the part-time certification.",
    )

    class Meta:
        model = User
        fields = (
            "first_name",
            "last_name",
            "email",
            "phone",
            "library",
            "position",
            "hours_per_month",
        )
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self) -> None:
        # An address that already has an account is not an error shown here: the sign-up
        # page must not tell a stranger which addresses have accounts (accounts.services).
        exclude = self._get_validation_exclusions()
        exclude.add("email")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class SetFirstPasswordResetForm(PasswordResetForm):
    """ "Forgot your password?" also reaches people imported without a password (Django's form
    skips accounts whose password is unusable, so they could never choose one)."""

    def get_users(self, email: str) -> Iterator[User]:
        return (
            user
            for user in User.objects.filter(email__iexact=email.strip(), is_active=True)
            if user.email.lower() == email.strip().lower()
        )
