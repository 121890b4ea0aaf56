"""The typst peer: the same plan typeset by typst (its Python binding), for the benchmarks.

:func:`typst_source` writes the handout as typst markup from the same inputs the product uses
(the section templates and Markdown), in the guide layout's order: the header, the note, the
key points, the stretch cards (picture at 42% with its caption and easier way, steps beside
it), the note on getting down to the floor, the background sections in two columns, the log
(a box per time a day), the safety boxes in two columns with the scope statement, the compact
contact block. The same words, the same embedded fonts (Atkinson Hyperlegible with Roboto as the
fallback), the pictures as the same SVG files, the QR code as an SVG of the same modules, drawn
tick boxes and warning signs, tinted boxes, a header band, footers with "Page X of Y" and the
running header. Headings become bookmarks and links stay links; the PDF is typst's default
(tagged). Every client text goes into typst as a string (``#"..."``), never as markup.
"""

from __future__ import annotations

import datetime as _dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

from canvas_parts import runs  # the bench folder is on sys.path

from handouts.build import (
    ANATOMY_IMAGE,
    BACKGROUND,
    section_context,
)
from handouts.closing import contact_lines
from handouts.fonts import FontSet, builtin_fonts, load_fonts
from handouts.language import dose_text, load_language, plan_language, template_search
from handouts.marks import qr_modules
from handouts.models import Plan
from handouts.renderer import handout_title
from handouts.resources import image_path
from handouts.styles import BODY_SIZE, LARGE_BODY_SIZE, PALETTE
from handouts.templating import Block, parse_markdown, render_template
from handouts.text import initials, markup
from handouts.ticklog import LOG_DAYS, TWO_WEEKS_FROM

# The bench peers print the English handout: its words from the English language files.
ANATOMY_CAPTION = load_language().text("anatomy.caption")
PAGE_LABEL = load_language().strings["footer.page"]



def available() -> str:
    """Empty when typst's Python binding can be used here, else why not."""
    try:
        import typst  # noqa: F401
    except ImportError as exc:
        return f"the typst Python binding is not installed ({exc}); pip install '.[bench]'"
    return ""


def s(text: str) -> str:
    """A typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def content(text_markup: str, fonts: FontSet) -> str:
    """Reportlab paragraph markup as typst markup: every text run a string expression."""
    out = []
    for run in runs(text_markup, fonts):
        if run.text == "\n":
            out.append("#linebreak()")
            continue
        expr = s(run.text)
        if run.font in (fonts.bold, fonts.bolditalic):
            expr = f"strong({expr})"
        if run.font in (fonts.italic, fonts.bolditalic):
            expr = f"emph({expr})"
        if run.href:
            expr = f"link({s(run.href)}, underline({expr}))"
        out.append("#" + expr)
    return "".join(out)


def blocks(items: list[Block], fonts: FontSet, heading: str = "section") -> str:
    """Markdown blocks as typst: section headings (bookmarked), paragraphs, lists."""
    out = []
    for b in items:
        if b.kind in ("h1", "h2") and heading == "section":
            out.append(f"#heading(level: 1)[{content(b.items[0], fonts)}]")
        elif b.kind.startswith("h"):
            out.append(f"#block(below: 0.5em, text(weight: \"bold\", size: 1.08em)"
                       f"[{content(b.items[0], fonts)}])")
        elif b.kind == "p":
            out.append(f"#par[{content(b.items[0], fonts)}]")
        else:
            fn = "enum" if b.kind == "ol" else "list"
            out.append(f"#{fn}(" + ", ".join(f"[{content(i, fonts)}]" for i in b.items) + ")")
    return "\n".join(out)


PREAMBLE = """
#let brand = rgb({brand})
#let tint = brand.lighten(88%)
#let ink = rgb("{ink}")
#let muted = rgb("{muted}")
#let rule = rgb("{rule}")
#set document(title: {title}, author: {author}, keywords: ({keywords}))
#set text(font: ("Atkinson Hyperlegible", "Roboto"), size: {size}pt, fill: ink, lang: "en",
          region: "US")
