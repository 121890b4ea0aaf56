"""The local sent record: which handout went to which client, so nobody gets it twice.

SQLite from the standard library, one row per (client, handout). The handout is named by a
fingerprint of what it says (``delivery.handout_fingerprint``), never by the PDF's bytes, which
carry the date. A message moves pending → sending → sent (with its Message-ID and time) or
failed (with the reason). It becomes "sending" only once the server has accepted the sender and
the recipient, right before the data is handed over, in one transaction that refuses a row
another run holds. A row still in "sending" when a run starts means the last run stopped while
that message was in flight: its outcome is uncertain, and it is not sent again unless the
therapist says so (--resend).

Rows written by versions before the fingerprint hold the PDF's sha256 instead (64 hex digits,
no ``plan-`` prefix); :meth:`SentRecord.legacy` finds them so that delivery can take them over.

A clinic has one record, in its folder (:func:`clinic_record`), whichever front end sends: the
command line and the app both use it. Versions before that kept the command line's record in
the folder it ran from; :meth:`SentRecord.take_over` merges such a record in, once.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
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
TAKEN_OVER = """
CREATE TABLE IF NOT EXISTS taken_over (
    path TEXT PRIMARY KEY,
    rows INTEGER NOT NULL,
    at TEXT NOT NULL
)
"""
FINGERPRINT_PREFIX = "plan-"
RECORD_NAME = "sent-record.sqlite3"
# Merging two records keeps, for each (client, handout), the status that sends less:
# a message that may have gone out must never be sent again because of the merge.
_RANK = {"pending": 0, "failed": 1, "sending": 2, "sent": 3}
_UPSERT = ("INSERT INTO sends VALUES (?,?,?,?,?,?,?) ON CONFLICT(client_key, handout_hash) "
           "DO UPDATE SET email=excluded.email, status=excluded.status, "
           "message_id=excluded.message_id, reason=excluded.reason, updated=excluded.updated")


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

    @property
    def day(self) -> str:
        """The date of the last change (YYYY-MM-DD, UTC)."""
        return self.updated[:10]


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def clinic_record(folder: Path | None) -> Path:
    """The clinic's one sent record, for the command line and the app alike:
    ``sent-record.sqlite3`` in the clinic folder (``folder`` None, the sample clinic, which has
    no folder of its own: in the current folder, where the app keeps its client files too)."""
    return (folder if folder is not None else Path.cwd()) / RECORD_NAME


def earlier_record(record: Path) -> Path | None:
    """The record an earlier version's ``email`` kept in the folder it ran from (the current
    folder), if there is one and it is not ``record`` itself."""
    old = Path.cwd() / RECORD_NAME
    if not old.is_file():
        return None
    try:
        if record.exists() and os.path.samefile(old, record):
            return None
    except OSError:
        pass
    return None if old.resolve() == record.resolve() else old


def _tighten(path: Path) -> None:
    """Owner-only modes on the database and SQLite's -wal and -shm files beside it."""
    for item in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if item.exists():
            os.chmod(item, 0o600)


