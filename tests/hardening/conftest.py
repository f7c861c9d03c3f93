"""Hardening fixtures: an encrypted store (as the security tests make it) and a cheap KDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hard_helpers import PASS_HANNAH, PASS_SAM, add_client


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from wellbeing_desktop.storage import crypto

    monkeypatch.setattr(crypto, "DEFAULT_KDF", crypto.KdfParams(1, 1024, 1))


@pytest.fixture
def secure_ctx(data_dir: Path) -> Iterator[object]:
    """An encrypted store: Sam Okoye (supervisor, `sam`) signed in; Hannah Price
    (practitioner, `hannah`) has an account; one client with a known, unusual name."""
    from wellbeing_desktop.services import accounts, setup
    from wellbeing_desktop.services.app import AppContext

    ctx = AppContext.open(data_dir)
    result = setup.first_run(ctx, setup.SetupInput(
        "Kingsmere Wellbeing", "Sam Okoye", username="sam", passphrase=PASS_SAM))
    ctx.recovery_key = result.recovery_key  # type: ignore[attr-defined]
    accounts.add_user(ctx, accounts.NewUser("Hannah Price", "hannah", passphrase=PASS_HANNAH))
    ctx.client_id = add_client(ctx)  # type: ignore[attr-defined]
    yield ctx
    ctx.close()
