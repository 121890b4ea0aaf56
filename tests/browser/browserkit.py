"""What the browser tests share: the system's Chromium, the app started as a therapist starts
it (`build-handouts serve`), a clinic folder made by `build-handouts init`, and screenshots.

(Not a conftest.py: the tests above import the top conftest by name, and a second conftest
module would take its place.) No browser is downloaded: the tests use Debian's ``chromium``
(``.ci/run`` installs it with apt-get when it is missing) and skip, saying why, only where it
is not installed. A page's screenshot goes to $HANDOUTS_SCREENSHOTS (docs/screenshots in the
README) or to the test's tmp_path.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# A shared 2-core machine under load can take several seconds for a preview; waits are for
# something that will happen, so a generous limit only matters when a test is failing.
TIMEOUT_MS = 120_000
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (.ci/run "
                                    "installs Debian's chromium)")


def make_clinic(home: Path, smtp_port: int | None = None) -> Path:
    """`build-handouts init` in <home>/Documents/my-clinic (where a therapist keeps it), the
    sample flag off; with ``smtp_port``, an [smtp] table for a test server on loopback."""
    folder = home / "Documents" / "my-clinic"
    subprocess.run([sys.executable, "-m", "handouts", "init", str(folder)], check=True,
                   capture_output=True)
    text = (folder / "clinic.toml").read_text(encoding="utf-8")
    text = text.replace("sample = true", "sample = false")
    if smtp_port is not None:
        text += (f'\n[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "none"\n'
                 'from_address = "hello@example.com"\ntimeout_seconds = 10\n')
    (folder / "clinic.toml").write_text(text, encoding="utf-8")
    return folder


@contextmanager
def serve(clinic: Path, home: Path) -> Iterator[str]:
    """`build-handouts serve --no-browser` on a free port for ``clinic``, with ``home`` as the
    home folder; yields its printed address, then stops it with Ctrl-C."""
    process = subprocess.Popen(
        [sys.executable, "-m", "handouts", "serve", "--clinic", str(clinic), "--port", "0",
         "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "HOME": str(home)})
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("Open http://127.0.0.1:"), line
        yield line.removeprefix("Open ")
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


@contextmanager
def chromium() -> Iterator[Any]:
    """Chromium from the system's package, headless."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM,
                                              args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@contextmanager
def open_tab(browser: Any, address: str, **options: Any) -> Iterator[Any]:
    """A tab (1280x900 unless told) in a fresh context that opened ``address``, so it holds
    the token's cookie."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900},
                                     "accept_downloads": True, **options})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        tab = context.new_page()
        tab.goto(address)
        yield tab
    finally:
        context.close()


def screenshot(page: Any, name: str, tmp_path: Path, full: bool = False,
               part: str = "") -> Path:
    """Save this page's screenshot (small: 128 colours), or only the ``part`` (a CSS
    selector) it names, and return where."""
    from PIL import Image

    folder = Path(os.environ.get("HANDOUTS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    clip = None
    if part:  # the part with a margin of the page around it
        box = page.locator(part).bounding_box()
        clip = {"x": max(box["x"] - 16, 0), "y": max(box["y"] - 16, 0),
                "width": box["width"] + 32, "height": box["height"] + 32}
    picture = page.screenshot(full_page=full or bool(part), clip=clip)
    with Image.open(io.BytesIO(picture)) as shot:
        shot.convert("RGB").quantize(colors=128, method=2).save(target, optimize=True)
    return target
