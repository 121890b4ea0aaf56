"""The two layouts on paper: pages, where the first card lands, how full each page is, and
that every stretch builds for every condition that allows it, in large print, on both papers."""

from __future__ import annotations

import io

import pytest

from conftest import DAY
from handouts.build import load_request, plan_handout, render_handout
from handouts.content import load_conditions, load_library
from handouts.errors import HandoutError, InputError
from handouts.models import Options
from handouts.renderer import Renderer
from handouts.safety import verdict
from pdf_checks import all_text

RENDERER = Renderer()


def composed(plan):  # type: ignore[no-untyped-def]
    """The plan's composed handout (its story, theme...), built with the shared renderer."""
    from handouts.build import compose

    RENDERER.begin(plan)
    try:
        return compose(plan, RENDERER)
    finally:
        RENDERER.end(plan)
LIBRARY = load_library(None)
CATALOGUE = load_conditions(None)
SAMPLE = ("kneeling-hip-flexor", "bed-edge-hang", "bridge")
FIVE = ("lunge", "kneeling-hip-flexor", "bridge", "cat-cow", "bed-edge-hang")
NOTE = "Your left hip felt tight today. Go gently on that side."


def render(stretches: tuple[str, ...], *, layout: str = "guide", large_print: bool = False,
           paper: str = "letter", conditions: tuple[str, ...] = (), note: str = NOTE):  # type: ignore[no-untyped-def]
    clinic, client, library = load_request(None, None, "Ana Silva", stretches, note)
    plan = plan_handout(clinic, client, library, Options(
        date=DAY, layout=layout, large_print=large_print, paper=paper, conditions=conditions))
    return render_handout(plan, RENDERER)


