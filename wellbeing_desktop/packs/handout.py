"""A signposting handout without a client ("Money worries in Kingsmere"): the directory's
services for one need (and area), how to reach them and when they are open, a course's dates
when it is for a course, and the crisis numbers. It reuses the take-home plan's service boxes,
so the three variants look as the plan does; the footer names the handout, not a person."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable

from wellbeing_desktop.domain.languages import language
from wellbeing_desktop.packs import layout
from wellbeing_desktop.packs.content import Content
from wellbeing_desktop.packs.documents import PlanRenderer
from wellbeing_desktop.packs.layout import PageInfo
from wellbeing_desktop.packs.snapshot import PackSnapshot


class HandoutRenderer(PlanRenderer):
    kind = "handout"

    def __init__(self, snapshot: PackSnapshot, content: Content, title: str,
                 course_lines: tuple[str, ...] = ()) -> None:
        super().__init__(snapshot, content)
        self._title = title
        self.course_lines = course_lines

    def title(self) -> str:
        return self._title

    def say(self, key: str, **values: object) -> str:
        # The plan's service boxes speak of "services we chose together": a handout has its
        # own words where it needs them ("handout.services.none").
        if key.startswith("plan.") and self.c.has("handout." + key.split(".", 1)[1]):
            key = "handout." + key.split(".", 1)[1]
        return super().say(key, **values)

    def story(self) -> list[Flowable]:
        out = self.masthead()
        out += self.lines(self.say("handout.intro"))
        out.append(self.p(self.say("made_on", date=self.c.date(self.s.issued_on))))
        if self.course_lines:
            out += self.section(self.say("handout.course.heading"),
                                [self.p(line) for line in self.course_lines], "info")
        out += self.services()
        out += self.help_now()
        return out

    def render(self) -> bytes:
        title = self.title()
        info = PageInfo(footer_left=title,
                        page_label=lambda n, total: self.c.t("page_x_of_y", page=n, pages=total),
                        issued_on=self.s.issued_on,
                        rtl=bool(getattr(language(self.c.language), "rtl", False)))
        return layout.build_pdf(self.story(), self.styles, info, title=title, subject=self.kind,
                                author=self.s.service_name or "Wellbeing Desktop",
                                language=self.s.language)


def handout_title(c: Content, need: str, label: str, area: str = "",
                  course: str = "") -> str:
    """The handout's title in the content's language; the need's name is its advice title
    when that is translated, else the needs domain's English label."""
    advice = c.advice(need)
    words = (c.passage(advice.title, c.language, label)
             if advice is not None and c.language != "en" and c.translated_advice(need)
             else label)
    if course:
        return c.t("handout.title.course", course=course, need=words.lower())
    if area:
        return c.t("handout.title.area", need=words, area=area)
    return c.t("handout.title", need=words)


def course_lines(c: Content, sessions: list[tuple[int, datetime, str]],
                 video: bool = False) -> tuple[str, ...]:
    """One line per session of a course: number, day, time and where."""
    out = []
    for number, starts_at, where in sessions:
        day = c.t("course.day", weekday=c.word("days", starts_at.weekday()), day=starts_at.day,
                  month=c.word("months", starts_at.month - 1))
        place = where or (c.t("handout.course.by_video") if video else "")
        key = "handout.course.session" if place else "handout.course.session_no_place"
        out.append(c.t(key, number=number, day=day, time=f"{starts_at:%H:%M}", where=place))
    return tuple(out)


def render_handout(snapshot: PackSnapshot, title: str, course_lines: tuple[str, ...] = (),
                   content_dir: str | None = None) -> bytes:
    content = Content(snapshot.language, snapshot.variant, content_dir)
    return HandoutRenderer(snapshot, content, title, course_lines).render()
