"""Find and fit illustrations: SVG through svglib as vectors, PNG/JPG as images, aspect kept.

This module loads and draws; it keeps nothing. The renderer (:mod:`handouts.renderer`) owns
the caches: each picture is parsed once per renderer (svglib takes a few milliseconds per
file) and drawn scaled, so a batch of handouts pays for parsing only once. Text inside an SVG
is moved to the handout's embedded font (svglib would otherwise use Helvetica, which is not
embedded).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.platypus import Flowable

from .errors import InputError
from .fonts import FontSet
from .imagefiles import check_raster, parse_svg

MIN_PPI = 200
_IMAGE_FIELDS = ("width", "height", "streamContent", "_filters", "colorSpace",
                 "bitsPerComponent", "_smask", "mask", "_dotrans", "_decode")


def install_stream_cache() -> None:
    """Compress each raster picture once per process, not once per handout.

    reportlab re-reads and zlib-compresses a PNG's pixels every time a document uses it
    (~70 ms per picture; see shared/design/performance-notes.md). Readers made by this module
    carry a ``_handouts_stream`` slot; for them the finished image stream is kept and reused.
    Other images go through reportlab unchanged.
    """
    from reportlab.pdfbase import pdfdoc

    original = pdfdoc.PDFImageXObject.loadImageFromSRC
    if getattr(original, "_handouts", False):
        return

    def load(self: Any, im: Any) -> None:
        cached = getattr(im, "_handouts_stream", False)
        if cached is False:
            original(self, im)
            return
        if cached is None:
            original(self, im)
            im._handouts_stream = {k: getattr(self, k) for k in _IMAGE_FIELDS if hasattr(self, k)}
            return
        state: dict[str, Any] = dict(cached)  # type: ignore[arg-type]
        smask = state.get("_smask")
        if smask is not None:
            # The soft mask (transparency) is an object each document registers under its own
            # name: give every document a fresh one, not the one an earlier document owns.
            fresh = object.__new__(type(smask))
            fresh.__dict__.update({k: v for k, v in smask.__dict__.items()
                                   if k != "__InternalName__"})
            state["_smask"] = fresh
        self.__dict__.update(state)

    load._handouts = True  # type: ignore[attr-defined]
    pdfdoc.PDFImageXObject.loadImageFromSRC = load


class Picture(Flowable):
    """A picture scaled to fit ``width`` × ``max_height``, keeping its aspect ratio.

    ``ops`` are a vector picture's ready PDF operators (see :func:`drawing_ops`); without them
    the drawing is rendered here, under ``lock``, since rendering marks the shared drawing.
    """

    def __init__(self, source: Any, natural: tuple[float, float], width: float,
                 max_height: float | None = None,
                 ops: tuple[list[str], str] | None = None, lock: Any = None):
        super().__init__()
        self.source = source
        self.ops = ops
        self.lock = lock
        nat_w, nat_h = natural
        scale = width / nat_w
        if max_height is not None and nat_h * scale > max_height:
            scale = max_height / nat_h
        self.scale = scale
        self.width = nat_w * scale
        self.height = nat_h * scale
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if isinstance(self.source, Drawing):
            canvas.saveState()
            canvas.scale(self.scale, self.scale)
            ops, name = self.ops if self.ops is not None else (None, "")
            forms = getattr(canvas, "handouts_forms", None)
            if ops is not None and forms is not None:  # a print file: one shared form each
                if name not in forms:
                    forms.add(name)
                    canvas.beginForm(name, 0, 0, self.source.width, self.source.height)
                    canvas._code.extend(ops)
                    canvas.endForm()
                canvas.doForm(name)
            elif ops is not None:
                canvas._code.extend(ops)  # the same operators renderPDF would write
            elif self.lock is not None:
                with self.lock:
                    _render(self.source, canvas)
            else:
                _render(self.source, canvas)
            canvas.restoreState()
        else:
            canvas.drawImage(self.source, 0, 0, self.width, self.height, mask="auto")


def drawing_ops(drawing: Drawing) -> tuple[list[str], str] | None:
    """The PDF operators for a drawing, rendered once per renderer and replayed per handout.

    Turning a drawing's shapes into operators is most of a vector picture's cost. The result
    can be replayed only when it names no per-document resource (fonts, transparency states,
    images); for such drawings (text labels) None says: render it each time. The second item
    is a stable name for the drawing's shared form in print files (a hash of the operators).
    """
    import io

    from reportlab.pdfgen.canvas import Canvas

    scratch = Canvas(io.BytesIO(), invariant=1, initialFontName=drawing.initialFontName)
    start = len(scratch._code)
    _render(drawing, scratch)
    ops = list(scratch._code[start:])
    result: tuple[list[str], str] | None = None
    if not any("/" in op for op in ops):  # no font, state or image resource is named
        digest = hashlib.sha1("\n".join(ops).encode("utf-8")).hexdigest()[:20]
        result = (ops, f"G{digest}")
    return result


class _ImageRenderer(renderPDF._PDFRenderer):  # type: ignore[misc]
    """renderPDF, drawing a picture embedded in an SVG as a PDF image (an XObject, kept once
    per document) rather than inline in the page's stream (which reportlab fails to write)."""

    def drawImage(self, image: Any) -> None:
        from reportlab.lib.utils import ImageReader

        if isinstance(image.path, ImageReader):  # only embedded data: pictures get here
            self._canvas.drawImage(image.path, image.x, image.y, image.width, image.height,
                                   mask="auto")


