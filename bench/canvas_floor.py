"""The canvas floor: the product's handout drawn straight on a reportlab canvas.

The floor draws the same content as :func:`handouts.build.render_handout` for the guide layout
(the one the benchmark times), in the same order: the header band, the therapist's note, the
key points, the stretch cards (picture with caption and "Easier way" on the left, purpose,
start, what it needs, steps and dose on the right, cautions below), the note on getting down to
the floor, the background sections in two balanced columns (one column in large print), the
tick log (a box per time a day, days from the handout date), the safety boxes in two columns
with the scope statement, and the compact contact block with links and the QR code; with the
running header, footers with "Page X of Y" and bookmarks, in the same embedded fonts. It uses a
simple greedy line breaker and fixed, measured blocks in place of platypus
(bench/canvas_parts.py), placed by a small page flow (bench/canvas_page.py). It may place
things a little differently; it must not draw less: bench/pdf_contents.py counts what a PDF
contains (pages, words, drawing operators) so that the benchmark can prove the floor still
matches the product before timing.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Sequence
from typing import Any

from canvas_page import Marked, NumberedCanvas, Page  # the bench folder
from canvas_parts import Columns, Drawn, Gap, Panel, Part, Stack, Text
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch

from handouts.build import (
    ANATOMY_IMAGE,
    BACKGROUND,
    section_context,
)
from handouts.cards import PICTURE_SHARE
from handouts.closing import contact_lines, split_groups
from handouts.fonts import load_fonts
from handouts.language import dose_text, load_language, plan_language, template_search
from handouts.marks import QrCode, TickRow, WarningSign
from handouts.models import Plan, PlannedStretch
from handouts.render import frames, stream_level
from handouts.renderer import Renderer, handout_title
from handouts.resources import image_path
from handouts.styles import make_theme
from handouts.templating import Block, parse_markdown, render_template
from handouts.text import markup
from handouts.ticklog import LOG_DAYS, TWO_WEEKS_FROM

# The bench peers print the English handout: its words from the English language files.
ANATOMY_CAPTION = load_language().text("anatomy.caption")


SCOPE = ("These are self-care ideas from your massage therapist. They are not medical advice, "
         "and they do not replace care from your doctor.")


class Floor(Page):
    """One handout drawn on a canvas, top to bottom, a new page when a block does not fit."""

    def __init__(self, plan: Plan, renderer: Renderer):
        self.plan = plan
        self.fonts = fonts = load_fonts(plan.clinic.fonts)
        self.t = t = make_theme(fonts, plan.clinic.brand_color, plan.paper, plan.large_print,
                                plan.grayscale, plan.compact)
        self.renderer, self.images = renderer, image_path(plan.clinic.folder)
        self.width, self.pad = t.frame_width, 0.55 * t.body_size
        deco = renderer.decoration(plan, t)
        first, later = frames(t, deco.lines)  # the product's page frames
        self.page_height = later._height
        self.full: dict[str, ParagraphStyle] = {}  # styles without the line-length limit
        self.scope_printed = False
        self.buffer = io.BytesIO()
        c = NumberedCanvas(self.buffer, pagesize=t.page_size, invariant=1, pageCompression=1,
                           initialFontName=fonts.regular, initialFontSize=t.body_size,
                           lang="en-US")
        c.footer = deco.footer
        titles = ", ".join(p.stretch.title for p in plan.stretches)
        c.setTitle(handout_title(plan.client.name))
        c.setAuthor(plan.clinic.name)
        c.setSubject(f"Psoas self-care handout with {len(plan.stretches)} stretches: {titles}")
        c.setKeywords(["psoas", "self-care", "stretches", "massage"]
                      + [p.stretch.id for p in plan.stretches])
        c.setCreator("psoas-handouts")
        c.setProducer("psoas-handouts (reportlab)")
        c.setViewerPreference("DisplayDocTitle", "true")
        super().__init__(c, t.margin, first._y1 + first._height, later._y1 + later._height,
                         first._y1, t.body_size, deco.later_header)

    # text helpers
    def m(self, text: str) -> str:
        """Plain text as safe markup (fallback face where needed), as the product does."""
        return markup(text, self.fonts)

    def style(self, name: str, full: bool = False) -> ParagraphStyle:
        """A named style; ``full`` drops the right indent that limits the line length."""
        if not full:
            return self.t.s(name)
        if name not in self.full:
            self.full[name] = ParagraphStyle(name + "-full", parent=self.t.s(name),
                                             rightIndent=0)
        return self.full[name]

    def p(self, text_markup: str, style: str, width: float | None = None, bullet: str = "",
          full: bool = False) -> Text:
        """A paragraph in a named style."""
        return Text(text_markup, self.style(style, full), width or self.width, self.fonts,
                    bullet, self.t.colors["brand_text"])

    def blocks(self, blocks: Sequence[Block], width: float | None = None, body: str = "body",
               bullet: str = "bullet", heading: str = "h2", full: bool = False,
               level: int = 0) -> list[Marked]:
        """Markdown blocks as (block, bookmark) pairs: headings, paragraphs, list items."""
        out: list[Marked] = []
        for b in blocks:
            if b.kind in ("h1", "h2"):
                mark = (b.plain, level) if heading == "h2" else None
                out.append((self.p(b.items[0], heading, width, full=full), mark))
            elif b.kind.startswith("h"):
                out.append((self.p(b.items[0], "h3", width, full=full), None))
            elif b.kind == "p":
                out.append((self.p(b.items[0], body, width, full=full), None))
            else:
                for n, item in enumerate(b.items, start=1):
                    sign = f"{n}." if b.kind == "ol" else "•"
                    out.append((self.p(item, bullet, width, bullet=sign, full=full), None))
        return out

    def picture(self, name: str, width: float, max_height: float) -> Any:
        """The picture flowable, from the renderer's cache, as the product draws it."""
        path = self.images.find_image(name)
        assert path is not None, name
        return self.renderer.picture(path, self.fonts, width, max_height, gray=self.plan.grayscale)

    def box(self, inner: Sequence[Part], fill: Color, edge: Color,
            width: float | None = None) -> Panel:
        """A tinted box with a strong left edge (key points, notes, safety, contact)."""
        return Panel(Stack(inner), width or self.width,
                     (self.pad * 1.4, self.pad * 1.4, self.pad, self.pad * 0.6), fill, (4, edge))

    def box_blocks(self, blocks: Sequence[Block], width: float) -> list[Part]:
        """Markdown set inside a box of ``width``."""
        inner = width - 2 * self.pad * 1.4
        return [b for b, _ in self.blocks(blocks, inner, "box", "box_bullet", "box_title")]

    # the parts of the handout
    def header(self) -> None:
        """The first-page band: the logo or the clinic's name (once), the title, a workshop's
        title and the sample line on the left; who and when on the right."""
        plan, t, pad = self.plan, self.t, self.pad * 1.4
        right_w = (0.45 if t.large_print else 0.33) * self.width
        left_w = self.width - right_w - 2 * pad
        left: list[Part] = []
        if plan.clinic.logo is not None:
            logo = self.renderer.picture(plan.clinic.logo, self.fonts, 1.8 * inch, 0.7 * inch,
                                         gray=plan.grayscale)
            left += [Drawn(logo, logo.width), Gap(4)]
        else:
            left.append(self.p(self.m(plan.clinic.name), "meta_bold", left_w))
        left.append(self.p(self.m("Your psoas: a take-home guide"), "title", left_w))
        if plan.event:
            left.append(self.p(self.m(plan.event), "meta_bold", left_w))
        if plan.clinic.sample:
            left.append(self.p(self.m("Sample clinic details. Run “build-handouts init” to set "
                                      "up your own."), "meta", left_w))
        rows = [("For", plan.client.name),
                ("Date", plan_language(plan).long_date(plan.date, False))]
        if plan.therapist is not None:
            rows.append(("From", plan.therapist.signature))
        if plan.client.next_visit:
            rows.append(("Next visit", plan_language(plan).visit_text(plan.client.next_visit)))
        right = [self.p(f"<b>{self.m(k)}:</b> {self.m(v)}", "meta", right_w - 2 * pad)
                 for k, v in rows]
        cols = Columns([(0, Stack(left)), (left_w + 2 * pad, Stack(right))], valign_middle=True)
        self.place(Panel(cols, self.width, (pad, pad, self.pad, self.pad), t.colors["tint"],
                         under=(3, t.colors["brand"])))
        self.down(self.body * 0.6)

    def note(self) -> None:
        """The therapist's note for this client, in a box."""
        note = self.plan.client.note
        if not note:
            return
        who = self.plan.therapist.name if self.plan.therapist else "your therapist"
        w = self.width - 2 * self.pad * 1.4
        text = "<br/>".join(self.m(line) for line in note.split("\n"))
        self.place(self.box([self.p(self.m(f"A note from {who}"), "box_title", w),
                             self.p(text, "box", w)], self.t.colors["tint"],
                            self.t.colors["brand"]))
        self.down(self.body * 0.6)

    def panel(self, blocks: Sequence[Block], after: float = 0.6) -> None:
        """A tinted box of Markdown (the key points, the note on getting down to the floor)."""
        t = self.t
        self.place(self.box(self.box_blocks(blocks, self.width), t.colors["tint"],
                            t.colors["brand"]))
        self.down(self.body * after)

    def stretches(self, blocks: Sequence[Block]) -> None:
        """The heading and its line, kept with the first card (alone in large print)."""
        intro = self.blocks(blocks)
        cards = [self.card(item) for item in self.plan.stretches]
        first = [] if self.t.large_print else cards[:1]
        self.flow(intro + first, together=True)
        if first:
            self.down(self.body * 0.6)
        for card in cards[len(first):]:
            self.place(*card)
            self.down(self.body * 0.6)

    def card(self, item: PlannedStretch) -> Marked:
        """A stretch card: the title; the picture (42% of the card) with its caption and the
        easier way beside the purpose, start, needs, steps and dose; the note; the cautions.
        In large print the steps run full width under the picture."""
        t, s, pad = self.t, item.stretch, self.pad
        inner = self.width - 2 * pad * 1.2
        large = t.large_print
        pic_w = PICTURE_SHARE * inner
        text_w = inner - pic_w if s.image else inner
        title = f"{item.number}. {s.title}"
        purpose = self.p(self.m(s.purpose), "card", text_w)
        lead = [self.p(f"<b>{self.m('Start:')}</b> {self.m(s.start)}", "card", text_w)]
        if s.needs:
            lead.append(self.p(f"<b>{self.m('You need:')}</b> {self.m(', '.join(s.needs))}.",
                               "card", text_w))
        steps_w = text_w if s.image and not large else inner
        steps: list[Part] = [self.p(self.m(step), "step", steps_w, bullet=f"{n}.")
                             for n, step in enumerate(s.steps, start=1)]
        dose = self.p(self.m(dose_text(item.dose)), "dose", steps_w)
        easier = f"<b>{self.m('Easier way:')}</b> {self.m(s.gentler)}" if s.gentler else ""
        rows: list[Part] = [self.p(self.m(title), "card_title", inner)]
        if s.image:
            pic = self.picture(s.image, pic_w - pad, 2.6 * inch)
            left: list[Part] = [Drawn(pic, pic_w - pad, (pic_w - pad - pic.width) / 2), Gap(3),
                                self.p(self.m(s.caption), "caption", pic_w - pad)]
            right = [purpose, *lead]
            if not large:
                if easier:
                    left += [Gap(pad * 0.5), self.p(easier, "caption", pic_w - pad)]
                right += [*steps, dose]
            rows.append(Columns([(0, Stack(left)), (pic_w, Stack(right))]))
            if large:
                rows += [*steps, dose] + ([self.p(easier, "card", inner)] if easier else [])
        else:
            rows += [purpose, *lead, *steps, dose]
            rows += [self.p(easier, "card", inner)] if easier else []
        if item.note:
            who = self.plan.therapist.name if self.plan.therapist else "your therapist"
            note = "<br/>".join(self.m(line) for line in item.note.split("\n"))
            rows.append(self.p(f"<b>{self.m(f'Note from {who}:')}</b> {note}", "card", inner))
        cautions = [*s.cautions, *((f"Because of your {label}:", text)
                                   for label, text in item.cautions)]
        if cautions:
            rows.append(self.caution_box(cautions, inner))
        card = Panel(Stack(rows, gap=pad * 0.2), self.width,
                     (pad * 1.2, pad * 1.2, pad * 0.7, pad * 0.7), border=(1, t.colors["rule"], 6))
        return card, (title, 1)

    def caution_box(self, cautions: Sequence[Any], width: float) -> Panel:
        """Cautions beside a drawn warning sign, on the caution tint."""
        t = self.t
        sign_col = t.body_size * 2.2
        text = f"<b>{self.m('Take care:')}</b> " + " ".join(
            self.m(c) if isinstance(c, str) else f"<b>{self.m(c[0])}</b> {self.m(c[1])}"
            for c in cautions)
        sign = Drawn(WarningSign(t.body_size * 1.3, t.colors["caution_edge"]), sign_col)
        body = self.p(text, "box", width - sign_col - self.pad - 6)
        return Panel(Columns([(0, sign), (sign_col, body)]), width,
                     (self.pad, 6, self.pad * 0.5, 0), t.colors["caution_fill"],
                     (3, t.colors["caution_edge"]))

    def background(self, sections: Sequence[tuple[str, Sequence[Block]]]) -> None:
        """The background sections: two balanced columns at the normal size, one column (the
        anatomy picture beside the text) in large print."""
        if self.t.large_print:
            for name, blocks in sections:
                if name == "what-is-psoas":
                    self.with_picture(blocks)
                else:
                    self.flow(self.blocks(blocks))
            return
        gap = self.body * 1.2
        col_w = (self.width - gap) / 2
        items: list[Marked] = []
        for name, blocks in sections:
            pairs = self.blocks(blocks, col_w, full=True)
            if name == "what-is-psoas":
                fig_w = col_w * 0.8
                pic = self.picture(ANATOMY_IMAGE, fig_w, 3.6 * inch)
                caption = self.p(self.m(ANATOMY_CAPTION), "caption", fig_w)
                figure = Stack([Drawn(pic, fig_w, (fig_w - pic.width) / 2), Gap(4), caption,
                                Gap(self.pad * 0.5)])
                pairs.insert(1, (figure, None))
            items += pairs
        self.columns(items, col_w, gap)

    def with_picture(self, blocks: Sequence[Block]) -> None:
        """Text beside the anatomy drawing and its caption; the closing list below both."""
        pic_w = 0.4 * self.width
        pic = self.picture(ANATOMY_IMAGE, pic_w, 3.6 * inch)
        caption = self.p(self.m(ANATOMY_CAPTION), "caption", pic_w)
        figure_h = pic.height + 4 + caption.h
        split = next((i for i, b in enumerate(blocks) if b.kind in ("ul", "ol")), len(blocks))
        if split and blocks[split - 1].kind == "p" and \
                blocks[split - 1].items[0].rstrip().endswith(":"):
            split -= 1
        heading, beside, below = blocks[:1], blocks[1:split], blocks[split:]
        pairs = self.blocks(heading)
        self.need(pairs[0][0].h + figure_h + self.body * 4)
        self.flow(pairs, together=True)
        top = self.y
        Drawn(pic, pic_w, (pic_w - pic.width) / 2).draw(self.c, self.x + self.width - pic_w,
                                                        top - 2)
        caption.draw(self.c, self.x + self.width - pic_w, top - 2 - pic.height - 4)
        narrow = self.width - pic_w - self.body
        pic_bottom = top - 2 - figure_h
        for b in beside:  # beside the picture while it lasts, then the full width
            for block, mark in self.blocks([b], narrow if self.y > pic_bottom else None,
                                           full=True):
                self.place(block, mark)
        self.y = min(self.y, pic_bottom - self.body * 0.5)
        self.after = 0.0
        self.flow(self.blocks(below, full=True), together=True)

    def log(self, blocks: Sequence[Block]) -> None:
        """The tick log: a row per stretch, a box per time a day, days from the handout date;
        two weeks when the next visit is 10 or more days away."""
        t, plan = self.t, self.plan
        try:
            visit = _dt.date.fromisoformat(plan.client.next_visit)
            weeks = 2 if (visit - plan.date).days >= TWO_WEEKS_FROM else 1
        except ValueError:
            weeks = 1
        days = LOG_DAYS * weeks
        dates = [plan.date + _dt.timedelta(days=i) for i in range(days)]
        boxes = max(p.dose.per_day for p in plan.stretches)
        box = min(t.body_size * (1.05 if days > 7 or boxes > 1 else 1.3),
                  14.0 if boxes > 1 else 17.0)
        day_w = max(box * (1.5 * boxes + 0.4), t.body_size * 3.0)
        first_w = self.width - 7 * day_w
        pad = self.pad * 0.5
        self.need(t.body_size * 12)
        self.flow(self.blocks(blocks))
        for week in range(0, days, 7):
            head = [(6.0, self.p(self.m("Stretch"), "log_head", first_w - 12))]
            for n, d in enumerate(dates[week:week + 7]):
                label = self.p(self.m(d.strftime("%a")), "log_head", day_w - 12)
                wide = max(label.width_used(), 1.0)
                head.append((first_w + n * day_w + (day_w - wide) / 2, label))
            self.place(Panel(Columns(head, True), self.width, (0, 0, pad, pad),
                             under=(1.5, t.colors["brand"])))
            for item in plan.stretches:
                ticks = TickRow(item.dose.per_day, box, t.colors["ink"])
                cells: list[tuple[float, Part]] = [
                    (6.0, self.p(self.m(f"{item.number}. {item.stretch.title}"), "log_cell",
                                 first_w - 12))]
                cells += [(first_w + n * day_w + (day_w - ticks.width) / 2,
                           Drawn(ticks, ticks.width)) for n in range(7)]
                self.place(Panel(Columns(cells, True), self.width, (0, 0, pad, pad),
                                 under=(0.5, t.colors["rule"])))
            self.down(t.body_size * 0.6)

    def safety(self, blocks: Sequence[Block]) -> None:
        """Stop rules, emergency signs and "see a doctor soon" in boxes in two columns (the
        emergency box on the right, the scope statement under it), kept together; stacked at
        full width when the columns would be taller than most of a page."""
        t, pad = self.t, self.pad
        heading, groups, rest = split_groups(blocks)
        styles = [(t.colors["caution_fill"], t.colors["caution_edge"]),
                  (t.colors["help_fill"], t.colors["help_edge"])]
        width = (self.width - pad * 2) / 2
        stacks: list[list[Part]] = [[], []]
        for n, g in enumerate(groups):
            fill, edge = styles[1] if n == 1 else styles[0]
            column = stacks[n % 2]
            column += ([Gap(pad)] if column else []) + [self.box(self.box_blocks(g, width),
                                                                 fill, edge, width)]
        if len(groups) % 2:
            stacks[1] += [Gap(pad), self.p(self.m(self.scope_text()), "box", width)]
            self.scope_printed = True
        row = Columns([(0, Stack(stacks[0])), (width + pad * 2, Stack(stacks[1]))])
        if row.h > self.page_height * 0.8:  # stacked, full width; each box moves on its own
            self.scope_printed = False
            self.flow(self.blocks(heading) + [(self.box(self.box_blocks(groups[0], self.width),
                                                        *styles[0]), None)], together=True)
            for n, g in enumerate(groups[1:], start=1):
                self.down(pad)
                self.place(self.box(self.box_blocks(g, self.width), *styles[min(n, 1)]))
            self.flow(self.blocks(rest, body="box"))
            return
        self.flow(self.blocks(heading) + [(row, None), (Gap(pad), None)]
                  + self.blocks(rest, body="box"), together=True)

    def scope_text(self) -> str:
        """The self-care scope statement and the clinic's own disclaimer."""
        return SCOPE + (" " + self.plan.clinic.disclaimer if self.plan.clinic.disclaimer else "")

    def contact(self, blocks: Sequence[Block]) -> None:
        """Next steps; where the clinic is, how to reach it (links) and a QR code to book, in
        one box; the scope statement if the safety boxes did not print it. Kept together."""
        t, clinic, pad = self.t, self.plan.clinic, self.pad
        where, reach = contact_lines(self.plan, self.m)
        size = (1.5 if t.large_print else 1.0) * inch
        qr_w = size + pad if clinic.booking_url else 0
        inner = self.width - 2 * pad * 1.4 - qr_w
        if t.large_print:
            cols = [(0.0, inner, where + reach)]
        else:
            cols = [(0.0, inner * 0.45, where), (inner * 0.45, inner * 0.55, reach)]
        cells: list[tuple[float, Part]] = [
            (dx, Stack([self.p(line, "box", w - pad) for line in lines])) for dx, w, lines in cols]
        if clinic.booking_url:
            scan = self.p(self.m("Scan to book"), "caption", size)
            cells.append((inner, Stack([Drawn(QrCode(clinic.booking_url, size), size),
                                        Stack([scan], dx=(size - scan.width_used()) / 2)])))
        box = self.box([Gap(3), Columns(cells), Gap(3)], t.colors["tint"], t.colors["brand"])
        pairs = self.blocks(blocks) + [(box, None)]
        if not self.scope_printed:
            pairs += [(Gap(pad), None), (self.p(self.m(self.scope_text()), "body"), None)]
        self.flow(pairs, together=True)


def draw_floor(plan: Plan, renderer: Renderer) -> bytes:
    """The plan's handout drawn on a bare canvas: the PDF bytes."""
    f = Floor(plan, renderer)
    templates = template_search(plan.language, plan.clinic.folder)
    context = section_context(plan)

    def parsed(name: str) -> list[Block]:
        return parse_markdown(render_template(templates, f"sections/{name}.md.j2", context), f.m)

    f.header()
    f.note()
    held: list[tuple[str, list[Block]]] = []
    for section in plan.sections:
        if section in BACKGROUND:
            held.append((section, parsed(section)))
            continue
        if held:
            f.background(held)
            held = []
        blocks = parsed(section)
        if section == "key-points":
            f.panel(blocks, 0.4)
        elif section == "your-stretches":
            f.stretches(blocks)
            if context["floor_cards"]:
                f.panel(parsed("floor"))
        else:
            getattr(f, section)(blocks)
    if held:
        f.background(held)
    f.c.showPage()
    with stream_level():  # the streams deflated as the product's are
        f.c.save()
    return f.buffer.getvalue()
