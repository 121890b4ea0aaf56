"""The pipeline in one place: load → plan → render sections → story → PDF bytes → write.

This is the library API the command line (and batch and email) call. Every stage takes values
and returns values; only :func:`load_request` reads files and :func:`write_handout` writes one.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether

from .art import picture
from .content import (
    NOTE_LIMIT,
    client_from_data,
    load_client,
    load_clinic,
    load_conditions,
    load_library,
)
from .errors import InputError
from .fonts import FontSet, load_fonts
from .layout import Layout, Story, dose_text
from .models import (
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
from .render import fit_text, render_pdf
from .resources import SAMPLES, image_path, template_path
from .styles import make_theme
from .templating import parse_markdown, render_template
from .text import clean, first_name, initials, long_date, markup, visit_text

ANATOMY_IMAGE = "anatomy"
ANATOMY_CAPTION = "Your psoas runs from your lower spine to the top of your thigh bone."


@dataclass(frozen=True)
class Rendered:
    """A finished handout in memory."""

    plan: Plan
    pdf: bytes
    pages: int
    warnings: tuple[str, ...] = ()
    placed: tuple[tuple[str, int], ...] = field(default=(), compare=False)


# --- load ------------------------------------------------------------------------------

def load_request(clinic_path: Path | None, client_path: Path | None = None,
                 client_name: str | None = None, stretch_ids: Sequence[str] = (),
                 note: str | None = None) -> tuple[Clinic, Client, dict[str, Stretch]]:
    """Load the clinic, the client (file and/or flags; flags win) and the stretch library."""
    clinic = load_clinic(clinic_path)
    library = load_library(clinic.folder)
    check_defaults(clinic, library)
    if client_path is not None:
        client = load_client(client_path)
    elif client_name is not None:
        client = client_from_data({"name": client_name}, "--client")
    else:
        client = load_client(SAMPLES / "client.toml")
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
    return clinic, client, library


# --- plan ------------------------------------------------------------------------------

def plan_handout(clinic: Clinic, client: Client, library: dict[str, Stretch],
                 options: Options | None = None, today: _dt.date | None = None) -> Plan:
    """Decide what prints: which stretches with which dose, which sections, paper and size."""
    options = options or Options()
    where = client.label or (str(client.source) if client.source else "client")
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

    conditions, planned, allowed = screen(client, planned, library, options, where,
                                          load_conditions(clinic.folder))
    therapist = _therapist(clinic, client.therapist)
    sections = tuple(s for s in SECTIONS if s not in client.leave_out)
    plan = Plan(
        clinic=clinic, client=client, therapist=therapist, stretches=tuple(planned),
        sections=sections, paper=options.paper or clinic.paper,
        large_print=options.large_print or client.large_print, grayscale=options.grayscale,
        date=options.date or client.date or today or _dt.date.today(),
        conditions=conditions, allowed=allowed,
    )
    check_text(plan, load_fonts(clinic.fonts))
    return plan


Allowed = tuple[tuple[str, str, str], ...]  # (stretch, condition, reason)


def screen(client: Client, planned: list[PlannedStretch], library: dict[str, Stretch],
           options: Options, where: str, catalogue: dict[str, Condition]
           ) -> tuple[tuple[Condition, ...], list[PlannedStretch], Allowed]:
    """Check the chosen stretches against the client's conditions.

    A stretch that a condition rules out stops the build (naming the client, the stretch, the
    condition and safe alternatives) unless the therapist allowed it with a reason; cautions
    for the client's conditions are attached to the cards that need them.
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
    chosen = {p.stretch.id for p in planned}
    allowed: list[tuple[str, str, str]] = []
    screened = []
    for item in planned:
        stretch = item.stretch
        for condition in conditions:
            if condition.id not in stretch.rules_out:
                continue
            if stretch.id in options.allow:
                allowed.append((stretch.id, condition.id, options.reason))
                continue
            safe = [s for s in (*condition.suggest, *library) if s in library
                    and s not in chosen and not set(ids) & set(library[s].rules_out)]
            alternatives = ", ".join(list(dict.fromkeys(safe))[:3]) or "none in the library"
            everything = all(set(ids) & set(p.stretch.rules_out) for p in planned)
            lead = ("every chosen stretch is ruled out by this client's conditions; "
                    if everything and len(planned) > 1 else "")
            raise InputError(
                f"{where}: {client.name}: {lead}'{stretch.id}' is not safe with "
                f"{condition.id} ({condition.label}). Suggested instead: {alternatives}. To "
                f"give it anyway: --allow {stretch.id} --reason \"why\".")
        cautions = tuple((c.label, text) for c in conditions for cid, text in
                         stretch.condition_cautions if cid == c.id)
        screened.append(replace(item, cautions=cautions))
    return conditions, screened, tuple(allowed)


