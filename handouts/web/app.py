"""The app factory: one Flask app per ``build-handouts serve`` start.

Flask, because it shares Jinja2 and Click with the project (nothing new to learn or audit for
templates or commands), needs no build step and runs under any WSGI server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response

from ..errors import HandoutError
from . import security
from .state import Workspace
from .terms import in_app_terms

HERE = Path(__file__).resolve().parent


def hosts_for(port: int) -> tuple[str, ...]:
    """The Host values a request may carry: the bound address and port, nothing else."""
    return (f"127.0.0.1:{port}",)


def create_app(clinic_path: Path | None, token: str, port: int = 8765) -> Flask:
    """Make the app for the clinic at ``clinic_path`` (clinic.toml, its folder, or None for
    ./clinic.toml or the sample clinic), answering only requests that carry ``token``."""
    from ..content import find_clinic

    app = Flask("handouts.web", root_path=str(HERE), static_folder="static",
                template_folder="templates")
    app.config.update(TOKEN=token, HOSTS=hosts_for(port))
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the listings in order
    app.extensions["handouts"] = Workspace(find_clinic(clinic_path))
    security.install(app)

    from . import api, clients, clinic, handout, workshop

    app.register_blueprint(api.blueprint)
    app.register_blueprint(handout.blueprint)
    app.register_blueprint(clients.blueprint)
    app.register_blueprint(workshop.blueprint)
    app.register_blueprint(clinic.blueprint)

    @app.errorhandler(HandoutError)
    def handout_error(error: HandoutError) -> Response:
        return security.refuse(400, in_app_terms(str(error)))

    @app.errorhandler(404)
    def not_found(_: Any) -> Response:
        return security.refuse(404, "no such page or API route.")

    @app.errorhandler(405)
    def wrong_method(_: Any) -> Response:
        return security.refuse(405, "this route does not take that method.")

    return app


def workspace(app: Flask) -> Workspace:
    """The app's workspace (clinic folder, loaded library, renderer)."""
    found: Workspace = app.extensions["handouts"]
    return found
