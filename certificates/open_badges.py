"""Each certificate as an Open Badges 3.0 credential: a W3C Verifiable Credential secured as a
VC-JWT (JOSE, Ed25519), with revocation published in a Bitstring Status List.

Keys are a JSON Web Key Set of Ed25519 private keys (``OPEN_BADGES_KEYS`` or the file
``OPEN_BADGES_KEY_FILE``). The first key signs; every key in the set verifies, so after a
rotation (a new key put first) older credentials still verify by their ``kid``.
See docs/decisions/0008-certificates-and-open-badges.md.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey

from certificates.models import Certificate
from certificates.pdf import ISSUER_NAME, verification_url

# "EdDSA" is the name Open Badges 3.0 and VC-JWT verifiers recognise for Ed25519 signatures
# (RFC 9864's fully specified "Ed25519" is not yet understood by them); both are accepted when
# a credential is checked, so credentials signed under either name verify.
ALGORITHM = "EdDSA"
ACCEPTED_ALGORITHMS = ["EdDSA", "Ed25519"]
CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
STATUS_LIST_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# 1EdTech's JSON schema the credential conforms to (tests/fixtures/open_badges_3_0/ holds a copy
# the tests validate against); named in the credential so a verifier knows which one to apply.
CREDENTIAL_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
# The Bitstring Status List's smallest size (16 KB), which also hides how many were issued.
STATUS_LIST_MIN_BITS = 131_072
ENVELOPE_PREFIX = "data:application/vc+jwt,"
MAX_UPLOAD_BYTES = 64 * 1024

NOT_A_CREDENTIAL = (
    "This file is not a KDLA Open Badges credential (a .json file downloaded from the portal)."
)
TAMPERED = (
    "The signature does not match: this credential was changed after KDLA issued it, or "
    "KDLA did not issue it. Do not rely on it."
)
TOO_LARGE = "This file is larger than any KDLA credential (64 KB). Choose the .json file downloaded from the portal."
UNKNOWN_CERTIFICATE = "KDLA has no certificate for this credential."


class SigningKeyMissing(Exception):
    """No Open Badges key is configured (``OPEN_BADGES_KEYS`` or ``OPEN_BADGES_KEY_FILE``)."""


def _key_set_document() -> dict[str, Any]:
    if settings.OPEN_BADGES_KEYS:
        return json.loads(settings.OPEN_BADGES_KEYS)
    path = Path(settings.OPEN_BADGES_KEY_FILE)
    if not path.exists():
        raise SigningKeyMissing(str(path))
    return json.loads(path.read_text())


def _private_keys() -> list[OKPKey]:
    keys = [OKPKey.import_key(entry) for entry in _key_set_document().get("keys", [])]
    if not keys:
        raise SigningKeyMissing("the key set is empty")
    return keys


def public_key_set() -> dict[str, Any]:
    """The JWKS a verifier fetches from the issuer profile: public halves only."""
    return {"keys": [key.as_dict(private=False) for key in _private_keys()]}


def add_signing_key(path: Path) -> str:
    """Put a new Ed25519 key first in the key file (it signs from now on; older keys stay to
    verify what they signed). Returns its ``kid``."""
    document = json.loads(path.read_text()) if path.exists() else {"keys": []}
    kid = f"kdla-{timezone.localdate():%Y%m%d}-{secrets.token_hex(4)}"
    key = OKPKey.generate_key("Ed25519", parameters={"kid": kid}, private=True)
    document["keys"] = [key.as_dict(private=True), *document["keys"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2))
    path.chmod(0o600)
    return kid


def _absolute(url_name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(url_name, kwargs=kwargs or None)


def issuer_profile() -> dict[str, Any]:
    return {
        "@context": CONTEXTS,
        "id": _absolute("open_badges_issuer"),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": "https://kdla.ky.gov",
        "description": "Certifies Kentucky public library staff.",
    }


def _local_midnight(day: datetime.date) -> str:
    moment = datetime.datetime.combine(day, datetime.time(0), timezone.get_current_timezone())
    return moment.isoformat()


def credential_document(certificate: Certificate) -> dict[str, Any]:
    """The OpenBadgeCredential of a certificate (the VC-JWT's payload)."""
    level = certificate.get_level_display()
    status_list = _absolute("open_badges_status_list")
    return {
        "@context": CONTEXTS,
        "id": verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": _absolute("open_badges_issuer"), "type": ["Profile"], "name": ISSUER_NAME},
        "name": f"{level} Certification",
        "validFrom": _local_midnight(certificate.issued_on),
        "validUntil": _local_midnight(certificate.valid_until + datetime.timedelta(days=1)),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": {
                "id": _absolute("open_badges_achievement", level=certificate.level.lower()),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": f"Kentucky Public Library Staff Certification: {level}",
                "description": f"KDLA's {level} certification of public library staff.",
                "criteria": {
                    "narrative": "Granted by KDLA after review of the person's application."
                },
            },
        },
        "credentialStatus": {
            "id": f"{status_list}#{certificate.pk}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.pk),
            "statusListCredential": status_list,
        },
        "credentialSchema": [CREDENTIAL_SCHEMA],
    }


