"""`score` and `outcome`: score a questionnaire and work out paired NHS Talking Therapies
outcomes from the command line. Neither needs the store."""

from __future__ import annotations

import argparse

from wellbeing_desktop.cli.common import CommandError, add_json, emit


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "score", help="score a measure from its answers",
        description="Score a measure. Answers in item order: a number, NA for not applicable, "
                    "- for missing. Example: wellbeing score PHQ-9 1 2 0 3 1 0 2 1 0 --json")
    p.add_argument("measure", metavar="MEASURE", help="PHQ-9, GAD-7, WSAS, ONS4, GBO, …")
    p.add_argument("answers", metavar="ANSWER", nargs="*", help="answers in item order")
    add_json(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser(
        "measures", help="list the measure definitions and any file that was not loaded",
        description="The measures this install can administer. Exits 1 if a definition file "
                    "was not loaded (each problem is named by file and field).")
    add_json(p)
    p.set_defaults(func=cmd_measures)

    p = sub.add_parser(
        "outcome", help="paired NHS Talking Therapies outcome flags",
        description="Caseness, reliable improvement or deterioration, recovery and reliable "
                    "recovery from the first and last PHQ-9 and GAD-7 totals of an episode.")
    p.add_argument("--phq9", nargs=2, metavar=("FIRST", "LAST"), required=True)
    p.add_argument("--gad7", nargs=2, metavar=("FIRST", "LAST"), required=True)
    p.add_argument("--attended", type=int, metavar="N", default=None,
                   help="attended contacts (a finished course needs 2 or more)")
    add_json(p)
    p.set_defaults(func=cmd_outcome)


def cmd_score(args: argparse.Namespace) -> int:
    from wellbeing_desktop.domain.measures import AnswerError, parse_answer, score
    from wellbeing_desktop.domain.measures.registry import shipped

    loaded = shipped()
    definition = loaded.find(args.measure)
    if definition is None:
        known = ", ".join(d.id for d in loaded.ordered())
        broken = "".join(f"; {p.file} was not loaded ({p.field or 'file'}: {p.message})"
                         for p in loaded.problems[:1])
        raise CommandError(f"unknown measure {args.measure!r}; known measures: {known}{broken}")
    answers = [parse_answer(a) for a in args.answers]
    try:
        result = score(definition, answers)
    except AnswerError as exc:
        whole_form = exc.problems[0].item is None
        raise CommandError(str(exc) if whole_form else f"{definition.id} {exc}") from None
    if getattr(args, "json", False):
        emit(args, result.as_json(definition))
        return 0
    lines = []
    if result.total is not None:
        band = f" ({result.band})" if result.band else ""
        case = ""
        if result.caseness is not None:
            case = " · at or above caseness" if result.caseness else " · below caseness"
        extra = " · prorated for a missing or not applicable item" if result.prorated else ""
        lines.append(f"{definition.id}: {result.total:g}{band}{case}{extra}")
    elif result.valid:
        lines.append(f"{definition.id}:")
    else:
        lines.append(f"{definition.id}: no valid score ({'; '.join(result.errors)})")
    if not definition.has_total or definition.repeats:
        for item in result.items:
            value = "missing" if item.value is None else item.value
            band = f" ({item.band})" if item.band else ""
            lines.append(f"  {item.number}. {item.label}: {value}{band}")
    lines.extend(f"RISK: {message}" for message in result.risk_messages)
    print("\n".join(lines))
    return 0


def _score(text: str, option: str, which: str, maximum: float) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"{option} {which}: {text!r} is not a whole number; allowed values are "
                           f"0 to {maximum:g}") from None
    if not 0 <= value <= maximum:
        raise CommandError(f"{option} {which}: {value} is out of range; allowed values are "
                           f"0 to {maximum:g}")
    return value


def cmd_outcome(args: argparse.Namespace) -> int:
    from wellbeing_desktop.domain.measures import paired_outcome, rules_from
    from wellbeing_desktop.domain.measures.registry import shipped

    phq_rule, gad_rule = rules_from(shipped())
    phq = tuple(_score(v, "--phq9", w, phq_rule.maximum) for v, w in zip(
        args.phq9, ("FIRST", "LAST"), strict=True))
    gad = tuple(_score(v, "--gad7", w, gad_rule.maximum) for v, w in zip(
        args.gad7, ("FIRST", "LAST"), strict=True))
    if args.attended is not None and args.attended < 0:
        raise CommandError("--attended: must be 0 or more")
    out = paired_outcome((phq[0], phq[1]), (gad[0], gad[1]), phq9_rule=phq_rule,
                         gad7_rule=gad_rule, attended_contacts=args.attended)
    if getattr(args, "json", False):
        emit(args, out.as_json())
        return 0

    def yes(flag: bool | None) -> str:
        return "unknown" if flag is None else ("yes" if flag else "no")

    print("\n".join([
        f"PHQ-9 {phq[0]} → {phq[1]}, GAD-7 {gad[0]} → {gad[1]}: {out.summary()}",
        f"  case at first: {yes(out.caseness_first)}; case at last: {yes(out.caseness_last)}",
        f"  reliable improvement: {yes(out.reliable_improvement)}; "
        f"reliable deterioration: {yes(out.reliable_deterioration)}",
        f"  recovery: {yes(out.recovery)}; reliable recovery: {yes(out.reliable_recovery)}",
        f"  finished a course (2 or more attended contacts): {yes(out.finished_course)}",
    ]))
    return 0


def cmd_measures(args: argparse.Namespace) -> int:
    import sys

    from wellbeing_desktop.domain.measures.registry import definitions_dir, shipped

    loaded = shipped()
    data = {
        "folder": str(definitions_dir()),
        "measures": [
            {"id": d.id, "title": d.title, "file": d.file, "items": len(d.items),
             "scoring": d.method, "min": d.min_total, "max": d.max_total,
             "caseness_at_least": d.caseness_at_least,
             "reliable_change_index": d.reliable_change_index, "missing_rule": d.missing_rule,
             "codes": dict(d.codes), "licence": d.licence}
            for d in loaded.ordered()],
        "problems": [{"file": p.file, "field": p.field, "message": p.message}
                     for p in loaded.problems],
    }
    lines = [f"{d.id:8} {d.title} ({d.file})" for d in loaded.ordered()]
    lines += [f"NOT LOADED {p}" for p in loaded.problems]
    emit(args, data, "\n".join(lines))
    if loaded.problems:
        print(f"wellbeing: {len(loaded.problems)} problem(s) in measure definitions: "
              f"{loaded.problems[0]}", file=sys.stderr)
        return 1
    return 0
