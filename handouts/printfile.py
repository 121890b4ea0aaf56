"""One print-ready PDF for a whole workshop: every attendee's handout, in order.

The handouts are laid out in pieces of up to :data:`PIECE_ROWS` attendees, each piece one
reportlab document, so that within a piece the embedded fonts are subset once for everybody
and every picture and every page that several handouts share is stored once as a form (a plain
merge keeps one font subset per client: see shared/design/performance-notes.md). The pieces are
independent, so worker processes build them in parallel, and :class:`PrintFileWriter` streams
them one after another into the final file, renumbering their objects: memory stays flat
however long the roster is (reportlab keeps a whole document in memory until it is saved).
The pieces are cut by row count only, so the file is the same whatever the number of jobs.
Each handout starts on a new sheet when printed double-sided (padded with a blank page), has
its own "Page X of Y" footer, and a bookmark. Links are left out: the file is for the printer.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, NextPageTemplate, PageBreak, PageTemplate

from .build import Composed, compose, fit_sheet
from .errors import HandoutError, OutputError
from .fonts import load_fonts
from .models import Plan
from .output import Fixes, option_fixes, private_folder
from .render import doc_options, frames
from .renderer import Renderer
from .styles import make_theme

PRINT_FILE_SUBJECT = "Print file: psoas self-care handouts"
PIECE_ROWS = 50  # attendees per piece: sharing within a piece against memory and latency


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


@dataclass(frozen=True)
class Piece:
    """Consecutive handouts laid out as one small PDF, to be streamed into the print file."""

    index: int
    pdf: bytes
    counts: tuple[int, ...]  # each handout's page count (without padding)
    starts: tuple[int, ...]  # the page (1-based, in this piece) each handout starts on


def build_piece(plans: Sequence[Plan], *, duplex: bool = True, index: int = 0,
                renderer: Renderer | None = None) -> Piece:
    """Lay out ``plans`` as one document (padded for duplex printing after each handout).

    It needs nothing from the single files, so it can be built while they are.
    """
    if not plans:
        raise HandoutError("no handouts to put in the print file.")
    renderer = renderer or Renderer()
    # A one-sheet handout prints as the variant that fits one sheet, as its single file does.
    plans = [fit_sheet(plan, renderer).plan if plan.layout == "sheet" else plan
             for plan in plans]
    # Each body size (large print, a sheet at 12 pt) has its own header and footer bands:
    # one pair of page templates per size.
    themes = {}
    for plan in plans:
        if _size(plan) not in themes:
            themes[_size(plan)] = make_theme(
                load_fonts(plan.clinic.fonts), plan.clinic.brand_color, plan.paper,
                plan.large_print, plan.grayscale, plan.compact)
    first_theme = themes[_size(plans[0])]
    # The footer's lines (one, or two when the clinic's name needs its own) depend on the
    # type size: counted per size, as each single file counts them.
    lines = {size: max(renderer.decoration(plan, theme).lines for plan in plans
                       if _size(plan) == size) for size, theme in themes.items()}
    buffer = io.BytesIO()
    doc = _PrintDoc(buffer, **doc_options(
        first_theme, title="", author="", subject=PRINT_FILE_SUBJECT, keywords=[]))
    templates = []
    for size, theme in sorted(themes.items()):
        first, later = frames(theme, lines[size])
        templates += [
            PageTemplate(id=f"First{size}", frames=[first],
                         autoNextPageTemplate=f"Later{size}", onPageEnd=_mark_page),
            PageTemplate(id=f"Later{size}", frames=[later], onPageEnd=_mark_page),
        ]
    first, _ = frames(first_theme, lines[_size(plans[0])])
    blank = type(first)(first._x1, first._y1, first._width, first._height, id="blank")
    opening = f"First{_size(plans[0])}"
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
        for number, plan in enumerate(plans):
            renderer.begin(plan)
            try:
                composed = compose(plan, renderer)
            finally:
                renderer.end(plan)
            doc.composed[number] = composed
            lead: list[Flowable] = []
            if number:
                lead = finished() + [NextPageTemplate(f"First{_size(plan)}"),
                                     PageBreak()]
            yield lead + [_Start(number)] + composed.story
        padding = finished()
        if padding:
            yield padding

    doc.build(_Feed(stories()), canvasmaker=_FormCanvas)
    return Piece(index, buffer.getvalue(), tuple(doc.counts), tuple(doc.starts))


def _size(plan: Plan) -> str:
    """The page templates a handout needs: its print size ("L" large, "C" compact, "N")."""
    return "L" if plan.large_print else ("C" if plan.compact else "N")


_REF = re.compile(rb"(\d+) 0 R")
_STREAM = re.compile(rb"[\r\n>]stream\r?\n")


def _objects(pdf: bytes) -> tuple[dict[int, tuple[bytes, memoryview]], list[int]]:
    """A reportlab PDF's objects, by number, as (dictionary part, stream part); and its pages.

    reportlab writes a plain cross-reference table, so every object is found by its offset
    without parsing the file; stream data is kept as raw bytes, never decoded.
    """
    start = int(pdf[pdf.rindex(b"startxref") + 9:].split()[0])
    head = pdf[start:start + 40].split()  # xref / first number / count / entries
    first, count = int(head[1]), int(head[2])
    table = pdf.index(b"\n", pdf.index(b"\n", start) + 1) + 1
    view = memoryview(pdf)  # streams are passed on as views: the piece is not copied
    objects: dict[int, tuple[bytes, memoryview]] = {}
    for number in range(first, first + count):
        entry = pdf[table + 20 * (number - first):table + 20 * (number - first) + 18]
        if entry.endswith(b"n"):
            offset = int(entry[:10])
            body_start = pdf.index(b"obj", offset) + 3
            end = pdf.index(b"endobj", body_start)
            stream = _STREAM.search(pdf, body_start, end)
            split = end if stream is None else stream.start() + 1
            objects[number] = (pdf[body_start:split], view[split:end])
    trailer = pdf[pdf.rindex(b"trailer"):]
    root = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))  # type: ignore[union-attr]
    pages_ref = re.search(rb"/Pages (\d+) 0 R", objects[root][0])
    pages: list[int] = []
    todo = [int(pages_ref.group(1))]  # type: ignore[union-attr]
    while todo:  # the page tree, depth first, in order
        number = todo.pop()
        body = objects[number][0]
        if b"/Type /Pages" in body:
            kids = re.search(rb"/Kids \[([^\]]*)\]", body)
            todo.extend(int(kid) for kid in reversed(_REF.findall(kids.group(1) if kids else b"")))
        else:
            pages.append(number)
    return objects, pages


def _tag(value: str) -> bytes:
    """A language tag as a PDF string: letters, digits and hyphens only (a checked locale)."""
    return "".join(c for c in value if c.isascii() and (c.isalnum() or c == "-")) \
        .encode("ascii") or b"en-US"


def _text(value: str) -> bytes:
    """A PDF text string (UTF-16 with a byte-order mark, as hex: any script, no escaping)."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"