@contextmanager
def _private_umask() -> Iterator[None]:
    """Files SQLite creates in this block (-wal, -shm) are owner-only from the start."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


class SentRecord:
    """The record file (created owner-only; an existing one is tightened to owner-only)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            with _private_umask():
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                if not path.exists():
                    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
                    os.close(fd)
                # Tighten before SQLite opens it: SQLite gives -wal and -shm the database's mode.
                _tighten(path)
                self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute(SCHEMA)
                self.db.execute(TAKEN_OVER)
                _tighten(path)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"{path}: cannot open the sent record "
                              f"({getattr(exc, 'strerror', None) or exc}).") from None

    def get(self, client_key: str, handout_hash: str) -> Entry | None:
        """The row for this client and handout, if any."""
        row = self.db.execute("SELECT * FROM sends WHERE client_key=? AND handout_hash=?",
                              (client_key, handout_hash)).fetchone()
        return Entry(*row) if row else None

    def set(self, client_key: str, handout_hash: str, email: str, status: str,
            message_id: str | None = None, reason: str | None = None) -> None:
        """Record a state change (committed at once: a crash right after it keeps it)."""
        self.db.execute(_UPSERT, (client_key, handout_hash, email, status, message_id, reason,
                                  _now()))

    def claim(self, client_key: str, handout_hash: str, email: str, message_id: str,
              expected: Entry | None, force: bool = False) -> bool:
        """Mark this handout "sending" in one transaction; False if another run got there.

        The row must still be what the caller decided on (``expected``) and, unless ``force``
        (--resend), must not be "sending" or "sent". Two processes can therefore never both
        claim one client's handout, even without the run lock.
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                current = self.get(client_key, handout_hash)
                busy = current is not None and current.status in ("sending", "sent")
                if current != expected or (busy and not force):
                    self.db.execute("ROLLBACK")
                    return False
                self.db.execute(_UPSERT, (client_key, handout_hash, email, "sending",
                                          message_id, None, _now()))
                self.db.execute("COMMIT")
                return True
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise OutputError(f"{self.path}: cannot update the sent record ({exc}).") from None

    def restore(self, client_key: str, handout_hash: str, email: str, previous: Entry | None,
                reason: str) -> None:
        """Undo a claim whose message was not handed over (back to pending, or as it was)."""
        if previous is None:
            self.set(client_key, handout_hash, email, "pending", None, reason)
        else:
            self.db.execute("INSERT OR REPLACE INTO sends VALUES (?,?,?,?,?,?,?)",
                            (previous.client_key, previous.handout_hash, previous.email,
                             previous.status, previous.message_id, previous.reason,
                             previous.updated))

    def latest(self, client_key: str) -> Entry | None:
        """The client's most recently changed row for any handout (fingerprinted rows only)."""
        row = self.db.execute(
            "SELECT * FROM sends WHERE client_key=? AND handout_hash LIKE ? "
            "ORDER BY updated DESC LIMIT 1", (client_key, FINGERPRINT_PREFIX + "%")).fetchone()
        return Entry(*row) if row else None

    def legacy(self, client_key: str) -> Entry | None:
        """The client's latest row from an older version (keyed on the PDF's sha256)."""
        row = self.db.execute(
            "SELECT * FROM sends WHERE client_key=? AND handout_hash NOT LIKE ? "
            "ORDER BY updated DESC LIMIT 1", (client_key, FINGERPRINT_PREFIX + "%")).fetchone()
        return Entry(*row) if row else None

    def adopt(self, old: Entry, handout_hash: str) -> Entry:
        """Copy an older version's row under this handout's fingerprint (keeps its time)."""
        self.db.execute("INSERT OR IGNORE INTO sends VALUES (?,?,?,?,?,?,?)",
                        (old.client_key, handout_hash, old.email, old.status, old.message_id,
                         old.reason, old.updated))
        entry = self.get(old.client_key, handout_hash)
        assert entry is not None
        return entry

    def sent_to(self, client_key: str) -> list[Entry]:
        """Every handout this client was sent (or may have been)."""
        rows = self.db.execute("SELECT * FROM sends WHERE client_key=? ORDER BY updated",
                               (client_key,)).fetchall()
        return [Entry(*row) for row in rows]

    def take_over(self, old: Path) -> int | None:
        """Merge an earlier version's record at ``old`` into this one, once: the number of
        rows it held, or None if it was taken over before.

        Where both records know a (client, handout), the status that sends less wins (sent,
        then sending, failed, pending), so nobody is emailed twice because of the merge. The
        old file is left as it was (no longer used).
        """
        key = str(old.resolve())
        if self.db.execute("SELECT 1 FROM taken_over WHERE path=?", (key,)).fetchone():
            return None
        try:
            with _private_umask():
                _tighten(old)
                source = sqlite3.connect(old, timeout=30)
                try:
                    rows = source.execute(
                        "SELECT client_key, handout_hash, email, status, message_id, reason, "
                        "updated FROM sends").fetchall()
                finally:
                    source.close()
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"{old}: cannot read the sent record an earlier version kept "
                              f"here ({getattr(exc, 'strerror', None) or exc}); move it away "
                              "only if you are sure nobody in it should be protected from a "
                              "second email.") from None
        try:
            self.db.execute("BEGIN IMMEDIATE")
            for row in rows:
                current = self.get(row[0], row[1])
                if current is None or _RANK.get(row[3], 0) > _RANK.get(current.status, 0):
                    self.db.execute("INSERT OR REPLACE INTO sends VALUES (?,?,?,?,?,?,?)", row)
            self.db.execute("INSERT INTO taken_over VALUES (?,?,?)", (key, len(rows), _now()))
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise OutputError(f"{self.path}: cannot update the sent record ({exc}).") from None
        return len(rows)

    def close(self) -> None:
        """Close the database."""
        self.db.close()
