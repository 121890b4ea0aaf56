"""The app's guard: token, Host and Origin checks, upload limits and the request log.

The app runs on a clinic's shared computer, so a browser tab of any web site could try to
reach it. A request must name the bound address in ``Host`` (a DNS-rebinding page names its
own host), a state-changing one must not come from another origin, and every request needs
the start's random token: as ``Authorization: Bearer TOKEN`` (scripts) or as the cookie the
first visit with ``?token=`` sets (pages); only the app's own CSS and JavaScript are served
without it (so the page saying the token is missing has its style). The log names method,
path and status only: no query string (it may hold the token), no names, notes or conditions.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, abort, jsonify, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from ..errors import HandoutError

COOKIE = "handouts_token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
ROSTER_LIMIT = 5 * 1024 * 1024  # bytes
LOGO_LIMIT = 2 * 1024 * 1024
BODY_LIMIT = ROSTER_LIMIT + 64 * 1024  # the largest upload plus its form fields

log = logging.getLogger("handouts.web")


def refuse(status: int, message: str) -> Response:
    """The error's one line: JSON for the API and scripts, a short page for a browser that
    opened a page (its words are in templates/refused.html)."""
    from flask import render_template

    wants_page = (request.method == "GET" and not request.path.startswith(("/api/",
                                                                         "/static/"))
                  and request.accept_mimetypes.accept_html
                  and request.accept_mimetypes["text/html"] >= request.accept_mimetypes[
                      "application/json"])
    if wants_page:
        response = Response(render_template("refused.html", message=message, status=status),
                            mimetype="text/html")
    else:
        response = jsonify(error=message)
    response.status_code = status
    return response


def _token_matches(app: Flask, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), app.config["TOKEN"].encode())


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def check_request(app: Flask) -> BaseResponse | None:
    """Refuse what must not reach a page (the ``before_request`` hook)."""
    hosts = app.config["HOSTS"]
    if request.host not in hosts:
        return refuse(403, f"the Host header must be {hosts[0]}; open the address the app "
                      "printed.")
    origin = request.headers.get("Origin")
    if request.method not in SAFE_METHODS and origin is not None \
            and origin not in tuple(f"http://{h}" for h in hosts):
        return refuse(403, "this request came from another site; use the app's own pages.")
    if request.headers.get("Sec-Fetch-Site") == "cross-site" and request.method not in \
            SAFE_METHODS:
        return refuse(403, "this request came from another site; use the app's own pages.")
    given = request.args.get("token")
    if given is not None and request.method == "GET" and _token_matches(app, given):
        # The first visit: keep the token in a cookie and take it out of the address bar.
        rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
        target = request.path + ("?" + urlencode(rest) if rest else "")
        response = redirect(target, code=303)
        response.set_cookie(COOKIE, app.config["TOKEN"], httponly=True, samesite="Strict",
                            path="/")
        return response
    if _token_matches(app, _bearer()) or _token_matches(app, request.cookies.get(COOKIE)):
        return None
    if request.method in SAFE_METHODS and request.path.startswith("/static/"):
        return None  # the app's own CSS and JavaScript (public, in the package): no token
    if given is not None or _bearer() is not None or request.cookies.get(COOKIE):
        return refuse(401, "wrong token; open the address build-handouts serve printed.")
    return refuse(401, "no token; open the address build-handouts serve printed, or send "
                  "Authorization: Bearer TOKEN.")


def log_request(response: Response) -> Response:
    """One log line: method, path (never the query string) and status."""
    log.info("%s %s %s", request.method, request.path, response.status_code)
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
        "frame-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    return response


def limit_upload(limit: int) -> None:
    """Set this request's body limit (the roster's or the logo's) before reading it."""
    request.max_content_length = limit


def read_upload(field: str, limit: int, room: int, missing: str) -> tuple[str, bytes]:
    """The uploaded file ``field``: its name and bytes, read whole and closed at once (the
    form parser's spooled file). No file is ``missing`` (400); over ``limit`` bytes, a 413.
    ``room`` is what the form's other fields may add to the request's body."""
    limit_upload(limit + room)
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        raise HandoutError(missing)
    try:
        data = upload.read()
    finally:
        upload.close()
    if len(data) > limit:
        abort(refuse(413, f"the upload is larger than {limit // (1024 * 1024)} MB; "
                     "choose a smaller file."))
    return upload.filename, data


def install(app: Flask) -> None:
    """Hook the guard and the log into ``app``."""
    app.config["MAX_CONTENT_LENGTH"] = BODY_LIMIT
    app.before_request(lambda: check_request(app))
    app.after_request(log_request)

    @app.errorhandler(413)
    def too_large(_: Any) -> Response:
        limit = request.max_content_length or BODY_LIMIT
        return refuse(413, f"the upload is larger than {limit // (1024 * 1024)} MB; "
                      "choose a smaller file.")
