"""The shipped Spanish text: every English key, placeholder and template variable has its
Spanish counterpart; the text is plain (INFLESZ 65 or more); it is a draft until a qualified
medical translator reviews it; and a Spanish handout or email has no English left in it."""

from __future__ import annotations

import datetime as _dt
import io
import re
from pathlib import Path
from typing import Any

import jinja2
import pytest
import tomllib
from jinja2 import meta, nodes
from pypdf import PdfReader

from handouts.batchplan import health_words, mentions_health
from handouts.build import build_handout, fit_sheet, load_request, plan_handout
from handouts.delivery import message_texts
from handouts.language import dose_text, load_language
from handouts.models import Dose, Options
from handouts.quality import check_rendered
from handouts.renderer import Renderer
from handouts.resources import BUILTIN_TEMPLATES
from handouts.safety import IN_PLACE_OF

EN = BUILTIN_TEMPLATES / "lang" / "en"
ES = BUILTIN_TEMPLATES / "lang" / "es"
DAY = _dt.date(2026, 11, 30)
ALL = tuple(sorted(p.stem for p in (BUILTIN_TEMPLATES / "stretches").glob("*.toml")))
# A clinic whose own details hold no English words, so that any English in the PDF is ours.
CLINIC = """\
name = "Clínica Río"
address = "Calle Luna 12\\nPueblo Nuevo, ST 00001"
phone = "(555) 010-0123"
email = "hola@rio.example"
website = "https://rio.example"
booking_url = "https://rio.example/citas"
emergency_number = "911"

[[therapists]]
name = "Ana Ruiz"
credentials = "LMT"
license = "MT-12345"
"""
# Lists whose items say the same thing in both languages, one for one.
SAME_LENGTH = ("steps", "cautions", "needs", "months", "months_short", "weekdays",
               "weekdays_short")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


def _words_files() -> list[str]:
    return sorted(str(p) for p in _files(EN)
                  if p.suffix == ".toml" and p.name != "language.toml")


def _templates() -> list[str]:
    return sorted(str(p) for p in _files(EN) if p.suffix == ".j2")


def _shape(source: str) -> tuple[set[str], set[str], set[str]]:
    """A template's variables, attribute reads and comparisons (what the code gives it)."""
    tree = jinja2.Environment().parse(source)
    attrs = {f"{n.node.name}.{n.attr}" for n in tree.find_all(nodes.Getattr)
             if isinstance(n.node, nodes.Name)}
    compares = {repr(n) for n in tree.find_all(nodes.Compare)}
    return meta.find_undeclared_variables(tree), attrs, compares


def test_spanish_has_every_english_file() -> None:
    """templates/lang/es holds exactly the files of templates/lang/en."""
    assert _files(ES) == _files(EN)


@pytest.mark.parametrize("name", _words_files())
def test_spanish_words_file_has_the_english_keys(name: str) -> None:
    """Each Spanish words file has the English keys, the same {placeholders} in each text
    and, for steps, cautions and day and month names, the same number of items."""
    en, es = _flat(_toml(EN / name)), _flat(_toml(ES / name))
    # Each language names its own locales (en-GB, es-ES): those tables differ by design.
    mine = {k for k in es if not k.startswith("locales.")}
    theirs = {k for k in en if not k.startswith("locales.")}
    assert mine == theirs, f"{name}: missing {sorted(theirs - mine)}, extra {sorted(mine - theirs)}"
    for key in theirs:
        a, b = en[key], es[key]
        assert type(a) is type(b), f"{name}: {key}"
        if isinstance(a, str):
            assert set(_PLACEHOLDER.findall(a)) == set(_PLACEHOLDER.findall(b)), f"{name}: {key}"
        if isinstance(a, list) and key.rsplit(".", 1)[-1] in SAME_LENGTH:
            assert len(a) == len(b), f"{name}: {key} has {len(b)} items, English {len(a)}"


@pytest.mark.parametrize("name", _templates())
def test_spanish_template_uses_the_english_variables(name: str) -> None:
    """Each Spanish section and email template reads the same variables, attributes and
    comparisons as its English original (the code fills both the same way)."""
    en = _shape((EN / name).read_text(encoding="utf-8"))
    es = _shape((ES / name).read_text(encoding="utf-8"))
    assert es == en


def test_spanish_is_a_draft_until_reviewed() -> None:
    """The shipped Spanish is marked draft (no qualified medical translator has reviewed it),
    named Español, with US Spanish dates and numbers by default."""
    meta_data = _toml(ES / "language.toml")
    assert meta_data["name"] == "Español" and meta_data["locale"] == "es-US"
    words = load_language("es")
    assert words.review(ES / "sections" / "safety.md.j2").draft
    assert words.review(ES / "stretches" / "lunge.toml").draft


