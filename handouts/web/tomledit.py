"""Change a TOML file's top-level values in place, keeping everything else as it was written.

The Clinic page saves clinic.toml through this: comments, blank lines, the order of the keys,
every table and every value that did not change stay byte for byte. A changed value replaces
only its own statement (a comment after it on the line stays); a removed key loses its lines;
a new key goes under its commented-out example (``# logo = "..."``, as ``build-handouts init``
writes them), else after the key before it in the clinic file's usual order.

No TOML grammar is written twice: where a statement ends, and where a comment after it starts,
is found by asking the TOML reader itself (the shortest run of lines that reads as a statement;
the first ``#`` before which the line still reads as the same value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..schema import tomllib
from .clientfile import toml_value

# The order clinic.toml's top-level keys have in the file `build-handouts init` writes; a new
# key with no commented-out example goes after the nearest key before it in this order.
ORDER = ("sample", "name", "address", "phone", "email", "website", "booking_url", "brand_color",
         "paper", "default_layout", "default_language", "locale", "emergency_number", "logo",
         "disclaimer", "default_stretches")
_KEY = re.compile(r"""[ \t]*([A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*=[ \t]*""")
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


class Unwritable(ValueError):
    """The change cannot be made in place (a table, or a key written as a dotted key)."""


@dataclass
class Statement:
    """One top-level ``key = value``: its lines [start, end), how it begins and what follows."""

    key: str
    start: int
    end: int
    head: str       # the first line up to the value ("  phone = "); "" for a dotted key
    comment: str    # what follows the value on its last line (spaces and "# ..."), or ""
    multiline: bool  # the value is a multi-line string (""" or ''')


def _reads(text: str) -> dict[str, Any] | None:
    """``text`` as TOML, or None if it does not read."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _content(line: str) -> tuple[str, str]:
    """A line without its ending, and the ending ("\\n", "\\r\\n" or "")."""
    body = line.rstrip("\r\n")
    return body, line[len(body):]


def _unquote(key: str) -> str:
    """A key as written (bare, "basic" or 'literal') as the reader names it."""
    return next(iter(tomllib.loads(f"{key} = 0")))


def _statement(lines: list[str], start: int, end: int, table: dict[str, Any]) -> Statement:
    """Describe the statement on ``lines[start:end]``, which reads as ``table``."""
    key = next(iter(table))
    match = _KEY.match(lines[start])
    head = match.group(0) if match and _unquote(match.group(1)) == key else ""
    before = "".join(lines[start:end - 1])
    last, _ = _content(lines[end - 1])
    comment = ""
    for spot, char in enumerate(last):
        if char == "#" and _reads(before + last[:spot]) == table:
            value_end = len(last[:spot].rstrip())
            if end - 1 == start:
                value_end = max(value_end, len(head))
            comment = last[value_end:]
            break
    rest = lines[start][len(head):] if head else ""
    return Statement(key, start, end, head, comment, rest.startswith(('"""', "'''")))


def top_level(lines: list[str]) -> tuple[list[Statement], int]:
    """The top-level statements, and the index of the first table header (or the end)."""
    found: list[Statement] = []
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        if stripped.startswith("["):
            return found, index
        end = index + 1
        while (table := _reads("".join(lines[index:end]))) is None:
            if end == len(lines):
                raise Unwritable("the file does not read as TOML")
            end += 1
        found.append(_statement(lines, index, end, table))
        index = end
    return found, len(lines)


def multiline_string(value: str, newline: str) -> str:
    """``value`` as a TOML multi-line basic string, its lines on lines of their own."""
    out = []
    for spot, char in enumerate(value):
        if char == "\\":
            out.append("\\\\")
        elif char == '"' and (spot == len(value) - 1 or value[spot + 1] == '"'):
            out.append('\\"')  # never three quotes in a row, nor one before the closing three
        elif char == "\n":
            out.append(newline)
        elif char == "\t" or (ord(char) >= 0x20 and ord(char) != 0x7F):
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04X}")
    return '"""' + newline + "".join(out) + '"""'


def _value(value: Any, multiline: bool, newline: str) -> str:
    """A value as TOML; text with line breaks as a multi-line string when ``multiline``."""
    if isinstance(value, dict) or (isinstance(value, list) and
                                   any(isinstance(item, dict) for item in value)):
        raise Unwritable("a table cannot be written in place")
    if multiline and isinstance(value, str) and "\n" in value:
        return multiline_string(value, newline)
    return toml_value(value)


def _key_text(key: str) -> str:
    """A key as TOML writes it: bare when it can be."""
    return key if _BARE.match(key) else toml_value(key)


def edit_toml(text: str, data: dict[str, Any]) -> str:
    """``text`` changed so that it reads as ``data``; only the top-level keys that differ are
    touched. Raises :class:`Unwritable` for a change it cannot make in place."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom):]
    old = tomllib.loads(text)
    lines = re.findall(r"[^\n]*\n|[^\n]+\Z", text)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    statements, header = top_level(lines)
    where = {s.key: s for s in statements}
    replace: dict[int, tuple[int, list[str]]] = {}  # start -> (end, new lines)
    after: dict[int, list[str]] = {}  # line index -> new lines to put after it

    for key, statement in where.items():
        if key in data and data[key] == old[key]:
            continue
        if not statement.head and key in data:
            raise Unwritable(f"'{key}' is written as a dotted key")
        lines_new: list[str] = []
        if key in data:
            ending = _content(lines[statement.end - 1])[1]
            value = _value(data[key], statement.multiline, newline)
            lines_new = [statement.head + value + statement.comment + ending]
        replace[statement.start] = (statement.end, lines_new)

    for key in (k for k in data if k not in old):
        line = f"{_key_text(key)} = {_value(data[key], True, newline)}{newline}"
        after.setdefault(_place(key, lines[:header], where), []).append(line)
    extra = [k for k in old if k not in where and data.get(k) != old[k]]
    if extra:
        raise Unwritable(f"'{extra[0]}' is a table")

    out: list[str] = []
    index = 0
    if -1 in after:
        out += after[-1]
    while index < len(lines):
        if index in replace:
            end, new = replace[index]
            out += new
            last = end - 1
            index = end
        else:
            out.append(lines[index])
            last = index
            index += 1
        if last in after:
            if not out[-1].endswith("\n"):
                out[-1] += newline
            out += after[last]
    return bom + "".join(out)


def _place(key: str, region: list[str], where: dict[str, Statement]) -> int:
    """The line a new top-level ``key`` goes after (-1: the very top)."""
    example = re.compile(r"[ \t]*#[ \t]*" + re.escape(key) + r"[ \t]*=")
    inside = {i for s in where.values() for i in range(s.start, s.end)}  # a string's lines
    spots = [i for i, line in enumerate(region) if example.match(line) and i not in inside]
    if spots:
        return spots[-1]
    if key in ORDER:
        for earlier in reversed(ORDER[:ORDER.index(key)]):
            if earlier in where:
                return where[earlier].end - 1
    if where:
        return max(s.end for s in where.values()) - 1
    return -1
