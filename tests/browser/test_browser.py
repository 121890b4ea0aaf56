"""The web app in a real browser: Playwright for Python driving the system's Chromium (see
browserkit.py): a handout, a workshop, the clinic's details, keyboard, zoom and contrast."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

pytest.importorskip("playwright.sync_api")

from browserkit import (  # noqa: E402
    chromium,
    make_clinic,
    needs_chromium,
    open_tab,
    screenshot,
    serve,
)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The home folder the app runs with (the Clinic page names the file from there)."""
    return tmp_path_factory.mktemp("web") / "home"


@pytest.fixture(scope="module")
def clinic(home: Path) -> Path:
    """A clinic folder made by `build-handouts init` in ~/Documents/my-clinic, with a
    therapist and no sample flag."""
    return make_clinic(home)


@pytest.fixture(scope="module")
def address(clinic: Path, home: Path) -> Iterator[str]:
    """`build-handouts serve --no-browser` on a free port; its printed address."""
    with serve(clinic, home) as printed:
        yield printed


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium from the system's package, headless."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any, address: str) -> Iterator[Any]:
    """A fresh tab that opened the printed address (so it holds the token's cookie)."""
    with open_tab(browser, address) as tab:
        yield tab


def test_handout_with_a_condition_given_anyway_downloads_the_pdf(page: Any, clinic: Path,
                                                                 tmp_path: Path) -> None:
    """Make a handout for a client with a condition: the ruled-out stretch is greyed with its
    reason, "give it anyway" takes a reason, and the downloaded PDF is the handout."""
    assert page.url.endswith("/") and "token" not in page.url  # the token left the address
    page.fill("#name", "Maria Lopez")
    page.fill("#email", "maria@example.com")
    page.check("#cond-pregnancy-2")
    bridge = page.locator('.tile[data-stretch="bridge"]')
    assert "is-ruled" in (bridge.get_attribute("class") or "")
    why = bridge.locator('.ruled-why[data-condition="pregnancy-2"]')
    assert why.is_visible() and "Not safe with this condition: pregnancy" in why.inner_text()
    assert "Side-lying hip flexor stretch" in why.inner_text()
    page.check("#s-side-lying-hip-flexor")
    page.check("#s-bridge")
    error = page.locator('.field-error[data-for="stretches"]')
    error.wait_for(state="visible")
    assert "'bridge' is not safe with one of this client's conditions" in error.inner_text()
    page.check("#allow-bridge")
    page.fill("#reason-bridge", "cleared by her midwife")
    page.fill("#note", "Go gently on your left side.")
    assert page.inner_text("#note-count") == "28 of 1,000 characters"
    page.locator("#pages img").first.wait_for()
    page.locator("#quality").wait_for()
    assert error.is_hidden()
    # the summary in plain words: "1 warning", not "1 warnings"; no raw check ids
    counts = page.inner_text("#quality .q-counts")
    assert re.fullmatch(r"(No problems|1 problem|\d+ problems) and (no warnings|1 warning|"
                        r"\d+ warnings)\.", counts), counts
    assert not re.search(r"\b1 (problems|warnings)\b", counts)
    assert "Reading grade:" in page.inner_text("#quality .q-reading")
    assert page.locator("#quality .q-draft").is_hidden()
    assert "_" not in page.inner_text("#quality .q-list")
    screenshot(page, "new-handout", tmp_path)
    with page.expect_download() as download:
        page.click("#download")
    path = download.value.path()
    assert download.value.suggested_filename.startswith("maria-lopez-")
    reader = PdfReader(path)
    text = "".join(p.extract_text() for p in reader.pages)
    assert reader.metadata.title == "Your psoas: a take-home guide for Maria Lopez"
    assert "Go gently on your left side." in text and "Bridge" in text
    assert len(page.locator("#pages img").all()) == len(reader.pages)
    assert (clinic / "clients" / "maria-lopez.toml").is_file()


