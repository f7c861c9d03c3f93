"""Letters as templates: every sentence is data in `resources/packs/<language>/letters.json`
(easy-read wording in `letters_easy_read.json`), this renderer only arranges them.

A letter is: the service's letterhead (Settings), the date, the address block (to the person)
or the recipient (referrer, GP), a greeting, the kind's paragraphs, the kind's detail block
(the appointment, the service they are introduced to, the outcome), a signature (Settings or
the practitioner) and, for letters to the person, what to do in a crisis. Placeholders in the
sentences are filled from the snapshot; a sentence whose facts are missing is left out, so
a letter never prints "{reply_by}" or an empty date.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Spacer

from wellbeing_desktop.packs.documents import DocumentRenderer
from wellbeing_desktop.packs.layout import FRAME_WIDTH, para


class LetterRenderer(DocumentRenderer):
    """Any letter kind; its wording comes from `letter.<kind>.*` texts."""

    @property
    def key(self) -> str:
        base = f"letter.{self.s.kind}"
        if self.s.recipient != "person" and self.c.has(f"{base}.{self.s.recipient}.title"):
            return f"{base}.{self.s.recipient}"
        if self.s.recipient != "person" and self.c.has(f"{base}.referrer.title"):
            return f"{base}.referrer"
        return base

    def title(self) -> str:
        return self.c.t(f"{self.key}.title")

    def values(self) -> dict[str, Any]:
        s, c, f = self.s, self.c, self.s.letter
        phone = s.practitioner_phone or s.service_phone
        values: dict[str, Any] = {
            "name": s.person_name, "person": s.full_name or s.person_name,
            "service": s.service_name or c.t("letter.our_team"),
            "recipient": f.recipient_name or c.t("letter.colleague"),
            "practitioner": s.practitioner_name, "attempt_count": len(f.attempts),
            "sessions": s.sessions_offered, "need": self.need_words(),
        }
        if phone:
            values["phone"] = phone
        referrer = self.coded("letter.referred_by", f.referrer_source, f.referrer_words)
        if referrer:  # sentences naming the referrer are left out for self-referrals
            values["referrer"] = referrer
        for name, day in (("received", f.received_on), ("reply_by", f.reply_by),
                          ("missed", f.missed_on), ("decided", f.decided_on)):
            if day is not None:
                values[name] = c.date(day)
        if f.attempts:
            values["attempt_dates"] = self.join([c.date(d) for d in f.attempts])
        if f.appointment_at is not None:
            values["date"] = c.date(f.appointment_at.date())
            values["time"] = c.time(f.appointment_at)
        if f.appointment_minutes:
            values["minutes"] = f.appointment_minutes
        how = self.coded("letter.how", f.appointment_mode, f.appointment_how)
        for name, text in (("how", how), ("venue", f.venue),
                           ("directions", f.directions), ("reasons", f.decision_reasons)):
            if text:
                values[name] = text
        if f.directed_to:
            values["directed"] = self.join(list(f.directed_to))
        if f.introduce is not None:
            values["to_service"] = f.introduce.name
        return values

    def coded(self, prefix: str, code: str, english: str) -> str:
        """The words for a recorded code in the letter's language (English when the
        catalogue has none: the English content file is always under it)."""
        key = f"{prefix}.{code}"
        return self.c.t(key) if code and self.c.has(key) else english

    def need_words(self) -> str:
        f = self.s.letter
        advice = self.c.advice(f.need_code) if f.need_code else None
        if advice is None or self.c.language == "en" or not self.c.translated_advice(
                f.need_code):
            return f.need   # the needs domain's own label, as the record shows it
        return self.c.passage(advice.title.lower(), self.c.language, f.need)

    def join(self, items: list[str]) -> str:
        return self.c.join(items, "letter.and")

    def sentence(self, key: str, values: dict[str, Any]) -> str | None:
        """The sentence filled in, or None when one of its facts is not recorded."""
        try:
            return self.c.fill(key, values)
        except KeyError:
            return None

    def paragraphs(self, key: str, values: dict[str, Any]) -> list[Flowable]:
        if not self.c.has(key):
            return []
        out: list[Flowable] = []
        for index in range(len(self.c.items(key))):
            try:
                text = self.c.fill(key, values, index)
            except KeyError:
                continue  # a fact this sentence needs is not recorded: leave it out
            out += self.lines(text)
        return out

    def heading_block(self) -> list[Flowable]:
        s, f = self.s, self.s.letter
        out: list[Flowable] = []
        head = list(f.letterhead) or [s.service_name]
        head = [h for h in head if h]
        if s.service_phone and not any(s.service_phone in h for h in head):
            head.append(f"{self.c.t('plan.phone')}: {s.service_phone}")
        if head:
            out.append(self.p(head[0], "label"))
            out += [self.p(line, "tight") for line in head[1:]]
            out.append(Spacer(1, self.styles.sizes.body * 0.6))
        out.append(self.p(self.c.date(s.issued_on)))
        if s.recipient == "person":
            if s.address:
                out.append(self.p("\n".join([s.full_name or s.person_name, *s.address])))
        else:
            out.append(self.p(f.recipient_name or self.c.t("letter.colleague"), "label"))
        out.append(Spacer(1, self.styles.sizes.body * 0.5))
        return out

    def details(self, values: dict[str, Any]) -> list[Flowable]:
        """The kind's facts in a box the reader can find again (the appointment, the service)."""
        f = self.s.letter
        items: list[Flowable] = []
        if self.s.kind == "appointment" and f.appointment_at is not None:
            items.append(self.p(self.say("letter.appointment.when", **values), "callout"))
            for key in ("letter.appointment.how", "letter.appointment.where",
                        "letter.appointment.directions", "letter.appointment.length"):
                text = self.sentence(key, values)
                if text:
                    items.append(self.p(text, "tight"))
        elif self.s.kind == "introduction" and f.introduce is not None:
            svc = f.introduce
            items.append(self.p(svc.name, "box_title"))
            for label, value in (("plan.services.phone", svc.phone),
                                 ("plan.services.address",
                                  ", ".join(x for x in (svc.address, svc.postcode) if x))):
                if value:
                    items.append(self.p(f"{self.c.t(label)}: {value}", "tight"))
        elif self.s.kind == "outcome" and f.decision:
            decision = self.sentence(f"letter.outcome.decision.{f.decision}", values)
            if decision:
                items.append(self.p(decision, "callout"))
            for key in (f"letter.outcome.next.{f.decision}", "letter.outcome.why",
                        "letter.outcome.directed"):
                if not self.c.has(key):
                    continue
                text = self.sentence(key, values)
                if text:
                    items.append(self.p(text, "tight"))
        return [self.boxed(items)] if items else []

    def sign(self) -> list[Flowable]:
        s, f = self.s, self.s.letter
        lines: list[Flowable] = [Spacer(1, self.styles.sizes.body),
                                 self.p(self.c.t("discharge.sign_off"))]
        who = [x for x in f.signature if x] or [x for x in (s.practitioner_name,
                                                            s.service_name) if x]
        if who:
            lines.append(self.p(who[0], "label"))
            lines += [self.p(x, "tight") for x in who[1:]]
        return [KeepTogether(lines)]

    def story(self) -> list[Flowable]:
        values = self.values()
        out = self.heading_block()
        out.append(para(self.title(), self.styles.title, self.styles, FRAME_WIDTH))
        out += self.language_notes()
        greeting = self.sentence("letter.greeting", {
            "name": values["name"] if self.s.recipient == "person" else values["recipient"]})
        if greeting:
            out.append(self.p(greeting))
        out += self.paragraphs(f"{self.key}.body", values)
        out += self.details(values)
        out += self.paragraphs(f"{self.key}.after", values)
        out += self.sign()
        if self.s.recipient == "person" and self.s.kind != "introduction":
            out += self.help_now()
        return out

