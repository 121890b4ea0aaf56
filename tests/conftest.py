"""Shared fixtures: clinic folders in tmp_path, a built sample handout, and the snapshot flag."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

import pytest

from handouts.build import build_handout, load_request
from handouts.models import Options

DAY = _dt.date(2026, 11, 22)

CLINIC_TOML = """\
name = "Riverside Massage & Wellness"
address = "12 River Road\\nMilltown, ST 00001"
phone = "(555) 010-0123"
email = "care@riverside.example"
website = "https://riverside.example"
booking_url = "https://riverside.example/book"
brand_color = "#7A1F5C"

[[therapists]]
name = "Karen Stone"
credentials = "LMT"
license = "MT-12345"
"""


@pytest.fixture(autouse=True, scope="session")
def _private_disk_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests' disk cache lives in a temporary folder, never in the real home."""
    os.environ["PSOAS_HANDOUTS_CACHE"] = str(tmp_path_factory.mktemp("disk-cache"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true",
                     help="rewrite tests/snapshots/*.png from the current output")


@pytest.fixture
def clinic_dir(tmp_path: Path) -> Path:
    """A clinic folder with a full clinic.toml."""
    folder = tmp_path / "clinic"
    (folder / "templates" / "sections").mkdir(parents=True)
    (folder / "templates" / "stretches").mkdir(parents=True)
    (folder / "images").mkdir()
    (folder / "clinic.toml").write_text(CLINIC_TOML, encoding="utf-8")
    return folder


def write(path: Path, text: str) -> Path:
    """Write UTF-8 text, making folders; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build_pdf(clinic: Path | None = None, client: Path | None = None, name: str | None = None,
              stretches: tuple[str, ...] = (), note: str | None = None,
              **options: object) -> bytes:
    """Build a handout in memory and return its bytes."""
    return build_result(clinic, client, name, stretches, note, **options).pdf


def build_result(clinic: Path | None = None, client: Path | None = None,
                 name: str | None = None, stretches: tuple[str, ...] = (),
                 note: str | None = None, **options: object):  # type: ignore[no-untyped-def]
    """Build a handout in memory and return the Rendered result."""
    clinic_file = clinic / "clinic.toml" if clinic is not None and clinic.is_dir() else clinic
    c, cl, lib = load_request(clinic_file, client, name, stretches, note)
    opts = {"date": DAY, **options}
    for key in ("conditions", "allow"):
        if key in opts:
            opts[key] = tuple(opts[key])  # type: ignore[arg-type]
    return build_handout(c, cl, lib, Options(**opts))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def sample_pdf() -> bytes:
    """The sample handout (sample clinic and client), built once."""
    return build_pdf()


@pytest.fixture(scope="session")
def five_pdf() -> bytes:
    """A handout with five stretches, a note and a booking URL."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write(folder / "clinic.toml", CLINIC_TOML)
        return build_pdf(folder, name="Jane Doe",
                         stretches=("lunge", "kneeling-hip-flexor", "bridge", "cat-cow",
                                    "bed-edge-hang"),
                         note="Go gently on the left side.")
