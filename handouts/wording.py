"""The words of stretches and conditions, per language, kept apart from their rules.

What a stretch *is* (tags, picture, dose and its range) and what a condition rules out or
cautions about are stated once, in ``templates/stretches/<id>.toml`` and
``templates/conditions.toml``. Their words are in ``templates/lang/<code>/stretches/<id>.toml``
and ``templates/lang/<code>/conditions.toml``. A words file may hold words only: a rule in it
(``tags``, ``rules_out``, a dose…) is an error, so a translation can never change what is safe.

English files from before languages existed (words and data in one file, in a clinic's
``templates/stretches`` or ``templates/conditions.toml``) still work: their words are that
clinic's English words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diskcache import load_template_toml
from .errors import InputError
from .language import DEFAULT_LANGUAGE, LANG_FOLDER, lang_folders
from .resources import SearchPath
from .schema import Fields
from .text import one_line

MAX_STEPS = 5
STRETCH_WORDS = ("title", "purpose", "start", "steps", "cautions", "gentler", "needs",
                 "caption")
STRETCH_RULES = ("tags", "hip_flexor", "image", "dose", "dose_range", "rules_out")
CONDITION_WORDS = ("label", "description")
CONDITION_RULES = ("rules_out", "suggest", "belly_work", "pregnancy", "new_hip")


@dataclass(frozen=True)
class StretchWords:
    """A stretch's words in one language, and the file they came from."""

    title: str
    purpose: str
    start: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    gentler: str
    needs: tuple[str, ...]
    caption: str
    condition_cautions: tuple[tuple[str, str], ...]  # (condition id, its own wording)
    source: Path


@dataclass(frozen=True)
class ConditionWords:
    """A condition's words in one language: label, description and caution per tag."""

    label: str
    description: str
    cautions: dict[str, str]
    source: Path


def _no_rules(f: Fields, rules: tuple[str, ...], what: str) -> None:
    """A words file must not state a rule: a translation cannot change what is safe."""
    for key in rules:
        if f.raw(key) is not None:
            raise f.error(key, f"is a rule, not a word: rules live in {what}, the same for "
                          "every language. Remove it from this words file.")


def words_path(kind: str, name: str, language: str,
               clinic_folder: Path | None) -> Path | None:
    """``lang/<language>/<kind>/<name>`` (the clinic's first), or None."""
    relative = f"{kind}/{name}" if kind else name
    return SearchPath(lang_folders(language, clinic_folder), clinic_folder).find(relative)


def has_legacy_words(data: dict[str, Any]) -> bool:
    """An English file from before languages: words and data in one file."""
    return "title" in data or "label" in data


def stretch_words(sid: str, data_file: Path, data: Fields, language: str,
                  clinic_folder: Path | None, conditions: dict[str, Any] | None,
                  needs_caption: bool) -> StretchWords:
    """The words of stretch ``sid`` in ``language`` (an error names the missing file)."""
    if has_legacy_words(data.data):
        if language == DEFAULT_LANGUAGE:
            return _read_stretch(data, data_file, conditions, needs_caption)
        for key in (*STRETCH_WORDS, "conditions"):  # that clinic's English words
            data.raw(key)
    path = words_path("stretches", f"{sid}.toml", language, clinic_folder)
    if path is None:
        raise InputError(f"{data_file}: stretch '{sid}' has no words in language "
                         f"'{language}': add templates/{LANG_FOLDER}/{language}/stretches/"
                         f"{sid}.toml (copy the English one and translate it).")
    table = load_template_toml(path)
    f = Fields(table, str(path))
    _no_rules(f, STRETCH_RULES, f"templates/stretches/{sid}.toml")
    f.raw("review")
    words = _read_stretch(f, path, conditions, needs_caption)
    f.done()
    return words


