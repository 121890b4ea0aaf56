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
    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Run; a usage error is one line (and exit 2), like every other error."""
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        try:
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx is not None else "build-handouts"
            click.echo(f"error: {error.format_message()} (see: {where} --help)", err=True)
            sys.exit(2)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.Abort:
            click.echo("Stopped.", err=True)
            sys.exit(130)
        except click.ClickException as error:
            click.echo(f"error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)

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
    from .text import date_problem

    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD.") from None
    problem = date_problem(day)
    if problem is not None:
        raise click.BadParameter(f"'{value}' is out of range; {problem}.")
    return day


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="build-handouts")
def main() -> None:
    """Make printable psoas self-care handouts for your massage clients.

    \b
    Start here:
      build-handouts build                 a sample handout
      build-handouts init my-clinic        set up your clinic's details
      build-handouts stretches             the stretches you can choose
      build-handouts serve                 the app, in your browser
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
@click.option("--layout", type=click.Choice(["guide", "sheet"]), help="guide: the full take-home "
              "guide (default); sheet: one sheet, both sides.")
@click.option("--grayscale", is_flag=True, help="No colour (for black-and-white printers).")
@click.option("--date", "day", callback=_date, metavar="YYYY-MM-DD", help="Handout date "
              "(default: today).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF. Default: output/<client>-<date>.pdf")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@click.option("--condition", "conditions", metavar="ID", multiple=True,
              help="A health condition (repeat for more; see: build-handouts conditions).")
@click.option("--allow", metavar="STRETCH", multiple=True,
              help="Give this stretch even though a condition rules it out (needs --reason).")
@click.option("--reason", metavar="TEXT", help="Why --allow is right for this client.")
@click.option("--report", is_flag=True, help="Also write the quality report (JSON) beside "
              "the PDF.")
@click.option("--language", metavar="CODE", help="The handout's language (a folder in "
              "templates/lang, e.g. en or es). Default: the client's, else the clinic's.")
def build(client_file: Path | None, client_name: str | None, stretches: tuple[str, ...],
          note: str | None, clinic_path: Path | None, paper: str | None, large_print: bool,
          layout: str | None, grayscale: bool, day: _dt.date | None, output: Path | None,
          force: bool,
          conditions: tuple[str, ...], allow: tuple[str, ...], reason: str | None,
          report: bool, language: str | None) -> None:
    """Build one client's handout.

    \b
    Examples:
      build-handouts build
      build-handouts build client.toml
      build-handouts build --client "Jane Doe" --stretch lunge --stretch bridge \\
          --note "Go gently on the left side."
    """
    from .launch import run_build  # also run without click for a plain build (launch.py)

    run_build(client_file, client_name, stretches, note, clinic_path, paper, large_print,
              layout, grayscale, day, output, force, conditions, allow, reason, report,
              language, check_reason=_reason)


@main.command(context_settings=CONTEXT)
@click.argument("roster", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workshop", "workshop_path", type=click.Path(dir_okay=False, path_type=Path),
              help="WORKSHOP.toml: title, date, stretches, note and therapist for everyone.")
@click.option("--stretch", "stretches", metavar="ID", multiple=True,
              help="A stretch id for everyone (repeat for more); overrides roster and workshop.")
@click.option("--clinic", "clinic_path", type=click.Path(path_type=Path),
              help="clinic.toml or its folder. Default: ./clinic.toml, else the sample clinic.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the handouts. Default: output/<roster name>/")
@click.option("--print-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The one file to print. Default: <out-dir>/_print-file-<roster>-<date>.pdf")
@click.option("--no-duplex", is_flag=True, help="Do not pad handouts to an even page count.")
@click.option("--jobs", type=click.IntRange(min=1), help="Parallel workers (default: all "
              "cores). The output is the same whatever the number.")
