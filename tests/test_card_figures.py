"""The guide's stretch cards draw their pictures cut to the figure: the figure printed (not its
box) is at least 40% of the card's inner width at 13 pt and in large print, never smaller in
large print, check reports that figure, and the cut loses nothing of a drawing's figure (both
positions of a two-position drawing print)."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from test_layouts import LIBRARY, RENDERER, composed, render

from handouts.art import Picture
from handouts.cards import PICTURE_SHARE  # noqa
from handouts.figure import PIXELS, Cropped, drawn_size, extent, natural_size, share
from handouts.panel import Beside, Panel
from handouts.resources import image_path

IDS = sorted(LIBRARY)
# every shipped stretch, in guides of at most five
GROUPS = [tuple(IDS[i:i + 5]) for i in range(0, len(IDS), 5)]


def _figures(result) -> dict[str, tuple[object, float]]:  # type: ignore[no-untyped-def]
    """Each card's picture flowable and the card's inner width, from the story composed
    again (the large-print placements' usual variant)."""
    found: dict[str, tuple[object, float]] = {}

    def visit(flowable, inner: float = 0.0) -> None:  # type: ignore[no-untyped-def]
        if isinstance(flowable, (Picture, Cropped)) and inner:
            found.setdefault(current[0], (flowable, inner))
            return
        if isinstance(flowable, Panel) and hasattr(flowable, "stretch_id"):
            current[0] = flowable.stretch_id
            left, right = flowable.padding[:2]
            inner = flowable.width - left - right
        if isinstance(flowable, Beside):
            for column in flowable.columns:
                for part in column:
                    visit(part, inner)
        for name in ("content", "_content", "normal"):  # a panel, KeepTogether, Tighter
            if name == "content" and hasattr(flowable, "base"):
                visit(flowable.base, inner)  # a 13 pt card that may grow: its usual form
            for part in getattr(flowable, name, ()) or ():
                visit(part, inner)
        if hasattr(flowable, "variant"):  # a large-print placement
            visit(flowable.variant(0), inner)

    current = [""]
    for flowable in composed(result.plan).story:
        visit(flowable)
    return found


@pytest.mark.parametrize("stretches", GROUPS, ids=lambda g: g[0])
def test_every_guide_figure_is_at_least_40_percent_and_check_reports_it(stretches) -> None:  # type: ignore[no-untyped-def]
    """Each shipped stretch's card, 13 pt and large print: the figure drawn is at least 40% of
    the card's inner width (figure.share), check reports that figure (not its box; a card
    that grew to fill its page, a larger one), and in large print the figure prints no
    smaller than at 13 pt."""
    sizes = {}
    for large in (False, True):
        result = render(stretches, large_print=large, note="")
        figures = _figures(result)
        reported = dict(result.pictures)
        assert set(figures) == set(stretches)
        for sid, (picture, inner) in figures.items():
            figure = share(*drawn_size(picture), inner)
            assert figure >= 0.40 - 0.005, (sid, large, figure)
            if sid == stretches[-1]:  # (a card that ends its page may grow: see below)
                assert abs(reported[sid] - figure) < 0.005, (sid, reported[sid], figure)
            assert reported[sid] >= figure - 0.005, (sid, large, reported[sid], figure)
            sizes[sid, large] = drawn_size(picture)
    for sid in stretches:
        normal, large = sizes[sid, False], sizes[sid, True]
        assert large[0] >= normal[0] - 0.1 and large[1] >= normal[1] - 0.1, sid


def _ink_box(pdf: bytes, top: float, bottom: float, left: float, right: float
             ) -> tuple[int, int]:
    """The width and height (points) of the dark ink on page 1 between ``top`` and ``bottom``
    (points from the page's foot) and ``left`` and ``right``, rendered at 72 dpi."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=1).to_pil().convert("L")
        page.close()
    finally:
        document.close()
    height = image.height
    pixels = image.load()
    xs, ys = [], []
    for y in range(int(height - top), int(height - bottom)):
        for x in range(int(left), int(right)):
            if pixels[x, y] < 120:  # (the figure's outline: not its floor line or mat)
                xs.append(x)
                ys.append(y)
    return max(xs) - min(xs) + 1, max(ys) - min(ys) + 1


@pytest.mark.parametrize("sid", ["side-lying-stretch", "standing-hip-flexor", "bridge"])
def test_the_figure_printed_in_the_pdf_is_at_least_40_percent_of_the_card(sid: str) -> None:
    """Read back from the PDF (pypdfium2 at 72 dpi, pypdf text positions): the dark ink of
    the card's drawing (the figure's outline, not the floor line under it), between its
    title and its caption, is at least 40% of the card's inner
    width (a tall figure: its height against a 4:3 box that wide). Drawn in a box 40% wide,
    a lying figure printed 24% wide."""
    result = render((sid,), note="")
    stretch = LIBRARY[sid]
    places: dict[str, tuple[float, float]] = {}

    def seen(text, cm, tm, font, size) -> None:  # type: ignore[no-untyped-def]
        if text.strip():
            places.setdefault(text.strip(), (cm[4] + tm[4], cm[5] + tm[5]))

    PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text(visitor_text=seen)
    title = next(y for text, (_, y) in places.items() if stretch.title in text)
    caption = next((x, y) for text, (x, y) in places.items()
                   if text.startswith(stretch.caption.split()[0]) and y < title)
    figures = _figures(result)
    picture, inner = figures[sid]
    # the picture column: from the caption's left edge to where the text column starts
    left = caption[0] - 1
    right = caption[0] + max(PICTURE_SHARE * inner, picture.width + 7) - 1  # type: ignore[attr-defined]
    wide, tall = _ink_box(result.pdf, title - 6, caption[1] + 12, left, right)
    assert share(wide, tall, inner) >= 0.40 - 0.01, (wide, tall, inner)


def _dark(canvas_draw, size: tuple[float, float], scale: float) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Where what ``canvas_draw`` draws on a page ``size`` is dark, rasterised at ``scale``:
    a figure's outline and its orange accent (the floor line, the mat and the fills are
    lighter)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size)
    canvas_draw(canvas)
    canvas.showPage()
    canvas.save()
    document = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        page = document[0]
        image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
        page.close()
    finally:
        document.close()
    pixels = image.load()
    return [(x, y) for y in range(image.height) for x in range(image.width)
            if pixels[x, y] < 120]


@pytest.mark.parametrize("sid", IDS)
def test_the_cut_keeps_the_whole_figure(sid: str) -> None:
    """A drawing cut to its figure as the guide's card cuts it (no margin above or below,
    widened to its column) keeps all of the figure: rendered at about three times the
    resolution its extent was read at, none of the whole drawing's figure ink (its dark
    outlines and orange accents) lies outside the cut, so both positions of a two-position
    drawing (bridge, cat-cow) print whole."""
    path = image_path(None).find_image(LIBRARY[sid].image)
    assert path is not None
    picture = RENDERER.picture(path, _fonts(), 200.0)
    nat_w, nat_h = natural_size(picture)
    cut = Cropped(picture, 200.0, 150.0, min_width=180.0, margin_y=0.0, margin_x=1 / PIXELS)
    whole = Picture(picture.source, (nat_w, nat_h), nat_w * cut.scale)
    raster = 4.0
    dark = _dark(lambda c: whole.drawOn(c, 0, 0), (whole.width, whole.height), raster)
    assert len(dark) > 1000, sid  # (a figure is there to keep)
    # the cut's box on the whole drawing (its offset), in raster pixels, a pixel's slack
    x0, y0 = cut.offset
    left, right = x0 * raster - 1, (x0 + cut.width) * raster + 1
    top, bottom = (whole.height - y0 - cut.height) * raster - 1, (whole.height - y0) * raster + 1
    outside = [(x, y) for x, y in dark if not (left <= x <= right and top <= y <= bottom)]
    assert not outside, (sid, len(outside), outside[:5])


def _fonts():  # type: ignore[no-untyped-def]
    from handouts.fonts import load_fonts

    return load_fonts(None)


@pytest.mark.parametrize("large", [False, True], ids=["13pt", "large"])
def test_a_clinic_photo_prints_whole_at_the_figure_share(clinic_dir, large: bool) -> None:  # type: ignore[no-untyped-def]
    """A clinic's own photo for a stretch (a light top half, a dark bottom half: every row
    inked across) is not cut: its ink fills its box, the box is at least 40% of the card
    (check reports it), and the photo's light half prints (read back from the PDF)."""
    from PIL import Image

    from conftest import build_result
    from pdf_checks import render_gray

    photo = Image.new("RGB", (700, 525), "#D8E4F0")
    photo.paste(Image.new("RGB", (700, 262), "#1B3A20"), (0, 263))
    photo.save(clinic_dir / "images" / "bridge.png")
    result = build_result(clinic_dir, name="Jane Doe", stretches=("bridge",),
                          large_print=large)
    picture, inner = _figures(result)["bridge"]
    assert extent(picture.whole) == (0.0, 0.0, 1.0, 1.0)  # type: ignore[attr-defined]
    assert dict(result.pictures)["bridge"] >= 0.40 - 0.005
    wide, tall = drawn_size(picture)
    assert abs(wide / tall - 700 / 525) < 0.02  # the whole photo, light half and all
    page = next(p for sid, p in result.placed if sid == "bridge") - 1
    gray = render_gray(result.pdf, page, 30)
    dark = sum(gray.point(lambda v: 255 if v < 90 else 0).histogram()[255:])
    assert dark > 600


