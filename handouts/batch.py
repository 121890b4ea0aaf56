"""Workshops: a roster becomes one handout per attendee, one print file and a manifest.

The whole roster is planned (and every bad row reported with its line) before anything is
built. Worker processes render the single handouts and the print file's pieces; this process
only writes, as results arrive: each single file atomically (after checking it is its row's),
each piece onto the end of the print file. An interrupted run keeps every file finished so
far and leaves no partial PDF, and a rerun finishes the job: a complete, identical file is
kept, a different one is never replaced without ``force``. Memory does not grow with the
roster beyond its plans: no PDF waits in memory.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .build import plan_handout, render_handout
from .content import client_from_data, load_conditions, load_library
from .errors import HandoutError, InputError
from .language import available
from .locks import RunLock
from .models import LAYOUTS, Clinic, Options, Plan, Stretch
from .output import private_folder, safe_cell, slugify, write_atomic
from .printfile import PIECE_ROWS, Piece, PrintFileOutput, build_piece, is_print_file
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


@dataclass(slots=True)  # one per row: 10,000 rows must not add up
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
    print_error: str = ""  # why the print file was not written, if it was not

    @property
    def failed(self) -> int:
        """Rows that were not built or not written."""
        return sum(o.status == "failed" for o in self.outcomes)

    @property
    def flagged(self) -> int:
        """Rows held back until the therapist sets their conditions."""
        return sum(o.status == "flagged" for o in self.outcomes)


@dataclass(frozen=True)
class RowResult:
    """A worker's rendering of one row, carrying the row's identity with it.

    ``line`` and ``file`` name the row it was rendered for and ``key`` fingerprints the plan
    the worker actually rendered, so the process that writes files can check that the bytes it
    is about to write under a name really are that attendee's handout.
    """

    line: int
    file: str
    key: str
    pdf: bytes
    pages: int
    warnings: tuple[str, ...]
    error: str = ""  # why it could not be rendered (a problem the user can fix)
    report: bytes = b""  # the quality report (JSON), when the batch was asked for one


def plan_key(line: int, file: str, plan: Plan) -> str:
    """A fingerprint of what one row's handout is made from (its line, file and client)."""
    text = repr((line, file, plan.client, plan.stretches, plan.date, plan.paper,
                 plan.large_print, plan.grayscale, plan.sections, plan.language, plan.locale))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_RENDERER: Renderer | None = None


def process_renderer() -> Renderer:
    """The renderer this process (a worker, or the main one with one job) renders with: made
    once, kept for the whole run, so pictures are parsed once per process."""
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = Renderer()
    return _RENDERER


def render_row(task: tuple[Any, ...]) -> RowResult:
    """Render one row (in a worker process); the result names the row it belongs to.

    ``task`` is (line, file, plan) or (line, file, plan, report): with ``report`` true the
    quality report is made here from the rendered handout, never by rendering it again.
    """
    line, file, plan, *rest = task
    key = plan_key(line, file, plan)
    try:
        rendered = render_handout(plan, process_renderer())
        report = b""
        if rest and rest[0]:
            from .quality import check_rendered, report_json

            report = report_json(check_rendered(rendered))
    except HandoutError as error:  # that row fails; the others are still built
        return RowResult(line, file, key, b"", 0, (), error=str(error))
    return RowResult(line, file, key, rendered.pdf, rendered.pages, rendered.warnings,
                     report=report)


@dataclass(frozen=True)
class _PieceTask:
    index: int
    plans: tuple[Plan, ...]
    duplex: bool


def _work(task: tuple[Any, ...] | _PieceTask) -> RowResult | Piece | str:
    """One unit of work in a worker: a single handout, or a piece of the print file."""
    if not isinstance(task, _PieceTask):
        return render_row(task)
    try:
        return build_piece(task.plans, duplex=task.duplex, index=task.index,
                           renderer=process_renderer())
    except HandoutError as error:
        return f"the print file was not written: {error}"
    finally:
        give_back_memory()


_TRIM: Any = None


def give_back_memory() -> None:
    """Hand freed memory back to the system after a piece of the print file.

    glibc keeps freed heap memory for reuse; with a piece's large, short-lived buffers between
    small long-lived objects, a long run's resident memory would creep up piece by piece.
    """
    global _TRIM
    if _TRIM is None:
        _TRIM = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                _TRIM = ctypes.CDLL("libc.so.6").malloc_trim
            except (OSError, AttributeError):  # not glibc (musl): nothing to do
                pass
    if _TRIM:
        _TRIM(0)


