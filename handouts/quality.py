"""The quality report: a handout measured against the published standards for patient
materials (shared/design/handout-standards.md), on the real text and the real PDF.

Every check has an id, a status (pass, warn or fail), the measured value and the target. The
report holds no time stamps, so the same input gives the same report.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build import Rendered, section_context
from .errors import HandoutError, InputError
from .fonts import load_fonts
from .language import DEFAULT_LANGUAGE, Language, dose_text, load_language, plan_language
from .language import template_search as _search
from .models import Plan
from .readability import INFLESZ_EASY, inflesz, score
from .styles import LARGE_BODY_SIZE, MIN_SIZE, contrast, make_theme
from .templating import parse_markdown, render_template

PRODUCER = "psoas-handouts"
MAX_GRADE = 6.0
MAX_MEAN_SENTENCE = 15.0
MAX_LIST = 7
MAX_STRETCHES = 5


@dataclass
class Report:
    """Checks with their outcomes, plus the measures behind them."""

    subject: str
    checks: list[dict[str, Any]] = field(default_factory=list)
    reading_grade: dict[str, float] = field(default_factory=dict)
    sentences: dict[str, dict[str, float]] = field(default_factory=dict)
    pemat: dict[str, Any] = field(default_factory=dict)
    allowed: list[dict[str, str]] = field(default_factory=list)
    inflesz: dict[str, float] = field(default_factory=dict)  # Spanish: per section and card
    language: str = DEFAULT_LANGUAGE
    review: list[dict[str, str]] = field(default_factory=list)  # each language file used

    def add(self, cid: str, ok: bool, value: Any, target: str, warn_only: bool = False,
            detail: str = "") -> None:
        """Record one check."""
        status = "pass" if ok else ("warn" if warn_only else "fail")
        self.checks.append({"id": cid, "status": status, "value": value, "target": target,
                            "detail": detail})

    @property
    def failures(self) -> int:
        """How many checks failed."""
        return sum(c["status"] == "fail" for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (for --json)."""
        return {"subject": self.subject, "failures": self.failures,
                "warnings": sum(c["status"] == "warn" for c in self.checks),
                "checks": self.checks, "reading_grade": self.reading_grade,
                "sentences": self.sentences, "pemat": self.pemat, "allowed": self.allowed,
                "inflesz": self.inflesz, "language": self.language, "review": self.review}

    def summary(self) -> str:
        """A short human summary: failures and warnings first."""
        order = {"fail": 0, "warn": 1, "pass": 2}
        lines = [f"{self.subject}: {self.failures} failed, "
                 f"{sum(c['status'] == 'warn' for c in self.checks)} warnings, "
                 f"{sum(c['status'] == 'pass' for c in self.checks)} passed"]
        for check in sorted(self.checks, key=lambda c: order[c["status"]]):
            # draft language files: one warning line each from the command, for all reports
            if check["status"] != "pass" and not check["id"].startswith("review:"):
                detail = f" - {check['detail']}" if check["detail"] else ""
                lines.append(f"  {check['status'].upper()} {check['id']}: {check['value']} "
                             f"(target {check['target']}){detail}")
        if self.reading_grade:
            worst = max(self.reading_grade.items(), key=lambda kv: kv[1])
            lines.append(f"  reading grade: worst {worst[1]} ({worst[0]})")
        if self.inflesz:
            low = min(self.inflesz.items(), key=lambda kv: kv[1])
            lines.append(f"  INFLESZ: lowest {low[1]} ({low[0]})")
        if self.pemat:
            lines.append(f"  PEMAT pre-check: {self.pemat['met']} of "
                         f"{self.pemat['applicable']} items met")
        for decision in self.allowed:
            lines.append(f"  ALLOWED {decision['stretch']} despite {decision['condition']}: "
                         f"{decision['reason']}")
        return "\n".join(lines)


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def uncovered(texts: list[str], fonts: Any) -> list[str]:
    """Characters in ``texts`` that neither the house face nor the fallback face can draw."""
    return sorted({c for text in texts for c in text
                   if not c.isspace() and not fonts.can_print(c)})


