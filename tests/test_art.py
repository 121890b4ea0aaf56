"""Illustrations: every picture loads, keeps its aspect, has ink; overrides and errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from conftest import build_pdf, build_result, write
from handouts.content import load_library
from handouts.errors import InputError
from handouts.fonts import load_fonts
from handouts.renderer import Renderer
from handouts.resources import BUILTIN_IMAGES, image_path
from pdf_checks import all_text, fonts, page_texts, render_gray

ALL = ("lunge", "kneeling-hip-flexor", "butterfly", "bed-edge-hang", "supine-towel-release",
       "side-lying-stretch", "seated-stretch", "ball-release", "bridge", "cat-cow",
       "leg-lowering")
# Pictures for the hip flexor stretches added in issue 10 (their cards use new keys).
NEW = ("standing-hip-flexor", "side-lying-hip-flexor", "chair-hip-flexor")


def _ink(path: Path, width: float = 166) -> tuple[float, float, float]:
    """Draw one picture alone on a page; return (width, height, share of inked pixels)."""
    flowable = Renderer().picture(path, load_fonts(), width)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(flowable.width, flowable.height))
    flowable.drawOn(canvas, 0, 0)
    canvas.save()
    image = render_gray(buffer.getvalue(), 0, 72)
    inked = sum(image.point(lambda v: 255 if v < 235 else 0).histogram()[255:])
    return flowable.width, flowable.height, inked / (image.size[0] * image.size[1])


@pytest.mark.parametrize("name", ("anatomy",) + ALL + NEW)
def test_every_picture_loads_keeps_aspect_and_has_ink(name: str) -> None:
    """Each built-in picture loads, keeps its aspect ratio, and is neither blank nor a blob."""
    path = BUILTIN_IMAGES / f"{name}.svg"
    width, height, ink = _ink(path)
    if name == "anatomy":
        assert height / width == pytest.approx(380 / 330, rel=0.01)
    else:
        assert height / width == pytest.approx(300 / 400, rel=0.01)
    assert 0.08 < ink < 0.6, ink


def test_every_stretch_names_its_picture() -> None:
    """Every built-in stretch definition has a picture and a caption."""
    for stretch in load_library(None).values():
        assert stretch.image == stretch.id and stretch.caption


def test_every_card_shows_its_picture_and_the_anatomy_appears() -> None:
    """All eleven cards in one handout: each card's picture is drawn (form or vector ops)."""
    result = build_result(name="Jane Doe", stretches=ALL)
    text = all_text(result.pdf)
    for number, stretch in enumerate(result.plan.stretches, start=1):
        assert f"{number}. {stretch.stretch.title}" in text
        assert stretch.stretch.caption in text
    assert "Your psoas runs from your lower spine" in text
    for label in ("lower spine", "pelvis", "thigh bone"):  # the anatomy picture's labels
        assert label in text


def test_five_cards_with_pictures_stay_small() -> None:
    """A handout with five pictured cards stays under 150 KB, fonts all embedded."""
    pdf = build_pdf(name="Jane Doe", stretches=ALL[:5])
    assert len(pdf) < 150 * 1024
    assert all(f.embedded for f in fonts(pdf))


def test_clinic_picture_overrides_by_name(clinic_dir: Path) -> None:
    """A clinic's PNG with a stretch's name replaces the built-in drawing."""
    Image.new("RGB", (700, 525), "#1B5E20").save(clinic_dir / "images" / "bridge.png")
    assert image_path(clinic_dir).find_image("bridge") == clinic_dir / "images" / "bridge.png"
    pdf = build_pdf(clinic_dir, name="Jane Doe", stretches=("bridge",))
    # the dark green photo prints as a dark block on the card's page
    card = next(i for i, t in enumerate(page_texts(pdf)) if "1. Bridge" in t)
    gray = render_gray(pdf, card, 30)
    dark = sum(gray.point(lambda v: 255 if v < 90 else 0).histogram()[255:])
    assert dark > 1500


def test_low_resolution_raster_warns(clinic_dir: Path) -> None:
    """Raster art under 200 ppi at its printed size gets a warning naming the file."""
    Image.new("RGB", (120, 90), "#884400").save(clinic_dir / "images" / "lunge.jpg")
    result = build_result(clinic_dir, name="Jane Doe", stretches=("lunge",))
    assert any("lunge.jpg: only" in w for w in result.warnings)


@pytest.mark.parametrize("content, suffix", [("<svg><g>", ".svg"), ("not an image", ".png"),
                                             ("<html></html>", ".svg")])
def test_broken_picture_is_a_clear_error(clinic_dir: Path, content: str, suffix: str) -> None:
    """A broken SVG or image is an error naming the file, raised before anything is written."""
    write(clinic_dir / "images" / f"bridge{suffix}", content)
    with pytest.raises(InputError, match=rf"bridge{suffix}: "):
        build_pdf(clinic_dir, name="Jane Doe", stretches=("bridge",))


