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
    text = all_text(result.pdf)
    assert "My week:" in text and all(day in text for day in ("Sun", "Mon", "Sat"))
    _only_missing_captions_fail(result)


def _only_missing_captions_fail(result) -> None:  # type: ignore[no-untyped-def]
    """check has no failure but the captions a tight sheet left out (each truly missing
    from the PDF, and PEMAT item 17 then unmet); only the rows the sheet let go without
    (the last first) lose them."""
    report = check_rendered(result)
    failures = [c for c in report.checks if c["status"] == "fail"]
    text = " ".join(all_text(result.pdf).split())
    missing = {p.stretch.id for p in result.plan.stretches
               if " ".join(p.stretch.caption.split()) not in text}
    assert {c["id"] for c in failures} <= {f"picture:{sid}" for sid in missing} | (
        {"pemat_precheck"} if missing else set()), failures
    assert {c["id"] for c in failures} >= {f"picture:{sid}" for sid in missing}
    assert report.pemat["items"]["17 pictures captioned"] == (not missing)
    rows = (len(result.plan.stretches) + 1) // 2
    kept = {p.stretch.id for p in result.plan.stretches[:2 * (rows - result.plan.uncaptioned)]}
    assert not missing & kept
    assert bool(missing) == bool(result.plan.uncaptioned)


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
           "es": ("chair-hip-flexor", "standing-hip-flexor", "side-lying-stretch", "cat-cow",
                  "ball-release")}
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
    # pictures at 40% or more, no lone heading, page 1 full; a caption a row had no room for
    # is reported
    _only_missing_captions_fail(result)
    assert min(size for size, _ in font_sizes(result.pdf)) >= 12


def _card_pictures(result):  # type: ignore[no-untyped-def]
    """Each card's picture flowable on a built sheet (its story composed again)."""
    from test_layouts import composed

    from handouts.marks import Figure
    from handouts.panel import Panel, Row

    found = {}

    def visit(flowable) -> None:  # type: ignore[no-untyped-def]
        if isinstance(flowable, Row):
            for part in flowable.parts:
                visit(part)
        elif isinstance(flowable, Panel) and hasattr(flowable, "stretch_id"):
            for part in flowable.content:
                image = getattr(part, "_I", None)  # ImageAndFlowables' picture
                if isinstance(image, Figure):
                    found[flowable.stretch_id] = image.picture
        for inner in getattr(flowable, "_content", ()) or ():
            visit(inner)  # KeepTogether

    for flowable in composed(result.plan).story:
        visit(flowable)
    return found


def test_sheet_drawings_are_measured_on_the_figure_and_print_large() -> None:
    """On a 4-card Letter sheet each card's figure (its ink, the floor line left out) is at
    least 40% of the card by check's measure, check reports that figure (not its box), and
    the standing and kneeling figures print at least 1.15 in tall (they were under 1 in)."""
    from handouts.figure import drawn_size, share

    stretches = ("kneeling-hip-flexor", "bed-edge-hang", "bridge", "standing-hip-flexor")
    result = sheet(stretches)
    pictures = _card_pictures(result)
    assert set(pictures) == set(stretches)
    reported = dict(result.pictures)
    from handouts.fonts import load_fonts
    from handouts.styles import make_theme

    theme = make_theme(load_fonts(None), "#1F5F7A", "letter", False, False, True)
    inner = (theme.frame_width - 0.8 * theme.body_size) / 2 - 2 * 0.9 * 0.55 * theme.body_size
    for sid, picture in pictures.items():
        figure = share(*drawn_size(picture), inner)
        assert figure >= 0.4 - 0.005, (sid, figure)
        assert abs(reported[sid] - figure) < 0.01, (sid, reported[sid], figure)
    for sid in ("standing-hip-flexor", "kneeling-hip-flexor"):
        assert drawn_size(pictures[sid])[1] >= 1.15 * 72, sid


def test_figure_extent_leaves_the_floor_line_out() -> None:
    """The standing figure's extent is the person and chair (under half the box's width),
    not the floor line across it; a box cut to it draws the figure as wide as asked."""
    from handouts.art import Picture
    from handouts.figure import Cropped, drawn_size, extent
    from handouts.fonts import load_fonts
    from handouts.resources import image_path

    path = image_path(None).find_image("standing-hip-flexor")
    source, natural, _ = RENDERER._loaded(path, load_fonts(None), False)
    picture = Picture(source, natural, 300)
    left, bottom, right, top = extent(picture)
    assert right - left < 0.5 and top - bottom > 0.8
    cut = Cropped(picture, 100, 1000)
    assert abs(drawn_size(cut)[0] - 100) < 1 and cut.width < 115
    assert cut.height > 1.3 * cut.width  # a tall figure: its box is tall, not 4:3


