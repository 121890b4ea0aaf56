"""Frozen values passed between the pipeline's stages (load → plan → render → finish)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SIDES = ("each", "both")
PAPER_SIZES = ("letter", "a4")
# Sections in print order; the stretches, safety and contact parts are always printed.
SECTIONS = (
    "key-points",
    "what-is-psoas",
    "why-it-hurts",
    "how-massage-helps",
    "between-visits",
    "your-stretches",
    "log",
    "safety",
    "contact",
)
LAYOUTS = ("guide", "sheet")
# The order each layout prints its sections in: the guide puts the exercises first, then the
# background; the one-sheet version leaves the background out.
LAYOUT_SECTIONS = {
    "guide": ("key-points", "your-stretches", "what-is-psoas", "why-it-hurts",
              "how-massage-helps", "between-visits", "log", "safety", "contact"),
    "sheet": ("key-points", "safety", "contact", "your-stretches", "log"),
}
OPTIONAL_SECTIONS = ("key-points", "what-is-psoas", "why-it-hurts", "how-massage-helps",
                     "between-visits", "log")


@dataclass(frozen=True)
class Therapist:
    """A therapist at the clinic."""

    name: str
    credentials: str = ""
    license: str = ""

    @property
    def signature(self) -> str:
        """Name with credentials, e.g. "Karen Stoner, LMT"."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class Fonts:
    """TrueType files for the house face and the fallback face (None: the built-in ones)."""

    regular: Path | None = None
    bold: Path | None = None
    fallback: Path | None = None


@dataclass(frozen=True)
class Clinic:
    """The clinic's details, printed in the header, footer and contact block."""

    name: str
    therapists: tuple[Therapist, ...] = ()
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    booking_url: str = ""
    logo: Path | None = None
    brand_color: str = "#1F5F7A"
    paper: str = "letter"
    fonts: Fonts = field(default_factory=Fonts)
    disclaimer: str = ""
    emergency_number: str = "911"
    default_stretches: tuple[str, ...] = ("kneeling-hip-flexor", "bed-edge-hang", "bridge")
    default_layout: str = "guide"
    sample: bool = False
    folder: Path | None = None
    source: Path | None = None
    smtp: Any = None  # mail.SmtpConfig from the [smtp] table, if any
    default_language: str = "en"  # a folder in templates/lang
    locale: str = ""              # dates and numbers ("en-GB", "es-MX"); "": the language's


@dataclass(frozen=True)
class Dose:
    """How long, how often: the bold line on every stretch card."""

    hold_seconds: int
    reps: int
    sides: str
    per_day: int
    days_per_week: int


@dataclass(frozen=True)
class Condition:
    """A health condition that changes what is safe (templates/conditions.toml).

    It speaks of what the body does (tags), never of stretches by name: ``rules_out`` holds
    the tags that make a stretch unsafe, ``cautions`` the tags that call for care, with the
    words printed on the card. Which stretch is ruled out is derived (see safety.py).
    """

    id: str
    label: str
    description: str
    suggest: tuple[str, ...] = ()
    rules_out: tuple[str, ...] = ()                # tags
    cautions: tuple[tuple[str, str], ...] = ()     # (tag, caution wording)
    belly_work: bool = True                        # may the text speak of belly massage
    pregnancy: bool = False                        # print the pregnancy warning signs
    new_hip: bool = False                          # print the new-hip warning signs
    words_source: Path | None = None               # the file its words came from


@dataclass(frozen=True)
class Stretch:
    """One stretch: its definition (``templates/stretches/<id>.toml``) with its words in one
    language (``templates/lang/<code>/stretches/<id>.toml``)."""

    id: str
    title: str
    purpose: str
    start: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    gentler: str
    tags: tuple[str, ...]
    image: str | None
    caption: str
    dose: Dose
    hold_range: tuple[int, int]
    reps_range: tuple[int, int]
    source: Path
    condition_cautions: tuple[tuple[str, str], ...] = ()  # (condition id, its own wording)
    hip_flexor: bool = False            # does it stretch the hip flexors (the psoas)?
    needs: tuple[str, ...] = ()         # what the client needs for it ("a sturdy chair")
    language: str = "en"                # the language of its words
    words_source: Path | None = None    # the file its words came from


@dataclass(frozen=True)
class StretchChoice:
    """A stretch the therapist chose for one client, with optional dose changes and a note."""

    id: str
    hold_seconds: int | None = None
    reps: int | None = None
    sides: str | None = None
    per_day: int | None = None
    days_per_week: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Client:
    """One client's handout request."""

    name: str
    email: str = ""
    date: _dt.date | None = None
    therapist: str = ""
    next_visit: str = ""
    stretches: tuple[StretchChoice, ...] = ()
    note: str = ""
    large_print: bool = False
    leave_out: tuple[str, ...] = ()
    source: Path | None = None
    label: str = ""  # how errors name this client ("roster.csv: line 7"); default: the file
    id: str = ""     # the roster's id column, when there is one
    pdf_password: str = ""  # for --encrypt: the password the client was given (never printed)
    conditions: tuple[str, ...] = ()
    layout: str = ""        # "guide" or "sheet" ("": the clinic's default)
    language: str = ""      # a language code ("": the clinic's default_language)


@dataclass(frozen=True)
class Options:
    """Command-line choices that change how a handout looks."""

    paper: str | None = None
    large_print: bool = False
    grayscale: bool = False
    date: _dt.date | None = None
    conditions: tuple[str, ...] = ()  # added to each client's own (--condition)
    allow: tuple[str, ...] = ()       # stretch ids given despite a ruling-out condition
    reason: str = ""                  # the therapist's reason for --allow
    reasons: tuple[tuple[str, str], ...] = ()  # (stretch id, reason): one reason each (the app)
    layout: str | None = None         # --layout (wins over the client's and the clinic's)
    event: str = ""                   # a workshop's title, printed under the main title
    language: str | None = None       # --language (wins over the client's and the clinic's)


@dataclass(frozen=True)
class PlannedStretch:
    """A stretch as it will print: its definition, the final dose and the therapist's note."""

    number: int
    stretch: Stretch
    dose: Dose
    note: str
    cautions: tuple[tuple[str, str], ...] = ()  # (condition label, wording) for this client


@dataclass(frozen=True)
class Plan:
    """Everything the renderer needs, decided and validated."""

    clinic: Clinic
    client: Client
    therapist: Therapist | None
    stretches: tuple[PlannedStretch, ...]
    sections: tuple[str, ...]
    paper: str
    large_print: bool
    grayscale: bool
    date: _dt.date
    conditions: tuple[Condition, ...] = ()
    allowed: tuple[tuple[str, str, str], ...] = ()  # (stretch, condition, reason) overrides
    warnings: tuple[str, ...] = ()  # for the therapist (not printed on the handout)
    layout: str = "guide"
    event: str = ""                 # a workshop's title, printed under the main title
    compact: bool = False           # one-sheet layout at the 12 pt minimum (set by the builder)
    log_strip: bool = False         # one sheet: the log as one strip of days (set by the builder)
    tight: bool = False             # one sheet: the cards' side closer set, for the strip (builder)
    uncaptioned: int = 0            # one sheet: rows (from the last) whose cards may drop their
    #                                 captions to make room for the log (builder)
    grow: float = 0.0               # one sheet: points each row of cards may grow by, where the
    #                                 back has room left, for larger pictures (builder)
    language: str = "en"            # the handout's language (a folder in templates/lang)
    locale: str = "en-US"           # its dates, numbers and the PDF's /Lang
