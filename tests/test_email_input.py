"""Email with hostile or odd input against aiosmtpd: refusals by reply code, encoded-word names,
unwritable outboxes, spreadsheet-edited password files and clashing .eml names."""

from __future__ import annotations

import csv
import io
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import test_email as harness
from pypdf import PdfReader
from test_email import NOTE, PEOPLE, Handler, clinic, parsed, roster, run

from handouts.delivery import Recipient, deliver, plan_recipients
from handouts.errors import OutputError
from handouts.mail import _classify, build_message
from handouts.passwords import PasswordFile

server = harness.server  # the aiosmtpd fixtures from test_email
ca = harness.ca
ATTACK = "=?utf-8?b?IngiIDxhdHRhY2tlckBldmlsLmNvbT4gKA==?="  # "x" <attacker@evil.com> (
LINE_BREAK = "=?utf-8?q?Ann=0D=0ABcc:_thief@evil.com?="


def received(handler: Handler) -> list[str]:
    return [r[0] for r, _ in handler.messages]


def one_address_each(handler: Handler) -> None:
    for recipients, raw in handler.messages:
        message = parsed(raw)
        addresses = message["To"].addresses
        assert len(addresses) == 1 and addresses[0].addr_spec == recipients[0]
        assert message["Cc"] is None and message["Bcc"] is None
        assert b"evil.com" not in raw


@pytest.mark.parametrize("code, reply, kind", [
    (552, "5.3.4 message size exceeds fixed limit", "permanent"),
    (552, "5.2.2 mailbox full, over quota", "permanent"),
    (550, "5.4.5 Daily user sending quota exceeded", "quota"),
    (421, "4.7.0 Too many messages, rate limited; try later", "quota"),
    (450, "4.7.28 unusual rate of unsolicited mail", "quota"),
    (451, "4.7.1 Greylisted, please try again", "temporary"),
    (452, "4.2.2 mailbox busy, try again later", "temporary"),
    (550, "5.1.1 unknown user", "permanent"),
])
def test_refusals_are_classified_by_code(code: int, reply: str, kind: str) -> None:
    """Only 5.4.5 or a 4.7.x quota/rate reply stops the run; a size limit fails one message."""
    assert _classify(code, reply.encode()).kind == kind


def test_size_refusal_fails_one_client_and_the_run_goes_on(tmp_path: Path, server: Any) -> None:
    """552 5.3.4 for one recipient: that client failed, the others sent, exit 1, no stop."""
    handler = Handler(replies={"bo@example.com": "552 5.3.4 message size exceeds fixed limit"})
    clinic(tmp_path, server(handler))
    roster(tmp_path)
    code, out = run(tmp_path, "class.csv")
    assert code == 1 and "refused by the server (552 5.3.4" in out, out
    assert "sending limit" not in out
    assert sorted(received(handler)) == ["ana@example.com", "cy@example.com"]
    code, out = run(tmp_path, "class.csv")
    assert code == 1 and "failed before" in out and "sending limit" not in out, out
    assert len(handler.messages) == 2


