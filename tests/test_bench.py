"""The benchmark's own self-checks: the canvas floor draws the product's handout, and drift is
caught. Fast, and without typst."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from canvas_floor import draw_floor  # noqa: E402
from canvas_parts import break_lines, runs  # noqa: E402
from pdf_contents import Bounds, compare, contents  # noqa: E402

from handouts.build import load_request, plan_handout, render_handout  # noqa: E402
from handouts.fonts import load_fonts  # noqa: E402
from handouts.models import Options  # noqa: E402
from handouts.renderer import Renderer  # noqa: E402

FIVE = ("lunge", "kneeling-hip-flexor", "bridge", "cat-cow", "bed-edge-hang")


@pytest.fixture(scope="module")
def pair() -> tuple[dict[str, object], dict[str, object]]:
    """What the product and the floor draw for a five-stretch handout with pictures."""
    import datetime as _dt

    clinic, client, library = load_request(None, None, "Ana Souza", FIVE, "Go gently, left.")
    plan = plan_handout(clinic, client, library, Options(date=_dt.date(2026, 11, 22)))
    renderer = Renderer()
    return contents(render_handout(plan, renderer).pdf), contents(draw_floor(plan, renderer))


def test_floor_draws_the_products_handout(pair: tuple[dict, dict]) -> None:
    """The floor passes the bench's own check: pages, words, operators, bookmarks, links."""
    product, floor = pair
    assert compare(product, floor) == []
    assert floor["stars"] == 0 and floor["links"] >= 4 and floor["outline"] >= 13


def test_floor_follows_large_print_on_a4() -> None:
    """The floor still matches the product for another shape: large print on A4, no note."""
    import datetime as _dt

    clinic, client, library = load_request(None, None, "Zoë Øvergård", FIVE[:2])
    plan = plan_handout(clinic, client, library, Options(date=_dt.date(2026, 11, 22),
                                                         large_print=True, paper="a4"))
    renderer = Renderer()
    product = contents(render_handout(plan, renderer).pdf)
    assert compare(product, contents(draw_floor(plan, renderer))) == []


def test_floor_follows_the_sample_client_with_a_two_week_log() -> None:
    """The floor matches the sample client (stretch note, twice a day) when the next visit is
    two weeks away (two weeks of tick rows), on A4."""
    import datetime as _dt
    from dataclasses import replace

    from handouts.resources import SAMPLES

    clinic, client, library = load_request(None, SAMPLES / "client.toml")
    client = replace(client, next_visit="2026-12-06")
    plan = plan_handout(clinic, client, library, Options(date=_dt.date(2026, 11, 22),
                                                         paper="a4"))
    renderer = Renderer()
    product = contents(render_handout(plan, renderer).pdf)
    assert compare(product, contents(draw_floor(plan, renderer))) == []


def test_drift_is_caught(pair: tuple[dict, dict]) -> None:
    """A floor that drops words, pages, boxes or prints ``**`` fails the check."""
    product, floor = pair
    ops = {**floor["ops"], "re": 0}  # type: ignore[dict-item]
    worse = {**floor, "pages": floor["pages"] - 2, "words": int(floor["words"] * 0.8),
             "stars": 3, "ops": ops}
    problems = " ".join(compare(product, worse, Bounds()))
    for part in ("pages", "words", "'**'", "operator re"):
        assert part in problems


def test_markdown_bold_is_drawn_bold() -> None:
    """Bold markup becomes runs in the bold face, never literal asterisks or tags."""
    fonts = load_fonts()
    parts = runs("<b>Your main job:</b> do &amp; move<br/>next", fonts)
    assert [(r.text, r.font) for r in parts] == [
        ("Your main job:", fonts.bold), (" do & move", fonts.regular), ("\n", fonts.regular),
        ("next", fonts.regular)]
    lines = break_lines(parts, 13, 1000)
    assert len(lines) == 2 and lines[0][0].font == fonts.bold


def test_operator_count() -> None:
    """Operators are counted in content streams, not inside text strings."""
    buffer = io.BytesIO()
    c = Canvas(buffer, invariant=1)
    c.rect(10, 10, 20, 20, stroke=1, fill=1)
    c.line(0, 0, 5, 5)
    c.drawString(50, 50, "re f S Do BT")
    c.showPage()
    c.save()
    found = contents(buffer.getvalue())
    assert found["pages"] == 1 and found["words"] == 5
    # reportlab opens each page with one BT..ET that sets the initial font; the string adds none
    assert found["ops"]["re"] == 1 and found["ops"]["BT"] == 2 and "Do" not in found["ops"]
    assert found["ops"]["S"] == 1 and found["ops"].get("f", 0) == 0  # the rect is "re B"
