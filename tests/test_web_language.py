"""The web app in the handout's language: listings, the API, the pages and the quality summary."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

pytest.importorskip("flask")

from langfixtures import copy_english  # noqa: E402

from handouts.schema import load_toml  # noqa: E402
from handouts.web.app import create_app  # noqa: E402

TOKEN = "language-token-0123456789"
BASE = "http://127.0.0.1:8765"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
UNKNOWN = "language 'xx' is not available; use one of: en, es (the folders in templates/lang)."
SPANISH = {"name": "Rosa Díaz", "stretches": ["bridge", "cat-cow"], "language": "es",
           "date": "2026-11-30"}


@pytest.fixture
def client(clinic_dir: Path) -> Any:
    """A browser-like client holding the token's cookie."""
    web = create_app(clinic_dir, TOKEN, 8765).test_client()
    web.get(f"/?token={TOKEN}", base_url=BASE)
    return web


def post(client: Any, path: str, body: Any) -> Any:
    """POST JSON as the pages do (same origin)."""
    return client.post(path, base_url=BASE, json=body, headers={"Origin": BASE})


def pdf_text(pdf: bytes) -> tuple[str, str]:
    """A PDF's words and its /Lang, read back with pypdf."""
    reader = PdfReader(io.BytesIO(pdf))
    return (" ".join(" ".join(page.extract_text().split()) for page in reader.pages),
            str(reader.trailer["/Root"]["/Lang"]))


def test_listings_in_the_asked_language(client: Any) -> None:
    """?language=es lists the stretches' and conditions' Spanish words; no query, English."""
    english = {s["id"]: s for s in client.get("/api/stretches", base_url=BASE).json}
    spanish = {s["id"]: s for s in
               client.get("/api/stretches?language=es", base_url=BASE).json}
    assert english["bridge"]["title"] == "Bridge" and spanish["bridge"]["title"] == "Puente"
    assert spanish["bridge"]["dose"] == english["bridge"]["dose"]  # words differ, rules not
    conditions = {c["id"]: c for c in
                  client.get("/api/conditions?language=es", base_url=BASE).json}
    assert conditions["pregnancy-2"]["label"] == "embarazo"


def test_unknown_language_in_a_listing_is_400(client: Any) -> None:
    """An unknown ?language is a 400 with the CLI's line listing the languages there are."""
    for path in ("/api/stretches?language=xx", "/api/conditions?language=xx"):
        answer = client.get(path, base_url=BASE)
        assert answer.status_code == 400
        assert answer.json == {"error": f"?language: {UNKNOWN}"}


def test_languages_lists_builtin_and_the_clinics_own(client: Any, clinic_dir: Path) -> None:
    """/api/languages lists English, draft Spanish and a language the clinic added."""
    copy_english(clinic_dir, "fr")
    rows = client.get("/api/languages", base_url=BASE, headers=AUTH).json
    assert rows == [{"code": "en", "name": "English", "draft": False},
                    {"code": "es", "name": "Español", "draft": True},
                    {"code": "fr", "name": "Test fr", "draft": True}]


def test_api_handout_in_spanish(client: Any) -> None:
    """POST /api/handouts with "language": "es" answers a Spanish PDF with /Lang es-US."""
    answer = client.post("/api/handouts", base_url=BASE, json=SPANISH, headers=AUTH)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text, lang = pdf_text(answer.data)
    assert lang == "es-US"
    assert "Puente" in text and "30 de noviembre de 2026" in text and "Página 1 de" in text
    assert "Bridge" not in text


def test_api_unknown_language_is_400(client: Any) -> None:
    """An unknown language in the request is a 400 naming the key."""
    answer = client.post("/api/handouts", base_url=BASE, json={**SPANISH, "language": "xx"},
                         headers=AUTH)
    assert answer.status_code == 400
    assert answer.json == {"error": f"request: 'language': {UNKNOWN}"}


def test_clinic_locale_reaches_the_pdf(client: Any) -> None:
    """The clinic's locale (saved on the Clinic page) sets a Spanish handout's /Lang."""
    assert post(client, "/clinic", {"locale": "es-MX"}).status_code == 200
    answer = client.post("/api/handouts", base_url=BASE, json=SPANISH, headers=AUTH)
    assert pdf_text(answer.data)[1] == "es-MX"


def test_quality_summary_in_spanish(client: Any) -> None:
    """The quality summary of a Spanish handout has INFLESZ, no English grade, and one draft
    flag instead of a warning per draft file."""
    answer = post(client, "/api/quality", SPANISH).json
    assert answer["language"] == "es" and answer["reading_grade"] == {}
    assert answer["inflesz"] and min(answer["inflesz"].values()) >= 55
    assert answer["draft"] is True and answer["draft_files"] > 1
    assert not [c for c in answer["checks"] if c["id"].startswith("review:")]
    assert answer["warnings"] == sum(c["status"] == "warn" for c in answer["checks"])
    english = post(client, "/api/quality", {**SPANISH, "language": "en"}).json
    assert english["draft"] is False and english["inflesz"] == {}
    assert english["reading_grade"]


def test_page_offers_the_languages(client: Any) -> None:
    """New handout has a labelled language choice; Spanish is marked a draft translation."""
    html = client.get("/", base_url=BASE).get_data(as_text=True)
    assert '<label for="language">Handout language</label>' in html
    assert '<option value="en" lang="en" data-draft="" selected>English</option>' in html
    assert ('<option value="es" lang="es" data-draft="yes" >Español (draft translation)'
            '</option>') in html
    assert "quality-words" in html and "1 warning" in html


