"""Workshops: rosters as real exports make them, row errors, files, print file, manifest."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DAY
from handouts.batch import run_batch
from handouts.batchplan import Workshop, plan_batch
from handouts.cli import main
from handouts.content import load_clinic, load_library
from handouts.errors import InputError
from handouts.models import Options
from handouts.roster import read_roster
from pdf_checks import outline_titles, page_texts, reader

ROOT = Path(__file__).resolve().parent.parent
ROWS = [("Ana Silva", "ana@example.com", "lunge;bridge", "Go gently, please"),
        ("José Núñez", "jose@example.com", "cat-cow", ""),
        ("Zoë Øvergård", "", "", "Knees: use a towel")]


def write_csv(path: Path, header: list[str], rows: list[tuple[str, ...]], *, delimiter: str = ",",
              encoding: str = "utf-8", newline: str = "\r\n") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize("encoding, delimiter, newline", [
    ("utf-8", ",", "\r\n"), ("utf-8-sig", ",", "\n"), ("cp1252", ";", "\r\n"),
    ("utf-8-sig", ";", "\n")])
def test_roster_export_shapes(tmp_path: Path, encoding: str, delimiter: str,
                              newline: str) -> None:
    """Excel and Sheets exports: BOM or not, cp1252, semicolons, CRLF all read the same."""
    path = write_csv(tmp_path / "r.csv", ["Name", "E-mail Address", "Stretches", "Note"], ROWS,
                     delimiter=delimiter, encoding=encoding, newline=newline)
    roster = read_roster(path)
    assert [r.values["name"] for r in roster.rows] == [r[0] for r in ROWS]
    assert roster.rows[0].values["email"] == "ana@example.com"
    assert ("cp1252" in " ".join(roster.notices)) == (encoding == "cp1252")


def test_headers_forms_produce(tmp_path: Path) -> None:
    """"First name" + "Last name", a form's Timestamp ignored with one notice."""
    path = write_csv(tmp_path / "r.csv", ["Timestamp", "First Name", "Last name", "EMAIL",
                                          "Phone"], [("x", "Ana", "Silva", "a@example.com", "5")])
    roster = read_roster(path)
    assert roster.rows[0].values == {"first_name": "Ana", "last_name": "Silva",
                                     "email": "a@example.com"}
    assert roster.notices == ['r.csv: ignoring columns: "Timestamp", "Phone".']


def test_quoted_fields_blank_lines_and_line_numbers(tmp_path: Path) -> None:
    """Quoted commas and line breaks stay in one field; rows keep their starting line."""
    path = tmp_path / "r.csv"
    path.write_text('name,note\n\n"Silva, Ana","line one\nline two"\n\nBob,\n', encoding="utf-8")
    roster = read_roster(path)
    assert [(r.line, r.values["name"]) for r in roster.rows] == [(3, "Silva, Ana"), (6, "Bob")]
    assert roster.rows[0].values["note"] == "line one\nline two"


def test_duplicate_header_is_an_error(tmp_path: Path) -> None:
    """Two columns meaning the same thing are refused (csv would keep only the last)."""
    path = write_csv(tmp_path / "r.csv", ["Name", "Full name"], [("a", "b")])
    with pytest.raises(InputError, match="two columns mean 'name'"):
        read_roster(path)


def test_row_errors_collected_with_line_numbers(tmp_path: Path) -> None:
    """Every bad row is reported with its line and reason; good rows are still planned."""
    path = write_csv(tmp_path / "r.csv", ["name", "stretches", "id", "large_print", "note"], [
        ("Ana", "lunge", "1", "", "secret note"), ("", "", "2", "", ""),
        ("Bob", "nope", "3", "", "secret note"), ("Cy", "", "1", "", ""),
        ("Di", "", "5", "maybe", "")])
    clinic = load_clinic(None)
    batch = plan_batch(read_roster(path), clinic, load_library(None), Workshop(), (),
                       Options(date=DAY), tmp_path / "out")
    assert [a.line for a in batch.attendees] == [2]
    reasons = {e.line: e.reason for e in batch.errors}
    assert "name is empty" in reasons[3] and "unknown stretch 'nope'" in reasons[4]
    assert "duplicate id '1' (also on line 2)" in reasons[5] and "yes or no" in reasons[6]
    assert not any("secret" in r for r in reasons.values())


