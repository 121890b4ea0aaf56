"""One line instead of a traceback: far-off dates, damaged PDFs given to `check`."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import build_pdf, write
from handouts.cli import main
from pdf_checks import page_texts


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str, str, BaseException | None]:
    """Run the CLI in-process; (exit code, stdout, stderr, exception other than exit)."""
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    error = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.stdout, result.stderr, error


@pytest.mark.parametrize("command", ("build", "batch", "email"))
@pytest.mark.parametrize("day", ("9999-12-31", "0001-01-01", "2101-01-01"))
def test_far_off_date_is_a_usage_error(tmp_path: Path, command: str, day: str) -> None:
    """`--date` outside 2000-2100 is one usage line (exit 2) on build, batch and email."""
    roster = write(tmp_path / "r.csv", "name,email\nAnn Lee,ann@example.com\n")
    args = [command] + ([str(roster)] if command != "build" else []) + ["--date", day]
    code, out, err, error = invoke(*args, cwd=tmp_path)
    assert error is None and code == 2
    assert err.strip().splitlines() == [err.strip()]
    assert "out of range" in err and "2000-01-01" in err and "2100-12-31" in err
    assert not (tmp_path / "output").exists()


def test_last_accepted_date_builds(tmp_path: Path) -> None:
    """2100-12-31, the last date accepted, builds (the log counts days past it)."""
    code, out, err, error = invoke("build", "--date", "2100-12-31", cwd=tmp_path)
    assert error is None and code == 0, err


def test_far_off_date_in_a_client_file_is_one_line(tmp_path: Path) -> None:
    """A client file's `date = 9999-12-31` is one line naming the file and key (exit 1)."""
    client = write(tmp_path / "c.toml", 'name = "Ann Lee"\ndate = 9999-12-31\n')
    code, out, err, error = invoke("build", str(client), cwd=tmp_path)
    assert error is None and code == 1
    assert err.strip() == (f"error: {client}: 'date' is 9999-12-31, out of range; use a date "
                           "between 2000-01-01 and 2100-12-31.")


def mutations(pdf: bytes, count: int = 40) -> list[tuple[str, bytes]]:
    """``count`` damaged copies of a PDF: cut short, and bytes flipped in the cross-reference
    table, the trailer and the compressed streams (fixed seeds: the same copies every run)."""
    out: list[tuple[str, bytes]] = []
    xref = pdf.rfind(b"xref")
    trailer = pdf.rfind(b"trailer")
    streams = [m.end() for m in re.finditer(rb"stream\r?\n", pdf)]
    for seed in range(count):
        rng = random.Random(seed)
        data = bytearray(pdf)
        kind = ("truncate", "xref", "trailer", "stream", "objects")[seed % 5]
        if kind == "truncate":
            data = data[: rng.randrange(len(pdf) // 20, len(pdf) - 1)]
        elif kind in ("xref", "trailer"):
            start = xref if kind == "xref" else trailer
            for _ in range(rng.randint(1, 6)):
                at = rng.randrange(start, len(data))
                data[at] = rng.choice(b"0123456789 /<>[]fnRx\n") if seed % 2 else data[at] ^ 0xFF
        elif kind == "stream":
            for _ in range(rng.randint(1, 8)):
                at = rng.choice(streams) + rng.randrange(0, 64)
                data[at] ^= 1 << rng.randrange(8)
        else:
            for _ in range(rng.randint(5, 30)):
                at = rng.randrange(0, xref)
                data[at] = rng.randrange(256)
        out.append((f"{seed:02d}-{kind}", bytes(data)))
    return out


def test_check_on_damaged_pdfs_never_gives_a_traceback(tmp_path: Path,
                                                       sample_pdf: bytes) -> None:
    """`check FILE.pdf` on 40 damaged copies of a real handout always ends with exit 0 or 1
    and either a report or one `error:` line naming the file; never a traceback."""
    outcomes = {"report": 0, "error": 0}
    for name, data in mutations(sample_pdf):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        code, out, err, error = invoke("check", str(path))
        assert error is None, (name, repr(error))
        assert code in (0, 1), (name, code, err)
        if err.strip():
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"error: {path}: "), (name, err)
            outcomes["error"] += 1
        else:
            assert out.strip(), name
            outcomes["report"] += 1
    assert outcomes["error"] >= 10  # most damage is found, a few copies still read


def test_check_on_a_damaged_pdf_from_the_shell(tmp_path: Path, sample_pdf: bytes) -> None:
    """The real command on a cut-short handout: one line saying to build it again, exit 1."""
    path = tmp_path / "cut.pdf"
    path.write_bytes(sample_pdf[: len(sample_pdf) // 3])
    done = subprocess.run([sys.executable, "-m", "handouts", "check", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == (f"error: {path}: cannot read this PDF (it may be damaged); "
                                   "build it again.")


def test_long_paragraph_splits_across_pages_in_large_print(clinic_dir: Path) -> None:
    """A clinic's 12-sentence paragraph in large print splits across pages (reportlab's own
    split of a cached paragraph), and every sentence reads back complete and in order."""
    sentences = [f"Sentence {n} says one more calm thing about how massage helps your tight "
                 f"hip muscles relax and let go, slowly, over a few weeks." for n in range(1, 13)]
    write(clinic_dir / "templates" / "sections" / "how-massage-helps.md.j2",
          "## How massage helps\n\n" + " ".join(sentences) + "\n")
    pdf = build_pdf(clinic_dir, name="Jane Doe", stretches=("bridge",), large_print=True)
    pages = page_texts(pdf)
    text = " ".join(pages)
    positions = [text.find(s) for s in sentences]
    missing = [s for s, p in zip(sentences, positions, strict=True) if p < 0]
    assert not missing, missing
    assert positions == sorted(positions)
    first = next(i for i, t in enumerate(pages) if sentences[0] in t)
    last = next(i for i, t in enumerate(pages) if sentences[-1] in t)
    assert last > first  # the paragraph really was split
