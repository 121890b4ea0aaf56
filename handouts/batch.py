"""Workshops: a roster becomes one handout per attendee, one print file and a manifest.

The whole roster is planned (and every bad row reported with its line) before anything is
built: handouts/batchplan.py. Worker processes render the single handouts and the print
file's pieces; this process only writes, as results arrive: each single file atomically
(after checking it is its row's), each piece onto the end of the print file. An interrupted
run keeps every file finished so far and leaves no partial PDF, and a rerun finishes the job:
a complete, identical file is kept, a different one is never replaced without ``force``.
Memory does not grow with the roster beyond its plans: no PDF waits in memory.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .batchplan import Attendee, BatchPlan
from .build import render_handout
from .errors import HandoutError
from .locks import RunLock
from .models import Plan
from .output import Fixes, private_folder, safe_cell, slugify, write_atomic
from .printfile import PIECE_ROWS, Piece, PrintFileOutput, build_piece, is_print_file
from .renderer import Renderer

MANIFEST_COLUMNS = ("line", "id", "name", "email", "file", "pages", "sha256", "status",
                    "reason")


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
              workers: Executor | None = None, report: bool = False,
              fixes: Fixes | None = None) -> BatchResult:
    """Build every planned attendee and the print file, in parallel, writing as they finish.

    Worker processes render the single files and the print file's pieces; this process
    writes each single file as soon as it arrives (after checking it is that row's) and
    appends the pieces to the print file in order. ``progress(stage, done, total)`` is called
    for the stages "handouts" and "print file". ``fixes`` says what an output error tells the
    user to do (default: batch's --force, --out-dir and --print-file; the web app's terms).
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
        _main_locale(batch.attendees), fixes) if print_file is not None and total else None
    tasks = _schedule(batch, stream, duplex, report)

    def take(item: RowResult | Piece | str) -> None:
        if isinstance(item, RowResult):
            outcome = write_row(attendees.get(item.line), item, force, fixes)
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


def write_row(attendee: Attendee | None, item: RowResult, force: bool,
              fixes: Fixes | None = None) -> Outcome:
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
            write_atomic(path, item.pdf, force=force, flag="--out-dir", what="folder",
                         fixes=fixes)
            outcome.status = "written"
    except HandoutError as error:
        # Nothing of this rendering is on disk: the manifest gives no pages or sha256 for it.
        outcome.status, outcome.pages, outcome.sha256 = "failed", 0, ""
        outcome.reason = str(error).replace(f"{path}: ", "")
        return outcome
    try:
        if item.report:  # the report belongs to the file as it now is
            write_atomic(path.with_name(path.stem + ".report.json"), item.report, force=True,
                         flag="--out-dir", fixes=fixes)
    except HandoutError as error:  # the PDF is on disk: its pages and sha256 stay true
        outcome.status = "failed"
        outcome.reason = str(error).replace(f"{path.parent}/", "")
    return outcome


def print_file_name(roster: Path, day: _dt.date) -> str:
    """``_print-file-<roster>-<date>.pdf``: two rosters in one folder never share one."""
    return f"_print-file-{slugify(roster.stem or 'batch')}-{day.isoformat()}.pdf"


@contextmanager
def output_folder(folder: Path, fixes: Fixes | None = None) -> Iterator[Path]:
    """Hold ``folder`` for one run: created owner-only, locked, leftovers cleared.

    A second run into the same folder stops with one line naming this one's pid
    (:class:`handouts.locks.BusyError`). Only the holder of the lock removes the temporary
    files a killed run left behind, so a running batch never loses its in-progress files.
    """
    private_folder(folder, "--out-dir", fixes)
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
