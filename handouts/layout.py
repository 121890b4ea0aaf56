"""The story's core: the Layout (paragraphs, lists, boxes, the header band, key points, notes,
two columns, a section beside its picture) that the section modules build on.

The stretch cards are in handouts/cards.py, the tick log in handouts/ticklog.py, the safety
boxes and contact block in handouts/closing.py (the Layout's methods for them call those
modules' functions), the drawn marks in handouts/marks.py. Together they turn a
:class:`~handouts.models.Plan` plus rendered section Markdown into reportlab flowables.
Person-supplied text goes through :func:`handouts.text.markup` (or the Markdown path) and is
never parsed as markup. Flowables that should get a PDF bookmark carry a
``bookmark`` attribute ``(title, level)`` that the renderer turns into outline entries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    ImageAndFlowables,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    TableStyle,
)

from .fill import IfRoom, Placement
from .language import plan_language
from .marks import Figure
from .models import Plan, PlannedStretch
from .panel import Beside, Panel, TwoColumns
from .styles import Theme
from .templating import Block
from .text import markup

Story = list[Flowable]
CELL_PAD = 6.0  # a log or caution cell's padding left and right (as a reportlab table cell's)
HEADER_STEPS = 8  # the header's right column: its base share of the width plus 0-14%
PictureFactory = Callable[[Any, float, Any], Any]


class Para(Paragraph):
    """A paragraph that remembers its last wrap (nested tables and KeepTogether wrap the same
    paragraph several times at the same width, and line breaking is the costliest step) and
    takes its parsed markup from the renderer's cache when it has seen the text before."""

    _last: tuple[float, tuple[float, float], Any] | None = None
    _cache: Any = None  # the renderer's paragraph cache, for paragraphs made from text

    def __init__(self, text: str | None, style: Any, bulletText: Any = None,  # noqa: N803
                 frags: list[Any] | None = None, cache: Any = None, **kw: Any):
        # reportlab's own split() calls this class with text None and ready fragments.
        if frags is not None or text is None or cache is None:
            super().__init__(text, style, bulletText=bulletText, frags=frags, **kw)
            return
        self._cache, self._source = cache, text
        cached = cache.get(text, style)
        if cached is not None:
            super().__init__(text, style, bulletText=bulletText, frags=cached, **kw)
            return
        super().__init__(text, style, bulletText=bulletText, **kw)
        cache.put(text, style, self.frags)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        last = self._last
        if last is not None and last[0] == avail_width:
            self.width, self.height = last[1]
            self.blPara = last[2]  # the line breaks that go with this width
            return last[1]
        cache = self._cache
        if cache is not None and not self.bulletText:  # the same text wrapped in an earlier
            state = cache.layout(self._source, self.style, avail_width)  # handout
            if state is not None:
                self.__dict__.update(state)
                size = (self.width, self.height)
                self._last = (avail_width, size, self.blPara)
                return size
        size = super().wrap(avail_width, avail_height)
        self._last = (avail_width, size, self.blPara)
        if cache is not None and not self.bulletText and size[1] < 0x7FFFFFFF:
            cache.keep_layout(self._source, self.style, avail_width,
                              {k: self.__dict__[k] for k in _WRAP_STATE if k in self.__dict__})
        return size


# What Paragraph.wrap sets on a paragraph (reportlab 4-5), kept and restored together.
_WRAP_STATE = ("width", "height", "blPara", "frags", "_wrapWidths", "_width_max",
               "_splitLongWordCount", "_hyphenations")


def is_heading(flowable: Any) -> bool:
    """A section or sub-section heading placed on its own (also in a column's copy of its
    style, named "<style>-full")."""
    name = getattr(getattr(flowable, "style", None), "name", "")
    return name.removesuffix("-full") in ("h2", "h3")


def logo_strings(picture: Any) -> tuple[tuple[str, float], ...]:
    """The text inside a vector logo with its printed size (the quality report names a logo
    whose lettering is small, apart from the handout's own text)."""
    found: list[tuple[str, float]] = []
    for text, size, factors in getattr(getattr(picture, "source", None), "strings", ()):
        scale = picture.scale
        for factor in factors:  # the order the drawing's groups apply them
            scale = scale * factor
        found.append((text.strip(), round(size * scale, 1)))
    return tuple(item for item in found if item[0])


def marked(flowable: Flowable, title: str, level: int) -> Flowable:
    """Attach a bookmark (outline entry) to ``flowable``."""
    flowable.bookmark = (title, level)  # type: ignore[attr-defined]
    return flowable


