"""The central records key: the desktop's setting and the central team's key generation."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.storage.files import PRIVATE, SHARED, atomic_write
from wellbeing_desktop.sync import crypto
from wellbeing_desktop.sync.crypto import BundleError


def central_key_text(ctx: AppContext) -> str:
    return str(ctx.settings.section("sync").get("central_public_key") or "")


def _fingerprint(text: str) -> str:
    try:
        return crypto.fingerprint(crypto.parse_public_key(text)) if text else ""
    except BundleError:
        return ""


def set_central_key(ctx: AppContext, text: str) -> Changed:
    permissions.require(ctx.actor, "settings.edit")
    value = text.strip()
    if value:
        try:
            value = crypto.format_public_key(crypto.parse_public_key(value))
        except BundleError as exc:
            raise ValidationError([FieldProblem("central_public_key",
                                                str(exc).capitalize() + ".")]) from None
    ctx.settings.section("sync")["central_public_key"] = value
    ctx.settings.save()
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "settings.sync_key", detail=_fingerprint(value))
    return Changed.of("settings", "sync")


@dataclass(frozen=True)
class KeygenResult:
    private_key: Path
    public_key: Path
    public_text: str
    fingerprint: str


def keygen(out_dir: Path | str) -> KeygenResult:
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    private, public = directory / "central-private.pem", directory / "central-public.txt"
    for path in (private, public):
        if path.exists():
            raise ValidationError([FieldProblem(
                "out", f"{path} already exists; keys are never overwritten.")])
    pair = crypto.generate_keypair()
    # The private key is created exclusively (never over a key that appeared meanwhile).
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pair.private_pem)
        fh.flush()
        os.fsync(fh.fileno())
    atomic_write(public, pair.public_text + "\n", mode=SHARED)  # meant to be handed out
    fp = crypto.fingerprint(crypto.parse_public_key(pair.public_text))
    return KeygenResult(private, public, pair.public_text, fp)