@pytest.mark.parametrize("stretches", [("bridge", "lunge"),
                                       ("kneeling-hip-flexor", "bed-edge-hang", "bridge")],
                         ids=lambda s: "+".join(s))
def test_sheet_cards_keep_their_captions_where_rows_have_room(stretches: tuple[str, ...]
                                                              ) -> None:
    """Two- and three-card sheets print every picture's caption (read back from the PDF)
    and PEMAT item 17 passes on them."""
    result = sheet(stretches)
    text = " ".join(all_text(result.pdf).split())
    for sid in stretches:
        assert " ".join(LIBRARY[sid].caption.split()) in text, sid
    assert check_rendered(result).pemat["items"]["17 pictures captioned"]


def test_missing_captions_fail_pemat_item_17() -> None:
    """A sheet whose card prints no caption (the last try for a log) fails PEMAT item 17
    and that card's picture item, as the captions are read from the PDF."""
    from dataclasses import replace

    from handouts.build import _render

    result = sheet(("bridge", "lunge"))
    bare = _render(replace(result.plan, tight=True, uncaptioned=1, grow=0.0), RENDERER)
    text = " ".join(all_text(bare.pdf).split())
    missing = [sid for sid in ("bridge", "lunge") if LIBRARY[sid].caption not in text]
    assert missing  # the taller card of the row went without
    report = check_rendered(bare)
    assert not report.pemat["items"]["17 pictures captioned"]
    status = {c["id"]: c["status"] for c in report.checks}
    assert all(status[f"picture:{sid}"] == ("fail" if sid in missing else "pass")
               for sid in ("bridge", "lunge"))


@pytest.mark.parametrize("language, twice", [("en", "Two boxes mean twice a day."),
                                             ("es", "Dos casillas quieren decir dos veces")])
def test_compact_log_says_what_its_boxes_mean(language: str, twice: str) -> None:
    """Under the compact log, where the two pages have room, one line says the number in a
    box is the card's number and (a stretch done twice a day) that two boxes mean twice a
    day; the sheet stays two pages. Without a twice-a-day stretch the second part is left
    out."""
    clinic, client, library = load_request(None, None, "Ana Silva", (
        "kneeling-hip-flexor", "bed-edge-hang", "bridge"), None, language)
    plan = plan_handout(clinic, client, library, Options(
        date=DAY, layout="sheet", paper="a4", language=language))
    result = render_handout(plan, RENDERER)
    assert result.pages == 2 and result.plan.log_strip
    number = {"en": "The number in each box is the stretch's card number.",
              "es": "El número de cada casilla es el número de la tarjeta."}[language]
    text = " ".join(all_text(result.pdf).split())
    assert number in text and twice in text
    from dataclasses import replace

    once = replace(result.plan, stretches=tuple(
        replace(p, dose=replace(p.dose, per_day=1)) for p in result.plan.stretches))
    from handouts.build import _render

    text = " ".join(all_text(_render(once, RENDERER).pdf).split())
    assert number in text and twice not in text



