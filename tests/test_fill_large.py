"""Large print fills its pages: over a fixed set of large-print guides (both papers, English
and Spanish, 1 to 5 stretches, with and without conditions), ink reaches at least 70% of the
way down the body area on every page but the last, and no heading ends a page."""

from __future__ import annotations

import io

import pytest
from test_layouts import RENDERER, ink_reach

from conftest import DAY
from handouts.build import load_request, plan_handout, render_handout
from handouts.models import Options

NOTES = {"en": "Your left hip felt tight today. Go gently on that side.",
         "es": "Hoy su cadera izquierda estaba tensa. Vaya con calma de ese lado."}

# Shapes that left pages 55-73% full (or a blank page) before large print filled its pages.
SHAPES = [
    (("butterfly",), ("pregnancy-2",)),
    (("bed-edge-hang",), ()),
    (("kneeling-hip-flexor", "lunge"), ("pregnancy-2",)),
    (("cat-cow", "butterfly", "ball-release"), ()),
    (("cat-cow", "side-lying-hip-flexor", "side-lying-stretch", "chair-hip-flexor"), ()),
    (("supine-towel-release", "seated-stretch", "chair-hip-flexor", "side-lying-hip-flexor"),
     ()),
    (("bed-edge-hang", "lunge", "cat-cow", "ball-release", "side-lying-stretch"),
     ("knee-pain",)),
    (("side-lying-stretch", "cat-cow", "lunge", "butterfly", "kneeling-hip-flexor"), ()),
    (("bridge", "seated-stretch", "leg-lowering"), ("hip-replacement-anterior",)),
]


def large(stretches: tuple[str, ...], conditions: tuple[str, ...], paper: str,
          language: str, note: bool = True, leave_out: tuple[str, ...] = (),
          next_visit: str = ""):  # type: ignore[no-untyped-def]
    """A large-print guide for one client."""
    from dataclasses import replace

    clinic, client, library = load_request(None, None, "Ana Silva", stretches,
                                           NOTES[language] if note else None, language)
    client = replace(client, leave_out=leave_out, next_visit=next_visit)
    plan = plan_handout(clinic, client, library, Options(
        date=DAY, large_print=True, paper=paper, language=language, conditions=conditions))
    return render_handout(plan, RENDERER)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_large_print_page_but_the_last_is_filled(paper: str, language: str) -> None:
    """Every page but the last of each large-print guide in the set is at least 70% inked."""
    low = []
    for stretches, conditions in SHAPES:
        result = large(stretches, conditions, paper, language)
        reach = ink_reach(result.pdf, footer=0.7)
        if any(r < 0.70 for r in reach[:-1]) or result.lone_headings:
            low.append((stretches, conditions, [round(r, 2) for r in reach],
                        result.lone_headings))
    assert low == []


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_large_print_without_a_note_fills_page_one(paper: str) -> None:
    """With no therapist's note, page 1 is still filled (the stretches' heading and intro
    go where the first card cannot), and no heading ends a page."""
    result = large(("bridge", "cat-cow", "lunge"), (), paper, "en", note=False)
    reach = ink_reach(result.pdf, footer=0.7)
    assert all(r >= 0.70 for r in reach[:-1]), [round(r, 2) for r in reach]
    assert result.lone_headings == ()


@pytest.mark.parametrize("paper, language, stretches, leave_out, next_visit", [
    ("a4", "es", ("side-lying-stretch",), ("key-points", "how-massage-helps"), ""),
    ("letter", "en", ("leg-lowering", "bridge"), ("what-is-psoas", "between-visits"),
     "2026-12-09"),
    ("a4", "es", ("butterfly", "lunge", "bed-edge-hang", "leg-lowering",
                  "standing-hip-flexor"), ("why-it-hurts",), "2026-12-09"),
])
def test_large_print_with_sections_left_out_fills_its_pages(
        paper: str, language: str, stretches: tuple[str, ...], leave_out: tuple[str, ...],
        next_visit: str) -> None:
    """With sections left out and a two-week log, large print still fills every page but the
    last, and the anatomy heading never ends a page without its picture or text."""
    result = large(stretches, (), paper, language, note=language == "es" and paper == "a4"
                   and len(stretches) > 1, leave_out=leave_out, next_visit=next_visit)
    reach = ink_reach(result.pdf, footer=0.7)
    assert all(r >= 0.70 for r in reach[:-1]), [round(r, 2) for r in reach]
    assert result.lone_headings == ()


def test_a_split_safety_box_repeats_its_heading() -> None:
    """A safety box split to fill a page keeps its heading with its first lines, and its
    second part is headed by the same heading and "(continued)"."""
    from pypdf import PdfReader

    result = large(("cat-cow", "side-lying-hip-flexor", "side-lying-stretch",
                    "chair-hip-flexor"), (), "a4", "en")
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(result.pdf)).pages]
    heading = "Call 911 right away if you have"
    first = next(n for n, text in enumerate(pages) if heading in text)
    assert "numbness between your legs" in pages[first]
    assert f"{heading} (continued)" in pages[first + 1]