class PrintFileWriter:
    """Writes the print file to an open binary file, one piece at a time.

    Each piece's objects that its pages use are copied with new numbers (their stream bytes
    untouched); the page tree, the bookmarks, the document information and the
    cross-reference table are written at the end. Only object offsets, page numbers and the
    bookmark titles are kept in memory.
    """

    _PAGES = 1  # the page tree's object number, known before any page is written

    def __init__(self, handle: IO[bytes], *, title: str, author: str, duplex: bool = True,
                 lang: str = "en-US"):
        self.handle = handle
        self.title, self.author, self.duplex = title, author, duplex
        self.lang = lang  # the attendees' locale (the most common one)
        self.digest = hashlib.sha256()
        self.offsets = array("q", [0, 0])  # object number -> offset; 0 and the page tree
        self.pages = array("q")  # page object numbers, in order
        self.marks: list[tuple[str, int]] = []  # (attendee's name, first page's object)
        self.counts: list[int] = []
        self.position = 0
        self._write(b"%PDF-1.4\n%\x93\x8c\x8b\x9e psoas-handouts print file\n")

    def _write(self, data: bytes | memoryview) -> None:
        self.handle.write(data)
        self.digest.update(data)
        self.position += len(data)

    def _object(self, number: int, body: bytes, stream: bytes | memoryview = b"") -> None:
        if number >= len(self.offsets):
            self.offsets.extend([0] * (number + 1 - len(self.offsets)))
        self.offsets[number] = self.position
        self._write(b"%d 0 obj\n" % number + body)
        if stream:
            self._write(stream)
        self._write(b"\nendobj\n")

    def add(self, piece: Piece, names: Sequence[str]) -> None:
        """Append a piece's pages; ``names`` are its attendees' names, for the bookmarks."""
        objects, pages = _objects(piece.pdf)
        parent = re.compile(rb"/Parent \d+ 0 R")
        page_set = set(pages)
        used: list[int] = []
        seen: set[int] = set()
        todo = list(reversed(pages))
        while todo:  # what the pages use (not the piece's own page tree, outline or info)
            number = todo.pop()
            if number in seen:
                continue
            seen.add(number)
            used.append(number)
            body = objects[number][0]
            if number in page_set:
                body = parent.sub(b"", body)
            todo.extend(int(ref) for ref in reversed(_REF.findall(body)))
        base = len(self.offsets)
        numbers = {old: base + i for i, old in enumerate(sorted(used))}

        def renumber(match: re.Match[bytes]) -> bytes:
            return b"%d 0 R" % numbers[int(match.group(1))]

        for old in sorted(used):
            body, stream = objects[old]
            if old in page_set:
                body = parent.sub(b"/Parent %d 0 R" % self._PAGES, body)
            self._object(numbers[old], _REF.sub(renumber, body), stream)
        first_page = len(self.pages)
        self.pages.extend(numbers[page] for page in pages)
        for name, start in zip(names, piece.starts, strict=True):
            self.marks.append((name, self.pages[first_page + start - 1]))
        self.counts.extend(piece.counts)

    def close(self) -> int:
        """Write the page tree, bookmarks, information and cross-references; return pages."""
        kids = b" ".join(b"%d 0 R" % page for page in self.pages)
        self._object(self._PAGES, b"<< /Type /Pages /Count %d /Kids [ %s ] >>"
                     % (len(self.pages), kids))
        outline = len(self.offsets)
        items = range(outline + 1, outline + 1 + len(self.marks))
        for number, (name, page) in zip(items, self.marks, strict=True):
            links = b" /Prev %d 0 R" % (number - 1) if number > items.start else b""
            links += b" /Next %d 0 R" % (number + 1) if number + 1 < items.stop else b""
            self._object(number, b"<< /Title %s /Parent %d 0 R /Dest [ %d 0 R /Fit ]%s >>"
                         % (_text(name), outline, page, links))
        ends = b" /First %d 0 R /Last %d 0 R" % (items.start, items.stop - 1) if items else b""
        self._object(outline, b"<< /Type /Outlines /Count %d%s >>" % (len(items), ends))
        info = len(self.offsets)
        self._object(info, b"<< /Title %s /Author %s /Subject %s /Creator (psoas-handouts) "
                     b"/Producer (psoas-handouts \\(reportlab\\)) /Keywords (psoas, "
                     b"self-care, print) /CreationDate (D:20000101000000+00'00') "
                     b"/ModDate (D:20000101000000+00'00') >>"
                     % (_text(self.title), _text(self.author), _text(PRINT_FILE_SUBJECT)))
        preferences = b"/DisplayDocTitle true /PrintScaling /None"
        if self.duplex:
            preferences += b" /Duplex /DuplexFlipLongEdge"
        root = len(self.offsets)
        self._object(root, b"<< /Type /Catalog /Pages %d 0 R /Outlines %d 0 R /PageMode "
                     b"/UseOutlines /Lang (%s) /ViewerPreferences << %s >> >>"
                     % (self._PAGES, outline, _tag(self.lang), preferences))
        identity = self.digest.hexdigest()[:32].encode("ascii")
        xref = self.position
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets))
        for at in range(1, len(self.offsets), 4096):  # in slices: 20 bytes per object
            self._write(b"".join(b"%010d 00000 n \n" % offset
                                 for offset in self.offsets[at:at + 4096]))
        self._write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s><%s>] >>\n"
                    b"startxref\n%d\n%%%%EOF\n"
                    % (len(self.offsets), root, info, identity, identity, xref))
        return len(self.pages)


