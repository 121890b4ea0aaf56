"""The caches (the renderer's, warm; the disk cache, cold) never change a handout's bytes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest
from jinja2.bccache import bc_magic

from conftest import CLINIC_TOML, DAY, write
from handouts import art, diskcache, figure, language, templating
from handouts.build import load_request, plan_handout, render_handout
from handouts.errors import InputError
from handouts.marks import qr_modules
from handouts.models import Options, Plan
from handouts.printfile import build_piece
from handouts.renderer import Renderer
from pdf_checks import page_texts

ROOT = Path(__file__).resolve().parent.parent
FIVE = ("lunge", "kneeling-hip-flexor", "bridge", "cat-cow", "bed-edge-hang")
LONG_NOTE = "Keep your back long and breathe out slowly before each stretch. " * 14


def override_clinic(folder: Path) -> Path:
    """A clinic with its own labelled anatomy picture, a card picture and a long section."""
    write(folder / "clinic.toml", CLINIC_TOML)
    anatomy = (ROOT / "images" / "anatomy.svg").read_text(encoding="utf-8")
    write(folder / "images" / "anatomy.svg", anatomy.replace(">psoas<", ">your psoas<"))
    write(folder / "images" / "bridge.svg",
          (ROOT / "images" / "lunge.svg").read_text(encoding="utf-8"))
    write(folder / "templates" / "sections" / "why-it-hurts.md.j2",
          "## Why it hurts\n\n" + "Sitting a lot may make it feel tighter. " * 60 + "\n")
    return folder / "clinic.toml"


def plan(clinic: Path | None, name: str, stretches: tuple[str, ...], note: str | None = None,
         **options: object) -> Plan:
    """A plan for the sample (or given) clinic."""
    c, client, lib = load_request(clinic, None, name, stretches, note)
    return plan_handout(c, client, lib, Options(date=DAY, **options))  # type: ignore[arg-type]


def shapes(tmp: Path) -> dict[str, Plan]:
    """Every shipped handout shape: guide and sheet, Letter and A4, 13 and 18 pt, grayscale,
    a clinic's overrides, and a long note that splits across pages."""
    own = override_clinic(tmp / "own")
    return {
        "guide-letter": plan(None, "Jane Doe", FIVE, "Go gently on the left side."),
        "sheet-a4": plan(None, "Omar Haddad", ("bridge", "lunge"), layout="sheet", paper="a4"),
        "sheet-gray": plan(None, "Ruth Cohen", ("cat-cow",), layout="sheet", grayscale=True),
        "guide-large-a4": plan(None, "Mei Lin", ("bridge", "cat-cow"), large_print=True,
                               paper="a4"),
        "gray": plan(None, "Zoë Øvergård", FIVE, grayscale=True),
        "overrides": plan(own, "Ana Souza", ("bridge", "lunge"), "Breathe out."),
        "overrides-gray-large": plan(own, "Kwame Mensah", ("bridge",), large_print=True,
                                     grayscale=True),
        "long-note": plan(None, "Lars Berg", ("bridge",), LONG_NOTE, large_print=True),
    }


def render_all(plans: dict[str, Plan], renderer: Renderer | None = None) -> dict[str, bytes]:
    """Each plan's PDF (a fresh renderer each unless one is given) and one print file."""
    out = {name: render_handout(p, renderer or Renderer()).pdf for name, p in plans.items()}
    out["print-file"] = build_piece(list(plans.values()), renderer=renderer or Renderer()).pdf
    return out


def fresh_process_caches() -> None:
    """Forget what this process keeps outside a renderer (as a new process would)."""
    qr_modules.cache_clear()
    art._checked.cache_clear()  # a clinic's pictures, checked once per process
    templating.environment.cache_clear()  # and with it Jinja's compiled templates
    templating._memo.clear()  # the sections' entries this process has read
    language._CACHE.clear()  # the languages' words, read from their files
    figure._known.clear()  # the sheet's drawings' figure extents


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty disk cache for this test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(diskcache.ENV, str(folder))
    fresh_process_caches()
    return folder


