"""What a PDF contains, for the benchmarks' self-checks: pages, words, bookmarks, links and
drawing operators, and whether a peer's PDF stays within bounds of the product's.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

OPERATORS = ("re", "f", "S", "Do", "BT")
_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)", re.S)
_SAME = {b"f*": b"f", b"F": b"f", b"s": b"S"}  # fills with either rule; close-and-stroke


def contents(pdf: bytes) -> dict[str, Any]:
    """Pages, words (pypdf's text extraction), outline entries, link annotations and the
    drawing operators (re, f, S, Do, BT) in the page content streams and the forms they use."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    ops: Counter[str] = Counter()
    text = []
    links = 0
    for page in reader.pages:
        text.append(page.extract_text() or "")
        streams = [page.get_contents()]
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for ref in (xobjects.get_object().values() if xobjects else ()):
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Form":
                streams.append(obj)
        for stream in streams:
            if stream is None:
                continue
            data = _STRING.sub(b"()", stream.get_data())
            for tok in data.split():
                tok = _SAME.get(tok, tok)
                if tok.decode("latin-1") in OPERATORS:
                    ops[tok.decode("latin-1")] += 1
        links += sum(1 for a in page.get("/Annots") or ()
                     if a.get_object().get("/Subtype") == "/Link")
    words = " ".join(text).split()
    return {"pages": len(reader.pages), "words": len(words), "ops": dict(ops),
            "outline": len(_flatten(reader.outline)), "links": links,
            "stars": sum(w.count("**") for w in words)}


def _flatten(outline: Any) -> list[Any]:
    out: list[Any] = []
    for item in outline:
        out += _flatten(item) if isinstance(item, list) else [item]
    return out


@dataclass(frozen=True)
class Bounds:
    """How far the floor may drift from the product before the benchmark refuses to run."""

    pages: int = 1            # page count within ±1
    words: float = 0.03       # word count within 3%
    ops: float = 0.35         # each drawing operator's count within 35% ...
    ops_slack: int = 6        # ... or within this many (small counts)


def compare(product: dict[str, Any], other: dict[str, Any], bounds: Bounds = Bounds(),
            ops: bool = True) -> list[str]:
    """Why ``other`` does not draw the same handout as ``product`` (empty when it does)."""
    problems = []
    if abs(product["pages"] - other["pages"]) > bounds.pages:
        problems.append(f"pages {other['pages']} vs {product['pages']} (allowed ±{bounds.pages})")
    if abs(product["words"] - other["words"]) > bounds.words * product["words"]:
        problems.append(f"words {other['words']} vs {product['words']} "
                        f"(allowed ±{bounds.words:.0%})")
    if other["stars"]:
        problems.append(f"{other['stars']} literal '**' (Markdown bold printed as text)")
    if other["outline"] < product["outline"]:
        problems.append(f"bookmarks {other['outline']} vs {product['outline']}")
    if other["links"] < product["links"]:
        problems.append(f"links {other['links']} vs {product['links']}")
    for op in OPERATORS if ops else ():
        a, b = product["ops"].get(op, 0), other["ops"].get(op, 0)
        if abs(a - b) > max(bounds.ops * a, bounds.ops_slack):
            problems.append(f"operator {op}: {b} vs {a} (allowed ±{bounds.ops:.0%} or "
                            f"±{bounds.ops_slack})")
    return problems


def describe(name: str, found: dict[str, Any]) -> str:
    """One line: pages, words, bookmarks, links and operator counts."""
    ops = " ".join(f"{op}={found['ops'].get(op, 0)}" for op in OPERATORS)
    return (f"{name:<8} pages={found['pages']} words={found['words']} "
            f"bookmarks={found['outline']} links={found['links']} {ops}")