def bold_texts(pdf: bytes) -> list[str]:
    """Every text run the PDF sets in a bold face (read back with pypdf)."""
    from pypdf import PdfReader

    found: list[str] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        name = str((font or {}).get("/BaseFont", "")) if hasattr(font, "get") else ""
        if text.strip() and "bold" in name.lower():
            found.append(text.strip())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return found


def _plain(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup).replace("&amp;", "&").replace("&lt;", "<") \
        .replace("&gt;", ">")


def text_checks(plan: Plan, report: Report) -> dict[str, list[str]]:
    """Reading grade per section and per stretch (English: Flesch–Kincaid; Spanish: the
    INFLESZ scale); sentence and list lengths. Returns the scored text."""
    search = _search(plan.language, plan.clinic.folder)
    context = section_context(plan)
    scored: dict[str, list[str]] = {}
    longest_list = 0
    for section in plan.sections:
        blocks = parse_markdown(render_template(search, f"sections/{section}.md.j2", context),
                                lambda t: t)
        units = [_plain(item) for b in blocks if not b.kind.startswith("h") for item in b.items]
        scored[section] = units
        longest_list = max([longest_list] + [len(b.items) for b in blocks
                                             if b.kind in ("ul", "ol")])
    for item in plan.stretches:
        s = item.stretch
        scored[f"stretch:{s.id}"] = [s.purpose, s.start, *s.steps, *s.cautions, s.gentler]
        longest_list = max(longest_list, len(s.steps))
    for name, units in scored.items():
        if not units:
            continue
        result = score(units)
        report.sentences[name] = {"mean": result.mean_sentence,
                                  "longest": result.longest_sentence}
        if plan.language == "en":  # Flesch–Kincaid is made for English only
            report.reading_grade[name] = result.grade
            report.add(f"reading_grade:{name}", result.grade <= MAX_GRADE, result.grade,
                       f"<= {MAX_GRADE:g}")
        elif plan.language == "es":
            measured = inflesz(units)
            report.inflesz[name] = measured.score
            report.add(f"inflesz:{name}", measured.score >= INFLESZ_EASY, measured.score,
                       f">= {INFLESZ_EASY:g} (bastante fácil)", detail=measured.band)
        report.add(f"sentence_length:{name}", result.mean_sentence <= MAX_MEAN_SENTENCE,
                   result.mean_sentence, f"mean <= {MAX_MEAN_SENTENCE:g} words")
    report.add("longest_list", longest_list <= MAX_LIST, longest_list, f"<= {MAX_LIST} items")
    return scored


def plan_checks(plan: Plan, rendered: Rendered, report: Report) -> None:
    """Checks on the choices: stretch count, doses, pictures, cards per page, contact."""
    count = len(plan.stretches)
    words = plan_language(plan)
    report.add("stretch_count", count <= MAX_STRETCHES, count, f"<= {MAX_STRETCHES}",
               warn_only=True, detail="fewer stretches are followed better")
    printed = " ".join(_pdf_text(rendered.pdf).split())
    for item in plan.stretches:
        s, d = item.stretch, item.dose
        # What the card prints, read back from the PDF, must be the planned dose, and the
        # planned dose must lie within the range the stretch's definition allows.
        line = " ".join(dose_text(d, words).split())  # no-break spaces read back as spaces
        in_range = (s.hold_range[0] <= d.hold_seconds <= s.hold_range[1]
                    and s.reps_range[0] <= d.reps <= s.reps_range[1])
        report.add(f"dose:{s.id}", in_range and line in printed, line if line in printed
                   else "not printed", f"printed, hold {s.hold_range[0]}-{s.hold_range[1]} s, "
                   f"{s.reps_range[0]}-{s.reps_range[1]} times")
        captioned = captioned_pictures(plan, printed)
        report.add(f"picture:{s.id}", s.id in captioned, bool(s.image),
                   "a captioned picture beside the steps",
                   detail="" if s.id in captioned or not s.image else "no caption printed")
    per_page = Counter(page for name, page in rendered.placed
                       if name in {p.stretch.id for p in plan.stretches})
    most = 4 if plan.layout == "sheet" else 3  # a sheet's card side holds two rows of two
    report.add("cards_per_page", max(per_page.values(), default=0) <= most,
               max(per_page.values(), default=0), f"<= {most}")
    clinic = plan.clinic
    report.add("contact_block", bool(clinic.phone or clinic.email), bool(clinic.phone or
                                                                          clinic.email),
               "a phone number or email address")
    for condition_stretch in plan.allowed:
        stretch, condition, reason = condition_stretch
        report.allowed.append({"stretch": stretch, "condition": condition, "reason": reason})