def _schedule(batch: BatchPlan, stream: PrintFileOutput | None, duplex: bool,
              report: bool = False) -> Iterator[tuple[Any, ...] | _PieceTask]:
    """The first single file, then each piece of the print file one piece ahead of the single
    files of its rows.

    The first file appears at once; a worker takes a piece (long) while the others render
    single files (short); and because each piece is handed out while the rows before it are
    still being rendered, the run ends on short single-file tasks, not on a last piece that one
    worker finishes alone. Once a piece has failed, no more are built (the print file will not
    be written).
    """
    attendees = batch.attendees
    chunks = [attendees[at:at + PIECE_ROWS] for at in range(0, len(attendees), PIECE_ROWS)]

    def piece(index: int) -> Iterator[_PieceTask]:
        if stream is not None and not stream.problem and index < len(chunks):
            yield _PieceTask(index, tuple(a.plan for a in chunks[index]), duplex)

    if not chunks:
        return
    first = chunks[0][0]
    yield (first.line, first.path.name, first.plan, report)
    yield from piece(0)
    for index, rows in enumerate(chunks):
        yield from piece(index + 1)
        yield from ((a.line, a.path.name, a.plan, report) for a in rows if a is not first)


@contextmanager
def start_workers(jobs: int = 0) -> Iterator[Executor | None]:
    """Worker processes for :func:`run_batch` (None for one job), started at once.

    Start them before the roster is planned: on systems that fork, a worker started later
    would carry a copy of every row's plan, and memory would grow with the roster.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pool.submit(int).result()  # the first task starts the workers
        yield pool


def run_batch(batch: BatchPlan, *, jobs: int = 0, force: bool = False,
              print_file: Path | None = None, duplex: bool = True, title: str = "",
              progress: Callable[[str, int, int], None] | None = None,
              workers: Executor | None = None, report: bool = False) -> BatchResult:
    """Build every planned attendee and the print file, in parallel, writing as they finish.

    Worker processes render the single files and the print file's pieces; this process
    writes each single file as soon as it arrives (after checking it is that row's) and
    appends the pieces to the print file in order. ``progress(stage, done, total)`` is called
    for the stages "handouts" and "print file".
    """
    result = BatchResult()
    by_line: dict[int, Outcome] = {}
    for error in batch.errors:
        by_line[error.line] = Outcome(error.line, "", error.name, error.email,
                                      status="flagged" if error.flagged else "failed",
                                      reason="; ".join(error.reasons))
    attendees = {a.line: a for a in batch.attendees}
    total = len(batch.attendees)
    pages: dict[int, int] = {}  # only the counts are kept: the PDFs are on disk once written
    # Each warning once, at the first row (and place in that row's list) that gave it: the
    # order is the roster's whatever order the workers finish in, as with one job.
    warned: dict[str, tuple[int, int]] = {}
    stream = PrintFileOutput(
        print_file, [a.plan.client.name for a in batch.attendees],
        batch.attendees[0].plan.clinic.name if total else "", title, duplex, force,
        _main_locale(batch.attendees)) if print_file is not None and total else None
    tasks = _schedule(batch, stream, duplex, report)

    def take(item: RowResult | Piece | str) -> None:
        if isinstance(item, RowResult):
            outcome = write_row(attendees.get(item.line), item, force)
            by_line[outcome.line] = outcome
            pages[outcome.line] = item.pages
            for place, warning in enumerate(item.warnings):
                warned[warning] = min(warned.get(warning, (item.line, place)),
                                      (item.line, place))
            if progress is not None:
                progress("handouts", len(pages), total)
        elif stream is not None:
            before = stream.placed
            placed = stream.take(item)
            give_back_memory()
            if progress is not None and placed > before:
                progress("print file", placed, total)

    count = total + (-(-total // PIECE_ROWS) if stream is not None else 0)
    jobs = min(jobs or os.cpu_count() or 1, count)
    try:
        if workers is not None:
            _in_workers(workers, tasks, max(jobs, 2), take)
        elif jobs > 1:
            with start_workers(jobs) as pool:
                assert pool is not None
                _in_workers(pool, tasks, jobs, take)
        else:
            for task in tasks:
                take(_work(task))
        if stream is not None:
            # The print file holds exactly the files on disk: a row whose file was not
            # written (it failed, or an older file differs and there is no --force) means
            # no print file, never one that disagrees with the attendee's own file.
            problem = stream.problem or _unwritten(batch.attendees, by_line) or stream.finish(
                [pages.get(a.line, 0) for a in batch.attendees])
            if problem:
                result.print_error = problem + _remove_stale(print_file)
            else:
                result.print_file, result.print_pages = print_file, stream.pages
    finally:
        if stream is not None:
            stream.discard()
    result.outcomes = [by_line[line] for line in sorted(by_line)]
    result.warnings = sorted(warned, key=warned.__getitem__)
    return result


def _unwritten(attendees: Sequence[Attendee], by_line: dict[int, Outcome]) -> str:
    """Why the print file cannot be written because rows' own files were not ("" if all were)."""
    lines = [a.line for a in attendees
             if by_line.get(a.line) is None or by_line[a.line].status not in ("written",
                                                                              "unchanged")]
    if not lines:
        return ""
    which = ", ".join(str(line) for line in lines)
    return (f"the print file was not written: the handout for line{'s' if len(lines) > 1 else ''}"
            f" {which} was not written (see above); fix that and run again.")


def _main_locale(attendees: Sequence[Attendee]) -> str:
    """The print file's language tag: the locale most attendees' handouts are in."""
    from collections import Counter

    counts = Counter(a.plan.locale for a in attendees)
    return counts.most_common(1)[0][0] if counts else "en-US"


def _remove_stale(print_file: Path | None) -> str:
    """An older print file at the same name no longer matches this run's handouts: remove it
    so that it is never printed by mistake (what to say about it, if anything)."""
    if print_file is None or not print_file.is_file() or not is_print_file(print_file):
        return ""  # nothing there, or someone's own file: never touched
    try:
        print_file.unlink()
    except OSError:
        return f" The older {print_file.name} is out of date: do not print it."
    return f" The older {print_file.name} was out of date and was removed."


def _in_workers(pool: Executor, tasks: Iterator[Any], jobs: int,
                take: Callable[[Any], None]) -> None:
    """Run ``tasks`` in the worker processes, handing each result to ``take`` as it
    finishes; only a few tasks are queued at a time, so memory does not grow with rows."""
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    queue = tasks
    running: set[Future[Any]] = set()
    while True:
        while len(running) < jobs * 3:
            task = next(queue, None)
            if task is None:
                break
            running.add(pool.submit(_work, task))
        if not running:
            return
        done, running = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            take(future.result())


def write_row(attendee: Attendee | None, item: RowResult, force: bool) -> Outcome:
    """Write one rendered row to its attendee's file, after checking it is theirs.

    A result whose line, file name or plan fingerprint does not match the attendee is refused
    (nothing is written): a handout must never land under another attendee's name.
    """
    if attendee is None or item.file != attendee.path.name or item.key != plan_key(
            attendee.line, attendee.path.name, attendee.plan):
        line = attendee.line if attendee is not None else item.line
        client = attendee.plan.client if attendee is not None else None
        return Outcome(line, client.id if client else "", client.name if client else "",
                       client.email if client else "", file=attendee.path.name if attendee
                       else "", status="failed",
                       reason="the rendered handout did not match this row, so it was not "
                              "written (please report this); run the batch again.")
    client = attendee.plan.client
    if item.error:
        return Outcome(attendee.line, client.id, client.name, client.email,
                       file=attendee.path.name, status="failed", reason=item.error)
    outcome = Outcome(attendee.line, client.id, client.name, client.email,
                      file=attendee.path.name, pages=item.pages,
                      sha256=hashlib.sha256(item.pdf).hexdigest())
    path = attendee.path
    try:
        if path.is_file() and path.read_bytes() == item.pdf:
            outcome.status = "unchanged"
        else:
            write_atomic(path, item.pdf, force=force, flag="--out-dir", what="folder")
            outcome.status = "written"
    except HandoutError as error:
        # Nothing of this rendering is on disk: the manifest gives no pages or sha256 for it.
        outcome.status, outcome.pages, outcome.sha256 = "failed", 0, ""
        outcome.reason = str(error).replace(f"{path}: ", "")
        return outcome
    try:
        if item.report:  # the report belongs to the file as it now is
            write_atomic(path.with_name(path.stem + ".report.json"), item.report, force=True)
    except HandoutError as error:  # the PDF is on disk: its pages and sha256 stay true
        outcome.status = "failed"
        outcome.reason = str(error).replace(f"{path.parent}/", "")
    return outcome


def print_file_name(roster: Path, day: _dt.date) -> str:
    """``_print-file-<roster>-<date>.pdf``: two rosters in one folder never share one."""
    return f"_print-file-{slugify(roster.stem or 'batch')}-{day.isoformat()}.pdf"


@contextmanager
def output_folder(folder: Path) -> Iterator[Path]:
    """Hold ``folder`` for one run: created owner-only, locked, leftovers cleared.

    A second run into the same folder stops with one line naming this one's pid
    (:class:`handouts.locks.BusyError`). Only the holder of the lock removes the temporary
    files a killed run left behind, so a running batch never loses its in-progress files.
    """
    private_folder(folder, "--out-dir")
    with RunLock(folder / ".lock", f"the folder {folder}"):
        for stale in folder.glob(".partial-*.tmp"):
            stale.unlink(missing_ok=True)
        yield folder


def manifest_csv(result: BatchResult) -> bytes:
    """The manifest as CSV bytes (UTF-8 with a BOM so that Excel opens names correctly)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    for o in result.outcomes:
        writer.writerow([safe_cell(cell) for cell in (
            o.line, o.id, o.name, o.email, o.file, o.pages or "", o.sha256, o.status,
            o.reason)])
    return buffer.getvalue().encode("utf-8-sig")