def _epoch(moment: str) -> int:
    return int(datetime.datetime.fromisoformat(moment).timestamp())


def _with_registered_claims(document: dict[str, Any]) -> dict[str, Any]:
    """Open Badges 3.0 VC-JWT (§8.2.6.1): the payload is the credential plus the JWT claims
    that mirror it — ``iss`` the issuer, ``jti`` the credential's id, ``nbf``/``exp`` its
    validity — which OB 3.0 verifiers require."""
    issuer = document["issuer"]
    claims: dict[str, Any] = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": document["id"],
        "nbf": _epoch(document["validFrom"]),
    }
    if "validUntil" in document:
        claims["exp"] = _epoch(document["validUntil"])
    return {**document, **claims}


def _sign(payload: dict[str, Any], *, typ: str) -> str:
    payload = _with_registered_claims(payload)
    key = _private_keys()[0]
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": typ, "cty": "vc"}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return jws.serialize_compact(header, body, key, algorithms=[ALGORITHM])


def signed_credential(certificate: Certificate) -> dict[str, Any]:
    """The .json file a person downloads: the VC-JWT in a VC 2.0 enveloped credential."""
    token = _sign(credential_document(certificate), typ="vc+jwt")
    return {
        "@context": STATUS_LIST_CONTEXT,
        "id": ENVELOPE_PREFIX + token,
        "type": "EnvelopedVerifiableCredential",
    }


def _encoded_list(revoked_indexes: list[int]) -> str:
    size = max(STATUS_LIST_MIN_BITS, -(-(max(revoked_indexes, default=0) + 1) // 8) * 8)
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)  # index 0 is the first byte's leftmost bit
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def revoked_indexes(encoded_list: str) -> set[int]:
    raw = encoded_list.removeprefix("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    return {
        byte_index * 8 + bit
        for byte_index, byte in enumerate(bits)
        if byte
        for bit in range(8)
        if byte & (0x80 >> bit)
    }


def status_list_credential() -> str:
    """The signed BitstringStatusListCredential: a set bit at a certificate's id means revoked
    (one query, whatever the number of certificates)."""
    revoked = list(
        Certificate.objects.filter(status=Certificate.Status.REVOKED).values_list("pk", flat=True)
    )
    url = _absolute("open_badges_status_list")
    return _sign(
        {
            "@context": [STATUS_LIST_CONTEXT],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": _absolute("open_badges_issuer"),
            "validFrom": timezone.now().isoformat(timespec="seconds"),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": _encoded_list(revoked),
            },
        },
        typ="vc+jwt",
    )


def verify_signed(token: str) -> dict[str, Any]:
    """The payload of a VC-JWT signed by one of the portal's keys; ValidationError otherwise."""
    try:
        verified = jws.deserialize_compact(
            token,
            KeySet([OKPKey.import_key(k) for k in public_key_set()["keys"]]),
            algorithms=ACCEPTED_ALGORITHMS,
        )
        return json.loads(verified.payload)
    except (JoseError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(TAMPERED) from error


@dataclass(frozen=True)
class CredentialCheck:
    certificate: Certificate
    revoked_in_status_list: bool


def verify_uploaded_credential(content: bytes) -> CredentialCheck:
    """Check an uploaded .json credential: its shape, KDLA's signature, then its status in the
    status list KDLA publishes. Raises ValidationError with a plain reason."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE)
    try:
        envelope = json.loads(content)
        token = envelope["id"]
        if envelope.get("type") != "EnvelopedVerifiableCredential":
            raise ValueError
        if not token.startswith(ENVELOPE_PREFIX):
            raise ValueError
    except (ValueError, TypeError, KeyError) as error:
        raise ValidationError(NOT_A_CREDENTIAL) from error
    credential = verify_signed(token.removeprefix(ENVELOPE_PREFIX))
    status = credential.get("credentialStatus", {})
    certificate = (
        Certificate.objects.select_related("superseded_by")
        .filter(pk=int(status.get("statusListIndex", 0)))
        .first()
    )
    if certificate is None or credential.get("id") != verification_url(certificate):
        raise ValidationError(UNKNOWN_CERTIFICATE)
    published = verify_signed(status_list_credential())
    revoked = certificate.pk in revoked_indexes(published["credentialSubject"]["encodedList"])
    return CredentialCheck(certificate=certificate, revoked_in_status_list=revoked)