#set par(leading: 0.5em, spacing: 0.7em)
#show heading.where(level: 1): it => block(above: 1.1em, below: 0.5em, breakable: false,
  text(size: 1.3em, fill: brand.darken(30%), it.body))
#show heading.where(level: 2): it => text(size: 1.2em, fill: brand.darken(30%), it.body)
#let panel(body, fill: tint, edge: brand, width: 100%) = block(width: width, fill: fill,
  stroke: (left: 4pt + edge), inset: (x: 10pt, y: 7pt), breakable: false, body)
#let sign = box(width: 17pt, height: 17pt, {{
  place(polygon(fill: rgb("{caution_edge}"), (8.5pt, 0pt), (17pt, 15.6pt), (0pt, 15.6pt)))
  place(dx: 7.6pt, dy: 4.4pt, rect(width: 1.7pt, height: 6.1pt, fill: white, radius: 0.6pt))
  place(dx: 7.5pt, dy: 11.7pt, circle(radius: 1pt, fill: white))
}})
#let tick(s) = box(width: s, height: s, stroke: 1.2pt + ink, radius: s * 0.15)
#set page(paper: "{paper}", margin: (x: 43.2pt, top: 43.2pt, bottom: 70pt),
  header: context if here().page() > 1 [
    #text(size: 0.95em, fill: muted, {title}) #v(-0.6em) #line(length: 100%, stroke: 0.75pt + rule)
  ],
  footer: context [
    #line(length: 100%, stroke: 0.75pt + rule) #v(-0.4em)
    #set text(size: 0.95em, fill: muted)
    #grid(columns: (1fr, auto, 1fr), {footer_left}, {footer_middle},
      align(right, {page_label}))
  ])
