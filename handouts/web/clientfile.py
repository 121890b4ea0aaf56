"""Save a handout request as the CLI's client file (``clients/<name>.toml``).

The next visit starts from last time's stretches and doses. The file is written atomically and
owner-only (``write_atomic``); a file that belongs to another client (two names with the same
slug) is never replaced: the new one gets a suffix from the name's hash, as handouts do.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from ..content import load_client
from ..errors import HandoutError
from ..models import Client
from ..output import private_folder, short_hash, slugify, write_atomic
from .terms import APP_FILES

FOLDER = "clients"
KEYS = ("name", "email", "date", "therapist", "next_visit", "note", "large_print", "layout",
        "language", "conditions")
STRETCH_KEYS = ("hold_seconds", "reps", "sides", "per_day", "days_per_week", "note")


def toml_value(value: Any) -> str:
    """A TOML value: text as a basic string (JSON's escapes are TOML's), numbers, booleans,
    dates, lists."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007F")


def client_toml(client: Client) -> bytes:
    """The client file's text for ``client`` (only the keys that have a value)."""
    lines = []
    for key in KEYS:
        value = getattr(client, key)
        if key == "date" and value is not None:
            value = value.isoformat()
        if value in (None, "", (), False):
            continue
        lines.append(f"{key} = {toml_value(value)}")
    for choice in client.stretches:
        lines += ["", "[[stretches]]", f"id = {toml_value(choice.id)}"]
        for key in STRETCH_KEYS:
            value = getattr(choice, key)
            if value not in (None, ""):
                lines.append(f"{key} = {toml_value(value)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def clients_folder(clinic_folder: Path) -> Path:
    """The clinic's clients folder (made owner-only if missing)."""
    return clinic_folder / FOLDER


def _owner(path: Path) -> str | None:
    """The client name in an existing file (None if it is not a readable client file)."""
    try:
        return load_client(path).name
    except HandoutError:
        return None


def save_client(clinic_folder: Path, client: Client) -> Path:
    """Write or update ``clients/<slug>.toml`` for ``client``; returns the path."""
    folder = private_folder(clients_folder(clinic_folder), fixes=APP_FILES)
    path = folder / f"{slugify(client.name)}.toml"
    if path.exists() and _owner(path) != client.name:
        path = folder / f"{slugify(client.name)}-{short_hash(client.name)}.toml"
    data = client_toml(client)
    if path.is_file() and path.read_bytes() == data:
        return path
    return write_atomic(path, data, force=True, fixes=APP_FILES)


def list_clients(clinic_folder: Path) -> list[tuple[str, Client | None]]:
    """Every client file in the clinic (file stem, client or None if it does not load)."""
    folder = clients_folder(clinic_folder)
    if not folder.is_dir():
        return []
    found: list[tuple[str, Client | None]] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            found.append((path.stem, load_client(path)))
        except HandoutError:
            found.append((path.stem, None))
    return sorted(found, key=lambda item: (item[1].name.casefold() if item[1] else item[0]))


def find_client(clinic_folder: Path, stem: str) -> Client:
    """Load ``clients/<stem>.toml`` (a plain file name only; HandoutError if missing)."""
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        raise HandoutError(f"'{stem}' is not a client file name.")
    return load_client(clients_folder(clinic_folder) / f"{stem}.toml")
