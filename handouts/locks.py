"""One run at a time per output folder and per sent record.

Two batches writing into one folder would delete each other's in-progress files, and two email
runs on one sent record could both send. A run therefore holds an exclusive lock on a small
file beside what it writes; a second run stops at once with one line naming the first one's
process id. The operating system drops the lock when a process ends, even when it is killed,
so a crashed run never leaves a folder locked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import IO

from .errors import HandoutError


class BusyError(HandoutError):
    """Another run holds the lock (exit code 75: try again when it has finished)."""

    exit_code = 75


def _try_lock(handle: IO[bytes]) -> bool:
    """Take an exclusive, non-blocking lock on the open file; False if another holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


class RunLock:
    """An exclusive lock held for one run: ``with RunLock(path, what): ...``.

    ``path`` is the lock file (created owner-only); ``what`` names the thing locked in the
    message a second run prints ("the folder output/signups").
    """

    def __init__(self, path: Path, what: str):
        self.path = path
        self.what = what
        self._handle: IO[bytes] | None = None

    def acquire(self) -> RunLock:
        """Take the lock or raise :class:`BusyError` naming the run that holds it."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise HandoutError(f"{self.path}: cannot create the lock file ({exc.strerror}).") \
                from None
        handle = os.fdopen(fd, "r+b")
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read(32).decode("ascii", "replace").strip() or "unknown"
            handle.close()
            raise BusyError(f"{self.what} is in use by another run (pid {holder}); wait for "
                            "it to finish, then run again.")
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode("ascii"))
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        """Let go of the lock (the file stays: deleting it would race with a waiting run)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()
