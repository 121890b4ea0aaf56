"""Benchmark: the web app's POST /api/handouts against a cold `build-handouts build`.

The app is started as users start it (``build-handouts serve --no-browser`` on a free port)
and asked over HTTP, with the token, for a 3-stretch handout (a different client each round);
the cold build is a whole ``build-handouts build`` process making the same handout. Rounds
alternate the two; a first round of each is not timed (it warms the disk cache, writes the
compiled bytecode and lets the app load its clinic once, as it does at the front desk).

It prints both medians and their ratio; the target is api ÷ cold ≤ 0.25. The last line is
``web_ratio=X.XX``.

    python bench/bench_web.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cold import NAMES, build_command, child_env  # noqa: E402

STRETCHES = ("kneeling-hip-flexor", "bridge", "cat-cow")
DATE = "2026-11-22"


def start_app(folder: Path) -> tuple[subprocess.Popen[str], str, str]:
    """``build-handouts serve`` on a free port: the process, its base address and token."""
    process = subprocess.Popen([*build_command(), "serve", "--port", "0", "--no-browser"],
                               cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=child_env(folder))
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("Open "):
        process.kill()
        raise SystemExit(f"serve did not start: {line!r}")
    address, _, token = line.removeprefix("Open ").partition("/?token=")
    return process, address, token


def api_call(address: str, token: str, name: str) -> float:
    """Seconds for one POST /api/handouts answering the PDF."""
    body = json.dumps({"name": name, "stretches": list(STRETCHES), "date": DATE}).encode()
    request = urllib.request.Request(f"{address}/api/handouts", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        pdf = answer.read()
    seconds = time.perf_counter() - start
    assert pdf.startswith(b"%PDF"), "the API did not answer a PDF"
    return seconds


def cold_build(folder: Path, name: str, index: int) -> float:
    """Seconds for one whole ``build-handouts build`` process (same handout)."""
    cmd = [*build_command(), "build", "--client", name, "--date", DATE, "--force",
           "-o", str(folder / f"cold-{index}.pdf")]
    for sid in STRETCHES:
        cmd += ["--stretch", sid]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=folder, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=child_env(folder))
    return time.perf_counter() - start


def main() -> None:
    """Run the rounds and print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        folder = Path(tmp)
        process, address, token = start_app(folder)
        try:
            api_call(address, token, "Warm Up")
            cold_build(folder, "Warm Up", 0)
            api, cold = [], []
            for index in range(1, args.rounds + 1):
                name = NAMES[index % len(NAMES)]
                api.append(api_call(address, token, name))
                cold.append(cold_build(folder, name, index))
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    api_median, cold_median = statistics.median(api), statistics.median(cold)
    print(f"rounds: {args.rounds}, stretches: {', '.join(STRETCHES)}")
    print(f"api  POST /api/handouts  median {api_median * 1000:7.1f} ms "
          f"(min {min(api) * 1000:.1f}, max {max(api) * 1000:.1f})")
    print(f"cold build-handouts build median {cold_median * 1000:7.1f} ms "
          f"(min {min(cold) * 1000:.1f}, max {max(cold) * 1000:.1f})")
    ratio = api_median / cold_median
    print(f"api / cold = {ratio:.3f} (target <= 0.25: {'met' if ratio <= 0.25 else 'NOT met'})")
    print(f"web_ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