def test_encoded_word_names_are_row_errors(tmp_path: Path, server: Any) -> None:
    """A name or address with '=?' is refused with one line for its row; the rest are sent."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    (tmp_path / "class.csv").write_text(
        "name,email,note\n"
        f'{ATTACK},victim@example.com,"{NOTE}"\n'
        f'{LINE_BREAK},ann@example.com,"{NOTE}"\n'
        f'Eve Moss,"=?utf-8?q?x?=@example.com","{NOTE}"\n'
        f'Bo Chen,bo@example.com,"{NOTE}"\n')
    code, out = run(tmp_path, "class.csv")
    assert code == 1 and "Traceback" not in out and NOTE not in out
    for line in (2, 3, 4):
        assert f"class.csv: line {line}: '=?' in the name or address" in out
    assert received(handler) == ["bo@example.com"]
    one_address_each(handler)


def test_message_errors_fail_their_row_only(tmp_path: Path, server: Any) -> None:
    """A message that cannot be built safely (past the row check) fails that row, not the run."""
    from handouts.batchplan import Workshop, plan_batch
    from handouts.content import load_clinic, load_library
    from handouts.models import Options
    from handouts.roster import read_roster

    handler = Handler()
    folder = clinic(tmp_path, server(handler))
    loaded = load_clinic(folder / "clinic.toml")
    batch = plan_batch(read_roster(roster(tmp_path)), loaded, load_library(loaded.folder),
                       Workshop(), (), Options(), tmp_path)
    recipients, _ = plan_recipients([(f"line {a.line}", a.plan) for a in batch.attendees])
    hostile = []
    for recipient, name in zip(recipients, (ATTACK, LINE_BREAK, "Cy Diaz"), strict=True):
        plan = replace(recipient.plan, client=replace(recipient.plan.client, name=name))
        hostile.append(Recipient(recipient.key, recipient.label, plan))
    lines: list[str] = []
    result = deliver(hostile, config=loaded.smtp, record=tmp_path / "r.db", outbox=None,
                     encrypt=False, passwords=tmp_path / "p.csv", retry_delay=0,
                     say=lines.append)
    assert result.exit_code == 1 and result.sent == ["Cy Diaz"] and len(result.failed) == 2
    assert received(handler) == ["cy@example.com"]
    one_address_each(handler)
    assert [line.split(":")[0] for line in lines if "could not be built" in line] == [
        "line 2", "line 3"]


def test_built_message_has_exactly_one_recipient() -> None:
    """build_message refuses encoded words and reads its headers back (one To address)."""
    from handouts.mail import SmtpConfig

    config = SmtpConfig(host="localhost", port=25, security="none", username="",
                        from_address="care@riverside.example", from_name="Riverside",
                        reply_to="")
    common: dict[str, Any] = {"config": config, "to_address": "victim@example.com",
                              "text": "Hi", "html": "<p>Hi</p>", "pdf": b"%PDF-1.4",
                              "filename": "a.pdf", "msg_id": "<1@x>"}
    for name in (ATTACK, LINE_BREAK):
        with pytest.raises(ValueError):
            build_message(to_name=name, subject="Your handout", **common)
    with pytest.raises(ValueError):
        build_message(to_name="Ann", subject=f"Hello {LINE_BREAK}", **common)
    message = build_message(to_name='Zoë "Q" <O\'Neil>, Jr.', subject="Hi", **common)
    to = parsed(message.as_bytes())["To"].addresses
    assert [(a.display_name, a.addr_spec) for a in to] == [
        ('Zoë "Q" <O\'Neil>, Jr.', "victim@example.com")]


def test_unwritable_outbox_is_one_line(tmp_path: Path, server: Any) -> None:
    """--outbox under a regular file: one error line naming it, exit 1, no traceback."""
    clinic(tmp_path, server(Handler()))
    roster(tmp_path, PEOPLE[:1])
    (tmp_path / "afile").write_text("x")
    box = tmp_path / "afile" / "outbox"
    code, out = run(tmp_path, "class.csv", "--outbox", str(box))
    assert code == 1 and "Traceback" not in out, out
    assert out.strip().splitlines() == [
        f"error: {box}: cannot use it as the outbox (cannot create the folder there); choose "
        "another folder with --outbox."]


def excel_copy(path: Path, delimiter: str = ";", encoding: str = "cp1252") -> None:
    """Re-save the password file the way a European Excel does (";", Windows text, no BOM)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def test_password_file_resaved_by_excel_is_read(tmp_path: Path, server: Any) -> None:
    """A ';'-separated cp1252 password file is read: the same handout keeps its password."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    roster(tmp_path, [("Zoë Ångström", "zoe@example.com", "Z1")])
    assert run(tmp_path, "class.csv", "--encrypt", "--dry-run", "--date", "2026-11-22")[0] == 0
    passwords = tmp_path / "pdf-passwords.csv"
    first = list(csv.DictReader(io.StringIO(passwords.read_text(encoding="utf-8-sig"))))
    excel_copy(passwords)
    code, out = run(tmp_path, "class.csv", "--encrypt", "--date", "2026-11-23")
    assert code == 0, out
    pdf = PdfReader(io.BytesIO(next(parsed(handler.messages[0][1]).iter_attachments())
                               .get_content()))
    assert pdf.decrypt(first[0]["password"])
    assert "Zoë Ångström" in passwords.read_bytes().decode("cp1252")  # left as it was


def test_damaged_password_file_is_one_line(tmp_path: Path, server: Any) -> None:
    """A password file this tool cannot read: one line naming it, nothing sent."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    roster(tmp_path, PEOPLE[:1])
    passwords = tmp_path / "pdf-passwords.csv"
    for content in (b"who;what\r\nA1;x\r\n", b"client,handout,password\r\n\x81\x8d\x90\r\n"):
        passwords.write_bytes(content)
        code, out = run(tmp_path, "class.csv", "--encrypt")
        assert code == 1 and out.startswith(f"error: {passwords.name}: ") and "Traceback" not in out
        assert len(out.strip().splitlines()) == 1 and not handler.messages


