"""This installation's signing identity: an Ed25519 key pair bound to its device id.

It signs every export bundle (docs/sync-format.md §1a), so the centre can tell this computer's
bundles from anyone else's. Where it is kept:
- an **encrypted** store: in the keyring (`keyring.json`, field `device_signing`), the private
  key wrapped (AES-256-GCM) under the data key, the wrap bound to the device id;
- a **plain** store: in `device-key.json` beside the database (0600), in the clear, as the
  plain store's audit key is: encryption is what protects it. When a plain store is
  encrypted, the next use moves the key into the keyring and removes the plain file.
Neither is inside the database, so a backup restored onto another computer never brings the
other computer's key: the target keeps its own (restore keeps its device id too). A key whose
device id is not the store's (a store set up again, a copy of another installation's folder)
is replaced by a new one, so two device ids never share a key.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wellbeing_desktop.storage import crypto
from wellbeing_desktop.storage.files import atomic_write
from wellbeing_desktop.storage.keyring import Keyring

PLAIN_FILENAME = "device-key.json"
_LOCK = threading.Lock()


def public_fingerprint(public_raw: bytes) -> str:
    """What people compare by eye or over the phone: SHA-256 of the raw public key, its first
    80 bits as five groups of four hex digits."""
    digest = hashlib.sha256(public_raw).hexdigest()[:20]
    return " ".join(digest[i:i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class SigningIdentity:
    device_id: str
    private: Ed25519PrivateKey

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(serialization.Encoding.Raw,
                                                      serialization.PublicFormat.Raw)

    @property
    def public_hex(self) -> str:
        return self.public_raw.hex()

    @property
    def fingerprint(self) -> str:
        return public_fingerprint(self.public_raw)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def _raw_private(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def _label(device_id: str) -> str:
    return f"device-signing:{device_id}"


def _from_plain(directory: Path, device_id: str) -> Ed25519PrivateKey | None:
    path = directory / PLAIN_FILENAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("device_id") != device_id:
            return None
        return Ed25519PrivateKey.from_private_bytes(crypto.unb64(raw["private"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _from_keyring(ring: Keyring, device_id: str, data_key: bytes) -> Ed25519PrivateKey | None:
    entry = ring.device_signing
    if not entry or entry.get("device_id") != device_id:
        return None
    try:
        raw = crypto.unwrap(data_key, crypto.unb64(entry["nonce"]), crypto.unb64(entry["wrapped"]),
                            _label(device_id))
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (crypto.WrongKey, KeyError, ValueError, TypeError):
        return None


def recorded_device_id(data_dir: Path) -> str | None:
    """The device id this installation's signing key was made for, read without any key
    (the keyring's entry, else `device-key.json`): who this computer is when its database is
    too damaged to say (services/restore.py)."""
    directory = Path(data_dir)
    try:
        ring = Keyring.load(directory)
    except (OSError, ValueError, TypeError):
        ring = None
    if ring is not None and ring.device_signing.get("device_id"):
        return str(ring.device_signing["device_id"])
    try:
        raw = json.loads((directory / PLAIN_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = raw.get("device_id") if isinstance(raw, dict) else None
    return str(found) if isinstance(found, str) and found else None


def load_or_create(data_dir: Path, device_id: str, data_key: bytes | None) -> SigningIdentity:
    """This installation's signing identity, made (and saved) on first use."""
    directory = Path(data_dir)
    with _LOCK:
        if data_key is None:
            key = _from_plain(directory, device_id)
            if key is None:
                key = Ed25519PrivateKey.generate()
                atomic_write(directory / PLAIN_FILENAME, json.dumps(
                    {"device_id": device_id, "private": crypto.b64(_raw_private(key)),
                     "public": key.public_key().public_bytes(
                         serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()},
                    indent=1))
            return SigningIdentity(device_id, key)
        ring = Keyring.load(directory)
        if ring is None:
            raise ValueError("an encrypted store has no keyring")
        key = _from_keyring(ring, device_id, data_key)
        if key is not None:
            return SigningIdentity(device_id, key)
        # A plain store that was encrypted since keeps the identity it had; else a new one.
        key = _from_plain(directory, device_id) or Ed25519PrivateKey.generate()
        nonce, wrapped = crypto.wrap(data_key, _raw_private(key), _label(device_id))
        identity = SigningIdentity(device_id, key)
        ring.device_signing = {"device_id": device_id, "public": identity.public_hex,
                               "nonce": crypto.b64(nonce), "wrapped": crypto.b64(wrapped)}
        ring.save()
        (directory / PLAIN_FILENAME).unlink(missing_ok=True)
        return identity
