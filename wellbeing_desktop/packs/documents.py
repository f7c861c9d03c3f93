"""The printed documents: one renderer class per kind over a `PackSnapshot` (STYLE §15).

Each renderer only arranges content; fonts, styles and page furniture are in `layout`, fixed
sentences in the per-language content files. Same snapshot and content → byte-identical PDF.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from wellbeing_desktop.packs import fonts, health_changes, layout
from wellbeing_desktop.packs.charts import measures_chart
from wellbeing_desktop.packs.content import Content
from wellbeing_desktop.packs.layout import (
    BLUE,
    FRAME_WIDTH,
    PALE,
    PageInfo,
    Styles,
    labelled,
    para,
    text_width,
)
from wellbeing_desktop.packs.pictures import picture
from wellbeing_desktop.packs.snapshot import PackSnapshot


class DocumentRenderer:
    kind = ""
    title_key = ""

    def __init__(self, snapshot: PackSnapshot, content: Content) -> None:
        self.s = snapshot
        self.c = content
        self.styles = Styles(snapshot.variant)
        self.easy = snapshot.variant == "easy-read"
        self.pic = self.styles.sizes.picture
        # Easy-read text sits beside its picture, so it is set narrower.
        self.width = FRAME_WIDTH - (self.pic + 6 * mm if self.easy else 0)

    # ---- building blocks -------------------------------------------------------------
    def title(self) -> str:
        return self.c.t(self.title_key)

    @property
    def for_referrer(self) -> bool:
        return self.s.kind == "discharge" and self.s.recipient in ("referrer", "gp")

    def say(self, key: str, **values: object) -> str:
        """A fixed sentence; the referrer's copy speaks about the person, not to them."""
        if self.for_referrer and self.c.has(f"{key}.referrer"):
            key = f"{key}.referrer"
        values.setdefault("person", self.s.person_name)
        return self.c.t(key, **values)

    def p(self, text: str, style: str = "body", bullet: str | None = None) -> Flowable:
        return para(text, getattr(self.styles, style), self.styles, self.width, bullet)

    def lines(self, text: str, style: str = "body") -> list[Flowable]:
        """Easy read: one idea per line; other variants keep the sentence together."""
        if self.easy:
            return [self.p(line, style) for line in text.split("\n") if line.strip()]
        return [self.p(" ".join(text.split("\n")), style)]

    def bullets(self, items: list[str] | tuple[str, ...]) -> list[Flowable]:
        return [self.p(item, "bullet", bullet="•") for item in items]

    def section(self, heading: str, body: list[Flowable], pic: str,
                wide: list[Flowable] | None = None) -> list[Flowable]:
        """A heading and its content; in easy read, a picture beside it. The heading never
        ends a page alone (keepWithNext / the table's first two rows stay together).

        `wide` (easy read only): blocks set across the whole page under the picture row
        (services' boxes: narrow, they wrapped so much that one filled half a page)."""
        head = para(heading, self.styles.heading, self.styles, self.width)
        if not self.easy:
            # keepWithNext alone lets a heading end a page before a KeepTogether block.
            if not body:
                return [head]
            lead = list(body[0]._content) if isinstance(body[0], KeepTogether) else body[:1]
            return [KeepTogether([head, *lead]), *body[1:]]
        # A table row never splits, so a KeepTogether's content can go straight in a cell.
        body = [list(b._content) if isinstance(b, KeepTogether) else b for b in body]
        # Fill the first row beside the picture, so short sections show no gap under it.
        first: list[object] = [head]
        height = head.wrap(self.width, 10_000)[1]
        rest = list(body)
        while rest and height < self.pic:
            item = rest.pop(0)
            first.append(item)
            height += sum(f.wrap(self.width, 10_000)[1]
                          for f in (item if isinstance(item, list) else [item]))
        rows: list[list[object]] = [[picture(pic, self.pic), first]]
        rows += [["", item] for item in rest]
        commands: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("SPAN", (0, 0), (0, 0)),
        ]
        # A cell drops its last paragraph's space after: give it back as padding, so lines
        # in separate rows are spaced like lines in one row.
        for index, (_, cell) in enumerate(rows):
            last = cell[-1] if isinstance(cell, list) else cell
            style = getattr(last, "style", None)
            commands.append(("BOTTOMPADDING", (0, index), (-1, index),
                             getattr(style, "spaceAfter", 0) or 0))
        table = Table(rows, colWidths=[self.pic + 6 * mm, self.width],
                      style=TableStyle(commands), hAlign="LEFT", splitByRow=1)
        table.keepWithNext = 0
        gap = Spacer(1, self.styles.sizes.heading * 0.6)
        if wide:
            first_wide = list(wide[0]._content) if isinstance(wide[0], KeepTogether) else wide[:1]
            return [gap, KeepTogether([table, Spacer(1, self.styles.sizes.body * 0.5),
                                       *first_wide]), *wide[1:]]
        return [gap, table]

    def boxed(self, flowables: list[Flowable], color: object = PALE,
              width: float | None = None) -> Flowable:
        """A tinted box that never splits across pages (a service's block, crisis contacts)."""
        table = Table([[flowables]], colWidths=[width or self.width], hAlign="LEFT",
                      style=TableStyle([
                          ("BACKGROUND", (0, 0), (-1, -1), color),
                          ("LEFTPADDING", (0, 0), (-1, -1), 10),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                          ("TOPPADDING", (0, 0), (-1, -1), 8),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                          ("LINEBEFORE", (0, 0), (0, -1), 4, BLUE),
                      ]))
        # Space after as the table's own, not a Spacer: a trailing Spacer counts towards the
        # height a KeepTogether needs and sent blocks that fitted to the next page.
        table.spaceAfter = self.styles.sizes.body * 0.6
        return KeepTogether([table])

    def masthead(self) -> list[Flowable]:
        out: list[Flowable] = []
        if self.s.service_name:
            out.append(self.p(self.s.service_name, "label"))
        out.append(para(self.title(), self.styles.title, self.styles, FRAME_WIDTH))
        return out

    def help_now(self) -> list[Flowable]:
        if not self.s.crisis_contacts:
            return []
        # The number first, large and bold, then who answers: the reader scans for the number.
        inner = self.width - 20
        number_w = min(inner * 0.4, 14 + max(text_width(contact.phone, self.styles.tight_callout)
                                             for contact in self.s.crisis_contacts))
        rows = []
        for contact in self.s.crisis_contacts:
            who = [para(contact.name, self.styles.tight, self.styles, inner - number_w)]
            if contact.note:
                who.append(para(contact.note, self.styles.tight, self.styles, inner - number_w))
            rows.append([para(contact.phone, self.styles.tight_callout, self.styles, number_w),
                         who])
        numbers = Table(rows, colWidths=[number_w, inner - number_w], hAlign="LEFT",
                        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                          ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                          ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                          ("TOPPADDING", (0, 0), (-1, -1), 0),
                                          ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        items: list[Flowable] = [self.p(self.c.t("help.intro"), "tight"), numbers]
        return self.section(self.c.t("help.heading"), [self.boxed(items)], "help")

    def reach_us(self) -> list[Flowable]:
        s = self.s
        lines: list[Flowable] = []
        if s.practitioner_name:
            who = (self.c.t("plan.practitioner_line", practitioner=s.practitioner_name,
                            service=s.service_name) if s.service_name else s.practitioner_name)
            lines.append(self.p(who))
        phone = s.practitioner_phone or s.service_phone
        if phone:
            lines.append(self.p(f"{self.c.t('plan.phone')}: {phone}", "callout"))
        if s.practitioner_email:
            lines.append(self.p(f"{self.c.t('plan.email')}: {s.practitioner_email}"))
        if not lines:
            return []
        # Name, phone and email stay together: half of them on the next page is no use.
        return self.section(self.c.t("plan.your_practitioner"), [KeepTogether(lines)], "person")

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    def render(self) -> bytes:
        title = self.title()
        info = PageInfo(
            footer_left=self.c.t("footer", title=title, first_name=self.s.first_name),
            page_label=lambda n, total: self.c.t("page_x_of_y", page=n, pages=total),
            issued_on=self.s.issued_on,
        )
        return layout.build_pdf(self.story(), self.styles, info, title=title, subject=self.kind,
                                author=self.s.service_name or "Wellbeing Desktop",
                                language=self.s.language)


class PlanRenderer(DocumentRenderer):
    """The take-home plan and signposting pack."""

    kind = "plan"
    title_key = "plan.title"

    def story(self) -> list[Flowable]:
        s, c = self.s, self.c
        out = self.masthead()
        out += self.lines(self.say("plan.intro", name=s.person_name))
        out.append(self.p(self.say("made_on", date=c.date(s.issued_on))))
        out += self.reach_us()
        out += self.talked()
        out += self.goals()
        out += self.advice()
        out += self.services()
        out += self.chart()
        out += health_changes.section(self)
        out += self.next_steps()
        out += self.help_now()
        return out

    def topic_words(self) -> list[str]:
        words = []
        names = dict(self.s.topic_names)
        for code in self.s.topics:
            advice = self.c.advice(code)
            words.append(advice.title if advice else
                         names.get(code) or code.replace("_", " ").capitalize())
        words.extend(self.s.topic_labels)
        return words

    def talked(self) -> list[Flowable]:
        words = self.topic_words()
        body = self.bullets(words) if words else [self.p(self.say("plan.talked.none"))]
        return self.section(self.say("plan.talked.heading"), body, "talk")

    def goals(self) -> list[Flowable]:
        if not self.s.goals:
            return self.section(self.say("plan.goals.heading"),
                                [self.p(self.say("plan.goals.none"))], "goal")
        body: list[Flowable] = []
        for goal in self.s.goals:
            block: list[Flowable] = [self.p(goal.title, "subheading")]
            if goal.steps:
                block.append(self.p(self.say("plan.goals.steps"), "label"))
                block += self.bullets(goal.steps)
            if goal.progress is not None:
                block.append(self.p(self.say("plan.goals.progress", score=goal.progress)))
            body.append(KeepTogether(block))
        return self.section(self.say("plan.goals.heading"), body, "goal")

    def service_block(self, svc: object, width: float | None = None) -> Flowable:
        from wellbeing_desktop.packs.snapshot import ServiceEntry

        assert isinstance(svc, ServiceEntry)
        items: list[Flowable] = [self.p(svc.name, "box_title")]

        inner = (width or self.width) - 20  # the box's padding

        def field(key: str, value: str | tuple[str, ...], style: str = "tight") -> None:
            values = [v for v in ([value] if isinstance(value, str) else value) if v]
            if not values:
                return
            label, st = self.say(key), getattr(self.styles, style)
            one = labelled(label, values[0], st, self.styles, inner) if len(values) == 1 else None
            # Easy read keeps one idea per line: "Label: value" only when it fits on one line.
            if one is not None and (not self.easy or
                                    text_width(f"{label}: {values[0]}", st) <= inner):
                items.append(one)
                return
            items.append(self.p(label, "label"))
            for v in values:
                items.extend(self.lines(v, style))

        def web(url: str) -> str:
            # People type addresses without "https://"; shorter addresses also wrap less. One
            # too long for a line breaks before its path, never inside a word.
            url = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
            if "/" in url and text_width(url, self.styles.tight) > inner:
                url = url.replace("/", "\n/", 1)
            return url

        field("plan.services.what", svc.description)
        field("plan.services.who_for", svc.who_for)
        field("plan.services.why", svc.reason)
        field("plan.services.how", svc.how_to_get_help)
        field("plan.services.cost", svc.cost)
        field("plan.services.phone", svc.phone, "tight_callout")
        postcode = svc.postcode if svc.postcode and svc.postcode not in svc.address else ""
        field("plan.services.address", ", ".join(x for x in (svc.address, postcode) if x))
        field("plan.services.open", svc.opening_times)
        field("plan.services.website", web(svc.website))
        field("plan.services.email", svc.email)
        field("plan.services.expect", svc.what_to_expect)
        status = self.say("plan.services.contacted" if svc.contact_made else
                     "plan.services.not_contacted")
        items.append(self.p(status, "tight_callout" if svc.contact_made else "tight"))
        if svc.contact_note:
            items.append(self.p(svc.contact_note, "tight"))
        return self.boxed(items, width=width)

    def services(self) -> list[Flowable]:
        heading = self.say("plan.services.heading")
        if not self.s.services:
            return self.section(heading, [self.p(self.say("plan.services.none"))], "services")
        if self.easy:
            boxes = [self.service_block(svc, FRAME_WIDTH) for svc in self.s.services]
            return self.section(heading, self.lines(self.say("plan.services.intro")),
                                "services", wide=boxes)
        return self.section(heading, [self.service_block(svc) for svc in self.s.services],
                            "services")

    def advice(self) -> list[Flowable]:
        body: list[Flowable] = []
        for code in self.s.topics:
            advice = self.c.advice(code)
            if advice is None:
                continue
            body.append(KeepTogether([self.p(advice.title, "subheading"),
                                      *self.bullets(advice.lines)]))
        if not body:
            return []
        return self.section(self.say("plan.advice.heading"), body, "advice")

    def chart(self) -> list[Flowable]:
        series = [m for m in self.s.chart_series if m.totals]
        if not (self.s.include_chart and series):
            return []
        # The measures area draws the chart at 7 pt and up; it is drawn small and scaled so
        # that its smallest text meets the variant's minimum size. One drawing per measure, so
        # the charts can flow across a page break instead of moving as one tall block; each is
        # titled in plain words ("Low mood (PHQ-9, out of 27)"), and the dashed line is
        # explained in the note under the charts rather than labelled "cut-off".
        scale = self.styles.sizes.small / 7.0
        inner_w = self.width / scale
        body: list[Flowable] = []
        for one in series:
            # The title is set as a paragraph (it wraps; the chart's own title would not), so
            # the chart is drawn untitled and its empty title band (20 units) is not reserved.
            drawing = measures_chart([replace(one, title="")], inner_w, 80.0,
                                     font=fonts.BASE_REGULAR, bold=fonts.BASE_BOLD,
                                     cut_off_label="")
            drawing.scale(scale, scale)
            drawing.width, drawing.height = self.width, (80.0 - 12.0) * scale
            body.append(KeepTogether([self.p(self.c.measure_label(one.measure_id), "label"),
                                      drawing, Spacer(1, self.styles.sizes.body * 0.5)]))
        body += self.lines(self.say("plan.chart.note"))
        return self.section(self.say("plan.chart.heading"), body, "chart")

    def next_steps(self, end_date_said: bool = False) -> list[Flowable]:
        c, n = self.c, self.s.next_steps
        body: list[Flowable] = []
        if n.discharged:
            if n.discharged_on and not end_date_said:
                body += self.lines(self.say("next.discharged", date=c.date(n.discharged_on)))
        elif n.next_appointment:
            when = n.next_appointment
            body.append(self.p(self.say("next.appointment", date=c.date(when.date()),
                                        time=c.time(when)), "callout"))
            if n.appointment_how:
                body.append(self.p(self.say("next.appointment_how", how=n.appointment_how)))
        else:
            body += self.lines(self.say("next.none"))
        if n.continued_care:
            body.append(self.p(self.say("next.plan"), "label"))
            body += self.bullets(n.continued_care)
        if n.follow_up_on:
            body += self.lines(self.say("next.follow_up", date=c.date(n.follow_up_on)))
        phone = self.s.service_phone or self.s.practitioner_phone
        body += self.lines(self.say("next.come_back", phone=phone) if phone
                           else self.say("next.come_back_no_phone"))
        return self.section(self.say("next.heading"), body, "next")


class LeafletRenderer(DocumentRenderer):
    """What to expect: given at referral or assessment."""

    kind = "leaflet"
    title_key = "leaflet.title"

    def story(self) -> list[Flowable]:
        c = self.c
        out = self.masthead()
        out += self.lines(self.say("leaflet.intro", name=self.s.person_name))
        out += self.section(c.t("leaflet.what.heading"), self.bullets(c.items("leaflet.what")),
                            "info")
        out += self.section(c.t("leaflet.not.heading"), self.bullets(c.items("leaflet.not")), "no")
        out += self.section(c.t("leaflet.sessions.heading"),
                            self.lines(c.t("leaflet.sessions", count=self.s.sessions_offered)),
                            "next")
        out += self.section(c.t("leaflet.ends.heading"), self.lines(c.t("leaflet.ends")), "goal")
        out += self.reach_us()
        out += self.help_now()
        return out


class DischargeRenderer(PlanRenderer):
    """The discharge letter to the person, or its copy for the referrer or GP."""

    kind = "discharge"

    def title(self) -> str:
        return self.c.t("discharge.title_referrer" if self.for_referrer else "discharge.title")

    def story(self) -> list[Flowable]:
        s, c = self.s, self.c
        out = self.masthead()
        out.append(self.p(c.date(s.issued_on)))
        if self.for_referrer:
            recipient = (s.gp_practice if s.recipient == "gp" else s.referrer_name) or (
                s.referrer_name or s.gp_practice)
            out.append(self.p(self.say("discharge.copy_to", name=recipient), "label"))
            out.append(Spacer(1, self.styles.sizes.body * 0.5))
            out.append(self.p(self.say("discharge.referrer_greeting", name=recipient)))
            full = s.full_name or s.person_name
            body = (self.say("discharge.referrer_body", person=full, date=c.date(s.referred_on))
                    if s.referred_on else self.say("discharge.referrer_body_no_date", person=full))
            out.append(self.p(body))
        else:
            if s.address:
                out.append(self.p("\n".join([s.full_name or s.person_name, *s.address])))
                out.append(Spacer(1, self.styles.sizes.body))
            out.append(self.p(self.say("discharge.greeting", name=s.person_name)))
            done = s.next_steps.discharged_on
            out += self.lines(self.say("discharge.body", date=c.date(done)) if done
                              else self.say("discharge.body_no_date"))
        if s.sessions_attended:
            out.append(self.p(self.say("discharge.sessions", attended=s.sessions_attended,
                                       offered=s.sessions_offered)))
        out += self.goals()
        out += self.outcomes()
        out += health_changes.section(self)
        out += self.services()
        # The letter to the person already said when the sessions ended: not again.
        out += self.next_steps(end_date_said=not self.for_referrer
                               and s.next_steps.discharged_on is not None)
        # The signature ends the letter, kept with its last lines (never alone on a page),
        # and says who wrote and how to reach them (a letter can be read alone). The crisis
        # contacts follow it, as a box to keep.
        sign: list[Flowable] = [Spacer(1, self.styles.sizes.body),
                                self.p(self.say("discharge.sign_off"))]
        if s.practitioner_name:
            sign.append(self.p(s.practitioner_name, "label"))
            if s.service_name:
                sign.append(self.p(s.service_name, "tight"))
        phone = s.practitioner_phone or s.service_phone
        if phone:
            sign.append(self.p(f"{c.t('plan.phone')}: {phone}", "tight"))
        last = out.pop() if out and not isinstance(out[-1], Table) else None
        out.append(KeepTogether([last, *sign] if last is not None else sign))
        if not self.for_referrer:
            out += self.help_now()
        return out

    def outcomes(self) -> list[Flowable]:
        c = self.c
        if not self.s.outcomes:
            return self.section(self.say("discharge.outcomes.heading"),
                                [self.p(self.say("discharge.outcomes.none"))], "chart")
        body: list[Flowable] = []
        for o in self.s.outcomes:
            block = [self.p(c.measure_label(o.label), "label"),
                     self.p(f"{self.say('discharge.outcomes.first')}: {o.first}"),
                     self.p(f"{self.say('discharge.outcomes.last')}: {o.last}")]
            if o.note:
                block.append(self.p(o.note))
            body.append(KeepTogether(block))
        body += self.lines(self.say("discharge.outcomes.note"))
        return self.section(self.say("discharge.outcomes.heading"), body, "chart")


RENDERERS: dict[str, type[DocumentRenderer]] = {
    "plan": PlanRenderer, "leaflet": LeafletRenderer, "discharge": DischargeRenderer}


def render(snapshot: PackSnapshot, content_dir: Path | str | None = None) -> bytes:
    """Build the PDF for a snapshot. Check `fonts.unrenderable(snapshot.all_text())` first."""
    # The referrer's copy keeps the variant's print (the person may read it too) but is
    # written for a professional: the easy-read wording speaks to the person ("My goals").
    wording = ("standard" if snapshot.recipient in ("referrer", "gp") else snapshot.variant)
    content = Content(snapshot.language, wording, content_dir)
    if snapshot.kind not in RENDERERS:
        from wellbeing_desktop.packs.letters import LetterRenderer

        return LetterRenderer(snapshot, content).render()
    return RENDERERS[snapshot.kind](snapshot, content).render()
