"""Email delivery: build each client's handout, protect it if asked, send it exactly once.

Reuses the build and batch planning; adds the per-client steps that email needs: a strictly
valid address, the sent record (so a rerun after a crash, or the next day, sends only what is
not yet sent), optional AES-256 encryption with passwords kept out of the email, and a dry run
that writes ``.eml`` files instead of sending.

A handout is known by :func:`handout_fingerprint` (what it says, never the date). Sending
holds a lock beside the sent record, marks a message "sending" only right before its data is
handed over, and turns anything wrong with one client's message into that client's failure.
"""

from __future__ import annotations

import dataclasses
import email.errors
import email.policy
import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from .build import render_handout
from .errors import HandoutError, OutputError
from .language import DEFAULT_LANGUAGE, plan_language, template_search
from .locks import RunLock
from .mail import (
    PASSWORD_ENV,
    Sender,
    SendFailure,
    SmtpConfig,
    build_message,
    encoded_word,
    message_id,
    valid_address,
)
from .models import Plan
from .output import private_folder, short_hash, slugify, write_atomic
from .passwords import PasswordFile, encrypt_pdf
from .renderer import Renderer
from .sentrecord import FINGERPRINT_PREFIX, SentRecord, clinic_record, earlier_record
from .templating import email_environment, render_template
from .text import first_name


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


def handout_fingerprint(plan: Plan) -> str:
    """What this client's handout says, as a stable digest: the sent record's key.

    It covers the client, the therapist, each stretch with its dose and note, the note, the
    conditions and overrides, the sections and the layout (paper, large print, grayscale), and
    never the date or anything else that changes by itself, so the same handout sent tomorrow
    is recognised as already sent. The clinic's own wording and details are left out: editing
    them does not mail every past client again (--resend ID does, one by one).
    """
    client, therapist = plan.client, plan.therapist
    content = {
        "client": [recipient_key(plan), client.name, client.next_visit],
        "therapist": dataclasses.astuple(therapist) if therapist else None,
        "stretches": [[s.number, s.stretch.id, dataclasses.astuple(s.dose), s.note]
                      for s in plan.stretches],
        "note": client.note,
        "conditions": [c.id for c in plan.conditions],
        "allowed": [list(a) for a in plan.allowed],
        "sections": list(plan.sections),
        "layout": [plan.paper, plan.large_print, plan.grayscale, plan.layout],
        # English, the first language, stays "" so that records made before languages
        # existed still match their handouts
        "language": "" if plan.language == DEFAULT_LANGUAGE else plan.language,
        "event": plan.event,
    }
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return FINGERPRINT_PREFIX + hashlib.sha256(data.encode("utf-8")).hexdigest()


def check_address(plan: Plan) -> str | None:
    """Why this client cannot be emailed (None if they can)."""
    address = plan.client.email.strip()
    if not address:
        return "no email address"
    if any(c in address for c in "\r\n") or any(c in plan.client.name for c in "\r\n"):
        return "a line break in the name or address"
    if encoded_word(address) or encoded_word(plan.client.name):
        return ("'=?' in the name or address (mail programs would decode it as hidden text); "
                "remove it")
    if not valid_address(address):
        return f"'{address}' is not one valid email address"
    return None


def message_texts(plan: Plan, encrypted: bool) -> tuple[str, str, str]:
    """Subject, plain text and HTML from the (overridable) email templates."""
    clinic = plan.clinic
    words = plan_language(plan)
    context = {
        "first_name": first_name(plan.client.name) or words.text("email.no_name"),
        "clinic": {"name": clinic.name, "phone": clinic.phone, "email": clinic.email,
                   "website": clinic.website, "booking_url": clinic.booking_url,
                   "address": clinic.address},
        "therapist": plan.therapist.name if plan.therapist else "",
        "encrypted": encrypted,
    }
    search = template_search(plan.language, clinic.folder)
    text_env = email_environment(search, html=False)
    subject = render_template(search, "email/subject.txt.j2", context, text_env).strip()
    text = render_template(search, "email/body.txt.j2", context, text_env)
    html = render_template(search, "email/body.html.j2", context,
                           email_environment(search, html=True))
    return subject, text, html