def _cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["batch", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def _roster(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "class.csv", ["Full name", "Email", "Stretches", "Note", "id"],
                     [("Maria Garcia", "m1@example.com", "lunge;bridge", "", ""),
                      ("Maria Garcia", "m2@example.com", "", "Left hip", ""),
                      ("Ana Silva", "ana@example.com", "cat-cow", "", "A7")])


def test_batch_builds_files_print_file_and_manifest(tmp_path: Path) -> None:
    """One PDF per attendee (same names kept apart), a padded print file, a manifest."""
    _roster(tmp_path)
    code, out, err = _cli(tmp_path, "class.csv", "--date", "2026-11-22", "--jobs", "1")
    assert code == 0, err
    folder = tmp_path / "output" / "class"
    files = sorted(p.name for p in folder.glob("*.pdf") if not p.name.startswith("_"))
    assert files == ["ana-silva-a7-2026-11-22.pdf", "maria-garcia-2-2026-11-22.pdf",
                     "maria-garcia-2026-11-22.pdf"]
    manifest = list(csv.DictReader(io.StringIO(
        (folder / "_manifest.csv").read_text(encoding="utf-8-sig"))))
    assert [m["status"] for m in manifest] == ["written"] * 3
    assert manifest[2]["id"] == "A7" and len(manifest[0]["sha256"]) == 64
    pdf = (folder / "_print-file-class-2026-11-22.pdf").read_bytes()
    pages = [int(m["pages"]) for m in manifest]
    assert len(reader(pdf).pages) == sum(p + p % 2 for p in pages)
    top = [title for level, title in outline_titles(pdf) if level == 0]
    assert top == ["Maria Garcia", "Maria Garcia", "Ana Silva"]
    texts = page_texts(pdf)
    assert f"Page 1 of {pages[0]}" in texts[0] and "For: Ana Silva" in \
        texts[sum(p + p % 2 for p in pages[:2])]
    prefs = reader(pdf).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge" and prefs["/PrintScaling"] == "/None"


def test_rerun_keeps_identical_files_and_never_overwrites(tmp_path: Path) -> None:
    """A rerun finishes without duplicates; a changed file is not replaced without --force."""
    _roster(tmp_path)
    assert _cli(tmp_path, "class.csv", "--date", "2026-11-22", "--jobs", "1")[0] == 0
    code, out, _ = _cli(tmp_path, "class.csv", "--date", "2026-11-22", "--jobs", "1")
    assert code == 0 and "3 already up to date" in out
    target = tmp_path / "output" / "class" / "ana-silva-a7-2026-11-22.pdf"
    target.write_bytes(b"someone else's file")
    code, _, err = _cli(tmp_path, "class.csv", "--date", "2026-11-22", "--jobs", "1")
    assert code == 1 and "already exists" in err and target.read_bytes() == b"someone else's file"
    assert _cli(tmp_path, "class.csv", "--date", "2026-11-22", "--force", "--jobs", "1")[0] == 0
    assert target.read_bytes().startswith(b"%PDF")


def test_strict_builds_nothing_when_a_row_is_bad(tmp_path: Path) -> None:
    """--strict: one bad row and nothing is built; without it good rows are built, exit 1."""
    write_csv(tmp_path / "bad.csv", ["name", "stretches"], [("Ana", "lunge"), ("Bob", "nope")])
    code, _, err = _cli(tmp_path, "bad.csv", "--strict")
    assert code == 1 and "line 3" in err and not (tmp_path / "output" / "bad").exists()
    code, out, _ = _cli(tmp_path, "bad.csv", "--jobs", "1")
    assert code == 1 and "1 of 2 handouts ready" in out


def test_same_bytes_whatever_the_number_of_jobs(tmp_path: Path) -> None:
    """--jobs 1 and --jobs 2 give byte-identical handouts and print file."""
    _roster(tmp_path)
    _cli(tmp_path, "class.csv", "--date", "2026-11-22", "--jobs", "1", "--out-dir", "one")
    _cli(tmp_path, "class.csv", "--date", "2026-11-22", "--jobs", "2", "--out-dir", "two")
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").glob("*.pdf")}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").glob("*.pdf")}
    assert one == two and len(one) == 4


def test_killed_batch_leaves_no_partial_pdf_and_rerun_finishes(tmp_path: Path) -> None:
    """Kill a batch mid-run: every PDF under a final name is complete; a rerun completes it."""
    rows = [(f"Person {i}", "", "lunge;bridge;cat-cow", "") for i in range(40)]
    write_csv(tmp_path / "big.csv", ["name", "email", "stretches", "note"], rows)
    command = [sys.executable, str(ROOT / "build_handouts.py"), "batch", "big.csv", "--jobs",
               "1", "--date", "2026-11-22", "--quiet"]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    folder = tmp_path / "output" / "big"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(folder.glob("person-*.pdf")):
        time.sleep(0.02)
    still_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    done = list(folder.glob("*.pdf"))
    assert still_running, "the batch finished before it could be interrupted"
    assert 0 < len(done) < 41 and not (folder / "_print-file-big-2026-11-22.pdf").exists()
    for path in done:
        assert len(reader(path.read_bytes()).pages) >= 1
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len([p for p in folder.glob("person-*.pdf")]) == 40
    assert (folder / "_print-file-big-2026-11-22.pdf").is_file()
    assert not list(folder.glob(".partial-*"))


def test_run_batch_api(tmp_path: Path) -> None:
    """The library API runs a batch without the CLI."""
    path = write_csv(tmp_path / "r.csv", ["name"], [("Ana",), ("Bob",)])
    batch = plan_batch(read_roster(path), load_clinic(None), load_library(None), Workshop(),
                       ("bridge",), Options(date=DAY), tmp_path / "out")
    result = run_batch(batch, jobs=1, print_file=tmp_path / "out" / "print.pdf")
    assert [o.status for o in result.outcomes] == ["written", "written"]
    assert result.print_file is not None and result.print_pages >= 4


def test_print_file_matches_singles_with_large_print_rows(tmp_path: Path) -> None:
    """Large-print rows keep their own page layout inside the print file."""
    path = write_csv(tmp_path / "r.csv", ["name", "large_print"],
                     [("Ana", ""), ("Bob", "yes"), ("Cy", "")])
    batch = plan_batch(read_roster(path), load_clinic(None), load_library(None), Workshop(),
                       ("bridge", "lunge"), Options(date=DAY), tmp_path / "out")
    result = run_batch(batch, jobs=1, print_file=tmp_path / "out" / "print.pdf")
    pages = [o.pages for o in result.outcomes]
    assert pages[1] > pages[0]
    assert result.print_pages == sum(p + p % 2 for p in pages)
