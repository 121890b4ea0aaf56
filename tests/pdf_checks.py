"""Helpers that read a PDF back with real readers (pypdf for structure, pypdfium2 for pixels)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    """A pypdf reader over PDF bytes."""
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, white space folded."""
    return [" ".join(page.extract_text().split()) for page in reader(pdf).pages]


def all_text(pdf: bytes) -> str:
    """The whole document's text, white space folded."""
    return " ".join(page_texts(pdf))


def folded(text: str) -> str:
    """White space folded, for comparing with extracted text."""
    return " ".join(text.split())


def assert_in_order(text: str, *parts: str) -> None:
    """Each part occurs in ``text`` after the previous one."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} not found after position {position}"
        position = found + len(part)


@dataclass
class FontUse:
    """One font resource as the PDF stores it."""

    name: str
    subtype: str
    embedded: bool


def fonts(pdf: bytes) -> list[FontUse]:
    """Every font resource on every page (including inside form XObjects)."""
    found: dict[str, FontUse] = {}

    def visit(resources: object) -> None:
        if resources is None:
            return
        res = resources.get_object()  # type: ignore[attr-defined]
        for font in (res.get("/Font") or {}).values():
            font = font.get_object()
            name = str(font.get("/BaseFont"))
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = False
            if descriptor is not None:
                d = descriptor.get_object()
                embedded = any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[name] = FontUse(name, str(font.get("/Subtype")), embedded)
        for xobject in (res.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"))

    for page in reader(pdf).pages:
        visit(page.get("/Resources"))
    return list(found.values())


def font_sizes(pdf: bytes) -> list[tuple[float, str]]:
    """(effective size in points, text) for every text run, after all scaling."""
    sizes: list[tuple[float, str]] = []

    def visitor(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale_y = abs(tm[3] * cm[3] + tm[2] * cm[1]) or abs(tm[0] * cm[0])
            sizes.append((round(size * scale_y, 2), text.strip()))

    for page in reader(pdf).pages:
        page.extract_text(visitor_text=visitor)
    return sizes


def outline_titles(pdf: bytes) -> list[tuple[int, str]]:
    """(level, title) of every bookmark, in order."""
    out: list[tuple[int, str]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, str(item.title)))

    walk(reader(pdf).outline, 0)
    return out


def links(pdf: bytes) -> list[str]:
    """Every link annotation's URI."""
    uris = []
    for page in reader(pdf).pages:
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            action = a.get("/A")
            if action is not None and "/URI" in action.get_object():
                uris.append(str(action.get_object()["/URI"]))
    return uris


def render_gray(pdf: bytes, page: int = 0, dpi: float = 40):  # type: ignore[no-untyped-def]
    """Render one page to a grayscale PIL image with pypdfium2."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()


def page_of(text_by_page: list[str], needle: str) -> int:
    """The index of the first page whose text contains ``needle`` (-1 if none)."""
    for index, text in enumerate(text_by_page):
        if needle in text:
            return index
    return -1


PAGE_X_OF_Y = re.compile(r"Page (\d+) of (\d+)")
