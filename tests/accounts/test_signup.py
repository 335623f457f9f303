import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import LibraryFactory, UserFactory


def signup_form(for_library, **overrides):
    form = {
        "first_name": "Casey",
        "last_name": "Jones",
        "email": "Casey.Jones@Example.org",
        "phone": "502-555-0142",
        "library": for_library.pk,
        "position": "Circulation Clerk",
        "hours_per_month": "60",
        "password1": "reading-is-fun-2026",
        "password2": "reading-is-fun-2026",
    }
    form.update(overrides)
    return form


def sign_up(client, form, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("signup"), form, follow=True)


SIGNED_UP = "Thank you. We have sent an email to casey.jones@example.org."


@pytest.mark.django_db
def test_it_creates_an_account_and_asks_the_person_to_sign_in(
    client, django_capture_on_commit_callbacks
):
    library = LibraryFactory()
    response = sign_up(client, signup_form(library), django_capture_on_commit_callbacks)

    assert response.redirect_chain == [(reverse("login"), 302)]
    assert SIGNED_UP in response.content.decode()
    user = User.objects.get(email="casey.jones@example.org")
    assert user.library == library
    assert user.is_part_time
    assert not user.is_staff
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["casey.jones@example.org"], "Welcome to the KDLA Learning Portal")
    ]
    signed_in = client.post(
        reverse("login"),
        {"username": "casey.jones@example.org", "password": "reading-is-fun-2026"},
    )
    assert signed_in.url == reverse("dashboard")


def page_without_tokens(response) -> str:
    return re.sub(r'value="[^"]+"', "", response.content.decode())


@pytest.mark.django_db
def test_an_address_with_an_account_gets_the_same_page_and_its_owner_an_email(
    client, django_capture_on_commit_callbacks
):
    library = LibraryFactory()
    new_address = sign_up(
        Client(),
        signup_form(library, email="robin@example.org"),
        django_capture_on_commit_callbacks,
    )
    owner = UserFactory(email="casey.jones@example.org", first_name="Casey")
    password_before = owner.password
    mail.outbox.clear()

    taken_address = sign_up(
        client,
        signup_form(library, email="Casey.Jones@Example.org", first_name="Mallory"),
        django_capture_on_commit_callbacks,
    )

    assert taken_address.redirect_chain == new_address.redirect_chain
    expected = page_without_tokens(new_address).replace(
        "robin@example.org", "casey.jones@example.org"
    )
    assert page_without_tokens(taken_address) == expected
    owner.refresh_from_db()
    assert (owner.first_name, owner.password) == ("Casey", password_before)
    assert User.objects.filter(email__iexact="casey.jones@example.org").count() == 1
    (message,) = mail.outbox
    assert message.to == ["casey.jones@example.org"]
    assert "someone tried to create an account with your email address" in message.subject
    assert "/accounts/password/reset/" in message.body
    # Trying again the same day does not flood the owner's mailbox.
    sign_up(client, signup_form(library), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours_per_month", "0", "greater than or equal to 1"),
        ("hours_per_month", "abc", "Enter a whole number"),
        ("password2", "something-else-2026", "password fields didn"),
        ("library", "", "This field is required"),
        ("email", "not-an-email", "Enter a valid email address"),
        ("password1", "short-pw-26", "at least 12 characters"),
        ("password1", " " * 12, "cannot be only spaces"),
        ("password1", "password1234", "too common"),
        ("password1", "casey.jones.example", "too similar"),
    ],
)
def test_it_refuses_bad_sign_up_input(client, field, value, message):
    library = LibraryFactory()
    overrides = {field: value}
    if field == "password1":
        overrides["password2"] = value
    response = client.post(reverse("signup"), signup_form(library, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_signs_in_with_email_and_password(client):
    UserFactory(email="pat@example.org")
    response = client.post(
        reverse("login"), {"username": "pat@example.org", "password": "a-long-test-password-1"}
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
