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
from wellbeing_desktop.cli import core
from wellbeing_desktop.services.errors import WellbeingError

log = logging.getLogger("wellbeing_desktop.cli")

# Each area registers its own sub-commands; see the module for its commands.
AREAS = ("clients", "measures", "directory", "packs", "translations", "sync", "security")


def command_modules() -> list[ModuleType]:
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wellbeing", description="Wellbeing Desktop command line")
    parser.add_argument("--version", action="version", version=f"wellbeing {__version__}")
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
    parser = build_parser()
    args = parser.parse_args(argv)
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
