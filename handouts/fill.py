"""Large print: every page but the last filled to its foot, decided in one layout pass.

A large-print stretch card takes half a page or more, and the safety boxes and the contact
block a third each, so a story whose parts "move on whole when they do not fit" leaves many
pages a third empty. The flowables here choose where they go from the room their page has
left, as the document places them (nothing is laid out twice):

- :class:`Filling` is a box or card that, when it does not fit and moving on would leave its
  page more than ``SLACK`` empty, splits between its parts: a box after its heading and its
  first lines, the second part headed "(continued)". It never splits where the page is full
  enough. Some are kept ``whole``: a card that fits on a page, the 911 list and the contact
  block move on whole. A card taller than a page splits after its title, its picture row and
  at least its first step, and before its last step at the latest (``keep_tail``): the dose
  line and the cautions never make a part on their own.
- :class:`Placement` keeps what leads into a box or card (a section's heading and intro) with
  its start (a heading never ends a page without it), and gives a card a larger picture when
  the card will end its page: when what follows cannot start under the card, the card takes
  the smallest of its larger-picture variants that fills the page, instead of leaving the
  white below it; a card a few lines too tall for its room takes its short variant.
- The parts that end the story (the text that ends the section before the log, the log,
  the safety boxes, the scope line, the contact block) are placed looking ahead
  (:mod:`handouts.lookahead` plans them as a whole, and each takes the first step of the
  best plan): a box may split a little early, whole boxes move on, or the last lines of
  the section before the log go on to the log's page, so that the page before a block that
  moves on whole is filled too, with the fewest pages.

:func:`link` tells each placement what follows it in the story (after :func:`hold_back`
makes the text before the log, and a two-week log's second week, placements).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable

from .lookahead import UNDER, Ahead, Point, height_of, points_of, stacked
from .panel import Grid, Panel

__all__ = ["Chooser", "Filling", "IfRoom", "Placement", "height_of", "link", "split_part",
           "stacked"]

# A page may end this share of its frame empty: ink then reaches at least 70% of the way down
# its body area (the frame starts under the running header; 0.25 keeps a margin for a
# two-line footer and for a last line's descent).
SLACK = 0.25
# A card grows its picture until its page is filled to within this share of the frame.
GROW_TO = 0.2
SHORTER = 0.15  # a card's short variant is at most this share of a frame shorter


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


def split_part(part: Flowable, width: float, room: float, canvas: Any,
               loose: bool = False) -> list[Flowable]:
    """``part`` of a box split in two with the first in ``room`` (none if it cannot be): a
    list between its items, two at least on each side (one of a list of three or fewer; one
    of a card's steps, or of a list outside a box: ``loose``), a paragraph between its
    lines."""
    pieces = getattr(part, "pieces", None)
    if pieces is not None:
        count = part.items
        least = 2 if count >= 4 and not loose else 1
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

    def __init__(self, content: Sequence[Flowable], *, keep: int = 1, whole: bool = False,
                 keep_tail: bool = False, **kw: Any):
        super().__init__(content, **kw)
        self.keep = keep
        self.whole = whole  # never split where it fits on a page (a card, the 911 list)
        self.keep_tail = keep_tail  # what follows the last list stays with its last item
        self._options = kw

    def cut_points(self, width: float, canvas: Any) -> list[Point]:
        """Where this box may split (see :func:`handouts.lookahead.points_of`); none where
        it is kept whole."""
        tall = height_of(self, width, canvas)  # (measuring drops the canvas: set after)
        self.canv = canvas
        if self.whole and self.fits_a_page():
            return []
        return points_of(self, lambda room: self.cut(width, room), tall, width, canvas)

    def fits_a_page(self) -> bool:
        """Whether this box fits on a page (as measured at its own width)."""
        self.wrap(self.width, 10_000)
        return self.page_height is None or self.height <= self.page_height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height:
            return []
        page = self.page_height or avail_height
        if self.whole and self.height <= page:
            return []  # kept whole: it moves on
        if avail_height <= SLACK * page and self.height <= page and not last_turn(
                self, self.height, avail_width, avail_height, page, self.canv):
            return []  # the page is full enough: move on whole
        return self.cut(avail_width, avail_height)

    def cut(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The two parts this box makes in ``avail_height`` (none when no useful first part
        fits: the kept parts and at least a line or an item after them). With ``keep_tail``
        the split comes inside the last list at the latest (a card's steps), so the dose
        line and the cautions never make a part on their own; only where they are taller
        than a page with the last step (a card with every condition's cautions) do they
        split among themselves."""
        lists = [i for i, f in enumerate(self.content) if hasattr(f, "pieces")]
        if self.keep_tail and lists:
            parts = self._cut_before(avail_width, avail_height, lists[-1])
            if parts or self.fits_a_page():
                return parts
        return self._cut_before(avail_width, avail_height, len(self.content))

    def _cut_before(self, avail_width: float, avail_height: float, last: int
                    ) -> list[Flowable]:
        """:meth:`cut`, splitting part ``last`` (a list) if it is reached."""
        self._measured = None  # splitting its parts may wrap them at other sizes
        self.wrap(avail_width, avail_height)
        _, _, top, bottom = self.padding
        room = avail_height - top - bottom
        used = 0.0
        first: list[Flowable] = []
        rest = list(self.content)
        for index, (flowable, (_, h)) in enumerate(zip(self.content, self._sizes, strict=True)):
            space = self._space(index, flowable)
            if used + space + h <= room and index != last:
                first.append(rest.pop(0))
                used += space + h
                continue
            if index >= self.keep:
                parts = split_part(flowable, self._inner(), room - used - space, self.canv,
                                   loose=index == last)
                if parts:
                    first.append(parts[0])
                    rest[0] = parts[1]
            break
        self._measured = None
        if len(first) < self.keep + 1 or not rest:
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
        part = Filling(content, keep=keep, whole=self.whole, keep_tail=self.keep_tail,
                       **self._options)
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
                 space_after: float = 0.0, loose: bool = False):
        super().__init__()
        self.make = make
        self.count = count
        self.shrinks = shrinks  # variant -1 is a shorter body, tried before splitting it
        self.lead = list(lead)
        self.page_height = page_height
        self.space_after = space_after
        self.loose = loose  # a list body splits after any item (see split_part)
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
        # (the short variant gains a few lines at most: not worth making when far off, but
        # tried atop a page, where the card is otherwise split)
        if self.shrinks and room < tall and (at_top or tall < room + SHORTER * self.page_height):
            short = self.variant(-1)
            if height_of(short, avail_width, canvas) <= room:
                return self.lead + [short]
        if self._ends_story():
            return self._ahead(avail_width, avail_height, room, at_top)
        if tall <= room:
            left = room - tall
            if left > SLACK * self.page_height and not self._following_fits(avail_width, left):
                return self.lead + [self._grown(avail_width, room) or base]
            return self.lead + [base]
        if not at_top and self.kept_whole(avail_width):
            # It fits on a page: it moves on whole, with its lead (never a heading and its
            # intro alone at a page foot); what it leaves here was filled before it (a
            # larger picture for the card above it, see _grown).
            return [FrameBreak(), self]
        if not at_top and avail_height <= SLACK * self.page_height and not last_turn(
                self, self.start_height(avail_width, canvas), avail_width, avail_height,
                self.page_height, canvas):
            return [FrameBreak(), self]  # the page is full enough: start on the next one
        parts = self._split_to_fill(avail_width, room) if room > 0 else []
        if parts:
            return self.lead + parts
        if at_top:  # taller than a page and no part fits: let the body split on its own
            return self.lead + [base]
        return [FrameBreak(), self]

    def _ends_story(self) -> bool:
        """Whether this is one of the parts that end the story (the log, the safety boxes,
        the contact block: not a card), with only such parts after it."""
        after = getattr(self, "after", None)
        return after is not None and not hasattr(self.variant(0), "stretch_id") and all(
            isinstance(f, (Placement, Filling, Paragraph)) for f in after)

    def _ahead(self, width: float, avail: float, room: float, at_top: bool
               ) -> list[Flowable]:
        """The choice for a part near the story's end that fills every page but the last
        best, with the fewest pages (the first step of the best plan, see
        :mod:`handouts.lookahead`): the body whole here; split here at one of its points
        (a little of it going on where that fills the next page before a block that moves
        on whole, the contact block, or keeps the story a page shorter); or all of it on
        the next page. On a tie, what the page would do without looking ahead."""
        canvas, page = self.canv, self.page_height
        search = Ahead(getattr(self, "after", ()), width, page, canvas)
        frame = getattr(self, "_frame", None)
        limit, later = UNDER * getattr(frame, "_height", page), UNDER * page
        # (the frame offers the room under the space before this part: moving on leaves
        # that space empty too)
        gap = 0.0 if at_top else max(self.getSpaceBefore(), getattr(frame, "_prevASpace", 0.0))
        base = self.variant(0)
        tall = height_of(base, width, canvas)
        full = avail <= SLACK * page  # (without looking ahead it would move on from here)
        options: list[tuple[tuple[bool, int, float, int], bool, list[Flowable]]] = []
        if tall <= room:
            plan = search.plan(None, room - tall, top=False, limit=limit,
                               previous=base.getSpaceAfter())
            options.append((plan.cost(), True, self.lead + [base]))
        natural = tall > room and not full
        for first, parts, rest in self.cut_points(width, canvas):
            if first > avail:
                continue
            plan = search.plan(rest, page, top=True, limit=later)
            options.append((plan.after_page(avail - first, limit, True).cost(), natural,
                            [*parts, FrameBreak(), rest]))
            natural = False
        if not at_top:
            plan = search.plan(self, page, top=True, limit=later)
            options.append((plan.after_page(avail + gap, limit, False).cost(),
                            tall > room and full, [FrameBreak(), self]))
        elif not options:
            return self.lead + [base]  # taller than a page, and it will not split
        return min(options, key=lambda option: (option[0], not option[1]))[2]

    def cut_points(self, width: float, canvas: Any) -> list[Point]:
        """Where this placement may split (see :func:`handouts.lookahead.points_of`): its
        lead and its body's first part, and the rest; none where it is kept whole."""
        self.canv = canvas
        if self.kept_whole(width):
            return []
        lead = self._lead_height(width, canvas)
        base = self.variant(0)
        points = points_of(self, lambda room: self._cut(base, width, room),
                           height_of(base, width, canvas), width, canvas)
        return [(lead + first, self.lead + parts, rest) for first, parts, rest in points]

    def kept_whole(self, width: float) -> bool:
        """Whether the body (a card, the 911 list, the contact block) is never split: it is
        kept whole and fits, with its lead, on a page (its short variant, if it has one)."""
        base = self.variant(0)
        if not getattr(base, "whole", False):
            return False
        room = self.page_height - self._lead_height(width, self.canv)
        if height_of(base, width, self.canv) <= room:
            return True
        return self.shrinks and height_of(self.variant(-1), width, self.canv) <= room

    def starts_in(self, width: float, left: float) -> bool:
        """Whether this placement can start in ``left`` (whole, or split there when its body
        is taller than a page)."""
        room = left - self._lead_height(width, self.canv)
        base = self.variant(0)
        if height_of(base, width, self.canv) <= room:
            return True
        if self.shrinks and height_of(self.variant(-1), width, self.canv) <= room:
            return True
        if self.kept_whole(width) or room <= 0:
            return False
        return bool(self._cut(base, width, room))

    def _split_to_fill(self, width: float, room: float) -> list[Flowable]:
        """The body split with its first part in ``room``: a card taller than a page takes
        the smallest picture that fills the page with its first part (a larger picture
        moves more of its steps to the second part), else the one that fills it most."""
        best: list[Flowable] = []
        least = room
        for index in range(self.count):
            parts = self._cut(self.variant(index), width, room)
            if not parts:
                continue
            left = room - height_of(parts[0], width, self.canv)
            if left <= GROW_TO * self.page_height:
                return parts
            if left < least:
                best, least = parts, left
        return best

    def _cut(self, body: Flowable, width: float, room: float) -> list[Flowable]:
        if isinstance(body, Filling):
            body.canv = self.canv  # (wrapOn drops it after measuring)
            return body.cut(width, room)
        # (a list outside a box splits between any two items, as the document splits it)
        return split_part(body, width, room, self.canv, loose=self.loose)

    def _following_fits(self, width: float, left: float) -> bool:
        """Whether what follows can start in ``left`` under the body."""
        following = self.following
        if following is None:
            return True
        space = max(self.variant(0).getSpaceAfter(), following.getSpaceBefore())
        if isinstance(following, Placement):
            following.canv = self.canv
            return following.starts_in(width, left - space)
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


