"""The pipeline in one place: load → plan → render sections → story → PDF bytes → write.

This is the library API the command line (and batch and email) call. Every stage takes values
and returns values; only :func:`load_request` reads files and :func:`write_handout` writes one.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from . import fill, sheet, tight
from .content import (
    NOTE_LIMIT,
    Library,
    client_from_data,
    load_client,
    load_clinic,
    load_conditions,
    open_library,
)
from .errors import InputError, LayoutError
from .fonts import FontSet, load_fonts
from .language import (
    check_code,
    dose_text,
    load_language,
    plan_language,
    template_search,
)
from .layout import Layout, Story, is_heading
from .models import (
    LAYOUT_SECTIONS,
    OPTIONAL_SECTIONS,
    SECTIONS,
    Client,
    Clinic,
    Condition,
    Dose,
    Options,
    Plan,
    PlannedStretch,
    Stretch,
    StretchChoice,
    Therapist,
)
from .output import short_hash, slugify, write_atomic
from .render import frames, render_pdf
from .renderer import Decoration, Renderer, handout_title
from .resources import image_path
from .safety import hip_flexor_options, ruled_out, safe_alternatives, verdict
from .styles import BODY_SIZE, LARGE_BODY_SIZE, MIN_SIZE, PAGES, make_theme
from .templating import section_blocks
from .text import clean, first_name, initials
from .ticklog import LOG_ROOM

BACKGROUND = ("what-is-psoas", "why-it-hurts", "how-massage-helps", "between-visits")
SHEET_MAX = 4        # stretches on one sheet (two pages) at the normal size
SHEET_PAGES = 2
STRIP_ROOM = 5       # body sizes of room under the cards before the log strip is tried
GROW_ROOM = 2        # body sizes left on the back before its rows of cards grow into them
FLOOR_TAG = "floor"  # cards with this tag bring the "getting down to the floor" panel
ANATOMY_IMAGE = "anatomy"
SAMPLE_CLIENT = "sample-client.toml"  # in templates/lang/<code>/


@dataclass(frozen=True)
class Rendered:
    """A finished handout in memory."""

    plan: Plan
    pdf: bytes
    pages: int
    warnings: tuple[str, ...] = ()
    placed: tuple[tuple[str, int], ...] = field(default=(), compare=False)
    fill: tuple[float, ...] = field(default=(), compare=False)  # each page's filled share
    lone_headings: tuple[int, ...] = field(default=(), compare=False)  # pages ending in one
    pictures: tuple[tuple[str, float], ...] = field(default=(), compare=False)  # card, share
    logo_text: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    room: float = field(default=0.0, compare=False)  # points left under the last page's ink


# --- load ------------------------------------------------------------------------------

def load_request(clinic_path: Path | None, client_path: Path | None = None,
                 client_name: str | None = None, stretch_ids: Sequence[str] = (),
                 note: str | None = None, language: str | None = None
                 ) -> tuple[Clinic, Client, Library]:
    """Load the clinic, the client (file and/or flags; flags win) and the stretch library,
    with its words in the handout's language (``language``: --language). The library reads
    a stretch's files when the plan first asks for it (see :class:`handouts.content.Library`).
    """
    clinic = load_clinic(clinic_path)
    if client_path is not None:
        client = load_client(client_path)
    elif client_name is not None:
        client = client_from_data({"name": client_name}, "--client")
    else:  # the sample client, in the handout's language
        code = check_code(language, clinic.folder, "--language") if language \
            else clinic.default_language
        client = load_client(sample_client(code, clinic.folder))
    if client_name is not None and client_path is not None:
        client = replace(client, name=" ".join(client_name.split()))
    if stretch_ids:  # errors about these stretches name the flag, not the file
        client = replace(client, stretches=tuple(StretchChoice(id=s) for s in stretch_ids),
                         label="--stretch")
    if note is not None:
        if len(note) > NOTE_LIMIT:
            raise InputError(f"--note: the note is {len(note)} characters long; use at most "
                             f"{NOTE_LIMIT}.")
        client = replace(client, note=clean(note).strip())
    if not client.name.strip():
        raise InputError("--client: the name is empty. Give the client's name.")
    where = client.label or (str(client.source) if client.source else "client")
    library = open_library(clinic.folder, _language(clinic, client, Options(language=language),
                                                    where))
    check_defaults(clinic, library)
    return clinic, client, library


def sample_client(code: str, clinic_folder: Path | None) -> Path:
    """The sample client file for a handout in language ``code``: the language folder's
    ``sample-client.toml`` (a clinic's own first); a language without one is an error
    (its note would otherwise print in English)."""
    found = template_search(code, clinic_folder).find(SAMPLE_CLIENT)
    if found is not None:
        return found
    raise InputError(f"templates/lang/{code}/{SAMPLE_CLIENT}: there is no sample client in "
                     "this language; add one (a client file with its note in that "
                     "language), or give a client file or --client NAME.")


# --- plan ------------------------------------------------------------------------------

def plan_handout(clinic: Clinic, client: Client, library: Mapping[str, Stretch],
                 options: Options | None = None, today: _dt.date | None = None,
                 catalogue: dict[str, Condition] | None = None,
                 checked: set[str] | None = None) -> Plan:
    """Decide what prints: which stretches with which dose, which sections, paper and size.

    A batch plans many rows from one library: it passes the condition ``catalogue`` loaded
    once (a :class:`Library` brings its own), and a ``checked`` set of stretches whose own
    text the fonts were already checked against (their text is the same for every row).
    """
    options = options or Options()
    where = client.label or (str(client.source) if client.source else "client")
    language = _language(clinic, client, options, where)
    if not _speaks(library, language):
        # this client's language differs from the library's: its words in that language
        library = open_library(clinic.folder, language)
        catalogue = None
    if catalogue is None and isinstance(library, Library):
        catalogue = library.conditions  # read with the library: not read again
    words = load_language(language, clinic.folder, clinic.locale)
    choices = client.stretches or tuple(StretchChoice(id=s) for s in clinic.default_stretches)
    planned: list[PlannedStretch] = []
    seen: set[str] = set()
    for number, choice in enumerate(choices, start=1):
        stretch = library.get(choice.id)
        if stretch is None:
            raise InputError(f"{where}: {unknown_stretch(choice.id, library)}")
        if choice.id in seen:
            raise InputError(f"{where}: stretch '{choice.id}' is listed twice; list it once.")
        seen.add(choice.id)
        base = stretch.dose
        dose = Dose(
            hold_seconds=base.hold_seconds if choice.hold_seconds is None else choice.hold_seconds,
            reps=choice.reps or base.reps,
            sides=choice.sides or base.sides,
            per_day=choice.per_day or base.per_day,
            days_per_week=choice.days_per_week or base.days_per_week,
        )
        for key, value, (lo, hi) in (("hold_seconds", dose.hold_seconds, stretch.hold_range),
                                     ("reps", dose.reps, stretch.reps_range)):
            if not lo <= value <= hi:
                raise InputError(f"{where}: {key} = {value} for '{stretch.id}' is outside the "
                                 f"range its definition allows ({lo} to {hi}).")
        planned.append(PlannedStretch(number, stretch, dose, choice.note))
    if not planned:
        raise InputError(f"{where}: no stretches chosen. Add some with --stretch ID "
                         "(see: build-handouts stretches).")

    conditions, planned, allowed, warnings = screen(
        client, planned, library, options, where,
        catalogue or load_conditions(clinic.folder, language))
    therapist = _therapist(clinic, client.therapist)
    layout = options.layout or client.layout or clinic.default_layout
    large_print = options.large_print or client.large_print
    if layout == "sheet" and not large_print and len(planned) > SHEET_MAX:
        raise InputError(f"{where}: one sheet holds up to {SHEET_MAX} stretches and "
                         f"{len(planned)} are chosen; choose {SHEET_MAX} or fewer, or use "
                         "--layout guide.")
    sections = tuple(s for s in LAYOUT_SECTIONS[layout] if s not in client.leave_out)
    plan = Plan(
        clinic=clinic, client=client, therapist=therapist, stretches=tuple(planned),
        sections=sections, paper=options.paper or clinic.paper,
        large_print=large_print, grayscale=options.grayscale,
        date=options.date or client.date or today or _dt.date.today(),
        conditions=conditions, allowed=allowed, warnings=warnings, layout=layout,
        event=options.event, language=language, locale=words.locale,
    )
    check_text(plan, load_fonts(clinic.fonts), checked)
    return plan


def _speaks(library: Mapping[str, Stretch], language: str) -> bool:
    """True when the library's words are in ``language`` (a :class:`Library` knows without
    reading its stretches)."""
    if isinstance(library, Library):
        return library.language == language
    return all(s.language == language for s in library.values())


def _language(clinic: Clinic, client: Client, options: Options, where: str) -> str:
    """The handout's language: --language, else the client's, else the clinic's default;
    an unknown code is one line listing the languages there are."""
    if options.language:
        return check_code(options.language, clinic.folder, "--language")
    if client.language:
        return check_code(client.language, clinic.folder, f"{where}: 'language'")
    return clinic.default_language


Allowed = tuple[tuple[str, str, str], ...]  # (stretch, condition, reason)


def screen(client: Client, planned: list[PlannedStretch], library: Mapping[str, Stretch],
           options: Options, where: str, catalogue: dict[str, Condition]
           ) -> tuple[tuple[Condition, ...], list[PlannedStretch], Allowed, tuple[str, ...]]:
    """Check the chosen stretches against the client's conditions (see safety.py).

    A stretch that a condition rules out stops the build (naming the client, the stretch, the
    condition and safe alternatives) unless the therapist allowed it with a reason; cautions
    for the client's conditions are attached to the cards that need them. A handout with no
    stretch for the hip flexors gets a warning naming the ones that would fit.
    """
    ids = list(dict.fromkeys([*client.conditions, *options.conditions]))
    for cid in ids:
        if cid not in catalogue:
            # The unknown value is health information: name the field, never repeat it.
            field = "'conditions'" if cid in client.conditions else "--condition"
            raise InputError(f"{where}: {field} has an id that is not a known condition; "
                             "use one of: " + ", ".join(catalogue)
                             + " (see: build-handouts conditions).")
    conditions = tuple(catalogue[c] for c in ids)
    chosen = [p.stretch.id for p in planned]
    allowed: list[tuple[str, str, str]] = []
    screened = []
    for item in planned:
        stretch = item.stretch
        for condition in ruled_out(stretch, conditions):
            if stretch.id in options.allow:
                reason = dict(options.reasons).get(stretch.id, options.reason)
                allowed.append((stretch.id, condition.id, reason))
                continue
            alternatives = ", ".join(safe_alternatives(conditions, library, chosen)[:3]) \
                or "none in the library"
            everything = all(ruled_out(p.stretch, conditions) for p in planned)
            lead = ("every chosen stretch is ruled out by this client's conditions; "
                    if everything and len(planned) > 1 else "")
            # (the condition is health information: the line, which a batch manifest keeps,
            # names the stretch and where to read why, never the condition itself)
            raise InputError(
                f"{where}: {client.name}: {lead}'{stretch.id}' is not safe with one of this "
                f"client's conditions (see: build-handouts conditions). Suggested instead: "
                f"{alternatives}. To give it anyway: --allow {stretch.id} --reason \"why\".")
        cautions = tuple((c.label, text) for c in conditions
                         for text in verdict(stretch, c).cautions)
        screened.append(replace(item, cautions=cautions))
    warnings: list[str] = []
    if not any(p.stretch.hip_flexor for p in planned):
        options_left = hip_flexor_options(conditions, library)
        if options_left:
            warnings.append(f"{where}: none of the chosen stretches stretches the hip flexors "
                            "(the psoas). For this client these would: "
                            + ", ".join(options_left[:3]) + ".")
        else:
            warnings.append(f"{where}: no hip-flexor stretch is safe with this client's "
                            "conditions; this handout has none, and that is the safe choice.")
    return conditions, screened, tuple(allowed), tuple(warnings)


def unknown_stretch(sid: str, library: Mapping[str, Stretch]) -> str:
    """The message for an unknown stretch id, with the nearest id and where to look."""
    import difflib

    close = difflib.get_close_matches(sid, sorted(library), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return (f"unknown stretch '{sid}'; {hint}Valid ids: " + ", ".join(sorted(library))
            + " (see: build-handouts stretches).")


def check_defaults(clinic: Clinic, library: Mapping[str, Stretch]) -> None:
    """The clinic's default_stretches must exist, checked as soon as the clinic is loaded."""
    for sid in clinic.default_stretches:
        if sid not in library:
            raise InputError(f"{clinic.source or 'clinic.toml'}: 'default_stretches': "
                             + unknown_stretch(sid, library))


