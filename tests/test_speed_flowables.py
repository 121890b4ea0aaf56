"""The light flowables that replace reportlab Tables draw what the tables drew (pixel-wise):
the card's columns, the tick log, the header band, the caution box and the sheet's compact
log; and a plan's language is looked up once per plan."""

from __future__ import annotations

import gc
import io
from collections.abc import Sequence
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import ImageChops, ImageStat
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from conftest import DAY
from handouts import language
from handouts.build import load_request, plan_handout
from handouts.fonts import load_fonts
from handouts.layout import Layout
from handouts.models import Options
from handouts.panel import Beside, Grid, Panel, Strip, TwoColumns
from handouts.styles import make_theme

BODY = ParagraphStyle("b", fontName="Helvetica", fontSize=11, leading=14, spaceBefore=3,
                      spaceAfter=5)
HEAD = ParagraphStyle("h", parent=BODY, fontName="Helvetica-Bold", alignment=1, spaceBefore=0,
                      spaceAfter=0)
TEXT = "Lie on your back with your knees bent and your feet flat on the floor. " * 3


class Box(Flowable):
    """A filled square (a picture's stand-in) or ``count`` tick boxes."""

    def __init__(self, size: float, count: int = 1):
        super().__init__()
        self.size, self.count = size, count
        self.width, self.height = count * size * 1.5 - size * 0.5, size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        for index in range(self.count):
            self.canv.rect(index * self.size * 1.5, 0, self.size, self.size, fill=self.count == 1)


def pages(story: Sequence[Flowable], margin: float = 72) -> list[Any]:
    """The story's pages rendered at 100 dpi, in grey."""
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=letter, leftMargin=margin, rightMargin=margin,
                      topMargin=72, bottomMargin=72).build(list(story))
    pdf = pdfium.PdfDocument(buffer.getvalue())
    try:
        return [pdf[i].render(scale=100 / 72).to_pil().convert("L") for i in range(len(pdf))]
    finally:
        pdf.close()


def assert_same_pictures(ours: list[Any], tables: list[Any]) -> None:
    """The same number of pages, no pixel off by more than a faint anti-aliasing step."""
    assert len(ours) == len(tables)
    for mine, theirs in zip(ours, tables, strict=True):
        worst = max(value for value, count in enumerate(
            ImageChops.difference(mine, theirs).histogram()) if count)
        assert worst <= 8, f"pixels differ by up to {worst} of 255"
        assert mine.getextrema()[0] < 128  # something dark was drawn on the page


def beside_parts() -> tuple[list[Flowable], list[Flowable]]:
    """A picture column and a text column with spaces before and after."""
    left = [Box(120), Spacer(1, 3), Paragraph("The bridge, from the side.", BODY)]
    right = [Paragraph(TEXT, BODY), Paragraph("<b>Start:</b> " + TEXT, BODY),
             Paragraph("Hold 30 seconds.", BODY)]
    return left, right


