"""`wellbeing directory feeds|show|quality` and the printed plan with a real-shaped service."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import council_feeds as cf

from wellbeing_desktop.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "packs"))


def run(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _feeds(tmp_path: Path) -> tuple[Path, Path]:
    km = tmp_path / "kingsmere.json"
    km.write_text(json.dumps(cf.oruk3_page("kingsmere", 12)), encoding="utf-8")
    ev = tmp_path / "eastvale.json"
    ev.write_text(json.dumps([cf.hsds3_service("eastvale", n) for n in range(4)]),
                  encoding="utf-8")
    return km, ev


def test_feeds_show_quality_and_remove(capsys: Any, data_dir: Path, tmp_path: Path) -> None:
    km, ev = _feeds(tmp_path)
    assert run(capsys, "init")[0] == 0
    code, out, _ = run(capsys, "directory", "import", str(km), "--feed", "Kingsmere Council")
    assert code == 0 and "(feed 'Kingsmere Council'): added 12" in out
    assert "note: kingsmere.json" in out  # data-quality notes, one line each
    code, out, _ = run(capsys, "directory", "import", str(ev), "--json")
    assert code == 0 and json.loads(out)["feed"] == "eastvale"
    code, out, _ = run(capsys, "directory", "feeds", "--json")
    listed = {f["name"]: f for f in json.loads(out)}
    assert listed["Kingsmere Council"]["services"] == 12 and listed["eastvale"]["services"] == 4
    assert listed["eastvale"]["last_import"]["added"] == 4
    code, out, _ = run(capsys, "directory", "feeds")
    assert code == 0 and out.startswith("eastvale: 4 services on offer")

    sid = cf.service_id("eastvale", 1)
    code, out, _ = run(capsys, "directory", "show", sid)
    assert code == 0 and "<" not in out and "&nbsp;" not in out
    assert "Who it is for:\nAdults living in the borough." in out
    assert "Cost: Charged: £30 per session (first session free)" in out
    assert "Feeds: eastvale" in out
    code, out, _ = run(capsys, "directory", "show", sid, "--json")
    shown = json.loads(out)
    assert shown["cost"]["state"] == "charged" and shown["how_to_get_help"].startswith("Phone")
    code, _, err = run(capsys, "directory", "show", "no-such-service")
    assert code != 0 and err.count("\n") == 1 and "no-such-service" in err

    target = tmp_path / "quality.csv"
    code, out, _ = run(capsys, "directory", "quality", "--feed", "Kingsmere Council",
                       "--csv", str(target))
    assert code == 0 and out.startswith("Kingsmere Council: 12 services on offer")
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["feed", "oruk_id", "service"]
    assert {r[0] for r in rows[1:] if r and r[0] != "feed"} == {"Kingsmere Council"}

    code, out, _ = run(capsys, "directory", "feeds", "remove", "eastvale")
    assert code == 0 and "4 services withdrawn" in out
    code, _, err = run(capsys, "directory", "feeds", "remove", "eastvale")
    assert code == 2 and "no feed named 'eastvale'" in err


def test_printed_plan_says_who_for_how_to_get_help_and_an_honest_cost(
        ctx: Any, tmp_path: Path) -> None:
    from packs_readback import read_pdf

    from wellbeing_desktop.services import clients, directory, packs, signposting
    from wellbeing_desktop.services.demo import load_demo
    from wellbeing_desktop.services.signposting import SignpostInput

    load_demo(ctx, clients=2, services=0, seed=1, today=date(2026, 11, 24))
    km, ev = _feeds(tmp_path)
    directory.import_feed(ctx, km)
    directory.import_feed(ctx, ev)
    services = {h.name: h.id for h in directory.search(ctx, "", limit=100)}
    charged = services["Food bank – Eastvale 1"]  # HSDS 3.0: £30 per session …
    unknown = services["Debt advice – Kingsmere 0"]  # no fees, no cost options
    client = clients.list_clients(ctx)[0]
    signposting.record(ctx, client.id, [SignpostInput(charged, "money_debt", "information"),
                                        SignpostInput(unknown, "money_debt", "information")])
    doc = packs.build_document(ctx, client.id, packs.DocumentChoice(), today=date(2026, 12, 4))
    text = " ".join(read_pdf(doc.pdf).text.split())
    assert "Who it is for" in text and "Adults living in the borough." in text
    assert "How to get help" in text and "no referral needed" in text
    assert "Charged: £30 per session (first session free)" in text
    assert "Free, confidential advice on debt & money worries." in text
    assert "<p>" not in text and "&amp;" not in text and "nbsp" not in text
    # The Kingsmere debt service states no cost: the plan says nothing about cost for it.
    debt = text[text.index("Debt advice – Kingsmere 0"):]
    debt = debt[: debt.find("contact them yourself") + 1 or None]
    assert "Cost" not in debt and "Free " not in debt.replace("Free, confidential", "")
