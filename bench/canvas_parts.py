"""The canvas floor's building blocks: paragraph markup as runs, greedy line breaking, and
measured parts (paragraphs, stacks, columns, panels, drawn shapes) that draw themselves.

A part knows its height as soon as it is made (its width is fixed then), so the floor can decide
where things go without a second layout pass; only a paragraph can split across pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import unescape

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from handouts.fonts import FontSet

# --- inline markup -> runs ------------------------------------------------------------------

_TOKEN = re.compile(r"<(/?)(b|i|u|a|font|br)\b([^>]*?)/?>|([^<]+)")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Run:
    """A stretch of text in one face, possibly a link."""

    text: str
    font: str
    href: str = ""


def runs(text_markup: str, fonts: FontSet, bold: bool = False) -> list[Run]:
    """Split reportlab paragraph markup (<b>, <i>, <u>, <a href>, <font face>, <br/>) into runs;
    a line break is a run whose text is a newline."""
    out: list[Run] = []
    b, i, face, href = int(bold), 0, "", ""
    for close, tag, attrs, text in _TOKEN.findall(text_markup):
        if text:
            plain = unescape(text, {"&quot;": '"', "&#39;": "'"})
            font = face or [[fonts.regular, fonts.italic], [fonts.bold, fonts.bolditalic]][
                b > 0][i > 0]
            out.append(Run(plain, font, href))
        elif tag == "br":
            out.append(Run("\n", fonts.regular))
        elif tag == "b":
            b += -1 if close else 1
        elif tag == "i":
            i += -1 if close else 1
        elif tag == "a":
            href = "" if close else dict(_ATTR.findall(attrs)).get("href", "")
        elif tag == "font":
            face = "" if close else dict(_ATTR.findall(attrs)).get("face", "")
    return out


Line = list[Run]  # one line: runs of one face each, words and spaces merged


def break_lines(parts: Sequence[Run], size: float, width: float) -> list[Line]:
    """Greedy line breaking at spaces: as many words per line as fit ``width``. Each word is
    measured once; runs of the same face on a line are merged so that each is drawn once."""
    words: list[list[Run] | None] = [[]]  # None is a forced line break
    for run in parts:
        if run.text == "\n":
            words += [None, []]
            continue
        for n, piece in enumerate(run.text.split(" ")):
            if n:
                words.append([])
            if piece:
                words[-1].append(Run(piece, run.font, run.href))  # type: ignore[union-attr]
    lines: list[Line] = [[]]
    used = 0.0
    for word in words:
        if word is None:
            lines.append([])
            used = 0.0
            continue
        if not word:
            continue
        w = sum(stringWidth(r.text, r.font, size) for r in word)
        line = lines[-1]
        space = stringWidth(" ", word[0].font, size) if line else 0.0
        if line and used + space + w > width:
            line = []
            lines.append(line)
            used, space = 0.0, 0.0
        for k, r in enumerate(word):
            text = (" " if line and k == 0 else "") + r.text
            last = line[-1] if line else None
            if last is not None and last.font == r.font and last.href == r.href:
                line[-1] = Run(last.text + text, r.font, r.href)
            elif k == 0 and line and last is not None and not last.href and not r.href:
                line[-1] = Run(last.text + " ", last.font)  # the space in the face before it
                line.append(Run(r.text, r.font, r.href))
            else:
                line.append(Run(text, r.font, r.href))
        used += space + w
    return [line for line in lines if line] or [[]]


# --- measured blocks ------------------------------------------------------------------------

class Part:
    """Something with a height that draws itself with its top-left corner at (x, top).

    ``h`` includes the space above and below (``before``, ``after``; only paragraphs have
    any); a :class:`Stack` lets neighbouring spaces overlap, as platypus frames and the
    product's panels do."""

    h: float = 0.0
    before: float = 0.0
    after: float = 0.0

    def draw(self, c: Canvas, x: float, top: float) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class Gap(Part):
    """Empty space."""

    def __init__(self, h: float):
        self.h = h

    def draw(self, c: Canvas, x: float, top: float) -> None:
        return None