"""


def typst_source(plan: Plan, files: Path) -> str:
    """The handout for ``plan`` as a typst document; pictures are read from ``files``."""
    fonts = load_fonts(plan.clinic.fonts)
    clinic, client = plan.clinic, plan.client
    templates = template_search(plan.language, clinic.folder)
    context = section_context(plan)
    who = initials(client.name)
    page_label = PAGE_LABEL.replace("{page}", '" + str(here().page()) + "').replace(
        "{total}", '" + str(counter(page).final().first()) + "')
    out = [PREAMBLE.format(
        brand=s(clinic.brand_color), ink=PALETTE["ink"], muted=PALETTE["muted"],
        rule=PALETTE["rule"], caution_edge=PALETTE["caution_edge"],
        title=s(handout_title(client.name)), author=s(clinic.name),
        keywords=", ".join(s(k) for k in ["psoas", "self-care", "stretches", "massage"]
                           + [p.stretch.id for p in plan.stretches]) + ",",
        size=LARGE_BODY_SIZE if plan.large_print else BODY_SIZE,
        paper="us-letter" if plan.paper == "letter" else "a4",
        footer_left=s(" · ".join(x for x in (clinic.name, clinic.phone) if x)),
        footer_middle=s(f"For {who}" if who else ""),
        page_label='("' + page_label + '")')]
    m = lambda text: content(markup(text, fonts), fonts)  # noqa: E731
    rows = [("For", client.name), ("Date", plan_language(plan).long_date(plan.date, False))]
    if plan.therapist is not None:
        rows.append(("From", plan.therapist.signature))
    if client.next_visit:
        rows.append(("Next visit", plan_language(plan).visit_text(client.next_visit)))
    left = [f"#text(size: 0.95em, weight: \"bold\")[{m(clinic.name)}]",
            f"#text(size: 1.62em, weight: \"bold\", fill: brand.darken(30%))"
            f"[{m('Your psoas: a take-home guide')}]"]
    if plan.event:
        left.append(f"#text(size: 0.95em, weight: \"bold\")[{m(plan.event)}]")
    if clinic.sample:
        left.append("#text(size: 0.95em)[" + m("Sample clinic details. Run “build-handouts "
                                               "init” to set up your own.") + "]")
    right = f"{33 if not plan.large_print else 45}%"
    out.append(
        "#block(width: 100%, fill: tint, stroke: (bottom: 3pt + brand), inset: 10pt, grid("
        f"columns: (1fr, {right}), align: horizon, [" + " \\ ".join(left)
        + "], [#set text(size: 0.95em)\n"
        + " \\ ".join(f"#strong({s(k + ':')}) {m(v)}" for k, v in rows) + "]))")
    out.append(note(plan, m))

    def parsed(name: str) -> list[Block]:
        source = render_template(templates, f"sections/{name}.md.j2", context)
        return parse_markdown(source, lambda text: markup(text, fonts))

    held: list[str] = []  # the background sections, set in two columns at the normal size
    scope_printed = False
    for section in plan.sections:
        items = parsed(section)
        if section in BACKGROUND:
            held.append(background(section, items, fonts, m, plan.large_print))
            continue
        if held:
            out.append(columns(held, plan.large_print))
            held = []
        if section == "key-points":
            out.append("#panel[" + blocks(items, fonts, "box") + "]")
        elif section == "your-stretches":
            out.append(blocks(items, fonts))
            out += [card(plan, n, fonts, m) for n in range(len(plan.stretches))]
            if context["floor_cards"]:
                out.append("#panel[" + blocks(parsed("floor"), fonts, "box") + "]")
        elif section == "log":
            out.append(blocks(items, fonts) + "\n" + log(plan, m))
        elif section == "safety":
            text, scope_printed = safety(items, fonts, m, scope(plan))
            out.append(text)
        elif section == "contact":
            out.append("#block(breakable: false)[" + blocks(items, fonts) + contact(plan, m)
                       + ("" if scope_printed else f" #par[{m(scope(plan))}]") + "]")
    if held:
        out.append(columns(held, plan.large_print))
    return "\n\n".join(out) + "\n"


def background(section: str, items: list[Block], fonts: FontSet, m: Any, large: bool) -> str:
    """One background section; what the psoas is gets the anatomy picture (beside the text
    in large print, under the heading in a column)."""
    if section != "what-is-psoas":
        return blocks(items, fonts)
    figure = (f"#image({s('/' + ANATOMY_IMAGE + '.svg')}, width: {'100' if large else '80'}%) "
              f"#text(size: 0.95em, fill: muted)[{m(ANATOMY_CAPTION)}]")
    if not large:
        return blocks(items[:1], fonts) + f"\n#block[{figure}]\n" + blocks(items[1:], fonts)
    split = next((i for i, b in enumerate(items) if b.kind in ("ul", "ol")), len(items))
    if split and items[split - 1].items[0].rstrip().endswith(":"):
        split -= 1
    return (blocks(items[:1], fonts) + f"\n#grid(columns: (1fr, 40%), gutter: 18pt, "
            f"[{blocks(items[1:split], fonts)}], [{figure}])\n#block(breakable: false)["
            + blocks(items[split:], fonts) + "]")


def columns(sections: list[str], large: bool) -> str:
    """The background sections: two columns at the normal size, one in large print."""
    body = "\n".join(sections)
    return body if large else f"#columns(2, gutter: 15.6pt)[{body}]"


def log(plan: Plan, m: Any) -> str:
    """The tick log: a box per time a day, days from the handout date, two weeks when the
    next visit is 10 or more days away."""
    try:
        visit = _dt.date.fromisoformat(plan.client.next_visit)
        weeks = 2 if (visit - plan.date).days >= TWO_WEEKS_FROM else 1
    except ValueError:
        weeks = 1
    dates = [plan.date + _dt.timedelta(days=i) for i in range(LOG_DAYS * weeks)]
    body = LARGE_BODY_SIZE if plan.large_print else BODY_SIZE
    boxes = max(p.dose.per_day for p in plan.stretches)
    size = min(body * (1.05 if weeks > 1 or boxes > 1 else 1.3), 14.0 if boxes > 1 else 17.0)
    day_w = max(size * (1.5 * boxes + 0.4), body * 3.0)  # the product's sizes
    out = []
    for week in range(0, len(dates), 7):
        cells = ["[*Stretch*]"] + [f"[#strong({s(d.strftime('%a'))})]"
                                   for d in dates[week:week + 7]]
        for p in plan.stretches:
            ticks = "[" + f"#h({size * 0.5}pt)".join([f"#tick({size}pt)"] * p.dose.per_day) + "]"
            cells += [f"[{m(f'{p.number}. {p.stretch.title}')}]"] + [ticks] * 7
        out.append(f"#table(columns: (1fr,) + ({day_w}pt,) * 7, inset: (x: 2pt, y: 4pt), "
                   "align: (left + horizon,) + (center + horizon,) * 7, stroke: (x, y) => "
                   "(bottom: if y == 0 "
                   "{1.5pt + brand} else {0.5pt + rule}), " + ", ".join(cells) + ")")
    return "\n".join(out)


def safety(items: list[Block], fonts: FontSet, m: Any, scope_text: str) -> tuple[str, bool]:
    """The safety boxes in two columns (the emergency box on the right, with the scope
    statement under it when the boxes are odd in number); whether the scope was printed."""
    groups: list[list[Block]] = []
    head: list[Block] = []
    rest: list[Block] = []
    for b in items:
        if b.kind == "h3":
            groups.append([b])
        elif groups and (b.kind in ("ul", "ol") and len(groups[-1]) < 3
                         or b.kind == "p" and len(groups[-1]) == 1):
            groups[-1].append(b)
        elif groups:
            rest.append(b)
        else:
            head.append(b)
    fills = [('rgb("' + PALETTE["caution_fill"] + '")', 'rgb("' + PALETTE["caution_edge"] + '")'),
             ('rgb("' + PALETTE["help_fill"] + '")', 'rgb("' + PALETTE["help_edge"] + '")')]
    stacks: list[list[str]] = [[], []]
    for n, g in enumerate(groups):
        fill, edge = fills[1] if n == 1 else fills[0]
        stacks[n % 2].append(f"#panel(fill: {fill}, edge: {edge})[" + blocks(g, fonts, "box")
                             + "]")
    printed = len(groups) % 2 == 1
    if printed:
        stacks[1].append(f"#par[{m(scope_text)}]")
    grid = "#grid(columns: (1fr, 1fr), gutter: 14pt, " + ", ".join(
        "[" + "\n".join(col) + "]" for col in stacks) + ")"
    return ("#block(breakable: false)[" + blocks(head, fonts) + "\n" + grid + "\n"
            + blocks(rest, fonts) + "]"), printed


def scope(plan: Plan) -> str:
    """The self-care scope statement and the clinic's disclaimer."""
    text = ("These are self-care ideas from your massage therapist. They are not medical "
            "advice, and they do not replace care from your doctor.")
    return text + (" " + plan.clinic.disclaimer if plan.clinic.disclaimer else "")