def deliver(recipients: Sequence[Recipient], *, config: SmtpConfig | None,
            record: Path | None = None, outbox: Path | None, encrypt: bool, passwords: Path,
            resend: Sequence[str] = (),
            per_minute: int | None = None, retry_delay: float = 5.0,
            say: Callable[[str], None] = print, renderer: Renderer | None = None) -> Delivery:
    """Send (or write to the outbox) each recipient's handout; see the module docstring.

    ``record`` None is the clinic's one record (:func:`~handouts.sentrecord.clinic_record`,
    the same for the command line and the app); a record an earlier version kept in the
    current folder is merged into it the first time, and the run says so once.
    Sending holds a lock beside the sent record (``<record>.lock``) for the whole run, so a
    second run on the same record stops at once, naming the first one's process id.
    """
    keys = [r.key for r in recipients]
    for key in {k for k in keys if keys.count(k) > 1}:
        raise HandoutError(f"two clients share the key '{key}' (the same id or email address); "
                           "give them different ids in the roster.")
    if outbox is None and config is None:
        raise HandoutError("clinic.toml has no [smtp] table; add one (see the README), or use "
                           "--dry-run to write .eml files instead.")
    result = Delivery()
    renderer = renderer or Renderer()
    password_file = PasswordFile(passwords) if encrypt else None
    if outbox is not None:
        _make_outbox(outbox)
        used: set[str] = set()
        for recipient, fingerprint in _prepare(recipients):
            message = _built(recipient, fingerprint, config, password_file, result, say,
                             renderer)
            if message is None:
                continue
            path = outbox / _eml_name(recipient, used)
            write_atomic(path, message, force=True, flag="--outbox")
            result.written.append(path)
        return result
    assert config is not None
    earlier = None
    if record is None:
        record = clinic_record(recipients[0].plan.clinic.folder if recipients else None)
        earlier = earlier_record(record)
    with RunLock(record.with_name(record.name + ".lock"), f"the sent record {record}"):
        store = SentRecord(record)
        try:
            taken = store.take_over(earlier) if earlier is not None else None
        except HandoutError:
            store.close()
            raise
        if taken is not None:
            say(f"{earlier}: the sent record an earlier version kept in this folder; its "
                f"{taken} row(s) are now in {record}, this clinic's one record for the command "
                "line and the app. The old file is no longer used.")
        sender = Sender(config, os.environ.get(PASSWORD_ENV))
        try:
            _send_all(_prepare(recipients), store, sender, config, password_file,
                      resend, per_minute, retry_delay, result, say, renderer)
        finally:
            sender.close()
            store.close()
    return result


_Prepared = tuple[Recipient, str]  # a recipient and their handout's fingerprint


def _prepare(recipients: Sequence[Recipient]) -> list[_Prepared]:
    """Each recipient with their fingerprint (nothing is rendered until it is needed)."""
    return [(recipient, handout_fingerprint(recipient.plan)) for recipient in recipients]


def _make_outbox(outbox: Path) -> None:
    """Create the outbox owner-only, or fail with one line."""
    problem = ""
    if outbox.exists() and not outbox.is_dir():
        problem = "it is a file"
    else:
        try:
            private_folder(outbox)
        except OutputError:
            problem = "cannot create the folder there"
        else:
            if not os.access(outbox, os.W_OK | os.X_OK):
                problem = "no permission to write there"
    if problem:
        raise OutputError(f"{outbox}: cannot use it as the outbox ({problem}); choose another "
                          "folder with --outbox.")
    ensure_private(outbox)


def _eml_name(recipient: Recipient, used: set[str]) -> str:
    """A file name unique to this client in this run (name, then a hash of the client key)."""
    stem = f"{slugify(recipient.plan.client.name)}-{short_hash(recipient.key, 8)}"
    name, number = f"{stem}.eml", 2
    while name.lower() in used:  # never overwrite a message written in this run
        name, number = f"{stem}-{number}.eml", number + 1
    used.add(name.lower())
    return name


def _built(recipient: Recipient, fingerprint: str, config: SmtpConfig | None,
           passwords: PasswordFile | None, result: Delivery,
           say: Callable[[str], None], renderer: Renderer) -> bytes | None:
    """The message as bytes, or None (reported as this row's failure) if it cannot be built.

    The handout is rendered here, only for a message about to be written or sent: a rerun
    that finds everyone already sent renders nothing.
    """
    try:
        pdf = render_handout(recipient.plan, renderer).pdf
    except HandoutError as error:
        result.failed.append(recipient.plan.client.name)
        say(f"{recipient.label}: {error}")
        return None
    try:
        return bytes(_message(recipient, pdf, fingerprint, config, passwords)
                     .as_bytes(policy=email.policy.SMTP))
    except (ValueError, TypeError, LookupError, email.errors.MessageError) as exc:
        # The exception's text may quote the row; name only its kind.
        result.failed.append(recipient.plan.client.name)
        say(f"{recipient.label}: the message could not be built from this row's name or "
            f"address ({type(exc).__name__}); fix the row and run again.")
        return None


def _send_all(queue: list[_Prepared], store: SentRecord, sender: Sender, config: SmtpConfig,
              passwords: PasswordFile | None, resend: Sequence[str], per_minute: int | None,
              retry_delay: float, result: Delivery, say: Callable[[str], None],
              renderer: Renderer) -> None:
    """Send the queue, retrying temporary failures twice; a quota refusal stops the run."""
    for attempt in range(3):
        retry = []
        for index, item in enumerate(queue):
            outcome = _send_one(item, store, sender, config, passwords, resend, result, say,
                                renderer)
            if outcome == "stop":
                result.waiting += [r.plan.client.name for r, _ in queue[index:]]
                return
            if outcome == "retry":
                retry.append(item)
            elif outcome == "sent" and per_minute:
                time.sleep(60.0 / per_minute)
        queue = retry
        if not queue:
            return
        sender.close()
        time.sleep(retry_delay * (attempt + 1))
    result.waiting += [r.plan.client.name for r, _ in queue]