def captioned_pictures(plan: Plan, printed: str) -> set[str]:
    """The stretches whose card prints a picture with its caption: the caption is read back
    from the PDF's text (``printed``, its spaces folded), as a sheet may leave it out."""
    return {p.stretch.id for p in plan.stretches if p.stretch.image and p.stretch.caption
            and " ".join(_plain(p.stretch.caption).split()) in printed}


def style_checks(plan: Plan, report: Report) -> None:
    """Line length, leading and text contrast of each paragraph style."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    theme = make_theme(load_fonts(plan.clinic.fonts), plan.clinic.brand_color, plan.paper,
                       plan.large_print, plan.grayscale)
    sample = "The psoas is a deep muscle. It runs from your low back to your thigh bone."
    white = theme.colors["paper"]
    tint = theme.colors["tint"]
    for name in ("body", "card", "box", "caption", "footer"):
        st = theme.s(name)
        width = theme.frame_width - st.rightIndent - st.leftIndent
        if name == "card":
            width = width * 0.68
        chars = width / (stringWidth(sample, st.fontName, st.fontSize) / len(sample))
        ratio = min(contrast(st.textColor, white), contrast(st.textColor, tint))
        report.add(f"contrast:{name}", ratio >= 4.5, round(ratio, 1), ">= 4.5 (7 preferred)")
        report.add(f"leading:{name}", 1.2 <= st.leading / st.fontSize <= 1.6,
                   round(st.leading / st.fontSize, 2), "about 1.5 (1.2-1.6)", warn_only=True)
        if name in ("body", "card"):
            report.add(f"line_length:{name}", 40 <= chars <= 80, round(chars),
                       "45-75 characters", warn_only=True)


def pdf_checks(pdf: bytes, report: Report, cards: int | None = None,
               logo_text: tuple[tuple[str, float], ...] = (),
               words: Language | None = None, large_print: bool | None = None) -> str:
    """Checks on the PDF itself; returns its text. Text that belongs to a clinic's logo, and
    the labels inside the anatomy drawing, are measured apart from the handout's own text,
    which large print (``large_print``; by default read from the PDF: most of its text at
    18 pt) asks at 18 pt or more. ``words`` is the handout's language (by default the one
    its /Lang names)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    if words is None:
        words = _pdf_language(reader)
    sizes: list[float] = []
    logo_sizes: list[float] = []
    label_sizes: list[float] = []
    in_logo = {text for text, _ in logo_text}
    labels = {value for key, value in words.strings.items()
              if key.startswith("anatomy.labels.") and isinstance(value, str)}
    letters: Counter[float] = Counter()  # characters printed at each size (the body's)

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        plain = text.strip()
        if plain:
            printed = size * (abs(tm[3] * cm[3] + tm[2] * cm[1]) or abs(tm[0] * cm[0]))
            (logo_sizes if plain in in_logo else label_sizes if plain in labels
             else sizes).append(printed)
            letters[round(printed, 1)] += len(plain)

    text = " ".join(page.extract_text(visitor_text=visit) for page in reader.pages)
    smallest = round(min(sizes), 1) if sizes else 0.0
    if large_print is None:
        large_print = bool(letters) and letters.most_common(1)[0][0] >= LARGE_BODY_SIZE - 0.05
    least = LARGE_BODY_SIZE if large_print else MIN_SIZE
    report.add("smallest_font", smallest >= least - 0.05, smallest,
               f">= {least:g} pt" + (" (large print)" if large_print else ""))
    if label_sizes and min(label_sizes) < least - 0.05:
        report.add("picture_text", False, round(min(label_sizes), 1), f">= {least:g} pt",
                   warn_only=True, detail="the labels inside the anatomy drawing are drawn "
                   "with it: larger, the drawing would take more of its page")
    if logo_sizes:
        tiny = round(min(logo_sizes), 1)
        report.add("logo_text", tiny >= MIN_SIZE - 0.05, tiny, f">= {MIN_SIZE:g} pt",
                   warn_only=True, detail="the clinic's logo has small lettering; it does not "
                   "count against the handout, but a plainer logo prints better")
    info = reader.metadata
    root: Any = reader.trailer["/Root"]
    report.add("title", bool(info and info.title), bool(info and info.title), "set")
    report.add("language", "/Lang" in root, str(root.get("/Lang", "")), "set")
    report.add("bookmarks", len(reader.outline) > 0, len(reader.outline), "> 0")
    embedded = _fonts_embedded(reader)
    report.add("fonts_embedded", embedded, embedded, "every font embedded")
    folded = " ".join(text.split())
    doses = len(re.findall(dose_pattern(words), folded))
    report.add("dose_lines", doses == cards if cards is not None else doses > 0, doses,
               "one per card" + (f" ({cards})" if cards is not None else ""))
    action = any(phrase in folded for phrase in words.words("check.call_to_action"))
    report.add("call_to_action", action, action, "tells the reader how to reach the clinic")
    return folded


