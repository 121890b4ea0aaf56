"""Workshop batches that must not go wrong: names, results, two runs, reruns, private data."""

from __future__ import annotations

import codecs
import csv
import io
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_batch import _cli, write_csv

from conftest import DAY
from handouts.batch import render_row, write_row
from handouts.batchplan import Workshop, file_slugs, plan_batch
from handouts.cli import main
from handouts.content import load_clinic, load_library
from handouts.errors import InputError
from handouts.models import Options
from handouts.roster import read_roster
from pdf_checks import outline_titles, reader

ROOT = Path(__file__).resolve().parent.parent


def _manifest(folder: Path) -> list[dict[str, str]]:
    text = (folder / "_manifest.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _plan(tmp_path: Path, header: list[str], rows: list[tuple[str, ...]]):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "r.csv", header, rows)
    return plan_batch(read_roster(path), load_clinic(None), load_library(None), Workshop(),
                      ("bridge",), Options(date=DAY), tmp_path / "out")


# --- item 2: one file per attendee, whatever the names ------------------------------------

def test_repeated_names_with_a_suffix_like_id_get_distinct_files(tmp_path: Path) -> None:
    """Four "Ann Lee" rows, one with id 2: four files, the id row keeps ann-lee-2."""
    write_csv(tmp_path / "class.csv", ["name", "id", "stretches"],
              [("Ann Lee", "", "bridge"), ("Ann Lee", "", "lunge"), ("Ann Lee", "", "cat-cow"),
               ("Ann Lee", "2", "butterfly")])
    code, _, err = _cli(tmp_path, "class.csv", "--date", "2026-11-22", "--jobs", "1")
    assert code == 0, err
    rows = _manifest(tmp_path / "output" / "class")
    assert [r["file"] for r in rows] == [
        "ann-lee-2026-11-22.pdf", "ann-lee-3-2026-11-22.pdf", "ann-lee-4-2026-11-22.pdf",
        "ann-lee-2-2026-11-22.pdf"]
    assert [r["status"] for r in rows] == ["written"] * 4
    for row, stretch in zip(rows, ("Bridge", "Standing lunge", "Cat-cow", "Butterfly"),
                            strict=True):
        pdf = (tmp_path / "output" / "class" / row["file"]).read_bytes()
        assert reader(pdf).metadata.subject.endswith(f": {stretch}" + " stretch" * (
            stretch != "Bridge"))


def test_suffix_like_names_do_not_take_each_others_files(tmp_path: Path) -> None:
    """"Maria Garcia 2" and a second "Maria Garcia" never share a file."""
    batch = _plan(tmp_path, ["name"], [("Maria Garcia",), ("Maria Garcia 2",),
                                       ("Maria Garcia",), ("maria garcia",)])
    names = [a.path.name for a in batch.attendees]
    assert names == ["maria-garcia-2026-11-22.pdf", "maria-garcia-2-2026-11-22.pdf",
                     "maria-garcia-3-2026-11-22.pdf", "maria-garcia-4-2026-11-22.pdf"]


NAMES = st.sampled_from(["Ann Lee", "ann lee", "Ann Lee 2", "Ann Lee 3", "Ann-Lee-2-2",
                         "Ann Lee 2 2", "ANN LEE 3", "Ann", "Lee 2"])
IDS = st.sampled_from(["", "", "2", "3", "2-2", "2 2", "A"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(NAMES, IDS), min_size=1, max_size=14))
def test_file_slugs_are_distinct_for_any_mix(people: list[tuple[str, str]]) -> None:
    """Any mix of repeated names, ids and suffix-like names gives distinct file names."""
    slugs = file_slugs(people)
    assert len(set(slugs)) == len(slugs)
    assert file_slugs(people) == slugs  # the same roster always gives the same names


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(NAMES, IDS), min_size=1, max_size=8))
def test_planned_files_are_distinct_for_any_mix(tmp_path: Path,
                                                people: list[tuple[str, str]]) -> None:
    """A planned batch never gives two attendees the same file."""
    batch = _plan(tmp_path, ["name", "id"], people)
    paths = [a.path for a in batch.attendees]
    assert len(set(paths)) == len(paths)


# --- item 3: a result is written only under its own row's name ---------------------------

