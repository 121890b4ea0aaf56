"""Stretch cards: the card (title, picture, start, steps, dose, easier way, note and
cautions), its large-print rows and placements, and the caution box with its warning sign.

Functions that take the handout's :class:`~handouts.layout.Layout` (as handouts/sheet.py
does); the Layout's ``card``, ``stretch_card`` and ``caution_box`` methods call them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, ImageAndFlowables, Spacer

from .fill import Filling, Placement
from .language import dose_text
from .layout import CELL_PAD, Layout, Para, Story, marked
from .marks import Figure, WarningSign
from .models import PlannedStretch
from .panel import Beside, Panel
from .styles import BODY_SIZE

PICTURE_SHARE = 0.42  # a guide card's picture column: this share of the card's inner width
# The figure a guide card draws (its picture cut to the figure, handouts/figure.py): this
# share of the card's inner width by figure.share (a tall figure's height against a box of
# the drawings' shape), at most BESIDE_HEIGHT tall; in large print as large in points as at
# 13 pt (a larger share of its narrower card), never smaller.
FIGURE_SHARE = 0.40
BESIDE_HEIGHT = 2.6 * inch
# A large-print card that ends its page may set its picture above its text, its figure this
# share of its inner width (the smallest that fills the page), at most ABOVE_HEIGHT tall.
ABOVE_SHARES = (0.5, 0.6, 0.7, 0.8)
ABOVE_HEIGHT = 3.6 * inch
# A 13 pt guide card that ends its page (the next card does not fit under it) may take a
# larger figure, instead of leaving the page more than fill.SLACK empty: beside its steps
# at one of these shares (at most about half the card: the text beside it keeps 40
# characters a line), or above them at one of ABOVE_SHARES; the tallest its page has room
# for.
GROW_SHARES = (0.44, 0.48, 0.52)
SHEET_LARGE_SHARE = 0.45


def card(lay: Layout, item: PlannedStretch, width: float | None = None,
         share: float | None = None, caption: bool = True) -> Story:
    """One stretch card and the space after it (see :func:`stretch_card`). In the
    large-print guide the card is placed to fill its page: it may split at a step, and
    where it ends its page its picture may grow (handouts/fill.py)."""
    t = lay.theme
    if t.large_print and lay.plan.layout != "sheet" and lay.page_height:
        count = 1 + (len(ABOVE_SHARES) if item.stretch.image else 0)
        return [Placement(lambda k: stretch_card(lay, item, variant=k)[0], count=count,
                          shrinks=bool(item.stretch.image), page_height=lay.page_height,
                          space_after=t.body_size * 0.6)]
    story = stretch_card(lay, item, width, share, caption)
    if lay.plan.layout == "sheet" or not lay.page_height or not item.stretch.image:
        return story
    # 13 pt: a card followed by another may grow its figure where it ends its page
    before = getattr(lay, "_growing", None)
    if item != lay.plan.stretches[-1]:  # (the last card is followed by the floor note)
        grows = Growing(story[0], lambda k: stretch_card(lay, item, variant=k)[0],
                        len(GROW_SHARES) + len(ABOVE_SHARES), lay.page_height, story[1])
        story = [grows, story[1]]
        setattr(lay, "_growing", grows)  # noqa: B010 - (the next card links to it)
    if before is not None:
        before.following = story[0]
    return story


class Growing(Flowable):
    """A 13 pt guide card that takes a larger figure (variant 1, 2 … of ``make``) where it
    ends its page: when the card leaves more than fill.SLACK of the page empty and the card
    after it (``following``) does not fit there, it takes the largest variant the page has
    room for. The pages break where they did (the next card moves on either way); only the
    white under the card is filled. The card is drawn whole, as the variant chosen."""

    def __init__(self, card: Flowable, make: Any, count: int, page_height: float,
                 space: Flowable):
        super().__init__()
        self.base = self.chosen = card
        self.make, self.count, self.page_height, self.space = make, count, page_height, space
        self.following: Flowable | None = None
        self._made: dict[int, Flowable] = {}
        self._mirror()

    def _mirror(self) -> None:
        """Show the chosen card's marks (bookmark, stretch id, picture share) as this one's."""
        for name in ("bookmark", "stretch_id", "picture_share"):
            if hasattr(self.chosen, name):
                setattr(self, name, getattr(self.chosen, name))

    def _variant(self, index: int) -> Flowable:
        if index not in self._made:
            body = self.make(index)
            body.bookmark = getattr(self.base, "bookmark", None)  # type: ignore[attr-defined]
            self._made[index] = body
        return self._made[index]

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.base.getSpaceBefore())

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.base.getSpaceAfter())

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        from .fill import SLACK

        canvas = getattr(self, "canv", None)
        width, height = self.base.wrapOn(canvas, avail_width, avail_height)
        self.chosen = self.base
        gap = self.space.wrapOn(canvas, avail_width, avail_height)[1]
        left = avail_height - height - gap
        following = self.following
        if following is not None and left > SLACK * self.page_height and \
                following.wrapOn(canvas, avail_width, 10_000)[1] > left:
            for index in range(1, self.count + 1):  # the tallest that fits
                body = self._variant(index)
                tall = body.wrapOn(canvas, avail_width, avail_height)[1]
                if height < tall <= avail_height - gap:
                    self.chosen, height = body, tall
        self._mirror()
        self.width, self.height = width, height
        return width, height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return self.base.split(avail_width, avail_height)  # (as the card would)

    def draw(self) -> None:
        self.chosen.drawOn(self.canv, 0, 0)


def stretch_card(lay: Layout, item: PlannedStretch, width: float | None = None,
                 share: float | None = None, caption: bool = True,
                 variant: int = 0) -> Story:
    """One stretch card: title and purpose, then the picture (at least 40% of the card's
    width) beside the start, what it needs and the numbered steps, then the dose line,
    the easier way, the therapist's note and the cautions.

    The card is a panel of parts: it moves to the next page whole when it fits on one, and
    splits between its parts only when it is taller than a page (large print with many
    cautions), the second part headed "(continued)". In large print the picture keeps its
    normal-print size and the steps that do not fit beside it run full width below.

    On one sheet the text flows beside and then under the picture, and the card may be
    ``width`` wide (two to a row), its picture ``share`` of its inner width, with or
    without its ``caption``. A large-print ``variant`` above 0 sets the picture above the
    text, ``ABOVE_SHARES[variant - 1]`` of the card's inner width (a card that ends its
    page fills it with a larger picture); -1 sets it short (the first steps beside the
    picture), for a page it then fits whole.
    """
    t, s, w = lay.theme, item.stretch, lay.words
    title = f"{item.number}. {s.title}"
    large = t.large_print
    sheet = lay.plan.layout == "sheet"
    card_width = width or lay.width
    side = lay.pad * (0.9 if sheet else 1.2)  # a sheet's cards keep more room for text
    inner = card_width - 2 * side
    # The same share in large print (never smaller); a large-print sheet's card a little
    # more, as its wider padding would leave it a few points under the normal size.
    share = share or (SHEET_LARGE_SHARE if sheet and large else PICTURE_SHARE)
    pic_width = share * inner  # the guide's picture column (padded on its right side)
    # (13 pt: variants 1-3 a larger figure beside the steps, then 4-7 the figure above)
    grown = len(GROW_SHARES) if not large else 0
    above = not sheet and variant > grown
    figure_share = GROW_SHARES[variant - 1] if 0 < variant <= grown else FIGURE_SHARE
    pic = guide_picture(lay, s.image, inner, pic_width, side,
                        variant - grown if above else 0, figure_share) \
        if s.image and not sheet else None
    if pic is not None and not above:
        pic_width = max(pic_width, pic.width + lay.pad)  # (a wide figure's column)
    if s.image and sheet:
        # One sheet: the box cut to the figure, as large as a box ``share`` of the card
        # would be in the drawings' shape (a tall figure taller, never wider than half)
        from .figure import BOX_ASPECT, Cropped
        whole = lay.picture(s.image, pic_width, BESIDE_HEIGHT)
        pic = Cropped(whole, min(share, 0.5) * inner,
                      min(BOX_ASPECT * pic_width, BESIDE_HEIGHT)) if whole is not None else None
    lead_markup = [f"<b>{lay.m(w.text('card.start'))}</b> {lay.m(s.start)}"]
    if s.needs:
        lead_markup.append(f"<b>{lay.m(w.text('card.needs'))}</b> "
                           f"{lay.m(', '.join(s.needs))}.")
    # One sheet runs the start and what it needs together (one paragraph flows round the
    # picture without a gap).
    lead: Story = [lay.p(text, "card") for text in
                   ([" ".join(lead_markup)] if sheet else lead_markup)]
    steps = lay.list([lay.m(step) for step in s.steps], "step", ordered=True)
    dose = lay.p(lay.m(dose_text(item.dose, w)), "dose")
    gentler = (lay.p(f"<b>{lay.m(w.text('card.easier'))}</b> {lay.m(s.gentler)}",
                      "caption" if pic is not None and not large else "card")
               if s.gentler else None)
    purpose = lay.p(lay.m(s.purpose), "card")
    rows: list[Flowable] = [lay.p(lay.m(title), "card_title")]
    left: Story = []
    if pic is not None and sheet:
        # One sheet: the picture (with its caption) at the top left, the start, the steps
        # and the dose beside it and then under it; what it is for and the easier way are
        # left to the full guide.
        under = lay.p(lay.m(s.caption), "caption") if caption else Spacer(1, 0)
        rows.append(ImageAndFlowables(Figure(pic, under, pic.width), [*lead, steps, dose],
                                      imageSide="left", imageLeftPadding=0,
                                      imageRightPadding=lay.pad * 1.5, imageTopPadding=2,
                                      imageBottomPadding=lay.pad * (1 if caption else 0.5)))
    elif pic is not None and not large and not above:
        # Balanced columns: the picture with its caption and the easier way on the left;
        # what it is for, the start, what it needs, the steps and the dose on the right.
        left = [pic, Spacer(1, 3), lay.p(lay.m(s.caption), "caption")]
        if gentler is not None:
            left += [Spacer(1, lay.pad * 0.5), gentler]
        rows.append(beside_row(lay, left, [purpose, *lead, steps, dose], pic_width, inner))
    elif pic is not None and above:  # a card that fills its page: the
        # picture centred above the text, the text full width under it
        centred = ParagraphStyle("caption-centred", parent=t.s("caption"),
                                 alignment=TA_CENTER)
        figure = Figure(pic, Para(lay.m(s.caption), centred, cache=lay.paragraphs), inner)
        figure.spaceAfter = lay.pad * 0.6  # (the caption apart from the text under it)
        rows.append(figure)
        rows += [purpose, *lead, steps, dose] + ([gentler] if gentler is not None else [])
    elif pic is not None:  # large print: as much beside the picture as keeps it short
        left = [pic, Spacer(1, 1 if variant < 0 else 3), lay.p(lay.m(s.caption), "caption")]
        tail = [dose] + ([gentler] if gentler is not None else [])
        compact = variant < 0 or lay.floor_follows and item == lay.plan.stretches[-1]
        rows += large_rows(lay, left, [purpose, *lead], [lay.m(x) for x in s.steps],
                                 tail, pic_width, inner, compact)
    else:
        rows += [purpose, *lead, steps, dose] + ([gentler] if gentler is not None else [])
    if item.note:
        who = lay.plan.therapist.name if lay.plan.therapist \
            else w.text("note.your_therapist")
        note = "<br/>".join(lay.m(line) for line in item.note.split("\n"))
        rows.append(lay.p(f"<b>{lay.m(w.text('card.note', who=who))}</b> {note}", "card"))
    if s.cautions or item.cautions:
        grouped: dict[str, list[str]] = {}  # one "Because of your …:" per condition label
        for label, text in item.cautions:
            if text not in grouped.setdefault(label, []):
                grouped[label].append(text)
        extra = [(w.text("card.because", label=label), " ".join(texts))
                 for label, texts in grouped.items()]
        cautions: Sequence[str | tuple[str, str]] = [*s.cautions, *extra]
        from .sheet import caution_panel  # (sheet.py builds on these cards)

        rows.append(caution_panel(lay, cautions, inner) if sheet else
                    caution_box(lay, cautions, inner))
    tight = variant < 0  # the short variant: a little less air inside
    options: dict[str, Any] = dict(
        width=card_width, border=(t.colors["rule"], 1), radius=6,
        padding=(side, side, lay.pad * (0.35 if tight else 0.7),
                 lay.pad * (0.35 if tight else 0.7)),
        page_height=lay.page_height, gap=0.0 if tight else lay.pad * 0.2,
        continued=lambda: [lay.p(lay.m(w.text("card.continued", title=title)),
                                  "card_title")])
    # The large-print guide's card is kept whole where it fits on a page; taller, it
    # splits after its title, its picture row and a step, before its last step.
    card = Filling(rows, keep=2, whole=True, keep_tail=True, **options) \
        if large and not sheet and lay.page_height else Panel(rows, **options)
    card.stretch_id = s.id  # type: ignore[attr-defined]
    card.picture_share = 0.0  # type: ignore[attr-defined]
    if pic is not None:  # for check: the figure drawn, not its box
        from .figure import drawn_size
        from .figure import share as measured
        card.picture_share = measured(*drawn_size(pic), inner)  # type: ignore[attr-defined]
    return [marked(card, title, 1), Spacer(1, t.body_size * 0.6)]


def guide_picture(lay: Layout, image: str, inner: float, column: float, side: float,
                  above: int = 0, figure_share: float = FIGURE_SHARE) -> Flowable | None:
    """A guide card's picture cut to its figure (handouts/figure.py), the figure
    ``FIGURE_SHARE`` of the card's ``inner`` width by figure.share, centred in its
    ``column`` (less its right padding); in large print as large in points as at 13 pt.
    A 13 pt card that fills its page takes a larger ``figure_share`` (GROW_SHARES).
    ``above`` (a large-print variant above 0): the figure ``ABOVE_SHARES[above - 1]`` of the
    inner width, set above the text. None when the picture cannot be found."""
    from .figure import BOX_ASPECT, PIXELS, Cropped

    if above:
        size, tallest, fill = ABOVE_SHARES[above - 1] * inner, ABOVE_HEIGHT, 0.0
    else:
        # the inner width of the same card at 13 pt (its side padding scales with the body)
        normal = lay.width - 2 * side * BODY_SIZE / lay.theme.body_size
        size, tallest = figure_share * max(inner, normal), BESIDE_HEIGHT
        fill = column - lay.pad
    whole = lay.picture(image, size, None)
    if whole is None:
        return None
    # no margin above or below the figure: its top lines up with the text's, its floor line
    # is left out; beside it only a pixel of the raster its extent was read from (the
    # column's own padding parts it from the text): the card is as short as it can be, its
    # text as wide as it was, and the share is the figure's
    return Cropped(whole, size, min(BOX_ASPECT * size, tallest), min_width=fill, margin_y=0.0,
                   margin_x=1 / PIXELS)


def beside_row(lay: Layout, left: Story, right: Story, left_width: float,
               inner: float) -> Beside:
    """The picture column and the text column side by side, in one unsplittable row."""
    return Beside(left, right, left_width=left_width, width=inner, gap=lay.pad)


def large_rows(lay: Layout, left: Story, head: Story, steps: Sequence[str], tail: Story,
               left_width: float, inner: float, compact: bool) -> Story:
    """A large-print card's body: the picture beside what it is for, the start and what
    it needs; the steps, the dose and the easier way full width below. ``compact`` (the
    card the floor note follows) moves the first steps up beside the picture where that
    makes the card shorter, the numbering carried on below, so the note fits under it.

    Only the compact card does so: a card alone on its page is better a little taller."""
    def parts(count: int) -> tuple[Story, Story]:
        shown = min(count, len(steps))
        beside, below = list(head), []
        if shown:
            beside.append(lay.list(steps[:shown], "step", ordered=True))
        if shown < len(steps):
            below.append(lay.list(steps[shown:], "step", ordered=True, start=shown + 1))
        extra = max(0, count - len(steps))
        return beside + list(tail[:extra]), below + list(tail[extra:])

    def height(count: int) -> float:
        """The body's height with ``count`` parts beside the picture."""
        beside, below = parts(count)
        row = beside_row(lay, list(left), beside, left_width, inner)
        return Panel([row, *below], width=inner, gap=lay.pad * 0.2).wrapOn(
            None, inner, 10_000)[1]

    best = 0
    if compact:
        heights = [height(count) for count in range(len(steps) + len(tail) + 1)]
        best = min(range(len(heights)), key=lambda count: (round(heights[count]), count))
    beside, below = parts(best)
    return [beside_row(lay, left, beside, left_width, inner), *below]


