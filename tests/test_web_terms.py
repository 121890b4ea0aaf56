"""The app says what to do in its own terms (its boxes and choices), never a command-line
flag; the command line keeps its exact lines, each naming its own command's option."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_web_workshop import BASE, TOKEN, run, upload

from handouts.cli import main
from handouts.errors import OutputError
from handouts.output import private_folder, write_atomic
from handouts.printfile import PrintFileOutput

pytest.importorskip("flask")

from handouts.web.app import create_app  # noqa: E402
from handouts.web.terms import in_app_terms  # noqa: E402

FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z-]+|-o)(?![\w-])")


@pytest.fixture
def client(clinic_dir: Path) -> Any:
    """A browser-like client holding the token's cookie."""
    web = create_app(clinic_dir, TOKEN, 8765).test_client()
    web.get(f"/?token={TOKEN}", base_url=BASE)
    return web


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, base_url=BASE, json=body, headers={"Origin": BASE})


def test_workshop_existing_files_say_tick_replace(client: Any, clinic_dir: Path) -> None:
    """A workshop handout that differs on disk fails with the page's box to tick, no flag;
    ticking it then replaces the file."""
    upload(client, "name,stretches\nAna Silva,bridge\n")
    assert run(client, date="2026-11-22")["rows"][0]["status"] == "written"
    state = run(client, date="2026-11-22", layout="sheet")
    [row] = state["rows"]
    assert row["status"] == "failed"
    assert row["reason"] == ('already exists. Tick "Replace handouts made earlier from this '
                             'roster" to replace it.')
    assert not FLAG.search(row["reason"] + state["print_error"])
    again = run(client, date="2026-11-22", layout="sheet", replace_files=True)
    assert again["rows"][0]["status"] == "written" and again["print_error"] == ""


def test_workshop_foreign_print_file_says_tick_replace(client: Any, clinic_dir: Path) -> None:
    """Someone's own PDF at the print file's name: the page names its box, not --force or
    --print-file."""
    upload(client, "name,stretches\nAna Silva,bridge\n")
    folder = clinic_dir / "workshops" / "happy-hips"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_print-file-happy-hips-2026-11-22.pdf").write_bytes(b"%PDF-1.4 my own\n")
    state = run(client, date="2026-11-22")
    assert state["print_error"].endswith(
        'already exists and is not a print file. Tick "Replace handouts made earlier from '
        'this roster" to replace it.')
    assert not FLAG.search(state["print_error"])


def test_client_folder_that_cannot_be_made_names_no_flag(client: Any,
                                                          clinic_dir: Path) -> None:
    """Saving the client file where its folder cannot be made: the app's advice, not -o."""
    (clinic_dir / "clients").write_text("a file where the folder goes", encoding="utf-8")
    answer = _post(client, "/handout/pdf", {"name": "Ana Silva", "stretches": ["bridge"]})
    assert answer.status_code == 400
    error = answer.json["error"]
    assert "cannot create the output folder" in error
    assert error.endswith("Check that this folder is yours and not read-only, then try "
                          "again.")
    assert not FLAG.search(error)


def test_handout_page_and_api_errors_name_the_apps_choices(client: Any) -> None:
    """A ruled-out stretch names "Give it anyway" (and the API's key); too many stretches for
    one sheet names the Guide layout; no [smtp] names no --dry-run."""
    ruled = _post(client, "/api/handouts", {"name": "A", "stretches": ["bridge"],
                                            "conditions": ["pregnancy-2"]}).json["error"]
    assert ruled.endswith('To give it anyway: tick "Give it anyway" on its tile and say why '
                          '(in the API: "allow": {"bridge": "why"}).')
    sheet = _post(client, "/api/handouts", {
        "name": "A", "layout": "sheet",
        "stretches": ["bridge", "lunge", "cat-cow", "butterfly", "leg-lowering"]}).json
    assert sheet["error"].endswith('or choose the layout "Guide".')
    mail = _post(client, "/handout/email", {"name": "A", "stretches": ["bridge"],
                                            "email": "a@example.com"}).json["error"]
    assert mail == "clinic.toml has no [smtp] table; add one (see the README)."
    for error in (ruled, sheet["error"], mail):
        assert not FLAG.search(error.replace('"allow"', ""))