class Layout:
    """Builds flowables for one handout with one theme."""

    def __init__(self, plan: Plan, theme: Theme, picture: PictureFactory,
                 paragraphs: Any = None, page_height: float | None = None):
        self.plan = plan
        self.words = plan_language(plan)  # every word this layout prints itself
        self.theme = theme
        self.picture = picture
        self.paragraphs = paragraphs  # the renderer's parsed-markup cache (or None)
        self.width = theme.frame_width
        self.pad = 0.55 * theme.body_size
        self.page_height = page_height  # the later pages' frame: taller panels may split
        self.logo_text: tuple[tuple[str, float], ...] = ()  # (text, printed size) in the logo
        self.in_columns = False
        self.scope_printed = False  # the safety boxes may print the scope statement
        self.floor_follows = False  # the floor note follows the last card (large print)

    def tstyle(self, commands: list[tuple[Any, ...]]) -> TableStyle:
        """A table style whose cell font is the house face (reportlab's default is Helvetica,
        which would be listed in the PDF without being embedded)."""
        font = ("FONT", (0, 0), (-1, -1), self.theme.fonts.regular, self.theme.body_size)
        return TableStyle([font, *commands])

    # --- text helpers ---------------------------------------------------------------
    def m(self, text: str) -> str:
        """Escape person or content text for paragraph markup."""
        return markup(text, self.theme.fonts)

    def p(self, text_markup: str, style: str) -> Paragraph:
        """A paragraph from markup that is already safe."""
        return Para(text_markup, self.theme.s(style), cache=self.paragraphs)

    def blocks(self, blocks: Sequence[Block], body: str = "body", bullet: str = "bullet",
               level: int = 0, heading_style: str = "h2", guard: bool = True) -> Story:
        """Flowables for parsed Markdown blocks; the section heading gets a bookmark.

        ``guard`` puts a conditional page break before the heading; blocks that go inside a
        KeepTogether must not have one (it would split the group).
        """
        story: Story = []
        for block in blocks:
            if block.kind in ("h1", "h2"):
                if heading_style == "h2" and guard and not self.in_columns:
                    # never a heading alone at a page foot (columns keep it with what follows);
                    # in large print nine lines of room would be half a page of white
                    lines = 6 if self.theme.large_print else 9
                    story.append(CondPageBreak(self.theme.body_size * lines))
                story.append(marked(self.p(block.items[0], heading_style), block.plain, level))
            elif block.kind.startswith("h"):
                story.append(self.p(block.items[0], "h3"))
            elif block.kind == "p":
                story.append(self.p(block.items[0], body))
            else:
                story.append(self.list(block.items, bullet, ordered=block.kind == "ol"))
        return story

    def list(self, items: Sequence[str], style: str, ordered: bool = False,
             start: int = 1) -> Flowable:
        """A bulleted or numbered list of markup items (the style's indent is the hang);
        ``start`` numbers an ordered list on from an earlier part."""
        st = self.theme.s(style)
        item_style = self.theme.list_style(style)
        flow = [ListItem(Para(item, item_style, cache=self.paragraphs)) for item in items]
        made = ListFlowable(
            flow, bulletType="1" if ordered else "bullet", start=start if ordered else "•",
            leftIndent=st.leftIndent, bulletFontName=self.theme.fonts.bold,
            bulletFontSize=st.fontSize, bulletColor=self.theme.colors["brand_text"],
            bulletFormat="%s." if ordered else None, spaceBefore=0, spaceAfter=st.spaceAfter,
            bulletDedent=st.leftIndent - st.bulletIndent)
        # Where a large-print box or card splits inside the list: the first ``at`` items and
        # the rest, numbered on (see fill.split_part).
        made.items = len(items)  # type: ignore[attr-defined]
        made.pieces = lambda at: (  # type: ignore[attr-defined]
            self.list(items[:at], style, ordered, start),
            self.list(items[at:], style, ordered, start + at))
        return made

    def box(self, content: Story, fill: colors.Color, edge: colors.Color,
            width: float | None = None) -> Panel:
        """Content in a tinted box with a strong left edge (key points, notes, safety)."""
        top = self.pad * (0.75 if self.theme.large_print else 1.0)  # large print: 7.4 pt
        return Panel(content, width=width or self.width, fill=fill, edge=(edge, 4),
                     padding=(self.pad * 1.4, self.pad * 1.4, top, self.pad * 0.6),
                     page_height=self.page_height)

    # --- header -----------------------------------------------------------------------
    def header(self) -> Story:
        """The first-page band: the clinic (its logo, or its name: once), the title, a
        workshop's title, and who and when the handout is for."""
        plan, t = self.plan, self.theme
        clinic = plan.clinic
        left: Story = []
        logo = self.picture(clinic.logo, 1.8 * inch, 0.7 * inch) if clinic.logo else None
        if logo is not None:
            logo.hAlign = "LEFT"
            left += [logo, Spacer(1, 4)]
            self.logo_text = logo_strings(logo)
        else:
            left.append(self.p(self.m(clinic.name), "meta_bold"))
        w = self.words
        left.append(self.p(self.m(w.text("header.title")), "title"))
        if plan.event:
            left.append(self.p(self.m(plan.event), "meta_bold"))
        if clinic.sample:
            left.append(self.p(self.m(w.text("header.sample")), "meta"))
        rows = [(w.text("header.for"), plan.client.name),
                (w.text("header.date"), w.long_date(plan.date, False))]
        if plan.therapist is not None:
            rows.append((w.text("header.from"), plan.therapist.signature))
        if plan.client.next_visit:
            rows.append((w.text("header.next_visit"), w.visit_text(plan.client.next_visit)))
        right = [self.p(f"<b>{self.m(k)}:</b> {self.m(v)}", "meta") for k, v in rows]
        sheet = plan.layout == "sheet"
        foot = [left.pop()] if sheet and clinic.sample else []
        # The who-and-when column takes the width that makes the band shortest (a longer
        # language's date or visit would wrap in the narrowest), the narrowest of equals.
        base = 0.33 if not t.large_print else 0.45
        side = self.pad * 1.4  # each column's padding, left and right
        # ... but never so wide that the title, on one line in the narrowest, would wrap
        title = t.s("title")
        title_width = stringWidth(w.text("header.title"), title.fontName, title.fontSize)
        room = title_width + 2 * side
        widths = [share * self.width for share in
                  (base + 0.02 * step for step in range(HEADER_STEPS))]
        widths = [widths[0]] + [width for width in widths[1:]
                                if self.width - width >= room or self.width - widths[0] < room]
        # The date (the handout's own words) stays on one line where the title can stay on
        # its own: the column no narrower than the date needs, the columns one padding apart
        # (not two) if that is what it takes (Spanish on Letter); else as chosen above.
        gap = 2 * side
        date = _line_width(right[1]) + 0.01
        need = date + 2 * side
        if need > widths[0] and self.width - need >= room:
            widths = [need] + [width for width in widths if width > need]
        elif need > widths[0] and title_width + date + 3 * side <= self.width:
            widths, gap = [need], side
        # One sheet: the sample line across the band's foot, or under the title where the
        # who-and-when column is the taller one anyway.
        places = [(foot, []), ([], foot)] if foot else [([], [])]
        tried = [(width, across, under) for width in widths for across, under in places]
        heights = [self._band(left + under, right, across, width, gap).wrapOn(
            None, self.width, 10_000)[1] for width, across, under in tried]
        lowest = min(heights)
        width, across, under = next(band for band, height in zip(tried, heights, strict=True)
                                    if height <= lowest + 0.01)
        # The chosen band made afresh: its paragraphs were last wrapped for another try, and
        # a band (like the table it was) draws its parts as they were when it was measured.
        band = self._band(left + under, right, across, width, gap)
        # A date too long for its line breaks after its label, not inside the date
        # ("Fecha:" then "30 de noviembre de 2026", not "... de" then "2026") where that
        # keeps the band as low.
        tall = band.wrapOn(None, self.width, 10_000)[1]
        if len(getattr(getattr(right[1], "blPara", None), "lines", ())) > 1:
            label, value = w.text("header.date"), w.long_date(plan.date, False)
            broken = [right[0], self.p(f"<b>{self.m(label)}:</b><br/>{self.m(value)}", "meta"),
                      *right[2:]]
            again = self._band(left + under, broken, across, width, gap)
            if again.wrapOn(None, self.width, 10_000)[1] <= tall + 0.01:
                band = self._band(left + under, broken, across, width, gap)
        return [band, Spacer(1, t.body_size * (0.4 if sheet else 0.6))]

    def _band(self, left: Story, right: Story, foot: Story, right_width: float,
              gap: float | None = None) -> Panel:
        """The header band with its right column ``right_width`` wide (with its padding): a
        tinted box with a strong rule under it, the clinic and title on the left and who and
        when on the right, each column centred in the band's height (as the two-column table
        it was); ``gap`` between the columns' text (two paddings unless given)."""
        t, sheet = self.theme, self.plan.layout == "sheet"
        side = self.pad * 1.4  # each column's padding, left and right
        pad = self.pad * (0.6 if sheet else 1)
        inner = self.width - 2 * side
        rows: Story = [Beside(left, right, left_width=self.width - right_width, width=inner,
                              gap=2 * side if gap is None else gap, middle=True)]
        if foot:  # one sheet: the sample line across the band's foot, ``pad`` under the columns
            rows.append(Beside(foot, [], left_width=inner, width=inner, gap=0))
        band = Panel(rows, width=self.width, padding=(side, side, pad, pad), gap=pad,
                     fill=t.colors["tint"], rules=[("below", t.colors["brand"], 3)])
        band.hAlign = "CENTER"  # as the table it was: centred in a wider frame
        return band

    # --- sections ---------------------------------------------------------------------
    def key_points(self, blocks: Sequence[Block]) -> Story:
        """The main message first, in a tinted box."""
        t = self.theme
        inner = self.blocks(blocks, body="box", bullet="box_bullet", heading_style="box_title")
        return [self.box(inner, t.colors["tint"], t.colors["brand"]),
                Spacer(1, t.body_size * 0.4)]

    def panel(self, blocks: Sequence[Block]) -> Story:
        """A short tinted panel of advice (getting down to the floor), kept in one piece."""
        t = self.theme
        inner = self.blocks(blocks, body="box", bullet="box_bullet", heading_style="box_title",
                            guard=False)
        return [KeepTogether([self.box(inner, t.colors["tint"], t.colors["brand"])]),
                Spacer(1, t.body_size * (0.4 if self.plan.layout == "sheet" else 0.6))]

    def client_note(self) -> Story:
        """The therapist's general note for this client, if any."""
        note = self.plan.client.note
        if not note:
            return []
        t = self.theme
        who = self.plan.therapist.name if self.plan.therapist \
            else self.words.text("note.your_therapist")
        text = "<br/>".join(self.m(line) for line in note.split("\n"))
        heading = self.m(self.words.text("note.heading", who=who))
        inner = ([self.p(f"<b>{heading}:</b> {text}", "box")] if self.plan.layout == "sheet"
                 else [self.p(heading, "box_title"), self.p(text, "box")])
        return [self.box(inner, t.colors["tint"], t.colors["brand"]),
                Spacer(1, t.body_size * (0.4 if self.plan.layout == "sheet" else 0.6))]

    def columns(self) -> Layout:
        """A layout for one of two columns: half the width, text without the line-length
        limit (a column is already short enough)."""
        from dataclasses import replace as _replace

        gap = self.theme.body_size * 1.2
        theme = _replace(self.theme, styles={name: _without_measure(style)
                                             for name, style in self.theme.styles.items()})
        column = Layout(self.plan, theme, self.picture, self.paragraphs, self.page_height)
        column.width = (self.width - gap) / 2
        column.in_columns = True
        return column

    def balanced(self, story: Story) -> Story:
        """Flowables set in two balanced columns (they may continue on the next page)."""
        if not story:
            return []
        return [TwoColumns(story, gap=self.theme.body_size * 1.2, is_heading=is_heading)]

    def with_picture(self, blocks: Sequence[Block], image: str | None, caption: str) -> Story:
        """A section whose text flows beside a picture (the anatomy drawing), splitting freely;
        in a column the picture stands under the text, at the column's width."""
        story = self.blocks(blocks)
        if image is None:
            return story
        if self.in_columns:  # the picture under the heading, at most the column's width
            pic = self.picture(image, self.width * 0.8, 3.6 * inch)
            if pic is None:
                return story
            figure = Figure(pic, self.p(self.m(caption), "caption"), self.width * 0.8)
            figure.floats = True  # type: ignore[attr-defined]  # (see TwoColumns._fill)
            at = next((i + 1 for i, f in enumerate(story) if getattr(f, "bookmark", None)), 0)
            return story[:at] + [figure, Spacer(1, self.pad * 0.5)] + story[at:]
        pic_width = (0.34 if not self.theme.large_print else 0.4) * self.width
        pic = self.picture(image, pic_width, 3.6 * inch)
        if pic is None:
            return story
        pic_width = max(pic_width, pic.width)  # large print: wider where its 18 pt labels need room
        heading, body = story[:2], story[2:]
        need = pic.height + self.theme.body_size * 4
        heading[0] = CondPageBreak(need)
        for flowable in body:
            if isinstance(flowable, Paragraph):
                flowable.style = _without_measure(flowable.style)
        figure = Figure(pic, self.p(self.m(caption), "caption"), pic_width)
        # Text flows beside the picture; a list (and the line that leads into it) follows as
        # one block below, so "You can:" never sits apart from its list.
        split = next((i for i, f in enumerate(body) if isinstance(f, ListFlowable)), len(body))
        if split and getattr(body[split - 1], "text", "").rstrip().endswith(":"):
            split -= 1
        gap = self.theme.body_size
        # Only whole paragraphs stand beside the picture: a sentence that ran on under the
        # picture, at another width, made the reader hunt for its end.
        split = _whole_beside(body[:split], self.width - pic_width - gap, figure.height)
        beside = ImageAndFlowables(figure, body[:split], imageSide="right",
                                   imageLeftPadding=gap, imageRightPadding=0,
                                   imageTopPadding=2, imageBottomPadding=gap * 0.5)
        normal = heading[1:] + [beside] + ([KeepTogether(body[split:])] if body[split:] else [])
        if not self.theme.large_print or not self.page_height:
            return heading[:1] + normal
        # Large print: where the page has room for the text but not the picture, the text
        # comes first and the picture (the same size) after it, rather than a third of a
        # page left white.
        later = Figure(pic, self.p(self.m(caption), "caption"), pic_width)
        later.hAlign = "CENTER"
        # (the room the heading and the picture with its caption and padding need)
        room = figure.height + 2 + gap * 0.5 + self.theme.body_size * 4
        return [IfRoom(room, normal, heading[1:] + body + [later],
                       page_height=self.page_height)]

    # --- stretch cards ----------------------------------------------------------------
    def card(self, item: PlannedStretch, width: float | None = None,
             share: float | None = None, caption: bool = True) -> Story:
        """One stretch card and the space after it (see :func:`handouts.cards.card`)."""
        from .cards import card  # (cards.py imports this module)

        return card(self, item, width, share, caption)

    def stretch_card(self, item: PlannedStretch, width: float | None = None,
                     share: float | None = None, caption: bool = True,
                     variant: int = 0) -> Story:
        """One stretch card's panel (see :func:`handouts.cards.stretch_card`)."""
        from .cards import stretch_card

        return stretch_card(self, item, width, share, caption, variant)

    def stretches_lead(self, intro: Story, first: Placement) -> Story:
        """What goes before the first card in large print: its lead with the list of the
        stretches, kept on the page where the card moves on (see handouts/lead.py)."""
        from .lead import stretches_lead  # (lead.py imports this module)

        return stretches_lead(self, intro, first)

    def caution_box(self, cautions: Sequence[str | tuple[str, str]],
                    inner_width: float | None = None) -> Flowable:
        """Cautions beside a drawn warning sign (see :func:`handouts.cards.caution_box`)."""
        from .cards import caution_box

        return caution_box(self, cautions, inner_width)

    # --- tick log ---------------------------------------------------------------------
    def log(self, blocks: Sequence[Block]) -> Story:
        """The tick log, one row per stretch (see :func:`handouts.ticklog.log`)."""
        from .ticklog import log  # (ticklog.py imports this module)

        return log(self, blocks)

    def log_strip(self, blocks: Sequence[Block]) -> Story:
        """The one sheet's compact log (see :func:`handouts.ticklog.log_strip`)."""
        from .ticklog import log_strip

        return log_strip(self, blocks)

    # --- safety and contact -----------------------------------------------------------
    def safety(self, blocks: Sequence[Block]) -> Story:
        """The safety boxes and the scope line (see :func:`handouts.closing.safety`)."""
        from .closing import safety  # (closing.py imports this module)

        return safety(self, blocks)

    def contact(self, blocks: Sequence[Block]) -> Story:
        """Next steps and the clinic's details (see :func:`handouts.closing.contact`)."""
        from .closing import contact

        return contact(self, blocks)

    def scope(self, width: float | None = None) -> Story:
        """The self-care scope statement (see :func:`handouts.closing.scope`)."""
        from .closing import scope

        return scope(self, width)


def _without_measure(style: Any) -> Any:
    """A copy of a paragraph style without the right indent used to limit line length."""

    return ParagraphStyle(style.name + "-full", parent=style, rightIndent=0)


def _line_width(paragraph: Paragraph) -> float:
    """The width ``paragraph`` takes on one line (its widest line, unwrapped)."""
    paragraph.wrap(100_000, 10_000)
    return max(paragraph.getActualLineWidths0(), default=0.0)


def _whole_beside(paragraphs: Sequence[Flowable], width: float, height: float) -> int:
    """How many of ``paragraphs`` (at least one) fit whole beside a picture ``height`` tall."""
    used = 0.0
    for count, flowable in enumerate(paragraphs):
        _, tall = flowable.wrap(width, 10_000)
        if count and used + tall > height:
            return count
        used += tall + flowable.getSpaceAfter()
    return len(paragraphs)
