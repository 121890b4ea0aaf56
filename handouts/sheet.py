"""The one-sheet layout's own parts: cards two to a row, the cautions, the safety boxes in
columns and the compact contact block.

A sheet is one sheet of paper printed on both sides (see ``build.fit_sheet``): its first side
holds what to read first (the key points, the safety boxes, the contact block), its second the
stretch cards. Everything here is chosen to be as short as it can be without going under the
12 pt minimum: the widths of the safety columns, and each card's picture share, are picked
from a few candidates by measuring them. The guide never calls these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from . import ticklog
from .closing import contact_lines
from .layout import (
    Layout,
    Para,
    Story,
    marked,
)
from .marks import QrCode, WarningSign
from .models import Plan, PlannedStretch
from .panel import Panel, Row
from .templating import Block

# The card's figure takes the largest of these shares of the card's inner width that its
# row has room for (figure.share: a tall figure's height counts against a box of the
# drawings' shape). It is never wider than half the card: past half, the text beside it
# would run under 20 characters a line. The last is check's minimum.
SHEET_PICTURE_SHARES = (0.6, 0.5, 0.45, 0.4)
# The widths tried for a sheet's three safety columns (stop, see a doctor, call 911), and
# for the two of large print.
SHEET_SAFETY_WIDTHS = ((1 / 3, 1 / 3, 1 / 3), (0.3, 0.3, 0.4), (0.32, 0.3, 0.38),
                       (0.3, 0.32, 0.38), (0.36, 0.3, 0.34), (0.3, 0.36, 0.34),
                       (0.4, 0.3, 0.3), (0.3, 0.4, 0.3))
SHEET_SAFETY_WIDTHS_LARGE = ((0.5, 0.5), (0.45, 0.55), (0.55, 0.45))


def card_row(lay: Layout, items: Sequence[PlannedStretch], width: float, gap: float,
             bare: bool = False) -> Row:
    """Two cards side by side on one sheet (or one across it), each ``width`` wide. The
    row is as short as its longer card can be (plus the plan's ``grow`` where the back has
    room left); each card then takes the largest picture (with its caption where there is
    room) that keeps it within the row. Only a ``bare``
    row (the last tries for room for the log) may leave a caption out."""
    # Every picture keeps its caption; only the last try for room for the log lets a card
    # in a row without room for it go without (check then says so).
    options = [(share, True) for share in SHEET_PICTURE_SHARES] + (
        [(share, False) for share in SHEET_PICTURE_SHARES] if bare else [])
    choices = []
    for item in items:
        cards = [tightened(lay, lay.card(item, width, share, caption)[0])
                 for share, caption in options]
        choices.append([(card, card.wrapOn(None, width, 10_000)[1]) for card in cards])
    height = max(min(h for _, h in cards) for cards in choices) + lay.plan.grow
    chosen = [next(card for card, h in cards if h <= height + 0.01) for cards in choices]
    return Row(chosen, widths=[width] * len(chosen), gap=gap)


def tightened(lay: Layout, card: Flowable) -> Flowable:
    """A card set closer (half its top and bottom padding, no extra space between its
    parts) on a tight sheet: the room a compact log needs under four long cards."""
    if lay.plan.tight and isinstance(card, Panel):
        left, right, top, bottom = card.padding
        card.padding = (left, right, top * 0.5, bottom * 0.5)
        card.gap = 0.0
    return card


def caution_panel(lay: Layout, cautions: Sequence[str | tuple[str, str]],
                  inner_width: float) -> Flowable:
    """The cautions on one sheet: the warning sign at the top left with the text flowing
    beside and under it (a narrow card keeps its full width for the words)."""
    t = lay.theme
    sign = WarningSign(t.body_size * 1.3, t.colors["caution_edge"])
    text = f"<b>{lay.m(lay.words.text('card.take_care'))}</b> " + " ".join(
        lay.m(c) if isinstance(c, str) else f"<b>{lay.m(c[0])}</b> {lay.m(c[1])}"
        for c in cautions)
    style = lay.theme.s("box")
    indented = ParagraphStyle(f"{style.name}-signed", parent=style,
                              firstLineIndent=sign.size + lay.pad)
    flow = Signed(sign, Para(text, indented, cache=lay.paragraphs))
    return Panel([flow], width=inner_width, fill=t.colors["caution_fill"],
                 edge=(t.colors["caution_edge"], 3),
                 padding=(lay.pad, lay.pad * 0.6, lay.pad * 0.5, lay.pad * 0.3))


def safety(lay: Layout, story: Story, groups: Sequence[Sequence[Block]],
           rest: Sequence[Block], styles: Sequence[Sequence[colors.Color]]) -> Story:
    """The safety boxes on one sheet: three columns (when to stop, see a doctor soon,
    call 911; two in large print), any further box in the shortest column, and the scope
    line under one of them, the widths and that column chosen so that the row is as
    short as it can be."""
    three = len(groups) >= 3 and not lay.theme.large_print
    widths = SHEET_SAFETY_WIDTHS if three else SHEET_SAFETY_WIDTHS_LARGE
    tried = [_safety_columns(lay, groups, styles, shares, scope_column)
             for shares in widths for scope_column in range(len(shares))]
    lowest = min(height for height, _ in tried)
    row = next(row for height, row in tried if height <= lowest + 0.5)  # the first such
    lay.scope_printed = True
    for flowable in story:  # the gap above the heading is the front's own (a spacer)
        style = getattr(flowable, "style", None)
        if style is not None and style.name == "h2":
            flowable.style = ParagraphStyle(f"{style.name}-sheet", parent=style,
                                            spaceBefore=0)
    # the same gap under the row as between the front's other parts (half on a tight sheet)
    under = lay.theme.body_size * (0.2 if lay.plan.tight else 0.4)
    return [KeepTogether(story + [row, Spacer(1, under)] + lay.blocks(rest, body="box"))]


# On a tight sheet (the last tries for room for the compact log) the first side's boxes
# keep their type, leading and side padding and lose part of the air above, under and
# between their parts: these shares of the usual top and bottom padding, and of the space
# after each bullet.
TIGHT_PADDING = 0.5
TIGHT_BULLET_SPACE = 0.3


def closer(lay: Layout, box: Panel) -> Panel:
    """A first-side box (safety, contact) with less padding above and under its text on a
    tight sheet; as it was otherwise."""
    if lay.plan.tight:
        left, right, top, bottom = box.padding
        box.padding = (left, right, top * TIGHT_PADDING, bottom * TIGHT_PADDING)
    return box


def _spaced(lay: Layout, name: str, share: float) -> str:
    """The name of paragraph style ``name`` for a first-side box: on a tight sheet a copy
    with ``share`` of its space after each paragraph (registered in the theme once)."""
    if not lay.plan.tight:
        return name
    tight = f"{name}-tight"
    if tight not in lay.theme.styles:
        style = lay.theme.s(name)
        lay.theme.styles[tight] = ParagraphStyle(tight, parent=style,
                                                 spaceAfter=style.spaceAfter * share)
    return tight


def _safety_columns(lay: Layout, groups: Sequence[Sequence[Block]],
                    styles: Sequence[Sequence[colors.Color]], shares: Sequence[float],
                    scope_column: int) -> tuple[float, Table]:
    """The sheet's safety row for one choice of column widths (and its height)."""
    gap = lay.pad * 2
    widths = [(lay.width - (len(shares) - 1) * gap) * share for share in shares]
    stacks: Sequence[Story] = tuple([] for _ in shares)
    heights = [0.0 for _ in shares]
    between = lay.pad * (0.5 if lay.plan.tight else 1.0)

    def add(column: int, part: Flowable) -> None:
        if stacks[column]:
            stacks[column].append(Spacer(1, between))
            heights[column] += between
        stacks[column].append(part)
        heights[column] += part.wrapOn(None, widths[column], 10_000)[1]

    # Three columns: stop, see a doctor, 911; two: stop, 911, then the shortest.
    order = (0, 2, 1) if len(shares) == 3 else (0, 1, 2)
    for position, index in enumerate(i for i in (*order, *range(3, len(groups)))
                                     if i < len(groups)):
        fill, edge = styles[1] if index == 1 else styles[0]  # only the 911 list is red
        column = position if position < len(shares) else heights.index(min(heights))
        inner = lay.blocks(groups[index], body="box", heading_style="box_title",
                            bullet=_spaced(lay, "box_bullet", TIGHT_BULLET_SPACE))
        add(column, closer(lay, lay.box(inner, fill, edge, widths[column])))
    for part in lay.scope(widths[scope_column])[1:]:
        add(scope_column, part)
    cells: list[Any] = [stacks[0]]
    spaced = [widths[0]]
    for stack, width in zip(stacks[1:], widths[1:], strict=True):
        cells += ["", stack]
        spaced += [gap, width]
    row = Table([cells], colWidths=spaced)
    row.setStyle(lay.tstyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return max(heights), row


def contact(lay: Layout, blocks: Sequence[Block]) -> Story:
    """The contact block on one sheet: its heading inside the box, where the clinic is and
    how to reach it side by side, the therapist across their foot, the QR code right."""
    t, clinic = lay.theme, lay.plan.clinic
    where, reach = contact_lines(lay.plan, lay.m)
    # a tight sheet sets the clinic's lines as an address is set: no space between them
    line = _spaced(lay, "box", 0.0)
    therapist = [lay.p(where.pop(), line)] if lay.plan.therapist is not None else []
    top = lay.blocks(blocks, body="box", bullet="box_bullet", heading_style="box_title",
                      guard=False)
    size = (0.9 if not t.large_print else 1.2) * inch  # still scans well (2 cm and up)
    scan = lay.p(lay.m(lay.words.text("contact.scan_to_book")), "caption")
    qr_width = max(size, stringWidth(scan.text, scan.style.fontName, scan.style.fontSize)
                   + 2) + lay.pad if clinic.booking_url else 0
    inner = lay.width - 2 * lay.pad * 1.4 - qr_width
    side = not t.large_print  # large print: one column (wrapped addresses read badly)
    widths = [inner * 0.42, inner * 0.58] if side else [inner]
    # The heading heads the left column (beside the phone line), which saves a line,
    # when it fits there on one line; else it stands above both columns.
    beside = side and all(f.wrap(widths[0], 10_000)[1] < 1.5 * f.style.leading
                          for f in top if hasattr(f, "style"))
    left = (top if beside else []) + [lay.p(text, line) for text in where]
    right = [lay.p(text, line) for text in reach]
    cells: list[list[Any]] = [[left, right] if side else [left + right]]
    if therapist:
        cells.append([therapist] + [""] * (len(widths) - 1))
    if clinic.booking_url:
        cells[0].append([QrCode(clinic.booking_url, size), scan])
        for row in cells[1:]:
            row.append("")
        widths.append(qr_width)
    table = Table(cells, colWidths=widths)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), lay.pad), ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (-1, 0), (-1, -1), "CENTER")]
    if therapist and side:
        commands.append(("SPAN", (0, 1), (1, 1)))
    if therapist and clinic.booking_url:
        commands.append(("SPAN", (-1, 0), (-1, 1)))
    table.setStyle(lay.tstyle(commands))
    box = closer(lay, lay.box(([] if beside else top) + [table], t.colors["tint"],
                              t.colors["brand"]))
    mark = next((f.bookmark for f in top if hasattr(f, "bookmark")), None)
    if mark is not None:
        box = marked(box, *mark)
    scope = [] if lay.scope_printed else lay.scope()
    return [KeepTogether([box] + scope)]