def test_spanish_dates_and_dose_line() -> None:
    """Dates, weekday heads, the dose line and the page footer read as Spanish does."""
    words = load_language("es")
    assert words.long_date(DAY, False) == "30 de noviembre de 2026"
    assert words.long_date(DAY) == "lunes, 30 de noviembre de 2026"
    assert [words.weekday_short(DAY + _dt.timedelta(days=i)) for i in range(7)] == \
        ["lu", "ma", "mi", "ju", "vi", "sá", "do"]
    assert words.text("footer.page", page=1, total=4) == "Página 1 de 4"
    line = dose_text(Dose(hold_seconds=30, reps=2, sides="each", per_day=1, days_per_week=7),
                     words)
    assert line.replace("\u00a0", " ") == \
        "Mantenga 30 segundos · 2 veces de cada lado · una vez al día"


# --- what a Spanish handout prints ---------------------------------------------------------

def _english_fragments() -> list[str]:
    """The English handout's own phrases (two words or more), from every English file."""
    texts: list[str] = []
    for name in _words_files():
        if name == "health-words.toml":
            continue  # matched in clients' comments, never printed
        for key, value in _flat(_toml(EN / name)).items():
            if key.startswith("check."):
                continue  # what the report looks for, not printed
            texts += value if isinstance(value, list) else [value]
    for name in _templates():
        source = (EN / name).read_text(encoding="utf-8")
        source = re.sub(r"\{#.*?#\}", "\n", source, flags=re.S)
        source = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|<[^>]+>", "\n", source, flags=re.S)
        texts.append(source)
    fragments: set[str] = set()
    for text in texts:
        if not isinstance(text, str):
            continue
        text = _PLACEHOLDER.sub("\n", text).replace("**", "")
        for part in re.split(r"[\n.,:;?!()“”\"#·]|\s-\s|^\s*-\s", text, flags=re.M):
            part = " ".join(part.split())
            if len(part.split()) >= 2 and len(part) >= 8:
                fragments.add(part.lower())
    return sorted(fragments)


ENGLISH = _english_fragments()
# Single English words the Spanish text never uses (whole words, any case).
ENGLISH_WORDS = re.compile(r"\b(?:the|your|you|and|with|hold|stretch|stretches|times|each|"
                           r"side|once|day|page|start|easier|need|care|because|week|from|"
                           r"date|next|visit|monday|tuesday|sunday|november)\b", re.I)


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def _assert_spanish(text: str, where: str) -> None:
    folded = text.lower()
    left = [f for f in ENGLISH if f in folded]
    assert not left, f"{where}: English left: {left[:10]}"
    words = sorted({m.group(0) for m in ENGLISH_WORDS.finditer(text)})
    assert not words, f"{where}: English words left: {words}"


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clinic folder whose own details are not English."""
    folder = tmp_path_factory.mktemp("clinica")
    (folder / "clinic.toml").write_text(CLINIC, encoding="utf-8")
    return folder / "clinic.toml"


def _build(clinic: Path, stretches: tuple[str, ...], **options: Any) -> Any:
    c, client, library = load_request(clinic, None, "Lucía Gómez", stretches, None)
    return build_handout(c, client, library, Options(date=DAY, language="es", **options))


def test_english_fragments_are_found_in_an_english_handout(clinic: Path) -> None:
    """The scan is real: the same handout in English is full of the phrases it looks for."""
    c, client, library = load_request(clinic, None, "Lucía Gómez", ALL[:3], None)
    pdf = build_handout(c, client, library, Options(date=DAY)).pdf
    text = _pdf_text(pdf).lower()
    assert len([f for f in ENGLISH if f in text]) > 100


@pytest.mark.parametrize("large_print", [False, True])
def test_every_stretch_in_spanish_has_no_english(clinic: Path, large_print: bool) -> None:
    """All 14 stretches, in both print sizes, print in Spanish with no English words left,
    with the Spanish PDF title, language and dates."""
    rendered = _build(clinic, ALL, large_print=large_print)
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert str(reader.trailer["/Root"]["/Lang"]) == "es-US"
    assert reader.metadata.title == "Su psoas: guía para llevar a casa, hecha para Lucía Gómez"
    text = _pdf_text(rendered.pdf)
    _assert_spanish(text, "14 stretches")
    _assert_spanish(str(reader.metadata.subject), "PDF subject")
    for needed in ("30 de noviembre de 2026", "Página 1 de", "Mantenga 30 segundos",
                   "Cuándo parar y cuándo pedir ayuda", "¿Qué es el psoas?", "Empiece:"):
        assert needed in text, needed


def _condition_cases() -> list[tuple[str, tuple[str, ...]]]:
    """For each condition: stretches it allows that carry each tag it cautions about, and
    those with words of their own for it (so every caution is printed at least once)."""
    data = _toml(BUILTIN_TEMPLATES / "conditions.toml")
    stretches = {sid: _toml(BUILTIN_TEMPLATES / "stretches" / f"{sid}.toml") for sid in ALL}
    own = {sid: _toml(ES / "stretches" / f"{sid}.toml").get("conditions", {}).get("cautions", {})
           for sid in ALL}
    cases = []
    for cid, rule in data.items():
        allowed = [s for s in ALL if not set(stretches[s]["tags"]) & set(rule.get("rules_out", []))]
        chosen: list[str] = []
        for tag in rule.get("cautions", []):
            chosen += [s for s in allowed if tag in stretches[s]["tags"]][:1]
        chosen += [s for s in allowed if cid in own[s]]
        cases.append((cid, tuple(dict.fromkeys(chosen)) or tuple(allowed[:1])))
    return cases


@pytest.mark.parametrize(("condition", "stretches"), _condition_cases())
def test_condition_cautions_print_in_spanish(clinic: Path, condition: str,
                                            stretches: tuple[str, ...]) -> None:
    """Each condition's cautions print in Spanish, under its Spanish label, with no English."""
    rendered = _build(clinic, stretches, conditions=(condition,))
    text = _pdf_text(rendered.pdf)
    _assert_spanish(text, condition)
    words = _toml(ES / "conditions.toml")[condition]
    data = _toml(BUILTIN_TEMPLATES / "conditions.toml")[condition]
    printed = 0
    for sid in stretches:
        tags = _toml(BUILTIN_TEMPLATES / "stretches" / f"{sid}.toml")["tags"]
        own = _toml(ES / "stretches" / f"{sid}.toml").get("conditions", {}).get("cautions", {})
        given = set(tags) & set(data.get("cautions", []))
        given -= {IN_PLACE_OF[tag] for tag in given if tag in IN_PLACE_OF}  # the bed, not the floor
        for tag in given:
            assert " ".join(words["cautions"][tag].split()) in text, (sid, tag)
            printed += 1
        if condition in own:
            assert own[condition] in text, sid
            printed += 1
    # A condition with nothing to say on these cards (blood thinners) prints no label.
    assert (f"Por su {words['label']}:" in text) == bool(printed)


