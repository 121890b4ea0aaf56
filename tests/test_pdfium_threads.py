"""PDFium is not thread-safe, and the app uses it from two threads at once (a handout's
preview pages and its quality check, whose build measures the drawings' figures): every use
holds one lock, so the server never dies of corrupted memory (it did, with "malloc():
unsorted double linked list corrupted", when the guide's cards began measuring figures)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent("""
    import sys, threading
    sys.path.insert(0, "tests")
    from test_layouts import LIBRARY, RENDERER, render
    from handouts.figure import _measure
    from handouts.fonts import load_fonts
    from handouts.resources import image_path
    from handouts.web.api import page_images

    fonts = load_fonts(None)
    pictures = [RENDERER.picture(image_path(None).find_image(LIBRARY[sid].image), fonts, 200.0)
                for sid in sorted(LIBRARY)]
    pdf = render(("bridge", "lunge", "cat-cow")).pdf
    failed = []

    def measure():
        try:
            for _ in range(12):
                for picture in pictures:
                    _measure(picture)
        except Exception as error:  # (a thread's error would pass unseen)
            failed.append(error)

    def preview():
        try:
            for _ in range(12):
                page_images(pdf)
        except Exception as error:
            failed.append(error)

    threads = [threading.Thread(target=f) for f in (measure, preview, measure, preview)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("ok" if not failed else failed)
""")


def test_figures_and_previews_in_threads_at_once_never_crash(tmp_path: Path) -> None:
    """Two threads measuring figures and two rendering preview pages at once, in a process
    of their own (a crash would take the test run with it): it ends normally."""
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                            text=True, timeout=300,
                            env={"PSOAS_HANDOUTS_CACHE": "off", "PATH": "/usr/bin:/bin",
                                 "HOME": str(tmp_path)})
    assert result.returncode == 0 and result.stdout.strip() == "ok", (
        result.returncode, result.stderr[-500:])
