"""Benchmark: one handout in-process against the floor, measured in the same run.

The floor draws the same content (the same section text, stretch steps and dose lines, the same
embedded fonts, the same vector pictures) straight onto a reportlab canvas at absolute
positions, with no platypus layout. Both run interleaved, warm, in one process; the script
prints medians, the ratio and the file sizes. Absolute times on shared machines drift, ratios
taken in one run do not.

    python bench/bench_single.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.utils import simpleSplit  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402

from handouts.build import dose_text, load_request, plan_handout, render_handout, section_context  # noqa: E402
from handouts.fonts import load_fonts  # noqa: E402
from handouts.models import Options, Plan  # noqa: E402
from handouts.renderer import Renderer  # noqa: E402
from handouts.resources import image_path, template_path  # noqa: E402
from handouts.styles import PAGES  # noqa: E402
from handouts.templating import render_template  # noqa: E402

FIVE = ("lunge", "kneeling-hip-flexor", "bridge", "cat-cow", "bed-edge-hang")


RENDERER = Renderer()  # one per run, warm, as in a batch worker or the web app


def make_plan(pictures: bool) -> Plan:
    """The five-stretch handout, with or without its pictures."""
    clinic, client, library = load_request(None, None, "Jane Doe", FIVE,
                                           "Go gently on the left side.")
    if not pictures:
        library = {k: dataclasses.replace(v, image=None) for k, v in library.items()}
    return plan_handout(clinic, client, library, Options(date=_dt.date(2026, 11, 22)))


def floor(plan: Plan) -> bytes:
    """The same content drawn directly on a canvas: the fastest reportlab can go."""
    picture = RENDERER.picture

    fonts = load_fonts(plan.clinic.fonts)
    width, height = PAGES[plan.paper]
    margin, size, lead = 43.2, 13.0, 18.5
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(width, height), invariant=1,
                         initialFontName=fonts.regular)
    y = height - margin

    def line(text: str, font: str = fonts.regular, font_size: float = size) -> None:
        nonlocal y
        for part in simpleSplit(text, font, font_size, width - 2 * margin):
            if y < margin + 40:
                c.drawString(margin, margin, "Page")
                c.showPage()
                y = height - margin
            c.setFont(font, font_size)
            c.drawString(margin, y, part)
            y -= lead

    context = section_context(plan)
    templates = template_path(plan.clinic.folder)
    images = image_path(plan.clinic.folder)
    for section in plan.sections:
        source = render_template(templates, f"sections/{section}.md.j2", context)
        for text in source.splitlines():
            if text.strip():
                line(text.lstrip("#- ").strip(), fonts.bold if text.startswith("#") else
                     fonts.regular)
        if section == "your-stretches":
            for item in plan.stretches:
                s = item.stretch
                if s.image:
                    path = images.find_image(s.image)
                    assert path is not None
                    pic = picture(path, fonts, 160)
                    if y - pic.height < margin + 40:
                        c.showPage()
                        y = height - margin
                    pic.drawOn(c, margin, y - pic.height)
                    y -= pic.height
                line(f"{item.number}. {s.title}", fonts.bold, 15.6)
                for text in (s.purpose, s.start, *s.steps, s.gentler, *s.cautions):
                    line(text)
                line(dose_text(item.dose), fonts.bold)
    c.showPage()
    c.save()
    return buffer.getvalue()


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    for pictures in (False, True):
        plan = make_plan(pictures)
        ours = render_handout(plan, RENDERER)
        base = floor(plan)
        for _ in range(3):  # warm caches (fonts, parsed pictures, templates)
            render_handout(plan, RENDERER)
            floor(plan)
        t_ours, t_floor = [], []
        for _ in range(args.rounds):
            t_floor.append(timed(floor, plan))
            t_ours.append(timed(render_handout, plan, RENDERER))
        ours_ms, floor_ms = statistics.median(t_ours), statistics.median(t_floor)
        label = "with pictures" if pictures else "before pictures"
        print(f"five stretches, {label}: handout {ours_ms:.1f} ms ({ours.pages} pages, "
              f"{len(ours.pdf) / 1024:.1f} KB); floor {floor_ms:.1f} ms "
              f"({len(base) / 1024:.1f} KB); ratio {ours_ms / floor_ms:.2f}x")


if __name__ == "__main__":
    main()
