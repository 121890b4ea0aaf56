"""A shared clinic folder cannot print other files: links that leave the folder are refused."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import build_pdf, write
from handouts.cli import main
from handouts.content import load_library
from handouts.errors import InputError
from handouts.resources import BUILTIN_IMAGES, BUILTIN_TEMPLATES
from pdf_checks import all_text

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks")

SECRET = "Private line that must never be printed 4711"
STRETCH = BUILTIN_TEMPLATES / "stretches" / "lunge.toml"


def outside(tmp_path: Path, name: str, text: str) -> Path:
    """A file beside (not inside) the clinic folder, as a user's own file would be."""
    return write(tmp_path / "elsewhere" / name, text)


def one_line_naming(path: Path, error: pytest.ExceptionInfo[InputError]) -> None:
    """The error is one line naming the link and saying it leaves the clinic folder."""
    message = str(error.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert "outside the clinic folder" in message
    assert SECRET not in message


def test_linked_section_template_is_refused(clinic_dir: Path, tmp_path: Path) -> None:
    """A section override that links to a file outside the clinic folder stops the build."""
    target = outside(tmp_path, "notes.md.j2", f"## How massage helps\n\n{SECRET}\n")
    link = clinic_dir / "templates" / "sections" / "how-massage-helps.md.j2"
    link.symlink_to(target)
    with pytest.raises(InputError) as caught:
        build_pdf(clinic_dir, name="Jane Doe", stretches=("bridge",))
    one_line_naming(link, caught)


@pytest.mark.skipif(not Path("/etc/hostname").is_file(), reason="no /etc/hostname")
def test_link_to_a_system_file_from_the_command_line(clinic_dir: Path, tmp_path: Path) -> None:
    """`build` with a section linked to /etc/hostname: one error line, exit 1, no PDF."""
    link = clinic_dir / "templates" / "sections" / "key-points.md.j2"
    link.symlink_to("/etc/hostname")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", "--clinic", str(clinic_dir), "--client", "Ann",
                                       "--date", "2026-11-22", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {link}: this is a link to a file outside the clinic folder {clinic_dir}; "
        "copy the file into the clinic folder instead."]
    assert not out.exists()


def test_linked_include_is_refused(clinic_dir: Path, tmp_path: Path) -> None:
    """A template that includes a linked template cannot read it either."""
    target = outside(tmp_path, "part.md.j2", SECRET)
    link = clinic_dir / "templates" / "sections" / "part.md.j2"
    link.symlink_to(target)
    write(clinic_dir / "templates" / "sections" / "how-massage-helps.md.j2",
          "## How massage helps\n\n{% include 'sections/part.md.j2' %}\n")
    with pytest.raises(InputError) as caught:
        build_pdf(clinic_dir, name="Jane Doe", stretches=("bridge",))
    one_line_naming(link, caught)


def test_linked_folder_is_refused(clinic_dir: Path, tmp_path: Path) -> None:
    """A clinic's sections folder that is itself a link to another folder is refused."""
    other = tmp_path / "elsewhere" / "sections"
    write(other / "how-massage-helps.md.j2", f"## How massage helps\n\n{SECRET}\n")
    sections = clinic_dir / "templates" / "sections"
    sections.rmdir()
    sections.symlink_to(other, target_is_directory=True)
    with pytest.raises(InputError) as caught:
        build_pdf(clinic_dir, name="Jane Doe", stretches=("bridge",))
    one_line_naming(sections / "how-massage-helps.md.j2", caught)


def test_linked_stretch_file_is_refused(clinic_dir: Path, tmp_path: Path) -> None:
    """A stretch definition linked from outside the clinic folder stops loading."""
    target = outside(tmp_path, "my-stretch.toml", STRETCH.read_text("utf-8"))
    link = clinic_dir / "templates" / "stretches" / "my-stretch.toml"
    link.symlink_to(target)
    with pytest.raises(InputError) as caught:
        load_library(clinic_dir)
    one_line_naming(link, caught)


def test_linked_picture_is_refused(clinic_dir: Path, tmp_path: Path) -> None:
    """An override picture linked from outside the clinic folder stops loading."""
    target = tmp_path / "elsewhere" / "photo.svg"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(BUILTIN_IMAGES / "bridge.svg", target)
    link = clinic_dir / "images" / "lunge.svg"
    link.symlink_to(target)
    with pytest.raises(InputError) as caught:
        load_library(clinic_dir)
    one_line_naming(link, caught)


def test_links_inside_the_clinic_folder_are_fine(clinic_dir: Path) -> None:
    """Links that stay inside the clinic folder (shared texts, a picture reused) work."""
    write(clinic_dir / "texts" / "massage.md.j2", "## How massage helps\n\nShared words here.\n")
    (clinic_dir / "templates" / "sections" / "how-massage-helps.md.j2").symlink_to(
        clinic_dir / "texts" / "massage.md.j2")
    shutil.copy(BUILTIN_IMAGES / "bridge.svg", clinic_dir / "bridge-copy.svg")
    (clinic_dir / "images" / "lunge.svg").symlink_to(Path("..") / "bridge-copy.svg")
    text = all_text(build_pdf(clinic_dir, name="Jane Doe", stretches=("lunge",)))
    assert "Shared words here." in text
