"""A client's subject access export lists every bundle that carried their data."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from enrolment_helpers import merge_enrolled
from pypdf import PdfReader
from sync_helpers import Keys, add_client, edit

from wellbeing_desktop.services import privacy, sync
from wellbeing_desktop.storage.models import Referral


def _export(ctx: Any, tmp_path: Path, keys: Keys, name: str, **kw: Any) -> sync.ExportResult:
    return sync.export(ctx, tmp_path / name, recipient=keys.public, **kw)


def _exports_in_sar(ctx: Any, cid: Any) -> tuple[list[dict[str, Any]], str]:
    sar = privacy.subject_access(ctx, cid)
    listed = json.loads(sar.json_bytes)["data"]["central_records_exports"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sar.pdf_bytes)).pages)
    return listed, text


def test_subject_access_lists_each_bundle_that_carried_the_client(
        ctx: Any, keys: Keys, tmp_path: Path) -> None:
    from sqlalchemy import select

    alex = add_client(ctx, given="Alex")
    other = add_client(ctx, given="Bea")
    never = add_client(ctx, given="Cal", consent=False)
    listed, text = _exports_in_sar(ctx, alex)
    assert listed == [] and "Sent to central records (0)" in text

    first = _export(ctx, tmp_path, keys, "1.wbsync")  # both go, whole
    merged = merge_enrolled([first.path], str(tmp_path / "c.sqlite3"), keys.private)
    assert merged[0].ack is not None
    sync.acknowledge(ctx, merged[0].ack)
    with ctx.store.read() as s:  # only Bea's referral changes
        ref = s.execute(select(Referral.id).where(Referral.client_id == other)).scalar_one()
    edit(ctx, Referral, ref, reason="Sleep")
    second = _export(ctx, tmp_path, keys, "2.wbsync")
    third = _export(ctx, tmp_path, keys, "3.wbsync", full=True, pseudonymised=True)

    listed, text = _exports_in_sar(ctx, alex)
    assert [(e["export_id"], e["kind"], e["pseudonymised"], e["acknowledged_by_centre"])
            for e in listed] == [(first.export_id, "incremental", False, True),
                                 (third.export_id, "full", True, False)]
    assert listed[0]["acknowledged_at"] and listed[1]["acknowledged_at"] is None
    assert "Sent to central records" in text and first.export_id in text
    assert "not yet confirmed" in text
    bea = [e["export_id"] for e in _exports_in_sar(ctx, other)[0]]
    assert bea == [first.export_id, second.export_id, third.export_id]
    assert _exports_in_sar(ctx, never)[0] == []  # no consent: never carried