def test_spanish_email_has_no_english(clinic: Path) -> None:
    """The email's subject and both bodies are Spanish, greeting the client by first name."""
    c, client, library = load_request(clinic, None, "Lucía Gómez", ("lunge",), None)
    plan = plan_handout(c, client, library, Options(date=DAY, language="es"))
    for encrypted in (False, True):
        subject, text, html = message_texts(plan, encrypted)
        assert subject == "Su guía para llevar a casa, de Clínica Río"
        assert text.startswith("Hola, Lucía:")
        assert "Hola, Lucía:" in html
        for part in (subject, text, re.sub(r"<[^>]+>", " ", html)):
            _assert_spanish(part, "email")
    assert "contraseña" in message_texts(plan, True)[1]


# --- plain Spanish, measured ---------------------------------------------------------------

@pytest.mark.parametrize(("conditions", "stretches"), [
    ((), ALL),
    (("pregnancy-2",), ("side-lying-hip-flexor", "chair-hip-flexor", "standing-hip-flexor")),
    (("hip-replacement-anterior",), ("seated-stretch", "bridge", "side-lying-stretch")),
    (("hip-replacement-anterior", "knee-pain"), ("cat-cow", "leg-lowering")),
    (("hip-replacement-lateral", "poor-balance"), ("chair-hip-flexor", "standing-hip-flexor",
                                                   "bridge")),
    (("spinal-stenosis",), ("ball-release", "cat-cow")),
    (("osteoporosis", "pregnancy-2"), ("side-lying-hip-flexor", "cat-cow")),
])
def test_every_spanish_section_and_card_scores_inflesz_65(
        clinic: Path, conditions: tuple[str, ...], stretches: tuple[str, ...]) -> None:
    """The quality report scores every Spanish section and card 65 or more on the INFLESZ
    scale (the belly-work, pregnancy and new-hip variants included)."""
    rendered = _build(clinic, stretches, conditions=conditions)
    report = check_rendered(rendered)
    scored = report.inflesz
    assert {f"stretch:{s}" for s in stretches} <= set(scored)
    assert {"key-points", "safety", "what-is-psoas", "log"} <= set(scored)
    low = {name: value for name, value in scored.items() if value < 65}
    assert not low, low
    assert report.pemat["met"] == report.pemat["applicable"], report.pemat


# --- layouts and sign-up comments ----------------------------------------------------------

@pytest.mark.parametrize("pair", [("kneeling-hip-flexor", "bridge"),
                                  ("chair-hip-flexor", "standing-hip-flexor")])
