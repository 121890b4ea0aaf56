"""Benchmark: a workshop batch with one job and with all cores, in the same run.

Prints handouts per second, the speed-up (single files and print file together), the print
file's size against the sum of the single files, and peak memory (maximum resident set size of
the process that ran the batch) at two roster sizes. Each measurement runs in a fresh process
so that memory and warm caches do not carry over. Needs a POSIX system (os.wait4).

    python bench/bench_batch.py [--attendees 500] [--memory 100,1000]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IDS = ["lunge", "kneeling-hip-flexor", "bridge", "cat-cow", "bed-edge-hang", "butterfly",
       "seated-stretch", "side-lying-stretch"]
FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Hiro", "Inès", "Jon",
         "Kemal", "Lena", "Nguyễn", "Zoë"]
LAST = ["Garcia", "Nguyen", "Smith", "Öberg", "Kowalski", "Brown", "Silva", "Ito", "Núñez"]


def roster(path: Path, count: int) -> Path:
    """A realistic roster: varied names, 2–4 stretches, some notes and large print."""
    rng = random.Random(count)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Full name", "Email", "Stretches", "Notes", "Large print"])
        for i in range(count):
            writer.writerow([f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"p{i}@example.com",
                             ";".join(rng.sample(IDS, rng.randint(2, 4))),
                             rng.choice(["", "", "Go gently on the left side.",
                                         "Hold a chair for balance."]),
                             "yes" if rng.random() < 0.05 else ""])
    return path


def run(roster_path: Path, out: Path, jobs: int) -> tuple[float, int]:
    """Run one batch in a fresh process; return (seconds, peak RSS in KB)."""
    command = [sys.executable, str(ROOT / "build_handouts.py"), "batch", str(roster_path),
               "--out-dir", str(out), "--jobs", str(jobs), "--date", "2026-11-22", "--quiet"]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"batch failed ({status})")
    return elapsed, usage.ru_maxrss


def sizes(out: Path) -> tuple[int, int]:
    """(sum of the single files, size of the print file) in bytes."""
    singles = sum(p.stat().st_size for p in out.glob("*.pdf") if not p.name.startswith("_"))
    printed = sum(p.stat().st_size for p in out.glob("_print-file-*.pdf"))
    return singles, printed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=500)
    parser.add_argument("--memory", default="100,1000", help="roster sizes for peak memory")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        path = roster(base / "roster.csv", args.attendees)
        one, rss_one = run(path, base / "one", 1)
        many, rss_many = run(path, base / "many", cores)
        same = all((base / "one" / p.name).read_bytes() == p.read_bytes()
                   for p in (base / "many").glob("*.pdf"))
        singles, printed = sizes(base / "one")
        print(f"{args.attendees} attendees: 1 job {one:.1f} s "
              f"({args.attendees / one:.1f} handouts/s); {cores} jobs {many:.1f} s "
              f"({args.attendees / many:.1f} handouts/s); speed-up {one / many:.2f}x; "
              f"identical output: {same}")
        print(f"print file {printed / 1e6:.1f} MB against {singles / 1e6:.1f} MB of single "
              f"files: {printed / singles:.2f}x")
        for count in (int(x) for x in args.memory.split(",") if x):
            path = roster(base / f"roster-{count}.csv", count)
            seconds, rss = run(path, base / f"mem-{count}", cores)
            print(f"{count} attendees, {cores} jobs: {seconds:.1f} s, peak memory of the main "
                  f"process {rss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
