"""Sign-up form comments are the attendee's words: never printed, and a health word holds the
row back until the therapist sets its conditions; workshops honour layout and title."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from handouts.cli import main
from pdf_checks import all_text, outline_titles

COMMENT = "Pregnant (5 months), lower back sore"


def roster(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def run(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["batch", *args, "--out-dir", str(tmp_path / "out"),
                                     "--jobs", "1", "--date", "2026-12-05"])


def test_form_comments_never_print_and_health_words_hold_the_row(tmp_path: Path) -> None:
    """A Google-Forms "Notes" column is never printed; a row whose comments mention a health
    matter is held back with its line number, marked in the manifest, never quoted."""
    path = roster(tmp_path / "class.csv", ["Name", "Email", "Notes"], [
        ("Ana Silva", "ana@example.com", COMMENT),
        ("Bo Chen", "bo@example.com", "Looking forward to it!")])
    workshop = tmp_path / "w.toml"
    workshop.write_text('title = "Happy hips"\nnote = "Thank you for coming."\n'
                        'stretches = ["bridge"]\n', encoding="utf-8")
    result = run(tmp_path, str(path), "--workshop", str(workshop))
    assert result.exit_code == 1
    assert "class.csv: line 2: the attendee's comments mention a health matter" in result.stderr
    assert "set the row's conditions" in result.stderr
    output = result.stdout + result.stderr
    assert "Pregnant" not in output and "5 months" not in output
    manifest = (tmp_path / "out" / "_manifest.csv").read_text(encoding="utf-8-sig")
    assert ",flagged," in manifest and "Pregnant" not in manifest
    bo = all_text((tmp_path / "out" / "bo-chen-2026-12-05.pdf").read_bytes())
    assert "Looking forward" not in bo  # the attendee's own words are not the therapist's
    assert "Thank you for coming." in bo  # the workshop's note still prints
    assert not (tmp_path / "out" / "ana-silva-2026-12-05.pdf").exists()


def test_setting_conditions_releases_the_row(tmp_path: Path) -> None:
    """Once the therapist fills in the conditions (or writes none) the row is built, screened
    for those conditions."""
    path = roster(tmp_path / "class.csv", ["Name", "Notes", "conditions"], [
        ("Ana Silva", COMMENT, "pregnancy-2"), ("Bo Chen", "Had hip surgery", "none")])
    result = run(tmp_path, str(path), "--stretch", "chair-hip-flexor")
    assert result.exit_code == 0, result.stderr
    ana = all_text((tmp_path / "out" / "ana-silva-2026-12-05.pdf").read_bytes())
    assert "call your midwife or doctor" in ana and "Pregnant (5" not in ana


def test_a_note_column_is_the_therapists_note(tmp_path: Path) -> None:
    """Only a column named note (or therapist note) prints as the therapist's note."""
    path = roster(tmp_path / "class.csv", ["Name", "Therapist note"],
                  [("Ana Silva", "Keep your left knee soft.")])
    result = run(tmp_path, str(path), "--stretch", "bridge")
    assert result.exit_code == 0, result.stderr
    text = all_text((tmp_path / "out" / "ana-silva-2026-12-05.pdf").read_bytes())
    assert "Keep your left knee soft." in text


def test_workshop_layout_and_title(tmp_path: Path) -> None:
    """The workshop's layout (and a row's own layout column) is honoured; its title prints
    under the main title; the print file holds 2 pages per attendee on a sheet, 4 or fewer in
    the guide, each starting on a new sheet."""
    path = roster(tmp_path / "class.csv", ["Name", "layout"],
                  [("Ana Silva", ""), ("Bo Chen", "guide"), ("Cy Diaz", "")])
    workshop = tmp_path / "w.toml"
    workshop.write_text('title = "Happy hips workshop"\nlayout = "sheet"\n'
                        'stretches = ["lunge", "bridge"]\n', encoding="utf-8")
    result = run(tmp_path, str(path), "--workshop", str(workshop))
    assert result.exit_code == 0, result.stderr
    from pypdf import PdfReader

    pages = {name: len(PdfReader(tmp_path / "out" / f"{name}-2026-12-05.pdf").pages)
             for name in ("ana-silva", "bo-chen", "cy-diaz")}
    assert pages["ana-silva"] == 2 and pages["cy-diaz"] == 2 and pages["bo-chen"] <= 4
    ana = all_text((tmp_path / "out" / "ana-silva-2026-12-05.pdf").read_bytes())
    assert "Happy hips workshop" in ana
    print_file = next((tmp_path / "out").glob("_print-file-*.pdf"))
    reader = PdfReader(print_file)
    starts = [reader.get_destination_page_number(o) for o in reader.outline
              if not isinstance(o, list)]
    assert starts == [0, 2, 6] and len(reader.pages) == 8
    assert outline_titles(print_file.read_bytes())[0] == (0, "Ana Silva")