@click.option("--strict", is_flag=True, help="Build nothing if any row is bad.")
@click.option("--encoding", help="The roster's text encoding (default: UTF-8, else cp1252).")
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Paper size for the batch.")
@click.option("--layout", type=click.Choice(["guide", "sheet"]), help="guide or sheet for every "
              "row (a row's own layout column otherwise, then the workshop's).")
@click.option("--grayscale", is_flag=True, help="No colour.")
@click.option("--date", "day", callback=_date, metavar="YYYY-MM-DD",
              help="Handout date (default: the workshop's, else today).")
@click.option("--quiet", is_flag=True, help="Print only problems and the summary.")
@click.option("--force", is_flag=True, help="Replace existing files that differ.")
@click.option("--condition", "conditions", metavar="ID", multiple=True,
              help="A health condition for every row (rows may add their own).")
@click.option("--allow", metavar="STRETCH", multiple=True,
              help="Give this stretch even where a condition rules it out (every row).")
@click.option("--reason", metavar="TEXT", help="Why --allow is right.")
@click.option("--report", is_flag=True, help="Also write each handout's quality report.")
@click.option("--language", metavar="CODE", help="The handout's language (a folder in "
              "templates/lang, e.g. en or es) for every row (else a row's language column).")
def batch(roster: Path, workshop_path: Path | None, stretches: tuple[str, ...],
          clinic_path: Path | None, out_dir: Path | None, print_file: Path | None,
          no_duplex: bool, jobs: int | None, strict: bool, encoding: str | None,
          paper: str | None, layout: str | None, grayscale: bool, day: _dt.date | None,
          quiet: bool, force: bool, conditions: tuple[str, ...], allow: tuple[str, ...],
          reason: str | None, report: bool, language: str | None) -> None:
    """Build one handout per attendee of a workshop roster (CSV), plus one print file.

    \b
    The roster needs a header row with a name column ("name", "Full name", or
    "First name" + "Last name"); optional: email, stretches (ids separated by ;),
    note, large_print, id. Other columns are ignored with a notice.

    \b
    Example:
      build-handouts batch signups.csv --workshop happy-hips.toml --stretch lunge
    """
    from .batch import start_workers
    from .batchplan import load_workshop
    from .content import find_clinic, load_clinic, load_library
    from .models import Options

    clinic = load_clinic(find_clinic(clinic_path))
    library = load_library(clinic.folder, _language(language, clinic) or clinic.default_language)
    workshop = load_workshop(workshop_path)
    options = Options(paper=paper, grayscale=grayscale, date=day, conditions=conditions,
                      layout=layout, language=_language(language, clinic),
                      allow=allow, reason=_reason(allow, reason))
    with start_workers(jobs or 0) as workers:  # before the plans exist: see start_workers
        _batch(roster, clinic, library, workshop, stretches, options, out_dir, print_file,
               no_duplex, jobs, strict, encoding, day, quiet, force, report, workers)