def unknown_stretch(sid: str, library: dict[str, Stretch]) -> str:
    """The message for an unknown stretch id, with the nearest id and where to look."""
    import difflib

    close = difflib.get_close_matches(sid, sorted(library), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return (f"unknown stretch '{sid}'; {hint}Valid ids: " + ", ".join(sorted(library))
            + " (see: build-handouts stretches).")


def check_defaults(clinic: Clinic, library: dict[str, Stretch]) -> None:
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


def check_text(plan: Plan, fonts: FontSet) -> None:
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
        for key, value in (("title", s.title), ("purpose", s.purpose), ("start", s.start),
                           ("steps", " ".join(s.steps)), ("cautions", " ".join(s.cautions)),
                           ("gentler", s.gentler), ("caption", s.caption)):
            fields.append((f"{s.source}: '{key}'", value))
    for name, value in fields:
        fonts.check(value, name)


# --- render ----------------------------------------------------------------------------

def section_context(plan: Plan) -> dict[str, Any]:
    """The variables every section template can use (documented in the README)."""
    therapist = plan.therapist
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
                       "purpose": p.stretch.purpose, "dose": dose_text(p.dose),
                       "tags": list(p.stretch.tags)} for p in plan.stretches],
        "stretch_count": len(plan.stretches),
        "next_visit": visit_text(plan.client.next_visit, plan.paper),
        "date": long_date(plan.date, plan.paper),
        "large_print": plan.large_print,
        "sections": list(plan.sections),
    }


