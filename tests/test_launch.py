"""The entry point's quick `build` reads a command line exactly as click does, says the same,
and leaves everything else to click."""

from __future__ import annotations

import datetime as _dt
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from conftest import write
from handouts import launch
from handouts.cli import main

ROOT = Path(__file__).resolve().parent.parent
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="on Windows click expands wildcards "
                                "itself: every command line goes to click")


def click_params(args: list[str]) -> dict[str, object]:
    """The parameters click's own `build` command reads from ``args``."""
    command = main.commands["build"]
    with command.make_context("build", list(args)) as ctx:
        return dict(ctx.params)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """An existing client file, clinic folder and output file."""
    client = write(tmp_path / "client.toml", 'name = "Jane"\n')
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    out = write(tmp_path / "old.pdf", "x")
    return {"client": str(client), "clinic": str(clinic), "out": str(out),
            "new": str(tmp_path / "new.pdf")}


PLAIN = [
    ["build"],
    ["build", "--client", "Jane Doe", "--stretch", "bridge", "--stretch", "lunge", "-o", "{new}"],
    ["build", "{client}", "--stretch", "cat-cow", "--note", "Go gently, left side.", "--force"],
    ["build", "--clinic", "{clinic}", "--client", "Zoë Øvergård", "--paper", "a4",
     "--layout", "sheet", "--grayscale", "--large-print", "--report", "--output", "{out}"],
    ["build", "--date", "2026-11-22", "--condition", "pregnancy-2", "--condition", "hernia",
     "--allow", "bridge", "--reason", "cleared by her doctor", "--language", "es"],
    ["build", "--client", "Ann", "{client}", "--paper", "letter", "--paper", "a4"],  # last wins
    ["build", "--client", "", "--note", "", "--stretch", "x y"],
]


@POSIX_ONLY
@pytest.mark.parametrize("args", PLAIN)
def test_a_plain_build_is_read_as_click_reads_it(args: list[str],
                                                 files: dict[str, str]) -> None:
    """Every parameter (values, types, repeats, flags, paths, the date) equals click's."""
    args = [a.format(**files) for a in args]
    quick = launch.build_params(args)
    assert quick is not None
    assert quick == click_params(args[1:])
    assert all(type(quick[k]) is type(v) for k, v in click_params(args[1:]).items())


ELSE = [
    [], ["--version"], ["--help"], ["stretches"], ["batch", "roster.csv"],
    ["build", "--help"], ["build", "-h"], ["build", "--note=hello"], ["build", "--note", "-x"],
    ["build", "--client"], ["build", "--", "client.toml"], ["build", "--colour", "red"],
    ["build", "a.toml", "b.toml"], ["build", "--paper", "legal"], ["build", "--layout", "Guide"],
    ["build", "--date", "22/11/2026"], ["build", "--date", "1900-01-01"],
    ["build", "-o", "{clinic}"], ["build", "{clinic}"], ["build", "--allow", "bridge"],
    ["build", "--allow", "bridge", "--reason", "  "], ["build", "-"], ["build", "-ofile.pdf"],
]


@pytest.mark.parametrize("args", ELSE)
def test_anything_else_is_left_to_click(args: list[str], files: dict[str, str]) -> None:
    """Help, other commands, usage errors and the forms click reads its own way (a value
    starting with "-", --opt=value, a folder where a file goes) are click's to read."""
    assert launch.build_params([a.format(**files) for a in args]) is None


def test_shell_completion_is_left_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shell asking click for completions gets click."""
    monkeypatch.setenv("_BUILD_HANDOUTS_COMPLETE", "bash_complete")
    assert launch.build_params(["build", "--client", "Jo"]) is None


def test_the_quick_reader_knows_every_build_option_as_click_declares_it() -> None:
    """The quick reader's option table is the click command's: same options, same kinds,
    same choices, same path rules (an option added to one must be added to the other)."""
    values, multiple, flags, choices, paths = {}, {}, {}, {}, {}
    for param in main.commands["build"].params:
        if isinstance(param, click.Argument):
            paths[param.name] = param.type.dir_okay  # type: ignore[attr-defined]
            continue
        assert isinstance(param, click.Option)
        table = flags if param.is_flag else multiple if param.multiple else values
        table.update(dict.fromkeys(param.opts, param.name))
        if isinstance(param.type, click.Choice):
            choices[param.name] = tuple(param.type.choices)
        if isinstance(param.type, click.Path):
            paths[param.name] = param.type.dir_okay
    flags = {k: v for k, v in flags.items() if k not in ("-h", "--help")}
    assert (values, multiple, flags) == (launch.VALUES, launch.MULTIPLE, launch.FLAGS)
    assert choices == launch.CHOICES and paths == launch.PATHS


RUN = """
import sys
which, args = sys.argv[1], sys.argv[2:]
sys.argv = ["build-handouts", *args]
if which == "quick":
    from handouts.launch import main
else:
    from handouts.cli import main
try:
    main()
finally:
    sys.stderr.write("click loaded\\n" if "click" in sys.modules else "no click\\n")
"""


def run(which: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A fresh process running the command line through the quick path or click."""
    return subprocess.run([sys.executable, "-c", RUN, which, *args], capture_output=True,
                          text=True, cwd=cwd, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                          check=False)


@POSIX_ONLY
@pytest.mark.parametrize("case", ["built", "refused"])
def test_the_quick_build_says_and_writes_what_click_does(tmp_path: Path, case: str) -> None:
    """Without click, a build prints the same lines, exits with the same code and writes the
    same bytes as through click; a refused build says the same one line."""
    stretch = "bridge" if case == "built" else "brdge"
    got = {}
    for which in ("quick", "click"):
        folder = tmp_path / which
        folder.mkdir()
        args = ["build", "--client", "Zoë Øvergård", "--stretch", stretch, "--stretch",
                "cat-cow", "--stretch", "lunge", "--stretch", "bed-edge-hang", "--stretch",
                "butterfly", "--stretch", "leg-lowering", "--date", "2026-11-22", "--report"]
        done = run(which, args, folder)
        pdfs = sorted((folder / "output").glob("*.pdf")) if case == "built" else []
        got[which] = (done.returncode, done.stdout, done.stderr.splitlines()[:-1],
                      [p.read_bytes() for p in pdfs],
                      sorted(p.name for p in (folder / "output").glob("*")) if pdfs else [])
        assert done.stderr.splitlines()[-1] == ("no click" if which == "quick"
                                                else "click loaded")
    assert got["quick"] == got["click"]
    code, out, err, pdfs, names = got["quick"]
    if case == "built":
        assert code == 0 and len(pdfs) == 1 and "Wrote output" in out
        assert any("6 stretches" in line for line in err)  # a warning, on stderr
        assert any(n.endswith(".report.json") for n in names)
    else:
        assert code == 1 and err == [err[0]] and err[0].startswith("error: --stretch: ")
    assert _dt.date(2026, 11, 22).isoformat() in " ".join(names) or case == "refused"


def test_other_command_lines_still_reach_click(tmp_path: Path) -> None:
    """A usage error through the entry point is click's one line and exit 2."""
    done = run("quick", ["build", "--paper", "legal"], tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: Invalid value for '--paper': 'legal' is not one of 'letter', 'a4'. "
        "(see: build-handouts build --help)", "click loaded"]
