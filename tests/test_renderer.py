"""The renderer owns rendering state: thread-safe, bounded, and it forgets client text."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from conftest import DAY, write
from handouts.build import load_request, plan_handout, render_handout
from handouts.models import Options, Plan
from handouts.renderer import Renderer
from pdf_checks import page_texts

STRETCH_SETS = [("lunge", "bridge"), ("cat-cow",), ("butterfly", "supine-towel-release"),
                ("bed-edge-hang", "seated-stretch", "ball-release"), ("leg-lowering",),
                ("side-lying-stretch", "kneeling-hip-flexor")]
NAMES = ["Ana Silva", "José Núñez", "Zoë Øvergård", "Nguyễn Thị Minh", "Дмитрий Орлов",
         "Mary-Ann O'Neil", "Bo Chen", "Li Wei"]


def varied_plans(count: int, clinic: Path | None = None) -> list[Plan]:
    """Plans that differ in client, stretches, note length, paper, print size and colour."""
    plans = []
    combos = itertools.product(NAMES, STRETCH_SETS, (False, True), ("letter", "a4"))
    for index, (name, stretches, large, paper) in enumerate(itertools.islice(combos, count)):
        note = f"Note for {name}: " + "Keep your back long and breathe out slowly. " * (
            index % 4 * 3)
        c, client, lib = load_request(clinic, None, name, stretches, note)
        plans.append(plan_handout(c, client, lib, Options(
            date=DAY, large_print=large and index % 3 == 0, paper=paper,
            grayscale=index % 5 == 0)))
    return plans


def test_48_handouts_from_8_threads_match_single_threaded_bytes() -> None:
    """One renderer shared by 8 threads renders 48 varied handouts, each byte-identical."""
    plans = varied_plans(48)
    alone = [render_handout(plan, Renderer()).pdf for plan in plans]
    shared = Renderer()
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda plan: render_handout(plan, shared).pdf, plans))
    assert [a == b for a, b in zip(alone, together, strict=True)] == [True] * len(plans)
    assert len(set(alone)) == len(plans)  # the inputs really differ


def test_warm_renderer_gives_the_same_bytes_as_a_fresh_one() -> None:
    """Reusing a renderer (its caches warm) never changes a handout's bytes."""
    plans = varied_plans(12)
    warm = Renderer()
    for plan in plans:  # warm every cache first
        render_handout(plan, warm)
    for plan in reversed(plans):
        assert render_handout(plan, warm).pdf == render_handout(plan, Renderer()).pdf


def test_no_client_text_is_kept_after_a_build() -> None:
    """After a build the paragraph cache holds none of the client's name or note words."""
    renderer = Renderer()
    c, client, lib = load_request(None, None, "Zebulon Quartermaine",
                                  ("lunge", "bridge"), "Your sciatica flared after the fall")
    plan = plan_handout(c, client, lib, Options(date=DAY))
    render_handout(plan, renderer)
    texts = " ".join(renderer.paragraphs.texts())
    assert len(renderer.paragraphs) > 20  # section texts and steps are kept
    for word in ("Zebulon", "Quartermaine", "sciatica"):
        assert word not in texts


def test_caches_are_bounded() -> None:
    """The paragraph and picture caches never grow past their limits."""
    renderer = Renderer(paragraph_limit=30, picture_limit=3)
    for plan in varied_plans(6):
        render_handout(plan, renderer)
        assert len(renderer.paragraphs) <= 30
        assert len(renderer._pictures) <= 3


def test_two_renderers_share_nothing() -> None:
    """A new renderer starts empty whatever another one has cached."""
    busy = Renderer()
    render_handout(varied_plans(1)[0], busy)
    fresh = Renderer()
    assert len(busy.paragraphs) > 0 and len(fresh.paragraphs) == 0
    assert len(fresh._pictures) == 0


def test_long_paragraph_splits_across_pages_in_large_print(clinic_dir: Path) -> None:
    """A clinic's 12-sentence paragraph splits across pages in large print, text complete."""
    sentences = [f"Sentence {n} says that gentle work can help a tight hip feel easier today."
                 for n in range(1, 13)]
    write(clinic_dir / "templates" / "sections" / "how-massage-helps.md.j2",
          "## How massage can help\n\n" + " ".join(sentences * 3) + "\n")
    plans = varied_plans(1, clinic_dir / "clinic.toml")
    plan = replace(plans[0], large_print=True)
    renderer = Renderer()
    for _ in range(2):  # the second build takes the parsed markup from the cache
        pdf = render_handout(plan, renderer).pdf
    text = " ".join(" ".join(page.split()) for page in page_texts(pdf))
    positions = [text.find(f"Sentence {n} says") for n in range(1, 13)]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert text.count("Sentence 12 says") == 3
