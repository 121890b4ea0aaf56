"""Planning a workshop batch: the workshop file, and every roster row checked and made into
one attendee's Plan (or a row error naming its line) before anything is built.

Also the attendees' file names (distinct, stable across reruns) and the health words that
hold back a row whose comments mention a health matter. handouts/batch.py runs the plan.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .build import plan_handout
from .content import client_from_data, load_conditions, load_library
from .errors import InputError
from .language import available
from .models import LAYOUTS, Clinic, Options, Plan, Stretch
from .output import slugify
from .roster import Roster
from .schema import Fields, load_toml

_TRUE = {"yes", "y", "true", "1", "x", "✓"}
_FALSE = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class Workshop:
    """What every attendee shares: title, date, default stretches, a note, the therapist."""

    title: str = ""
    date: _dt.date | None = None
    stretches: tuple[str, ...] = ()
    note: str = ""
    therapist: str = ""
    layout: str = ""
    language: str = ""


def load_workshop(path: Path | None) -> Workshop:
    """Load ``--workshop WORKSHOP.toml`` (strict keys), or an empty workshop."""
    if path is None:
        return Workshop()
    return workshop_from_data(load_toml(path), str(path))


def workshop_from_data(data: dict[str, Any], where: str) -> Workshop:
    """Validate a workshop table (from a file, or the web app's Workshop form)."""
    f = Fields(data, where)
    workshop = Workshop(
        title=f.text("title", default="", max_len=120) or "",
        date=f.date("date"),
        stretches=tuple(f.text_list("stretches", max_items=8, max_len=40) or ()),
        note=f.text("note", default="", max_len=1000) or "",
        therapist=f.text("therapist", default="", max_len=80) or "",
        layout=f.choice("layout", LAYOUTS) or "",
        language=(f.text("language", default="", max_len=40) or "").lower(),
    )
    f.done()
    return workshop


@dataclass(frozen=True)
class Attendee:
    """A good roster row, planned, with the file it will be written to."""

    line: int
    plan: Plan
    path: Path


@dataclass(frozen=True)
class RowError:
    """A bad roster row: its line and the reason (never the client's note or comments).

    ``flagged`` marks a row held back because the attendee's own comments mention a health
    matter: the therapist sets its conditions (or "none"), and the next run builds it.
    """

    line: int
    name: str
    reason: str
    flagged: bool = False
    email: str = ""
    more: tuple[str, ...] = ()  # the row's other problems, so one run shows them all

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every problem of the row, in the order found (one line each)."""
        return (self.reason, *self.more)


@dataclass
class BatchPlan:
    """Every row checked: the attendees to build and the rows that cannot be built."""

    attendees: list[Attendee]
    errors: list[RowError]
    roster: Roster


def _flag(value: str, line: int) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"large_print is '{value}'; write yes or no")


def plan_batch(roster: Roster, clinic: Clinic, library: dict[str, Stretch], workshop: Workshop,
               stretches: Sequence[str], options: Options, out_dir: Path) -> BatchPlan:
    """Check every row and plan each good one; collect every bad row with its reason."""
    attendees: list[Attendee] = []
    errors: list[RowError] = []
    seen_ids: dict[str, int] = {}
    words = health_words(clinic.folder)
    # the library and conditions in each language the rows ask for, loaded once
    libraries = {s.language: (library, load_conditions(clinic.folder, s.language))
                 for s in list(library.values())[:1]}
    checked: set[str] = set()  # stretches whose own text the fonts already passed
    day = options.date or workshop.date or _dt.date.today()
    common: dict[Any, Any] = {}
    names = [_row_name(row.values) for row in roster.rows]
    slugs = file_slugs([(name, row.values.get("id", "")) for name, row in
                        zip(names, roster.rows, strict=True)])
    for row, name, slug in zip(roster.rows, names, slugs, strict=True):
        values = row.values
        label = f"{roster.path.name}: line {row.line}"
        # Every problem of the row is collected (not only the first), so that one run lists
        # them all and the therapist fixes the row once.
        problems: list[str] = []
        if not name.strip():
            problems.append("the name is empty")
        ident = values.get("id", "")
        if ident:
            if ident in seen_ids:
                problems.append(f"duplicate id '{ident}' (also on line {seen_ids[ident]})")
            else:
                seen_ids[ident] = row.line
        # a stand-in for an empty name, only to find the row's other problems
        data: dict[str, object] = {"name": name if name.strip() else "-"}
        for key in ("email", "note", "pdf_password"):
            if values.get(key):
                data[key] = values[key]
        if "note" not in data and workshop.note:
            data["note"] = workshop.note
        if values.get("email") and not _looks_like_email(values["email"]):
            problems.append("the email address is not valid (one address like "
                            "name@example.com)")
            del data["email"]
        row_stretches = [s.strip() for s in values.get("stretches", "").replace(",", ";")
                         .split(";") if s.strip()]
        chosen = list(stretches) or row_stretches or list(workshop.stretches)
        if chosen:
            data["stretches"] = chosen
        if values.get("large_print", "").strip():
            try:
                data["large_print"] = _flag(values["large_print"], row.line)
            except InputError as error:
                problems.append(str(error))
        if workshop.therapist:
            data["therapist"] = workshop.therapist
        conditions_cell = values.get("conditions", "").strip()
        row_conditions = [c.strip() for c in conditions_cell.replace(",", ";").split(";")
                          if c.strip() and c.strip().lower() != "none"]
        if row_conditions:
            data["conditions"] = row_conditions
        if values.get("layout", "").strip():
            data["layout"] = values["layout"].strip().lower()
        elif workshop.layout:
            data["layout"] = workshop.layout
        language = values.get("language", "").strip().lower() or workshop.language
        if language:
            data["language"] = language
        held = not conditions_cell and mentions_health(values.get("comments", ""), words)
        if held and not problems:
            errors.append(RowError(row.line, name, HEALTH_COMMENT, flagged=True,
                                   email=values.get("email", "")))
            continue
        try:
            client = client_from_data(data, label)
            client = replace(client, label=label, id=ident)
            code = options.language or client.language or clinic.default_language
            if code not in libraries and code in available(clinic.folder):
                libraries[code] = (load_library(clinic.folder, code),
                                   load_conditions(clinic.folder, code))
            row_library, catalogue = libraries.get(code, (library, None))
            plan = _shared(plan_handout(clinic, client, row_library, replace(
                options, date=day, event=options.event or workshop.title),
                catalogue=catalogue, checked=checked), common)
        except InputError as error:
            reason = str(error)
            problems.append(reason[len(label) + 2:] if reason.startswith(label + ": ")
                            else reason)
        if held:
            problems.append(HEALTH_COMMENT)
        if problems:
            errors.append(RowError(row.line, name, problems[0], email=values.get("email", ""),
                                   more=tuple(problems[1:])))
            continue
        attendees.append(Attendee(row.line, plan, out_dir / f"{slug}-{day.isoformat()}.pdf"))
    # The rows are not kept (each attendee's plan has what is needed): memory per row matters
    # for a 10,000-row roster.
    return BatchPlan(attendees, errors, replace(roster, rows=[]))


HEALTH_COMMENT = ("the attendee's comments mention a health matter; read them, then set the "
                  "row's conditions (or write none) and run again")


def health_words(clinic_folder: Path | None) -> tuple[str, ...]:
    """The words that flag an attendee's comments, in every language there is
    (templates/lang/<code>/health-words.toml; a clinic's copy first): an attendee may write
    in any of them, whatever language their handout is in."""
    from .language import template_search

    found: list[str] = []
    for code in available(clinic_folder):
        path = template_search(code, clinic_folder).find("health-words.toml")
        if path is None:
            continue
        f = Fields(load_toml(path), str(path))
        f.raw("review")
        found += [w.lower() for w in f.text_list("words", max_items=500, max_len=40) or ()]
        f.done()
    return tuple(dict.fromkeys(found))


def mentions_health(comment: str, words: Sequence[str]) -> bool:
    """True when ``comment`` holds one of ``words`` at a word start (never shown to anyone)."""
    text = " " + " ".join(re.sub(r"[^\w]+", " ", comment.lower()).split())
    return any(f" {word}" in text for word in words)


def _shared(plan: Plan, common: dict[Any, Any]) -> Plan:
    """The same plan, with what many rows have in common (each stretch with its dose, the
    stretch choices, the sections) stored once: a 10,000-row batch keeps every plan."""
    def one(value: Any) -> Any:
        return common.setdefault(value, value)

    client = replace(plan.client, stretches=one(plan.client.stretches))
    return replace(plan, client=client, stretches=tuple(one(s) for s in plan.stretches),
                   sections=one(plan.sections))


def _row_name(values: dict[str, str]) -> str:
    return values.get("name") or " ".join(
        x for x in (values.get("first_name", ""), values.get("last_name", "")) if x)


def file_slugs(people: Sequence[tuple[str, str]]) -> list[str]:
    """A distinct file slug for each (name, id), in roster order.

    Each row's own slug is the name's (plus ``-<id>`` when there is one). Every row that is
    first with its slug keeps it, so "Ann Lee" with id 2 is ``ann-lee-2`` whatever comes
    before it; a repeated slug then gets ``-2``, ``-3`` … the first number that no row holds
    (not even a row whose name or id ends in that number). Rows that cannot be built still
    hold their name, so fixing one and running again moves nobody else's file.
    """
    own = [slugify(name) + (f"-{slugify(ident)}" if ident else "") if name.strip() else ""
           for name, ident in people]
    taken = set(own)
    result: list[str] = []
    seen: set[str] = set()
    for slug in own:
        if slug and slug in seen:
            number = 2
            while f"{slug}-{number}" in taken:
                number += 1
            slug = f"{slug}-{number}"
            taken.add(slug)
        seen.add(slug)
        result.append(slug)
    return result


def _looks_like_email(value: str) -> bool:
    local, at, domain = value.strip().partition("@")
    return bool(local and at and "." in domain and not any(c in value for c in " ,;<>\n"))
