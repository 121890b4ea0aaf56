"""The one-sheet layout: exactly two pages for one to four shipped stretches on Letter and A4
(the longest cards included), checks that pass on it, the one-line errors for too many
stretches, large print, and a workshop's print file of sheets."""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CLINIC_TOML, DAY, write
from handouts.build import load_request, plan_handout, render_handout
from handouts.cli import main
from handouts.content import load_library
from handouts.errors import HandoutError
from handouts.models import Options
from handouts.quality import check_rendered
from handouts.renderer import Renderer
from pdf_checks import all_text, font_sizes, outline_titles, page_texts

RENDERER = Renderer()
LIBRARY = load_library(None)
NOTE = "Your left hip felt tight today. Go gently on that side."


def _length(sid: str) -> int:
    stretch = LIBRARY[sid]
    return len(stretch.start) + sum(map(len, stretch.steps)) + sum(map(len, stretch.cautions)) \
        + 40 * len(stretch.steps) + len(", ".join(stretch.needs))


# The four stretches whose cards carry the most text (steps, cautions, what they need).
LONGEST = tuple(sorted(LIBRARY, key=_length, reverse=True)[:4])
SETS = [
    ("leg-lowering",),
    ("bed-edge-hang", "supine-towel-release"),
    ("kneeling-hip-flexor", "bed-edge-hang", "bridge"),
    LONGEST[:3],
    ("kneeling-hip-flexor", "bed-edge-hang", "bridge", "lunge"),
    ("cat-cow", "butterfly", "ball-release", "kneeling-hip-flexor"),
    LONGEST,
]


@functools.cache
def sheet(stretches: tuple[str, ...], paper: str = "letter", large_print: bool = False):  # type: ignore[no-untyped-def]
    """A sheet for the sample clinic with a note, rendered once per arguments."""
    clinic, client, library = load_request(None, None, "Ana Silva", stretches, NOTE)
    plan = plan_handout(clinic, client, library, Options(
        date=DAY, layout="sheet", paper=paper, large_print=large_print))
    return render_handout(plan, RENDERER)


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("stretches", SETS, ids=lambda s: "+".join(s))
def test_one_to_four_stretches_are_exactly_two_pages(stretches: tuple[str, ...],
                                                     paper: str) -> None:
    """One to four shipped stretches (the longest cards too) print on exactly two pages, every
    card whole on them, and check's layout items pass: page 1 at least 70% full, no lone
    heading, each picture at least 40% of its card, no text under 12 pt, 4 cards a side."""
    result = sheet(stretches, paper)
    assert result.pages == 2
    placed = dict(result.placed)
    assert all(placed[sid] == 2 for sid in stretches)  # the cards' side
    texts = page_texts(result.pdf)
    for sid in stretches:  # each card printed whole: its last step and its dose
        assert LIBRARY[sid].steps[-1].split()[-1] in texts[1]
    report = {c["id"]: c for c in check_rendered(result).checks}
    layout_items = [c for cid, c in report.items()
                    if cid.split(":")[0] in ("page_fill", "lone_headings", "picture_share",
                                             "smallest_font", "cards_per_page")]
    assert len([c for c in layout_items if c["id"].startswith("picture_share")]) == \
        len(stretches)
    assert all(c["status"] == "pass" for c in layout_items), layout_items
    assert min(size for size, _ in font_sizes(result.pdf)) >= 12


def test_the_longest_cards_are_the_ones_with_the_most_text() -> None:
    """The "longest" set is measured from the shipped stretches (it includes the stretch
    with five steps and the one with the longest cautions)."""
    most_steps = max(LIBRARY, key=lambda s: len(LIBRARY[s].steps))
    most_cautions = max(LIBRARY, key=lambda s: sum(map(len, LIBRARY[s].cautions)))
    assert {most_steps, most_cautions} <= set(LONGEST)