def _pdf_language(reader: Any) -> Language:
    """The language a PDF says it is in (its /Lang), if that language is here; else English."""
    from .language import available

    code = str(reader.trailer["/Root"].get("/Lang", "")).split("-")[0].lower()
    return load_language(code if code in available(None) else DEFAULT_LANGUAGE)


def dose_pattern(words: Language) -> str:
    """A pattern matching the start of every dose line in ``words``' language ("Hold 30
    seconds", "Move slowly, "): each phrase with its numbers, up to a final placeholder."""
    parts = []
    for key in ("dose.hold_seconds", "dose.hold_minutes", "dose.hold_one_minute",
                "dose.move"):
        words.local(key, seconds=0, minutes=0, times="")  # a missing phrase names its file
        pieces = re.split(r"\{[a-z_]+\}", words.locale_data[key])
        if len(pieces) > 1 and not pieces[-1]:
            pieces = pieces[:-1]  # "Move slowly, {times}": the words before it
        parts.append(r"\d[\d.,]*".join(re.escape(piece) for piece in pieces))
    return "|".join(parts)


def _fonts_embedded(reader: Any) -> bool:
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor.get_object() for k in
                                             ("/FontFile", "/FontFile2", "/FontFile3")):
                return False
    return True


def pemat(plan: Plan, scored: dict[str, list[str]], text: str, report: Report,
          bold: list[str]) -> None:
    """The PEMAT-P items software can decide, as a pre-check score."""
    sections = plan.sections
    words = plan_language(plan)
    everyday = all(g <= MAX_GRADE for g in report.reading_grade.values()) and all(
        v >= INFLESZ_EASY for v in report.inflesz.values())
    reader = [w.lower() for w in words.words("check.reader")]
    headings = section_headings(plan)
    folded_bold = " ".join(" ".join(bold).split())
    items = {
        "1 purpose evident (title and key points first)":
            words.text("check.topic").lower() in text.lower() and (sections[0] == "key-points" or
                                         "key-points" not in sections),
        "3 everyday words (grade 6 or lower)": everyday,
        "4 medical terms defined": words.text("check.defined_term") in text
        or "what-is-psoas" not in sections,
        "6 whole numbers, no fractions": not re.search(r"\d+[.,/]\d+(?! ?(?:AM|PM))",
                                                        re.sub(r"\(\d{3}\) \d{3}-\d{4}|"
                                                               r"\d{4}-\d\d-\d\d", "", text)),
        "8 short sections": all(sum(len(u.split()) for u in units) <= 220
                                for name, units in scored.items()
                                if not name.startswith("stretch:")),
        "9 informative headings": all(len(h.split()) >= 2 for h in headings.values())
        and len(headings) == len(sections),
        "10 logical order (safety before contact)": sections.index("safety") <
        sections.index("contact"),
        "11 a summary (key points)": "key-points" in sections,
        "12 visual cues (bold dose lines and key words)": bool(plan.stretches) and all(
            " ".join(dose_text(p.dose, words).split(words.local("dose.separator"))[0].split())
            in folded_bold
            for p in plan.stretches),
        "15 pictures that show the actions": all(p.stretch.image for p in plan.stretches),
        "17 pictures captioned": len(captioned_pictures(plan, text))
        == sum(bool(p.stretch.image) for p in plan.stretches),
        "20 at least one clear action": bool(plan.stretches),
        "21 addresses the reader as you": all(
            any(re.search(r"\b" + re.escape(w), u.lower()) for u in units for w in reader)
            for name, units in scored.items() if units and not name.startswith("stretch:")),
        "22 explicit, numbered steps": all(1 <= len(p.stretch.steps) <= 5
                                           for p in plan.stretches),
        "23 a tangible tool (tick log)": "log" in sections,
    }
    met = sum(items.values())
    report.pemat = {"items": items, "met": met, "applicable": len(items),
                    "score": round(100 * met / len(items))}
    # Name what is missing: "14/15" alone does not say which item to fix.
    unmet = "; ".join(f"item {key.replace(' ', ', ', 1)}" for key, ok in items.items()
                      if not ok)
    report.add("pemat_precheck", met == len(items), f"{met}/{len(items)}", "all items met",
               detail=f"not met: {unmet}" if unmet else "")


