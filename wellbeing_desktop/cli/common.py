"""Shared plumbing for `wellbeing` commands: context, output, errors."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

import orjson

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import WellbeingError

PASSPHRASE_ENV = "WELLBEING_PASSPHRASE"


class CommandError(WellbeingError):
    """A command-line problem (bad arguments, missing file)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


USER_ENV = "WELLBEING_USER"


@contextlib.contextmanager
def open_context(args: argparse.Namespace) -> Iterator[AppContext]:
    """`with open_context(args) as ctx:` the store named by `--data-dir`,
    `WELLBEING_DATA_DIR` or platformdirs, closed however the block ends.

    An encrypted store is opened by signing in: the passphrase from `WELLBEING_PASSPHRASE` or
    a prompt, as the account named by `WELLBEING_USER` (else whichever account it opens).
    """
    from wellbeing_desktop.services import auth, logs
    from wellbeing_desktop.storage import paths

    directory = paths.data_dir(getattr(args, "data_dir", None))
    if auth.store_state(directory) is auth.StoreState.ENCRYPTED:
        secret = passphrase()
        user = os.environ.get(USER_ENV, "").strip()
        ctx = auth.login(directory, user, secret) if user else auth.login_any(directory, secret)
    else:
        ctx = AppContext.open(directory)
    try:
        logs.configure(ctx.data_dir)
        yield ctx
    finally:
        _anchor(ctx)
        ctx.close()


def _anchor(ctx: AppContext) -> None:
    """Where the audit chain reached, kept outside the database (services/audit.py). Never
    fails the command: `audit verify` says when the chain is not anchored."""
    from wellbeing_desktop.services import audit

    try:
        audit.record_anchor(ctx)
    except Exception:
        pass


def passphrase(prompt: str = "Passphrase: ") -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CommandError(f"no passphrase: set {PASSPHRASE_ENV} or run in a terminal")
    import getpass

    return getpass.getpass(prompt)


NEW_PASSPHRASE_ENV = "WELLBEING_NEW_PASSPHRASE"


def new_passphrase(whose: str = "New passphrase") -> str:
    """A passphrase being set for an account: `WELLBEING_NEW_PASSPHRASE`, else asked twice.

    Never `WELLBEING_PASSPHRASE`: that one signs the current user in, and taking it here gave a
    new user the supervisor's passphrase (issue 13)."""
    value = os.environ.get(NEW_PASSPHRASE_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CommandError(f"no passphrase for the account: set {NEW_PASSPHRASE_ENV} "
                           "or run in a terminal")
    import getpass

    first = getpass.getpass(f"{whose}: ")
    if getpass.getpass(f"{whose} again: ") != first:
        raise CommandError("the two passphrases are different")
    return first


def emit(args: argparse.Namespace, data: Any, text: str | None = None) -> None:
    """Print `data` as JSON with `--json`, else `text` (or a plain rendering of `data`)."""
    if getattr(args, "json", False):
        sys.stdout.buffer.write(
            orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
            + b"\n"
        )
        sys.stdout.flush()
    else:
        print(text if text is not None else data)


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print results as JSON")
