"""The sent record against aiosmtpd: keyed on what the handout says, one run at a time, claims
made only right before DATA, and owner-only files."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import test_email as harness
import trustme
from pypdf import PdfReader
from test_email import NOTE, PEOPLE, ROOT, Handler, clinic, free_port, parsed, roster, run

from handouts.locks import RunLock
from handouts.sentrecord import SentRecord

ca = harness.ca  # the aiosmtpd fixtures from test_email
server = harness.server


def received(handler: Handler) -> list[str]:
    return [r[0] for r, _ in handler.messages]


def write_roster(folder: Path, stretches: dict[str, str]) -> None:
    """PEOPLE with their own stretches (id -> "lunge;bridge")."""
    text = "name,email,id,note,stretches\n"
    for name, address, ident in PEOPLE:
        text += f'{name},{address},{ident},"{NOTE}",{stretches.get(ident, "lunge;bridge")}\n'
    (folder / "class.csv").write_text(text)


def test_next_day_rerun_sends_nothing_and_a_change_is_sent(tmp_path: Path, server: Any) -> None:
    """The same handout on another date is not sent again; a changed one is sent, once."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    write_roster(tmp_path, {})
    code, out = run(tmp_path, "class.csv", "--date", "2026-11-22")
    assert code == 0 and len(handler.messages) == 3, out
    code, out = run(tmp_path, "class.csv", "--date", "2026-11-23")
    assert code == 0 and len(handler.messages) == 3, out
    assert out.count("already sent (") == 3
    write_roster(tmp_path, {"B2": "lunge;bed-edge-hang"})
    code, out = run(tmp_path, "class.csv", "--date", "2026-11-24")
    assert code == 0, out
    assert received(handler)[3:] == ["bo@example.com"]
    assert "class.csv: line 3: the handout changed since it was sent on" in out
    assert "sending the new one" in out and out.count("already sent (") == 2
    code, out = run(tmp_path, "class.csv", "--date", "2026-11-25")
    assert code == 0 and len(handler.messages) == 4


def test_encrypted_handout_keeps_its_password_across_days(tmp_path: Path, server: Any) -> None:
    """--encrypt: the same handout has the same password tomorrow (one row per client)."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    roster(tmp_path, PEOPLE[:2])
    assert run(tmp_path, "class.csv", "--encrypt", "--date", "2026-11-22")[0] == 0
    first = (tmp_path / "pdf-passwords.csv").read_text(encoding="utf-8-sig")
    code, out = run(tmp_path, "class.csv", "--encrypt", "--date", "2026-11-23",
                    "--resend", "A1")
    assert code == 0 and len(handler.messages) == 3, out
    assert (tmp_path / "pdf-passwords.csv").read_text(encoding="utf-8-sig") == first
    password = next(line.split(",")[3] for line in first.splitlines() if line.startswith("A1,"))
    resent = parsed(handler.messages[2][1])
    pdf = PdfReader(io.BytesIO(next(resent.iter_attachments()).get_content()))
    assert pdf.decrypt(password)


def test_rows_from_the_older_version_are_taken_over(tmp_path: Path, server: Any) -> None:
    """A record keyed on the PDF's sha256 (older version): those clients are not sent again."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    write_roster(tmp_path, {})
    db = sqlite3.connect(tmp_path / "sent-record.sqlite3")
    db.execute("CREATE TABLE sends (client_key TEXT NOT NULL, handout_hash TEXT NOT NULL, "
               "email TEXT NOT NULL, status TEXT NOT NULL, message_id TEXT, reason TEXT, "
               "updated TEXT NOT NULL, PRIMARY KEY (client_key, handout_hash))")
    for key, address, status in (("A1", "ana@example.com", "sent"),
                                 ("B2", "bo@example.com", "sending")):
        db.execute("INSERT INTO sends VALUES (?,?,?,?,?,?,?)",
                   (key, "ab" * 32, address, status, "<x@y>", None, "2026-11-20T10:00:00+00:00"))
    db.commit()
    db.close()
    code, out = run(tmp_path, "class.csv")
    assert received(handler) == ["cy@example.com"], out
    assert code == 1 and out.count("older version") == 2 and "uncertain" in out
    code, out = run(tmp_path, "class.csv")
    assert len(handler.messages) == 1 and "already sent (2026-11-20" in out
    write_roster(tmp_path, {"A1": "bridge"})
    code, out = run(tmp_path, "class.csv")
    assert received(handler)[1:] == ["ana@example.com"]
    assert "line 2: the handout changed since it was sent on 2026-11-20" in out


