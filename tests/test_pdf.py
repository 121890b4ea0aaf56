"""The PDF read back: text and order, pages, fonts, metadata, bookmarks, links, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import build_pdf, build_result
from handouts.build import load_request, plan_handout, render_handout
from pdf_checks import (
    PAGE_X_OF_Y,
    all_text,
    assert_in_order,
    folded,
    font_sizes,
    fonts,
    links,
    outline_titles,
    page_of,
    page_texts,
    reader,
)

STRETCH_TITLES = ["Standing lunge", "Kneeling hip flexor", "Bridge", "Cat-cow", "Bed edge"]


def test_sections_print_in_order(sample_pdf: bytes) -> None:
    """The guide puts the exercises first: the note, key points and the stretch cards, then
    the background, the log, safety and contact."""
    assert_in_order(all_text(sample_pdf), "A note from", "Key points", "Your stretches",
                    "1. Kneeling", "2. Bed", "3. Bridge", "What is the psoas?",
                    "Why can it get tight or sore?", "How massage may help",
                    "What you can do between visits", "My week", "When to stop",
                    "right away if you have", "not medical advice", "Questions?")


def test_key_facts_are_present(sample_pdf: bytes) -> None:
    """The anatomy facts the issue asks for are in the text."""
    text = all_text(sample_pdf)
    for fact in ("SO-az", "lowest bone of your middle back", "five bones of your low back",
                 "pelvis", "thigh bone", "hip flexor", "climb stairs", "sit up", "Sitting",
                 "Running and cycling", "Stress",
                 "Pregnancy", "low back", "knee", "Move every hour", "core"):
        assert fact in text, fact


def test_header_names_client_date_therapist_next_visit(sample_pdf: bytes) -> None:
    """Page 1 carries clinic, client, date, therapist with credentials and next visit."""
    first = page_texts(sample_pdf)[0]
    for part in ("Sample Massage Studio", "For: Alex Sample", "Date: November 22, 2026",
                 "From: Sam Rivera, LMT", "Next visit: Wednesday, December 2, 10 a.m."):
        assert part in first, part


def test_footer_on_every_page(five_pdf: bytes) -> None:
    """Every page has the clinic phone, the client's initials and "Page X of Y"."""
    pages = page_texts(five_pdf)
    for number, text in enumerate(pages, start=1):
        match = PAGE_X_OF_Y.search(text)
        assert match and (int(match[1]), int(match[2])) == (number, len(pages))
        assert "(555) 010-0123" in text and "For J.D." in text


def test_dose_line_and_steps_on_each_card(five_pdf: bytes) -> None:
    """Each card has its numbered title, steps and a dose line."""
    text = all_text(five_pdf)
    assert_in_order(text, "1. Standing lunge", "Hold 30 seconds · 3 times on each side",
                    "2. Kneeling", "3. Bridge", "Hold 5 seconds · 10 times", "4. Cat-cow",
                    "Move slowly, 10 times", "5. Bed edge")


def test_fonts_are_embedded_truetype(five_pdf: bytes) -> None:
    """Every font is an embedded TrueType subset; Atkinson Hyperlegible is the house face."""
    used = fonts(five_pdf)
    assert used and all(f.embedded for f in used), used
    assert any("AtkinsonHyperlegible" in f.name for f in used)
    assert not any("Helvetica" in f.name for f in used)


def test_no_text_below_12_points(five_pdf: bytes) -> None:
    """Nothing anywhere is smaller than 12 pt (13 pt body)."""
    sizes = font_sizes(five_pdf)
    assert min(size for size, _ in sizes) >= 12 - 0.01
    body = [size for size, text in sizes if "feel looser after massage" in text]
    assert body and body[0] == pytest.approx(13, abs=0.01)


def test_large_print_is_18_points() -> None:
    """--large-print sets body text at 18 pt."""
    sizes = font_sizes(build_pdf(name="Jane Doe", stretches=("bridge",), large_print=True))
    body = [size for size, text in sizes if "feel looser after massage" in text]
    assert body and body[0] == pytest.approx(18, abs=0.01)
    assert min(size for size, _ in sizes) >= 12 - 0.01


def test_metadata(five_pdf: bytes) -> None:
    """Title, author, subject, keywords, language and display-title are set."""
    pdf = reader(five_pdf)
    info = pdf.metadata
    assert info.title == "Your psoas: a take-home guide for Jane Doe"
    assert info.author == "Riverside Massage & Wellness"
    assert "Psoas self-care" in info.subject and "psoas" in info["/Keywords"]
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en-US"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True


def test_bookmarks_for_sections_and_stretches(five_pdf: bytes) -> None:
    """One bookmark per section, with the stretches nested under "Your stretches"."""
    marks = outline_titles(five_pdf)
    titles = [t for _, t in marks]
    assert titles[0] == "Your stretches"  # the exercises come first in the guide
    assert titles.index("What is the psoas?") > titles.index("Your stretches")
    assert ("When to stop and when to get help") in titles
    nested = [t for level, t in marks if level == 1]
    assert [t.split(". ", 1)[0] for t in nested] == ["1", "2", "3", "4", "5"]


def test_contact_links_are_clickable(five_pdf: bytes) -> None:
    """Phone, email, website and booking URL are links."""
    uris = links(five_pdf)
    for uri in ("tel:5550100123", "mailto:care@riverside.example",
                "https://riverside.example", "https://riverside.example/book"):
        assert uri in uris


