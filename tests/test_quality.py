"""The quality report: the shipped content passes its own check; the report is stable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DAY, build_result, write
from handouts.cli import main
from handouts.errors import InputError
from handouts.quality import check_pdf_file, check_rendered, report_json
from handouts.readability import score, syllables

ALL = ("lunge", "kneeling-hip-flexor", "butterfly", "bed-edge-hang", "supine-towel-release",
       "side-lying-stretch", "seated-stretch", "ball-release", "bridge", "cat-cow",
       "leg-lowering", "standing-hip-flexor", "side-lying-hip-flexor", "chair-hip-flexor")
HALVES = (ALL[:7], ALL[7:])  # a handout takes at most 8 stretches


@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("half", [0, 1])
def test_shipped_content_passes_its_own_check(large_print: bool, half: int) -> None:
    """Every section and every stretch at grade 6 or lower; no failures at either size."""
    chosen = HALVES[half]
    report = check_rendered(build_result(name="Jane Doe", stretches=chosen,
                                         large_print=large_print))
    failures = [c for c in report.checks if c["status"] == "fail"]
    assert failures == []
    assert all(f"stretch:{sid}" in report.reading_grade for sid in chosen)
    assert {"key-points", "what-is-psoas", "safety"} <= set(report.reading_grade)
    assert all(grade <= 6 for grade in report.reading_grade.values())
    warnings = [c["id"] for c in report.checks if c["status"] == "warn"]
    # seven stretches: more than five (in large print without a note, page 1 holds the
    # header, the key points, "Your stretches" and the list of the stretches: handouts/lead.py);
    # in large print the anatomy drawing's labels are set at 18 pt too (handouts/labelfit.py)
    assert warnings == ["stretch_count"]
    assert report.pemat["met"] == report.pemat["applicable"]


def test_uncovered_characters_fails_on_a_character_no_font_has() -> None:
    """The check reads the real text: a snowman in a stretch title fails it."""
    from dataclasses import replace

    result = build_result(name="Jane Doe", stretches=("bridge",))
    card = result.plan.stretches[0]
    bad = replace(card, stretch=replace(card.stretch, title="Bridge \u4e2d"))
    report = check_rendered(replace(result, plan=replace(result.plan, stretches=(bad,))))
    check = next(c for c in report.checks if c["id"] == "uncovered_characters")
    assert check["status"] == "fail" and "U+4E2D" in check["detail"]


def test_dose_check_reads_the_printed_dose() -> None:
    """A PDF that prints another dose than the plan's fails the dose check."""
    from dataclasses import replace

    planned = build_result(name="Jane Doe", stretches=("bridge",))
    other = build_result(client=write_client(hold=10))
    report = check_rendered(replace(planned, pdf=other.pdf))
    check = next(c for c in report.checks if c["id"] == "dose:bridge")
    assert check["status"] == "fail" and check["value"] == "not printed"
    good = next(c for c in check_rendered(planned).checks if c["id"] == "dose:bridge")
    assert good["status"] == "pass"


def write_client(hold: int) -> Path:
    """A client file choosing the bridge with its own hold time."""
    import tempfile

    folder = Path(tempfile.mkdtemp())
    return write(folder / "c.toml", f'name = "Jane Doe"\n[[stretches]]\nid = "bridge"\n'
                                    f"hold_seconds = {hold}\n")


def test_headings_item_fails_for_a_section_without_a_heading(clinic_dir: Path) -> None:
    """PEMAT item 9 reads the headings: a section override with none fails the pre-check."""
    write(clinic_dir / "templates" / "sections" / "why-it-hurts.md.j2",
          "Sitting a lot may make your hip feel tight.\n")
    report = check_rendered(build_result(clinic_dir, name="Jane Doe", stretches=("lunge",)))
    assert report.pemat["items"]["9 informative headings"] is False
    assert next(c for c in report.checks if c["id"] == "pemat_precheck")["status"] == "fail"


def test_visual_cues_item_reads_bold_from_the_pdf() -> None:
    """PEMAT item 12 passes only when the PDF really sets each dose line in bold."""
    from handouts.quality import Report, bold_texts, pemat

    result = build_result(name="Jane Doe", stretches=("bridge", "lunge"))
    bold = bold_texts(result.pdf)
    assert any("Hold 5 seconds" in b for b in bold) and any("Hold 30 seconds" in b
                                                              for b in bold)
    for runs, expected in ((bold, True), ([], False)):
        report = Report("x")
        pemat(result.plan, {}, "psoas", report, runs)
        assert report.pemat["items"]["12 visual cues (bold dose lines and key words)"] is expected


def test_default_handout_has_no_warnings() -> None:
    """The sample handout (three stretches) passes with no warnings at all."""
    report = check_rendered(build_result())
    assert [c for c in report.checks if c["status"] != "pass"] == []
    assert {"smallest_font", "title", "language", "bookmarks", "fonts_embedded",
            "call_to_action", "contact_block", "uncovered_characters"} <= {
                c["id"] for c in report.checks}


