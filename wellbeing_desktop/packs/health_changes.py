""""What changed for your health": the physical-health measures first against last (hours of
sleep, active days, smoking, alcohol, weight), in plain words, for the take-home plan and the
discharge letter. Unlike the mental-health scores, "lower is better" does not hold here, so
each line says itself whether it moved the right way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, KeepTogether

if TYPE_CHECKING:
    from wellbeing_desktop.packs.documents import DocumentRenderer


def section(r: DocumentRenderer) -> list[Flowable]:
    changes = r.s.health_changes
    if not changes:
        return []
    body: list[Flowable] = []
    for o in changes:
        block = [r.p(r.c.measure_label(o.label), "label"),
                 r.p(f"{r.say('health.first')}: {o.first}"),
                 r.p(f"{r.say('health.last')}: {o.last}")]
        if o.note:
            block.append(r.p(r.say(f"health.{o.note}")))
        body.append(KeepTogether(block))
    return r.section(r.say("health.heading"), body, "chart")