def test_qr_code_only_with_booking_url(clinic_dir: Path) -> None:
    """The QR code and "Scan to book" appear only when there is a booking URL."""
    with_url = all_text(build_pdf(clinic_dir, name="A B", stretches=("bridge",)))
    assert "Scan to book" in with_url
    toml = clinic_dir / "clinic.toml"
    toml.write_text("\n".join(line for line in toml.read_text().splitlines()
                              if not line.startswith("booking_url")))
    assert "Scan to book" not in all_text(build_pdf(clinic_dir, name="A B",
                                                    stretches=("bridge",)))


def test_letter_default_and_a4(clinic_dir: Path) -> None:
    """Letter by default; A4 on request."""
    letter = reader(build_pdf(name="A B", stretches=("bridge",))).pages[0].mediabox
    a4 = reader(build_pdf(name="A B", stretches=("bridge",), paper="a4")).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_same_inputs_same_bytes() -> None:
    """Deterministic output: two builds are byte-identical."""
    one = build_pdf(name="Jane Doe", stretches=("lunge", "bridge"), note="x")
    two = build_pdf(name="Jane Doe", stretches=("lunge", "bridge"), note="x")
    assert one == two


@pytest.mark.parametrize("large_print", [False, True])
def test_cards_stay_whole_when_they_fit(large_print: bool) -> None:
    """A card that fits on a page is placed whole on one page with its title; one taller than
    a page (large print) splits only between its rows, onto the next page, and keeps its
    title and picture together on the first."""
    ids = ("lunge", "kneeling-hip-flexor", "butterfly", "bed-edge-hang", "supine-towel-release",
           "side-lying-stretch", "seated-stretch", "ball-release")
    result = build_result(name="Jane Doe", stretches=ids, large_print=large_print)
    placed: dict[str, list[int]] = {}
    for name, page in result.placed:
        if name in ids:
            placed.setdefault(name, []).append(page)
    assert sorted(placed) == sorted(ids)
    pages = page_texts(result.pdf)
    for number, sid in enumerate(ids, start=1):
        parts = placed[sid]
        if not large_print:
            assert len(parts) == 1, sid  # normal print: every card fits whole
        assert parts == list(range(parts[0], parts[0] + len(parts))), sid  # consecutive
        stretch_title = result.plan.stretches[number - 1].stretch.title
        # (its page holds its title; in large print page 1 may list it too, before the cards)
        title = f"{number}. {stretch_title}"
        assert title in pages[parts[0] - 1], sid
        assert page_of(pages[1:], title) + 2 == parts[0] or parts[0] == 1, sid


def test_names_in_many_scripts_print() -> None:
    """Accented, Vietnamese, Nordic and Cyrillic names print (fallback face where needed)."""
    for name in ("José Núñez", "Nguyễn Thị Minh", "Zoë Øvergård", "Дмитрий", "Łódź Ångström"):
        text = all_text(build_pdf(name=name, stretches=("bridge",)))
        assert f"For: {name}" in text, name


@pytest.mark.parametrize("note", ["<b>bold?</b> & <i>", "R&D says x<y", "&#99999999;",
                                  '<img src="/etc/passwd"/>', '<a href="javascript:x">y</a>',
                                  "*stars* and # hash and [link](http://x)"])
def test_markup_in_notes_prints_literally(note: str) -> None:
    """Client text is never parsed as markup: it prints exactly as typed."""
    pdf = build_pdf(name="Jane <Doe>", stretches=("bridge",), note=note)
    text = all_text(pdf)
    assert folded(note) in text and "For: Jane <Doe>" in text
    assert not any("javascript" in uri or uri.startswith("file") for uri in links(pdf))


def test_long_words_and_urls_wrap_inside_the_margin() -> None:
    """A very long URL in a note wraps and stays on the page."""
    url = "https://example.com/" + "a" * 250
    pdf = build_pdf(name="Jane", stretches=("bridge",), note=url)
    assert url in all_text(pdf).replace(" ", "")


names = st.text(st.characters(codec="latin-1", exclude_categories=("Cc", "Cs", "Zs")),
                min_size=1, max_size=30)
notes = st.text(st.characters(codec="latin-1", exclude_categories=("Cc", "Cs")),
                min_size=1, max_size=120)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names, note=notes)
def test_unicode_round_trip(name: str, note: str) -> None:
    """Any printable Latin text in a name or note reads back from the PDF unchanged."""
    from handouts.text import one_line

    assume(one_line(name))  # a name of only invisible characters (U+00AD) is refused earlier
    clinic, client, library = load_request(None, None, name, ("bridge",), note)
    if not client.name.strip() or not note.strip():
        return
    text = all_text(render_handout(plan_handout(clinic, client, library)).pdf)
    assert folded(client.name) in text
    assert folded(client.note) in text


def test_leave_out_sections() -> None:
    """Sections named in leave_out are not printed; safety always is."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.toml"
        path.write_text('name = "Jane"\nstretches = ["bridge"]\n'
                        'leave_out = ["why-it-hurts", "log"]\n')
        text = all_text(build_pdf(client=path))
    assert "Why can it get tight" not in text and "My week" not in text
    assert "When to stop" in text
