"""The project's one error base class and its few subclasses.

Every problem a user can fix is raised as a :class:`HandoutError` whose message is one line
naming the file, line or field and what to do. The CLI turns it into that line and exit code 1;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class HandoutError(Exception):
    """A problem the user can fix; the message is one clear line."""

    exit_code = 1


class InputError(HandoutError):
    """A clinic, client, stretch, template or image file is missing or invalid."""


class TextError(InputError):
    """Text that the fonts cannot print, or that is too long to lay out."""


class OutputError(HandoutError):
    """The output file cannot be written (exists, unwritable folder, ...)."""


class LayoutError(HandoutError):
    """The content does not fit the page (for example, a card taller than a page)."""
