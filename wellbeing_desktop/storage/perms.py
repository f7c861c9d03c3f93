"""Private files and folders: data folders 0700, files 0600 on POSIX (DESIGN §7).

The records must not be readable by other accounts on a shared computer, whatever the umask.
SQLite gives a database's `-wal` and `-shm` files the mode of the database itself, so creating
the database 0600 covers them. On Windows the per-user profile folders the app uses are already
private to the user (their ACL grants the user, SYSTEM and Administrators only); modes are not
changed there (docs/hardening.md).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

POSIX = os.name == "posix"
DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if missing; the folder itself is made 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if POSIX:
        try:
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                os.chmod(path, DIR_MODE)
        except PermissionError:  # a folder we do not own (e.g. /tmp given by mistake): leave it
            pass
    return path


def private_file(path: Path) -> None:
    """Make an existing file 0600 (no-op when missing)."""
    if POSIX:
        try:
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                os.chmod(path, FILE_MODE)
        except (FileNotFoundError, PermissionError):
            pass


def precreate(path: Path) -> None:
    """Create an empty file 0600 if none is there yet, so whoever fills it (SQLite, a log
    handler) keeps that mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        private_file(path)
        return
    os.close(fd)


@dataclass(frozen=True)
class LooseMode:
    path: Path
    mode: int

    def __str__(self) -> str:
        return f"{self.path} is {self.mode:o}"


def loose_modes(*roots: Path, limit: int = 20) -> list[LooseMode]:
    """Folders not 0700 and files not 0600 (group or others may read them) under `roots`."""
    found: list[LooseMode] = []
    if not POSIX:
        return found
    for root in roots:
        if not root.exists():
            continue
        for current, dirs, files in os.walk(root):
            for name in [current, *(os.path.join(current, f) for f in files)]:
                try:
                    info = os.lstat(name)
                except OSError:
                    continue
                if stat.S_ISLNK(info.st_mode):
                    continue
                if stat.S_IMODE(info.st_mode) & 0o077:
                    found.append(LooseMode(Path(name), stat.S_IMODE(info.st_mode)))
                    if len(found) >= limit:
                        return found
            dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(current, d))]
    return found