def test_report_is_stable() -> None:
    """The same input gives the same report, byte for byte."""
    one = report_json(check_rendered(build_result(name="Jane", stretches=("bridge",))))
    two = report_json(check_rendered(build_result(name="Jane", stretches=("bridge",))))
    assert one == two and b"reading_grade" in one


def test_allowed_decision_is_in_the_report() -> None:
    """An --allow decision is recorded in the report with its reason."""
    result = build_result(name="Mia", stretches=("bridge",), conditions=("pregnancy-2",),
                          allow=("bridge",), reason="Cleared by her midwife")
    report = check_rendered(result).as_dict()
    assert report["allowed"] == [{"stretch": "bridge", "condition": "pregnancy-2",
                                  "reason": "Cleared by her midwife"}]


def test_a_long_winded_template_fails_the_reading_check(clinic_dir: Path) -> None:
    """A clinic section written above grade 6 is flagged with its section name."""
    write(clinic_dir / "templates" / "sections" / "how-massage-helps.md.j2",
          "## How massage helps\n\nTherapeutic myofascial manipulation facilitates "
          "parasympathetic nervous system predominance, consequently diminishing "
          "hypertonicity throughout the iliopsoas musculotendinous complex.\n")
    report = check_rendered(build_result(clinic_dir, name="Jane", stretches=("bridge",)))
    failed = {c["id"] for c in report.checks if c["status"] == "fail"}
    assert "reading_grade:how-massage-helps" in failed


def test_readability_basics() -> None:
    """The syllable rules and the grade behave sensibly."""
    assert [syllables(w) for w in ("stretch", "muscle", "gently", "therapist")] == [1, 2, 2, 3]
    easy = score(["Sit tall.", "Breathe out as you lift."]).grade
    hard = score(["Physiological considerations necessitate comprehensive evaluation."]).grade
    assert easy < 3 < 12 < hard


