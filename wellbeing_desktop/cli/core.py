"""`init`, `demo-data`, `self-test`: the foundation's commands."""

from __future__ import annotations

import argparse
import sys

from wellbeing_desktop.cli.common import add_json, emit, open_context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="create or upgrade the store")
    p.add_argument("--demo", action="store_true", help="add the demo data set")
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


def cmd_init(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services.demo import ensure_demo_setup, load_demo
    from wellbeing_desktop.storage import migrate

    with open_context(args) as ctx:
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
        }
        text = f"Store ready at {ctx.store.db_path} (schema {info['revision']})"
        if result:
            text += f"; added {result.clients} demo clients and {result.services} services"
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
