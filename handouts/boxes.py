"""Boxes side by side in two columns that may split between boxes (the guide's safety boxes).

The safety boxes at the normal size stand in two columns, read left, right, left, ... Set as
one table row they could not split, so when the log ended a page the whole section moved to
the next one and left a third of the page empty. :class:`BoxColumns` lays out the same row,
and when the page has too little room for all of it, it gives the page the boxes that fit (in
reading order, at least the first) and the rest, in two columns again, to the next page. It
chooses by the room it is given, so the document is still laid out once.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Spacer

from .panel import Beside


class BoxColumns(Flowable):
    """Boxes (each kept whole) in two columns: the first, third, ... on the left, the second,
    fourth, ... on the right, ``space`` between boxes of a column, ``gap`` between the
    columns. ``tail`` (the scope statement) goes under the shorter column of the last part."""

    def __init__(self, boxes: Sequence[Flowable], *, width: float, gap: float, space: float,
                 tail: Sequence[Flowable] = ()):
        super().__init__()
        self.boxes = list(boxes)
        self.tail = list(tail)
        self.width = width
        self.gap = gap
        self.space = space
        self.column = (width - gap) / 2
        self.height = 0.0
        self._row: Beside | None = None
        self.hAlign = "CENTER"  # as the table row it replaces (a print file's frame may be wider)

    def _arrange(self, boxes: Sequence[Flowable], tail: Sequence[Flowable]) -> Beside:
        """``boxes`` in two columns as one row (the tail under the shorter column)."""
        columns: tuple[list[Flowable], list[Flowable]] = ([], [])
        for index, box in enumerate(boxes):
            column = columns[index % 2]
            column += ([Spacer(1, self.space)] if column else []) + [box]
        if tail:
            heights = [sum(f.wrapOn(self.canv, self.column, 10_000)[1] for f in column)
                       for column in columns]
            columns[0 if heights[0] < heights[1] else 1].extend(tail)
        return Beside(columns[0], columns[1], left_width=self.column + self.gap,
                      width=self.width, gap=self.gap)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._row is None:
            self._row = self._arrange(self.boxes, self.tail)
        _, self.height = self._row.wrapOn(self.canv, self.width, 10_000)
        return self.width, self.height

    def first_height(self) -> float:
        """The height of the smallest part this may leave on a page: its first box."""
        canvas = getattr(self, "canv", None)
        return self.boxes[0].wrapOn(canvas, self.column, 10_000)[1] if self.boxes else 0.0

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height:
            return [self]
        # The most boxes, in reading order, that fit here; the rest go on to the next page.
        for count in range(len(self.boxes) - 1, 0, -1):
            row = self._arrange(self.boxes[:count], ())
            if row.wrapOn(self.canv, self.width, 10_000)[1] <= avail_height:
                first = self._part(self.boxes[:count], ())
                first._row = row
                return [first, self._part(self.boxes[count:], self.tail)]
        return []  # not even the first box: move on whole

    def _part(self, boxes: Sequence[Flowable], tail: Sequence[Flowable]) -> BoxColumns:
        return BoxColumns(boxes, width=self.width, gap=self.gap, space=self.space, tail=tail)

    def draw(self) -> None:
        assert self._row is not None  # (wrapped before it is drawn)
        self._row.drawOn(self.canv, 0, 0)

    def identity(self, maxLen: int | None = None) -> str:  # noqa: N803 - reportlab's name
        return f"<BoxColumns of {len(self.boxes)} boxes>"
