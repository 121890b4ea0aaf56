"""The ``build-handouts`` entry point: a plain ``build`` starts without loading click.

Importing click and declaring every command costs a cold ``build`` about a tenth of its time.
The most common command line, ``build`` with ordinary options, is read here by a small parser
that accepts only what it can read exactly as click reads it (the same values, the same
types); anything else (help, a usage error, a value starting with "-", ``--opt=value``,
another command, Windows with its wildcard expansion) goes to the click application in
:mod:`handouts.cli`, which then behaves as it always did. Both run :func:`run_build`, so a
build prints the same lines and exits with the same codes whichever way it came in;
tests/test_launch.py checks the two readings against each other.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import HandoutError

# The build command's options (handouts/cli.py declares them for click; a test keeps the two
# in step): option → parameter name.
VALUES = {"--client": "client_name", "--note": "note", "--clinic": "clinic_path",
          "--paper": "paper", "--layout": "layout", "--date": "day", "-o": "output",
          "--output": "output", "--reason": "reason", "--language": "language"}
MULTIPLE = {"--stretch": "stretches", "--condition": "conditions", "--allow": "allow"}
FLAGS = {"--large-print": "large_print", "--grayscale": "grayscale", "--force": "force",
         "--report": "report"}
CHOICES = {"paper": ("letter", "a4"), "layout": ("guide", "sheet")}
PATHS = {"client_file": False, "clinic_path": True, "output": False}  # → may be a folder


class _ForClick(Exception):
    """This command line is one for click to read."""


def build_params(args: Sequence[str]) -> dict[str, Any] | None:
    """The ``build`` command's parameters as click would pass them, or None when the command
    line is not a plain build (click then reads it)."""
    if os.name == "nt" or not args or args[0] != "build" or any(
            k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return None  # Windows' wildcards and shell completion are click's
    params: dict[str, Any] = {"client_file": None}
    params.update(dict.fromkeys(VALUES.values()))
    params.update({name: () for name in MULTIPLE.values()})
    params.update({name: False for name in FLAGS.values()})
    rest = list(args[1:])
    try:
        while rest:
            token = rest.pop(0)
            if token in FLAGS:
                params[FLAGS[token]] = True
            elif token in VALUES or token in MULTIPLE:
                if not rest or rest[0].startswith("-"):
                    raise _ForClick  # click may read it as a value; let it
                value = rest.pop(0)
                if token in MULTIPLE:
                    params[MULTIPLE[token]] += (value,)
                else:
                    params[VALUES[token]] = value  # the last one counts, as in click
            elif token.startswith("-") or params["client_file"] is not None:
                raise _ForClick  # help, --opt=value, "--", an unknown option, a second file
            else:
                params["client_file"] = token
        for name, choices in CHOICES.items():
            if params[name] is not None and params[name] not in choices:
                raise _ForClick
        for name, folder_ok in PATHS.items():
            if params[name] is not None:
                params[name] = _path(params[name], folder_ok)
        if params["day"] is not None:
            params["day"] = _day(params["day"])
        if params["allow"]:
            from .request import need_reasons

            need_reasons(dict.fromkeys(params["allow"], params["reason"]), lambda _: "")
    except (_ForClick, HandoutError):
        return None
    return params


def _path(value: str, folder_ok: bool) -> Path:
    """click.Path's checks for a path that need not exist (a folder where a file must be, or
    an unreadable one, is click's to report)."""
    try:
        found = os.stat(value)
    except OSError:
        return Path(value)
    import stat

    if (not folder_ok and stat.S_ISDIR(found.st_mode)) or not os.access(value, os.R_OK):
        raise _ForClick
    return Path(value)


def _day(value: str) -> _dt.date:
    """``--date``, as the click option's callback reads it (a bad one is click's to report)."""
    from .text import date_problem

    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        raise _ForClick from None
    if date_problem(day) is not None:
        raise _ForClick
    return day


