"""A cold build does its one-time work once: a language's files are read once whatever locale
asks for them, each different character is checked against the fonts once, and the font
packages are found without importlib.resources."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from handouts import language
from handouts.errors import TextError
from handouts.fonts import builtin_fonts, load_fonts


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The language files read, by name, with the language cache emptied first."""
    seen: list[str] = []
    load = language.load_template_toml

    def load_toml(path: Path) -> Any:
        seen.append(path.name)
        return load(path)

    monkeypatch.setattr(language, "load_template_toml", load_toml)
    monkeypatch.setattr(language, "_CACHE", {})
    return seen


def test_a_language_is_read_once_for_every_locale(reads: list[str]) -> None:
    """Asked for with no locale, its own default, another country's or another language's
    locale, a language's files are read once (language.toml once too); each answer has
    the locale asked for, and the same words."""
    plain = language.load_language("es")
    assert sorted(reads) == ["language.toml", "locale.toml", "strings.toml"]
    mexico = language.load_language("es", None, "es-MX")
    default = language.load_language("es", None, plain.locale)
    other = language.load_language("es", None, "en-GB")
    assert len(reads) == 3
    assert (plain.locale, mexico.locale, default.locale, other.locale) == (
        "es-US", "es-MX", "es-US", "es-US")
    assert default is plain and other is plain
    assert mexico.strings == plain.strings and mexico.locale_data == plain.locale_data
    assert language.load_language("es", None, "es-MX") is mexico and len(reads) == 3
    assert dataclasses.replace(mexico, locale="es-US") == plain


def test_a_changed_language_file_is_read_again(tmp_path: Path, reads: list[str]) -> None:
    """A clinic's edited strings file is read again for every locale."""
    import shutil

    own = tmp_path / "templates" / "lang" / "en"
    own.mkdir(parents=True)
    shutil.copy(language.BUILTIN_TEMPLATES / "lang" / "en" / "strings.toml", own)
    first = language.load_language("en", tmp_path, "en-GB")
    text = (own / "strings.toml").read_text(encoding="utf-8")
    (own / "strings.toml").write_text(text + '\n[extra]\nword = "new"\n', encoding="utf-8")
    again = language.load_language("en", tmp_path, "en-GB")
    assert again is not first and again.text("extra.word") == "new"
    assert again.locale == "en-GB" and language.load_language("en", tmp_path).locale == "en-US"


def test_each_character_is_checked_once_and_errors_still_name_the_first() -> None:
    """Text made of checked characters passes without checking them again; a new bad
    character still stops the check with the field and that character, the first in order."""
    fonts = load_fonts()
    fonts.check("Hello Zoë", "name")
    assert {"H", "e", "l", "o", "Z", "ë"} <= fonts._fine
    with pytest.raises(TextError, match=r"note: the fonts cannot print U\+1F600"):
        fonts.check("Hello 😀 שלום", "note")
    with pytest.raises(TextError, match=r"note: U\+05E9 HEBREW LETTER SHIN .*right-to-left"):
        fonts.check("Hello שלום 😀", "note")
    assert "😀" not in fonts._fine and "ש" not in fonts._fine
    assert fonts == dataclasses.replace(fonts, _fine=set())  # not part of what it is


def test_font_packages_are_found_without_importlib_resources() -> None:
    """The built-in font files are found where importlib.resources finds them, without
    importing it (nor zipfile) in a fresh process."""
    from importlib import resources

    found = builtin_fonts()
    assert found["regular"] == Path(str(resources.files("fontpkg_atkinson_hyperlegible")
                                        / "files" / found["regular"].name))
    assert all(path.is_file() for path in found.values())
    code = ("import sys; from handouts.fonts import builtin_fonts; builtin_fonts(); "
            "print(sorted(m for m in ('importlib.resources', 'zipfile') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