def test_check_command_on_client_roster_pdf_and_folder(tmp_path: Path) -> None:
    """`check` takes a client file, a roster, our PDF, or nothing (the clinic folder)."""
    runner = CliRunner()
    client = write(tmp_path / "c.toml", 'name = "Jane Doe"\nstretches = ["bridge"]\n')
    result = runner.invoke(main, ["check", str(client), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["failures"] == 0
    roster = write(tmp_path / "r.csv", "name,stretches\nAna,lunge\nBo,cat-cow\n")
    result = runner.invoke(main, ["check", str(roster)])
    assert result.exit_code == 0 and result.stdout.count("0 failed") == 2
    assert runner.invoke(main, ["check"]).exit_code == 0
    out = tmp_path / "j.pdf"
    runner.invoke(main, ["build", str(client), "-o", str(out), "--report", "--date",
                         DAY.isoformat()])
    assert json.loads((tmp_path / "j.report.json").read_text())["failures"] == 0
    result = runner.invoke(main, ["check", str(out)])
    assert result.exit_code == 0 and "0 failed" in result.stdout


def test_foreign_pdf_is_refused(tmp_path: Path) -> None:
    """A PDF this tool did not make gets a clear error."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "other.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(72, 72, "Hello")
    canvas.save()
    with pytest.raises(InputError, match="not made by psoas-handouts"):
        check_pdf_file(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1 and "not made by psoas-handouts" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_report_beside_each_pdf(tmp_path: Path, jobs: str) -> None:
    """batch --report writes one report per handout, made by the worker from the handout it
    rendered (the same report whatever the number of jobs)."""
    roster = write(tmp_path / "r.csv", "name,stretches\nAna,lunge\nBo,cat-cow\n")
    result = CliRunner().invoke(main, ["batch", str(roster), "--out-dir", str(tmp_path / "o"),
                                       "--jobs", jobs, "--report", "--date", "2026-11-22"])
    assert result.exit_code == 0, result.output
    reports = sorted((tmp_path / "o").glob("*.report.json"))
    assert [p.name for p in reports] == ["ana-2026-11-22.report.json",
                                         "bo-2026-11-22.report.json"]
    data = json.loads(reports[0].read_text(encoding="utf-8"))
    assert data["subject"] == "handout for Ana" and "stretch:lunge" in data["reading_grade"]


def test_layout_checks_fail_on_bad_layouts() -> None:
    """Page fill warns under 70% (not on the last page), a lone heading fails, and a card
    picture under 40% of the card's width fails."""
    from dataclasses import replace

    result = build_result(name="Jane Doe", stretches=("bridge",))
    good = {c["id"]: c["status"] for c in check_rendered(result).checks}
    assert good["lone_headings"] == "pass" and good["picture_share:bridge"] == "pass"
    bad = replace(result, fill=(0.3, 0.9, 0.2), pages=3, lone_headings=(2,),
                  pictures=(("bridge", 0.2),))
    status = {c["id"]: c["status"] for c in check_rendered(bad).checks}
    assert status["page_fill:1"] == "warn" and status["page_fill:2"] == "pass"
    assert "page_fill:3" not in status  # the last page may be short
    assert status["lone_headings"] == "fail" and status["picture_share:bridge"] == "fail"


def test_a_page_fill_under_the_target_never_prints_as_meeting_it() -> None:
    """A page filled to just under 70% reports a value under 0.70 (floored, three digits),
    not one rounded up to the target."""
    from dataclasses import replace

    result = build_result(name="Jane Doe", stretches=("bridge",))
    bad = replace(result, fill=(0.6996, 0.7004, 0.2), pages=3)
    checks = {c["id"]: c for c in check_rendered(bad).checks}
    assert checks["page_fill:1"]["status"] == "warn"
    assert checks["page_fill:1"]["value"] < 0.70
    assert checks["page_fill:2"]["status"] == "pass" and checks["page_fill:2"]["value"] == 0.7


def test_small_logo_lettering_is_reported_apart(clinic_dir: Path) -> None:
    """A logo with 7 pt lettering does not fail the handout's smallest-font check; the report
    names the logo's lettering apart."""
    write(clinic_dir / "images" / "logo.svg",
          '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60" '
          'viewBox="0 0 240 60"><rect width="240" height="60" fill="#eef"/>'
          '<text x="8" y="30" font-size="22">Riverside</text>'
          '<text x="8" y="52" font-size="7">massage and wellness since 1999</text></svg>')
    toml = 'logo = "images/logo.svg"\n' + (clinic_dir / "clinic.toml").read_text()
    (clinic_dir / "clinic.toml").write_text(toml)
    report = check_rendered(build_result(clinic_dir, name="Jane Doe", stretches=("bridge",)))
    checks = {c["id"]: c for c in report.checks}
    assert checks["smallest_font"]["status"] == "pass"
    assert checks["logo_text"]["status"] == "warn" and checks["logo_text"]["value"] < 12


def test_folder_check_warns_once_per_draft_language_not_per_file(tmp_path: Path) -> None:
    """`check` on an English clinic folder: Spanish's draft files are one warning line (not
    one per file), never repeated; the JSON report still lists each file's status."""
    write(tmp_path / "clinic.toml", 'name = "Riverside Massage"\nphone = "(555) 010-0123"\n')
    result = CliRunner().invoke(main, ["check", "--clinic", str(tmp_path)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith("warning: language es (Español): ")
    assert "draft text" in warnings[0] and "qualified medical translator" in warnings[0]
    assert ": 0 failed, 1 warnings," in result.stdout
    report = json.loads(CliRunner().invoke(main, ["check", "--clinic", str(tmp_path),
                                                  "--json"]).stdout)
    drafts = [r["file"] for r in report["review"] if r["status"] == "draft"]
    assert len(drafts) > 20 and all("/lang/es/" in f for f in drafts)
    assert any(f.endswith("email/body.html.j2") for f in drafts)


def test_pemat_failure_names_the_item(tmp_path: Path) -> None:
    """A handout without its tick log fails the PEMAT pre-check naming item 23."""
    client = write(tmp_path / "c.toml", 'name = "Jane Doe"\nstretches = ["bridge"]\n'
                                        'leave_out = ["log"]\n')
    result = CliRunner().invoke(main, ["check", str(client)])
    assert result.exit_code == 1
    assert ("FAIL pemat_precheck: 14/15 (target all items met) - not met: item 23, a "
            "tangible tool (tick log)") in result.stdout


def test_check_paper_checks_the_handout_on_that_paper(tmp_path: Path) -> None:
    """`check --paper a4` reports on the A4 handout, the same report `build --paper a4
    --report` writes; on Letter the report differs; a PDF or the folder refuse --paper."""
    runner = CliRunner()
    client = write(tmp_path / "c.toml", 'name = "Jane Doe"\nstretches = ["bridge", "lunge"]\n'
                                        f"date = {DAY.isoformat()}\n")
    reports = {}
    for paper in ("letter", "a4"):
        result = runner.invoke(main, ["check", str(client), "--json", "--paper", paper])
        assert result.exit_code == 0, result.output
        reports[paper] = result.stdout
        out = tmp_path / f"{paper}.pdf"
        assert runner.invoke(main, ["build", str(client), "-o", str(out), "--report",
                                    "--paper", paper]).exit_code == 0
        assert (tmp_path / f"{paper}.report.json").read_text(encoding="utf-8") == result.stdout
    assert reports["letter"] != reports["a4"]
    for args in (["check", "--paper", "a4"], ["check", str(tmp_path / "a4.pdf"), "--paper",
                                              "a4"]):
        refused = runner.invoke(main, args)
        assert refused.exit_code == 2 and "--paper" in refused.stderr
