"""The handout's closing sections: the safety boxes (when to stop, when to get help right
away), the self-care scope line, and the contact block with its booking QR code.

Functions that take the handout's :class:`~handouts.layout.Layout`; its ``safety``,
``contact`` and ``scope`` methods call them. The one sheet's variants are in
handouts/sheet.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from .boxes import BoxColumns
from .errors import InputError
from .fill import Filling, Placement
from .language import plan_language
from .layout import Layout, Para, Story
from .marks import QrCode
from .models import Plan
from .panel import Beside
from .templating import Block

QR_LARGEST = 1.5 * inch  # the large-print booking code's size beside many lines
QR_SMALLEST = 1.0 * inch  # and beside few (the normal size's code)


def safety(lay: Layout, blocks: Sequence[Block]) -> Story:
    """Stop rules and "get help now" signs in two boxes; the scope line after them."""
    t = lay.theme
    heading, groups, rest = split_groups(blocks)
    if len(groups) < 2 or not all(any(b.kind in ("ul", "ol") for b in g) for g in groups):
        raise InputError("sections/safety.md.j2: the safety section must keep its two "
                         "lists (### when to stop, ### when to get help right away, each "
                         "with its list); reword them, but do not drop them.")
    story = lay.blocks(heading, guard=False)  # kept together below
    styles = [(t.colors["caution_fill"], t.colors["caution_edge"]),
              (t.colors["help_fill"], t.colors["help_edge"])]
    if lay.plan.layout == "sheet" and (len(groups) >= 3 or t.large_print):
        from .sheet import safety as sheet_safety  # (sheet.py imports this module)

        return sheet_safety(lay, story, groups, rest, styles)
    boxes = []
    # Large print stacks the boxes full width, each moving to the next page on its own, so
    # they fill what room a page has left; at 13 pt they stand side by side.
    side_by_side = not t.large_print
    # The one-sheet layout sets the boxes in three columns; the guide in two.
    across = 3 if lay.plan.layout == "sheet" and not t.large_print and len(groups) >= 3 \
        else 2
    width = (lay.width - lay.pad * 2 * (across - 1)) / across
    for index, group in enumerate(groups):
        fill, edge = styles[1] if index == 1 else styles[0]  # only the 911 list is red
        inner = lay.blocks(group, body="box", bullet="box_bullet", heading_style="box_title")
        boxes.append(lay.box(inner, fill, edge, width if side_by_side else lay.width))
    if side_by_side and lay.plan.layout == "guide":
        return safety_columns(lay, story, boxes, rest)
    if side_by_side:
        # Two columns of boxes: when to stop (and see a doctor soon) on the left, the
        # emergency signs (and any pregnancy signs) on the right.
        gap = lay.pad * 2
        stacks: list[Story] = [[] for _ in range(across)]
        order = [0, 2, 1, 3] if across == 3 else list(range(len(boxes)))
        for position, index in enumerate(i for i in order if i < len(boxes)):
            column = stacks[position % across] if across == 3 else stacks[index % 2]
            column += ([Spacer(1, lay.pad)] if column else []) + [boxes[index]]
        if across == 2 and len(boxes) % 2:  # the right column is the shorter one
            stacks[1] += scope(lay, width)
            lay.scope_printed = True
        elif across == 3 and len(boxes) == 3:  # the first (the stop list) is the shortest
            stacks[0] += scope(lay, width)
            lay.scope_printed = True
        cells: list[Any] = []
        for number, column in enumerate(stacks):
            cells += ([""] if number else []) + [column]
        widths = [width if i % 2 == 0 else gap for i in range(2 * across - 1)]
        row = Table([cells], colWidths=widths)
        if lay.page_height and row.wrap(lay.width, 10_000)[1] > lay.page_height * 0.8:
            # too tall to keep side by side (large print with a pregnancy box): stacked,
            # full width, each box may then move or split on its own
            lay.scope_printed = False
            boxes = [lay.box(lay.blocks(g, body="box", bullet="box_bullet",
                                          heading_style="box_title"),
                              *(styles[1] if i == 1 else styles[0]))
                     for i, g in enumerate(groups)]
            story = lay.blocks(heading, guard=False)
            for b in boxes:
                story += [b, Spacer(1, lay.pad)]
            return [KeepTogether(story[:2])] + story[2:] + lay.blocks(rest, body="box")
        row.setStyle(lay.tstyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        story += [row, Spacer(1, lay.pad)]
    else:  # large print, stacked: the heading stays with the first box's start; a box
        # that does not fit splits after its heading and first lines where moving on would
        # leave the page under-filled (its second part headed "(continued)")
        # In the 13 pt reading order (stop, see a doctor soon, then the 911 list, then
        # any pregnancy or new-hip list): the boxes before the 911 list may split to fill
        # a page, and the 911 list moves on whole (it never splits).
        order = [0, *range(2, len(groups))[:1], 1, *range(3, len(groups))]
        filled = [filling_box(lay, groups[i], *(styles[1] if i == 1 else styles[0]),
                              whole=i == 1) for i in order]
        for b in filled[1:]:
            b.spaceBefore = lay.pad  # (not a spacer: never atop a page)
        # (each placed looking ahead, so that the page before the contact block is filled)
        return [Placement(lambda k, box=box: box, lead=[] if i else story,  # type: ignore[misc]
                          page_height=lay.page_height or 0.0)
                for i, box in enumerate(filled)] + lay.blocks(rest, body="box")
    story += lay.blocks(rest, body="box")
    return [KeepTogether(story)]


def safety_columns(lay: Layout, heading: Story, boxes: Sequence[Flowable],
                   rest: Sequence[Block]) -> Story:
    """The guide's safety boxes at the normal size: two columns (when to stop and see a
    doctor soon on the left, the emergency signs and any pregnancy or new-hip signs on
    the right) that split between boxes where a page has room for some of them.

    The heading goes on with at least the first box. Where less than a quarter of a page
    is left the section starts the next page whole (a page that full needs no filling,
    and the boxes read best together)."""
    gap = lay.pad * 2
    width = (lay.width - gap) / 2
    tail: Story = []
    heights = [sum(b.wrapOn(None, width, 10_000)[1] + lay.pad for b in boxes[i::2])
               for i in (0, 1)]
    line = scope(lay, width)
    need = sum(f.wrapOn(None, width, 10_000)[1] for f in line)
    # An odd box leaves room under one column: the scope goes there; under an even
    # number it goes there too where it fits beside the taller column (else after the
    # contact block).
    if len(boxes) % 2 or min(heights) + need <= max(heights):
        tail = line
        lay.scope_printed = True
    row = BoxColumns(boxes, width=lay.width, gap=gap, space=lay.pad, tail=tail)
    for flowable in heading:  # (kept with the first box by the page break below: a
        flowable.keepWithNext = 0  # heading kept with the whole row would move it whole)
    whole = sum(f.wrapOn(None, lay.width, 10_000)[1] + f.getSpaceBefore()
                + f.getSpaceAfter() for f in heading)
    first = whole + row.first_height()
    whole += row.wrapOn(None, lay.width, 10_000)[1]
    least = max(first, 0.25 * (lay.page_height or 0.0))
    row.spaceAfter = lay.pad  # (not a spacer: the next heading's space overlaps it)
    return [CondPageBreak(min(whole, least)), *heading, row,
            *lay.blocks(rest, body="box")]


def filling_box(lay: Layout, group: Sequence[Block], fill: colors.Color,
                edge: colors.Color, whole: bool = False) -> Filling:
    """A large-print safety box that may split after its heading and first lines, its
    second part headed by the heading and "(continued)" (``whole``: never split)."""
    inner = lay.blocks(group, body="box", bullet="box_bullet", heading_style="box_title")
    title = lay.m(lay.words.text("card.continued", title=group[0].plain))
    top = lay.pad * 0.75
    return Filling(inner, keep=1, whole=whole, width=lay.width, fill=fill, edge=(edge, 4),
                   padding=(lay.pad * 1.4, lay.pad * 1.4, top, lay.pad * 0.6),
                   page_height=lay.page_height,
                   continued=lambda: [lay.p(title, "box_title")])


def contact(lay: Layout, blocks: Sequence[Block]) -> Story:
    """Next steps text, the clinic's details with links, and a QR code for booking."""
    if lay.plan.layout == "sheet":
        from .sheet import contact as sheet_contact  # (sheet.py imports this module)

        return sheet_contact(lay, blocks)
    t, clinic = lay.theme, lay.plan.clinic
    where, reach = contact_lines(lay.plan, lay.m)
    if t.large_print and lay.page_height:
        return large_contact(lay, blocks, where, reach)
    # Where the clinic is on the left, how to reach it on the right (side by side at the
    # normal size), the booking QR code at the far right.
    side = not t.large_print  # large print: one column (wrapped addresses read badly)
    left = [lay.p(line, "box") for line in where]
    right = [lay.p(line, "box") for line in reach]
    cells: list[Any] = [left, right] if side else [left + right]
    size = (1.0 if not t.large_print else 1.5) * inch  # scans well from 2 cm up
    qr_width = size + lay.pad if clinic.booking_url else 0
    inner = lay.width - 2 * lay.pad * 1.4 - qr_width
    widths = [inner * 0.45, inner * 0.55] if side else [inner]
    if clinic.booking_url:
        cells.append([QrCode(clinic.booking_url, size),
                      lay.p(lay.m(lay.words.text("contact.scan_to_book")), "caption")])
        widths.append(qr_width)
    table = Table([cells], colWidths=widths)
    table.setStyle(lay.tstyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), lay.pad),
                               ("ALIGN", (-1, 0), (-1, -1), "CENTER")]))
    block: Story = [table]
    box = lay.box(block, t.colors["tint"], t.colors["brand"])
    line = [] if lay.scope_printed else scope(lay)
    return [KeepTogether(lay.blocks(blocks, guard=False) + [box] + line)]


