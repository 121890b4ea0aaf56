"""PDF passwords for ``email --encrypt``: AES-256 encryption and the owner-only password file.

The file lists, per client and handout, the password the therapist gives by phone or in person.
It is shared by every run, so rows are merged in under a short lock, never rewritten from one
run's memory.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError, OutputError
from .locks import BusyError, RunLock
from .output import safe_cell, write_atomic

_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out by phone


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """AES-256 encryption (never pypdf's RC4 default)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def new_password() -> str:
    """A password easy to read out: four groups of four letters and digits."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


class PasswordFile:
    """Generated PDF passwords, for the therapist to give by phone or in person (owner-only).

    Rows are keyed on the client and the handout's fingerprint, so the same handout keeps its
    password on every run. Each new password is merged in: under a lock beside the file, the
    file is read again, the row is added and the whole is written atomically, so two runs never
    drop each other's rows. A file re-saved by a spreadsheet (``;`` separators, Windows text)
    is still read; every cell is written spreadsheet-safe.
    """

    COLUMNS = ("client", "name", "handout", "password")

    def __init__(self, path: Path):
        self.path = path
        self.lock = path.with_name(path.name + ".lock")
        self._read()  # a damaged file stops the run before anything is sent
        self._private()

    def _private(self) -> None:
        """Owner-only again: a spreadsheet that re-saved the file may have opened it to every
        user, and a run that only reads passwords already given would not rewrite it."""
        try:
            if self.path.exists():
                os.chmod(self.path, 0o600)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot make the password file private "
                              f"({exc.strerror}).") from None

    def _read(self) -> tuple[list[str], list[dict[str, str]]]:
        """The file's columns and rows (none if it does not exist yet)."""
        if not self.path.exists():
            return list(self.COLUMNS), []
        where = f"{self.path}: "
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise OutputError(f"{where}cannot read the password file ({exc.strerror}).") \
                from None
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(f"{where}cannot read the password file (not UTF-8 or Windows "
                             "text); save it as CSV UTF-8, or choose another with --passwords.")
        if not text.strip():
            return list(self.COLUMNS), []
        header = text.splitlines()[0]
        # A spreadsheet in a European locale saves with ";"; take the separator that splits
        # the header into this file's columns.
        delimiter = max(",;\t", key=lambda d: sum(c in header.split(d) for c in self.COLUMNS))
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        columns = [c for c in (reader.fieldnames or []) if c]
        if not {"client", "handout", "password"} <= set(columns):
            raise InputError(f"{where}not a password file from this tool (it needs the columns "
                             "client, name, handout, password); move it away or choose another "
                             "with --passwords.")
        rows = [{c: row.get(c) or "" for c in columns} for row in reader]
        return columns, rows

    def password(self, key: str, name: str, handout: str) -> str:
        """The password already given for this handout, or a new one (merged in at once)."""
        with _short_lock(self.lock, f"the password file {self.path}"):
            columns, rows = self._read()
            for row in rows:
                if row["handout"] == handout and key in (row["client"],
                                                         _unsafe_cell(row["client"])):
                    return row["password"]
            password = new_password()
            rows.append({"client": key, "name": name, "handout": handout,
                         "password": password})
            columns += [c for c in self.COLUMNS if c not in columns]
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(columns)
            writer.writerows([safe_cell(row.get(c, "")) for c in columns] for row in rows)
            write_atomic(self.path, buffer.getvalue().encode("utf-8-sig"), force=True,
                         flag="--passwords")
            return password


def _unsafe_cell(cell: str) -> str:
    """A cell as it was before :func:`safe_cell` added its apostrophe."""
    return cell[1:] if cell.startswith("'") and safe_cell(cell[1:]) == cell else cell


@contextmanager
def _short_lock(path: Path, what: str, wait: float = 10.0) -> Iterator[None]:
    """Hold a :class:`RunLock` for a moment, waiting up to ``wait`` seconds for another run."""
    deadline = time.monotonic() + wait
    while True:
        lock = RunLock(path, what)
        try:
            lock.acquire()
            break
        except BusyError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)
    try:
        yield
    finally:
        lock.release()
