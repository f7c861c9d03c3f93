"""Issue 13, accounts: a new user's passphrase is never the signed-in user's, and a locked-out
username cannot be told from an unknown one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sec_helpers import PASS_SAM

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import auth
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import SignInFailed
from wellbeing_desktop.storage.keyring import Keyring


def test_users_add_never_takes_the_signed_in_passphrase(secure_ctx: AppContext,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = str(secure_ctx.data_dir)
    secure_ctx.close()
    monkeypatch.setenv("WELLBEING_PASSPHRASE", PASS_SAM)
    monkeypatch.delenv("WELLBEING_NEW_PASSPHRASE", raising=False)
    code = main(["--data-dir", data_dir, "users", "add", "robin", "--name", "Robin Hale"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "WELLBEING_NEW_PASSPHRASE" in err
    ring = Keyring.load(Path(data_dir))
    assert ring is not None and ring.by_username("robin") is None
    # Robin cannot sign in with Sam's passphrase.
    with pytest.raises(SignInFailed):
        auth.login(data_dir, "robin", PASS_SAM).close()
    # With its own variable, the new account gets its own passphrase.
    monkeypatch.setenv("WELLBEING_NEW_PASSPHRASE", "robin's own long passphrase")
    assert main(["--data-dir", data_dir, "users", "add", "robin", "--name", "Robin Hale"]) == 0
    auth.login(data_dir, "robin", "robin's own long passphrase").close()
    with pytest.raises(SignInFailed):
        auth.login(data_dir, "robin", PASS_SAM).close()


def test_users_add_refuses_the_signed_in_passphrase_given_again(
        secure_ctx: AppContext, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = str(secure_ctx.data_dir)
    secure_ctx.close()
    monkeypatch.setenv("WELLBEING_PASSPHRASE", PASS_SAM)
    monkeypatch.setenv("WELLBEING_NEW_PASSPHRASE", PASS_SAM)
    assert main(["--data-dir", data_dir, "users", "add", "robin", "--name", "Robin Hale"]) == 2
    assert "your own" in capsys.readouterr().err


def _answer(data_dir: Path, username: str, passphrase: str) -> tuple[str, int]:
    with pytest.raises(SignInFailed) as err:
        auth.login(data_dir, username, passphrase).close()
    return str(err.value), err.value.wait_seconds


def test_locked_out_and_unknown_usernames_get_the_same_answer(secure_ctx: AppContext,
                                                              data_dir: Path) -> None:
    secure_ctx.close()
    known = [_answer(data_dir, "sam", f"wrong guess {i}") for i in range(6)]
    unknown = [_answer(data_dir, "nobody", f"wrong guess {i}") for i in range(6)]
    assert known == unknown
    assert known[-1][1] > 0 and "wait" in known[-1][0]
    # The keyring does not keep the guessed username in the clear.
    assert "nobody" not in (data_dir / "keyring.json").read_text()
