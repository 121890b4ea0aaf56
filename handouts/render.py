"""The document template: page frames, running header and footer, "Page X of Y", bookmarks,
metadata, and the PDF bytes.

The footer needs the page count before it is known, so the canvas keeps each page's state and
draws all footers when the document is saved (one pass, no second layout). Output is
deterministic (``invariant``) and streams are not ASCII85-wrapped (25% smaller, much faster).
A handout's streams are deflated at a fast zlib level (``STREAM_LEVEL``, not zlib's default
6): compressing took a tenth of a warm handout's time, and the file grows by a few percent.
"""

from __future__ import annotations

import io
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from reportlab import rl_config
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from .errors import LayoutError
from .styles import Theme

rl_config.useA85 = 0  # see shared/design/performance-notes.md: ASCII85 costs time and bytes
# zlib's level for a handout's streams (pages, font subsets): level 6 (zlib's default) took
# 3.9 ms of a 5-stretch handout's ~30; this level takes a third of that for ~10% more bytes.
STREAM_LEVEL = 1


class _Level(threading.local):
    level = -1  # zlib's default, outside stream_level()


_LEVEL = _Level()


def _install_level() -> None:
    """Let reportlab's one deflate filter (pages, fonts, pictures) take the thread's level."""
    from reportlab.pdfbase import pdfdoc

    cls = pdfdoc.PDFStreamFilterZCompress
    if getattr(cls.encode, "_handouts", False):
        return

    def encode(self: Any, text: str | bytes) -> bytes:
        if isinstance(text, str):
            text = text.encode("utf8")
        return zlib.compress(text, _LEVEL.level)

    encode._handouts = True  # type: ignore[attr-defined]
    cls.encode = encode  # type: ignore[method-assign]


@contextmanager
def stream_level(level: int = STREAM_LEVEL) -> Iterator[None]:
    """PDF streams written on this thread meanwhile are deflated at ``level`` (a print file
    or the benchmark's floor may use it too, to write what a handout writes)."""
    _install_level()
    before, _LEVEL.level = _LEVEL.level, level
    try:
        yield
    finally:
        _LEVEL.level = before


class _Doc(BaseDocTemplate):
    """Records bookmarks, and where each flowable lands, as flowables are placed."""

    def __init__(self, buffer: io.BytesIO, **kw: Any):
        super().__init__(buffer, **kw)
        self._marks = 0
        self.placed: list[tuple[Any, int, float]] = []

    def afterFlowable(self, flowable: Flowable) -> None:
        frame = self.frame  # how far down its page's frame the flowable reaches (0 to 1)
        reach = ((frame._y1 + frame._height - frame._y) / frame._height) if frame else 0.0
        self.placed.append((flowable, self.page, round(reach, 4)))
        mark = getattr(flowable, "bookmark", None)
        if mark is None:
            return
        title, level = mark
        self._marks += 1
        key = f"m{self._marks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=False)


def _canvas_class(footer: Callable[[Any, int, int], None]) -> type:
    class NumberedCanvas(rl_canvas.Canvas):
        """Keeps page states so the footer can say "Page X of Y"."""

        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                footer(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def frames(theme: Theme, footer_lines: int = 1) -> tuple[Frame, Frame]:
    """The first-page frame and the later-page frame (under the running header)."""
    _, height = theme.page_size
    footer_space = theme.body_size * 1.3 * (footer_lines + 1)  # (2.6 for one line, 3.9 for two)
    frame_height = height - 2 * theme.margin - footer_space
    common = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    first = Frame(theme.margin, theme.margin + footer_space, theme.frame_width, frame_height,
                  id="first", **common)
    later = Frame(theme.margin, theme.margin + footer_space, theme.frame_width,
                  frame_height - theme.body_size * 2.0, id="later", **common)
    return first, later


def doc_options(theme: Theme, *, title: str, author: str, subject: str,
                keywords: list[str], lang: str = "en-US") -> dict[str, Any]:
    """Document settings shared by single handouts and print files."""
    return {
        "pagesize": theme.page_size, "leftMargin": theme.margin, "rightMargin": theme.margin,
        "topMargin": theme.margin, "bottomMargin": theme.margin,
        "title": title, "author": author, "subject": subject, "keywords": keywords,
        "creator": "psoas-handouts", "producer": "psoas-handouts (reportlab)",
        "invariant": 1, "pageCompression": 1, "lang": lang, "displayDocTitle": 1,
        "initialFontName": theme.fonts.regular, "initialFontSize": theme.body_size,
    }


def render_pdf(story: list[Flowable], theme: Theme, *, title: str, author: str, subject: str,
               keywords: list[str], footer: Callable[[Any, int, int], None],
               later_header: Callable[[Any], None], footer_lines: int = 1,
               lang: str = "en-US") -> tuple[bytes, list[tuple[Any, int, float]]]:
    """Lay out ``story`` and return the PDF bytes and where each flowable was placed."""
    buffer = io.BytesIO()
    doc = _Doc(buffer, **doc_options(theme, title=title, author=author, subject=subject,
                                     keywords=keywords, lang=lang))
    first, later = frames(theme, footer_lines)
    doc.addPageTemplates([
        PageTemplate(id="First", frames=[first], autoNextPageTemplate="Later"),
        PageTemplate(id="Later", frames=[later], onPage=lambda c, d: later_header(c)),
    ])
    try:
        with stream_level():
            doc.build(story, canvasmaker=_canvas_class(footer))
    except RLLayoutError as exc:
        raise LayoutError("a part of the handout is taller than a page and cannot be printed "
                          f"({_what(exc)}). Shorten the notes, or use fewer steps.") from None
    return buffer.getvalue(), doc.placed


def _what(exc: Exception) -> str:
    text = str(exc)
    return "a stretch card" if "Table" in text or "KeepTogether" in text else "a section"
