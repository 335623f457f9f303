"""Deciding files and credit requests through the review site's pages."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications.models import ExternalFile, Registration
from credits.models import CreditRequest
from tests.reviews.builders import (
    application,
    application_type,
    pending_credit_request,
    pending_file,
    renewal_cycle,
    reviewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def robin(client):
    person = reviewer(first_name="Robin", last_name="Reviewer")
    client.force_login(person)
    return person


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def file_url(name, external_file):
    return reverse(f"admin:certifications_externalfile_{name}", args=[external_file.pk])


def credit_url(name, credit_request):
    return reverse(f"admin:credits_creditrequest_{name}", args=[credit_request.pk])


def test_the_file_page_previews_a_pdf_and_offers_the_decisions(client, robin):
    external_file = pending_file(application())
    page = client.get(file_url("change", external_file)).content.decode()

    assert f'<iframe src="/files/{external_file.pk}/?inline=1"' in page
    assert f'href="/files/{external_file.pk}/"' in page
    assert f'action="{file_url("approve", external_file)}"' in page
    assert f'action="{file_url("reject", external_file)}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="_save"' not in page


def test_the_preview_the_page_shows_is_served_to_the_reviewer(client, robin):
    external_file = pending_file(application())
    response = client.get(f"/files/{external_file.pk}/?inline=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_file_page_shows_an_image_inline(client, robin):
    external_file = pending_file(application(), image=True)
    page = client.get(file_url("change", external_file)).content.decode()
    assert f'<img src="/files/{external_file.pk}/?inline=1" alt="Preview of scan.png"' in page


def test_a_decided_file_shows_the_decision_and_no_buttons(client, robin):
    external_file = pending_file(application())
    client.post(file_url("reject", external_file), {"note": "Please sign it."})
    page = client.get(file_url("change", external_file)).content.decode()

    assert "Not approved by Robin Reviewer" in page
    assert "Please sign it." in page
    assert file_url("approve", external_file) not in page


def test_it_approves_a_file_through_its_own_url(client, robin, django_capture_on_commit_callbacks):
    registration = application()
    external_file = pending_file(registration)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(file_url("approve", external_file))

    assert response.status_code == 302
    assert response["Location"] == "/admin/certifications/externalfile/?status__exact=PENDING"
    assert messages_of(response) == ["Approved “application.pdf”."]
    external_file.refresh_from_db()
    assert (external_file.status, external_file.decided_by) == ("APPROVED", robin)
    assert external_file.history.latest().history_user == robin
    assert Registration.objects.filter(source_registration=registration).count() == 1
    # The approval and the certificate it grants.
    assert len(mail.outbox) == 2


def test_a_decision_url_refuses_get(client, robin):
    external_file = pending_file(application())
    assert client.get(file_url("approve", external_file)).status_code == 405
    assert (
        client.get(credit_url("approve_all", pending_credit_request(renewal_cycle()))).status_code
        == 405
    )
    external_file.refresh_from_db()
    assert external_file.status == "PENDING"


def test_a_decision_needs_the_csrf_token(robin):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(robin)
    external_file = pending_file(application())
    assert strict.post(file_url("approve", external_file)).status_code == 403
    external_file.refresh_from_db()
    assert external_file.status == "PENDING"


def test_it_shows_the_refusal_when_another_reviewer_was_first(client, robin):
    external_file = pending_file(application())
    client.post(file_url("approve", external_file), follow=True)
    response = client.post(file_url("reject", external_file), {"note": "Too late"})

    assert response["Location"] == file_url("change", external_file)
    [message] = messages_of(response)
    assert message.startswith("This file was already approved by Robin Reviewer on ")
    external_file.refresh_from_db()
    assert external_file.status == "APPROVED"


def test_it_rejects_with_a_note(client, robin, django_capture_on_commit_callbacks):
    external_file = pending_file(application())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(file_url("reject", external_file), {"note": "Please sign page 2."})

    external_file.refresh_from_db()
    assert (external_file.status, external_file.reviewer_note) == (
        "REJECTED",
        "Please sign page 2.",
    )
    assert "Please sign page 2." in mail.outbox[0].body


def test_it_refuses_a_rejection_without_a_note(client, robin):
    external_file = pending_file(application())
    response = client.post(file_url("reject", external_file), {"note": ""})

    assert messages_of(response) == ["Write a note telling the person what is needed."]
    external_file.refresh_from_db()
    assert external_file.status == "PENDING"


def test_the_change_form_does_not_edit_a_decision(client, robin):
    external_file = pending_file(application())
    response = client.post(
        file_url("change", external_file),
        {"status": "APPROVED", "reviewer_note": "sneaky", "description": "x"},
    )
    assert response.status_code == 403
    assert external_file.history.count() == 1
    external_file.refresh_from_db()
    assert (external_file.status, external_file.reviewer_note) == ("PENDING", "")


def test_bulk_approve_reports_approved_and_skipped_files(client, robin):
    shared_type = application_type()
    waiting = [pending_file(application(credential_type=shared_type)) for _ in range(2)]
    decided = pending_file(application(credential_type=shared_type))
    client.post(file_url("approve", decided), follow=True)

    response = client.post(
        reverse("admin:certifications_externalfile_changelist"),
        {"action": "approve_selected", "_selected_action": [f.pk for f in [*waiting, decided]]},
    )

    messages = messages_of(response)
    assert messages[0] == "Approved 2 files."
    assert messages[1].startswith("Skipped 1: “application.pdf”: This file was already approved")
    assert ExternalFile.objects.filter(status="APPROVED").count() == 3
    assert Registration.objects.filter(source_registration__isnull=False).count() == 3


def test_the_credit_page_shows_the_documentation_and_three_decisions(client, robin):
    credit_request = pending_credit_request(renewal_cycle())
    page = client.get(credit_url("change", credit_request)).content.decode()

    assert f'<iframe src="/credits/{credit_request.pk}/documentation/?inline=1"' in page
    for action in ("approve_all", "approve_some", "approve_none"):
        assert f'action="{credit_url(action, credit_request)}"' in page
    assert ">Approve all<" in page and ">Approve some<" in page and ">Approve none<" in page


def test_it_approves_some_credits(client, robin, django_capture_on_commit_callbacks):
    credit_request = pending_credit_request(renewal_cycle(), requested=Decimal("20"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            credit_url("approve_some", credit_request),
            {"approved_credits": "12", "note": "good", "seen_decided_at": ""},
        )

    assert messages_of(response) == ["Partially approved: 12 of 20 credits for “Annual Summation”."]
    credit_request.refresh_from_db()
    assert credit_request.status == "PARTIALLY_APPROVED"
    assert (credit_request.approved_credits, credit_request.reviewer_note) == (
        Decimal("12"),
        "good",
    )
    assert credit_request.history.latest().history_user == robin
    assert len(mail.outbox) == 1


def test_it_approves_all_and_none(client, robin):
    cycle = renewal_cycle()
    everything = pending_credit_request(cycle, requested=Decimal("4"))
    nothing = pending_credit_request(cycle, requested=Decimal("3"), course="Book club")
    client.post(credit_url("approve_all", everything), {"note": ""})
    client.post(credit_url("approve_none", nothing), {"note": "Not job related."})

    everything.refresh_from_db()
    nothing.refresh_from_db()
    assert (everything.status, everything.approved_credits) == ("APPROVED", Decimal("4"))
    assert (nothing.status, nothing.approved_credits) == ("REJECTED", Decimal("0"))
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("4")


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"approved_credits": ""}, "Enter how many credits you approve, e.g. 12 or 12.5."),
        ({"approved_credits": "abc"}, "Enter how many credits you approve, e.g. 12 or 12.5."),
        (
            {"approved_credits": "25", "note": "x"},
            "Approved credits must be between 0 and the 20 requested.",
        ),
        (
            {"approved_credits": "12"},
            "Write a note telling the person why only some credits were approved.",
        ),
        (
            {"approved_credits": "20", "note": "x"},
            "To approve some credits, enter more than 0 and fewer than the 20 requested; "
            "otherwise use “Approve all” or “Approve none”.",
        ),
    ],
)
def test_it_refuses_a_bad_partial_approval(posted, message, client, robin):
    credit_request = pending_credit_request(renewal_cycle(), requested=Decimal("20"))
    response = client.post(credit_url("approve_some", credit_request), posted)

    assert response["Location"] == credit_url("change", credit_request)
    assert messages_of(response) == [message]
    credit_request.refresh_from_db()
    assert credit_request.status == "PENDING"
    assert mail.outbox == []


def test_it_refuses_a_decision_made_on_a_stale_page(client, robin):
    credit_request = pending_credit_request(renewal_cycle(), requested=Decimal("20"))
    client.post(credit_url("approve_all", credit_request), {"seen_decided_at": ""}, follow=True)
    # A second reviewer's page still showed the request as pending.
    response = client.post(
        credit_url("approve_none", credit_request), {"note": "No.", "seen_decided_at": ""}
    )

    [message] = messages_of(response)
    assert message.startswith("This request was already approved by Robin Reviewer on ")
    credit_request.refresh_from_db()
    assert credit_request.status == "APPROVED"


def test_a_new_decision_from_the_decided_page_replaces_the_old_one(client, robin):
    credit_request = pending_credit_request(renewal_cycle(), requested=Decimal("20"))
    client.post(credit_url("approve_all", credit_request))
    page = client.get(credit_url("change", credit_request)).content.decode()
    assert "Make a new decision" in page
    credit_request.refresh_from_db()
    seen = credit_request.decided_at.isoformat()
    assert f'value="{seen}"' in page

    client.post(
        credit_url("approve_some", credit_request),
        {"approved_credits": "8", "note": "Only the workshop.", "seen_decided_at": seen},
    )

    credit_request.refresh_from_db()
    assert (credit_request.status, credit_request.approved_credits) == (
        "PARTIALLY_APPROVED",
        Decimal("8"),
    )
    assert list(credit_request.history.values_list("status", flat=True)) == [
        "PARTIALLY_APPROVED",
        "APPROVED",
        "PENDING",
    ]


def test_the_change_form_does_not_edit_a_credit_decision(client, robin):
    credit_request = pending_credit_request(renewal_cycle())
    response = client.post(
        credit_url("change", credit_request),
        {"status": "APPROVED", "approved_credits": "20", "reviewer_note": "x"},
    )
    assert response.status_code == 403
    assert credit_request.history.count() == 1
    credit_request.refresh_from_db()
    assert (credit_request.status, credit_request.approved_credits) == ("PENDING", None)


def test_bulk_approve_approves_pending_requests_in_full_and_skips_decided(client, robin):
    cycle = renewal_cycle()
    first = pending_credit_request(cycle, requested=Decimal("2"))
    second = pending_credit_request(cycle, requested=Decimal("3"))
    decided = pending_credit_request(cycle, requested=Decimal("5"), course="Webinar")
    client.post(credit_url("approve_none", decided), {"note": "Duplicate."}, follow=True)

    response = client.post(
        reverse("admin:credits_creditrequest_changelist"),
        {"action": "approve_selected", "_selected_action": [first.pk, second.pk, decided.pk]},
    )

    assert messages_of(response) == [
        "Approved 2 credit requests in full.",
        "Skipped 1: “Webinar” was already decided.",
    ]
    assert set(CreditRequest.objects.values_list("status", flat=True)) == {"APPROVED", "REJECTED"}
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("5")


def test_the_queues_list_the_oldest_first(client, robin):
    now = timezone.now()
    shared_type = application_type()
    newer = pending_file(application(credential_type=shared_type), submitted_at=now)
    older = pending_file(
        application(credential_type=shared_type), submitted_at=now - datetime.timedelta(days=9)
    )
    page = client.get(
        reverse("admin:certifications_externalfile_changelist") + "?status__exact=PENDING"
    ).content.decode()

    assert "Files awaiting review" in page
    assert page.index(older.registration.user.full_name) < page.index(
        newer.registration.user.full_name
    )
    assert '<td class="field-age_in_days">9</td>' in page


def test_the_credit_queue_shows_what_the_cycle_still_needs(client, robin):
    cycle = renewal_cycle(earned_credits=Decimal("6"))
    pending_credit_request(cycle, requested=Decimal("20"))
    page = client.get(
        reverse("admin:credits_creditrequest_changelist") + "?status__exact=PENDING"
    ).content.decode()

    assert "Credit requests awaiting review" in page
    assert '<td class="field-requested_credits">20.0</td>' in page
    assert '<td class="field-still_needed">9.0</td>' in page