def note(plan: Plan, m: Any) -> str:
    """The therapist's note box (empty when there is no note)."""
    if not plan.client.note:
        return ""
    who = plan.therapist.name if plan.therapist else "your therapist"
    lines = " #linebreak() ".join(m(line) for line in plan.client.note.split("\n"))
    return f"#panel[#strong[{m(f'A note from {who}')}] \\ {lines}]"


def card(plan: Plan, n: int, fonts: FontSet, m: Any) -> str:
    """One stretch card, never split: the title; the picture (42% of the card) with its caption
    and the easier way beside the purpose, start, needs, steps and dose; cautions below. In
    large print the steps run full width under the picture."""
    item = plan.stretches[n]
    st = item.stretch
    title = f"{item.number}. {st.title}"
    large = plan.large_print
    steps = "#enum(" + ", ".join(f"[{m(x)}]" for x in st.steps) + ")"
    lead = f"{m(st.purpose)} \\ #strong({s('Start:')}) {m(st.start)}"
    if st.needs:
        lead += f" \\ #strong({s('You need:')}) {m(', '.join(st.needs) + '.')}"
    dose = f"#strong[{m(dose_text(item.dose))}]"
    easier = f"#strong({s('Easier way:')}) {m(st.gentler)}" if st.gentler else ""
    body = f"#heading(level: 2)[{m(title)}] \\ "
    if st.image:
        left = (f"#image({s('/' + st.image + '.svg')}, width: 100%) #text(size: 0.95em, "
                f"fill: muted)[{m(st.caption)}" + ("" if large else f" #parbreak() {easier}")
                + "]")
        right = lead if large else f"{lead} {steps} {dose}"
        body += f"#grid(columns: (42%, 1fr), gutter: 7pt, [{left}], [{right}])"
        if large:
            body += f" {steps} {dose} #parbreak() {easier}"
    else:
        body += f"{lead} {steps} {dose} #parbreak() {easier}"
    if item.note:
        who = plan.therapist.name if plan.therapist else "your therapist"
        body += f" #parbreak() #strong({s(f'Note from {who}:')}) {m(item.note)}"
    cautions = [*st.cautions, *(f"Because of your {label}: {text}"
                                for label, text in item.cautions)]
    if cautions:
        body += (f" #panel(fill: rgb(\"{PALETTE['caution_fill']}\"), edge: rgb(\""
                 f"{PALETTE['caution_edge']}\"))[#grid(columns: (28pt, 1fr), sign, [#strong("
                 f"{s('Take care:')}) " + " ".join(m(c) for c in cautions) + "])]")
    return (f"#block(width: 100%, stroke: 1pt + rule, radius: 6pt, inset: 8pt, "
            f"breakable: false)[{body}]")


