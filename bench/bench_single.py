"""Benchmark: one warm handout (5 stretches with pictures) against a canvas floor and typst.

Three peers make the same handout from the same plan, in one warm process:

- product: ``render_handout(plan, renderer)``, with one Renderer for the run (as a batch
  worker or the web app keeps one);
- floor: the same handout drawn on a bare reportlab canvas (bench/canvas_floor.py): the same
  words, fonts, pictures, QR code, tick boxes, warning signs, box fills and borders, header
  band, footers with "Page X of Y", bookmarks and links, laid out by a greedy line breaker;
- typst: the same plan typeset by typst's Python binding (bench/typst_handout.py), tagged PDF.

Before timing, the bench checks that the floor draws what the product draws (pages within ±1,
words within 3%, the drawing operators re/f/S/Do/BT comparable, no literal ``**``) and stops
with an error if it does not; typst is held to pages and words. Each round builds a fresh plan
for a different client (name and note) and runs the three peers in a shuffled order. The last
line is ``ratio_floor=X.XX ratio_typst=Y.YY``: product ÷ floor and product ÷ typst, medians.

    python bench/bench_single.py [--rounds 30] [--seed 14]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from canvas_floor import draw_floor  # noqa: E402
from pdf_contents import Bounds, compare, contents, describe  # noqa: E402
from ratios import closing_ratios  # noqa: E402
from typst_handout import TypstPeer, available  # noqa: E402

from handouts.build import load_request, plan_handout, render_handout  # noqa: E402
from handouts.models import Options, Plan  # noqa: E402
from handouts.renderer import Renderer  # noqa: E402

FIVE = ("lunge", "kneeling-hip-flexor", "bridge", "cat-cow", "bed-edge-hang")
DATE = _dt.date(2026, 11, 22)
FIRST = ("Jane", "Omar", "Mei", "Zoë", "Kwame", "Ana", "Lars", "Priya", "Tomás", "Ruth", "Ivan")
LAST = ("Doe", "Haddad", "Lin", "Øvergård", "Mensah", "Souza", "Berg", "Iyer", "Ruiz", "Cohen",
        "Petrov", "Nakamura", "O'Neill")
SIDES = ("left", "right")
EXTRA = ("Walk for ten minutes after lunch.", "Use a pillow under your knees at night.",
         "Take the stairs slowly this week.", "Sit on a firm chair at work.", "")


def client(n: int) -> tuple[str, str]:
    """A different client name and note for round ``n``."""
    name = f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}"
    note = (f"Go gently on the {SIDES[n % 2]} side, {n % 7 + 2} minutes a day. "
            f"{EXTRA[n % len(EXTRA)]}").strip()
    return name, note


def make_plan(n: int) -> Plan:
    """A fresh plan for round ``n``: five stretches with pictures, a new client."""
    name, note = client(n)
    clinic, person, library = load_request(None, None, name, FIVE, note)
    return plan_handout(clinic, person, library, Options(date=DATE))


def timed(fn: Callable[[Plan], bytes], plan: Plan) -> tuple[float, float, bytes]:
    """Wall-clock and CPU milliseconds (all threads of this process) for one call, its PDF.

    CPU time shows whether a peer uses more than one core: typst may lay out in parallel.
    """
    start, cpu = time.perf_counter(), time.process_time()
    pdf = fn(plan)
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000, pdf


def check(outputs: dict[str, bytes], label: str) -> None:
    """Print what each peer drew; stop if the floor (or typst) drifts from the product."""
    found = {name: contents(pdf) for name, pdf in outputs.items()}
    print(f"self-check ({label}):")
    for name in ("product", "floor", "typst"):
        if name in found:
            print("  " + describe(name, found[name]))
    floor = compare(found["product"], found["floor"], Bounds())
    if floor:
        sys.exit("error: the floor no longer draws the product's handout: " + "; ".join(floor)
                 + ". Fix bench/canvas_floor.py before trusting ratio_floor.")
    if "typst" in found:
        peer = compare(found["product"], found["typst"], Bounds(), ops=False)
        if peer:
            sys.exit("error: the typst handout does not match the product's: "
                     + "; ".join(peer) + ". Fix bench/typst_handout.py.")


def summary(name: str, times: list[float]) -> str:
    """Median, quartiles and fastest of one peer's times."""
    q = statistics.quantiles(times, n=4)
    return (f"{name:<8} median {statistics.median(times):7.2f} ms  "
            f"(quartiles {q[0]:.2f}–{q[2]:.2f}, fastest {min(times):.2f}, n={len(times)})")


