"""The run lock, the spreadsheet-safe CSV cell and owner-only folders."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from handouts.locks import BusyError, RunLock
from handouts.output import private_folder, safe_cell, write_atomic


def test_second_holder_is_refused_with_the_first_ones_pid(tmp_path: Path) -> None:
    """A second run (another process) stops with one line naming the first run's pid."""
    lock_file = tmp_path / ".lock"
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from handouts.locks import RunLock
        with RunLock(Path({str(lock_file)!r}), "the folder x"):
            print("held", flush=True)
            sys.stdin.readline()
    """)
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(BusyError) as caught:
            RunLock(lock_file, "the folder x").acquire()
        assert f"pid {holder.pid}" in str(caught.value)
        assert "\n" not in str(caught.value)
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    with RunLock(lock_file, "the folder x"):  # released when the holder ended
        assert lock_file.read_text().strip() == str(os.getpid())


def test_killed_holder_leaves_no_lock(tmp_path: Path) -> None:
    """A run killed with SIGKILL never leaves the folder locked."""
    lock_file = tmp_path / ".lock"
    script = ("import sys; from pathlib import Path; from handouts.locks import RunLock; "
              f"RunLock(Path({str(lock_file)!r}), 'x').acquire(); print('held', flush=True); "
              "sys.stdin.readline()")
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait(timeout=10)
    holder.stdout.close()
    assert holder.stdin is not None
    holder.stdin.close()
    with RunLock(lock_file, "x"):
        pass


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("Ann Lee", "Ann Lee"), ("", ""), (3, "3"), ("a=b", "a=b"),
])
def test_safe_cell(value: object, expected: str) -> None:
    """Cells a spreadsheet would run as a formula are shown as text."""
    assert safe_cell(value) == expected


def test_folders_created_owner_only(tmp_path: Path) -> None:
    """Every folder the tool creates is 0700; files are 0600; an existing folder is kept."""
    target = tmp_path / "a" / "b" / "x.pdf"
    write_atomic(target, b"%PDF")
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "a" / "b").stat().st_mode & 0o777 == 0o700
    assert target.stat().st_mode & 0o777 == 0o600
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o755)
    os.chmod(mine, 0o755)
    private_folder(mine)
    assert mine.stat().st_mode & 0o777 == 0o755
