"""The credential the portal issues conforms to 1EdTech's Open Badges 3.0 JSON schema (the
published file, vendored unmodified in tests/fixtures/open_badges_3_0/), checked on what a
verifier reconstructs: the payload of the downloaded VC-JWT."""

import copy
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from joserfc import jws
from jsonschema import Draft201909Validator
from jsonschema.exceptions import ValidationError

from certificates.open_badges import CREDENTIAL_SCHEMA
from tests.certificates.builders import approved_certificate
from tests.certificates.test_open_badges import download, published_keys, token_of
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("open_badges_key_file")]

SCHEMA_DIR = Path(__file__).parents[1] / "fixtures" / "open_badges_3_0"
SCHEMA_FILE = SCHEMA_DIR / "ob_v3p0_achievementcredential_schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft201909Validator:
    # With the format checker, "validFrom" must be a real date-time and "id" a URI; without
    # it, draft 2019-09 treats formats as annotations only.
    schema = json.loads(SCHEMA_FILE.read_text())
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(validator: Draft201909Validator, document: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def issued_credential(client, certificate) -> dict:
    """The credential as a verifier reads it: the signed payload of the downloaded .json."""
    verified = jws.deserialize_compact(
        token_of(download(client, certificate)), published_keys(client), algorithms=["EdDSA"]
    )
    return json.loads(verified.payload)


def test_the_vendored_schema_is_the_published_file_unmodified():
    readme = (SCHEMA_DIR / "README.md").read_text()
    recorded = re.search(r"sha256\s+([0-9a-f]{64})\s+" + SCHEMA_FILE.name, readme)
    schema = json.loads(SCHEMA_FILE.read_text())

    assert recorded, "README.md must record the schema's sha256"
    assert hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest() == recorded.group(1)
    assert schema["$id"] == CREDENTIAL_SCHEMA["id"]
    Draft201909Validator.check_schema(schema)


@pytest.mark.parametrize("name", [("Ada", "Lovelace"), ("José", "Núñez-O'Brien")])
def test_the_issued_credential_validates_against_the_open_badges_3_schema(client, validator, name):
    first_name, last_name = name
    certificate = approved_certificate(user=UserFactory(first_name=first_name, last_name=last_name))

    credential = issued_credential(client, certificate)

    assert schema_errors(validator, credential) == []
    assert credential["credentialSchema"] == [CREDENTIAL_SCHEMA]


def _drop(*path: str) -> Callable[[dict], None]:
    def change(credential: dict) -> None:
        *parents, last = path
        node = credential
        for key in parents:
            node = node[key]
        del node[last]

    return change


def _set(value: object, *path: str | int) -> Callable[[dict], None]:
    def change(credential: dict) -> None:
        *parents, last = path
        node = credential
        for key in parents:
            node = node[key]
        node[last] = value

    return change


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (_drop("credentialSubject"), "'credentialSubject' is a required property"),
        (_drop("issuer"), "'issuer' is a required property"),
        (_drop("validFrom"), "'validFrom' is a required property"),
        (_drop("credentialSubject", "achievement"), "'achievement' is a required property"),
        (_drop("credentialSubject", "achievement", "criteria"), "'criteria' is a required"),
        (_set("02/06/2026", "validFrom"), "is not a 'date-time'"),
        (_set(["VerifiableCredential"], "type"), "is not valid under any of the given schemas"),
        (
            _set(["https://www.w3.org/ns/credentials/v2"], "@context"),
            "is not valid under any of the given schemas",
        ),
        (
            _set("Trophy", "credentialSubject", "achievement", "achievementType"),
            "is not valid under any of the given schemas",
        ),
    ],
    ids=[
        "no subject",
        "no issuer",
        "no validFrom",
        "no achievement",
        "no criteria",
        "US date",
        "not an OpenBadgeCredential",
        "no Open Badges context",
        "unknown achievement type",
    ],
)
def test_an_incomplete_or_altered_credential_fails_the_schema(client, validator, change, complaint):
    credential = issued_credential(client, approved_certificate())
    altered = copy.deepcopy(credential)

    change(altered)

    errors = schema_errors(validator, altered)
    assert errors, "the schema accepted an altered credential"
    assert any(complaint in error for error in errors), errors
    with pytest.raises(ValidationError):
        validator.validate(altered)
    assert schema_errors(validator, credential) == []