def environment() -> str:
    """What the numbers depend on: Python, reportlab and its C accelerator, typst."""
    import platform

    import reportlab
    from reportlab.lib import rl_accel

    if getattr(rl_accel.fp_str, "__module__", "") == "_rl_accel":  # the rl_accel package's
        accel = "rl_accel C extension"
    else:
        accel = "no rl_accel C extension (pure-Python stringWidth and number formatting)"
    try:
        import typst

        peer = f"typst {getattr(typst, '__version__', '?')}"
    except ImportError:
        peer = "typst not installed"
    return (f"python {platform.python_version()}, reportlab {reportlab.Version} ({accel}), "
            f"{peer}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14, help="for the shuffled order")
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds: use at least 2 (30 gives stable medians)")
    rng = random.Random(args.seed)
    # The tool's disk cache is for cold starts; this warm bench keeps it out of the home folder.
    os.environ.setdefault("PSOAS_HANDOUTS_CACHE", "off")
    renderer = Renderer()  # one per run, warm, as in a batch worker or the web app
    first = make_plan(0)
    peers: dict[str, Callable[[Plan], bytes]] = {
        "product": lambda plan: render_handout(plan, renderer).pdf,
        "floor": lambda plan: draw_floor(plan, renderer),
    }
    why_not = available()
    typst_peer = None
    if not why_not:
        typst_peer = TypstPeer(first)
        peers["typst"] = typst_peer.render
    print(environment())
    print(f"handout: {len(FIVE)} stretches with pictures; {args.rounds} rounds after "
          f"{args.warmup} warm-up rounds; a new client and plan each round; order shuffled "
          f"(seed {args.seed})")
    try:
        check({name: fn(first) for name, fn in peers.items()}, f"client 0: {client(0)[0]}")
        for n in range(1, args.warmup + 1):
            plan = make_plan(n)
            for fn in peers.values():
                fn(plan)
        times: dict[str, list[float]] = {name: [] for name in peers}
        cpu: dict[str, list[float]] = {name: [] for name in peers}
        sizes: dict[str, list[int]] = {name: [] for name in peers}
        last: dict[str, bytes] = {}
        for n in range(args.warmup + 1, args.warmup + 1 + args.rounds):
            plan = make_plan(n)
            order = list(peers)
            rng.shuffle(order)
            gc.collect()
            for name in order:
                ms, cpu_ms, pdf = timed(peers[name], plan)
                times[name].append(ms)
                cpu[name].append(cpu_ms)
                sizes[name].append(len(pdf))
                last[name] = pdf
        check(last, f"last round: {plan.client.name}")
    finally:
        if typst_peer is not None:
            typst_peer.close()
    if hasattr(os, "getloadavg"):  # other work on the machine skews wall-clock times
        print("load average (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    for name in peers:
        print(summary(name, times[name]) + f"  cpu {statistics.median(cpu[name]):.2f} ms  "
              f"{statistics.median(sizes[name]) / 1024:.1f} KB")
    # CPU time is steadier than wall-clock time on a busy machine: print its ratios too
    ratio_floor, ratio_typst = closing_ratios(times, cpu, "product", "floor", why_not)
    print(f"ratio_floor={ratio_floor:.2f} ratio_typst={ratio_typst}")


if __name__ == "__main__":
    main()
