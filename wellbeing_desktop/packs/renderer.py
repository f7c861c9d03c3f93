"""The base of every printed document: sections (with easy read's pictures), boxes, the
masthead, contacts and the crisis box, and the two-pass build that avoids a near-empty last
page. The document kinds are in `documents`."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from wellbeing_desktop.domain.languages import language, language_name
from wellbeing_desktop.packs import easy_read, layout
from wellbeing_desktop.packs.content import Content
from wellbeing_desktop.packs.html_copy import html_copy
from wellbeing_desktop.packs.layout import (
    BLUE,
    FRAME_WIDTH,
    PALE,
    PageInfo,
    Styles,
    para,
    text_width,
)
from wellbeing_desktop.packs.pictures import ATTRIBUTION
from wellbeing_desktop.packs.snapshot import PackSnapshot

NEAR_EMPTY = 0.25     # a last page less full than this is worth a second try


class DocumentRenderer:
    kind = ""
    title_key = ""

    def __init__(self, snapshot: PackSnapshot, content: Content) -> None:
        self.s = snapshot
        self.c = content
        self.styles = Styles(snapshot.variant, content.language)
        self.easy = snapshot.variant == "easy-read"
        self.pic = self.styles.sizes.picture
        # Easy-read text sits beside its pictures, so it is set narrower.
        self.width = FRAME_WIDTH - (self.pic + 6 * mm if self.easy else 0)
        self.wide = FRAME_WIDTH

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

    def lines(self, text: str, style: str = "body", pics: list[str] | tuple[str, ...] = ()
              ) -> list[Flowable]:
        """Easy read: one idea per line, each with its picture (`pics`, in order; the
        section's picture where there are fewer); other variants keep the sentence whole."""
        if self.easy:
            ideas = [line for line in text.split("\n") if line.strip()]
            return [easy_read.idea(self.p(self.words(line), style),
                                   pics[i] if i < len(pics) else None)
                    for i, line in enumerate(ideas)]
        return [self.p(" ".join(text.split("\n")), style)]

    def words(self, text: str) -> str:
        """Easy read for the person: abbreviations in full (the referrer's copy keeps them)."""
        return easy_read.plain(text, self.c.language) if self.c.variant == "easy-read" else text

    def ideas(self, key: str, style: str = "body", **values: object) -> list[Flowable]:
        """A fixed sentence as `lines`, with the pictures the content gives its ideas."""
        return self.lines(self.say(key, **values), style, self.c.pictures(key))

    def bullets(self, items: list[str] | tuple[str, ...], pics: list[str] | tuple[str, ...] = ()
                ) -> list[Flowable]:
        if self.easy:   # the picture is the bullet
            return [easy_read.idea(self.p(self.words(item)),
                                   pics[i] if i < len(pics) else None)
                    for i, item in enumerate(items)]
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
        return easy_read.section(self, head, body, pic, wide)

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
        box = KeepTogether([table])
        box._box = True    # easy read: one idea (with one picture), not split into rows
        return box

    def masthead(self) -> list[Flowable]:
        out: list[Flowable] = []
        if self.s.service_name:
            out.append(self.p(self.s.service_name, "label"))
        out.append(para(self.title(), self.styles.title, self.styles, FRAME_WIDTH))
        return out + self.language_notes()

    def language_notes(self) -> list[Flowable]:
        """Under the title: the translation's status when nobody has reviewed it, and the
        interpreter note on an English copy."""
        out: list[Flowable] = []
        if not self.c.status.reviewed:
            # Never silently: a translation nobody has checked says so on the page.
            out.append(para(self.c.english("translation_status").format(
                language=language_name(self.c.language), status=self.c.status.describe()),
                self.styles.note, self.styles, FRAME_WIDTH))
        if self.s.interpreter_language:
            note = self.c.t("interpreter_note",
                            language=language_name(self.s.interpreter_language))
            out.append(self.boxed([self.p(note, "tight")], width=FRAME_WIDTH))
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
        return self.section(self.c.t("help.heading"),
                            [easy_read.idea(self.boxed(items), "help")], "help")

    def reach_us(self) -> list[Flowable]:
        s = self.s
        lines: list[Flowable] = []
        if s.practitioner_name:
            who = (self.c.t("plan.practitioner_line", practitioner=s.practitioner_name,
                            service=s.service_name) if s.service_name else s.practitioner_name)
            lines.append(easy_read.idea(self.p(who), "practitioner"))
        phone = s.practitioner_phone or s.service_phone
        if phone:
            lines.append(easy_read.idea(self.p(f"{self.c.t('plan.phone')}: {phone}", "callout"),
                                        "phone"))
        if s.practitioner_email:
            lines.append(easy_read.idea(self.p(f"{self.c.t('plan.email')}: "
                                               f"{s.practitioner_email}"), "email"))
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
            rtl=bool(getattr(language(self.c.language), "rtl", False)),
        )
        pdf, pages, used = self._build(info, title)
        if pages > 1 and used < NEAR_EMPTY:
            # A last page holding a line or two (often just the crisis box in large print):
            # try once with less space between paragraphs (never smaller print).
            self.styles = Styles(self.s.variant, self.c.language, compact=True)
            tighter, fewer, _ = self._build(info, title)
            if fewer < pages:
                return tighter
        return pdf

    def full_story(self) -> list[Flowable]:
        story = self.story()
        if self.easy:
            story = easy_read.group_ideas(self, story)
            story.append(para(ATTRIBUTION, self.styles.note, self.styles, FRAME_WIDTH))
        return story

    def html(self) -> str:
        title = self.title()
        return html_copy(self.full_story(), title=title, language=self.s.language,
                         rtl=bool(getattr(language(self.c.language), "rtl", False)),
                         footer=self.c.t("footer", title=title, first_name=self.s.first_name),
                         passages=self.c.passages)

    def _build(self, info: PageInfo, title: str) -> tuple[bytes, int, float]:
        story = self.full_story()
        return layout.build_measured(story, self.styles, info, title=title, subject=self.kind,
                                     author=self.s.service_name or "Wellbeing Desktop",
                                     language=self.s.language)


