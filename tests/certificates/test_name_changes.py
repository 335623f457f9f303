import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates.models import Certificate, NameChangeRequest
from certificates.name_changes import name_change_approve, name_change_reject, name_change_request
from certifications.models import CredentialType
from notifications.models import OutboxMessage
from review.decisions import OWN_SUBMISSION_REFUSED
from tests.certificates.builders import approved_certificate
from tests.factories import UserFactory
from tests.fixtures.documents import PDF_BYTES, PNG_BYTES
from tests.reviews.builders import renewal_credits_type, reviewer

pytestmark = pytest.mark.django_db


def proof(name="marriage-certificate.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def ada():
    return UserFactory(first_name="Ada", last_name="Byron", email="ada@example.org")


def ask(client, **fields):
    data = {"first_name": "Ada", "last_name": "Lovelace", "proof": proof(), **fields}
    return client.post(reverse("name_change_new"), data)


def test_a_person_asks_for_a_name_change_with_proof(client, ada):
    client.force_login(ada)

    response = ask(client)

    assert response.status_code == 302
    name_change = NameChangeRequest.objects.get(user=ada)
    assert (name_change.current_name, name_change.new_name) == ("Ada Byron", "Ada Lovelace")
    assert name_change.proof_content_type == "application/pdf"
    assert name_change.status == NameChangeRequest.Status.PENDING
    assert name_change.history.get().history_user == ada
    ada.refresh_from_db()
    assert ada.full_name == "Ada Byron"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"proof": SimpleUploadedFile("proof.pdf", b"just text, not a PDF")}, "is not a PDF"),
        ({"proof": SimpleUploadedFile("proof.pdf", PNG_BYTES)}, "does not match its content"),
        ({"proof": SimpleUploadedFile("proof.pdf", b"")}, "is empty"),
        ({"proof": ""}, "Choose a file to upload."),
        ({"first_name": "Ada", "last_name": "Byron"}, "already the name on your account"),
        ({"last_name": " "}, "This field is required."),
    ],
)
def test_it_refuses_a_bad_request_and_stores_nothing(client, ada, fields, message):
    client.force_login(ada)

    response = ask(client, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert NameChangeRequest.objects.count() == 0


def test_it_refuses_a_second_request_while_one_awaits_review(ada):
    name_change_request(user=ada, first_name="Ada", last_name="Lovelace", proof=proof())
    with pytest.raises(ValidationError, match="already asked"):
        name_change_request(user=ada, first_name="Ada", last_name="King", proof=proof())
    assert NameChangeRequest.objects.count() == 1


def test_after_approval_new_certificates_carry_the_new_name_and_old_ones_stay_valid(ada):
    first = approved_certificate(user=ada)
    name_change = name_change_request(
        user=ada, first_name="Ada", last_name="Lovelace", proof=proof()
    )
    robin = reviewer()

    name_change_approve(name_change=name_change, reviewer=robin)

    ada.refresh_from_db()
    assert ada.full_name == "Ada Lovelace"
    # The request's History is the record of who changed the name, when, from what to what.
    latest = name_change.history.latest()
    assert (latest.history_user, latest.status) == (robin, "APPROVED")
    first.refresh_from_db()
    assert (first.holder_name, first.status) == ("Ada Byron", Certificate.Status.VALID)
    renewal_credits_type()
    renewed = approved_certificate(user=ada, kind=CredentialType.Kind.RENEWAL_APPLICATION)
    assert renewed.holder_name == "Ada Lovelace"
    assert OutboxMessage.objects.filter(key=f"name_change_decided:{name_change.pk}").exists()


def test_a_rejection_needs_a_note_and_keeps_the_name(ada):
    name_change = name_change_request(
        user=ada, first_name="Ada", last_name="Lovelace", proof=proof()
    )
    with pytest.raises(ValidationError, match="Write a note"):
        name_change_reject(name_change=name_change, reviewer=reviewer(), note=" ")
    name_change_reject(name_change=name_change, reviewer=reviewer(), note="The scan is blank.")

    name_change.refresh_from_db()
    ada.refresh_from_db()
    assert name_change.status == NameChangeRequest.Status.REJECTED
    assert ada.full_name == "Ada Byron"


def test_a_decided_request_cannot_be_decided_again(ada):
    name_change = name_change_request(
        user=ada, first_name="Ada", last_name="Lovelace", proof=proof()
    )
    name_change_approve(name_change=name_change, reviewer=reviewer())
    with pytest.raises(ValidationError, match="was already approved by"):
        name_change_reject(name_change=name_change, reviewer=reviewer(), note="No.")


def test_a_reviewer_approves_in_the_review_site(client, ada):
    name_change = name_change_request(
        user=ada, first_name="Ada", last_name="Lovelace", proof=proof()
    )
    client.force_login(reviewer())

    page = client.get(reverse("admin:certificates_namechangerequest_change", args=[name_change.pk]))
    response = client.post(
        reverse("admin:certificates_namechangerequest_approve", args=[name_change.pk])
    )

    assert page.status_code == 200
    assert reverse("name_change_proof", args=[name_change.pk]) in page.content.decode()
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.full_name == "Ada Lovelace"


def test_the_proof_is_seen_by_its_owner_and_reviewers_only(client, ada):
    name_change = name_change_request(
        user=ada, first_name="Ada", last_name="Lovelace", proof=proof()
    )
    url = reverse("name_change_proof", args=[name_change.pk])

    client.force_login(UserFactory())
    stranger = client.get(url)
    client.force_login(ada)
    owner = client.get(url)
    client.force_login(reviewer())
    kdla = client.get(url)

    assert stranger.status_code == 404
    assert owner.status_code == kdla.status_code == 200
    assert b"".join(kdla.streaming_content) == PDF_BYTES


def test_a_reviewer_cannot_decide_their_own_name_change():
    robin = reviewer(first_name="Robin", last_name="Byron")
    own = name_change_request(user=robin, first_name="Robin", last_name="Lovelace", proof=proof())

    for decide in (
        lambda: name_change_approve(name_change=own, reviewer=robin),
        lambda: name_change_reject(name_change=own, reviewer=robin, note="No."),
    ):
        with pytest.raises(ValidationError) as refused:
            decide()
        assert refused.value.messages == [OWN_SUBMISSION_REFUSED]

    own.refresh_from_db()
    robin.refresh_from_db()
    assert own.status == NameChangeRequest.Status.PENDING
    assert robin.full_name == "Robin Byron"
