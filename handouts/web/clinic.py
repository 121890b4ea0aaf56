"""The Clinic page: clinic.toml's details in a form, the logo, the colour, email settings.

A change is checked by the loader the CLI uses (``load_clinic`` on the changed table, so its
messages name clinic.toml and the field) before anything is written; then clinic.toml is
replaced atomically (owner-only), the version before it kept as clinic.toml.bak. Only the
values that changed are rewritten (``tomledit``): the therapist's comments and order stay. The SMTP
password is never shown or stored: the page says only whether the environment has it.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template

from ..errors import HandoutError
from ..language import DEFAULT_LANGUAGE
from ..models import Clinic
from ..output import write_atomic
from .api import body_json
from .app import workspace
from .security import LOGO_LIMIT, read_upload
from .terms import APP_FILES, in_app_terms
from .tomledit import Unwritable, edit_toml

blueprint = Blueprint("clinic", __name__)
FIELDS = ("name", "address", "phone", "email", "website", "booking_url", "brand_color",
          "paper", "default_layout", "emergency_number", "disclaimer", "default_language",
          "locale")
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
# What the loader uses for a key clinic.toml leaves out: the form sends every field, and one
# that only repeats the default is not added to the file.
DEFAULTS = {"brand_color": Clinic.brand_color, "paper": Clinic.paper,
            "default_layout": Clinic.default_layout, "default_language": DEFAULT_LANGUAGE}


def _same(key: str, new: str, old: str) -> bool:
    """Whether the form's ``new`` is the value clinic.toml already has (as the loader reads
    both: stripped; a colour in either case), so the file's own spelling stays."""
    if key == "brand_color":
        return new.strip().upper() == old.strip().upper()
    return new.strip() == old.strip()


def clinic_file() -> Path:
    """The clinic.toml the app serves (the sample clinic cannot be edited)."""
    path = workspace(current_app).clinic_file
    if path is None:
        raise HandoutError("the app runs with the sample clinic; run build-handouts init "
                           "my-clinic, then start the app with --clinic my-clinic.")
    return path


def save_clinic(path: Path, data: dict[str, Any]) -> None:
    """Check ``data`` as clinic.toml, keep the old file as .bak, write the new one: only the
    values that changed are rewritten; the therapist's comments and the order stay."""
    from ..build import check_defaults
    from ..content import load_clinic, load_library
    from ..schema import tomllib

    clinic = load_clinic(path, data)  # the CLI's checks and messages, nothing written yet
    check_defaults(clinic, load_library(clinic.folder))
    old = path.read_bytes() if path.is_file() else b""
    cannot = HandoutError(f"{path}: these details cannot be written back exactly; edit the "
                          "file in a text editor instead.")
    try:
        new = edit_toml(old.decode("utf-8"), data).encode("utf-8")
        if tomllib.loads(new.decode("utf-8").removeprefix("\ufeff")) != data:
            raise cannot  # what is written must read back the same
    except (Unwritable, UnicodeError, tomllib.TOMLDecodeError):
        raise cannot from None
    if new == old:
        return
    if old:
        write_atomic(path.with_name(path.name + ".bak"), old, force=True, fixes=APP_FILES)
    write_atomic(path, new, force=True, fixes=APP_FILES)
    workspace(current_app).forget()


def in_home(path: Path) -> str | None:
    """``path`` relative to the home folder ("Documents/my-clinic/clinic.toml"), or None when
    it is elsewhere: the page names the file a therapist would look for, in plain words."""
    try:
        return str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError, OSError):  # outside home, or no home folder known
        return None


@blueprint.get("/clinic")
def page() -> str:
    """The Clinic page."""
    from ..mail import PASSWORD_ENV
    from ..schema import load_toml

    path = clinic_file()
    loaded = workspace(current_app).load()
    return render_template("clinic.html", clinic=loaded.clinic, data=load_toml(path),
                           languages=workspace(current_app).languages(),
                           path=path.resolve(), home_path=in_home(path),
                           password_env=PASSWORD_ENV,
                           password_set=bool(os.environ.get(PASSWORD_ENV)))


