"""The clinical safety case report, generated from the hazard log (Markdown and PDF).

The report is a list of blocks (headings, paragraphs, lists, tables) built from the log and
the fixed text below; `markdown()` and `safety_case_pdf.render()` both lay out the same
blocks, so the two never say different things. Run `python -m wellbeing_desktop.packs.safety_case`
(or `make safety-report`) after changing the log; a test checks the committed files are current.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from wellbeing_desktop.packs.safety_log import (
    CONTROL_KINDS,
    LIKELIHOODS,
    MATRIX,
    RATING_MEANING,
    SEVERITIES,
    STATUSES,
    Assessment,
    Hazard,
    HazardLog,
    HazardLogError,
    default_path,
    load,
)

MARKDOWN_NAME = "safety-case.md"
PDF_NAME = "safety-case.pdf"


@dataclass(frozen=True)
class Block:
    kind: str                      # h1 h2 h3 h4 p ul tests table fields
    text: str = ""
    items: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = field(default=())  # table column shares (PDF only)


def _p(text: str) -> Block:
    return Block("p", " ".join(text.split()))


def _ul(*items: str) -> Block:
    return Block("ul", items=tuple(" ".join(i.split()) for i in items))


SCOPE = """This report covers Wellbeing Desktop {version}: the desktop application, its `wellbeing`
command, the documents it prints, its export bundles and the central merge tools, as released
by the manufacturer. It does not cover the computers, printers, networks or other systems of the
deploying service, nor the content of the local services directory, which the service imports
from its publishers."""

INTENDED_USE = [
    "Health and Wellbeing (H&W) practitioners in NHS Talking Therapies services record their "
    "own caseload: referral, assessment and suitability, sessions, goals, outcome measures, "
    "assisted signposting to local services, discharge and follow-up; and print plans, "
    "leaflets and letters for the people they support.",
    "Supervisors and leads see every caseload, manage the directory, settings, accounts, "
    "exports and reports.",
    "The central records team merges the clinics' encrypted export bundles into one store "
    "for reporting.",
    "The people supported are adults referred to the H&W pathway for the wider determinants of "
    "mental health (housing, money, work, loneliness, caring) and physical health promotion. "
    "They never use the app; they receive its printed documents.",
]

LIMITS = [
    "It is not a crisis service and does not assess risk. It prompts the practitioner to ask "
    "and to follow the service's risk procedure, records what was done, and prints crisis "
    "numbers; the person's safety depends on that procedure.",
    "It is not for Step 2 (guided self-help) or Step 3 (high-intensity) psychological therapy "
    "records: it has no fields for treatment protocols or clinical notes of therapy, and its "
    "outcome reporting covers the H&W pathway only.",
    "It is not an electronic patient record and does not replace the service's clinical record "
    "system; what must be in that record is copied there under the service's own procedure.",
    "It works offline on one computer per installation; records reach other staff only "
    "through exports merged centrally.",
    "Only English document text ships. Other languages are added by the service (hazard H10).",
]

HANDOVER_INTRO = """Under DCB0160 the deploying service keeps its own clinical safety case and
hazard log for its use of the app. This is what it must do, taken from the controls this log
assigns to the deploying service or to training:"""

HANDOVER_FIXED = [
    "Appoint its Clinical Safety Officer, review this log against local use, and record local "
    "hazards (for example, a shared clinic printer, home visits).",
    "Training: every user is trained in the service's risk procedure, in what the risk prompt "
    "and banner mean, in checking for duplicates before creating a record, in checking contact "
    "preferences before posting a letter, and in the limits of use below.",
    "Configuration: set the service's crisis contacts (Settings, Printed documents) and check "
    "them on a printed plan; set the idle lock; keep the computers' clocks synchronised and on UK "
    "time; use full-disk encryption.",
    "Backups: copy the rotating backups off each computer on a schedule, and rehearse a restore.",
    "The central key: generate the central key pair on a computer kept for the purpose; keep the "
    "private key offline, backed up and known to at least two people; give clinics only the "
    "public key; enrol each device; merge and acknowledge bundles and review conflicts routinely.",
    "Keep each installation's recovery key printed and locked away, apart from the computer.",
]


def _assessment(a: Assessment) -> str:
    return f"{a.severity.capitalize()} / {a.likelihood} / {a.rating}"


def _matrix_table() -> Block:
    rows = tuple((lik.capitalize(), *(str(r) for r in MATRIX[lik]))
                 for lik in reversed(LIKELIHOODS))
    return Block("table", header=("Likelihood", *(s.capitalize() for s in SEVERITIES)),
                 rows=rows, widths=(0.2, 0.16, 0.16, 0.16, 0.16, 0.16))


def _summary_table(log: HazardLog) -> Block:
    def sl(a: Assessment) -> str:
        return f"{a.severity.capitalize()} / {a.likelihood}"

    rows = tuple((h.id, h.title, sl(h.initial), str(h.initial.rating), sl(h.residual),
                  str(h.residual.rating), h.status) for h in log.hazards)
    return Block("table", header=("ID", "Hazard", "Initial S / L", "R", "Residual S / L", "R",
                                  "Status"),
                 rows=rows, widths=(0.065, 0.325, 0.19, 0.05, 0.19, 0.05, 0.13))


def _hazard_blocks(h: Hazard) -> list[Block]:
    fields = [("Cause", h.cause), ("Effect", h.effect), ("Owner", h.owner),
              ("Status", f"{h.status}: {STATUSES[h.status]}"),
              ("Initial risk", f"{_assessment(h.initial)} ({RATING_MEANING[h.initial.rating]})"),
              ("Residual risk",
               f"{_assessment(h.residual)} ({RATING_MEANING[h.residual.rating]})")]
    if h.gap:
        fields.append(("Gap", h.gap))
    out = [Block("h3", f"{h.id} {h.title}"),
           Block("fields", rows=tuple(fields), widths=(0.2, 0.8))]
    for c in h.controls:
        out.append(Block("h4", f"{c.id} ({c.kind})"))
        out.append(_p(c.what))
        if c.tests:
            out.append(Block("tests", items=c.tests))
        else:
            out.append(_p(f"No test: {c.reason}"))
    return out


def _residual_statement(log: HazardLog) -> list[Block]:
    counts = {r: sum(1 for h in log.hazards if h.residual.rating == r) for r in range(5, 0, -1)}
    worst = max(h.residual.rating for h in log.hazards)
    opened = [h for h in log.hazards if h.status == "open"]
    said = ", ".join(f"{n} rated {r}" for r, n in counts.items() if n)
    out = [_p(f"Of {len(log.hazards)} hazards, after the controls above: {said}. "
              f"No residual risk is rated above {worst}; no hazard is rated 4 or 5 "
              "(mandatory further control or unacceptable)." if worst < 4 else
              f"Of {len(log.hazards)} hazards: {said}. Hazards rated 4 or 5 must be "
              "controlled further before release.")]
    if opened:
        out.append(_p("These hazards are open: a gap is recorded and further control is "
                      "planned. Until it is made, the deploying service's controls carry them:"))
        out.append(_ul(*(f"{h.id} {h.title}: {h.gap}" for h in opened)))
    handed = [h for h in log.hazards if h.status == "transferred"]
    if handed:
        out.append(_p("These hazards are controlled by the app as far as software can, and the "
                      "rest of their control is the deploying service's (section 6):"))
        out.append(_ul(*(f"{h.id} {h.title}" + (f": {h.gap}" if h.gap else "")
                         for h in handed)))
    out.append(_p("The manufacturer's position, for the Clinical Safety Officer to confirm: "
                  "the residual clinical risk of Wellbeing Desktop is acceptable for its "
                  "intended use, provided the deploying service puts in place the controls in "
                  "the next section and keeps within the limits of use."))
    return out


def _handover(log: HazardLog) -> list[Block]:
    assigned = [f"{c.id} ({c.kind}): {c.what}" for h in log.hazards for c in h.controls
                if c.kind in ("deployer", "training")]
    return [_p(HANDOVER_INTRO), _ul(*HANDOVER_FIXED),
            Block("h3", "Controls this log assigns to the deploying service or training"),
            _ul(*assigned)]


def blocks(log: HazardLog) -> list[Block]:
    return [
        Block("h1", f"Clinical safety case report: {log.product} {log.product_version}"),
        _p(f"Generated from {log.label}, issued {log.issued.isoformat()}, under {log.standard}. "
           "Do not edit this report by hand: change docs/safety/hazard-log.toml and run "
           "`make safety-report`."),
        _p(f"Clinical Safety Officer: {log.clinical_safety_officer}"),
        Block("h2", "1. Scope"), _p(SCOPE.format(version=log.product_version)),
        Block("h2", "2. Intended use and users"), _ul(*INTENDED_USE),
        Block("h2", "3. How risk is assessed"),
        _p("Each hazard is rated before and after its controls by severity (S) and likelihood "
           "(L), and the clinical risk rating (R) is read from the DCB0129 matrix below (the "
           "log's loader refuses a rating that does not match it). Severity for one person's "
           "death or permanent harm is major; catastrophic is reserved for many people."),
        _matrix_table(),
        _ul(*(f"{r}: {RATING_MEANING[r]}" for r in range(5, 0, -1))),
        _p("Each control is proved by named tests (pytest node ids, marked `safety`; `make "
           "safety` runs them, and `make test` fails if one disappears, stops running or loses "
           "its marker), or is a design, training or deployer control with its reason. Kinds: "
           + "; ".join(f"{k}: {v}" for k, v in CONTROL_KINDS.items()) + "."),
        Block("h2", "4. Hazards"), _summary_table(log),
        *[b for h in log.hazards for b in _hazard_blocks(h)],
        Block("h2", "5. Residual risk"), *_residual_statement(log),
        Block("h2", "6. What the deploying service must do (DCB0160 hand-over)"),
        *_handover(log),
        Block("h2", "7. Limits of use"), _ul(*LIMITS),
        Block("h2", "8. Checking this case"),
        _ul("`make safety` runs every test this log names; each must pass, and a skipped one "
            "fails the run (its control was not proved).",
            "tests/safety/test_hazard_log.py fails when a named test no longer exists, no "
            "longer runs in `make test` or lacks the `safety` marker, when a `safety` test is "
            "not named here, when this report is older than the log, and when CHANGELOG.md's "
            "Safety section does not name this log's version and hash."),
    ]


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(log: HazardLog) -> str:
    out: list[str] = []
    for b in blocks(log):
        if b.kind in ("h1", "h2", "h3", "h4"):
            out += ["#" * int(b.kind[1]) + " " + b.text, ""]
        elif b.kind == "p":
            out += [b.text, ""]
        elif b.kind == "ul":
            out += [f"- {item}" for item in b.items] + [""]
        elif b.kind == "tests":
            # Linked from docs/safety/ to the test file, so a reader can follow the proof.
            out += [f"- [`{t}`](../../{t.split('::')[0]})" for t in b.items] + [""]
        elif b.kind == "fields":
            out += [f"- **{k}:** {v}" for k, v in b.rows] + [""]
        elif b.kind == "table":
            out.append("| " + " | ".join(b.header) + " |")
            out.append("|" + "---|" * len(b.header))
            out += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in b.rows]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def write(log: HazardLog, folder: Path) -> tuple[Path, Path]:
    from wellbeing_desktop.packs import safety_case_pdf

    folder.mkdir(parents=True, exist_ok=True)
    md, pdf = folder / MARKDOWN_NAME, folder / PDF_NAME
    md.write_text(markdown(log), encoding="utf-8")
    pdf.write_bytes(safety_case_pdf.render(log, blocks(log)))
    return md, pdf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wellbeing_desktop.packs.safety_case",
                                     description="Build the clinical safety case report "
                                                 "(Markdown and PDF) from the hazard log.")
    parser.add_argument("--log", type=Path, default=None, help="the hazard log (TOML)")
    parser.add_argument("--out", type=Path, default=None,
                        help="the folder to write into (default: the log's folder)")
    args = parser.parse_args(argv)
    path = args.log or default_path()
    try:
        log = load(path)
    except HazardLogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    md, pdf = write(log, args.out or path.parent)
    print(f"{md}\n{pdf}\n{log.label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
