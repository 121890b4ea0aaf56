"""Where a picture's figure is drawn inside its box, and a picture cut to that part.

A stretch drawing's box holds more than the figure: margins, and a floor line across the
whole width under a figure that may take less than half of it (a person standing beside a
chair). A picture's box is therefore no honest measure of how large the figure prints. Here
the figure's extent is found from the ink the picture really draws: the picture is drawn
alone, rasterised at low resolution (pypdfium2, already used for the previews) and its inked
pixels bounded, leaving out the light ink of any row whose ink runs across most of the width
in one stroke (a floor line or a mat; a bridge's two positions each lie on one): in such a row
only the dark ink counts (the figure's outline: a body lying along its mat, feet on the floor
line); a drawing whose floor is as dark as its figure is then not cut in width (nothing is
lost). It works the same for a clinic's own SVG or photo (a photo's ink fills its box:
nothing to cut).

Every stretch card (the sheet's and the guide's, at 13 pt and in large print) uses
:class:`Cropped`, a picture whose box is its figure's extent (with a small margin): at the
same width the figure prints larger, and its box's width is the figure's.
"""

from __future__ import annotations

import io
import threading
from typing import Any

from reportlab.platypus import Flowable

Extent = tuple[float, float, float, float]  # left, bottom, right, top: shares of the box

FLOOR_RUN = 0.6      # a row whose ink runs this share of the width in one stroke is a floor
INK = 245            # gray levels under this (of 255) are ink
DARK = 120           # in a floor's row, gray levels under this are the figure's (its outline)
PIXELS = 200         # the longer side of the raster the extent is read from
BOX_ASPECT = 0.75   # the shipped drawings' boxes: height over width
KEPT = 64            # extents kept (a clinic's pictures and the shipped ones)
MARGIN = 0.03        # a cropped box's margin round its figure (share of the picture's width)
_WHOLE: Extent = (0.0, 0.0, 1.0, 1.0)

_lock = threading.Lock()
# PDFium is not thread-safe: two threads in it at once corrupt its memory (the app builds a
# handout's preview and its quality check in two threads). Every use of pypdfium2 in the
# program holds this lock (here and the app's page previews).
PDFIUM = threading.Lock()
_known: dict[int, tuple[Any, Extent]] = {}  # a source's id -> (the source, its extent)


def natural_size(picture: Any) -> tuple[float, float]:
    """The picture's own size (its box at scale 1)."""
    return picture.width / picture.scale, picture.height / picture.scale


def extent(picture: Any) -> Extent:
    """Where ``picture`` (an :class:`handouts.art.Picture`) draws its figure, as shares of its
    box; the whole box when nothing is found. Measured once per picture source."""
    source = picture.source
    with _lock:
        known = _known.get(id(source))
    if known is not None and known[0] is source:
        return known[1]
    found = _stored(source)
    if found is None:
        found = _measure(picture)
        _store(source, found)
    with _lock:
        if len(_known) >= KEPT:  # a long-running app meets many pictures: start afresh
            _known.clear()
        _known[id(source)] = (source, found)  # the source is kept, so its id is not reused
    return found


def _entry(source: Any) -> str | None:
    """The disk cache's name for a recorded drawing's extent (its name is a digest of what it
    draws); None for a photo or an unnamed drawing, measured each run."""
    name = getattr(source, "name", "")
    if not name:
        return None
    from . import diskcache

    return diskcache.key("figure", name, repr((PIXELS, INK, FLOOR_RUN, DARK)))


def _stored(source: Any) -> Extent | None:
    """An extent kept in the disk cache by an earlier run (rasterising a drawing, and
    importing pypdfium2 to do it, takes a cold build tens of milliseconds)."""
    entry = _entry(source)
    if entry is None:
        return None
    from . import diskcache

    data = diskcache.load(entry)
    if isinstance(data, list) and len(data) == 4 and all(
            isinstance(v, (int, float)) for v in data):
        return (float(data[0]), float(data[1]), float(data[2]), float(data[3]))
    return None  # none, or damaged: measured again


def _store(source: Any, found: Extent) -> None:
    entry = _entry(source)
    if entry is not None:
        from . import diskcache

        diskcache.store(entry, list(found))


