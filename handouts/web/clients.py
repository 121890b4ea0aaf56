"""The Clients page: every saved client file, with search and "new handout from this client"."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from ..errors import HandoutError
from .app import workspace
from .clientfile import find_client, list_clients
from .terms import in_app_terms

blueprint = Blueprint("clients", __name__)


@blueprint.get("/clients")
def clients() -> str:
    """The list (``?q=`` filters by name or email, also without JavaScript)."""
    query = (request.args.get("q") or "").strip()
    found = list_clients(workspace(current_app).folder)
    if query:
        wanted = query.casefold()
        found = [(stem, c) for stem, c in found if c is not None
                 and (wanted in c.name.casefold() or wanted in c.email.casefold())]
    space = workspace(current_app)
    titles = {sid: stretch.title for sid, stretch in space.load().library.items()}
    languages = {str(row["code"]): row["name"] for row in space.languages()}
    problems: dict[str, str] = {}
    for stem, client in found:
        if client is None:  # the loader's one line says what is wrong and where
            try:
                find_client(space.folder, stem)
            except HandoutError as error:
                problems[stem] = in_app_terms(str(error))
    return render_template("clients.html", clients=found, query=query, titles=titles,
                           languages=languages, problems=problems)
