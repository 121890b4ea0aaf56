"""A Jinja2 sandbox with limits, so a clinic's template can neither run for ever nor fill memory.

Jinja's own sandbox stops templates from reaching Python's internals, but not from looping
10 billion times (nested ``range(100000)``) or building ``'x' * 10**9``. Here every loop is
counted, every operator, call and filter that could build a huge value is checked (before it
runs where the size can be known), ``range()`` is capped, and the text a template writes is
counted as it is generated (see :func:`render_bounded`). Each limit raises
:class:`TemplateLimit`, which :mod:`handouts.templating` turns into one line naming the file.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

MAX_OUTPUT = 200_000    # characters one template (with what it includes) may write
MAX_SECONDS = 2.0       # time to fill in one template
MAX_RANGE = 10_000      # items in one range()
MAX_LOOPS = 100_000     # loop turns in one template, all loops together
MAX_VALUE = 1_000_000   # characters (or items) in one value the template builds
_MAX_INT_BITS = 100_000  # about 30,000 digits
# A width or precision of 7 digits or more, in %-style or {}-style format strings.
_WIDE_FORMAT = re.compile(r"%[-#0 +]*\d{7,}|%[-#0 +]*\d*\.\d{7,}|\{[^{}]*:[^{}]*\d{7,}[^{}]*\}")
# A width given by an argument: '%*d', '%.*f', '{:>{w}}'.
_ARGUMENT_WIDTH = re.compile(r"%[-#0 +]*\*|%[-#0 +]*\d*\.\*|\{[^{}]*:[^{}]*\{")
_PADDING_METHODS = ("center", "ljust", "rjust", "zfill", "expandtabs")
_SIZING_FILTERS = ("do_center", "do_indent", "do_batch", "do_slice")


class TemplateLimit(jinja2.TemplateRuntimeError):
    """A template went past one of the limits; the message says which."""


@dataclass
class _Budget:
    deadline: float
    loops: int = 0


_BUDGET: ContextVar[_Budget | None] = ContextVar("handouts_template_budget", default=None)


def _check_time() -> None:
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise TemplateLimit(f"it took over {MAX_SECONDS:g} seconds to fill in (look for a "
                            "loop that runs too long)")


def _too_big() -> TemplateLimit:
    return TemplateLimit(f"it builds a value over {MAX_VALUE:,} characters long (for example "
                         "'x' * 10**9); make it smaller")


def _sized(value: Any) -> Any:
    """``value``, if it is not a string or collection over the limit."""
    if isinstance(value, (str, bytes, list, tuple, dict, set)) and len(value) > MAX_VALUE:
        raise _too_big()
    return value


def _check_ints(values: Iterable[Any]) -> None:
    """Refuse huge numbers where a number is a size to make (``center(10**9)``)."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE:
            raise _too_big()


def _check_format(text: Any, args: Iterable[Any] = ()) -> None:
    """Refuse a format string with a huge width or precision (``'%0999999999d'``), or one
    whose width comes from an argument that is huge (``'%*d' % (10**9, 1)``)."""
    if not isinstance(text, str):
        return
    if _WIDE_FORMAT.search(text):
        raise _too_big()
    if _ARGUMENT_WIDTH.search(text):
        values = list(args)
        for value in list(values):
            if isinstance(value, dict):
                values.extend(value.values())
        _check_ints(values)


def _check_replace(text: Any, old: Any, new: Any) -> None:
    """Refuse a replacement whose result would be over the limit (``s.replace('x', s)``)."""
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str) and old:
        if len(text) + text.count(old) * max(len(new) - len(old), 0) > MAX_VALUE:
            raise _too_big()


def _check_join(separator: Any, items: Any) -> None:
    if isinstance(separator, str) and hasattr(items, "__len__"):
        if len(separator) * len(items) > MAX_VALUE:
            raise _too_big()


def guard_loop(iterable: Any) -> Iterator[Any]:
    """Every template loop runs through this: turns are counted and the clock is checked."""
    budget = _BUDGET.get()
    for item in iterable:
        if budget is not None:
            budget.loops += 1
            if budget.loops > MAX_LOOPS:
                raise TemplateLimit(f"its loops run more than {MAX_LOOPS:,} times; make "
                                    "them shorter")
            if budget.loops % 256 == 0:
                _check_time()
        yield item


