"""Handouts without a client (service and `wellbeing handout`), in the three variants, and a
course's printed documents recorded like other documents."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from courses_helpers import run_course
from pypdf import PdfReader
from sqlalchemy import select

from wellbeing_desktop.services import course_documents, handouts
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.storage.models.documents import PrintedDocument


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split())
                    for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("variant", ["standard", "large-print", "easy-read"])
def test_handout_for_a_need_and_area(demo_ctx: Any, variant: str) -> None:
    built = handouts.build_handout(demo_ctx, "money_debt", area="Kingsmere", variant=variant,
                                   today=date(2026, 11, 24))
    text = _text(built.pdf)
    assert built.title == "Money and debt in Kingsmere"
    assert built.services > 0 and "Money and debt in Kingsmere" in text
    assert "116 123" in text  # crisis numbers from settings


def test_handout_refuses_bad_input(demo_ctx: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        handouts.build_handout(demo_ctx, "money", variant="tiny")
    assert {p.field for p in caught.value.problems} == {"need", "variant"}


def test_handout_command(demo_ctx: Any, tmp_path: Path) -> None:
    data_dir = demo_ctx.store.data_dir
    demo_ctx.close()
    out = tmp_path / "sleep.pdf"
    done = subprocess.run([sys.executable, "-m", "wellbeing_desktop.cli", "--data-dir",
                           str(data_dir), "handout", "--need", "sleep", "--out", str(out),
                           "--variant", "easy-read", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["variant"] == "easy-read" and info["services"] >= 1 and out.stat().st_size > 0
    bad = subprocess.run([sys.executable, "-m", "wellbeing_desktop.cli", "--data-dir",
                          str(data_dir), "handout", "--need", "nope", "--out", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Unknown need 'nope'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_course_documents_one_job_recorded_per_person(ctx: Any) -> None:
    course, group = run_course(ctx, 3, absent=(2,))
    plan = course_documents.build(ctx, course, "course_plan")
    text = _text(plan.pdf)
    assert "Session 6: Tuesday 17 November, 13:30" in text and "Kingsmere Library" in text
    assert "come to at least 4 of the 6 sessions" in text
    certificates = course_documents.build(ctx, course, "certificates")
    assert set(certificates.for_clients) == {group[0], group[1]}
    assert _text(certificates.pdf).count("Certificate of completion") == 2
    course_documents.record_printed(ctx, plan)
    course_documents.record_printed(ctx, certificates)
    with ctx.store.read() as s:
        kinds = sorted(s.execute(select(PrintedDocument.kind)).scalars())
    assert kinds == ["certificate", "certificate", "course_plan", "course_plan", "course_plan"]
    full = course_documents.build(ctx, course, "register")
    assert "PersonA S." in _text(full.pdf) and full.for_clients == ()
