"""The bundle file (DESIGN §6, docs/sync-format.md): a zip of NDJSON members and a manifest,
encrypted whole to the central public key, written atomically.

Writing: `BundleWriter` streams members into a zip that streams into `EncryptingWriter`, into a
temporary file beside the destination; `commit()` fsyncs and renames it into place. Any
failure (disk full, stick removed) removes the temporary file: no partial bundle is left.
Reading: `read_bundle` decrypts, opens the zip and checks the manifest and every member's
size, line count and sha256 before anything is parsed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from wellbeing_desktop.storage.files import move_into_place, temp_beside
from wellbeing_desktop.storage.inputs import check_zip, read_bounded
from wellbeing_desktop.sync.crypto import MAGIC, BundleError, EncryptingWriter, decrypt
from wellbeing_desktop.sync.signing import MAX_SIGNATURE_BYTES, SIGNATURE, Signer, signature_member

FORMAT = "wellbeing-sync-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DELETED = "deleted.ndjson"
DELETED_ENTITY = "deleted"
WITHDRAWALS = "withdrawals.ndjson"  # clients who withdrew consent after records were sent
WITHDRAWALS_ENTITY = "withdrawals"

Opener = Callable[[Path], BinaryIO]


def _open_exclusive(path: Path) -> BinaryIO:
    return open(path, "xb")  # noqa: SIM115 - closed by BundleWriter


@dataclass
class Member:
    name: str
    entity: str
    count: int = 0
    bytes: int = 0
    sha256: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "entity": self.entity, "count": self.count,
                "sha256": self.sha256, "bytes": self.bytes}


class _MemberStream:
    """Writes NDJSON lines into one zip member, counting and hashing as it goes."""

    def __init__(self, zf: zipfile.ZipFile, member: Member) -> None:
        self.member = member
        self._hash = hashlib.sha256()
        self._fh = zf.open(zipfile.ZipInfo(member.name, date_time=(2000, 1, 1, 0, 0, 0)), "w",
                           force_zip64=True)

    def write_lines(self, lines: list[bytes]) -> None:
        if not lines:
            return
        data = b"\n".join(lines) + b"\n"
        self._hash.update(data)
        self._fh.write(data)
        self.member.count += len(lines)
        self.member.bytes += len(data)

    def close(self) -> None:
        self._fh.close()
        self.member.sha256 = self._hash.hexdigest()


class BundleWriter:
    """Use as a context manager; call `commit(manifest)` to finish, else nothing is left."""

    def __init__(self, out: Path, recipient: X25519PublicKey, *, opener: Opener | None = None
                 ) -> None:
        self.out = Path(out)
        self.members: list[Member] = []
        directory = self.out.parent
        if not directory.is_dir():
            raise BundleError(f"the folder {directory} does not exist")
        self.tmp = temp_beside(self.out)
        self._sink: BinaryIO = (opener or _open_exclusive)(self.tmp)
        try:
            self._crypt = EncryptingWriter(self._sink, recipient)
            self._zip = zipfile.ZipFile(self._crypt, "w",  # type: ignore[call-overload]
                                        compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        except BaseException:
            with contextlib.suppress(Exception):
                self._sink.close()
            self.tmp.unlink(missing_ok=True)
            raise
        self._open: _MemberStream | None = None
        self.digest = ""
        self.ack_key = self._crypt.ack_key
        self.done = False

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.done:
            self.abort()

    def member(self, name: str, entity: str) -> _MemberStream:
        self.close_member()
        member = Member(name, entity)
        self.members.append(member)
        self._open = _MemberStream(self._zip, member)
        return self._open

    def close_member(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None

    def commit(self, manifest: dict[str, Any], signer: Signer | None = None) -> str:
        """Write the manifest (and, with a `signer`, the device's signature over it), seal,
        fsync and move into place. Returns the bundle digest."""
        self.close_member()
        manifest = dict(manifest, format=FORMAT, format_version=FORMAT_VERSION,
                        members=[m.as_dict() for m in self.members])
        body = orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        self.digest = hashlib.sha256(body).hexdigest()
        self._zip.writestr(zipfile.ZipInfo(MANIFEST, date_time=(2000, 1, 1, 0, 0, 0)), body)
        if signer is not None:
            self._zip.writestr(zipfile.ZipInfo(SIGNATURE, date_time=(2000, 1, 1, 0, 0, 0)),
                               signature_member(signer, body))
        self._zip.close()
        self._crypt.finish()
        self._sink.flush()
        os.fsync(self._sink.fileno())
        self._sink.close()
        move_into_place(self.tmp, self.out, synced=True)
        self.done = True
        return self.digest

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._zip.close()
        with contextlib.suppress(Exception):
            self._sink.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink()
        self.done = True




@dataclass
class Bundle:
    manifest: dict[str, Any]
    digest: str
    ack_key: bytes
    members: dict[str, bytes] = field(default_factory=dict)
    # The manifest's exact bytes and the device's signature over them (None: unsigned).
    manifest_body: bytes = b""
    signature: bytes | None = None

    @property
    def export_id(self) -> str:
        return str(self.manifest["export_id"])

    @property
    def device_id(self) -> str:
        return str(self.manifest["device_id"])

    def lines(self, name: str) -> list[bytes]:
        data = self.members[name]
        return data.split(b"\n")[:-1] if data else []


REQUIRED = {
    "format": str, "format_version": int, "app_version": str, "schema_revision": str,
    "device_id": str, "practitioner_id": str, "export_id": str, "created_at": str,
    "since_seq": int, "until_seq": int, "full": bool, "pseudonymised": bool, "members": list,
}


# Bounds on what a bundle may be (docs/hardening.md): the file, and what its zip unpacks to.
# A 100,000-record export is about 15 MB on disk and 60 MB unpacked.
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024


def read_bundle(path: Path | bytes, private: X25519PrivateKey) -> Bundle:
    if isinstance(path, bytes):
        data = path
        if len(data) > MAX_BUNDLE_BYTES:
            raise BundleError("the bundle is larger than a bundle can be")
    else:
        # The mark is checked on the first bytes and the size before anything else is read.
        data = read_bounded(path, limit=MAX_BUNDLE_BYTES, error=BundleError, what="bundle",
                            magic=(MAGIC,), magic_problem="not a Wellbeing sync bundle (the "
                            "file does not start with its mark)", named=False)
    opened = decrypt(data, private)
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(opened.plaintext))
        check_zip(zf, limit=MAX_UNPACKED_BYTES, error=BundleError, where="the bundle")
        names = zf.namelist()
        if MANIFEST not in names:
            raise BundleError("the bundle has no manifest")
        body = zf.read(MANIFEST)
        try:
            manifest = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise BundleError("the bundle's manifest is not valid JSON") from exc
        _check_manifest(manifest)
        listed = {m["name"]: m for m in manifest["members"]}
        extra = sorted(set(names) - set(listed) - {MANIFEST, SIGNATURE})
        if extra:
            raise BundleError(f"the bundle holds files its manifest does not list: {extra[0]}")
        if len(names) != len(set(names)):
            raise BundleError("the bundle holds a file twice")
        members: dict[str, bytes] = {}
        for name, meta in listed.items():
            if name not in names:
                raise BundleError(f"the bundle is missing {name}")
            content = zf.read(name)
            if len(content) != meta["bytes"] or hashlib.sha256(content).hexdigest() != meta["sha256"]:
                raise BundleError(f"{name} does not match its checksum in the manifest")
            if content.count(b"\n") != meta["count"]:
                raise BundleError(f"{name} does not hold the number of records the manifest says")
            members[name] = content
        signature = None
        if SIGNATURE in names:
            if zf.getinfo(SIGNATURE).file_size > MAX_SIGNATURE_BYTES:
                raise BundleError("the bundle's signature is larger than a signature can be")
            signature = zf.read(SIGNATURE)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, KeyError) as exc:
        if isinstance(exc, BundleError):
            raise
        raise BundleError(f"the bundle's contents are damaged ({type(exc).__name__})") from exc
    return Bundle(manifest, hashlib.sha256(body).hexdigest(), opened.ack_key, members, body,
                  signature)


def _check_manifest(manifest: Any) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError("the bundle's manifest is not a Wellbeing sync manifest")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BundleError(f"bundle format version {version} is not supported "
                          f"(this program reads version {FORMAT_VERSION})")
    for key, kind in REQUIRED.items():
        if not isinstance(manifest.get(key), kind) or (kind is int and isinstance(
                manifest.get(key), bool)):
            raise BundleError(f"the bundle's manifest has no valid {key}")
    for member in manifest["members"]:
        ok = (isinstance(member, dict) and isinstance(member.get("name"), str)
              and isinstance(member.get("entity"), str) and isinstance(member.get("sha256"), str)
              and isinstance(member.get("count"), int) and isinstance(member.get("bytes"), int))
        if not ok:
            raise BundleError("the bundle's manifest lists a member badly")