def stretches(lay: Layout, blocks: list[Any]) -> Story:
    """On one sheet the cards stand two to a row (a last odd card across the page); the
    heading and its line stay with the first row."""
    items = lay.plan.stretches
    if len(items) < 2 or lay.theme.large_print:  # one card a row; the first keeps the heading
        cards = [lay.card(item) for item in items]
        return [KeepTogether(lay.blocks(blocks, guard=False) + cards[0])] + [
            f for card in cards[1:] for f in card]
    gap = lay.theme.body_size * 0.8
    half = (lay.width - gap) / 2
    space = lay.theme.body_size * (0.35 if not lay.plan.tight else 0.2)
    rows: list[Story] = []
    count = (len(items) + 1) // 2
    for start in range(0, len(items) - 1, 2):
        bare = start // 2 >= count - lay.plan.uncaptioned
        rows.append([card_row(lay, items[start:start + 2], half, gap, bare), Spacer(1, space)])
    if len(items) % 2 and beside_log(lay.plan):
        # the last card at half width, the compact log beside it (see log_strip)
        card = card_row(lay, items[-1:], half, gap, lay.plan.uncaptioned > 0).parts[0]
        slot = Slot(half)
        setattr(lay, LOG_SLOT, slot)
        rows.append([Row([card, slot], widths=[half, half], gap=gap)])
    elif len(items) % 2:  # across the page, its picture as large as keeps it shortest
        rows.append([card_row(lay, items[-1:], lay.width, gap, lay.plan.uncaptioned > 0)])
    if len(rows) > 1 and isinstance(rows[-1][-1], Spacer):
        # no space after the last row: at a full page's foot it would start a third page
        rows[-1] = rows[-1][:-1]
    return [KeepTogether(_heading_line(lay, blocks) + rows[0])] + [
        f for row in rows[1:] for f in row]