def echo(message: str, err: bool = False) -> None:
    """Print one line as ``click.echo`` does (stdout, or stderr with ``err``)."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return  # no console attached (pythonw)
    if "click" in sys.modules or "\x1b" in message or not _plain(stream):
        import click  # colour codes, or a stream click would re-encode: its own rules

        click.echo(message, err=err)
        return
    stream.write(message + "\n")
    stream.flush()


def _plain(stream: Any) -> bool:
    """A text stream click writes to as it is: an encoding other than ASCII, and errors set."""
    import codecs
    import io

    encoding = getattr(stream, "encoding", None)
    if not isinstance(stream, io.TextIOWrapper) or not encoding or stream.errors is None:
        return False
    try:
        return codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return False


def run_build(client_file: Path | None, client_name: str | None, stretches: tuple[str, ...],
              note: str | None, clinic_path: Path | None, paper: str | None,
              large_print: bool, layout: str | None, grayscale: bool, day: _dt.date | None,
              output: Path | None, force: bool, conditions: tuple[str, ...],
              allow: tuple[str, ...], reason: str | None, report: bool, language: str | None,
              check_reason: Callable[[tuple[str, ...], str | None], str]) -> None:
    """The ``build`` command: load, build, write (or say it is up to date), then warnings.
    ``check_reason`` turns --allow and --reason into the reason (or stops with a usage
    error)."""
    from .build import build_handout, choose_output, load_request, write_handout
    from .content import find_clinic
    from .models import Options

    clinic_file = find_clinic(clinic_path)
    clinic, client, library = load_request(clinic_file, client_file, client_name, stretches,
                                           note, language)
    rendered = build_handout(clinic, client, library,
                             Options(paper=paper, large_print=large_print, grayscale=grayscale,
                                     date=day, conditions=conditions, allow=allow,
                                     reason=check_reason(allow, reason), layout=layout,
                                     language=language))
    path = output or choose_output(rendered)
    if path.exists() and not force and path.is_file() and path.read_bytes() == rendered.pdf:
        echo(f"{path} is already up to date ({rendered.pages} pages).")
    else:
        write_handout(rendered, path, force=force)
        echo(f"Wrote {path} ({rendered.pages} pages).")
    if report:
        write_report(rendered, path)
    for warning in rendered.warnings:
        echo(f"warning: {warning}", err=True)
    if len(rendered.plan.stretches) > 5:
        echo(f"warning: {len(rendered.plan.stretches)} stretches; people follow 2 or 3 "
             "better than many. Consider choosing fewer.", err=True)
    if clinic.sample:
        echo(sample_hint(clinic, clinic_file))


def sample_hint(clinic: Any, clinic_file: Path | None) -> str:
    """What to do about sample details: init a clinic folder (the built-in sample), or edit
    the clinic's own clinic.toml that still says sample = true (in the clinic's language)."""
    from .errors import HandoutError
    from .language import DEFAULT_LANGUAGE, load_language

    key = "cli.sample_clinic" if clinic_file is None else "cli.sample_details"
    try:
        words = load_language(clinic.default_language, clinic.folder)
        return words.text(key, file=clinic_file)
    except HandoutError:  # a clinic's own strings.toml from before this key: the built-in one
        return load_language(DEFAULT_LANGUAGE).text(key, file=clinic_file)


def write_report(rendered: Any, pdf_path: Path) -> Path:
    """Write ``<pdf>.report.json`` (owner-only) and return its path."""
    from .output import write_atomic
    from .quality import check_rendered, report_json

    target = pdf_path.with_name(pdf_path.stem + ".report.json")
    write_atomic(target, report_json(check_rendered(rendered)), force=True)
    return target


def _reason(allow: tuple[str, ...], reason: str | None) -> str:
    """The reason, once :func:`build_params` has checked that every --allow has one."""
    return (reason or "").strip()


def main() -> Any:
    """Run ``build-handouts``: a plain build here, any other command line through click."""
    params = build_params(sys.argv[1:])
    if params is None:
        from .cli import main as app

        return app()
    try:
        run_build(**params, check_reason=_reason)
    except HandoutError as error:  # as the click group's invoke() reports them
        echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        echo("Stopped. No partial file was left behind.", err=True)
        sys.exit(130)
    except EOFError:  # click: an empty line, then the group's "Stopped."
        echo("", err=True)
        echo("Stopped.", err=True)
        sys.exit(130)
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        sys.stdout = _QuietFlush(sys.stdout)  # type: ignore[assignment]
        sys.stderr = _QuietFlush(sys.stderr)  # type: ignore[assignment]
        sys.exit(1)
    return None


class _QuietFlush:
    """A stream whose reader has gone (a closed pipe): flushing it at exit says nothing, as
    click arranges for its commands."""

    def __init__(self, wrapped: Any):
        self.wrapped = wrapped

    def flush(self) -> None:
        """Flush, ignoring a closed pipe."""
        try:
            self.wrapped.flush()
        except OSError as error:
            if error.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)
