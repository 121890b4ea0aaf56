"""The canvas floor's page flow: blocks placed top to bottom on a reportlab canvas, a new page
(with its running header) when a block does not fit, spaces between blocks that overlap as in
platypus, balanced two-column runs, bookmarks, and footers drawn at the end with "Page X of Y".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from canvas_parts import Part, Stack, Text, stack_height  # the bench folder
from reportlab.pdfgen.canvas import Canvas

Marked = tuple[Part, Any]  # a block and its bookmark (title, level) or None


class NumberedCanvas(Canvas):
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


class Page:
    """Where the next block goes on a canvas, and the rules for moving on to the next page."""

    def __init__(self, c: NumberedCanvas, x: float, first_top: float, later_top: float,
                 bottom: float, body: float, later_header: Callable[[Any], None]):
        self.c, self.x, self.body = c, x, body
        self.first_top, self.later_top, self.bottom = first_top, later_top, bottom
        self.later_header = later_header
        self.y = first_top
        self.after = 0.0  # the space below the last block placed
        self.marks = 0

    def new_page(self) -> None:
        """Finish this page and start the next, with its running header."""
        self.c.showPage()
        self.later_header(self.c)
        self.y = self.later_top
        self.after = 0.0

    def at_top(self) -> bool:
        """Nothing is on this page yet."""
        return self.y >= self.later_top and self.c.getPageNumber() > 1 or \
            self.y >= self.first_top

    def need(self, h: float) -> None:
        """Start a new page unless ``h`` points fit on this one."""
        if self.y - h < self.bottom and not self.at_top():
            self.new_page()

    def up(self, block: Part) -> float:
        """How far ``block`` moves up into the space above it: only the larger of the space
        below the last block and its own space above is kept, and none at a page's top."""
        return block.before if self.at_top() else min(self.after, block.before)

    def down(self, space: float) -> None:
        """Leave ``space`` points (a spacer)."""
        self.y -= space
        self.after = 0.0

    def place(self, block: Part, mark: Any = None) -> None:
        """Draw ``block`` whole (on the next page if needed); a long paragraph splits."""
        room = self.y + self.up(block) - self.bottom
        if isinstance(block, Text) and block.h - block.after > room and not self.at_top():
            head, tail = block.split(room)
            if head is not None:
                if mark is not None:
                    self.bookmark(*mark)
                    mark = None
                head.draw(self.c, self.x, self.y + self.up(block))
            self.new_page()
            block = tail
        else:
            self.need(block.h - self.up(block) - block.after)
        if mark is not None:
            self.bookmark(*mark)
        up = self.up(block)
        block.draw(self.c, self.x, self.y + up)
        self.y += up - block.h
        self.after = block.after

    def flow(self, pairs: Sequence[Marked], together: bool = False) -> None:
        """Place blocks one by one (kept on one page if ``together``); a section heading
        needs room for some text under it, as the product's conditional page break does."""
        if together and pairs:
            first = pairs[0][0]
            self.need(stack_height([b for b, _ in pairs]) + first.before - self.up(first))
        for n, (block, mark) in enumerate(pairs):
            if mark is not None and not together:
                self.need(max(self.body * 9, block.h + (pairs[n + 1][0].h
                                                        if n + 1 < len(pairs) else 0)))
            self.place(block, mark)

    def bookmark(self, title: str, level: int) -> None:
        """An outline entry for the current page."""
        self.marks += 1
        key = f"m{self.marks}"
        self.c.bookmarkPage(key)
        self.c.addOutlineEntry(title, key, level=level, closed=False)

    def columns(self, items: list[Marked], col_w: float, gap: float) -> None:
        """Items in two columns, balanced where they end; a page they run past is filled
        column by column. A heading never ends a column."""
        rest = items
        while rest:
            room = self.y - self.bottom
            total = stack_height([b for b, _ in rest])
            height = min(room, total / 2)
            while True:  # the lowest height, in steps of a line, that holds what fits
                left, after = _fill(rest, height)
                right, after = _fill(after, height)
                if not after or height >= room:
                    break
                height = min(room, height + self.body * 1.4)
            if not left:
                self.new_page()
                continue
            for _, mark in left + right:
                if mark is not None:
                    self.bookmark(*mark)
            lstack, rstack = Stack([b for b, _ in left]), Stack([b for b, _ in right])
            lstack.draw(self.c, self.x, self.y)
            rstack.draw(self.c, self.x + col_w + gap, self.y)
            self.down(max(lstack.h, rstack.h))
            rest = after
            if rest:
                self.new_page()

def _fill(items: Sequence[Marked], room: float) -> tuple[list[Marked], list[Marked]]:
    """Take items until ``room`` is used (splitting a paragraph that crosses it); a heading
    is never left at the foot."""
    taken: list[Marked] = []
    rest = list(items)
    while rest:
        block, mark = rest[0]
        h = stack_height([b for b, _ in taken] + [block])
        if h <= room:
            taken.append(rest.pop(0))
            continue
        if isinstance(block, Text):
            used = stack_height([b for b, _ in taken])
            head, tail = block.split(room - used - (block.before if taken else 0.0))
            if head is not None:
                taken.append((head, mark))
                rest[0] = (tail, None)
        break
    while taken and taken[-1][1] is not None or (taken and _is_heading(taken[-1][0])):
        rest.insert(0, taken.pop())
    return taken, rest


def _is_heading(block: Part) -> bool:
    return isinstance(block, Text) and block.style.name.removesuffix("-full") in ("h2", "h3")


