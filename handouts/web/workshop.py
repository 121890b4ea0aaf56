"""The Workshop page: a roster becomes one handout each plus one print file, then email.

The roster is checked and planned by the CLI's own functions (``read_roster``, ``plan_batch``,
``run_batch``): the same rules, the same line-numbered messages, the same files (one folder per
roster under ``workshops/`` in the clinic folder, locked while a run writes to it).
"""

from __future__ import annotations

import io
import secrets
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from ..errors import HandoutError
from ..output import slugify, write_atomic
from .api import body_json
from .app import workspace
from .security import ROSTER_LIMIT, read_upload, refuse
from .terms import APP_FILES, WORKSHOP_FILES, in_app_terms

blueprint = Blueprint("workshop", __name__)
FOLDER = "workshops"
WORKSHOP_KEYS = ("title", "date", "stretches", "note", "therapist", "layout", "language")
PASSWORDS = "pdf-passwords.csv"
KEEP_JOBS = 20


@dataclass
class Job:
    """A workshop run in the background, polled by the page for its progress."""

    roster: str
    stage: str = "handouts"
    done: int = 0
    total: int = 0
    finished: bool = False
    error: str = ""
    answer: dict[str, Any] = field(default_factory=dict)

    def progress(self, stage: str, count: int, total: int) -> None:
        """run_batch's progress callback."""
        self.stage, self.done, self.total = stage, count, total


def _jobs() -> dict[str, Job]:
    jobs: dict[str, Job] = current_app.extensions.setdefault("handouts.jobs", {})
    return jobs


def roster_folder(clinic_folder: Path, slug: str) -> Path:
    """``workshops/<slug>/`` (the slug is checked: a plain name, never a path)."""
    if not slug or slug != slugify(slug):
        raise HandoutError(f"'{slug}' is not a roster name.")
    return clinic_folder / FOLDER / slug


def roster_file(clinic_folder: Path, slug: str) -> Path:
    """The uploaded roster kept in its workshop folder."""
    path = roster_folder(clinic_folder, slug) / f"{slug}.csv"
    if not path.is_file():
        raise HandoutError(f"{FOLDER}/{slug}/{slug}.csv: no such roster; upload it again.")
    return path


def workshop_fields(data: dict[str, Any]) -> Any:
    """The workshop's shared fields, validated as a WORKSHOP.toml is."""
    from ..batchplan import workshop_from_data

    values = {k: v for k, v in data.items() if k in WORKSHOP_KEYS and v not in ("", [], None)}
    return workshop_from_data(values, "workshop")


def plan(clinic_folder: Path, slug: str, fields: dict[str, Any]) -> tuple[Any, Path, Any]:
    """Read and plan the roster with the workshop's fields: (plan, roster path, workshop)."""
    from ..batchplan import plan_batch
    from ..models import Options
    from ..roster import read_roster

    loaded = workspace(current_app).load()
    path = roster_file(clinic_folder, slug)
    shared = workshop_fields(fields)
    table = read_roster(path)
    planned = plan_batch(table, loaded.clinic, loaded.library, shared, (), Options(),
                         path.parent)
    return planned, path, shared


def _row_errors(planned: Any, roster: Path) -> list[dict[str, Any]]:
    return [{"line": e.line, "kind": "held back" if e.flagged else "error",
             "message": f"{roster.name}: line {e.line}: {in_app_terms(reason)}"}
            for e in planned.errors for reason in e.reasons]  # every problem, one line each


@blueprint.get("/workshop")
def page() -> str:
    """The Workshop page."""
    from ..request import stretch_listing

    space = workspace(current_app)
    loaded = space.load()
    default = next((row["name"] for row in space.languages()
                    if row["code"] == loaded.clinic.default_language), "")
    return render_template("workshop.html", clinic=loaded.clinic,
                           stretches=stretch_listing(loaded.library),
                           languages=space.languages(), default_language=default)


@blueprint.post("/workshop/roster")
def upload() -> Response:
    """Keep the uploaded roster (5 MB at most) and check every row with the CLI's rules."""
    filename, data = read_upload(
        "roster", ROSTER_LIMIT, 64 * 1024,
        "roster: choose a CSV file exported from your sign-up sheet.")
    space = workspace(current_app)
    slug = slugify(Path(filename).stem)
    folder = roster_folder(space.folder, slug)
    target = folder / f"{slug}.csv"
    if target.is_file() and target.read_bytes() != data and not request.form.get("replace"):
        return refuse(409, f"{FOLDER}/{slug}/{slug}.csv already holds another version of "
                      "this roster; tick \"Replace the kept roster\" to use the new one.")
    write_atomic(target, data, force=True, fixes=APP_FILES)
    planned, path, _ = plan(space.folder, slug, _form_fields())
    return jsonify(roster=slug, rows=len(planned.attendees) + len(planned.errors),
                   ready=len(planned.attendees), errors=_row_errors(planned, path),
                   notices=[in_app_terms(n) for n in planned.roster.notices])