def _therapist(clinic: Clinic, name: str) -> Therapist | None:
    if not name:
        return clinic.therapists[0] if clinic.therapists else None
    wanted = name.casefold()
    for therapist in clinic.therapists:
        if wanted in (therapist.name.casefold(), therapist.name.split()[0].casefold()):
            return therapist
    return Therapist(name=name)


def check_text(plan: Plan, fonts: FontSet, checked: set[str] | None = None) -> None:
    """Check every printed value against the fonts, naming the field of the first problem."""
    label = plan.client.label if plan.client.label != "--stretch" else ""
    client_file = label or (str(plan.client.source) if plan.client.source else "--client")
    clinic_file = str(plan.clinic.source) if plan.clinic.source else "clinic"
    fields: list[tuple[str, str]] = [
        (f"{client_file}: 'name'", plan.client.name),
        (f"{client_file}: 'note'", plan.client.note),
        (f"{client_file}: 'next_visit'", plan.client.next_visit),
        (f"{clinic_file}: 'name'", plan.clinic.name),
        (f"{clinic_file}: 'address'", plan.clinic.address),
        (f"{clinic_file}: 'phone'", plan.clinic.phone),
        (f"{clinic_file}: 'disclaimer'", plan.clinic.disclaimer),
    ]
    if plan.therapist is not None:
        fields.append((f"{client_file}: 'therapist'", plan.therapist.signature))
        fields.append((f"{clinic_file}: therapist licence", plan.therapist.license))
    for item in plan.stretches:
        fields.append((f"{client_file}: note for '{item.stretch.id}'", item.note))
        s = item.stretch
        if checked is not None and f"{s.language}:{s.id}" in checked:
            continue
        for key, value in (("title", s.title), ("purpose", s.purpose), ("start", s.start),
                           ("steps", " ".join(s.steps)), ("cautions", " ".join(s.cautions)),
                           ("gentler", s.gentler), ("caption", s.caption)):
            fields.append((f"{s.source}: '{key}'", value))
    for name, value in fields:
        fonts.check(value, name)
    if checked is not None:  # only once every field passed
        checked.update(f"{item.stretch.language}:{item.stretch.id}" for item in plan.stretches)


