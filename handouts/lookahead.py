"""Large print near the story's end: the page breaks that fill every page but the last.

The parts that end a large-print guide are few: the last background section's text, the
log, the safety boxes, the scope line and the contact block. Each may go whole on the page
it starts on, split at one of its legal points (a box between its items, see
:func:`handouts.fill.split_part`; the 911 list and the contact block never split) or move
on to the next page. :class:`Ahead` tries every such choice from the room where the parts
start (each part's split points are measured once) and gives the best plan: the fewest
pages left under-filled (more than ``UNDER`` of the page empty), then the fewest pages,
then the fewest split boxes (where no plan fills every page: the one whose pages fall least
short). Each part asks again when the document reaches it
(:meth:`handouts.fill.Placement._ahead` takes the first step of the best plan), so the
document follows the plan without laying anything out twice.

Only a placement (:class:`handouts.fill.Placement`: a part with what leads into it) has a
choice; any other part goes as the document places it: whole where it fits, else split
where it may (its first part filling the page), else on the next page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

# A page with more than this share of its frame empty counts as under-filled: ink then stops
# short of 70% of the body area (the frame of a later page starts under the running header,
# and ends over a one- or two-line footer; measured, a page that ends with a line of text
# reaches 70% with up to 27.5% of a Letter frame empty, 28% of an A4 one).
UNDER = 0.27
MOST_POINTS = 16  # a part's split points looked at (a log of two weeks has the most)

# A split point: the first part's height, the flowables it places, and the second part.
Point = tuple[float, list[Flowable], Flowable]


def height_of(flowable: Flowable, width: float, canvas: Any) -> float:
    """``flowable``'s height at ``width`` (a KeepTogether's content summed; a placement's
    height to start whole on a page)."""
    if isinstance(flowable, KeepTogether):
        return stacked(flowable._content, width, canvas)
    if isinstance(flowable, CondPageBreak):
        return float(flowable.height)
    if hasattr(flowable, "start_height"):
        return float(flowable.start_height(width, canvas))
    return float(flowable.wrapOn(canvas, width, 10_000)[1])


def stacked(flowables: Sequence[Flowable], width: float, canvas: Any) -> float:
    """The height of ``flowables`` placed one under another in a frame (the space between two
    is the larger of the one's space after and the other's space before)."""
    total = 0.0
    for index, flowable in enumerate(flowables):
        if index:
            total += max(flowables[index - 1].getSpaceAfter(), flowable.getSpaceBefore())
        total += height_of(flowable, width, canvas)
    return total


def points_of(owner: Flowable, cut: Callable[[float], list[Flowable]], tall: float,
              width: float, canvas: Any) -> list[Point]:
    """Every split ``cut(room)`` gives for ``owner`` (``tall`` high), the tallest first part
    first, measured once per width (kept on ``owner``)."""
    cache: dict[float, list[Point]] = owner.__dict__.setdefault("_points", {})
    if width not in cache:
        points: list[Point] = []
        room = tall - 0.5  # (a first part a little shorter than the whole)
        while room > 0 and len(points) < MOST_POINTS:
            parts = cut(room)
            if not parts:
                break
            first = height_of(parts[0], width, canvas)
            points.append((first, [parts[0]], parts[1]))
            room = min(room, first) - 0.5  # the next smaller first part
        cache[width] = points
    return cache[width]


class Plan(NamedTuple):
    """A plan for the rest of the story: pages under-filled, pages, split boxes, how far
    short of their limits the under-filled pages fall (summed), and the room left on each
    page (the last one too)."""

    under: int
    pages: int
    splits: int
    short: float
    lefts: tuple[float, ...]

    def cost(self) -> tuple[bool, int, float, int]:
        """What a better plan has less of, first things first: a page under-filled, pages,
        how far short the under-filled pages fall (where no plan fills every page: two
        pages a little short read better than one half empty), split boxes."""
        return self.under > 0, self.pages, round(self.short, 1), self.splits

    def after_page(self, left: float, limit: float, split: bool) -> Plan:
        """This plan after a page that ends with ``left`` empty (under-filled past
        ``limit``), ending with a split box or not."""
        return Plan(self.under + (left > limit), self.pages + 1, self.splits + split,
                    self.short + max(0.0, left - limit), (left, *self.lefts))


class Ahead:
    """The best plans for the parts after a placement (see the module docstring), each part
    measured and each plan found once."""

    def __init__(self, items: Sequence[Flowable], width: float, page: float, canvas: Any):
        self.items = list(items)
        self.width = width
        self.page = page
        self.canvas = canvas
        self._plans: dict[tuple[Any, ...], Plan] = {}

    def plan(self, first: Flowable | None, room: float, *, top: bool, limit: float,
             previous: float = 0.0) -> Plan:
        """The best plan for ``first`` (a part of a placement, or None) and then all the
        items, from a page with ``room`` left (``top``: nothing on it yet; ``previous``: the
        space after what it ends with) that is under-filled past ``limit``."""
        if first is None:
            return self._best(0, self.items[0] if self.items else None, room, top, previous,
                              limit)
        return self._best(-1, first, room, top, previous, limit)

    def _best(self, index: int, item: Flowable | None, room: float, top: bool,
              previous: float, limit: float) -> Plan:
        if item is None:
            return Plan(0, 1, 0, 0.0, (room,))  # the last page may end anywhere
        key = (index, id(item), round(room, 1), top, round(previous, 1), round(limit, 1))
        if key not in self._plans:
            self._plans[key] = min(self._options(index, item, room, top, previous, limit),
                                   key=Plan.cost)
        return self._plans[key]

    def _options(self, index: int, item: Flowable, room: float, top: bool, previous: float,
                 limit: float) -> list[Plan]:
        """The plans for each choice ``item`` has, in order of preference on a tie: whole
        here, split (the tallest first part first), on the next page."""
        later = UNDER * self.page
        following = self.items[index + 1] if index + 1 < len(self.items) else None
        space = 0.0 if top else max(previous, item.getSpaceBefore())
        options: list[Plan] = []
        fits = space + height_of(item, self.width, self.canvas) <= room
        if fits:
            options.append(self._best(index + 1, following,
                                      room - space - height_of(item, self.width, self.canvas),
                                      False, item.getSpaceAfter(), limit))
        chooses = hasattr(item, "start_height")  # a placement chooses; others go as placed
        if chooses or not fits:
            for first, _, rest in self.points(item):
                if space + first > room:
                    continue
                after = self._best(index, rest, self.page, True, 0.0, later)
                options.append(after.after_page(room - space - first, limit, True))
                if not chooses:
                    break  # (the document splits it where it fills the page most)
            if not top and (chooses or not options):
                after = self._best(index, item, self.page, True, 0.0, later)
                options.append(after.after_page(room, limit, False))
        if not options:  # atop a page, taller than it, and it will not split: it fills it
            options.append(self._best(index + 1, following, self.page, True, 0.0, later)
                           .after_page(0.0, limit, False))
        return options

    def points(self, item: Flowable) -> list[Point]:
        """``item``'s split points (none for a part that never splits)."""
        find = getattr(item, "cut_points", None)
        return find(self.width, self.canvas) if find is not None else []
