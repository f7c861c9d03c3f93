"""`init`, `demo-data`, `self-test`: the foundation's commands."""

from __future__ import annotations

import argparse
import contextlib
import sys

from wellbeing_desktop.cli.common import CommandError, add_json, emit, open_context
from wellbeing_desktop.services.app import AppContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="create (encrypted) or upgrade the store; prints the "
                       "recovery key once")
    p.add_argument("--demo", action="store_true", help="add the demo data set")
    p.add_argument("--username", help="the first supervisor's username (default: "
                   "WELLBEING_USER or your login name)")
    p.add_argument("--name", help="the first supervisor's full name (default: the username)")
    p.add_argument("--service", help="your service's name")
    p.add_argument("--plain", action="store_true", help="do not encrypt (tests and "
                   "throw-away stores only)")
    add_json(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo-data", help="add realistic synthetic data (at scale for benchmarks)")
    p.add_argument("--clients", type=int, default=40)
    p.add_argument("--services", type=int, default=80)
    p.add_argument("--seed", type=int, default=1)
    add_json(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("self-test", help="offscreen: open every screen, build every pack")
    add_json(p)
    p.set_defaults(func=cmd_self_test)


def _new_encrypted(args: argparse.Namespace) -> tuple[object, str]:
    """A new store encrypted from the start; the passphrase from WELLBEING_PASSPHRASE or asked
    twice."""
    import getpass
    import os

    from wellbeing_desktop.cli.common import PASSPHRASE_ENV, USER_ENV
    from wellbeing_desktop.services import logs, setup
    from wellbeing_desktop.services.demo import names
    from wellbeing_desktop.storage import paths

    directory = paths.data_dir(getattr(args, "data_dir", None))
    username = (args.username or os.environ.get(USER_ENV, "").strip() or getpass.getuser())
    secret = os.environ.get(PASSPHRASE_ENV)
    if secret is None:
        if not sys.stdin.isatty():
            raise CommandError(f"no passphrase: set {PASSPHRASE_ENV}, run in a terminal, or "
                               "give --plain for a store without encryption")
        secret = getpass.getpass(f"Passphrase for {username}: ")
        if getpass.getpass("The same passphrase again: ") != secret:
            raise CommandError("the two passphrases are different")
    demo_name, demo_service = ("Sam Okoye", names.SERVICE_NAME) if args.demo else ("", "")
    data = setup.SetupInput(args.service or demo_service or "Health and Wellbeing",
                            args.name or demo_name or username,
                            "Health and Wellbeing Lead", username=username, passphrase=secret)
    ctx, recovery = setup.first_run_encrypted(directory, data)
    logs.configure(ctx.data_dir)
    return ctx, recovery


def cmd_init(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import auth
    from wellbeing_desktop.services.demo import ensure_demo_setup, load_demo
    from wellbeing_desktop.storage import migrate, paths

    recovery = ""
    state = auth.store_state(paths.data_dir(getattr(args, "data_dir", None)))
    opened: contextlib.AbstractContextManager[AppContext]
    if state is auth.StoreState.NEW and not args.plain:
        made, recovery = _new_encrypted(args)
        assert isinstance(made, AppContext)
        opened = contextlib.closing(made)
    else:
        opened = open_context(args)
    with opened as ctx:
        result = None
        if args.demo:
            ensure_demo_setup(ctx)
            result = load_demo(ctx)
        info = {
            "data_dir": str(ctx.data_dir),
            "database": str(ctx.store.db_path),
            "revision": migrate.current_revision(ctx.store.engine),
            "device_id": ctx.store.device_id,
            "migrated": ctx.store.migrated,
            "demo_clients": result.clients if result else 0,
            "demo_services": result.services if result else 0,
            "encrypted": ctx.store.key is not None,
            "recovery_key": recovery or None,
        }
        text = f"Store ready at {ctx.store.db_path} (schema {info['revision']})"
        if result:
            text += f"; added {result.clients} demo clients and {result.services} services"
        if recovery:
            text += ("\nRecords encrypted. Your recovery key (shown once; print it and keep it "
                     f"locked away):\n{recovery}")
        elif ctx.store.key is None:
            text += ("\nThese records are NOT encrypted: run `wellbeing secure --username U` "
                     "to protect them")
        emit(args, info, text)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    import time

    from wellbeing_desktop.services.demo import ensure_demo_setup, load_demo

    with open_context(args) as ctx:
        ensure_demo_setup(ctx)
        started = time.perf_counter()
        result = load_demo(ctx, clients=args.clients, services=args.services, seed=args.seed)
        seconds = time.perf_counter() - started
        emit(
            args,
            {"clients": result.clients, "services": result.services, "seconds": round(seconds, 3)},
            f"Added {result.clients} clients and {result.services} services in {seconds:.1f} s",
        )
    return 0


def cmd_self_test(args: argparse.Namespace) -> int:
    # The one cli → ui import, lazy (allowed by a documented ignore in the layers contract).
    from wellbeing_desktop.ui.selftest import run_self_test

    report = run_self_test(getattr(args, "data_dir", None))
    emit(args, report.as_dict(), report.text())
    if not report.ok:
        print(f"wellbeing: self-test failed: {report.first_failure()}", file=sys.stderr)
        return 1
    return 0