def test_beside_draws_what_the_table_drew() -> None:
    """Beside places both columns exactly where a one-row, padding-free table put them."""
    left, right = beside_parts()
    table = Table([[left, right]], colWidths=[190, 266])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 9), ("RIGHTPADDING", (1, 0), (1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    left, right = beside_parts()
    row = Beside(left, right, left_width=190, width=456, gap=9)
    after = Paragraph("Next.", BODY)  # its place shows the row's height
    assert_same_pictures(pages([row, after]), pages([table, Paragraph("Next.", BODY)]))
    assert row.splitOn(None, 456, 10) == []  # one row: it never splits


def log_rows(count: int) -> list[list[Flowable]]:
    """A head row and ``count`` stretch rows of tick boxes."""
    days = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
    rows: list[list[Flowable]] = [[Paragraph("Stretch", HEAD)] + [
        Paragraph(day, HEAD) for day in days]]
    for number in range(1, count + 1):
        ticks = Box(12, count=number % 3 + 1)
        rows.append([Paragraph(f"{number}. Kneeling hip flexor stretch", BODY)]
                    + [ticks] * len(days))
    return rows


def log_table(count: int) -> Table:
    """The reportlab table the log used to be."""
    table = Table(log_rows(count), colWidths=[176] + [40] * 7, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("LINEBELOW", (0, 0), (-1, 0), 1.5, colors.HexColor("#7A1F5C")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, colors.grey),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table


def log_grid(count: int) -> Grid:
    """The same log as a Grid."""
    return Grid(log_rows(count), widths=[176] + [40] * 7, pad_x=6, pad_y=4,
                head_rule=(colors.HexColor("#7A1F5C"), 1.5), rule=(colors.grey, 0.5))


@pytest.mark.parametrize("margin", [72, 40])
def test_grid_draws_what_the_log_table_drew(margin: float) -> None:
    """A Grid's cells, rules and row heights match the table's, centred in a wider frame."""
    story_grid = [Spacer(1, 20), log_grid(4), Paragraph("After the log.", BODY)]
    story_table = [Spacer(1, 20), log_table(4), Paragraph("After the log.", BODY)]
    assert_same_pictures(pages(story_grid, margin), pages(story_table, margin))


def test_grid_splits_between_rows_and_repeats_the_head_row() -> None:
    """A log longer than a page splits between rows as the table did, its head row on top of
    each page; a page never gets the head row alone."""
    ours, theirs = pages([Spacer(1, 560), log_grid(30)]), pages([Spacer(1, 560), log_table(30)])
    assert len(ours) >= 3
    assert_same_pictures(ours[:1], theirs[:1])
    for mine, table_page in zip(ours[1:], theirs[1:], strict=True):
        # One difference, on purpose: a split table paints its thin row rule over the head
        # row's rule on the pages after the first; a Grid's head rule stays as on page one.
        band = ImageChops.difference(mine, table_page).getbbox()
        assert band is not None and band[3] - band[1] <= 3
        left, top, right, bottom = band
        assert ImageStat.Stat(mine.crop(band)).mean[0] < ImageStat.Stat(
            table_page.crop(band)).mean[0]  # the head rule unpainted-over: darker
        masked = [page.copy() for page in (mine, table_page)]
        for page in masked:
            page.paste(255, (left, top, right, bottom))
        assert_same_pictures(masked[:1], masked[1:])
    grid = log_grid(3)
    grid.wrapOn(None, 456, 1000)
    assert grid.splitOn(None, 456, grid._heights[0] + 1) == []  # room for the head row only
    first, rest = grid.splitOn(None, 456, grid._heights[0] + grid._heights[1] + 1)
    assert isinstance(first, Grid) and isinstance(rest, Grid)
    assert len(first.rows) == 2 and len(rest.rows) == 3 and rest.rows[0] == first.rows[0]


def test_a_plan_asks_for_its_language_files_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """One build asks for its plan's language many times: the language files are checked
    once per plan (a new plan checks again), and a plan's entry goes with the plan."""
    checks: list[int] = []
    real = language._signature

    def counted(paths: list[Any]) -> tuple[Any, ...]:
        checks.append(len(paths))
        return real(paths)

    monkeypatch.setattr(language, "_signature", counted)
    clinic, client, library = load_request(None, None, "Jane Doe", ("bridge",), None)
    plan = plan_handout(clinic, client, library, Options(date=DAY))
    checks.clear()
    first = language.plan_language(plan)
    assert all(language.plan_language(plan) is first for _ in range(30))
    assert len(checks) == 1
    other = plan_handout(clinic, client, library, Options(date=DAY))
    checks.clear()
    assert language.plan_language(other) is first  # the same, unchanged files
    assert len(checks) == 1
    key = id(plan)
    del plan
    gc.collect()
    assert key not in language._BY_PLAN


class Counted(Paragraph):
    """A paragraph that counts how often it is wrapped."""

    wraps = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        Counted.wraps += 1
        return super().wrap(avail_width, avail_height)


def test_two_columns_measure_each_part_once_per_width() -> None:
    """Balancing two columns wraps each part once, however many tries the balancing takes;
    wrapping again at the same width (as a frame does before splitting) wraps nothing."""
    parts = [Counted(TEXT, BODY) for _ in range(6)]
    columns = TwoColumns(parts, gap=12, is_heading=lambda f: False)
    Counted.wraps = 0
    columns.wrapOn(None, 456, 2000)
    # each part once, and the parts a split makes (a dozen tries each wrapped them all before)
    assert Counted.wraps <= 3 * len(parts)
    first = Counted.wraps
    columns.wrapOn(None, 456, 2000)
    assert Counted.wraps == first
    assert pages([columns])  # and it still draws


def test_a_panel_is_measured_once_until_a_split_is_tried() -> None:
    """A panel's parts are wrapped once however often a frame wraps the panel; trying to
    split it (which may wrap its parts at other sizes) measures it again."""
    panel = Panel([Counted(TEXT, BODY) for _ in range(3)], width=300, padding=(6, 6, 6, 6),
                  page_height=100)
    Counted.wraps = 0
    size = panel.wrapOn(None, 300, 700)
    assert Counted.wraps == 3 and panel.wrapOn(None, 300, 700) == size and Counted.wraps == 3
    assert panel.splitOn(None, 300, 80)  # taller than its page: it splits
    panel.wrapOn(None, 300, 700)
    assert Counted.wraps > 3


def test_a_style_is_keyed_once_by_the_paragraph_cache() -> None:
    """The paragraph cache works out what keys a style once per style, not per paragraph
    (the styles' colours were turned into text for every look-up)."""
    from handouts.renderer import ParagraphCache

    class CountedColor(colors.Color):
        shown = 0

        def __str__(self) -> str:
            CountedColor.shown += 1
            return super().__str__()

    style = ParagraphStyle("counted", parent=BODY, textColor=CountedColor(0, 0, 0))
    cache = ParagraphCache()
    cache.begin()
    for number in range(20):
        text = f"Step {number % 4}: breathe out slowly."
        if cache.get(text, style) is None:
            cache.put(text, style, Paragraph(text, style).frags)
    assert CountedColor.shown == 1
    assert cache.get("Step 1: breathe out slowly.", style) is not None


def sample_layout(layout: str = "guide", language: str = "en",
                  stretches: tuple[str, ...] = ("bridge", "lunge")) -> Layout:
    """A layout for the sample clinic (no logo), as a build makes it."""
    clinic, client, library = load_request(None, None, "Jane Doe", stretches, None)
    plan = plan_handout(clinic, client, library, Options(date=DAY, layout=layout,
                                                         language=language))
    theme = make_theme(load_fonts(None), plan.clinic.brand_color, plan.paper, plan.large_print,
                       plan.grayscale, plan.compact)
    return Layout(plan, theme, lambda *args: None)


def band_table(lay: Layout, band: Panel) -> Table:
    """The two-column table (with a foot row across on a sheet) the header band used to be,
    holding the band's own parts."""
    head = band.content[0]
    assert isinstance(head, Beside)
    cells: list[list[Any]] = [[head.columns[0], head.columns[1]]]
    if len(band.content) > 1:
        foot = band.content[1]
        assert isinstance(foot, Beside)
        cells.append([foot.columns[0], ""])
    table = Table(cells, colWidths=[head.left_width, lay.width - head.left_width])
    pad = lay.pad * (0.6 if lay.plan.layout == "sheet" else 1)
    t = lay.theme
    table.setStyle(lay.tstyle([
        ("BACKGROUND", (0, 0), (-1, -1), t.colors["tint"]),
        ("LINEBELOW", (0, -1), (-1, -1), 3, t.colors["brand"]),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), lay.pad * 1.4),
        ("RIGHTPADDING", (0, 0), (-1, -1), lay.pad * 1.4),
        # the columns' text ``gap`` apart: two paddings, or one where the date needs it
        ("RIGHTPADDING", (0, 0), (0, 0), head.gap - lay.pad * 1.4),
        ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        *([("SPAN", (0, 1), (1, 1)), ("TOPPADDING", (0, 1), (-1, 1), 0)]
          if len(cells) > 1 else [])]))
    return table


@pytest.mark.parametrize(("layout", "language"), [("guide", "en"), ("guide", "es"),
                                                  ("sheet", "en")])
def test_header_band_draws_what_its_table_drew(layout: str, language: str) -> None:
    """The header band (clinic and title beside who and when, each centred in the band's
    height, on a sheet the sample line across its foot) draws what its table drew, with the
    parts wrapped for the width it was chosen at (other widths are tried first)."""
    lay = sample_layout(layout, language)
    band, _ = lay.header()
    assert isinstance(band, Panel) and isinstance(band.content[0], Beside)
    assert len(band.content) == (2 if layout == "sheet" else 1)  # the sample line across
    after = Paragraph("Under the band.", BODY)
    ours = pages([band, after], margin=36)
    theirs = pages([band_table(lay, band), Paragraph("Under the band.", BODY)], margin=36)
    assert_same_pictures(ours, theirs)


def test_caution_box_draws_what_its_table_drew() -> None:
    """A card's caution box (the warning sign beside the cautions, a tinted fill, a strong
    rule on its left) draws what its two-cell table drew; it never splits."""
    lay = sample_layout()
    cautions: list[str | tuple[str, str]] = [
        "Keep your front knee over your ankle. " * 3, ("Because of your back:", "go slowly.")]
    inner = lay.width - 2 * lay.pad * 1.2
    box = lay.caution_box(cautions, inner)
    assert isinstance(box, Panel)
    sign_col = lay.theme.body_size * 2.2
    (sign,), (text,) = lay.caution_box(cautions, inner).content[0].columns  # type: ignore[attr-defined]
    table = Table([[sign, text]], colWidths=[sign_col, inner - sign_col])
    t = lay.theme
    table.setStyle(lay.tstyle([
        ("BACKGROUND", (0, 0), (-1, -1), t.colors["caution_fill"]),
        ("LINEBEFORE", (0, 0), (0, -1), 3, t.colors["caution_edge"]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), lay.pad),
        ("TOPPADDING", (0, 0), (-1, -1), lay.pad * 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    table.hAlign = "LEFT"  # as inside a card (a panel places its parts at its padding)
    ours = pages([Spacer(1, 30), box, Paragraph("Under the box.", BODY)], margin=60)
    theirs = pages([Spacer(1, 30), table, Paragraph("Under the box.", BODY)], margin=60)
    assert_same_pictures(ours, theirs)
    assert box.splitOn(None, inner, 10) == []


def test_log_strip_draws_what_its_table_drew() -> None:
    """The sheet's compact log (a day's name over its numbered boxes, seven columns, a rule
    above and thin rules between) draws what its two-row table drew, and never splits."""
    lay = sample_layout("sheet", stretches=("bridge", "lunge", "cat-cow", "bed-edge-hang"))
    (kept,) = lay.log_strip([])
    intro, strip = kept._content  # type: ignore[attr-defined]
    assert isinstance(strip, Strip)
    (_, again), = [k._content for k in lay.log_strip([])]  # type: ignore[attr-defined]
    t = lay.theme
    table = Table([again.rows[0], again.rows[1]], colWidths=[lay.width / 7] * 7)
    table.setStyle(lay.tstyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LINEABOVE", (0, 0), (-1, 0), 1.5, t.colors["brand"]),
        ("LINEAFTER", (0, 0), (-2, -1), 0.5, t.colors["rule"]),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), lay.pad * 0.3), ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
        ("BOTTOMPADDING", (0, 1), (-1, 1), lay.pad * 0.4)]))
    ours = pages([Spacer(1, 30), strip, Paragraph("Under the log.", BODY)], margin=36)
    theirs = pages([Spacer(1, 30), table, Paragraph("Under the log.", BODY)], margin=36)
    assert_same_pictures(ours, theirs)
    assert strip.splitOn(None, lay.width, 10) == []