def ink_reach(pdf: bytes, footer: float = 0.6) -> list[float]:
    """For each page, how far down its body area the last ink reaches (0 to 1), found by
    rendering at low resolution (pypdfium2) and scanning for the lowest inked row above the
    footer (``footer`` inches tall above the margin; the large-print footer is taller)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(io.BytesIO(pdf))
    reach = []
    for index in range(len(doc)):
        image = doc[index].render(scale=36 / 72).to_pil().convert("L")
        width, height = image.size
        top = int(height * 0.5 / 11)                    # the 0.5 in margin
        bottom = height - int(height * (0.5 + footer) / 11)  # margin and footer band
        pixels = image.load()
        last = top
        for y in range(top, bottom):
            if any(pixels[x, y] < 200 for x in range(int(width * 0.06), int(width * 0.94), 2)):
                last = y
        reach.append((last - top) / (bottom - top))
    doc.close()
    return reach


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_guide_sample_is_at_most_four_pages_with_the_first_card_on_page_one(paper: str) -> None:
    """The sample guide (3 stretches, 13 pt) takes at most 4 pages; card 1 is on page 1."""
    result = render(SAMPLE, paper=paper)
    assert result.pages <= 4
    assert dict(result.placed)[SAMPLE[0]] == 1


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_guide_five_stretches_is_at_most_five_pages(paper: str) -> None:
    """Five stretches at 13 pt take at most 5 pages."""
    assert render(FIVE, paper=paper).pages <= 5


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_guide_large_print_pages(paper: str) -> None:
    """The sample in large print (18 pt) takes at most 8 pages on both papers (it took 11),
    no page holding only a heading, the first card on page 2."""
    result = render(SAMPLE, large_print=True, paper=paper)
    assert result.pages <= 8
    assert result.lone_headings == ()
    assert dict(result.placed)[SAMPLE[0]] == 2


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_sheet_is_exactly_two_pages(paper: str, count: int) -> None:
    """The one-sheet layout is exactly two pages (one sheet, both sides) for 1 to 4 stretches
    (tests/test_sheet.py tries more sets, the longest cards among them)."""
    assert render(FIVE[:count], layout="sheet", paper=paper).pages == 2


def test_sheet_refuses_a_fifth_stretch() -> None:
    """More than four stretches on a sheet is one line suggesting the guide."""
    with pytest.raises(InputError, match="--layout guide"):
        render(FIVE + ("butterfly",), layout="sheet")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_sheet_in_large_print_says_how_many_fit(paper: str, language: str) -> None:
    """In large print, a sheet that cannot hold the stretches says how many it can: with the
    shipped key points, safety boxes and contact block that is none, on both papers and in
    both languages (at 18 pt they alone take more than one sheet with a card; a clinic
    with shorter sections fits one, see tests/test_sheet.py)."""
    with pytest.raises(HandoutError) as caught:
        if language == "en":
            render(FIVE[:4], layout="sheet", large_print=True, paper=paper)
        else:
            render_es(FIVE[:4], layout="sheet", large_print=True, paper=paper)
    assert str(caught.value) == (
        "in large print one sheet cannot hold even one stretch card with the safety advice "
        "and contact details; use --layout guide.")


@pytest.mark.parametrize("layout, stretches, large_print, paper", [
    ("guide", SAMPLE, False, "letter"), ("guide", SAMPLE, False, "a4"),
    ("guide", FIVE, False, "letter"), ("guide", FIVE, False, "a4"),
    ("guide", SAMPLE, True, "letter"), ("guide", SAMPLE, True, "a4"),
    ("sheet", SAMPLE[:2], False, "letter"), ("sheet", SAMPLE[:2], False, "a4"),
    ("sheet", FIVE[:4], False, "letter"), ("sheet", FIVE[:4], False, "a4"),
])
def test_every_page_but_the_last_is_at_least_70_percent_full(
        layout: str, stretches: tuple[str, ...], large_print: bool, paper: str) -> None:
    """Ink reaches at least 70% of the way down the body area on every page but the last."""
    result = render(stretches, layout=layout, large_print=large_print, paper=paper)
    reach = ink_reach(result.pdf, footer=0.7 if large_print else 0.6)
    assert all(r >= 0.70 for r in reach[:-1]), [round(r, 2) for r in reach]
    assert result.lone_headings == ()


COMBOS = [(sid, cid) for sid in LIBRARY for cid in CATALOGUE
          if not verdict(LIBRARY[sid], CATALOGUE[cid]).ruled_out]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_stretch_builds_for_every_condition_in_large_print(paper: str) -> None:
    """Every stretch alone × every condition that allows it × large print builds."""
    failed = []
    for sid, cid in COMBOS:
        try:
            render((sid,), large_print=True, paper=paper, conditions=(cid,))
        except HandoutError as error:
            failed.append((sid, cid, str(error)))
    assert failed == []


@pytest.mark.parametrize("layout, large_print", [("guide", False), ("guide", True),
                                                 ("sheet", False)])
def test_log_day_names_never_wrap(layout: str, large_print: bool) -> None:
    """The log's day names print whole in every size (no "We / d"), with a box per time a day
    and a week label when the log covers two weeks."""
    from dataclasses import replace

    from pdf_checks import all_text

    clinic, client, library = load_request(None, None, "Ana Silva", ("bed-edge-hang",), None)
    client = replace(client, next_visit="2026-12-10")  # 18 days after DAY: two weeks
    plan = plan_handout(clinic, client, library, Options(date=DAY, layout=layout,
                                                         large_print=large_print))
    text = all_text(render_handout(plan, RENDERER).pdf)
    if "My week" in text:  # a sheet may leave its log out
        days = text.split("Stretch", 1)[1].split("1.", 1)[0].split()
        assert days[:7] == ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        assert "Week 1: from" in text and "Week 2: from" in text


def test_two_columns_split_a_long_list_between_them() -> None:
    """A heading and one long list are balanced over both columns (the list splits between
    its items), never left in the first column with the second empty."""
    from reportlab.pdfgen.canvas import Canvas

    from handouts.build import compose
    from handouts.layout import Layout
    from handouts.panel import TwoColumns
    from handouts.templating import Block

    clinic, client, library = load_request(None, None, "Ana Silva", ("bridge",), None)
    plan = plan_handout(clinic, client, library, Options(date=DAY))
    composed = compose(plan, RENDERER)
    layout = Layout(plan, composed.theme, lambda *a: None, None).columns()
    items = tuple(f"Item {n}: keep your back long and breathe out slowly." for n in range(8))
    story = layout.blocks([Block("h2", ("A long list",), "A long list"),
                           Block("ul", items, "")])
    columns = TwoColumns(story, gap=12, is_heading=lambda f: False)
    canvas = Canvas(io.BytesIO())
    columns.canv = canvas
    _, height = columns.wrap(composed.theme.frame_width, 10_000)
    whole = sum(f.wrapOn(canvas, (composed.theme.frame_width - 12) / 2, 10_000)[1]
                for f in story)
    first, second = columns.columns
    assert first and second
    assert height < 0.7 * whole  # balanced: the list itself was shared between the columns


def test_two_columns_never_end_a_column_with_a_heading_and_its_space() -> None:
    """A heading followed by a spacer at a column's foot moves on with what follows it (the
    A4 sample had "What is the psoas?" alone at the foot of a column, its text beside it)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, Spacer

    from handouts.panel import TwoColumns

    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    heading = Paragraph("A heading", style)
    text = Paragraph(" ".join(["Some words that run on."] * 12), style)
    columns = TwoColumns([heading, Spacer(1, 6), text], gap=12,
                         is_heading=lambda f: f is heading)
    columns.canv = Canvas(io.BytesIO())
    # room for the heading, its space and less than one line of the text
    assert columns.split(200, 12 + 6 + 5) == []
    parts = columns.split(200, 12 + 6 + 30)
    first, _ = parts[0].columns
    assert first[0] is heading and len(first) == 3  # the heading kept its first lines


