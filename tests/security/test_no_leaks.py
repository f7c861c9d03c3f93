"""No client name in logs or temporary files after a full flow (DESIGN §7)."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest
from sec_helpers import CLIENT_NAME, PASS_SAM

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import backups, logs, privacy
from wellbeing_desktop.services.app import AppContext


def _files(folder: Path) -> set[Path]:
    try:
        return {p for p in folder.rglob("*") if p.is_file()}
    except OSError:
        return set()


@pytest.mark.safety
def test_full_flow_leaves_no_client_name_in_logs_or_temp_files(
        secure_ctx: AppContext, monkeypatch: pytest.MonkeyPatch,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = Path(tempfile.gettempdir())
    # Test folders (ours and other test runs on this machine) hold test stores on purpose.
    pytest_roots = tmp_path_factory.getbasetemp().parent.parent
    before = _files(tmp)
    data_dir = secure_ctx.data_dir
    logs.configure(data_dir)
    cid = uuid.UUID(secure_ctx.client_id)  # type: ignore[attr-defined]
    backups.backup_now(secure_ctx)
    sar = privacy.subject_access(secure_ctx, cid)  # built in memory only
    assert sar.pdf_bytes
    privacy.amend(secure_ctx, privacy.AmendInput(cid, "phone", "07700 900999", "new number"))
    secure_ctx.close()
    monkeypatch.setenv("WELLBEING_PASSPHRASE", PASS_SAM)
    assert main(["--data-dir", str(data_dir), "check"]) == 0
    assert main(["--data-dir", str(data_dir), "audit", "list", "--client", str(cid)]) == 0
    monkeypatch.setenv("WELLBEING_PASSPHRASE", "a wrong guess here")
    assert main(["--data-dir", str(data_dir), "backup"]) == 5
    needles = [n.encode() for n in CLIENT_NAME.split()] + [b"07700 900"]
    new_tmp = {p for p in _files(tmp) - before
               if pytest_roots not in p.parents and not p.name.startswith("pytest-")}
    suspects = [*_files(data_dir / "logs"), *new_tmp, *_files(data_dir / "config")]
    assert _files(data_dir / "logs"), "the flow wrote no log at all"
    for path in suspects:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path}"
