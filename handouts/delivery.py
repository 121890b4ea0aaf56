"""Email delivery: build each client's handout, protect it if asked, send it exactly once.

Reuses the build and batch planning; adds the per-client steps that email needs: a strictly
valid address, the sent record (so a rerun after a crash sends only what is not yet sent),
optional AES-256 encryption with passwords kept out of the email, and a dry run that writes
``.eml`` files instead of sending.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .build import render_handout
from .errors import HandoutError, OutputError
from .mail import (
    PASSWORD_ENV,
    Sender,
    SendFailure,
    SmtpConfig,
    build_message,
    message_id,
    valid_address,
)
from .models import Plan
from .output import slugify, write_atomic
from .renderer import Renderer
from .resources import template_path
from .sentrecord import SentRecord
from .templating import email_environment, render_template
from .text import first_name

ATTACHMENT = "take-home-guide.pdf"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out by phone


@dataclass(frozen=True)
class Recipient:
    """One client to email: who, where, and their planned handout."""

    key: str          # the roster id, else the email address (lowercased)
    label: str        # how messages name the client ("roster.csv: line 4" or the file)
    plan: Plan


@dataclass
class Delivery:
    """What happened to each client, for the summary and the exit code."""

    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)   # temporary failures: rerun later
    stopped: str = ""                                  # a quota refusal stopped the batch

    @property
    def exit_code(self) -> int:
        """0 all done; 75 a rerun later will finish; 1 something needs the therapist."""
        if self.failed or self.uncertain:
            return 1
        if self.waiting or self.stopped:
            return 75
        return 0


def recipient_key(plan: Plan) -> str:
    """The roster's id, else the email address."""
    return plan.client.id or plan.client.email.strip().lower()


def check_address(plan: Plan) -> str | None:
    """Why this client cannot be emailed (None if they can)."""
    address = plan.client.email.strip()
    if not address:
        return "no email address"
    if any(c in address for c in "\r\n") or any(c in plan.client.name for c in "\r\n"):
        return "a line break in the name or address"
    if not valid_address(address):
        return f"'{address}' is not one valid email address"
    return None


def message_texts(plan: Plan, encrypted: bool) -> tuple[str, str, str]:
    """Subject, plain text and HTML from the (overridable) email templates."""
    clinic = plan.clinic
    context = {
        "first_name": first_name(plan.client.name) or "there",
        "clinic": {"name": clinic.name, "phone": clinic.phone, "email": clinic.email,
                   "website": clinic.website, "booking_url": clinic.booking_url,
                   "address": clinic.address},
        "therapist": plan.therapist.name if plan.therapist else "",
        "encrypted": encrypted,
    }
    search = template_path(clinic.folder)
    text_env = email_environment(search, html=False)
    subject = render_template(search, "email/subject.txt.j2", context, text_env).strip()
    text = render_template(search, "email/body.txt.j2", context, text_env)
    html = render_template(search, "email/body.html.j2", context,
                           email_environment(search, html=True))
    return subject, text, html


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """AES-256 encryption (never pypdf's RC4 default)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def new_password() -> str:
    """A password easy to read out: four groups of four letters and digits."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


class PasswordFile:
    """Generated PDF passwords, for the therapist to give by phone or in person (owner-only)."""

    COLUMNS = ("client", "name", "handout", "password")

    def __init__(self, path: Path):
        self.path = path
        self.rows: dict[tuple[str, str], list[str]] = {}
        if path.is_file():
            for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
                self.rows[(row["client"], row["handout"])] = [row[c] for c in self.COLUMNS]

    def password(self, key: str, name: str, handout: str) -> str:
        """The password already given for this handout, or a new one (saved at once)."""
        found = self.rows.get((key, handout))
        if found:
            return found[3]
        password = new_password()
        self.rows[(key, handout)] = [key, name, handout, password]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.COLUMNS)
        writer.writerows(self.rows.values())
        write_atomic(self.path, buffer.getvalue().encode("utf-8-sig"), force=True)
        return password


