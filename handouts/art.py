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

from reportlab.platypus import Flowable

from . import diskcache
from .errors import InputError
from .fonts import FontSet
from .imagefiles import check_raster, parse_svg
from .labelfit import LABEL_FIT_VERSION, Fit, fit_labels

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

    ``source`` is a :class:`Vector` (an SVG's recorded drawing) or an image reader.
    """

    def __init__(self, source: Any, natural: tuple[float, float], width: float,
                 max_height: float | None = None):
        super().__init__()
        self.source = source
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
        source = self.source
        if isinstance(source, Vector):
            canvas.saveState()
            canvas.scale(self.scale, self.scale)
            forms = getattr(canvas, "handouts_forms", None)
            if source.name and forms is not None:  # a print file: one shared form each
                if source.name not in forms:
                    forms.add(source.name)
                    canvas.beginForm(source.name, 0, 0, source.width, source.height)
                    source.replay(canvas)
                    canvas.endForm()
                canvas.doForm(source.name)
            else:
                source.replay(canvas)
            canvas.restoreState()
        else:
            canvas.drawImage(source, 0, 0, self.width, self.height, mask="auto")


class Vector:
    """An SVG's drawing, recorded once as the canvas calls that draw it, to replay per handout.

    Turning a drawing's shapes into PDF operators is most of a vector picture's cost, so the
    operators are kept. Steps that name a resource of the document being written (a label's
    font, a transparency state, an embedded image) cannot be kept as operators: those are kept
    as the canvas call itself and made again on each handout's canvas, so a labelled picture
    is replayed too. Replaying gives the same bytes as drawing the picture with renderPDF
    (tested). ``name`` is a stable name for a print file's shared form when the picture is
    plain operators only ("" otherwise).
    """

    __slots__ = ("width", "height", "steps", "name", "strings")

    def __init__(self, width: float, height: float, steps: tuple[Any, ...],
                 strings: tuple[tuple[str, float, tuple[float, ...]], ...] = ()):
        self.width = width
        self.height = height
        self.steps = steps
        self.strings = strings  # each label: text, font size, enclosing groups' scales
        self.name = ""
        if len(steps) == 1 and steps[0][0] == "o":
            digest = hashlib.sha1("\n".join(steps[0][1]).encode("utf-8")).hexdigest()[:20]
            self.name = f"G{digest}"

    def replay(self, canvas: Any) -> None:
        """Draw the picture at the canvas origin (as renderPDF.draw would)."""
        code = canvas._code
        for step in self.steps:
            if step[0] == "o":
                code.extend(step[1])
            elif step[0] == "c":
                getattr(canvas, step[1])(*step[2], **step[3])
            else:
                setattr(canvas, step[1], step[2])

    def to_data(self) -> dict[str, Any] | None:
        """The recording as plain data for the disk cache (None if a step holds an object,
        such as an embedded image, that cannot be stored)."""
        if not all(_plain(step) and (step[0] != "c" or step[1] in _KEPT_CALLS)
                   for step in self.steps):
            return None
        return {"width": self.width, "height": self.height,
                "steps": [list(step) for step in self.steps],
                "strings": [[t, size, list(f)] for t, size, f in self.strings]}

    @classmethod
    def from_data(cls, data: Any) -> Vector:
        """A recording read back from the disk cache; ValueError if it is not one."""
        try:
            width, height, raw = float(data["width"]), float(data["height"]), data["steps"]
            steps: list[tuple[Any, ...]] = []
            for step in raw:
                kind = step[0]
                if kind == "o" and len(step) == 2 and all(isinstance(op, str) for op in step[1]):
                    steps.append(("o", tuple(step[1])))
                elif kind == "c" and len(step) == 4 and step[1] in _KEPT_CALLS \
                        and isinstance(step[2], list) and isinstance(step[3], dict):
                    steps.append(("c", step[1], tuple(step[2]), step[3]))
                elif kind == "s" and len(step) == 3 and step[1] in _KEPT_ATTRIBUTES:
                    steps.append(("s", step[1], step[2]))
                else:
                    raise ValueError("not a recorded step")
            strings = tuple((str(t), float(size), tuple(float(f) for f in factors))
                            for t, size, factors in data["strings"])
        except (KeyError, TypeError, IndexError, ValueError) as exc:
            raise ValueError("not a recorded picture") from exc
        if not steps or width <= 0 or height <= 0:
            raise ValueError("not a recorded picture")
        return cls(width, height, tuple(steps), strings)


# Canvas calls replayed as calls: each sets or uses per-document state (fonts, transparency,
# images, the saved-state stack that a font change lives in). Any other call whose operators
# name a resource ("/") is also kept as a call.
_KEPT_CALLS = frozenset({
    "saveState", "restoreState", "setFont", "drawString", "drawRightString",
    "drawCentredString", "drawImage", "drawInlineImage", "setFillAlpha", "setStrokeAlpha",
    "setFillOverprint", "setStrokeOverprint", "setOverprintMask"})
_COLOR_CALLS = ("setFillColor", "setStrokeColor")  # kept as calls for a spot colour only
_KEPT_ATTRIBUTES = frozenset({"_fillMode"})


def _plain(value: Any) -> bool:
    """True for data that survives JSON unchanged in meaning (numbers, text, lists)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


class _Recorder:
    """Stands in for a canvas while renderPDF draws: forwards each call to a scratch canvas
    and records it, as operators where it wrote only plain ones, else as the call."""

    def __init__(self, canvas: Any):
        self.__dict__["_target"] = canvas
        self.__dict__["_steps"] = []
        self.__dict__["_written"] = []  # every operator, in order

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if name.startswith("__") or not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            code = self._target._code
            start = len(code)
            result = value(*args, **kwargs)
            written = code[start:]
            self._written.extend(written)
            if name in _KEPT_CALLS or (name in _COLOR_CALLS and not _plain_color(args)) \
                    or any("/" in op for op in written):
                self._steps.append(("c", name, args, kwargs))
            elif written:
                self._ops(written)
            return result

        return call

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)
        if name in _KEPT_ATTRIBUTES:
            self._steps.append(("s", name, value))

    def _ops(self, ops: list[str]) -> None:
        steps = self._steps
        if steps and steps[-1][0] == "o":
            steps[-1][1].extend(ops)
        else:
            steps.append(("o", list(ops)))

    def steps(self) -> tuple[Any, ...]:
        """The recording: all of it as plain operators when none names a resource of the
        document (no font, transparency or image), else operators and calls."""
        if not any("/" in op for op in self._written):
            return (("o", tuple(self._written)),) if self._written else ()
        return tuple((s[0], tuple(s[1])) if s[0] == "o" else s for s in self._steps)


