"""Embedded TrueType fonts: the house face, a fallback face, and what they can print.

Atkinson Hyperlegible (drawn for low-vision readers) is the house face; Roboto supplies the
Vietnamese, Greek and Cyrillic letters it lacks. reportlab has no automatic fallback and draws a
missing glyph as a box, so :class:`FontSet` knows each face's character coverage and text is
checked (and words switched to the fallback face) before anything is drawn.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field  # check() has a parameter 'field'
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import diskcache
from .errors import InputError, TextError
from .models import Fonts


def _package_font(package: str, filename: str) -> Path:
    # the package's folder, found without importing it or importlib.resources (which brings
    # zipfile and its readers: ~3 ms of a cold build)
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    if folders:
        return Path(folders[0]) / "files" / filename
    from importlib import resources  # an unusual install: ask the package's loader

    return Path(str(resources.files(package) / "files" / filename))


def builtin_fonts() -> dict[str, Path]:
    """Paths of the built-in faces, from their font packages."""
    atkinson = "fontpkg_atkinson_hyperlegible"
    return {
        "regular": _package_font(atkinson, "AtkinsonHyperlegible-Regular.ttf"),
        "bold": _package_font(atkinson, "AtkinsonHyperlegible-Bold.ttf"),
        "italic": _package_font(atkinson, "AtkinsonHyperlegible-Italic.ttf"),
        "bolditalic": _package_font(atkinson, "AtkinsonHyperlegible-BoldItalic.ttf"),
        "fallback": _package_font("fontpkg_roboto", "Roboto[wdth,wght].ttf"),
    }


@lru_cache(maxsize=32)
def _register(path: Path) -> tuple[str, frozenset[int], str]:
    """Register one TrueType file once per process; return its name, coverage and a hash of
    its contents (for the disk cache's keys)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
    name = f"{path.stem.split('[')[0]}-{digest}"
    try:
        data = path.read_bytes()
        content = hashlib.sha1(data).hexdigest()
        font = _font(name, path, data, content)
    except (TTFError, OSError) as exc:
        raise InputError(f"{path}: cannot use this font ({exc}). Use a TrueType (.ttf) file.") \
            from None
    pdfmetrics.registerFont(font)
    return name, frozenset(font.face.charToGlyph), content


# --- parsed faces in the disk cache ------------------------------------------------------
# reportlab reads a TrueType file's tables in Python: ~6 ms for the five faces, a thirtieth of
# a cold build. What it reads follows from the file's bytes (and reportlab's version, in every
# key), so the parsed fields are kept in the disk cache and later runs rebuild the same
# objects from them. The entry is a pickle read by an unpickler that can make nothing but
# plain values and reportlab's name strings (never code); an entry that does not read back as
# a face (damaged, foreign, another reportlab's fields) is ignored and the file parsed again.

_FACE_FIELDS = ("name", "charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos",
                "table", "tables", "unitsPerEm", "ascent", "descent", "capHeight", "bbox",
                "flags", "italicAngle", "stemV", "defaultWidth")
_NOT_STORED = ("_ttf_data", "filename", "_pdfScale")  # the file itself; remade from it
_REMADE = ("fontName", "face", "encoding", "state")   # the font's own, made anew


def _font(name: str, path: Path, data: bytes, content: str) -> Any:
    """A reportlab TTFont for ``path`` (whose bytes are ``data``): remade from the disk
    cache when it holds this file's parsed face, else parsed (and its face stored)."""
    from reportlab.pdfbase.ttfonts import TTFont

    if diskcache.folder() is None:
        return TTFont(name, str(path))
    entry = diskcache.key("font", sys.version, content)
    body = diskcache.load_bytes(entry)
    font = _restore(body, name, str(path), data) if body is not None else None
    if font is None:
        font = TTFont(name, str(path))
        body = _packed(font)
        if body is not None:
            diskcache.store_bytes(entry, body)
    return font


def _plain(value: Any) -> bool:
    """True for the values a face holds: numbers, text, bytes, lists, tuples and dicts."""
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return value is None or isinstance(value, (bool, int, float, str, bytes))


def _packed(font: Any) -> bytes | None:
    """The face's and the font's own fields, pickled (None if one is not a plain value)."""
    import pickle

    face = {k: v for k, v in vars(font.face).items() if k not in _NOT_STORED}
    own = {k: v for k, v in vars(font).items() if k not in _REMADE}
    if not (_plain(face) and _plain(own)):
        return None
    return pickle.dumps((face, own), protocol=4)


def _restore(body: bytes, name: str, filename: str, data: bytes) -> Any:
    """The TTFont that parsing ``data`` gives, from its stored fields; None if they do not
    read back as a face."""
    import io
    import pickle
    from weakref import WeakKeyDictionary

    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

    class Values(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) == (TTFNameBytes.__module__, TTFNameBytes.__name__):
                return TTFNameBytes
            raise pickle.UnpicklingError(f"{module}.{name} is not a value")

    try:
        fields, own = Values(io.BytesIO(body)).load()
        if not (isinstance(fields, dict) and isinstance(own, dict)
                and all(k in fields for k in _FACE_FIELDS)
                and all(isinstance(fields[k], dict) for k in ("charToGlyph", "charWidths"))):
            return None
        units = int(fields["unitsPerEm"])
    except Exception:  # noqa: BLE001 - any damaged entry: the file is parsed instead
        return None
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(fields, _ttf_data=data, filename=filename, _pdfScale=_scale(units))
    font = TTFont.__new__(TTFont)
    font.__dict__.update(own, fontName=name, face=face, encoding=TTEncoding(),
                         state=WeakKeyDictionary())
    return font


def _scale(units_per_em: int) -> Any:
    """From font units to thousandths of an em, as TTFontFile.extractInfo makes it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


# Scripts that reportlab cannot lay out correctly (right-to-left, or needing shaping).
_SHAPED_RANGES = ((0x0590, 0x08FF), (0x0900, 0x0DFF), (0x0F00, 0x0FFF), (0x1000, 0x109F),
                  (0x1780, 0x17FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


def needs_shaping(char: str) -> bool:
    """True for right-to-left and Indic-type letters that would print wrongly."""
    code = ord(char)
    if unicodedata.bidirectional(char) in ("R", "AL"):
        return True
    return any(lo <= code <= hi for lo, hi in _SHAPED_RANGES)


@dataclass(frozen=True)
class FontSet:
    """Registered font names for one handout and the characters each can draw."""

    regular: str
    bold: str
    italic: str
    bolditalic: str
    fallback: str
    main_cover: frozenset[int]
    fallback_cover: frozenset[int]
    main_chars: frozenset[str] = frozenset()
    digest: str = ""  # of the five files' contents: what drawn text depends on
    # characters already found printable: a handout's ~1,000 checked characters are some 70
    # different ones, each checked once (a set only grows; every thread may add to it)
    _fine: set[str] = dataclass_field(default_factory=set, compare=False, repr=False)

    def main_has(self, char: str) -> bool:
        """True when the house face can draw ``char``."""
        return ord(char) in self.main_cover

    def can_print(self, char: str) -> bool:
        """True when the house face or the fallback face can draw ``char``."""
        code = ord(char)
        return code in self.main_cover or code in self.fallback_cover

    def check(self, text: str, field: str) -> None:
        """Raise a :class:`TextError` naming ``field`` if any character cannot be printed."""
        fine = self._fine
        for char in text:
            if char in fine or char in "\n\t ":
                continue
            if needs_shaping(char):
                raise TextError(
                    f"{field}: {_describe(char)} is from a right-to-left or complex script that "
                    "cannot be printed correctly yet; write the name in Latin letters.")
            if not self.can_print(char):
                raise TextError(
                    f"{field}: the fonts cannot print {_describe(char)}. Remove it, or name a "
                    "font that has it in clinic.toml under [fonts].")
            fine.add(char)


def _describe(char: str) -> str:
    name = unicodedata.name(char, "unnamed character")
    shown = char if char.isprintable() and not unicodedata.category(char).startswith("C") else ""
    return f"U+{ord(char):04X} {name}" + (f" ({shown})" if shown else "")


@lru_cache(maxsize=8)
def load_fonts(config: Fonts | None = None) -> FontSet:
    """Register the house, bold and fallback faces (the clinic's own where it names them)."""
    from reportlab.lib.fonts import addMapping

    config = config or Fonts()
    paths = builtin_fonts()
    regular = config.regular or paths["regular"]
    bold = config.bold or (paths["bold"] if config.regular is None else regular)
    italic = paths["italic"] if config.regular is None else regular
    bolditalic = paths["bolditalic"] if config.regular is None else bold
    fallback = config.fallback or paths["fallback"]

    reg_name, main_cover, reg_hash = _register(regular)
    bold_name, bold_cover, bold_hash = _register(bold)
    it_name, _, it_hash = _register(italic)
    bi_name, _, bi_hash = _register(bolditalic)
    fb_name, fb_cover, fb_hash = _register(fallback)
    for family, normal, b, i, bi in ((reg_name, reg_name, bold_name, it_name, bi_name),
                                     (fb_name, fb_name, fb_name, fb_name, fb_name)):
        addMapping(family, 0, 0, normal)
        addMapping(family, 1, 0, b)
        addMapping(family, 0, 1, i)
        addMapping(family, 1, 1, bi)
    both = main_cover & bold_cover
    return FontSet(reg_name, bold_name, it_name, bi_name, fb_name, both, fb_cover,
                   frozenset(chr(c) for c in both) | {" ", "\n"},
                   ":".join((reg_hash, bold_hash, it_hash, bi_hash, fb_hash)))
