"""Run the app with waitress on 127.0.0.1 only, until Ctrl-C.

waitress: a pure-Python, production WSGI server with no dependencies, maintained by the
Pylons project; it serves several requests at once (threads) and on every system Python runs on.
"""

from __future__ import annotations

import logging
import secrets
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path

HOST = "127.0.0.1"


def serve(clinic_path: Path | None, port: int, open_browser: bool,
          say: Callable[[str], None]) -> None:
    """Start the app, print the one line with its address, open the browser, and serve."""
    from waitress.server import create_server

    from .app import create_app, hosts_for, workspace

    token = secrets.token_urlsafe(32)
    app = create_app(clinic_path, token, port)
    workspace(app).load()  # a bad clinic.toml is the CLI's one line now, not on first visit
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("waitress").setLevel(logging.ERROR)  # no banner, no queue-depth notes
    server = create_server(app, host=HOST, port=port, threads=8, ident="build-handouts",
                           clear_untrusted_proxy_headers=True)
    bound = int(server.effective_port)  # type: ignore[union-attr]
    app.config["HOSTS"] = hosts_for(bound)
    address = f"http://{HOST}:{bound}/?token={token}"
    say(f"Open {address}")
    if open_browser:
        webbrowser.open(address)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
