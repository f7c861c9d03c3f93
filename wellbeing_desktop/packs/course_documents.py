"""A course's printed documents, each one print job for the whole course: the register and
sign-in sheets (names only as the service allows: first name and initial by default), the
course plan for participants, and the certificates of completion. Built from a plain
snapshot, in the plan's styles and fonts, with a footer that names the course.

The participants' documents (course plan, certificates) take their wording from the content
files (`resources/packs/en/courses.json`, translated in the same gettext catalogues as every
printed document) and say when the translation is a draft. The register and sign-in sheets are
for the facilitators and stay in English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from wellbeing_desktop.domain.languages import language, language_name
from wellbeing_desktop.packs import layout
from wellbeing_desktop.packs.content import Content
from wellbeing_desktop.packs.layout import FRAME_WIDTH, PageInfo, Styles, para
from wellbeing_desktop.packs.snapshot import Contact

KINDS = ("register", "course_plan", "certificates")
TITLES = {"register": "Register and sign-in sheets", "course_plan": "Your course plan",
          "certificates": "Certificates of completion"}   # English: what the app shows
FOR_STAFF = ("register",)   # always in English
# Where a video session is, as the service writes it (translated for the participants).
BY_VIDEO = "By video"
BY_VIDEO_LINK = "By video: we will send you the link"
MARK_LETTERS = {"attended": "A", "late": "L", "left_early": "E", "did_not_attend": "D",
                "cancelled_service": "C", "booked": ""}


@dataclass(frozen=True)
class SessionLine:
    number: int
    starts_at: datetime
    minutes: int
    where: str
    topics: tuple[str, ...]  # in plain words


@dataclass(frozen=True)
class Person:
    register_name: str  # as the service allows on a register ("Ada T.")
    certificate_name: str  # the name they go by, in full, for their certificate
    marks: tuple[str, ...] = ()
    finished: bool = False


@dataclass(frozen=True)
class CourseSnapshot:
    title: str
    audience: str
    service_name: str
    service_phone: str
    facilitators: tuple[str, ...]
    rule_text: str  # "come to at least 4 of the 6 sessions"
    sessions: tuple[SessionLine, ...]
    people: tuple[Person, ...]
    crisis_contacts: tuple[Contact, ...]
    issued_on: date
    variant: str = "standard"
    language: str = "en"
    complete_after: int = 0  # sessions to come to (the rule in the document's language)

    def all_text(self) -> list[str]:
        out = [self.title, self.audience, self.service_name, *self.facilitators]
        for s in self.sessions:
            out.extend([s.where, *s.topics])
        for p in self.people:
            out.extend([p.register_name, p.certificate_name])
        return [t for t in out if t]


def _time(when: datetime) -> str:
    return f"{when:%H:%M}"


class CourseRenderer:
    def __init__(self, snap: CourseSnapshot, kind: str, content_dir: str | None = None) -> None:
        self.s = snap
        self.kind = kind
        self.language = "en" if kind in FOR_STAFF else snap.language
        self.c = Content(self.language, "standard", content_dir)
        self.styles = Styles(snap.variant, self.language)
        self.width = FRAME_WIDTH

    def p(self, text: str, style: str = "body") -> Flowable:
        return para(text, getattr(self.styles, style), self.styles, self.width)

    def day(self, when: datetime | date) -> str:
        c = self.c
        return c.t("course.day", weekday=c.word("days", when.weekday()), day=when.day,
                   month=c.word("months", when.month - 1))

    def rule(self) -> str:
        if not self.s.complete_after:
            return self.s.rule_text
        return self.c.t("course.rule", count=self.s.complete_after,
                        sessions=len(self.s.sessions))

    def names(self, names: tuple[str, ...]) -> str:
        return self.c.join(names, "course.and")

    def head(self, title: str) -> list[Flowable]:
        out: list[Flowable] = []
        if self.s.service_name:
            out.append(self.p(self.s.service_name, "label"))
        out.append(para(title, self.styles.title, self.styles, self.width))
        return out + self.status_note()

    def status_note(self) -> list[Flowable]:
        if self.c.status.reviewed:
            return []
        # Never silently: a translation nobody has checked says so, as on every document.
        return [para(self.c.english("translation_status").format(
            language=language_name(self.language), status=self.c.status.describe()),
            self.styles.note, self.styles, self.width)]

    def where(self, x: SessionLine) -> str:
        words = {BY_VIDEO: "course.by_video", BY_VIDEO_LINK: "course.by_video_link"}
        return self.c.t(words[x.where]) if x.where in words else x.where

    def table(self, rows: list[list[object]], widths: list[float], *, header: bool = True,
              tall: float = 0) -> Table:
        t = Table(rows, colWidths=widths, repeatRows=1 if header else 0,
                  rowHeights=None if not tall else [None] + [tall] * (len(rows) - 1))
        style = [("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#425563")),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDEE")))
        t.setStyle(TableStyle(style))
        return t

    # -- the register: a grid of every session, then one sign-in sheet per session ---------
    def register(self) -> list[Flowable]:
        s, st = self.s, self.styles
        out = self.head(f"Register: {s.title}")
        out.append(self.p(f"Finishing the course: {s.rule_text}. Marks: A attended, L late, "
                          "E left early, D did not attend, C cancelled by us.", "footer"))
        n = len(s.sessions)
        name_w = self.width * 0.34
        cell = (self.width - name_w) / max(1, n)
        small = st.footer
        header: list[object] = [para("Name", small, st, name_w)] + [
            para(f"{x.number}: {x.starts_at.day}/{x.starts_at.month}", small, st, cell)
            for x in s.sessions]
        rows: list[list[object]] = [header]
        for person in s.people:
            rows.append([para(person.register_name, small, st, name_w)] + [
                para(MARK_LETTERS.get(m, ""), small, st, cell) for m in person.marks[:n]]
                + [""] * (n - len(person.marks[:n])))
        out.append(self.table(rows, [name_w] + [cell] * n))
        for x in s.sessions:
            out.append(PageBreak())
            out += self.head(f"Sign-in: session {x.number}")
            out.append(self.p(f"{s.title} · {self.day(x.starts_at)}, {_time(x.starts_at)} · "
                              f"{x.where}"))
            if x.topics:
                out.append(self.p("Topics: " + ", ".join(x.topics)))
            sign: list[list[object]] = [[para("Name", small, st, self.width * 0.4),
                                         para("Signature", small, st, self.width * 0.4),
                                         para("Staff use", small, st, self.width * 0.2)]]
            sign += [[para(person.register_name, st.body, st, self.width * 0.4), "", ""]
                     for person in s.people]
            sign += [["", "", ""] for _ in range(2)]  # someone joining on the day
            out.append(self.table(sign, [self.width * 0.4, self.width * 0.4, self.width * 0.2],
                                  tall=st.sizes.body * 2.2))
        return out

    # -- the course plan, for participants -------------------------------------------------
    def course_plan(self) -> list[Flowable]:
        s, c = self.s, self.c
        out = self.head(s.title)
        if s.audience:
            out.append(self.p(c.t("course.who_for", audience=s.audience)))
        if s.facilitators:
            out.append(self.p(c.t("course.run_by", names=self.names(s.facilitators))))
        out.append(self.p(c.t("course.finish", rule=self.rule())))
        out.append(para(c.t("course.sessions.heading"), self.styles.heading, self.styles,
                        self.width))
        for x in s.sessions:
            lines = [self.p(c.t("course.session", number=x.number, day=self.day(x.starts_at),
                                time=_time(x.starts_at), minutes=x.minutes), "label"),
                     self.p(self.where(x))]
            if x.topics:
                lines.append(self.p(c.t("course.topics", topics=", ".join(x.topics))))
            out.append(KeepTogether(lines))
        if s.service_phone:
            out.append(self.p(c.t("course.contact", phone=s.service_phone), "callout"))
        if s.crisis_contacts:
            out.append(para(c.t("help.heading"), self.styles.heading, self.styles,
                            self.width))
            out += [self.p(f"{x.name}: {x.phone}" + (f" ({x.note})" if x.note else ""))
                    for x in s.crisis_contacts]
        return out

    # -- certificates: one page each ------------------------------------------------------
    def certificates(self) -> list[Flowable]:
        s, st, c = self.s, self.styles, self.c
        finished = [p for p in s.people if p.finished]
        if not finished:
            return [self.p(c.t("course.certificate.nobody"))]
        out: list[Flowable] = []
        last = s.sessions[-1].starts_at if s.sessions else s.issued_on
        for index, person in enumerate(finished):
            if index:
                out.append(PageBreak())
            came = sum(1 for m in person.marks if m in ("attended", "late", "left_early"))
            out += [Spacer(1, 40 * mm), para(c.t("course.certificate.title"), st.title, st,
                                             self.width)]
            if index == 0:
                out += self.status_note()
            out += [Spacer(1, 10 * mm), self.p(c.t("course.certificate.this_is"), "body"),
                    para(person.certificate_name, st.title, st, self.width),
                    self.p(c.t("course.certificate.finished", course=s.title, came=came,
                               sessions=len(s.sessions), day=self.day(last), year=last.year)),
                    Spacer(1, 20 * mm)]
            if s.facilitators:
                out.append(self.p(self.names(s.facilitators), "label"))
            if s.service_name:
                out.append(self.p(s.service_name))
        return out

    def title(self) -> str:
        return self.c.t("course.document_title", kind=self.c.t(f"course.title.{self.kind}"),
                        course=self.s.title)

    def render(self) -> bytes:
        title = self.title()
        info = PageInfo(footer_left=title,
                        page_label=lambda n, total: self.c.t("page_x_of_y", page=n, pages=total),
                        issued_on=self.s.issued_on,
                        rtl=bool(getattr(language(self.language), "rtl", False)))
        story = {"register": self.register, "course_plan": self.course_plan,
                 "certificates": self.certificates}[self.kind]()
        return layout.build_pdf(story, self.styles, info, title=title, subject=self.kind,
                                author=self.s.service_name or "Wellbeing Desktop",
                                language=self.language)
