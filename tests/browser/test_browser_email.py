"""The Workshop page's "Email everyone" in a real browser: the app started as a therapist starts
it, sending through a real SMTP server (aiosmtpd) on loopback to the system's Chromium."""

from __future__ import annotations

import io
from collections.abc import Iterator
from email import message_from_bytes
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

expect = pytest.importorskip("playwright.sync_api").expect
from browserkit import (  # noqa: E402
    TIMEOUT_MS,
    chromium,
    make_clinic,
    needs_chromium,
    open_tab,
    screenshot,
    serve,
)
from smtpkit import Inbox, loopback_smtp  # noqa: E402

pytestmark = needs_chromium
ANSWERED_MS = 10_000  # the page shows an answer it has received at once
ATTENDEES = {"ana@example.com": "Ana Silva", "bo@example.com": "Bo Chen"}


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[int, Inbox]]:
    """A plain SMTP server on a free loopback port, and what it received."""
    with loopback_smtp() as running:
        yield running


@pytest.fixture(scope="module")
def address(tmp_path_factory: pytest.TempPathFactory,
            inbox: tuple[int, Inbox]) -> Iterator[str]:
    """`build-handouts serve` for a clinic whose [smtp] table names the test server."""
    home = tmp_path_factory.mktemp("email") / "home"
    with serve(make_clinic(home, smtp_port=inbox[0]), home) as printed:
        yield printed


def pdf_text(message: bytes) -> tuple[list[str], str, int]:
    """A sent message's To addresses, its first attached PDF's text and how many PDFs it
    holds."""
    parsed = message_from_bytes(message)
    pdfs = [part.get_payload(decode=True) for part in parsed.walk()
            if part.get_content_type() == "application/pdf"]
    reader = PdfReader(io.BytesIO(pdfs[0]))
    to = [address for _, address in getaddresses(parsed.get_all("To", []) +
                                                 parsed.get_all("Cc", []))]
    return to, " ".join(p.extract_text() for p in reader.pages), len(pdfs)


def click_and_answer(page: Any, button: str) -> None:
    """Click an email button and wait for the app's answer (however long the sending)."""
    with page.expect_response(lambda r: r.url.endswith("/workshop/email"),
                              timeout=TIMEOUT_MS):
        page.click(button)


def test_email_everyone_counts_then_sends_each_their_own_once(
        address: str, inbox: tuple[int, Inbox], tmp_path: Path) -> None:
    """Email everyone: the count comes first and sends nothing; Send gives each attendee one
    message with only their own handout; sending again sends nothing twice."""
    received = inbox[1]
    roster = tmp_path / "happy-hips.csv"
    roster.write_text("Full name,Email,Stretches\nAna Silva,ana@example.com,bridge;lunge\n"
                      "Bo Chen,bo@example.com,cat-cow\nCy Diaz,,bridge\n", encoding="utf-8")
    with chromium() as browser, open_tab(browser, address) as page:
        page.click("text=Workshop")
        page.set_input_files("#roster", str(roster))
        page.fill("#title", "Happy hips")
        page.click("#check")
        page.locator("#checked .ready-line", has_text="3 of 3 rows are ready.").wait_for()
        page.click("#run")
        page.locator("#results").wait_for()
        assert page.locator("#email-send").is_hidden()  # no sending before the count

        status = page.locator("#email-status")
        click_and_answer(page, "#email-count")
        expect(status).to_have_text("2 will get an email. Rows with a problem get none "
                                    "(listed below).", timeout=ANSWERED_MS)
        problems = page.locator(".email-problems li").all_inner_texts()
        assert len(problems) == 1 and problems[0].startswith("happy-hips.csv: line 4: ")
        assert received.messages == []  # the count sent nothing
        assert page.locator("#email-send").is_visible()

        click_and_answer(page, "#email-send")
        expect(status).to_have_text("Sent 2; already sent before 0; refused 0; uncertain 0; "
                                    "to retry later 0.", timeout=ANSWERED_MS)
        assert sorted(to for to, _ in received.messages) == [[a] for a in sorted(ATTENDEES)]
        for (to,), message in received.messages:
            header, text, count = pdf_text(message)
            assert count == 1 and header == [to]
            assert ATTENDEES[to] in text
            assert all(name not in text for name in ATTENDEES.values() if name != ATTENDEES[to])
            assert "Cy Diaz" not in text
        screenshot(page, "workshop-email", tmp_path, part="#results")

        click_and_answer(page, "#email-send")  # again: the sent record keeps each to once
        expect(status).to_have_text("Sent 0; already sent before 2; refused 0; uncertain 0; "
                                    "to retry later 0.", timeout=ANSWERED_MS)
    assert len(received.messages) == 2
