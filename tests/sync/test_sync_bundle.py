"""The bundle file: encryption, manifest and checksums; every kind of bad file is refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sync_helpers import Keys, add_client

from wellbeing_desktop.services import sync
from wellbeing_desktop.sync import crypto
from wellbeing_desktop.sync.bundle import BundleWriter, read_bundle
from wellbeing_desktop.sync.crypto import BundleError


def _bundle_bytes(tmp_path: Path, keys: Keys, payload: bytes = b"") -> bytes:
    out = tmp_path / "b.wbsync"
    with BundleWriter(out, crypto.parse_public_key(keys.public)) as writer:
        stream = writer.member("clients.ndjson", "clients")
        if payload:
            stream.write_lines(payload.split(b"\n"))
        writer.commit(_manifest())
    return out.read_bytes()


def _manifest() -> dict[str, object]:
    return {"app_version": "t", "schema_revision": "0001", "device_id": "d", "practitioner_id": "",
            "export_id": "00000000-0000-4000-8000-000000000001", "created_at": "2026-11-26",
            "since_seq": 0, "until_seq": 1, "full": True, "pseudonymised": False}


def test_round_trip_checks_every_member(tmp_path: Path, keys: Keys) -> None:
    data = _bundle_bytes(tmp_path, keys, b'{"a": 1}\n{"a": 2}')
    bundle = read_bundle(data, crypto.load_private_key(keys.private))
    assert bundle.lines("clients.ndjson") == [b'{"a": 1}', b'{"a": 2}']
    member = bundle.manifest["members"][0]
    assert member["count"] == 2 and member["entity"] == "clients" and len(member["sha256"]) == 64
    assert not (tmp_path / "b.wbsync").read_bytes().count(b'"a": 1')  # nothing readable


def test_large_bundle_spans_chunks_and_a_missing_last_chunk_is_called_truncated(
        tmp_path: Path, keys: Keys) -> None:
    import os

    lines = b"\n".join(orjson.dumps({"n": os.urandom(40).hex()}) for _ in range(30_000))
    data = _bundle_bytes(tmp_path, keys, lines)
    private = crypto.load_private_key(keys.private)
    assert len(read_bundle(data, private).lines("clients.ndjson")) == 30_000
    assert len(data) > 2 * crypto.CHUNK
    cut = crypto.HEADER.size + crypto.CHUNK + crypto.TAG  # exactly one whole chunk kept
    with pytest.raises(BundleError, match="truncated"):
        read_bundle(data[:cut], private)
    with pytest.raises(BundleError, match=r"cut short|truncated"):
        read_bundle(data[:-100], private)


def test_wrong_key_is_named(tmp_path: Path, keys: Keys) -> None:
    data = _bundle_bytes(tmp_path, keys)
    other = sync.keygen(tmp_path / "other")
    with pytest.raises(BundleError, match="encrypted for another central key"):
        read_bundle(data, crypto.load_private_key(other.private_key))


def test_wrong_version_and_not_a_bundle(tmp_path: Path, keys: Keys) -> None:
    data = bytearray(_bundle_bytes(tmp_path, keys))
    private = crypto.load_private_key(keys.private)
    data[7] = 9  # the format version's low byte
    with pytest.raises(BundleError, match="encryption version 9 is not supported"):
        read_bundle(bytes(data), private)
    with pytest.raises(BundleError, match="not a Wellbeing sync bundle"):
        read_bundle(b"PK\x03\x04 a zip file, not a bundle", private)


@settings(max_examples=40)
@given(position=st.floats(0, 1, exclude_max=True), bit=st.integers(0, 7))
def test_any_flipped_bit_is_refused(tmp_path_factory: pytest.TempPathFactory, keys_once: Keys,
                                    position: float, bit: int) -> None:
    data = bytearray(_cached_bundle(tmp_path_factory, keys_once))
    index = int(position * len(data))
    data[index] ^= 1 << bit
    with pytest.raises(BundleError):
        read_bundle(bytes(data), crypto.load_private_key(keys_once.private))


_CACHE: dict[str, bytes] = {}


def _cached_bundle(factory: pytest.TempPathFactory, keys: Keys) -> bytes:
    if keys.public not in _CACHE:
        _CACHE[keys.public] = _bundle_bytes(factory.mktemp("flip"), keys, b'{"x": "y"}\n{"z": 1}')
    return _CACHE[keys.public]


@pytest.fixture(scope="module")
def keys_once(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    made = sync.keygen(tmp_path_factory.mktemp("keys"))
    return Keys(made.private_key, made.public_text)


def _reencrypt(data: bytes, keys: Keys, change: callable) -> bytes:  # type: ignore[valid-type]
    """Decrypt with the real key, change the zip, encrypt again properly (an insider edit)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    opened = crypto.decrypt(data, crypto.load_private_key(keys.private))
    src = zipfile.ZipFile(io.BytesIO(opened.plaintext))
    members = {n: src.read(n) for n in src.namelist()}
    change(members)
    sink = io.BytesIO()
    recipient: X25519PublicKey = crypto.parse_public_key(keys.public)
    writer = crypto.EncryptingWriter(sink, recipient)
    with zipfile.ZipFile(writer, "w") as zf:  # type: ignore[call-overload]
        for name, body in members.items():
            zf.writestr(name, body)
    writer.finish()
    return sink.getvalue()


def test_validly_encrypted_but_edited_contents_fail_their_checksums(tmp_path: Path,
                                                                   keys: Keys) -> None:
    data = _bundle_bytes(tmp_path, keys, b'{"a": 1}')
    private = crypto.load_private_key(keys.private)

    def edit_member(m: dict[str, bytes]) -> None:
        m["clients.ndjson"] = b'{"a": 2}\n'

    def extra_member(m: dict[str, bytes]) -> None:
        m["evil.ndjson"] = b"{}\n"

    def drop_manifest(m: dict[str, bytes]) -> None:
        del m["manifest.json"]

    with pytest.raises(BundleError, match="does not match its checksum"):
        read_bundle(_reencrypt(data, keys, edit_member), private)
    with pytest.raises(BundleError, match=r"does not list: evil\.ndjson"):
        read_bundle(_reencrypt(data, keys, extra_member), private)
    with pytest.raises(BundleError, match="no manifest"):
        read_bundle(_reencrypt(data, keys, drop_manifest), private)


def test_public_key_forms(keys: Keys) -> None:
    key = crypto.parse_public_key(keys.public)
    bare = keys.public.split(":", 1)[1]
    assert crypto.fingerprint(crypto.parse_public_key(bare)) == crypto.fingerprint(key)
    with pytest.raises(BundleError, match="expected 32 bytes"):
        crypto.parse_public_key("d2VsbGJlaW5n")
    with pytest.raises(BundleError, match="base64"):
        crypto.parse_public_key("not a key!")


@pytest.mark.safety
def test_export_bundle_holds_no_plaintext(ctx: object, keys: Keys, tmp_path: Path) -> None:
    add_client(ctx, given="Zanele", family="Okafor")  # type: ignore[arg-type]
    out = tmp_path / "e.wbsync"
    sync.export(ctx, out, recipient=keys.public)  # type: ignore[arg-type]
    raw = out.read_bytes()
    assert b"Okafor" not in raw and b"clients" not in raw and b"manifest" not in raw
