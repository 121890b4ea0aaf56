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
from typing import TYPE_CHECKING, Any

from .errors import HandoutError, InputError
from .resources import SearchPath
from .text import md_escape

if TYPE_CHECKING:  # Jinja2 and markdown-it are imported when a template is first rendered
    import jinja2
    from markdown_it import MarkdownIt

    from .sandbox import BoundedEnvironment

SAFE_SCHEMES = ("https://", "http://", "mailto:", "tel:")


@lru_cache(maxsize=1)
def _jinja_classes() -> tuple[Any, type[Exception]]:
    """The loader and the refusal error (made on first use: they subclass Jinja2's)."""
    import jinja2

    class TemplateRefused(jinja2.TemplateError):
        """A template file that must not be read (a link out of the clinic folder)."""

    class Loader(jinja2.FileSystemLoader):
        """Templates from the search path's folders; a clinic template (or one it includes)
        that is a link to a file outside the clinic folder is refused (SearchPath.checked)."""

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

    return Loader, TemplateRefused


def _Loader(search: SearchPath) -> Any:  # noqa: N802 - was a class; still called like one
    return _jinja_classes()[0](search)


@lru_cache(maxsize=8)
def environment(search: SearchPath) -> BoundedEnvironment:
    """The one Jinja2 environment for a template search path (clinic folder first)."""
    import jinja2

    from .diskcache import template_cache
    from .sandbox import BoundedEnvironment

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
    import jinja2

    from .sandbox import BoundedEnvironment

    return BoundedEnvironment(loader=_Loader(search), undefined=jinja2.StrictUndefined,
                                autoescape=html, keep_trailing_newline=True, trim_blocks=True,
                                lstrip_blocks=True)


def render_template(search: SearchPath, name: str, context: dict[str, Any],
                    env: BoundedEnvironment | None = None) -> str:
    """Render one template (Markdown sections by default); errors name the file and line."""
    import jinja2

    from .sandbox import TemplateLimit, render_bounded

    TemplateRefused = _jinja_classes()[1]  # noqa: N806 - a class
    env = env or environment(search)
    try:
        template = env.get_template(name)
    except TemplateRefused as exc:
        raise InputError(getattr(exc, "message", None) or "") from None
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
        raise InputError(getattr(exc, "message", None) or "") from None
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
    from markdown_it import MarkdownIt

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


# --- sections from the disk cache ----------------------------------------------------------
# A cold build spends ~35 ms importing Jinja2 and markdown-it and filling in the sections,
# yet most section texts are the same for every client. A section whose template uses only
# the values below is kept, parsed, in the disk cache, so that a build whose sections are all
# there never imports either. Entries never hold a client's words: a template that uses any
# other value (the client's name or note, the stretches, dates) is never stored.
NEUTRAL = frozenset({"clinic", "therapist", "language", "large_print", "sections"})
# Values that say something about the client (their conditions, how many stretches they were
# given): a template that uses them is stored with every variant at once, in one entry, so
# the cache never shows which variant a client needed.
VARIANTS: dict[str, tuple[Any, ...]] = {
    "pregnant": (False, True), "new_hip": (False, True), "belly_work": (False, True),
    "stretch_count": tuple(range(1, 9)),
}
_NOT_STORED = False  # an info entry's data for a template that is rendered every time
_memo: dict[Any, Any] = {}  # this process's entries (template text only)
_MEMO_LIMIT = 256


def section_blocks(search: SearchPath, name: str, context: dict[str, Any], fonts: Any,
                   parse: Any) -> list[Block]:
    """A section's blocks: from the disk cache when its template depends on nothing of the
    client's but the variants above, else rendered and parsed (``parse(text)``) and, where it
    may be, stored with all its variants. The bytes drawn are the same either way."""
    from . import diskcache

    found = _find(search, name)
    if found is None:
        return parse(render_template(search, name, context))
    path, source = found
    info_memo = (str(path), source)
    info, used = _memo.get(info_memo) or (diskcache.key("section-info", *info_memo), None)
    if used is None:
        used = _checked_names(diskcache.load(info))
    if isinstance(used, list):
        _remember(info_memo, (info, used))
        entry_key = _entry_key(info, used, context, fonts)
        if entry_key is not None:
            variants = _memo.get(entry_key) or _decode(
                diskcache.load(diskcache.key("section", entry_key)))
            blocks = variants.get(_variant(used, context)) if variants is not None else None
            if variants is not None and blocks is not None:
                _remember(entry_key, variants)
                return list(blocks)
    blocks = parse(render_template(search, name, context))
    if used is None:
        used = _used_names(search, name, path, source)
        diskcache.store(info, used)
    _remember(info_memo, (info, used))
    if isinstance(used, list):
        _store_variants(search, name, context, fonts, parse, info, used)
    return blocks


