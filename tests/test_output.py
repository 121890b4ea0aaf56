"""File names from client names, and atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handouts.errors import OutputError
from handouts.output import slugify, write_atomic


@pytest.mark.parametrize("name, slug", [
    ("Jane Doe", "jane-doe"),
    ("José Núñez", "josé-núñez"),
    ("Nguyễn Thị Minh", "nguyễn-thị-minh"),
    ("Дмитрий", "дмитрий"),
    ("../../etc/passwd", "etc-passwd"),
    ("O'Brien, Mary-Ann", "o-brien-mary-ann"),
])
def test_slug_keeps_letters(name: str, slug: str) -> None:
    """Letters of any script are kept (NFC, lowercased); everything else becomes '-'."""
    assert slugify(name) == slug


def test_slug_edge_cases() -> None:
    """Empty, reserved and very long names get safe, distinct slugs."""
    assert slugify("!!!").startswith("client-") and slugify("???") != slugify("!!!")
    assert slugify("CON") != "con" and slugify("con").startswith("con-")
    assert len(slugify("a" * 300)) <= 40
    assert slugify("Zoe\u0308") == slugify("Zoë")  # decomposed and composed are one name
    assert "\u202e" not in slugify("abc\u202etxt.exe")


@given(st.text(max_size=60))
def test_slug_is_always_a_safe_file_name(name: str) -> None:
    """Any name gives a non-empty slug with no separators, dots or control characters."""
    slug = slugify(name)
    assert slug and len(slug) <= 47
    assert not any(c in slug for c in '/\\:.*?"<>|') and slug.isprintable()
    assert not slug.startswith("-") and not slug.endswith("-")


def test_write_atomic_refuses_existing(tmp_path: Path) -> None:
    """An existing file is not replaced without force, and nothing is left behind."""
    target = tmp_path / "a.pdf"
    write_atomic(target, b"one")
    with pytest.raises(OutputError, match="already exists"):
        write_atomic(target, b"two")
    assert target.read_bytes() == b"one"
    write_atomic(target, b"two", force=True)
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