def test_one_sheet_holds_two_spanish_stretches_on_letter(pair: tuple[str, str]) -> None:
    """The one-sheet layout holds two stretches in Spanish on Letter, as it does in English
    (the longer Spanish must not cost a stretch)."""
    c, client, library = load_request(None, None, "Lucía Gómez", pair, None)
    plan = plan_handout(c, client, library,
                        Options(date=DAY, language="es", layout="sheet", paper="letter"))
    rendered = fit_sheet(plan, Renderer())
    assert rendered.pages == 2
    assert [p.stretch.id for p in rendered.plan.stretches] == list(pair)


def test_spanish_health_words_flag_spanish_comments() -> None:
    """A sign-up comment written in Spanish about a health matter is flagged; everyday
    Spanish is not."""
    words = health_words(None)
    for comment in ("Estoy embarazada de 5 meses", "Me operaron la cadera en marzo",
                    "Tomo anticoagulantes", "Tengo osteoporosis", "Me caí el año pasado"):
        assert mentions_health(comment, words), comment
    for comment in ("Nada, gracias", "Estoy esperando la clase", "Quiero más rotación"):
        assert not mentions_health(comment, words), comment


# --- the clinical review's findings, in Spanish ---------------------------------------------

def test_spanish_safety_items_read_after_their_lead_in(clinic: Path) -> None:
    """Each Spanish safety item reads on from its box's lead-in ("si tiene ...", "si nota
    ..."), the belly-and-back line says "can" as the English does, and the new hip and
    pregnancy boxes put the surgeon's or the midwife's own instructions first."""
    text = _pdf_text(_build(clinic, ("bridge",), conditions=("hip-replacement-posterior",)).pdf)
    for words in ("de inmediato si tiene", "debilidad nueva en una pierna",
                  "le duele la espalda y tiene", "dolor que le despierta o que empeora",
                  "Siga primero las instrucciones de su cirujano",
                  "mientras sigan las reglas de su cirujano"):
        assert words in text, words
    for wrong in ("una pierna se debilita", "Dan firmeza"):
        assert wrong not in text, wrong
    between = (ES / "sections" / "between-visits.md.j2").read_text(encoding="utf-8")
    assert "Pueden dar firmeza" in between and "Dan firmeza" not in between  # can, not does
    text = _pdf_text(_build(clinic, ("chair-hip-flexor",), conditions=("pregnancy-2",)).pdf)
    for words in ("Siga primero las instrucciones de su partera o de su médico",
                  "a su médico si nota:", "que su bebé se mueve menos"):
        assert words in text, words
    assert "su bebé se mueve menos" not in text.replace("que su bebé se mueve menos", "")
    assert text.count("dolor en el pecho") == 1


def test_spanish_front_approach_hip_floor_panel_and_cautions(clinic: Path) -> None:
    """In Spanish too, a front-approach hip's cat-cow card says which foot goes forward and
    names the chair, and the floor panel never says "ponga un pie delante"; the cautions that
    point to the floor panel use its title."""
    text = _pdf_text(_build(clinic, ("cat-cow", "bridge"),
                            conditions=("hip-replacement-anterior",)).pdf)
    for words in ("ponga delante el pie de la cadera nueva", "O hágalo en una silla",
                  "Bajar al piso y subir", "como dice su tarjeta"):
        assert words in text, words
    assert "ponga un pie delante" not in text
    plain = _pdf_text(_build(clinic, ("cat-cow",)).pdf)
    assert "ponga un pie delante" in plain and "gire de lado" in plain
    words = _toml(ES / "conditions.toml")
    pointers = [text for table in words.values() for text in table.get("cautions", {}).values()
                if "(vea “" in text]
    assert pointers and all("(vea “Bajar al piso y subir”)" in t for t in pointers)


@pytest.mark.parametrize("language, subject", [
    ("en", "Psoas self-care handout: Bridge"),
    ("es", "Guía de cuidado del psoas: Puente")])
def test_pdf_subject_has_no_count_to_get_wrong(language: str, subject: str) -> None:
    """The PDF's subject names the stretches without a count, so one stretch never reads
    "with 1 stretches" (or "1 estiramientos")."""
    c, client, library = load_request(None, None, "Lucía Gómez", ("bridge",), None)
    pdf = build_handout(c, client, library, Options(date=DAY, language=language)).pdf
    assert PdfReader(io.BytesIO(pdf)).metadata.subject == subject


def test_dose_line_days_a_week_in_both_languages() -> None:
    """The fewest days a week a dose may have (2) reads as a plural in both languages."""
    dose = Dose(hold_seconds=30, reps=2, sides="each", per_day=1, days_per_week=2)
    assert dose_text(dose, load_language("en")).replace("\u00a0", " ").endswith(
        "once a day, 2 days a week")
    assert dose_text(dose, load_language("es")).replace("\u00a0", " ").endswith(
        "una vez al día, 2 días a la semana")
