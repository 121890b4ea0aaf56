"""The command line: parse options, call the library, turn HandoutError into one line + exit 1.

Click reports usage errors itself (exit 2). Nothing here knows the order of the pipeline's
stages; that lives in :mod:`handouts.build`.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import HandoutError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def fail(error: HandoutError) -> NoReturn:
    """Print one line and exit with the error's code."""
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HandoutError as error:
            fail(error)
        except KeyboardInterrupt:
            click.echo("Stopped. No partial file was left behind.", err=True)
            sys.exit(130)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD.") from None


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="build-handouts")
def main() -> None:
    """Make printable psoas self-care handouts for your massage clients.

    \b
    Start here:
      build-handouts build                 a sample handout
      build-handouts init my-clinic        set up your clinic's details
      build-handouts stretches             the stretches you can choose
    """


@main.command(context_settings=CONTEXT)
@click.argument("client_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--client", "client_name", metavar="NAME", help="The client's name.")
@click.option("--stretch", "stretches", metavar="ID", multiple=True,
              help="A stretch id (repeat for more). Replaces the client file's list.")
@click.option("--note", metavar="TEXT", help="A note for the client (replaces the file's).")
@click.option("--clinic", "clinic_path", type=click.Path(path_type=Path),
              help="clinic.toml or its folder. Default: ./clinic.toml, else the sample clinic.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Paper size (default: the "
              "clinic's, else letter).")
@click.option("--large-print", is_flag=True, help="18 pt text for easier reading.")
@click.option("--grayscale", is_flag=True, help="No colour (for black-and-white printers).")
@click.option("--date", "day", callback=_date, metavar="YYYY-MM-DD", help="Handout date "
              "(default: today).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF. Default: output/<client>-<date>.pdf")
@click.option("--force", is_flag=True, help="Replace an existing file.")
def build(client_file: Path | None, client_name: str | None, stretches: tuple[str, ...],
          note: str | None, clinic_path: Path | None, paper: str | None, large_print: bool,
          grayscale: bool, day: _dt.date | None, output: Path | None, force: bool) -> None:
    """Build one client's handout.

    \b
    Examples:
      build-handouts build
      build-handouts build client.toml
      build-handouts build --client "Jane Doe" --stretch lunge --stretch bridge \\
          --note "Go gently on the left side."
    """
    from .build import build_handout, choose_output, load_request, write_handout
    from .content import find_clinic
    from .models import Options

    clinic_file = find_clinic(clinic_path)
    clinic, client, library = load_request(clinic_file, client_file, client_name, stretches,
                                           note)
    rendered = build_handout(clinic, client, library,
                             Options(paper=paper, large_print=large_print, grayscale=grayscale,
                                     date=day))
    path = output or choose_output(rendered)
    if path.exists() and not force and path.is_file() and path.read_bytes() == rendered.pdf:
        click.echo(f"{path} is already up to date ({rendered.pages} pages).")
    else:
        write_handout(rendered, path, force=force)
        click.echo(f"Wrote {path} ({rendered.pages} pages).")
    for warning in rendered.warnings:
        click.echo(f"warning: {warning}", err=True)
    if clinic.sample:
        click.echo("This handout uses the sample clinic's details. To use your own, run\n"
                   "  build-handouts init my-clinic\n"
                   "then edit my-clinic/clinic.toml and build with --clinic my-clinic.")


@main.command(context_settings=CONTEXT)
@click.option("--clinic", "clinic_path", type=click.Path(path_type=Path),
              help="Include this clinic's own stretches.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def stretches(clinic_path: Path | None, as_json: bool) -> None:
    """List the stretches you can choose (id, title, what it is for, cautions).

    \b
    Example:
      build-handouts stretches --json
    """
    from .content import find_clinic, load_clinic, load_library

    clinic = load_clinic(find_clinic(clinic_path))
    library = load_library(clinic.folder)
    if as_json:
        data = [{"id": s.id, "title": s.title, "purpose": s.purpose,
                 "cautions": list(s.cautions), "tags": list(s.tags),
                 "dose": {"hold_seconds": s.dose.hold_seconds, "reps": s.dose.reps,
                          "sides": s.dose.sides, "per_day": s.dose.per_day,
                          "days_per_week": s.dose.days_per_week},
                 "image": s.image, "source": str(s.source)} for s in library.values()]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for s in library.values():
        click.echo(f"{s.id}")
        click.echo(f"    {s.title}: {s.purpose}")
        for caution in s.cautions:
            click.echo(f"    caution: {caution}")


@main.command(context_settings=CONTEXT)
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def init(folder: Path, force: bool) -> None:
    """Create a clinic folder: clinic.toml, an example client, and override folders.

    \b
    Example:
      build-handouts init my-clinic
    """
    from .setup import create_clinic_folder

    written = create_clinic_folder(folder, force=force)
    for path in written:
        click.echo(f"Wrote {path}")
    click.echo(f"Next: edit {folder / 'clinic.toml'}, then run\n"
               f"  build-handouts build {folder / 'client-example.toml'} --clinic {folder}")
