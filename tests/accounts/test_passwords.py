import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_it_emails_a_link_that_sets_a_new_password(client):
    UserFactory(email="pat@example.org", first_name="Pat")
    response = client.post(reverse("password_reset"), {"email": "pat@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["pat@example.org"]
    assert message.subject == "KDLA Learning Portal: reset your password"
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret-77", "new_password2": "a-brand-new-secret-77"},
    )
    assert done.status_code == 302
    # Through the sign-in page: sign-in protection needs the request that client.login() omits.
    signed_in = client.post(
        reverse("login"), {"username": "pat@example.org", "password": "a-brand-new-secret-77"}
    )
    assert signed_in.status_code == 302
    assert signed_in.url == reverse("dashboard")


@pytest.mark.django_db
def test_it_does_not_reveal_whether_an_address_has_an_account(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_changes_the_password_of_a_signed_in_person(client):
    user = UserFactory(email="pat@example.org")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-secret-42",
            "new_password2": "another-long-secret-42",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-secret-42")


@pytest.mark.django_db
def test_it_refuses_a_wrong_old_password_and_keeps_the_old_one(client):
    user = UserFactory(email="pat@example.org")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "not-my-password",
            "new_password1": "another-long-secret-42",
            "new_password2": "another-long-secret-42",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