class PrintFileOutput:
    """The print file being written: pieces appended in order to a temporary file beside it,
    which becomes the print file only once it is complete and matches the single files.

    The print file belongs to the run: a different one from an earlier run is replaced (no
    ``force`` needed); a file there that is not a print file (someone's own PDF) is not.
    """

    def __init__(self, path: Path, names: Sequence[str], author: str, title: str,
                 duplex: bool, force: bool, lang: str = "en-US", fixes: Fixes | None = None):
        # batch's --print-file chooses another name (the web app passes its own ``fixes``)
        self.fixes = fixes or option_fixes("--print-file", "name")
        self.path, self.force, self.names = path, force, list(names)
        self.waiting: dict[int, Piece] = {}
        self.next = 0
        self.problem = ""
        self.placed = 0
        self.pages = 0
        folder = private_folder(path.parent, fixes=self.fixes)
        try:
            fd, name = tempfile.mkstemp(prefix=".partial-", suffix=".tmp", dir=folder)
        except OSError as exc:
            advice = fixes.no_write if fixes else ""
            raise OutputError(f"{folder}: cannot write here ({exc.strerror}).{advice}") \
                from None
        self.tmp = Path(name)
        self.handle = os.fdopen(fd, "wb")
        self.writer = PrintFileWriter(self.handle, title=title or "Psoas handouts: print file",
                                      author=author, duplex=duplex, lang=lang)

    def take(self, piece: Piece | str) -> int:
        """Append ``piece`` (or keep it until the pieces before it are in; a string is why a
        piece could not be built); return how many handouts are in the file now."""
        if isinstance(piece, str):
            self.problem = self.problem or piece
            self.waiting.clear()
            return self.placed
        if self.problem:  # the file will not be written: nothing more is kept
            return self.placed
        self.waiting[piece.index] = piece
        while self.next in self.waiting:
            ready = self.waiting.pop(self.next)
            self.writer.add(ready, self.names[self.placed:self.placed + len(ready.counts)])
            self.placed += len(ready.counts)
            self.next += 1
        return self.placed

    def finish(self, pages: list[int]) -> str:
        """Complete the file and put it in place; the reason if it cannot be, else ""."""
        if self.problem:
            return self.problem
        if self.writer.counts != pages:
            return ("the print file was not written: its pages do not match the single "
                    "handouts' (please report this).")
        self.pages = self.writer.close()
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.tmp, 0o600)
        if self.path.is_file():
            if _sha256(self.path) == self.writer.digest.hexdigest():
                return ""
            if not (self.force or is_print_file(self.path)):
                return f"{self.path}: already exists and is not a print file.{self.fixes.exists}"
        try:
            os.replace(self.tmp, self.path)
        except OSError as exc:
            return f"{self.path}: cannot write the print file ({exc.strerror})."
        return ""

    def discard(self) -> None:
        """Remove the temporary file (after success it is already in place)."""
        if not self.handle.closed:
            self.handle.close()
        self.tmp.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_print_file(path: Path) -> bool:
    """Whether ``path`` is a print file this tool made (its PDF subject says so)."""
    try:
        from pypdf import PdfReader

        info = PdfReader(path).metadata
        return info is not None and str(info.subject or "") == PRINT_FILE_SUBJECT
    except Exception:  # noqa: BLE001 - a damaged or foreign file is simply not ours
        return False