def test_roster_notice_names_no_encoding_flag(client: Any) -> None:
    """A Windows-encoded roster: the notice says how to save it again, not --encoding."""
    answer = upload(client, "name,stretches\nJosé Núñez,bridge\n".encode("cp1252"))
    [notice] = answer.json["notices"]
    assert notice.startswith("happy-hips.csv: not UTF-8; read as Windows (cp1252) text. ")
    assert 'save the sign-up sheet as "CSV UTF-8"' in notice and not FLAG.search(notice)


def test_resend_advice_is_said_as_a_command_line_step() -> None:
    """The app cannot resend: the library's --resend advice becomes the whole command, said to
    be on the command line, with a key that holds dots kept whole."""
    line = ("happy-hips.csv: line 2: uncertain: the last run stopped while sending to "
            "ana@example.com. Check with the client; resend with --resend ana@example.com")
    assert in_app_terms(line).endswith(
        "resend with build-handouts email --resend ana@example.com on the command line")
    late = "x: uncertain: timeout. Not resent automatically; use --resend a.b if it did not arrive."
    assert "use build-handouts email --resend a.b on the command line if it" in in_app_terms(late)


def test_command_line_lines_stay_exact(tmp_path: Path) -> None:
    """Without the app's fixes the writers keep the command line's words, each naming the
    option of the command that writes."""
    target = tmp_path / "a.pdf"
    write_atomic(target, b"one")
    with pytest.raises(OutputError) as caught:
        write_atomic(target, b"two", flag="--out-dir", what="folder")
    assert str(caught.value) == (f"{target}: already exists. Use --force to replace it, or "
                                 "--out-dir to choose another folder.")
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        private_folder(blocker / "sub", "--out-dir")
    assert str(caught.value).endswith("). Choose another with --out-dir.")


def test_print_file_folder_error_names_print_file(tmp_path: Path) -> None:
    """The print file's folder cannot be made: batch's --print-file is named, not -o (batch
    has no -o)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        PrintFileOutput(blocker / "sub" / "p.pdf", ["A"], "Clinic", "", True, False)
    assert str(caught.value).endswith("Choose another with --print-file.")
    assert " -o" not in str(caught.value)


def test_batch_manifest_folder_error_names_out_dir(tmp_path: Path, monkeypatch: Any) -> None:
    """batch's manifest cannot be written: its line names --out-dir (batch has no -o)."""
    (tmp_path / "r.csv").write_text("name,stretches\nAna Silva,bridge\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    import handouts.output as output  # the command imports write_atomic when it runs

    original = output.write_atomic

    def failing(path: Path, data: bytes, **kwargs: Any) -> Path:
        if path.name == "_manifest.csv":
            flag = kwargs.get("flag", "-o")  # the option the command passes for its error
            raise OutputError(f"{path.parent}: cannot write here (Permission denied). "
                              f"Choose another folder with {flag}.")
        return original(path, data, **kwargs)

    monkeypatch.setattr(output, "write_atomic", failing)
    result = CliRunner().invoke(main, ["batch", "r.csv", "--jobs", "1", "--date", "2026-11-22"])
    assert result.exit_code == 1
    assert "Choose another folder with --out-dir." in result.stderr


def test_unknown_stretch_names_no_command() -> None:
    """An unknown stretch's line keeps the valid ids but not the command that lists them."""
    from handouts.build import unknown_stretch
    from handouts.content import load_library

    line = in_app_terms("r.csv: line 3: " + unknown_stretch("brige", load_library(None)))
    assert "did you mean 'bridge'?" in line and "supine-towel-release." in line
    assert "build-handouts" not in line