# --- render ----------------------------------------------------------------------------

def section_context(plan: Plan) -> dict[str, Any]:
    """The variables every section template can use (documented in the README)."""
    therapist = plan.therapist
    words = plan_language(plan)
    return {
        "client": {"name": plan.client.name, "first_name": first_name(plan.client.name),
                   "note": plan.client.note, "initials": initials(plan.client.name)},
        "clinic": {"name": plan.clinic.name, "phone": plan.clinic.phone,
                   "email": plan.clinic.email, "website": plan.clinic.website,
                   "booking_url": plan.clinic.booking_url, "address": plan.clinic.address,
                   "sample": plan.clinic.sample,
                   "emergency_number": plan.clinic.emergency_number},
        "therapist": {"name": therapist.name if therapist else "",
                      "signature": therapist.signature if therapist else ""},
        "stretches": [{"number": p.number, "id": p.stretch.id, "title": p.stretch.title,
                       "purpose": p.stretch.purpose, "dose": dose_text(p.dose, words),
                       "tags": list(p.stretch.tags)} for p in plan.stretches],
        "stretch_count": len(plan.stretches),
        "next_visit": words.visit_text(plan.client.next_visit),
        "date": words.long_date(plan.date),
        "language": plan.language,
        "large_print": plan.large_print,
        "sections": list(plan.sections),
        "pregnant": any(c.pregnancy for c in plan.conditions),
        "new_hip": any(c.new_hip for c in plan.conditions),
        "belly_work": all(c.belly_work for c in plan.conditions),
        "floor_cards": [p.stretch.title for p in plan.stretches if FLOOR_TAG in p.stretch.tags],
    }


