"""The command line: exit codes, messages, files written safely and privately."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write
from handouts.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Run the CLI in ``cwd`` and return (exit code, stdout, stderr)."""
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_build_with_no_arguments_makes_the_sample(tmp_path: Path) -> None:
    """`build` alone writes the sample handout and says how to set up the clinic."""
    code, out, _ = run("build", "--date", "2026-11-22", cwd=tmp_path)
    assert code == 0
    pdf = tmp_path / "output" / "alex-sample-2026-11-22.pdf"
    assert pdf.is_file() and f"Wrote output{os.sep}alex-sample-2026-11-22.pdf" in out
    assert "build-handouts init" in out


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_output_is_private(tmp_path: Path) -> None:
    """The PDF holds health details: readable by its owner only."""
    run("build", "--date", "2026-11-22", cwd=tmp_path)
    mode = stat.S_IMODE((tmp_path / "output" / "alex-sample-2026-11-22.pdf").stat().st_mode)
    assert mode == 0o600


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    """A different existing file is kept unless --force; identical output is left alone."""
    out = tmp_path / "x.pdf"
    out.write_bytes(b"precious")
    code, _, err = run("build", "--client", "Jane", "--stretch", "bridge", "-o", str(out),
                       cwd=tmp_path)
    assert code == 1 and "already exists. Use --force" in err and "Traceback" not in err
    assert out.read_bytes() == b"precious"
    code, _, _ = run("build", "--client", "Jane", "--stretch", "bridge", "-o", str(out),
                     "--force", cwd=tmp_path)
    assert code == 0 and out.read_bytes().startswith(b"%PDF")
    code, stdout, _ = run("build", "--client", "Jane", "--stretch", "bridge", "-o", str(out),
                          "--date", "2026-11-22", "--force", cwd=tmp_path)
    code, stdout, _ = run("build", "--client", "Jane", "--stretch", "bridge", "-o", str(out),
                          "--date", "2026-11-22", cwd=tmp_path)
    assert code == 0 and "already up to date" in stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".partial-")]


def test_flags_and_client_file(tmp_path: Path) -> None:
    """A client file builds; flags override it."""
    client = write(tmp_path / "c.toml", 'name = "Jane Doe"\nstretches = ["bridge"]\n')
    code, out, _ = run("build", str(client), "--client", "Janet Doe", "--date", "2026-01-02",
                       cwd=tmp_path)
    assert code == 0 and (tmp_path / "output" / "janet-doe-2026-01-02.pdf").is_file()


@pytest.mark.parametrize("args, message", [
    (["--client", "J", "--stretch", "nope"], "--stretch: unknown stretch 'nope'; Valid ids:"),
    (["missing.toml"], "missing.toml: file not found"),
    (["--client", "J", "--clinic", "nowhere.toml"], "nowhere.toml: file not found"),
])
def test_errors_are_one_line_exit_1(tmp_path: Path, args: list[str], message: str) -> None:
    """Our errors: one line on stderr, exit code 1, no traceback."""
    code, _, err = run("build", *args, cwd=tmp_path)
    assert code == 1 and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    """Bad flags and bad dates are usage errors (exit 2)."""
    assert run("build", "--paper", "tabloid", cwd=tmp_path)[0] == 2
    assert run("build", "--date", "22/11/2026", cwd=tmp_path)[0] == 2
    assert run("build", "--bogus", cwd=tmp_path)[0] == 2


def test_client_note_never_echoed_in_errors(tmp_path: Path) -> None:
    """An error about a client file does not repeat the client's note."""
    client = write(tmp_path / "c.toml", 'name = "Jane"\nnote = "knee surgery 2024 😀"\n'
                   'stretches = ["bridge"]\n')
    code, _, err = run("build", str(client), cwd=tmp_path)
    assert code == 1 and "U+1F600" in err and "knee surgery" not in err


