"""The typst peer: the same plan typeset by typst (its Python binding), for the benchmarks.

:func:`typst_source` writes the handout as typst markup from the same inputs the product uses
(the section templates and Markdown, the stretch cards, the log, the safety boxes, the contact
block): the same words, the same embedded fonts (Atkinson Hyperlegible with Roboto as the
fallback), the pictures as the same SVG files, the QR code as an SVG of the same modules, drawn
tick boxes and warning signs, tinted boxes, a header band, footers with "Page X of Y" and the
running header. Headings become bookmarks and links stay links; the PDF is typst's default
(tagged). Every client text goes into typst as a string (``#"..."``), never as markup.
"""

from __future__ import annotations

import datetime as _dt
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from canvas_parts import runs  # the bench folder is on sys.path

from handouts.build import ANATOMY_CAPTION, ANATOMY_IMAGE, dose_text, section_context
from handouts.fonts import FontSet, builtin_fonts, load_fonts
from handouts.layout import qr_modules, tel
from handouts.models import Plan
from handouts.renderer import PAGE_LABEL, handout_title
from handouts.resources import image_path, template_path
from handouts.styles import BODY_SIZE, LARGE_BODY_SIZE, PALETTE
from handouts.templating import Block, parse_markdown, render_template
from handouts.text import initials, long_date, markup, visit_text


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
#let tick = box(width: 17pt, height: 17pt, stroke: 1.2pt + ink, radius: 2.5pt)
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
    templates = template_path(clinic.folder)
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
    rows = [("For", client.name), ("Date", long_date(plan.date, plan.paper, False))]
    if plan.therapist is not None:
        rows.append(("From", plan.therapist.signature))
    if client.next_visit:
        rows.append(("Next visit", visit_text(client.next_visit, plan.paper)))
    sample = ("#text(size: 0.95em)[" + m("Sample clinic details. Run “build-handouts init” to "
                                         "set up your own.") + "]") if clinic.sample else ""
    out.append(
        "#block(width: 100%, fill: tint, stroke: (bottom: 3pt + brand), inset: 10pt, grid("
        "columns: (1fr, 38%), align: horizon, [#text(size: 0.95em, weight: \"bold\")["
        + m(clinic.name) + "] \\ #text(size: 1.62em, weight: \"bold\", fill: brand.darken(30%))["
        + m("Your psoas: a take-home guide") + "] \\ " + sample + "], [#set text(size: 0.95em)\n"
        + " \\ ".join(f"#strong({s(k + ':')}) {m(v)}" for k, v in rows) + "]))")
    for section in plan.sections:
        source = render_template(templates, f"sections/{section}.md.j2", context)
        items = parse_markdown(source, lambda text: markup(text, fonts))
        if section == "key-points":
            out.append("#panel[" + blocks(items, fonts, "box") + "]")
        elif section == "what-is-psoas":
            split = next((i for i, b in enumerate(items) if b.kind in ("ul", "ol")),
                         len(items))
            if split and items[split - 1].items[0].rstrip().endswith(":"):
                split -= 1
            out.append(blocks(items[:1], fonts))
            out.append(f"#grid(columns: (1fr, 34%), gutter: 13pt, [{blocks(items[1:split], fonts)}"
                       f"], [#image({s('/' + ANATOMY_IMAGE + '.svg')}, width: 100%) "
                       f"#text(size: 0.95em, fill: muted)[{m(ANATOMY_CAPTION)}]])")
            out.append("#block(breakable: false)[" + blocks(items[split:], fonts) + "]")
        elif section == "your-stretches":
            out.append(blocks(items, fonts))
            out += [card(plan, n, fonts, m) for n in range(len(plan.stretches))]
        elif section == "log":
            days = [(plan.date + _dt.timedelta(days=i)).strftime("%a") for i in range(7)]
            cells = ["[*Stretch*]"] + [f"[#strong({s(d)})]" for d in days]
            for p in plan.stretches:
                cells += [f"[{m(f'{p.number}. {p.stretch.title}')}]"] + ["tick"] * 7
            out.append(blocks(items, fonts))
            out.append("#table(columns: (1fr,) + (42pt,) * 7, align: (left + horizon,) + "
                       "(center + horizon,) * 7, stroke: (x, y) => (bottom: if y == 0 "
                       "{1.5pt + brand} else {0.5pt + rule}), " + ", ".join(cells) + ")")
        elif section == "safety":
            groups: list[list[Block]] = []
            head: list[Block] = []
            rest: list[Block] = []
            for b in items:
                if b.kind == "h3":
                    groups.append([b])
                elif groups and len(groups[-1]) < 2:
                    groups[-1].append(b)
                elif groups:
                    rest.append(b)
                else:
                    head.append(b)
            fills = [('rgb("' + PALETTE["caution_fill"] + '")',
                      'rgb("' + PALETTE["caution_edge"] + '")'),
                     ('rgb("' + PALETTE["help_fill"] + '")', 'rgb("' + PALETTE["help_edge"]
                      + '")')]
            boxes = [f"panel(fill: {fills[min(n, 1)][0]}, edge: {fills[min(n, 1)][1]})["
                     + blocks(g, fonts, "box") + "]" for n, g in enumerate(groups)]
            out.append("#block(breakable: false)[" + blocks(head, fonts) + "\n#grid(columns: "
                       f"(1fr,) * {len(boxes)}, gutter: 14pt, " + ", ".join(boxes) + ")\n"
                       + blocks(rest, fonts) + "]")
        elif section == "contact":
            out.append("#block(breakable: false)[" + blocks(items, fonts) + contact(plan, m)
                       + "]")
        else:
            out.append(blocks(items, fonts))
        if section == "key-points" or (section == plan.sections[0]
                                       and "key-points" not in plan.sections):
            out.append(note(plan, m))
    return "\n\n".join(out) + "\n"


