"""Normal print: a part set a little closer where that keeps it on its page.

At 13 pt a part that misses the room its page has left by a few points moves on whole and
leaves the white behind it (the note on getting down to the floor after the last card, which
then pushes the background and the contact block on by a page). :class:`Tighter` holds the
part twice, as usual and set a little closer (less space above it, less padding), and takes
the closer one only where the usual one does not fit and the closer one does. It chooses by
the room it is given, as the document places it: nothing is laid out twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import NullActionFlowable

from .fill import Chooser, stacked


def measured(flowables: Sequence[Flowable], width: float, canvas: object) -> float:
    """The height of ``flowables`` placed one under another, page breaks held in reserve
    (a CondPageBreak) not counted: where all of them fit, none of those breaks happens."""
    from reportlab.platypus import CondPageBreak

    return stacked([f for f in flowables if not isinstance(f, CondPageBreak)], width, canvas)


class Tighter(Chooser):
    """``normal``, or ``tight`` (the same content set closer) where only that fits."""

    def __init__(self, normal: Sequence[Flowable], tight: Sequence[Flowable]):
        super().__init__(normal)
        self.tight = list(tight)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        canvas = self.canv
        if not self.at_top() and measured(self.normal, avail_width, canvas) > avail_height \
                >= measured(self.tight, avail_width, canvas):
            return [NullActionFlowable(), *self.tight]
        return [NullActionFlowable(), *self.normal]


def closer(story: Sequence[Flowable], gap: float) -> list[Flowable]:
    """``story`` (a boxed note and the space after it) set closer: ``gap`` above it, each
    box's padding above its text no more than below it, and the space after it a box's
    space after (dropped at a page foot, so it never pushes the note on)."""
    from reportlab.platypus import KeepTogether, Spacer

    from .panel import Panel

    out: list[Flowable] = [Spacer(1, gap)]
    last: Flowable | None = None
    for flowable in story:
        if isinstance(flowable, Spacer) and last is not None:
            last.spaceAfter = flowable.height  # type: ignore[attr-defined]
            continue
        parts = flowable._content if isinstance(flowable, KeepTogether) else [flowable]
        for part in parts:
            if isinstance(part, Panel):
                left, right, top, bottom = part.padding
                part.padding = (left, right, min(top, bottom), bottom)
                part._measured = None
            last = part
        out.append(flowable)
    return out
