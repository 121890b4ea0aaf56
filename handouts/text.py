"""Text from people made safe: normalised, checked, escaped for Markdown and for reportlab.

Two escaping layers meet here. Values inserted into Markdown templates are backslash-escaped so
that a note's ``*`` or ``#`` stays literal; the Markdown-to-paragraph step then escapes every text
run for reportlab's paragraph markup, so ``<b>``, ``&`` and ``R&D`` print as typed and can never
become tags, images or links.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

from .fonts import FontSet

_ASCII_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t]+")


def clean(text: str) -> str:
    """NFC-normalise; drop control and invisible format characters; keep newlines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for char in text:
        if char == "\n":
            out.append(char)
        elif char == "\t":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(char)
    return "".join(out)


def one_line(text: str) -> str:
    """Clean ``text`` and fold all white space (names, titles) to single spaces."""
    return " ".join(clean(text).split())


def xml_escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as xml.sax.saxutils.escape does (importing that
    brings urllib.request, http.client and ssl: ~15 ms of every start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


_xml_escape = xml_escape


class Md(str):
    """A string that is already Markdown (from a template or our own code): not escaped."""


def md_escape(value: object) -> str:
    """Escape a value for literal display inside a Markdown template (Jinja ``finalize``)."""
    if isinstance(value, Md):
        return value
    text = clean(str(value)).strip()
    text = _BLANK_LINES.sub("\n", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    escaped = [_ASCII_PUNCT.sub(r"\\\1", line) for line in lines if line]
    # A backslash at the end of a line is a Markdown hard line break.
    return "\\\n".join(escaped)


def markup(text: str, fonts: FontSet) -> str:
    """Escape plain text for reportlab paragraph markup, switching words to the fallback face.

    A whole word moves to the fallback face when the house face lacks one of its characters
    (mixed faces inside a word look broken). Characters neither face has raise TextError via
    :meth:`FontSet.check` earlier in the pipeline; here they are checked once more.
    """
    if fonts.main_chars.issuperset(text):
        return _xml_escape(text)
    parts = re.split(r"(\s+)", text)
    out = []
    for part in parts:
        if part and not part.isspace() and not fonts.main_chars.issuperset(part):
            fonts.check(part, "text")
            out.append(f'<font face="{fonts.fallback}">{_xml_escape(part)}</font>')
        else:
            out.append(_xml_escape(part))
    return "".join(out)


def initials(name: str) -> str:
    """Client initials for the footer, e.g. "Zoë Øvergård" → "Z.Ø."."""
    letters = [w[0] for w in one_line(name).replace("-", " ").split() if w and w[0].isalpha()]
    if not letters:
        return ""
    if len(letters) > 3:
        letters = letters[:2] + letters[-1:]
    return "".join(f"{c.upper()}." for c in letters)


def first_name(name: str) -> str:
    """The first word of a name, for a greeting."""
    words = one_line(name).split()
    return words[0] if words else ""


FIRST_YEAR = 2000
LAST_YEAR = 2100


def date_problem(day: _dt.date) -> str | None:
    """Why ``day`` cannot be a handout date (None if it can): the handout counts days and
    weeks forward from it, so far-off years (9999-12-31) would run off the calendar."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return f"use a date between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31"
