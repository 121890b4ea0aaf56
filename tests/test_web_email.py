"""The app's email buttons against a real SMTP server (aiosmtpd) on loopback: a workshop's
everyone (count first, then exactly once) and the Clinic page's test email."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask")


from smtpkit import Inbox, loopback_smtp  # noqa: E402

from handouts.web.app import create_app  # noqa: E402

TOKEN = "email-token-0123456789"
BASE = "http://127.0.0.1:8765"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    """A plain SMTP server on a free loopback port."""
    with loopback_smtp() as running:
        yield running


@pytest.fixture
def web(tmp_path: Path, smtp: tuple[int, Inbox]) -> Any:
    """The app for a clinic whose [smtp] table names the test server."""
    folder = tmp_path / "clinic"
    folder.mkdir()
    (folder / "clinic.toml").write_text(
        'name = "Riverside Massage"\nphone = "(555) 010-0123"\n\n[smtp]\n'
        f'host = "127.0.0.1"\nport = {smtp[0]}\nsecurity = "none"\n'
        'from_address = "care@riverside.example"\ntimeout_seconds = 5\n', encoding="utf-8")
    client = create_app(folder, TOKEN, 8765).test_client()
    client.get(f"/?token={TOKEN}", base_url=BASE)
    return client


def test_workshop_email_counts_then_sends_once(web: Any, smtp: tuple[int, Inbox]) -> None:
    """The count sends nothing; sending reaches each good row once; again sends none."""
    roster = (b"name,email\nAna Silva,ana@example.com\nBo Chen,bo@example.com\n"
              b"Cy Diaz,not-an-address\n")
    boundary = "----b"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="roster"; '
            f'filename="class.csv"\r\n\r\n').encode() + roster + f"\r\n--{boundary}--\r\n" \
        .encode()
    assert web.post("/workshop/roster", base_url=BASE, data=body,
                    content_type=f"multipart/form-data; boundary={boundary}").status_code == 200
    fields = {"roster": "class", "stretches": ["bridge"], "date": "2026-11-22"}
    count = web.post("/workshop/email", base_url=BASE, json={**fields, "send": False}).json
    assert count["recipients"] == 2 and len(count["problems"]) == 1
    assert smtp[1].messages == []
    sent = web.post("/workshop/email", base_url=BASE, json={**fields, "send": True}).json
    assert (sent["sent"], sent["skipped"], sent["failed"]) == (2, 0, 0)
    again = web.post("/workshop/email", base_url=BASE, json={**fields, "send": True}).json
    assert (again["sent"], again["skipped"]) == (0, 2)
    assert sorted(to for to, _ in smtp[1].messages) == [["ana@example.com"],
                                                        ["bo@example.com"]]


def test_clinic_test_email_goes_to_the_clinic(web: Any, smtp: tuple[int, Inbox]) -> None:
    """The Clinic page's test email sends the sample handout to the clinic's own address,
    every time it is asked."""
    for _ in range(2):
        answer = web.post("/clinic/test-email", base_url=BASE)
        assert answer.status_code == 200, answer.json
        assert answer.json["outcome"] == "sent"
    assert [to for to, _ in smtp[1].messages] == [["care@riverside.example"]] * 2
    from email import message_from_bytes

    message = message_from_bytes(smtp[1].messages[0][1])
    pdfs = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1
    from pypdf import PdfReader

    assert "Alex" in PdfReader(io.BytesIO(pdfs[0].get_payload(decode=True))).pages[0] \
        .extract_text()