def large_contact(lay: Layout, blocks: Sequence[Block], where: Sequence[str],
                  reach: Sequence[str]) -> Story:
    """Large print: the clinic's details one to a line, the booking QR code beside how to
    reach it, in one block that is never split (it moves on whole, its heading with it);
    the scope line goes before it, so it never ends the handout alone."""
    t, clinic = lay.theme, lay.plan.clinic
    inner = lay.width - 2 * lay.pad * 1.4
    rows: Story = [lay.p(line, "box") for line in where]
    reach_rows: Story = [lay.p(line, "box") for line in reach]
    if clinic.booking_url:
        centred = ParagraphStyle("caption-centred", parent=t.s("caption"),
                                 alignment=TA_CENTER)
        caption = Para(lay.m(lay.words.text("contact.scan_to_book")), centred,
                       cache=lay.paragraphs)
        rows.append(qr_beside(reach_rows, clinic.booking_url, caption, inner, lay.pad))
    else:
        rows += reach_rows
    heading = next((b.plain for b in blocks if b.kind in ("h1", "h2")), "")
    title = lay.m(lay.words.text("card.continued", title=heading))
    box = Filling(rows, keep=1, whole=True, width=lay.width, fill=t.colors["tint"],
                  edge=(t.colors["brand"], 4),
                  padding=(lay.pad * 1.4, lay.pad * 1.4, lay.pad * 0.75, lay.pad * 0.6),
                  page_height=lay.page_height,
                  continued=lambda: [lay.p(title, "box_title")])
    block = Placement(lambda k: box, lead=lay.blocks(blocks, guard=False),
                      page_height=lay.page_height or 0.0)
    if lay.scope_printed:
        return [block]
    line = scope(lay)[-1]
    line.spaceBefore = lay.pad  # (not a spacer: never atop a page)
    return [line, block]  # (the line never ends the handout alone: the block follows it)