def test_second_run_on_the_same_record_stops(tmp_path: Path, server: Any) -> None:
    """While a run holds the sent record, another stops at once, naming its pid (exit 75)."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    roster(tmp_path)
    with RunLock(tmp_path / "sent-record.sqlite3.lock", "held by the test"):
        code, out = run(tmp_path, "class.csv")
    assert code == 75 and f"pid {os.getpid()}" in out and not handler.messages
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out
    assert run(tmp_path, "class.csv")[0] == 0 and len(handler.messages) == 3


def test_two_processes_send_each_client_once(tmp_path: Path, server: Any) -> None:
    """Two email runs at once on one record: each client gets exactly one message."""
    gate = threading.Event()  # the first run's second message waits until the second run ends
    handler = Handler(gate=gate)
    clinic(tmp_path, server(handler))
    people = [(f"Person {i}", f"p{i}@example.com", f"P{i}") for i in range(5)]
    roster(tmp_path, people)
    command = [sys.executable, str(ROOT / "build_handouts.py"), "email", "class.csv",
               "--encrypt"]
    first = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not handler.messages and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        second = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                                timeout=120)
    finally:
        gate.set()
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, out + err
    assert second.returncode == 75 and f"(pid {first.pid})" in second.stderr, second.stderr
    assert sorted(received(handler)) == sorted(a for _, a, _ in people)
    rows = (tmp_path / "pdf-passwords.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1 + len(people)


def test_claiming_a_client_is_one_transaction(tmp_path: Path) -> None:
    """Two connections (as two processes without the lock) can never both claim one client."""
    one, two = SentRecord(tmp_path / "r.sqlite3"), SentRecord(tmp_path / "r.sqlite3")
    try:
        seen = one.get("A1", "plan-x"), two.get("A1", "plan-x")
        assert one.claim("A1", "plan-x", "a@example.com", "<m@x>", seen[0])
        assert not two.claim("A1", "plan-x", "a@example.com", "<m@x>", seen[1])
        assert not two.claim("A1", "plan-x", "a@example.com", "<m@x>", two.get("A1", "plan-x"))
        sent = one.get("A1", "plan-x")
        assert sent is not None and sent.status == "sending"
    finally:
        one.close()
        two.close()


def test_server_down_then_up_sends_everyone(tmp_path: Path, server: Any) -> None:
    """No server: nobody is marked uncertain; when it answers, the rerun sends all (exit 0)."""
    port = free_port()
    clinic(tmp_path, port)
    roster(tmp_path)
    code, out = run(tmp_path, "class.csv")
    assert code == 75 and "cannot connect" in out
    handler = Handler()
    server(handler, port=port)
    code, out = run(tmp_path, "class.csv")
    assert code == 0 and "uncertain:" not in out, out
    assert sorted(received(handler)) == sorted(a for _, a, _ in PEOPLE)


def test_wrong_password_then_right_sends(tmp_path: Path, server: Any,
                                         ca: trustme.CA) -> None:
    """A refused login leaves clients pending; with the right password they are sent."""
    handler = Handler()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    clinic(tmp_path, server(handler, "starttls", auth=True), "starttls", ca_file, "clinic")
    roster(tmp_path, PEOPLE[:2])
    code, out = run(tmp_path, "class.csv", env={"HANDOUTS_SMTP_PASSWORD": "wrong"})
    assert code == 1 and "refused the username or password" in out
    code, out = run(tmp_path, "class.csv", env={"HANDOUTS_SMTP_PASSWORD": "s3cret-pass"})
    assert code == 0 and "uncertain:" not in out, out
    assert sorted(received(handler)) == ["ana@example.com", "bo@example.com"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_record_and_its_wal_files_are_tightened(tmp_path: Path, server: Any) -> None:
    """A 0644 record and its -wal/-shm files are owner-only after a real send."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    roster(tmp_path, PEOPLE[:1])
    path = tmp_path / "sent-record.sqlite3"
    keep = sqlite3.connect(path)  # held open so that -wal and -shm stay on disk
    try:
        keep.execute("PRAGMA journal_mode=WAL")
        keep.execute("CREATE TABLE other (x)")
        keep.execute("INSERT INTO other VALUES (1)")
        keep.commit()
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        for item in files:
            os.chmod(item, 0o644)
        code, out = run(tmp_path, "class.csv")
        assert code == 0 and len(handler.messages) == 1, out
        assert {item.name: stat.S_IMODE(item.stat().st_mode) for item in files} == {
            item.name: 0o600 for item in files}
    finally:
        keep.close()
    box = tmp_path / "new" / "outbox"
    assert run(tmp_path, "class.csv", "--outbox", str(box))[0] == 0
    assert stat.S_IMODE(box.stat().st_mode) == 0o700
    assert stat.S_IMODE(box.parent.stat().st_mode) == 0o700