def test_spanish_handout_downloads_in_spanish(page: Any, clinic: Path, tmp_path: Path) -> None:
    """Choose Spanish: the tiles and conditions show Spanish words, the quality summary shows
    INFLESZ and the draft-translation warning, and the PDF is Spanish with /Lang es-US."""
    assert page.input_value("#language") == "en"
    page.fill("#name", "Rosa Díaz")
    page.select_option("#language", "es")
    page.locator('.tile[data-stretch="bridge"] .title', has_text="Puente").wait_for()
    assert page.inner_text('label[for="cond-pregnancy-2"] .cond-label') == "embarazo"
    page.check("#s-bridge")
    page.check("#s-cat-cow")
    page.locator("#pages img").first.wait_for()
    draft = page.locator("#quality .q-draft")
    draft.wait_for()
    assert "Draft translation (Español)" in draft.inner_text()
    assert "qualified medical translator" in draft.inner_text()
    assert "INFLESZ" in page.inner_text("#quality .q-reading")
    assert re.search(r"\b1 warnings?\b|no warnings|\d+ warnings",
                     page.inner_text("#quality .q-counts"))
    assert "1 warnings" not in page.inner_text("#quality .q-counts")
    # the planning warnings name stretches by their (Spanish) titles, not by ids
    listed = page.inner_text("#quality .q-list")
    assert "hip flexors" in listed and "request:" not in listed
    assert "chair-hip-flexor" not in listed
    texts = " ".join(page.locator("#pages .page-text").all_text_contents())
    assert "Puente" in texts
    screenshot(page, "new-handout-spanish", tmp_path)
    with page.expect_download() as download:
        page.click("#download")
    reader = PdfReader(download.value.path())
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert str(reader.trailer["/Root"]["/Lang"]) == "es-US"
    assert "Puente" in text and "Página 1 de" in text and "Bridge" not in text
    assert 'language = "es"' in (clinic / "clients" / "rosa-díaz.toml").read_text("utf-8")


def test_clients_page_starts_a_new_handout(page: Any, address: str, tmp_path: Path) -> None:
    """The Clients page lists saved clients; "New handout" starts from last time's choice."""
    page.click("text=Clients")
    page.wait_for_url(re.compile(r"/clients$"))
    row = page.locator("tr", has_text="Maria Lopez")
    assert row.count() == 1
    screenshot(page, "clients", tmp_path)
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"client=maria-lopez"))
    assert page.input_value("#name") == "Maria Lopez"
    assert page.is_checked("#s-bridge") and page.is_checked("#cond-pregnancy-2")


def test_keyboard_reaches_the_form_and_zoom_200_fits(browser: Any, address: str) -> None:
    """Tab reaches the skip link then the form; at 200% zoom (half the width) nothing
    scrolls sideways."""
    with open_tab(browser, address, viewport={"width": 640, "height": 900},
                  device_scale_factor=2) as tab:
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.className") == "skip"
        for _ in range(8):
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.id") == "name":
                break
        assert tab.evaluate("document.activeElement.id") == "name"
        for path in ("/", "/clients", "/workshop", "/clinic"):
            tab.goto(address.split("?")[0].rstrip("/") + path)
            assert tab.evaluate("document.documentElement.scrollWidth <= "
                                "document.documentElement.clientWidth")


def test_workshop_roster_with_a_bad_row_and_the_print_file(page: Any, tmp_path: Path) -> None:
    """Upload a roster with a bad row: the row is listed by its line; the run's print file
    downloads and holds the good rows' handouts."""
    roster = tmp_path / "happy-hips.csv"
    roster.write_text("Full name,Email,Stretches\nAna Silva,ana@example.com,bridge;lunge\n"
                      "Bo Chen,bo@example.com,brige\nCy Diaz,,cat-cow\n", encoding="utf-8")
    page.click("text=Workshop")
    page.set_input_files("#roster", str(roster))
    page.fill("#title", "Happy hips")
    page.click("#check")
    errors = page.locator("#checked .row-errors li")
    errors.first.wait_for()
    assert errors.count() == 1
    assert errors.first.inner_text().startswith(
        "Cannot be made: happy-hips.csv: line 3: unknown stretch 'brige'")
    assert page.inner_text("#checked .ready-line") == "2 of 3 rows are ready."
    assert "Fix them in your sign-up sheet" in page.inner_text("#checked .row-help")
    page.click("#run")
    page.locator("#results").wait_for()
    rows = page.locator("#results tbody tr")
    assert rows.count() == 3
    assert "failed" in rows.nth(1).inner_text()
    assert page.evaluate("document.getElementById('bar').value") == 2
    screenshot(page, "workshop", tmp_path, full=True)
    with page.expect_download() as download:
        page.click("#print-file")
    reader = PdfReader(download.value.path())
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Ana Silva" in text and "Cy Diaz" in text and "Bo Chen" not in text


