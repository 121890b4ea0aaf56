"""The tick log: a table of days with a box to tick for each time a day, one row per
stretch (one or two weeks), and the one sheet's compact strip of the seven days.

Functions that take the handout's :class:`~handouts.layout.Layout`; its ``log`` and
``log_strip`` methods call them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from .fill import Placement
from .layout import CELL_PAD, Layout, Para, Story, marked
from .marks import TickRow, TickStrip
from .panel import Grid, Strip
from .templating import Block

LOG_DAYS = 7
LOG_ROOM = 12  # the log starts on a new page unless this many body sizes are left
TWO_WEEKS_FROM = 10  # days to the next visit from which the log covers two weeks


def log(lay: Layout, blocks: Sequence[Block]) -> Story:
    """A tick log, one row per chosen stretch and one box per time a day, days named from
    the handout date; two weeks when the next visit is 10 or more days away."""
    t = lay.theme
    days = LOG_DAYS * (2 if weeks(lay) == 2 else 1)
    dates = [lay.plan.date + _dt.timedelta(days=i) for i in range(days)]
    boxes = max(p.dose.per_day for p in lay.plan.stretches)
    box = min(t.body_size * (1.05 if days > 7 or boxes > 1 else 1.3),
              14.0 if boxes > 1 else 17.0)
    head_style = "log_head"
    # Large print: no page break held in reserve; the heading and its line go with the
    # first rows of the table (which splits between rows) where the page has room.
    filling = (t.large_print and lay.plan.layout != "sheet"
               and lay.page_height is not None)
    story: Story = ([] if filling else [CondPageBreak(t.body_size * LOG_ROOM)]) \
        + lay.blocks(blocks, guard=not filling)
    for week in range(0, days, 7):
        week_days = dates[week:week + 7]
        if days > 7:  # two tables: say which week each one is
            story.append(lay.p(lay.m(lay.words.text(
                "log.week", number=week // 7 + 1,
                date=lay.words.long_date(week_days[0], False))), "log_head"))
        head = [lay.p(lay.m(lay.words.text("log.stretch")), head_style)] + [
            lay.p(lay.m(lay.words.weekday_short(d)), head_style) for d in week_days]
        rows: list[list[Any]] = [head]
        for item in lay.plan.stretches:
            ticks = TickRow(item.dose.per_day, box, t.colors["ink"])
            rows.append([lay.p(lay.m(f"{item.number}. {item.stretch.title}"), "log_cell")]
                        + [ticks for _ in week_days])
        widest = max(stringWidth(lay.words.weekday_short(d), t.fonts.bold,
                                 t.s(head_style).fontSize)
                     for d in week_days)
        day_width = max(box * (1.5 * boxes + 0.4), widest + 14)  # the cell pads 6 + 6
        # large print: the rows pad as at the normal size (the text is already large)
        row_pad = lay.pad * (0.5 if not t.large_print else 0.3)
        table = Grid(rows, widths=[lay.width - 7 * day_width] + [day_width] * 7,
                     pad_x=CELL_PAD, pad_y=row_pad, head_rule=(t.colors["brand"], 1.5),
                     rule=(t.colors["rule"], 0.5))
        # large print: the next heading's own space is gap enough after the last week
        after = t.body_size * (0.6 if not t.large_print or week + 7 < days else 0.2)
        if week + 7 >= days and lay.plan.layout == "guide" and not t.large_print:
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
                                  page_height=lay.page_height or 0.0))
    return story


def log_strip(lay: Layout, blocks: Sequence[Block]) -> Story:
    """The one sheet's compact log (when the full one does not fit under 3-4 cards): the
    heading and its line run together, then one row of the seven days, each day's name
    over a box per stretch and per time a day, each box holding its card's number."""
    t = lay.theme
    # the space above it (after the cards) goes where it starts a page
    # (as much as between the first side's other parts: 0.4 body sizes)
    style = ParagraphStyle("log-strip", parent=t.s("box"), spaceBefore=t.body_size * 0.4,
                           spaceAfter=t.body_size * 0.1)
    intro = _intro(lay, blocks, style)
    return [KeepTogether([intro, _week(lay, TickStrip, lay.width, 2)])]


def _week(lay: Layout, kind: Any, width: float, pad_x: float) -> Flowable:
    """The seven days from the handout's date, each day's name over its boxes (``kind``: a
    row of them, or one row per stretch), each box holding its card's number."""
    t = lay.theme
    dates = [lay.plan.date + _dt.timedelta(days=i) for i in range(LOG_DAYS)]
    centred = ParagraphStyle("log-strip-day", parent=t.s("log_head"), alignment=TA_CENTER)
    names = [Para(lay.m(lay.words.weekday_short(d)), centred, cache=lay.paragraphs)
             for d in dates]
    numbers = [(item.number, item.dose.per_day) for item in lay.plan.stretches]
    boxes = [kind(numbers, t.body_size, t.fonts.regular, t.colors["ink"], t.colors["muted"])
             for _ in dates]
    return Strip(names, boxes, width=width, pad_x=pad_x, pad_top=lay.pad * 0.3,
                 pad_bottom=lay.pad * 0.4, top_rule=(t.colors["brand"], 1.5),
                 rule=(t.colors["rule"], 0.5))


def log_grid(lay: Layout, blocks: Sequence[Block], width: float) -> Story:
    """The one sheet's compact log as a narrow week (beside the last, odd card): the heading
    and its line, then the seven days, each day's name over one row of boxes per stretch
    (a box per time a day, each holding its card's number)."""
    t = lay.theme
    intro = _intro(lay, blocks, ParagraphStyle("log-grid", parent=t.s("box"), spaceAfter=0))
    return [intro, Spacer(1, lay.pad * 0.5), _week(lay, TickColumn, width, 1)]


def _intro(lay: Layout, blocks: Sequence[Block], style: ParagraphStyle) -> Flowable:
    """The log's heading and its line run together, bookmarked with the heading."""
    heading = next((b for b in blocks if b.kind in ("h1", "h2")), None)
    text = " ".join(b.items[0] for b in blocks if b.kind == "p")
    intro = Para((f"<b>{heading.items[0]}:</b> " if heading is not None else "") + text,
                 style, cache=lay.paragraphs)
    return marked(intro, heading.plain, 0) if heading is not None else intro


class TickColumn(TickStrip):
    """One day's boxes in the narrow week: a row per stretch, a box per time a day in it,
    each holding its card's number (the rows line up across the days)."""

    def _measure(self) -> None:
        columns = max(times for _, times in self.numbers)
        self.width = columns * (self.box + self.gap) - self.gap
        self.height = len(self.numbers) * (self.box + self.gap) - self.gap

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._measure()
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setLineWidth(1.1)
        c.setStrokeColor(self.ink)
        c.setFillColor(self.muted)
        c.setFont(self.font, self.size)
        for row, (number, times) in enumerate(self.numbers):
            y = self.height - self.box - row * (self.box + self.gap)
            left = (self.width - times * (self.box + self.gap) + self.gap) / 2  # centred
            for column in range(times):
                x = left + column * (self.box + self.gap)
                c.roundRect(x, y, self.box, self.box, self.box * 0.15, stroke=1, fill=0)
                c.drawCentredString(x + self.box / 2, y + self.box * 0.2, str(number))


def weeks(lay: Layout) -> int:
    """Two weeks of boxes when the next visit is a date 10 or more days away, else one."""
    try:
        visit = _dt.date.fromisoformat(lay.plan.client.next_visit)
    except ValueError:
        return 1
    return 2 if (visit - lay.plan.date).days >= TWO_WEEKS_FROM else 1
