"""Languages: every word the code puts on a handout, in a PDF's metadata or in an email.

A language is a folder, ``templates/lang/<code>/``: ``language.toml`` (its name, default locale
and review status), ``locale.toml`` (month and weekday names, date patterns, number style, the
dose line's phrases), ``strings.toml`` (every other word the code prints), the section and email
templates, and the words of each stretch and condition (their data, the same in every language,
stays in ``templates/stretches`` and ``templates/conditions.toml``). A clinic's own
``templates/lang/<code>/`` is searched first, file by file, and may add a language of its own.

Words reach the code through :class:`Language` (``text(key, **values)``), loaded once per
language and clinic folder and kept while its files are unchanged. A missing key or file is an
error naming the file and the key: nothing ever falls back to English silently.
"""

from __future__ import annotations

import datetime as _dt
import re
import threading
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .diskcache import load_template_toml
from .errors import InputError
from .resources import BUILTIN_TEMPLATES, SearchPath

DEFAULT_LANGUAGE = "en"
LANG_FOLDER = "lang"
_CODE = re.compile(r"^[a-z]{2,3}$")
LOCALE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-(?:[A-Z]{2}|[0-9]{3}))?$")
REVIEW_STATUSES = ("draft", "reviewed")
# A template's own review status: {# review: draft #} or
# {# review: reviewed by NAME on YYYY-MM-DD #} on a line of its own.
_TEMPLATE_REVIEW = re.compile(
    r"\{#\s*review:\s*(draft|reviewed)(?:\s+by\s+(.+?)\s+on\s+(\d{4}-\d\d-\d\d))?\s*#\}")


class LanguageError(InputError):
    """A language's file or word is missing or malformed (names the file and the key)."""


@dataclass(frozen=True)
class Review:
    """Who checked a file's words: ``draft`` until a qualified reviewer has."""

    status: str
    reviewer: str = ""
    date: str = ""

    @property
    def draft(self) -> bool:
        """True while nobody qualified has reviewed the words."""
        return self.status != "reviewed"


def lang_folders(code: str, clinic_folder: Path | None) -> tuple[Path, ...]:
    """The folders a language's files are searched in: the clinic's first, then built-in."""
    folders = [BUILTIN_TEMPLATES / LANG_FOLDER / code]
    if clinic_folder is not None:
        folders.insert(0, clinic_folder / "templates" / LANG_FOLDER / code)
    return tuple(folders)


def available(clinic_folder: Path | None) -> list[str]:
    """The language codes there are: folders under templates/lang, built-in and the clinic's."""
    roots = [BUILTIN_TEMPLATES / LANG_FOLDER]
    if clinic_folder is not None:
        roots.append(clinic_folder / "templates" / LANG_FOLDER)
    found = {p.name for root in roots if root.is_dir() for p in root.iterdir()
             if p.is_dir() and _CODE.match(p.name)}
    return sorted(found)


def check_code(code: str, clinic_folder: Path | None, where: str) -> str:
    """``code`` if that language exists, else one line listing the languages there are."""
    code = code.strip().lower()
    codes = available(clinic_folder)
    if code not in codes:
        raise InputError(f"{where}: language '{code}' is not available; use one of: "
                         + ", ".join(codes) + " (the folders in templates/lang).")
    return code


def template_search(code: str, clinic_folder: Path | None) -> SearchPath:
    """Where a language's section and email templates are found. For English a clinic's
    older override folders (``templates/sections``, ``templates/email``) still count."""
    folders = list(lang_folders(code, clinic_folder))
    if clinic_folder is not None and code == DEFAULT_LANGUAGE:
        folders.insert(1, clinic_folder / "templates")
    return SearchPath(tuple(folders), clinic_folder)


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and key != "review":
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def review_of(data: Any, where: str) -> Review | None:
    """A file's own ``[review]`` table (None when it has none)."""
    table = data.get("review") if isinstance(data, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict) or table.get("status") not in REVIEW_STATUSES:
        raise LanguageError(f"{where}: [review] needs status = \"draft\" or \"reviewed\".")
    review = Review(str(table["status"]), str(table.get("reviewer", "")),
                    str(table.get("date", "")))
    if not review.draft and not (review.reviewer and review.date):
        raise LanguageError(f"{where}: [review] status = \"reviewed\" needs the reviewer's "
                            "name (reviewer = \"...\") and the date (date = \"YYYY-MM-DD\").")
    return review


