"""A light boxed group of flowables: the stretch cards, the key points, notes and safety boxes.

reportlab's usual way to draw a box around content is a one-cell Table, which never splits and
costs a full table layout. A Panel stacks its flowables inside padding, draws an optional fill,
border, strong left edge and table-style rules, and moves to the next page whole when it fits
on one. Only when it is taller than a whole page does it split, between its parts (or inside a
part that can split itself, such as a long list), and the second half starts with a
"continued" heading.

The other flowables here (Beside, Row, Grid, Strip, TwoColumns) set parts side by side or in
columns, each drawing what the reportlab Table it replaced drew, without a table's layout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Spacer

Continued = Callable[[], list[Flowable]]
# A rule drawn as a reportlab table draws its lines (centred on the edge, round caps): on the
# box's "below" (bottom) or "before" (left) side, in a colour and weight.
Rule = tuple[str, Color, float]


class Panel(Flowable):
    """Flowables stacked in a box; see the module docstring."""

    def __init__(self, content: Sequence[Flowable], *, width: float,
                 padding: tuple[float, float, float, float] = (0, 0, 0, 0),
                 fill: Color | None = None, border: tuple[Color, float] | None = None,
                 edge: tuple[Color, float] | None = None, radius: float = 0.0,
                 page_height: float | None = None, continued: Continued | None = None,
                 gap: float = 0.0, rules: Sequence[Rule] = ()):
        super().__init__()
        self.content = list(content)
        self.width = width
        self.padding = padding  # left, right, top, bottom
        self.fill = fill
        self.border = border
        self.edge = edge
        self.radius = radius
        self.page_height = page_height  # a frame's height: taller panels may split
        self.continued = continued
        self.gap = gap  # extra space between parts
        self.rules = tuple(rules)
        self.heads = 0  # a second part's first parts: its "(continued)" heading
        self._sizes: list[tuple[float, float]] = []
        self._measured: tuple[list[tuple[float, float]], float] | None = None
        self.height = 0.0

    # --- measuring -------------------------------------------------------------------
    def _inner(self) -> float:
        left, right, _, _ = self.padding
        return self.width - left - right

    def _space(self, index: int, flowable: Flowable) -> float:
        """The space above part ``index`` (none above the first)."""
        if index == 0:
            return 0.0
        previous = self.content[index - 1]
        return max(previous.getSpaceAfter(), flowable.getSpaceBefore()) + self.gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # A panel's size depends on its own width only: a frame wraps it several times (to
        # place it, to try a split, again on the next page), so it is measured once; a split
        # attempt may leave its parts wrapped otherwise, and measures it again (see split).
        if self._measured is None:
            inner = self._inner()
            sizes = [f.wrapOn(self.canv, inner, 10_000) for f in self.content]
            _, _, top, bottom = self.padding
            body = sum(h for _, h in sizes) + sum(
                self._space(i, f) for i, f in enumerate(self.content))
            self._measured = (sizes, top + body + bottom)
        self._sizes, self.height = self._measured
        return self.width, self.height

    # --- drawing ---------------------------------------------------------------------
    def draw(self) -> None:
        canvas = self.canv
        left, _, top, _ = self.padding
        canvas.saveState()
        if self.fill is not None or self.border is not None:
            if self.fill is not None:
                canvas.setFillColor(self.fill)
            if self.border is not None:
                canvas.setStrokeColor(self.border[0])
                canvas.setLineWidth(self.border[1])
            fill, stroke = int(self.fill is not None), int(self.border is not None)
            if self.radius:
                canvas.roundRect(0, 0, self.width, self.height, self.radius, stroke=stroke,
                                 fill=fill)
            else:
                canvas.rect(0, 0, self.width, self.height, stroke=stroke, fill=fill)
        if self.edge is not None:
            color, line = self.edge
            canvas.setStrokeColor(color)
            canvas.setLineWidth(line)
            canvas.line(line / 2, 0, line / 2, self.height)
        if self.rules:
            canvas.setLineCap(1)
            canvas.setLineJoin(1)
            for side, color, weight in self.rules:
                canvas.setStrokeColor(color)
                canvas.setLineWidth(weight)
                if side == "below":
                    canvas.line(0, 0, self.width, 0)
                else:  # "before"
                    canvas.line(0, 0, 0, self.height)
        canvas.restoreState()
        y = self.height - top
        for index, (flowable, (_, h)) in enumerate(zip(self.content, self._sizes, strict=True)):
            y -= self._space(index, flowable)
            y -= h
            flowable.drawOn(canvas, left, y)

    # --- splitting -------------------------------------------------------------------
    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fits_a_page = self.page_height is None or self.height <= self.page_height
        if self.height <= avail_height or fits_a_page:
            return []  # move on whole (to the next page if need be)
        if self.page_height is not None and avail_height < 0.4 * self.page_height:
            return []  # too little room here for a useful first part: start on a fresh page
        self._measured = None  # splitting its parts may wrap them at other sizes
        _, _, top, bottom = self.padding
        room = avail_height - top - bottom
        used = 0.0
        first: list[Flowable] = []
        rest = list(self.content)
        for index, (flowable, (_, h)) in enumerate(zip(self.content, self._sizes, strict=True)):
            need = self._space(index, flowable) + h
            if used + need <= room:
                first.append(flowable)
                used += need
                rest.pop(0)
                continue
            parts = flowable.splitOn(self.canv, self._inner(), room - used
                                     - self._space(index, flowable))
            if len(parts) == 2 and index > 0 or len(parts) == 2 and not first:
                first.append(parts[0])
                rest[0] = parts[1]
            break
        if len(first) <= self.heads or not rest:
            # (a second part whose repeated heading is all that fits would repeat it on
            # every page for ever: it moves on, and a part taller than a page is an error)
            return []
        head = self.continued() if self.continued is not None else []
        opening = self._copy(first)
        if hasattr(self, "bookmark"):
            opening.bookmark = self.bookmark  # type: ignore[attr-defined]
        closing = self._copy(head + rest)
        closing.heads = len(head)
        return [opening, closing]

    def _copy(self, content: list[Flowable]) -> Panel:
        part = Panel(content, width=self.width, padding=self.padding, fill=self.fill,
                     border=self.border, edge=self.edge, radius=self.radius,
                     page_height=self.page_height, continued=self.continued, gap=self.gap,
                     rules=self.rules)
        for name in ("stretch_id", "picture_share"):
            if hasattr(self, name):
                setattr(part, name, getattr(self, name))
        return part

    def identity(self, maxLen: int | None = None) -> str:  # noqa: N803 - reportlab's name
        return f"<Panel of {len(self.content)} parts>"


class TwoColumns(Flowable):
    """Flowables in two columns: balanced where they end, filled column by column on a page
    they run past. A heading never ends a column (it moves on with what follows it)."""

    def __init__(self, content: Sequence[Flowable], *, gap: float,
                 is_heading: Callable[[Flowable], bool]):
        super().__init__()
        self.content = list(content)
        self.gap = gap
        self.is_heading = is_heading
        self.columns: tuple[list[Flowable], list[Flowable]] = ([], [])
        self.width = self.height = 0.0
        self.fixed = False  # a page's part: its columns are already chosen
        # Each item's height at the column width, known within one wrap or split: the
        # bisection fills the columns two dozen times (items and the parts split from them).
        self._known: dict[int, tuple[Flowable, float, float, float]] = {}
        self._wrapped_at: float | None = None  # the width the columns were chosen for

    def _column_width(self, avail_width: float) -> float:
        return (avail_width - self.gap) / 2

    def _heights(self, items: Sequence[Flowable], width: float) -> list[float]:
        heights = []
        after = 0.0
        for index, item in enumerate(items):
            _, h, before, item_after = self._measure(item, width)
            heights.append((0.0 if index == 0 else max(after, before)) + h)
            after = item_after
        return heights

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.fixed or self._wrapped_at == avail_width:  # columns depend on the width only
            return self.width, self.height
        width = self._column_width(avail_width)
        self._known = {}
        total = sum(self._heights(self.content, width))
        # The lowest column height that holds everything (items may split between the
        # columns, a heading never ends one), found by bisection.
        low, high = total / 2, total
        best: tuple[list[Flowable], list[Flowable]] = (self._fill(self.content, width, high)[0], [])
        for _ in range(12):
            middle = (low + high) / 2
            first, rest = self._fill(self.content, width, middle)
            second, left = self._fill(rest, width, middle)
            if left:
                low = middle
            else:
                high, best = middle, (first, second)
        self.columns = best
        self.width = avail_width
        self.height = max(sum(self._heights(column, width)) for column in best) if best[0] \
            else 0.0
        self._wrapped_at = avail_width
        return self.width, self.height

    def draw(self) -> None:
        width = self._column_width(self.width)
        for column, x in zip(self.columns, (0.0, width + self.gap), strict=True):
            y = self.height
            for index, item in enumerate(column):
                if index:
                    y -= max(column[index - 1].getSpaceAfter(), item.getSpaceBefore())
                _, h = item.wrapOn(self.canv, width, 10_000)
                y -= h
                item.drawOn(self.canv, x, y)
                mark = getattr(item, "bookmark", None)
                # The document records only top-level flowables; a print file (its canvas
                # keeps shared forms) has no section bookmarks.
                if mark is not None and not hasattr(self.canv, "handouts_forms"):
                    count = getattr(self.canv, "_column_marks", 0) + 1
                    self.canv._column_marks = count  # type: ignore[attr-defined]
                    key = f"col{count}"
                    self.canv.bookmarkHorizontal(key, x, y + h)
                    self.canv.addOutlineEntry(mark[0], key, level=mark[1], closed=False)

    def _measure(self, item: Flowable, width: float) -> tuple[Flowable, float, float, float]:
        """``item``, its height at ``width`` (each column has the same width within a wrap)
        and its space before and after."""
        known = self._known.get(id(item))
        if known is not None and known[0] is item:
            return known
        _, h = item.wrapOn(self.canv, width, 10_000)
        known = (item, h, item.getSpaceBefore(), item.getSpaceAfter())
        self._known[id(item)] = known  # (the item is kept, so its id is not reused)
        return known

    def _fill(self, items: list[Flowable], width: float, room: float, floating: bool = False
              ) -> tuple[list[Flowable], list[Flowable]]:
        """Take items (splitting the last one if it can split) until ``room`` is used.
        ``floating`` (a page's columns): a picture marked ``floats`` that does not fit lets
        what follows it come first, so it does not leave the rest of the page empty."""
        taken: list[Flowable] = []
        used = 0.0
        rest = list(items)
        after = 0.0  # the space after the last item taken
        while rest:
            item = rest[0]
            _, h, before, item_after = self._measure(item, width)
            space = max(after, before) if taken else 0.0
            if used + space + h <= room:
                taken.append(rest.pop(0))
                used += space + h
                after = item_after
                continue
            parts = item.splitOn(self.canv, width, room - used - space)
            if len(parts) >= 2 and parts[0] is not item:
                # A list splits into its items, a paragraph into two: take what fits.
                rest[0:1] = parts
                if used + space + self._measure(parts[0], width)[1] <= room:
                    continue
            elif floating and getattr(item, "floats", False) and len(rest) > 1 \
                    and not getattr(rest[1], "floats", False):
                rest[0], rest[1] = rest[1], rest[0]
                continue
            break
        # Never a heading at a column's foot, nor a heading and the space under it.
        while taken:
            last = len(taken) - 1
            while last >= 0 and _is_space(taken[last]):
                last -= 1
            if last < 0 or not self.is_heading(taken[last]):
                break
            rest[0:0] = taken[last:]
            del taken[last:]
        return taken, rest

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height:
            return [self]
        width = self._column_width(avail_width)
        first, rest = self._fill(self.content, width, avail_height, floating=True)
        second, rest = self._fill(rest, width, avail_height, floating=True)
        if not first:
            return []
        page = TwoColumns([], gap=self.gap, is_heading=self.is_heading)
        page.columns = (first, second)
        page.width, page.height, page.fixed = avail_width, avail_height, True
        parts: list[Flowable] = [page]
        if rest:
            parts.append(TwoColumns(rest, gap=self.gap, is_heading=self.is_heading))
        return parts


def _is_space(flowable: Flowable) -> bool:
    """A spacer (it draws nothing, so a heading above one still ends its column)."""
    return isinstance(flowable, Spacer)


class Row(Flowable):
    """Flowables side by side (two stretch cards on one sheet), as tall as the tallest: each
    panel is stretched to the row's height so the boxes line up. A row moves on whole.

    The cards inside keep their bookmarks (drawn here, as the document records only
    top-level flowables) and are listed in ``parts`` for the build's page report.
    """

    def __init__(self, content: Sequence[Flowable], *, widths: Sequence[float], gap: float):
        super().__init__()
        self.parts = list(content)
        self.widths = list(widths)
        self.gap = gap
        self.width = sum(self.widths) + gap * (len(self.widths) - 1)
        self.height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        sizes = [f.wrapOn(self.canv, w, 10_000) for f, w in zip(self.parts, self.widths,
                                                                 strict=True)]
        self.height = max(h for _, h in sizes)
        for part in self.parts:
            if isinstance(part, Panel):
                part.height = self.height
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        x = 0.0
        for part, width in zip(self.parts, self.widths, strict=True):
            part.drawOn(self.canv, x, self.height - part.height)
            mark = getattr(part, "bookmark", None)
            # As in TwoColumns: a print file (shared forms) has no section bookmarks.
            if mark is not None and not hasattr(self.canv, "handouts_forms"):
                count = getattr(self.canv, "_row_marks", 0) + 1
                self.canv._row_marks = count  # type: ignore[attr-defined]
                key = f"row{count}"
                self.canv.bookmarkHorizontal(key, x, self.height)
                self.canv.addOutlineEntry(mark[0], key, level=mark[1], closed=False)
            x += width + self.gap


class Beside(Flowable):
    """Two stacks of flowables side by side, top-aligned, as one unsplittable row: a card's
    picture column and its text column.

    It draws what a one-row, two-cell reportlab ``Table`` with no padding (but ``gap`` to the
    right of the first column) drew, without a table's layout: each column's parts are
    stacked with their space before and after added (as a table cell adds them), and the row
    is as tall as the taller column. ``middle`` centres the shorter column in the row's height
    (a table's ``VALIGN MIDDLE``: the header band).
    """

    def __init__(self, left: Sequence[Flowable], right: Sequence[Flowable], *,
                 left_width: float, width: float, gap: float, middle: bool = False):
        super().__init__()
        self.columns = (list(left), list(right))
        self.left_width = left_width
        self.width = width
        self.gap = gap
        self.middle = middle
        self.height = 0.0
        self._column_heights = (0.0, 0.0)
        self._sizes: tuple[list[float], list[float]] = ([], [])

    def _stack(self, parts: list[Flowable], width: float) -> tuple[list[float], float]:
        """The parts' heights at ``width`` and the column's height (a table cell's sum)."""
        heights = [f.wrapOn(self.canv, width, 10_000)[1] for f in parts]
        if not parts:
            return heights, 0.0
        total = sum(heights) + sum(f.getSpaceBefore() + f.getSpaceAfter() for f in parts)
        return heights, total - parts[0].getSpaceBefore() - parts[-1].getSpaceAfter()

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        left, right = self.columns
        left_sizes, left_height = self._stack(left, self.left_width - self.gap)
        right_sizes, right_height = self._stack(right, self.width - self.left_width)
        self._sizes = (left_sizes, right_sizes)
        self._column_heights = (left_height, right_height)
        self.height = max(left_height, right_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        for parts, heights, tall, x in zip(self.columns, self._sizes, self._column_heights,
                                           (0.0, self.left_width), strict=True):
            y = (self.height + tall) / 2 if self.middle else self.height
            for flowable, h in zip(parts, heights, strict=True):
                y -= flowable.getSpaceBefore() if flowable is not parts[0] else 0.0
                y -= h
                flowable.drawOn(self.canv, x, y)
                y -= flowable.getSpaceAfter()

    def identity(self, maxLen: int | None = None) -> str:  # noqa: N803 - reportlab's name
        return f"<Beside of {len(self.columns[0])} and {len(self.columns[1])} parts>"


class Grid(Flowable):
    """Rows of cells in fixed columns (the tick log): one flowable a cell, each centred in its
    row's height, the first column's left-aligned and the others' centred across; a rule under
    the head row and a thinner one under each other row. It splits between rows, the head row
    repeated on top of the rest; a part never holds the head row alone.

    It draws what the reportlab ``Table`` it replaces drew (cell padding ``pad_x`` each side,
    ``pad_y`` above and below, round line caps), without a table's layout.
    """

    def __init__(self, rows: Sequence[Sequence[Flowable]], *, widths: Sequence[float],
                 pad_x: float, pad_y: float, head_rule: tuple[Color, float],
                 rule: tuple[Color, float]):
        super().__init__()
        self.rows = [list(row) for row in rows]
        self.widths = list(widths)
        self.pad_x, self.pad_y = pad_x, pad_y
        self.head_rule, self.rule = head_rule, rule
        self.width = sum(self.widths)
        self.height = 0.0
        self._heights: list[float] = []
        self._sizes: list[list[tuple[float, float]]] = []
        self.hAlign = "CENTER"  # as a table: centred in a wider frame (a print file's)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._sizes = [[cell.wrapOn(self.canv, width - 2 * self.pad_x, 10_000)
                        for cell, width in zip(row, self.widths, strict=True)]
                       for row in self.rows]
        self._heights = [max(h for _, h in sizes) + 2 * self.pad_y for sizes in self._sizes]
        self.height = sum(self._heights)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        used, fit = 0.0, 0
        for height in self._heights:
            if used + height > avail_height:
                break
            used += height
            fit += 1
        if fit <= 1:
            return []  # not even one row under the head row: move on whole
        if fit == len(self.rows):
            return [self]
        return [self._copy(self.rows[:fit]), self._copy(self.rows[:1] + self.rows[fit:])]

    def _copy(self, rows: list[list[Flowable]]) -> Grid:
        return Grid(rows, widths=self.widths, pad_x=self.pad_x, pad_y=self.pad_y,
                    head_rule=self.head_rule, rule=self.rule)

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        bottoms = []
        for row, sizes, row_height in zip(self.rows, self._sizes, self._heights, strict=True):
            bottom = top - row_height
            x = 0.0
            for index, (cell, (w, h), width) in enumerate(zip(row, sizes, self.widths,
                                                              strict=True)):
                left = x + self.pad_x if index == 0 else x + (width - w) / 2
                cell.drawOn(canvas, left, bottom + (row_height - h) / 2)
                x += width
            bottoms.append(bottom)
            top = bottom
        canvas.saveState()
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        for index, y in enumerate(bottoms):
            color, weight = self.head_rule if index == 0 else self.rule
            canvas.setStrokeColor(color)
            canvas.setLineWidth(weight)
            canvas.line(0, y, self.width, y)
        canvas.restoreState()

    def identity(self, maxLen: int | None = None) -> str:  # noqa: N803 - reportlab's name
        return f"<Grid of {len(self.rows)} rows>"


class Strip(Flowable):
    """One row of equal columns, each a head over a body (the one sheet's compact log: a
    day's name over its tick boxes), every cell centred across its column and in its row; a
    rule above the heads and thin rules between the columns. It never splits.

    It draws what the two-row reportlab ``Table`` it replaces drew (cell padding ``pad_x``
    each side, ``pad_top`` above each row, ``pad_bottom`` under the bodies, round line caps),
    without a table's layout.
    """

    def __init__(self, heads: Sequence[Flowable], bodies: Sequence[Flowable], *, width: float,
                 pad_x: float, pad_top: float, pad_bottom: float, top_rule: tuple[Color, float],
                 rule: tuple[Color, float]):
        super().__init__()
        if len(heads) != len(bodies) or not heads:
            raise ValueError("a strip needs as many heads as bodies, at least one")
        self.rows = (list(heads), list(bodies))
        self.width = width
        self.column = width / len(heads)
        self.pad_x, self.pad_top, self.pad_bottom = pad_x, pad_top, pad_bottom
        self.top_rule, self.rule = top_rule, rule
        self.height = 0.0
        self._sizes: list[list[tuple[float, float]]] = []
        self._inner: tuple[float, float] = (0.0, 0.0)  # each row's content height
        self.hAlign = "CENTER"  # as a table: centred in a wider frame

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        inner = self.column - 2 * self.pad_x
        self._sizes = [[cell.wrapOn(self.canv, inner, 10_000) for cell in row]
                       for row in self.rows]
        heads, bodies = (max(h for _, h in sizes) for sizes in self._sizes)
        self._inner = (heads, bodies)
        self.height = heads + bodies + 2 * self.pad_top + self.pad_bottom
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canvas = self.canv
        heads, bodies = self._inner
        # each row's content box (from its bottom): a cell is centred in it
        boxes = ((self.pad_bottom + bodies + self.pad_top, heads),
                 (self.pad_bottom, bodies))
        for row, sizes, (bottom, tall) in zip(self.rows, self._sizes, boxes, strict=True):
            for index, (cell, (w, h)) in enumerate(zip(row, sizes, strict=True)):
                cell.drawOn(canvas, index * self.column + (self.column - w) / 2,
                            bottom + (tall - h) / 2)
        canvas.saveState()
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        color, weight = self.top_rule
        canvas.setStrokeColor(color)
        canvas.setLineWidth(weight)
        canvas.line(0, self.height, self.width, self.height)
        color, weight = self.rule
        canvas.setStrokeColor(color)
        canvas.setLineWidth(weight)
        for index in range(1, len(self.rows[0])):
            canvas.line(index * self.column, 0, index * self.column, self.height)
        canvas.restoreState()

    def identity(self, maxLen: int | None = None) -> str:  # noqa: N803 - reportlab's name
        return f"<Strip of {len(self.rows[0])} columns>"