def test_unwritable_output_folder(tmp_path: Path) -> None:
    """An output folder that cannot be created is a clear error."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run("build", "--client", "J", "-o", str(blocker / "sub" / "x.pdf"),
                       cwd=tmp_path)
    assert code == 1 and "cannot create the output folder" in err


def test_stretches_json(tmp_path: Path) -> None:
    """`stretches --json` lists id, title, purpose and cautions for scripts."""
    code, out, _ = run("stretches", "--json", cwd=tmp_path)
    data = json.loads(out)
    assert code == 0 and len(data) == 14
    assert {"id", "title", "purpose", "cautions"} <= set(data[0])


def test_init_creates_a_clinic_folder_that_builds(tmp_path: Path) -> None:
    """`init DIR` writes clinic.toml, an example client and override folders; they build."""
    code, out, _ = run("init", "mine", cwd=tmp_path)
    assert code == 0
    for rel in ("clinic.toml", "client-example.toml", "templates/README.md", "images/README.md"):
        assert (tmp_path / "mine" / rel).is_file(), rel
    code, _, err = run("init", "mine", cwd=tmp_path)
    assert code == 1 and "already exists" in err
    code, out, _ = run("build", "mine/client-example.toml", "--clinic", "mine", cwd=tmp_path)
    assert code == 0


def test_help_and_version(tmp_path: Path) -> None:
    """--help on every command shows an example; --version works."""
    for command in ("build", "stretches", "init"):
        code, out, _ = run(command, "--help", cwd=tmp_path)
        assert code == 0 and "Example" in out
    assert "build-handouts" in run("--version", cwd=tmp_path)[1]


def test_script_runs_without_install(tmp_path: Path) -> None:
    """`python build_handouts.py` does the same as the installed command."""
    result = subprocess.run([sys.executable, str(ROOT / "build_handouts.py"), "build",
                             "--client", "Jane", "--stretch", "bridge", "-o", "j.pdf"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "j.pdf").read_bytes().startswith(b"%PDF")


def test_two_clients_with_the_same_slug_get_two_files(tmp_path: Path) -> None:
    """"Mary Ann" and "Mary-Ann" share a slug; the second never replaces the first's file."""
    assert run("build", "--client", "Mary Ann", "--date", "2026-11-22", cwd=tmp_path)[0] == 0
    code, out, _ = run("build", "--client", "Mary-Ann", "--date", "2026-11-22", cwd=tmp_path)
    assert code == 0
    files = sorted(p.name for p in (tmp_path / "output").iterdir())
    assert len(files) == 2 and "mary-ann-2026-11-22.pdf" in files
    other = next(f for f in files if f != "mary-ann-2026-11-22.pdf")
    assert other.startswith("mary-ann-") and other.endswith("-2026-11-22.pdf")


def test_png_logo_and_low_resolution_warning(clinic_dir: Path) -> None:
    """A PNG logo prints in the header; a low-resolution picture gets a warning."""
    from PIL import Image

    Image.new("RGB", (60, 30), "#336699").save(clinic_dir / "images" / "logo.png")
    toml = clinic_dir / "clinic.toml"
    toml.write_text('logo = "images/logo.png"\n' + toml.read_text())
    code, _, err = run("build", "--client", "J", "--clinic", str(clinic_dir), "-o", "j.pdf",
                       cwd=clinic_dir)
    assert code == 0 and "logo.png: only" in err and "ppi" in err


def test_an_initialised_clinic_still_marked_sample_says_to_edit_it(tmp_path: Path) -> None:
    """After `init my-clinic`, building with it names its clinic.toml and `sample = true`
    (not "run build-handouts init" again); unmarked, nothing is said; the built-in sample
    still says to run init. The words come from the clinic's language (Spanish here)."""
    assert run("init", "my-clinic", cwd=tmp_path)[0] == 0
    toml = tmp_path / "my-clinic" / "clinic.toml"
    code, out, _ = run("build", "--client", "J", "--clinic", "my-clinic", "-o", "a.pdf",
                       cwd=tmp_path)
    assert code == 0 and "build-handouts init" not in out
    assert f"{Path('my-clinic') / 'clinic.toml'} still says sample = true" in out
    assert "delete the line sample = true" in out
    toml.write_text(toml.read_text().replace("# default_language = \"en\"",
                                             'default_language = "es"'))
    code, out, _ = run("build", "--client", "J", "--clinic", "my-clinic", "-o", "b.pdf",
                       cwd=tmp_path)
    assert code == 0 and "borre la línea sample = true" in out
    toml.write_text(toml.read_text().replace("sample = true\n", ""))
    code, out, _ = run("build", "--client", "J", "--clinic", "my-clinic", "-o", "c.pdf",
                       cwd=tmp_path)
    assert code == 0 and "sample" not in out
    code, out, _ = run("build", "--client", "J", "-o", "d.pdf", cwd=tmp_path)
    assert "build-handouts init my-clinic" in out and "sample = true" not in out