def deliver(recipients: Sequence[Recipient], *, config: SmtpConfig | None, record: Path,
            outbox: Path | None, encrypt: bool, passwords: Path, resend: Sequence[str] = (),
            per_minute: int | None = None, retry_delay: float = 5.0,
            say: Callable[[str], None] = print) -> Delivery:
    """Send (or write to the outbox) each recipient's handout; see the module docstring."""
    result = Delivery()
    keys = [r.key for r in recipients]
    for key in {k for k in keys if keys.count(k) > 1}:
        raise HandoutError(f"two clients share the key '{key}' (the same id or email address); "
                           "give them different ids in the roster.")
    password_file = PasswordFile(passwords) if encrypt else None
    prepared = []
    renderer = Renderer()
    for recipient in recipients:
        rendered = render_handout(recipient.plan, renderer)
        digest = hashlib.sha256(rendered.pdf).hexdigest()
        prepared.append((recipient, rendered.pdf, digest))
    if outbox is not None:
        outbox.mkdir(parents=True, exist_ok=True)
        ensure_private(outbox)
        for recipient, pdf, digest in prepared:
            message = _message(recipient, pdf, digest, config, password_file)
            path = outbox / f"{slugify(recipient.plan.client.name)}-{digest[:8]}.eml"
            write_atomic(path, bytes(message), force=True)
            result.written.append(path)
        return result
    if config is None:
        raise HandoutError("clinic.toml has no [smtp] table; add one (see the README), or use "
                           "--dry-run to write .eml files instead.")
    store = SentRecord(record)
    sender = Sender(config, os.environ.get(PASSWORD_ENV))
    queue = list(prepared)
    try:
        for attempt in range(3):
            retry = []
            for recipient, pdf, digest in queue:
                name = recipient.plan.client.name
                address = recipient.plan.client.email.strip()
                entry = store.get(recipient.key, digest)
                if entry is not None and recipient.key not in resend:
                    if entry.status == "sent":
                        result.skipped.append(name)
                        say(f"{recipient.label}: already sent ({entry.updated}).")
                        continue
                    if entry.status == "sending":
                        result.uncertain.append(name)
                        say(f"{recipient.label}: uncertain: the last run stopped while sending "
                            f"to {address}. Check with the client; resend with --resend "
                            f"{recipient.key}")
                        continue
                    if entry.status == "failed":
                        result.failed.append(name)
                        say(f"{recipient.label}: failed before ({entry.reason}); fix the "
                            f"address, or use --resend {recipient.key}")
                        continue
                message = _message(recipient, pdf, digest, config, password_file)
                msg_id = message["Message-ID"]
                store.set(recipient.key, digest, address, "sending", msg_id)
                try:
                    sender.send(message, address)
                except SendFailure as failure:
                    if failure.kind == "uncertain":
                        result.uncertain.append(name)
                        say(f"{recipient.label}: uncertain: {failure.reason}. Not resent "
                            f"automatically; use --resend {recipient.key} if it did not arrive.")
                        continue
                    if failure.kind == "permanent":
                        store.set(recipient.key, digest, address, "failed", msg_id,
                                  failure.reason)
                        result.failed.append(name)
                        say(f"{recipient.label}: refused by the server ({failure.reason}).")
                        continue
                    store.set(recipient.key, digest, address, "pending", msg_id,
                              failure.reason)
                    if failure.kind == "quota":
                        result.stopped = failure.reason
                        say(f"{recipient.label}: the server's sending limit was reached "
                            f"({failure.reason}). Stopped; run the same command later to "
                            "send the rest.")
                        result.waiting += [r.plan.client.name for r, _, _ in
                                           queue[queue.index((recipient, pdf, digest)) + 1:]]
                        return result
                    retry.append((recipient, pdf, digest))
                    say(f"{recipient.label}: temporary failure ({failure.reason}); will retry.")
                    continue
                store.set(recipient.key, digest, address, "sent", msg_id)
                result.sent.append(name)
                say(f"{recipient.label}: sent to {address}.")
                if per_minute:
                    time.sleep(60.0 / per_minute)
            queue = retry
            if not queue:
                break
            sender.close()
            time.sleep(retry_delay * (attempt + 1))
        result.waiting += [r.plan.client.name for r, _, _ in queue]
    finally:
        sender.close()
        store.close()
    return result


def _message(recipient: Recipient, pdf: bytes, digest: str, config: SmtpConfig | None,
             passwords: PasswordFile | None):  # type: ignore[no-untyped-def]
    plan = recipient.plan
    attached = pdf
    if passwords is not None:
        password = plan.client.pdf_password or passwords.password(
            recipient.key, plan.client.name, digest)
        attached = encrypt_pdf(pdf, password)
    subject, text, html = message_texts(plan, encrypted=passwords is not None)
    sender = config or SmtpConfig(host="localhost", port=25, security="none", username="",
                                  from_address=plan.clinic.email or "handouts@localhost.invalid",
                                  from_name=plan.clinic.name, reply_to=plan.clinic.email)
    return build_message(config=sender, to_name=plan.client.name,
                         to_address=plan.client.email.strip(), subject=subject, text=text,
                         html=html, pdf=attached, filename=ATTACHMENT,
                         msg_id=message_id(recipient.key, digest, sender.from_address))


def plan_recipients(plans: Sequence[tuple[str, Plan]]) -> tuple[list[Recipient], list[str]]:
    """Recipients for planned handouts; every client without a valid address is an error."""
    recipients, errors = [], []
    for label, plan in plans:
        problem = check_address(plan)
        if problem:
            errors.append(f"{label}: {problem}")
            continue
        recipients.append(Recipient(recipient_key(plan), label, plan))
    return recipients, errors


def ensure_private(path: Path) -> None:
    """Owner-only permissions on an outbox, record or password file that already exists."""
    try:
        if path.exists():
            os.chmod(path, 0o700 if path.is_dir() else 0o600)
    except OSError as exc:
        raise OutputError(f"{path}: cannot make it private ({exc.strerror}).") from None
