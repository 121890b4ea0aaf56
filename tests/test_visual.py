"""A few low-resolution visual snapshots, compared with tolerance, for what text cannot show.

On a mismatch the actual image and a diff are written next to the expected one. Regenerate
only on purpose: ``pytest tests/test_visual.py --update-snapshots``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from conftest import build_pdf
from pdf_checks import render_gray

SNAPSHOTS = Path(__file__).parent / "snapshots"
DPI = 30
MAX_MEAN_DIFF = 2.0     # mean absolute gray difference, 0–255
MAX_CHANGED = 0.02      # share of pixels differing by more than 64 levels

CASES = {
    "sample-page1": ({}, 0),
    "cards-page": ({"name": "Jane Doe", "stretches": ("lunge", "bridge")}, 2),
    "large-print-page1": ({"name": "Jane Doe", "stretches": ("bridge",), "large_print": True},
                          0),
    "grayscale-page1": ({"grayscale": True}, 0),
    "sheet-page1": ({"name": "Jane Doe", "layout": "sheet",
                     "stretches": ("kneeling-hip-flexor", "bed-edge-hang", "bridge", "lunge")}, 0),
    "sheet-page2": ({"name": "Jane Doe", "layout": "sheet",
                     "stretches": ("kneeling-hip-flexor", "bed-edge-hang", "bridge", "lunge")}, 1),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_snapshot(case: str, request: pytest.FixtureRequest) -> None:
    """The page still looks like the reviewed snapshot (layout, pictures, colour blocks)."""
    kwargs, page = CASES[case]
    actual = render_gray(build_pdf(**kwargs), page, DPI)  # type: ignore[arg-type]
    expected_path = SNAPSHOTS / f"{case}.png"
    if request.config.getoption("--update-snapshots") or not expected_path.exists():
        if not request.config.getoption("--update-snapshots"):
            pytest.fail(f"no snapshot {expected_path.name}; run with --update-snapshots")
        actual.save(expected_path, optimize=True)
        return
    expected = Image.open(expected_path).convert("L")
    assert actual.size == expected.size, "page size changed"
    diff = ImageChops.difference(actual, expected)
    mean = ImageStat.Stat(diff).mean[0]
    changed = sum(diff.point(lambda v: 255 if v > 64 else 0).histogram()[255:]) / (
        actual.size[0] * actual.size[1])
    if mean > MAX_MEAN_DIFF or changed > MAX_CHANGED:
        actual.save(SNAPSHOTS / f"{case}.actual.png")
        diff.point(lambda v: min(255, v * 4)).save(SNAPSHOTS / f"{case}.diff.png")
    assert mean <= MAX_MEAN_DIFF and changed <= MAX_CHANGED, (mean, changed)


def test_pictures_are_drawn_not_blank() -> None:
    """Grayscale page 1 has ink in the anatomy picture area (not an empty box)."""
    image = render_gray(build_pdf(name="A B", stretches=("bridge",)), 0, DPI)
    width, height = image.size
    region = image.crop((int(width * 0.6), int(height * 0.35), int(width * 0.95),
                         int(height * 0.8)))
    dark = sum(region.point(lambda v: 255 if v < 200 else 0).histogram()[255:])
    assert dark / (region.size[0] * region.size[1]) > 0.05
