"""One sent record per clinic, shared by the command line and the app, against aiosmtpd: a
handout the CLI sent is never sent again by the app (or the other way round), and a record
an earlier version kept in the folder `email` ran from is taken over once."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import test_email as harness
from test_email import Handler, clinic, run

pytest.importorskip("flask")

from handouts.web.app import create_app  # noqa: E402

ca = harness.ca  # the aiosmtpd fixtures from test_email
server = harness.server
TOKEN = "record-token-0123456789"
BASE = "http://127.0.0.1:8765"
JANE = {"name": "Jane Doe", "email": "jane@example.com", "stretches": ["bridge"],
        "date": "2026-11-22"}


def client_file(folder: Path) -> Path:
    """jane.toml with the same values the app's form sends (JANE)."""
    path = folder / "jane.toml"
    path.write_text('name = "Jane Doe"\nemail = "jane@example.com"\nstretches = ["bridge"]\n'
                    "date = 2026-11-22\n", encoding="utf-8")
    return path


def app_email(folder: Path, start_in: Path) -> Any:
    """POST JANE to the app's /handout/email, the app started from ``start_in``."""
    old = os.getcwd()
    os.chdir(start_in)
    try:
        web = create_app(folder, TOKEN, 8765).test_client()
        web.get(f"/?token={TOKEN}", base_url=BASE)
        return web.post("/handout/email", base_url=BASE, json=JANE,
                        headers={"Origin": BASE}).json
    finally:
        os.chdir(old)


def test_cli_then_app_sends_once(tmp_path: Path, server: Any) -> None:
    """`email --clinic my-clinic` from another folder, then the app: the second says already
    sent, one message in all, and the one record is in the clinic folder."""
    handler = Handler()
    folder = clinic(tmp_path / "my-clinic", server(handler))
    work = tmp_path / "desk"
    work.mkdir()
    client_file(work)
    code, out = run(work, "jane.toml", "--clinic", str(folder))
    assert code == 0 and len(handler.messages) == 1, out
    assert (folder / "sent-record.sqlite3").is_file()
    assert not (work / "sent-record.sqlite3").exists()
    answer = app_email(folder, work)
    assert answer["outcome"] == "already-sent", answer
    assert len(handler.messages) == 1


def test_app_then_cli_sends_once(tmp_path: Path, server: Any) -> None:
    """The app sends first; the CLI run from another folder finds the same record."""
    handler = Handler()
    folder = clinic(tmp_path / "my-clinic", server(handler))
    work = tmp_path / "desk"
    work.mkdir()
    assert app_email(folder, tmp_path)["outcome"] == "sent"
    client_file(work)
    code, out = run(work, "jane.toml", "--clinic", str(folder))
    assert code == 0 and "already sent (" in out, out
    assert len(handler.messages) == 1


def test_record_flag_still_names_the_record(tmp_path: Path, server: Any) -> None:
    """--record PATH keeps working: that file is the record, the clinic's is not made."""
    handler = Handler()
    folder = clinic(tmp_path / "my-clinic", server(handler))
    client_file(tmp_path)
    mine = tmp_path / "records" / "mine.sqlite3"
    code, out = run(tmp_path, "jane.toml", "--clinic", str(folder), "--record", str(mine))
    assert code == 0 and mine.is_file(), out
    assert not (folder / "sent-record.sqlite3").exists()
    code, out = run(tmp_path, "jane.toml", "--clinic", str(folder), "--record", str(mine))
    assert "already sent (" in out and len(handler.messages) == 1


def earlier_record(tmp_path: Path, server: Any) -> tuple[Any, Path, Path]:
    """Jane emailed by the CLI as an earlier version ran it: its sent record in the folder it
    ran from (``desk``), not the clinic's. The SMTP handler, the clinic and that folder."""
    handler = Handler()
    folder = clinic(tmp_path / "my-clinic", server(handler))
    work = tmp_path / "desk"
    work.mkdir()
    client_file(work)
    code, out = run(work, "jane.toml", "--clinic", str(folder),
                    "--record", str(work / "sent-record.sqlite3"))
    assert code == 0, out
    return handler, folder, work


def test_an_earlier_versions_record_in_the_working_folder_is_taken_over_once(
        tmp_path: Path, server: Any) -> None:
    """A record the CLI kept in the folder it ran from (before one record per clinic) is
    merged into the clinic's: nobody in it is sent again, by the CLI or the app, and the
    run says so once."""
    # What an earlier version left: the sent record in the folder `email` ran from.
    handler, folder, work = earlier_record(tmp_path, server)
    assert len(handler.messages) == 1
    # Upgraded: no --record. The old record is taken over, Jane is not sent again.
    code, out = run(work, "jane.toml", "--clinic", str(folder))
    assert code == 0 and "already sent (" in out, out
    assert out.count("the sent record an earlier version kept in this folder") == 1
    assert f"now in {folder / 'sent-record.sqlite3'}" in out
    code, again = run(work, "jane.toml", "--clinic", str(folder))
    assert "earlier version" not in again and "already sent (" in again
    # The app (started anywhere) now sees it in the clinic's record.
    assert app_email(folder, tmp_path)["outcome"] == "already-sent"
    assert len(handler.messages) == 1


def test_the_app_takes_over_the_folder_it_starts_from(tmp_path: Path, server: Any) -> None:
    """The app started where the CLI used to keep its record takes it over too, and says so
    in its messages."""
    handler, folder, work = earlier_record(tmp_path, server)
    answer = app_email(folder, work)
    assert answer["outcome"] == "already-sent", answer
    assert any("earlier version" in line for line in answer["messages"])
    assert len(handler.messages) == 1


def test_merge_keeps_the_status_that_sends_less(tmp_path: Path) -> None:
    """Where both records know a handout, sent beats pending (never a second email)."""
    from handouts.sentrecord import SentRecord

    old = SentRecord(tmp_path / "old.sqlite3")
    old.set("a@example.com", "plan-1", "a@example.com", "sent", "<m1>")
    old.set("b@example.com", "plan-2", "b@example.com", "pending")
    old.close()
    new = SentRecord(tmp_path / "new.sqlite3")
    new.set("a@example.com", "plan-1", "a@example.com", "pending")
    new.set("b@example.com", "plan-2", "b@example.com", "sent", "<m2>")
    assert new.take_over(tmp_path / "old.sqlite3") == 2
    assert new.take_over(tmp_path / "old.sqlite3") is None
    a, b = new.get("a@example.com", "plan-1"), new.get("b@example.com", "plan-2")
    assert a is not None and a.status == "sent" and a.message_id == "<m1>"
    assert b is not None and b.status == "sent" and b.message_id == "<m2>"
    new.close()
    db = sqlite3.connect(tmp_path / "old.sqlite3")
    try:
        assert db.execute("SELECT COUNT(*) FROM sends").fetchone()[0] == 2  # left as it was
    finally:
        db.close()
