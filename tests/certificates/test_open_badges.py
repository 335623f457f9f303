import base64
import io
import json

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from joserfc import jws
from joserfc.jwk import KeySet, OKPKey

from certificates.open_badges import (
    ENVELOPE_PREFIX,
    MAX_UPLOAD_BYTES,
    add_signing_key,
    revoked_indexes,
)
from certificates.services import certificate_revoke
from tests.certificates.builders import approved_certificate
from tests.factories import UserFactory
from tests.fixtures.registrations import stored_files
from tests.reviews.builders import reviewer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("open_badges_key_file")]


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def certificate():
    return approved_certificate(user=UserFactory(first_name="Ada", last_name="Lovelace"))


def download(client, certificate) -> bytes:
    client.force_login(certificate.user)
    response = client.get(reverse("certificate_credential_download", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-open-badge.json"')
    client.logout()
    return response.content


def token_of(content: bytes) -> str:
    return json.loads(content)["id"].removeprefix(ENVELOPE_PREFIX)


def published_keys(client) -> KeySet:
    return KeySet.import_key_set(json.loads(client.get(reverse("open_badges_jwks")).content))


def upload(client, content: bytes, name: str = "credential.json"):
    return client.post(
        reverse("certificate_verify_credential"),
        {"credential": SimpleUploadedFile(name, content, content_type="application/json")},
    )


def stored_rows_and_files() -> tuple[dict[str, int], list]:
    """What the portal has stored: the rows of every table and the files in private storage.
    A refused upload changes neither."""
    rows = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    return rows, stored_files()


def envelope(token: str) -> bytes:
    return json.dumps(
        {"id": ENVELOPE_PREFIX + token, "type": "EnvelopedVerifiableCredential"}
    ).encode()


def signed_by_someone_else(content: bytes) -> bytes:
    """The same credential, header and all, signed with an Ed25519 key that is not KDLA's."""
    extracted = jws.extract_compact(token_of(content).encode())
    forger = OKPKey.generate_key("Ed25519", private=True)
    return envelope(
        jws.serialize_compact(extracted.headers(), extracted.payload, forger, algorithms=["EdDSA"])
    )


def tampered(content: bytes) -> bytes:
    header, payload, signature = token_of(content).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    envelope = json.loads(content)
    envelope["id"] = ENVELOPE_PREFIX + ".".join([header, forged, signature])
    return json.dumps(envelope).encode()


def test_the_credential_is_an_open_badge_signed_with_the_published_key(client, certificate):
    token = token_of(download(client, certificate))

    verified = jws.deserialize_compact(token, published_keys(client), algorithms=["EdDSA"])
    credential = json.loads(verified.payload)

    assert verified.headers()["typ"] == "vc+jwt"
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "http://portal.test/credentials/issuer/"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"] == "Ada Lovelace"
    assert subject["achievement"]["name"].endswith("Part-time")
    assert credential["validFrom"].startswith(certificate.issued_on.isoformat())
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert credential["credentialStatus"]["statusListIndex"] == str(certificate.pk)


def test_the_issuer_profile_is_at_a_stable_url(client):
    profile = json.loads(client.get(reverse("open_badges_issuer")).content)
    assert profile["id"] == "http://portal.test/credentials/issuer/"
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Kentucky Department for Libraries and Archives"
    assert profile["publicKeys"] == "http://portal.test/credentials/issuer/jwks.json"


def test_the_jwks_holds_no_private_key(client):
    keys = json.loads(client.get(reverse("open_badges_jwks")).content)["keys"]
    assert keys and all("d" not in key for key in keys)


def test_an_uploaded_credential_is_checked_and_shows_valid(client, certificate):
    response = upload(client, download(client, certificate))

    assert response.status_code == 200
    assert response.context["standing"].label == "VALID"
    assert "signature is KDLA" in response.content.decode()
    assert "list does not mark this credential as revoked" in response.content.decode()
    assert "Ada Lovelace" in response.content.decode()


def test_revocation_reaches_the_status_list_and_the_check(client, certificate):
    content = download(client, certificate)
    other = approved_certificate()

    certificate_revoke(certificate=certificate, reviewer=reviewer(), reason="Issued in error.")

    status = client.get(reverse("open_badges_status_list"))
    claims = json.loads(
        jws.deserialize_compact(
            status.content.decode(), published_keys(client), algorithms=["EdDSA"]
        ).payload
    )
    assert status["Content-Type"] == "application/vc+jwt"
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert revoked_indexes(claims["credentialSubject"]["encodedList"]) == {certificate.pk}
    assert other.pk not in revoked_indexes(claims["credentialSubject"]["encodedList"])
    checked = upload(client, content)
    assert checked.context["standing"].label == "REVOKED"
    assert checked.context["revoked_in_status_list"] is True
    assert "revocation list marks this credential as revoked" in checked.content.decode()


@pytest.mark.parametrize("forge", [tampered, signed_by_someone_else])
def test_a_tampered_credential_is_refused_and_nothing_is_stored(client, certificate, forge):
    forged = forge(download(client, certificate))
    before = stored_rows_and_files()

    response = upload(client, forged)

    assert response.status_code == 400
    assert "The signature does not match" in response.content.decode()
    assert "standing" not in response.context
    assert stored_rows_and_files() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "is not a KDLA Open Badges credential"),
        (b'{"id": "data:application/vc+jwt,abc", "type": "Other"}', "is not a KDLA Open Badges"),
        (b'["a list"]', "is not a KDLA Open Badges credential"),
        (
            b'{"id": "data:application/vc+jwt,a.b.c", "type": "EnvelopedVerifiableCredential"}',
            "The signature does not match",
        ),
        (b" " * (MAX_UPLOAD_BYTES + 1), "larger than any KDLA credential"),
        (b"{" + b" " * (5 * 1024 * 1024) + b"}", "larger than any KDLA credential"),
        (b"", "is not a KDLA Open Badges credential"),
        (b"\xff\xfe not text", "is not a KDLA Open Badges credential"),
    ],
    ids=["text", "other type", "list", "bad token", "over 64 KB", "5 MB", "empty", "binary"],
)
def test_a_bad_upload_gets_a_clear_message_and_nothing_is_stored(client, content, message):
    before = stored_rows_and_files()

    response = upload(client, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "standing" not in response.context
    assert stored_rows_and_files() == before


def test_a_kdla_signed_document_that_is_no_certificate_is_refused(client, certificate):
    # The status list carries KDLA's signature too, but it is no one's certificate.
    status_list = client.get(reverse("open_badges_status_list")).content.decode()

    response = upload(client, envelope(status_list))

    assert response.status_code == 400
    assert "KDLA has no certificate for this credential." in response.content.decode()


def test_an_upload_without_a_file_is_refused(client):
    response = client.post(reverse("certificate_verify_credential"))
    assert response.status_code == 400
    assert "Choose the credential" in response.content.decode()


def test_after_a_key_rotation_older_credentials_still_verify(
    client, certificate, open_badges_key_file
):
    older = download(client, certificate)
    old_kid = jws.extract_compact(token_of(older).encode()).headers()["kid"]

    new_kid = add_signing_key(open_badges_key_file)
    newer = download(client, certificate)

    assert jws.extract_compact(token_of(newer).encode()).headers()["kid"] == new_kid != old_kid
    assert upload(client, older).context["standing"].label == "VALID"
    assert upload(client, newer).context["standing"].label == "VALID"


def test_only_the_owner_downloads_the_credential(client, certificate):
    client.force_login(UserFactory())
    url = reverse("certificate_credential_download", args=[certificate.pk])
    assert client.get(url).status_code == 404


def test_without_a_key_it_says_so(client, certificate, settings, tmp_path):
    settings.OPEN_BADGES_KEY_FILE = str(tmp_path / "missing.json")
    client.force_login(certificate.user)
    response = client.get(reverse("certificate_credential_download", args=[certificate.pk]))
    assert response.status_code == 503
    assert client.get(reverse("open_badges_status_list")).status_code == 503


def test_the_key_command_creates_a_key_once_with_if_missing(settings, tmp_path):
    path = tmp_path / "var" / "keys.json"
    settings.OPEN_BADGES_KEY_FILE = str(path)
    call_command("create_open_badges_key", "--if-missing", stdout=io.StringIO())
    first = path.read_text()
    call_command("create_open_badges_key", "--if-missing", stdout=io.StringIO())
    assert path.read_text() == first
    assert len(json.loads(first)["keys"]) == 1
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_the_status_list_runs_one_query(client, certificate, django_assert_num_queries):
    for _ in range(3):
        certificate_revoke(certificate=approved_certificate(), reviewer=reviewer(), reason="x")
    with django_assert_num_queries(1):
        assert client.get(reverse("open_badges_status_list")).status_code == 200


def test_an_independent_open_badges_3_verifier_accepts_the_credential(client, certificate):
    # openbadgeslib is a separate implementation of OB 3.0 VC-JWT: its verifier checks the
    # signature with the published key, the credential's types, structure and validity dates.
    from openbadgeslib.ob3.verifier import OB3VerificationError, OB3Verifier

    token = token_of(download(client, certificate))
    (key,) = published_keys(client).keys
    verifier = OB3Verifier(pubkey_pem=key.as_pem(private=False))

    credential = verifier.verify(token)

    assert credential.issuer.id == "http://portal.test/credentials/issuer/"
    forged = token_of(tampered(download(client, certificate)))
    with pytest.raises(OB3VerificationError):
        verifier.verify(forged)


def test_the_independent_verifier_reads_revocation_from_the_status_list(client, certificate):
    from urllib.parse import urlparse

    from openbadgeslib.ob3.verifier import OB3VerificationError, OB3Verifier

    def fetch(url: str) -> bytes:
        assert url.startswith("http://portal.test/")
        return client.get(urlparse(url).path).content

    token = token_of(download(client, certificate))
    (key,) = published_keys(client).keys
    verifier = OB3Verifier(pubkey_pem=key.as_pem(private=False))
    verifier.verify(token, check_status=True, download=fetch)  # valid: no exception

    certificate_revoke(certificate=certificate, reviewer=reviewer(), reason="Issued in error.")
    cache.clear()

    with pytest.raises(
        OB3VerificationError, match=f"'revocation' is set at index {certificate.pk} "
    ):
        verifier.verify(token, check_status=True, download=fetch)


@pytest.mark.parametrize("revoked", [0, 3])
def test_checking_an_upload_runs_a_fixed_number_of_queries(
    client, certificate, revoked, django_assert_num_queries
):
    content = download(client, certificate)
    for _ in range(revoked):
        certificate_revoke(certificate=approved_certificate(), reviewer=reviewer(), reason="x")
    # The certificate (with the one that superseded it) and the status list.
    with django_assert_num_queries(2):
        response = upload(client, content)
    assert response.context["standing"].label == "VALID"