_Builder = Callable[[Layout, list[Any]], Story]
SECTION_BUILDERS: dict[str, _Builder] = {
    "key-points": lambda lay, blocks: lay.key_points(blocks),
    "what-is-psoas": lambda lay, blocks: lay.with_picture(blocks, ANATOMY_IMAGE, ANATOMY_CAPTION),
    "why-it-hurts": lambda lay, blocks: lay.blocks(blocks),
    "how-massage-helps": lambda lay, blocks: lay.blocks(blocks),
    "between-visits": lambda lay, blocks: lay.blocks(blocks),
    # The heading and its intro stay with the first card.
    "your-stretches": lambda lay, blocks: [KeepTogether(lay.blocks(blocks, guard=False) + lay.card(
        lay.plan.stretches[0]))] + [
        flowable for item in lay.plan.stretches[1:] for flowable in lay.card(item)],
    "log": lambda lay, blocks: lay.log(blocks),
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
    footer: Callable[[Any, int, int], None]
    later_header: Callable[[Any], None]
    warnings: list[str]


def compose(plan: Plan) -> Composed:
    """Render the sections and build the story and page decorations for one plan."""
    fonts = load_fonts(plan.clinic.fonts)
    theme = make_theme(fonts, plan.clinic.brand_color, plan.paper, plan.large_print,
                       plan.grayscale)
    templates = template_path(plan.clinic.folder)
    images = image_path(plan.clinic.folder)
    warnings: list[str] = []

    def picture_for(name: str | Path, width: float, max_height: float | None) -> Any:
        """A picture by name (clinic images first) or by path (the logo)."""
        path = name if isinstance(name, Path) else images.find_image(name)
        if path is None:
            return None
        return picture(path, fonts, width, max_height, warnings, gray=plan.grayscale)

    layout = Layout(plan, theme, picture_for)
    context = section_context(plan)
    story: Story = layout.header()
    for section in plan.sections:
        source = render_template(templates, f"sections/{section}.md.j2", context)
        blocks = parse_markdown(source, lambda text: markup(text, fonts))
        story += SECTION_BUILDERS[section](layout, blocks)
        if section == "key-points" or (section == plan.sections[0] and
                                       "key-points" not in plan.sections):
            story += layout.client_note()

    client = plan.client
    foot_style = theme.s("footer")
    size = foot_style.fontSize

    def footer(canvas: Any, page: int, total: int) -> None:
        width, _ = theme.page_size
        y = theme.margin
        canvas.saveState()
        canvas.setStrokeColor(theme.colors["rule"])
        canvas.setLineWidth(0.75)
        canvas.line(theme.margin, y + size * 1.45, width - theme.margin, y + size * 1.45)
        canvas.setFillColor(foot_style.textColor)
        right = f"Page {page} of {total}"
        middle = f"For {initials(client.name)}" if initials(client.name) else ""
        _draw(canvas, fonts, right, width - theme.margin, y, size, "right")
        _draw(canvas, fonts, middle, width / 2 + theme.frame_width * 0.12, y, size, "center")
        # The phone number always prints whole; the clinic name gives way if space is short.
        phone = plan.clinic.phone
        room = theme.frame_width * 0.5 - (stringWidth(phone + " · ", fonts.regular, size)
                                          if phone else 0)
        name = fit_text(plan.clinic.name, fonts.regular, size, room)
        _draw(canvas, fonts, " · ".join(x for x in (name, phone) if x), theme.margin, y, size,
              "left")
        canvas.restoreState()

    def later_header(canvas: Any) -> None:
        width, height = theme.page_size
        y = height - theme.margin - size
        text = fit_text(handout_title(client.name), fonts.regular, size, theme.frame_width)
        canvas.saveState()
        canvas.setFillColor(foot_style.textColor)
        _draw(canvas, fonts, text, theme.margin, y, size, "left")
        canvas.setStrokeColor(theme.colors["rule"])
        canvas.setLineWidth(0.75)
        canvas.line(theme.margin, y - size * 0.5, width - theme.margin, y - size * 0.5)
        canvas.restoreState()

    return Composed(plan, story, theme, footer, later_header, warnings)


def render_handout(plan: Plan) -> Rendered:
    """Render a plan to PDF bytes (in memory)."""
    c = compose(plan)
    titles = ", ".join(p.stretch.title for p in plan.stretches)
    pdf, placed = render_pdf(
        c.story, c.theme,
        title=handout_title(plan.client.name),
        author=plan.clinic.name,
        subject=f"Psoas self-care handout with {len(plan.stretches)} stretches: {titles}",
        keywords=["psoas", "self-care", "stretches", "massage"]
        + [p.stretch.id for p in plan.stretches],
        footer=c.footer, later_header=c.later_header)
    pages = max(page for _, page in placed) if placed else 1
    where = tuple((getattr(f, "stretch_id", type(f).__name__), page) for f, page in placed)
    return Rendered(plan, pdf, pages, tuple(c.warnings), where)


def _draw(canvas: Any, fonts: FontSet, text: str, x: float, y: float, size: float,
          align: str) -> None:
    """Draw one line of plain text, in the fallback face if the house face lacks a letter."""
    face = fonts.regular if all(fonts.main_has(c) or c == " " for c in text) else fonts.fallback
    canvas.setFont(face, size)
    {"left": canvas.drawString, "right": canvas.drawRightString,
     "center": canvas.drawCentredString}[align](x, y, text)


# --- whole path --------------------------------------------------------------------------

def default_output(client: Client, date: _dt.date, folder: Path = Path("output"),
                   suffix: str = "") -> Path:
    """``output/<client-slug>-<date>.pdf`` (with ``-<suffix>`` after the slug if given)."""
    slug = slugify(client.name) + (f"-{suffix}" if suffix else "")
    return folder / f"{slug}-{date.isoformat()}.pdf"


def handout_title(client_name: str) -> str:
    """The PDF title, which also tells whose handout a file is."""
    return f"Your psoas: a take-home guide for {client_name}"


def choose_output(rendered: Rendered, folder: Path = Path("output")) -> Path:
    """The default output path; a file there for a *different* client gets a suffixed name.

    Two names can share a slug ("Mary Ann" and "Mary-Ann"); one client's handout must never
    replace another's, so when the slug's file belongs to someone else (its PDF title names
    another client) the name gets a short suffix from a hash of the full name.
    """
    plan = rendered.plan
    path = default_output(plan.client, plan.date, folder)
    if not path.is_file() or _title_of(path) in (None, handout_title(plan.client.name)):
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


def build_handout(clinic: Clinic, client: Client, library: dict[str, Stretch],
                  options: Options | None = None) -> Rendered:
    """Plan and render one handout in memory."""
    return render_handout(plan_handout(clinic, client, library, options))


def write_handout(rendered: Rendered, path: Path, force: bool = False) -> Path:
    """Write a rendered handout atomically (owner-only; no overwrite without ``force``)."""
    return write_atomic(path, rendered.pdf, force=force)
