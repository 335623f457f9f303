"""People imported from the agency's CSV are invited to choose a password, and can."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from notifications.models import OutboxMessage
from tests.factories import LibraryFactory
from tests.reviews.test_import import (  # noqa: F401
    administrator,
    csv_upload,
    import_through_the_admin,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("administrator")]

PEOPLE_CSV = (
    "email,first_name,last_name,library,position,hours_per_month,phone\n"
    "Pat@Example.org,Pat,Example,Boyd County Public Library,Library Assistant,80,\n"
)


def import_pat(client, django_capture_on_commit_callbacks) -> None:
    LibraryFactory(name="Boyd County Public Library")
    with django_capture_on_commit_callbacks(execute=True):
        import_through_the_admin(client, "accounts/user", PEOPLE_CSV)


def sign_in(client, password: str):
    client.post(reverse("logout"))
    return client.post(reverse("login"), {"username": "pat@example.org", "password": password})


def test_an_imported_person_sets_a_password_from_the_invitation(
    client, django_capture_on_commit_callbacks
):
    import_pat(client, django_capture_on_commit_callbacks)

    (invitation,) = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    assert invitation.subject == "Your KDLA Learning Portal account: choose a password"
    link = re.search(r"http://portal\.test(/accounts/password/reset/\S+/)", invitation.body)
    client.post(reverse("logout"))
    form_page = client.get(link.group(1), follow=True)
    assert 'name="new_password1"' in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "boyd-county-reads-77", "new_password2": "boyd-county-reads-77"},
    )
    assert done.status_code == 302

    signed_in = sign_in(client, "boyd-county-reads-77")
    assert signed_in.status_code == 302
    assert signed_in.url == reverse("dashboard")
    # The link works once.
    client.post(reverse("logout"))
    again = client.get(link.group(1), follow=True).content.decode()
    assert 'name="new_password1"' not in again


def test_the_dry_run_invites_nobody(client):
    LibraryFactory(name="Boyd County Public Library")
    url = "/admin/accounts/user/import/"
    client.post(url, {"format": "0", "import_file": csv_upload(PEOPLE_CSV)})

    assert not User.objects.filter(email="pat@example.org").exists()
    assert not OutboxMessage.objects.filter(kind="invitation").exists()


def test_importing_the_same_person_again_sends_no_second_invitation(
    client, django_capture_on_commit_callbacks
):
    import_pat(client, django_capture_on_commit_callbacks)
    changed = PEOPLE_CSV.replace("Library Assistant", "Branch Manager")
    with django_capture_on_commit_callbacks(execute=True):
        import_through_the_admin(client, "accounts/user", changed)

    assert User.objects.get(email="pat@example.org").position == "Branch Manager"
    assert OutboxMessage.objects.filter(kind="invitation").count() == 1


def test_forgot_your_password_reaches_an_imported_person(
    client, django_capture_on_commit_callbacks
):
    import_pat(client, django_capture_on_commit_callbacks)
    client.post(reverse("logout"))
    mail.outbox.clear()

    response = client.post(reverse("password_reset"), {"email": "pat@example.org"})

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["pat@example.org"]
    assert message.subject == "KDLA Learning Portal: reset your password"
