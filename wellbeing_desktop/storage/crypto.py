"""Data-key wrapping (DESIGN §7).

One random 256-bit data key encrypts the database (SQLCipher). It is never stored in the clear:
each account holds a copy wrapped (AES-256-GCM) under a key derived from that account's
passphrase with Argon2id, and one more copy is wrapped under the recovery key. Changing a
passphrase re-wraps one copy; the database file is never re-encrypted.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import asdict, dataclass

DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
RECOVERY_BYTES = 20  # 160 random bits, shown as 8 groups of 4 base32 characters


class WrongKey(Exception):
    """The passphrase (or recovery key) does not unwrap the data key."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. Stored beside each wrapped key so that a later change of the defaults
    still opens older accounts."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> KdfParams:
        return cls(int(data["time_cost"]), int(data["memory_kib"]), int(data["parallelism"]))


# OWASP's Argon2id baseline is 19 MiB and t=2; we use more (about 0.2 s here per sign-in).
DEFAULT_KDF = KdfParams()


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def derive_key(passphrase: str, salt: bytes, params: KdfParams = DEFAULT_KDF) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    raw: bytes = hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )
    return raw


def recovery_kek(recovery: bytes, salt: bytes) -> bytes:
    """The recovery key is 160 random bits, so a fast KDF (HKDF) is enough to stretch it."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, salt, b"wellbeing recovery key").derive(recovery)


def chain_key(data_key: bytes) -> bytes:
    """The audit chain's HMAC key of an encrypted store: derived from its data key, so it is
    held exactly where the data key is (the keyring, wrapped) and travels with the data."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, None, b"wellbeing audit chain v1").derive(data_key)


def wrap(kek: bytes, data_key: bytes, label: str) -> tuple[bytes, bytes]:
    """(nonce, ciphertext) of `data_key` under `kek`; `label` binds it to one account."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(kek).encrypt(nonce, data_key, label.encode("utf-8"))


def unwrap(kek: bytes, nonce: bytes, wrapped: bytes, label: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(kek).decrypt(nonce, wrapped, label.encode("utf-8"))
    except InvalidTag:
        raise WrongKey("the key does not open this store") from None


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def new_recovery_key() -> tuple[str, bytes]:
    """A recovery key as shown to the user ("ABCD-EFGH-…") and its raw bytes."""
    raw = secrets.token_bytes(RECOVERY_BYTES)
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4)), raw


def parse_recovery_key(text: str) -> bytes:
    """Raw bytes of a typed recovery key; forgiving of case, spaces, dashes, 0/O and 1/I."""
    cleaned = "".join(c for c in text.upper() if c.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    if len(cleaned) != RECOVERY_BYTES * 8 // 5 or any(c not in _ALPHABET for c in cleaned):
        raise WrongKey("that is not a recovery key (it has 32 letters and digits)")
    return base64.b32decode(cleaned)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))
