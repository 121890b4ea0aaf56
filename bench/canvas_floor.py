"""The canvas floor: the product's handout drawn straight on a reportlab canvas.

The floor draws the same content as :func:`handouts.build.render_handout` (every section's words
from the same templates and Markdown, the header band, boxes with their fills and edges, the
stretch cards with their pictures, warning signs, the tick log, the safety boxes, the contact
block with links and the QR code, the running header, footers with "Page X of Y" and bookmarks)
in the same embedded fonts, but with a simple greedy line breaker and fixed, measured blocks in
place of platypus (bench/canvas_parts.py). It may place things a little differently; it must
not draw less: bench/pdf_contents.py counts what a PDF contains (pages, words, drawing
operators) so that the benchmark can prove the floor still matches the product before timing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from canvas_parts import Columns, Drawn, Gap, Panel, Part, Stack, Text  # the bench folder
from reportlab.lib.colors import Color
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from handouts.build import ANATOMY_CAPTION, ANATOMY_IMAGE, dose_text, section_context
from handouts.fonts import load_fonts
from handouts.layout import QrCode, TickBox, WarningSign, link, tel
from handouts.models import Plan, PlannedStretch
from handouts.renderer import Renderer, handout_title
from handouts.resources import image_path, template_path
from handouts.styles import make_theme
from handouts.templating import Block, parse_markdown, render_template
from handouts.text import long_date, markup, visit_text

# --- the handout ----------------------------------------------------------------------------

class _NumberedCanvas(Canvas):
    """Keeps each page's state until the end, so every footer can say "Page X of Y"."""

    footer: Callable[[Any, int, int], None]

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self._kept: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._kept.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._kept)
        for state in self._kept:
            self.__dict__.update(state)
            self.footer(self, self._pageNumber, total)
            Canvas.showPage(self)
        Canvas.save(self)