def _plain_color(args: tuple[Any, ...]) -> bool:
    """True for an RGB, gray or CMYK colour without a spot-colour name (plain operators)."""
    from reportlab.lib.colors import CMYKColorSep, Color

    return len(args) == 1 and isinstance(args[0], Color) \
        and not isinstance(args[0], CMYKColorSep)


def record(drawing: Any) -> Vector:
    """Record ``drawing`` as it would be drawn onto a handout's canvas."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    scratch = Canvas(io.BytesIO(), invariant=1, initialFontName=drawing.initialFontName)
    recorder = _Recorder(scratch)
    _render(drawing, recorder)
    return Vector(float(drawing.width), float(drawing.height), recorder.steps(),
                  _strings(drawing))


def _strings(drawing: Any) -> tuple[tuple[str, float, tuple[float, ...]], ...]:
    """Each text label in ``drawing``: its text, font size and the scale of each group it is
    in (the quality report works out a logo's printed lettering size from these)."""
    from reportlab.graphics.shapes import Group, String

    found: list[tuple[str, float, tuple[float, ...]]] = []

    def walk(node: Any, factors: tuple[float, ...]) -> None:
        if isinstance(node, String):
            found.append((node.text, float(node.fontSize), factors))
        if isinstance(node, Group):
            a, b, c, d, _, _ = getattr(node, "transform", (1, 0, 0, 1, 0, 0))
            for child in node.contents:
                walk(child, (*factors, abs(d) or abs(a)))

    for child in drawing.contents:
        walk(child, ())
    return tuple(found)


@lru_cache(maxsize=1)
def _image_renderer() -> Any:
    """renderPDF's renderer, drawing a picture embedded in an SVG as a PDF image (an XObject,
    kept once per document) rather than inline in the page's stream (which reportlab fails to
    write). Made on first use: a build whose pictures come from the disk cache never needs
    reportlab.graphics."""
    from reportlab.graphics import renderPDF
    from reportlab.lib.utils import ImageReader

    class ImageRenderer(renderPDF._PDFRenderer):  # type: ignore[misc]
        def drawImage(self, image: Any) -> None:
            if isinstance(image.path, ImageReader):  # only embedded data: pictures get here
                self._canvas.drawImage(image.path, image.x, image.y, image.width,
                                       image.height, mask="auto")

    return ImageRenderer


def _render(drawing: Any, canvas: Any) -> None:
    """Draw ``drawing`` at the canvas origin, as renderPDF.draw would."""
    from reportlab.graphics.renderbase import renderScaledDrawing

    _image_renderer()().draw(renderScaledDrawing(drawing), canvas, 0, 0, showBoundary=False)


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
        # A file with these very bytes read well before (the disk cache says so): a clinic's
        # own logo does not bring svglib into every run.
        try:
            name = diskcache.key("svg-ok", path.read_bytes(), _svglib_identity())
        except OSError:
            raise InputError(f"{path}: this picture cannot be opened.") from None
        if diskcache.load(name) is True:
            return
        drawing = parse_svg(path)
        if drawing is None or not drawing.width or not drawing.height:
            raise InputError(f"{path}: this SVG cannot be read or has no size. "
                             "Give the <svg> element a width and height or a viewBox.")
        diskcache.store(name, True)
    else:
        check_raster(path)


def _retarget_text(node: Any, fonts: FontSet, where: Path) -> None:
    """Set every String in a drawing to the embedded house face and check its characters."""
    from reportlab.graphics.shapes import Drawing, Group, String

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
    _decode_now(reader)
    return reader


def _decode_now(reader: Any) -> None:
    """Decode a reader's pixels (and transparency) now, while one thread holds it: the
    reader is cached and shared by the app's threads, and PIL's lazy first decode is not
    safe when two handouts draw the same picture at once (a clinic's PNG logo failed so)."""
    reader.getRGBData()
    if getattr(reader, "_dataA", None) is not None:
        reader._dataA.getRGBData()


Loaded = tuple[Any, tuple[float, float], tuple[int, int] | None]


def relabelled(loaded: Loaded, labels: dict[str, str]) -> Loaded:
    """A copy of a drawing with its text labels put in another language (each String whose
    text is a key of ``labels``); a raster picture is returned as it is."""
    import copy

    from reportlab.graphics.shapes import Drawing, String

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
    from reportlab.graphics.shapes import Drawing

    source, natural, pixels = loaded
    if isinstance(source, Drawing):
        import copy

        drawing = copy.deepcopy(source)
        _to_gray(drawing)
        return drawing, natural, pixels
    return _gray_reader(source._image), natural, pixels


def load_svg(path: Path, fonts: FontSet, gray: bool = False,
             labels: tuple[tuple[str, str], ...] = (), fit: Fit | None = None) -> Loaded:
    """An SVG as a recorded :class:`Vector` (in grays for --grayscale; ``labels``, pairs of
    drawn and printed word, put its labels in another language; ``fit`` sizes its labels for
    print: :func:`fit_labels`), taken from the disk cache when it holds a recording of this
    very file with these fonts, labels and fit."""
    try:
        content = path.read_bytes()
    except OSError:
        raise InputError(f"{path}: this picture cannot be opened.") from None
    name = diskcache.key("picture", content, fonts.regular, fonts.bold, fonts.digest,
                         "gray" if gray else "colour", _svglib_identity(), repr(labels),
                         repr(fit), LABEL_FIT_VERSION)
    found = diskcache.load(name)
    if found is not None:
        try:
            vector = Vector.from_data(found)
            return vector, (vector.width, vector.height), None
        except ValueError:
            pass  # damaged or foreign: made again and rewritten below
    loaded = load_picture(path, fonts)
    if gray:
        loaded = gray_copy(loaded)
    if labels:
        loaded = relabelled(loaded, dict(labels))
    if fit is not None:
        loaded = fit_labels(loaded, fit)
    vector = record(loaded[0])
    data = vector.to_data()
    if data is not None:
        diskcache.store(name, data)
    return vector, loaded[1], None


@lru_cache(maxsize=1)
def _svglib_identity() -> str:
    """svglib's installed copy (its main file's size and time), without importing it: a new
    svglib may draw an SVG differently."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("svglib")  # the package only: finding it imports nothing
    try:
        main = os.path.join(os.path.dirname(spec.origin), "svglib.py") \
            if spec is not None and spec.origin else None
        stat = os.stat(main) if main else None
    except OSError:
        stat = None
    return f"{stat.st_size}:{stat.st_mtime_ns}" if stat is not None else "unknown"


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
        _decode_now(reader)
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