def contact(plan: Plan, m: Any) -> str:
    """Where the clinic is and how to reach it (links) side by side, the booking QR code at
    the right, in a box."""
    clinic = plan.clinic
    where, reach = contact_lines(
        plan, m, bold=lambda text: f"#strong[{text}]", line_break=" #linebreak() ",
        linked=lambda href, shown: f"#link({s(href)}, underline({s(shown)}))")
    size = 108 if plan.large_print else 72
    qr = (f"[#image(\"/qr.svg\", width: {size}pt) #text(size: 0.95em)[{m('Scan to book')}]]"
          if clinic.booking_url else "[]")
    if plan.large_print:
        cells = f"[{' #parbreak() '.join(where + reach)}], {qr}"
        cols = f"(1fr, {size + 8}pt)"
    else:
        cells = f"[{' #parbreak() '.join(where)}], [{' #parbreak() '.join(reach)}], {qr}"
        cols = f"(45fr, 55fr, {size + 8}pt)"
    return f"#panel[#grid(columns: {cols}, gutter: 7pt, {cells})]"


def qr_svg(url: str) -> str:
    """The booking URL's QR code as one SVG path (the product's modules and quiet zone)."""
    modules = qr_modules(url)
    n = len(modules) + 8
    path = []
    for r, row in enumerate(modules):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.append(f"M{start + 4} {r + 4}h{c - start}v1h{start - c}z")
            else:
                c += 1
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{n}" height="{n}" '
            f'viewBox="0 0 {n} {n}"><path d="{"".join(path)}" fill="#000"/></svg>')


class TypstPeer:
    """A warm typst compiler (fonts loaded once, as the product's renderer keeps its own)."""

    def __init__(self, plan: Plan):
        import typst

        self.folder = Path(tempfile.mkdtemp(prefix="bench-typst-"))
        images = image_path(plan.clinic.folder)
        for item in [ANATOMY_IMAGE, *(p.stretch.image for p in plan.stretches if p.stretch.image)]:
            found = images.find_image(item)
            if found is not None:
                shutil.copyfile(found, self.folder / f"{item}.svg")
        if plan.clinic.booking_url:
            (self.folder / "qr.svg").write_text(qr_svg(plan.clinic.booking_url))
        paths = builtin_fonts()
        self.compiler = typst.Compiler(root=str(self.folder), ignore_system_fonts=True,
                                       font_paths=[str(paths["regular"].parent),
                                                   str(paths["fallback"].parent)])

    def render(self, plan: Plan) -> bytes:
        """The plan's handout, typeset by typst: PDF bytes (tagged, typst's default)."""
        source = typst_source(plan, self.folder)
        pdf = self.compiler.compile(input=source.encode("utf-8"), format="pdf")
        assert isinstance(pdf, bytes)
        return pdf

    def close(self) -> None:
        """Remove the picture folder."""
        shutil.rmtree(self.folder, ignore_errors=True)