def _heading_line(lay: Layout, blocks: list[Any]) -> Story:
    """The cards' heading with its line run on after it, at body size (one line where it
    fits, which the back of a full sheet needs); as two paragraphs when there is more."""
    if [b.kind for b in blocks] != ["h2", "p"]:
        return lay.blocks(blocks, guard=False)
    heading, line = blocks
    t = lay.theme
    body = t.s("body")
    ink = body.textColor.hexval()[2:]
    text = (f'{heading.items[0]} <font name="{t.fonts.regular}" size="{body.fontSize}" '
            f'color="#{ink}">{line.items[0]}</font>')
    return [marked(lay.p(text, "h2"), heading.plain, 0)]


LOG_SLOT = "sheet_log_slot"  # the Layout attribute holding the place beside the last card


def beside_log(plan: Plan) -> bool:
    """Whether the compact log stands beside the last card (an odd number of cards, three
    or more, at the normal size, the log after them): that half of the back is otherwise
    empty, and a week of one row a stretch fits in it."""
    sections = plan.sections
    return (plan.log_strip and not plan.large_print and len(plan.stretches) >= 3
            and len(plan.stretches) % 2 == 1 and "log" in sections
            and "your-stretches" in sections
            and sections.index("log") > sections.index("your-stretches"))


def log_strip(lay: Layout, blocks: Sequence[Block]) -> Story:
    """The compact log, and under it a line saying what its boxes mean (the number is the
    card's; two boxes, twice a day) where the page has room for it: the line is left out,
    never moved on, when it does not fit (the sheet stays two pages). Beside the last card
    (see :func:`beside_log`) the log is a narrow week, always with its line, put in the
    place the cards left for it."""
    words = [lay.words.text("log.strip_number")]
    if any(item.dose.per_day > 1 for item in lay.plan.stretches):
        words.append(lay.words.text("log.strip_twice"))
    key = Para(lay.m(" ".join(words)), lay.theme.s("caption"), cache=lay.paragraphs)
    slot = getattr(lay, LOG_SLOT, None)
    if isinstance(slot, Slot):
        parts = ticklog.log_grid(lay, blocks, slot.width) + [Spacer(1, lay.pad * 0.3), key]
        mark = next((f.bookmark for f in parts if hasattr(f, "bookmark")), None)
        panel = Panel(parts, width=slot.width)
        slot.content = marked(panel, *mark) if mark is not None else panel
        return []
    return [*lay.log_strip(blocks), IfRoom(key)]


