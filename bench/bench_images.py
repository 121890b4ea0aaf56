"""Benchmark: pictures as SVG (built in) against PNG and JPG photos, in the same run.

A clinic may replace the drawings with photos. reportlab re-compresses PNG pixels for every
document; the tool compresses each picture once per process. This prints the median time and
size of the five-stretch handout with each kind of picture, and the ratio to the SVG build.

    python bench/bench_images.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageFilter  # noqa: E402

from handouts.build import build_handout, load_request  # noqa: E402
from handouts.renderer import Renderer  # noqa: E402

RENDERER = Renderer()  # one per run: pictures are parsed once, as in a batch worker
from handouts.models import Options  # noqa: E402

FIVE = ("lunge", "kneeling-hip-flexor", "bridge", "cat-cow", "bed-edge-hang")
CLINIC = 'name = "Bench Clinic"\nphone = "(555) 010-0100"\n'


def photo(path: Path, seed: int) -> None:
    """A photo-like picture (noise, blurred): 700 × 525 pixels, ~300 ppi at card size."""
    rng = random.Random(seed)
    image = Image.effect_noise((700, 525), 60).convert("RGB")
    tint = Image.new("RGB", image.size, (rng.randrange(256), rng.randrange(256), 128))
    Image.blend(image, tint, 0.5).filter(ImageFilter.GaussianBlur(2)).save(path)


def folder(kind: str, root: Path) -> Path | None:
    """A clinic folder whose stretch pictures are photos of ``kind`` (None: built-in SVG)."""
    if kind == "svg":
        return None
    clinic = root / kind
    (clinic / "images").mkdir(parents=True)
    (clinic / "clinic.toml").write_text(CLINIC)
    for seed, sid in enumerate(FIVE):
        photo(clinic / "images" / f"{sid}.{kind}", seed)
    return clinic / "clinic.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        kinds = ("svg", "png", "jpg")
        requests = {k: load_request(folder(k, Path(tmp)), None, "Jane Doe", FIVE) for k in kinds}
        options = Options(date=_dt.date(2026, 11, 22))
        first = {}
        for kind in kinds:
            start = time.perf_counter()
            first[kind] = build_handout(*requests[kind], options, RENDERER)
            first[kind] = (first[kind], (time.perf_counter() - start) * 1000)
        times: dict[str, list[float]] = {k: [] for k in kinds}
        for _ in range(args.rounds):
            for kind in kinds:
                start = time.perf_counter()
                build_handout(*requests[kind], options, RENDERER)
                times[kind].append((time.perf_counter() - start) * 1000)
        base = statistics.median(times["svg"])
        for kind in kinds:
            rendered, cold = first[kind]
            ms = statistics.median(times[kind])
            print(f"{kind}: first build {cold:.0f} ms, then {ms:.1f} ms (x{ms / base:.2f} of SVG), "
                  f"{len(rendered.pdf) / 1024:.0f} KB, {rendered.pages} pages")


if __name__ == "__main__":
    main()