def _batch(roster: Path, clinic: Any, library: Any, workshop: Any, stretches: tuple[str, ...],
           options: Any, out_dir: Path | None, print_file: Path | None, no_duplex: bool,
           jobs: int | None, strict: bool, encoding: str | None, day: _dt.date | None,
           quiet: bool, force: bool, report: bool, workers: Any) -> None:
    """The batch command once its worker processes are running."""
    from .batch import manifest_csv, output_folder, print_file_name, run_batch
    from .batchplan import plan_batch
    from .output import write_atomic
    from .roster import read_roster

    table = read_roster(roster, encoding)
    for notice in table.notices:
        click.echo(f"note: {notice}", err=True)
    folder = out_dir or Path("output") / (roster.stem or "batch")
    planned = plan_batch(table, clinic, library, workshop, stretches, options, folder)
    del table  # its rows are in the plans now
    for error in planned.errors:
        kind = "held back" if error.flagged else "error"
        for reason in error.reasons:  # every problem of the row, one line each
            click.echo(f"{kind}: {roster.name}: line {error.line}: {reason}", err=True)
    if planned.errors and strict:
        click.echo(f"{len(planned.errors)} bad row(s); nothing was built (--strict).", err=True)
        sys.exit(1)
    date_used = planned.attendees[0].plan.date if planned.attendees else (day or _dt.date.today())
    target = print_file or folder / print_file_name(roster, date_used)
    show = _progress(quiet)
    if show is not None and planned.errors and planned.attendees:  # what the totals count
        rows = len(planned.attendees) + len(planned.errors)
        click.echo(f"{len(planned.attendees)} of {rows} rows to build ({len(planned.errors)} "
                   "not built: listed above).")
    with output_folder(folder):  # one run at a time per folder (a second one stops here)
        result = run_batch(planned, jobs=jobs or 0, force=force,
                           print_file=target if planned.attendees else None,
                           duplex=not no_duplex, title=workshop.title, progress=show,
                           workers=workers, report=report)
        if show is not None and sys.stdout.isatty():
            click.echo()  # end the progress line
        write_atomic(folder / "_manifest.csv", manifest_csv(result), force=True,
                     flag="--out-dir")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for o in result.outcomes:
        if o.status == "failed" and o.file:
            click.echo(f"error: {roster.name}: line {o.line}: {o.reason}", err=True)
    built = sum(o.status in ("written", "unchanged") for o in result.outcomes)
    kept = sum(o.status == "unchanged" for o in result.outcomes)
    summary = (f"{built} of {len(result.outcomes)} handouts ready in {folder}"
               + (f" ({kept} already up to date)" if kept else "")
               + (f"; {result.failed} failed" if result.failed else "")
               + (f"; {result.flagged} held back to set conditions" if result.flagged else "")
               + ".")
    click.echo(summary)
    if result.print_file is not None:
        click.echo(f"Print file: {result.print_file} ({result.print_pages} pages).")
    click.echo(f"Manifest: {folder / '_manifest.csv'}")
    if result.print_error:
        click.echo(f"error: {result.print_error}", err=True)
    if result.failed or result.flagged or result.print_error:
        sys.exit(1)


@main.command(context_settings=CONTEXT)
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workshop", "workshop_path", type=click.Path(dir_okay=False, path_type=Path),
              help="With a roster: WORKSHOP.toml shared by everyone.")
@click.option("--stretch", "stretches", metavar="ID", multiple=True,
              help="A stretch id for everyone (repeat for more).")
@click.option("--clinic", "clinic_path", type=click.Path(path_type=Path),
              help="clinic.toml (with an [smtp] table) or its folder.")
@click.option("--date", "day", callback=_date, metavar="YYYY-MM-DD", help="Handout date.")
@click.option("--layout", type=click.Choice(["guide", "sheet"]), help="guide or sheet for every "
              "client (a row's own layout column otherwise).")
@click.option("--dry-run", is_flag=True, help="Write .eml files to ./outbox; send nothing.")
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
              help="Write one .eml per client here instead of sending.")
@click.option("--encrypt", is_flag=True, help="Protect each PDF with a password (AES-256).")
@click.option("--resend", metavar="ID", multiple=True,
              help="Send again to this client (roster id or email), even if recorded.")
@click.option("--per-minute", type=click.IntRange(min=1), help="At most N messages a minute.")
@click.option("--record", type=click.Path(dir_okay=False, path_type=Path),
              help="The local record of what was sent. Default: sent-record.sqlite3 in the "
              "clinic folder (the app uses the same one).")
@click.option("--passwords", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("pdf-passwords.csv"), show_default=True,
              help="Where generated PDF passwords are kept (give them by phone).")
@click.option("--condition", "conditions", metavar="ID", multiple=True,
              help="A health condition for every client (they may add their own).")
@click.option("--allow", metavar="STRETCH", multiple=True,
              help="Give this stretch even where a condition rules it out.")
@click.option("--reason", metavar="TEXT", help="Why --allow is right.")
@click.option("--language", metavar="CODE", help="The handout's language (a folder in "
              "templates/lang, e.g. en or es). Default: the client's, else the clinic's.")
