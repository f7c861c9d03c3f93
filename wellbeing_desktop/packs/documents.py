"""The printed documents: one renderer class per kind over a `PackSnapshot` (STYLE §15).

Each renderer only arranges content; fonts, styles and page furniture are in `layout`, fixed
sentences in the per-language content files. Same snapshot and content → byte-identical PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from wellbeing_desktop.packs import fonts, layout
from wellbeing_desktop.packs.charts import measures_chart
from wellbeing_desktop.packs.content import Content
from wellbeing_desktop.packs.layout import BLUE, FRAME_WIDTH, PALE, PageInfo, Styles, para
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

    def p(self, text: str, style: str = "body", bullet: str | None = None) -> Flowable:
        return para(text, getattr(self.styles, style), self.styles, self.width, bullet)

    def lines(self, text: str, style: str = "body") -> list[Flowable]:
        """Easy read: one idea per line; other variants keep the sentence together."""
        if self.easy:
            return [self.p(line, style) for line in text.split("\n") if line.strip()]
        return [self.p(" ".join(text.split("\n")), style)]

    def bullets(self, items: list[str] | tuple[str, ...]) -> list[Flowable]:
        return [self.p(item, "bullet", bullet="•") for item in items]

    def section(self, heading: str, body: list[Flowable], pic: str) -> list[Flowable]:
        """A heading and its content; in easy read, a picture beside it. The heading never
        ends a page alone (keepWithNext / the table's first two rows stay together)."""
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
        table = Table(rows, colWidths=[self.pic + 6 * mm, self.width],
                      style=TableStyle([
                          ("VALIGN", (0, 0), (-1, -1), "TOP"),
                          ("LEFTPADDING", (0, 0), (-1, -1), 0),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                          ("TOPPADDING", (0, 0), (-1, -1), 0),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                          ("SPAN", (0, 0), (0, 0)),
                      ]), hAlign="LEFT", splitByRow=1)
        table.keepWithNext = 0
        return [Spacer(1, self.styles.sizes.heading * 0.6), table]

    def boxed(self, flowables: list[Flowable], color: object = PALE) -> Flowable:
        """A tinted box that never splits across pages (a service's block, crisis contacts)."""
        table = Table([[flowables]], colWidths=[self.width], hAlign="LEFT",
                      style=TableStyle([
                          ("BACKGROUND", (0, 0), (-1, -1), color),
                          ("LEFTPADDING", (0, 0), (-1, -1), 10),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                          ("TOPPADDING", (0, 0), (-1, -1), 8),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                          ("LINEBEFORE", (0, 0), (0, -1), 4, BLUE),
                      ]))
        return KeepTogether([table, Spacer(1, self.styles.sizes.body * 0.6)])

    def masthead(self) -> list[Flowable]:
        out: list[Flowable] = []
        if self.s.service_name:
            out.append(self.p(self.s.service_name, "label"))
        out.append(para(self.title(), self.styles.title, self.styles, FRAME_WIDTH))
        return out

    def help_now(self) -> list[Flowable]:
        if not self.s.crisis_contacts:
            return []
        items: list[Flowable] = [self.p(self.c.t("help.intro"))]
        for contact in self.s.crisis_contacts:
            items.append(self.p(f"{contact.name}: {contact.phone}", "callout"))
            if contact.note:
                items.append(self.p(contact.note))
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
        return self.section(self.c.t("plan.your_practitioner"), lines, "person")

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
        out += self.lines(c.t("plan.intro", name=s.person_name))
        out.append(self.p(c.t("made_on", date=c.date(s.issued_on))))
        out += self.reach_us()
        out += self.talked()
        out += self.goals()
        out += self.services()
        out += self.advice()
        out += self.chart()
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
        body = self.bullets(words) if words else [self.p(self.c.t("plan.talked.none"))]
        return self.section(self.c.t("plan.talked.heading"), body, "talk")

    def goals(self) -> list[Flowable]:
        if not self.s.goals:
            return self.section(self.c.t("plan.goals.heading"),
                                [self.p(self.c.t("plan.goals.none"))], "goal")
        body: list[Flowable] = []
        for goal in self.s.goals:
            block: list[Flowable] = [self.p(goal.title, "subheading")]
            if goal.steps:
                block.append(self.p(self.c.t("plan.goals.steps"), "label"))
                block += self.bullets(goal.steps)
            if goal.progress is not None:
                block.append(self.p(self.c.t("plan.goals.progress", score=goal.progress)))
            body.append(KeepTogether(block))
        return self.section(self.c.t("plan.goals.heading"), body, "goal")

    def service_block(self, svc: object) -> Flowable:
        from wellbeing_desktop.packs.snapshot import ServiceEntry

        assert isinstance(svc, ServiceEntry)
        c = self.c
        items: list[Flowable] = [self.p(svc.name, "subheading")]

        def field(key: str, value: str, style: str = "body") -> None:
            if value:
                if self.easy:
                    items.append(self.p(c.t(key), "label"))
                    items.extend(self.lines(value, style))
                else:
                    items.append(self.p(f"{c.t(key)}: {value}", style))

        field("plan.services.what", svc.description)
        field("plan.services.why", svc.reason)
        field("plan.services.phone", svc.phone, "callout")
        postcode = svc.postcode if svc.postcode and svc.postcode not in svc.address else ""
        address = ", ".join(x for x in (svc.address, postcode) if x)
        field("plan.services.address", address)
        if svc.opening_times:
            items.append(self.p(c.t("plan.services.open"), "label"))
            items.extend(self.p(line) for line in svc.opening_times)
        # People type addresses without "https://"; shorter addresses also wrap less.
        field("plan.services.website", re.sub(r"^https?://(www\.)?", "", svc.website).rstrip("/"))
        field("plan.services.email", svc.email)
        field("plan.services.expect", svc.what_to_expect)
        status = c.t("plan.services.contacted" if svc.contact_made else
                     "plan.services.not_contacted")
        items.append(self.p(status, "callout" if svc.contact_made else "body"))
        if svc.contact_note:
            items.append(self.p(svc.contact_note))
        return self.boxed(items)

    def services(self) -> list[Flowable]:
        if not self.s.services:
            body: list[Flowable] = [self.p(self.c.t("plan.services.none"))]
        else:
            body = [self.service_block(svc) for svc in self.s.services]
        return self.section(self.c.t("plan.services.heading"), body, "services")

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
        return self.section(self.c.t("plan.advice.heading"), body, "advice")

    def chart(self) -> list[Flowable]:
        series = [m for m in self.s.chart_series if m.totals]
        if not (self.s.include_chart and series):
            return []
        # The measures area draws the chart at 7 pt and up; it is drawn small and scaled so
        # that its smallest text meets the variant's minimum size.
        scale = self.styles.sizes.small / 7.0
        inner_w = self.width / scale
        inner_h = 80.0 * len(series)
        drawing = measures_chart(series, inner_w, inner_h, font=fonts.BASE_REGULAR,
                                 bold=fonts.BASE_BOLD)
        drawing.scale(scale, scale)
        drawing.width, drawing.height = self.width, inner_h * scale
        body: list[Flowable] = [drawing, self.p(self.c.t("plan.chart.note"))]
        return self.section(self.c.t("plan.chart.heading"), body, "chart")

    def next_steps(self) -> list[Flowable]:
        c, n = self.c, self.s.next_steps
        body: list[Flowable] = []
        if n.discharged:
            if n.discharged_on:
                body += self.lines(c.t("next.discharged", date=c.date(n.discharged_on)))
        elif n.next_appointment:
            body.append(self.p(c.t("next.appointment", date=c.date(n.next_appointment.date()),
                                   time=c.time(n.next_appointment)), "callout"))
            if n.appointment_how:
                body.append(self.p(c.t("next.appointment_how", how=n.appointment_how)))
        else:
            body += self.lines(c.t("next.none"))
        if n.continued_care:
            body.append(self.p(c.t("next.plan"), "label"))
            body += self.bullets(n.continued_care)
        if n.follow_up_on:
            body += self.lines(c.t("next.follow_up", date=c.date(n.follow_up_on)))
        phone = self.s.service_phone or self.s.practitioner_phone
        body += self.lines(c.t("next.come_back", phone=phone) if phone
                           else c.t("next.come_back_no_phone"))
        return self.section(c.t("next.heading"), body, "next")


class LeafletRenderer(DocumentRenderer):
    """What to expect: given at referral or assessment."""

    kind = "leaflet"
    title_key = "leaflet.title"

    def story(self) -> list[Flowable]:
        c = self.c
        out = self.masthead()
        out += self.lines(c.t("leaflet.intro", name=self.s.person_name))
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

    @property
    def for_referrer(self) -> bool:
        return self.s.recipient == "referrer"

    def title(self) -> str:
        return self.c.t("discharge.title_referrer" if self.for_referrer else "discharge.title")

    def story(self) -> list[Flowable]:
        s, c = self.s, self.c
        out = self.masthead()
        out.append(self.p(c.date(s.issued_on)))
        if self.for_referrer:
            recipient = s.referrer_name or s.gp_practice
            out.append(self.p(c.t("discharge.copy_to", name=recipient), "label"))
            out.append(self.p(c.t("discharge.referrer_greeting", name=recipient)))
            body = (c.t("discharge.referrer_body", person=s.full_name or s.person_name,
                        date=c.date(s.referred_on)) if s.referred_on else
                    c.t("discharge.referrer_body_no_date", person=s.full_name or s.person_name))
            out.append(self.p(body))
        else:
            if s.address:
                out.append(self.p("\n".join([s.full_name or s.person_name, *s.address])))
                out.append(Spacer(1, self.styles.sizes.body))
            out.append(self.p(c.t("discharge.greeting", name=s.person_name)))
            done = s.next_steps.discharged_on
            out += self.lines(c.t("discharge.body", date=c.date(done)) if done
                              else c.t("discharge.body_no_date"))
        if s.sessions_attended:
            out.append(self.p(c.t("discharge.sessions", attended=s.sessions_attended,
                                  offered=s.sessions_offered)))
        out += self.goals()
        out += self.outcomes()
        out += self.services()
        out += self.next_steps()
        if not self.for_referrer:
            out += self.help_now()
        out.append(Spacer(1, self.styles.sizes.body))
        out.append(self.p(c.t("discharge.sign_off")))
        if s.practitioner_name:
            out.append(self.p(s.practitioner_name, "label"))
        return out

    def outcomes(self) -> list[Flowable]:
        c = self.c
        if not self.s.outcomes:
            return self.section(c.t("discharge.outcomes.heading"),
                                [self.p(c.t("discharge.outcomes.none"))], "chart")
        body: list[Flowable] = []
        for o in self.s.outcomes:
            block = [self.p(c.measure_label(o.label), "label"),
                     self.p(f"{c.t('discharge.outcomes.first')}: {o.first}"),
                     self.p(f"{c.t('discharge.outcomes.last')}: {o.last}")]
            if o.note:
                block.append(self.p(o.note))
            body.append(KeepTogether(block))
        return self.section(c.t("discharge.outcomes.heading"), body, "chart")


RENDERERS: dict[str, type[DocumentRenderer]] = {
    "plan": PlanRenderer, "leaflet": LeafletRenderer, "discharge": DischargeRenderer}


def render(snapshot: PackSnapshot, content_dir: Path | str | None = None) -> bytes:
    """Build the PDF for a snapshot. Check `fonts.unrenderable(snapshot.all_text())` first."""
    content = Content(snapshot.language, snapshot.variant, content_dir)
    return RENDERERS[snapshot.kind](snapshot, content).render()
