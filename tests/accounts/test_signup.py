import pytest
from django.core import mail
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


@pytest.mark.django_db
def test_it_creates_an_account_that_is_signed_in_at_once(
    client, django_capture_on_commit_callbacks
):
    library = LibraryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), signup_form(library))
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = User.objects.get(email="casey.jones@example.org")
    assert user.library == library
    assert user.is_part_time
    assert not user.is_staff
    assert client.get(reverse("dashboard")).status_code == 200
    assert [m.to for m in mail.outbox] == [["casey.jones@example.org"]]


@pytest.mark.django_db
def test_it_refuses_an_email_already_in_use(client):
    library = LibraryFactory()
    UserFactory(email="casey.jones@example.org")
    response = client.post(reverse("signup"), signup_form(library))
    assert response.status_code == 200
    assert "An account with this email address already exists" in response.content.decode()
    assert User.objects.filter(email="casey.jones@example.org").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours_per_month", "0", "greater than or equal to 1"),
        ("hours_per_month", "abc", "Enter a whole number"),
        ("password2", "something-else-2026", "password fields didn"),
        ("library", "", "This field is required"),
        ("email", "not-an-email", "Enter a valid email address"),
    ],
)
def test_it_refuses_bad_sign_up_input(client, field, value, message):
    library = LibraryFactory()
    response = client.post(reverse("signup"), signup_form(library, **{field: value}))
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
