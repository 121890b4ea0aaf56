"""The web app's pages through Flask's test client: New handout, Clients, drawings, email."""

from __future__ import annotations

import io
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

pytest.importorskip("flask")

from handouts.content import load_client  # noqa: E402
from handouts.web.app import create_app  # noqa: E402

TOKEN = "page-token-0123456789"
BASE = "http://127.0.0.1:8765"


@pytest.fixture
def client(clinic_dir: Path) -> Any:
    """A browser-like client: the first visit's cookie carries the token."""
    app = create_app(clinic_dir, TOKEN, 8765)
    test_client = app.test_client()
    assert test_client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return test_client


def post(client: Any, path: str, body: Any) -> Any:
    """POST JSON from the app's own page (its Origin)."""
    return client.post(path, base_url=BASE, json=body, headers={"Origin": BASE})


def test_new_handout_page_has_every_control_labelled(client: Any) -> None:
    """The form shows every stretch with its drawing and every condition, all labelled."""
    html = client.get("/", base_url=BASE).get_data(as_text=True)
    assert html.count('class="tile"') == 14
    assert 'src="/images/bridge.svg"' in html
    assert "Karen Stone, LMT" in html  # the therapist from clinic.toml
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids and [i for i in ids if i not in labels] == []
    assert 'id="cond-pregnancy-2"' in html and "of 1,000 characters" in html


def test_ruled_out_tiles_carry_reason_and_alternatives(client: Any) -> None:
    """A stretch a condition rules out carries that condition and the safe alternatives."""
    html = client.get("/", base_url=BASE).get_data(as_text=True)
    tile = re.search(r'<li class="tile" data-stretch="bridge" data-ruled-by="([^"]*)"', html)
    assert tile and "pregnancy-2" in tile.group(1).split()
    alternatives = re.search(r'data-condition="pregnancy-2".*?data-alternatives="([^"]*)"',
                             html, re.S)
    assert alternatives and "bridge" not in alternatives.group(1).split()


def test_drawing_is_served_and_unknown_is_404(client: Any) -> None:
    """/images/<name>.svg serves the stretch's drawing; another name is 404."""
    answer = client.get("/images/bridge.svg", base_url=BASE)
    assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"
    assert b"<svg" in answer.data
    assert client.get("/images/nothing.svg", base_url=BASE).status_code == 404


def test_making_a_pdf_saves_the_client_file(client: Any, clinic_dir: Path) -> None:
    """The page's PDF saves clients/<name>.toml (0600 in a 0700 folder) in the CLI's format,
    with the stretches and doses, and the Clients page lists it."""
    body = {"name": "Jane Doe", "email": "jane@example.com", "note": 'Say "hi"\nto Bo.',
            "conditions": ["pregnancy-2"], "date": "2026-11-22", "layout": "guide",
            "stretches": [{"id": "bridge", "reps": 6}, {"id": "cat-cow"}],
            "allow": {"bridge": "cleared by her midwife"}, "paper": "letter"}
    answer = post(client, "/handout/pdf", body)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "Jane" in PdfReader(io.BytesIO(answer.data)).pages[0].extract_text()
    saved = clinic_dir / "clients" / "jane-doe.toml"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    again = load_client(saved)
    assert again.name == "Jane Doe" and again.email == "jane@example.com"
    assert again.note == 'Say "hi"\nto Bo.' and again.conditions == ("pregnancy-2",)
    assert [(s.id, s.reps) for s in again.stretches] == [("bridge", 6), ("cat-cow", None)]
    page = client.get("/clients", base_url=BASE).get_data(as_text=True)
    assert "Jane Doe" in page and 'href="/?client=jane-doe"' in page
    assert "Bridge, Cat-cow stretch" in page  # the stretches by their titles
    start = client.get("/?client=jane-doe", base_url=BASE).get_data(as_text=True)
    assert 'value="Jane Doe"' in start
    assert re.search(r'id="s-bridge"[^>]*checked', start)
    assert re.search(r'id="reps-bridge"[^>]*value="6"', start)
    assert re.search(r'id="cond-pregnancy-2"[^>]*checked', start)


def test_saving_again_updates_and_never_takes_another_clients_file(client: Any,
                                                                    clinic_dir: Path) -> None:
    """The same client's file is updated; a different name with the same slug gets its own."""
    post(client, "/handout/pdf", {"name": "Mary Ann", "stretches": ["bridge"]})
    post(client, "/handout/pdf", {"name": "Mary Ann", "stretches": ["lunge"]})
    folder = clinic_dir / "clients"
    assert [s.id for s in load_client(folder / "mary-ann.toml").stretches] == ["lunge"]
    post(client, "/handout/pdf", {"name": "Mary-Ann", "stretches": ["cat-cow"]})
    assert load_client(folder / "mary-ann.toml").name == "Mary Ann"
    others = [p for p in folder.glob("mary-ann-*.toml")]
    assert len(others) == 1 and load_client(others[0]).name == "Mary-Ann"