def test_key_line_is_left_out_where_it_does_not_fit() -> None:
    """The key line never adds a page: drawn where the frame has room, nothing (no height)
    where it has not."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    from handouts.sheet import IfRoom

    line = IfRoom(Paragraph("The number in each box.", getSampleStyleSheet()["Normal"]))
    assert line.wrap(300, 100)[1] > 0 and line.shown
    assert line.wrap(300, 5) == (0.0, 0.0) and not line.shown
    assert line.split(300, 5) == []


def test_sheet_without_room_for_a_log_says_so(tmp_path: Path) -> None:
    """Four Spanish stretches on Letter under a three-line note leave no room for a log:
    the build prints one warning line, in the handout's language, saying so and what to
    do."""
    note = ("Vaya con calma del lado izquierdo y descanse si le duele. " * 3).strip()
    args = ["build", "--client", "Ana Silva", "--layout", "sheet", "--language", "es",
            "--date", "2026-11-22", "--note", note, "-o", str(tmp_path / "a.pdf")]
    for sid in ("kneeling-hip-flexor", "bed-edge-hang", "bridge", "standing-hip-flexor"):
        args += ["--stretch", sid]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "registro" in line]
    assert lines == ["warning: esta hoja no tiene lugar para el registro. Para tenerlo, elija "
                     "menos estiramientos, use --paper a4 o use --layout guide."]


def test_sheet_with_a_log_gives_no_such_warning() -> None:
    """A sheet that keeps its log carries no warning about it."""
    result = sheet(("kneeling-hip-flexor", "bed-edge-hang", "bridge"))
    assert "log" in result.plan.sections and not result.warnings


def test_rows_grow_into_room_left_on_the_back() -> None:
    """Where the back has room left under the cards (four cards on A4, the log on the
    front), the rows grow into it: every picture takes more than the 40% minimum and the
    sheet stays two pages with under two lines left."""
    result = sheet(("kneeling-hip-flexor", "bed-edge-hang", "bridge", "standing-hip-flexor"),
                   "a4")
    assert result.pages == 2 and result.plan.grow > 0
    shares = dict(result.pictures)
    assert min(shares.values()) >= 0.45, shares
    assert result.room < 2 * 12


@pytest.mark.parametrize("stretches", [
    ("lunge", "bridge", "cat-cow", "butterfly"),
    ("kneeling-hip-flexor", "bed-edge-hang", "bridge", "standing-hip-flexor"),
    ("chair-hip-flexor", "bed-edge-hang", "standing-hip-flexor", "side-lying-hip-flexor"),
], ids=lambda s: "+".join(s))
@pytest.mark.parametrize("note", ["", "Vaya con calma del lado izquierdo."], ids=["bare", "note"])
def test_spanish_four_stretch_letter_sheet_keeps_a_log(stretches: tuple[str, ...],
                                                       note: str) -> None:
    """Four Spanish stretches on Letter, with or without a one-line note, keep the compact
    log on two pages (it had no room: 14-47 pt left, 57 pt needed) and every picture's
    caption, no text under 12 pt, every safety item printed, and check passes (PEMAT items
    17 and 23: captions and the tick log)."""
    clinic, client, library = load_request(None, None, "Ana Silva", stretches, note or None,
                                           "es")
    result = render_handout(plan_handout(clinic, client, library, Options(
        date=DAY, layout="sheet", paper="letter", language="es")), RENDERER)
    assert result.pages == 2 and result.plan.log_strip and not result.warnings
    text = " ".join(all_text(result.pdf).split())
    assert "Mi semana:" in text
    for item in ("dolor agudo o que se extiende", "más dolor al otro día",
                 "retener o soltar la orina o las heces", "pérdida de peso sin causa",
                 "dolor en el pecho o falta de aire repentina", "cáncer ahora o en el pasado"):
        assert item in text, item
    assert result.plan.uncaptioned == 0
    for sid in stretches:
        assert " ".join(library[sid].caption.split()) in text, sid
    report = check_rendered(result)
    assert report.pemat["items"]["23 a tangible tool (tick log)"]
    assert report.pemat["items"]["17 pictures captioned"]
    assert not [c for c in report.checks if c["status"] == "fail"]
    assert min(size for size, _ in font_sizes(result.pdf)) >= 12


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_three_card_sheet_sets_its_log_beside_the_last_card(language: str, paper: str
                                                             ) -> None:
    """The sample client's three cards (a twice-a-day one among them) keep every caption:
    the compact log is a narrow week beside the last card (a row of numbered boxes per
    stretch, two for twice a day, under each day), with the line saying what the boxes
    mean, instead of a strip under a full-width card that lost its caption for it."""
    from handouts.sheet import beside_log

    clinic, client, library = load_request(None, None, None, (), None, language)
    result = render_handout(plan_handout(clinic, client, library, Options(
        date=DAY, layout="sheet", paper=paper, language=language)), RENDERER)
    assert result.pages == 2 and beside_log(result.plan) and result.plan.uncaptioned == 0
    text = " ".join(all_text(result.pdf).split())
    for item in result.plan.stretches:
        assert " ".join(item.stretch.caption.split()) in text, item.stretch.id
    key = {"en": "Two boxes mean twice a day.", "es": "Dos casillas quieren decir dos veces"}
    assert key[language] in text and ("My week:" if language == "en" else "Mi semana:") in text
    back = page_texts(result.pdf)[1]
    # each day's column: a box per stretch and per time a day, numbered with its card
    boxes = [n for item in result.plan.stretches for n in [item.number] * item.dose.per_day]
    assert "".join(map(str, boxes)) in back.replace(" ", "").replace("\n", "")
    assert any(item.dose.per_day == 2 for item in result.plan.stretches)
    report = check_rendered(result)
    assert report.pemat["items"]["17 pictures captioned"]
    assert report.pemat["items"]["23 a tangible tool (tick log)"]
    assert not [c for c in report.checks if c["status"] == "fail"]
