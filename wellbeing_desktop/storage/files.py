"""Writing files so that a crash or a full disk leaves the old file or the new one, never half.

Every layer that writes a file uses these (the GUI through `services.files`): a temporary file
in the same folder (a rename is only atomic within one file system), the data fsynced, renamed
over the target, then the folder fsynced so the rename itself survives a power cut. Files that
hold records are created 0600 (owner only); the temp file has that mode from its first byte.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

PRIVATE = 0o600  # records, settings, keys, bundles, documents about a person
SHARED = 0o644  # meant to be handed on: a public key, the published directory


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable. Windows cannot open a folder; its
    file system journals renames itself, so there is nothing to do there."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (and Windows) refuse fsync on a folder
    finally:
        os.close(fd)


def temp_beside(target: Path) -> Path:
    """A fresh, unused name for a temporary file in the target's folder (`.name.XXXX.partial`,
    hidden, so a half-written file is never mistaken for a finished one)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)
    return Path(tmp)


def move_into_place(tmp: Path, target: Path, *, synced: bool = False) -> None:
    """Move a finished temporary file (e.g. a database copy made by SQLite) over `target`:
    fsync it (unless the writer already did), rename, fsync the folder."""
    if not synced:
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
    os.replace(tmp, target)
    fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_file(path: Path | str, *, mode: int = PRIVATE) -> Iterator[BinaryIO]:
    """Write `path` through a binary handle; it replaces the old file only when the block
    ends without an error. On any error the old file is untouched and the temp file gone."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        if hasattr(os, "fchmod"):  # POSIX; on Windows the file inherits the folder's ACL
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def atomic_write(path: Path | str, data: bytes | str, *, mode: int = PRIVATE) -> None:
    """Replace `path` with `data` (text is written as UTF-8) all at once or not at all."""
    body = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_file(path, mode=mode) as fh:
        fh.write(body)