def test_a_part_taller_than_a_page_after_its_heading_is_an_error_not_endless_pages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A panel whose second part cannot fit a page under its "(continued)" heading stops with
    the one-line layout error; it used to repeat the heading on page after page for ever."""
    from handouts.errors import LayoutError
    from handouts.render import frames, render_pdf

    theme = make_theme(load_fonts(), "#1F5F7A", "letter", False, False)
    height = frames(theme)[0]._height  # the first page's frame (the later ones are shorter)
    style = ParagraphStyle("p", fontName="Helvetica", fontSize=12, leading=14)
    splits = 0
    split = Panel.split

    def counted(self: Panel, aw: float, ah: float) -> list[Flowable]:
        nonlocal splits
        splits += 1
        assert splits < 50, "the panel kept splitting"
        return split(self, aw, ah)

    class Block(Flowable):  # a part that cannot split
        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            return 100, height - 8

        def draw(self) -> None:
            self.canv.rect(0, 0, 100, height - 8)

    monkeypatch.setattr(Panel, "split", counted)
    box = Panel([Paragraph("A title", style), Block()], width=300,
                page_height=height, continued=lambda: [Paragraph("A title (continued)", style)])
    with pytest.raises(LayoutError):
        render_pdf([Paragraph("Before", style), box], theme, title="t", author="a",
                   subject="s", keywords=[], footer=lambda *a: None,
                   later_header=lambda c: None)
