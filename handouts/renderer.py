"""The renderer: the one owner of everything rendering keeps between handouts.

A run (a CLI command, a batch worker, the web app) makes one :class:`Renderer` and passes it
to :func:`handouts.build.compose` and :func:`handouts.build.render_handout`. It holds the
pictures (each SVG recorded once as the canvas steps that draw it, labels included, and
replayed per handout), the parsed paragraph markup, the page decoration (footer and running
header) and the picture-stream patch. Nothing of it lives in module globals, so two renderers
never share state, and one renderer may be used from several threads (its caches are locked;
a recorded picture is never changed once made).

Caches are bounded and keyed by what the output depends on. Parsed markup that holds a
client's words (name, note, next visit) is dropped when the build that made it ends: a
long-lived renderer never keeps one client's text for the next.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth

from .art import Fit, Loaded, Picture, gray_copy, install_stream_cache, load_picture, load_svg
from .art import low_resolution as _low_resolution
from .fonts import FontSet
from .language import Language, load_language, plan_language
from .models import Plan
from .styles import Theme
from .text import initials

Labels = tuple[tuple[str, str], ...]


def handout_title(client_name: str, words: Language | None = None) -> str:
    """The PDF title, which also tells whose handout a file is (English without ``words``)."""
    return (words or load_language()).text("pdf.title", name=client_name)


class _Bounded(OrderedDict):  # type: ignore[type-arg]
    """A least-recently-used mapping that keeps at most ``limit`` entries."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def remember(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)

    def recall(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value


class ParagraphCache:
    """Parsed paragraph markup (reportlab fragments) by text and style, and the line breaks
    of a text at a width, bounded.

    Parsing markup and breaking lines are most of layout time, and most paragraphs (section
    texts, steps, cautions) recur in every handout at the same widths. Each build records the
    keys it added; :meth:`forget_client` drops those that contain the client's words when the
    build ends.
    """

    def __init__(self, limit: int = 4000):
        self._items = _Bounded(limit)
        self._lock = threading.Lock()
        self._added = threading.local()
        self._prints: weakref.WeakKeyDictionary[Any, tuple[Any, ...]] = \
            weakref.WeakKeyDictionary()
        self._names: weakref.WeakKeyDictionary[Any, tuple[Any, ...]] = \
            weakref.WeakKeyDictionary()

    def __deepcopy__(self, memo: dict[int, Any]) -> ParagraphCache:
        # reportlab deep-copies a paragraph to try a split: the copy shares the cache
        return self

    def _key(self, text: str, style: Any) -> tuple[Any, ...]:
        # (styles are never changed once made: what keys them is worked out once per style)
        found = self._names.get(style)
        if found is None:
            found = (style.name, style.fontName, style.fontSize, str(style.textColor))
            self._names[style] = found
        return (text, *found)

    def get(self, text: str, style: Any) -> list[Any] | None:
        """Copies of the fragments for this text and style, if parsed before."""
        if "<a " in text:  # link fragments carry per-document state: parse each time
            return None
        with self._lock:
            frags = self._items.recall(self._key(text, style))
        return [frag.clone() for frag in frags] if frags is not None else None

    def put(self, text: str, style: Any, frags: list[Any]) -> None:
        """Keep copies of freshly parsed fragments."""
        if "<a " in text:
            return
        key = self._key(text, style)
        with self._lock:
            self._items.remember(key, [frag.clone() for frag in frags])
        added = getattr(self._added, "keys", None)
        if added is not None:
            added.append(key)

    def layout(self, text: str, style: Any, width: float) -> dict[str, Any] | None:
        """What wrapping this text at ``width`` set on a paragraph, if done before (a copy)."""
        if "<a " in text:
            return None
        key = (*self._key(text, style), width, self._style_print(style))
        with self._lock:
            state = self._items.recall(key)
        if state is None:
            return None
        state = dict(state)
        state["frags"] = list(state["frags"])  # reportlab may edit the list, never its words
        return state  # type: ignore[no-any-return]

    def keep_layout(self, text: str, style: Any, width: float, state: dict[str, Any]) -> None:
        """Keep what wrapping this text at ``width`` set (line breaks, height, word list).

        Only while this thread's build is recording what it adds (between ``begin`` and
        ``forget_client``), so that a client's text is always forgotten: a print file lays
        out each handout after its build has ended, and its wraps are not kept."""
        added = getattr(self._added, "keys", None)
        if "<a " in text or added is None:
            return
        key = (*self._key(text, style), width, self._style_print(style))
        state = dict(state, frags=list(state["frags"]))
        with self._lock:
            self._items.remember(key, state)
        added.append(key)

    def _style_print(self, style: Any) -> tuple[Any, ...]:
        """Every setting of a paragraph style, as a key (line breaking depends on indents,
        leading, word splitting and more); worked out once per style object."""
        found = self._prints.get(style)
        if found is None:
            found = tuple(sorted((k, repr(v)) for k, v in vars(style).items()
                                 if k not in ("name", "parent")))
            self._prints[style] = found
        return found

    def begin(self) -> None:
        """Start recording what this thread's build adds."""
        self._added.keys = []

    def forget_client(self, needles: ClientNeedles) -> None:
        """Drop what this thread's build added that holds any of the client's text."""
        added: list[Any] = getattr(self._added, "keys", None) or []
        self._added.keys = None
        if not needles.words and not needles.pairs:
            return
        with self._lock:
            for key in added:
                if key in self._items and needles.found_in(key[0]):
                    del self._items[key]

    def __len__(self) -> int:
        return len(self._items)

    def texts(self) -> list[str]:
        """Every cached text (for tests that check no client text is kept)."""
        with self._lock:
            return [key[0] for key in self._items]


_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    """The words of a text or of paragraph markup (tags and entities taken out)."""
    text = _TAG.sub(" ", text).replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")
    return _WORD.findall(text.casefold())  # a template may print a name in capitals


@dataclass(frozen=True)
class ClientNeedles:
    """How to recognise a client's own text in a cached paragraph: any word of the name, and
    any two consecutive words of a note or the next visit (a one-word note: that word), in
    any case.

    Matching whole words and word pairs, not single common words, keeps the section texts
    cached (a note's "the" or "on" would otherwise match every paragraph) while any text that
    holds a client's name or a piece of a note is still dropped.
    """

    words: frozenset[str]
    pairs: frozenset[tuple[str, str]]

    def found_in(self, text: str) -> bool:
        """True when ``text`` holds the client's name or a piece of their notes."""
        tokens = _tokens(text)
        if self.words.intersection(tokens):
            return True
        return not self.pairs.isdisjoint(zip(tokens, tokens[1:], strict=False))


def client_needles(plan: Plan) -> ClientNeedles:
    """The client's own words that may appear in rendered text: name, notes, next visit."""
    client = plan.client
    words = {w for w in _tokens(client.name)}
    pairs: set[tuple[str, str]] = set()
    for text in (client.note, client.next_visit, *(item.note for item in plan.stretches)):
        tokens = _tokens(text or "")
        if len(tokens) == 1:
            words.add(tokens[0])
        pairs.update(zip(tokens, tokens[1:], strict=False))
    return ClientNeedles(frozenset(words), frozenset(pairs))


@dataclass(frozen=True)
class Decoration:
    """The page decoration for one handout: the footer and the running header."""

    plan: Plan
    theme: Theme

    @property
    def lines(self) -> int:
        """1 when the clinic's name and phone fit beside the page number, else more: the
        name is never cut, it gets a line of its own (two or more when it is longer than
        the page is wide)."""
        return len(self._clinic_lines()) + 1 if self._stacked() else 1

    def _clinic_text(self) -> str:
        return " · ".join(x for x in (self.plan.clinic.name, self.plan.clinic.phone) if x)

    def _stacked(self) -> bool:
        """Whether the clinic takes its own line(s) above "For J.D." and "Page X of Y"."""
        theme, plan = self.theme, self.plan
        size = theme.s("footer").fontSize
        if stringWidth(self._clinic_text(), theme.fonts.regular, size) > theme.frame_width * 0.5:
            return True
        # "For J.D." centred right of the middle must end before "Page 99 of 99" begins (in
        # a language with longer words it moves to the second line instead of overlapping)
        words = plan_language(plan)
        who = initials(plan.client.name)
        middle = words.text("footer.for", initials=who) if who else ""
        right = words.text("footer.page", page=99, total=99)
        width, _ = theme.page_size
        middle_end = width / 2 + theme.frame_width * 0.12 + \
            stringWidth(middle, theme.fonts.regular, size) / 2
        right_start = width - theme.margin - stringWidth(right, theme.fonts.regular, size)
        return middle_end + size > right_start

    def _clinic_lines(self) -> list[str]:
        """The clinic's name and phone over the page's width: on one line where they fit,
        else the name broken between words (never cut) and the phone kept whole."""
        theme, plan = self.theme, self.plan
        font, size, room = theme.fonts.regular, theme.s("footer").fontSize, theme.frame_width
        pieces = plan.clinic.name.split()
        if plan.clinic.phone:
            pieces.append(f"· {plan.clinic.phone}")
        lines: list[str] = []
        for piece in pieces:
            joined = f"{lines[-1]} {piece}" if lines else piece
            if lines and stringWidth(joined, font, size) <= room:
                lines[-1] = joined
            else:
                lines.append(piece.removeprefix("· ") if lines else piece)
        # (a single word wider than the page, which 80 characters may be, still prints
        # whole rather than cut: it runs into the margin, as a table cell would let it)
        return lines or [""]

    def footer(self, canvas: Any, page: int, total: int) -> None:
        """Clinic name and phone, "For J.D.", "Page X of Y" under a rule (the clinic on its
        own line or lines above the others when it needs the room)."""
        theme, fonts, plan = self.theme, self.theme.fonts, self.plan
        style = theme.s("footer")
        size = style.fontSize
        width, _ = theme.page_size
        y = theme.margin
        lines = self.lines
        top = y + size * (1.45 + 1.3 * (lines - 1))
        canvas.saveState()
        canvas.setStrokeColor(theme.colors["rule"])
        canvas.setLineWidth(0.75)
        canvas.line(theme.margin, top, width - theme.margin, top)
        canvas.setFillColor(style.textColor)
        who = initials(plan.client.name)
        words = plan_language(plan)
        right = words.text("footer.page", page=page, total=total)
        middle = words.text("footer.for", initials=who) if who else ""
        draw_line(canvas, fonts, right, width - theme.margin, y, size, "right")
        if lines == 1:
            draw_line(canvas, fonts, middle, width / 2 + theme.frame_width * 0.12, y, size,
                      "center")
            draw_line(canvas, fonts, self._clinic_text(), theme.margin, y, size, "left")
        else:
            draw_line(canvas, fonts, middle, theme.margin, y, size, "left")
            clinic = self._clinic_lines()  # (drawn top first: the order they are read in)
            for row, text in enumerate(clinic):
                draw_line(canvas, fonts, text, theme.margin,
                          y + size * 1.3 * (len(clinic) - row), size, "left")
        canvas.restoreState()

    def later_header(self, canvas: Any) -> None:
        """The handout's title over a rule, on every page after the first."""
        theme, fonts = self.theme, self.theme.fonts
        style = theme.s("footer")
        size = style.fontSize
        width, height = theme.page_size
        y = height - theme.margin - size
        text = fit_text(handout_title(self.plan.client.name, plan_language(self.plan)),
                        fonts.regular, size,
                        theme.frame_width)
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        draw_line(canvas, fonts, text, theme.margin, y, size, "left")
        canvas.setStrokeColor(theme.colors["rule"])
        canvas.setLineWidth(0.75)
        canvas.line(theme.margin, y - size * 0.5, width - theme.margin, y - size * 0.5)
        canvas.restoreState()


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """Shorten ``text`` with an ellipsis until it fits ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def draw_line(canvas: Any, fonts: FontSet, text: str, x: float, y: float, size: float,
              align: str) -> None:
    """Draw one line of plain text, in the fallback face if the house face lacks a letter."""
    face = fonts.regular if all(fonts.main_has(c) or c == " " for c in text) else fonts.fallback
    canvas.setFont(face, size)
    {"left": canvas.drawString, "right": canvas.drawRightString,
     "center": canvas.drawCentredString}[align](x, y, text)


class Renderer:
    """The pictures, parsed markup and page decoration for one run or one app."""

    def __init__(self, *, picture_limit: int = 64, paragraph_limit: int = 4000):
        install_stream_cache()  # reuse each raster picture's compressed stream (idempotent)
        self.paragraphs = ParagraphCache(paragraph_limit)
        self._pictures = _Bounded(picture_limit)
        self._lock = threading.RLock()  # guards the picture cache (gray asks for colour)
        self._markdown = _Bounded(256)  # a section's rendered Markdown -> its blocks
        self._markdown_added = threading.local()

    def _loaded(self, path: Path, fonts: FontSet, gray: bool, labels: Labels = (),
                fit: Fit | None = None) -> Loaded:
        key = (path, path.stat().st_mtime_ns, fonts, gray, labels, fit)
        with self._lock:
            found = self._pictures.recall(key)
            if found is not None:
                return found  # type: ignore[no-any-return]
            if path.suffix.lower() == ".svg":  # recorded once; replayed, labels and all
                loaded = load_svg(path, fonts, gray, labels, fit)
            elif gray:
                loaded = gray_copy(self._loaded(path, fonts, False))
            else:
                loaded = load_picture(path, fonts)
            self._pictures.remember(key, loaded)
            return loaded

    def picture(self, path: Path, fonts: FontSet, width: float,
                max_height: float | None = None, warnings: list[str] | None = None,
                gray: bool = False, labels: Labels = (), label_size: float = 0) -> Picture:
        """A flowable for the picture at ``path``; warns when raster art is under 200 ppi.
        ``labels`` ((word, replacement) pairs) put a drawing's labels in another language;
        ``label_size`` (pt) is the least size a drawing's labels print at (large print): the
        figure keeps the scale that fits it to ``width``, its box wider where labels need it."""
        fit = (label_size, width, max_height or 0.0) \
            if label_size and path.suffix.lower() == ".svg" else None
        source, natural, pixels = self._loaded(path, fonts, gray, labels, fit)
        if fit is not None:  # the figure prints at its own scale; the box grew for the labels
            drawn = self._loaded(path, fonts, gray, labels)[1]
            scale = min(width / drawn[0], (max_height or 1e9) / drawn[1])
            width, max_height = natural[0] * scale, None
        flowable = Picture(source, natural, width, max_height)
        warning = _low_resolution(path, pixels, flowable.width)
        if warning and warnings is not None:
            warnings.append(warning)
        return flowable

    def markdown(self, source: str, fonts: FontSet) -> list[Any]:
        """The blocks of a section's rendered Markdown (parsed once per text and fonts; a
        text holding the client's words is forgotten when the build ends)."""
        from .templating import parse_markdown
        from .text import markup

        key = (source, fonts)
        with self._lock:
            found = self._markdown.recall(key)
        if found is None:
            found = tuple(parse_markdown(source, lambda text: markup(text, fonts)))
            added = getattr(self._markdown_added, "keys", None)
            if added is not None:  # only inside a build, which forgets the client's text
                with self._lock:
                    self._markdown.remember(key, found)
                added.append(key)
        return list(found)

    def decoration(self, plan: Plan, theme: Theme) -> Decoration:
        """The footer and running header for one handout."""
        return Decoration(plan, theme)

    def begin(self, plan: Plan) -> None:
        """A build starts on this thread."""
        self.paragraphs.begin()
        self._markdown_added.keys = []

    def end(self, plan: Plan) -> None:
        """The build has ended: forget the client's text it parsed."""
        needles = client_needles(plan)
        self.paragraphs.forget_client(needles)
        added = getattr(self._markdown_added, "keys", None) or []
        self._markdown_added.keys = None
        with self._lock:
            for key in added:
                if key in self._markdown and needles.found_in(key[0]):
                    del self._markdown[key]

