"""The story: header, sections, stretch cards, tick log, safety boxes and contact block.

Everything here turns a :class:`~handouts.models.Plan` plus rendered section Markdown into
reportlab flowables. Person-supplied text goes through :func:`handouts.text.markup` (or the
Markdown path) and is never parsed as markup. Flowables that should get a PDF bookmark carry a
``bookmark`` attribute ``(title, level)`` that the renderer turns into outline entries.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
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
    Table,
    TableStyle,
)

from .boxes import BoxColumns
from .errors import InputError
from .fill import EitherOrder, Filling, IfRoom, Placement
from .language import dose_text, plan_language
from .models import Plan, PlannedStretch
from .panel import Beside, Grid, Panel, Strip, TwoColumns
from .styles import Theme
from .templating import Block
from .text import markup

Story = list[Flowable]
LOG_DAYS = 7
LOG_ROOM = 12  # the log starts on a new page unless this many body sizes are left
TWO_WEEKS_FROM = 10  # days to the next visit from which the log covers two weeks
CELL_PAD = 6.0  # a log cell's padding left and right (as a reportlab table cell's)
PICTURE_SHARE = 0.42  # a card's picture: this share of the card's inner width, at any size
# A large-print card that ends its page may set its picture above its text, this share of its
# inner width (the smallest that fills the page), at most ABOVE_HEIGHT tall.
ABOVE_SHARES = (0.5, 0.6, 0.7, 0.8)
ABOVE_HEIGHT = 3.6 * inch
SHEET_LARGE_SHARE = 0.45
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
        extra = " · " + words.text("contact.license", license=th.license) if th.license else ""
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
        """One stretch card and the space after it (see :meth:`stretch_card`). In the
        large-print guide the card is placed to fill its page: it may split at a step, and
        where it ends its page its picture may grow (handouts/fill.py)."""
        t = self.theme
        if t.large_print and self.plan.layout != "sheet" and self.page_height:
            count = 1 + (len(ABOVE_SHARES) if item.stretch.image else 0)
            return [Placement(lambda k: self.stretch_card(item, variant=k)[0], count=count,
                              shrinks=bool(item.stretch.image), page_height=self.page_height,
                              space_after=t.body_size * 0.6)]
        return self.stretch_card(item, width, share, caption)

    def stretch_card(self, item: PlannedStretch, width: float | None = None,
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
        t, s, w = self.theme, item.stretch, self.words
        title = f"{item.number}. {s.title}"
        large = t.large_print
        sheet = self.plan.layout == "sheet"
        card_width = width or self.width
        side = self.pad * (0.9 if sheet else 1.2)  # a sheet's cards keep more room for text
        inner = card_width - 2 * side
        # The same share in large print (never smaller); a large-print sheet's card a little
        # more, as its wider padding would leave it a few points under the normal size.
        share = share or (SHEET_LARGE_SHARE if sheet and large else PICTURE_SHARE)
        pic_width = share * inner
        # (the guide's picture column pads its right side; on a sheet the text flow does)
        above = large and not sheet and variant > 0
        if above:
            pic_width = ABOVE_SHARES[variant - 1] * inner
        pic = self.picture(s.image, pic_width - (0 if sheet or above else self.pad),
                           ABOVE_HEIGHT if above else 2.6 * inch) if s.image else None
        lead_markup = [f"<b>{self.m(w.text('card.start'))}</b> {self.m(s.start)}"]
        if s.needs:
            lead_markup.append(f"<b>{self.m(w.text('card.needs'))}</b> "
                               f"{self.m(', '.join(s.needs))}.")
        # One sheet runs the start and what it needs together (one paragraph flows round the
        # picture without a gap).
        lead: Story = [self.p(text, "card") for text in
                       ([" ".join(lead_markup)] if sheet else lead_markup)]
        steps = self.list([self.m(step) for step in s.steps], "step", ordered=True)
        dose = self.p(self.m(dose_text(item.dose, w)), "dose")
        gentler = (self.p(f"<b>{self.m(w.text('card.easier'))}</b> {self.m(s.gentler)}",
                          "caption" if pic is not None and not large else "card")
                   if s.gentler else None)
        purpose = self.p(self.m(s.purpose), "card")
        rows: list[Flowable] = [self.p(self.m(title), "card_title")]
        left: Story = []
        if pic is not None and sheet:
            # One sheet: the picture (with its caption) at the top left, the start, the steps
            # and the dose beside it and then under it; what it is for and the easier way are
            # left to the full guide.
            under = self.p(self.m(s.caption), "caption") if caption else Spacer(1, 0)
            rows.append(ImageAndFlowables(Figure(pic, under, pic.width), [*lead, steps, dose],
                                          imageSide="left", imageLeftPadding=0,
                                          imageRightPadding=self.pad * 1.5, imageTopPadding=2,
                                          imageBottomPadding=self.pad * (1 if caption else 0.5)))
        elif pic is not None and not large:
            # Balanced columns: the picture with its caption and the easier way on the left;
            # what it is for, the start, what it needs, the steps and the dose on the right.
            left = [pic, Spacer(1, 3), self.p(self.m(s.caption), "caption")]
            if gentler is not None:
                left += [Spacer(1, self.pad * 0.5), gentler]
            rows.append(self._beside(left, [purpose, *lead, steps, dose], pic_width, inner))
        elif pic is not None and above:  # large print, a card that fills its page: the
            # picture centred above the text, the text full width under it
            centred = ParagraphStyle("caption-centred", parent=t.s("caption"),
                                     alignment=TA_CENTER)
            figure = Figure(pic, Para(self.m(s.caption), centred, cache=self.paragraphs), inner)
            figure.spaceAfter = self.pad * 0.6  # (the caption apart from the text under it)
            rows.append(figure)
            rows += [purpose, *lead, steps, dose] + ([gentler] if gentler is not None else [])
        elif pic is not None:  # large print: as much beside the picture as keeps it short
            left = [pic, Spacer(1, 3), self.p(self.m(s.caption), "caption")]
            tail = [dose] + ([gentler] if gentler is not None else [])
            compact = variant < 0 or self.floor_follows and item == self.plan.stretches[-1]
            rows += self._large_rows(left, [purpose, *lead], [self.m(x) for x in s.steps],
                                     tail, pic_width, inner, compact)
        else:
            rows += [purpose, *lead, steps, dose] + ([gentler] if gentler is not None else [])
        if item.note:
            who = self.plan.therapist.name if self.plan.therapist \
                else w.text("note.your_therapist")
            note = "<br/>".join(self.m(line) for line in item.note.split("\n"))
            rows.append(self.p(f"<b>{self.m(w.text('card.note', who=who))}</b> {note}", "card"))
        if s.cautions or item.cautions:
            grouped: dict[str, list[str]] = {}  # one "Because of your …:" per condition label
            for label, text in item.cautions:
                if text not in grouped.setdefault(label, []):
                    grouped[label].append(text)
            extra = [(w.text("card.because", label=label), " ".join(texts))
                     for label, texts in grouped.items()]
            cautions: Sequence[str | tuple[str, str]] = [*s.cautions, *extra]
            from .sheet import caution_panel  # (sheet.py imports this module)

            rows.append(caution_panel(self, cautions, inner) if sheet else
                        self.caution_box(cautions, inner))
        tight = variant < 0  # the short variant: a little less air inside
        options: dict[str, Any] = dict(
            width=card_width, border=(t.colors["rule"], 1), radius=6,
            padding=(side, side, self.pad * (0.35 if tight else 0.7),
                     self.pad * (0.35 if tight else 0.7)),
            page_height=self.page_height, gap=0.0 if tight else self.pad * 0.2,
            continued=lambda: [self.p(self.m(w.text("card.continued", title=title)),
                                      "card_title")])
        # The large-print guide's card may split to fill its page, after its title, its
        # picture row and at least a step.
        card = Filling(rows, keep=2, **options) if large and not sheet and self.page_height \
            else Panel(rows, **options)
        card.stretch_id = s.id  # type: ignore[attr-defined]
        card.picture_share = (pic.width / inner) if pic is not None else 0.0  # type: ignore[attr-defined]
        return [marked(card, title, 1), Spacer(1, t.body_size * 0.6)]

    def _beside(self, left: Story, right: Story, left_width: float, inner: float) -> Beside:
        """The picture column and the text column side by side, in one unsplittable row."""
        return Beside(left, right, left_width=left_width, width=inner, gap=self.pad)

    def _large_rows(self, left: Story, head: Story, steps: Sequence[str], tail: Story,
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
                beside.append(self.list(steps[:shown], "step", ordered=True))
            if shown < len(steps):
                below.append(self.list(steps[shown:], "step", ordered=True, start=shown + 1))
            extra = max(0, count - len(steps))
            return beside + list(tail[:extra]), below + list(tail[extra:])

        def height(count: int) -> float:
            """The body's height with ``count`` parts beside the picture."""
            beside, below = parts(count)
            row = self._beside(list(left), beside, left_width, inner)
            return Panel([row, *below], width=inner, gap=self.pad * 0.2).wrapOn(
                None, inner, 10_000)[1]

        best = 0
        if compact:
            heights = [height(count) for count in range(len(steps) + len(tail) + 1)]
            best = min(range(len(heights)), key=lambda count: (round(heights[count]), count))
        beside, below = parts(best)
        return [self._beside(left, beside, left_width, inner), *below]

    def caution_box(self, cautions: Sequence[str | tuple[str, str]],
                    inner_width: float | None = None) -> Flowable:
        """Cautions at body size beside a drawn warning sign (no font has ⚠), ``inner_width``
        wide (a full-width card's inside by default)."""
        t = self.theme
        inner_width = inner_width or self.width - 2 * self.pad * 1.2
        sign_col = t.body_size * 2.2
        sign = WarningSign(t.body_size * 1.3, t.colors["caution_edge"])
        text = f"<b>{self.m(self.words.text('card.take_care'))}</b> " + " ".join(
            self.m(c) if isinstance(c, str) else f"<b>{self.m(c[0])}</b> {self.m(c[1])}"
            for c in cautions)
        # What a two-cell table drew: each cell padded ``pad`` on the left and 6 pt (a table
        # cell's default) on the right, half ``pad`` above, nothing below; the edge a rule on
        # the box's left side.
        right = CELL_PAD
        row = Beside([sign], [self.p(text, "box")], left_width=sign_col,
                     width=inner_width - self.pad - right, gap=right + self.pad)
        return Panel([row], width=inner_width, padding=(self.pad, right, self.pad * 0.5, 0),
                     fill=t.colors["caution_fill"],
                     rules=[("before", t.colors["caution_edge"], 3)])

    # --- tick log ---------------------------------------------------------------------
    def log(self, blocks: Sequence[Block]) -> Story:
        """A tick log, one row per chosen stretch and one box per time a day, days named from
        the handout date; two weeks when the next visit is 10 or more days away."""
        t = self.theme
        days = LOG_DAYS * (2 if self._weeks() == 2 else 1)
        dates = [self.plan.date + _dt.timedelta(days=i) for i in range(days)]
        boxes = max(p.dose.per_day for p in self.plan.stretches)
        box = min(t.body_size * (1.05 if days > 7 or boxes > 1 else 1.3),
                  14.0 if boxes > 1 else 17.0)
        head_style = "log_head"
        # Large print: no page break held in reserve; the heading and its line go with the
        # first rows of the table (which splits between rows) where the page has room.
        filling = (t.large_print and self.plan.layout != "sheet"
                   and self.page_height is not None)
        story: Story = ([] if filling else [CondPageBreak(t.body_size * LOG_ROOM)]) \
            + self.blocks(blocks, guard=not filling)
        for week in range(0, days, 7):
            week_days = dates[week:week + 7]
            if days > 7:  # two tables: say which week each one is
                story.append(self.p(self.m(self.words.text(
                    "log.week", number=week // 7 + 1,
                    date=self.words.long_date(week_days[0], False))), "log_head"))
            head = [self.p(self.m(self.words.text("log.stretch")), head_style)] + [
                self.p(self.m(self.words.weekday_short(d)), head_style) for d in week_days]
            rows: list[list[Any]] = [head]
            for item in self.plan.stretches:
                ticks = TickRow(item.dose.per_day, box, t.colors["ink"])
                rows.append([self.p(self.m(f"{item.number}. {item.stretch.title}"), "log_cell")]
                            + [ticks for _ in week_days])
            widest = max(stringWidth(self.words.weekday_short(d), t.fonts.bold,
                                     t.s(head_style).fontSize)
                         for d in week_days)
            day_width = max(box * (1.5 * boxes + 0.4), widest + 14)  # the cell pads 6 + 6
            # large print: the rows pad as at the normal size (the text is already large)
            row_pad = self.pad * (0.5 if not t.large_print else 0.3)
            table = Grid(rows, widths=[self.width - 7 * day_width] + [day_width] * 7,
                         pad_x=CELL_PAD, pad_y=row_pad, head_rule=(t.colors["brand"], 1.5),
                         rule=(t.colors["rule"], 0.5))
            # large print: the next heading's own space is gap enough after the last week
            after = t.body_size * (0.6 if not t.large_print or week + 7 < days else 0.2)
            if week + 7 >= days and self.plan.layout == "guide" and not t.large_print:
                # (the space after, not a spacer: the safety heading's own space overlaps it)
                table.spaceAfter = after
                story.append(table)
                continue
            story += [table, Spacer(1, after)]
        if filling:
            at = next(i for i, f in enumerate(story) if isinstance(f, Grid))
            first = story[at]
            first.spaceAfter = story[at + 1].height  # (no spacer atop a page)
            lead, story = story[:at], story[at + 2:]
            for flowable in lead[1:]:  # the intro sits close over its table (large print)
                if flowable.getSpaceAfter() > t.body_size * 0.2:
                    flowable.spaceAfter = t.body_size * 0.2
            story.insert(0, Placement(lambda k: first, lead=lead,
                                      page_height=self.page_height or 0.0))
        return story

    def log_strip(self, blocks: Sequence[Block]) -> Story:
        """The one sheet's compact log (when the full one does not fit under 3-4 cards): the
        heading and its line run together, then one row of the seven days, each day's name
        over a box per stretch and per time a day, each box holding its card's number."""
        t = self.theme
        heading = next((b for b in blocks if b.kind in ("h1", "h2")), None)
        text = " ".join(b.items[0] for b in blocks if b.kind == "p")
        # the space above it (after the cards) goes where it starts a page
        style = ParagraphStyle("log-strip", parent=t.s("box"), spaceBefore=t.body_size * 0.6)
        intro = Para((f"<b>{heading.items[0]}:</b> " if heading is not None else "") + text,
                     style, cache=self.paragraphs)
        if heading is not None:
            intro = marked(intro, heading.plain, 0)
        dates = [self.plan.date + _dt.timedelta(days=i) for i in range(LOG_DAYS)]
        centred = ParagraphStyle("log-strip-day", parent=t.s("log_head"), alignment=TA_CENTER)
        names = [Para(self.m(self.words.weekday_short(d)), centred, cache=self.paragraphs)
                 for d in dates]
        numbers = [(item.number, item.dose.per_day) for item in self.plan.stretches]
        boxes = [TickStrip(numbers, t.body_size, t.fonts.regular, t.colors["ink"],
                           t.colors["muted"]) for _ in dates]
        strip = Strip(names, boxes, width=self.width, pad_x=2, pad_top=self.pad * 0.3,
                      pad_bottom=self.pad * 0.4, top_rule=(t.colors["brand"], 1.5),
                      rule=(t.colors["rule"], 0.5))
        return [KeepTogether([intro, strip])]

    def _weeks(self) -> int:
        """Two weeks of boxes when the next visit is a date 10 or more days away, else one."""
        try:
            visit = _dt.date.fromisoformat(self.plan.client.next_visit)
        except ValueError:
            return 1
        return 2 if (visit - self.plan.date).days >= TWO_WEEKS_FROM else 1

    # --- safety -----------------------------------------------------------------------
    def safety(self, blocks: Sequence[Block]) -> Story:
        """Stop rules and "get help now" signs in two boxes; the scope line after them."""
        t = self.theme
        heading, groups, rest = split_groups(blocks)
        if len(groups) < 2 or not all(any(b.kind in ("ul", "ol") for b in g) for g in groups):
            raise InputError("sections/safety.md.j2: the safety section must keep its two "
                             "lists (### when to stop, ### when to get help right away, each "
                             "with its list); reword them, but do not drop them.")
        story = self.blocks(heading, guard=False)  # kept together below
        styles = [(t.colors["caution_fill"], t.colors["caution_edge"]),
                  (t.colors["help_fill"], t.colors["help_edge"])]
        if self.plan.layout == "sheet" and (len(groups) >= 3 or t.large_print):
            from .sheet import safety  # (sheet.py imports this module)

            return safety(self, story, groups, rest, styles)
        boxes = []
        # Large print stacks the boxes full width, each moving to the next page on its own, so
        # they fill what room a page has left; at 13 pt they stand side by side.
        side_by_side = not t.large_print
        # The one-sheet layout sets the boxes in three columns; the guide in two.
        across = 3 if self.plan.layout == "sheet" and not t.large_print and len(groups) >= 3 \
            else 2
        width = (self.width - self.pad * 2 * (across - 1)) / across
        for index, group in enumerate(groups):
            fill, edge = styles[1] if index == 1 else styles[0]  # only the 911 list is red
            inner = self.blocks(group, body="box", bullet="box_bullet", heading_style="box_title")
            boxes.append(self.box(inner, fill, edge, width if side_by_side else self.width))
        if side_by_side and self.plan.layout == "guide":
            return self.safety_columns(story, boxes, rest)
        if side_by_side:
            # Two columns of boxes: when to stop (and see a doctor soon) on the left, the
            # emergency signs (and any pregnancy signs) on the right.
            gap = self.pad * 2
            stacks: list[Story] = [[] for _ in range(across)]
            order = [0, 2, 1, 3] if across == 3 else list(range(len(boxes)))
            for position, index in enumerate(i for i in order if i < len(boxes)):
                column = stacks[position % across] if across == 3 else stacks[index % 2]
                column += ([Spacer(1, self.pad)] if column else []) + [boxes[index]]
            if across == 2 and len(boxes) % 2:  # the right column is the shorter one
                stacks[1] += self.scope(width)
                self.scope_printed = True
            elif across == 3 and len(boxes) == 3:  # the first (the stop list) is the shortest
                stacks[0] += self.scope(width)
                self.scope_printed = True
            cells: list[Any] = []
            for number, column in enumerate(stacks):
                cells += ([""] if number else []) + [column]
            widths = [width if i % 2 == 0 else gap for i in range(2 * across - 1)]
            row = Table([cells], colWidths=widths)
            if self.page_height and row.wrap(self.width, 10_000)[1] > self.page_height * 0.8:
                # too tall to keep side by side (large print with a pregnancy box): stacked,
                # full width, each box may then move or split on its own
                self.scope_printed = False
                boxes = [self.box(self.blocks(g, body="box", bullet="box_bullet",
                                              heading_style="box_title"),
                                  *(styles[1] if i == 1 else styles[0]))
                         for i, g in enumerate(groups)]
                story = self.blocks(heading, guard=False)
                for b in boxes:
                    story += [b, Spacer(1, self.pad)]
                return [KeepTogether(story[:2])] + story[2:] + self.blocks(rest, body="box")
            row.setStyle(self.tstyle([
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]))
            story += [row, Spacer(1, self.pad)]
        else:  # large print, stacked: the heading stays with the first box's start; a box
            # that does not fit splits after its heading and first lines where moving on would
            # leave the page under-filled (its second part headed "(continued)")
            filled = [self.filling_box(g, *(styles[1] if i == 1 else styles[0]))
                      for i, g in enumerate(groups)]
            for b in filled[1:]:
                b.spaceBefore = self.pad  # (not a spacer: never atop a page)
            first = filled[0]
            return [Placement(lambda k: first, lead=story, page_height=self.page_height or 0.0),
                    *filled[1:]] + self.blocks(rest, body="box")
        story += self.blocks(rest, body="box")
        return [KeepTogether(story)]

    def safety_columns(self, heading: Story, boxes: Sequence[Flowable],
                       rest: Sequence[Block]) -> Story:
        """The guide's safety boxes at the normal size: two columns (when to stop and see a
        doctor soon on the left, the emergency signs and any pregnancy or new-hip signs on
        the right) that split between boxes where a page has room for some of them.

        The heading goes on with at least the first box. Where less than a quarter of a page
        is left the section starts the next page whole (a page that full needs no filling,
        and the boxes read best together)."""
        gap = self.pad * 2
        width = (self.width - gap) / 2
        tail: Story = []
        heights = [sum(b.wrapOn(None, width, 10_000)[1] + self.pad for b in boxes[i::2])
                   for i in (0, 1)]
        scope = self.scope(width)
        need = sum(f.wrapOn(None, width, 10_000)[1] for f in scope)
        # An odd box leaves room under one column: the scope goes there; under an even
        # number it goes there too where it fits beside the taller column (else after the
        # contact block).
        if len(boxes) % 2 or min(heights) + need <= max(heights):
            tail = scope
            self.scope_printed = True
        row = BoxColumns(boxes, width=self.width, gap=gap, space=self.pad, tail=tail)
        for flowable in heading:  # (kept with the first box by the page break below: a
            flowable.keepWithNext = 0  # heading kept with the whole row would move it whole)
        whole = sum(f.wrapOn(None, self.width, 10_000)[1] + f.getSpaceBefore()
                    + f.getSpaceAfter() for f in heading)
        first = whole + row.first_height()
        whole += row.wrapOn(None, self.width, 10_000)[1]
        least = max(first, 0.25 * (self.page_height or 0.0))
        row.spaceAfter = self.pad  # (not a spacer: the next heading's space overlaps it)
        return [CondPageBreak(min(whole, least)), *heading, row,
                *self.blocks(rest, body="box")]

    def filling_box(self, group: Sequence[Block], fill: colors.Color, edge: colors.Color
                    ) -> Filling:
        """A large-print safety box that may split after its heading and first lines, its
        second part headed by the heading and "(continued)"."""
        inner = self.blocks(group, body="box", bullet="box_bullet", heading_style="box_title")
        title = self.m(self.words.text("card.continued", title=group[0].plain))
        top = self.pad * 0.75
        return Filling(inner, keep=1, width=self.width, fill=fill, edge=(edge, 4),
                       padding=(self.pad * 1.4, self.pad * 1.4, top, self.pad * 0.6),
                       page_height=self.page_height,
                       continued=lambda: [self.p(title, "box_title")])

    # --- contact ----------------------------------------------------------------------
    def contact(self, blocks: Sequence[Block]) -> Story:
        """Next steps text, the clinic's details with links, and a QR code for booking."""
        if self.plan.layout == "sheet":
            from .sheet import contact  # (sheet.py imports this module)

            return contact(self, blocks)
        t, clinic = self.theme, self.plan.clinic
        where, reach = contact_lines(self.plan, self.m)
        if t.large_print and self.page_height:
            return self._large_contact(blocks, where, reach)
        # Where the clinic is on the left, how to reach it on the right (side by side at the
        # normal size), the booking QR code at the far right.
        side = not t.large_print  # large print: one column (wrapped addresses read badly)
        left = [self.p(line, "box") for line in where]
        right = [self.p(line, "box") for line in reach]
        cells: list[Any] = [left, right] if side else [left + right]
        size = (1.0 if not t.large_print else 1.5) * inch  # scans well from 2 cm up
        qr_width = size + self.pad if clinic.booking_url else 0
        inner = self.width - 2 * self.pad * 1.4 - qr_width
        widths = [inner * 0.45, inner * 0.55] if side else [inner]
        if clinic.booking_url:
            cells.append([QrCode(clinic.booking_url, size),
                          self.p(self.m(self.words.text("contact.scan_to_book")), "caption")])
            widths.append(qr_width)
        table = Table([cells], colWidths=widths)
        table.setStyle(self.tstyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), self.pad),
                                   ("ALIGN", (-1, 0), (-1, -1), "CENTER")]))
        block: Story = [table]
        box = self.box(block, t.colors["tint"], t.colors["brand"])
        scope = [] if self.scope_printed else self.scope()
        return [KeepTogether(self.blocks(blocks, guard=False) + [box] + scope)]

    def _large_contact(self, blocks: Sequence[Block], where: Sequence[str], reach: Sequence[str]
                       ) -> Story:
        """Large print: the clinic's details one to a line, the booking QR code beside how to
        reach it. Where its page has little room the box may split after where the clinic is
        (its second part headed "(continued)"), and the scope line goes before or after the
        block, whichever fills the page."""
        t, clinic = self.theme, self.plan.clinic
        inner = self.width - 2 * self.pad * 1.4
        rows: Story = [self.p(line, "box") for line in where]
        reach_rows: Story = [self.p(line, "box") for line in reach]
        if clinic.booking_url:
            size = 1.5 * inch  # scans well from 2 cm up
            centred = ParagraphStyle("caption-centred", parent=t.s("caption"),
                                     alignment=TA_CENTER)
            code = [QrCode(clinic.booking_url, size),
                    Para(self.m(self.words.text("contact.scan_to_book")), centred,
                         cache=self.paragraphs)]
            rows.append(Beside(reach_rows, code, left_width=inner - size, width=inner,
                               gap=self.pad))
        else:
            rows += reach_rows
        heading = next((b.plain for b in blocks if b.kind in ("h1", "h2")), "")
        title = self.m(self.words.text("card.continued", title=heading))
        box = Filling(rows, keep=1, width=self.width, fill=t.colors["tint"],
                      edge=(t.colors["brand"], 4),
                      padding=(self.pad * 1.4, self.pad * 1.4, self.pad * 0.75, self.pad * 0.6),
                      page_height=self.page_height,
                      continued=lambda: [self.p(title, "box_title")])
        block = Placement(lambda k: box, lead=self.blocks(blocks, guard=False),
                          page_height=self.page_height or 0.0)
        if self.scope_printed:
            return [block]
        line = self.scope()[-1]
        line.spaceBefore = self.pad  # (not a spacer: never atop a page)
        return [EitherOrder([line], [block], page_height=self.page_height or 0.0)]

    def scope(self, width: float | None = None) -> Story:
        """The self-care scope statement and the clinic's own disclaimer, at body size."""
        text = self.words.text("scope.statement")
        if self.plan.clinic.disclaimer:
            text += " " + self.plan.clinic.disclaimer
        style = "body" if width is None else "box"
        return [Spacer(1, self.pad), self.p(self.m(text), style)]


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


