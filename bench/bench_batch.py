"""Benchmark: a workshop batch as the issue measures it, printed as one table from one run.

Each batch runs as a fresh ``build-handouts batch`` process. While it runs, this script samples
the whole process tree (the batch and its workers) every 20 ms from /proc: the CPU time of each
process, when the first attendee's file appears and, in the memory runs, the peak of the summed
resident set size (RSS; shared pages count once per process, so this is the pessimistic figure)
and of the summed proportional set size (PSS; shared pages split between the processes that
share them).

The speed-up runs alternate (1 job, N jobs, N jobs, 1 job, …) so that a change in how busy
the machine is falls on both. Other programs on the machine slow the N-job run more than the
1-job one (it needs every core), so the speed-up is given two ways, both labelled:
- on wall time: the 1-job run's seconds over the N-job run's, best pair and median pair;
- on CPU time, two ways: "even" is N × the 1-job run's CPU seconds over the N-job run's (the
  speed-up if the work were shared evenly, cores to itself: it shows the work added by running
  in parallel); "critical" is the 1-job run's CPU seconds over those of the N-job run's main
  process plus its busiest worker (as if none of the main process's work overlapped the
  workers': it also shows an uneven share, though a busy machine that favours one worker
  makes it look uneven too). Other programs still inflate CPU time somewhat (shared caches).
Each run's line also gives the load average and the cores other programs used meanwhile.

    python bench/bench_batch.py                      # 200 rows; memory at 1,000 and 10,000
    python bench/bench_batch.py --rows 50 --memory 100,1000   # a quick run
    python bench/bench_batch.py --memory 1000        # memory at one size only (no growth)
    python bench/bench_batch.py --memory "" --repeat 5   # the speed-up only

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


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it (from each thread's children list in /proc)."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            threads = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for thread in threads:
            try:
                with open(f"/proc/{pid}/task/{thread}/children", encoding="ascii") as handle:
                    todo.extend(int(child) for child in handle.read().split())
            except OSError:
                continue
    return found


def _cpu_ticks(pid: int) -> int | None:
    """User and system CPU time of one process so far, in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def _memory(pids: list[int]) -> tuple[int, int, int]:
    """(RSS, PSS) in KB summed over ``pids``, and the first one's RSS."""
    rss = pss = own = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                        own = own or (int(line.split()[1]) if pid == pids[0] else 0)
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss, own


