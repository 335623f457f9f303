from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

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
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email address already exists. Sign in, or reset your password."
            )
        return email
