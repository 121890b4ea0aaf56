"""Email against a real SMTP server (aiosmtpd) on loopback: TLS, AUTH, refusals, exactly once."""

from __future__ import annotations

import email
import email.policy
import io
import os
import socket
import ssl
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from pypdf import PdfReader

from handouts.cli import main
from handouts.content import load_clinic
from handouts.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
NOTE = "Your sciatica flared after the fall"
PEOPLE = [("Ana Silva", "ana@example.com", "A1"), ("Bo Chen", "bo@example.com", "B2"),
          ("Cy Diaz", "cy@example.com", "C3")]


class Handler:
    """Records every message; can refuse, defer, drop the line or stall on chosen messages."""

    def __init__(self, reject: tuple[str, ...] = (), defer_once: tuple[str, ...] = (),
                 quota_after: int | None = None, drop_after: int | None = None,
                 stall: float = 0.0, replies: dict[str, str] | None = None,
                 gate: threading.Event | None = None):
        self.messages: list[tuple[list[str], bytes]] = []
        self.reject = set(reject)
        self.replies = dict(replies or {})  # address -> the RCPT reply to give it
        self.gate = gate  # if set, every message after the first waits until it opens
        self.defer = set(defer_once)
        self.quota_after = quota_after
        self.drop_after = drop_after
        self.stall = stall

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if address in self.reject:
            return "550 5.1.1 unknown user"
        if address in self.replies:
            return self.replies[address]
        if address in self.defer:
            self.defer.discard(address)
            return "452 4.2.2 mailbox busy, try again later"
        if self.quota_after is not None and len(self.messages) >= self.quota_after:
            return "550 5.4.5 Daily user sending quota exceeded"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        if self.gate is not None and len(self.messages) > 1:
            self.gate.wait(timeout=60)
        if self.stall:
            time.sleep(self.stall)
        if self.drop_after is not None and len(self.messages) == self.drop_after:
            server.transport.close()  # the line dies after the data, before the reply
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def server(ca: trustme.CA, tmp_path: Path) -> Iterator[Any]:
    """Start a server: ``server(handler, mode="plain"|"starttls"|"ssl", auth=False, port=0)``."""
    running: list[Controller] = []

    def start(handler: Handler, mode: str = "plain", auth: bool = False, port: int = 0) -> int:
        port = port or free_port()
        kwargs: dict[str, Any] = {}
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        if mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        if mode == "ssl":
            kwargs.update(ssl_context=context, auth_require_tls=False)
        if auth:
            def check(server: Any, session: Any, envelope: Any, mechanism: str,
                      data: Any) -> AuthResult:
                ok = data.login == b"clinic" and data.password == b"s3cret-pass"
                return AuthResult(success=ok, handled=False)
            kwargs.update(authenticator=check, auth_required=True)
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        running.append(controller)
        return port

    yield start
    for controller in running:
        controller.stop()