def anatomy_labels(words: Any) -> tuple[tuple[str, str], ...]:
    """The anatomy drawing's labels in the handout's language: (drawn word, printed word)
    pairs; none when they read the same (the drawing is then used as it is)."""
    pairs = []
    for key, value in words.strings.items():
        if key.startswith("anatomy.labels.") and isinstance(value, str):
            drawn = key.removeprefix("anatomy.labels.")
            if value != drawn:
                pairs.append((drawn, value))
    return tuple(sorted(pairs))


def your_stretches(lay: Layout, blocks: list[Any]) -> Story:
    """The heading and its line stay with the first card (in large print, where a card may
    take most of a page, with the first card's start: the card may split at a step; or,
    where that card moves on, on their page with the list of the stretches: lead.py)."""
    intro = lay.blocks(blocks, guard=False)
    cards = [lay.card(item) for item in lay.plan.stretches]
    first = cards[0][0] if cards else None
    if isinstance(first, fill.Placement):
        first.lead = intro
        return lay.stretches_lead(intro, first) + [f for card in cards for f in card]
    rest = [f for card in cards[1:] for f in card]
    if cards and lay.plan.layout == "guide":
        # 13 pt: a first card a few points too tall for page 1 (long condition cautions)
        # is set a little closer (less padding) where only that keeps it there; moving on
        # with its heading it would leave page 1 under half full.
        closer = lay.stretch_card(lay.plan.stretches[0], variant=-1)
        return [tight.Tighter([KeepTogether(intro + cards[0])],
                              [KeepTogether(intro + closer)])] + rest
    return [KeepTogether(intro + cards[0])] + rest


