"""Test languages made in a clinic folder: a copy of English with a marker, and a small
Spanish fixture (test words only, not the shipped Spanish) for the Spanish mechanics."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "templates" / "lang" / "en"


def toml_text(data: dict[str, Any], prefix: str = "") -> str:
    """A small TOML writer for test data (text, numbers, lists of text, tables)."""
    plain, tables = [], []
    for key, value in data.items():
        name = f'"{key}"' if not key.replace("-", "").replace("_", "").isalnum() else key
        if isinstance(value, dict):
            tables.append((f"{prefix}{name}", value))
        elif isinstance(value, list):
            plain.append(f"{name} = [" + ", ".join(_value(v) for v in value) + "]")
        else:
            plain.append(f"{name} = {_value(value)}")
    out = "\n".join(plain) + "\n"
    for name, table in tables:
        out += f"\n[{name}]\n" + toml_text(table, name + ".")
    return out


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _marked(data: Any, marker: str) -> Any:
    if isinstance(data, dict):
        return {k: v if k == "review" else _marked(v, marker) for k, v in data.items()}
    if isinstance(data, list):
        return [_marked(v, marker) for v in data]
    return f"{marker}{data}" if isinstance(data, str) else data


def copy_english(clinic: Path, code: str, marker: str = "", locale: str = "") -> Path:
    """templates/lang/<code> in ``clinic``: every English file, its strings with ``marker``
    in front of each value (keys and placeholders kept)."""
    folder = clinic / "templates" / "lang" / code
    shutil.copytree(ENGLISH, folder)
    meta = tomllib.loads((ENGLISH / "language.toml").read_text(encoding="utf-8"))
    meta.update(name=f"Test {code}", locale=locale or f"{code}-ZZ")
    meta["review"] = {"status": "draft"}
    (folder / "language.toml").write_text(toml_text(meta), encoding="utf-8")
    strings = tomllib.loads((ENGLISH / "strings.toml").read_text(encoding="utf-8"))
    keep = {"check": strings.pop("check"), "anatomy": strings.pop("anatomy")}
    strings = _marked(strings, marker)
    strings["anatomy"] = {"caption": marker + keep["anatomy"]["caption"],
                          "labels": keep["anatomy"]["labels"]}
    strings["check"] = keep["check"]
    (folder / "strings.toml").write_text(toml_text(strings), encoding="utf-8")
    return folder


SPANISH_LOCALE = {
    "months": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
               "septiembre", "octubre", "noviembre", "diciembre"],
    "months_short": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct",
                     "nov", "dic"],
    "weekdays": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "weekdays_short": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    "dates": {"long": "{weekday}, {day} de {month} de {year}",
              "no_weekday": "{day} de {month} de {year}"},
    "numbers": {"thousands": ",", "decimal": "."},
    "dose": {"separator": " · ", "hold_seconds": "Mantenga {seconds} segundos",
             "hold_one_minute": "Mantenga 1 minuto", "hold_minutes": "Mantenga {minutes} minutos",
             "move": "Muévase despacio, {times}", "once": "una vez", "times": "{reps} veces",
             "once_each_side": "una vez de cada lado",
             "times_each_side": "{reps} veces de cada lado",
             "once_a_day": "una vez al día", "twice_a_day": "dos veces al día",
             "times_a_day": "{count} veces al día",
             "days_a_week": "{per_day}, {days} días a la semana"},
    "locales": {"es-ES": {"numbers": {"thousands": ".", "decimal": ","}}},
}


def spanish_fixture(clinic: Path) -> Path:
    """A Spanish test language in ``clinic`` (test words, marked "ES:" where not translated):
    the Spanish locale, a few Spanish strings, Spanish email templates and anatomy labels."""
    folder = copy_english(clinic, "es", marker="ES:", locale="es-US")
    (folder / "locale.toml").write_text(toml_text(SPANISH_LOCALE), encoding="utf-8")
    strings = tomllib.loads((folder / "strings.toml").read_text(encoding="utf-8"))
    strings["footer"]["page"] = "Página {page} de {total}"
    strings["pdf"]["title"] = "Su psoas: guía para {name}"
    strings["anatomy"]["labels"]["thigh"] = "muslo"
    strings["check"] = {"call_to_action": ["Llame", "ES:Book online:"],
                        "reader": ["usted", "su"], "topic": "psoas", "defined_term": "SO-az"}
    (folder / "strings.toml").write_text(toml_text(strings), encoding="utf-8")
    email = folder / "email"
    (email / "subject.txt.j2").write_text("Su guía de {{ clinic.name }}\n", encoding="utf-8")
    (email / "body.txt.j2").write_text("Hola, {{ first_name }}:\n\nLe enviamos su guía.\n",
                                       encoding="utf-8")
    (email / "body.html.j2").write_text("<p>Hola, {{ first_name }}:</p>\n", encoding="utf-8")
    return folder
