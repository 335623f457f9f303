from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.forms import SignUpForm
from accounts.services import account_sign_up

SIGNED_UP_MESSAGE = (
    "Thank you. We have sent an email to {email}. "
    "Sign in with your email address and the password you chose."
)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether the address was new or already had an account (whose owner
        # is emailed instead), so sign-up never tells a stranger who has an account.
        account_sign_up(form=form)
        messages.success(request, SIGNED_UP_MESSAGE.format(email=form.cleaned_data["email"]))
        return redirect("login")
    return render(request, "registration/signup.html", {"form": form})
