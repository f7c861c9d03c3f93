"""The stage rule: a letter that does not fit the person's stage is refused with the reason, in
the service, the Documents tab and `wellbeing pack` (exit 2), and nothing is recorded."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest

from wellbeing_desktop.domain.letters import Stage, refusal
from wellbeing_desktop.services import packs, referrals
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import list_clients
from wellbeing_desktop.services.errors import ValidationError


@pytest.mark.safety
def test_domain_rule_names_the_stage() -> None:
    active = Stage(referral_status="active", suitability="suitable")
    why = refusal("discharge", active)
    assert why and "before discharge" in why and "in sessions" in why
    assert refusal("discharge", Stage("discharged", discharged_on=date(2026, 11, 1))) is None
    # Discharged on paper but no discharge recorded: still refused.
    assert refusal("discharge", Stage("discharged")) is not None
    assert "without an appointment" in (refusal("appointment", active) or "")
    booked = Stage("active", next_appointment=datetime(2026, 12, 8, 10))
    assert refusal("appointment", booked) is None
    assert refusal("plan", Stage()) is None and refusal("leaflet", Stage()) is None
    assert "referral" in (refusal("discharge", Stage()) or "")
    # Post not safe: letters to the person refused, the referrer's copy still fine.
    no_post = Stage("discharged", discharged_on=date(2026, 11, 1), post_allowed=False)
    assert "post" in (refusal("discharge", no_post) or "")
    assert refusal("discharge", no_post, recipient="referrer") is None
    # The GP copy goes to the GP only when the GP is not the referrer.
    assessed = Stage("assessed", suitability="suitable", source="gp")
    assert "GP is the referrer" in (refusal("outcome", assessed, "gp") or "")
    assert refusal("outcome", Stage("assessed", suitability="suitable", source="self"),
                   "gp") is None
    assert "before the assessment" in (refusal("outcome", Stage("received"), "referrer") or "")


def _client_with(ctx: AppContext, status: str) -> uuid.UUID:
    return next(c.id for c in list_clients(ctx) if c.status == status)


def test_no_discharge_letter_for_someone_in_sessions(demo_ctx: AppContext) -> None:
    cid = _client_with(demo_ctx, "active")
    for recipient in ("person", "referrer"):
        with pytest.raises(ValidationError) as info:
            packs.build_document(demo_ctx, cid, packs.DocumentChoice(kind="discharge",
                                                                     recipient=recipient))
        assert "No discharge letter before discharge" in (info.value.for_field("kind") or "")
    options = packs.document_options(demo_ctx, cid)
    assert options.refusal("discharge") and options.refusal("plan") is None
    assert options.default_kind != "discharge"
    assert packs.history(demo_ctx, cid) == []


def test_a_reopened_referral_refuses_the_old_discharge_letter(demo_ctx: AppContext) -> None:
    cid = _client_with(demo_ctx, "discharged")
    packs.build_document(demo_ctx, cid, packs.DocumentChoice(kind="discharge"))  # fits now
    [current] = referrals.list_for_client(demo_ctx, cid)[:1]
    referrals.change_status(demo_ctx, current.id, "active", "Came back for more support")
    with pytest.raises(ValidationError) as info:
        packs.build_document(demo_ctx, cid, packs.DocumentChoice(kind="discharge"))
    assert "in sessions" in str(info.value)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wellbeing_desktop.cli", *args],
                          capture_output=True, text=True, timeout=300)


def test_pack_command_refuses_with_exit_2(demo_ctx: AppContext, data_dir: Path,
                                          tmp_path: Path) -> None:
    active = _client_with(demo_ctx, "active")
    done_id = _client_with(demo_ctx, "discharged")
    demo_ctx.close()
    out = tmp_path / "letter.pdf"
    bad = run("--data-dir", str(data_dir), "pack", str(active), "--out", str(out),
              "--kind", "discharge")
    assert bad.returncode == 2, bad.stderr
    assert "No discharge letter before discharge" in bad.stderr
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    assert not out.exists()
    ok = run("--data-dir", str(data_dir), "pack", str(done_id), "--out", str(out),
             "--kind", "discharge")
    assert ok.returncode == 0, ok.stderr and out.read_bytes().startswith(b"%PDF")


@pytest.mark.usefixtures("immediate_tasks")
def test_documents_tab_explains_and_offers_no_print(qtbot: object, demo_ctx: AppContext,
                                                   tmp_path: Path) -> None:
    from wellbeing_desktop.ui.panels.documents import DocumentsPanel

    widget = DocumentsPanel()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.resize(1200, 800)
    widget.show()
    widget.set_client(demo_ctx, _client_with(demo_ctx, "active"))
    qtbot.waitUntil(lambda: widget.document is not None, timeout=20_000)  # type: ignore
    assert widget.kind.currentData() != "discharge"
    widget.kind.setCurrentIndex(widget.kind.findData("discharge"))
    qtbot.wait(300)  # type: ignore[attr-defined]  # the auto-preview pause passes
    assert widget.refused.isVisibleTo(widget)
    assert "No discharge letter before discharge" in widget.refused.text()
    assert not widget.print_button.isEnabled() and not widget.save_button.isEnabled()
    assert widget.document is None and not widget.preview.images
    widget.build(then=lambda doc: pytest.fail("a refused letter was built"))
    assert widget.document is None
    widget.grab().save(str(tmp_path / "refused.png"))
    widget.kind.setCurrentIndex(widget.kind.findData("plan"))
    assert widget.print_button.isEnabled() and not widget.refused.isVisibleTo(widget)