def line_starts(pdf: bytes, page_text: str) -> list[tuple[float, float, str]]:
    """(x, y, text) in page space of each text run on the first page holding ``page_text``."""
    from pypdf import PdfReader

    runs: list[tuple[float, float, str]] = []

    def keep(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            runs.append((cm[0] * tm[4] + cm[2] * tm[5] + cm[4],
                         cm[1] * tm[4] + cm[3] * tm[5] + cm[5], text))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        if page_text in page.extract_text():
            page.extract_text(visitor_text=keep)
            return runs
    raise AssertionError(f"no page holds {page_text!r}")


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_large_print_anatomy_text_beside_the_picture_is_whole_paragraphs(paper: str) -> None:
    """In large print, only whole paragraphs stand beside the anatomy picture: the text under
    it starts a paragraph, never the rest of a sentence begun beside it."""
    result = render(SAMPLE, large_print=True, paper=paper)
    runs = line_starts(result.pdf, "What is the psoas?")
    caption_y = min(y for x, y, text in runs if "thigh bone." in text and x > 200)
    below = sorted((run for run in runs if 60 < run[1] < caption_y - 1 and run[0] < 100),
                   key=lambda run: -run[1])
    assert below and below[0][2].startswith("It joins your spine"), below[:2]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_large_print_floor_note_shares_the_last_cards_page(paper: str) -> None:
    """In large print the note on getting down to the floor prints under the last card, on its
    page, before any background section (the last card is set short to make room)."""
    from pypdf import PdfReader

    result = render(SAMPLE, large_print=True, paper=paper)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(result.pdf)).pages]
    last_card = next(n for n, text in enumerate(pages) if "3. Bridge" in text)
    floor = next(n for n, text in enumerate(pages) if "Getting down to the floor" in text)
    background = next(n for n, text in enumerate(pages) if "What is the psoas?" in text)
    assert floor == last_card < background


# --- Spanish ---------------------------------------------------------------------------

def test_spanish_sample_client_is_in_spanish() -> None:
    """With no client, a Spanish handout uses the Spanish sample client: its note, next
    visit and card note print in Spanish, none of the English sample's words."""
    clinic, client, library = load_request(None, None, None, (), None, "es")
    assert client.source is not None and client.source.parts[-2:] == ("es",
                                                                       "sample-client.toml")
    result = render_handout(plan_handout(clinic, client, library,
                                         Options(date=DAY, language="es")), RENDERER)
    text = " ".join(all_text(result.pdf).split())
    assert "Hoy su cadera izquierda estaba tensa." in text
    assert "miércoles 2 de diciembre" in text and "toalla doblada bajo la rodilla" in text
    for english in ("Your left hip", "Wednesday", "folded towel under"):
        assert english not in text, english


