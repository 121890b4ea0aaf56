"""``build-handouts init``: a clinic folder to fill in, with override folders explained."""

from __future__ import annotations

from pathlib import Path

from .errors import OutputError
from .output import write_atomic
from .resources import SAMPLES

TEMPLATES_README = """\
# Your own templates

Files here replace the built-in ones with the same path and name.

- `sections/<name>.md.j2` replaces a section's text. The names are: key-points,
  what-is-psoas, why-it-hurts, how-massage-helps, between-visits, your-stretches, log,
  safety, contact. Copy the built-in file first (see the project README) and change the words.
  The safety section must keep its two lists.
- `stretches/<id>.toml` replaces a stretch with the same id, or adds a new stretch.
  Run `build-handouts stretches --clinic .` to see the list.
- `lang/<code>/...` replaces a file of a language (`lang/es/sections/safety.md.j2`,
  `lang/es/strings.toml`), or adds a language of your own (see the project README,
  "Languages"). `lang/<code>/language.toml` says whether its words are draft or reviewed.
"""

IMAGES_README = """\
# Your own pictures

A picture here replaces the built-in picture with the same name. Use SVG (sharpest), or PNG
or JPG at 300 pixels per inch at its printed size (a stretch picture prints about 2.3 inches
wide, so about 700 pixels wide).

Names: anatomy, and one per stretch id (for example lunge.svg or bridge.png).
Your logo can live here too; name it in clinic.toml as logo = "images/logo.png".
"""


def create_clinic_folder(folder: Path, force: bool = False) -> list[Path]:
    """Write clinic.toml, client-example.toml and the override folders; return what was written."""
    files = {
        folder / "clinic.toml": (SAMPLES / "clinic.toml").read_bytes(),
        folder / "client-example.toml": (SAMPLES / "client.toml").read_bytes(),
        folder / "templates" / "README.md": TEMPLATES_README.encode("utf-8"),
        folder / "images" / "README.md": IMAGES_README.encode("utf-8"),
    }
    existing = [p for p in files if p.exists()]
    if existing and not force:
        raise OutputError(f"{existing[0]}: already exists. Use --force to replace it.")
    for sub in ("templates/sections", "templates/stretches"):
        try:
            (folder / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{folder / sub}: cannot create the folder ({exc.strerror}).") \
                from None
    for path, data in files.items():
        write_atomic(path, data, force=force)
        path.chmod(0o644)
    return list(files)
