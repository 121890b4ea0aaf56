"""Read a workshop roster exported from Excel or Google Sheets.

Real exports differ: UTF-8 with or without a byte-order mark, Excel's legacy Windows encoding
(cp1252), Excel's "Unicode Text" (UTF-16 with a byte-order mark, tab-separated), CRLF line
ends, semicolons in European locales, quoted fields with commas and line
breaks, blank lines, and headers such as "Full name" or "E-mail Address". This module turns any
of them into rows keyed by our column names, with the line each row starts on, and collects
every problem instead of stopping at the first.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .schema import read_input

# Our column → the headers sign-up forms really produce (compared after normalising).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "client", "client name", "attendee",
             "attendee name", "participant", "your name"),
    "first_name": ("first name", "firstname", "given name", "first"),
    "last_name": ("last name", "lastname", "surname", "family name", "last"),
    "email": ("email", "e mail", "email address", "e mail address", "mail", "your email"),
    "stretches": ("stretches", "stretch", "stretch ids"),
    # Only a column named for the therapist's note prints as one; what attendees write on a
    # sign-up form is their own words: kept apart, never printed (see batch.plan_batch).
    "note": ("note", "therapist note", "note from therapist"),
    "comments": ("notes", "comment", "comments", "anything we should know",
                 "anything else we should know", "questions or comments",
                 "additional comments", "additional information", "other comments",
                 "health notes", "message"),
    "layout": ("layout",),
    "language": ("language", "lang", "preferred language", "idioma"),
    "large_print": ("large print", "largeprint", "large type"),
    "id": ("id", "client id", "attendee id", "member id", "ticket", "ticket id"),
    "pdf_password": ("pdf password", "password"),
    "conditions": ("conditions", "condition", "health conditions"),
}
_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}


def normalise_header(header: str) -> str:
    """Case-, space- and punctuation-insensitive form of a header ("E-mail_Address")."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.strip().lower()).split())


@dataclass(frozen=True)
class RosterRow:
    """One attendee row: the line it starts on and its values by our column names."""

    line: int
    values: dict[str, str]


@dataclass
class Roster:
    """A parsed roster: rows, notices for the user, and the encoding that was used."""

    path: Path
    rows: list[RosterRow]
    encoding: str
    delimiter: str
    ignored: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def decode(data: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    """Decode the file: the given encoding, else UTF-16 by its byte-order mark (Excel's
    "Unicode Text"), else UTF-8 (BOM or not), else cp1252."""
    if encoding is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"  # the BOM gives the byte order
        except UnicodeDecodeError:
            raise InputError(f"{path}: the file says it is UTF-16 but cannot be read as "
                             "UTF-16. Export the sheet again as CSV UTF-8.") from None
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read it as {encoding} ({type(exc).__name__}). "
                             "Check --encoding.") from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel's European export) or tab (Excel's "Unicode Text"), whichever
    the header line has most of."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max((",", ";", "\t"), key=first.count)  # ties go to the earlier: comma first


def read_roster(path: Path, encoding: str | None = None) -> Roster:
    """Read and map a roster file; raise InputError only for problems with the whole file."""
    text, used = decode(read_input(path), path, encoding)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    rows: list[RosterRow] = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header, header_line = record, line
                mapping, ignored = _map_header(header, path, header_line)
                continue
            # Only our columns, and no empty cells (a missing key reads as ""): a
            # 10,000-row roster stays small.
            rows.append(RosterRow(line, {column: value for index, column in mapping.items()
                                         if index < len(record)
                                         and (value := record[index].strip())}))
    except csv.Error as exc:
        raise InputError(f"{path}: line {reader.line_num}: not a valid CSV file ({exc}). "
                         "Export the sheet again as CSV.") from None
    if header is None:
        raise InputError(f"{path}: the file is empty. Export the sheet with a header row.")
    if "name" not in mapping.values() and "first_name" not in mapping.values():
        raise InputError(f"{path}: line {header_line}: no name column. Add a column called "
                         "\"name\" (or \"First name\" and \"Last name\").")
    roster = Roster(path, rows, used, delimiter, ignored)
    if used == "cp1252" and encoding is None:
        roster.notices.append(f"{path.name}: not UTF-8; read as Windows (cp1252) text. "
                              "Use --encoding if names look wrong.")
    if ignored:
        roster.notices.append(f"{path.name}: ignoring columns: " + ", ".join(
            f'"{name}"' for name in ignored) + ".")
    return roster


def _map_header(header: list[str], path: Path, line: int) -> tuple[dict[int, str], list[str]]:
    """Map header cells to our columns; duplicates are errors, unknown ones are ignored."""
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        column = _ALIASES.get(normalise_header(cell))
        if column is None:
            if cell.strip():
                ignored.append(cell.strip())
            continue
        if column in mapping.values():
            raise InputError(f"{path}: line {line}: two columns mean '{column}' "
                             f"(\"{cell.strip()}\" and another). Keep one.")
        mapping[index] = column
    return mapping, ignored