def test_a_language_without_a_sample_client_is_one_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A language folder with no sample-client.toml: building its sample is one line naming
    the file, never the English sample."""
    from langfixtures import copy_english

    from conftest import CLINIC_TOML

    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "clinic.toml").write_text(CLINIC_TOML, encoding="utf-8")
    folder = copy_english(clinic, "xx", marker="XX:")
    (folder / "sample-client.toml").unlink(missing_ok=True)
    with pytest.raises(InputError, match=r"templates/lang/xx/sample-client\.toml: there is "
                                         r"no sample client in this language"):
        load_request(clinic / "clinic.toml", None, None, (), None, "xx")


def render_es(stretches: tuple[str, ...], *, layout: str = "guide", paper: str = "letter",
              large_print: bool = False):  # type: ignore[no-untyped-def]
    """A Spanish handout for one client with a Spanish note."""
    clinic, client, library = load_request(None, None, "Ana Silva", stretches,
                                           "Hoy su cadera izquierda estaba tensa. Vaya con "
                                           "calma de ese lado.", "es")
    plan = plan_handout(clinic, client, library, Options(
        date=DAY, layout=layout, paper=paper, language="es", large_print=large_print))
    return render_handout(plan, RENDERER)


def render_es_sample(paper: str, large_print: bool = False):  # type: ignore[no-untyped-def]
    """The Spanish sample handout (its own sample client: next visit, card note)."""
    clinic, client, library = load_request(None, None, None, (), None, "es")
    plan = plan_handout(clinic, client, library, Options(
        date=DAY, paper=paper, language="es", large_print=large_print))
    return render_handout(plan, RENDERER)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_spanish_sample_guide_pages_and_fill(paper: str) -> None:
    """The Spanish sample guide: at most 4 pages at 13 pt with card 1 on page 1, at most 8 in
    large print, every page but the last at least 70% full (text measure and ink)."""
    normal = render_es_sample(paper)
    assert normal.pages <= 4 and dict(normal.placed)["kneeling-hip-flexor"] == 1
    large = render_es_sample(paper, large_print=True)
    assert large.pages <= 8
    for result, footer in ((normal, 0.6), (large, 0.7)):
        assert all(fill >= 0.7 for fill in result.fill[:-1]), result.fill
        assert all(reach >= 0.7 for reach in ink_reach(result.pdf, footer)[:-1])


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_spanish_guide_is_at_most_four_pages_with_the_first_card_on_page_one(paper: str
                                                                            ) -> None:
    """The Spanish guide (3 stretches, 13 pt, a client's note) takes at most 4 pages; card
    1 is on page 1 and every page but the last is at least 70% full."""
    result = render_es(SAMPLE, paper=paper)
    assert "Sus estiramientos" in all_text(result.pdf)
    assert result.pages <= 4
    assert dict(result.placed)["kneeling-hip-flexor"] == 1
    assert all(fill >= 0.7 for fill in result.fill[:-1]), result.fill


SPANISH_SHEETS = [SAMPLE[:1], SAMPLE[:2], SAMPLE, SAMPLE + ("lunge",),
                  ("cat-cow", "butterfly", "ball-release", "kneeling-hip-flexor"),
                  ("side-lying-hip-flexor", "supine-towel-release", "lunge", "leg-lowering"),
                  ("bridge", "cat-cow", "side-lying-hip-flexor", "standing-hip-flexor")]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("stretches", SPANISH_SHEETS, ids=lambda s: "+".join(s))
def test_spanish_sheet_is_exactly_two_pages(paper: str, stretches: tuple[str, ...]) -> None:
    """One to four stretches in Spanish (the longest Spanish cards among them) print on
    exactly two pages, page 1 at least 70% full, every card on the back."""
    result = render_es(stretches, layout="sheet", paper=paper)
    assert "Sus estiramientos" in all_text(result.pdf)
    assert result.pages == 2
    assert result.fill[0] >= 0.7
    assert all(page == 2 for sid, page in result.placed if sid in stretches)


def test_a_picture_that_does_not_fit_lets_the_text_after_it_come_first() -> None:
    """When the background's two columns start low on a page, the anatomy picture at their
    top waits for room and its section's text fills the page (page 2 was 57% full)."""
    result = render(("kneeling-hip-flexor", "lunge"), paper="letter")
    reach = ink_reach(result.pdf)
    assert reach[1] >= 0.70, reach
    from pypdf import PdfReader

    assert "What is the psoas?" in PdfReader(io.BytesIO(result.pdf)).pages[1].extract_text()


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_dose_line_starts_with_the_separator_dot(language: str) -> None:
    """A dose line wraps before its "·", never after it (a line starting "· once a day"
    reads as a list item), at every width."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from handouts.fonts import load_fonts
    from handouts.language import dose_text, load_language
    from handouts.models import Dose

    text = dose_text(Dose(hold_seconds=30, reps=3, sides="each", per_day=2, days_per_week=5),
                     load_language(language))
    style = ParagraphStyle("d", fontName=load_fonts().regular, fontSize=13, leading=16)
    for width in range(150, 400, 3):  # (narrower, reportlab breaks inside words)
        paragraph = Paragraph(text, style)
        paragraph.wrap(width, 10_000)
        lines = [" ".join(w if isinstance(w, str) else w.text for w in line[1])
                 if isinstance(line, tuple) else " ".join(line.words)
                 for line in paragraph.blPara.lines]
        assert not [line for line in lines if line.lstrip().startswith("·")], (width, lines)
