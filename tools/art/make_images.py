"""Regenerate every picture in images/: python tools/art/make_images.py (from the repo root).

The output is deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from anatomy import anatomy  # noqa: E402
from poses import PICTURES  # noqa: E402

IMAGES = Path(__file__).resolve().parents[2] / "images"


def main() -> int:
    IMAGES.mkdir(exist_ok=True)
    pictures = {"anatomy": anatomy, **PICTURES}
    for name, build in pictures.items():
        text = build().svg()
        (IMAGES / f"{name}.svg").write_text(text, encoding="utf-8", newline="\n")
        print(f"images/{name}.svg  {len(text.encode())} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
