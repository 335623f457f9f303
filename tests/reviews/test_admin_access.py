"""Who reaches which page of the review site (the Django admin)."""

import pytest
from django.urls import reverse

from accounts.models import User
from certifications.models import NoticeKind
from notifications.models import OutboxMessage
from tests.factories import UserFactory
from tests.reviews.builders import (
    application,
    pending_credit_request,
    pending_file,
    renewal_cycle,
    reviewer,
)

pytestmark = pytest.mark.django_db

REVIEWER_PAGES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:accounts_library_changelist",
    "admin:certifications_registration_changelist",
    "admin:certifications_externalfile_changelist",
    "admin:certifications_credentialtype_changelist",
    "admin:certifications_credentialtype_add",
    "admin:certifications_documenttype_changelist",
    "admin:notifications_outboxmessage_changelist",
    "admin:credits_creditrequest_changelist",
    "admin:courses_course_changelist",
    "admin:courses_course_add",
    "admin:courses_category_changelist",
    "admin:courses_provider_changelist",
    "admin:courses_enrollment_changelist",
]
SUPERUSER_ONLY_PAGES = [
    "admin:auth_group_changelist",
    "admin:auth_group_add",
    "admin:accounts_user_add",
    "admin:accounts_library_add",
    "admin:django_celery_beat_periodictask_changelist",
    "admin:accounts_user_import",
    "admin:certifications_registration_import",
]


@pytest.fixture
def staff_member(client):
    person = UserFactory(is_staff=False)
    client.force_login(person)
    return person


@pytest.fixture
def signed_in_reviewer(client):
    person = reviewer()
    client.force_login(person)
    return person


@pytest.mark.parametrize("url_name", REVIEWER_PAGES)
def test_a_reviewer_opens_the_review_pages(url_name, client, signed_in_reviewer):
    assert client.get(reverse(url_name)).status_code == 200


def test_a_reviewer_opens_a_file_a_credit_request_a_person_and_their_history(
    client, signed_in_reviewer
):
    external_file = pending_file(application())
    credit_request = pending_credit_request(renewal_cycle())
    person = external_file.registration.user
    for url in [
        reverse("admin:certifications_externalfile_change", args=[external_file.pk]),
        reverse("admin:certifications_externalfile_history", args=[external_file.pk]),
        reverse("admin:credits_creditrequest_change", args=[credit_request.pk]),
        reverse("admin:credits_creditrequest_history", args=[credit_request.pk]),
        reverse("admin:certifications_registration_history", args=[external_file.registration_id]),
        reverse("admin:accounts_user_change", args=[person.pk]),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("url_name", SUPERUSER_ONLY_PAGES)
def test_a_reviewer_cannot_open_superuser_pages(url_name, client, signed_in_reviewer):
    assert client.get(reverse(url_name)).status_code == 403


def test_a_reviewer_cannot_open_a_password_change_page(client, signed_in_reviewer):
    person = UserFactory()
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(
            url, {"password1": "x-new-pass-2026!", "password2": "x-new-pass-2026!"}
        ).status_code
        == 403
    )
    person.refresh_from_db()
    assert person.check_password("x-new-pass-2026!") is False


def test_a_reviewer_cannot_open_their_own_password_change_page_in_the_admin(
    client, signed_in_reviewer
):
    url = reverse("admin:auth_user_password_change", args=[signed_in_reviewer.pk])
    assert client.get(url).status_code == 403


def test_a_reviewer_sees_no_password_on_a_person_page(client, signed_in_reviewer):
    person = UserFactory()
    page = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    assert b"pbkdf2" not in page.content
    assert b"password/" not in page.content


def test_a_reviewer_cannot_change_a_person(client, signed_in_reviewer):
    person = UserFactory(first_name="Pat")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    client.post(url, {"email": person.email, "first_name": "Changed", "last_name": "X"})
    person.refresh_from_db()
    assert person.first_name == "Pat"


def test_a_superuser_keeps_the_password_change_page(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    person = UserFactory()
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    assert client.get(url).status_code == 200


def test_a_reviewer_is_not_a_superuser():
    person = reviewer()
    assert person.is_staff and not person.is_superuser
    assert person.has_perm("certifications.change_externalfile")
    assert not person.has_perm("auth.change_group")
    assert not person.has_perm("accounts.change_user")


@pytest.mark.parametrize(
    "url_name", ["admin:index", *REVIEWER_PAGES[1:], "admin:auth_group_changelist"]
)
def test_a_signed_in_staff_member_gets_no_admin_page(url_name, client, staff_member):
    response = client.get(reverse(url_name), follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert response.templates[0].name == "admin/login.html"
    assert b"not authorized to access this page" in response.content
    assert b"Reviewer overview" not in response.content
    assert b"result-list" not in response.content


def test_a_signed_in_staff_member_gets_no_file_or_decision_page(client, staff_member):
    external_file = pending_file(application(user=staff_member))
    for url in [
        reverse("admin:certifications_externalfile_change", args=[external_file.pk]),
        reverse("admin:certifications_externalfile_approve", args=[external_file.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(
        reverse("admin:certifications_externalfile_approve", args=[external_file.pk])
    )
    assert response.status_code == 302
    external_file.refresh_from_db()
    assert external_file.status == "PENDING"


def test_an_anonymous_visitor_gets_the_sign_in_page(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert b"Log in" in response.content


def test_a_superuser_adds_a_person_with_django_s_user_screens(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.person@example.org",
            "first_name": "New",
            "last_name": "Person",
            "usable_password": "true",
            "password1": "a-good-long-password-2026",
            "password2": "a-good-long-password-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new.person@example.org").check_password(
        "a-good-long-password-2026"
    )


def test_the_outbox_is_read_only_even_for_superusers(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    registration = application()
    notification = OutboxMessage.objects.create(
        key=f"UPLOAD_REMINDER:{registration.pk}:7",
        kind=NoticeKind.UPLOAD_REMINDER,
        recipient=registration.user,
        about_id=registration.pk,
        sent_for=registration.upload_due_on,
    )
    assert client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403
    page = client.get(reverse("admin:notifications_outboxmessage_change", args=[notification.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    delete = reverse("admin:notifications_outboxmessage_delete", args=[notification.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert OutboxMessage.objects.filter(pk=notification.pk).exists()
