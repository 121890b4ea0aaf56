"""What the app tells the user to do about a problem, in the app's own terms.

The library's messages end with what to do on the command line (``--force``, ``-o``,
``--layout guide``...); a therapist in the browser has boxes and choices instead. Output
errors get the app's advice where they are made (:data:`WORKSHOP_FILES`, :data:`APP_FILES`,
passed to the writers as ``fixes``); the few other messages keep their first part (the file,
line or field and the problem) and have only their advice reworded here, on the way out
(:func:`in_app_terms`).
"""

from __future__ import annotations

import re

from ..output import Fixes

REPLACE_FILES = '"Replace handouts made earlier from this roster"'  # workshop.html's box
_FOLDER = " Check that this folder is yours and not read-only, then try again."

# A workshop run: replacing is the page's box; the folder is the clinic's, not a choice.
WORKSHOP_FILES = Fixes(exists=f" Tick {REPLACE_FILES} to replace it.",
                       taken=f" Tick {REPLACE_FILES} to replace it.",
                       no_folder=_FOLDER, no_write=_FOLDER)
# Files the app keeps in the clinic folder (client files, clinic.toml, the logo, the roster):
# always replaced, so only a folder that cannot be written is left to say.
APP_FILES = Fixes(exists="", taken="", no_folder=_FOLDER, no_write=_FOLDER)

# (the command line's advice, the app's): each pattern matches the end of a library message.
_ADVICE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"conditions \(see: build-handouts conditions\)\."),
     "conditions (its tile says which)."),
    (re.compile(r'To give it anyway: --allow (\S+) --reason "why"\.'),
     r'To give it anyway: tick "Give it anyway" on its tile and say why (in the API: '
     r'"allow": {"\1": "why"}).'),
    (re.compile(r"use --layout guide\."), 'choose the layout "Guide".'),
    # (the ids are listed already; the page's tiles show every stretch)
    (re.compile(r" \(see: build-handouts stretches\)\."), "."),
    (re.compile(r"; add one \(see the README\), or use --dry-run to write \.eml files "
                r"instead\."), "; add one (see the README)."),
    (re.compile(r"Use --encoding if names look wrong\."),
     'If names look wrong, save the sign-up sheet as "CSV UTF-8", upload it again and tick '
     '"Replace the kept roster".'),
    # the app does not resend: that stays a command-line step, said as one
    (re.compile(r"--resend (\S+?)(?=\)|\.?(?:\s|$))"),
     r"build-handouts email --resend \1 on the command line"),
)


def in_app_terms(message: str) -> str:
    """``message`` with the command line's advice said in the app's terms (the file, line or
    field and the problem stay as they are)."""
    for pattern, advice in _ADVICE:
        message = pattern.sub(advice, message)
    return message
