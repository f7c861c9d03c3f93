"""The printed documents: one renderer class per kind over a `PackSnapshot` (STYLE §15).

Each renderer only arranges content; fonts, styles and page furniture are in `layout`, fixed
sentences in the per-language content files. Same snapshot and content → byte-identical PDF.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from wellbeing_desktop.packs import easy_read, fonts, health_changes
from wellbeing_desktop.packs.charts import measures_chart
from wellbeing_desktop.packs.content import Content
from wellbeing_desktop.packs.easy_read import TOPIC_PICTURES, idea, score_words
from wellbeing_desktop.packs.layout import (
    FRAME_WIDTH,
    labelled,
    text_width,
)
from wellbeing_desktop.packs.renderer import DocumentRenderer as DocumentRenderer  # letters, health
from wellbeing_desktop.packs.snapshot import PackSnapshot

SERVICE_PICTURES = {"plan.services.what": "info", "plan.services.why": "goal",
                    "plan.services.phone": "phone", "plan.services.address": "address",
                    "plan.services.open": "clock", "plan.services.website": "website",
                    "plan.services.email": "email", "plan.services.expect": "door"}


class PlanRenderer(DocumentRenderer):
    """The take-home plan and signposting pack."""

    kind = "plan"
    title_key = "plan.title"

    def story(self) -> list[Flowable]:
        s, c = self.s, self.c
        out = self.masthead()
        out += self.ideas("plan.intro", name=s.person_name)
        out.append(idea(self.p(self.say("made_on", date=c.date(s.issued_on))), "calendar"))
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
        pics = [TOPIC_PICTURES.get(code, "talk") for code in self.s.topics]
        body = self.bullets(words, pics) if words else self.ideas("plan.talked.none")
        return self.section(self.say("plan.talked.heading"), body, "talk")

    def goals(self) -> list[Flowable]:
        if not self.s.goals:
            return self.section(self.say("plan.goals.heading"),
                                self.ideas("plan.goals.none"), "goal")
        body: list[Flowable] = []
        for goal in self.s.goals:
            block: list[Flowable] = [idea(self.p(goal.title, "subheading"), "goal")]
            if goal.steps:
                block.append(self.p(self.say("plan.goals.steps"), "label"))
                block += self.bullets(goal.steps, ("step",) * len(goal.steps))
            if goal.progress is not None:
                block.append(idea(self.p(self.say("plan.goals.progress", score=goal.progress)),
                                  "star"))
            body.append(KeepTogether(block))
        return self.section(self.say("plan.goals.heading"), body, "goal")

    def service_block(self, svc: object, width: float | None = None) -> Flowable:
        from wellbeing_desktop.packs.snapshot import ServiceEntry

        assert isinstance(svc, ServiceEntry)
        items: list[Flowable] = [idea(self.p(svc.name, "box_title"), "services")]

        # The box's padding; in easy read, the pictures' column too.
        inner = (width or self.width) - 20 - (easy_read.BOX_PICTURE + 6 if self.easy else 0)

        def field(key: str, value: str | tuple[str, ...], style: str = "tight") -> None:
            values = [self.words(v) for v in ([value] if isinstance(value, str) else value) if v]
            if not values:
                return
            pic = SERVICE_PICTURES.get(key, "info")
            label, st = self.say(key), getattr(self.styles, style)
            one = labelled(label, values[0], st, self.styles, inner) if len(values) == 1 else None
            # Easy read keeps one idea per line: "Label: value" only when it fits on one line.
            if one is not None and (not self.easy or
                                    text_width(f"{label}: {values[0]}", st) <= inner):
                items.append(idea(one, pic))
                return
            items.append(idea(self.p(label, "label"), pic))
            for v in values:
                items.extend(self.p(line, style) for line in v.split("\n") if line.strip())

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
        items.append(idea(self.p(status, "tight_callout" if svc.contact_made else "tight"),
                          "check" if svc.contact_made else "phone"))
        if svc.contact_note:
            items.append(self.p(self.words(svc.contact_note), "tight"))
        if self.easy:
            items = [easy_read.picture_rows(items, inner)]
        return self.boxed(items, width=width)

    def services(self) -> list[Flowable]:
        heading = self.say("plan.services.heading")
        if not self.s.services:
            return self.section(heading, self.ideas("plan.services.none"), "services")
        if self.easy:
            boxes = [self.service_block(svc, FRAME_WIDTH) for svc in self.s.services]
            return self.section(heading, self.ideas("plan.services.intro"), "services",
                                wide=boxes)
        return self.section(heading, [self.service_block(svc) for svc in self.s.services],
                            "services")

    def advice(self) -> list[Flowable]:
        body: list[Flowable] = []
        for code in self.s.topics:
            advice = self.c.advice(code)
            if advice is None:
                continue
            pic = TOPIC_PICTURES.get(code, "heart")
            body.append(KeepTogether([idea(self.p(advice.title, "subheading"), pic),
                                      *self.bullets(advice.lines, ("idea",) * 9)]))
        if not body:
            return []
        return self.section(self.say("plan.advice.heading"), body, "advice")

    def chart(self) -> list[Flowable]:
        series = [m for m in self.s.chart_series if m.totals]
        if not (self.s.include_chart and series):
            return []
        if self.c.variant == "easy-read":   # no charts in easy read: the change in words
            measured: tuple[object, ...] = self.s.measures or tuple(
                SimpleNamespace(name=m.measure_id, points=tuple(
                    SimpleNamespace(score=t) for t in m.totals)) for m in series)
            words = [w for one in measured for w in score_words(self, one)]
            if not words:
                return []
            return self.section(self.say("plan.chart.heading"),
                                [*self.ideas("plan.chart.note"), *words], "chart")
        # The measures area draws the chart at 7 pt and up; it is drawn small and scaled so
        # that its smallest text meets the variant's minimum size. One drawing per measure, so
        # the charts can flow across a page break instead of moving as one tall block; each is
        # titled in plain words ("Low mood (PHQ-9, out of 27)"), and the dashed line is
        # explained in the note under the charts rather than labelled "cut-off".
        scale = self.styles.sizes.small / 7.0
        cut_off = False
        inner_w = self.width / scale
        body: list[Flowable] = []
        for one in series:
            # The title is set as a paragraph (it wraps; the chart's own title would not), so
            # the chart is drawn untitled and its empty title band (20 units) is not reserved.
            cut_off |= one.caseness_cutoff is not None
            drawing = measures_chart([replace(one, title="")], inner_w, 80.0,
                                     font=fonts.BASE_REGULAR, bold=fonts.BASE_BOLD,
                                     cut_off_label="")
            drawing.scale(scale, scale)
            label = self.c.measure_label(one.measure_id)
            drawing.__dict__["alt_text"] = f"Chart: {label}. " + ", ".join(
                f"{t:g} on {self.c.date(d)}" for d, t in zip(one.dates, one.totals, strict=True))
            drawing.__dict__["data"] = [(self.c.date(d), f"{t:g}")
                                        for d, t in zip(one.dates, one.totals, strict=True)]
            drawing.width, drawing.height = self.width, (80.0 - 12.0) * scale
            body.append(KeepTogether([self.p(self.c.measure_label(one.measure_id), "label"),
                                      drawing, Spacer(1, self.styles.sizes.body * 0.5)]))
        # The note explains only what is drawn: the dashed line where a measure has one.
        note = self.say("plan.chart.note")
        if cut_off:
            note += " " + self.say("plan.chart.cut_off")
        body += self.lines(note)
        return self.section(self.say("plan.chart.heading"), body, "chart")

    def next_steps(self, end_date_said: bool = False) -> list[Flowable]:
        c, n = self.c, self.s.next_steps
        body: list[Flowable] = []
        if n.discharged:
            if n.discharged_on and not end_date_said:
                body += self.ideas("next.discharged", date=c.date(n.discharged_on))
        elif n.next_appointment:
            when = n.next_appointment
            body.append(idea(self.p(self.say("next.appointment", date=c.date(when.date()),
                                             time=c.time(when)), "callout"), "calendar"))
            if n.appointment_how:
                body.append(idea(self.p(self.say("next.appointment_how", how=n.appointment_how)),
                                 "talk"))
        else:
            body += self.ideas("next.none")
        if n.continued_care:
            body.append(self.p(self.say("next.plan"), "label"))
            body += self.bullets(n.continued_care, ("step",) * len(n.continued_care))
        if n.follow_up_on:
            body += self.ideas("next.follow_up", date=c.date(n.follow_up_on))
        phone = self.s.service_phone or self.s.practitioner_phone
        body += (self.ideas("next.come_back", phone=phone) if phone
                 else self.ideas("next.come_back_no_phone"))
        return self.section(self.say("next.heading"), body, "next")


class LeafletRenderer(DocumentRenderer):
    """What to expect: given at referral or assessment."""

    kind = "leaflet"
    title_key = "leaflet.title"

    def story(self) -> list[Flowable]:
        c = self.c
        out = self.masthead()
        out += self.ideas("leaflet.intro", name=self.s.person_name)
        out += self.section(c.t("leaflet.what.heading"),
                            self.bullets(c.items("leaflet.what"), c.pictures("leaflet.what")),
                            "info")
        out += self.section(c.t("leaflet.not.heading"),
                            self.bullets(c.items("leaflet.not"), c.pictures("leaflet.not")), "no")
        out += self.section(c.t("leaflet.sessions.heading"),
                            self.ideas("leaflet.sessions", count=self.s.sessions_offered),
                            "next")
        out += self.section(c.t("leaflet.ends.heading"), self.ideas("leaflet.ends"), "goal")
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
            out += (self.ideas("discharge.body", date=c.date(done)) if done
                    else self.ideas("discharge.body_no_date"))
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
                                self.ideas("discharge.outcomes.none"), "chart")
        if self.c.variant == "easy-read":   # words, not numbers: "Your worry score went down"
            series = self.s.measures or easy_read.from_outcomes(self.s.outcomes)
            words = [w for one in series for w in score_words(self, one)]
            return self.section(self.say("discharge.outcomes.heading"), words, "chart")
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
    return renderer(snapshot, content_dir).render()


def render_html(snapshot: PackSnapshot, content_dir: Path | str | None = None) -> str:
    """The accessible HTML copy of the same document (see `html_copy`)."""
    return renderer(snapshot, content_dir).html()


def renderer(snapshot: PackSnapshot, content_dir: Path | str | None = None
             ) -> DocumentRenderer:
    # The referrer's copy keeps the variant's print (the person may read it too) but is
    # written for a professional: the easy-read wording speaks to the person ("My goals").
    wording = ("standard" if snapshot.recipient in ("referrer", "gp") else snapshot.variant)
    content = Content(snapshot.language, wording, content_dir)
    if snapshot.kind not in RENDERERS:
        from wellbeing_desktop.packs.letters import LetterRenderer

        return LetterRenderer(snapshot, content)
    return RENDERERS[snapshot.kind](snapshot, content)
