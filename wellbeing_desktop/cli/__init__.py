"""The `wellbeing` command (DESIGN §8): a contract that tests and central teams script against.

Every command: exit 0 on success; otherwise a one-line error on stderr and a non-zero code;
never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from wellbeing_desktop import __version__
from wellbeing_desktop.services.errors import WellbeingError

log = logging.getLogger("wellbeing_desktop.cli")

# Each area registers its own sub-commands; see the module for its commands.
AREAS = ("clients", "measures", "directory", "packs", "translations", "handouts", "sync", "security",
         "referrals")


def command_modules() -> list[ModuleType]:
    from wellbeing_desktop.cli import core

    modules: list[ModuleType] = [core]
    for name in AREAS:
        try:
            modules.append(importlib.import_module(f"wellbeing_desktop.cli.{name}"))
        except ModuleNotFoundError as exc:  # an area whose commands have not arrived yet
            if exc.name != f"wellbeing_desktop.cli.{name}":
                raise
    return modules


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, no usage dump: scripts read stderr.
        self.exit(2, f"wellbeing: {message} (see `{self.prog} --help`)\n")


def version_info() -> dict[str, str]:
    """What `wellbeing --version` reports, without importing SQLAlchemy, Alembic or Qt (the
    schema head is a constant; Qt for Python's version is read from its package files)."""
    import platform

    from wellbeing_desktop.storage.migrate import HEAD

    return {"version": __version__, "schema_revision": HEAD,
            "python": platform.python_version(), "qt": _qt_version()}


def _qt_version() -> str:
    import importlib.util
    import re
    from pathlib import Path

    spec = importlib.util.find_spec("PySide6")  # finds the package without running it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        config = Path(folder) / "_config.py"
        if config.is_file():
            found = re.search(r'^version = "([^"]+)"', config.read_text(encoding="utf-8"), re.M)
            if found:
                return found.group(1)
    return "unknown"


def _print_version(as_json: bool) -> int:
    info = version_info()
    if as_json:
        import json

        print(json.dumps(info, indent=2))
    else:
        print(f"wellbeing {info['version']} (schema {info['schema_revision']}, "
              f"Python {info['python']}, Qt for Python {info['qt']})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wellbeing", description="Wellbeing Desktop command line")
    parser.add_argument("--version", action="store_true",
                        help="print the version, schema revision, Python and Qt (with --json)")
    parser.add_argument("--data-dir", help="data directory (default: WELLBEING_DATA_DIR or the "
                        "platform's user data folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in command_modules():
        module.register(sub)
    for child in sub.choices.values():
        _add_data_dir(child)
    return parser


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    """`--data-dir` works before or after the command name, at every level."""
    if not any("--data-dir" in a.option_strings for a in parser._actions):
        parser.add_argument("--data-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _add_data_dir(child)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if "--version" in words and all(w in ("--version", "--json") for w in words):
        return _print_version("--json" in words)  # before the parser: it imports every area
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "version", False) and not getattr(args, "func", None):
        return _print_version(False)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except WellbeingError as exc:
        print(f"wellbeing: {exc}", file=sys.stderr)
        return int(getattr(exc, "exit_code", 1))
    except KeyboardInterrupt:
        print("wellbeing: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"wellbeing: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except Exception as exc:
        import traceback

        frames = traceback.extract_tb(exc.__traceback__)[-6:]
        where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames))
        # Only the type and place: the message may carry client details.
        log.error("unexpected error in %s: %s at %s", args.command, type(exc).__name__, where)
        print(f"wellbeing: internal error ({type(exc).__name__}); details are in the log file",
              file=sys.stderr)
        return 70