def _render(drawing: Drawing, canvas: Any) -> None:
    """Draw ``drawing`` at the canvas origin, as renderPDF.draw would."""
    from reportlab.graphics.renderbase import renderScaledDrawing

    _ImageRenderer().draw(renderScaledDrawing(drawing), canvas, 0, 0, showBoundary=False)


def check_picture(path: Path) -> None:
    """Read a clinic's picture completely now, so a damaged one stops the run while loading
    (one line naming the file) instead of failing while a handout is drawn."""
    try:
        stat = path.stat()
    except OSError:
        raise InputError(f"{path}: this picture cannot be opened.") from None
    _checked(path, stat.st_mtime, stat.st_size)


@lru_cache(maxsize=64)
def _checked(path: Path, mtime: float, size: int) -> None:
    if path.suffix.lower() == ".svg":
        drawing = parse_svg(path)
        if drawing is None or not drawing.width or not drawing.height:
            raise InputError(f"{path}: this SVG cannot be read or has no size. "
                             "Give the <svg> element a width and height or a viewBox.")
    else:
        check_raster(path)


def _retarget_text(node: Any, fonts: FontSet, where: Path) -> None:
    """Set every String in a drawing to the embedded house face and check its characters."""
    if isinstance(node, String):
        bold = "bold" in str(node.fontName).lower()
        node.fontName = fonts.bold if bold else fonts.regular
        for char in node.text:
            if not fonts.main_has(char) and not char.isspace():
                raise InputError(f"{where}: the picture's text has a character the house font "
                                 f"cannot print (U+{ord(char):04X}).")
    if isinstance(node, (Group, Drawing)):
        for child in node.contents:
            _retarget_text(child, fonts, where)


def _to_gray(node: Any) -> None:
    """Turn every colour in a drawing into the gray of the same lightness (--grayscale)."""
    from reportlab.graphics.shapes import Image
    from reportlab.lib.colors import Color
    from reportlab.lib.utils import ImageReader

    if isinstance(node, Image) and isinstance(node.path, ImageReader):
        node.path = _gray_reader(node.path._image)
    for attr in ("fillColor", "strokeColor"):
        color = getattr(node, attr, None)
        if isinstance(color, Color):
            y = 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue
            setattr(node, attr, Color(y, y, y, alpha=color.alpha))
    for child in getattr(node, "contents", ()):
        _to_gray(child)


def _gray_reader(image: Any) -> Any:
    """An ImageReader of ``image`` in gray, keeping its transparency."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    gray = image.convert("L")
    if "A" in image.mode:
        gray = Image.merge("RGBA", (gray, gray, gray, image.getchannel("A")))
    reader = ImageReader(gray)
    reader._handouts_stream = None
    return reader


Loaded = tuple[Any, tuple[float, float], tuple[int, int] | None]


def relabelled(loaded: Loaded, labels: dict[str, str]) -> Loaded:
    """A copy of a drawing with its text labels put in another language (each String whose
    text is a key of ``labels``); a raster picture is returned as it is."""
    import copy

    source, natural, pixels = loaded
    if not isinstance(source, Drawing):
        return loaded
    drawing = copy.deepcopy(source)

    def walk(node: Any) -> None:
        if isinstance(node, String) and node.text.strip() in labels:
            node.text = labels[node.text.strip()]
        for child in getattr(node, "contents", ()):
            walk(child)

    walk(drawing)
    return drawing, natural, pixels


def gray_copy(loaded: Loaded) -> Loaded:
    """The same picture in grays (--grayscale): a drawing recoloured, an image converted."""
    source, natural, pixels = loaded
    if isinstance(source, Drawing):
        import copy

        drawing = copy.deepcopy(source)
        _to_gray(drawing)
        return drawing, natural, pixels
    return _gray_reader(source._image), natural, pixels


def load_picture(path: Path, fonts: FontSet) -> Loaded:
    """Parse the picture at ``path``: (drawing or image reader, natural size, pixel size)."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        drawing = parse_svg(path)  # embedded rasters decoded, links refused
        if drawing is None or not drawing.width or not drawing.height:
            raise InputError(f"{path}: this SVG cannot be read or has no size. "
                             "Give the <svg> element a width and height or a viewBox.")
        _retarget_text(drawing, fonts, path)
        drawing.initialFontName = fonts.regular  # else renderPDF selects Helvetica (not embedded)
        return drawing, (float(drawing.width), float(drawing.height)), None
    from reportlab.lib.utils import ImageReader

    check_picture(path)  # decoded whole once: a truncated file fails here, not when drawn
    try:
        reader = ImageReader(str(path))
        pixels = reader.getSize()
        reader._handouts_stream = None  # filled on first use: see _install_stream_cache
    except Exception as exc:  # PIL raises many types for broken images
        raise InputError(f"{path}: this image cannot be read ({type(exc).__name__}). "
                         "Save it again as PNG or JPG.") from None
    return reader, (float(pixels[0]), float(pixels[1])), (int(pixels[0]), int(pixels[1]))


def low_resolution(path: Path, pixels: tuple[int, int] | None, printed_width: float
                   ) -> str | None:
    """The warning for raster art printed below 200 ppi (None when it is sharp enough)."""
    if pixels is None:
        return None
    ppi = pixels[0] / (printed_width / 72.0)
    if ppi >= MIN_PPI:
        return None
    return (f"{path.name}: only {ppi:.0f} ppi at its printed size; it may print blurry. Use "
            f"an image at least {int(printed_width / 72 * 300)} pixels wide (300 ppi).")
