"""Fuzzing the readers of outside files (issue 13): the bundle reader, the feed readers (JSON
and CSV packages) and the acknowledgement reader. Whatever the bytes, each raises only its own
clear error (or reads the input); never another exception, never a hang.

Brief in `make test` (60 examples each, the ci profile); longer on demand:
`WELLBEING_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/security/test_fuzz_readers.py`.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wellbeing_desktop.oruk import reader
from wellbeing_desktop.sync import central, crypto
from wellbeing_desktop.sync.bundle import BundleWriter, read_bundle

EXAMPLES = int(os.environ.get("WELLBEING_FUZZ_EXAMPLES", "0")) or None
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
                ) if EXAMPLES else settings(suppress_health_check=[
                    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
PRIVATE = crypto.X25519PrivateKey.generate()
ORUK = Path(__file__).resolve().parents[1] / "directory" / "data" / "oruk"


def _valid_bundle(tmp: Path) -> bytes:
    out = tmp / "seed.wbsync"
    out.unlink(missing_ok=True)
    with BundleWriter(out, PRIVATE.public_key()) as writer:
        writer.member("clients.ndjson", "clients").write_lines([b"{\"id\": \"1\"}", b"{\"id\": \"2\"}"])
        writer.commit({"app_version": "0", "schema_revision": "0001", "device_id": "d",
                       "practitioner_id": "", "export_id": "e", "created_at": "2026-01-01",
                       "since_seq": 0, "until_seq": 2, "full": True, "pseudonymised": False})
    return out.read_bytes()


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    raw = bytearray(data)
    for where, value in edits:
        if raw:
            raw[where % len(raw)] = value
    return bytes(raw[:cut] if cut is not None else raw)


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
       cut=st.none() | st.integers(0, 4000), noise=st.binary(max_size=300))
def test_bundle_reader_refuses_clearly(tmp_path: Path, edits: list[tuple[int, int]],
                                       cut: int | None, noise: bytes) -> None:
    seed = _valid_bundle(tmp_path)
    for data in (_mutate(seed, edits, cut), crypto.MAGIC + noise, noise):
        try:
            read_bundle(data, PRIVATE)
        except crypto.BundleError:
            pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "name", "contents", "service", "organization", "schedules",
                         "phones", "resources", "path", "status"]) | st.text(max_size=4),
        inner, max_size=5), max_leaves=20)


@FUZZ
@given(value=json_values, raw=st.binary(max_size=200))
def test_feed_json_reader_refuses_clearly(value: Any, raw: bytes) -> None:
    for data in (json.dumps(value).encode(), raw):
        try:
            reader.read_json_bytes(data, "feed.json")
        except reader.FeedError:
            pass


@FUZZ
@given(package=json_values, csv_text=st.text(max_size=300),
       path=st.sampled_from(["services.csv", "../x.csv", "/etc/passwd", "a\\b.csv", ""]))
def test_feed_csv_package_reader_refuses_clearly(tmp_path: Path, package: Any, csv_text: str,
                                                path: str) -> None:
    meta = {"resources": [{"name": "service", "path": path},
                          {"name": "organization", "path": "organizations.csv"}]}
    files = {"services.csv": csv_text.encode(),
             "organizations.csv": (ORUK / "csv" / "organizations.csv").read_bytes()}
    for doc in (meta, package):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("datapackage.json", json.dumps(doc))
            for name, body in files.items():
                zf.writestr(name, body)
        target = tmp_path / "package.zip"
        target.write_bytes(buf.getvalue())
        try:
            reader.read(target)
        except reader.FeedError:
            pass


@FUZZ
@given(value=json_values, raw=st.binary(max_size=300))
def test_acknowledgement_reader_refuses_clearly(tmp_path: Path, value: Any, raw: bytes) -> None:
    wrapped = {"acknowledgement": value, "signature": "00"}
    for data in (json.dumps(value).encode(), json.dumps(wrapped).encode(), raw):
        try:
            central.read_ack(data)
        except crypto.BundleError:
            pass
        target = tmp_path / "ack.json"
        target.write_bytes(data)
        try:
            central.read_ack_file(target)
        except crypto.BundleError:
            pass


@pytest.mark.parametrize("name", ["service_full.json", "organization_list.json"])
def test_the_seeds_are_read(name: str) -> None:
    """The fuzzers start from real inputs that do read."""
    assert reader.read(ORUK / name).record_count > 0
