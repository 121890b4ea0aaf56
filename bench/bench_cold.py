"""Benchmark: a cold `build-handouts build`, as whole processes, against bare reportlab and typst.

Each round runs, in a shuffled order and each in a fresh process:

- build:  ``build-handouts build --client NAME --stretch bridge --stretch lunge -o FILE``
  (the sample clinic; a different client each round);
- import: ``python -c "import reportlab.pdfgen.canvas"`` (the least any reportlab tool pays);
- typst:  ``python -c "import typst; typst.compile(...)"`` compiling a comparable two-stretch
  handout (bench/typst_handout.py; the source is written before the clock starts), if the
  typst binding is installed (``pip install '.[bench]'``).

It prints each one's median, the ratios build ÷ import and build ÷ typst, and the imports of
the build command that take the most cumulative time (``python -X importtime``). A first round
is not timed: it warms the disk cache and writes compiled bytecode (into the bench's temporary
folder, even where PYTHONDONTWRITEBYTECODE is set), as any installed copy has after one run.
The last line is ``cold_ratio=X.XX cold_ratio_typst=Y.YY``.

    python bench/bench_cold.py [--rounds 15] [--top 20]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ratios import closing_ratios  # noqa: E402

STRETCHES = ("bridge", "lunge")
NAMES = ("Jane Doe", "Omar Haddad", "Mei Lin", "Zoë Øvergård", "Kwame Mensah", "Ana Souza",
         "Lars Berg", "Priya Iyer", "Tomás Ruiz", "Ruth Cohen")
TYPST_RUN = ("import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
             "root=sys.argv[3], font_paths=sys.argv[4:], ignore_system_fonts=True)")


def build_command() -> list[str]:
    """The installed ``build-handouts`` script (next to this Python), else ``-m handouts``."""
    script = Path(sys.executable).parent / "build-handouts"
    if script.is_file():
        return [str(script)]
    found = shutil.which("build-handouts")
    return [found] if found else [sys.executable, "-m", "handouts"]


def _child_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def child_env(folder: Path) -> dict[str, str]:
    """The environment for the timed processes: bytecode and the tool's disk cache may be
    written, into ``folder``.

    With PYTHONDONTWRITEBYTECODE set (as on the development machines) an editable install's
    modules would be compiled from source in every process, which no installed copy does;
    PYTHONPYCACHEPREFIX keeps the compiled files in the bench's temporary folder, out of the
    source tree, and the untimed first round fills it.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    # The tool's disk cache (pictures, QR code) also lives in the bench's folder: the untimed
    # first round fills it, as a therapist's first build does (pass --no-disk-cache to time
    # every build as a first one).
    env.setdefault("PSOAS_HANDOUTS_CACHE", str(folder / "cache"))
    return env


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds for one process from start to exit; it must succeed."""
    start, cpu = time.perf_counter(), _child_cpu()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False, env=child_env(cwd))
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"error: {' '.join(cmd[:3])}… failed ({done.returncode}): "
                 + done.stderr.decode("utf-8", "replace").strip()[-400:])
    return seconds, _child_cpu() - cpu


class TypstJob:
    """A two-stretch handout as a typst file, compiled by a fresh Python process each time."""

    def __init__(self, folder: Path):
        from typst_handout import TypstPeer, typst_source

        from handouts.build import load_request, plan_handout
        from handouts.fonts import builtin_fonts
        from handouts.models import Options

        clinic, person, library = load_request(None, None, NAMES[0], STRETCHES)
        self.plan = plan_handout(clinic, person, library, Options(date=_dt.date(2026, 11, 22)))
        self.peer = TypstPeer(self.plan)
        self.source = self.peer.folder / "handout.typ"
        self.source.write_text(typst_source(self.plan, self.peer.folder), encoding="utf-8")
        fonts = builtin_fonts()
        self.fonts = [str(fonts["regular"].parent), str(fonts["fallback"].parent)]
        self.out = folder / "typst.pdf"

    def command(self) -> list[str]:
        """The fresh-process compile."""
        return [sys.executable, "-c", TYPST_RUN, str(self.source), str(self.out),
                str(self.peer.folder), *self.fonts]

    def close(self) -> None:
        """Remove its files."""
        self.peer.close()


def import_times(cmd: list[str], cwd: Path, top: int) -> list[str]:
    """The build's imports with the most cumulative time (``-X importtime``), as lines."""
    # the script is a Python file; "-m handouts" already starts with this Python
    full = [sys.executable, "-X", "importtime", *(cmd[1:] if cmd[0] == sys.executable else cmd)]
    done = subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False, env=child_env(cwd))
    rows = []
    for line in done.stderr.decode("utf-8", "replace").splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if found:
            self_us, cum_us, indent, name = found.groups()
            rows.append((int(cum_us), int(self_us), len(indent) // 2, name))
    total = sum(cum for cum, _, depth, _ in rows if depth == 0)
    lines = [f"all imports (top level, cumulative): {total / 1000:.0f} ms",
             f"{'cumulative':>10} {'self':>7}  depth  module"]
    for cum, own, depth, name in sorted(rows, reverse=True)[:top]:
        lines.append(f"{cum / 1000:8.1f}ms {own / 1000:5.1f}ms  {depth:>5}  {name}")
    return lines


def check(build_pdf: Path, typst_pdf: Path | None) -> list[str]:
    """What the build and typst produced (pages, words); stop if they are not comparable."""
    from pdf_contents import compare, contents, describe

    found = {"build": contents(build_pdf.read_bytes())}
    if typst_pdf is not None:
        found["typst"] = contents(typst_pdf.read_bytes())
        problems = compare(found["build"], found["typst"], ops=False)
        if problems:
            sys.exit("error: the typst handout is not comparable to the build's: "
                     + "; ".join(problems) + ". Fix bench/typst_handout.py.")
    return ["self-check (last round's files):"] + [f"  {describe(k, v)}"
                                                   for k, v in found.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--top", type=int, default=20, help="imports to list")
    parser.add_argument("--seed", type=int, default=14, help="for the shuffled order")
    parser.add_argument("--no-disk-cache", action="store_true",
                        help="time builds with the tool's disk cache off (every build a first)")
    args = parser.parse_args()
    if args.no_disk_cache:
        os.environ["PSOAS_HANDOUTS_CACHE"] = "off"
    if args.rounds < 2:
        parser.error("--rounds: use at least 2 (15 gives stable medians)")
    rng = random.Random(args.seed)
    build = build_command()
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        folder = Path(tmp)  # no clinic.toml here: the sample clinic, as on a first run
        os.chmod(folder, 0o700)
        job = None
        why_not = ""
        try:
            import typst  # noqa: F401

            job = TypstJob(folder)
        except ImportError as exc:
            why_not = f"the typst Python binding is not installed ({exc}); pip install '.[bench]'"

        def build_round(n: int) -> list[str]:
            name = NAMES[n % len(NAMES)]
            out = folder / f"handout-{n}.pdf"
            return [*build, "build", "--client", name, *(a for s in STRETCHES
                                                           for a in ("--stretch", s)),
                    "-o", str(out)]

        try:
            commands = {"build": build_round, "import": lambda n: [
                sys.executable, "-c", "import reportlab.pdfgen.canvas"]}
            if job is not None:
                commands["typst"] = lambda n: job.command()  # type: ignore[union-attr]
            for make in commands.values():  # not timed: disk cache, bytecode
                run(make(0), folder)
            times: dict[str, list[float]] = {name: [] for name in commands}
            cpu: dict[str, list[float]] = {name: [] for name in commands}
            for n in range(1, args.rounds + 1):
                order = list(commands)
                rng.shuffle(order)
                for name in order:
                    wall, used = run(commands[name](n), folder)
                    times[name].append(wall)
                    cpu[name].append(used)
            breakdown = import_times(build_round(args.rounds + 1), folder, args.top)
            checked = check(folder / f"handout-{args.rounds}.pdf",
                            job.out if job is not None else None)
        finally:
            if job is not None:
                job.close()
    print(f"cold runs: {args.rounds} rounds, interleaved in a shuffled order (seed {args.seed}), "
          f"each a fresh process; python {sys.version.split()[0]}; compiled bytecode kept "
          "(PYTHONPYCACHEPREFIX in a temporary folder); the tool's disk cache "
          + ("off" if args.no_disk_cache else "filled by the untimed first round"))
    if hasattr(os, "getloadavg"):  # other work on the machine skews wall-clock times
        print("load average (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("command: " + " ".join(Path(build[0]).name if i == 0 else part
                                 for i, part in enumerate(build))
          + " build --client NAME --stretch bridge --stretch lunge -o FILE")
    for name, values in times.items():
        q = statistics.quantiles(values, n=4)
        print(f"{name:<7} median {statistics.median(values) * 1000:7.0f} ms  (quartiles "
              f"{q[0] * 1000:.0f}–{q[2] * 1000:.0f}, fastest {min(values) * 1000:.0f})  "
              f"cpu {statistics.median(cpu[name]) * 1000:.0f} ms")
    print("\n".join(checked))
    print("\n".join(breakdown))
    ratio, ratio_typst = closing_ratios(times, cpu, "build", "import", why_not)
    print(f"cold_ratio={ratio:.2f} cold_ratio_typst={ratio_typst}")


if __name__ == "__main__":
    main()
