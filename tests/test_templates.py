"""Section templates: every one renders, undefined variables fail, values stay literal."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write
from handouts.build import load_request, plan_handout, section_context
from handouts.errors import InputError
from handouts.fonts import load_fonts
from handouts.language import template_search
from handouts.models import SECTIONS
from handouts.templating import parse_markdown, render_template
from handouts.text import markup, md_escape


@pytest.fixture
def context() -> dict:  # type: ignore[type-arg]
    clinic, client, library = load_request(None)
    return section_context(plan_handout(clinic, client, library))


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_renders_with_a_heading(section: str, context: dict) -> None:  # type: ignore[type-arg]
    """Each built-in section renders and starts with an informative heading."""
    source = render_template(template_search("en", None), f"sections/{section}.md.j2", context)
    blocks = parse_markdown(source, lambda t: t)
    assert blocks[0].kind == "h2" and len(blocks[0].plain) > 5
    assert len(blocks) > 1 or section == "contact"  # contact: the clinic's box follows


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("pregnant, new_hip", [(False, False), (True, True)])
def test_no_list_is_longer_than_seven(context: dict, language: str, pregnant: bool,  # type: ignore[type-arg]
                                      new_hip: bool) -> None:
    """CDC Clear Communication: no list longer than 7 items, with the pregnancy and new-hip
    boxes too; each of those boxes says whose instructions come first, before its list."""
    context = {**context, "pregnant": pregnant, "new_hip": new_hip}
    for section in (*SECTIONS, "floor"):
        source = render_template(template_search(language, None), f"sections/{section}.md.j2",
                                 context)
        blocks = parse_markdown(source, lambda t: t)
        for block in blocks:
            assert len(block.items) <= 7, section
        if section == "safety":
            boxes = [i for i, b in enumerate(blocks) if b.kind == "h3"]
            assert len(boxes) == 3 + pregnant + new_hip
            for index in boxes[3:]:
                assert blocks[index + 1].kind == "p" and blocks[index + 2].kind == "ul"


def test_undefined_variable_is_an_error(tmp_path: Path, context: dict) -> None:  # type: ignore[type-arg]
    """StrictUndefined: a misspelt variable in a clinic's template names the file."""
    write(tmp_path / "templates" / "sections" / "log.md.j2", "## Log\n{{ clinet.name }}\n")
    with pytest.raises(InputError, match=r"log\.md\.j2: 'clinet' is undefined"):
        render_template(template_search("en", tmp_path), "sections/log.md.j2", context)


def test_template_syntax_error_names_line(tmp_path: Path, context: dict) -> None:  # type: ignore[type-arg]
    """A broken template is reported with its file and line."""
    write(tmp_path / "templates" / "sections" / "log.md.j2", "## Log\n\n{% if %}\n")
    with pytest.raises(InputError, match=r"log\.md\.j2: line 3: template error"):
        render_template(template_search("en", tmp_path), "sections/log.md.j2", context)


def test_sandbox_blocks_python_internals(tmp_path: Path, context: dict) -> None:  # type: ignore[type-arg]
    """A clinic template cannot reach Python internals (sandboxed environment)."""
    write(tmp_path / "templates" / "sections" / "log.md.j2",
          "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(InputError):
        render_template(template_search("en", tmp_path), "sections/log.md.j2", context)


def test_clinic_template_overrides_builtin(tmp_path: Path, context: dict) -> None:  # type: ignore[type-arg]
    """A clinic's file with the same name wins over the built-in one."""
    write(tmp_path / "templates" / "sections" / "log.md.j2", "## Our own log\n\nTick.\n")
    source = render_template(template_search("en", tmp_path), "sections/log.md.j2", context)
    assert "Our own log" in source


@pytest.mark.parametrize("value", ["*bold*", "# not a heading", "1. not a list", "[x](http://e)",
                                   "<b>x</b>", "a & b", "R&D", "line\nbreak", "`code`", "\\"])
def test_inserted_values_stay_literal(value: str) -> None:
    """Markdown and reportlab markup in a value print literally after both escaping layers."""
    fonts = load_fonts()
    blocks = parse_markdown("Note: " + md_escape(value), lambda t: markup(t, fonts))
    rendered = " ".join(" ".join(b.items) for b in blocks)
    from xml.sax.saxutils import unescape
    plain = unescape(rendered.replace("<br/>", "\n"))
    assert plain == "Note: " + value
