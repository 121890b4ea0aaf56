"""Safe file names from client names, and atomic, private writes.

A handout holds health details, so files are created readable by their owner only, never appear
half-written under their final name, and never replace an existing file without ``force``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError

SLUG_MAX = 40
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}


def short_hash(text: str, length: int = 6) -> str:
    """A short, stable hex digest of ``text`` (NFC), to tell clashing names apart."""
    data = unicodedata.normalize("NFC", text).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:length]


def slugify(name: str) -> str:
    """The name's letters and digits (any script, NFC), lowercased, everything else as "-".

    Capped at 40 characters; a name with no letters, or a reserved device name, gets a short
    suffix from its hash so that it is never empty and never special.
    """
    text = unicodedata.normalize("NFC", name).lower()
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in ("L", "N") or (category[0] == "M" and out and out[-1] != "-"):
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    slug = "".join(out).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rstrip("-")
    slug = unicodedata.normalize("NFC", slug)
    if not slug:
        return f"client-{short_hash(name)}"
    if slug in _RESERVED:
        return f"{slug}-{short_hash(name)}"
    return slug


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed
    with an apostrophe, the way spreadsheet programs expect (OWASP's CSV-injection advice).
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@dataclass(frozen=True)
class Fixes:
    """What an output error tells the user to do, in the terms of the command or page that
    writes: each is said after the problem's own words ("" says nothing more).

    The command line names its options (:func:`option_fixes`); the web app, which has no
    options, names its own boxes and folders instead.
    """

    exists: str     # after "<file>: already exists."
    taken: str      # after "<file>: already exists." when it appeared while writing
    no_folder: str  # after "<folder>: cannot create the output folder (<why>)."
    no_write: str   # after "<folder>: cannot write here (<why>)."


def option_fixes(flag: str = "-o", what: str = "name") -> Fixes:
    """The command line's fixes: ``--force`` replaces, ``flag`` chooses another ``what``
    (``build``'s -o another name, ``batch``'s --out-dir another folder)."""
    return Fixes(exists=f" Use --force to replace it, or {flag} to choose another {what}.",
                 taken=" Use --force to replace it.",
                 no_folder=f" Choose another with {flag}.",
                 no_write=f" Choose another folder with {flag}.")


def private_folder(folder: Path, flag: str = "-o", fixes: Fixes | None = None) -> Path:
    """Create ``folder`` (and missing parents) readable by its owner only (0700).

    Folders this tool creates hold client names, so other users of the computer must not be
    able to list them. An existing folder is left as it is: it may be the user's own.
    ``flag`` is the calling command's option that chooses another place (named in the error);
    ``fixes``, if given, says what to do instead (the web app's terms).
    """
    fixes = fixes or option_fixes(flag)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for made in missing:
            os.chmod(made, 0o700)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the output folder ({exc.strerror})."
                          f"{fixes.no_folder}") from None
    return folder


def write_atomic(path: Path, data: bytes, *, force: bool = False, flag: str = "-o",
                 what: str = "name", fixes: Fixes | None = None) -> Path:
    """Write ``data`` to ``path`` atomically with owner-only permissions.

    The bytes go to a temporary file in the same folder, are flushed to disk, and are then
    linked (new file) or renamed (``force``) into place, so a crash or Ctrl-C never leaves a
    partial file under the final name. Without ``force`` an existing file is never replaced.
    Errors name the calling command's own option for another place: ``flag`` chooses another
    ``what`` (``build``'s -o another name, ``batch``'s --out-dir another folder); ``fixes``,
    if given, replaces that advice (the web app's terms).
    """
    fixes = fixes or option_fixes(flag, what)
    folder = private_folder(path.parent, fixes=fixes)
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists.{fixes.exists}")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".partial-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write here ({exc.strerror}).{fixes.no_write}") \
            from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputError(f"{path}: already exists.{fixes.taken}") from None
            except OSError:
                # Some file systems have no hard links; fall back to a checked rename.
                if path.exists():
                    raise OutputError(f"{path}: already exists.{fixes.taken}") from None
                os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the file ({exc.strerror}).") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