def _busy() -> tuple[int, int]:
    """CPU time (clock ticks) the whole machine has spent busy so far, and stolen by the host."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    steal = fields[7] if len(fields) > 7 else 0
    return sum(fields) - fields[3] - fields[4] - steal, steal  # idle, iowait, steal apart


def _load() -> float:
    with open("/proc/loadavg", encoding="ascii") as handle:
        return float(handle.read().split()[0])


class Run:
    """One batch run: seconds, first file's time, the tree's CPU seconds (main process and each
    worker), the CPU (in cores) other programs used meanwhile, the load average before and
    after, and in a memory run the peak RSS and PSS of the tree (KB)."""

    def __init__(self, roster_path: Path, out: Path, jobs: int, memory: bool = False):
        command = [sys.executable, str(ROOT / "build_handouts.py"), "batch", str(roster_path),
                   "--out-dir", str(out), "--jobs", str(jobs), "--date", "2026-11-22",
                   "--quiet"]
        self.jobs = jobs
        self.load_before = _load()
        busy, steal = _busy()
        own = time.process_time()
        start = time.perf_counter()
        errors = tempfile.TemporaryFile()  # its warnings, shown only if it fails
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        self.first: float | None = None
        self.rss = self.pss = self.main = self.workers = 0
        ticks_seen: dict[int, int] = {}
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            pids = _descendants(process.pid)
            for child in pids[1:]:
                ticks = _cpu_ticks(child)
                if ticks is not None:
                    ticks_seen[child] = ticks
            if memory:  # reading smaps costs CPU: only in the memory runs
                rss, pss, main = _memory(pids)
                self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
                self.main, self.workers = max(self.main, main), max(self.workers, rss - main)
            if self.first is None and out.is_dir() and any(
                    name.endswith(".pdf") and not name.startswith("_")
                    for name in os.listdir(out)):
                self.first = time.perf_counter() - start
            time.sleep(0.02)
        self.seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        self.bench_cpu = time.process_time() - own  # this script's own sampling
        self.load_after = _load()
        # The batch's own CPU includes its workers (it waits for them before it exits); a
        # worker's CPU is its last sample (it idles at the end, waiting to be stopped).
        self.cpu = usage.ru_utime + usage.ru_stime
        hz = os.sysconf("SC_CLK_TCK")
        self.worker_cpu = sorted((t / hz for t in ticks_seen.values()), reverse=True)
        self.main_cpu = max(0.0, self.cpu - sum(self.worker_cpu))
        busy_after, steal_after = _busy()
        self.others = max(0.0, ((busy_after - busy) / hz - self.cpu - self.bench_cpu)
                          / self.seconds)
        self.steal = (steal_after - steal) / hz / self.seconds
        errors.seek(0)
        lines = errors.read().decode("utf-8", "replace").splitlines()
        errors.close()
        if process.returncode != 0:
            raise SystemExit(f"batch failed (exit {process.returncode}): " + "\n".join(lines[-5:]))

    @property
    def critical_cpu(self) -> float:
        """CPU seconds of the main process plus its busiest worker (all of it with one job)."""
        return self.main_cpu + (self.worker_cpu[0] if self.worker_cpu else 0.0)

    def line(self) -> str:
        """One line about this run."""
        workers = " + ".join(f"{c:.1f}" for c in self.worker_cpu) or "none"
        return (f"--jobs {self.jobs}: {self.seconds:5.2f} s wall, CPU {self.cpu:5.2f} s (main "
                f"{self.main_cpu:.2f}, workers {workers}); other programs {self.others:.2f} "
                f"cores, steal {self.steal:.2f}, this script {self.bench_cpu:.2f} s; load "
                f"average {self.load_before:.2f} -> {self.load_after:.2f}")


def interleaved(roster_path: Path, out: Path, jobs: int, repeat: int) -> list[tuple[Run, Run]]:
    """``repeat`` pairs of (1-job run, N-job run), in the order 1 N, N 1, 1 N, …"""
    pairs = []
    for number in range(repeat):
        order = (1, jobs) if number % 2 == 0 else (jobs, 1)
        runs = {j: Run(roster_path, out.with_name(f"{out.name}-{j}-{number}"), j) for j in order}
        for j in order:
            print(f"  pair {number + 1}: {runs[j].line()}", file=sys.stderr, flush=True)
        pairs.append((runs[1], runs[jobs]))
    return pairs


def sizes(out: Path) -> tuple[int, int]:
    """(sum of the single files, size of the print file) in bytes."""
    singles = sum(p.stat().st_size for p in out.glob("*.pdf") if not p.name.startswith("_"))
    printed = sum(p.stat().st_size for p in out.glob("_print-file-*.pdf"))
    return singles, printed


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200, help="rows for the speed-up")
    parser.add_argument("--memory", default="1000,10000",
                        help="one or two roster sizes for peak memory (and its growth); "
                        "empty for none")
    parser.add_argument("--jobs", type=int, default=2, help="parallel jobs against 1")
    parser.add_argument("--repeat", type=int, default=3,
                        help="pairs of speed-up runs (1 job and N jobs, alternating)")
    args = parser.parse_args()
    counts = [int(x) for x in args.memory.split(",") if x.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        path = roster(base / "roster.csv", args.rows)
        pairs = interleaved(path, base / "speed", args.jobs, args.repeat)
        same = all((base / "speed-1-0" / p.name).read_bytes() == p.read_bytes()
                   for p in (base / f"speed-{args.jobs}-0").glob("*.pdf"))
        singles, printed = sizes(base / f"speed-{args.jobs}-0")
        memory = {count: Run(roster(base / f"roster-{count}.csv", count),
                             base / f"mem-{count}", args.jobs, memory=True) for count in counts}
    one = min((pair[0] for pair in pairs), key=lambda run: run.seconds)
    many = min((pair[1] for pair in pairs), key=lambda run: run.seconds)
    wall = [a.seconds / b.seconds for a, b in pairs]
    even = [args.jobs * a.cpu / b.cpu for a, b in pairs]
    cpu = [a.cpu / b.critical_cpu for a, b in pairs]
    firsts = [(b.first if b.first is not None else b.seconds) / b.seconds for _, b in pairs]
    first = many.first if many.first is not None else many.seconds
    cores = os.cpu_count()
    print(f"| measure ({cores} cores, --jobs {args.jobs}) | measured | target |")
    print("|---|---|---|")
    print(f"| speed-up, --jobs {args.jobs} vs --jobs 1, {args.rows} rows | wall time: "
          f"{one.seconds / many.seconds:.2f} fastest against fastest ({one.seconds:.1f} s / "
          f"{many.seconds:.1f} s), pairs {min(wall):.2f}–{max(wall):.2f}, median "
          f"{_median(wall):.2f}; CPU time: even {_median(even):.2f} "
          f"({min(even):.2f}–{max(even):.2f}), critical {_median(cpu):.2f} "
          f"({min(cpu):.2f}–{max(cpu):.2f}) (medians, range) | ≥ 1.8 |")
    print(f"| first attendee's file on disk | {first:.2f} s of {many.seconds:.1f} s "
          f"({100 * first / many.seconds:.0f}%; {100 * max(firsts):.0f}% at most) | "
          "within 10% |")
    small, large = (counts[0], counts[-1]) if counts else (0, 0)
    if counts:
        print(f"| peak memory, whole tree, {small:,} rows | RSS "
              f"{memory[small].rss / 1024:.0f} MB, PSS {memory[small].pss / 1024:.0f} MB | "
              "≤ 200 MB |")
    if large != small:
        growth_rss = memory[large].rss / memory[small].rss
        growth_pss = memory[large].pss / memory[small].pss
        print(f"| peak memory growth, {small:,} → {large:,} rows | RSS {growth_rss:.2f}×, "
              f"PSS {growth_pss:.2f}× ({memory[large].rss / 1024:.0f} MB, "
              f"{memory[large].pss / 1024:.0f} MB) | ≤ 1.2× |")
    print(f"\nSpeed-up on CPU time: even = {args.jobs} × 1-job CPU / {args.jobs}-job CPU; "
          f"critical = 1-job CPU / ({args.jobs}-job main process + busiest worker). Unlike "
          "wall time, neither drops when other programs take cores.")
    for number, (a, b) in enumerate(pairs, 1):
        print(f"pair {number}: wall {wall[number - 1]:.2f}, CPU even {even[number - 1]:.2f}, "
              f"critical {cpu[number - 1]:.2f}")
        print(f"  {a.line()}\n  {b.line()}")
    for count, run in memory.items():
        print(f"{count:,} rows ({run.seconds:.0f} s): peak RSS of the main process "
              f"{run.main / 1024:.0f} MB, of the workers together {run.workers / 1024:.0f} MB; "
              f"{run.line()}")
    print(f"identical files with 1 and {args.jobs} jobs: {same}; print file "
          f"{printed / 1e6:.1f} MB against {singles / 1e6:.1f} MB of single files "
          f"({printed / singles:.2f}×)")


if __name__ == "__main__":
    main()
