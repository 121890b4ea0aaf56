"""Loading and validation: every bad input is one clear error naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CLINIC_TOML, write
from handouts.build import load_request, plan_handout
from handouts.content import load_client, load_clinic, load_library
from handouts.errors import InputError
from handouts.models import Options


def test_builtin_library_has_the_fourteen_ids() -> None:
    """The built-in stretch library has exactly the ids the issues name, and says honestly
    which of them stretch the hip flexors (hip extension with the pelvis tucked)."""
    library = load_library(None)
    assert set(library) == {"lunge", "kneeling-hip-flexor", "butterfly", "bed-edge-hang",
                            "supine-towel-release", "side-lying-stretch", "seated-stretch",
                            "ball-release", "bridge", "cat-cow", "leg-lowering",
                            "standing-hip-flexor", "side-lying-hip-flexor", "chair-hip-flexor"}
    flexors = {sid for sid, s in library.items() if s.hip_flexor}
    assert flexors == {"lunge", "kneeling-hip-flexor", "bed-edge-hang", "supine-towel-release",
                       "standing-hip-flexor", "side-lying-hip-flexor", "chair-hip-flexor"}
    assert all("hip-extension" in library[sid].tags for sid in flexors)
    assert all(library[sid].needs for sid in library)


def test_every_definition_is_complete() -> None:
    """Each definition has a title, purpose, start, 1–5 steps, a dose within its range, tags."""
    for stretch in load_library(None).values():
        assert stretch.title and stretch.purpose and stretch.start and stretch.gentler
        assert 1 <= len(stretch.steps) <= 5
        assert stretch.cautions and stretch.tags
        lo, hi = stretch.hold_range
        assert lo <= stretch.dose.hold_seconds <= hi, stretch.id
        lo, hi = stretch.reps_range
        assert lo <= stretch.dose.reps <= hi, stretch.id


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    """Malformed TOML gives the file and the line."""
    path = write(tmp_path / "client.toml", 'name = "Jane"\nnote = "unclosed\n')
    with pytest.raises(InputError, match=r"client\.toml: invalid TOML: .*line 2"):
        load_client(path)


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    """A typo in a key is an error with a suggestion, never silently ignored."""
    path = write(tmp_path / "client.toml", 'name = "Jane"\nstrectches = ["lunge"]\n')
    with pytest.raises(InputError, match="unknown key 'strectches'; did you mean 'stretches'"):
        load_client(path)


def test_unknown_key_in_stretch_table(tmp_path: Path) -> None:
    """Unknown keys inside [[stretches]] are caught too."""
    path = write(tmp_path / "client.toml",
                 'name = "Jane"\n[[stretches]]\nid = "lunge"\nhold = 20\n')
    with pytest.raises(InputError, match=r"\[\[stretches\]\] #1: unknown key 'hold'"):
        load_client(path)


def test_unknown_stretch_lists_valid_ids(tmp_path: Path) -> None:
    """An unknown stretch id names the valid ones."""
    clinic, client, library = load_request(None, None, "Jane", ("lunj",))
    with pytest.raises(InputError, match="unknown stretch 'lunj'; did you mean 'lunge'"):
        plan_handout(clinic, client, library)


def test_bad_date(tmp_path: Path) -> None:
    """A date that is not YYYY-MM-DD is named."""
    path = write(tmp_path / "client.toml", 'name = "Jane"\ndate = "22/11/2026"\n')
    with pytest.raises(InputError, match="'date'.*YYYY-MM-DD"):
        load_client(path)


def test_missing_logo(clinic_dir: Path) -> None:
    """A logo that does not exist is an error at load time."""
    (clinic_dir / "clinic.toml").write_text('logo = "nope.png"\n' + CLINIC_TOML)
    with pytest.raises(InputError, match="'logo' names 'nope.png', which does not exist"):
        load_clinic(clinic_dir / "clinic.toml")


def test_missing_stretch_image_is_a_load_error(clinic_dir: Path) -> None:
    """A stretch definition naming a picture that cannot be found fails while loading."""
    text = (Path(__file__).parent.parent / "templates" / "stretches" / "bridge.toml").read_text()
    write(clinic_dir / "templates" / "stretches" / "my-bridge.toml",
          text.replace('image = "bridge"', 'image = "no-such-picture"'))
    with pytest.raises(InputError, match="my-bridge.toml: 'image' names 'no-such-picture'"):
        load_library(clinic_dir)


def test_safety_cannot_be_left_out(tmp_path: Path) -> None:
    """leave_out may not drop the safety section."""
    path = write(tmp_path / "client.toml", 'name = "Jane"\nleave_out = ["safety"]\n')
    with pytest.raises(InputError, match="'safety', which every handout must keep"):
        load_client(path)


def test_note_too_long(tmp_path: Path) -> None:
    """Notes have a size limit with a clear error that does not echo the note."""
    path = write(tmp_path / "client.toml", f'name = "Jane"\nnote = "{"secret " * 200}"\n')
    with pytest.raises(InputError) as info:
        load_client(path)
    assert "use at most 1000" in str(info.value)
    assert "secret" not in str(info.value)


def test_client_overrides_and_flags(tmp_path: Path) -> None:
    """Flags override the client file; --stretch replaces the file's list."""
    path = write(tmp_path / "client.toml",
                 'name = "Jane"\nnote = "file note"\nstretches = ["bridge"]\n')
    clinic, client, library = load_request(None, path, "Janet", ("lunge", "cat-cow"), "flag")
    plan = plan_handout(clinic, client, library, Options())
    assert client.name == "Janet" and client.note == "flag"
    assert [p.stretch.id for p in plan.stretches] == ["lunge", "cat-cow"]


