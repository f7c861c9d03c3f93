"""Where the audit chain was seen last, kept outside the database (`audit-anchors.json`).

An anchor is (event seq, that event's hash), written when the app closes and when an export is
made, and authenticated with the chain key, so it cannot be moved without the key. The chain
itself proves the events up to its head belong together; an anchor proves the head was at
least this far: events removed from the end, or a chain rewritten from an anchored event on,
no longer match it. (Removing the file loses the anchors; `audit verify` then says the chain
is not anchored, rather than passing silently.)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FILENAME = "audit-anchors.json"


@dataclass(frozen=True)
class Anchor:
    kind: str          # "local" (the app closed) or "export" (a bundle carried this head)
    seq: int
    hash: str
    at: str            # ISO UTC
    note: str = ""     # e.g. the export id
    mac: str = ""

    def _message(self) -> bytes:
        return "\x1f".join([self.kind, str(self.seq), self.hash, self.at, self.note]).encode()

    def signed(self, key: bytes) -> Anchor:
        return Anchor(self.kind, self.seq, self.hash, self.at, self.note,
                      hmac.new(key, self._message(), hashlib.sha256).hexdigest())

    def authentic(self, key: bytes) -> bool:
        want = hmac.new(key, self._message(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(want, self.mac)


def anchors_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILENAME


def load(data_dir: Path) -> dict[str, Anchor]:
    """The anchors by kind; an unreadable file counts as none (verify then says so)."""
    path = anchors_path(data_dir)
    if not path.is_file():
        return {}
    try:
        raw: Any = json.loads(path.read_bytes()[:65536])
        return {k: Anchor(**v) for k, v in raw.get("anchors", {}).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def save(data_dir: Path, anchors: dict[str, Anchor]) -> None:
    """Atomic write (temp file, fsync, rename), 0600."""
    path = anchors_path(data_dir)
    fd, tmp = tempfile.mkstemp(prefix=".anchors-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"version": 1, "anchors": {k: asdict(a) for k, a in anchors.items()}},
                      fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def set_aside(data_dir: Path) -> None:
    """A restore rolls the chain back on purpose: the old anchors are kept beside (evidence of
    where the chain was) and no longer checked; the next close anchors the restored chain."""
    path = anchors_path(data_dir)
    if path.exists():
        os.replace(path, path.with_name(path.name + ".before-restore"))
