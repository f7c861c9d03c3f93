"""Child process of the crash-safety test: writes through the real services until killed.

After each service call returns (its unit of work committed), it prints `ACK <kind> <id>`
and flushes, so the parent knows which writes were acknowledged."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path


def main() -> None:
    from wellbeing_desktop.services import accounts, audit
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.storage import crypto

    crypto.DEFAULT_KDF = crypto.KdfParams(1, 1024, 1)  # sign-in cost is not under test
    data_dir, key_hex, prefix = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    ctx = AppContext.open(data_dir, key=bytes.fromhex(key_hex))
    from sqlalchemy import select

    from wellbeing_desktop.services.context import Actor
    from wellbeing_desktop.storage.models import Practitioner

    with ctx.store.read() as s:
        sam = s.execute(select(Practitioner).where(Practitioner.username == "sam")).scalar_one()
        ctx.actor = Actor(sam.id, sam.display_name, sam.role)
    print("READY", flush=True)
    n = 0
    while True:
        n += 1
        if n % 3:
            client = uuid.uuid4()
            audit.record_view(ctx, client)
            print(f"ACK view {client}", flush=True)
        else:
            name = f"{prefix}x{n}"
            accounts.add_user(ctx, accounts.NewUser(f"Crash Test {n}", name,
                                                    passphrase="crash test passphrase"))
            print(f"ACK user {name}", flush=True)


if __name__ == "__main__":
    main()
