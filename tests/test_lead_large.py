"""Large print: where the first card does not fit on page 1, "Your stretches", its line and a
numbered list of the stretches chosen (numbered as their cards) stay on page 1, and the
cards start on page 2; page 1 is then filled."""

from __future__ import annotations

import re

import pytest
from test_fill_large import large, texts
from test_layouts import ink_reach

HEADING = {"en": "Your stretches", "es": "Sus estiramientos"}
POINTER = {"en": "Turn the page to see how to do them, step by step.",
           "es": "Dé vuelta a la página para ver cómo hacerlos, paso a paso."}
SETS = [("bridge",), ("bridge", "cat-cow", "lunge"),
        ("seated-stretch", "side-lying-stretch", "lunge", "butterfly", "supine-towel-release")]


def body(text: str) -> str:
    """A page's text without its footer ("Page 1 of 9", "For A.S.", the clinic)."""
    return re.split(r" (?:Page|Página) \d+ (?:of|de) \d+ ", text)[0]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("stretches", SETS, ids=[str(len(s)) for s in SETS])
def test_without_a_note_page_one_keeps_the_heading_with_the_list_of_stretches(
        paper: str, language: str, stretches: tuple[str, ...]) -> None:
    """With no therapist's note, page 1 of a large-print guide holds "Your stretches", its
    line and every stretch's title numbered as its card, the first card starts page 2, page 1
    is at least 70% inked and no heading ends a page."""
    result = large(stretches, (), paper, language, note=False)
    pages = texts(result)
    assert result.lone_headings == ()
    assert dict(result.placed)[stretches[0]] == 2
    if (paper, language, len(stretches)) == ("letter", "es", 5):
        # The list of five long Spanish titles (163 pt of room, 197 pt needed even in two
        # columns) does not fit under the key points: the heading, its line and the pointer
        # stay on page 1 without the list, and the cards start page 2.
        assert HEADING[language] in pages[0] and POINTER[language] in pages[0]
        assert "1. " not in pages[0].split(HEADING[language], 1)[1]
        assert ink_reach(result.pdf, footer=0.7)[0] >= 0.70
        return
    assert ink_reach(result.pdf, footer=0.7)[0] >= 0.70
    assert HEADING[language] in pages[0]
    listed = pages[0].split(HEADING[language], 1)[1]
    later = " ".join(pages[1:])
    for item in result.plan.stretches:  # the same number and title as on its card
        title = re.escape(item.stretch.title)
        assert re.search(rf"(?<!\d){item.number}\. ?{title}", listed), listed
        assert re.search(rf"(?<!\d){item.number}\. {title}", later)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_list_names_each_card_in_order_and_points_to_the_next_page(language: str) -> None:
    """The list on page 1 gives each card's number and title in the cards' order, then the
    line saying the steps are on the next page (in the handout's language)."""
    stretches = ("bridge", "cat-cow", "lunge")
    result = large(stretches, (), "a4", language, note=False)
    pages = texts(result)
    listed = body(pages[0]).split(HEADING[language], 1)[1]
    assert listed.endswith(POINTER[language])
    titles = [item.stretch.title for item in result.plan.stretches]
    at = [listed.index(title) for title in titles]
    assert at == sorted(at)
    assert [int(n) for n in re.findall(r"(?<![\d:])(\d)\.", listed)] == [1, 2, 3]


def test_one_stretch_points_to_it_and_advice_follows_the_list() -> None:
    """One stretch, key points left out: the list of one, the advice printed under the line
    in their place, then "how to do it" (singular); page 1 far fuller than the header alone
    (it held 27% before the list) and card 1 on page 2."""
    result = large(("bridge",), (), "letter", "en", note=False, leave_out=("key-points",))
    page = body(texts(result)[0])
    assert re.search(r"for you\. 1\. ?Bridge .*Warm up first", page)
    assert page.endswith("Turn the page to see how to do it, step by step.")
    assert dict(result.placed)["bridge"] == 2
    assert ink_reach(result.pdf, footer=0.7)[0] >= 0.65
    assert result.lone_headings == ()


def test_the_list_is_chosen_only_where_the_first_card_does_not_start() -> None:
    """The choice itself, on a real guide's story: with a page's room the first card starts
    there with its heading and line (nothing is added); with the room page 1 has left it
    moves on, and the heading, its line, the list and the pointer stay, with a break after
    them; with too little room for even that, all move on with the card."""
    from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable
    from test_layouts import RENDERER

    from conftest import DAY
    from handouts.build import compose, load_request, plan_handout
    from handouts.lead import ListApart
    from handouts.models import Options

    clinic, client, library = load_request(None, None, "Ana Silva", ("bridge", "lunge"), None)
    plan = plan_handout(clinic, client, library, Options(date=DAY, large_print=True))
    composed = compose(plan, RENDERER)
    chooser = next(f for f in composed.story if isinstance(f, ListApart))
    placement = chooser.placement
    lead = list(placement.lead)
    width, page = composed.theme.frame_width, placement.page_height
    chooser.canv = None
    assert [type(f) for f in chooser.split(width, page)] == [NullActionFlowable]
    assert placement.lead == lead  # the heading and its line go with the card
    assert [type(f) for f in chooser.split(width, 40.0)] == [NullActionFlowable]
    chosen = chooser.split(width, 0.3 * page)
    assert isinstance(chosen[0], NullActionFlowable) and isinstance(chosen[-1], type(FrameBreak))
    assert chosen[1:3] == lead[:2] and placement.lead == []
