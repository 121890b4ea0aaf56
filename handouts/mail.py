"""Email: the SMTP settings, one message per client (a pure function), and sending it.

The message carries nothing health-related: a greeting, the clinic's contact details and the
PDF under a neutral file name. Its Message-ID is derived from the client and the handout, so
the sent record and the server's copy can be matched after a crash.
"""

from __future__ import annotations

import email.policy
import hashlib
import ipaddress
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any

from .errors import HandoutError, InputError
from .schema import Fields

PASSWORD_ENV = "HANDOUTS_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# An RFC 3463 enhanced status code at the start of a reply ("5.4.5 Daily quota ...").
_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")


class TemporaryFailure(HandoutError):
    """The job cannot finish now but a rerun later will (exit code 75)."""

    exit_code = 75


class SendFailure(Exception):
    """One message was not delivered; ``kind`` says what to do about it."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind = kind  # "permanent", "temporary", "quota" or "uncertain"
        self.reason = reason


def valid_address(value: str) -> bool:
    """One plain address (no name, no list, no line break, no encoded word), strictly checked."""
    return (bool(_ADDRESS.match(value)) and len(value) <= 254 and ".." not in value
            and "=?" not in value)


def encoded_word(value: str) -> bool:
    """True if ``value`` holds ``=?``, which mail programs decode as an RFC 2047 encoded word.

    The standard library decodes such words even inside a display name given as a part, so a
    name like ``=?utf-8?b?...?=`` could smuggle a second address or a line break into a header.
    """
    return "=?" in value


@dataclass(frozen=True)
class SmtpConfig:
    """The clinic's ``[smtp]`` table; the password comes from the environment only."""

    host: str
    port: int
    security: str
    username: str
    from_address: str
    from_name: str
    reply_to: str
    ca_file: Path | None = None
    timeout: float = 30.0


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (the only place plain SMTP is allowed)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def smtp_config(table: Fields, where: str, folder: Path | None) -> SmtpConfig:
    """Validate ``[smtp]`` from clinic.toml."""
    if table.raw("password") is not None:
        raise InputError(f"{where} [smtp]: do not put the password in a file; remove "
                         f"'password' and set the environment variable {PASSWORD_ENV}.")
    security = table.choice("security", SECURITY, default="starttls") or "starttls"
    host = table.text("host", required=True, max_len=253) or ""
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
    port = table.integer("port", 1, 65535, default=default_port) or default_port
    if security == "none" and not is_loopback(host):
        raise InputError(f"{where} [smtp]: security = \"none\" sends without encryption and "
                         "is allowed only to a loopback host; use \"starttls\" or \"ssl\".")
    from_address = table.text("from_address", required=True, max_len=254) or ""
    reply_to = table.text("reply_to", default="", max_len=254) or ""
    for key, value in (("from_address", from_address), ("reply_to", reply_to)):
        if value and not valid_address(value):
            raise InputError(f"{where} [smtp]: '{key}' is not one plain email address.")
    ca = table.text("ca_file", max_len=300)
    ca_file = None
    if ca:
        ca_file = ((folder or Path.cwd()) / ca).resolve()
        if not ca_file.is_file():
            raise InputError(f"{where} [smtp]: 'ca_file' names '{ca}', which does not exist.")
    config = SmtpConfig(
        host=host, port=port, security=security,
        username=table.text("username", default="", max_len=254) or "",
        from_address=from_address,
        from_name=table.text("from_name", default="", max_len=100) or "",
        reply_to=reply_to, ca_file=ca_file,
        timeout=float(table.integer("timeout_seconds", 1, 300, default=30) or 30),
    )
    table.done()
    return config


def message_id(client_key: str, handout_hash: str, from_address: str) -> str:
    """A Message-ID that is the same whenever the same handout goes to the same client."""
    digest = hashlib.sha256(f"{client_key}\n{handout_hash}".encode()).hexdigest()[:32]
    domain = from_address.rpartition("@")[2] or "handouts.invalid"
    return f"<{digest}@{domain}>"


def build_message(*, config: SmtpConfig, to_name: str, to_address: str, subject: str,
                  text: str, html: str, pdf: bytes, filename: str, msg_id: str,
                  date: str | None = None, language: str = "") -> EmailMessage:
    """One message to one recipient with the handout attached (no other client anywhere).

    Address headers are built from parts, and every header is read back: a header that does
    not say exactly what was meant (one address, the same name and subject) raises ValueError.
    """
    if not valid_address(to_address):
        raise InputError(f"'{to_address}' is not one valid email address.")
    name = _header_safe(to_name)
    title = _header_safe(subject)
    if encoded_word(name) or encoded_word(title) or encoded_word(config.from_name):
        raise ValueError("'=?' (an encoded word) in a name or the subject")
    message = EmailMessage()
    message["From"] = Address(display_name=config.from_name, addr_spec=config.from_address)
    message["To"] = Address(display_name=name, addr_spec=to_address)
    if config.reply_to:
        message["Reply-To"] = Address(addr_spec=config.reply_to)
    message["Subject"] = title
    message["Date"] = date or formatdate(localtime=True)
    message["Message-ID"] = msg_id
    to = message["To"].addresses
    if (len(to) != 1 or to[0].addr_spec != to_address or to[0].display_name != name
            or str(message["Subject"]) != title):
        raise ValueError("a header does not read back as written")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    if language:  # the language of the subject and body (RFC 3282); set_content drops it
        message["Content-Language"] = language
    return message


def _header_safe(value: str) -> str:
    return " ".join(value.split())


