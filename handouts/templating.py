"""Section templates: one Jinja2 environment, and Markdown turned into reportlab flowables.

Templates are Markdown with Jinja2 (``templates/sections/<id>.md.j2``). The environment is
sandboxed (a clinic writes its own templates), uses ``StrictUndefined`` (a misspelt variable is an
error, not an empty string) and escapes every inserted value for Markdown through ``finalize``,
so a client's ``*note*`` or ``# 1`` prints literally. The Markdown parser has raw HTML turned
off, and each text run is escaped again for reportlab's paragraph markup in :func:`to_flowables`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt

from .errors import HandoutError, InputError
from .resources import SearchPath
from .sandbox import BoundedEnvironment, TemplateLimit, render_bounded
from .text import md_escape

SAFE_SCHEMES = ("https://", "http://", "mailto:", "tel:")


class _Loader(jinja2.FileSystemLoader):
    """Templates from the search path's folders; a clinic template (or one it includes) that
    is a link to a file outside the clinic folder is refused (see SearchPath.checked)."""

    def __init__(self, search: SearchPath):
        super().__init__([str(p) for p in search.folders], encoding="utf-8")
        self.search = search

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        try:
            self.search.checked(Path(filename))
        except InputError as exc:
            raise TemplateRefused(str(exc)) from None
        return source, filename, uptodate


class TemplateRefused(jinja2.TemplateError):
    """A template file that must not be read (a link out of the clinic folder)."""


@lru_cache(maxsize=8)
def environment(search: SearchPath) -> BoundedEnvironment:
    """The one Jinja2 environment for a template search path (clinic folder first)."""
    from .diskcache import template_cache

    loader = _Loader(search)
    return BoundedEnvironment(
        bytecode_cache=template_cache(),  # compiled once, kept in the disk cache
        loader=loader,
        undefined=jinja2.StrictUndefined,
        finalize=md_escape,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=8)
def email_environment(search: SearchPath, html: bool) -> BoundedEnvironment:
    """The environment for email templates: plain text, or HTML with every value escaped."""
    return BoundedEnvironment(loader=_Loader(search), undefined=jinja2.StrictUndefined,
                                autoescape=html, keep_trailing_newline=True, trim_blocks=True,
                                lstrip_blocks=True)


def render_template(search: SearchPath, name: str, context: dict[str, Any],
                    env: BoundedEnvironment | None = None) -> str:
    """Render one template (Markdown sections by default); errors name the file and line."""
    env = env or environment(search)
    try:
        template = env.get_template(name)
    except TemplateRefused as exc:
        raise InputError(exc.message or "") from None
    except jinja2.TemplateNotFound:
        raise InputError(f"template '{name}' not found in "
                         + ", ".join(str(p) for p in search.folders) + ".") from None
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"{exc.filename or name}: line {exc.lineno}: template error: "
                         f"{exc.message}") from None
    try:
        return render_bounded(template, context)
    except jinja2.UndefinedError as exc:
        raise InputError(f"{template.filename}: {exc.message}; see the README for the "
                         "variables a section template can use.") from None
    except TemplateRefused as exc:  # an {% include %} of a link out of the clinic folder
        raise InputError(exc.message or "") from None
    except TemplateLimit as exc:
        raise InputError(f"{_where(exc, template.filename)}: the template stops here: "
                         f"{exc.message}.") from None
    except jinja2.TemplateError as exc:
        raise InputError(f"{template.filename}: template error: {exc}") from None
    except HandoutError:
        raise
    except RecursionError:
        raise InputError(f"{template.filename}: the template calls itself too many times "
                         "over; look for a macro that calls itself.") from None
    except Exception as exc:  # 1/0, int('a')…: the message could quote a client's text
        raise InputError(f"{_where(exc, template.filename)}: template error "
                         f"({type(exc).__name__}).") from None


def _where(exc: BaseException, filename: str | None) -> str:
    """The template file and line an error was raised on (Jinja maps its frames back to
    template lines), else just the template's file."""
    found = f"{filename}"
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.endswith(".py") and not name.startswith("<"):
            found = f"{name}: line {tb.tb_lineno}"
        tb = tb.tb_next
    return found


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@dataclass(frozen=True)
class Block:
    """One block of a rendered section: a heading, paragraph or list (of inline markup)."""

    kind: str          # "h1".."h6", "p", "ul", "ol"
    items: tuple[str, ...]  # reportlab markup; one item for headings and paragraphs
    plain: str = ""    # heading text, for bookmarks


def parse_markdown(source: str, inline_markup: Any) -> list[Block]:
    """Parse Markdown into blocks; ``inline_markup(text)`` escapes one plain-text run."""
    tokens = _parser().parse(source)
    blocks: list[Block] = []
    list_stack: list[tuple[str, list[str]]] = []
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_stack.append(("ul" if token.type.startswith("bullet") else "ol", []))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            kind, items = list_stack.pop()
            if list_stack:  # a nested list folds into its parent's items
                list_stack[-1][1].extend(items)
            else:
                blocks.append(Block(kind, tuple(items)))
        elif token.type == "inline":
            parent = tokens[index - 1]
            text = _inline(token.children or [], inline_markup)
            if list_stack:
                list_stack[-1][1].append(text)
            elif parent.type == "heading_open":
                plain = "".join(c.content for c in token.children or [] if c.type == "text")
                blocks.append(Block(parent.tag, (text,), plain))
            else:
                blocks.append(Block("p", (text,)))
    return blocks


_SIMPLE_TAGS = {"softbreak": " ", "hardbreak": "<br/>", "strong_open": "<b>",
                "strong_close": "</b>", "em_open": "<i>", "em_close": "</i>"}


def _inline(children: list[Any], inline_markup: Any) -> str:
    """Turn inline tokens into reportlab markup; only safe link schemes become links."""
    out = []
    links: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "image"):
            out.append(inline_markup(child.content))
        elif kind in _SIMPLE_TAGS:
            out.append(_SIMPLE_TAGS[kind])
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            if href.startswith(SAFE_SCHEMES):
                out.append(f'<a href="{_attr(href)}"><u>')
                links.append("</u></a>")
            else:
                links.append("")
        elif kind == "link_close" and links:
            out.append(links.pop())
    return "".join(out)


def _attr(value: str) -> str:
    return (value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))