class Chooser(Flowable):
    """Parts chosen where the document offers them room: it always splits, and its split
    (:meth:`split`, in a subclass) returns an action and the parts chosen, which go back on
    the document's list to be placed as any flowable (a split's first part that is not an
    action would be placed at once)."""

    def __init__(self, normal: Sequence[Flowable]):
        super().__init__()
        self.normal = list(normal)

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.normal[0].getSpaceBefore())

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 0xFFFFFF  # always split: the choice is made there

    def at_top(self) -> bool:
        """Whether the document offers the room of a fresh page."""
        return bool(getattr(getattr(self, "_frame", None), "_atTop", False))


class IfRoom(Chooser):
    """``normal`` where its page has ``need`` left, or on the next page where this one is
    full enough; else ``otherwise`` (the same content, set to fill this page: the anatomy
    section's text first, its picture after it)."""

    def __init__(self, need: float, normal: Sequence[Flowable], otherwise: Sequence[Flowable],
                 *, page_height: float):
        super().__init__(normal)
        self.need = need
        self.otherwise = list(otherwise)
        self.page_height = page_height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if avail_height >= self.need or self.at_top():
            return [NullActionFlowable(), *self.normal]
        if avail_height <= SLACK * self.page_height:
            return [FrameBreak(), *self.normal]
        return [NullActionFlowable(), *self.otherwise]