def _measure(picture: Any) -> Extent:
    import pypdfium2
    from reportlab.pdfgen.canvas import Canvas

    from .art import Picture

    width, height = natural_size(picture)
    whole = Picture(picture.source, (width, height), width)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    whole.drawOn(canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    with PDFIUM:
        document = pypdfium2.PdfDocument(buffer.getvalue())
        try:
            page = document[0]
            try:
                bitmap = page.render(scale=PIXELS / max(width, height), grayscale=True)
                try:
                    columns, rows, stride = bitmap.width, bitmap.height, bitmap.stride
                    pixels = bytes(bitmap.buffer)
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()
    left, right, top, bottom = columns, -1, rows, -1
    figure = False  # any row that is not a floor's (a photo has none: all of it is kept)
    for y in range(rows):
        row = pixels[y * stride:y * stride + columns]
        inked = [x for x in range(columns) if row[x] < INK]
        if inked and _longest_run(inked) >= FLOOR_RUN * columns:
            # a floor line or a mat: only its dark ink is the figure's (a body lying along
            # it, feet standing on it; the shipped floors and mats are a lighter gray)
            inked = [x for x in inked if row[x] < DARK]
        elif inked:
            figure = True
        if not inked:
            continue
        left, right = min(left, inked[0]), max(right, inked[-1])
        top, bottom = min(top, y), max(bottom, y)
    if right < 0 or not figure:
        return _WHOLE
    # the raster's rows run down from the top; the extent's shares run up from the bottom
    return (left / columns, 1 - (bottom + 1) / rows, (right + 1) / columns, 1 - top / rows)


def _longest_run(inked: list[int]) -> int:
    best = run = 0
    previous = -2
    for x in inked:
        run = run + 1 if x == previous + 1 else 1
        previous = x
        best = max(best, run)
    return best


def share(width: float, height: float, inner: float) -> float:
    """A picture's size as a share of a card's inner width: its width's share, or its
    height's against a box of the shipped drawings' shape (a tall figure fills such a box
    in height, not in width), whichever is more."""
    return max(width, height / BOX_ASPECT) / inner


def drawn_size(picture: Any) -> tuple[float, float]:
    """How wide and tall the figure prints (points), its floor line left out."""
    left, bottom, right, top = getattr(picture, "figure", None) or extent(picture)
    return (right - left) * picture.width, (top - bottom) * picture.height


class Cropped(Flowable):
    """A picture cut to its figure and a small margin round it, the figure as large as
    fits ``width`` × ``height``. What it draws outside the cut (the floor line's ends) is
    clipped. A box narrower than ``min_width`` is widened to it on both sides, the figure
    centred in it (a tall figure in a card's picture column, over its caption).
    ``margin_x`` and ``margin_y``: the margins beside and above and below the figure (shares
    of the picture's width)."""

    def __init__(self, picture: Any, width: float, height: float, min_width: float = 0.0,
                 margin_y: float = MARGIN, margin_x: float = MARGIN):
        from .art import Picture

        super().__init__()
        nat_w, nat_h = natural_size(picture)
        left, bottom, right, top = extent(picture)
        margin_y = margin_y * nat_w / nat_h
        cut = (max(0.0, left - margin_x), max(0.0, bottom - margin_y),
               min(1.0, right + margin_x), min(1.0, top + margin_y))
        scale = min(width / ((right - left) * nat_w), height / ((top - bottom) * nat_h))
        if (cut[2] - cut[0]) * nat_w * scale < min_width:
            spare = (min_width / (nat_w * scale) - (cut[2] - cut[0])) / 2
            cut = (cut[0] - spare, cut[1], cut[2] + spare, cut[3])  # (past the box: blank)
        box_w, box_h = (cut[2] - cut[0]) * nat_w, (cut[3] - cut[1]) * nat_h
        self.whole = Picture(picture.source, (nat_w, nat_h), nat_w * scale)
        self.source, self.scale = picture.source, scale
        self.width, self.height = box_w * scale, box_h * scale
        self.offset = (cut[0] * nat_w * scale, cut[1] * nat_h * scale)
        # the figure's place in this box (for drawn_size), as shares of it
        self.figure = ((left - cut[0]) * nat_w / box_w, (bottom - cut[1]) * nat_h / box_h,
                       (right - cut[0]) * nat_w / box_w, (top - cut[1]) * nat_h / box_h)
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        path = canvas.beginPath()
        path.rect(0, 0, self.width, self.height)
        canvas.clipPath(path, stroke=0, fill=0)
        self.whole.drawOn(canvas, -self.offset[0], -self.offset[1])
        canvas.restoreState()
