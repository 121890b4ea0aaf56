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

PRINT_FILE_SUBJECT = "Print file: psoas self-care handouts"


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
        self.total: int | None = None  # the current handout's page count, once known
        self.starts: list[int] = []
        self.counts: list[int] = []
        self.composed: dict[int, Composed] = {}
        self._marks = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        if isinstance(flowable, _Start) and flowable.index < 0:
            self.current = None  # a blank padding page: no footer
            return
        if isinstance(flowable, _Start):
            self.current = self.composed.pop(flowable.index)
            self.total = None
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
    """A canvas that stores what many handouts share only once, and numbers pages late.

    Pictures become forms as they are drawn (see art.Picture). At the end of each page, the
    page body (all but its own header and footer) is compared with the bodies already stored,
    and an identical one (the same section page for two attendees) is referenced instead of
    written again. (Sharing smaller pieces, such as paragraphs or tables, was measured to
    cost more in per-object overhead than it saves.) Link annotations are dropped: the file
    is for the printer.

    "Page X of Y" needs a handout's page count, known only when its last page is reached, so
    the pages of the handout in progress are held back (a few at a time) until then.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.handouts_forms: set[str] = set()
        self.doc: _PrintDoc | None = None
        self.meta: tuple[Composed, int] | None = None  # this page's handout and number
        self._bodies: dict[str, str] = {}
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._annotationrefs: list[Any] = []
        total = self.doc.total if self.doc is not None else None
        if self.meta is not None and total is None:
            self._held.append(dict(self.__dict__))  # finish it when the total is known
            self.meta = None
            self._startPage()
            return
        for state in self._held:
            current = dict(self.__dict__)
            self.__dict__.update(state)
            self._finish(total)
            self.__dict__.update(current)
        self._held = []
        self._finish(total)

    def _finish(self, total: int | None) -> None:
        """Draw the header and footer, share the body, and emit the page."""
        meta, self.meta = self.meta, None
        if meta is not None and total is not None:
            composed, page = meta
            end = len(self._code)
            if page > 1:
                composed.later_header(self)
            composed.footer(self, page, total)
            self._share_body(end)
        Canvas.showPage(self)

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


def _mark_page(canvas: Canvas, doc: _PrintDoc) -> None:
    """Remember which handout and page this is; the canvas draws header and footer later."""
    if doc.current is not None:
        canvas.doc = doc  # type: ignore[attr-defined]
        canvas.meta = (doc.current, doc.page - doc.start_page + 1)  # type: ignore[attr-defined]


def build_print_file(plans: Sequence[Plan], *, title: str, author: str,
                     duplex: bool = True) -> tuple[bytes, list[int], int]:
    """Lay out every plan in one document; return the PDF, each handout's page count (without
    padding) and the file's page count. It needs nothing from the single files, so it can be
    built while they are."""
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
        first_theme, title=title, author=author, subject=PRINT_FILE_SUBJECT,
        keywords=["psoas", "self-care", "print"]),
        duplex="DuplexFlipLongEdge" if duplex else None, printScaling="None")
    templates = []
    for large, theme in sorted(themes.items()):
        first, later = frames(theme)
        templates += [
            PageTemplate(id=f"First{int(large)}", frames=[first],
                         autoNextPageTemplate=f"Later{int(large)}", onPageEnd=_mark_page),
            PageTemplate(id=f"Later{int(large)}", frames=[later], onPageEnd=_mark_page),
        ]
    first, _ = frames(first_theme)
    blank = type(first)(first._x1, first._y1, first._width, first._height, id="blank")
    opening = f"First{int(plans[0].large_print)}"
    templates.sort(key=lambda t: t.id != opening)  # the document starts with the first's
    templates.append(PageTemplate(id="Blank", frames=[blank], onPageEnd=lambda c, d: None))
    doc.addPageTemplates(templates)

    def finished() -> list[Flowable]:
        """Called when a handout's last flowable is placed: its page count is now known."""
        doc.total = doc.page - doc.start_page + 1
        doc.counts.append(doc.total)
        if duplex and doc.total % 2:
            return [NextPageTemplate("Blank"), PageBreak(), _Start(-1)]
        return []

    def stories() -> Iterator[list[Flowable]]:
        for index, plan in enumerate(plans):
            composed = compose(plan)
            doc.composed[index] = composed
            lead: list[Flowable] = []
            if index:
                lead = finished() + [NextPageTemplate(f"First{int(plan.large_print)}"),
                                     PageBreak()]
            yield lead + [_Start(index)] + composed.story
        padding = finished()
        if padding:
            yield padding

    doc.build(_Feed(stories()), canvasmaker=_FormCanvas)
    return buffer.getvalue(), doc.counts, doc.page