def test_saved_client_language_starts_the_form(client: Any, clinic_dir: Path) -> None:
    """A handout made in Spanish saves language = "es"; reopening the client starts in
    Spanish, with the tiles' and conditions' Spanish words."""
    made = post(client, "/handout/pdf", {**SPANISH, "conditions": ["pregnancy-2"],
                                         "allow": {"bridge": "cleared by her doctor"}})
    assert made.status_code == 200, made.json
    saved = load_toml(clinic_dir / "clients" / "rosa-díaz.toml")
    assert saved["language"] == "es"
    html = client.get("/?client=rosa-díaz", base_url=BASE).get_data(as_text=True)
    assert '<option value="es" lang="es" data-draft="yes" selected>' in html
    assert '<span class="title" lang="es">Puente</span>' in html
    assert '<span class="cond-label" lang="es">embarazo</span>' in html


def test_clinic_default_language(client: Any, clinic_dir: Path) -> None:
    """The Clinic page saves default_language; new handouts then start in it."""
    page = client.get("/clinic", base_url=BASE).get_data(as_text=True)
    assert '<label for="default_language">' in page and '<label for="locale">' in page
    assert post(client, "/clinic", {"default_language": "es"}).status_code == 200
    assert load_toml(clinic_dir / "clinic.toml")["default_language"] == "es"
    html = client.get("/", base_url=BASE).get_data(as_text=True)
    assert '<option value="es" lang="es" data-draft="yes" selected>' in html
    stretches = client.get("/api/stretches", base_url=BASE).json
    assert {s["id"]: s["title"] for s in stretches}["bridge"] == "Puente"


def test_clinic_bad_locale_is_by_its_field(client: Any, clinic_dir: Path) -> None:
    """A bad locale is the loader's one line naming 'locale'; nothing is written."""
    before = (clinic_dir / "clinic.toml").read_bytes()
    answer = post(client, "/clinic", {"locale": "spanish"})
    assert answer.status_code == 400
    assert "'locale' is 'spanish'" in answer.json["error"]
    assert (clinic_dir / "clinic.toml").read_bytes() == before


def upload(client: Any, text: str, **form: str) -> Any:
    """POST a roster as the Workshop page's form does."""
    boundary = "----language-boundary-5d1"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
             .encode() for key, value in form.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="roster"; '
                 f'filename="taller.csv"\r\nContent-Type: text/csv\r\n\r\n{text}'
                 f"\r\n--{boundary}--\r\n".encode())
    return client.post("/workshop/roster", base_url=BASE, headers={"Origin": BASE},
                       data=b"".join(parts),
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_workshop_language_and_a_rows_own(client: Any, clinic_dir: Path) -> None:
    """The Workshop's language applies to every row; a row's own language column wins."""
    html = client.get("/workshop", base_url=BASE).get_data(as_text=True)
    assert '<label for="language">Handout language</label>' in html
    roster = "name,stretches,language\nAna Silva,bridge,\nBo Chen,bridge,en\n"
    checked = upload(client, roster, language="xx")
    assert checked.status_code == 200 and checked.json["ready"] == 1  # Ana: unknown code
    assert UNKNOWN in checked.json["errors"][0]["message"]
    assert upload(client, roster, language="es").json["ready"] == 2
    started = post(client, "/workshop/run", {"roster": "taller", "language": "es",
                                             "date": "2026-11-30"})
    assert started.status_code == 200, started.json
    for _ in range(600):
        state = client.get(f"/workshop/jobs/{started.json['job']}", base_url=BASE).json
        if state["finished"]:
            break
        time.sleep(0.1)
    files = {row["name"]: row["file"] for row in state["rows"]}
    folder = clinic_dir / "workshops" / "taller"
    ana, ana_lang = pdf_text((folder / Path(files["Ana Silva"]).name).read_bytes())
    bo, bo_lang = pdf_text((folder / Path(files["Bo Chen"]).name).read_bytes())
    assert (ana_lang, bo_lang) == ("es-US", "en-US")
    assert "Puente" in ana and "Bridge" in bo


def test_sample_details_notice_points_to_the_clinic_page(client: Any, clinic_dir: Path) -> None:
    """With a clinic folder still holding sample details, New handout points to the Clinic
    page (not to a command-line flag)."""
    path = clinic_dir / "clinic.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[[therapists]]",
                                                             "sample = true\n\n[[therapists]]",
                                                             1), encoding="utf-8")
    html = client.get("/", base_url=BASE).get_data(as_text=True)
    assert "Put in your own on the <a href=\"/clinic\">Clinic</a> page" in html
    assert "--clinic" not in html


def test_saving_the_clinic_form_leaves_the_default_language_out(client: Any,
                                                                 clinic_dir: Path) -> None:
    """Saving the Clinic form with English (the default) chosen does not add
    default_language to a clinic.toml that had none."""
    assert post(client, "/clinic", {"phone": "(555) 010-9999",
                                    "default_language": "en"}).status_code == 200
    saved = load_toml(clinic_dir / "clinic.toml")
    assert saved["phone"] == "(555) 010-9999" and "default_language" not in saved


def test_clients_list_shows_language_and_why_a_file_fails(client: Any, clinic_dir: Path) -> None:
    """The Clients page shows each client's language, and for a file that cannot be read
    the loader's one line (not a command to run)."""
    assert post(client, "/handout/pdf", SPANISH).status_code == 200
    (clinic_dir / "clients" / "broken.toml").write_text('name = "Al"\nlayout = "poster"\n',
                                                        encoding="utf-8")
    html = client.get("/clients", base_url=BASE).get_data(as_text=True)
    assert '<span lang="es">Español</span>' in html
    assert "This client file cannot be read:" in html
    assert "&#39;layout&#39; is &#39;poster&#39;" in html and "build-handouts" not in html