def test_first_side_reads_first_and_second_side_holds_the_cards() -> None:
    """Page 1 holds the note, the key points, the safety boxes (with 911 in them) and the
    contact block; page 2 the stretches, each card with its bookmark; no background section
    is printed."""
    result = sheet(("kneeling-hip-flexor", "bed-edge-hang", "bridge", "lunge"))
    first, second = page_texts(result.pdf)
    for part in ("A note from Sam Rivera:", NOTE, "Key points", "Getting down to the floor",
                 "When to stop and when to get help", "Call 911 right away",
                 "Questions? Call or email us", "Scan to book"):
        assert part in first, part
    assert "Your stretches" in second and "4. Standing lunge stretch" in second
    assert "What is the psoas" not in all_text(result.pdf)
    cards = [title for level, title in outline_titles(result.pdf) if level == 1]
    assert cards == ["1. Kneeling hip flexor stretch", "2. Bed edge leg hang", "3. Bridge",
                     "4. Standing lunge stretch"]  # the cards in rows keep their bookmarks


def test_one_or_two_stretches_keep_their_log() -> None:
    """With room to spare (one or two stretches) the sheet keeps its tick log."""
    for stretches in (("leg-lowering",), ("bridge", "lunge")):
        result = sheet(stretches)
        assert "log" in result.plan.sections and "My week" in page_texts(result.pdf)[1]


def test_five_stretches_are_one_line_suggesting_the_guide(tmp_path: Path) -> None:
    """Five stretches on a sheet: exit 1 with one line that suggests --layout guide."""
    args = ["build", "--client", "Ana Silva", "--layout", "sheet", "--date", "2026-11-22",
            "-o", str(tmp_path / "a.pdf")]
    for sid in LONGEST + ("bridge",):
        args += ["--stretch", sid]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("error: ")
    assert "up to 4 stretches" in line and "--layout guide" in line
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_large_print_with_the_shipped_text_says_no_card_fits(paper: str, language: str
                                                             ) -> None:
    """In large print (18 pt) the shipped key points, safety boxes and contact block with
    one card need more than one sheet: one line says so and suggests the guide, on both
    papers and in both languages, for the one stretch a client may bring (no note)."""
    clinic, client, library = load_request(None, None, "Ana Silva", ("bridge",), None,
                                           language)
    plan = plan_handout(clinic, client, library, Options(
        date=DAY, layout="sheet", paper=paper, large_print=True, language=language))
    with pytest.raises(HandoutError) as caught:
        render_handout(plan, RENDERER)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("in large print one sheet cannot hold "
                                                       "even one stretch card")
    assert "--layout guide" in message


SHORT_KEY_POINTS = """## Key points

- **Stop** if it hurts.
"""
SHORT_SAFETY = """## When to stop

### Stop if you feel

- sharp pain

### Call {{ clinic.emergency_number }} right away if you have

- chest pain
"""


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_large_print_sheet_says_how_many_fit_and_builds_that_many(clinic_dir: Path,
                                                                  paper: str) -> None:
    """A clinic with short sections and contact details: in large print the sheet holds
    one stretch; more is one line saying so ("holds 1 of these 4"), and that one builds on
    exactly two pages at 18
    pt (its captions and footer at 0.95 of that), the pictures no smaller than at the normal
    size."""
    write(clinic_dir / "clinic.toml", 'name = "Riverside Massage"\nphone = "(555) 010-0123"\n')
    write(clinic_dir / "templates" / "sections" / "key-points.md.j2", SHORT_KEY_POINTS)
    write(clinic_dir / "templates" / "sections" / "safety.md.j2", SHORT_SAFETY)
    chosen = ("bridge", "lunge", "cat-cow", "chair-hip-flexor")
    clinic, client, library = load_request(clinic_dir / "clinic.toml", None, "Ana Silva",
                                           chosen, None)

    def build(stretches: tuple[str, ...]):  # type: ignore[no-untyped-def]
        plan = plan_handout(clinic, client, library, Options(
            date=DAY, layout="sheet", large_print=True, paper=paper))
        from dataclasses import replace
        plan = replace(plan, stretches=tuple(p for p in plan.stretches
                                             if p.stretch.id in stretches))
        return render_handout(plan, RENDERER)

    with pytest.raises(HandoutError) as caught:
        build(chosen)
    message = str(caught.value)
    found = re.fullmatch(r"in large print one sheet holds (\d) of these 4 stretches; "
                         r"choose \1, or use --layout guide\.", message)
    assert found, message
    fits = int(found.group(1))
    assert fits == 1  # one large-print card and the front fill the sheet; two do not
    result = build(chosen[:fits])
    assert result.pages == 2
    sizes = font_sizes(result.pdf)  # body text at 18 pt; captions and footer at 0.95 of it
    assert min(size for size, _ in sizes) >= 0.95 * 18 - 0.05
    assert any(size == 18 and LIBRARY[chosen[0]].steps[0].split()[0] in text
               for size, text in sizes)
    normal = sheet(chosen[:1], paper)
    large_width = _picture_width(result, chosen[0], paper, True)
    assert large_width >= _picture_width(normal, chosen[0], paper, False) - 0.5


