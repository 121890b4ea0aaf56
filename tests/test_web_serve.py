"""`build-handouts serve` as a real process: one line, loopback only, stops on Ctrl-C."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("waitress")


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listeners(port: int) -> list[str]:
    """The local addresses listening on ``port`` (Linux: /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def test_serve_listens_on_loopback_only_and_stops_on_sigint(clinic_dir: Path) -> None:
    """serve prints `Open http://127.0.0.1:PORT/?token=...`, listens on 127.0.0.1 only,
    answers with the token, and exits 0 on SIGINT (Ctrl-C)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "handouts", "serve", "--clinic", str(clinic_dir), "--port",
         str(port), "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        match = re.fullmatch(rf"Open http://127\.0\.0\.1:{port}/\?token=([A-Za-z0-9_-]{{40,}})",
                             line)
        assert match, line
        token = match.group(1)
        if Path("/proc/net/tcp").exists():
            assert listeners(port) == ["0100007F"]  # 127.0.0.1, and nothing on tcp6
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/stretches",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stretches", timeout=30)
        assert refused.value.code == 401
        refused.value.close()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Traceback" not in err and "Stopped." in err
    assert token not in err and "GET /api/stretches 200" in err
    assert "GET /api/stretches 401" in err


def test_serve_refuses_a_busy_port(clinic_dir: Path) -> None:
    """A port another program holds is one line and exit 1."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "handouts", "serve", "--clinic",
                               str(clinic_dir), "--port", str(port), "--no-browser"],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"error: port {port}: cannot listen there (Address already in use); another program "
        "may use it. Try --port 8766."]


def test_build_does_not_import_the_web_app(tmp_path: Path) -> None:
    """`build-handouts build` never imports Flask or waitress (only serve does)."""
    script = ("import sys\nfrom handouts.cli import main\n"
              "try:\n    main(['build', '-o', 'x.pdf'])\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in ('flask', 'waitress', 'handouts.web') if m in "
              "sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert (tmp_path / "x.pdf").is_file(), done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
