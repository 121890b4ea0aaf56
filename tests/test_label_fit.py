"""Large print sets the anatomy drawing's labels at 18 pt: clear of the bones, the leaders
still beside them, the guide no longer, and `check` quiet for the shipped drawing."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageFilter
from pypdf import PdfReader

from conftest import build_result, write
from handouts import diskcache, labelfit
from handouts.art import load_picture, load_svg, relabelled
from handouts.build import anatomy_labels
from handouts.fonts import load_fonts
from handouts.language import load_language
from handouts.quality import Report, pdf_checks
from handouts.resources import BUILTIN_IMAGES

ANATOMY = BUILTIN_IMAGES / "anatomy.svg"
LABEL_WORDS = {"en": ("lower", "spine", "psoas", "pelvis", "thigh", "bone"),
               "es": ("columna", "baja", "psoas", "pelvis", "fémur")}


def label_sizes(pdf: bytes, words: tuple[str, ...]) -> list[float]:
    """The printed size (pt) of each anatomy label in ``pdf``, read with pypdf."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip() in words:
            sizes.append(size * (abs(tm[3] * cm[3] + tm[2] * cm[1]) or abs(tm[0] * cm[0])))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_large_print_anatomy_labels_print_at_18_pt(paper: str, language: str) -> None:
    """In the large-print sample every anatomy label prints at 18 pt or more, the guide stays
    within 8 pages and `check` gives no picture_text warning."""
    result = build_result(None, None, "Ana Silva", (), large_print=True, paper=paper,
                          language=language)
    sizes = label_sizes(result.pdf, LABEL_WORDS[language])
    assert len(sizes) == len(LABEL_WORDS[language])
    assert min(sizes) >= 18.0, sizes
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) <= 8
    report = Report("x")
    pdf_checks(result.pdf, report)
    assert "picture_text" not in {c["id"] for c in report.checks}


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_13_pt_anatomy_labels_keep_their_size(paper: str) -> None:
    """At 13 pt the drawing is printed as drawn: its labels keep the size they had."""
    result = build_result(None, None, "Ana Silva", (), paper=paper)
    sizes = label_sizes(result.pdf, LABEL_WORDS["en"])
    assert len(sizes) == 6 and max(sizes) - min(sizes) < 0.01
    assert sizes[0] == pytest.approx({"letter": 13.98, "a4": 13.54}[paper], abs=0.02)


def _split(drawing: Any) -> tuple[Any, Any]:
    """Two copies of ``drawing``: its shapes without the labels, and the labels alone."""
    from reportlab.graphics.shapes import Group, String

    def keep(node: Any, text: bool) -> None:
        if isinstance(node, Group):
            node.contents = [c for c in node.contents
                             if isinstance(c, Group) or isinstance(c, String) == text]
            for child in node.contents:
                keep(child, text)

    shapes, labels = copy.deepcopy(drawing), copy.deepcopy(drawing)
    keep(shapes, False)
    keep(labels, True)
    return shapes, labels


def _ink(drawing: Any, scale: float = 3.0) -> Image.Image:
    """``drawing`` rendered (through a real PDF) as a mask: white where anything is drawn."""
    from reportlab.graphics import renderPDF

    pdf = pdfium.PdfDocument(renderPDF.drawToString(drawing))
    try:
        page = pdf[0]
        image = page.render(scale=scale).to_pil().convert("L")
        page.close()
    finally:
        pdf.close()
    return image.point(lambda v: 255 if v < 200 else 0)


def _fitted(language: str, width: float) -> tuple[Any, Any]:
    """The shipped drawing in ``language``, as drawn and fitted for 18 pt at ``width``."""
    fonts = load_fonts()
    loaded = relabelled(load_picture(ANATOMY, fonts),
                        dict(anatomy_labels(load_language(language))))
    return loaded[0], labelfit.fit_labels(loaded, (18.0, width, 3.6 * 72))[0]


