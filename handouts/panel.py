"""A light boxed group of flowables: the stretch cards, the key points, notes and safety boxes.

reportlab's usual way to draw a box around content is a one-cell Table, which never splits and
costs a full table layout. A Panel stacks its flowables inside padding, draws an optional fill,
border and strong left edge, and moves to the next page whole when it fits on one. Only when it
is taller than a whole page does it split, between its parts (or inside a part that can split
itself, such as a long list), and the second half starts with a "continued" heading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

Continued = Callable[[], list[Flowable]]


class Panel(Flowable):
    """Flowables stacked in a box; see the module docstring."""

    def __init__(self, content: Sequence[Flowable], *, width: float,
                 padding: tuple[float, float, float, float] = (0, 0, 0, 0),
                 fill: Color | None = None, border: tuple[Color, float] | None = None,
                 edge: tuple[Color, float] | None = None, radius: float = 0.0,
                 page_height: float | None = None, continued: Continued | None = None,
                 gap: float = 0.0):
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
        self._sizes: list[tuple[float, float]] = []
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
        inner = self._inner()
        self._sizes = [f.wrapOn(self.canv, inner, 10_000) for f in self.content]
        _, _, top, bottom = self.padding
        body = sum(h for _, h in self._sizes) + sum(
            self._space(i, f) for i, f in enumerate(self.content))
        self.height = top + body + bottom
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
        if not first or not rest:
            return []
        head = self.continued() if self.continued is not None else []
        opening = self._copy(first)
        if hasattr(self, "bookmark"):
            opening.bookmark = self.bookmark  # type: ignore[attr-defined]
        return [opening, self._copy(head + rest)]

    def _copy(self, content: list[Flowable]) -> Panel:
        part = Panel(content, width=self.width, padding=self.padding, fill=self.fill,
                     border=self.border, edge=self.edge, radius=self.radius,
                     page_height=self.page_height, continued=self.continued, gap=self.gap)
        for name in ("stretch_id", "picture_share"):
            if hasattr(self, name):
                setattr(part, name, getattr(self, name))
        return part

    def identity(self, maxLen: int | None = None) -> str:  # noqa: N803 - reportlab's name
        return f"<Panel of {len(self.content)} parts>"
