"""Languages: words from the language files only, a locale apart from the paper, rules shared
by every language, review status, and a new language as a folder."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import shutil
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from langfixtures import ENGLISH, copy_english, spanish_fixture
from pypdf import PdfReader

from conftest import DAY, build_result, write
from handouts.cli import main
from handouts.content import load_library
from handouts.errors import InputError
from handouts.fonts import load_fonts
from handouts.language import dose_text, load_language
from handouts.models import Dose
from handouts.readability import inflesz, spanish_syllables


def pdf_text(pdf: bytes) -> str:
    """Every page's text, folded to single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_lang(pdf: bytes) -> str:
    """The PDF's /Lang."""
    return str(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"])


def clinic_key(clinic: Path, line: str) -> None:
    """Add a top-level key to the clinic's clinic.toml (above its [[therapists]])."""
    path = clinic / "clinic.toml"
    path.write_text(line + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def invoke(*args: str) -> object:
    """Run the command line and return click's result."""
    return CliRunner().invoke(main, list(args))


# --- choosing a language -----------------------------------------------------------------

def test_unknown_language_is_one_line_listing_the_languages(tmp_path: Path) -> None:
    """--language zz is one error line naming the languages there are, exit 1."""
    result = invoke("build", "--client", "Ana", "--language", "zz", "-o",
                    str(tmp_path / "a.pdf"))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and "language 'zz' is not available" in lines[0]
    assert "use one of: en" in lines[0] and not (tmp_path / "a.pdf").exists()


def test_a_clinic_language_is_listed_and_the_client_file_chooses_it(clinic_dir: Path) -> None:
    """A clinic's own language folder counts; the client file's 'language' key picks it,
    and the clinic's default_language is used when the client says nothing."""
    copy_english(clinic_dir, "xx", marker="XX:")
    client = write(clinic_dir / "jo.toml", 'name = "Jo Park"\nlanguage = "xx"\n'
                   'stretches = ["bridge"]\n')
    assert "XX:Your psoas" in pdf_text(build_result(clinic_dir, client).pdf)
    clinic_key(clinic_dir, 'default_language = "xx"')
    assert "XX:Page 1 of" in pdf_text(build_result(clinic_dir, None, "Jo Park",
                                                   ("bridge",)).pdf)
    bad = write(clinic_dir / "bad.toml", 'name = "Jo"\nlanguage = "qq"\n')
    with pytest.raises(InputError, match=r"bad\.toml: 'language': language 'qq' is not "
                                         r"available; use one of: en, .*xx"):
        build_result(clinic_dir, bad)


def test_the_next_language_is_a_folder(clinic_dir: Path, tmp_path: Path) -> None:
    """A language added as a folder in the clinic (English files with a marker) builds from
    the command line: every word the program prints comes from it, and /Lang from its
    locale."""
    copy_english(clinic_dir, "xx", marker="XX:", locale="xx-ZZ")
    out = tmp_path / "jo.pdf"
    result = invoke("build", "--clinic", str(clinic_dir), "--client", "Jo Park", "--stretch",
                    "bridge", "--stretch", "cat-cow", "--language", "xx", "--date",
                    "2026-11-22", "-o", str(out))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    pdf = out.read_bytes()
    text = pdf_text(pdf)
    for shown in ("XX:Your psoas: a take-home guide", "XX:For:", "XX:Date:", "XX:Start:",
                  "XX:Page 1 of", "XX:Take care:", "XX:Scan to book", "XX:Stretch",
                  "Hold 5 seconds", "XX:Your therapist:", "XX:These are self-care ideas"):
        assert shown in text, shown
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None and info.title == "XX:Your psoas: a take-home guide for Jo Park"
    assert str(info.subject).startswith("XX:Psoas self-care handout")
    assert pdf_lang(pdf) == "xx-ZZ"


# --- nothing falls back to English ------------------------------------------------------

def test_a_missing_string_is_an_error_naming_the_file_and_key(clinic_dir: Path) -> None:
    """A key missing from a language's strings.toml stops the build with the file and key;
    the English words are never used instead."""
    folder = copy_english(clinic_dir, "xx", marker="XX:")
    strings = (folder / "strings.toml").read_text(encoding="utf-8")
    (folder / "strings.toml").write_text(strings.replace('page = "XX:Page {page} of {total}"\n',
                                                         ""), encoding="utf-8")
    with pytest.raises(InputError, match=r"lang/xx/strings\.toml: the key 'footer\.page' is "
                                         "missing"):
        build_result(clinic_dir, None, "Jo", ("bridge",), language="xx")


def test_a_missing_file_or_stretch_words_is_an_error(clinic_dir: Path) -> None:
    """A language without a stretch's words, or without its locale file, is an error naming
    what is missing."""
    folder = copy_english(clinic_dir, "xx", marker="XX:")
    (folder / "stretches" / "bridge.toml").unlink()
    with pytest.raises(InputError, match=r"stretch 'bridge' has no words in language 'xx': "
                                         r"add templates/lang/xx/stretches/bridge\.toml"):
        load_library(clinic_dir, "xx")
    shutil.copy(ENGLISH / "stretches" / "bridge.toml", folder / "stretches" / "bridge.toml")
    (folder / "locale.toml").unlink()
    with pytest.raises(InputError, match=r"templates/lang/xx/locale\.toml is missing"):
        build_result(clinic_dir, None, "Jo", ("bridge",), language="xx")


def test_a_stretch_needs_words_only_in_the_language_asked_for(
        clinic_dir: Path, tmp_path: Path) -> None:
    """A clinic's stretch with words in one language builds in that language; asked for in
    another, the error names the words file to add."""
    spanish = spanish_fixture(clinic_dir)
    data = (ENGLISH.parent.parent / "stretches" / "lunge.toml").read_text(encoding="utf-8")
    write(clinic_dir / "templates" / "stretches" / "wall-lean.toml", data)
    shutil.copy(spanish / "stretches" / "lunge.toml", spanish / "stretches" / "wall-lean.toml")
    out = tmp_path / "a.pdf"
    result = invoke("build", "--clinic", str(clinic_dir), "--client", "Ana", "--stretch",
                    "wall-lean", "--language", "es", "-o", str(out))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    result = invoke("build", "--clinic", str(clinic_dir), "--client", "Ana", "--stretch",
                    "wall-lean", "-o", str(tmp_path / "b.pdf"))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "stretch 'wall-lean' has no words in language 'en': add templates/lang/en/" \
        "stretches/wall-lean.toml" in result.stderr  # type: ignore[attr-defined]


def test_a_condition_caution_without_words_is_an_error(clinic_dir: Path) -> None:
    """Every caution tag a condition lists needs its words in each language."""
    folder = copy_english(clinic_dir, "xx")
    words = (folder / "conditions.toml").read_text(encoding="utf-8")
    (folder / "conditions.toml").write_text(words.replace(
        'kneeling = "Put a thick folded towel', 'kneelingx = "Put a thick folded towel'),
        encoding="utf-8")
    with pytest.raises(InputError, match=r"\[knee-pain\.cautions\]: the caution for tag "
                                         "'kneeling' is missing"):
        load_library(clinic_dir, "xx")


@pytest.mark.parametrize("kind, rule", [
    ("stretch", 'tags = ["floor"]\n'),
    ("stretch", "[dose]\nreps = 3\n"),
    ("condition", 'rules_out = ["floor"]\n'),
    ("condition", "pregnancy = true\n"),
])
def test_a_translation_cannot_change_a_rule(clinic_dir: Path, kind: str, rule: str) -> None:
    """A words file that states a rule (tags, a dose, rules_out…) is an error: only the data
    files, the same for every language, say what is safe."""
    folder = copy_english(clinic_dir, "xx")
    if kind == "stretch":
        path = folder / "stretches" / "bridge.toml"
        path.write_text(rule + path.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        path = folder / "conditions.toml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            '[hernia]\n', '[hernia]\n' + rule), encoding="utf-8")
    with pytest.raises(InputError, match="is a rule, not a word"):
        load_library(clinic_dir, "xx")


# --- the locale, not the paper ----------------------------------------------------------

def test_the_locale_decides_dates_not_the_paper(clinic_dir: Path) -> None:
    """English on A4 prints US dates by default; the clinic's locale = "en-GB" prints British
    ones (and sets /Lang)."""
    a4 = build_result(clinic_dir, None, "Jo", ("bridge",), paper="a4").pdf
    assert "November 22, 2026" in pdf_text(a4) and pdf_lang(a4) == "en-US"
    clinic_key(clinic_dir, 'locale = "en-GB"')
    letter = build_result(clinic_dir, None, "Jo", ("bridge",)).pdf
    assert "22 November 2026" in pdf_text(letter) and pdf_lang(letter) == "en-GB"


def test_a_malformed_locale_is_refused(clinic_dir: Path) -> None:
    """clinic.toml's locale must look like en-GB."""
    clinic_key(clinic_dir, 'locale = "english"')
    with pytest.raises(InputError, match=r"clinic\.toml: 'locale' is 'english'"):
        build_result(clinic_dir, None, "Jo", ("bridge",))


def test_spanish_dates_dose_labels_and_lang(clinic_dir: Path) -> None:
    """Spanish (test fixture): the date in Spanish words, the dose line from the locale's
    phrases, the footer, the anatomy drawing's labels and /Lang es-US; the clinic's
    locale es-MX changes /Lang."""
    spanish_fixture(clinic_dir)
    client = write(clinic_dir / "ana.toml", 'name = "Ana Ruiz"\nlanguage = "es"\n'
                   'next_visit = 2026-12-14\nstretches = ["lunge", "bridge"]\n')
    pdf = build_result(clinic_dir, client, date=_dt.date(2026, 11, 30)).pdf
    text = pdf_text(pdf)
    assert "30 de noviembre de 2026" in text
    assert "lunes, 14 de diciembre de 2026" in text
    assert "Mantenga 30 segundos · 3 veces de cada lado · una vez al día" in text
    assert "Página 1 de" in text and "muslo" in text
    assert "lun mar mié jue vie sáb dom" in text  # the log's days, from Monday 30
    assert pdf_lang(pdf) == "es-US"
    clinic_key(clinic_dir, 'locale = "es-MX"')
    assert pdf_lang(build_result(clinic_dir, client).pdf) == "es-MX"


def test_dose_line_and_numbers_per_locale(clinic_dir: Path) -> None:
    """The dose line's words come from locale.toml; numbers follow the locale's style."""
    spanish_fixture(clinic_dir)
    words = load_language("es", clinic_dir)
    line = dose_text(Dose(0, 1, "both", 2, 5), words).replace("\u00a0", " ")
    assert line == "Muévase despacio, una vez · dos veces al día, 5 días a la semana"
    assert load_language("es", clinic_dir, "es-ES").number(12000) == "12.000"
    assert words.number(12000) == "12,000"
    english = dose_text(Dose(120, 2, "each", 3, 7)).replace("\u00a0", " ")
    assert english == "Hold 2 minutes · 2 times on each side · 3 times a day"


def test_language_is_loaded_once_and_reloaded_when_its_file_changes(clinic_dir: Path) -> None:
    """The loader keeps one Language per language and clinic while its files are unchanged."""
    folder = copy_english(clinic_dir, "xx", marker="XX:")
    first = load_language("xx", clinic_dir)
    assert load_language("xx", clinic_dir) is first
    path = folder / "strings.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("XX:Stretch", "XX:Estirar"),
                    encoding="utf-8")
    assert load_language("xx", clinic_dir).text("log.stretch") == "XX:Estirar"


# --- email, roster, check ----------------------------------------------------------------

def test_email_for_a_spanish_client(clinic_dir: Path, tmp_path: Path) -> None:
    """A Spanish client's email has the Spanish subject and body and Content-Language: es."""
    spanish_fixture(clinic_dir)
    client = write(tmp_path / "ana.toml", 'name = "Ana Ruiz"\nemail = "ana@example.com"\n'
                   'stretches = ["bridge"]\n')
    box = tmp_path / "box"
    result = invoke("email", str(client), "--clinic", str(clinic_dir), "--language", "es",
                    "--outbox", str(box), "--record", str(tmp_path / "r.sqlite3"))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    message = message_from_bytes(next(box.glob("*.eml")).read_bytes(), policy=policy.default)
    assert message["Content-Language"] == "es"
    assert message["Subject"] == "Su guía de Riverside Massage & Wellness"
    body = message.get_body(("plain",)).get_content()  # type: ignore[attr-defined, union-attr]
    assert "Hola, Ana:" in body and "Thank you" not in body


def roster(path: Path, rows: list[tuple[str, ...]]) -> Path:
    """A roster CSV with name, stretches and language columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Name", "Stretches", "Language"])
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_roster_language_column_gives_each_attendee_their_language(
        clinic_dir: Path, tmp_path: Path) -> None:
    """Each row's language column decides its single file and its part of the print file."""
    spanish_fixture(clinic_dir)
    path = roster(tmp_path / "class.csv", [("Ana Ruiz", "bridge", "es"),
                                            ("Bo Chen", "bridge", ""),
                                            ("Cy Diaz", "lunge", "ES")])
    out = tmp_path / "out"
    result = invoke("batch", str(path), "--clinic", str(clinic_dir), "--out-dir", str(out),
                    "--jobs", "1", "--date", "2026-11-22", "--quiet")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    langs = {p.name.split("-2026")[0]: pdf_lang(p.read_bytes()) for p in out.glob("[a-z]*.pdf")}
    assert langs == {"ana-ruiz": "es-US", "bo-chen": "en-US", "cy-diaz": "es-US"}
    print_file = next(out.glob("_print-file-*.pdf")).read_bytes()
    printed = pdf_text(print_file)
    assert printed.count("Página 1 de") == 2 and printed.count("Page 1 of") == 1
    assert pdf_lang(print_file) == "es-US"  # the language most of its handouts are in
    bad = roster(tmp_path / "bad.csv", [("Ana Ruiz", "bridge", "klingon")])
    result = invoke("batch", str(bad), "--clinic", str(clinic_dir), "--out-dir",
                    str(tmp_path / "bad"), "--jobs", "1", "--quiet")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "line 2: 'language': language 'klingon' is not available" in \
        result.stderr  # type: ignore[attr-defined]


def test_check_warns_once_per_draft_file_and_reports_inflesz(
        clinic_dir: Path, tmp_path: Path) -> None:
    """check lists each draft language file a handout uses once (however many rows use it),
    and the JSON report measures Spanish with INFLESZ per section and card."""
    spanish_fixture(clinic_dir)
    path = roster(tmp_path / "class.csv", [("Ana Ruiz", "bridge", "es"),
                                            ("Cy Diaz", "bridge", "es"),
                                            ("Bo Chen", "bridge", "en")])
    result = invoke("check", str(path), "--clinic", str(clinic_dir), "--json")
    warnings = [line for line in result.stderr.splitlines()  # type: ignore[attr-defined]
                if line.startswith("warning:")]
    assert warnings and len(warnings) == len(set(warnings))
    assert all("/lang/es/" in line and "qualified medical translator" in line
               for line in warnings)
    assert any(line.endswith("lang/es/strings.toml: draft text: have a qualified medical "
                             "translator review it before handing it to clients.")
               for line in warnings)
    decoder = json.JSONDecoder()
    text = result.stdout  # type: ignore[attr-defined]
    reports, at = [], 0
    while at < len(text.rstrip()):
        report, at = decoder.raw_decode(text, at)
        reports.append(report)
        at += 1
    spanish = [r for r in reports if r["language"] == "es"]
    assert len(spanish) == 2 and "stretch:bridge" in spanish[0]["inflesz"]
    assert "safety" in spanish[0]["inflesz"] and not spanish[0]["reading_grade"]
    english = [r for r in reports if r["language"] == "en"][0]
    assert english["inflesz"] == {} and english["reading_grade"]
    assert all(r["status"] == "reviewed" for r in english["review"])
    plain = invoke("check", str(path), "--clinic", str(clinic_dir))
    lines = (plain.stdout + plain.stderr).splitlines()  # type: ignore[attr-defined]
    strings = [line for line in lines if "lang/es/strings.toml" in line]
    assert len(strings) == 1 and strings[0].startswith("warning:")


def test_a_clinic_review_covers_the_language_and_a_file_may_say_otherwise(
        clinic_dir: Path) -> None:
    """A clinic's language.toml marked reviewed (reviewer and date) covers the language's
    files; a file's own [review] draft still warns; "reviewed" without a name is refused."""
    from handouts.quality import check_rendered

    folder = spanish_fixture(clinic_dir)
    meta = (folder / "language.toml").read_text(encoding="utf-8")
    (folder / "language.toml").write_text(meta.replace(
        'status = "draft"', 'status = "reviewed"\nreviewer = "R. Ortega, CHI"\n'
        'date = "2026-11-29"'), encoding="utf-8")
    path = folder / "stretches" / "bridge.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[review]\nstatus = "draft"\n',
                    encoding="utf-8")
    report = check_rendered(build_result(clinic_dir, None, "Ana", ("bridge", "lunge"),
                                         language="es"))
    drafts = [c["id"] for c in report.checks if c["id"].startswith("review:")]
    assert drafts == [f"review:{path}"]
    assert {r["reviewer"] for r in report.review} == {"R. Ortega, CHI", ""}
    (folder / "language.toml").write_text(meta.replace('status = "draft"',
                                                       'status = "reviewed"'), encoding="utf-8")
    with pytest.raises(InputError, match=r"language\.toml: \[review\] status = \"reviewed\" "
                                         "needs the reviewer's name"):
        build_result(clinic_dir, None, "Ana", ("bridge",), language="es")


# --- INFLESZ -----------------------------------------------------------------------------

@pytest.mark.parametrize("word, count", [
    ("estiramiento", 5), ("rodilla", 3), ("cuidado", 3), ("aire", 2), ("ciudad", 2),
    ("día", 2), ("país", 2), ("reúne", 3), ("oído", 3), ("leer", 2), ("poeta", 3),
    ("aéreo", 4), ("que", 1), ("quiero", 2), ("siguiente", 3), ("guante", 2),
    ("pingüino", 3), ("averigüe", 4), ("hoy", 1), ("muy", 1), ("y", 1), ("rey", 1),
    ("reyes", 2), ("apoye", 3), ("ahora", 3), ("búho", 2), ("huevo", 2), ("Uruguay", 3),
])
def test_spanish_syllables_hand_counted(word: str, count: int) -> None:
    """The Spanish syllable counter agrees with hand counts: diphthongs, hiatus with an
    accented vowel, the silent u of qu/gu, ü, and y at the end of a word."""
    assert spanish_syllables(word) == count


def test_inflesz_formula() -> None:
    """INFLESZ = 206.835 − 62.3 × syllables/words − words/sentences, per sentence units."""
    # "Respire despacio." 3 + 3 syllables, 2 words; "Apoye la espalda." 3 + 1 + 3, 3 words.
    result = inflesz(["Respire despacio.", "Apoye la espalda."])
    assert (result.syllables, result.words, result.sentences) == (13, 5, 2)
    assert result.score == round(206.835 - 62.3 * 13 / 5 - 5 / 2, 1)
    assert result.band == "bastante fácil" if result.score >= 65 else result.band


def test_sample_date_is_unchanged_in_english() -> None:
    """The English sample keeps its US dates (Letter, en-US)."""
    assert "November 22, 2026" in pdf_text(build_result(date=DAY).pdf)


# --- the shipped Spanish (runs once templates/lang/es is there) --------------------------

SPANISH = ENGLISH.parent / "es"


def english_phrases() -> set[str]:
    """The English words the program and the stretch and condition files print, as phrases
    (split at placeholders); a single word the Spanish files also use ("psoas", "pelvis") is
    left out, a phrase of several English words never."""
    import re

    from langfixtures import tomllib

    texts: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("check", "review", "locales", "numbers", "dates"):
                    collect(item)

    for path in [ENGLISH / "strings.toml", ENGLISH / "locale.toml",
                 ENGLISH / "conditions.toml", *sorted((ENGLISH / "stretches").glob("*.toml"))]:
        collect(tomllib.loads(path.read_text(encoding="utf-8")))
    spanish = " ".join(p.read_text(encoding="utf-8") for p in SPANISH.rglob("*") if p.is_file())
    phrases = {piece.strip(" .,:;·") for text in texts for piece in re.split(r"\{\w+\}", text)}
    return {p for p in phrases if len(p) >= 4 and re.search(r"[a-z]{3}", p)
            and (" " in p or not re.search(rf"\b{re.escape(p)}\b", spanish))}


@pytest.mark.skipif(not (SPANISH / "strings.toml").is_file(),
                    reason="the shipped Spanish is not in this branch yet")
@pytest.mark.parametrize("large_print", [False, True])
def test_every_stretch_and_caution_in_spanish_has_no_english_left(large_print: bool) -> None:
    """Every stretch with every condition's cautions, in both print sizes, comes out in
    Spanish: none of the English phrases of the handout is in the PDF's text."""
    library = load_library(None, "es")
    from handouts.content import load_conditions

    conditions = tuple(load_conditions(None, "es"))
    result = build_result(None, None, "Ana Ruiz", tuple(library), "Nota.", language="es",
                          large_print=large_print, conditions=conditions,
                          allow=tuple(library), reason="prueba")
    text = pdf_text(result.pdf)
    left = sorted(p for p in english_phrases() if p in text)
    assert not left, left


def test_stretches_and_conditions_list_in_a_language(clinic_dir: Path) -> None:
    """build-handouts stretches / conditions --language print that language's words."""
    folder = copy_english(clinic_dir, "xx")
    path = folder / "stretches" / "bridge.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('title = "Bridge"',
                                                             'title = "Puente"'), "utf-8")
    path = folder / "conditions.toml"
    label = 'label = "hernia (a weak spot in the belly wall)"'
    path.write_text(path.read_text(encoding="utf-8").replace(label, 'label = "hernia XX"'),
                    "utf-8")
    result = invoke("stretches", "--clinic", str(clinic_dir), "--language", "xx", "--json")
    titles = {s["id"]: s["title"] for s in json.loads(result.stdout)}  # type: ignore[attr-defined]
    assert titles["bridge"] == "Puente"
    result = invoke("conditions", "--clinic", str(clinic_dir), "--language", "xx", "--json")
    labels = {c["id"]: c["label"] for c in json.loads(result.stdout)}  # type: ignore[attr-defined]
    assert labels["hernia"] == "hernia XX"


def test_longer_footer_words_take_a_second_line_instead_of_overlapping(tmp_path: Path) -> None:
    """When a language's "For J.D." and "Page 1 of 9" would run into each other, the footer
    takes its second line (English keeps one line)."""
    from handouts.renderer import Decoration
    from handouts.styles import make_theme

    clinic = write(tmp_path / "c" / "clinic.toml", 'name = "Río"\nphone = "555"\n').parent
    copy_english(clinic, "xx", marker="Lorem ipsum ")
    lines = {}
    for code in ("en", "xx"):
        plan = build_result(clinic, None, "Ana Silva", ("bridge",), language=code,
                            large_print=True).plan
        theme = make_theme(load_fonts(plan.clinic.fonts), plan.clinic.brand_color, plan.paper,
                           True, False)
        lines[code] = Decoration(plan, theme).lines
    assert lines == {"en": 1, "xx": 2}