def email(source: Path, workshop_path: Path | None, stretches: tuple[str, ...],
          clinic_path: Path | None, day: _dt.date | None, layout: str | None, dry_run: bool,
          outbox: Path | None,
          encrypt: bool, resend: tuple[str, ...], per_minute: int | None,
          record: Path | None, passwords: Path, conditions: tuple[str, ...], allow: tuple[str, ...],
          reason: str | None, language: str | None) -> None:
    """Email each client their own handout (CLIENT.toml or ROSTER.csv).

    \b
    The SMTP server is set in clinic.toml under [smtp]; the password only in the
    environment variable HANDOUTS_SMTP_PASSWORD. Each client gets one message, to
    their address only, with no health details in it. A rerun sends only what was
    not sent yet.

    \b
    Examples:
      build-handouts email jane.toml --dry-run
      build-handouts email signups.csv --workshop happy-hips.toml --encrypt
    """
    from .delivery import deliver, plan_recipients
    from .models import Options

    options = Options(date=day, conditions=conditions, allow=allow, layout=layout,
                      reason=_reason(allow, reason), language=language)
    plans, problems = _email_plans(source, workshop_path, stretches, clinic_path, options)
    recipients, bad = plan_recipients(plans)
    problems += bad
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if not recipients:
        click.echo("Nobody to email.", err=True)
        sys.exit(1)
    clinic = recipients[0].plan.clinic
    box = outbox or (Path("outbox") if dry_run else None)
    result = deliver(recipients, config=clinic.smtp, record=record, outbox=box,
                     encrypt=encrypt, passwords=passwords, resend=resend,
                     per_minute=per_minute, say=click.echo)
    if box is not None:
        click.echo(f"Wrote {len(result.written)} message(s) to {box}; nothing was sent.")
    else:
        click.echo(f"Sent {len(result.sent)}; already sent {len(result.skipped)}; "
                   f"failed {len(result.failed)}; uncertain {len(result.uncertain)}; "
                   f"to retry later {len(result.waiting)}.")
    if encrypt:
        click.echo(f"PDF passwords: {passwords} (give them by phone or in person).")
    code = result.exit_code
    sys.exit(code or (1 if problems else 0))


def _email_plans(source: Path, workshop_path: Path | None, stretches: tuple[str, ...],
                 clinic_path: Path | None, options: Any) -> tuple[list[Any], list[str]]:
    """(label, plan) for every client in a client file or roster, and the bad rows."""
    from .batchplan import load_workshop, plan_batch
    from .build import load_request, plan_handout
    from .content import find_clinic
    from .roster import read_roster

    clinic_file = find_clinic(clinic_path)
    if source.suffix.lower() == ".csv":
        from .content import load_clinic, load_library

        clinic = load_clinic(clinic_file)
        library = load_library(clinic.folder,
                               _language(options.language, clinic) or clinic.default_language)
        table = read_roster(source)
        for notice in table.notices:
            click.echo(f"note: {notice}", err=True)
        planned = plan_batch(table, clinic, library, load_workshop(workshop_path), stretches,
                             options, Path("."))
        plans = [(f"{source.name}: line {a.line}", a.plan) for a in planned.attendees]
        return plans, [f"{source.name}: line {e.line}: {reason}" for e in planned.errors
                       for reason in e.reasons]
    clinic, client, lazy = load_request(clinic_file, source, None, stretches,
                                        language=options.language)
    return [(str(source), plan_handout(clinic, client, lazy, options))], []


@main.command(context_settings=CONTEXT)
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--clinic", "clinic_path", type=click.Path(path_type=Path),
              help="clinic.toml or its folder. Default: ./clinic.toml, else the sample clinic.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--large-print", is_flag=True, help="Check the large-print layout.")
@click.option("--workshop", "workshop_path", type=click.Path(dir_okay=False, path_type=Path),
              help="With a roster: the WORKSHOP.toml the batch uses.")