def note(plan: Plan, m: Any) -> str:
    """The therapist's note box (empty when there is no note)."""
    if not plan.client.note:
        return ""
    who = plan.therapist.name if plan.therapist else "your therapist"
    lines = " #linebreak() ".join(m(line) for line in plan.client.note.split("\n"))
    return f"#panel[#strong[{m(f'A note from {who}')}] \\ {lines}]"


def card(plan: Plan, n: int, fonts: FontSet, m: Any) -> str:
    """One stretch card, never split: picture and caption left, steps right, cautions below."""
    item = plan.stretches[n]
    st = item.stretch
    title = f"{item.number}. {st.title}"
    steps = "#enum(" + ", ".join(f"[{m(x)}]" for x in st.steps) + ")"
    right = (f"#heading(level: 2)[{m(title)}] \\ {m(st.purpose)} \\ #strong({s('Start:')}) "
             f"{m(st.start)} {steps} #strong[{m(dose_text(item.dose))}]")
    easier = f"#strong({s('Easier way:')}) {m(st.gentler)}" if st.gentler else ""
    if st.image:
        left = (f"#image({s('/' + st.image + '.svg')}, width: 100%) #text(size: 0.95em, "
                f"fill: muted)[{m(st.caption)} #parbreak() {easier}]")
        body = f"#grid(columns: (32%, 1fr), gutter: 7pt, [{left}], [{right}])"
    else:
        body = right + " #parbreak() " + easier
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
    """The clinic's details with links and the booking QR code, in a box."""
    clinic = plan.clinic
    lines = [f"#strong[{m(clinic.name)}]"]
    if clinic.address:
        lines.append(" #linebreak() ".join(m(x) for x in clinic.address.split("\n") if x))
    if clinic.phone:
        lines.append(f"{m('Phone:')} #link({s('tel:' + tel(clinic.phone))}, "
                     f"underline({s(clinic.phone)}))")
    if clinic.email:
        lines.append(f"{m('Email:')} #link({s('mailto:' + clinic.email)}, "
                     f"underline({s(clinic.email)}))")
    if clinic.website:
        shown = re.sub(r"^https?://", "", clinic.website).rstrip("/")
        lines.append(f"{m('Website:')} #link({s(clinic.website)}, underline({s(shown)}))")
    if plan.therapist is not None:
        th = plan.therapist
        extra = f" · license {th.license}" if th.license else ""
        lines.append(m(f"Your therapist: {th.signature}{extra}"))
    if clinic.booking_url:
        lines.append(f"{m('Book online:')} #link({s(clinic.booking_url)}, "
                     f"underline({s(clinic.booking_url)}))")
    details = " #parbreak() ".join(lines)
    scope = ("These are self-care ideas from your massage therapist. They are not medical "
             "advice, and they do not replace care from your doctor.")
    if clinic.disclaimer:
        scope += " " + clinic.disclaimer
    qr = (f"[#image(\"/qr.svg\", width: 90pt) #text(size: 0.95em)[{m('Scan to book')}]]"
          if clinic.booking_url else "[]")
    return (f"#panel[#grid(columns: (1fr, 100pt), [{details}], {qr})] #par[{m(scope)}]")


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
