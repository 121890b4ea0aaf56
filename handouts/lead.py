"""Large print: what leads into the stretch cards ("Your stretches" and its line) when the
first card does not fit under it on its page.

A large-print card that fits on a page is never split, and "Your stretches" never ends a page
without what follows it, so where the first card does not fit under the header, the note and
the key points, the heading and its line used to move on with the card and leave page 1 a
third empty. :class:`ListApart` stands just before the first card's placement and decides as
the document reaches it: where the card will start on this page (or the page is a fresh one)
it does nothing and the heading goes with the card as before; where the card moves on, the
heading, its line, a numbered list of the stretches chosen (their titles, numbered as their
cards) and a line pointing to the next page stay here, and the cards start on the next page
(what a home exercise program opens with). Where that is too tall for the room left, the
pointer line is left out, then the list is set in two columns (numbered down them), then
the heading and its line stay with the pointer line and no list; where even that does not
fit, the card takes its lead with it as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable

from .fill import Chooser, Placement, stacked
from .layout import Layout, Story, is_heading
from .panel import Beside


class ListApart(Chooser):
    """The stretches' lead with their list on this page and the first card on the next,
    where that card does not start here (see the module docstring): the first of
    ``variants`` (the lead with its list, from the fullest to the shortest) that fits."""

    def __init__(self, variants: Sequence[Story], placement: Placement):
        super().__init__(variants[0])
        self.variants = list(variants)
        self.placement = placement

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        placement = self.placement
        placement.canv = self.canv  # (its measures need a canvas)
        if self.at_top() or placement.starts_in(avail_width, avail_height):
            return [NullActionFlowable()]  # the card (with its lead) starts here
        for listed in self.variants:
            if stacked(listed, avail_width, self.canv) <= avail_height:
                placement.lead = []  # (the heading and its line are placed here)
                return [NullActionFlowable(), *listed, FrameBreak()]
        return [NullActionFlowable()]  # no room for the list either: all move on


def stretches_lead(lay: Layout, intro: Story, placement: Placement) -> Story:
    """What goes before the first card's placement (whose lead is ``intro``): a
    :class:`ListApart` holding ``intro`` with the numbered list of the stretches after its
    first line and a line pointing to the next page; where that is too tall for the page's
    room, without the line, then the list in two columns with and without it."""
    stretches = lay.plan.stretches
    if not stretches:
        return []
    titles = [lay.m(item.stretch.title) for item in stretches]
    start = stretches[0].number
    lists = [lay.list(titles, "step", ordered=True, start=start)]
    if len(titles) >= 3:  # (numbered down the columns: 1-3 beside 4-5)
        half = (len(titles) + 1) // 2
        gap = lay.theme.body_size
        lists.append(Beside([lay.list(titles[:half], "step", ordered=True, start=start)],
                            [lay.list(titles[half:], "step", ordered=True, start=start + half)],
                            left_width=(lay.width + gap) / 2, width=lay.width, gap=gap))
    key = "stretches.next_page_one" if len(stretches) == 1 else "stretches.next_page"
    pointer = lay.p(lay.m(lay.words.text(key)), "body")
    # The list right after the line that names them ("… chose these 3 stretches for you."),
    # before the advice printed there when the key points are left out.
    heading = next((i for i, f in enumerate(intro) if is_heading(f)), -1)
    at = next((i + 1 for i, f in enumerate(intro) if i > heading and isinstance(f, Paragraph)),
              len(intro))
    # (a little space under the list sets it apart from that advice and the pointer line)
    gap = lay.theme.body_size * 0.5
    variants = [[*intro[:at], numbered, Spacer(1, gap), *intro[at:], *ending]
                for numbered in lists for ending in ([pointer], [])]
    # Last, the heading and its line with the pointer and no list (never the two alone: a
    # reader took them for a stranded heading): the section still opens
    # on this page (the heading never alone), and the first card, kept whole, starts the next
    # one instead of being split under its lead there.
    variants.append([*intro, pointer])
    return [ListApart(variants, placement)]
