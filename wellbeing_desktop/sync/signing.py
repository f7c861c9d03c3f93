"""Device signatures on bundles, and the enrolment file a clinic hands to the centre.

A bundle's `signature.json` member holds an Ed25519 signature, by the sending installation's
key, over a fixed prefix and the manifest's exact bytes. The manifest lists every member's
size, line count and SHA-256 (checked when the bundle is read), so the signature covers the
members too. Encryption to the centre says nothing about who wrote a bundle (every clinic holds
the centre's public key); this does (docs/sync-format.md §1a).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Protocol

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from wellbeing_desktop.storage.identity import public_fingerprint
from wellbeing_desktop.storage.inputs import read_bounded
from wellbeing_desktop.sync.crypto import BundleError

SIGNATURE = "signature.json"
SIGNATURE_FORMAT = "wellbeing-sync-signature"
ALGORITHM = "ed25519"
PREFIX = b"wellbeing-sync-bundle-signature/1\n"
MAX_SIGNATURE_BYTES = 4096

ENROLMENT_FORMAT = "wellbeing-device-enrolment"
ENROLMENT_VERSION = 1
MAX_ENROLMENT_BYTES = 16 * 1024


class Signer(Protocol):
    @property
    def device_id(self) -> str: ...

    @property
    def public_hex(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


def signature_member(signer: Signer, manifest_body: bytes) -> bytes:
    doc = {"format": SIGNATURE_FORMAT, "algorithm": ALGORITHM, "device_id": signer.device_id,
           "public_key": signer.public_hex,
           "signature": signer.sign(PREFIX + manifest_body).hex()}
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def public_key_of(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from its 64 hex digits; ValueError otherwise."""
    raw = bytes.fromhex(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def signature_problem(signature: bytes | None, manifest_body: bytes, device_id: str,
                      enrolled_public_hex: str) -> str:
    """Why the bundle's signature does not prove it came from the enrolled key ("" if it does)."""
    if signature is None:
        return "the bundle is not signed by its device (made by an older version, or forged)"
    try:
        doc: Any = orjson.loads(signature)
    except orjson.JSONDecodeError:
        return "the bundle's signature is damaged"
    if not isinstance(doc, dict) or doc.get("format") != SIGNATURE_FORMAT or \
            doc.get("algorithm") != ALGORITHM or not all(
            isinstance(doc.get(k), str) for k in ("device_id", "public_key", "signature")):
        return "the bundle's signature is damaged"
    if doc["device_id"] != device_id:
        return (f"the bundle's signature names device {doc['device_id']}, not the device in "
                f"its manifest ({device_id})")
    if doc["public_key"].lower() != enrolled_public_hex.lower():
        try:
            theirs = public_fingerprint(bytes.fromhex(doc["public_key"]))
        except ValueError:
            theirs = "unreadable"
        ours = public_fingerprint(bytes.fromhex(enrolled_public_hex))
        return (f"the bundle is signed with key {theirs}, but device {device_id} is enrolled "
                f"with key {ours}")
    try:
        public_key_of(enrolled_public_hex).verify(bytes.fromhex(doc["signature"]),
                                                  PREFIX + manifest_body)
    except (InvalidSignature, ValueError):
        return "the bundle's signature does not match its contents (altered or forged)"
    return ""


# ------------------------------------------------------------------ enrolment file

def enrolment_document(device_id: str, label: str, public_hex: str, created_at: str
                       ) -> dict[str, Any]:
    return {"format": ENROLMENT_FORMAT, "format_version": ENROLMENT_VERSION,
            "device_id": device_id, "label": label, "public_key": public_hex,
            "fingerprint": public_fingerprint(bytes.fromhex(public_hex)),
            "algorithm": ALGORITHM, "created_at": created_at}


def read_enrolment(path: Path) -> dict[str, Any]:
    """An enrolment file, checked: kind and size first, then every field. BundleError says
    what is wrong, naming the file."""
    data = read_bounded(path, limit=MAX_ENROLMENT_BYTES, error=BundleError,
                        what="enrolment file", magic=(b"{",), magic_problem=(
                            f"{path.name}: not an enrolment file (it does not start with a "
                            "JSON object)"))
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise BundleError(f"{path.name}: not an enrolment file (not valid JSON)") from None
    if not isinstance(doc, dict) or doc.get("format") != ENROLMENT_FORMAT:
        raise BundleError(f"{path.name}: not a Wellbeing device enrolment file")
    if doc.get("format_version") != ENROLMENT_VERSION:
        raise BundleError(f"{path.name}: enrolment version {doc.get('format_version')} is not "
                          "supported")
    for name in ("device_id", "label", "public_key", "fingerprint"):
        if not isinstance(doc.get(name), str):
            raise BundleError(f"{path.name}: field {name} is missing or not text")
    try:
        uuid.UUID(doc["device_id"])
    except ValueError:
        raise BundleError(f"{path.name}: field device_id is not a device id") from None
    try:
        public_key_of(doc["public_key"])
    except ValueError:
        raise BundleError(f"{path.name}: field public_key is not an Ed25519 public key "
                          "(64 hex digits)") from None
    expected = public_fingerprint(bytes.fromhex(doc["public_key"]))
    if doc["fingerprint"] != expected:
        raise BundleError(f"{path.name}: field fingerprint ({doc['fingerprint']}) does not match "
                          f"the public key ({expected}): the file was altered")
    if len(doc["label"]) > 200:
        raise BundleError(f"{path.name}: field label is longer than 200 characters")
    return doc