class Text(Part):
    """One paragraph in a paragraph style, broken into lines at ``width``."""

    def __init__(self, text_markup: str, style: Any, width: float, fonts: FontSet,
                 bullet: str = "", bullet_color: Color | None = None, space: bool = True):
        self.style = style
        self.size, self.lead = style.fontSize, style.leading
        self.indent = style.leftIndent if bullet else 0.0
        self.lines = break_lines(runs(text_markup, fonts, style.fontName == fonts.bold),
                                 self.size, width - self.indent - style.rightIndent)
        self.before = style.spaceBefore if space else 0.0
        self.after = style.spaceAfter if space else 0.0
        self.bullet, self.bullet_color, self.fonts = bullet, bullet_color, fonts
        self.h = self.before + len(self.lines) * self.lead + self.after

    def width_used(self) -> float:
        """The widest line's width (to centre a short label)."""
        return max(sum(stringWidth(r.text, r.font, self.size) for r in line)
                   for line in self.lines)

    def split(self, room: float) -> tuple[Text | None, Text]:
        """The lines that fit ``room`` and the rest (None first when not even one fits)."""
        n = int((room - self.before) // self.lead)
        if n <= 0:
            return None, self
        n = min(n, len(self.lines) - 1)  # only called when the lines do not all fit
        if n <= 0:
            return None, self
        head, tail = _clone(self, self.lines[:n]), _clone(self, self.lines[n:])
        head.after, tail.before, tail.bullet = 0.0, 0.0, ""
        head.h = head.before + n * head.lead
        tail.h = len(tail.lines) * tail.lead + tail.after
        return head, tail

    def draw(self, c: Canvas, x: float, top: float) -> None:
        size, lead = self.size, self.lead
        y = top - self.before - size
        if self.bullet:
            c.setFillColor(self.bullet_color or self.style.textColor)
            c.setFont(self.fonts.bold, size)
            c.drawString(x + self.style.bulletIndent, y, self.bullet)
        c.setFillColor(self.style.textColor)
        t = c.beginText()
        font = ""
        links: list[tuple[str, float, float, float]] = []
        for line in self.lines:
            t.setTextOrigin(x + self.indent, y)
            for run in line:
                if run.font != font:
                    font = run.font
                    t.setFont(font, size, lead)
                if run.href:  # only links need their place on the line
                    x0 = t.getX()
                    text = run.text.lstrip(" ")
                    x0 += stringWidth(run.text[:len(run.text) - len(text)], font, size)
                    links.append((run.href, x0, y, x0 + stringWidth(text, font, size)))
                t.textOut(run.text)
            y -= lead
        c.drawText(t)
        for href, x0, base, x1 in links:  # underline and a clickable area, as <a><u> does
            c.setStrokeColor(self.style.textColor)
            c.setLineWidth(size * 0.06)
            c.line(x0, base - size * 0.12, x1, base - size * 0.12)
            c.linkURL(href, (x0, base - size * 0.25, x1, base + size), relative=0, thickness=0)


def _clone(text: Text, lines: list[Line]) -> Text:
    other = object.__new__(Text)
    other.__dict__.update(text.__dict__)
    other.lines = lines
    return other


class Stack(Part):
    """Blocks one under the other, drawn from ``dx`` inside the stack, ``gap`` between them.

    The space between two blocks is the larger of the first's space below and the second's
    space above; none above the first block or below the last (the product's panel rule)."""

    def __init__(self, items: Sequence[Part], dx: float = 0.0, gap: float = 0.0):
        self.items, self.dx, self.gap = list(items), dx, gap
        self.h = stack_height(self.items, gap)

    def draw(self, c: Canvas, x: float, top: float) -> None:
        for n, b in enumerate(self.items):
            top += b.before if n == 0 else _overlap(self.items[n - 1], b, self.gap)
            b.draw(c, x + self.dx, top)
            top -= b.h


def _overlap(prev: Part, cur: Part, gap: float) -> float:
    """How far up ``cur`` moves so that only the larger of the two spaces is left, plus gap."""
    return min(prev.after, cur.before) - gap


def stack_height(items: Sequence[Part], gap: float = 0.0) -> float:
    """The height of ``items`` stacked (see :class:`Stack`)."""
    if not items:
        return 0.0
    h = sum(b.h for b in items) - items[0].before - items[-1].after
    return h - sum(_overlap(a, b, gap) for a, b in zip(items, items[1:], strict=False))


class Columns(Part):
    """Blocks side by side (x offsets given), as tall as the tallest; like a table cell, a
    block's own space above and below does not count."""

    def __init__(self, cols: Sequence[tuple[float, Part]], valign_middle: bool = False):
        self.cols, self.middle = list(cols), valign_middle
        self.h = max(b.h - b.before - b.after for _, b in self.cols)

    def draw(self, c: Canvas, x: float, top: float) -> None:
        for dx, b in self.cols:
            inner = b.h - b.before - b.after
            b.draw(c, x + dx, top + b.before - ((self.h - inner) / 2 if self.middle else 0.0))


class Panel(Part):
    """Content in a rectangle: an optional fill, an optional left edge or rounded border."""

    def __init__(self, inner: Part, width: float, pads: tuple[float, float, float, float],
                 fill: Color | None = None, edge: tuple[float, Color] | None = None,
                 border: tuple[float, Color, float] | None = None,
                 under: tuple[float, Color] | None = None):
        self.inner, self.width = inner, width
        self.left, self.right, self.top_pad, self.bottom = pads
        self.fill, self.edge, self.border, self.under = fill, edge, border, under
        self.h = self.top_pad + inner.h + self.bottom

    def draw(self, c: Canvas, x: float, top: float) -> None:
        y = top - self.h
        if self.fill is not None:
            c.setFillColor(self.fill)
            c.rect(x, y, self.width, self.h, stroke=0, fill=1)
        if self.edge is not None:
            c.setStrokeColor(self.edge[1])
            c.setLineWidth(self.edge[0])
            c.line(x, y, x, top)
        if self.under is not None:
            c.setStrokeColor(self.under[1])
            c.setLineWidth(self.under[0])
            c.line(x, y, x + self.width, y)
        if self.border is not None:
            c.setStrokeColor(self.border[1])
            c.setLineWidth(self.border[0])
            c.roundRect(x, y, self.width, self.h, self.border[2], stroke=1, fill=0)
        self.inner.draw(c, x + self.left, top - self.top_pad)


class Drawn(Part):
    """A reportlab flowable that only draws (picture, QR code, tick row, warning sign)."""

    def __init__(self, flowable: Any, width: float, dx: float = 0.0):
        self.f, self.h, self.dx = flowable, flowable.height, dx

    def draw(self, c: Canvas, x: float, top: float) -> None:
        self.f.drawOn(c, x + self.dx, top - self.h)