MIN_FILL = 0.70
MIN_PICTURE = 0.40  # a card's figure: this share of the card's inner width (figure.share)


def layout_checks(rendered: Rendered, report: Report) -> None:
    """How the pages are used: each page but the last filled to 70% or more, no heading left
    alone at a page foot, and each card's picture as a share of the card's width: the
    figure it draws (its box's margins and floor line left out), in every layout."""
    for page, share in enumerate(rendered.fill, start=1):
        if page == rendered.pages:
            continue
        report.add(f"page_fill:{page}", share >= MIN_FILL, int(share * 1000) / 1000,
                   f">= {MIN_FILL:.2f} of the page", warn_only=True)
    report.add("lone_headings", not rendered.lone_headings, list(rendered.lone_headings),
               "no heading alone at a page foot", detail="pages" if rendered.lone_headings
               else "")
    for sid, share in rendered.pictures:
        report.add(f"picture_share:{sid}", share >= MIN_PICTURE - 0.005, round(share, 2),
                   f">= {MIN_PICTURE:.2f} of the card's width (the figure drawn; a tall "
                   "figure: its height against a 4:3 box that wide)")


def section_headings(plan: Plan) -> dict[str, str]:
    """Each printed section's heading (a section without one is missing from the result)."""
    search = _search(plan.language, plan.clinic.folder)
    context = section_context(plan)
    found = {}
    for section in plan.sections:
        blocks = parse_markdown(render_template(search, f"sections/{section}.md.j2", context),
                                lambda t: t)
        if blocks and blocks[0].kind in ("h1", "h2"):
            found[section] = blocks[0].plain
    return found