def test_password_file_cells_cannot_run_as_formulas(tmp_path: Path, server: Any) -> None:
    """Ids and names starting with = + - @ are written as text; the keys still match later."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    people = [("@SUM(1+1) Ann", "ann@example.com", '=HYPERLINK(A1)'),
              ("-Bo", "bo@example.com", "+B2")]
    roster(tmp_path, people)
    assert run(tmp_path, "class.csv", "--encrypt", "--dry-run", "--date", "2026-11-22")[0] == 0
    passwords = tmp_path / "pdf-passwords.csv"
    before = passwords.read_bytes()
    rows = list(csv.reader(io.StringIO(before.decode("utf-8-sig"))))[1:]
    assert len(rows) == 2
    assert all(cell[:1] not in "=+-@" for row in rows for cell in row)
    assert rows[0][:2] == ["'=HYPERLINK(A1)", "'@SUM(1+1) Ann"]
    assert run(tmp_path, "class.csv", "--encrypt", "--dry-run", "--date", "2026-11-23")[0] == 0
    assert passwords.read_bytes() == before  # read back: no second password for anyone


def test_two_password_writers_keep_both_rows(tmp_path: Path) -> None:
    """Two runs adding passwords to one file: both rows kept, each reads the other's."""
    path = tmp_path / "pdf-passwords.csv"
    one, two = PasswordFile(path), PasswordFile(path)
    first = one.password("A1", "Ana", "plan-a")
    second = two.password("B2", "Bo", "plan-b")
    assert one.password("B2", "Bo", "plan-b") == second
    assert two.password("A1", "Ana", "plan-a") == first
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 3


def test_dry_run_clients_with_the_same_name_get_two_files(tmp_path: Path, server: Any) -> None:
    """Two clients with the same name and stretches: two .eml files, each to its own client."""
    clinic(tmp_path, server(Handler()))
    roster(tmp_path, [("Ann Lee", "ann1@example.com", ""), ("Ann Lee", "ann2@example.com", "")])
    code, out = run(tmp_path, "class.csv", "--dry-run")
    assert code == 0 and "Wrote 2 message(s)" in out, out
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert sorted(parsed(f.read_bytes())["To"].addresses[0].addr_spec for f in files) == [
        "ann1@example.com", "ann2@example.com"]


def test_password_file_resaved_open_to_all_is_made_private(tmp_path: Path,
                                                           server: Any) -> None:
    """A password file re-saved readable by every user is owner-only again after the next
    run, even one that gives no new password (nothing to rewrite)."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    roster(tmp_path, PEOPLE[:1])
    args = ("class.csv", "--encrypt", "--dry-run", "--date", "2026-11-22")
    assert run(tmp_path, *args)[0] == 0
    passwords = tmp_path / "pdf-passwords.csv"
    before = passwords.read_bytes()
    passwords.chmod(0o644)  # what a spreadsheet's save may leave
    assert run(tmp_path, *args)[0] == 0
    assert passwords.read_bytes() == before
    assert stat.S_IMODE(passwords.stat().st_mode) == 0o600


def test_password_file_is_never_half_written(tmp_path: Path, monkeypatch: Any) -> None:
    """A new password whose file cannot be put in place leaves the file as it was (no half
    file, no leftover), and the run stops with one line naming it."""
    path = tmp_path / "pdf-passwords.csv"
    first = PasswordFile(path).password("A1", "Ana", "h1")
    before = path.read_bytes()

    def refuse(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("handouts.output.os.replace", refuse)
    with pytest.raises(OutputError, match=r"pdf-passwords\.csv: cannot write the file"):
        PasswordFile(path).password("B2", "Bo", "h2")
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [
        "pdf-passwords.csv", "pdf-passwords.csv.lock"]
    assert PasswordFile(path).password("A1", "Ana", "h1") == first
