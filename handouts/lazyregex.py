"""Three regular expressions our dependencies compile at import but a handout never uses.

reportlab's paragraph module compiles a web-address pattern (for its optional long-URL
splitting), its text-splitting module a CJK pattern (for a wrapping helper we never call), and
Jinja2's utilities a pattern for its ``urlize`` filter. Compiling them costs about 50 ms of
every cold start (the address pattern alone ~35 ms: a case-insensitive class over most of
Unicode). :func:`install` adds an import hook that, only while one of those modules is being
executed, hands back for exactly those patterns an object that compiles on first use. Their
files are not changed, and every other pattern (and every other module) is untouched.
"""

from __future__ import annotations

import importlib.machinery
import re
import sys
import threading
from typing import Any

# module -> the start of each pattern it may compile late (a changed pattern is simply
# compiled at import as before)
DEFERRED: dict[str, tuple[str, ...]] = {
    "reportlab.platypus.paragraph": ("(^(?:[a-z0-9\\.\\-\\+]*)://)",),
    "reportlab.lib.textsplit": ("([\u2e80-\uffff])",),
    "jinja2.utils": ("\n    ^\n    (\n        (https?://|www\\.)",),
}

_original_compile = re.compile
_lock = threading.Lock()
_depth = 0


class LazyPattern:
    """A compiled pattern made on first use; then it behaves as the compiled pattern."""

    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: Any, flags: Any):
        self._source = source
        self._flags = flags
        self._compiled: Any = None

    def _get(self) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = _original_compile(self._source, self._flags)
        return compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)


def _compile(pattern: Any, flags: Any = 0) -> Any:
    """re.compile, but lazy for the listed patterns of the module that calls it."""
    caller = sys._getframe(1).f_globals.get("__name__", "")
    starts = DEFERRED.get(caller)
    if starts and isinstance(pattern, str) and pattern.startswith(starts):
        return LazyPattern(pattern, flags)
    return _original_compile(pattern, flags)


class _Loader:
    """The module's own loader, with the lazy ``re.compile`` while its code runs (a plain
    class: importing importlib.abc would cost more than the hook saves)."""

    def __init__(self, inner: Any):
        self.inner = inner

    def create_module(self, spec: Any) -> Any:
        return self.inner.create_module(spec)

    def exec_module(self, module: Any) -> None:
        global _depth
        with _lock:
            _depth += 1
            re.compile = _compile  # type: ignore[assignment]
        try:
            self.inner.exec_module(module)
        finally:
            with _lock:
                _depth -= 1
                if _depth == 0:
                    re.compile = _original_compile

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, resource readers
        return getattr(self.inner, name)


class _Finder:
    """Finds the listed modules as usual and wraps their loaders."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname not in DEFERRED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _Loader(spec.loader)  # type: ignore[assignment]
        return spec


def install() -> None:
    """Add the import hook (once; it does nothing for modules already imported)."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