def test_a_print_file_that_cannot_be_written_removes_the_old_one(tmp_path: Path) -> None:
    """When a rerun cannot write the print file, an older one (from the last run) is removed so
    that a therapist never prints an out-of-date file."""
    path = roster(tmp_path / "class.csv", ["Name", "large_print"],
                  [("Ana Silva", "no"), ("Bo Chen", "no")])
    first = run(tmp_path, str(path), "--stretch", "lunge", "--stretch", "bridge",
                "--layout", "sheet")
    assert first.exit_code == 0, first.stderr
    old = next((tmp_path / "out").glob("_print-file-*.pdf"))
    path = roster(tmp_path / "class.csv", ["Name", "large_print"],
                  [("Ana Silva", "no"), ("Bo Chen", "yes")])  # large print: no sheet fits
    second = run(tmp_path, str(path), "--stretch", "lunge", "--stretch", "bridge",
                 "--layout", "sheet")
    assert second.exit_code == 1
    assert "was out of date and was removed" in second.stderr
    assert not old.exists()


def test_check_takes_the_batch_choices(tmp_path: Path) -> None:
    """`check ROSTER.csv` takes --stretch, --workshop and --layout like batch, so it checks the
    handouts the batch would make."""
    import json

    path = roster(tmp_path / "class.csv", ["Name", "Stretches"], [("Ana Silva", "bridge")])
    result = CliRunner().invoke(main, ["check", str(path), "--stretch", "chair-hip-flexor",
                                       "--layout", "sheet", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert "stretch:chair-hip-flexor" in report["reading_grade"]
    assert "stretch:bridge" not in report["reading_grade"]


def test_print_file_mixes_large_print_and_normal_rows(tmp_path: Path) -> None:
    """A piece of the print file holding large-print and normal handouts lays each out with
    its own footer (large print needs two lines for the clinic's name), so the page counts
    match the single files and the print file is written."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from bench_batch import roster as bench_roster  # varied stretches, notes, some large print

    path = bench_roster(tmp_path / "class.csv", 60)
    result = run(tmp_path, str(path))
    assert result.exit_code == 0, result.stderr
    assert "Print file:" in result.stdout


def test_a_stretch_the_fonts_cannot_print_fails_every_row_that_uses_it(
        tmp_path: Path, clinic_dir: Path) -> None:
    """Planning checks each stretch's own text once per batch, but a stretch that fails the
    check fails every row that chose it, not only the first."""
    source = (Path(__file__).resolve().parent.parent / "templates" / "lang" / "en" /
              "stretches" / "bridge.toml").read_text(encoding="utf-8")
    (clinic_dir / "templates" / "lang" / "en" / "stretches").mkdir(parents=True)
    (clinic_dir / "templates" / "lang" / "en" / "stretches" / "bridge.toml").write_text(
        source.replace('title = "Bridge"', 'title = "Bridge \\u4e2d"'), encoding="utf-8")
    path = roster(tmp_path / "class.csv", ["Name", "Stretches"],
                  [("Ana Silva", "bridge"), ("Bo Chen", "lunge"), ("Cy Diaz", "bridge")])
    result = CliRunner().invoke(main, ["batch", str(path), "--clinic", str(clinic_dir),
                                       "--out-dir", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1
    assert "line 2:" in result.stderr and "line 4:" in result.stderr
    assert "line 3:" not in result.stderr
