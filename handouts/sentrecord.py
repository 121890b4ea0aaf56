"""The local sent record: which handout went to which client, so nobody gets it twice.

SQLite from the standard library, one row per (client, handout). A message moves pending →
sending → sent (with its Message-ID and time) or failed (with the reason). A row still in
"sending" when a run starts means the last run stopped while that message was in flight: its
outcome is uncertain, and it is not sent again unless the therapist says so (--resend).
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS sends (
    client_key TEXT NOT NULL,
    handout_hash TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    message_id TEXT,
    reason TEXT,
    updated TEXT NOT NULL,
    PRIMARY KEY (client_key, handout_hash)
)
"""


@dataclass(frozen=True)
class Entry:
    """One (client, handout) row."""

    client_key: str
    handout_hash: str
    email: str
    status: str
    message_id: str | None
    reason: str | None
    updated: str


class SentRecord:
    """The record file (created owner-only)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"{path}: cannot open the sent record ({exc}).") from None

    def get(self, client_key: str, handout_hash: str) -> Entry | None:
        """The row for this client and handout, if any."""
        row = self.db.execute("SELECT * FROM sends WHERE client_key=? AND handout_hash=?",
                              (client_key, handout_hash)).fetchone()
        return Entry(*row) if row else None

    def set(self, client_key: str, handout_hash: str, email: str, status: str,
            message_id: str | None = None, reason: str | None = None) -> None:
        """Record a state change (committed at once: a crash right after it keeps it)."""
        now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        self.db.execute(
            "INSERT INTO sends VALUES (?,?,?,?,?,?,?) ON CONFLICT(client_key, handout_hash) "
            "DO UPDATE SET email=excluded.email, status=excluded.status, "
            "message_id=excluded.message_id, reason=excluded.reason, updated=excluded.updated",
            (client_key, handout_hash, email, status, message_id, reason, now))

    def sent_to(self, client_key: str) -> list[Entry]:
        """Every handout this client was sent (or may have been)."""
        rows = self.db.execute("SELECT * FROM sends WHERE client_key=? ORDER BY updated",
                               (client_key,)).fetchall()
        return [Entry(*row) for row in rows]

    def close(self) -> None:
        """Close the database."""
        self.db.close()
