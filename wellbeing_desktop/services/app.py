"""The running app's context: the open store, settings and who is acting."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select

from wellbeing_desktop.services.context import SYSTEM, Actor
from wellbeing_desktop.services.errors import DamagedStore, NewerStore, StoreLocked
from wellbeing_desktop.services.settings import Settings
from wellbeing_desktop.storage.models import Practitioner
from wellbeing_desktop.storage.store import Store


@dataclass
class AppContext:
    store: Store
    settings: Settings
    actor: Actor
    integrity: IntegrityGate | None = field(default=None, repr=False)

    @classmethod
    def open(
        cls,
        data_dir: Path | str | None = None,
        *,
        key: bytes | None = None,
        settings: Settings | None = None,
        check: bool | Literal["defer"] = True,
    ) -> AppContext:
        """Open the store. An encrypted store needs its data key (`services.auth.login` finds
        it); a store that fails `quick_check` raises `DamagedStore` before anything is written.

        `check="defer"` (the GUI's start): when opening writes nothing (schema current, device
        known), `quick_check` runs on a thread while the store is read, and every write waits
        for it (`IntegrityGate`); a damaged store then refuses the write with `DamagedStore`,
        so it is still never written to. `confirm_integrity()` waits for the verdict. When the
        last run quit cleanly (`integrity.mark_clean_shutdown`), the deferred check is skipped;
        it is never skipped after a crash."""
        from wellbeing_desktop.storage import keyring, paths

        directory = paths.data_dir(data_dir)
        if key is None and keyring.keyring_path(directory).exists():
            raise StoreLocked("These records are protected by a passphrase: sign in first.")
        from wellbeing_desktop.services.integrity import take_clean_shutdown

        clean = take_clean_shutdown(directory)  # any open consumes the marker
        gate: IntegrityGate | None = None
        if check == "defer" and _opening_writes_nothing(directory, key):
            # After a clean quit the file was last closed whole; after a crash (no marker)
            # the check runs beside the first reads, and every write waits for it.
            gate = None if clean else IntegrityGate(directory, key)
        elif check:
            from wellbeing_desktop.services import integrity

            integrity.ensure_usable(directory, key)
        from wellbeing_desktop.storage.migrate import StoreTooNew

        try:
            store = Store.open(directory, key=key)
        except StoreTooNew as exc:
            raise NewerStore(str(exc)) from None
        if gate is not None:
            gate.guard(store)
        settings = settings or Settings.load(store.data_dir)
        ctx = cls(store, settings, SYSTEM, gate)
        ctx.actor = current_actor(ctx)
        return ctx

    @property
    def data_dir(self) -> Path:
        return self.store.data_dir

    def confirm_integrity(self) -> None:
        """Wait for a deferred `quick_check`; raise `DamagedStore` if it failed."""
        if self.integrity is not None:
            self.integrity.wait()

    def close(self) -> None:
        self.store.close()


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


class IntegrityGate:
    """`quick_check` on a thread of its own; every write statement on the store's engine
    waits for it and is refused (`DamagedStore`) when it failed."""

    def __init__(self, directory: Path, key: bytes | None) -> None:
        self._done = threading.Event()
        self.error: DamagedStore | None = None
        self._thread = threading.Thread(target=self._run, args=(directory, key),
                                        name="quick-check", daemon=True)
        self._thread.start()

    def _run(self, directory: Path, key: bytes | None) -> None:
        from wellbeing_desktop.services import integrity

        try:
            integrity.ensure_usable(directory, key)
        except DamagedStore as exc:
            self.error = exc
        except BaseException as exc:  # any failure to check counts as "not known good"
            self.error = DamagedStore(f"Your records could not be checked: {exc}", [])
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self) -> None:
        self._done.wait()
        if self.error is not None:
            raise DamagedStore(str(self.error), list(self.error.backups))

    def guard(self, store: Store) -> None:
        from sqlalchemy import event

        def before(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
            if (not self._done.is_set() or self.error is not None) \
                    and statement.lstrip()[:7].upper().startswith(_WRITES):
                self.wait()

        event.listen(store.engine, "before_cursor_execute", before)


def _opening_writes_nothing(directory: Path, key: bytes | None) -> bool:
    """True when `Store.open` would only read: the schema is current and the device is known
    (else the check runs first, as a migration or the device row would write)."""
    from wellbeing_desktop.storage import migrate, paths
    from wellbeing_desktop.storage.engine import raw_connect

    db = paths.database_path(directory)
    if not db.exists() or db.stat().st_size == 0:
        return False
    try:
        conn = raw_connect(db, key)
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            device = conn.execute("SELECT 1 FROM device_state WHERE id = 1").fetchone()
        finally:
            conn.close()
    except Exception:  # unreadable: let the synchronous check say why
        return False
    return bool(revision and revision[0] == migrate.HEAD and device)


def actor_by_id(ctx: AppContext, practitioner_id: str) -> Actor:
    """The practitioner with this id as an actor (SYSTEM when there is none)."""
    try:
        pid = uuid.UUID(practitioner_id)
    except ValueError:
        return SYSTEM
    with ctx.store.read() as s:
        row = s.execute(
            select(Practitioner.display_name, Practitioner.role).where(Practitioner.id == pid)
        ).first()
    return Actor(pid, row[0], row[1]) if row is not None else SYSTEM


def current_actor(ctx: AppContext) -> Actor:
    """Who acts on a store opened without signing in (a store set up before passphrases, or
    by tests and `wellbeing init`): the practitioner chosen at set-up. `auth.login` sets the
    actor of an encrypted store from the account that signed in."""
    raw = ctx.settings.get("current_practitioner_id") or ""
    return actor_by_id(ctx, raw) if raw else SYSTEM