def test_every_shape_same_bytes_cold_warm_and_from_the_disk_cache(
        tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every handout shape and a print file are byte-identical without caches, with an
    empty disk cache, from a filled disk cache (no SVG parsed, no template compiled, no
    section parsed, no drawing rasterised for its figure) and from a warm renderer."""
    plans = shapes(tmp_path)
    monkeypatch.setenv(diskcache.ENV, "off")
    without = render_all(plans)
    monkeypatch.setenv(diskcache.ENV, str(cache_dir))
    fresh_process_caches()
    filling = render_all(plans)
    assert len(list((cache_dir / diskcache.__version__).glob("picture-*.json"))) >= 10
    assert list((cache_dir / diskcache.__version__).glob("qr-*.json"))
    assert list((cache_dir / diskcache.__version__).glob("figure-*.json"))

    def no_parsing(path: Path) -> None:
        raise AssertionError(f"{path} was parsed although the disk cache holds it")

    monkeypatch.setattr(art, "parse_svg", no_parsing)
    monkeypatch.setattr(figure, "_measure", no_parsing)
    fresh_process_caches()
    compiled = []
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda *args, **kwargs: compiled.append(args[1]))  # never called
    parsed = []
    monkeypatch.setattr(templating, "_parser", lambda: parsed.append(1))  # never called
    from_disk = render_all(plans)
    assert compiled == []  # every template came compiled from the disk cache
    assert parsed == []  # and every section parsed from it
    monkeypatch.undo()
    monkeypatch.setenv(diskcache.ENV, str(cache_dir))
    warm = Renderer()
    render_all(plans, warm)
    warmed = render_all(plans, warm)
    for name in without:
        assert filling[name] == without[name], name
        assert from_disk[name] == without[name], name
        assert warmed[name] == without[name], name


def test_damaged_entries_are_ignored_and_rewritten(tmp_path: Path, cache_dir: Path) -> None:
    """Garbage, foreign, truncated or empty cache files give the same bytes and are replaced
    by good entries."""
    own = override_clinic(tmp_path / "own")

    def plans() -> dict[str, Plan]:  # loading checks the clinic's own pictures
        return {"guide": plan(None, "Jane Doe", FIVE, "Go gently."),
                "own": plan(own, "Ana Souza", ("bridge",))}

    good = render_all(plans())
    entries = sorted((cache_dir / diskcache.__version__).glob("*.json"))
    damage = [b"\x00garbage", b'{"key": "someone-else", "data": {}}', b"", b'{"key": "',
              b'{"key": "%s", "data": {"width": 1, "height": 1, "steps": [["c", "__init__", '
              b'[], {}]]}}', b'{"key": "%s", "data": ["1", "0"]}']
    for number, entry in enumerate(entries):
        body = damage[number % len(damage)]
        entry.write_bytes(body.replace(b"%s", entry.stem.encode()) if b"%s" in body else body)
    compiled = sorted((cache_dir / diskcache.__version__).glob("jinja-*.bin"))
    assert compiled  # the section templates, compiled
    for number, entry in enumerate(compiled):
        entry.write_bytes(damage[number % 2] if number % 3 else entry.read_bytes()[:40])
    fresh_process_caches()
    assert render_all(plans()) == good
    for entry in entries:
        assert json.loads(entry.read_bytes())["key"] == entry.stem
    for entry in compiled:
        assert entry.read_bytes().startswith(bc_magic) and entry.stat().st_size > 200


def test_cache_is_private_and_holds_no_client_data(tmp_path: Path, cache_dir: Path) -> None:
    """Cache folders are 0700, files 0600, and nothing in them names the client or the note."""
    render_handout(plan(override_clinic(tmp_path / "own"), "Zebulon Quartermaine",
                        ("bridge", "lunge"), "Your sciatica flared after the fall"), Renderer())
    folders = [cache_dir, cache_dir / diskcache.__version__]
    files = list(folders[1].iterdir())
    assert files
    if os.name == "posix":
        assert all(stat.S_IMODE(f.stat().st_mode) == 0o700 for f in folders)
        assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    every = b"".join(f.read_bytes() for f in files)
    for word in (b"Zebulon", b"Quartermaine", b"sciatica", b"flared"):
        assert word not in every


def test_a_changed_picture_is_drawn_anew(tmp_path: Path, cache_dir: Path) -> None:
    """Editing a clinic's SVG gives its new drawing, not the cached recording of the old."""
    clinic = override_clinic(tmp_path / "own")
    first = render_handout(plan(clinic, "Ana Souza", ("bridge",)), Renderer()).pdf
    svg = clinic.parent / "images" / "anatomy.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace(">your psoas<", ">hip muscle<"),
                   encoding="utf-8")
    second = render_handout(plan(clinic, "Ana Souza", ("bridge",)), Renderer()).pdf
    assert "your psoas" in " ".join(page_texts(first))
    text = " ".join(page_texts(second))
    assert "hip muscle" in text and "your psoas" not in text


