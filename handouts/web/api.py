"""The JSON API: stretches, conditions and handouts, for the pages and for scripts.

Every answer is the library's: the same loaders, the same planning and screening, the same
one-line messages as the command line (as ``{"error": "<one line>"}`` with a 4xx status).
"""

from __future__ import annotations

import base64
import io
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from ..errors import HandoutError
from .app import workspace

blueprint = Blueprint("api", __name__, url_prefix="/api")
PREVIEW_SCALE = 80 / 72  # preview pages at 80 dpi: readable beside the form, small to send


def body_json() -> Any:
    """The request's JSON body; anything else is a 400 with one line."""
    data = request.get_json(silent=True)
    if data is None:
        raise HandoutError("request: the body must be JSON (Content-Type: application/json).")
    return data


def render_request(data: Any) -> Any:
    """Plan and render a handout from a request object (the CLI's rules and messages)."""
    from ..build import plan_handout, render_handout
    from ..request import request_from_data

    space = workspace(current_app)
    client, options = request_from_data(data)
    # the library and conditions already in the handout's words (kept per language)
    loaded = space.load(client.language or None, "request: 'language'")
    plan = plan_handout(loaded.clinic, client, loaded.library, options,
                        catalogue=loaded.catalogue)
    return render_handout(plan, space.renderer)


def asked_language() -> Any:
    """What the app has loaded in ``?language=CODE`` (default: the clinic's language)."""
    return workspace(current_app).load(request.args.get("language") or None,
                                       "?language")


@blueprint.get("/languages")
def languages() -> Response:
    """The languages a handout can be written in: code, name, and whether still a draft."""
    return jsonify(workspace(current_app).languages())


@blueprint.get("/stretches")
def stretches() -> Response:
    """Every stretch, as ``build-handouts stretches --json`` lists them (``?language=es``:
    their words in that language)."""
    from ..request import stretch_listing

    return jsonify(stretch_listing(asked_language().library))


@blueprint.get("/conditions")
def conditions() -> Response:
    """Every condition with what it rules out, as ``build-handouts conditions --json``
    (``?language=es``: their words in that language)."""
    from ..request import condition_listing

    loaded = asked_language()
    return jsonify(condition_listing(loaded.catalogue, loaded.library))


@blueprint.post("/handouts")
def handouts() -> Response:
    """The handout's PDF for a JSON request with the client file's keys."""
    from ..output import slugify

    rendered = render_request(body_json())
    plan = rendered.plan
    name = f"{slugify(plan.client.name)}-{plan.date.isoformat()}.pdf"
    response = Response(rendered.pdf, mimetype="application/pdf")
    disposition = "inline" if request.args.get("inline") else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def page_images(pdf: bytes) -> tuple[list[str], list[str]]:
    """Each page of ``pdf`` as a PNG data address (rendered by pypdfium2), and its text (so
    the preview can be read without seeing the picture)."""
    import pypdfium2

    from ..figure import PDFIUM  # (PDFium is not thread-safe: one thread in it at a time)

    pictures, texts = [], []
    with PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            for index in range(len(document)):
                page = document[index]
                text_page = page.get_textpage()
                texts.append(text_page.get_text_range())
                text_page.close()
                bitmap = page.render(scale=PREVIEW_SCALE)
                pictures.append(bitmap.to_pil().copy())  # (its own pixels: the bitmap goes)
                bitmap.close()
                page.close()
        finally:
            document.close()
    images = []
    for picture in pictures:
        buffer = io.BytesIO()
        # 256 colours: a page of text and line drawings looks the same at a fifth the size
        picture.quantize(colors=256, method=2).save(buffer, format="PNG")  # 2: fast octree
        images.append("data:image/png;base64," + base64.b64encode(buffer.getvalue())
                      .decode("ascii"))
    return images, texts


@blueprint.post("/preview")
def preview() -> Response:
    """The real PDF's pages as pictures, and the planning warnings (for the live preview)."""
    rendered = render_request(body_json())
    images, texts = page_images(rendered.pdf)
    return jsonify(pages=images, texts=texts, warnings=list(rendered.warnings))


@blueprint.post("/quality")
def quality() -> Response:
    """The quality check's summary of the handout (``build-handouts check``'s report)."""
    from ..quality import check_rendered

    data = check_rendered(render_request(body_json())).as_dict()
    # Draft language files are one warning per file in the report; the page says it once.
    drafts = [c for c in data["checks"] if c["id"].startswith("review:")
              and c["status"] != "pass"]
    checks = [c for c in data["checks"] if c["status"] != "pass" and c not in drafts]
    return jsonify(failures=data["failures"],
                   warnings=sum(c["status"] == "warn" for c in checks),
                   reading_grade=data["reading_grade"], inflesz=data["inflesz"],
                   language=data["language"], draft=bool(drafts), draft_files=len(drafts),
                   checks=checks, pemat=data["pemat"], allowed=data["allowed"])