def _without_measure(style: Any) -> Any:
    """A copy of a paragraph style without the right indent used to limit line length."""

    return ParagraphStyle(style.name + "-full", parent=style, rightIndent=0)


def link(href: str, text_markup: str) -> str:
    """A clickable link; ``href`` comes from validated clinic data."""
    safe = href.replace("&", "&amp;").replace('"', "&quot;").replace("<", "").replace(">", "")
    return f'<a href="{safe}"><u>{text_markup}</u></a>'


def tel(phone: str) -> str:
    """A tel: number: digits and a leading plus only."""
    digits = re.sub(r"[^0-9+]", "", phone)
    return digits if digits.startswith("+") else digits.replace("+", "")


@lru_cache(maxsize=64)
def qr_modules(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's dark modules for ``url`` (the clinic's booking address): encoded once
    per process, and kept in the disk cache (encoding takes a cold build ~15 ms)."""
    from . import diskcache

    name = diskcache.key("qr", url)
    rows = diskcache.load(name)
    if _qr_rows_ok(rows):
        return tuple(tuple(c == "1" for c in row) for row in rows)
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    modules = tuple(tuple(bool(m) for m in row) for row in code.modules)
    diskcache.store(name, ["".join("1" if m else "0" for m in row) for row in modules])
    return modules


def _qr_rows_ok(rows: Any) -> bool:
    """True for a QR code read back from the disk cache: n rows of n "0"/"1", n a QR size."""
    if not isinstance(rows, list) or not 21 <= len(rows) <= 177 or (len(rows) - 17) % 4:
        return False
    return all(isinstance(row, str) and len(row) == len(rows) and not row.strip("01")
               for row in rows)


class QrCode(Flowable):
    """A QR code drawn as one filled path of module runs, with the standard quiet zone."""

    def __init__(self, url: str, size: float):
        super().__init__()
        self.modules = qr_modules(url)
        self.width = self.height = size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        count = len(self.modules)
        box = self.width / (count + 8)
        path = self.canv.beginPath()
        for r, row in enumerate(self.modules):
            c = 0
            for dark, run in itertools.groupby(row):
                n = len(list(run))
                if dark:
                    path.rect((c + 4) * box, self.height - (r + 5) * box, n * box, box)
                c += n
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


class TickRow(Flowable):
    """``count`` empty squares side by side: one to tick for each time a day."""

    def __init__(self, count: int, size: float, color: colors.Color):
        super().__init__()
        self.count = count
        self.size = size
        self.color = color
        self.gap = size * 0.5
        self.width = count * size + (count - 1) * self.gap
        self.height = size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(1.2)
        for index in range(self.count):
            x = index * (self.size + self.gap)
            self.canv.roundRect(x, 0, self.size, self.size, self.size * 0.15, stroke=1, fill=0)


class TickStrip(Flowable):
    """One day's boxes in the sheet's compact log: one per stretch and per time a day, each
    holding its card's number; side by side where the day's column is wide enough, else a
    stretch's second box under its first."""

    def __init__(self, numbers: Sequence[tuple[int, int]], size: float, font: str,
                 ink: colors.Color, muted: colors.Color):
        super().__init__()
        self.numbers = list(numbers)
        self.size = size  # the numbers' size (body text: never under 12 pt)
        self.font = font  # digits only: every font in use has them
        self.ink, self.muted = ink, muted
        self.box = size  # room for the number at full size
        self.gap = size * 0.2
        self.stacked = False
        self._measure()

    def _measure(self) -> None:
        columns = len(self.numbers) if self.stacked else sum(t for _, t in self.numbers)
        rows = max(t for _, t in self.numbers) if self.stacked else 1
        self.width = columns * (self.box + self.gap) - self.gap
        self.height = rows * (self.box + self.gap) - self.gap

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.stacked = False
        self._measure()
        if self.width > aw:  # too narrow: twice a day stacks its boxes
            self.stacked = True
            self._measure()
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        boxes = [(index if self.stacked else column, time if self.stacked else 0, number)
                 for column, (index, time, number) in enumerate(
                     (i, t, n) for i, (n, times) in enumerate(self.numbers)
                     for t in range(times))]
        c.setLineWidth(1.1)
        c.setStrokeColor(self.ink)
        c.setFillColor(self.muted)
        c.setFont(self.font, self.size)
        for x_index, y_index, number in boxes:
            x = x_index * (self.box + self.gap)
            y = self.height - self.box - y_index * (self.box + self.gap)
            c.roundRect(x, y, self.box, self.box, self.box * 0.15, stroke=1, fill=0)
            c.drawCentredString(x + self.box / 2, y + self.box * 0.2, str(number))