@pytest.mark.parametrize("stretches, grows", [
    (("bridge", "lunge", "standing-hip-flexor"), "lunge"),
    (("chair-hip-flexor", "side-lying-hip-flexor", "supine-towel-release"), None)],
    ids=lambda s: s[0] if s else "")
def test_a_13pt_card_that_ends_its_page_fills_it_with_a_larger_figure(stretches, grows) -> None:  # type: ignore[no-untyped-def]
    """13 pt, Letter, a new hip and poor balance (long cautions): a card that ends its page
    (the next card misses the room under it: the lunge on page 2) takes a larger
    figure and fills its page to 70% or more (such pages were 56-61% full), and check
    reports the larger figure; every page but the last is filled (the first card, set a
    little closer, stays on page 1)."""
    from test_layouts import ink_reach

    result = render(stretches, conditions=("hip-replacement-posterior", "poor-balance"))
    reach = ink_reach(result.pdf)
    assert result.pages <= 5
    placed = {sid: page for sid, page in result.placed if sid in stretches}
    assert placed[stretches[0]] == 1, placed
    assert all(r >= 0.70 for r in reach[:-1]), [round(r, 2) for r in reach]
    if grows is not None:
        assert placed[grows] == 2 and placed[stretches[2]] == 3, placed
        assert dict(result.pictures)[grows] > 0.42