def test_cache_off_or_unwritable_still_builds(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """PSOAS_HANDOUTS_CACHE=off writes nothing; a cache folder that cannot be made is passed
    over; both give the same bytes."""
    p = plan(None, "Jane Doe", ("bridge",))
    monkeypatch.setenv(diskcache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    fresh_process_caches()
    off = render_handout(p, Renderer()).pdf
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would go", encoding="utf-8")
    monkeypatch.setenv(diskcache.ENV, str(blocked))
    fresh_process_caches()
    assert render_handout(p, Renderer()).pdf == off
    assert diskcache.store(diskcache.key("qr", "x"), ["0"]) is False


def test_default_folder_follows_xdg_and_the_version(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the variable the cache is $XDG_CACHE_HOME/psoas-handouts/<version>."""
    monkeypatch.delenv(diskcache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if os.name == "nt":
        monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert diskcache.folder() == tmp_path / "psoas-handouts" / diskcache.__version__


def test_renderer_replays_the_labelled_anatomy_drawing(cache_dir: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm renderer draws the labelled anatomy picture from its recording (svglib's
    drawing is not rendered again), with the same bytes."""
    p = plan(None, "Jane Doe", ("bridge",))
    renderer = Renderer()
    first = render_handout(p, renderer).pdf

    def no_render(*args: object) -> None:
        raise AssertionError("a drawing was rendered again")

    monkeypatch.setattr(art, "_render", no_render)
    assert render_handout(replace(p), renderer).pdf == first


BUILD = """
import sys
from handouts.cli import main
try:
    main(["build", "--client", "Jo Bee", "--stretch", "bridge", "--stretch", "lunge",
          "-o", sys.argv[1], "--force"])
except SystemExit as done:
    assert not done.code, done.code
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in (
    "smtplib", "ssl", "email", "svglib", "lxml", "pypdf", "http", "urllib.request", "jinja2",
    "markdown_it"))))
print(type(sys.modules["reportlab.platypus.paragraph"].uri_pat).__name__)
"""


def test_a_cold_build_imports_only_what_it_uses(tmp_path: Path) -> None:
    """A cold `build` never imports SMTP, SSL, http or pypdf; with the disk cache filled not
    svglib, lxml, email, Jinja2 or markdown-it either (the sections come from the cache);
    reportlab's unused address pattern stays uncompiled."""
    env = {**os.environ, diskcache.ENV: str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", BUILD, str(tmp_path / "out.pdf")],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
            for _ in range(2)]
    first, second = (run.stdout.splitlines()[-2:] for run in runs)  # after "Wrote ..."
    # parsing SVGs brings svglib and lxml (and email: svglib reads its own version)
    assert "svglib" in first[0].split()
    assert "jinja2" in first[0].split() and "markdown_it" in first[0].split()
    assert all(m.startswith(("svglib", "lxml", "email", "jinja2", "markdown_it"))
               for m in first[0].split())
    assert second == ["", "LazyPattern"]


def test_section_texts_stay_cached_between_clients_but_client_text_does_not() -> None:
    """A note made of common words ("on the left side") does not empty the renderer's caches:
    section texts and their Markdown stay, and the next client's build takes their line
    breaks from it; the name (in any case) and any piece of the note are gone."""
    renderer = Renderer()
    render_handout(plan(None, "Ana Souza", FIVE, "Go gently on the left side, then rest."),
                   renderer)
    kept = renderer.paragraphs.texts()
    assert len(kept) > 100
    assert any(" the " in text for text in kept)
    words = {w for text in kept for w in text.casefold().replace(",", " ").split()}
    assert not {"ana", "souza"} & words
    joined = "\n".join(kept).casefold()
    kept_blocks = [item for entry in templating._memo.values() if isinstance(entry, dict)
                   for blocks in entry.values() for block in blocks for item in block.items]
    sections = "\n".join([key[0] for key in renderer._markdown] + kept_blocks).casefold()
    assert "psoas" in sections  # the sections' Markdown stays parsed (renderer or templating)
    for piece in ("go gently", "left side", "then rest"):
        assert piece not in joined and piece not in sections
    assert "souza" not in sections
    hits = []
    original = renderer.paragraphs.layout

    def counting(*args: object) -> object:
        found = original(*args)  # type: ignore[arg-type]
        hits.append(found is not None)
        return found

    renderer.paragraphs.layout = counting  # type: ignore[method-assign]
    render_handout(plan(None, "Kwame Mensah", FIVE, "Rest on the right side."), renderer)
    assert sum(hits) > 0.8 * len(hits)


def test_a_print_file_keeps_no_client_text_in_the_renderer(tmp_path: Path) -> None:
    """A print file lays out each handout after its build ended: nothing holding an
    attendee's name or note stays in the renderer's caches."""
    renderer = Renderer()
    plans = [plan(None, "Zebulon Quartermaine", ("bridge",), "Sciatica flared after the fall"),
             plan(None, "Xiomara Vandersloot", ("lunge",), "Ankle brace on the left")]
    build_piece(plans, renderer=renderer)
    held = "\n".join([*renderer.paragraphs.texts(),
                      *(key[0] for key in renderer._markdown)]).casefold()
    for piece in ("zebulon", "quartermaine", "xiomara", "vandersloot", "sciatica flared",
                  "ankle brace"):
        assert piece not in held


def test_a_clinic_svg_checked_once_is_not_parsed_again(tmp_path: Path, cache_dir: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A clinic's SVG that read well is checked from the disk cache in a later run; a
    changed or broken one is parsed (and refused) again."""
    svg = write(tmp_path / "logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="40" '
                'height="20"><rect width="40" height="20" fill="#123"/></svg>')
    art.check_picture(svg)
    art._checked.cache_clear()  # a new process

    def no_parsing(path: Path) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(art, "parse_svg", no_parsing)
    art.check_picture(svg)
    monkeypatch.undo()
    monkeypatch.setenv(diskcache.ENV, str(cache_dir))
    svg.write_text("<svg broken", encoding="utf-8")
    art._checked.cache_clear()
    with pytest.raises(InputError):
        art.check_picture(svg)


def test_section_entries_do_not_tell_a_clients_conditions(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The cached sections are the same files, byte for byte, whoever the handout was for:
    a pregnant client with a note, or a client with no condition (every variant of a section
    that changes with conditions is stored at once); none holds a name or a note."""
    made: list[dict[str, bytes]] = []
    for name, note, conditions in (("Zebulon Quartermaine", "Sciatica flared", ("pregnancy-2",)),
                                   ("Ana Souza", None, ())):
        folder = tmp_path / name.split()[0]
        monkeypatch.setenv(diskcache.ENV, str(folder))
        templating._memo.clear()
        templating.environment.cache_clear()
        render_handout(plan(None, name, ("kneeling-hip-flexor", "cat-cow"), note,
                            conditions=conditions), Renderer())
        made.append({f.name: f.read_bytes() for f in (folder / diskcache.__version__).iterdir()
                     if f.name.startswith("section")})
    assert made[0] == made[1]
    sections = [json.loads(body)["data"] for name, body in made[0].items()
                if not name.startswith("section-info")]
    assert len(sections) >= 8 and any(len(variants) == 4 for variants in sections)  # safety
    every = b"".join(made[0].values())
    for word in (b"Zebulon", b"Quartermaine", b"Sciatica", b"Ana Souza"):
        assert word not in every


def test_a_section_using_client_text_is_never_stored(tmp_path: Path, cache_dir: Path) -> None:
    """A clinic section that prints the client's name or a stretch's title is rendered each
    time and never stored; its neighbours still are."""
    own = override_clinic(tmp_path / "own")
    write(own.parent / "templates" / "sections" / "why-it-hurts.md.j2",
          "## Why it hurts\n\n{{ client.first_name }}, sitting may make it feel tighter.\n")
    first = render_handout(plan(own, "Zebulon Quartermaine", ("bridge",)), Renderer()).pdf
    again = render_handout(plan(own, "Zebulon Quartermaine", ("bridge",)), Renderer()).pdf
    other = render_handout(plan(own, "Ruth Cohen", ("bridge",)), Renderer()).pdf
    assert first == again
    assert "Ruth, sitting" in " ".join(page_texts(other))
    files = list((cache_dir / diskcache.__version__).iterdir())
    assert any(f.name.startswith("section-info") and b'"data":false' in f.read_bytes()
               for f in files)
    assert b"Zebulon" not in b"".join(f.read_bytes() for f in files)


def test_template_toml_comes_parsed_from_the_disk_cache(tmp_path: Path, cache_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A template TOML file parsed once is read from the disk cache later (equal data, the
    parser not called); an edited file is parsed anew; data JSON cannot hold exactly (a
    date) is not stored; a client's file is never stored."""
    import tomllib

    stretch = write(tmp_path / "templates" / "stretches" / "wall.toml",
                    (ROOT / "templates" / "stretches" / "lunge.toml").read_text("utf-8"))
    dated = write(tmp_path / "templates" / "dated.toml", 'day = 2026-11-22\nword = "x"\n')
    first = diskcache.load_template_toml(stretch)
    assert diskcache.load_template_toml(dated)["day"] == DAY
    stored = list((cache_dir / diskcache.__version__).glob("toml-*.json"))
    assert len(stored) == 1 and json.loads(stored[0].read_bytes())["data"]["table"] == first
    parsed: list[str] = []
    real = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text: parsed.append(text) or real(text))
    assert diskcache.load_template_toml(stretch) == first and parsed == []
    stretch.write_text(stretch.read_text("utf-8").replace("reps = 3", "reps = 4", 1), "utf-8")
    assert diskcache.load_template_toml(stretch)["dose"]["reps"] == 4 and len(parsed) == 1
    assert diskcache.load_template_toml(dated)["day"] == DAY and len(parsed) == 2
    client = write(tmp_path / "client.toml", 'name = "Zebulon Quartermaine"\n')
    plan(None, "Jo", ("bridge",))
    from handouts.content import load_client

    load_client(client)
    every = b"".join(f.read_bytes() for f in (cache_dir / diskcache.__version__).iterdir())
    assert b"Zebulon" not in every and b'"dose"' in every


FONTS_BUILD = """
import sys
from reportlab.pdfbase import ttfonts
if sys.argv[2] == "no-parsing":
    def refuse(*args, **kwargs):
        raise AssertionError("a font file was parsed")
    ttfonts.TTFontFile.extractInfo = refuse
from handouts.build import load_request, plan_handout, render_handout
from handouts.models import Options
import datetime
clinic, client, library = load_request(None, None, "Zoë Øvergård", ("bridge", "lunge"))
options = Options(date=datetime.date(2026, 11, 22), layout=sys.argv[3])
open(sys.argv[1], "wb").write(render_handout(plan_handout(clinic, client, library, options)).pdf)
"""


def test_fonts_come_parsed_from_the_disk_cache_with_the_same_bytes(tmp_path: Path) -> None:
    """A fresh process remakes the five font faces from the disk cache without parsing a font
    file, and its guide and sheet are byte-identical to builds that parsed them (cache off,
    cache filling)."""
    cache = tmp_path / "cache"
    out: dict[str, bytes] = {}
    for setting, mode in (("off", "parse"), (str(cache), "parse"), (str(cache), "no-parsing")):
        for layout in ("guide", "sheet"):
            pdf = tmp_path / f"{mode}-{layout}.pdf"
            subprocess.run([sys.executable, "-c", FONTS_BUILD, str(pdf), mode, layout],
                           env={**os.environ, diskcache.ENV: setting}, check=True,
                           capture_output=True)
            out[f"{setting}-{mode}-{layout}"] = pdf.read_bytes()
    assert len(list((cache / diskcache.__version__).glob("font-*.bin"))) == 5
    for layout in ("guide", "sheet"):
        assert len({v for k, v in out.items() if k.endswith(layout)}) == 1, layout


def test_a_font_face_remade_from_the_disk_cache_is_the_parsed_one(
        cache_dir: Path) -> None:
    """Every field of each remade face and font equals (and has the type of) a fresh
    parse's; a damaged or foreign entry is ignored, the file parsed and the entry rewritten."""
    import hashlib

    from reportlab.pdfbase.ttfonts import TTFont

    from handouts import fonts

    for number, path in enumerate(fonts.builtin_fonts().values()):
        data = path.read_bytes()
        content = hashlib.sha1(data).hexdigest()
        parsed = TTFont("parsed", str(path))
        fonts._font("kept", path, data, content)  # parsed and stored
        entry = cache_dir / diskcache.__version__ / \
            f"{diskcache.key('font', sys.version, content)}.bin"
        if number % 2:
            good = entry.read_bytes()
            entry.write_bytes(good[:len(good) // 2] if number == 1 else
                              b"\x80\x04cos\nsystem\n(S'echo owned'\ntR.")
            assert fonts._restore(entry.read_bytes(), "x", str(path), data) is None
        remade = fonts._font("remade", path, data, content)
        a, b = dict(vars(parsed.face)), dict(vars(remade.face))
        scale_a, scale_b = a.pop("_pdfScale"), b.pop("_pdfScale")
        assert a == b and all(type(a[k]) is type(b[k]) for k in a), path.name
        assert a["name"].ustr == b["name"].ustr
        assert [scale_a(v) for v in (1, 77, 1000, -3)] == [scale_b(v) for v in (1, 77, 1000, -3)]
        mine = {k: v for k, v in vars(parsed).items() if k not in ("face", "state", "fontName")}
        theirs = {k: v for k, v in vars(remade).items() if k not in ("face", "state", "fontName")}
        assert mine.keys() == theirs.keys() and remade.fontName == "remade"
        assert mine["_asciiReadable"] == theirs["_asciiReadable"]
        assert type(remade.state) is type(parsed.state) and not remade.state
        assert fonts._restore(entry.read_bytes(), "x", str(path), data) is not None
