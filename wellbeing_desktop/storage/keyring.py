"""The keyring file: wrapped copies of the data key, kept beside the encrypted database.

It must be readable before the database is opened, so it cannot live inside it. It holds no
secret in the clear: each account's copy of the data key is wrapped under a key derived with
Argon2id from that account's passphrase, and one copy under the recovery key. Sign-in
failures and lock-out times live here too (they must be written while the database is
still locked); they are replayed into the audit log at the next sign-in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wellbeing_desktop.storage import crypto, paths
from wellbeing_desktop.storage.files import atomic_write

FILENAME = paths.KEYRING_FILENAME
VERSION = 1


def keyring_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILENAME


@dataclass
class AccountKey:
    practitioner_id: str
    username: str
    salt: str
    kdf: dict[str, int]
    nonce: str
    wrapped: str
    active: bool = True
    failed: int = 0
    locked_until: str = ""  # ISO UTC, empty when not locked

    def label(self) -> str:
        return f"account:{self.practitioner_id}"

    def unwrap(self, passphrase: str) -> bytes:
        kek = crypto.derive_key(passphrase, crypto.unb64(self.salt),
                                crypto.KdfParams.from_dict(self.kdf))
        return crypto.unwrap(kek, crypto.unb64(self.nonce), crypto.unb64(self.wrapped),
                             self.label())

    @classmethod
    def make(cls, practitioner_id: str, username: str, passphrase: str, data_key: bytes,
             params: crypto.KdfParams | None = None) -> AccountKey:
        params = params or crypto.DEFAULT_KDF
        salt = crypto.new_salt()
        kek = crypto.derive_key(passphrase, salt, params)
        nonce, wrapped = crypto.wrap(kek, data_key, f"account:{practitioner_id}")
        return cls(practitioner_id, username, crypto.b64(salt), params.as_dict(),
                   crypto.b64(nonce), crypto.b64(wrapped))


@dataclass
class Keyring:
    path: Path
    accounts: dict[str, AccountKey] = field(default_factory=dict)
    recovery: dict[str, str] = field(default_factory=dict)
    # Failed sign-ins not yet written to the audit log: {"at": iso, "practitioner_id": id or ""}.
    pending_failures: list[dict[str, str]] = field(default_factory=list)
    # Failures against usernames that have no account, keyed by a salted hash of the name (so
    # the guesses are not kept in the clear): {"failed": n, "locked_until": iso}. They lock out
    # exactly as a real account does, so a lock-out never tells that a username exists.
    unknown: dict[str, dict[str, Any]] = field(default_factory=dict)
    unknown_salt: str = ""
    # This installation's bundle-signing key, wrapped under the data key (storage/identity.py).
    device_signing: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, data_dir: Path) -> Keyring | None:
        path = keyring_path(data_dir)
        if not path.exists():
            return None
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        accounts = {k: AccountKey(**v) for k, v in raw.get("accounts", {}).items()}
        return cls(path, accounts, dict(raw.get("recovery", {})),
                   list(raw.get("pending_failures", [])), dict(raw.get("unknown", {})),
                   str(raw.get("unknown_salt", "")), dict(raw.get("device_signing", {})))

    def by_username(self, username: str) -> AccountKey | None:
        wanted = username.strip().casefold()
        return next((a for a in self.accounts.values() if a.username.casefold() == wanted), None)

    def unknown_slot(self, username: str) -> dict[str, Any]:
        """The failure record for a username with no account (made on first use)."""
        import hashlib

        if not self.unknown_salt:
            self.unknown_salt = crypto.b64(crypto.new_salt())
        digest = hashlib.sha256(crypto.unb64(self.unknown_salt)
                                + username.strip().casefold().encode()).hexdigest()[:32]
        if len(self.unknown) > 500 and digest not in self.unknown:  # bounded: oldest go first
            for old in sorted(self.unknown, key=lambda k: self.unknown[k].get("at", ""))[:100]:
                del self.unknown[old]
        return self.unknown.setdefault(digest, {"failed": 0, "locked_until": ""})

    def set_recovery(self, raw_recovery: bytes, data_key: bytes) -> None:
        salt = crypto.new_salt()
        nonce, wrapped = crypto.wrap(crypto.recovery_kek(raw_recovery, salt), data_key, "recovery")
        self.recovery = {"salt": crypto.b64(salt), "nonce": crypto.b64(nonce),
                         "wrapped": crypto.b64(wrapped)}

    def unwrap_recovery(self, raw_recovery: bytes) -> bytes:
        if not self.recovery:
            raise crypto.WrongKey("this store has no recovery key")
        kek = crypto.recovery_kek(raw_recovery, crypto.unb64(self.recovery["salt"]))
        return crypto.unwrap(kek, crypto.unb64(self.recovery["nonce"]),
                             crypto.unb64(self.recovery["wrapped"]), "recovery")

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "accounts": {k: vars(v) for k, v in self.accounts.items()},
            "recovery": self.recovery,
            "pending_failures": self.pending_failures,
            "unknown": self.unknown,
            "unknown_salt": self.unknown_salt,
            "device_signing": self.device_signing,
        }

    def save(self, path: Path | None = None) -> Path:
        """Atomic write (temp file, fsync, rename): a crash leaves the old or the new file."""
        target = path or self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, json.dumps(self.as_dict(), indent=1, sort_keys=True))
        return target
