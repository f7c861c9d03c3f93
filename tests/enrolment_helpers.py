"""Enrolling test devices at the centre (issue 13: the centre merges only enrolled devices).

Each device writes its real enrolment file and the centre enrols it through the service, so
the tests that merge go through the same path a central team does. `merge_enrolled` enrols
the devices whose bundles it merges (known from `register`, or given), then merges.
"""

from __future__ import annotations

import tempfile
import weakref
from pathlib import Path
from typing import Any

from wellbeing_desktop.services import sync
from wellbeing_desktop.services.app import AppContext

_KNOWN: list[weakref.ref[AppContext]] = []  # AppContext is a dataclass: not hashable


def register(ctx: AppContext) -> AppContext:
    _KNOWN[:] = [r for r in _KNOWN if r() is not None]
    _KNOWN.append(weakref.ref(ctx))
    return ctx


def enrol(url: str, *contexts: AppContext) -> None:
    for ctx in contexts:
        folder = Path(tempfile.mkdtemp(prefix="enrolment-"))
        written = sync.write_enrolment(ctx, folder / "device.enrolment.json")
        sync.central_enrol(written.path, url, by="tests")


def _sender(path: Path, private_key: Path) -> str | None:
    from wellbeing_desktop.sync import crypto
    from wellbeing_desktop.sync.bundle import read_bundle

    try:
        return read_bundle(Path(path), crypto.load_private_key(Path(private_key))).device_id
    except crypto.BundleError:
        return None


def merge_enrolled(bundles: list[Path], url: str, key_path: Path | str,
                   devices: tuple[AppContext, ...] = (), **kwargs: Any
                   ) -> list[sync.MergeOutcome]:
    """`sync.central_merge` after enrolling each bundle's device (once)."""
    candidates = [*devices, *(c for c in (r() for r in _KNOWN) if c is not None)]
    for path in bundles:
        sender = _sender(Path(path), Path(key_path))
        match = next((c for c in candidates if c.store.device_id == sender), None)
        if match is not None:
            enrol(url, match)
    return sync.central_merge(bundles, url, Path(key_path), **kwargs)