@pytest.mark.parametrize("width", [216.0, 209.3])  # the large-print picture: Letter, A4
@pytest.mark.parametrize("language", ["en", "es"])
def test_fitted_labels_stay_clear_of_the_drawing(language: str, width: float) -> None:
    """Set for 18 pt, no label touches a bone, the muscle or a leader line (rendered: a
    label's ink, widened by a small gap, meets none of the drawing's ink), and each label
    keeps the edge its leader starts beside: it grew away from the figure."""
    drawn, fitted = _fitted(language, width)
    shapes, labels = _split(fitted)
    near = _ink(labels).filter(ImageFilter.MaxFilter(11))  # 5 px: about 2 pt of gap
    touching = ImageChops.multiply(near, _ink(shapes)).getbbox()
    assert touching is None, (language, width, touching)
    # each label's edge toward the figure is where it was, the figure moved by the box's growth
    moved = tuple(fitted.contents[0].transform)
    shift = moved[4] if moved[:4] == (1, 0, 0, 1) else 0.0
    middle = float(drawn.width) / 2
    before = [labelfit._span(labelfit._node(drawn, w), m) for w, _, _, m in
              labelfit._labels(drawn)]
    after = [labelfit._span(labelfit._node(fitted, w), m) for w, _, _, m in
             labelfit._labels(fitted)]
    for old, new in zip(before, after, strict=True):
        assert new[1] - new[0] > old[1] - old[0]  # larger
        if (old[0] + old[1]) / 2 < middle:  # left of the figure: never further right
            assert new[1] - shift <= old[1] + 0.01
        else:
            assert new[0] - shift >= old[0] - 0.01


def _clinic_anatomy(size: float) -> str:
    """A clinic's own anatomy drawing: two shapes and two labels at ``size``."""
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="330" height="380" '
            'viewBox="0 0 330 380"><rect x="120" y="20" width="90" height="340" fill="#ccc"/>'
            '<path d="M90 60L130 70" stroke="#333" stroke-width="2"/>'
            '<path d="M240 200L200 210" stroke="#333" stroke-width="2"/>'
            f'<text x="85" y="60" font-size="{size}" text-anchor="end">psoas</text>'
            f'<text x="245" y="200" font-size="{size}">pelvis</text></svg>')


def test_a_clinic_anatomy_picture_gets_18_pt_labels(clinic_dir: Path) -> None:
    """A clinic's own labelled anatomy drawing is set the same way: its labels print at
    18 pt in large print and `check` does not warn."""
    write(clinic_dir / "images" / "anatomy.svg", _clinic_anatomy(22))
    result = build_result(clinic_dir, None, "Jane Doe", ("bridge",), large_print=True)
    sizes = label_sizes(result.pdf, ("psoas", "pelvis"))
    assert len(sizes) == 2 and min(sizes) >= 18.0, sizes
    report = Report("x")
    pdf_checks(result.pdf, report)
    assert "picture_text" not in {c["id"] for c in report.checks}


def test_a_clinic_picture_with_tiny_labels_still_warns(clinic_dir: Path) -> None:
    """Labels too small to reach 18 pt even doubled stay small (the drawing is not shrunk to
    a stamp), and `check` warns picture_text, naming the anatomy drawing."""
    write(clinic_dir / "images" / "anatomy.svg", _clinic_anatomy(5))
    result = build_result(clinic_dir, None, "Jane Doe", ("bridge",), large_print=True)
    report = Report("x")
    pdf_checks(result.pdf, report)
    warned = {c["id"]: c for c in report.checks}["picture_text"]
    assert warned["status"] == "warn" and warned["value"] < 18
    assert "anatomy drawing" in warned["detail"]


def test_the_disk_cache_keeps_each_label_size_apart(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk cache's key holds the label fit: a large-print recording is never served
    for 13 pt nor the other way round, and each reads back the same as it was made."""
    monkeypatch.setenv(diskcache.ENV, str(tmp_path / "cache"))
    fonts = load_fonts()
    fit = (18.0, 216.0, 3.6 * 72)
    made = [load_svg(ANATOMY, fonts), load_svg(ANATOMY, fonts, fit=fit)]
    assert any((tmp_path / "cache").iterdir())
    again = [load_svg(ANATOMY, fonts), load_svg(ANATOMY, fonts, fit=fit)]
    drawn, large = ({size for _, size, _ in v[0].strings} for v in made)
    assert drawn == {22.0} and min(large) > 22.0
    for first, second in zip(made, again, strict=True):
        assert first[1] == second[1] and first[0].steps == second[0].steps


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_figure_keeps_its_printed_size(language: str) -> None:
    """Set for 18 pt labels, the drawing prints at the scale it had (the bones no smaller),
    only as much wider as its labels need and barely taller."""
    from handouts.renderer import Renderer

    renderer, fonts = Renderer(), load_fonts()
    labels = anatomy_labels(load_language(language))
    drawn = renderer.picture(ANATOMY, fonts, 216.0, 3.6 * 72, labels=labels)
    large = renderer.picture(ANATOMY, fonts, 216.0, 3.6 * 72, labels=labels, label_size=18.0)
    assert large.scale == pytest.approx(drawn.scale)
    assert drawn.width < large.width < drawn.width + 30
    assert drawn.height <= large.height < drawn.height + 12
