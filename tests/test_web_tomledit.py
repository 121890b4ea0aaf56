"""Editing clinic.toml in place: comments, order and untouched values stay byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.resources import SAMPLES
from handouts.schema import tomllib
from handouts.web.tomledit import Unwritable, edit_toml

INIT = (SAMPLES / "clinic.toml").read_text(encoding="utf-8")  # what build-handouts init writes


def changed(text: str, **changes: Any) -> str:
    """``text`` edited so that it reads as its own values with ``changes`` (None: removed)."""
    data = tomllib.loads(text.removeprefix("\ufeff"))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    new = edit_toml(text, data)
    assert tomllib.loads(new.removeprefix("\ufeff")) == data
    return new


def comments(text: str) -> list[str]:
    """Every comment line of a TOML text, in order."""
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def test_init_file_keeps_every_comment_and_changes_one_line() -> None:
    """Changing the phone in the init file changes that line alone."""
    new = changed(INIT, phone="(555) 010-7777")
    old_lines, new_lines = INIT.splitlines(True), new.splitlines(True)
    assert len(old_lines) == len(new_lines)
    assert [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b] == [
        ('phone = "(555) 010-0199"\n', 'phone = "(555) 010-7777"\n')]


def test_new_key_goes_under_its_commented_example() -> None:
    """A key the init file shows commented out is added right under its example."""
    new = changed(INIT, logo="images/logo.svg", locale="es-MX")
    assert '# logo = "images/logo.png"\nlogo = "images/logo.svg"\n# One more line' in new
    assert '# locale = "en-GB"\nlocale = "es-MX"\n# The number' in new
    assert comments(new) == comments(INIT)


def test_example_inside_a_string_is_not_a_place() -> None:
    """A line of a multi-line value that looks like an example is part of the value."""
    text = 'name = "A"\naddress = """\n# logo = "x"\n"""\n'
    assert changed(text, logo="images/logo.png") == text + 'logo = "images/logo.png"\n'


def test_new_key_without_example_follows_its_neighbour() -> None:
    """A key with no example goes after the key before it in the usual order, before tables."""
    text = 'name = "A"\nphone = "1"\n\n[[therapists]]\nname = "B"\n'
    assert changed(text, email="a@b.example", default_layout="sheet") == (
        'name = "A"\nphone = "1"\nemail = "a@b.example"\ndefault_layout = "sheet"\n\n'
        '[[therapists]]\nname = "B"\n')


def test_removed_key_loses_only_its_lines() -> None:
    """Emptying a field removes its statement (a multi-line one whole); comments stay."""
    new = changed(INIT, address=None, website=None)
    assert "address" not in new and "Springfield" not in new and "website" not in new
    assert comments(new) == comments(INIT)
    assert len(new.splitlines()) == len(INIT.splitlines()) - 4


def test_comment_after_a_value_stays() -> None:
    """A comment after a changed value on its line stays, even with a # inside the value."""
    text = ('name = "A"  # the sign says so\nwebsite = "https://a.example/#top" # home\n'
            "address = '''\nx # not a comment\ny'''   # two lines\n")
    new = changed(text, name="B #2", website="https://b.example/#x", address="p\nq # r")
    assert new == ('name = "B #2"  # the sign says so\n'
                   'website = "https://b.example/#x" # home\n'
                   'address = """\np\nq # r"""   # two lines\n')


@pytest.mark.parametrize("value", [
    'Say "hello"',
    'ends with a quote"',
    'three """ quotes',
    "C:\\clinic\\logo\\",
    "tab\there",
    "Tĥé Ćlíñíc — 鍼灸院 🌿 עברית",
    "line\u2028separator and \x7f delete and \x01 control",
    "first line\nsecond \"line\"\n\nfourth\\",
    '"""\n"""',
    "",
])
@pytest.mark.parametrize("key", ["disclaimer", "address", "phone"])
def test_strange_values_read_back_exactly(key: str, value: str) -> None:
    """Quotes, backslashes, unicode, control characters and line breaks read back the same."""
    new = changed(INIT, **{key: value})
    assert tomllib.loads(new)[key] == value
    assert comments(new) == comments(INIT)


@settings(max_examples=150, deadline=None)
@given(phone=st.text(max_size=40), disclaimer=st.text(max_size=120),
       address=st.text(max_size=80))
def test_any_text_round_trips(phone: str, disclaimer: str, address: str) -> None:
    """Any text in the fields reads back exactly and leaves the comments alone."""
    new = changed(INIT, phone=phone, disclaimer=disclaimer, address=address)
    lines = iter(new.splitlines())  # a value's own lines may look like comments: in order,
    assert all(line in lines for line in comments(INIT))  # every comment is still there


def test_crlf_and_bom_are_kept() -> None:
    """A file saved on Windows (CRLF, a BOM) keeps its line endings and its BOM."""
    text = "\ufeff" + INIT.replace("\n", "\r\n")
    new = changed(text, address="1 Road\nTown", logo="images/logo.png", phone="2")
    assert new.startswith("\ufeff# clinic.toml")
    assert "\n" not in new.replace("\r\n", "")


def test_file_without_a_final_newline() -> None:
    """A key added after the last line of a file that does not end in a newline."""
    assert changed('name = "A"', phone="1") == 'name = "A"\nphone = "1"\n'
    assert changed('name = "A" # us', name="B") == 'name = "B" # us'


def test_quoted_keys_literal_strings_and_arrays() -> None:
    """A quoted key keeps its spelling; a multi-line array elsewhere stays as written."""
    text = ("\"phone\" = '555'\n"
            "default_stretches = [\n  \"bridge\",  # gentle\n  \"lunge\",\n]  # ours\n"
            "name = 'A'\n")
    new = changed(text, phone="556")
    assert new == text.replace("'555'", '"556"')
    new = changed(text, default_stretches=["cat-cow"])
    assert new == "\"phone\" = '555'\ndefault_stretches = [\"cat-cow\"]  # ours\nname = 'A'\n"


def test_tables_stay_byte_for_byte() -> None:
    """[smtp] and [[therapists]] are never rewritten when a top-level value changes."""
    tables = ('\n[smtp]\nhost = "mail.example"  # the provider\nport = 587\n\n'
              '[[therapists]]\nname = "B"\n# license = "later"\n')
    new = changed('name = "A"\n' + tables, name="C", phone="1")
    assert new.endswith(tables) and new.startswith('name = "C"\nphone = "1"\n')


@pytest.mark.parametrize(("text", "changes"), [
    ('name = "A"\n[smtp]\nhost = "a"\n', {"smtp": {"host": "b"}}),
    ('name = "A"\n[smtp]\nhost = "a"\n', {"smtp": None}),
    ('name = "A"\n', {"fonts": {"regular": "a.ttf"}}),
    ('name = "A"\nfonts.regular = "a.ttf"\n', {"fonts": {"regular": "b.ttf"}}),
])
def test_a_change_to_a_table_is_refused(text: str, changes: dict[str, Any]) -> None:
    """Tables (and dotted keys) are not edited in place: Unwritable, not a rewrite."""
    data = tomllib.loads(text)
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    with pytest.raises(Unwritable):
        edit_toml(text, data)


def test_unchanged_data_gives_the_same_text() -> None:
    """Nothing changed: the very same text (so the page does not rewrite the file)."""
    assert edit_toml(INIT, tomllib.loads(INIT)) == INIT