def test_clinic_phone_change_shows_in_the_preview(page: Any, address: str, clinic: Path,
                                                  tmp_path: Path) -> None:
    """Change the clinic's phone and logo on the Clinic page and see the phone in the
    handout's preview; the page names the file it edits, which keeps its comments."""
    page.click("text=Clinic")
    shown = page.locator("#clinic-file")
    assert shown.inner_text() == str(Path("Documents", "my-clinic", "clinic.toml"))
    assert shown.get_attribute("title") == str((clinic / "clinic.toml").resolve())
    before = (clinic / "clinic.toml").read_text(encoding="utf-8")
    website = page.input_value("#website")
    page.fill("#website", "example.com")
    page.click("#save")
    error = page.locator('.field-error[data-for="website"]')
    error.wait_for(state="visible")
    assert error.inner_text().endswith("'website' must start with https:// (or http://) and "
                                       "have no spaces.")
    page.fill("#website", website)
    page.fill("#phone", "(555) 010-4242")
    page.click("#save")
    page.locator("#status", has_text="Saved").wait_for()
    assert error.is_hidden()
    # the logo: a file that is not a picture is an error in red; a PNG is used at once
    from PIL import Image

    (tmp_path / "logo.txt").write_text("not a picture", encoding="utf-8")
    Image.new("RGB", (900, 300), (31, 95, 122)).save(tmp_path / "logo.png")
    page.set_input_files("#logo", str(tmp_path / "logo.txt"))
    page.click("#upload-logo")
    page.locator("#logo-status.is-error", has_text="use PNG, JPG or SVG").wait_for()
    page.set_input_files("#logo", str(tmp_path / "logo.png"))
    page.click("#upload-logo")
    page.locator("#logo-now", has_text="Now: images/logo.png").wait_for()
    assert "is-error" not in (page.get_attribute("#logo-status", "class") or "")
    assert (clinic / "images" / "logo.png").is_file()
    after = (clinic / "clinic.toml").read_text(encoding="utf-8")
    assert [line for line in after.splitlines() if line.startswith("#")] == \
        [line for line in before.splitlines() if line.startswith("#")]
    assert '# logo = "images/logo.png"\nlogo = "images/logo.png"\n' in after
    assert 'phone = "(555) 010-4242"\n' in after
    screenshot(page, "clinic", tmp_path, full=True)
    page.click("text=New handout")
    page.fill("#name", "Phone Check")
    page.check("#s-bridge")
    words = page.locator("#pages .page-text").first
    words.wait_for(state="attached")
    texts = " ".join(page.locator("#pages .page-text").all_text_contents())
    assert "(555) 010-4242" in texts


def test_print_opens_the_pdf_for_the_print_dialog(page: Any) -> None:
    """Print loads the handout's PDF into the page for the browser's print dialog."""
    page.fill("#name", "Print Check")
    page.check("#s-cat-cow")
    page.evaluate("window.print = () => { window.printed = true; }")  # no dialog in tests
    page.click("#print")
    frame = page.locator("iframe.print-frame")
    frame.wait_for(state="attached")
    assert (frame.get_attribute("src") or "").startswith("blob:http://127.0.0.1:")
    assert page.locator("#status", has_text="The client is saved in Clients").count() == 1


CONTRAST = """() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  document.querySelectorAll("body *").forEach((el) => {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length || el.disabled || el.closest("[hidden]")) return;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || parseFloat(style.opacity) < 0.1) return;
    const [a, b] = [lum(parse(style.color).slice(0, 3)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) low.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
  });
  return low;
}"""


def test_text_contrast_meets_wcag_aa(page: Any, address: str) -> None:
    """Every visible text on every page has AA contrast with its background (4.5:1; 3:1 for
    large text), including a greyed ruled-out tile."""
    page.check("#cond-pregnancy-2")
    assert page.evaluate(CONTRAST) == []
    base = address.split("?")[0].rstrip("/")
    for path in ("/clients", "/workshop", "/clinic"):
        page.goto(base + path)
        assert page.evaluate(CONTRAST) == [], path
