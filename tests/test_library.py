"""A build reads only the stretches it uses and the condition catalogue once; listing the
library still reads (and checks) every stretch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import write
from handouts import content, wording
from handouts.build import load_request, plan_handout
from handouts.content import Library, load_library, open_library
from handouts.errors import InputError
from handouts.models import Options

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The TOML files loading reads, as 'folder/name' (e.g. 'stretches/bridge.toml')."""
    seen: list[str] = []

    def recording(load: Any) -> Any:
        def load_toml(path: Path) -> Any:
            seen.append(f"{path.parent.name}/{path.name}")
            return load(path)
        return load_toml

    monkeypatch.setattr(content, "load_template_toml", recording(content.load_template_toml))
    monkeypatch.setattr(wording, "load_template_toml", recording(wording.load_template_toml))
    return seen


def test_a_build_reads_its_stretches_and_the_conditions_once(reads: list[str]) -> None:
    """Planning two stretches reads their data and words files and conditions.toml (and
    its words) once each, not the other stretch files."""
    clinic, client, library = load_request(None, None, "Jane Doe", ("bridge", "lunge"))
    plan = plan_handout(clinic, client, library, Options())
    assert [p.stretch.id for p in plan.stretches] == ["bridge", "lunge"]
    stretches = sorted(r for r in reads if r.startswith("stretches/"))
    assert stretches == ["stretches/bridge.toml"] * 2 + ["stretches/lunge.toml"] * 2
    assert reads.count("templates/conditions.toml") == 1
    assert reads.count("en/conditions.toml") == 1
    assert len(library) == 14 and "cat-cow" in library  # every id known, unread


def test_listing_the_library_reads_every_stretch_as_before() -> None:
    """Read as it is used or all at once, the library holds the same stretches in the same
    order; its catalogue is the one the stretches were checked against."""
    lazy = open_library(None, "es")
    every = load_library(None, "es")
    assert list(lazy) == list(every) and dict(lazy.items()) == every
    assert isinstance(lazy, Library) and lazy.language == "es"
    assert lazy.conditions == content.load_conditions(None, "es")


def test_a_broken_stretch_stops_the_builds_that_use_it(clinic_dir: Path) -> None:
    """A stretch file naming a missing picture stops a build that chooses it (the same error
    as listing the library, which the `stretches` command and the app do), not a build of
    other stretches."""
    text = (ROOT / "templates" / "stretches" / "bridge.toml").read_text(encoding="utf-8")
    write(clinic_dir / "templates" / "stretches" / "my-bridge.toml",
          text.replace('image = "bridge"', 'image = "no-such-picture"'))
    clinic_file = clinic_dir / "clinic.toml"
    clinic, client, library = load_request(clinic_file, None, "Ann", ("lunge",))
    assert plan_handout(clinic, client, library, Options()).stretches[0].stretch.id == "lunge"
    message = "my-bridge.toml: 'image' names 'no-such-picture'"
    clinic, client, library = load_request(clinic_file, None, "Ann", ("my-bridge",))
    with pytest.raises(InputError, match=message):
        plan_handout(clinic, client, library, Options())
    with pytest.raises(InputError, match=message):
        load_library(clinic_dir)


def test_a_client_in_another_language_gets_that_librarys_words() -> None:
    """A library opened in English gives a Spanish client's plan the Spanish words (and the
    Spanish catalogue), read afresh."""
    clinic, client, library = load_request(None, None, "Ana", ("bridge",))
    assert library.language == "en"
    plan = plan_handout(clinic, client, library, Options(language="es",
                                                         conditions=("pregnancy-2",),
                                                         allow=("bridge",), reason="ok"))
    assert plan.language == "es" and plan.stretches[0].stretch.language == "es"
    assert plan.conditions[0] == content.load_conditions(None, "es")["pregnancy-2"]