def test_per_client_dose_overrides(tmp_path: Path) -> None:
    """A client's own hold, reps and frequency replace the definition's defaults."""
    path = write(tmp_path / "client.toml", 'name = "Jane"\n[[stretches]]\nid = "lunge"\n'
                 'hold_seconds = 45\nreps = 2\nper_day = 2\ndays_per_week = 5\n')
    clinic, client, library = load_request(None, path)
    dose = plan_handout(clinic, client, library).stretches[0].dose
    assert (dose.hold_seconds, dose.reps, dose.per_day, dose.days_per_week) == (45, 2, 2, 5)


def test_clinic_adds_its_own_stretch(clinic_dir: Path) -> None:
    """A new definition file in the clinic folder adds a stretch (its data, and its words in
    templates/lang/en); same id overrides, also as one file of words and data (the English
    override from before languages)."""
    src = Path(__file__).parent.parent / "templates" / "stretches"
    words = Path(__file__).parent.parent / "templates" / "lang" / "en" / "stretches"
    write(clinic_dir / "templates" / "stretches" / "wall-lean.toml",
          (src / "lunge.toml").read_text())
    write(clinic_dir / "templates" / "lang" / "en" / "stretches" / "wall-lean.toml",
          (words / "lunge.toml").read_text().replace('title = "', 'title = "Wall lean ', 1))
    write(clinic_dir / "templates" / "stretches" / "bridge.toml",
          (words / "bridge.toml").read_text().replace('title = "Bridge"', 'title = "Our bridge"')
          + (src / "bridge.toml").read_text())
    library = load_library(clinic_dir)
    assert "wall-lean" in library and library["bridge"].title == "Our bridge"
    assert library["wall-lean"].title.startswith("Wall lean ")


def test_uncovered_character_is_an_error_naming_the_field() -> None:
    """An emoji or CJK name is refused with the field and character, never a box."""
    clinic, client, library = load_request(None, None, "Jane 😀", ("lunge",))
    with pytest.raises(InputError, match=r"'name': the fonts cannot print U\+1F600"):
        plan_handout(clinic, client, library)
    clinic, client, library = load_request(None, None, "Jane", ("lunge",), "note 山")
    with pytest.raises(InputError, match=r"'note': the fonts cannot print U\+5C71"):
        plan_handout(clinic, client, library)


def test_right_to_left_names_are_refused() -> None:
    """Arabic and Hebrew cannot be laid out correctly, so they are refused clearly."""
    clinic, client, library = load_request(None, None, "محمد", ("lunge",))
    with pytest.raises(InputError, match="right-to-left"):
        plan_handout(clinic, client, library)


@pytest.mark.parametrize("days", [0, 1, 8])
def test_days_per_week_follows_the_dose_guidance(tmp_path: Path, clinic_dir: Path,
                                                 days: int) -> None:
    """days_per_week is 2 to 7 (stretching most days, at least 2 to 3 a week), in a client
    file and in a stretch's [dose]; outside that it is one error naming the field and range."""
    path = write(tmp_path / "client.toml", 'name = "Jane"\n[[stretches]]\nid = "lunge"\n'
                 f'days_per_week = {days}\n')
    with pytest.raises(InputError, match=r"client\.toml \[\[stretches\]\] #1: 'days_per_week' "
                                         rf"is {days}; use a whole number from 2 to 7\.$"):
        load_client(path)
    source = (Path(__file__).parent.parent / "templates" / "stretches" / "lunge.toml").read_text()
    write(clinic_dir / "templates" / "stretches" / "lunge.toml",
          source.replace("days_per_week = 7", f"days_per_week = {days}"))
    with pytest.raises(InputError, match=rf"lunge\.toml \[dose\]: 'days_per_week' is {days}; "
                                         r"use a whole number from 2 to 7\.$"):
        load_library(clinic_dir)


def test_two_days_a_week_is_accepted(tmp_path: Path) -> None:
    """The fewest days the guidance allows (2) builds, and the dose line says so."""
    path = write(tmp_path / "client.toml", 'name = "Jane"\n[[stretches]]\nid = "lunge"\n'
                 'days_per_week = 2\n')
    clinic, client, library = load_request(None, path)
    assert plan_handout(clinic, client, library).stretches[0].dose.days_per_week == 2
