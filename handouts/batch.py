"""Workshops: a roster becomes one handout per attendee, one print file and a manifest.

The whole roster is planned (and every bad row reported with its line) before anything is
built. Single handouts are rendered in parallel worker processes; files are written by this
process only, atomically, so an interrupted run leaves no partial PDF and a rerun finishes the
job: a complete, identical file is kept, a different one is never replaced without ``force``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .build import plan_handout, render_handout
from .content import client_from_data
from .errors import HandoutError, InputError
from .models import Clinic, Options, Plan, Stretch
from .output import slugify, write_atomic
from .renderer import Renderer
from .roster import Roster
from .schema import Fields, load_toml

MANIFEST_COLUMNS = ("line", "id", "name", "email", "file", "pages", "sha256", "status",
                    "reason")
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


def load_workshop(path: Path | None) -> Workshop:
    """Load ``--workshop WORKSHOP.toml`` (strict keys), or an empty workshop."""
    if path is None:
        return Workshop()
    f = Fields(load_toml(path), str(path))
    workshop = Workshop(
        title=f.text("title", default="", max_len=120) or "",
        date=f.date("date"),
        stretches=tuple(f.text_list("stretches", max_items=8, max_len=40) or ()),
        note=f.text("note", default="", max_len=1000) or "",
        therapist=f.text("therapist", default="", max_len=80) or "",
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
    """A bad roster row: its line and the reason (never the client's note)."""

    line: int
    name: str
    reason: str


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
    slugs: dict[str, int] = {}
    day = options.date or workshop.date or _dt.date.today()
    for row in roster.rows:
        values = row.values
        name = values.get("name") or " ".join(
            x for x in (values.get("first_name", ""), values.get("last_name", "")) if x)
        label = f"{roster.path.name}: line {row.line}"
        try:
            if not name.strip():
                raise InputError("the name is empty")
            ident = values.get("id", "")
            if ident:
                if ident in seen_ids:
                    raise InputError(f"duplicate id '{ident}' (also on line {seen_ids[ident]})")
                seen_ids[ident] = row.line
            data: dict[str, object] = {"name": name}
            for key in ("email", "note", "pdf_password"):
                if values.get(key):
                    data[key] = values[key]
            if "note" not in data and workshop.note:
                data["note"] = workshop.note
            if values.get("email") and not _looks_like_email(values["email"]):
                raise InputError("the email address is not valid (one address like "
                                 "name@example.com)")
            row_stretches = [s.strip() for s in values.get("stretches", "").replace(",", ";")
                             .split(";") if s.strip()]
            chosen = list(stretches) or row_stretches or list(workshop.stretches)
            if chosen:
                data["stretches"] = chosen
            if values.get("large_print", "").strip():
                data["large_print"] = _flag(values["large_print"], row.line)
            if workshop.therapist:
                data["therapist"] = workshop.therapist
            row_conditions = [c.strip() for c in values.get("conditions", "")
                              .replace(",", ";").split(";") if c.strip()]
            if row_conditions:
                data["conditions"] = row_conditions
            client = client_from_data(data, label)
            client = replace(client, label=label, id=ident)
            plan = plan_handout(clinic, client, library, replace(options, date=day))
        except InputError as error:
            reason = str(error)
            reason = reason[len(label) + 2:] if reason.startswith(label + ": ") else reason
            errors.append(RowError(row.line, name, reason))
            continue
        slug = slugify(name) + (f"-{slugify(ident)}" if ident else "")
        count = slugs.get(slug, 0) + 1
        slugs[slug] = count
        if count > 1:
            slug = f"{slug}-{count}"
        attendees.append(Attendee(row.line, plan, out_dir / f"{slug}-{day.isoformat()}.pdf"))
    return BatchPlan(attendees, errors, roster)


def _looks_like_email(value: str) -> bool:
    local, at, domain = value.strip().partition("@")
    return bool(local and at and "." in domain and not any(c in value for c in " ,;<>\n"))


@dataclass
class Outcome:
    """What happened to one roster row (a manifest line)."""

    line: int
    id: str
    name: str
    email: str
    file: str = ""
    pages: int = 0
    sha256: str = ""
    status: str = "failed"
    reason: str = ""


@dataclass
class BatchResult:
    """Everything a batch run did, for the summary, the manifest and the exit code."""

    outcomes: list[Outcome] = field(default_factory=list)
    print_file: Path | None = None
    print_pages: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """Rows that were not built or not written."""
        return sum(o.status == "failed" for o in self.outcomes)


_worker_renderer: Renderer | None = None  # a worker process's own renderer (see _start_worker)


def _start_worker() -> None:
    """Each worker process renders with one renderer of its own for the whole run."""
    global _worker_renderer
    _worker_renderer = Renderer()


def _render(plan: Plan, renderer: Renderer | None = None) -> tuple[bytes, int, tuple[str, ...]]:
    rendered = render_handout(plan, renderer or _worker_renderer)
    return rendered.pdf, rendered.pages, rendered.warnings


def run_batch(batch: BatchPlan, *, jobs: int = 0, force: bool = False,
              print_file: Path | None = None, duplex: bool = True, title: str = "",
              progress: Callable[[int, int, str], None] | None = None) -> BatchResult:
    """Build every planned attendee (in parallel), write files, then the print file."""
    result = BatchResult()
    by_line: dict[int, Outcome] = {}
    for error in batch.errors:
        by_line[error.line] = Outcome(error.line, "", error.name, "", status="failed",
                                      reason=error.reason)
    plans = [a.plan for a in batch.attendees]
    jobs = jobs or os.cpu_count() or 1
    folders = {a.path.parent for a in batch.attendees}
    for folder in folders:  # leftovers of a run that was killed before it could clean up
        for stale in folder.glob(".partial-*.tmp"):
            stale.unlink(missing_ok=True)
    pages: list[int] = []  # only the counts are kept: the PDFs are on disk once written
    printed: tuple[bytes, list[int], int] | None = None

    renderer = Renderer()

    def make_print_file() -> tuple[bytes, list[int], int] | None:
        if print_file is None or not plans:
            return None
        from .printfile import build_print_file

        return build_print_file(plans, title=title or "Psoas handouts: print file",
                                author=plans[0].clinic.name, duplex=duplex,
                                renderer=renderer)

    if jobs > 1 and len(plans) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(jobs, len(plans)),
                                 initializer=_start_worker) as pool:
            # The workers render the single files while this process lays out the print file.
            items = pool.map(_render, plans, chunksize=max(1, len(plans) // (jobs * 8)))
            printed = make_print_file()
            for item in items:
                _write_one(batch, len(pages), item, force, by_line, result, progress)
                pages.append(item[1])
    else:
        for plan in plans:
            item = _render(plan, renderer)
            _write_one(batch, len(pages), item, force, by_line, result, progress)
            pages.append(item[1])
        printed = make_print_file()
    result.outcomes = [by_line[line] for line in sorted(by_line)]
    if printed is not None and print_file is not None:
        pdf, counts, total = printed
        if counts != pages:
            raise HandoutError("the print file's pages do not match the single handouts' "
                               "(please report this); it was not written.")
        _write_print_file(print_file, pdf, force)
        result.print_file = print_file
        result.print_pages = total
    return result


def _write_one(batch: BatchPlan, index: int, item: tuple[bytes, int, tuple[str, ...]],
               force: bool, by_line: dict[int, Outcome],
               result: BatchResult, progress: Callable[[int, int, str], None] | None) -> None:
    attendee = batch.attendees[index]
    pdf, pages, warnings = item
    client = attendee.plan.client
    outcome = Outcome(attendee.line, client.id, client.name, client.email,
                      file=attendee.path.name, pages=pages,
                      sha256=hashlib.sha256(pdf).hexdigest())
    path = attendee.path
    try:
        if path.is_file() and path.read_bytes() == pdf:
            outcome.status = "unchanged"
        else:
            write_atomic(path, pdf, force=force)
            outcome.status = "written"
    except HandoutError as error:
        outcome.status = "failed"
        outcome.reason = str(error).replace(f"{path}: ", "")
    by_line[attendee.line] = outcome
    for warning in warnings:
        if warning not in result.warnings:
            result.warnings.append(warning)
    if progress is not None:
        progress(index + 1, len(batch.attendees), client.name)


def _write_print_file(path: Path, pdf: bytes, force: bool) -> None:
    if path.is_file() and path.read_bytes() == pdf:
        return
    write_atomic(path, pdf, force=force)


def manifest_csv(result: BatchResult) -> bytes:
    """The manifest as CSV bytes (UTF-8 with a BOM so that Excel opens names correctly)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    for o in result.outcomes:
        writer.writerow([o.line, o.id, o.name, o.email, o.file, o.pages or "", o.sha256,
                         o.status, o.reason])
    return buffer.getvalue().encode("utf-8-sig")