def clinic(folder: Path, port: int, security: str = "none", ca_file: Path | None = None,
           username: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ['name = "Riverside Massage"', 'phone = "(555) 010-0123"',
             'email = "care@riverside.example"', "", "[smtp]", 'host = "127.0.0.1"',
             f"port = {port}", f'security = "{security}"',
             'from_address = "care@riverside.example"', 'from_name = "Riverside Massage"',
             "timeout_seconds = 5"]
    if ca_file is not None:
        lines.append(f'ca_file = "{ca_file}"')
    if username:
        lines.append(f'username = "{username}"')
    (folder / "clinic.toml").write_text("\n".join(lines) + "\n")
    return folder


def roster(folder: Path, rows: list[tuple[str, str, str]] = PEOPLE,
           extra: str = "") -> Path:
    path = folder / "class.csv"
    text = "name,email,id,note,stretches" + (",pdf_password" if extra else "") + "\n"
    for name, address, ident in rows:
        text += f'{name},{address},{ident},"{NOTE}",lunge;bridge' + (
            f",{extra}" if extra else "") + "\n"
    path.write_text(text)
    return path


def run(folder: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner(env=env).invoke(main, ["email", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout + result.stderr


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def test_one_message_per_client_no_health_details(tmp_path: Path, server: Any) -> None:
    """Each client gets one message, to them only; the PDF opens; nothing health-related."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    roster(tmp_path)
    code, out = run(tmp_path, "class.csv")
    assert code == 0, out
    assert sorted(r for r, _ in handler.messages) == [["ana@example.com"], ["bo@example.com"],
                                                     ["cy@example.com"]]
    for recipients, raw in handler.messages:
        message = parsed(raw)
        assert message["To"].addresses[0].addr_spec == recipients[0]
        assert message["Cc"] is None and message["Bcc"] is None
        body = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        for private in (NOTE, "sciatica", "lunge", "Standing lunge", "Bridge"):
            assert private not in str(message["Subject"]) + body + html
        attachment = next(message.iter_attachments())
        assert attachment.get_filename() == "take-home-guide.pdf"
        pdf = PdfReader(io.BytesIO(attachment.get_content()))
        name = {"ana@example.com": "Ana Silva", "bo@example.com": "Bo Chen",
                "cy@example.com": "Cy Diaz"}[recipients[0]]
        assert f"For: {name}" in pdf.pages[0].extract_text()
    assert (tmp_path / "sent-record.sqlite3").is_file()
    code, out = run(tmp_path, "class.csv")
    assert code == 0 and len(handler.messages) == 3 and "already sent" in out
    if os.name == "posix":
        mode = stat.S_IMODE((tmp_path / "sent-record.sqlite3").stat().st_mode)
        assert mode == 0o600


def test_dry_run_writes_eml_and_touches_nothing(tmp_path: Path, server: Any) -> None:
    """--dry-run writes one .eml per client that a mail program opens; no server, no record."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    roster(tmp_path)
    code, out = run(tmp_path, "class.csv", "--dry-run")
    assert code == 0, out
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 3 and not handler.messages
    assert not (tmp_path / "sent-record.sqlite3").exists()
    message = parsed(files[0].read_bytes())
    assert message["To"] and next(message.iter_attachments()).get_content().startswith(b"%PDF")


def test_starttls_with_login(tmp_path: Path, server: Any, ca: trustme.CA) -> None:
    """STARTTLS with a checked certificate, then AUTH; the password only from the environment."""
    handler = Handler()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    clinic(tmp_path, server(handler, "starttls", auth=True), "starttls", ca_file, "clinic")
    roster(tmp_path, PEOPLE[:1])
    code, out = run(tmp_path, "class.csv", env={"HANDOUTS_SMTP_PASSWORD": "s3cret-pass"})
    assert code == 0, out
    assert len(handler.messages) == 1


def test_wrong_password_is_one_clear_line(tmp_path: Path, server: Any, ca: trustme.CA) -> None:
    """A refused login: one line naming the cause, exit 1, and the password never shown."""
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    clinic(tmp_path, server(Handler(), "starttls", auth=True), "starttls", ca_file, "clinic")
    roster(tmp_path, PEOPLE[:1])
    code, out = run(tmp_path, "class.csv", env={"HANDOUTS_SMTP_PASSWORD": "wrong-guess-77"})
    assert code == 1 and "refused the username or password" in out
    assert "wrong-guess-77" not in out and "Traceback" not in out


# aiosmtpd's implicit-TLS server leaves its side of the socket to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_implicit_tls(tmp_path: Path, server: Any, ca: trustme.CA) -> None:
    """security = "ssl" (implicit TLS) works with the test CA."""
    handler = Handler()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    clinic(tmp_path, server(handler, "ssl"), "ssl", ca_file)
    roster(tmp_path, PEOPLE[:1])
    assert run(tmp_path, "class.csv")[0] == 0 and len(handler.messages) == 1


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_untrusted_certificate(tmp_path: Path, server: Any) -> None:
    """A certificate the system does not trust is refused with a clear reason."""
    clinic(tmp_path, server(Handler(), "ssl"), "ssl")
    roster(tmp_path, PEOPLE[:1])
    code, out = run(tmp_path, "class.csv")
    assert code == 1 and "certificate is not trusted" in out


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_port_and_security_mismatch(tmp_path: Path, server: Any) -> None:
    """Implicit TLS against a plain server: a clear message, no hang."""
    clinic(tmp_path, server(Handler()), "ssl")
    roster(tmp_path, PEOPLE[:1])
    code, out = run(tmp_path, "class.csv")
    assert code in (1, 75) and "may not match the port" in out


def test_nothing_listening_is_temporary(tmp_path: Path) -> None:
    """No server: exit 75 so that a rerun later finishes the job."""
    clinic(tmp_path, free_port())
    roster(tmp_path, PEOPLE[:1])
    code, out = run(tmp_path, "class.csv")
    assert code == 75 and "cannot connect" in out


def test_rejected_recipient_recorded_and_not_retried(tmp_path: Path, server: Any) -> None:
    """550 for one address: recorded for that client; the others are sent; no resend later."""
    handler = Handler(reject=("bo@example.com",))
    clinic(tmp_path, server(handler))
    roster(tmp_path)
    code, out = run(tmp_path, "class.csv")
    assert code == 1 and "550 5.1.1" in out
    assert sorted(r[0] for r, _ in handler.messages) == ["ana@example.com", "cy@example.com"]
    code, out = run(tmp_path, "class.csv")
    assert len(handler.messages) == 2 and "failed before" in out


def test_temporary_refusal_is_retried(tmp_path: Path, server: Any) -> None:
    """452 then accept: the message goes out on the retry, once."""
    from handouts.batchplan import Workshop, plan_batch
    from handouts.content import load_library
    from handouts.delivery import deliver, plan_recipients
    from handouts.models import Options
    from handouts.roster import read_roster

    handler = Handler(defer_once=("ana@example.com",))
    folder = clinic(tmp_path, server(handler))
    loaded = load_clinic(folder / "clinic.toml")
    batch = plan_batch(read_roster(roster(tmp_path, PEOPLE[:2])), loaded,
                       load_library(loaded.folder), Workshop(), (), Options(), tmp_path)
    recipients, errors = plan_recipients([(str(a.line), a.plan) for a in batch.attendees])
    result = deliver(recipients, config=loaded.smtp, record=tmp_path / "r.db", outbox=None,
                     encrypt=False, passwords=tmp_path / "p.csv", retry_delay=0,
                     say=lambda s: None)
    assert result.exit_code == 0 and sorted(result.sent) == ["Ana Silva", "Bo Chen"]
    assert [r[0] for r, _ in handler.messages].count("ana@example.com") == 1


def test_quota_stops_cleanly_and_resumes(tmp_path: Path, server: Any) -> None:
    """A quota refusal (5.4.5) stops the batch with 75; tomorrow's rerun sends the rest."""
    handler = Handler(quota_after=1)
    clinic(tmp_path, server(handler))
    roster(tmp_path)
    code, out = run(tmp_path, "class.csv")
    assert code == 75 and "sending limit" in out and len(handler.messages) == 1
    handler.quota_after = None
    code, out = run(tmp_path, "class.csv")
    assert code == 0
    assert sorted(r[0] for r, _ in handler.messages) == ["ana@example.com", "bo@example.com",
                                                         "cy@example.com"]


def test_dropped_connection_is_uncertain_not_resent(tmp_path: Path, server: Any) -> None:
    """The line dies after a message's data: reported uncertain, never sent twice."""
    handler = Handler(drop_after=1)
    clinic(tmp_path, server(handler))
    roster(tmp_path)
    code, out = run(tmp_path, "class.csv")
    assert code == 1 and "uncertain" in out
    code, out = run(tmp_path, "class.csv")
    counts = {a: [r[0] for r, _ in handler.messages].count(a)
              for _, a, _ in PEOPLE}
    assert counts == {"ana@example.com": 1, "bo@example.com": 1, "cy@example.com": 1}
    code, out = run(tmp_path, "class.csv", "--resend", "A1")
    assert [r[0] for r, _ in handler.messages].count("ana@example.com") == 2


def test_crash_and_rerun_sends_each_client_exactly_once(tmp_path: Path, server: Any) -> None:
    """Kill the sender mid-batch; after a rerun every client has exactly one message."""
    handler = Handler(stall=0.4)
    clinic(tmp_path, server(handler))
    people = [(f"Person {i}", f"p{i}@example.com", f"P{i}") for i in range(6)]
    roster(tmp_path, people)
    command = [sys.executable, str(ROOT / "build_handouts.py"), "email", "class.csv"]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(handler.messages) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.kill()
    process.wait(timeout=30)
    handler.stall = 0
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    received = [r[0] for r, _ in handler.messages]
    assert all(received.count(a) == 1 for _, a, _ in people), (received, result.stdout)
    assert result.returncode in (0, 1)  # 1 when the message in flight is reported uncertain


def test_encrypt_uses_aes256_and_keeps_passwords_out(tmp_path: Path, server: Any) -> None:
    """--encrypt: AES-256; a roster password or a generated one, never in the email."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    roster(tmp_path, PEOPLE[:2])
    code, out = run(tmp_path, "class.csv", "--encrypt")
    assert code == 0, out
    passwords = {line.split(",")[0]: line.split(",")[3].strip() for line in
                 (tmp_path / "pdf-passwords.csv").read_text(encoding="utf-8-sig").splitlines()[1:]}
    for recipients, raw in handler.messages:
        message = parsed(raw)
        key = {"ana@example.com": "A1", "bo@example.com": "B2"}[recipients[0]]
        assert passwords[key] not in raw.decode("utf-8", "replace")
        pdf = PdfReader(io.BytesIO(next(message.iter_attachments()).get_content()))
        assert pdf.is_encrypted and pdf.decrypt(passwords[key])
        assert pdf.trailer["/Encrypt"]["/V"] == 5  # AES-256
        assert "password" in message.get_body(("plain",)).get_content()
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "pdf-passwords.csv").stat().st_mode) == 0o600


def test_roster_password_column(tmp_path: Path, server: Any) -> None:
    """A pdf_password column sets the password; nothing is written to the password file."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    roster(tmp_path, PEOPLE[:1], extra="tulip-42-river")
    assert run(tmp_path, "class.csv", "--encrypt")[0] == 0
    pdf = PdfReader(io.BytesIO(next(parsed(handler.messages[0][1]).iter_attachments())
                               .get_content()))
    assert pdf.decrypt("tulip-42-river")


@pytest.mark.parametrize("address, reason", [
    ("not-an-email", "not one valid email address"),
    ("a@example.com, mallory@example.com", "not one valid email address"),
    ("", "no email address")])
def test_invalid_addresses_rejected_before_sending(tmp_path: Path, server: Any, address: str,
                                                   reason: str) -> None:
    """Bad addresses are reported per row and nothing is sent to them."""
    handler = Handler()
    clinic(tmp_path, server(handler))
    path = tmp_path / "class.csv"
    path.write_text(f'name,email\nAna Silva,"{address}"\nBo Chen,bo@example.com\n')
    code, out = run(tmp_path, "class.csv")
    assert code == 1 and "line 2" in out and (reason in out or "email address" in out)
    assert [r for r, _ in handler.messages] == [["bo@example.com"]]


def test_password_in_file_is_refused(tmp_path: Path) -> None:
    """A password in clinic.toml is refused with where to put it instead."""
    folder = clinic(tmp_path, 2525)
    (folder / "clinic.toml").write_text((folder / "clinic.toml").read_text()
                                        + 'password = "oops"\n')
    with pytest.raises(InputError, match="HANDOUTS_SMTP_PASSWORD"):
        load_clinic(folder / "clinic.toml")


def test_plain_smtp_only_to_loopback(tmp_path: Path) -> None:
    """security = "none" is refused for a host that is not loopback."""
    folder = clinic(tmp_path, 25)
    text = (folder / "clinic.toml").read_text().replace('"127.0.0.1"', '"mail.example.com"')
    (folder / "clinic.toml").write_text(text)
    with pytest.raises(InputError, match="loopback"):
        load_clinic(folder / "clinic.toml")