class Slot(Flowable):
    """A place in a row of cards whose content is given later (the compact log, built
    after the cards): nothing until then."""

    def __init__(self, width: float):
        super().__init__()
        self.width = width
        self.height = 0.0
        self.content: Flowable | None = None

    @property
    def bookmark(self) -> Any:
        """The content's bookmark (a row draws its parts' bookmarks)."""
        return getattr(self.content, "bookmark", None)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        if self.content is None:
            return self.width, 0.0
        _, self.height = self.content.wrapOn(self.canv, self.width, ah)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        if self.content is not None:
            self.content.drawOn(self.canv, 0, 0)


class IfRoom(Flowable):
    """A flowable drawn only where the frame has room for it, else nothing (no height)."""

    def __init__(self, content: Flowable):
        super().__init__()
        self.content = content
        self.shown = False

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        width, height = self.content.wrap(aw, ah)
        self.shown = height <= ah
        self.width, self.height = (float(width), float(height)) if self.shown else (0.0, 0.0)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        if self.shown:
            self.content.drawOn(self.canv, 0, 0)


class Signed(Flowable):
    """A paragraph whose first line starts after a sign drawn at its top left."""

    def __init__(self, sign: Flowable, paragraph: Paragraph):
        super().__init__()
        self.sign = sign
        self.paragraph = paragraph

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = self.paragraph.wrap(aw, ah)
        return self.width, self.height

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, 0)
        leading = self.paragraph.style.leading
        _, size = self.sign.wrap(0, 0)
        # the sign sits on the first line, its foot a little under the text's baseline
        self.sign.drawOn(self.canv, 0, self.height - (leading + size) / 2 - 1)
