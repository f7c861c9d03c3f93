"""The running app's context: the open store, settings and who is acting."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from wellbeing_desktop.services.context import SYSTEM, Actor
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
    ) -> AppContext:
        store = Store.open(data_dir, key=key)
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
    """The practitioner chosen at set-up (sign-in replaces this with the security work)."""
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
