"""The house style as data: sizes relative to the body size, colours by role, page geometry.

Styles inherit through ``parent`` keys (as rst2pdf's stylesheets do); the clinic's brand colour
and the command-line choices (large print, grayscale, paper) are applied on top. Colours used
for text are darkened until they reach 7:1 contrast on white, and ``--grayscale`` maps every
colour to its own lightness so nothing depends on hue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch

from .fonts import FontSet

BODY_SIZE = 13.0
LARGE_BODY_SIZE = 18.0
MIN_SIZE = 12.0
MARGIN = 0.5 * inch  # printers leave about 0.25 in; the standards ask for 0.5 in
MEASURE_CHARS = 72  # the longest comfortable line of body text, in characters
PAGES = {"letter": LETTER, "a4": A4}

# Sizes are multiples of the body size; "min" keeps small text at 12 pt or more.
STYLE_SHEET: dict[str, dict[str, Any]] = {
    "body": {"size": 1.0, "leading": 1.4, "after": 0.4, "color": "ink", "measure": True},
    "lead": {"parent": "body", "size": 1.08},
    "bullet": {"parent": "body", "indent": 1.3, "bullet_indent": 0.35, "after": 0.25},
    "title": {"parent": "body", "size": 1.62, "leading": 1.2, "bold": True, "color": "brand_text",
              "after": 0.15, "measure": False},
    "h2": {"parent": "body", "size": 1.3, "leading": 1.2, "bold": True, "color": "brand_text",
           "before": 0.6, "after": 0.25, "keep_with_next": True, "measure": False},
    "h3": {"parent": "h2", "size": 1.12, "before": 0.4, "after": 0.2},
    "meta": {"parent": "body", "size": 0.95, "min": True, "leading": 1.3, "after": 0,
             "measure": False},
    "meta_bold": {"parent": "meta", "bold": True},
    "card_title": {"parent": "body", "size": 1.2, "leading": 1.2, "bold": True,
                   "color": "brand_text", "after": 0.1, "measure": False},
    "card": {"parent": "body", "leading": 1.33, "after": 0.22, "measure": False},
    "step": {"parent": "card", "indent": 1.4, "bullet_indent": 0.1, "after": 0.1},
    "dose": {"parent": "card", "bold": True, "before": 0.1, "after": 0.1},
    "caption": {"parent": "body", "size": 0.95, "min": True, "leading": 1.25, "color": "muted",
                "after": 0, "measure": False},
    "box": {"parent": "body", "after": 0.25, "measure": False},
    "box_title": {"parent": "box", "bold": True, "size": 1.08, "after": 0.2},
    "box_bullet": {"parent": "box", "indent": 1.2, "bullet_indent": 0.25, "after": 0.15},
    "footer": {"parent": "body", "size": 0.95, "min": True, "color": "muted", "after": 0,
               "measure": False},
    "log_cell": {"parent": "body", "size": 1.0, "leading": 1.2, "after": 0, "measure": False},
    "log_head": {"parent": "log_cell", "bold": True},
}

# Large print keeps every size and leading and tightens only the spaces between parts (they
# grow with the body size, so at 18 pt they would take a third more paper than at 13 pt).
LARGE_PRINT_SPACING: dict[str, dict[str, Any]] = {
    "box_bullet": {"after": 0.1},
    "body": {"after": 0.35},
    # a caption's lines (a picture's, "Scan to book") set as close as the standards allow:
    # at the body size (not 95% of it) a card's picture column would otherwise grow
    "caption": {"leading": 1.2},
}

PALETTE = {
    "ink": "#1B1F23",
    "muted": "#3B4550",
    "rule": "#8A969F",
    "paper": "#FFFFFF",
    "caution_edge": "#9A3412",
    "caution_fill": "#FFF3E6",
    "help_edge": "#9F1239",
    "help_fill": "#FFEFF2",
}


def _luminance(c: colors.Color) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c.red) + 0.7152 * channel(c.green) + 0.0722 * channel(c.blue)


def contrast(a: colors.Color, b: colors.Color) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(a: colors.Color, b: colors.Color, t: float) -> colors.Color:
    return colors.Color(a.red + (b.red - a.red) * t, a.green + (b.green - a.green) * t,
                        a.blue + (b.blue - a.blue) * t)


def _gray(c: colors.Color) -> colors.Color:
    y = 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue
    return colors.Color(y, y, y)


def readable_on(c: colors.Color, background: colors.Color, target: float = 7.0) -> colors.Color:
    """Darken ``c`` until its contrast on ``background`` reaches ``target``."""
    black = colors.Color(0, 0, 0)
    step = 0.0
    out = c
    while contrast(out, background) < target and step < 1.0:
        step += 0.05
        out = _mix(c, black, step)
    return out


@dataclass(frozen=True)
class Theme:
    """Resolved styles, colours and page geometry for one handout."""

    styles: dict[str, ParagraphStyle]
    colors: dict[str, colors.Color]
    fonts: FontSet
    body_size: float
    page_size: tuple[float, float]
    margin: float
    large_print: bool
    grayscale: bool

    @property
    def frame_width(self) -> float:
        """Width between the side margins."""
        return self.page_size[0] - 2 * self.margin

    def s(self, name: str) -> ParagraphStyle:
        """The paragraph style ``name``."""
        return self.styles[name]

    def list_style(self, name: str) -> ParagraphStyle:
        """``name`` without its indent, for paragraphs inside a list (the list indents)."""
        key = f"{name}.item"
        if key not in self.styles:
            self.styles[key] = ParagraphStyle(key, parent=self.styles[name], leftIndent=0,
                                              spaceAfter=self.styles[name].spaceAfter)
        return self.styles[key]


def make_theme(fonts: FontSet, brand: str, paper: str, large_print: bool,
               grayscale: bool, compact: bool = False) -> Theme:
    """Build every style for one handout from the style sheet and the clinic's choices.

    ``compact`` (the one-sheet layout only) sets body text at the 12 pt minimum."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    body = LARGE_BODY_SIZE if large_print else (MIN_SIZE if compact else BODY_SIZE)
    page = PAGES[paper]
    margin = MARGIN
    frame_width = page[0] - 2 * margin
    sample = "The psoas is a deep muscle. It runs from your low back to your thigh bone."
    char_width = stringWidth(sample, fonts.regular, body) / len(sample)
    right_indent = max(0.0, frame_width - MEASURE_CHARS * char_width)

    palette = {k: colors.HexColor(v) for k, v in PALETTE.items()}
    palette["brand"] = colors.HexColor(brand)
    if grayscale:
        palette = {k: _gray(v) for k, v in palette.items()}
    white = palette["paper"]
    palette["tint"] = _mix(palette["brand"], white, 0.88)
    palette["brand_text"] = readable_on(palette["brand"], palette["tint"])
    palette["ink"] = readable_on(palette["ink"], palette["tint"])
    palette["muted"] = readable_on(palette["muted"], palette["tint"])

    styles: dict[str, ParagraphStyle] = {}
    resolved: dict[str, dict[str, Any]] = {}
    for name, spec in STYLE_SHEET.items():
        merged = dict(resolved[spec["parent"]]) if "parent" in spec else {}
        merged.update({k: v for k, v in spec.items() if k != "parent"})
        if large_print:
            merged.update(LARGE_PRINT_SPACING.get(name, {}))
        resolved[name] = merged
        size = merged["size"] * body
        if merged.get("min"):
            # small text (captions, the header's who-and-when, the footer and running
            # header) never below the minimum: 12 pt, and in large print the body size,
            # as large print asks 18 pt or more of everything the reader reads
            size = max(body if large_print else MIN_SIZE, size)
        size = max(MIN_SIZE, size)
        styles[name] = ParagraphStyle(
            name,
            fontName=fonts.bold if merged.get("bold") else fonts.regular,
            fontSize=size,
            leading=size * merged.get("leading", 1.42),
            textColor=palette[merged.get("color", "ink")],
            alignment=TA_LEFT,
            spaceBefore=merged.get("before", 0) * body,
            spaceAfter=merged.get("after", 0) * body,
            leftIndent=merged.get("indent", 0) * body,
            bulletIndent=merged.get("bullet_indent", 0) * body,
            rightIndent=right_indent if merged.get("measure") else 0,
            keepWithNext=1 if merged.get("keep_with_next") else 0,
            bulletFontName=fonts.bold,
            bulletFontSize=size,
            splitLongWords=1,
            allowWidows=0,
            allowOrphans=0,
        )
    return Theme(styles, palette, fonts, body, page, margin, large_print, grayscale)
