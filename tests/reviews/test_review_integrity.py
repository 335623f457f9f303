"""Decisions only through their services: History pages and submission change forms never
save a row, and nobody decides their own submission."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts.history_admin import ReadOnlyHistoryAdmin
from certifications.models import ExternalFile, Registration
from certifications.services.reviews import external_file_reject
from courses.models import AsyncCompletion, CourseApprovalRequest
from credits.models import CreditRequest
from credits.services.reviews import credit_request_decide
from review.decisions import OWN_SUBMISSION_REFUSED
from tests.asynchronous.factories import (
    AsyncCompletionFactory,
    CourseApprovalRequestFactory,
    make_reviewer,
)
from tests.factories import UserFactory
from tests.reviews.builders import (
    application,
    application_type,
    pending_credit_request,
    pending_file,
    renewal_cycle,
    reviewer,
)
from training.services import async_completion_decide, course_approval_decide

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def history_version_url(row) -> str:
    opts = row._meta
    first_version = row.history.earliest()
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[row.pk, first_version.history_id],
    )


def test_every_history_page_in_the_review_site_is_read_only():
    with_history = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
        and not isinstance(model_admin, ReadOnlyHistoryAdmin)
    ]
    assert with_history == []


@pytest.fixture(params=["reviewer", "superuser"])
def signed_in(request, client):
    person = (
        reviewer()
        if request.param == "reviewer"
        else UserFactory(is_staff=True, is_superuser=True, library=None)
    )
    client.force_login(person)
    return person


def test_an_old_version_cannot_be_posted_back(client, signed_in):
    """The attack: POST the form of an earlier version, turning a lapsed registration back
    into an active one, a rejected file back to pending, a rejected request into approved."""
    robin = reviewer()
    kind = application_type()
    registration = application(credential_type=kind, status=Registration.Status.ACTIVE)
    registration.status = Registration.Status.LAPSED
    registration.save()
    external_file = pending_file(application(credential_type=kind))
    external_file_reject(external_file=external_file, reviewer=robin, note="Please sign it.")
    credit_request = pending_credit_request(renewal_cycle(), requested=Decimal("5"))
    credit_request_decide(
        credit_request=credit_request,
        approved_credits=Decimal("0"),
        note="Not job related.",
        reviewer=robin,
    )
    rows = [registration, external_file, credit_request]
    versions_before = [row.history.count() for row in rows]

    for row, old_fields in [
        (registration, {"status": "ACTIVE"}),
        (external_file, {"status": "PENDING", "reviewer_note": ""}),
        (credit_request, {"status": "APPROVED", "approved_credits": "5", "reviewer_note": ""}),
    ]:
        url = history_version_url(row)
        assert client.get(url).status_code == 200  # still there to read
        assert client.post(url, old_fields).status_code == 403

    registration.refresh_from_db()
    assert registration.status == Registration.Status.LAPSED
    assert ExternalFile.objects.get(pk=external_file.pk).status == ExternalFile.Status.REJECTED
    refused = CreditRequest.objects.get(pk=credit_request.pk)
    assert (refused.status, refused.approved_credits) == ("REJECTED", Decimal("0"))
    assert [row.history.count() for row in rows] == versions_before


def test_the_asynchronous_change_forms_refuse_post(client):
    client.force_login(make_reviewer())
    approval_request = CourseApprovalRequestFactory()
    completion = AsyncCompletionFactory()

    for row in (approval_request, completion):
        opts = row._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"status": "APPROVED", "reviewer_note": "x"}).status_code == 403

    approval_request.refresh_from_db()
    completion.refresh_from_db()
    assert approval_request.status == CourseApprovalRequest.Status.PENDING
    assert completion.status == AsyncCompletion.Status.PENDING


def test_a_reviewer_cannot_decide_their_own_file(client):
    robin = reviewer(first_name="Robin")
    client.force_login(robin)
    own = pending_file(application(user=robin))

    response = client.post(
        reverse("admin:certifications_externalfile_approve", args=[own.pk]), follow=True
    )

    assert OWN_SUBMISSION_REFUSED in messages_of(response)
    own.refresh_from_db()
    assert own.status == ExternalFile.Status.PENDING
    assert own.history.count() == 1


def test_a_reviewer_cannot_decide_their_own_credit_request(client):
    robin = reviewer(first_name="Robin")
    client.force_login(robin)
    own = pending_credit_request(renewal_cycle(user=robin), requested=Decimal("4"))

    response = client.post(
        reverse("admin:credits_creditrequest_approve_all", args=[own.pk]),
        {"note": "", "seen_decided_at": ""},
        follow=True,
    )

    assert OWN_SUBMISSION_REFUSED in messages_of(response)
    own.refresh_from_db()
    assert (own.status, own.approved_credits) == ("PENDING", None)
    cycle = Registration.objects.get(pk=own.registration_id)
    assert cycle.earned_credits == Decimal("0")


def test_a_reviewer_cannot_decide_their_own_asynchronous_submissions(client):
    robin = make_reviewer(email="robin@example.org")
    client.force_login(robin)
    own_request = CourseApprovalRequestFactory(user=robin)
    own_completion = AsyncCompletionFactory(user=robin)

    response = client.post(
        reverse("admin:courses_asynccompletion_approve", args=[own_completion.pk]),
        {"note": ""},
    )
    assert response.status_code == 200  # the decision page again, with the refusal
    assert OWN_SUBMISSION_REFUSED in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        course_approval_decide(approval_request=own_request, approve=True, note="", reviewer=robin)
    assert refused.value.messages == [OWN_SUBMISSION_REFUSED]
    with pytest.raises(ValidationError):
        async_completion_decide(completion=own_completion, approve=False, note="x", reviewer=robin)

    own_request.refresh_from_db()
    own_completion.refresh_from_db()
    assert own_request.status == CourseApprovalRequest.Status.PENDING
    assert own_completion.status == AsyncCompletion.Status.PENDING


def test_another_reviewer_decides_it(client):
    robin, sam = reviewer(first_name="Robin"), reviewer(first_name="Sam")
    own = pending_file(application(user=robin))
    client.force_login(sam)

    client.post(reverse("admin:certifications_externalfile_approve", args=[own.pk]))

    own.refresh_from_db()
    assert (own.status, own.decided_by) == (ExternalFile.Status.APPROVED, sam)


def test_the_asynchronous_queues_keep_their_history_in_the_review_site(client):
    robin = make_reviewer()
    client.force_login(robin)
    completion = AsyncCompletionFactory()
    async_completion_decide(
        completion=completion, approve=False, note="Proof unreadable.", reviewer=robin
    )

    opts = completion._meta
    page = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[completion.pk])
    )
    assert page.status_code == 200
    # Both versions are listed: the person's report and the reviewer's decision.
    assert page.content.decode().count("/history/") >= 2
    assert robin.email in page.content.decode()  # who decided
    assert completion.history.count() == 2

    url = history_version_url(completion)
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "PENDING", "reviewer_note": ""}).status_code == 403
    assert AsyncCompletion.objects.get(pk=completion.pk).status == AsyncCompletion.Status.REJECTED
    assert completion.history.count() == 2
