"""A course's printed documents, each one print job for the whole course: the register and
sign-in sheets (names only as the service allows: first name and initial by default), the
course plan for participants, and the certificates of completion. Built from a plain
snapshot, in the plan's styles and fonts, with a footer that names the course."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from wellbeing_desktop.packs import layout
from wellbeing_desktop.packs.layout import FRAME_WIDTH, PageInfo, Styles, para
from wellbeing_desktop.packs.snapshot import Contact

KINDS = ("register", "course_plan", "certificates")
TITLES = {"register": "Register and sign-in sheets", "course_plan": "Your course plan",
          "certificates": "Certificates of completion"}
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

    def all_text(self) -> list[str]:
        out = [self.title, self.audience, self.service_name, *self.facilitators]
        for s in self.sessions:
            out.extend([s.where, *s.topics])
        for p in self.people:
            out.extend([p.register_name, p.certificate_name])
        return [t for t in out if t]


def _day(when: datetime | date) -> str:
    return f"{when:%A} {when.day} {when:%B}"


def _time(when: datetime) -> str:
    return f"{when:%H:%M}"


class CourseRenderer:
    def __init__(self, snap: CourseSnapshot, kind: str) -> None:
        self.s = snap
        self.kind = kind
        self.styles = Styles(snap.variant)
        self.width = FRAME_WIDTH

    def p(self, text: str, style: str = "body") -> Flowable:
        return para(text, getattr(self.styles, style), self.styles, self.width)

    def head(self, title: str) -> list[Flowable]:
        out: list[Flowable] = []
        if self.s.service_name:
            out.append(self.p(self.s.service_name, "label"))
        out.append(para(title, self.styles.title, self.styles, self.width))
        return out

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
            out.append(self.p(f"{s.title} · {_day(x.starts_at)}, {_time(x.starts_at)} · "
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
        s = self.s
        out = self.head(s.title)
        if s.audience:
            out.append(self.p(f"Who it is for: {s.audience}"))
        if s.facilitators:
            out.append(self.p("Run by " + " and ".join(s.facilitators) + "."))
        out.append(self.p(f"To finish the course, {s.rule_text}. If you cannot come to a "
                          "session, please let us know."))
        out.append(para("The sessions", self.styles.heading, self.styles, self.width))
        for x in s.sessions:
            lines = [self.p(f"Session {x.number}: {_day(x.starts_at)}, {_time(x.starts_at)} "
                            f"({x.minutes} minutes)", "label"), self.p(x.where)]
            if x.topics:
                lines.append(self.p("We will talk about: " + ", ".join(x.topics) + "."))
            out.append(KeepTogether(lines))
        if s.service_phone:
            out.append(self.p(f"To tell us you cannot come, or to ask anything: "
                              f"{s.service_phone}", "callout"))
        if s.crisis_contacts:
            out.append(para("If you need help now", self.styles.heading, self.styles,
                            self.width))
            out += [self.p(f"{c.name}: {c.phone}" + (f" ({c.note})" if c.note else ""))
                    for c in s.crisis_contacts]
        return out

    # -- certificates: one page each ------------------------------------------------------
    def certificates(self) -> list[Flowable]:
        s, st = self.s, self.styles
        finished = [p for p in s.people if p.finished]
        if not finished:
            return [self.p("Nobody has finished this course yet.")]
        out: list[Flowable] = []
        last = s.sessions[-1].starts_at if s.sessions else s.issued_on
        for index, person in enumerate(finished):
            if index:
                out.append(PageBreak())
            out += [Spacer(1, 40 * mm), para("Certificate of completion", st.title, st,
                                             self.width),
                    Spacer(1, 10 * mm), self.p("This is to say that", "body"),
                    para(person.certificate_name, st.title, st, self.width),
                    self.p(f"finished the course \u201c{s.title}\u201d, coming to "
                           f"{sum(1 for m in person.marks if m in ('attended', 'late', 'left_early'))}"
                           f" of its {len(s.sessions)} sessions, ending on {_day(last)} "
                           f"{last.year}."),
                    Spacer(1, 20 * mm)]
            if s.facilitators:
                out.append(self.p(" and ".join(s.facilitators), "label"))
            if s.service_name:
                out.append(self.p(s.service_name))
        return out

    def render(self) -> bytes:
        title = f"{TITLES[self.kind]}: {self.s.title}"
        info = PageInfo(footer_left=title, page_label=lambda n, total: f"Page {n} of {total}",
                        issued_on=self.s.issued_on)
        story = {"register": self.register, "course_plan": self.course_plan,
                 "certificates": self.certificates}[self.kind]()
        return layout.build_pdf(story, self.styles, info, title=title, subject=self.kind,
                                author=self.s.service_name or "Wellbeing Desktop",
                                language="en")