def guard_value(value: Any) -> Any:
    """Every ``~`` joins through this: the joined text must stay under the limit."""
    return _sized(value)


def bounded_range(*args: int) -> range:
    """``range()`` for templates: at most MAX_RANGE items."""
    _check_ints(args)
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise TemplateLimit(f"range() makes {len(result):,} items; at most {MAX_RANGE:,} "
                            "are allowed")
    return result


class _Guards(NodeTransformer):
    """Route every loop through :func:`guard_loop` and every ``~`` through guard_value."""

    def _call(self, name: str, node: nodes.Node) -> nodes.Call:
        return nodes.Call(nodes.ImportedName(f"{__name__}.{name}", lineno=node.lineno),
                          [node], [], None, None, lineno=node.lineno)

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802 (visitor naming)
        self.generic_visit(node)
        node.iter = self._call("guard_loop", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return self._call("guard_value", node)


def _guard_filter(func: Any) -> Any:
    """A filter that checks its arguments and its result (``'x'|center(10**9)``)."""
    skip = 2 if getattr(func, "jinja_pass_arg", None) is not None else 1

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _check_time()
        rest = args[skip - 1:]
        if func.__name__ in _SIZING_FILTERS:  # a number here is a size to make
            _check_ints(list(rest[1:]) + list(kwargs.values()))
        if func.__name__ == "do_replace" and len(rest) >= 3:
            _check_replace(str(rest[0]), rest[1], rest[2])
        elif func.__name__ == "do_join" and len(rest) >= 2:
            _check_join(rest[1], rest[0])
        elif func.__name__ == "do_format" and rest:
            _check_format(rest[0], list(rest[1:]) + list(kwargs.values()))
        return _sized(func(*args, **kwargs))

    return guarded


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox with limits on loops, values, output and time (see the module notes)."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.globals["range"] = bounded_range
        self.globals.pop("lipsum", None)  # lipsum(n=10**6) writes megabytes
        self.filters = {name: _guard_filter(f) for name, f in self.filters.items()}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        tree = _Guards().visit(tree)
        tree.set_environment(self)
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Check the size of what ``*``, ``**``, ``+`` and ``%`` would build, then do it."""
        _check_time()
        if operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > _MAX_INT_BITS:
                    raise _too_big()
            else:
                seq, count = (left, right) if isinstance(right, int) else (right, left)
                if (isinstance(count, int) and hasattr(seq, "__len__")
                        and len(seq) * count > MAX_VALUE):
                    raise _too_big()
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * math.log2(abs(left)) > _MAX_INT_BITS:
                raise _too_big()
        elif operator == "+" and hasattr(left, "__len__") and hasattr(right, "__len__"):
            if len(left) + len(right) > MAX_VALUE:
                raise _too_big()
        elif operator == "%":
            _check_format(left, right if isinstance(right, tuple) else (right,))
        return _sized(super().call_binop(context, operator, left, right))

    def call(self, context: Any, obj: Any, /, *args: Any,  # type: ignore[override]
             **kwargs: Any) -> Any:
        """Check a call's arguments (and a str method's likely result), then make it."""
        _check_time()
        target = getattr(obj, "__wrapped__", obj)
        owner = getattr(target, "__self__", None)
        method = getattr(target, "__name__", "")
        if isinstance(owner, str):
            if method in ("format", "format_map"):
                _check_format(owner, list(args) + list(kwargs.values()))
            elif method in _PADDING_METHODS:
                _check_ints(list(args) + list(kwargs.values()))
            elif method == "replace" and len(args) >= 2:
                _check_replace(owner, args[0], args[1])
            elif method == "join" and args:
                _check_join(owner, args[0])
        result = _sized(super().call(context, obj, *args, **kwargs))
        if isinstance(owner, (list, dict, set)):
            _sized(owner)  # l.extend(l) in a loop doubles a list each turn
        return result


def render_bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Fill in ``template`` within the limits; TemplateLimit when it goes past one."""
    token = _BUDGET.set(_Budget(time.monotonic() + MAX_SECONDS))
    chunks: Any = template.generate(context)  # a generator: closed below
    try:
        parts: list[str] = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimit(f"it writes more than {MAX_OUTPUT // 1000} KB of text; "
                                    "make it shorter")
            _check_time()
            parts.append(chunk)
        return "".join(parts)
    finally:
        chunks.close()
        _BUDGET.reset(token)
