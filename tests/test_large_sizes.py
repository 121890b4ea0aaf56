"""Large print at 18 pt or more: captions, the header band's who-and-when, the running header,
the footer and "Scan to book" at the body size; the footer never cuts a long clinic name;
`check` measures large print against 18 pt and names the drawing's labels apart."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_layouts import RENDERER

from conftest import DAY, build_result
from handouts.build import load_request, plan_handout, render_handout
from handouts.models import Options
from handouts.quality import Report, pdf_checks

LABELS = {"lower", "spine", "psoas", "pelvis", "thigh", "bone",  # the anatomy drawing's
          "baja", "columna", "fémur"}


def sizes(pdf: bytes) -> list[tuple[int, float, str]]:
    """Every text run of ``pdf``: its page (from 1), printed size and text."""
    runs: list[tuple[int, float, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        def visit(text, cm, tm, font, size, number=number):  # type: ignore[no-untyped-def]
            if text.strip():
                printed = size * (abs(tm[3] * cm[3] + tm[2] * cm[1]) or abs(tm[0] * cm[0]))
                runs.append((number, round(printed, 1), text.strip()))
        page.extract_text(visitor_text=visit)
    return runs


def sample(language: str, paper: str, large_print: bool = True):  # type: ignore[no-untyped-def]
    """The shipped sample handout (its own sample client) in ``language``."""
    clinic, client, library = load_request(None, None, None, (), None, language)
    plan = plan_handout(clinic, client, library, Options(
        date=DAY, paper=paper, language=language, large_print=large_print))
    return render_handout(plan, RENDERER)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_everything_the_reader_reads_in_large_print_is_18_pt(paper: str,
                                                            language: str) -> None:
    """In the large-print sample every text run but the anatomy drawing's labels is 18 pt
    or more: captions, the header's who-and-when, the running header, the footer and
    "Scan to book" included; the sample stays at 8 pages or fewer."""
    result = sample(language, paper)
    runs = sizes(result.pdf)
    small = [(page, size, text) for page, size, text in runs
             if size < 17.95 and text not in LABELS]
    assert small == []
    printed = {text: size for _, size, text in runs}
    for text in ("Page 2 of", "Página 2 de", "For A.S.", "Para A.S.", "Scan to book",
                 "Pida su cita"):
        for run, size in printed.items():
            if run.startswith(text):
                assert size == 18.0, run
    assert result.pages <= 8


def test_normal_print_keeps_its_small_text_at_12_pt() -> None:
    """At 13 pt the captions and footer stay at the 12 pt minimum (only large print grows
    them)."""
    result = sample("en", "letter", large_print=False)
    assert min(size for _, size, _ in sizes(result.pdf)) == pytest.approx(12.35, abs=0.1)


def long_clinic(tmp_path: Path) -> Path:
    """A clinic whose name (80 characters) is wider than a large-print line."""
    folder = tmp_path / "clinic"
    folder.mkdir()
    name = "Willow Creek Integrative Massage Therapy & Bodywork Studio of Springfield East"
    assert len(name) <= 80
    (folder / "clinic.toml").write_text(
        f'name = "{name}"\nphone = "(555) 123-4567"\nemail = "hello@example.com"\n'
        'address = "1 Main St"\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_footer_never_cuts_a_long_clinic_name(tmp_path: Path, paper: str) -> None:
    """A clinic name wider than the page prints whole in the footer of every page, broken
    between words over two lines above "For J.D." and "Page X of Y", the phone whole; the
    body ends above the footer's rule."""
    folder = long_clinic(tmp_path)
    result = build_result(folder, None, "Ana Silva", ("bridge", "lunge"), large_print=True,
                          paper=paper)
    name = "Willow Creek Integrative Massage Therapy & Bodywork Studio of Springfield East"
    for page in PdfReader(io.BytesIO(result.pdf)).pages:
        text = " ".join(page.extract_text().split())
        assert "…" not in text
        assert name in text and "(555) 123-4567" in text
    from handouts.fonts import load_fonts
    from handouts.renderer import Decoration
    from handouts.styles import make_theme

    plan = result.plan
    theme = make_theme(load_fonts(plan.clinic.fonts), plan.clinic.brand_color, plan.paper,
                       True, False)
    decoration = Decoration(plan, theme)
    assert decoration.lines == 3
    # the frame's foot (over the footer's three lines) lies above the footer's rule
    from handouts.render import frames

    rule = theme.margin + theme.s("footer").fontSize * (1.45 + 1.3 * 2)
    assert frames(theme, decoration.lines)[1]._y1 > rule


def test_a_clinic_name_that_fits_keeps_one_line_with_its_phone(tmp_path: Path) -> None:
    """The sample clinic's name and phone, too wide beside the page number in large print,
    share the line above "For A.S." (two lines in all), as before."""
    result = build_result(None, None, "Ana Silva", ("bridge",), large_print=True)
    text = " ".join(PdfReader(io.BytesIO(result.pdf)).pages[1].extract_text().split())
    assert "Sample Massage Studio · (555) 010-0199" in text


@pytest.mark.parametrize("large_print, target", [(True, ">= 18 pt (large print)"),
                                                 (False, ">= 12 pt")])
def test_check_measures_large_print_against_18_pt(large_print: bool, target: str) -> None:
    """`check` on a PDF reads whether it is large print (most of its text at 18 pt) and
    measures the handout's own text against 18 pt then; the anatomy drawing's labels, set at
    18 pt in large print, give no picture_text warning (a clinic drawing's tiny labels do:
    tests/test_label_fit.py)."""
    result = build_result(None, None, "Ana Silva", ("bridge",), large_print=large_print)
    report = Report("x")
    pdf_checks(result.pdf, report)
    checks = {c["id"]: c for c in report.checks}
    assert checks["smallest_font"]["target"] == target
    assert checks["smallest_font"]["status"] == "pass"
    if large_print:
        assert checks["smallest_font"]["value"] == 18.0
    assert "picture_text" not in checks


def test_check_fails_large_print_text_under_18_pt() -> None:
    """A large-print handout with text under 18 pt (as its captions and footer were, at
    17.1 pt) fails `check`'s smallest_font."""
    result = build_result(None, None, "Ana Silva", ("bridge",), large_print=False)
    report = Report("x")
    pdf_checks(result.pdf, report, large_print=True)
    checks = {c["id"]: c for c in report.checks}
    assert checks["smallest_font"]["status"] == "fail"


def test_a_long_date_in_the_header_breaks_after_its_label() -> None:
    """In the header band a date too long for its line (Spanish, large print, A4) moves
    whole under its label, never leaving the year alone on a line."""
    from handouts.language import plan_language

    clinic, client, library = load_request(None, None, "Ana Silva", ("bridge",), None, "es")
    plan = plan_handout(clinic, client, library, Options(
        date=DAY, paper="a4", language="es", large_print=True))
    date = plan_language(plan).long_date(plan.date, False)
    runs = [text for page, _, text in sizes(render_handout(plan, RENDERER).pdf) if page == 1]
    assert date in runs, runs[:12]