@click.option("--stretch", "stretches", metavar="ID", multiple=True,
              help="With a roster: a stretch id for everyone, as in batch (repeat for more).")
@click.option("--layout", type=click.Choice(["guide", "sheet"]), help="Check this layout.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Check on this paper size "
              "(default: the clinic's, else letter), as build and batch would make it.")
@click.option("--language", metavar="CODE", help="The handout's language (a folder in "
              "templates/lang, e.g. en or es). Default: the client's, else the clinic's.")
def check(source: Path | None, clinic_path: Path | None, as_json: bool,
          large_print: bool, workshop_path: Path | None, stretches: tuple[str, ...],
          layout: str | None, language: str | None, paper: str | None) -> None:
    """Check a handout against the standards for patient materials.

    \b
    SOURCE is a client file, a roster (CSV) or a PDF this tool made. With no SOURCE,
    check the clinic folder: clinic.toml, every override, stretch and picture.

    \b
    Examples:
      build-handouts check
      build-handouts check jane.toml --json
      build-handouts check output/jane-doe-2026-11-22.pdf
    """
    from .quality import (
        DRAFT_ADVICE,
        check_clinic_folder,
        check_pdf_file,
        check_rendered,
        report_json,
    )

    reports = []
    if paper is not None and (source is None or source.suffix.lower() == ".pdf"):
        raise click.UsageError("--paper checks a client file or roster on that paper; a PDF's "
                               "paper is already set, and the clinic folder uses the clinic's.")
    if source is None:
        reports.append(check_clinic_folder(clinic_path, language))
    elif source.suffix.lower() == ".pdf":
        reports.append(check_pdf_file(source))
    elif source.suffix.lower() not in (".toml", ".csv"):
        raise click.UsageError(f"{source}: check takes a client file (.toml), a roster (.csv) "
                               "or a handout (.pdf).")
    else:
        from .build import render_handout
        from .models import Options
        from .renderer import Renderer

        renderer = Renderer()
        plans, problems = _email_plans(source, workshop_path, stretches, clinic_path,
                                       Options(layout=layout, language=language,
                                               paper=paper))
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        from dataclasses import replace

        for _, plan in plans:
            reports.append(check_rendered(render_handout(
                replace(plan, large_print=plan.large_print or large_print), renderer)))
        if problems:
            sys.exit(1)
    drafts: dict[str, str] = {}
    for c in (c for r in reports for c in r.checks):
        if c["id"].startswith("review:") and c["status"] == "warn":
            drafts.setdefault(c["id"].removeprefix("review:"), c["detail"] or DRAFT_ADVICE)
    for path, advice in drafts.items():  # one line per draft file (or language), never again
        click.echo(f"warning: {path}: {advice}.", err=True)
    for report in reports:
        if as_json:
            click.echo(report_json(report).decode("utf-8"), nl=False)
        else:
            click.echo(report.summary())
    if any(r.failures for r in reports):
        sys.exit(1)


def _language(code: str | None, clinic: Any) -> str | None:
    """--language checked now (one line listing the languages there are), before any row."""
    if code is None:
        return None
    from .language import check_code

    return check_code(code, clinic.folder, "--language")


def _reason(allow: tuple[str, ...], reason: str | None) -> str:
    """--allow needs a --reason (a usage error otherwise; the rule is the library's)."""
    from .request import need_reasons

    try:
        need_reasons(dict.fromkeys(allow, reason), lambda _: "--allow needs --reason TEXT")
    except HandoutError as error:
        raise click.UsageError(str(error)) from None
    return (reason or "").strip()


@main.command(context_settings=CONTEXT)
@click.option("--clinic", "clinic_path", type=click.Path(path_type=Path),
              help="Use this clinic's own conditions file, if it has one.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--markdown", is_flag=True, help="Print the derived table as Markdown (as in the "
              "README).")