@dataclass
class Language:
    """One language's words and locale, for one clinic folder (see the module docstring)."""

    code: str
    name: str
    locale: str
    clinic_folder: Path | None
    strings_file: Path
    locale_file: Path
    strings: dict[str, Any]
    locale_data: dict[str, Any]
    folder_review: dict[Path, Review] = field(default_factory=dict)  # per language folder
    _file_reviews: dict[Path, Review] = field(default_factory=dict, repr=False)

    # --- words -----------------------------------------------------------------------
    def text(self, key: str, **values: Any) -> str:
        """The words for ``key`` (``section.name`` in strings.toml), with ``{values}`` filled."""
        return self._format(self.strings_file, self.strings, key, values)

    def words(self, key: str) -> list[str]:
        """A list of words from strings.toml (for the checks' patterns)."""
        value = self._get(self.strings_file, self.strings, key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise LanguageError(f"{self.strings_file}: '{key}' must be a list of text.")
        return value

    def local(self, key: str, **values: Any) -> str:
        """A phrase from locale.toml (dates, the dose line), with ``{values}`` filled."""
        return self._format(self.locale_file, self.locale_data, key, values)

    def _get(self, path: Path, table: dict[str, Any], key: str) -> Any:
        if key not in table:
            raise LanguageError(f"{path}: the key '{key}' is missing. Add it (the English "
                                "file has every key the code uses).")
        return table[key]

    def _format(self, path: Path, table: dict[str, Any], key: str,
                values: dict[str, Any]) -> str:
        value = self._get(path, table, key)
        if not isinstance(value, str):
            raise LanguageError(f"{path}: '{key}' must be text in quotes.")
        try:
            return value.format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise LanguageError(f"{path}: '{key}' has a placeholder the code does not fill "
                                f"({exc}); use only: "
                                + ", ".join("{" + v + "}" for v in values) + ".") from None

    # --- locale ----------------------------------------------------------------------
    def _names(self, key: str, count: int) -> list[str]:
        names = self._get(self.locale_file, self.locale_data, key)
        if not isinstance(names, list) or len(names) != count \
                or not all(isinstance(n, str) and n for n in names):
            raise LanguageError(f"{self.locale_file}: '{key}' must list {count} names.")
        return names

    def _pattern(self, key: str) -> str:
        """A locale pattern: the locale's own ([locales."xx-YY"]) before the language's."""
        own = f"locales.{self.locale}.{key}"
        return own if own in self.locale_data else key

    def long_date(self, day: _dt.date, weekday: bool = True) -> str:
        """A date in words in this locale ("Sunday, November 22, 2026")."""
        key = self._pattern("dates.long" if weekday else "dates.no_weekday")
        return self.local(key, weekday=self._names("weekdays", 7)[day.weekday()],
                          day=day.day, month=self._names("months", 12)[day.month - 1],
                          year=day.year)

    def weekday_short(self, day: _dt.date) -> str:
        """The day's short name for the log's columns ("Sun")."""
        return self._names("weekdays_short", 7)[day.weekday()]

    def number(self, value: int) -> str:
        """A whole number in this locale's style (thousands grouped: 1,000 or 1.000)."""
        sep = self.local(self._pattern("numbers.thousands"))
        text = str(abs(value))
        groups: list[str] = []
        while len(text) > 3:
            groups.insert(0, text[-3:])
            text = text[:-3]
        groups.insert(0, text)
        return ("-" if value < 0 else "") + sep.join(groups)

    def visit_text(self, value: str) -> str:
        """A next visit as printed: an ISO date (from a TOML date) in words, text as is."""
        try:
            return self.long_date(_dt.date.fromisoformat(value))
        except ValueError:
            return value

    # --- review ----------------------------------------------------------------------
    def review(self, path: Path) -> Review:
        """The review status of one of this language's files: its own marker, else the
        language's: the clinic's ``language.toml`` [review] when it has one (the clinic's
        reviewer then vouches for the whole language), else the built-in folder's."""
        if path in self._file_reviews:
            return self._file_reviews[path]
        own: Review | None = None
        if path.suffix == ".toml":
            own = review_of(load_template_toml(path), str(path))
        elif path.is_file():
            found = _TEMPLATE_REVIEW.search(path.read_text(encoding="utf-8", errors="replace"))
            if found is not None:
                own = Review(found.group(1), found.group(2) or "", found.group(3) or "")
        if own is None:
            own = next(iter(self.folder_review.values()))  # the clinic's folder comes first
        self._file_reviews[path] = own
        return own


_CACHE: dict[tuple[str, str], tuple[tuple[Any, ...], dict[str, Language]]] = {}
_LOCK = threading.Lock()


def _signature(paths: list[Path]) -> tuple[Any, ...]:
    """What the cached language depends on: its files' sizes and times."""
    out: list[tuple[str, int | None, int | None]] = []
    for path in paths:
        try:
            stat = path.stat()
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def load_language(code: str = DEFAULT_LANGUAGE, clinic_folder: Path | None = None,
                  locale: str = "") -> Language:
    """The language ``code`` for a clinic folder (cached while its files are unchanged).

    ``locale`` is the clinic's ``locale`` key: it applies when it is of this language
    (``es-MX`` for Spanish); otherwise the language's own default locale is used.
    """
    folders = lang_folders(code, clinic_folder)
    names = ("language.toml", "locale.toml", "strings.toml")
    watched = [folder / name for folder in folders for name in names]
    key = (code, str(clinic_folder))
    signature = _signature(watched)
    with _LOCK:
        cached = _CACHE.get(key)
        variants = cached[1] if cached is not None and cached[0] == signature else {}
        found = variants.get(locale)
    if found is not None:
        return found
    # The files are read once for all locales (a plan asks with the clinic's locale, then
    # with the one it settled on): a locale changes only which dates and numbers apply.
    base = variants.get("") or _load(code, clinic_folder, "", folders)
    use = locale if locale and locale.split("-")[0] == code else base.locale
    language = base if use == base.locale else replace(base, locale=use)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is None or cached[0] != signature:
            cached = _CACHE[key] = (signature, {"": base})
        cached[1][locale] = language
    return language


def _find(folders: tuple[Path, ...], name: str, code: str, root: Path | None) -> Path:
    found = SearchPath(folders, root).find(name)
    if found is None:
        raise LanguageError(f"templates/{LANG_FOLDER}/{code}/{name} is missing; every "
                            "language needs it (copy the English one and translate it).")
    return found


def _load(code: str, clinic_folder: Path | None, locale: str,
          folders: tuple[Path, ...]) -> Language:
    if not any(folder.is_dir() for folder in folders):
        check_code(code, clinic_folder, "--language")
    meta_file = _find(folders, "language.toml", code, clinic_folder)
    meta = load_template_toml(meta_file)
    name = meta.get("name")
    default_locale = meta.get("locale")
    if not isinstance(name, str) or not name.strip():
        raise LanguageError(f"{meta_file}: the key 'name' is missing (name = \"Español\").")
    if not isinstance(default_locale, str) or not LOCALE_PATTERN.match(default_locale) \
            or default_locale.split("-")[0] != code:
        raise LanguageError(f"{meta_file}: 'locale' must be this language's default locale, "
                            f"like locale = \"{code}-US\".")
    reviews: dict[Path, Review] = {}
    for folder in folders:  # the clinic's folder first
        own = folder / "language.toml"
        if own.is_file():
            data = meta if own == meta_file else load_template_toml(
                SearchPath(folders, clinic_folder).checked(own))
            found = review_of(data, str(own))
            if found is not None:
                reviews[folder] = found
    builtin = folders[-1]
    if not reviews:
        raise LanguageError(f"{meta_file}: [review] is missing; add status = \"draft\" (or "
                            "\"reviewed\" with reviewer and date).")
    if builtin not in reviews:  # a clinic's own language: its folder's status for all
        reviews[builtin] = list(reviews.values())[-1]
    strings_file = _find(folders, "strings.toml", code, clinic_folder)
    locale_file = _find(folders, "locale.toml", code, clinic_folder)
    use = locale if locale and locale.split("-")[0] == code else default_locale
    return Language(code=code, name=name, locale=use, clinic_folder=clinic_folder,
                    strings_file=strings_file, locale_file=locale_file,
                    strings=_flatten(load_template_toml(strings_file)),
                    locale_data=_flatten(load_template_toml(locale_file)), folder_review=reviews)


# The language each living plan was given: one build asks for it about thirty times (layout,
# footer, checks), and each ``load_language`` stats the language files (~5 ms a warm handout).
# A plan keeps the language it first got; the entry goes when the plan does.
_BY_PLAN: dict[int, tuple[weakref.ref[Any], Language]] = {}


def plan_language(plan: Any) -> Language:
    """The language a planned handout is written in (its words, dates and numbers)."""
    key = id(plan)
    entry = _BY_PLAN.get(key)
    if entry is not None and entry[0]() is plan:
        return entry[1]
    language = load_language(plan.language, plan.clinic.folder, plan.locale)
    def forget(_: weakref.ref[Any]) -> None:
        _BY_PLAN.pop(key, None)

    try:
        ref = weakref.ref(plan, forget)
    except TypeError:  # an object that cannot be weakly referenced: not remembered
        return language
    _BY_PLAN[key] = (ref, language)
    return language


def dose_text(dose: Any, words: Language | None = None) -> str:
    """The dose line in words: "Hold 30 seconds · 3 times on each side · once a day"
    (English without ``words``). Each part keeps its words together on one line."""
    w = words or load_language()
    n = w.number
    each = dose.sides == "each"
    if dose.reps == 1:
        times = w.local("dose.once_each_side" if each else "dose.once")
    else:
        times = w.local("dose.times_each_side" if each else "dose.times", reps=n(dose.reps))
    parts = []
    if dose.hold_seconds:
        hold = dose.hold_seconds
        if hold >= 60 and hold % 60 == 0:
            minutes = hold // 60
            parts.append(w.local("dose.hold_one_minute") if minutes == 1
                         else w.local("dose.hold_minutes", minutes=n(minutes)))
        else:
            parts.append(w.local("dose.hold_seconds", seconds=n(hold)))
        parts.append(times)
    else:
        parts.append(w.local("dose.move", times=times))
    per_day = {1: "dose.once_a_day", 2: "dose.twice_a_day"}.get(dose.per_day)
    daily = w.local(per_day) if per_day else w.local("dose.times_a_day", count=n(dose.per_day))
    if dose.days_per_week < 7:
        daily = w.local("dose.days_a_week", per_day=daily, days=n(dose.days_per_week))
    parts.append(daily)
    return w.local("dose.separator").join(part.replace(" ", "\u00a0") for part in parts)