@blueprint.post("/clinic")
def update() -> Response:
    """Save the form's details (empty fields are removed from clinic.toml)."""
    from ..schema import load_toml

    path = clinic_file()
    changes = body_json()
    if not isinstance(changes, dict):
        raise HandoutError(f"{path}: the form's details must be a JSON object.")
    data = load_toml(path)
    for key in FIELDS:
        if key in changes:
            value = changes[key]
            if key not in data and value == DEFAULTS.get(key):
                continue  # the form always sends it: keep clinic.toml without the default
            if value in ("", None):
                data.pop(key, None)
            elif not (isinstance(value, str) and isinstance(data.get(key), str)
                      and _same(key, value, data[key])):
                data[key] = value
    if "sample" in changes:
        data["sample"] = bool(changes["sample"])
    save_clinic(path, data)
    return jsonify(saved=True)


@blueprint.post("/clinic/logo")
def logo() -> Response:
    """Keep an uploaded logo (2 MB at most, PNG, JPG or SVG) as images/logo.<ext>."""
    from ..art import check_picture
    from ..schema import load_toml

    filename, picture = read_upload("logo", LOGO_LIMIT, 16 * 1024,
                                    "logo: choose a PNG, JPG or SVG file.")
    suffix = Path(filename).suffix.lower()
    if suffix not in LOGO_SUFFIXES:
        raise HandoutError(f"logo: '{suffix or filename}' is not a picture the "
                           "handout can print; use PNG, JPG or SVG.")
    path = clinic_file()
    trial = path.parent / "images" / f".logo-check{suffix}"
    write_atomic(trial, picture, force=True, fixes=APP_FILES)
    try:
        try:
            check_picture(trial)  # a damaged picture stops here, before clinic.toml names it
        except HandoutError as error:  # the loader's words, naming the file that was chosen
            raise HandoutError(str(error).replace(str(trial), f"logo: {filename}")) \
                from None
        target = path.parent / "images" / f"logo{suffix}"
        write_atomic(target, picture, force=True, fixes=APP_FILES)
    finally:
        trial.unlink(missing_ok=True)
    data = load_toml(path)
    data["logo"] = f"images/logo{suffix}"
    save_clinic(path, data)
    return jsonify(saved=True, logo=data["logo"])


@blueprint.post("/clinic/test-email")
def test_email() -> Response:
    """Send the sample handout to the clinic's own sending address, through [smtp]."""
    from ..build import plan_handout
    from ..content import client_from_data
    from ..delivery import deliver, plan_recipients
    from ..resources import SAMPLES
    from ..schema import load_toml

    space = workspace(current_app)
    loaded = space.load()
    config = loaded.clinic.smtp
    if config is None:
        raise HandoutError(f"{clinic_file()}: has no [smtp] table; add one (see the README).")
    sample = load_toml(SAMPLES / "client.toml")
    sample.update(email=config.from_address, date=_dt.date.today().isoformat())
    client = client_from_data(sample, "sample client")
    plan = plan_handout(loaded.clinic, client, loaded.library, catalogue=loaded.catalogue)
    recipients, problems = plan_recipients([("test email", plan)])
    if problems:
        raise HandoutError(problems[0])
    lines: list[str] = []
    result = deliver(recipients, config=config, record=None,  # the clinic's one record
                     outbox=None, encrypt=False, passwords=space.folder / "pdf-passwords.csv",
                     resend=[recipients[0].key], say=lines.append, renderer=space.renderer)
    outcome = ("sent" if result.sent else "uncertain" if result.uncertain else
               "refused" if result.failed else "later")
    return jsonify(outcome=outcome, to=config.from_address,
                   messages=[in_app_terms(line) for line in lines])
