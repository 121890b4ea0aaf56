"""One print-ready PDF for a whole workshop: every attendee's handout, in order.

It is built as one reportlab document, not merged from the single files, so that the embedded
fonts are subset once for everybody, and every picture and every page that several
handouts share is stored once as a form (a plain merge keeps one font subset per client: see
shared/design/performance-notes.md). Attendees are fed to the layout one at a time, so memory
stays flat however long the roster is. Each handout starts on a new sheet when printed
double-sided (padded with a blank page), has its own "Page X of Y" footer, and a bookmark.
Links are left out: the file is for the printer.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Sequence
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, NextPageTemplate, PageBreak, PageTemplate

from .build import Composed, compose
from .errors import HandoutError
from .fonts import load_fonts
from .models import Plan
from .render import doc_options, frames
from .styles import make_theme


class _Start(Flowable):
    """Marks where attendee ``index`` begins (draws nothing, but occupies the page)."""

    def __init__(self, index: int):
        super().__init__()
        self.index = index
        self.width = self.height = 0.01

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0.01, 0.01

    def draw(self) -> None:
        return None


class _Feed(list):  # type: ignore[type-arg]
    """A flowable list that pulls the next attendee's story only when it runs empty."""

    def __init__(self, chunks: Iterator[list[Flowable]]):
        super().__init__()
        self._chunks = chunks

    def __len__(self) -> int:
        length = super().__len__()
        while length == 0:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self.extend(chunk)
            length = super().__len__()
        return length


class _PrintDoc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, **kw: Any):
        super().__init__(buffer, **kw)
        self.current: Composed | None = None
        self.start_page = 1
        self.pages_expected: list[int] = []
        self.starts: list[int] = []
        self.composed: dict[int, Composed] = {}
        self._marks = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        if isinstance(flowable, _Start) and flowable.index < 0:
            self.current = None  # a blank padding page: no footer
            return
        if isinstance(flowable, _Start):
            self.current = self.composed.pop(flowable.index)
            self.start_page = self.page
            self.starts.append(self.page)
            self._mark(self.current.plan.client.name, 0)
            return

    def _mark(self, title: str, level: int) -> None:
        self._marks += 1
        key = f"p{self._marks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)


class _FormCanvas(Canvas):
    """A canvas that stores what many handouts share only once.

    Pictures become forms as they are drawn (see art.Picture). At the end of each page, the
    page body (all but its own header and footer) is compared with the bodies already stored,
    and an identical one (the same section page for two attendees) is referenced instead of
    written again. (Sharing smaller pieces, such as paragraphs or tables, was measured to
    cost more in per-object overhead than it saves.) Link annotations are dropped: the file
    is for the printer.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.handouts_forms: set[str] = set()
        self.body_end: int | None = None
        self._bodies: dict[str, str] = {}

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        end, self.body_end = self.body_end, None
        self._annotationrefs: list[Any] = []
        if end:
            self._share_body(end)
        super().showPage()

    def _share_body(self, end: int) -> None:
        code: list[str] = self._code  # type: ignore[has-type]
        forms: list[str] = self._formsinuse  # type: ignore[has-type]
        body, decorations = code[:end], code[end:]
        used = list(dict.fromkeys(forms))
        digest = hashlib.sha1("\n".join(body + used).encode("utf-8")).hexdigest()
        name = self._bodies.get(digest)
        if name is None:
            name = f"B{len(self._bodies) + 1}"
            self._bodies[digest] = name
            self._code, self._formsinuse = [], []
            width, height = self._pagesize
            self.beginForm(name, 0, 0, width, height)
            self._code.extend(body)
            self._formsinuse.extend(used)
            self.endForm()
        self._code, self._formsinuse = [], []
        self.doForm(name)
        self._code.extend(decorations)


def _decorate(canvas: Canvas, doc: _PrintDoc) -> None:
    """Footer on every handout page; running header after each handout's first page."""
    current = doc.current
    if current is None:
        return
    canvas.body_end = len(canvas._code)  # type: ignore[attr-defined]
    index = len(doc.starts) - 1
    page = doc.page - doc.start_page + 1
    if page > 1:
        current.later_header(canvas)
    current.footer(canvas, page, doc.pages_expected[index])


def build_print_file(plans: Sequence[Plan], pages: Sequence[int], *, title: str, author: str,
                     duplex: bool = True) -> tuple[bytes, list[int], int]:
    """Lay out every plan in one document; return the PDF, each handout's first page and the
    page count.

    ``pages`` are the page counts of the single handouts: each footer says "Page X of Y" for
    its own handout, and the layout must come out the same as in the single files.
    """
    if not plans:
        raise HandoutError("no handouts to put in the print file.")
    first_theme = compose(plans[0]).theme
    # Large print has taller header and footer bands: one pair of page templates per size.
    themes = {}
    for plan in plans:
        if plan.large_print not in themes:
            themes[plan.large_print] = make_theme(
                load_fonts(plan.clinic.fonts), plan.clinic.brand_color, plan.paper,
                plan.large_print, plan.grayscale)
    buffer = io.BytesIO()
    doc = _PrintDoc(buffer, **doc_options(
        first_theme, title=title, author=author, subject="Print file: psoas self-care handouts",
        keywords=["psoas", "self-care", "print"]),
        duplex="DuplexFlipLongEdge" if duplex else None, printScaling="None")
    doc.pages_expected = list(pages)
    templates = []
    for large, theme in sorted(themes.items()):
        first, later = frames(theme)
        templates += [
            PageTemplate(id=f"First{int(large)}", frames=[first],
                         autoNextPageTemplate=f"Later{int(large)}", onPageEnd=_decorate),
            PageTemplate(id=f"Later{int(large)}", frames=[later], onPageEnd=_decorate),
        ]
    first, _ = frames(first_theme)
    blank = type(first)(first._x1, first._y1, first._width, first._height, id="blank")
    opening = f"First{int(plans[0].large_print)}"
    templates.sort(key=lambda t: t.id != opening)  # the document starts with the first's
    templates.append(PageTemplate(id="Blank", frames=[blank], onPageEnd=lambda c, d: None))
    doc.addPageTemplates(templates)

    def stories() -> Iterator[list[Flowable]]:
        for index, plan in enumerate(plans):
            composed = compose(plan)
            doc.composed[index] = composed
            lead: list[Flowable] = []
            if index:
                lead = [NextPageTemplate(f"First{int(plan.large_print)}"), PageBreak()]
            tail: list[Flowable] = []
            if duplex and pages[index] % 2:
                tail = [NextPageTemplate("Blank"), PageBreak(), _Start(-1)]
            yield lead + [_Start(index)] + composed.story + tail

    doc.build(_Feed(stories()), canvasmaker=_FormCanvas)
    for index, start in enumerate(doc.starts):
        end = doc.starts[index + 1] if index + 1 < len(doc.starts) else doc.page + 1
        laid_out = end - start - (1 if duplex and pages[index] % 2 else 0)
        if laid_out != pages[index]:
            raise HandoutError(f"the print file's layout of handout {index + 1} took "
                               f"{laid_out} pages, not {pages[index]}; please report this.")
    return buffer.getvalue(), doc.starts, doc.page