_Builder = Callable[[Layout, list[Any]], Story]
SECTION_BUILDERS: dict[str, _Builder] = {
    "key-points": lambda lay, blocks: lay.key_points(blocks),
    "what-is-psoas": lambda lay, blocks: lay.with_picture(
        blocks, ANATOMY_IMAGE, lay.words.text("anatomy.caption")),
    "why-it-hurts": lambda lay, blocks: lay.blocks(blocks),
    "how-massage-helps": lambda lay, blocks: lay.blocks(blocks),
    "between-visits": lambda lay, blocks: lay.blocks(blocks),
    # The heading and its intro stay with the first card.
    "your-stretches": lambda lay, blocks: your_stretches(lay, blocks),
    "log": lambda lay, blocks: sheet.log_strip(lay, blocks) if lay.plan.log_strip
    else lay.log(blocks),
    "safety": lambda lay, blocks: lay.safety(blocks),
    "contact": lambda lay, blocks: lay.contact(blocks),
}
assert set(SECTION_BUILDERS) == set(SECTIONS) and set(OPTIONAL_SECTIONS) <= set(SECTIONS)


@dataclass
class Composed:
    """A handout as flowables plus what the page decorations need (before any PDF exists)."""

    plan: Plan
    story: Story
    theme: Any
    decoration: Decoration
    warnings: list[str]
    logo_text: tuple[tuple[str, float], ...] = ()

    def footer(self, canvas: Any, page: int, total: int) -> None:
        """Draw this handout's footer on ``canvas``."""
        self.decoration.footer(canvas, page, total)

    def later_header(self, canvas: Any) -> None:
        """Draw this handout's running header on ``canvas``."""
        self.decoration.later_header(canvas)