def check_rendered(rendered: Rendered) -> Report:
    """The full report for a handout built in this process."""
    plan = rendered.plan
    report = Report(f"handout for {plan.client.name}", language=plan.language)
    scored = text_checks(plan, report)
    review_checks(plan, report)
    plan_checks(plan, rendered, report)
    style_checks(plan, report)
    fonts = load_fonts(plan.clinic.fonts)
    printed = [u for units in scored.values() for u in units] + [
        plan.client.name, plan.client.note, plan.clinic.name, plan.clinic.address,
        *(p.note for p in plan.stretches), *(p.stretch.title for p in plan.stretches),
        *(p.stretch.caption for p in plan.stretches),
        *(t for p in plan.stretches for _, t in p.cautions)]
    missing = uncovered(printed, fonts)
    report.add("uncovered_characters", not missing, len(missing), "0",
               detail=" ".join(f"U+{ord(c):04X}" for c in missing))
    text = pdf_checks(rendered.pdf, report, len(plan.stretches), rendered.logo_text,
                      plan_language(plan), plan.large_print)
    layout_checks(rendered, report)
    pemat(plan, scored, text, report, bold_texts(rendered.pdf))
    return report


def language_files(plan: Plan) -> list[Path]:
    """Every language file a handout's words come from: strings, locale, its sections, the
    words of its stretches and (with conditions) of the conditions."""
    words = plan_language(plan)
    search = _search(plan.language, plan.clinic.folder)
    names = [f"sections/{s}.md.j2" for s in plan.sections]
    if any("floor" in p.stretch.tags for p in plan.stretches) and "your-stretches" in \
            plan.sections:
        names.append("sections/floor.md.j2")
    files = [words.strings_file, words.locale_file]
    files += [path for path in (search.find(name) for name in names) if path is not None]
    files += [p.stretch.words_source for p in plan.stretches if p.stretch.words_source]
    files += [c.words_source for c in plan.conditions[:1] if c.words_source]
    return list(dict.fromkeys(files))


def review_checks(plan: Plan, report: Report) -> None:
    """Who checked the words: each language file the handout uses, with its review status;
    a draft file is a warning (its words have not been read by a qualified reviewer)."""
    words = plan_language(plan)
    for path in language_files(plan):
        record_review(report, words, path)


def record_review(report: Report, words: Any, path: Any) -> None:
    """One language file's review status in the report; a draft is a warning."""
    review = words.review(path)
    report.review.append({"file": str(path), "status": review.status,
                          "reviewer": review.reviewer, "date": review.date})
    if review.draft:
        report.add(f"review:{path}", False, "draft", "reviewed", warn_only=True,
                   detail=DRAFT_ADVICE)


DRAFT_ADVICE = ("draft text: have a qualified medical translator review it before handing "
                "it to clients")
DRAFT_LANGUAGE_ADVICE = ("{count} of its files are draft text: have a qualified medical "
                         "translator review them before handing its handouts to clients "
                         "(check --json lists them)")


def report_json(report: Report) -> bytes:
    """The report as stable JSON bytes (sorted keys, no time stamps)."""
    import json

    return (json.dumps(report.as_dict(), indent=2, sort_keys=True, ensure_ascii=False)
            + "\n").encode("utf-8")


