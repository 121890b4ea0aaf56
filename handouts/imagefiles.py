"""Read picture files safely: rasters decoded whole (within limits), SVG without following links.

A damaged picture must stop the build while loading, with one line naming the file, never
halfway through drawing a batch. So a PNG or JPG is decoded completely here (a truncated JPEG
decodes its header fine and fails only when drawn), and an SVG is parsed here. Logos exported
from drawing programs often embed a raster as ``<image href="data:image/png;base64,…">``: those
are decoded (with limits on the data and on the pixel count) and drawn as ordinary PDF images.
Any other ``href`` (a file name, ``file:``, ``http:``) is refused: following it would let a
shared clinic folder print files from elsewhere on the computer.
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import logging
import re
from pathlib import Path
from typing import Any

from .errors import InputError

MAX_PIXELS = 40_000_000              # 4× a full Letter page at 300 ppi
MAX_SVG_BYTES = 32 * 1024 * 1024     # the SVG file itself
MAX_EMBEDDED_BYTES = 8 * 1024 * 1024  # one decoded data: picture
MAX_EMBEDDED_TOTAL = 16 * 1024 * 1024  # all of one SVG's data: pictures
_FORMATS = ("PNG", "JPEG")
_DATA_URI = re.compile(r"^data:image/(png|jpe?g);base64,", re.IGNORECASE)
_XLINK = "{http://www.w3.org/1999/xlink}href"


def decode_raster(data: bytes | Path, where: str) -> Any:
    """A fully decoded PIL image (PNG or JPEG) within the size limits; InputError if not."""
    from PIL import Image

    try:
        with (open(data, "rb") if isinstance(data, Path) else io.BytesIO(data)) as stream:
            image = Image.open(stream, formats=_FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InputError(f"{where}: the picture is {width} × {height} pixels, more "
                                 f"than the {MAX_PIXELS // 1_000_000} million allowed; save a "
                                 "smaller copy (about 1,000 pixels wide is plenty).")
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
            return image
    except InputError:
        raise
    except Exception as exc:  # PIL raises OSError, SyntaxError, ValueError… for broken files
        raise InputError(f"{where}: this image cannot be read ({type(exc).__name__}); it may "
                         "be damaged or cut short. Save it again as PNG or JPG.") from None


def check_raster(path: Path) -> tuple[int, int]:
    """Decode a PNG/JPG file completely; its pixel size, or InputError naming the file."""
    image = decode_raster(path, str(path))
    return int(image.size[0]), int(image.size[1])


def _embedded(href: str, where: str, budget: list[int]) -> Any:
    """The PIL image of a ``data:image/png|jpeg;base64,`` URI, converted for reportlab."""
    match = _DATA_URI.match(href)
    if match is None:
        kind = href[5:href.find(",")] if "," in href else href[5:30]
        raise InputError(f"{where}: the SVG embeds a picture of a kind that cannot be used "
                         f"('data:{kind[:40]}'); embed it as PNG or JPEG.")
    payload = href[match.end():]
    if len(payload) * 3 // 4 > MAX_EMBEDDED_BYTES:
        raise InputError(f"{where}: a picture embedded in the SVG is over "
                         f"{MAX_EMBEDDED_BYTES // (1024 * 1024)} MB; embed a smaller one.")
    try:
        data = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"{where}: a picture embedded in the SVG is damaged (bad base64 "
                         "data). Export the SVG again.") from None
    budget[0] += len(data)
    if budget[0] > MAX_EMBEDDED_TOTAL:
        raise InputError(f"{where}: the pictures embedded in the SVG add up to over "
                         f"{MAX_EMBEDDED_TOTAL // (1024 * 1024)} MB; embed smaller ones.")
    image = decode_raster(data, f"{where} (a picture embedded in it)")
    if image.mode not in ("RGB", "RGBA", "L"):
        transparent = image.mode in ("LA", "PA", "La", "RGBa") or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    return image


@functools.lru_cache(maxsize=1)
def _renderer_class() -> Any:
    """svglib's renderer, resolving only in-document references and embedded rasters."""
    from svglib.svglib import SvgRenderer

    class SafeRenderer(SvgRenderer):  # type: ignore[misc]
        budget: list[int]

        def xlink_href_target(self, node: Any, group: Any = None) -> Any:
            href = (node.attrib.get(_XLINK) or node.attrib.get("href") or "").strip()
            if not href:
                return None
            if href.startswith("#"):  # a definition in this same file
                return super().xlink_href_target(node, group)
            if href[:5].lower() == "data:":
                return _embedded(href, str(self.source_path), self.budget)
            raise InputError(f"{self.source_path}: the SVG links to another file or a web "
                             "address; only pictures embedded in the SVG can be used. Export "
                             "it again with images embedded.")

    return SafeRenderer


def parse_svg(path: Path) -> Any:
    """The svglib Drawing of an SVG file (None if it has no content); InputError if broken."""
    from reportlab.graphics.shapes import Image
    from reportlab.lib.utils import ImageReader
    from svglib.fonts import register_font
    from svglib.svglib import load_svg_file

    # Map the font the SVGs name to a standard font so svglib does not go looking for it
    # (fc-match, 0.2 s); art._retarget_text then moves the text to the embedded face.
    register_font("Atkinson Hyperlegible", rlgFontName="Helvetica")

    try:
        size = path.stat().st_size
    except OSError:
        raise InputError(f"{path}: this picture cannot be opened.") from None
    if size > MAX_SVG_BYTES:
        raise InputError(f"{path}: the SVG is over {MAX_SVG_BYTES // (1024 * 1024)} MB; "
                         "save a simpler copy.")
    svg_logger = logging.getLogger("svglib.svglib")
    previous = svg_logger.level
    svg_logger.setLevel(logging.CRITICAL)
    try:
        root = load_svg_file(str(path), resolve_entities=False)
        if root is None:
            return None
        renderer = _renderer_class()(str(path))
        renderer.budget = [0]
        drawing = renderer.render(root)
    except InputError:
        raise
    except Exception as exc:  # svglib raises lxml, value and type errors for broken files
        raise InputError(f"{path}: this SVG cannot be read ({type(exc).__name__}). "
                         "Open it in a drawing program and save it again.") from None
    finally:
        svg_logger.setLevel(previous)

    def readers(node: Any) -> None:
        # An embedded raster becomes an ImageReader, drawn as a PDF image (see art.py).
        if isinstance(node, Image) and hasattr(node.path, "mode"):
            node.path = ImageReader(node.path)
            node.path._handouts_stream = None  # compressed once: see art._install_stream_cache
        for child in getattr(node, "contents", ()):
            readers(child)

    if drawing is not None:
        readers(drawing)
    return drawing