class Floor:
    """One handout drawn on a canvas, top to bottom, a new page when a block does not fit."""

    def __init__(self, plan: Plan, renderer: Renderer):
        self.plan = plan
        self.fonts = fonts = load_fonts(plan.clinic.fonts)
        self.t = t = make_theme(fonts, plan.clinic.brand_color, plan.paper, plan.large_print,
                                plan.grayscale)
        self.renderer, self.images = renderer, image_path(plan.clinic.folder)
        self.width, self.pad, self.body = t.frame_width, 0.55 * t.body_size, t.body_size
        page_w, page_h = t.page_size
        self.x = t.margin
        self.first_top = page_h - t.margin
        self.later_top = self.first_top - t.body_size * 2.2
        self.bottom = t.margin + t.body_size * 2.6
        self.buffer = io.BytesIO()
        deco = renderer.decoration(plan, t)
        c = _NumberedCanvas(self.buffer, pagesize=t.page_size, invariant=1, pageCompression=1,
                            initialFontName=fonts.regular, initialFontSize=t.body_size,
                            lang="en-US")
        c.footer = deco.footer
        self.later_header = deco.later_header
        titles = ", ".join(p.stretch.title for p in plan.stretches)
        c.setTitle(handout_title(plan.client.name))
        c.setAuthor(plan.clinic.name)
        c.setSubject(f"Psoas self-care handout with {len(plan.stretches)} stretches: {titles}")
        c.setKeywords(["psoas", "self-care", "stretches", "massage"]
                      + [p.stretch.id for p in plan.stretches])
        c.setCreator("psoas-handouts")
        c.setProducer("psoas-handouts (reportlab)")
        c.setViewerPreference("DisplayDocTitle", "true")
        self.c = c
        self.y = self.first_top
        self.marks = 0

    # page flow
    def new_page(self) -> None:
        """Finish this page and start the next, with its running header."""
        self.c.showPage()
        self.later_header(self.c)
        self.y = self.later_top

    def need(self, h: float) -> None:
        """Start a new page unless ``h`` points fit on this one."""
        if self.y - h < self.bottom and self.y < self.later_top:
            self.new_page()

    def place(self, block: Part, mark: tuple[str, int] | None = None) -> None:
        """Draw ``block`` whole (on the next page if needed); a long paragraph splits."""
        if isinstance(block, Text) and self.y - block.h + block.after < self.bottom:
            head, tail = block.split(self.y - self.bottom)
            if head is not None:
                if mark is not None:
                    self.bookmark(*mark)
                    mark = None
                head.draw(self.c, self.x, self.y)
            self.new_page()
            block = tail
        else:
            self.need(block.h)
        if mark is not None:
            self.bookmark(*mark)
        block.draw(self.c, self.x, self.y)
        self.y -= block.h

    def bookmark(self, title: str, level: int) -> None:
        """An outline entry for the current page."""
        self.marks += 1
        key = f"m{self.marks}"
        self.c.bookmarkPage(key)
        self.c.addOutlineEntry(title, key, level=level, closed=False)

    # text helpers
    def m(self, text: str) -> str:
        """Plain text as safe markup (fallback face where needed), as the product does."""
        return markup(text, self.fonts)

    def p(self, text_markup: str, style: str, width: float | None = None,
          bullet: str = "") -> Text:
        """A paragraph in a named style."""
        return Text(text_markup, self.t.s(style), width or self.width, self.fonts, bullet,
                    self.t.colors["brand_text"])

    def blocks(self, blocks: Sequence[Block], width: float | None = None, body: str = "body",
               bullet: str = "bullet", heading: str = "h2") -> list[tuple[Part, Any]]:
        """Markdown blocks as (block, bookmark) pairs: headings, paragraphs, list items."""
        out: list[tuple[Part, Any]] = []
        for b in blocks:
            if b.kind in ("h1", "h2"):
                mark = (b.plain, 0) if heading == "h2" else None
                out.append((self.p(b.items[0], heading, width), mark))
            elif b.kind.startswith("h"):
                out.append((self.p(b.items[0], "h3" if heading == "h2" else heading, width),
                            None))
            elif b.kind == "p":
                out.append((self.p(b.items[0], body, width), None))
            else:
                for n, item in enumerate(b.items, start=1):
                    sign = f"{n}." if b.kind == "ol" else "•"
                    out.append((self.p(item, bullet, width, bullet=sign), None))
        return out

    def flow(self, pairs: list[tuple[Part, Any]]) -> None:
        """Place blocks one by one; a heading stays with what follows it."""
        for n, (block, mark) in enumerate(pairs):
            if mark is not None and n + 1 < len(pairs):
                self.need(block.h + pairs[n + 1][0].h)
            self.place(block, mark)

    def picture(self, name: str, width: float, max_height: float) -> Any:
        """The picture flowable, from the renderer's cache, as the product draws it."""
        path = self.images.find_image(name)
        assert path is not None, name
        return self.renderer.picture(path, self.fonts, width, max_height, gray=self.plan.grayscale)

    def box(self, inner: Sequence[Part], fill: Color, edge: Color,
            width: float | None = None) -> Panel:
        """A tinted box with a strong left edge."""
        return Panel(Stack(inner), width or self.width,
                     (self.pad * 1.4, self.pad * 1.4, self.pad, self.pad * 0.6), fill, (4, edge))

    # the parts of the handout
    def header(self) -> None:
        """The first-page band: clinic and title left, who and when right."""
        plan, t = self.plan, self.t
        right_w = (0.5 if t.large_print else 0.38) * self.width
        pad = self.pad * 1.4
        left_w = self.width - right_w - 2 * pad
        left: list[Part] = []
        if plan.clinic.logo is not None:
            logo = self.renderer.picture(plan.clinic.logo, self.fonts, 1.6 * inch, 0.75 * inch,
                                         gray=plan.grayscale)
            left += [Drawn(logo, logo.width), Gap(4)]
        left += [self.p(self.m(plan.clinic.name), "meta_bold", left_w),
                 self.p(self.m("Your psoas: a take-home guide"), "title", left_w)]
        if plan.clinic.sample:
            left.append(self.p(self.m("Sample clinic details. Run “build-handouts init” to set "
                                      "up your own."), "meta", left_w))
        rows = [("For", plan.client.name), ("Date", long_date(plan.date, plan.paper, False))]
        if plan.therapist is not None:
            rows.append(("From", plan.therapist.signature))
        if plan.client.next_visit:
            rows.append(("Next visit", visit_text(plan.client.next_visit, plan.paper)))
        right = [self.p(f"<b>{self.m(k)}:</b> {self.m(v)}", "meta", right_w - 2 * pad)
                 for k, v in rows]
        cols = Columns([(0, Stack(left)), (left_w + 2 * pad, Stack(right))], valign_middle=True)
        band = Panel(cols, self.width, (pad, pad, self.pad * 1.2, self.pad * 1.2),
                     t.colors["tint"], under=(3, t.colors["brand"]))
        self.place(band)
        self.y -= t.body_size * 0.6

    def note(self) -> None:
        """The therapist's note for this client, in a box."""
        note = self.plan.client.note
        if not note:
            return
        who = self.plan.therapist.name if self.plan.therapist else "your therapist"
        w = self.width - 2 * self.pad * 1.4
        text = "<br/>".join(self.m(line) for line in note.split("\n"))
        self.y -= self.body * 0.3
        self.place(self.box([self.p(self.m(f"A note from {who}"), "box_title", w),
                             self.p(text, "box", w)], self.t.colors["tint"],
                            self.t.colors["brand"]))

    def key_points(self, blocks: Sequence[Block]) -> None:
        """The main message in a tinted box."""
        w = self.width - 2 * self.pad * 1.4
        inner = [b for b, _ in self.blocks(blocks, w, "box", "box_bullet", "box_title")]
        self.place(self.box(inner, self.t.colors["tint"], self.t.colors["brand"]))
        self.y -= self.body * 0.4

    def with_picture(self, blocks: Sequence[Block]) -> None:
        """Text beside the anatomy drawing and its caption; the closing list below both."""
        pic_w = (0.4 if self.t.large_print else 0.34) * self.width
        pic = self.picture(ANATOMY_IMAGE, pic_w, 3.6 * inch)
        caption = self.p(self.m(ANATOMY_CAPTION), "caption", pic_w)
        figure_h = pic.height + 4 + caption.h
        split = next((i for i, b in enumerate(blocks) if b.kind in ("ul", "ol")), len(blocks))
        if split and blocks[split - 1].kind == "p" and \
                blocks[split - 1].items[0].rstrip().endswith(":"):
            split -= 1
        heading, beside, below = blocks[:1], blocks[1:split], blocks[split:]
        pairs = self.blocks(heading)
        self.need(pairs[0][0].h + figure_h)
        self.flow(pairs)
        top = self.y
        Drawn(pic, pic_w, (pic_w - pic.width) / 2).draw(self.c, self.x + self.width - pic_w,
                                                        top - 2)
        caption.draw(self.c, self.x + self.width - pic_w, top - 2 - pic.height - 4)
        narrow = self.width - pic_w - self.body
        pic_bottom = top - 2 - figure_h
        for b in beside:  # beside the picture while it lasts, then the full width
            for block, mark in self.blocks([b], narrow if self.y > pic_bottom else None):
                self.place(block, mark)
        self.y = min(self.y, top - 2 - figure_h - self.body * 0.5)
        below_pairs = self.blocks(below)
        self.need(sum(b.h for b, _ in below_pairs))
        self.flow(below_pairs)

    def card(self, item: PlannedStretch, lead: list[tuple[Part, Any]] | None = None) -> None:
        """A stretch card (picture left, steps right, cautions below), never split."""
        t, s, pad = self.t, item.stretch, self.pad
        inner = self.width - 2 * pad * 1.2
        pic_w = (0.27 if t.large_print else 0.32) * inner
        text_w = inner - pic_w if s.image else inner
        title = f"{item.number}. {s.title}"
        right: list[Part] = [self.p(self.m(title), "card_title", text_w),
                               self.p(self.m(s.purpose), "card", text_w),
                               self.p(f"<b>{self.m('Start:')}</b> {self.m(s.start)}", "card",
                                      text_w)]
        right += [self.p(self.m(step), "step", text_w, bullet=f"{n}.")
                  for n, step in enumerate(s.steps, start=1)]
        right.append(self.p(self.m(dose_text(item.dose)), "dose", text_w))
        easier = f"<b>{self.m('Easier way:')}</b> {self.m(s.gentler)}" if s.gentler else ""
        parts: list[Part] = []
        if s.image:
            pic = self.picture(s.image, pic_w - pad, 2.4 * inch)
            left: list[Part] = [Drawn(pic, pic_w - pad, (pic_w - pad - pic.width) / 2),
                                  Gap(3), self.p(self.m(s.caption), "caption", pic_w - pad)]
            if easier:
                left += [Gap(pad), self.p(easier, "caption", pic_w - pad)]
            parts += [Columns([(0, Stack(left)), (pic_w, Stack(right))]), Gap(pad * 0.6)]
        else:
            parts += right
            if easier:
                parts.append(self.p(easier, "card", inner))
        if item.note:
            who = self.plan.therapist.name if self.plan.therapist else "your therapist"
            note = "<br/>".join(self.m(line) for line in item.note.split("\n"))
            parts.append(self.p(f"<b>{self.m(f'Note from {who}:')}</b> {note}", "card", inner))
        cautions = [*s.cautions, *((f"Because of your {label}:", text)
                                   for label, text in item.cautions)]
        if cautions:
            parts.append(self.caution_box(cautions, inner))
        card = Panel(Stack(parts), self.width, (pad * 1.2, pad * 1.2, pad * 0.8, pad * 0.5),
                     border=(1, t.colors["rule"], 6))
        lead = lead or []
        self.need(sum(b.h for b, _ in lead) + card.h)
        self.flow(lead)
        self.place(card, (title, 1))
        self.y -= t.body_size * 0.6

    def caution_box(self, cautions: Sequence[Any], width: float) -> Panel:
        """Cautions beside a drawn warning sign, on the caution tint."""
        t = self.t
        sign_col = t.body_size * 2.2
        text = f"<b>{self.m('Take care:')}</b> " + " ".join(
            self.m(c) if isinstance(c, str) else f"<b>{self.m(c[0])}</b> {self.m(c[1])}"
            for c in cautions)
        sign = Drawn(WarningSign(t.body_size * 1.3, t.colors["caution_edge"]), sign_col)
        body = self.p(text, "box", width - sign_col - 2 * self.pad)
        return Panel(Columns([(0, sign), (sign_col, body)]), width,
                     (self.pad, self.pad, self.pad * 0.5, 0), t.colors["caution_fill"],
                     (3, t.colors["caution_edge"]))

    def log(self, blocks: Sequence[Block]) -> None:
        """The 7-day tick log: a row per stretch, a tick box per day."""
        import datetime as _dt

        t = self.t
        self.need(t.body_size * 12)
        self.flow(self.blocks(blocks))
        days = [(self.plan.date + _dt.timedelta(days=i)).strftime("%a") for i in range(7)]
        box = t.body_size * 1.3
        day_w = max(box * 2.2, t.body_size * 3.2)
        first_w = self.width - 7 * day_w
        pad = self.pad * 0.7
        rows: list[Part] = []
        head = [(0.0, self.p(self.m("Stretch"), "log_head", first_w))] + [
            (first_w + n * day_w + day_w / 2 - 10, self.p(self.m(d), "log_head", day_w))
            for n, d in enumerate(days)]
        rows.append(Panel(Columns(head, True), self.width, (6, 6, pad, pad),
                          under=(1.5, t.colors["brand"])))
        for item in self.plan.stretches:
            cells: list[tuple[float, Part]] = [
                (0.0, self.p(self.m(f"{item.number}. {item.stretch.title}"), "log_cell",
                             first_w - 12))]
            cells += [(first_w + n * day_w + (day_w - box) / 2 - 6,
                       Drawn(TickBox(box, t.colors["ink"]), box)) for n in range(7)]
            rows.append(Panel(Columns(cells, True), self.width, (6, 6, pad, pad),
                              under=(0.5, t.colors["rule"])))
        for row in rows:
            self.place(row)
        self.y -= t.body_size

    def safety(self, blocks: Sequence[Block]) -> None:
        """Stop rules and "get help now" signs in two boxes side by side, kept together."""
        t, pad = self.t, self.pad
        groups: list[list[Block]] = []
        heading: list[Block] = []
        rest: list[Block] = []
        for b in blocks:
            if b.kind == "h3":
                groups.append([b])
            elif groups and b.kind in ("ul", "ol", "p") and len(groups[-1]) < 2:
                groups[-1].append(b)
            elif groups:
                rest.append(b)
            else:
                heading.append(b)
        side = not t.large_print and len(groups) == 2
        width = (self.width - pad * 2) / 2 if side else self.width
        styles = [(t.colors["caution_fill"], t.colors["caution_edge"]),
                  (t.colors["help_fill"], t.colors["help_edge"])]
        boxes = []
        for n, g in enumerate(groups):
            inner_w = width - pad * 1.4 - pad
            inner = [b for b, _ in self.blocks(g, inner_w, "box", "box_bullet", "box_title")]
            fill, edge = styles[min(n, 1)]
            boxes.append(Panel(Stack(inner), width, (pad * 1.4, pad, pad, pad * 0.6), fill,
                               (4, edge)))
        if side:
            tallest = max(box.h for box in boxes)
            for box in boxes:  # one row: both boxes as tall as the taller one
                box.bottom += tallest - box.h
                box.h = tallest
            body: list[Part] = [Columns([(0, boxes[0]), (width + pad * 2, boxes[1])])]
        else:
            body = [x for box in boxes for x in (box, Gap(pad))]
        pairs = self.blocks(heading) + [(b, None) for b in body] + [(Gap(pad), None)] + \
            self.blocks(rest, body="box")
        self.need(sum(b.h for b, _ in pairs))
        self.flow(pairs)

    def contact(self, blocks: Sequence[Block]) -> None:
        """Next steps, the clinic's details with links, a QR code to book; kept together."""
        t, clinic, pad = self.t, self.plan.clinic, self.pad
        lines = [f"<b>{self.m(clinic.name)}</b>"]
        if clinic.address:
            lines.append("<br/>".join(self.m(x) for x in clinic.address.split("\n") if x))
        if clinic.phone:
            lines.append(f"{self.m('Phone:')} "
                         f"{link('tel:' + tel(clinic.phone), self.m(clinic.phone))}")
        if clinic.email:
            lines.append(f"{self.m('Email:')} "
                         f"{link('mailto:' + clinic.email, self.m(clinic.email))}")
        if clinic.website:
            shown = re.sub(r"^https?://", "", clinic.website).rstrip("/")
            lines.append(f"{self.m('Website:')} {link(clinic.website, self.m(shown))}")
        if self.plan.therapist is not None:
            th = self.plan.therapist
            extra = f" · license {th.license}" if th.license else ""
            lines.append(self.m(f"Your therapist: {th.signature}{extra}"))
        inner_w = self.width - 2 * pad * 1.4
        size = (1.6 if t.large_print else 1.25) * inch
        text_w = inner_w - size - 4 * pad if clinic.booking_url else inner_w
        details: list[Part] = [self.p(line, "box", text_w) for line in lines]
        if clinic.booking_url:
            details.append(self.p(f"{self.m('Book online:')} "
                                  f"{link(clinic.booking_url, self.m(clinic.booking_url))}",
                                  "box", text_w))
            scan = self.p(self.m("Scan to book"), "caption", size + pad)
            qr = Stack([Drawn(QrCode(clinic.booking_url, size), size), scan])
            inner: Part = Columns([(0, Stack(details)), (inner_w - size - pad, qr)])
        else:
            inner = Stack(details)
        scope = ("These are self-care ideas from your massage therapist. They are not medical "
                 "advice, and they do not replace care from your doctor.")
        if clinic.disclaimer:
            scope += " " + clinic.disclaimer
        pairs = self.blocks(blocks) + [(self.box([inner], t.colors["tint"], t.colors["brand"]),
                                        None), (Gap(pad), None), (self.p(self.m(scope), "body"),
                                                                  None)]
        self.need(sum(b.h for b, _ in pairs))
        self.flow(pairs)


def draw_floor(plan: Plan, renderer: Renderer) -> bytes:
    """The plan's handout drawn on a bare canvas: the PDF bytes."""
    f = Floor(plan, renderer)
    templates = template_path(plan.clinic.folder)
    context = section_context(plan)
    f.header()
    for section in plan.sections:
        source = render_template(templates, f"sections/{section}.md.j2", context)
        blocks = parse_markdown(source, f.m)
        if section == "key-points":
            f.key_points(blocks)
        elif section == "what-is-psoas":
            f.with_picture(blocks)
        elif section == "your-stretches":
            for n, item in enumerate(plan.stretches):
                f.card(item, f.blocks(blocks) if n == 0 else [])
        elif section in ("log", "safety", "contact"):
            getattr(f, section)(blocks)
        else:
            f.flow(f.blocks(blocks))
        if section == "key-points" or (section == plan.sections[0]
                                       and "key-points" not in plan.sections):
            f.note()
    f.c.showPage()
    f.c.save()
    return f.buffer.getvalue()