def _read_stretch(f: Fields, path: Path, conditions: dict[str, Any] | None,
                  needs_caption: bool) -> StretchWords:
    steps = f.text_list("steps", max_items=MAX_STEPS, max_len=200)
    if not steps:
        raise f.error("steps", f"must list 1 to {MAX_STEPS} steps.")
    caption = one_line(f.text("caption", default="", max_len=120) or "")
    if needs_caption and not caption:
        raise f.error("caption", "is missing; every picture needs a short caption.")
    cautions: list[tuple[str, str]] = []
    table = f.table("conditions")
    if table is not None:
        if table.raw("rules_out") is not None:
            raise InputError(f"{path} [conditions]: 'rules_out' is no longer read: which "
                             "stretch a condition rules out follows from the stretch's 'tags'. "
                             "Remove the line and check the tags.")
        wording = table.table("cautions")
        if wording is not None:
            for cid in list(wording.data):
                cautions.append((cid, one_line(wording.text(cid, max_len=200) or "")))
            wording.done()
        table.done()
        known = conditions or {}
        for cid, _ in cautions:
            if known and cid not in known:  # named by its field, like a client's conditions
                raise InputError(f"{path} [conditions.cautions]: a key is not a known "
                                 "condition id; use one of: " + ", ".join(known) + ".")
    return StretchWords(
        title=one_line(f.text("title", required=True, max_len=40) or ""),
        purpose=one_line(f.text("purpose", required=True, max_len=200) or ""),
        start=one_line(f.text("start", required=True, max_len=300) or ""),
        steps=tuple(one_line(s) for s in steps),
        cautions=tuple(one_line(c) for c in f.text_list("cautions", max_items=3) or ()),
        gentler=one_line(f.text("gentler", default="", max_len=300) or ""),
        needs=tuple(one_line(n) for n in f.text_list("needs", max_items=4, max_len=60) or ()),
        caption=caption, condition_cautions=tuple(cautions), source=path)


def condition_words(data_file: Path, data: dict[str, Any], language: str,
                    clinic_folder: Path | None) -> dict[str, ConditionWords]:
    """Every condition's words in ``language``, checked against the data: each condition has
    a label and description, and each caution tag it lists has its words."""
    found: dict[str, ConditionWords] = {}
    legacy = language == DEFAULT_LANGUAGE and any(
        isinstance(t, dict) and has_legacy_words(t) for t in data.values())
    if legacy:  # an English conditions.toml from before languages: its own words
        for cid, table in data.items():
            if isinstance(table, dict):
                f = Fields(table, f"{data_file} [{cid}]")
                wording = table.get("cautions")
                found[cid] = ConditionWords(
                    one_line(f.text("label", required=True, max_len=60) or ""),
                    one_line(f.text("description", required=True, max_len=300) or ""),
                    {tag: one_line(str(text)) for tag, text in wording.items()}
                    if isinstance(wording, dict) else {}, data_file)
        return found
    path = words_path("", "conditions.toml", language, clinic_folder)
    if path is None:
        raise InputError(f"templates/{LANG_FOLDER}/{language}/conditions.toml is missing; "
                         "every language needs the words of each condition.")
    words = load_template_toml(path)
    for cid, table in words.items():
        if cid == "review":
            continue
        if cid not in data:
            raise InputError(f"{path}: [{cid}] is not a condition in {data_file}; the words "
                             "file may word only the conditions there.")
        if not isinstance(table, dict):
            raise InputError(f"{path}: '{cid}' must be a table ([{cid}]).")
        f = Fields(table, f"{path} [{cid}]")
        _no_rules(f, CONDITION_RULES, str(data_file))
        cautions: dict[str, str] = {}
        wording = f.raw("cautions")
        if wording is not None and not isinstance(wording, dict):
            raise f.error("cautions", "is a rule, not a word: which tags call for a caution is "
                          f"listed in {data_file}. Here write [{cid}.cautions] with the words "
                          "for each tag.")
        if isinstance(wording, dict):
            w = Fields(wording, f"{path} [{cid}.cautions]")
            cautions = {tag: one_line(w.text(tag, max_len=200) or "") for tag in list(wording)}
            w.done()
        found[cid] = ConditionWords(
            one_line(f.text("label", required=True, max_len=60) or ""),
            one_line(f.text("description", required=True, max_len=300) or ""),
            cautions, path)
        f.done()
    for cid, table in data.items():
        if not isinstance(table, dict):
            continue
        if cid not in found:
            raise InputError(f"{path}: condition '{cid}' has no words; add [{cid}] with "
                             "label and description.")
        tags = table.get("cautions")
        listed = list(tags) if isinstance(tags, (list, dict)) else []
        for tag in listed:
            if tag not in found[cid].cautions:
                raise InputError(f"{path} [{cid}.cautions]: the caution for tag '{tag}' is "
                                 f"missing; {data_file} lists it, so every language words it.")
        for tag in found[cid].cautions:
            if tag not in listed:
                raise InputError(f"{path} [{cid}.cautions]: '{tag}' is not a caution of "
                                 f"[{cid}] in {data_file}; add it there (a rule) or remove "
                                 "it here.")
    return found