def _checked_names(data: Any) -> list[str] | bool | None:
    """An info entry's data as written (names, or False), else None (made again)."""
    if data is _NOT_STORED or isinstance(data, list) and all(
            isinstance(n, str) and (n in NEUTRAL or n in VARIANTS) for n in data):
        return data  # type: ignore[no-any-return]
    return None


def _find(search: SearchPath, name: str) -> tuple[Path, str] | None:
    """The template's file and text, or None (rendering then says what is wrong)."""
    try:
        path = search.find(name)
        return (path, path.read_text(encoding="utf-8")) if path is not None else None
    except (HandoutError, OSError, UnicodeDecodeError):
        return None


def _used_names(search: SearchPath, name: str, path: Path, source: str) -> list[str] | bool:
    """The context names the template uses, when they are all neutral or variants and it
    includes no other template; else False (the section is rendered every time)."""
    from jinja2 import meta, nodes

    env = environment(search)
    if Path(str(env.get_template(name).filename)) != path:
        return _NOT_STORED  # Jinja found another file: keep out of the way
    tree = env.parse(source)
    if any(True for _ in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport,
                                        nodes.Extends))):
        return _NOT_STORED
    used = meta.find_undeclared_variables(tree)
    if not used <= NEUTRAL | set(VARIANTS):
        return _NOT_STORED
    return sorted(used)


def _variant(used: list[str], context: dict[str, Any]) -> str:
    import json

    return json.dumps([context.get(n) for n in used if n in VARIANTS])


def _entry_key(info: str, used: list[str], context: dict[str, Any], fonts: Any) -> str | None:
    """The entry's identity: the template, the fonts and the neutral values it uses; None
    when a variant's value is outside the stored ones (then nothing is stored)."""
    import json

    if any(n in VARIANTS and context.get(n) not in VARIANTS[n] for n in used):
        return None
    try:
        neutral = json.dumps({n: context.get(n) for n in used if n not in VARIANTS},
                             sort_keys=True)
    except (TypeError, ValueError):
        return None
    face = "|".join((fonts.regular, fonts.bold, fonts.italic, fonts.bolditalic, fonts.fallback,
                     fonts.digest))
    return info + "|" + face + "|" + neutral  # (hashed by diskcache.key to name the file)


def _store_variants(search: SearchPath, name: str, context: dict[str, Any], fonts: Any,
                    parse: Any, info: str, used: list[str]) -> None:
    """Render every variant of a storable section and keep them in one entry."""
    import itertools

    from . import diskcache

    entry_key = _entry_key(info, used, context, fonts)
    if entry_key is None:
        return
    names = [n for n in used if n in VARIANTS]
    variants: dict[str, tuple[Block, ...]] = {}
    for values in itertools.product(*(VARIANTS[n] for n in names)):
        each = {**context, **dict(zip(names, values, strict=True))}
        try:
            variants[_variant(used, each)] = tuple(parse(render_template(search, name, each)))
        except HandoutError:
            return  # a variant that cannot be filled in: store none
    _remember(entry_key, variants)
    diskcache.store(diskcache.key("section", entry_key),
                    {v: [[b.kind, list(b.items), b.plain] for b in blocks]
                     for v, blocks in variants.items()})


def _decode(data: Any) -> dict[str, tuple[Block, ...]] | None:
    """An entry's variants, or None when it is missing or not as written."""
    if not isinstance(data, dict):
        return None
    try:
        return {variant: tuple(Block(str(kind), tuple(str(i) for i in items), str(plain))
                               for kind, items, plain in blocks)
                for variant, blocks in data.items()}
    except (TypeError, ValueError):
        return None


def _remember(memo_key: Any, value: Any) -> None:
    """Keep an entry (template text and its parsed variants, never a client's) in-process."""
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()
    _memo[memo_key] = value
