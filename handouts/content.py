"""Load and validate the inputs: clinic, client and stretch definitions.

Everything is checked here, while loading, so that later stages never meet a bad value: every
error names the file and the key, and says what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .diskcache import load_template_toml
from .errors import InputError
from .language import DEFAULT_LANGUAGE, LOCALE_PATTERN, check_code
from .models import (
    LAYOUTS,
    OPTIONAL_SECTIONS,
    PAPER_SIZES,
    SIDES,
    Client,
    Clinic,
    Condition,
    Dose,
    Fonts,
    Stretch,
    StretchChoice,
    Therapist,
)
from .resources import BUILTIN_IMAGES, SAMPLES, SearchPath, image_path, template_path
from .schema import Fields, load_toml
from .text import clean, one_line
from .wording import condition_words, stretch_words

NOTE_LIMIT = 1000
STRETCH_NOTE_LIMIT = 300
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


# --- clinic -----------------------------------------------------------------------------

def find_clinic(path: Path | None) -> Path | None:
    """Resolve ``--clinic``: a clinic.toml or a folder holding one; else ./clinic.toml if any."""
    if path is None:
        default = Path("clinic.toml")
        return default if default.is_file() else None
    if path.is_dir():
        return path / "clinic.toml"
    return path


def load_clinic(path: Path | None, data: dict[str, Any] | None = None) -> Clinic:
    """Load a clinic file; None gives the built-in sample clinic. ``data`` checks a changed
    table as if it were the file at ``path`` (the web app's Clinic form, before saving)."""
    source = path if path is not None else SAMPLES / "clinic.toml"
    if data is None:  # the built-in sample's parsed file may come from the disk cache
        data = load_toml(source) if path is not None else load_template_toml(source)
    folder = source.parent if path is not None else None
    f = Fields(data, str(source))

    therapists = []
    raw = f.raw("therapists") or []
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise f.error("therapists", "must be a list of [[therapists]] tables.")
    for index, item in enumerate(raw, start=1):
        t = Fields(item, f"{source} [[therapists]] #{index}")
        therapists.append(Therapist(
            name=one_line(t.text("name", required=True, max_len=80) or ""),
            credentials=one_line(t.text("credentials", default="", max_len=40) or ""),
            license=one_line(t.text("license", default="", max_len=40) or ""),
        ))
        t.done()

    logo = f.text("logo", max_len=300)
    logo_path = _clinic_file(source, "logo", logo, (".png", ".jpg", ".jpeg", ".svg"))
    if logo_path is not None:
        _check_picture(logo_path)
    color = f.text("brand_color", default="#1F5F7A", max_len=7) or "#1F5F7A"
    if not _COLOR.match(color):
        raise f.error("brand_color", f"is '{color}'; write a colour like \"#1F5F7A\".")
    booking = f.text("booking_url", default="", max_len=300) or ""
    website = f.text("website", default="", max_len=300) or ""
    for key, url in (("booking_url", booking), ("website", website)):
        if url and not re.match(r"^https?://[^\s<>\"]+$", url):
            raise f.error(key, "must start with https:// (or http://) and have no spaces.")
    email = f.text("email", default="", max_len=254) or ""
    if email and not re.match(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$", email):
        raise f.error("email", "is not an email address like hello@example.com.")

    fonts = Fonts()
    table = f.table("fonts")
    if table is not None:
        fonts = Fonts(*(
            _clinic_file(source, key, table.text(key, max_len=300), (".ttf",))
            for key in ("regular", "bold", "fallback")))
        table.done()

    default_stretches = f.text_list("default_stretches", max_items=8, max_len=40)
    smtp_table = f.table("smtp")
    smtp = None
    if smtp_table is not None:  # only then: mail brings smtplib, ssl and email (~20 ms)
        from .mail import smtp_config

        smtp = smtp_config(smtp_table, str(source), folder)
    clinic = Clinic(
        name=one_line(f.text("name", required=True, max_len=80) or ""),
        therapists=tuple(therapists),
        address=clean(f.text("address", default="", max_len=300) or ""),
        phone=one_line(f.text("phone", default="", max_len=40) or ""),
        email=email,
        website=website,
        booking_url=booking,
        logo=logo_path,
        brand_color=color.upper(),
        paper=f.choice("paper", PAPER_SIZES, default="letter") or "letter",
        default_layout=f.choice("default_layout", LAYOUTS, default="guide") or "guide",
        fonts=fonts,
        disclaimer=one_line(f.text("disclaimer", default="", max_len=400) or ""),
        emergency_number=one_line(f.text("emergency_number", default="911", max_len=30)
                                  or "911"),
        default_stretches=tuple(default_stretches) if default_stretches else
        Clinic.__dataclass_fields__["default_stretches"].default,  # type: ignore[arg-type]
        sample=f.boolean("sample", default=False),
        folder=folder,
        source=source,
        smtp=smtp,
        default_language=check_code(f.text("default_language", default="en", max_len=40)
                                    or "en", folder, f"{source}: 'default_language'"),
        locale=_locale(f),
    )
    f.done()
    return clinic


def _locale(f: Fields) -> str:
    value = f.text("locale", default="", max_len=10) or ""
    if value and not LOCALE_PATTERN.match(value):
        raise f.error("locale", f"is '{value}'; write a locale like \"en-US\", \"en-GB\" or "
                      "\"es-MX\" (language, a hyphen, the country in capitals).")
    return value


def _clinic_file(source: Path, key: str, value: str | None,
                 suffixes: tuple[str, ...]) -> Path | None:
    """A file named in clinic.toml, relative to its folder; it must exist now."""
    if not value:
        return None
    path = (source.parent / value).resolve()
    if path.suffix.lower() not in suffixes:
        raise InputError(f"{source}: '{key}' must be a {'/'.join(suffixes)} file, not '{value}'.")
    if not path.is_file():
        raise InputError(f"{source}: '{key}' names '{value}', which does not exist. "
                         "Put the file there or fix the path.")
    return path


def _check_picture(path: Path) -> None:
    """Read a clinic's own picture now: a damaged one stops the run here, before any handout
    is built (the built-in pictures are known to be good)."""
    if path.is_relative_to(BUILTIN_IMAGES):
        return
    from .art import check_picture

    check_picture(path)


# --- client -----------------------------------------------------------------------------

def load_client(path: Path) -> Client:
    """Load and validate a client file."""
    return client_from_data(load_toml(path), str(path), path)


def client_from_data(data: dict[str, Any], where: str, source: Path | None = None,
                     label: str = "") -> Client:
    """Validate a client table (from a file, or built from command-line flags)."""
    f = Fields(data, where)
    choices = _stretch_choices(f)
    leave_out = f.text_list("leave_out", max_items=len(OPTIONAL_SECTIONS) + 2, max_len=40) or []
    for section in leave_out:
        if section in ("safety", "your-stretches", "contact"):
            raise f.error("leave_out", f"names '{section}', which every handout must keep. "
                          "Remove it from the list.")
        if section not in OPTIONAL_SECTIONS:
            raise f.error("leave_out", f"names '{section}'; sections you can leave out: "
                          + ", ".join(OPTIONAL_SECTIONS) + ".")
    next_visit = f.raw("next_visit")
    if next_visit is not None and not isinstance(next_visit, str):
        next_date = f.date("next_visit")
        next_text = next_date.isoformat() if next_date else ""
    else:
        next_text = one_line(f.text("next_visit", default="", max_len=60) or "")
    client = Client(
        name=one_line(f.text("name", required=True, max_len=100) or ""),
        email=f.text("email", default="", max_len=254) or "",
        date=f.date("date"),
        therapist=one_line(f.text("therapist", default="", max_len=80) or ""),
        next_visit=next_text,
        stretches=tuple(choices),
        note=clean(f.text("note", default="", max_len=NOTE_LIMIT) or "").strip(),
        large_print=f.boolean("large_print"),
        layout=f.choice("layout", LAYOUTS) or "",
        language=(f.text("language", default="", max_len=40) or "").lower(),
        pdf_password=f.text("pdf_password", default="", max_len=100) or "",
        conditions=tuple(f.text_list("conditions", max_items=12, max_len=40) or ()),
        leave_out=tuple(leave_out),
        source=source,
        label=label,
    )
    if not client.name:
        raise f.error("name", "is empty. Give the client's name.")
    f.done()
    return client


def _stretch_choices(f: Fields) -> list[StretchChoice]:
    raw = f.raw("stretches")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise f.error("stretches", 'must be a list, e.g. ["lunge", "bridge"] or [[stretches]].')
    if len(raw) > 8:
        raise f.error("stretches", f"lists {len(raw)}; choose at most 8 (fewer is followed "
                      "better).")
    choices = []
    for index, item in enumerate(raw, start=1):
        if isinstance(item, str):
            choices.append(StretchChoice(id=item.strip()))
            continue
        if not isinstance(item, dict):
            raise f.error("stretches", f"item {index} must be an id or a table.")
        s = Fields(item, f"{f.where} [[stretches]] #{index}")
        choices.append(StretchChoice(
            id=s.text("id", required=True, max_len=40) or "",
            hold_seconds=s.integer("hold_seconds", 0, 300),
            reps=s.integer("reps", 1, 30),
            sides=s.choice("sides", SIDES),
            per_day=s.integer("per_day", 1, 6),
            days_per_week=s.integer("days_per_week", 2, 7),  # ACSM: at least 2-3 days a week
            note=clean(s.text("note", default="", max_len=STRETCH_NOTE_LIMIT) or "").strip(),
        ))
        s.done()
    return choices


# --- stretch library --------------------------------------------------------------------

def load_tags(clinic_folder: Path | None) -> dict[str, str]:
    """What the body does in a stretch: tag id → its meaning (templates/tags.toml)."""
    path = template_path(clinic_folder).find("tags.toml")
    if path is None:
        raise InputError("templates/tags.toml is missing; reinstall the package.")
    tags = {}
    for tag, table in load_template_toml(path).items():
        if not isinstance(table, dict) or not _ID.match(tag):
            raise InputError(f"{path}: '{tag}' must be a table ([{tag}]) with a lowercase id.")
        f = Fields(table, f"{path} [{tag}]")
        tags[tag] = one_line(f.text("means", required=True, max_len=200) or "")
        f.done()
    return tags


def _known_tags(f: Fields, key: str, values: list[str], tags: dict[str, str]) -> None:
    for tag in values:
        if tag not in tags:
            raise f.error(key, f"has unknown tag '{tag}'; known tags: {', '.join(tags)} "
                          "(see templates/tags.toml).")


def load_conditions(clinic_folder: Path | None, language: str = DEFAULT_LANGUAGE,
                    tags: dict[str, str] | None = None) -> dict[str, Condition]:
    """The condition catalogue: its rules from templates/conditions.toml (the clinic's copy
    first), its words in ``language`` (templates/lang/<code>/conditions.toml). ``tags``: the
    tag catalogue, if the caller has read it already."""
    path = template_path(clinic_folder).find("conditions.toml")
    if path is None:
        raise InputError("templates/conditions.toml is missing; reinstall the package.")
    tags = load_tags(clinic_folder) if tags is None else tags
    data = load_template_toml(path)
    words = condition_words(path, data, language, clinic_folder)
    catalogue = {}
    for cid, table in data.items():
        if not isinstance(table, dict):
            raise InputError(f"{path}: '{cid}' must be a table ([{cid}]).")
        f = Fields(table, f"{path} [{cid}]")
        rules_out = f.text_list("rules_out", max_items=len(tags), max_len=40) or []
        _known_tags(f, "rules_out", rules_out, tags)
        listed = f.raw("cautions")
        if isinstance(listed, dict):  # an English file from before languages: tag = words
            listed = list(listed)
        elif listed is not None:
            listed = f.text_list("cautions", max_items=len(tags), max_len=40)
        _known_tags(f, "cautions", list(listed or []), tags)
        for key in ("label", "description"):  # the older English file's words (read above)
            f.raw(key)
        wording = words[cid]
        catalogue[cid] = Condition(
            id=cid, label=wording.label, description=wording.description,
            suggest=tuple(f.text_list("suggest", max_items=6, max_len=40) or ()),
            rules_out=tuple(rules_out),
            cautions=tuple((tag, wording.cautions[tag]) for tag in listed or ()),
            belly_work=f.boolean("belly_work", default=True),
            pregnancy=f.boolean("pregnancy", default=False),
            new_hip=f.boolean("new_hip", default=False),
            words_source=wording.source)
        f.done()
    return catalogue


class Library(Mapping[str, Stretch]):
    """A clinic's stretch library in one language, read as it is used.

    Every stretch id is known at once (the file names), but a stretch's files are read and
    checked when it is first looked up: a build needs two or three of the fourteen, and each
    costs about half a millisecond. Listing every stretch (``values()``, ``items()``) reads
    them all, with the same errors :func:`load_library` gives. It carries the condition
    catalogue it was checked against (``conditions``), so that planning does not read
    conditions.toml again.
    """

    def __init__(self, clinic_folder: Path | None, language: str = DEFAULT_LANGUAGE):
        self.clinic_folder = clinic_folder
        self.language = language
        self._images = image_path(clinic_folder)
        self._tags = load_tags(clinic_folder)
        self.conditions = load_conditions(clinic_folder, language, self._tags)
        self._paths = dict(sorted(template_path(clinic_folder).names("stretches",
                                                                      ".toml").items()))
        anatomy = self._images.find_image("anatomy")
        if anatomy is not None:
            _check_picture(anatomy)
        self._loaded: dict[str, Stretch] = {}

    def __getitem__(self, sid: str) -> Stretch:
        stretch = self._loaded.get(sid)
        if stretch is None:
            stretch = load_stretch(sid, self._paths[sid], self._images, self.conditions,
                                   self._tags, self.language, self.clinic_folder)
            self._loaded[sid] = stretch
        return stretch

    def __contains__(self, sid: object) -> bool:
        return sid in self._paths  # without reading the stretch

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def check_suggestions(self) -> None:
        """Every stretch a condition suggests must exist (its id is enough)."""
        for condition in self.conditions.values():
            for sid in condition.suggest:
                if sid not in self._paths:
                    raise InputError(f"conditions.toml [{condition.id}]: 'suggest' names "
                                     f"'{sid}', which is not a stretch.")


def open_library(clinic_folder: Path | None, language: str = DEFAULT_LANGUAGE) -> Library:
    """The stretch library, each stretch read when first used (see :class:`Library`)."""
    library = Library(clinic_folder, language)
    library.check_suggestions()
    return library


def load_library(clinic_folder: Path | None,
                 language: str = DEFAULT_LANGUAGE) -> dict[str, Stretch]:
    """Every stretch definition, the clinic's own first (overriding by id, adding new ones),
    with its words in ``language``: a stretch without them is an error."""
    library = Library(clinic_folder, language)
    loaded = {sid: library[sid] for sid in library}
    library.check_suggestions()
    return loaded


def load_stretch(sid: str, path: Path, images: SearchPath,
                 conditions: dict[str, Condition] | None = None,
                 tags: dict[str, str] | None = None, language: str = DEFAULT_LANGUAGE,
                 clinic_folder: Path | None = None) -> Stretch:
    """Load and validate one stretch: its definition (data) and its words in ``language``."""
    if not _ID.match(sid):
        raise InputError(f"{path}: the file name must be a lowercase id like 'my-stretch.toml'.")
    f = Fields(load_template_toml(path), str(path))
    known_tags = tags if tags is not None else load_tags(None)
    stretch_tags = f.text_list("tags", max_items=len(known_tags), max_len=40) or []
    _known_tags(f, "tags", stretch_tags, known_tags)
    image = f.text("image", max_len=60)
    if image is not None:
        picture = images.find_image(image)
        if picture is None:
            raise f.error("image", f"names '{image}', but no {image}.svg, .png or .jpg is in "
                          "the images folders. Add the picture or remove the 'image' line.")
        _check_picture(picture)
    dose_table = f.table("dose")
    if dose_table is None:
        raise f.error("dose", "is missing; add a [dose] table.")
    dose = _dose(dose_table)
    range_table = f.table("dose_range")
    hold_range: tuple[int, int] = (0, 300)
    reps_range: tuple[int, int] = (1, 30)
    if range_table is not None:
        hold_range = range_table.int_pair("hold_seconds", 0, 300) or hold_range
        reps_range = range_table.int_pair("reps", 1, 30) or reps_range
        range_table.done()
    typed = f.data.get("conditions")
    if isinstance(typed, dict) and "rules_out" in typed:
        raise InputError(f"{path} [conditions]: 'rules_out' is no longer read: which "
                         "stretch a condition rules out follows from the stretch's 'tags'. "
                         "Remove the line and check the tags.")
    words = stretch_words(sid, path, f, language, clinic_folder, conditions, bool(image))
    stretch = Stretch(
        id=sid, title=words.title, purpose=words.purpose, start=words.start,
        steps=words.steps, cautions=words.cautions, gentler=words.gentler,
        tags=tuple(stretch_tags), image=image, caption=words.caption, dose=dose,
        hold_range=hold_range, reps_range=reps_range, source=path,
        condition_cautions=words.condition_cautions,
        hip_flexor=f.boolean("hip_flexor", default=False), needs=words.needs,
        language=language, words_source=words.source)
    f.done()
    return stretch


def _dose(t: Fields) -> Dose:
    dose = Dose(
        hold_seconds=t.integer("hold_seconds", 0, 300, default=30) or 0,
        reps=t.integer("reps", 1, 30, default=2) or 1,
        sides=t.choice("sides", SIDES, default="each") or "each",
        per_day=t.integer("per_day", 1, 6, default=1) or 1,
        days_per_week=t.integer("days_per_week", 2, 7, default=7) or 7,  # ACSM: 2+ days
    )
    t.done()
    return dose
