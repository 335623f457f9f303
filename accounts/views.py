from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.emails import queue_welcome
from accounts.forms import SignUpForm


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The account and its welcome email commit together; a worker sends the email later,
        # so a mail server or broker that is down never turns a sign-up into an error.
        with transaction.atomic():
            user = form.save()
            queue_welcome(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.first_name}. Your account is ready.")
        return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})