def _picture_width(result, sid: str, paper: str, large: bool) -> float:  # type: ignore[no-untyped-def]
    """A card's picture width in points, from its share of the card's inner width."""
    from handouts.fonts import load_fonts
    from handouts.styles import make_theme

    theme = make_theme(load_fonts(None), "#1F5F7A", paper, large, False, result.plan.compact)
    pad = 0.55 * theme.body_size
    share = dict(result.pictures)[sid]
    cards = len(result.plan.stretches)
    card = theme.frame_width if large or cards == 1 else (theme.frame_width
                                                          - 0.8 * theme.body_size) / 2
    return share * (card - 2 * 0.9 * pad)


def test_workshop_print_file_of_four_stretch_sheets_is_two_pages_each(tmp_path: Path) -> None:
    """A workshop in the sheet layout with four stretches: each attendee's file is 2 pages,
    and the print file holds 2 pages per attendee, each starting on a new sheet."""
    from pypdf import PdfReader

    write(tmp_path / "clinic" / "clinic.toml", CLINIC_TOML)
    roster = write(tmp_path / "class.csv", "Name\nAna Silva\nBo Chen\nCy Diaz\n")
    workshop = write(tmp_path / "w.toml", 'title = "Happy hips workshop"\nlayout = "sheet"\n'
                     'stretches = ["kneeling-hip-flexor", "bed-edge-hang", "bridge", '
                     '"lunge"]\n')
    result = CliRunner().invoke(main, [
        "batch", str(roster), "--workshop", str(workshop), "--clinic",
        str(tmp_path / "clinic" / "clinic.toml"), "--out-dir", str(tmp_path / "out"),
        "--jobs", "1", "--date", "2026-12-05"])
    assert result.exit_code == 0, result.stderr
    for name in ("ana-silva", "bo-chen", "cy-diaz"):
        pdf = (tmp_path / "out" / f"{name}-2026-12-05.pdf").read_bytes()
        assert len(PdfReader(tmp_path / "out" / f"{name}-2026-12-05.pdf").pages) == 2
        assert "Happy hips workshop" in all_text(pdf)
    print_file = next((tmp_path / "out").glob("_print-file-*.pdf"))
    reader = PdfReader(print_file)
    starts = [reader.get_destination_page_number(o) for o in reader.outline
              if not isinstance(o, list)]
    assert starts == [0, 2, 4] and len(reader.pages) == 6


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("stretches", [
    ("kneeling-hip-flexor", "bed-edge-hang", "bridge"),
    ("kneeling-hip-flexor", "bed-edge-hang", "bridge", "lunge"),
    ("cat-cow", "butterfly", "ball-release", "kneeling-hip-flexor"),
], ids=lambda s: "+".join(s))
def test_a_full_sheet_keeps_a_compact_log_and_check_passes(stretches: tuple[str, ...],
                                                          paper: str) -> None:
    """Three or four cards leave no room for the full log: the sheet carries the compact
    log (a row of days, a numbered box per stretch per time a day) on its two pages, and
    check has no failure (PEMAT item 23, the tick log, holds)."""
    result = sheet(stretches, paper)
    assert result.pages == 2 and result.plan.log_strip and "log" in result.plan.sections
    back = page_texts(result.pdf)[1]
    assert "My week:" in back and all(day in back for day in ("Sun", "Mon", "Sat"))
    failures = [c for c in check_rendered(result).checks if c["status"] == "fail"]
    assert not failures, failures