@click.option("--language", metavar="CODE", help="The words in this language (default: the "
              "clinic's).")
def conditions(clinic_path: Path | None, as_json: bool, markdown: bool,
               language: str | None) -> None:
    """List the health conditions a client can have, and what each rules out.

    \b
    Example:
      build-handouts build --client "Jane Doe" --condition pregnancy-2 --stretch cat-cow
    """
    from .content import find_clinic, load_clinic, load_conditions, load_library

    clinic = load_clinic(find_clinic(clinic_path))
    code = _language(language, clinic) or clinic.default_language
    library = load_library(clinic.folder, code)
    catalogue = load_conditions(clinic.folder, code)
    from .safety import table_markdown

    if markdown:
        click.echo(table_markdown(catalogue, library), nl=False)
        return
    from .request import condition_listing

    rows = condition_listing(catalogue, library)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['id']}")
        click.echo(f"    {row['description']}")
        click.echo(f"    rules out: {', '.join(row['rules_out']) or 'nothing'}")
        click.echo(f"    caution on: {', '.join(row['cautions']) or 'nothing'}")


def _progress(quiet: bool) -> Any:
    """Progress of both stages (the handouts, the print file): one line redrawn on a
    terminal, plain lines otherwise (every 10%), nothing with --quiet."""
    if quiet:
        return None
    done = {"handouts": 0, "print file": 0}
    tty = sys.stdout.isatty()
    waiting: list[int] = []  # print-file lines held until as many handouts are built

    def show(stage: str, count: int, total: int) -> None:
        step = max(1, total // 10)
        before, done[stage] = done[stage], count
        if tty:  # the caller ends the line when the run is over
            line = " · ".join(f"{name} {value}/{total}" for name, value in done.items())
            click.echo(f"\r{line}", nl=False)
            return
        if count == total or count // step != before // step:
            if stage == "handouts":
                click.echo(f"[{count}/{total}] built")
            else:
                waiting.append(count)
        # The print file is built alongside and may run ahead: its lines follow the
        # handouts', so "[3/3] in the print file" never comes before "[3/3] built".
        while waiting and waiting[0] <= done["handouts"]:
            click.echo(f"[{waiting.pop(0)}/{total}] in the print file")
    return show


@main.command(context_settings=CONTEXT)
@click.option("--clinic", "clinic_path", type=click.Path(path_type=Path),
              help="Include this clinic's own stretches.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--language", metavar="CODE", help="The words in this language (default: the "
              "clinic's).")
def stretches(clinic_path: Path | None, as_json: bool, language: str | None) -> None:
    """List the stretches you can choose (id, title, what it is for, cautions).

    \b
    Example:
      build-handouts stretches --json
    """
    from .content import find_clinic, load_clinic, load_library

    clinic = load_clinic(find_clinic(clinic_path))
    library = load_library(clinic.folder, _language(language, clinic) or clinic.default_language)
    if as_json:
        from .request import stretch_listing

        data = stretch_listing(library)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for s in library.values():
        click.echo(f"{s.id}")
        click.echo(f"    {s.title}: {s.purpose}")
        for caution in s.cautions:
            click.echo(f"    caution: {caution}")


@main.command(context_settings=CONTEXT)
@click.option("--clinic", "clinic_path", type=click.Path(path_type=Path),
              help="clinic.toml or its folder. Default: ./clinic.toml, else the sample clinic.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="The port on 127.0.0.1 (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
def serve(clinic_path: Path | None, port: int, no_browser: bool) -> None:
    """Start the app in your browser (on this computer only; Ctrl-C stops it).

    \b
    Example:
      build-handouts serve --clinic my-clinic
    """
    from .web.server import serve as run

    try:
        run(clinic_path, port, not no_browser, click.echo)
    except OSError as error:
        raise HandoutError(f"port {port}: cannot listen there ({error.strerror}); another "
                           "program may use it. Try --port 8766.") from None
    click.echo("Stopped.", err=True)


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