def test_a_result_for_another_row_is_refused(tmp_path: Path) -> None:
    """Writing Bob's rendering under Ana's name is refused; nothing is written."""
    batch = _plan(tmp_path, ["name"], [("Ana Silva",), ("Bob Brown",)])
    ana, bob = batch.attendees
    bobs = render_row((bob.line, bob.path.name, bob.plan))
    for wrong in (bobs, replace(bobs, line=ana.line, file=ana.path.name)):
        outcome = write_row(ana, wrong, force=True)
        assert outcome.status == "failed" and "did not match this row" in outcome.reason
        assert outcome.name == "Ana Silva" and not ana.path.exists()
    assert write_row(bob, bobs, force=False).status == "written"


def test_results_out_of_order_land_in_their_own_files(tmp_path: Path) -> None:
    """Results arriving in any order are written to the file of the row they carry."""
    batch = _plan(tmp_path, ["name"], [("Ana Silva",), ("Bob Brown",), ("Cy Young",)])
    results = [render_row((a.line, a.path.name, a.plan)) for a in batch.attendees]
    by_line = {a.line: a for a in batch.attendees}
    for result in reversed(results):
        assert write_row(by_line[result.line], result, force=False).status == "written"
    for attendee in batch.attendees:
        title = reader(attendee.path.read_bytes()).metadata.title
        assert title.endswith(attendee.plan.client.name)


# --- item 4: one run per folder --------------------------------------------------------------

HOLDER = """
import sys
from pathlib import Path
from handouts.cli import main
from handouts.batch import output_folder
with output_folder(Path(sys.argv[1])):
    print("holding", flush=True)
    sys.stdin.read()
"""


def test_second_batch_into_the_same_folder_stops_and_keeps_the_first_ones_files(
        tmp_path: Path) -> None:
    """A second batch stops with one line naming the running one's pid; its files stay."""
    write_csv(tmp_path / "class.csv", ["name", "stretches"], [("Ana Silva", "bridge")])
    folder = tmp_path / "output" / "class"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        in_progress = folder / ".partial-abc123.tmp"
        in_progress.write_bytes(b"%PDF- half written by the first run")
        second = subprocess.run([sys.executable, str(ROOT / "build_handouts.py"), "batch",
                                 "class.csv", "--jobs", "1"], cwd=tmp_path,
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 75
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and f"(pid {holder.pid})" in lines[0], second.stderr
        assert lines[0].startswith("error: the folder output/class is in use")
        assert in_progress.exists() and not list(folder.glob("*.pdf"))
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        assert holder.stdout is not None
        holder.stdout.close()
    code, _, err = _cli(tmp_path, "class.csv", "--jobs", "1")
    assert code == 0, err


# --- item 8: fix a row, run again ------------------------------------------------------------

def test_fixing_a_bad_row_and_rerunning_replaces_print_file_and_manifest(tmp_path: Path) -> None:
    """After fixing a bad row, the rerun exits 0; the manifest and print file cover everyone."""
    rows = [("Ana Silva", "bridge"), ("Bob Brown", "nope"), ("Cy Young", "lunge")]
    write_csv(tmp_path / "class.csv", ["name", "stretches"], rows)
    code, _, err = _cli(tmp_path, "class.csv", "--date", "2026-11-22", "--jobs", "1")
    assert code == 1 and "line 3" in err
    folder = tmp_path / "output" / "class"
    print_file = folder / "_print-file-class-2026-11-22.pdf"
    assert [t for _, t in outline_titles(print_file.read_bytes())] == ["Ana Silva", "Cy Young"]
    rows[1] = ("Bob Brown", "cat-cow")
    write_csv(tmp_path / "class.csv", ["name", "stretches"], rows)
    code, out, err = _cli(tmp_path, "class.csv", "--date", "2026-11-22", "--jobs", "1")
    assert code == 0, err
    assert [(m["line"], m["status"]) for m in _manifest(folder)] == [
        ("2", "unchanged"), ("3", "written"), ("4", "unchanged")]
    titles = [t for level, t in outline_titles(print_file.read_bytes()) if level == 0]
    assert titles == ["Ana Silva", "Bob Brown", "Cy Young"]


def test_two_rosters_share_a_folder_on_one_day(tmp_path: Path) -> None:
    """Two rosters into one folder on one day each get their own print file."""
    write_csv(tmp_path / "monday.csv", ["name"], [("Ana Silva",)])
    write_csv(tmp_path / "tuesday.csv", ["name"], [("Bob Brown",)])
    for roster in ("monday.csv", "tuesday.csv"):
        code, _, err = _cli(tmp_path, roster, "--out-dir", "hips", "--date", "2026-11-22",
                            "--jobs", "1")
        assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "hips").glob("_print-file-*")) == [
        "_print-file-monday-2026-11-22.pdf", "_print-file-tuesday-2026-11-22.pdf"]


