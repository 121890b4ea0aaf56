"""The New handout page: the form, the stretch drawings, and making the handout.

Making the handout here (download, print or email) also saves the client file, so the next
visit starts from this one. Emailing uses the CLI's delivery: the same sent record and the
same exactly-once rules.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from ..errors import HandoutError
from .api import body_json, render_request
from .app import workspace
from .clientfile import find_client, save_client
from .terms import in_app_terms

blueprint = Blueprint("handout", __name__)
PASSWORDS = "pdf-passwords.csv"


def form_context(start: Any = None) -> dict[str, Any]:
    """What the form shows: the clinic, its stretches and conditions, a client to start from."""
    from ..request import condition_listing, stretch_listing

    space = workspace(current_app)
    codes = [str(row["code"]) for row in space.languages()]
    # the client's saved language, else the clinic's (a saved code no longer there: the clinic's)
    saved = start.language if start is not None and start.language in codes else None
    loaded = space.load(saved)
    language = saved or loaded.clinic.default_language
    stretches = stretch_listing(loaded.library)
    conditions = condition_listing(loaded.catalogue, loaded.library)
    ruled = {row["id"]: [c for c in conditions if row["id"] in c["rules_out"]]
             for row in stretches}
    from ..safety import safe_alternatives

    alternatives = {c["id"]: safe_alternatives([loaded.catalogue[c["id"]]], loaded.library)
                    for c in conditions}
    chosen = {c.id: c for c in start.stretches} if start is not None else {}
    return {"clinic": loaded.clinic, "stretches": stretches, "conditions": conditions,
            "ruled": ruled, "alternatives": alternatives, "start": start, "chosen": chosen,
            "today": _dt.date.today().isoformat(),
            "languages": space.languages(), "language": language,
            "own_file": space.clinic_file is not None,
            "titles": {s["id"]: s["title"] for s in stretches}}


@blueprint.get("/")
def new_handout() -> str:
    """The form, empty or started from a saved client (``?client=<file>``)."""
    stem = request.args.get("client")
    start = find_client(workspace(current_app).folder, stem) if stem else None
    return render_template("handout.html", **form_context(start))


@blueprint.get("/images/<name>.svg")
def drawing(name: str) -> Response:
    """A stretch's drawing (the clinic's own first, as the handout finds it)."""
    from ..resources import image_path

    loaded = workspace(current_app).load()
    path = image_path(loaded.clinic.folder).find_image(name)
    if path is None or path.suffix.lower() != ".svg":
        abort(404)
    return Response(Path(path).read_bytes(), mimetype="image/svg+xml")


@blueprint.post("/handout/pdf")
def make_pdf() -> Response:
    """The handout's PDF (for Download and Print); saves the client file."""
    from ..output import slugify

    rendered = render_request(body_json())
    save_client(workspace(current_app).folder, rendered.plan.client)
    plan = rendered.plan
    response = Response(rendered.pdf, mimetype="application/pdf")
    name = f"{slugify(plan.client.name)}-{plan.date.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@blueprint.post("/handout/email")
def email() -> Response:
    """Email the handout with the CLI's delivery (sent record, exactly once)."""
    from ..delivery import deliver, plan_recipients

    space = workspace(current_app)
    rendered = render_request(body_json())
    plan = rendered.plan
    recipients, problems = plan_recipients([("request", plan)])
    if problems:
        raise HandoutError(problems[0])
    lines: list[str] = []
    result = deliver(recipients, config=plan.clinic.smtp, record=None,  # the clinic's one record
                     outbox=None, encrypt=False, passwords=space.folder / PASSWORDS,
                     say=lines.append, renderer=space.renderer)
    save_client(space.folder, plan.client)
    outcome = ("sent" if result.sent else "already-sent" if result.skipped else
               "uncertain" if result.uncertain else "refused" if result.failed else "later")
    return jsonify(outcome=outcome, messages=[in_app_terms(line) for line in lines])
