"""Demo data: a fictional town with realistic, varied, invented content.

Each area contributes a generator; they run in order in one transaction, so a failed run
leaves nothing behind. Generators use Core inserts (DESIGN §9: 50,000 clients in ≤ 20 s).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from wellbeing_desktop.services import audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.demo import (
    casework,
    courses,
    directory,
    intake,
    measures,
    people,
    signposting,
)
from wellbeing_desktop.services.demo import sync as sync_history
from wellbeing_desktop.services.demo.context import DemoContext, Progress
from wellbeing_desktop.services.errors import Changed, ValidationError
from wellbeing_desktop.storage.bulk import paused_gc

DEFAULT_CLIENTS = 40
DEFAULT_SERVICES = 80

# (label, generator) in dependency order.
STEPS: list[tuple[str, Callable[[DemoContext], None]]] = [
    ("practitioners", people.generate_practitioners),
    ("directory", directory.generate),
    ("clients and referrals", people.generate_clients),
    ("casework", casework.generate),
    ("measures", measures.generate),
    ("courses and physical health", courses.generate),
    ("signposting", signposting.generate),
    ("sync history", sync_history.generate),
    ("waiting list history", intake.generate),
]


@dataclass(frozen=True)
class DemoResult:
    clients: int
    services: int
    practitioners: int
    changed: Changed


def load_demo(
    ctx: AppContext,
    *,
    clients: int = DEFAULT_CLIENTS,
    services: int = DEFAULT_SERVICES,
    seed: int = 1,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    if clients < 0 or services < 0:
        raise ValidationError("--clients and --services must be zero or more")
    if clients > 1_000_000 or services > 200_000:
        raise ValidationError("demo data is limited to 1,000,000 clients and 200,000 services")
    with ctx.store.session() as session:
        conn = session.connection()
        demo = DemoContext(
            conn=conn,
            rng=random.Random(seed),
            device_id=ctx.store.device_id,
            today=today or date.today(),
            clients=clients,
            services=services,
            large=clients > 1000,
        )
        with paused_gc():
            for number, (label, step) in enumerate(STEPS):
                if progress:
                    progress(int(100 * number / len(STEPS)), f"Adding {label}…")
                step(demo)
        audit.record(session, ctx.actor, "demo_data", detail=f"clients={clients} services={services}")
    if progress:
        progress(100, "Demo data ready")
    return DemoResult(
        clients=len(demo.client_ids),
        services=len(demo.service_ids),
        practitioners=len(demo.practitioner_ids),
        changed=Changed.of("practitioner", "client", "referral", "directory"),
    )


def ensure_demo_setup(ctx: AppContext) -> None:
    """Complete the first-run set-up with the demo town's service and lead, if not done yet
    (the demo data, `wellbeing init --demo` and both self-tests need a set-up store)."""
    from wellbeing_desktop.services import setup
    from wellbeing_desktop.services.demo import names

    if setup.needs_first_run(ctx):
        setup.complete_first_run(
            ctx, setup.SetupInput(names.SERVICE_NAME, "Sam Okoye", "Health and Wellbeing Lead",
                                  "01632 960 100")
        )