def test_svg_labels_use_the_embedded_font(clinic_dir: Path) -> None:
    """Text inside a clinic's SVG prints in the embedded house face, never Helvetica."""
    write(clinic_dir / "images" / "anatomy.svg",
          '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="380" '
          'viewBox="0 0 320 380"><rect x="10" y="10" width="300" height="360" fill="#ccc"/>'
          '<text x="20" y="50" font-family="Arial" font-size="24">Psoas label</text></svg>')
    pdf = build_pdf(clinic_dir, name="Jane Doe", stretches=("bridge",))
    assert "Psoas label" in all_text(pdf)
    assert not any("Helvetica" in f.name or "Arial" in f.name for f in fonts(pdf))


def test_generator_reproduces_images_exactly(tmp_path: Path) -> None:
    """tools/art/make_images.py regenerates images/ byte for byte, no joint out of range."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    before = {p.name: p.read_bytes() for p in (root / "images").glob("*.svg")}
    result = subprocess.run([sys.executable, "tools/art/make_images.py"], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "joint limit" not in result.stderr, result.stderr
    after = {p.name: p.read_bytes() for p in (root / "images").glob("*.svg")}
    assert after == before


def test_same_raster_is_embedded_once(clinic_dir: Path) -> None:
    """One PNG used by two cards is stored once in the PDF."""
    from pdf_checks import reader

    Image.effect_noise((700, 525), 40).convert("RGB").save(clinic_dir / "images" / "same.png")
    for sid in ("lunge", "bridge"):
        (clinic_dir / "images" / f"{sid}.png").write_bytes(
            (clinic_dir / "images" / "same.png").read_bytes())
    pdf = build_pdf(clinic_dir, name="Jane Doe", stretches=("lunge", "bridge"))
    images = set()
    for page in reader(pdf).pages:
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            if xobject.get_object().get("/Subtype") == "/Image":
                images.add(xobject.idnum)
    assert len(images) == 1


def _figures(path: Path) -> list[tuple[float, float]]:
    """The body figures in a picture as (width, height) shares of the picture's box.

    A figure is a connected patch of body outline (the darkest ink; props, mats and the
    accent are lighter), thickened a little so that a limb drawn over the trunk joins it."""
    from PIL import ImageFilter

    flowable = Renderer().picture(path, load_fonts(), 400)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(flowable.width, flowable.height))
    flowable.drawOn(canvas, 0, 0)
    canvas.save()
    image = render_gray(buffer.getvalue(), 0, 72).filter(ImageFilter.MinFilter(5))
    width, height = image.size
    dark = image.point(lambda v: 1 if v < 90 else 0).load()
    seen: set[tuple[int, int]] = set()
    out = []
    for start in ((x, y) for y in range(height) for x in range(width)):
        if start in seen or not dark[start]:
            continue
        stack, xs, ys = [start], [], []
        seen.add(start)
        while stack:
            x, y = stack.pop()
            xs.append(x)
            ys.append(y)
            for n in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if 0 <= n[0] < width and 0 <= n[1] < height and n not in seen and dark[n]:
                    seen.add(n)
                    stack.append(n)
        if len(xs) > 0.01 * width * height:
            out.append(((max(xs) - min(xs)) / width, (max(ys) - min(ys)) / height))
    return out


def test_bridge_shows_both_positions_large() -> None:
    """The bridge draws its start and end positions, each figure large in the box."""
    figures = _figures(BUILTIN_IMAGES / "bridge.svg")
    assert len(figures) == 2, figures
    for width, height in figures:
        assert width > 0.6 and height > 0.3, figures


@pytest.mark.parametrize("language", sorted(p.name for p in (Path(__file__).parent.parent
                                                            / "templates" / "lang").iterdir()))
def test_anatomy_labels_stay_clear_of_the_drawing_in_every_language(language: str) -> None:
    """Each anatomy label, in each language, stays inside the picture and a longer word grows
    away from the bones, never toward them (the Spanish "fémur" touched the thigh bone)."""
    import re

    import tomllib
    from reportlab.pdfbase.pdfmetrics import stringWidth

    root = Path(__file__).parent.parent
    svg = (root / "images" / "anatomy.svg").read_text(encoding="utf-8")
    words = tomllib.loads((root / "templates" / "lang" / language / "strings.toml")
                          .read_text(encoding="utf-8"))["anatomy"]["labels"]
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))  # type: ignore[union-attr]
    ends = [tuple(map(float, m.groups())) for m in
            re.finditer(r'<path d="M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)"', svg)]
    font = load_fonts().regular
    labels = re.finditer(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*font-size="([\d.]+)"[^>]*'
                         r'text-anchor="(start|end)">([^<]+)</text>', svg)
    checked = 0
    for match in labels:
        x, y, size = (float(v) for v in match.groups()[:3])
        anchor, drawn = match.group(4), match.group(5)
        printed = words[drawn]
        if not printed:
            continue
        extent = stringWidth(printed, font, size)
        left, right = (x, x + extent) if anchor == "start" else (x - extent, x)
        assert 0 <= left and right <= width, (language, printed, left, right)
        english = stringWidth(drawn, font, size)  # the drawing's own word, placed by eye
        if x > width / 2:  # a right label never grows toward the bones
            assert left >= (x if anchor == "start" else x - english) - 0.5, (language, printed)
        else:  # a left label ends well before the drawing end of its leader
            x2 = min(ends, key=lambda e: (e[0] - x) ** 2 + (e[1] - y) ** 2)[2]
            assert right <= x2 - 8, (language, printed, right, x2)
        checked += 1
    assert checked >= 4
