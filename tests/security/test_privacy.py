"""Subject access (JSON + readable PDF), amendments that keep history, supervisor-only
erasure leaving a tombstone, the retention report."""

from __future__ import annotations

import io
import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sec_helpers import PASS_HANNAH, PASS_SAM
from sqlalchemy import select

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import audit, auth, privacy
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import PermissionDenied, ValidationError
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.storage.models.audit import Amendment
from wellbeing_desktop.storage.types import utcnow


def _cid(ctx: AppContext) -> uuid.UUID:
    return uuid.UUID(ctx.client_id)  # type: ignore[attr-defined]


def test_subject_access_holds_everything_and_reads_back(secure_ctx: AppContext) -> None:
    cid = _cid(secure_ctx)
    audit.record_view(secure_ctx, cid)
    privacy.amend(secure_ctx, privacy.AmendInput(cid, "phone", "07700 900456", "moved house"))
    sar = privacy.subject_access(secure_ctx, cid)
    data = json.loads(sar.json_bytes)
    assert data["data"]["client"]["family_name"] == "Quillfeather"
    assert data["data"]["client"]["phone"] == "07700 900456"
    assert [a["old_value"] for a in data["data"]["amendments"]] == ["07700 900123"]
    assert {"view", "client_added", "amend"} <= {e["action"] for e in data["data"]["audit_events"]}
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sar.pdf_bytes)).pages)
    assert "Information we hold about Zebediah Quillfeather" in text
    assert "07700 900456" in text and "moved house" in text
    assert sar.file_stem == f"subject-access-{cid}"
    # The export itself is audited.
    assert audit.list_events(secure_ctx, limit=1)[0].action == "subject_access_export"


@pytest.mark.safety
def test_amendment_needs_a_reason_and_keeps_history(secure_ctx: AppContext) -> None:
    cid = _cid(secure_ctx)
    with pytest.raises(ValidationError) as err:
        privacy.amend(secure_ctx, privacy.AmendInput(cid, "nhs_secret", "x", ""))
    assert err.value.for_field("field") and err.value.for_field("reason")
    privacy.amend(secure_ctx, privacy.AmendInput(cid, "family_name", "Quillfeathers",
                                                 "spelling, confirmed with the client"))
    with secure_ctx.store.read() as s:
        client = s.get(Client, cid)
        assert client is not None and client.family_name == "Quillfeathers"
        assert client.search_name.startswith("quillfeathers")
        history = s.execute(select(Amendment)).scalars().all()
        assert [(a.old_value, a.new_value) for a in history] == [("Quillfeather", "Quillfeathers")]


@pytest.mark.safety
def test_erasure_is_supervisor_only_and_leaves_a_tombstone(secure_ctx: AppContext) -> None:
    cid = _cid(secure_ctx)
    privacy.amend(secure_ctx, privacy.AmendInput(cid, "phone", "07700 900456", "new number"))
    data_dir = secure_ctx.data_dir
    secure_ctx.close()
    hannah = auth.login(data_dir, "hannah", PASS_HANNAH)
    try:
        with pytest.raises(PermissionDenied):
            privacy.erase(hannah, cid, "asked")
        with pytest.raises(PermissionDenied):
            privacy.subject_access(hannah, cid)
    finally:
        hannah.close()
    ctx = auth.login(data_dir, "sam", PASS_SAM)
    try:
        with pytest.raises(ValidationError):
            privacy.erase(ctx, cid, " ")
        with ctx.store.read() as s:
            before = s.get(Client, cid)
            assert before is not None
            seq_before = before.change_seq
        privacy.erase(ctx, cid, "right to erasure request 2026-11")
        with ctx.store.read() as s:
            tomb = s.get(Client, cid)
            assert tomb is not None and tomb.deleted_at is not None
            assert tomb.given_name == "" and tomb.family_name == "" and tomb.phone == ""
            assert tomb.change_seq > seq_before  # travels with the next export
            amendment = s.execute(select(Amendment)).scalar_one()
            assert amendment.deleted_at is not None and amendment.old_value == ""
        assert audit.verify_chain(ctx).ok
        assert audit.list_events(ctx, limit=1)[0].action == "erase"
    finally:
        ctx.close()


def test_retention_report_lists_records_past_their_period(secure_ctx: AppContext) -> None:
    cid = _cid(secure_ctx)
    assert privacy.retention_report(secure_ctx) == []
    later = utcnow() + timedelta(days=366 * 21)
    items = privacy.retention_report(secure_ctx, today=later)
    assert [i.client_id for i in items] == [cid]
    assert privacy.retention_report(secure_ctx, years=30, today=later) == []


def test_cli_subject_access_writes_both_files(secure_ctx: AppContext, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cid, data_dir = secure_ctx.client_id, str(secure_ctx.data_dir)  # type: ignore[attr-defined]
    secure_ctx.close()
    monkeypatch.setenv("WELLBEING_PASSPHRASE", PASS_SAM)
    assert main(["--data-dir", data_dir, "subject-access", cid, "--out", str(tmp_path / "sar")]) == 0
    assert (tmp_path / "sar" / f"subject-access-{cid}.pdf").read_bytes().startswith(b"%PDF")
    assert main(["--data-dir", data_dir, "subject-access", "not-an-id", "--out", "x"]) == 2