def link(story: list[Flowable]) -> None:
    """Tell each placement and box in ``story`` what follows it (spacers skipped), after
    making the text that leads into the story's last parts a placement (see
    :func:`hold_back`)."""
    hold_back(story)
    for index, flowable in enumerate(story):
        if isinstance(flowable, (Placement, Filling)):
            after = [f for f in story[index + 1:] if not isinstance(f, Spacer)]
            flowable.after = after  # type: ignore[attr-defined]
            if isinstance(flowable, Placement):
                flowable.following = after[0] if after else None


def hold_back(story: list[Flowable]) -> None:
    """Large print: the lists and paragraphs that end the section before the parts that end
    the story (the log, the safety boxes, the contact block) become placements too, the
    first with the section's heading (if it follows one) as its lead, so that looking ahead
    their last lines may go on to the next page where that fills the pages after them (a
    page that the log starts would otherwise be fixed before the look-ahead begins)."""
    _second_week(story)
    tail = next((i for i, f in enumerate(story) if isinstance(f, Placement)
                 and not hasattr(f.variant(0), "stretch_id")
                 and all(isinstance(g, (Placement, Filling, Paragraph, Spacer))
                         for g in story[i + 1:])), None)
    if not tail:
        return
    start = tail
    while start > 0 and (isinstance(story[start - 1], Spacer) or _text(story[start - 1])):
        start -= 1
    if start == tail:
        return
    first = start - 1 if start > 0 and _heading(story[start - 1]) \
        and not isinstance(story[start], Spacer) else start
    lead = story[first:start]
    held: list[Flowable] = []
    for flowable in story[start:tail]:
        if not isinstance(flowable, Spacer):
            flowable = Placement(lambda k, body=flowable: body, lead=lead,  # type: ignore[misc]
                                 page_height=story[tail].page_height,  # type: ignore[attr-defined]
                                 loose=True)
            lead = []
        held.append(flowable)
    story[first:tail] = held


def _second_week(story: list[Flowable]) -> None:
    """A two-week log's second table (after the first week's placement) made a placement
    too, its week's label as its lead (never alone at a page foot), so that the parts that
    end the story start at the log."""
    for at in range(2, len(story)):
        first, label, table = story[at - 2:at + 1]
        if isinstance(table, Grid) and isinstance(label, Paragraph) \
                and isinstance(first, Placement) and isinstance(first.variant(0), Grid):
            held = Placement(lambda k, body=table: body,  # type: ignore[misc]
                             lead=[label], page_height=first.page_height)
            story[at - 1:at + 1] = [held]
            return


def _text(flowable: Flowable) -> bool:
    """Whether ``flowable`` is a list or a paragraph of text (not a heading)."""
    return not _heading(flowable) and (hasattr(flowable, "pieces")
                                       or isinstance(flowable, Paragraph))


def _heading(flowable: Flowable) -> bool:
    """Whether ``flowable`` is a section or sub-section heading (see layout.is_heading)."""
    return getattr(getattr(flowable, "style", None), "name", "") in ("h2", "h3")