@pytest.mark.parametrize("stretches, papers", [
    (("kneeling-hip-flexor", "bed-edge-hang"), ("letter", "a4")),
    (("kneeling-hip-flexor", "bed-edge-hang", "bridge"), ("letter", "a4")),
])
def test_spanish_sheet_has_its_log_and_check_passes(stretches: tuple[str, ...],
                                                    papers: tuple[str, ...]) -> None:
    """A Spanish sheet with two or three stretches keeps a log (Spanish words) on two pages
    and check has no failure."""
    clinic, client, library = load_request(None, None, "Ana Silva", stretches,
                                           "Vaya con calma del lado izquierdo.", "es")
    for paper in papers:
        result = render_handout(plan_handout(clinic, client, library, Options(
            date=DAY, layout="sheet", paper=paper, language="es")), RENDERER)
        assert result.pages == 2 and "log" in result.plan.sections
        assert "Mi semana" in page_texts(result.pdf)[1]
        failures = [c for c in check_rendered(result).checks if c["status"] == "fail"]
        assert not failures, failures


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_sample_client_fits_a_sheet(language: str, paper: str) -> None:
    """The sample client in each language (its note, next visit and card note) prints on
    exactly two pages in the sheet layout, every card on the back."""
    clinic, client, library = load_request(None, None, None, (), None, language)
    result = render_handout(plan_handout(clinic, client, library, Options(
        date=DAY, layout="sheet", paper=paper, language=language)), RENDERER)
    assert result.pages == 2
    assert all(page == 2 for sid, page in result.placed if sid in library)


# The cards that stand tallest at half a sheet's width at 12 pt (measured once with
# sheet.card_row's choices: picture share and caption at their shortest), per language.
TALLEST = {"en": ("bed-edge-hang", "leg-lowering", "supine-towel-release", "ball-release",
                  "kneeling-hip-flexor"),
           "es": ("bridge", "butterfly", "cat-cow", "side-lying-hip-flexor", "lunge")}
LOG_SHAPES = [(language, paper, combo)
              for language, paper in (("en", "letter"), ("es", "a4"))
              for combo in itertools.combinations(TALLEST[language], 4)
              ] + [("en", "a4", TALLEST["en"][:4]), ("es", "letter", TALLEST["es"][:3]),
                   ("es", "letter", TALLEST["es"][2:])]


@pytest.mark.parametrize("language, paper, stretches", LOG_SHAPES,
                         ids=lambda v: "+".join(v) if isinstance(v, tuple) else v)
def test_the_tallest_cards_keep_a_log(language: str, paper: str,
                                              stretches: tuple[str, ...]) -> None:
    """Every four of the five tallest cards (English on Letter, Spanish on A4; the four
    tallest English on A4; three tall Spanish ones on Letter) print on
    exactly two pages with a compact log, under the cards or at the foot of the first side,
    and check passes (PEMAT item 23, the tick log, among its items)."""
    note = NOTE if language == "en" else "Vaya con calma del lado izquierdo."
    clinic, client, library = load_request(None, None, "Ana Silva", stretches, note, language)
    result = render_handout(plan_handout(clinic, client, library, Options(
        date=DAY, layout="sheet", paper=paper, language=language)), RENDERER)
    assert result.pages == 2 and "log" in result.plan.sections and result.plan.log_strip
    heading = "My week:" if language == "en" else "Mi semana:"
    assert heading in all_text(result.pdf)
    assert all(page == 2 for sid, page in result.placed if sid in stretches)
    report = check_rendered(result)
    assert report.pemat["items"]["23 a tangible tool (tick log)"]
    failures = [c for c in report.checks if c["status"] == "fail"]
    assert not failures, failures  # pictures at 40% or more, no lone heading, page 1 full
    assert min(size for size, _ in font_sizes(result.pdf)) >= 12