def test_clients_search(client: Any) -> None:
    """The Clients page filters by name or email."""
    post(client, "/handout/pdf", {"name": "Ana Silva", "email": "ana@example.com",
                                  "stretches": ["bridge"]})
    post(client, "/handout/pdf", {"name": "Bo Chen", "stretches": ["bridge"]})
    found = client.get("/clients?q=silva", base_url=BASE).get_data(as_text=True)
    assert "Ana Silva" in found and "Bo Chen" not in found
    by_mail = client.get("/clients?q=ANA@", base_url=BASE).get_data(as_text=True)
    assert "Ana Silva" in by_mail
    none = client.get("/clients?q=zz", base_url=BASE).get_data(as_text=True)
    assert "No client matches" in none


def test_bad_request_saves_nothing(client: Any, clinic_dir: Path) -> None:
    """A request the CLI would refuse is a 400 and writes no client file."""
    answer = post(client, "/handout/pdf", {"name": "Jane", "stretches": ["bridge"],
                                           "conditions": ["pregnancy-2"]})
    assert answer.status_code == 400
    assert "is not safe with one of this client's conditions" in answer.json["error"]
    assert not (clinic_dir / "clients").exists()


def test_client_name_in_address_must_be_a_plain_name(client: Any) -> None:
    """?client= takes a file name in clients/, never a path."""
    answer = client.get("/?client=../clinic", base_url=BASE)
    assert answer.status_code == 400
    assert answer.json == {"error": "'../clinic' is not a client file name."}


def test_email_without_smtp_is_one_line(client: Any) -> None:
    """Email with no [smtp] table is the CLI's line, without its --dry-run advice (the app
    has no dry run)."""
    answer = post(client, "/handout/email", {"name": "Jane", "email": "jane@example.com",
                                             "stretches": ["bridge"]})
    assert answer.status_code == 400
    assert answer.json == {"error": "clinic.toml has no [smtp] table; add one (see the "
                                    "README)."}


def test_email_sends_once_with_the_sent_record(tmp_path: Path) -> None:
    """Email sends through [smtp] and records it: the second click sends nothing."""
    from smtpkit import loopback_smtp

    with loopback_smtp() as (port, inbox):
        folder = tmp_path / "clinic"
        folder.mkdir()
        (folder / "clinic.toml").write_text(
            'name = "Riverside Massage"\nphone = "(555) 010-0123"\n\n[smtp]\n'
            f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
            'from_address = "care@riverside.example"\ntimeout_seconds = 5\n', encoding="utf-8")
        app = create_app(folder, TOKEN, 8765)
        web = app.test_client()
        web.get(f"/?token={TOKEN}", base_url=BASE)
        body = {"name": "Ana Silva", "email": "ana@example.com", "stretches": ["bridge"],
                "date": "2026-11-22"}
        first = post(web, "/handout/email", body)
        assert first.status_code == 200 and first.json["outcome"] == "sent"
        second = post(web, "/handout/email", body)
        assert second.json["outcome"] == "already-sent"
        assert len(inbox.messages) == 1
        assert (folder / "sent-record.sqlite3").is_file()
        assert (folder / "clients" / "ana-silva.toml").is_file()


def test_a_changed_stretch_file_is_used_without_a_restart(client: Any, clinic_dir: Path) -> None:
    """Editing a stretch in the clinic's templates while the app runs shows in the next
    answer (the clinic is loaded again when any of its files changes)."""
    root = Path(__file__).resolve().parent.parent
    own = clinic_dir / "templates" / "lang" / "en" / "stretches" / "bridge.toml"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text((root / "templates" / "lang" / "en" / "stretches" / "bridge.toml").read_text(
        encoding="utf-8"), encoding="utf-8")
    first = client.get("/api/stretches", base_url=BASE).json
    assert next(s for s in first if s["id"] == "bridge")["title"] == "Bridge"
    text = own.read_text(encoding="utf-8").replace('title = "Bridge"', 'title = "Hip lift"')
    own.write_text(text + "\n", encoding="utf-8")  # same folder, new size: only the file changed
    again = client.get("/api/stretches", base_url=BASE).json
    assert next(s for s in again if s["id"] == "bridge")["title"] == "Hip lift"
