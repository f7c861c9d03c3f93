"""Reading files that come from outside (bundles, acknowledgements, feeds, CSV packages, zip
members, backups) without trusting them: the kind and size are checked before any content is
read, content is read in bounded chunks (a file that grows, or a device such as /dev/zero, is
cut off at the limit), and a path named inside a package stays inside its folder.

Errors are made by the caller's `error` factory, so each layer raises its own kind
(`BundleError`, `FeedError`, …) with the file named.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath, PureWindowsPath

CHUNK = 1 << 20
ErrorFactory = Callable[[str], Exception]


def _mb(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n // 1024} KB"
    return f"{n / (1024 * 1024):.1f} MB" if n < 10 * 1024 * 1024 else f"{n // (1024 * 1024)} MB"


def a_or_an(what: str) -> str:
    """"a bundle", "an acknowledgement": the article by the word's first letter."""
    return f"{'an' if what[:1].lower() in 'aeiou' else 'a'} {what}"


def check_regular(path: Path, limit: int, error: ErrorFactory, what: str = "file",
                  *, named: bool = True) -> int:
    """The size of `path` if it is a regular file no larger than `limit`; else `error(...)`.
    Devices, pipes and sockets are refused (their size says nothing about what they hold).
    `named=False` when the caller's message already names the file."""
    p = f"{path.name}: " if named else ""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{p}no such {what}") from None
    except OSError as exc:
        raise error(f"{p}cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{p}not a regular file (a device, folder or pipe), so not {a_or_an(what)}")
    if info.st_size > limit:
        raise error(f"{p}the {what} is {_mb(info.st_size)}, more than the {_mb(limit)} "
                    "allowed")
    return info.st_size


def read_bounded(path: Path | str, *, limit: int, error: ErrorFactory, what: str = "file",
                 magic: Iterable[bytes] = (), magic_problem: str = "",
                 named: bool = True) -> bytes:
    """The whole content of a regular file of at most `limit` bytes. With `magic`, the file
    must start with one of those marks; that is checked on the first bytes, before the rest is
    read."""
    path = Path(path)
    p = f"{path.name}: " if named else ""
    check_regular(path, limit, error, what, named=named)
    marks = tuple(magic)
    try:
        with open(path, "rb") as fh:
            parts: list[bytes] = []
            total = 0
            if marks:
                head = fh.read(max(len(m) for m in marks))
                if not any(head.startswith(m) for m in marks):
                    raise error(magic_problem or f"{p}not {a_or_an(what)}")
                parts.append(head)
                total = len(head)
            while True:
                chunk = fh.read(min(CHUNK, limit + 1 - total))
                if not chunk:
                    break
                parts.append(chunk)
                total += len(chunk)
                if total > limit:  # it grew while we read: still never more than the limit
                    raise error(f"{p}the {what} is more than the {_mb(limit)} allowed")
    except OSError as exc:
        raise error(f"{p}cannot be read ({exc.strerror})") from None
    return b"".join(parts)


def unsafe_member_name(name: str) -> str | None:
    """Why a path named inside a package (zip member, datapackage resource) is not allowed:
    absolute, a drive, a backslash path, or climbing out with `..`. None when it is fine."""
    if not name or "\x00" in name:
        return "an empty name"
    if "\\" in name or PureWindowsPath(name).drive:
        return "a Windows path"
    posix = PurePosixPath(name)
    if posix.is_absolute():
        return "an absolute path"
    if ".." in posix.parts:
        return "a path that leaves the package (`..`)"
    return None


def confined(folder: Path, name: str, error: ErrorFactory, where: str) -> Path:
    """`folder / name`, refused when `name` is unsafe or resolves (through links) outside."""
    problem = unsafe_member_name(name)
    if problem:
        raise error(f"{where}: {name!r} is {problem}; only files inside the package are read")
    root = folder.resolve()
    target = (root / name).resolve()
    if target != root and root not in target.parents:
        raise error(f"{where}: {name!r} links to a file outside the package")
    return target


def check_zip(archive: zipfile.ZipFile, *, limit: int, error: ErrorFactory, where: str,
              ratio: int = 200) -> list[zipfile.ZipInfo]:
    """The members of `archive`, after checking every name is safe, none is a link, and the
    declared sizes stay under `limit` in total and under `ratio` times their compressed size
    (a zip bomb). zipfile never yields more than a member's declared size."""
    infos = archive.infolist()
    total = 0
    for info in infos:
        problem = unsafe_member_name(info.filename)
        if problem:
            raise error(f"{where}: the member {info.filename!r} is {problem}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise error(f"{where}: the member {info.filename!r} is a link")
        total += info.file_size
        if total > limit:
            raise error(f"{where}: the contents unpack to more than the {_mb(limit)} allowed")
        if info.file_size > 1024 * 1024 and info.file_size > ratio * max(1, info.compress_size):
            raise error(f"{where}: the member {info.filename!r} expands {info.file_size} bytes "
                        f"from {info.compress_size} (a zip bomb?)")
    return infos
