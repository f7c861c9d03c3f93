"""Central side plumbing: opening the central database, and acknowledgement files.

The central records use the same models and migrations as the desktop: a SQLite file (the
default) or PostgreSQL (`postgresql+psycopg://`), brought to the head revision before a merge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from wellbeing_desktop.storage import migrate
from wellbeing_desktop.storage.engine import make_engine
from wellbeing_desktop.storage.files import atomic_write
from wellbeing_desktop.sync.bundle import Bundle
from wellbeing_desktop.sync.crypto import BundleError, sign_ack, verify_ack
from wellbeing_desktop.sync.merge import MergeResult

ACK_FORMAT = "wellbeing-sync-ack"
ACK_VERSION = 1


def open_central(url: str) -> Engine:
    """An engine over the central records at `url`, upgraded to the head revision."""
    if url.startswith("sqlite:///"):
        engine = make_engine(Path(url[len("sqlite:///"):]))
    elif url.startswith(("postgresql://", "postgresql+psycopg://")):
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        import importlib.util

        if importlib.util.find_spec("psycopg") is None:
            raise BundleError("PostgreSQL needs the central extra: install it with "
                              "pip install 'wellbeing-desktop[central]' (or use a SQLite file)")
        engine = create_engine(url, hide_parameters=True, poolclass=NullPool)
    elif "://" in url:
        raise BundleError(f"unsupported database URL {url.split('://')[0]}://; use a SQLite file "
                          "path, sqlite:///PATH or postgresql+psycopg://")
    else:
        path = Path(url)
        if not path.parent.is_dir():
            raise BundleError(f"the folder {path.parent} does not exist")
        engine = make_engine(path)
    try:
        migrate.upgrade(engine)
    except Exception as exc:
        engine.dispose()
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            raise BundleError(f"cannot open the central database: {_first_line(exc)}") from None
        raise
    return engine


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0][:200] if str(orig).strip() else type(exc).__name__


def ack_payload(bundle: Bundle, result: MergeResult, merged_at: str) -> dict[str, Any]:
    return {
        "format": ACK_FORMAT,
        "format_version": ACK_VERSION,
        "export_id": result.export_id,
        "device_id": bundle.device_id,
        "digest": bundle.digest,
        "status": "already merged" if result.replay else "merged",
        "merged_at": merged_at,
        "counts": result.first_merge or result.totals,
    }


def _canonical(payload: dict[str, Any]) -> bytes:
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


def write_ack(bundle: Bundle, result: MergeResult, merged_at: str, out: Path) -> Path:
    payload = ack_payload(bundle, result, merged_at)
    body = orjson.dumps(
        {"acknowledgement": payload, "signature": sign_ack(bundle.ack_key, _canonical(payload))},
        option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS,
    )
    atomic_write(out, body + b"\n")
    return out


MAX_ACK_BYTES = 64 * 1024  # an acknowledgement is about 1 KB


def read_ack_file(path: Path) -> tuple[dict[str, Any], str]:
    """`read_ack` of a file, its kind and size checked first (a JSON object, at most 64 KB),
    so a device or a huge file is refused at once."""
    from wellbeing_desktop.storage.inputs import read_bounded

    data = read_bounded(path, limit=MAX_ACK_BYTES, error=BundleError,
                        what="acknowledgement", magic=(b"{",), magic_problem=(
                            f"{path.name}: not an acknowledgement (it does not start with a "
                            "JSON object)"))
    return read_ack(data)


def read_ack(data: bytes) -> tuple[dict[str, Any], str]:
    """The acknowledgement and its signature (not yet verified: the desktop holds the key)."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise BundleError("the acknowledgement file is not valid JSON") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("acknowledgement"), dict) or \
            not isinstance(doc.get("signature"), str):
        raise BundleError("this is not a Wellbeing acknowledgement file")
    payload = doc["acknowledgement"]
    if payload.get("format") != ACK_FORMAT:
        raise BundleError("this is not a Wellbeing acknowledgement file")
    if payload.get("format_version") != ACK_VERSION:
        raise BundleError(f"acknowledgement version {payload.get('format_version')} is not "
                          "supported")
    for key in ("export_id", "device_id", "digest", "status", "merged_at"):
        if not isinstance(payload.get(key), str):
            raise BundleError(f"the acknowledgement has no valid {key}")
    if not isinstance(payload.get("counts"), dict):
        raise BundleError("the acknowledgement has no counts")
    return payload, doc["signature"]


def ack_is_authentic(payload: dict[str, Any], signature: str, ack_key: bytes) -> bool:
    return verify_ack(ack_key, _canonical(payload), signature)


