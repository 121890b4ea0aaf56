"""A handout's PDF streams are deflated at the fast level (``render.STREAM_LEVEL``), the same
bytes every time, and PDFs written outside a handout's build keep zlib's default level."""

from __future__ import annotations

import threading
import zlib

from pypdf.generic import StreamObject

from conftest import build_pdf
from handouts import render
from pdf_checks import reader


def deflated_streams(pdf: bytes) -> list[tuple[bytes, bytes]]:
    """Each FlateDecode stream of the PDF: (its stored bytes, its decoded bytes)."""
    found = []
    pdf_reader = reader(pdf)
    for number in range(1, int(pdf_reader.trailer["/Size"])):
        obj = pdf_reader.get_object(number)
        if isinstance(obj, StreamObject) and obj.get("/Filter") in (
                "/FlateDecode", ["/FlateDecode"]):
            found.append((obj._data, obj.get_data()))
    return found


def test_handout_streams_use_the_fast_level() -> None:
    """Every deflated stream of a handout (pages, font subsets, their maps) is what zlib
    makes at STREAM_LEVEL, and the same handout twice is the same bytes."""
    pdf = build_pdf(name="Jane Doe", stretches=("bridge", "lunge"))
    streams = deflated_streams(pdf)
    assert len(streams) >= 5  # two pages at least, two font subsets and their maps
    for stored, decoded in streams:
        assert stored == zlib.compress(decoded, render.STREAM_LEVEL)
    assert render.STREAM_LEVEL != -1 and any(
        zlib.compress(decoded) != stored for stored, decoded in streams)
    assert build_pdf(name="Jane Doe", stretches=("bridge", "lunge")) == pdf


def test_other_pdfs_keep_zlibs_default_level() -> None:
    """Outside a handout's build (and on another thread during one) reportlab's deflate
    filter writes what zlib writes by default."""
    from reportlab.pdfbase import pdfdoc

    data = b"0 0 m 10 10 l S\n" * 500
    build_pdf(name="Jane Doe", stretches=("bridge",))  # installs the level switch
    assert pdfdoc.PDFZCompress.encode(data) == zlib.compress(data)
    seen: list[bytes] = []
    with render.stream_level(1):
        assert pdfdoc.PDFZCompress.encode(data) == zlib.compress(data, 1)
        worker = threading.Thread(target=lambda: seen.append(pdfdoc.PDFZCompress.encode(data)))
        worker.start()
        worker.join()
    assert seen == [zlib.compress(data)]
    assert pdfdoc.PDFZCompress.encode(data) == zlib.compress(data)
