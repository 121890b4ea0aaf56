"""The Clinic page's routes: details checked by the CLI's loader, the logo, email status."""

from __future__ import annotations

import io
import stat
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask")

from handouts.content import load_clinic  # noqa: E402
from handouts.web.app import create_app  # noqa: E402

TOKEN = "clinic-token-0123456789"
BASE = "http://127.0.0.1:8765"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def client(clinic_dir: Path) -> Any:
    """A browser-like client holding the token's cookie."""
    web = create_app(clinic_dir, TOKEN, 8765).test_client()
    web.get(f"/?token={TOKEN}", base_url=BASE)
    return web


def save(client: Any, **changes: Any) -> Any:
    """POST the Clinic form's details."""
    return client.post("/clinic", base_url=BASE, json=changes, headers={"Origin": BASE})


def upload_logo(client: Any, data: bytes, name: str) -> Any:
    """POST a logo as the page's form does (the body built here: see the workshop tests)."""
    boundary = "----logo-boundary-19c2"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="logo"; filename="{name}"'
            "\r\nContent-Type: application/octet-stream\r\n\r\n").encode() + data \
        + f"\r\n--{boundary}--\r\n".encode()
    return client.post("/clinic/logo", base_url=BASE, data=body, headers={"Origin": BASE},
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_page_shows_the_details(client: Any) -> None:
    """The Clinic page shows clinic.toml's values in labelled fields."""
    html = client.get("/clinic", base_url=BASE).get_data(as_text=True)
    assert 'value="(555) 010-0123"' in html and '<label for="phone">' in html
    assert "HANDOUTS_SMTP_PASSWORD" in html


def test_saving_checks_writes_and_keeps_the_old_file(client: Any, clinic_dir: Path) -> None:
    """A change is saved (0600) and the handout uses it; the old file is clinic.toml.bak."""
    before = (clinic_dir / "clinic.toml").read_bytes()
    answer = save(client, phone="(555) 010-9999", brand_color="#204080", disclaimer="")
    assert answer.status_code == 200
    path = clinic_dir / "clinic.toml"
    clinic = load_clinic(path)
    assert clinic.phone == "(555) 010-9999" and clinic.brand_color == "#204080"
    assert clinic.therapists[0].name == "Karen Stone"  # the rest of the file is kept
    assert clinic.address == "12 River Road\nMilltown, ST 00001"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (clinic_dir / "clinic.toml.bak").read_bytes() == before
    pdf = client.post("/api/handouts", base_url=BASE, json={"name": "Jane",
                                                            "stretches": ["bridge"]}).data
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "(555) 010-9999" in text


@pytest.mark.parametrize(("changes", "message"), [
    ({"phone": "x" * 41}, "'phone' is 41 characters long; use at most 40."),
    ({"brand_color": "blue"}, "'brand_color' is 'blue'; write a colour like \"#1F5F7A\"."),
    ({"website": "example.com"}, "'website' must start with https:// (or http://) and have "
     "no spaces."),
    ({"name": ""}, "'name' is missing. Add it, for example: name = \"...\""),
])
def test_bad_detail_is_the_loaders_line_and_nothing_is_written(
        client: Any, clinic_dir: Path, changes: dict[str, str], message: str) -> None:
    """A bad value is refused with the loader's message naming clinic.toml and the field."""
    before = (clinic_dir / "clinic.toml").read_bytes()
    answer = save(client, **changes)
    assert answer.status_code == 400
    assert answer.json == {"error": f"{clinic_dir / 'clinic.toml'}: {message}"}
    assert (clinic_dir / "clinic.toml").read_bytes() == before
    assert not (clinic_dir / "clinic.toml.bak").exists()


def test_logo_upload(client: Any, clinic_dir: Path) -> None:
    """A logo is kept as images/logo.svg and named in clinic.toml."""
    svg = (ROOT / "images" / "bridge.svg").read_bytes()
    answer = upload_logo(client, svg, "our logo.svg")
    assert answer.status_code == 200 and answer.json["logo"] == "images/logo.svg"
    assert (clinic_dir / "images" / "logo.svg").read_bytes() == svg
    assert load_clinic(clinic_dir / "clinic.toml").logo == (clinic_dir / "images" /
                                                            "logo.svg").resolve()


@pytest.mark.parametrize(("data", "name", "status", "message"), [
    (b"x" * (2 * 1024 * 1024 + 1), "big.png", 413,
     "the upload is larger than 2 MB; choose a smaller file."),
    (b"hello", "logo.gif", 400, "logo: '.gif' is not a picture the handout can print; use "
     "PNG, JPG or SVG."),
])
def test_bad_logo_is_refused(client: Any, clinic_dir: Path, data: bytes, name: str,
                             status: int, message: str) -> None:
    """An oversized or unsupported logo is refused with one line; nothing is kept."""
    answer = upload_logo(client, data, name)
    assert answer.status_code == status and answer.json == {"error": message}
    assert "logo" not in (clinic_dir / "clinic.toml").read_text(encoding="utf-8")


def test_damaged_logo_is_refused(client: Any, clinic_dir: Path) -> None:
    """A file that is not a readable picture is refused before clinic.toml names it."""
    answer = upload_logo(client, b"<svg", "our logo.svg")
    assert answer.status_code == 400
    assert answer.json == {"error": "logo: our logo.svg: this SVG cannot be read or has no "
                                    "size. Give the <svg> element a width and height or a "
                                    "viewBox."}
    assert "logo" not in (clinic_dir / "clinic.toml").read_text(encoding="utf-8")
    assert not list((clinic_dir / "images").glob("*logo*"))


def test_sample_clinic_cannot_be_edited(tmp_path: Path, monkeypatch: Any) -> None:
    """Without a clinic folder the page says how to make one."""
    monkeypatch.chdir(tmp_path)
    web = create_app(None, TOKEN, 8765).test_client()
    web.get(f"/?token={TOKEN}", base_url=BASE)
    answer = web.get("/clinic", base_url=BASE)
    assert answer.status_code == 400
    assert answer.json == {"error": "the app runs with the sample clinic; run build-handouts "
                                    "init my-clinic, then start the app with --clinic "
                                    "my-clinic."}


def page_form(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """What the page's Save button sends: every field, as the form shows clinic.toml."""
    form = {key: data.get(key, "") for key in ("name", "address", "phone", "email", "website",
                                                 "booking_url", "emergency_number",
                                                 "disclaimer", "locale")}
    form.update(brand_color=data.get("brand_color", "#1F5F7A").upper(),
                paper=data.get("paper", "letter"),
                default_layout=data.get("default_layout", "guide"),
                default_language=data.get("default_language", "en"))
    return {**form, **changes}


def comment_lines(text: str) -> list[str]:
    """Every comment line of a TOML text, in order."""
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.fixture
def init_dir(tmp_path: Path) -> Path:
    """A clinic folder as build-handouts init makes it (clinic.toml with its comments)."""
    from handouts.setup import create_clinic_folder

    create_clinic_folder(tmp_path / "my-clinic")
    return tmp_path / "my-clinic"


def test_saving_keeps_the_comments_and_changes_only_what_changed(init_dir: Path) -> None:
    """Saving init's commented clinic.toml keeps every comment and untouched line as written."""
    from handouts.schema import load_toml

    web = create_app(init_dir, TOKEN, 8765).test_client()
    web.get(f"/?token={TOKEN}", base_url=BASE)
    path = init_dir / "clinic.toml"
    before = path.read_text(encoding="utf-8")
    disclaimer = 'Licensed by the "State Board"\\ Ñandú 🌿\nsecond line'
    answer = save(web, **page_form(load_toml(path), phone="(555) 010-4242",
                                   disclaimer=disclaimer, locale="es-MX"))
    assert answer.status_code == 200, answer.json
    after = path.read_text(encoding="utf-8")
    assert comment_lines(after) == comment_lines(before)
    assert [line for line in after.splitlines() if line not in before.splitlines()] == [
        'phone = "(555) 010-4242"', 'locale = "es-MX"', 'disclaimer = """',
        'Licensed by the "State Board"\\\\ Ñandú 🌿', 'second line"""']
    assert [line for line in before.splitlines() if line not in after.splitlines()] == [
        'phone = "(555) 010-0199"']
    assert load_toml(path)["disclaimer"] == disclaimer
    clinic = load_clinic(path)
    assert clinic.phone == "(555) 010-4242" and clinic.locale == "es-MX"
    assert clinic.disclaimer == 'Licensed by the "State Board"\\ Ñandú 🌿 second line'
    assert (init_dir / "clinic.toml.bak").read_text(encoding="utf-8") == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("folder", ["init_dir", "clinic_dir"])
def test_saving_the_form_unchanged_leaves_the_file_alone(
        folder: str, request: pytest.FixtureRequest) -> None:
    """The form sent back as shown (defaults it shows included) rewrites nothing."""
    from handouts.schema import load_toml

    clinic = request.getfixturevalue(folder)
    web = create_app(clinic, TOKEN, 8765).test_client()
    web.get(f"/?token={TOKEN}", base_url=BASE)
    before = (clinic / "clinic.toml").read_bytes()
    assert save(web, **page_form(load_toml(clinic / "clinic.toml"))).status_code == 200
    assert (clinic / "clinic.toml").read_bytes() == before
    assert not (clinic / "clinic.toml.bak").exists()


def test_text_a_file_cannot_hold_is_refused(client: Any, clinic_dir: Path) -> None:
    """A value UTF-8 cannot hold (a lone surrogate) is one line; nothing is written."""
    before = (clinic_dir / "clinic.toml").read_bytes()
    answer = client.post("/clinic", base_url=BASE, headers={"Origin": BASE},
                         data='{"phone": "555 \\ud800"}', content_type="application/json")
    assert answer.status_code == 400
    assert answer.json == {"error": f"{clinic_dir / 'clinic.toml'}: these details cannot be "
                                    "written back exactly; edit the file in a text editor "
                                    "instead."}
    assert (clinic_dir / "clinic.toml").read_bytes() == before


def test_page_names_the_file_from_the_home_folder(clinic_dir: Path, monkeypatch: Any) -> None:
    """Under the home folder the page names clinic.toml from there (the full path on hover);
    elsewhere it gives the full path."""
    web = create_app(clinic_dir, TOKEN, 8765).test_client()
    web.get(f"/?token={TOKEN}", base_url=BASE)
    full = (clinic_dir / "clinic.toml").resolve()
    monkeypatch.setenv("HOME", str(clinic_dir.parent))
    html = web.get("/clinic", base_url=BASE).get_data(as_text=True)
    assert (f'<code id="clinic-file" title="{full}">{Path("clinic", "clinic.toml")}</code> '
            "in your home folder;") in html
    monkeypatch.setenv("HOME", str(clinic_dir / "elsewhere"))
    html = web.get("/clinic", base_url=BASE).get_data(as_text=True)
    assert f'<code id="clinic-file">{full}</code>;' in html and "home folder" not in html