class Sender:
    """An SMTP session that reconnects as needed and classifies every failure."""

    def __init__(self, config: SmtpConfig, password: str | None):
        self.config = config
        self.password = password
        self.smtp: smtplib.SMTP | None = None

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.config.ca_file is not None:
            context.load_verify_locations(cafile=str(self.config.ca_file))
        return context

    def _open(self, where: str) -> smtplib.SMTP:
        """Connect, secure and log in; on any failure the socket is closed before raising."""
        c = self.config
        if c.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout,
                                                  context=self._context())
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        try:
            smtp.ehlo()
            if c.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise HandoutError(f"{where} does not offer STARTTLS; check the port "
                                       "and 'security' in clinic.toml [smtp].")
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if c.username:
                if self.password is None:
                    raise HandoutError(f"no password: set the environment variable "
                                       f"{PASSWORD_ENV} for {c.username}.")
                smtp.login(c.username, self.password)
        except BaseException:
            smtp.close()  # no QUIT: after a timeout it would wait a second timeout
            raise
        return smtp

    def connect(self) -> None:
        """Open, secure and log in; failures are one clear HandoutError (75 if temporary)."""
        c = self.config
        where = f"{c.host}:{c.port}"
        try:
            smtp = self._open(where)
        except ssl.SSLCertVerificationError as exc:
            raise HandoutError(f"{where}: the server's certificate is not trusted "
                               f"({exc.verify_message}); check the host name, or set "
                               "'ca_file' in [smtp].") from None
        except ssl.SSLError as exc:
            raise HandoutError(f"{where}: TLS failed ({exc.reason}); 'security' may not match "
                               "the port (465 is usually \"ssl\", 587 \"starttls\").") from None
        except smtplib.SMTPAuthenticationError:
            raise HandoutError(f"{where}: the server refused the username or password "
                               f"(check 'username' and {PASSWORD_ENV}).") from None
        except smtplib.SMTPNotSupportedError as exc:
            raise HandoutError(f"{where}: {exc}; check 'security' in [smtp].") from None
        except (ConnectionRefusedError, socket.gaierror) as exc:
            raise TemporaryFailure(f"{where}: cannot connect ({_why(exc)}); check the host "
                                   "and port, or try again later.") from None
        except TimeoutError:
            raise TemporaryFailure(f"{where}: no answer within {c.timeout:.0f} s; 'security' "
                                   "may not match the port, or the server is down.") from None
        except (smtplib.SMTPServerDisconnected, ConnectionError, OSError) as exc:
            raise TemporaryFailure(f"{where}: the connection failed ({_why(exc)}); "
                                   "'security' may not match the port.") from None
        self.smtp = smtp

    def send(self, message: EmailMessage | bytes, to_address: str,
             before_data: Callable[[], bool] | None = None) -> bool:
        """Send one message to one address; raise SendFailure saying what happened.

        The steps are taken one by one so that a connection lost before the data was sent
        (safe to retry) is told apart from one lost after it (the outcome is uncertain).
        ``before_data`` runs once the server has accepted the sender and the recipient, right
        before the data is handed over (the sent record marks the message "sending" there);
        if it returns False nothing is sent and the result is False.
        """
        data = message if isinstance(message, bytes) else \
            message.as_bytes(policy=email.policy.SMTP)
        if self.smtp is None:
            self.connect()
        smtp = self.smtp
        assert smtp is not None
        try:
            for step, args, ok in (("mail", (self.config.from_address,), (250,)),
                                   ("rcpt", (to_address,), (250, 251))):
                code, reply = getattr(smtp, step)(*args)
                if code not in ok:
                    self._reset()
                    raise _classify(code, reply)
        except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError, OSError) as exc:
            self.smtp = None
            raise SendFailure("temporary", f"the connection ended ({_why(exc)})") from None
        if before_data is not None and not before_data():
            self._reset()
            return False
        try:
            code, reply = smtp.data(data)
        except smtplib.SMTPDataError as exc:
            self._reset()
            raise _classify(exc.smtp_code, exc.smtp_error) from None
        except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError, OSError) as exc:
            self.smtp = None
            raise SendFailure("uncertain", "the connection ended after the message was sent, "
                              f"before the server confirmed it ({_why(exc)})") from None
        if code != 250:
            self._reset()
            raise _classify(code, reply)
        return True

    def _reset(self) -> None:
        try:
            if self.smtp is not None:
                self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.smtp = None

    def close(self) -> None:
        """Say goodbye politely (errors on the way out do not matter)."""
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.smtp = None


def _classify(code: int, text: Any) -> SendFailure:
    """What a refusal means, from its reply code and enhanced status (RFC 3463).

    Only a sending limit stops the run: ``5.4.5`` (Gmail's daily quota) or a ``4.7.x`` reply
    that speaks of a quota or a rate. Any other 5xx fails that one message, even one that
    mentions a limit (``552 5.3.4 message size exceeds fixed limit``); any other 4xx is retried.
    """
    reply = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    reason = f"{code} {' '.join(reply.split())}"[:200]
    match = _ENHANCED.match(reply)
    status = tuple(int(part) for part in match.groups()) if match else ()
    lowered = reply.lower()
    if status == (5, 4, 5):
        return SendFailure("quota", reason)
    if status[:2] == (4, 7) and re.search(r"\b(quota|rate)", lowered):
        return SendFailure("quota", reason)
    if 400 <= code < 500:
        return SendFailure("temporary", reason)
    return SendFailure("permanent", reason)


def _why(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
