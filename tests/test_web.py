"""The web app's guard and JSON API, through Flask's test client (issue 12)."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

pytest.importorskip("flask")

from handouts.web.app import create_app  # noqa: E402

TOKEN = "test-token-0123456789"
BASE = "http://127.0.0.1:8765"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
THREE = ["kneeling-hip-flexor", "bridge", "cat-cow"]


@pytest.fixture
def app(clinic_dir: Path) -> Any:
    """The app for a clinic folder, as ``serve --clinic`` makes it."""
    return create_app(clinic_dir, TOKEN, 8765)


@pytest.fixture
def client(app: Any) -> Any:
    """A test client that talks to the bound address."""
    return app.test_client()


def get(client: Any, path: str, **kwargs: Any) -> Any:
    """GET with the token header at the bound address."""
    return client.get(path, base_url=BASE, headers={**AUTH, **kwargs.pop("headers", {})},
                      **kwargs)


def post(client: Any, path: str, body: Any, **kwargs: Any) -> Any:
    """POST JSON with the token header at the bound address."""
    return client.post(path, base_url=BASE, json=body,
                       headers={**AUTH, **kwargs.pop("headers", {})}, **kwargs)


# --- the guard ---------------------------------------------------------------------------

def test_no_token_is_401(client: Any) -> None:
    """A request without the token is refused with 401 and one line."""
    response = client.get("/api/stretches", base_url=BASE)
    assert response.status_code == 401
    assert response.json == {"error": "no token; open the address build-handouts serve "
                                      "printed, or send Authorization: Bearer TOKEN."}


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_wrong_token_is_401(client: Any, how: str) -> None:
    """A wrong token, as header or cookie, is refused with 401."""
    headers = {"Authorization": "Bearer wrong"} if how == "header" else {}
    if how == "cookie":
        client.set_cookie("handouts_token", "wrong", domain="127.0.0.1")
    response = client.get("/api/stretches", base_url=BASE, headers=headers)
    assert response.status_code == 401
    assert response.json == {"error": "wrong token; open the address build-handouts serve "
                                      "printed."}


def test_first_visit_sets_cookie_and_drops_token(client: Any) -> None:
    """?token= sets an HttpOnly SameSite=Strict cookie and redirects to the bare address."""
    response = client.get(f"/clients?token={TOKEN}&q=ann", base_url=BASE)
    assert response.status_code == 303
    assert response.headers["Location"] == "/clients?q=ann"
    cookie = response.headers["Set-Cookie"]
    assert f"handouts_token={TOKEN}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/clients?q=ann", base_url=BASE).status_code == 200  # the cookie works


def test_wrong_token_in_address_is_401(client: Any) -> None:
    """?token= with a wrong value sets nothing and is refused."""
    response = client.get("/?token=wrong", base_url=BASE)
    assert response.status_code == 401 and "Set-Cookie" not in response.headers


@pytest.mark.parametrize("host", ["evil.example:8765", "localhost:8765", "127.0.0.1:9999",
                                  "attacker.test"])
def test_foreign_host_is_403(client: Any, host: str) -> None:
    """A Host other than the bound address (DNS rebinding) is refused, even with the token."""
    response = client.get("/api/stretches", base_url=f"http://{host}", headers=AUTH)
    assert response.status_code == 403
    assert response.json == {"error": "the Host header must be 127.0.0.1:8765; open the "
                                      "address the app printed."}


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:9999", "null"])
def test_foreign_origin_is_403(client: Any, origin: str) -> None:
    """A state-changing request from another origin is refused, even with the token."""
    response = post(client, "/api/handouts", {"name": "Jane", "stretches": THREE},
                    headers={"Origin": origin})
    assert response.status_code == 403
    assert response.json == {"error": "this request came from another site; use the app's "
                                      "own pages."}


def test_own_origin_is_allowed(client: Any) -> None:
    """The app's own pages (Origin: the bound address) may post."""
    response = post(client, "/api/handouts", {"name": "Jane", "stretches": THREE},
                    headers={"Origin": BASE})
    assert response.status_code == 200