def compose(plan: Plan, renderer: Renderer) -> Composed:
    """Render the sections and build the story and page decorations for one plan.

    Pure apart from the renderer's caches: the same plan gives the same story. Callers that
    use the renderer across builds wrap this in ``renderer.begin``/``renderer.end`` (as
    :func:`render_handout` does) so that no client text stays cached after the build.
    """
    fonts = load_fonts(plan.clinic.fonts)
    theme = make_theme(fonts, plan.clinic.brand_color, plan.paper, plan.large_print,
                       plan.grayscale, plan.compact)
    templates = template_search(plan.language, plan.clinic.folder)
    images = image_path(plan.clinic.folder)
    words = plan_language(plan)
    labels = anatomy_labels(words)
    warnings: list[str] = []

    def picture_for(name: str | Path, width: float, max_height: float | None) -> Any:
        """A picture by name (clinic images first) or by path (the logo)."""
        path = name if isinstance(name, Path) else images.find_image(name)
        if path is None:
            return None
        anatomy = name == ANATOMY_IMAGE
        # large print: the drawing's labels print at the body's 18 pt (handout-standards.md)
        return renderer.picture(path, fonts, width, max_height, warnings, gray=plan.grayscale,
                                labels=labels if anatomy else (),
                                label_size=theme.body_size if anatomy and plan.large_print
                                else 0)

    decoration = renderer.decoration(plan, theme)
    layout = Layout(plan, theme, picture_for, renderer.paragraphs,
                    page_height=frames(theme, decoration.lines)[1]._height)
    context = section_context(plan)
    story: Story = layout.header() + layout.client_note()
    # The guide sets its background sections in two balanced columns at the normal size:
    # their short lines fill the page instead of leaving its right side empty.
    column = layout.columns() if plan.layout == "guide" and not plan.large_print else None
    held: Story = []
    if plan.layout == "sheet" and "key-points" not in plan.sections and context["floor_cards"]:
        story += _floor(layout, templates, context, fonts, renderer)
    for section in plan.sections:
        # parsed once per text (a warm renderer), kept in the disk cache when no client's
        blocks = section_blocks(templates, f"sections/{section}.md.j2", context, fonts,
                                lambda text: renderer.markdown(text, fonts))
        if column is not None and section in BACKGROUND:
            held += SECTION_BUILDERS[section](column, blocks)
            continue
        story += layout.balanced(held)
        held = []
        if section == "your-stretches" and plan.layout == "sheet":
            story += sheet.stretches(layout, blocks)
            continue
        if section == "your-stretches" and context["floor_cards"]:
            # The note on getting down to the floor, after the cards in the guide (large
            # print sets the last card short so the note may share its page).
            layout.floor_follows = True
            cards = SECTION_BUILDERS[section](layout, blocks)
            floor = _floor(layout, templates, context, fonts, renderer)
            if column is not None and isinstance(cards[-1], Spacer):
                # 13 pt: set a little closer to the last card where only that keeps it on
                # the card's page (it would push the rest of the guide on by a page)
                near = tight.closer(_floor(layout, templates, context, fonts, renderer),
                                    0.2 * theme.body_size)
                story += cards[:-1] + [tight.Tighter([cards[-1], *floor], near)]
                continue
            story += cards + floor
            continue
        story += SECTION_BUILDERS[section](layout, blocks)
        if plan.layout == "sheet" and section == "key-points" and context["floor_cards"]:
            # One sheet: the note on getting down to the floor on its first side, after the
            # key points (the second side is the cards').
            story += _floor(layout, templates, context, fonts, renderer)
    story += layout.balanced(held)
    fill.link(story)  # (large print: each card learns what follows it)
    return Composed(plan, story, theme, decoration, warnings, layout.logo_text)


def _floor(layout: Layout, templates: Any, context: dict[str, Any], fonts: FontSet,
           renderer: Renderer) -> Story:
    """The panel on getting down to the floor and up again."""
    return layout.panel(section_blocks(templates, "sections/floor.md.j2", context, fonts,
                                       lambda text: renderer.markdown(text, fonts)))


def render_handout(plan: Plan, renderer: Renderer | None = None) -> Rendered:
    """Render a plan to PDF bytes (in memory), with ``renderer`` (a new one if None)."""
    renderer = renderer or Renderer()
    if plan.layout != "sheet":
        return _render(plan, renderer)
    return fit_sheet(plan, renderer)


