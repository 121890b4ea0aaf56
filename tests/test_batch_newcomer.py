"""What a newcomer met running batches: the manifest and print file match the files on disk,
each command's hint names its own option, progress reads in order, and every problem of a
row shows in one run."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from click.testing import CliRunner
from test_batch import _cli

from handouts.cli import main
from pdf_checks import outline_titles, reader


def _manifest(folder: Path) -> list[dict[str, str]]:
    text = (folder / "_manifest.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _hal(tmp_path: Path) -> None:
    (tmp_path / "r2.csv").write_text('name,stretches\n"Hal, J",bridge\n', encoding="utf-8")


def test_a_row_not_written_has_no_pages_or_sha256_and_no_print_file(tmp_path: Path) -> None:
    """Guide, then sheet into the same folder without --force: the row fails, the manifest
    gives no pages or sha256 for the sheet never written, there is no print file (the old
    one is removed), and the file on disk is still the guide."""
    _hal(tmp_path)
    code, out, err = _cli(tmp_path, "r2.csv", "--out-dir", "o2", "--date", "2026-11-22",
                          "--jobs", "1")
    assert code == 0, err
    folder = tmp_path / "o2"
    guide = (folder / "hal-j-2026-11-22.pdf").read_bytes()
    print_file = folder / "_print-file-r2-2026-11-22.pdf"
    assert print_file.is_file()
    code, out, err = _cli(tmp_path, "r2.csv", "--out-dir", "o2", "--date", "2026-11-22",
                          "--jobs", "1", "--layout", "sheet")
    assert code == 1
    assert (folder / "hal-j-2026-11-22.pdf").read_bytes() == guide
    [row] = _manifest(folder)
    assert (row["status"], row["pages"], row["sha256"]) == ("failed", "", "")
    assert "Print file:" not in out and not print_file.exists()
    assert "the print file was not written: the handout for line 2 was not written" in err
    assert "0 of 1 handouts ready" in out


def test_print_file_holds_only_rows_whose_files_are_on_disk(tmp_path: Path) -> None:
    """Two rows, one of whose files differs on disk: no print file; with --force both are
    written and the print file has both, each page count as the manifest says."""
    (tmp_path / "c.csv").write_text("name,stretches\nAna Silva,bridge\nBo Chen,lunge\n",
                                    encoding="utf-8")
    assert _cli(tmp_path, "c.csv", "--date", "2026-11-22", "--jobs", "1")[0] == 0
    folder = tmp_path / "output" / "c"
    (folder / "bo-chen-2026-11-22.pdf").write_bytes(b"%PDF-1.4 someone else's\n")
    code, out, err = _cli(tmp_path, "c.csv", "--date", "2026-11-22", "--jobs", "1")
    rows = _manifest(folder)
    assert code == 1 and [r["status"] for r in rows] == ["unchanged", "failed"]
    assert rows[0]["pages"] and rows[0]["sha256"] and not rows[1]["pages"] + rows[1]["sha256"]
    assert not list(folder.glob("_print-file-*.pdf"))
    assert "line 3 was not written" in err
    code, out, err = _cli(tmp_path, "c.csv", "--date", "2026-11-22", "--jobs", "1", "--force")
    assert code == 0, err
    print_file = next(folder.glob("_print-file-*.pdf"))
    assert [t for level, t in outline_titles(print_file.read_bytes()) if level == 0] == [
        "Ana Silva", "Bo Chen"]
    pages = sum(len(reader((folder / r["file"]).read_bytes()).pages) for r in _manifest(folder))
    assert pages == sum(int(r["pages"]) for r in _manifest(folder))


def test_batch_hint_names_out_dir_and_build_names_o(tmp_path: Path) -> None:
    """An existing file: batch's line names --out-dir (it has no -o); build's names -o."""
    _hal(tmp_path)
    assert _cli(tmp_path, "r2.csv", "--out-dir", "o2", "--date", "2026-11-22",
                "--jobs", "1")[0] == 0
    code, _, err = _cli(tmp_path, "r2.csv", "--out-dir", "o2", "--date", "2026-11-22",
                        "--jobs", "1", "--layout", "sheet")
    assert code == 1
    assert "Use --force to replace it, or --out-dir to choose another folder." in err
    assert " -o " not in err
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        args = ["build", "--client", "Hal J", "--date", "2026-11-22", "-o", "h.pdf"]
        assert CliRunner().invoke(main, args).exit_code == 0
        again = CliRunner().invoke(main, [*args, "--layout", "sheet"])
    finally:
        os.chdir(old)
    assert again.exit_code == 1
    assert "Use --force to replace it, or -o to choose another name." in again.stderr
    assert "--out-dir" not in again.stderr


def test_progress_lines_read_in_order_with_an_honest_total(tmp_path: Path) -> None:
    """Plain progress (not a terminal): each "[k/N] in the print file" follows "[k/N] built",
    and when rows cannot be built a line first says how many of the roster's rows the
    totals count."""
    (tmp_path / "c.csv").write_text("name,stretches\nAna Silva,bridge\nBo Chen,brige\n"
                                    "Cy Diaz,lunge\nDee Lee,cat-cow\n", encoding="utf-8")
    code, out, err = _cli(tmp_path, "c.csv", "--date", "2026-11-22", "--jobs", "1")
    assert code == 1 and "line 3" in err
    lines = out.splitlines()
    assert lines[0] == "3 of 4 rows to build (1 not built: listed above)."
    progress = [line for line in lines if line.startswith("[")]
    assert progress[-2:] == ["[3/3] built", "[3/3] in the print file"]
    for line in progress:
        if line.endswith("in the print file"):
            count = line.split("]")[0]
            assert f"{count}] built" in progress[:progress.index(line)], progress


def test_every_problem_of_a_row_shows_in_one_run(tmp_path: Path) -> None:
    """A row with a bad stretch id and large_print=maybe (and another with a bad address
    and a duplicate id): every problem is its own line, rows in roster order, all in the
    manifest's reason; the good row is still built."""
    (tmp_path / "c.csv").write_text(
        "name,stretches,large_print,email,id\nAna Silva,brige,maybe,,7\n"
        "Bo Chen,bridge,no,bo@,7\nCy Diaz,lunge,,,\n", encoding="utf-8")
    code, out, err = _cli(tmp_path, "c.csv", "--date", "2026-11-22", "--jobs", "1")
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert [line.split(": ")[2] for line in errors] == ["line 2", "line 2", "line 3", "line 3"]
    assert "large_print is 'maybe'; write yes or no" in errors[0] + errors[1]
    assert "unknown stretch 'brige'" in errors[0] + errors[1]
    assert "the email address is not valid" in errors[2] + errors[3]
    assert "duplicate id '7' (also on line 2)" in errors[2] + errors[3]
    rows = _manifest(tmp_path / "output" / "c")
    assert [r["status"] for r in rows] == ["failed", "failed", "written"]
    assert "maybe" in rows[0]["reason"] and "brige" in rows[0]["reason"]
    strict = _cli(tmp_path, "c.csv", "--date", "2026-11-22", "--jobs", "1", "--strict")
    assert "2 bad row(s); nothing was built (--strict)." in strict[2]
