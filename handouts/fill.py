"""Large print: every page but the last filled to its foot, decided in one layout pass.

A large-print stretch card takes half a page or more, and the safety boxes and the contact
block a third each, so a story whose parts "move on whole when they do not fit" leaves many
pages a third empty. The flowables here choose where they go from the room their page has
left, as the document places them (nothing is laid out twice):

- :class:`Filling` is a box or card that, when it does not fit and moving on would leave its
  page more than ``SLACK`` empty, splits between its parts: a card after its title, its
  picture row and at least its first step, a box after its heading and its first lines. The
  second part is headed "(continued)". It never splits where the page is full enough.
- :class:`Placement` keeps what leads into a box or card (a section's heading and intro) with
  its start, and gives a card a larger picture when the card will end its page: when what
  follows cannot start under the card, the card takes the smallest of its larger-picture
  variants that fills the page, instead of leaving the white below it (or splitting the next
  card to fill it).
- :class:`EitherOrder` sets two independent parts (the scope line and the contact block) in
  the order that fills the page they start on.

:func:`link` tells each placement what follows it in the story.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable

from .panel import Panel

# A page may end this share of its frame empty: ink then reaches at least 70% of the way down
# its body area (the frame starts under the running header; 0.25 keeps a margin for a
# two-line footer and for a last line's descent).
SLACK = 0.25
# A card grows its picture until its page is filled to within this share of the frame.
GROW_TO = 0.2
SHORTER = 0.15  # a card's short variant is at most this share of a frame shorter


def height_of(flowable: Flowable, width: float, canvas: Any) -> float:
    """``flowable``'s height at ``width`` (a KeepTogether's content summed)."""
    if isinstance(flowable, KeepTogether):
        return stacked(flowable._content, width, canvas)
    if isinstance(flowable, CondPageBreak):
        return float(flowable.height)
    if isinstance(flowable, Placement):
        return flowable.start_height(width, canvas)
    if isinstance(flowable, EitherOrder):
        return stacked(flowable.first + flowable.second, width, canvas)
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


def last_turn(flowable: Flowable, height: float, width: float, room: float, page: float,
              canvas: Any) -> bool:
    """Whether ``flowable`` (``height`` tall), moving on whole from a page with ``room``
    left, would leave more than a page of the story after it while splitting it here lets
    the story end on the next page: the white a last unsplittable part (the contact block)
    would leave is then avoided by splitting here."""
    total = height
    for following in getattr(flowable, "after", ()):
        if total > room + page:
            return False
        total += following.getSpaceBefore() + height_of(following, width, canvas)
    return page < total <= room + 0.95 * page


def split_part(part: Flowable, width: float, room: float, canvas: Any) -> list[Flowable]:
    """``part`` of a box split in two with the first in ``room`` (none if it cannot be): a
    list between its items, two at least on each side (one of a list of three or fewer), a
    paragraph between its lines."""
    pieces = getattr(part, "pieces", None)
    if pieces is not None:
        count = part.items
        least = 2 if count >= 4 else 1
        for at in range(count - least, least - 1, -1):
            first, rest = pieces(at)
            if first.wrapOn(canvas, width, 10_000)[1] <= room:
                return [first, rest]
        return []
    parts = part.splitOn(canvas, width, room)
    return parts if len(parts) == 2 else []


class Filling(Panel):
    """A box or card that splits to fill its page (see the module docstring). Its first
    ``keep`` parts (a card's title and picture row, a box's heading) stay together and never
    end a part on their own."""

    def __init__(self, content: Sequence[Flowable], *, keep: int = 1, **kw: Any):
        super().__init__(content, **kw)
        self.keep = keep
        self._options = kw

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height:
            return []
        page = self.page_height or avail_height
        if avail_height <= SLACK * page and self.height <= page and not last_turn(
                self, self.height, avail_width, avail_height, page, self.canv):
            return []  # the page is full enough: move on whole
        return self.cut(avail_width, avail_height)

    def cut(self, avail_width: float, avail_height: float, bare: bool = False
            ) -> list[Flowable]:
        """The two parts this box makes in ``avail_height`` (none when no useful first part
        fits: the kept parts and at least a line or an item after them; ``bare``: the kept
        parts alone will do)."""
        self._measured = None  # splitting its parts may wrap them at other sizes
        self.wrap(avail_width, avail_height)
        _, _, top, bottom = self.padding
        room = avail_height - top - bottom
        used = 0.0
        first: list[Flowable] = []
        rest = list(self.content)
        for index, (flowable, (_, h)) in enumerate(zip(self.content, self._sizes, strict=True)):
            space = self._space(index, flowable)
            if used + space + h <= room:
                first.append(rest.pop(0))
                used += space + h
                continue
            if index >= self.keep:
                parts = split_part(flowable, self._inner(), room - used - space, self.canv)
                if parts:
                    first.append(parts[0])
                    rest[0] = parts[1]
            break
        self._measured = None
        if len(first) < self.keep + (0 if bare else 1) or not rest:
            return []
        head = self.continued() if self.continued is not None else []
        opening = self.copy(first, self.keep)
        closing = self.copy(head + rest, len(head))
        for name in ("bookmark", "spaceBefore"):
            if hasattr(self, name):
                setattr(opening, name, getattr(self, name))
        if hasattr(self, "spaceAfter"):
            closing.spaceAfter = self.spaceAfter
        return [opening, closing]

    def copy(self, content: list[Flowable], keep: int) -> Filling:
        """A part of this box holding ``content``."""
        part = Filling(content, keep=keep, **self._options)
        for name in ("stretch_id", "picture_share"):
            if hasattr(self, name):
                setattr(part, name, getattr(self, name))
        return part


class Placement(Flowable):
    """A box or card with what leads into it, placed to fill its page (see the module
    docstring). ``make(k)`` builds variant ``k`` of the body (0 the usual one, then larger
    pictures, taller each); ``lead`` stays with the body's start."""

    def __init__(self, make: Callable[[int], Flowable], *, count: int = 1,
                 shrinks: bool = False, lead: Sequence[Flowable] = (), page_height: float,
                 space_after: float = 0.0):
        super().__init__()
        self.make = make
        self.count = count
        self.shrinks = shrinks  # variant -1 is a shorter body, tried before splitting it
        # a card: where no part of it fits under its lead, the lead may end the page
        self.lead_stays = shrinks or count > 1
        self.lead = list(lead)
        self.page_height = page_height
        self.space_after = space_after
        self.following: Flowable | None = None  # what the story places next (see link)
        self._made: dict[int, Flowable] = {}

    def variant(self, index: int) -> Flowable:
        """Variant ``index`` of the body, made once."""
        if index not in self._made:
            body = self.make(index)
            if self.space_after:
                body.spaceAfter = self.space_after  # (not a Spacer: it never starts a page)
            self._made[index] = body
        return self._made[index]

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return (self.lead[0] if self.lead else self.variant(0)).getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.variant(0).getSpaceAfter())

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 0xFFFFFF  # always split: the choice is made there (as KeepTogether)

    def _lead_height(self, width: float, canvas: Any) -> float:
        if not self.lead:
            return 0.0
        gap = max(self.lead[-1].getSpaceAfter(), self.variant(0).getSpaceBefore())
        return stacked(self.lead, width, canvas) + gap

    def start_height(self, width: float, canvas: Any) -> float:
        """The height this placement needs to start whole on a page."""
        return self._lead_height(width, canvas) + height_of(self.variant(0), width, canvas)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        # (the document places a split's first part at once unless it is an action: what is
        # chosen here goes back on its list, to be placed, or split, as any flowable)
        return [NullActionFlowable(), *self._choose(avail_width, avail_height)]

    def _choose(self, avail_width: float, avail_height: float) -> list[Flowable]:
        canvas = self.canv
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        room = avail_height - self._lead_height(avail_width, canvas)
        base = self.variant(0)
        tall = height_of(base, avail_width, canvas)
        # (the short variant gains a few lines at most: not worth making when far off)
        if room < tall < room + SHORTER * self.page_height and self.shrinks:
            short = self.variant(-1)
            if height_of(short, avail_width, canvas) <= room:
                return self.lead + [short]
        if tall <= room:
            left = room - tall
            if left > SLACK * self.page_height and not self._following_fits(avail_width, left):
                return self.lead + [self._grown(avail_width, room) or base]
            return self.lead + [base]
        if not at_top and avail_height <= SLACK * self.page_height and not last_turn(
                self, self.start_height(avail_width, canvas), avail_width, avail_height,
                self.page_height, canvas):
            return [FrameBreak(), self]  # the page is full enough: start on the next one
        parts = self._cut(base, avail_width, room) if room > 0 else []
        if parts:
            return self.lead + parts
        if at_top:  # taller than a page and no part fits: let the body split on its own
            return self.lead + [base]
        if self.lead_stays and room > 0:
            # Last resort before leaving the page under-filled: the card's title and picture
            # row (set short) here, its steps on the next page.
            short = self.variant(-1) if self.shrinks else base
            short.canv = canvas
            parts = short.cut(avail_width, room, bare=True) if isinstance(short, Filling) \
                else []
            if parts:
                return self.lead + parts
        if self.lead_stays and len(self.lead) > 1 and room >= 0:
            # No part of the body fits under the lead here, and moving both on would leave
            # the page under-filled: the heading and its intro (never a heading alone) end
            # this page, the body starts the next one.
            rest = Placement(self.make, count=self.count, shrinks=self.shrinks,
                             page_height=self.page_height, space_after=self.space_after)
            rest._made, rest.following = self._made, self.following
            return [*self.lead, FrameBreak(), rest]
        return [FrameBreak(), self]

    def _cut(self, body: Flowable, width: float, room: float) -> list[Flowable]:
        if isinstance(body, Filling):
            body.canv = self.canv  # (wrapOn drops it after measuring)
            return body.cut(width, room)
        return split_part(body, width, room, self.canv)

    def _following_fits(self, width: float, left: float) -> bool:
        """Whether what follows can start whole in ``left`` under the body."""
        following = self.following
        if following is None:
            return True
        space = max(self.variant(0).getSpaceAfter(), following.getSpaceBefore())
        return space + height_of(following, width, self.canv) <= left

    def _grown(self, width: float, room: float) -> Flowable | None:
        """The smallest larger-picture variant that fills the page, if one does."""
        for index in range(1, self.count):
            body = self.variant(index)
            tall = height_of(body, width, self.canv)
            if tall > room:
                return None
            if room - tall <= GROW_TO * self.page_height:
                return body
        return None