def _form_fields() -> dict[str, Any]:
    """The upload form's workshop fields (stretches may repeat)."""
    fields: dict[str, Any] = {k: v for k, v in request.form.items() if k != "stretches"}
    fields["stretches"] = request.form.getlist("stretches")
    return fields


@blueprint.post("/workshop/run")
def run() -> Response:
    """Start building every handout and the print file; answers the job to poll."""
    data = body_json()
    space = workspace(current_app)
    planned, path, shared = plan(space.folder, str(data.get("roster", "")), data)
    job = Job(roster=path.parent.name, total=len(planned.attendees))
    key = secrets.token_urlsafe(12)
    jobs = _jobs()
    for old in [k for k, j in jobs.items() if j.finished][:-KEEP_JOBS]:
        del jobs[old]  # finished runs are kept only for the page that polls them
    jobs[key] = job
    force = bool(data.get("replace_files"))
    threading.Thread(target=_run, args=(job, planned, path, shared, force), daemon=True).start()
    return jsonify(job=key, errors=_row_errors(planned, path))


def _run(job: Job, planned: Any, roster: Path, shared: Any, force: bool) -> None:
    """The batch, as ``build-handouts batch`` runs it (one worker: the app keeps serving)."""
    import datetime as _dt

    from ..batch import manifest_csv, output_folder, print_file_name, run_batch

    try:
        folder = roster.parent
        day = planned.attendees[0].plan.date if planned.attendees else _dt.date.today()
        target = folder / print_file_name(roster, day)
        with output_folder(folder, WORKSHOP_FILES):
            result = run_batch(planned, jobs=1, force=force,
                               print_file=target if planned.attendees else None,
                               title=shared.title, progress=job.progress,
                               fixes=WORKSHOP_FILES)
            write_atomic(folder / "_manifest.csv", manifest_csv(result), force=True,
                         fixes=WORKSHOP_FILES)
        job.answer = {
            "rows": [{"line": o.line, "name": o.name, "file": o.file, "pages": o.pages,
                      "status": o.status, "reason": in_app_terms(o.reason)}
                     for o in result.outcomes],
            "print_file": result.print_file.name if result.print_file else "",
            "print_pages": result.print_pages,
            "print_error": in_app_terms(result.print_error),
            "warnings": [in_app_terms(w) for w in result.warnings]}
    except HandoutError as error:
        job.error = in_app_terms(str(error))
    finally:
        job.finished = True


@blueprint.get("/workshop/jobs/<key>")
def status(key: str) -> Response:
    """A run's progress, and its per-row table once it is done."""
    job = _jobs().get(key)
    if job is None:
        abort(404)
    return jsonify(stage=job.stage, done=job.done, total=job.total, finished=job.finished,
                   error=job.error, **job.answer)


@blueprint.get("/workshop/<slug>/print-file")
def print_file(slug: str) -> Response:
    """The newest print file of this roster."""
    folder = roster_folder(workspace(current_app).folder, slug)
    found = sorted(folder.glob("_print-file-*.pdf"), key=lambda p: p.stat().st_mtime)
    if not found:
        abort(404)
    response = Response(found[-1].read_bytes(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{found[-1].name}"'
    return response


@blueprint.get("/workshop/<slug>/handouts.zip")
def handouts_zip(slug: str) -> Response:
    """Every single handout of this roster in one zip."""
    folder = roster_folder(workspace(current_app).folder, slug)
    files = sorted(p for p in folder.glob("*.pdf") if not p.name.startswith("_"))
    if not files:
        abort(404)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in files:  # PDFs are compressed already
            archive.writestr(path.name, path.read_bytes())
    response = Response(buffer.getvalue(), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-handouts.zip"'
    return response


@blueprint.post("/workshop/email")
def email() -> Response:
    """Count who would be emailed (``send`` false), or send to everyone exactly once."""
    from ..delivery import deliver, plan_recipients

    data = body_json()
    space = workspace(current_app)
    planned, path, _ = plan(space.folder, str(data.get("roster", "")), data)
    plans = [(f"{path.name}: line {a.line}", a.plan) for a in planned.attendees]
    recipients, bad = plan_recipients(plans)
    problems = [e["message"] for e in _row_errors(planned, path)] + bad
    if not data.get("send"):
        return jsonify(recipients=len(recipients), problems=problems)
    if not recipients:
        raise HandoutError("nobody to email.")
    lines: list[str] = []
    clinic = recipients[0].plan.clinic
    result = deliver(recipients, config=clinic.smtp, record=None,  # the clinic's one record
                     outbox=None, encrypt=False, passwords=space.folder / PASSWORDS,
                     say=lines.append, renderer=space.renderer)
    return jsonify(sent=len(result.sent), skipped=len(result.skipped),
                   failed=len(result.failed), uncertain=len(result.uncertain),
                   waiting=len(result.waiting), problems=[in_app_terms(p) for p in problems],
                   messages=[in_app_terms(line) for line in lines])