def _send_one(item: _Prepared, store: SentRecord, sender: Sender, config: SmtpConfig,
              passwords: PasswordFile | None, resend: Sequence[str], result: Delivery,
              say: Callable[[str], None], renderer: Renderer) -> str:
    """Send one handout unless the record says not to: "sent", "done", "retry" or "stop"."""
    recipient, fingerprint = item
    name, key, label = recipient.plan.client.name, recipient.key, recipient.label
    address = recipient.plan.client.email.strip()
    entry = store.get(key, fingerprint)
    if entry is None and store.latest(key) is None:
        old = store.legacy(key)
        if old is not None and old.status in ("sent", "sending", "failed"):
            # An older version keyed the record on the PDF's bytes; it cannot say whether the
            # handout changed, so take its row for this handout rather than send twice.
            entry = store.adopt(old, fingerprint)
            say(f"{label}: recorded by an older version of this tool, which cannot tell "
                f"whether the handout changed; taken as this one (use --resend {key} to send "
                "it anyway).")
    if entry is not None and key not in resend:
        if entry.status == "sent":
            result.skipped.append(name)
            say(f"{label}: already sent ({entry.updated}).")
            return "done"
        if entry.status == "sending":
            result.uncertain.append(name)
            say(f"{label}: uncertain: the last run stopped while sending to {entry.email}. "
                f"Check with the client; resend with --resend {key}")
            return "done"
        if entry.status == "failed" and entry.email == address:
            result.failed.append(name)
            say(f"{label}: failed before ({entry.reason}); fix the address, or use "
                f"--resend {key}")
            return "done"
    elif entry is None:
        previous = store.latest(key)
        if previous is not None and previous.status in ("sent", "sending"):
            say(f"{label}: the handout changed since it was sent on {previous.day}; sending "
                "the new one.")
    data = _built(recipient, fingerprint, config, passwords, result, say, renderer)
    if data is None:
        return "done"
    msg_id = message_id(key, fingerprint, config.from_address)
    claimed = False

    def claim() -> bool:
        nonlocal claimed
        claimed = store.claim(key, fingerprint, address, msg_id, entry, force=key in resend)
        return claimed

    try:
        delivered = sender.send(data, address, before_data=claim)
    except SendFailure as failure:
        if failure.kind == "uncertain":
            result.uncertain.append(name)
            say(f"{label}: uncertain: {failure.reason}. Not resent automatically; use "
                f"--resend {key} if it did not arrive.")
            return "done"
        if failure.kind == "permanent":
            store.set(key, fingerprint, address, "failed", msg_id, failure.reason)
            result.failed.append(name)
            say(f"{label}: refused by the server ({failure.reason}).")
            return "done"
        if claimed:  # refused at DATA: nothing was delivered
            store.restore(key, fingerprint, address, entry, failure.reason)
        if failure.kind == "quota":
            result.stopped = failure.reason
            say(f"{label}: the server's sending limit was reached ({failure.reason}). "
                "Stopped; run the same command later to send the rest.")
            return "stop"
        say(f"{label}: temporary failure ({failure.reason}); will retry.")
        return "retry"
    if not delivered:
        result.skipped.append(name)
        say(f"{label}: another run is sending this handout; skipped.")
        return "done"
    store.set(key, fingerprint, address, "sent", msg_id)
    result.sent.append(name)
    say(f"{label}: sent to {address}.")
    return "sent"


def _message(recipient: Recipient, pdf: bytes, fingerprint: str, config: SmtpConfig | None,
             passwords: PasswordFile | None) -> EmailMessage:
    plan = recipient.plan
    attached = pdf
    if passwords is not None:
        password = plan.client.pdf_password or passwords.password(
            recipient.key, plan.client.name, fingerprint)
        attached = encrypt_pdf(pdf, password)
    subject, text, html = message_texts(plan, encrypted=passwords is not None)
    sender = config or SmtpConfig(host="localhost", port=25, security="none", username="",
                                  from_address=plan.clinic.email or "handouts@localhost.invalid",
                                  from_name=plan.clinic.name, reply_to=plan.clinic.email)
    return build_message(config=sender, to_name=plan.client.name,
                         to_address=plan.client.email.strip(), subject=subject, text=text,
                         html=html, pdf=attached,
                         filename=plan_language(plan).text("email.attachment"),
                         language=plan.language,
                         msg_id=message_id(recipient.key, fingerprint, sender.from_address))


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