def fit_sheet(plan: Plan, renderer: Renderer) -> Rendered:
    """The one-sheet layout, rendered to exactly two pages.

    It is tried at 13 pt, then at the 12 pt minimum (large print: at 18 pt only), each with
    its full log where there is room, else with the log as one strip of days (see
    :func:`_strips` for where); a sheet with a log at 12 pt beats one without it at 13 pt
    (the log is what the client uses between visits). Then, at 12 pt, the cards are set
    closer, and last a card may leave out its picture's caption where its row has no room
    for it (check reports it); every card keeps its caption until then. Only when no log fits
    does the sheet go without one, at the largest size that fits, and says so in a warning.
    The plan of the variant that fits is the rendered handout's plan (the print file lays
    out that one). A sheet that cannot hold the chosen stretches is an error saying how many
    it can hold.
    """
    sizes = [plan] if plan.large_print else [plan, replace(plan, compact=True)]
    # large print sets a card a row, which neither of the last two changes
    rows = (len(plan.stretches) + 1) // 2
    tries = sizes if plan.large_print else sizes + [
        replace(sizes[-1], tight=True, uncaptioned=bare) for bare in range(rows + 1)]
    bare = tuple(s for s in plan.sections if s != "log")
    fallback: Rendered | None = None
    for sized in tries:
        rendered = _render(replace(sized, sections=bare), renderer)
        if rendered.pages > SHEET_PAGES:
            continue  # the log only adds: with it, this size cannot fit either
        fallback = fallback or rendered
        if "log" not in plan.sections:
            return rendered
        # The log starts on a new page unless LOG_ROOM body lines are left (see layout.log).
        body = LARGE_BODY_SIZE if plan.large_print else MIN_SIZE if sized.compact else BODY_SIZE
        if rendered.room >= LOG_ROOM * body and not sized.tight:
            logged = _render(sized, renderer)
            if logged.pages <= SHEET_PAGES:
                return _grown(logged, renderer, body)
        for variant in _strips(sized, rendered, body):
            strip = _render(variant, renderer)
            if strip.pages <= SHEET_PAGES:
                return _grown(strip, renderer, body)
    if fallback is not None:
        if "log" in plan.sections:
            words = plan_language(plan)
            return replace(fallback, warnings=(*fallback.warnings, words.text("sheet.no_log")))
        return fallback
    fits = _sheet_capacity(replace(tries[-1], sections=bare), renderer)
    size = "in large print " if plan.large_print else ""
    if fits:
        raise LayoutError(f"{size}one sheet holds {fits} of these {len(plan.stretches)} "
                          f"stretches; choose {fits}, or use --layout guide.")
    raise LayoutError(f"{size}one sheet cannot hold even one stretch card with the safety "
                      "advice and contact details; use --layout guide.")


def _grown(rendered: Rendered, renderer: Renderer, body: float) -> Rendered:
    """The sheet with its rows of cards grown into the room the back has left (each row by
    its share), so that their pictures take it; as it was when that does not fit."""
    rows = len(rendered.plan.stretches) // 2 + len(rendered.plan.stretches) % 2
    if len(rendered.plan.stretches) < 2 or rendered.plan.large_print \
            or rendered.room < GROW_ROOM * body:
        return rendered
    # all the room, else half of it (a full log keeps LOG_ROOM lines free above it)
    for share in (1.0, 0.5):
        grow = (rendered.room - body) * share / rows
        grown = _render(replace(rendered.plan, grow=grow), renderer)
        if grown.pages <= SHEET_PAGES:
            return grown
    return rendered


def _strips(plan: Plan, bare: Rendered, body: float) -> list[Plan]:
    """The places a sheet's compact log is tried, in order: under the cards (where there is
    room for it) and at the foot of the first side (after the contact block, where a longer
    language's cards leave none on the second). ``bare`` is the sheet without a log: places
    it shows to be too short are not tried (each try is a render)."""
    strip = replace(plan, log_strip=True)
    cards = plan.sections.index("your-stretches") if "your-stretches" in plan.sections \
        else len(plan.sections)
    front = tuple(s for s in plan.sections[:cards] if s != "log") + ("log",) + tuple(
        s for s in plan.sections[cards:] if s != "log")
    need = STRIP_ROOM * body
    tried = []
    if bare.room >= need or sheet.beside_log(strip):  # (beside the last card: no room needed)
        tried.append(strip)
    # (the first side's frame is shorter than the paper: under this share it has no room)
    if 1 - bare.fill[0] >= need / max(PAGES[plan.paper]):
        tried.append(replace(strip, sections=front))
    return tried