def test_explicit_print_file_never_replaces_someone_elses_pdf(tmp_path: Path) -> None:
    """--print-file onto a file that is not a print file needs --force."""
    write_csv(tmp_path / "class.csv", ["name"], [("Ana Silva",)])
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(b"%PDF-1.4 my own file")
    code, _, err = _cli(tmp_path, "class.csv", "--print-file", str(mine), "--jobs", "1")
    assert code == 1 and "already exists" in err and mine.read_bytes().endswith(b"own file")
    code, _, err = _cli(tmp_path, "class.csv", "--print-file", str(mine), "--jobs", "1",
                        "--force")
    assert code == 0, err


# --- items 12, 13, 14: what the manifest and messages show, and who can read them -------------

def test_manifest_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    """Names and ids starting with = + - @ are written with a leading apostrophe."""
    write_csv(tmp_path / "class.csv", ["name", "id"], [
        ('=HYPERLINK("http://evil.example","Ana")', "@1"), ("+Bob", "-2"), ("Cy", "=3")])
    code, _, err = _cli(tmp_path, "class.csv", "--jobs", "1")
    assert code == 0, err
    rows = _manifest(tmp_path / "output" / "class")
    assert [(r["name"], r["id"]) for r in rows] == [
        ("'=HYPERLINK(\"http://evil.example\",\"Ana\")", "'@1"), ("'+Bob", "'-2"), ("Cy", "'=3")]


def test_unknown_condition_is_never_echoed(tmp_path: Path, clinic_dir: Path) -> None:
    """An unknown condition is named by row and field with the known ids, never repeated."""
    write_csv(tmp_path / "class.csv", ["name", "conditions"], [("Ana Silva", "hiv-positive")])
    code, out, err = _cli(tmp_path, "class.csv", "--jobs", "1", "--stretch", "bridge")
    manifest = (tmp_path / "output" / "class" / "_manifest.csv").read_text(encoding="utf-8-sig")
    assert code == 1
    assert "class.csv: line 2: 'conditions' has an id that is not a known condition" in err
    assert "pregnancy-1" in err and "'conditions'" in manifest
    assert "hiv" not in err + out + manifest
    result = CliRunner().invoke(main, ["build", "--client", "Ana", "--condition", "hiv-positive",
                                       "-o", str(tmp_path / "a.pdf")])
    assert result.exit_code == 1 and "--condition has an id" in result.stderr
    assert "hiv" not in result.stderr
    stretch = (ROOT / "templates" / "lang" / "en" / "stretches" / "cat-cow.toml").read_text(
        encoding="utf-8")
    (clinic_dir / "templates" / "lang" / "en" / "stretches").mkdir(parents=True)
    (clinic_dir / "templates" / "lang" / "en" / "stretches" / "cat-cow.toml").write_text(
        stretch.replace("recent-abdominal-surgery =", "hiv-positive ="), encoding="utf-8")
    with pytest.raises(InputError, match=r"\[conditions.cautions\]: a key is not a known "
                                         "condition id; use one of: .*pregnancy-1") as info:
        load_library(clinic_dir)
    assert "hiv" not in str(info.value)


def test_output_folders_are_created_owner_only(tmp_path: Path) -> None:
    """The default output/<roster> and a nested --out-dir are created 0700."""
    write_csv(tmp_path / "class.csv", ["name"], [("Ana Silva",)])
    assert _cli(tmp_path, "class.csv", "--jobs", "1")[0] == 0
    assert _cli(tmp_path, "class.csv", "--jobs", "1", "--out-dir", "a/b/c")[0] == 0
    for folder in ("output", "output/class", "a", "a/b", "a/b/c"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700, folder
    for made in (tmp_path / "output" / "class").iterdir():
        assert stat.S_IMODE(made.stat().st_mode) == 0o600, made


# --- item 10: Excel's "Unicode Text" ------------------------------------------------------------

@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_utf16_roster_with_bom_is_read(tmp_path: Path, delimiter: str) -> None:
    """A UTF-16-LE roster with a byte-order mark (Excel's Unicode Text) is read."""
    text = delimiter.join(["Name", "E-mail", "Note"]) + "\r\n" + delimiter.join(
        ["Zoë Øvergård", "zoe@example.com", "Café"]) + "\r\n"
    path = tmp_path / "r.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    roster = read_roster(path)
    assert roster.encoding == "utf-16" and roster.notices == []
    assert roster.rows[0].values == {"name": "Zoë Øvergård", "email": "zoe@example.com",
                                     "note": "Café"}
