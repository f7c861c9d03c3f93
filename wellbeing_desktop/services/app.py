"""The running app's context: the open store, settings and who is acting."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from wellbeing_desktop.services.context import SYSTEM, Actor
from wellbeing_desktop.services.errors import StoreLocked
from wellbeing_desktop.services.settings import Settings
from wellbeing_desktop.storage.models import Practitioner
from wellbeing_desktop.storage.store import Store


@dataclass
class AppContext:
    store: Store
    settings: Settings
    actor: Actor

    @classmethod
    def open(
        cls,
        data_dir: Path | str | None = None,
        *,
        key: bytes | None = None,
        settings: Settings | None = None,
        check: bool = True,
    ) -> AppContext:
        """Open the store. An encrypted store needs its data key (`services.auth.login` finds
        it); a store that fails `quick_check` raises `DamagedStore` before anything is written."""
        from wellbeing_desktop.storage import keyring, paths

        directory = paths.data_dir(data_dir)
        if key is None and keyring.keyring_path(directory).exists():
            raise StoreLocked("These records are protected by a passphrase: sign in first.")
        if check:
            from wellbeing_desktop.services import integrity

            integrity.ensure_usable(directory, key)
        store = Store.open(directory, key=key)
        settings = settings or Settings.load(store.data_dir)
        ctx = cls(store, settings, SYSTEM)
        ctx.actor = current_actor(ctx)
        return ctx

    @property
    def data_dir(self) -> Path:
        return self.store.data_dir

    def close(self) -> None:
        self.store.close()


def current_actor(ctx: AppContext) -> Actor:
    """Who acts on a store opened without signing in (a store set up before passphrases, or
    by tests and `wellbeing init`): the practitioner chosen at set-up. `auth.login` sets the
    actor of an encrypted store from the account that signed in."""
    raw = ctx.settings.get("current_practitioner_id") or ""
    if raw:
        try:
            pid = uuid.UUID(raw)
        except ValueError:
            return SYSTEM
        with ctx.store.read() as s:
            row = s.execute(
                select(Practitioner.display_name, Practitioner.role).where(Practitioner.id == pid)
            ).first()
        if row is not None:
            return Actor(pid, row[0], row[1])
    return SYSTEM