def _sheet_capacity(plan: Plan, renderer: Renderer) -> int:
    """How many of the plan's first stretches fit on one sheet (0 if not even one): counted
    up, as one more card never makes a sheet fit that did not."""
    for count in range(1, len(plan.stretches)):
        if _render(replace(plan, stretches=plan.stretches[:count]), renderer).pages \
                > SHEET_PAGES:
            return count - 1
    return len(plan.stretches) - 1


def _render(plan: Plan, renderer: Renderer) -> Rendered:
    renderer.begin(plan)
    try:
        c = compose(plan, renderer)
        words = plan_language(plan)
        titles = ", ".join(p.stretch.title for p in plan.stretches)
        pdf, placed = render_pdf(
            c.story, c.theme,
            title=handout_title(plan.client.name, words),
            author=plan.clinic.name,
            subject=words.text("pdf.subject", count=len(plan.stretches), titles=titles),
            keywords=words.words("pdf.keywords") + [p.stretch.id for p in plan.stretches],
            footer=c.footer, later_header=c.later_header, footer_lines=c.decoration.lines,
            lang=plan.locale)
    finally:
        renderer.end(plan)
    pages = max(page for _, page, _ in placed) if placed else 1
    # A row of cards (one sheet) reports each of its cards.
    parts = [(part, page) for f, page, _ in placed for part in getattr(f, "parts", (f,))]
    where = tuple((getattr(f, "stretch_id", type(f).__name__), page) for f, page in parts)
    fill = [0.0] * pages
    last: dict[int, Any] = {}
    for flowable, page, reach in placed:
        if not isinstance(flowable, (Spacer, CondPageBreak)):
            fill[page - 1] = max(fill[page - 1], reach)
            last[page] = flowable
    lone = tuple(page for page, flowable in sorted(last.items()) if is_heading(flowable))
    shares = tuple(dict.fromkeys((f.stretch_id, round(f.picture_share, 3)) for f, _ in parts
                                 if hasattr(f, "picture_share")))
    frame = frames(c.theme, c.decoration.lines)[0 if pages == 1 else 1]
    room = frame._height * (1 - fill[-1])
    return Rendered(plan, pdf, pages, (*plan.warnings, *c.warnings), where, tuple(fill), lone,
                    shares, c.logo_text, room)


# --- whole path --------------------------------------------------------------------------

def default_output(client: Client, date: _dt.date, folder: Path = Path("output"),
                   suffix: str = "") -> Path:
    """``output/<client-slug>-<date>.pdf`` (with ``-<suffix>`` after the slug if given)."""
    slug = slugify(client.name) + (f"-{suffix}" if suffix else "")
    return folder / f"{slug}-{date.isoformat()}.pdf"


def choose_output(rendered: Rendered, folder: Path = Path("output")) -> Path:
    """The default output path; a file there for a *different* client gets a suffixed name.

    Two names can share a slug ("Mary Ann" and "Mary-Ann"); one client's handout must never
    replace another's, so when the slug's file belongs to someone else (its PDF title names
    another client) the name gets a short suffix from a hash of the full name.
    """
    plan = rendered.plan
    path = default_output(plan.client, plan.date, folder)
    if not path.is_file() or _title_of(path) in (
            None, handout_title(plan.client.name, plan_language(plan))):
        return path
    return default_output(plan.client, plan.date, folder, short_hash(plan.client.name))


def _title_of(path: Path) -> str | None:
    """The title of an existing PDF (None if it cannot be read)."""
    try:
        from pypdf import PdfReader

        info = PdfReader(path).metadata
        return str(info.title) if info is not None and info.title is not None else None
    except Exception:  # noqa: BLE001 - a damaged or foreign file simply has no title
        return None


def build_handout(clinic: Clinic, client: Client, library: Mapping[str, Stretch],
                  options: Options | None = None, renderer: Renderer | None = None
                  ) -> Rendered:
    """Plan and render one handout in memory."""
    return render_handout(plan_handout(clinic, client, library, options), renderer)


def write_handout(rendered: Rendered, path: Path, force: bool = False) -> Path:
    """Write a rendered handout atomically (owner-only; no overwrite without ``force``)."""
    return write_atomic(path, rendered.pdf, force=force)
