"""Reading TOML files strictly: every key is known, every value has the right type.

A typo in a clinic or client file must never be silently ignored, so :class:`Fields` records
which keys were read and :meth:`Fields.done` rejects the rest, suggesting the nearest known key.
"""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path
from typing import Any

from .errors import InputError


def _tomllib() -> Any:
    """The TOML parser, imported when a file is parsed (a cold build may find every file it
    reads parsed in the disk cache)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib


def __getattr__(name: str) -> Any:
    """``schema.tomllib``, imported on first use (the web app's clinic form checks with it)."""
    if name == "tomllib":
        return _tomllib()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_input(path: Path) -> bytes:
    """Read an input file; a missing or unreadable file is one clear :class:`InputError`."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found. Check the path.") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror}).") from None


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a missing or malformed file is an :class:`InputError` with its line."""
    raw = read_input(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text. Save it as UTF-8 and try again.") from None
    tomllib = _tomllib()
    try:
        return tomllib.loads(text)  # type: ignore[no-any-return]
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}. Fix that line and try again.") from None


class Fields:
    """Typed, tracked access to one TOML table; ``where`` names it in errors."""

    def __init__(self, data: dict[str, Any], where: str):
        self.data = data
        self.where = where
        self._seen: set[str] = set()

    def _get(self, key: str) -> Any:
        self._seen.add(key)
        return self.data.get(key)

    def error(self, key: str, problem: str) -> InputError:
        """Build an error naming this table and ``key``."""
        return InputError(f"{self.where}: '{key}' {problem}")

    def text(self, key: str, *, required: bool = False, max_len: int = 200,
             default: str | None = None) -> str | None:
        """A string value (stripped); too long or the wrong type is an error."""
        value = self._get(key)
        if value is None:
            if required:
                raise self.error(key, "is missing. Add it, for example: " f'{key} = "..."')
            return default
        if not isinstance(value, str):
            raise self.error(key, f"must be text in quotes, not {type(value).__name__}.")
        value = value.strip()
        if required and not value:
            raise self.error(key, "is empty. Give it a value.")
        if len(value) > max_len:
            raise self.error(key, f"is {len(value)} characters long; use at most {max_len}.")
        return value

    def integer(self, key: str, lo: int, hi: int, default: int | None = None) -> int | None:
        """A whole number between ``lo`` and ``hi``."""
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"must be a whole number from {lo} to {hi}.")
        if not lo <= value <= hi:
            raise self.error(key, f"is {value}; use a whole number from {lo} to {hi}.")
        return value

    def int_pair(self, key: str, lo: int, hi: int) -> tuple[int, int] | None:
        """A ``[min, max]`` pair of whole numbers within ``lo``..``hi``."""
        value = self._get(key)
        if value is None:
            return None
        if (not isinstance(value, list) or len(value) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
                or not lo <= value[0] <= value[1] <= hi):
            raise self.error(key, f"must be [min, max] with {lo} <= min <= max <= {hi}.")
        return (value[0], value[1])

    def boolean(self, key: str, default: bool = False) -> bool:
        """true or false."""
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, "must be true or false (no quotes).")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str | None:
        """One of ``options``."""
        value = self.text(key, default=default)
        if value is not None and value.lower() not in options:
            raise self.error(key, f"is '{value}'; use one of: {', '.join(options)}.")
        return value.lower() if value is not None else None

    def date(self, key: str) -> _dt.date | None:
        """A TOML date or a "YYYY-MM-DD" string."""
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, _dt.datetime):
            day = value.date()
        elif isinstance(value, _dt.date):
            day = value
        elif isinstance(value, str):
            day = parse_date(value, f"{self.where}: '{key}'")
        else:
            raise self.error(key, "must be a date like 2026-11-22.")
        from .text import date_problem

        problem = date_problem(day)
        if problem is not None:
            raise self.error(key, f"is {day.isoformat()}, out of range; {problem}.")
        return day

    def text_list(self, key: str, max_items: int = 20, max_len: int = 200) -> list[str] | None:
        """A list of strings."""
        value = self._get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, 'must be a list of text, for example ["a", "b"].')
        if len(value) > max_items:
            raise self.error(key, f"has {len(value)} items; at most {max_items} are allowed.")
        for item in value:
            if len(item) > max_len:
                raise self.error(key, f"has an item over {max_len} characters; shorten it.")
        return [v.strip() for v in value]

    def raw(self, key: str) -> Any:
        """The value as parsed, for keys with several allowed shapes."""
        return self._get(key)

    def table(self, key: str) -> Fields | None:
        """A sub-table, itself strictly checked."""
        value = self._get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table ([{key}]).")
        return Fields(value, f"{self.where} [{key}]")

    def done(self) -> None:
        """Reject every key that was not read (typos must not be ignored)."""
        unknown = [k for k in self.data if k not in self._seen]
        if unknown:
            key = unknown[0]
            import difflib  # only for this message

            close = difflib.get_close_matches(key, sorted(self._seen), n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                "known keys: " + ", ".join(sorted(self._seen)) + ".")
            if "[[" in self.where:
                hint += (" (keys for the whole file go above the first [[...]] block, or "
                         "TOML reads them as part of it)")
            raise InputError(f"{self.where}: unknown key '{key}'; {hint}")


def parse_date(value: str, where: str) -> _dt.date:
    """Parse YYYY-MM-DD or raise an :class:`InputError` naming ``where``."""
    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{where}: '{value}' is not a date; write it as YYYY-MM-DD.") from None