class WarningSign(Flowable):
    """A triangle with an exclamation mark, drawn as shapes."""

    def __init__(self, size: float, color: colors.Color):
        super().__init__()
        self.size = size
        self.color = color
        self.width = self.height = size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.size

    def _restrictSize(self, aw: float, ah: float) -> tuple[float, float]:  # noqa: N802
        return self.size, self.size  # reportlab's image protocol (text flows round the sign)

    def _unRestrictSize(self) -> None:  # noqa: N802
        return None

    def draw(self) -> None:
        c, s = self.canv, self.size
        c.setFillColor(self.color)
        path = c.beginPath()
        path.moveTo(s / 2, s)
        path.lineTo(s, s * 0.08)
        path.lineTo(0, s * 0.08)
        path.close()
        c.drawPath(path, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.roundRect(s * 0.45, s * 0.38, s * 0.1, s * 0.36, s * 0.04, stroke=0, fill=1)
        c.circle(s / 2, s * 0.25, s * 0.06, stroke=0, fill=1)


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


class Figure(Flowable):
    """A picture with its caption under it, usable where reportlab expects an image."""

    def __init__(self, picture: Flowable, caption: Paragraph, width: float):
        super().__init__()
        self.picture = picture
        self.caption = caption
        self.width = width
        pw, ph = picture.wrap(width, 10_000)
        _, ch = caption.wrap(width, 10_000)
        self.gap = 4.0
        self.height = ph + self.gap + ch
        self._ph, self._ch = ph, ch

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def _restrictSize(self, aw: float, ah: float) -> tuple[float, float]:  # noqa: N802
        return self.width, self.height

    def _unRestrictSize(self) -> None:  # noqa: N802 - reportlab's image protocol
        return None

    def draw(self) -> None:
        x = (self.width - self.picture.width) / 2
        self.picture.drawOn(self.canv, x, self._ch + self.gap)
        self.caption.drawOn(self.canv, 0, 0)
