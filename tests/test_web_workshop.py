"""The Workshop page's routes: roster upload and check, the run, downloads and email counts."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

pytest.importorskip("flask")

from handouts.web.app import create_app  # noqa: E402

TOKEN = "workshop-token-0123456789"
BASE = "http://127.0.0.1:8765"
ROSTER = ("Full name,Email,Stretches,Conditions\n"
          "Ana Silva,ana@example.com,bridge;lunge,\n"
          "Bo Chen,bo@example.com,brige,\n"
          "Cy Diaz,not-an-address,cat-cow,\n"
          "Di Evans,,bridge,pregnancy-2\n")


@pytest.fixture
def client(clinic_dir: Path) -> Any:
    """A browser-like client holding the token's cookie."""
    web = create_app(clinic_dir, TOKEN, 8765).test_client()
    web.get(f"/?token={TOKEN}", base_url=BASE)
    return web


def upload(client: Any, text: str | bytes, name: str = "happy-hips.csv", **form: Any) -> Any:
    """POST the roster as the page's form does."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    # The body is built here: the test client spools a large one to a file it never closes.
    boundary = "----roster-boundary-7f3a"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
             .encode() for key, value in form.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="roster"; '
                 f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'.encode() + data
                 + f"\r\n--{boundary}--\r\n".encode())
    return client.post("/workshop/roster", base_url=BASE, headers={"Origin": BASE},
                       data=b"".join(parts),
                       content_type=f"multipart/form-data; boundary={boundary}")


def run(client: Any, **fields: Any) -> dict[str, Any]:
    """Start the run and poll it to the end; its final state."""
    started = client.post("/workshop/run", base_url=BASE, json={"roster": "happy-hips",
                                                               **fields})
    assert started.status_code == 200, started.json
    for _ in range(600):
        state = client.get(f"/workshop/jobs/{started.json['job']}", base_url=BASE).json
        if state["finished"]:
            return dict(state)
        time.sleep(0.1)
    raise AssertionError("the run did not finish")


def test_page_lists_the_stretches(client: Any) -> None:
    """The Workshop page shows the upload, the shared fields and every stretch, labelled."""
    html = client.get("/workshop", base_url=BASE).get_data(as_text=True)
    assert 'id="roster"' in html and '<label for="roster">' in html
    assert html.count('name="stretches"') == 14


def test_upload_lists_bad_rows_with_their_lines(client: Any, clinic_dir: Path) -> None:
    """The roster check gives the CLI's line-numbered messages for each bad row."""
    answer = upload(client, ROSTER)
    assert answer.status_code == 200
    data = answer.json
    assert (data["roster"], data["rows"], data["ready"]) == ("happy-hips", 4, 1)
    lines = {e["line"]: e["message"] for e in data["errors"]}
    assert lines[3].startswith("happy-hips.csv: line 3: unknown stretch 'brige'")
    assert lines[4] == ("happy-hips.csv: line 4: the email address is not valid (one address "
                        "like name@example.com)")
    assert "'bridge' is not safe with one of this client's conditions" in lines[5]
    kept = clinic_dir / "workshops" / "happy-hips" / "happy-hips.csv"
    assert kept.read_text(encoding="utf-8") == ROSTER and oct(kept.stat().st_mode)[-3:] == "600"


def test_upload_lists_every_problem_of_a_row(client: Any) -> None:
    """A row with two problems shows both, one message each, as the CLI prints them."""
    answer = upload(client, "name,stretches,large_print\nEd Fox,brige,maybe\n")
    messages = [e["message"] for e in answer.json["errors"] if e["line"] == 2]
    assert len(messages) == 2, messages
    assert any("unknown stretch 'brige'" in m for m in messages)
    assert any("large_print" in m for m in messages)


def test_oversized_roster_is_413(client: Any) -> None:
    """A roster over 5 MB is refused with one line."""
    answer = upload(client, b"name\n" + b"x" * (5 * 1024 * 1024))
    assert answer.status_code == 413
    assert answer.json == {"error": "the upload is larger than 5 MB; choose a smaller file."}


def test_a_different_roster_is_not_replaced_without_asking(client: Any) -> None:
    """Uploading another version under the same name needs the replace box."""
    upload(client, ROSTER)
    other = upload(client, "name\nZed\n")
    assert other.status_code == 409
    assert "tick \"Replace the kept roster\"" in other.json["error"]
    assert upload(client, "name\nZed\n", replace="1").json["ready"] == 1


def test_run_writes_handouts_print_file_and_zip(client: Any, clinic_dir: Path) -> None:
    """The run reports each row and its status; the print file and zip download."""
    upload(client, ROSTER)
    state = run(client, title="Happy hips", date="2026-11-22")
    statuses = {row["line"]: row["status"] for row in state["rows"]}
    assert statuses == {2: "written", 3: "failed", 4: "failed", 5: "failed"}
    assert state["print_file"] == "_print-file-happy-hips-2026-11-22.pdf"
    printed = client.get("/workshop/happy-hips/print-file", base_url=BASE)
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    assert "Ana" in PdfReader(io.BytesIO(printed.data)).pages[0].extract_text()
    zipped = client.get("/workshop/happy-hips/handouts.zip", base_url=BASE)
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as archive:
        assert archive.namelist() == ["ana-silva-2026-11-22.pdf"]
    assert (clinic_dir / "workshops" / "happy-hips" / "_manifest.csv").is_file()
    again = run(client, title="Happy hips", date="2026-11-22")
    assert again["rows"][0]["status"] == "unchanged"


def test_bad_workshop_field_is_the_one_line(client: Any) -> None:
    """A bad shared field is refused with the workshop file's message."""
    upload(client, ROSTER)
    answer = client.post("/workshop/run", base_url=BASE,
                         json={"roster": "happy-hips", "layout": "poster"})
    assert answer.status_code == 400
    assert answer.json == {"error": "workshop: 'layout' is 'poster'; use one of: guide, "
                                    "sheet."}


def test_email_count_first(client: Any) -> None:
    """The email count lists who gets one and the rows that cannot."""
    upload(client, ROSTER)
    answer = client.post("/workshop/email", base_url=BASE,
                         json={"roster": "happy-hips", "send": False}).json
    assert answer["recipients"] == 1 and len(answer["problems"]) == 3


def test_roster_name_must_be_plain(client: Any) -> None:
    """A roster name that is a path is refused."""
    answer = client.get("/workshop/..%2Fclients/print-file", base_url=BASE)
    assert answer.status_code in (400, 404)
    bad = client.post("/workshop/run", base_url=BASE, json={"roster": "../x"})
    assert bad.status_code == 400 and bad.json == {"error": "'../x' is not a roster name."}