class EitherOrder(Flowable):
    """Two independent parts (the scope line, the contact block) in the order that fills the
    page the first starts on: in order, unless only the second fits whole in a page that the
    first would leave under-filled."""

    def __init__(self, first: Sequence[Flowable], second: Sequence[Flowable], *,
                 page_height: float):
        super().__init__()
        self.first = list(first)
        self.second = list(second)
        self.page_height = page_height

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.first[0].getSpaceBefore())

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 0xFFFFFF  # always split: the order is chosen there

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        canvas = self.canv
        two = stacked(self.second, avail_width, canvas)
        both = stacked(self.first + self.second, avail_width, canvas)
        if both > avail_height > SLACK * self.page_height and two <= avail_height:
            return [NullActionFlowable(), *self.second, *self.first]  # the second fills
        return [NullActionFlowable(), *self.first, *self.second]  # (see Placement.split)


class IfRoom(Flowable):
    """``normal`` where its page has ``need`` left, or on the next page where this one is
    full enough; else ``otherwise`` (the same content, set to fill this page: the anatomy
    section's text first, its picture after it)."""

    def __init__(self, need: float, normal: Sequence[Flowable], otherwise: Sequence[Flowable],
                 *, page_height: float):
        super().__init__()
        self.need = need
        self.normal = list(normal)
        self.otherwise = list(otherwise)
        self.page_height = page_height

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.normal[0].getSpaceBefore())

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 0xFFFFFF  # always split: the choice is made there

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        if avail_height >= self.need or at_top:
            return [NullActionFlowable(), *self.normal]
        if avail_height <= SLACK * self.page_height:
            return [FrameBreak(), *self.normal]
        return [NullActionFlowable(), *self.otherwise]


def link(story: Sequence[Flowable]) -> None:
    """Tell each placement and box in ``story`` what follows it (spacers skipped)."""
    for index, flowable in enumerate(story):
        if isinstance(flowable, (Placement, Filling)):
            after = [f for f in story[index + 1:] if not isinstance(f, Spacer)]
            flowable.after = after  # type: ignore[attr-defined]
            if isinstance(flowable, Placement):
                flowable.following = after[0] if after else None