def qr_beside(lines: Sequence[Flowable], url: str, caption: Flowable, width: float,
              gap: float) -> Beside:
    """Large print: the booking QR code over its caption beside ``lines``, the code as large
    as the lines' height leaves room for over the caption (a taller code would push the
    block's foot below them for nothing), from QR_SMALLEST up to QR_LARGEST (both scan
    well from 2 cm up); the caption on one line under it."""
    caption.wrapOn(None, width, 10_000)
    column = max(caption.getActualLineWidths0()) + 1.0
    size = QR_LARGEST
    for _ in range(3):  # (the lines may wrap anew beside a wider column)
        wide = max(size, column)
        row = Beside(lines, [Centred(QrCode(url, size), wide), caption],
                     left_width=width - wide, width=width, gap=gap)
        row.wrapOn(None, width, 10_000)
        text, code = row._column_heights
        if code <= text + 0.01 or size <= QR_SMALLEST:
            return row
        size = max(QR_SMALLEST, size - (code - text))
    return row


class Centred(Flowable):
    """``inner`` centred across ``width`` (a QR code over a caption wider than it)."""

    def __init__(self, inner: Flowable, width: float):
        super().__init__()
        self.inner = inner
        self.width = width
        self.height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, self.height = self.inner.wrap(self.width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        self.inner.drawOn(self.canv, (self.width - self.inner.width) / 2, 0)


def scope(lay: Layout, width: float | None = None) -> Story:
    """The self-care scope statement and the clinic's own disclaimer, at body size."""
    text = lay.words.text("scope.statement")
    if lay.plan.clinic.disclaimer:
        text += " " + lay.plan.clinic.disclaimer
    style = "body" if width is None else "box"
    return [Spacer(1, lay.pad), lay.p(lay.m(text), style)]


def _bold(text: str) -> str:
    return f"<b>{text}</b>"


def contact_lines(plan: Plan, m: Callable[[str], str],
                  bold: Callable[[str], str] = _bold, line_break: str = "<br/>",
                  linked: Callable[[str, str], str] | None = None
                  ) -> tuple[list[str], list[str]]:
    """The contact block's lines as safe markup: where the clinic is (name, address, the
    therapist) and how to reach it (phone, email, website, booking, as links).

    ``bold``, ``line_break`` and ``linked(href, shown_text)`` give the markup (reportlab's
    paragraph markup by default; the benchmark's typst peer passes its own).
    """
    clinic = plan.clinic
    words = plan_language(plan)
    linked = linked or (lambda href, shown: link(href, m(shown)))
    where = [bold(m(clinic.name))]
    if clinic.address:
        where.append(line_break.join(m(x) for x in clinic.address.split("\n") if x))
    if plan.therapist is not None:
        th = plan.therapist
        extra = "\u00a0· " + words.text("contact.license", license=th.license) if th.license else ""
        where.append(m(words.text("contact.therapist", signature=th.signature) + extra))
    reach = []

    def label(key: str) -> str:
        return m(words.text(f"contact.{key}"))

    if clinic.phone:
        reach.append(f"{label('phone')} {linked('tel:' + tel(clinic.phone), clinic.phone)}")
    if clinic.email:
        reach.append(f"{label('email')} {linked('mailto:' + clinic.email, clinic.email)}")
    if clinic.website:
        shown = re.sub(r"^https?://", "", clinic.website).rstrip("/")
        reach.append(f"{label('website')} {linked(clinic.website, shown)}")
    if clinic.booking_url:
        reach.append(f"{label('book_online')} {linked(clinic.booking_url, clinic.booking_url)}")
    return where, reach


def split_groups(blocks: Sequence[Block]
                 ) -> tuple[list[Block], list[list[Block]], list[Block]]:
    """Split safety Markdown into the heading, the h3 groups (boxes) and what follows them."""
    heading: list[Block] = []
    groups: list[list[Block]] = []
    rest: list[Block] = []
    for block in blocks:
        if block.kind == "h3":
            groups.append([block])
        elif groups and block.kind in ("ul", "ol") and len(groups[-1]) < 3:
            groups[-1].append(block)
        elif groups and block.kind == "p" and len(groups[-1]) == 1:
            groups[-1].append(block)
        elif groups:
            rest.append(block)
        else:
            heading.append(block)
    return heading, groups, rest


def link(href: str, text_markup: str) -> str:
    """A clickable link; ``href`` comes from validated clinic data."""
    safe = href.replace("&", "&amp;").replace('"', "&quot;").replace("<", "").replace(">", "")
    return f'<a href="{safe}"><u>{text_markup}</u></a>'


def tel(phone: str) -> str:
    """A tel: number: digits and a leading plus only."""
    digits = re.sub(r"[^0-9+]", "", phone)
    return digits if digits.startswith("+") else digits.replace("+", "")