def check_clinic_folder(clinic_path: Path | None, language: str | None = None) -> Report:
    """Validate a clinic folder: clinic.toml, every override, stretch, picture and template,
    in every language there is (or only ``language``); draft language files are warnings."""
    from dataclasses import replace

    from .build import check_defaults, load_request, plan_handout, render_handout
    from .content import find_clinic, load_clinic, load_library
    from .delivery import message_texts
    from .language import available, check_code
    from .models import Options

    clinic_file = find_clinic(clinic_path)
    clinic = load_clinic(clinic_file)
    codes = [check_code(language, clinic.folder, "--language")] if language else \
        sorted(available(clinic.folder), key=lambda c: c != clinic.default_language)
    report = Report(f"clinic folder {clinic.folder or '(sample clinic)'}",
                    language=codes[0])
    report.add("clinic.toml", True, str(clinic.source), "valid")
    for code in codes:
        # every definition with its words in this language, and the pictures it names
        library = load_library(clinic.folder, code)
        check_defaults(clinic, library)
        suffix = "" if code == codes[0] else f":{code}"
        report.add(f"stretch_definitions{suffix}", True, len(library),
                   "all valid, pictures found")
        # One handout with every stretch: every template and picture is exercised.
        _, client, _ = load_request(clinic_file, None, "Sample Client", tuple(library))
        plan = plan_handout(clinic, client, library, Options(language=code))
        rendered = render_handout(plan)
        report.add(f"templates_and_pictures{suffix}", True, f"{rendered.pages} pages",
                   "all render")
        message_texts(plan, encrypted=True)
        report.add(f"email_templates{suffix}", True, "subject, text, html", "all render")
        from .content import load_conditions

        catalogue = load_conditions(clinic.folder, code)
        review_checks(replace(plan, conditions=tuple(catalogue.values())[:1]), report)
        words = plan_language(plan)
        search = _search(code, clinic.folder)
        for name in ("email/subject.txt.j2", "email/body.txt.j2", "email/body.html.j2"):
            path = search.find(name)
            if path is not None:
                record_review(report, words, path)
        _one_warning_per_language(report, code, words.name)
    return report


def _one_warning_per_language(report: Report, code: str, name: str) -> None:
    """The folder check covers every language there is, used or not: its draft files are one
    warning for the language (the JSON report's ``review`` still lists each file)."""
    drafts = [c for c in report.checks if c["id"].startswith("review:")
              and not c["id"].startswith("review:language ")]
    if not drafts:
        return
    report.checks = [c for c in report.checks if c not in drafts]
    report.add(f"review:language {code} ({name})", False, f"{len(drafts)} draft files",
               "reviewed", warn_only=True,
               detail=DRAFT_LANGUAGE_ADVICE.format(count=len(drafts)))


def _read_own_pdf(path: Path, data: bytes) -> tuple[Report, str]:
    """The PDF checks on a handout's bytes, and its text; the PDF must be one we made."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    info = reader.metadata
    if info is None or PRODUCER not in str(info.get("/Producer", "")):
        raise InputError(f"{path}: this PDF was not made by psoas-handouts; check reads only "
                         "its own handouts (or give the client or roster file).")
    words = _pdf_language(reader)
    report = Report(f"{path.name}", language=words.code)
    return report, pdf_checks(data, report, words=words)


def check_pdf_file(path: Path) -> Report:
    """What can be measured on a PDF alone; it must be one this tool made."""
    from .schema import read_input

    data = read_input(path)
    # pypdf logs what it repairs as warnings on stderr; the user gets one line instead.
    pypdf_log = logging.getLogger("pypdf")
    previous = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        report, text = _read_own_pdf(path, data)
    except HandoutError:
        raise
    except Exception:  # a damaged file makes pypdf raise almost anything (KeyError, zlib…)
        raise InputError(f"{path}: cannot read this PDF (it may be damaged); build it "
                         "again.") from None
    finally:
        pypdf_log.setLevel(previous)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    if report.language == "es":
        measured = inflesz(sentences)
        report.inflesz["whole document"] = measured.score
        report.add("inflesz:whole document", measured.score >= INFLESZ_EASY - 5,
                   measured.score, f">= {INFLESZ_EASY - 5:g} (headings and names included)",
                   warn_only=True, detail=measured.band)
        return report
    if report.language != "en":
        return report  # no reading measure for this language yet
    result = score(sentences)
    report.reading_grade["whole document"] = result.grade
    report.add("reading_grade:whole document", result.grade <= MAX_GRADE + 1, result.grade,
               "<= 7 (headings and names included)", warn_only=True)
    return report