def caution_box(lay: Layout, cautions: Sequence[str | tuple[str, str]],
                inner_width: float | None = None) -> Flowable:
    """Cautions at body size beside a drawn warning sign (no font has ⚠), ``inner_width``
    wide (a full-width card's inside by default)."""
    t = lay.theme
    inner_width = inner_width or lay.width - 2 * lay.pad * 1.2
    sign_col = t.body_size * 2.2
    sign = WarningSign(t.body_size * 1.3, t.colors["caution_edge"])
    text = f"<b>{lay.m(lay.words.text('card.take_care'))}</b> " + " ".join(
        lay.m(c) if isinstance(c, str) else f"<b>{lay.m(c[0])}</b> {lay.m(c[1])}"
        for c in cautions)
    # What a two-cell table drew: each cell padded ``pad`` on the left and 6 pt (a table
    # cell's default) on the right, half ``pad`` above, nothing below; the edge a rule on
    # the box's left side.
    right = CELL_PAD
    row = Beside([sign], [lay.p(text, "box")], left_width=sign_col,
                 width=inner_width - lay.pad - right, gap=right + lay.pad)
    return Panel([row], width=inner_width, padding=(lay.pad, right, lay.pad * 0.5, 0),
                 fill=t.colors["caution_fill"],
                 rules=[("before", t.colors["caution_edge"], 3)])
