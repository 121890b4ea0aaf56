"""Benchmark: a workshop batch as the issue measures it, printed as one table from one run.

Each batch runs as a fresh ``build-handouts batch`` process. While it runs, this script samples
the whole process tree (the batch and its workers) every 20 ms from /proc and keeps the peak of
the summed resident set size (RSS; shared pages count once per process, so this is the
pessimistic figure) and of the summed proportional set size (PSS; shared pages split between
the processes that share them). It also notes when the first attendee's file appears.

    python bench/bench_batch.py                      # 200 rows; memory at 1,000 and 10,000
    python bench/bench_batch.py --rows 50 --memory 100,1000   # a quick run

Needs Linux (/proc).
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
        writer.writerow(["Full name", "Email", "Stretches", "Note", "Large print"])
        for i in range(count):
            writer.writerow([f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"p{i}@example.com",
                             ";".join(rng.sample(IDS, rng.randint(2, 4))),
                             rng.choice(["", "", "Go gently on the left side.",
                                         "Hold a chair for balance."]),
                             "yes" if rng.random() < 0.05 else ""])
    return path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _memory(root: int) -> tuple[int, int, int]:
    """(RSS, PSS) in KB summed over ``root`` and all its descendants, and ``root``'s RSS."""
    tree = _children()
    todo, rss, pss, own = [root], 0, 0, 0
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                        own = own or int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss, own


def _busy() -> int:
    """CPU time (in clock ticks) the whole machine has spent busy so far."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


class Run:
    """One batch run: seconds, first file's time, peak RSS and PSS of the tree (KB), the
    tree's CPU seconds, and the CPU (in cores) other programs used meanwhile."""

    def __init__(self, roster_path: Path, out: Path, jobs: int):
        command = [sys.executable, str(ROOT / "build_handouts.py"), "batch", str(roster_path),
                   "--out-dir", str(out), "--jobs", str(jobs), "--date", "2026-11-22",
                   "--quiet"]
        busy = _busy()
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        self.first: float | None = None
        self.rss = self.pss = self.main = self.workers = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            rss, pss, main = _memory(process.pid)
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
            self.main, self.workers = max(self.main, main), max(self.workers, rss - main)
            if self.first is None and out.is_dir() and any(
                    name.endswith(".pdf") and not name.startswith("_")
                    for name in os.listdir(out)):
                self.first = time.perf_counter() - start
            time.sleep(0.02)
        self.seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        # The batch's own CPU includes its workers (it waits for them before it exits).
        self.cpu = usage.ru_utime + usage.ru_stime
        ticks = os.sysconf("SC_CLK_TCK")
        self.others = max(0.0, ((_busy() - busy) / ticks - self.cpu) / self.seconds)
        if process.returncode != 0:
            raise SystemExit(f"batch failed (exit {process.returncode})")


def fastest(roster_path: Path, out: Path, jobs: int, repeat: int) -> Run:
    """The fastest of ``repeat`` runs (other programs on a shared machine add noise)."""
    runs = []
    for number in range(repeat):
        runs.append(Run(roster_path, out.with_name(f"{out.name}-{number}"), jobs))
    return min(runs, key=lambda run: run.seconds)


def sizes(out: Path) -> tuple[int, int]:
    """(sum of the single files, size of the print file) in bytes."""
    singles = sum(p.stat().st_size for p in out.glob("*.pdf") if not p.name.startswith("_"))
    printed = sum(p.stat().st_size for p in out.glob("_print-file-*.pdf"))
    return singles, printed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200, help="rows for the speed-up")
    parser.add_argument("--memory", default="1000,10000",
                        help="two roster sizes for peak memory and its growth")
    parser.add_argument("--jobs", type=int, default=2, help="parallel jobs against 1")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each speed-up measurement; the fastest counts")
    args = parser.parse_args()
    small, large = (int(x) for x in args.memory.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        path = roster(base / "roster.csv", args.rows)
        one = fastest(path, base / "one", 1, args.repeat)
        many = fastest(path, base / "many", args.jobs, args.repeat)
        same = all((base / "one-0" / p.name).read_bytes() == p.read_bytes()
                   for p in (base / "many-0").glob("*.pdf"))
        singles, printed = sizes(base / "many-0")
        memory = {count: Run(roster(base / f"roster-{count}.csv", count),
                             base / f"mem-{count}", args.jobs) for count in (small, large)}
    first = many.first if many.first is not None else many.seconds
    speed = one.seconds / many.seconds
    growth_rss = memory[large].rss / memory[small].rss
    growth_pss = memory[large].pss / memory[small].pss
    cores = os.cpu_count()
    print(f"| measure ({cores} cores, --jobs {args.jobs}) | measured | target |")
    print("|---|---|---|")
    print(f"| speed-up, --jobs {args.jobs} vs --jobs 1, {args.rows} rows | {speed:.2f} "
          f"({one.seconds:.1f} s / {many.seconds:.1f} s) | ≥ 1.8 |")
    print(f"| first attendee's file on disk | {first:.2f} s of {many.seconds:.1f} s "
          f"({100 * first / many.seconds:.0f}%) | within 10% |")
    print(f"| peak memory, whole tree, {small:,} rows | RSS {memory[small].rss / 1024:.0f} MB, "
          f"PSS {memory[small].pss / 1024:.0f} MB | ≤ 200 MB |")
    print(f"| peak memory growth, {small:,} → {large:,} rows | RSS {growth_rss:.2f}×, "
          f"PSS {growth_pss:.2f}× ({memory[large].rss / 1024:.0f} MB, "
          f"{memory[large].pss / 1024:.0f} MB) | ≤ 1.2× |")
    print(f"\nCPU of the batch (main and workers): {one.cpu:.1f} s with 1 job, "
          f"{many.cpu:.1f} s with {args.jobs}; other programs used {one.others:.2f} and "
          f"{many.others:.2f} cores meanwhile ({memory[large].others:.2f} during the "
          f"{large:,}-row run)")
    for count, run in memory.items():
        print(f"{count:,} rows: peak RSS of the main process {run.main / 1024:.0f} MB, of the "
              f"workers together {run.workers / 1024:.0f} MB")
    print(f"identical files with 1 and {args.jobs} jobs: {same}; print file "
          f"{printed / 1e6:.1f} MB against {singles / 1e6:.1f} MB of single files "
          f"({printed / singles:.2f}×); {large:,} rows took {memory[large].seconds:.0f} s")


if __name__ == "__main__":
    main()