def test_log_lines_hold_method_path_status_only(client: Any, caplog: Any) -> None:
    """The log names method, path and status: no query string, token, name or note."""
    caplog.set_level(logging.INFO, logger="handouts.web")
    client.get(f"/?token={TOKEN}", base_url=BASE)
    post(client, "/api/handouts", {"name": "Zelda Quill", "note": "left hip sore",
                                   "stretches": THREE, "conditions": ["pregnancy-1"]})
    lines = [r.getMessage() for r in caplog.records if r.name == "handouts.web"]
    assert lines == ["GET / 303", "POST /api/handouts 200"]


def test_oversized_body_is_413(client: Any) -> None:
    """A body over the limit is refused before it is read."""
    response = client.post("/api/handouts", base_url=BASE, headers=AUTH,
                           data=b"x" * (6 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 413
    assert response.json == {"error": "the upload is larger than 5 MB; choose a smaller file."}


# --- the API -----------------------------------------------------------------------------

def test_api_stretches_lists_the_library(client: Any) -> None:
    """GET /api/stretches lists every stretch with its dose and range, like the CLI."""
    data = get(client, "/api/stretches").json
    assert len(data) == 14
    bridge = next(s for s in data if s["id"] == "bridge")
    assert {"title", "purpose", "cautions", "dose", "dose_range", "image"} <= set(bridge)


def test_api_conditions_lists_rules(client: Any) -> None:
    """GET /api/conditions lists each condition, what it rules out and safe alternatives."""
    data = get(client, "/api/conditions").json
    preg = next(c for c in data if c["id"] == "pregnancy-2")
    assert "bridge" in preg["rules_out"] and preg["alternatives"]
    assert not set(preg["alternatives"]) & set(preg["rules_out"])


def test_api_handouts_answers_a_pdf(client: Any) -> None:
    """POST /api/handouts answers the handout as application/pdf, readable by pypdf."""
    response = post(client, "/api/handouts", {
        "name": "Jane Doe", "email": "jane@example.com", "stretches": THREE,
        "note": "Go gently.", "large_print": False, "paper": "a4", "layout": "guide",
        "date": "2026-11-22"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Jane" in text and "Go gently." in text
    assert reader.metadata.title == "Your psoas: a take-home guide for Jane Doe"
    width = float(reader.pages[0].mediabox.width)
    assert abs(width - 595.3) < 1  # A4
    assert 'filename="jane-doe-2026-11-22.pdf"' in response.headers["Content-Disposition"]


def test_api_handout_is_the_cli_handout(client: Any, clinic_dir: Path, tmp_path: Path) -> None:
    """The API's PDF is byte for byte the one `build-handouts build` writes."""
    from click.testing import CliRunner

    from handouts.cli import main

    out = tmp_path / "cli.pdf"
    result = CliRunner().invoke(main, ["build", "--clinic", str(clinic_dir), "--client",
                                       "Jane Doe", "--stretch", "bridge", "--stretch",
                                       "cat-cow", "--date", "2026-11-22", "-o", str(out)])
    assert result.exit_code == 0, result.output
    response = post(client, "/api/handouts", {"name": "Jane Doe", "date": "2026-11-22",
                                              "stretches": ["bridge", "cat-cow"]})
    assert response.data == out.read_bytes()


def test_api_unknown_stretch_is_400(client: Any) -> None:
    """An unknown stretch is a 400 with the CLI's message (nearest id, valid ids)."""
    response = post(client, "/api/handouts", {"name": "Jane", "stretches": ["brige"]})
    assert response.status_code == 400
    assert response.json["error"].startswith(
        "request: unknown stretch 'brige'; did you mean 'bridge'? Valid ids: ball-release, ")


def test_api_ruled_out_stretch_without_reason_is_400(client: Any) -> None:
    """A stretch the condition rules out stops with the CLI's message and alternatives, its
    advice in the app's terms (the page's "Give it anyway", the API's key)."""
    response = post(client, "/api/handouts", {"name": "Jane Doe", "stretches": ["bridge"],
                                              "conditions": ["pregnancy-2"]})
    assert response.status_code == 400
    assert response.json == {"error": (
        "request: Jane Doe: 'bridge' is not safe with one of this client's conditions (its "
        "tile says which). Suggested "
        "instead: side-lying-hip-flexor, chair-hip-flexor, standing-hip-flexor. To give it "
        "anyway: tick \"Give it anyway\" on its tile and say why (in the API: \"allow\": "
        "{\"bridge\": \"why\"}).")}


def test_api_allow_needs_a_reason(client: Any) -> None:
    """allow with an empty reason is a 400 saying which stretch needs one."""
    response = post(client, "/api/handouts", {"name": "Jane", "stretches": ["bridge"],
                                              "conditions": ["pregnancy-2"],
                                              "allow": {"bridge": "  "}})
    assert response.status_code == 400
    assert response.json == {"error": "request: 'allow': 'bridge' needs a reason: say why "
                                      "this stretch is right for the client despite the "
                                      "condition."}


def test_api_allow_with_reason_builds_and_records_it(client: Any) -> None:
    """allow with a reason builds; the preview's quality report records that reason."""
    body = {"name": "Jane", "stretches": ["bridge", "lunge"], "conditions": ["pregnancy-2"],
            "allow": {"bridge": "cleared by her midwife"}}
    assert post(client, "/api/handouts", body).status_code == 200
    quality = post(client, "/api/quality", body).json
    assert quality["allowed"] == [{"stretch": "bridge", "condition": "pregnancy-2",
                                   "reason": "cleared by her midwife"}]


@pytest.mark.parametrize(("body", "message"), [
    ({"name": "Jane", "stretches": ["bridge"], "paper": "legal"},
     "request: 'paper' is 'legal'; use one of: letter, a4."),
    ({"name": "Jane", "stretches": ["bridge"], "note": "x" * 1001},
     "request: 'note' is 1001 characters long; use at most 1000."),
    ({"name": "Jane", "stretches": ["bridge"], "colour": "red"},
     "request: unknown key 'colour'; known keys: conditions, date, email, language, large_print, "
     "layout, leave_out, name, next_visit, note, pdf_password, stretches, therapist."),
    ({"name": "Jane", "stretches": ["bridge"], "date": "2026-13-01"},
     "request: 'date': '2026-13-01' is not a date; write it as YYYY-MM-DD."),
    ({"name": "Jane", "stretches": ["bridge"], "allow": ["bridge"]},
     "request: 'allow' must be an object of stretch id to reason, for example "
     '{"bridge": "cleared by her doctor"}.'),
    (["bridge"], "request: must be a JSON object with the client file's keys (for example "
     '{"name": "Jane Doe", "stretches": ["lunge"]}).'),
    ({"stretches": ["bridge"]}, "request: 'name' is missing. Add it, for example: "
     'name = "..."'),
])
def test_api_bad_request_is_the_one_line(client: Any, body: Any, message: str) -> None:
    """Bad fields are 400 with the schema's one-line message naming the field."""
    response = post(client, "/api/handouts", body)
    assert response.status_code == 400
    assert response.json == {"error": message}


def test_api_body_must_be_json(client: Any) -> None:
    """A body that is not JSON is a 400 saying so."""
    response = client.post("/api/handouts", base_url=BASE, headers=AUTH, data="name=Jane")
    assert response.status_code == 400
    assert response.json == {"error": "request: the body must be JSON (Content-Type: "
                                      "application/json)."}


def test_unknown_route_is_404_json(client: Any) -> None:
    """An unknown route is a 404 with one line."""
    response = get(client, "/api/nothing")
    assert response.status_code == 404 and response.json == {"error": "no such page or API "
                                                                       "route."}


def test_preview_answers_a_picture_per_page(client: Any) -> None:
    """POST /api/preview answers a PNG of each of the real PDF's pages."""
    data = post(client, "/api/preview", {"name": "Jane", "stretches": THREE}).json
    pdf = post(client, "/api/handouts", {"name": "Jane", "stretches": THREE}).data
    assert len(data["pages"]) == len(PdfReader(io.BytesIO(pdf)).pages)
    assert all(p.startswith("data:image/png;base64,iVBOR") for p in data["pages"])


def test_quality_answers_the_check_summary(client: Any) -> None:
    """POST /api/quality answers the quality check's counts and reading grades."""
    data = post(client, "/api/quality", {"name": "Jane", "stretches": THREE}).json
    assert data["failures"] == 0 and data["reading_grade"]
    assert data["pemat"]["met"] >= 1


def test_preview_error_is_the_one_line(client: Any) -> None:
    """The preview of a bad request answers 400 with the same line as the handout."""
    response = post(client, "/api/preview", {"name": "Jane", "stretches": ["brige"]})
    assert response.status_code == 400 and response.json["error"].startswith(
        "request: unknown stretch 'brige'")


def test_installed_wheel_ships_the_apps_pages() -> None:
    """A non-editable install carries the app's templates, CSS and JavaScript."""
    import json
    from importlib import metadata

    try:
        dist = metadata.distribution("psoas-handouts")
    except metadata.PackageNotFoundError:
        pytest.skip("not installed")
    direct = dist.read_text("direct_url.json")
    if direct and json.loads(direct).get("dir_info", {}).get("editable"):
        pytest.skip("editable install: files live in the source tree")
    names = {str(f) for f in dist.files or ()}
    for name in ("templates/handout.html", "templates/workshop.html", "templates/clinic.html",
                 "static/app.css", "static/handout.js"):
        assert f"handouts/web/{name}" in names


def test_browser_without_token_gets_a_page_saying_what_to_do(client: Any) -> None:
    """A browser opening a page without the token gets a short HTML page, not JSON."""
    response = client.get("/", base_url=BASE, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 401 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "no token; open the address build-handouts serve printed" in page
    assert "Each start makes a new one" in page


def test_only_the_apps_css_and_js_need_no_token(client: Any) -> None:
    """/static/ (the package's own CSS and JavaScript) is served without the token; a
    drawing, a page and the API are not."""
    css = client.get("/static/app.css", base_url=BASE)
    css.close()  # a static file is streamed from disk
    assert css.status_code == 200
    assert client.get("/images/bridge.svg", base_url=BASE).status_code == 401
    assert client.get("/clients", base_url=BASE).status_code == 401
    assert client.get("/static/app.css", base_url="http://evil.example").status_code == 403


def test_a_png_picture_is_decoded_before_threads_share_it(tmp_path: Path) -> None:
    """A raster picture (a clinic's PNG logo) is decoded when loaded, so the app's threads
    drawing it at once never race PIL's lazy first decode (it failed one preview in four)."""
    import threading

    from PIL import Image

    from handouts.art import load_picture
    from handouts.fonts import load_fonts

    path = tmp_path / "logo.png"
    Image.new("RGBA", (600, 200), (31, 95, 122, 200)).save(path)
    fonts = load_fonts(None)
    errors: list[Exception] = []
    for _ in range(20):
        reader = load_picture(path, fonts)[0]
        assert reader._data is not None and reader._dataA._data is not None

        def draw(shared: Any = reader) -> None:
            try:
                shared.getRGBData()
                shared._dataA.getRGBData()
            except Exception as error:  # noqa: BLE001 - any failure is the race
                errors.append(error)

        threads = [threading.Thread(target=draw) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
