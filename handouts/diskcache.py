"""A small on-disk cache of what every run works out the same way, for a quicker first build.

It holds only what follows from the tool's own files and the clinic's settings, never from a
client: each picture's drawing steps (parsing three SVGs costs a cold build ~60 ms), the QR
code for the clinic's booking address, the compiled templates and the parsed template TOML
files (stretches, conditions, a language's words). Every entry is named by a hash of
everything it was made from (the file's bytes, the font files, this version of the tool and
of reportlab), so a changed input simply misses and writes a new entry; a damaged or foreign
entry is ignored and rewritten. Deleting the folder is always safe.

Where: ``$PSOAS_HANDOUTS_CACHE`` if set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/psoas-handouts`` or ``~/.cache/psoas-handouts`` (``%LOCALAPPDATA%`` on
Windows), in a folder per version. Folders are 0700 and files 0600, written atomically. A
cache that cannot be read or written (a read-only home, a full disk) is passed over quietly:
the build then does the work itself and is just as correct.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__

ENV = "PSOAS_HANDOUTS_CACHE"
OFF = ("", "0", "off", "no", "false", "none")
FORMAT = 1  # bump when an entry's layout changes


def folder() -> Path | None:
    """This version's cache folder (not created here), or None when the cache is off."""
    value = os.environ.get(ENV)
    if value is not None:
        if value.strip().lower() in OFF:
            return None
        base = Path(value).expanduser()
    else:
        root = os.environ.get("LOCALAPPDATA") if os.name == "nt" else None
        root = root or os.environ.get("XDG_CACHE_HOME")
        if not root or not os.path.isabs(root):
            try:
                root = str(Path.home() / ".cache")
            except RuntimeError:  # no home folder: no cache
                return None
        base = Path(root) / "psoas-handouts"
    return base / __version__


# The modules whose code shapes the entries: an edited copy (a developer's) never reads
# entries the old code made. They are looked at once a process (the code running is the code
# it imported; a build makes some 40 keys).
_SHAPERS = ("art.py", "layout.py", "sandbox.py", "templating.py", "text.py", "diskcache.py",
            "fonts.py")


@lru_cache(maxsize=1)
def _code_identity() -> str:
    here = os.path.dirname(__file__)
    parts = []
    for name in _SHAPERS:
        try:
            info = os.stat(os.path.join(here, name))
            parts.append(f"{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return ",".join(parts)


def key(kind: str, *parts: bytes | str) -> str:
    """A name for an entry: a hash of the kind, the tool's and reportlab's versions and
    ``parts`` (everything the entry is made from)."""
    import reportlab

    digest = hashlib.sha256()
    for part in (str(FORMAT), __version__, reportlab.Version, _code_identity(), kind, *parts):
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return f"{kind}-{digest.hexdigest()[:40]}"


def load(name: str) -> Any:
    """The entry's data, or None when there is none or it is damaged, stale or foreign."""
    where = folder()
    if where is None:
        return None
    try:
        with open(where / f"{name}.json", "rb") as handle:
            entry = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != name or "data" not in entry:
        return None
    return entry["data"]


def store(name: str, data: Any) -> bool:
    """Write an entry atomically (0600, in a 0700 folder); False when it could not be."""
    try:
        body = json.dumps({"key": name, "data": data}, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):
        return False
    return _write(f"{name}.json", body)


def load_bytes(name: str) -> bytes | None:
    """A binary entry's bytes (its reader checks them), or None."""
    where = folder()
    if where is None:
        return None
    try:
        with open(where / f"{name}.bin", "rb") as handle:
            return handle.read()
    except OSError:
        return None


def store_bytes(name: str, body: bytes) -> bool:
    """Write a binary entry atomically (0600, in a 0700 folder)."""
    return _write(f"{name}.bin", body)


def _write(filename: str, body: bytes) -> bool:
    where = folder()
    if where is None:
        return False
    try:
        where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # new folders only
        where.mkdir(mode=0o700, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=".part")  # 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            os.replace(temp, where / filename)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
    except OSError:
        return False
    return True


def load_template_toml(path: Path) -> dict[str, Any]:
    """A template TOML file (a stretch's data or words, the conditions, a language's
    strings: never a client's or a clinic's settings), parsed, as
    :func:`handouts.schema.load_toml` gives it.

    Python's TOML parser reads ~3 KB a millisecond; a cold build reads about ten such files
    (~4 ms). Their parsed data is kept under a hash of the file's bytes, so an edited file
    simply misses; data JSON cannot hold exactly (a date) is never stored.
    """
    from .schema import load_toml, read_input

    if folder() is None:
        return load_toml(path)
    raw = read_input(path)
    source = hashlib.sha256(raw).hexdigest()
    name = key("toml", sys.version, raw)
    entry = load(name)
    if isinstance(entry, dict) and entry.get("source") == source \
            and isinstance(entry.get("table"), dict):
        return entry["table"]  # type: ignore[no-any-return]
    data = load_toml(path)
    if _plain_json(data):
        store(name, {"source": source, "table": data})
    return data


def _plain_json(value: Any) -> bool:
    """True when JSON gives back exactly ``value`` (tables with text keys, lists, text,
    whole numbers, finite decimals, booleans)."""
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and _plain_json(v) for k, v in value.items())
    if kind is list:
        return all(_plain_json(v) for v in value)
    if kind is float:
        return math.isfinite(value)
    return kind in (str, int, bool)


def template_cache() -> Any:
    """A Jinja2 bytecode cache in this folder: each template is compiled once, not once per
    run (~1 ms a template, 15-25 ms of a cold build). Jinja checks each entry against the
    template's source and this Python; like Python's own compiled files, entries are code
    and trusted as the user's own (owner-only) folder."""
    import jinja2

    class TemplateCache(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            body = load_bytes(key("jinja", bucket.key))
            if body is not None:
                try:
                    bucket.bytecode_from_string(body)
                except Exception:  # noqa: BLE001 - a damaged entry: compiled again
                    bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            store_bytes(key("jinja", bucket.key), bucket.bytecode_to_string())

    return TemplateCache()
