"""The header band's who-and-when column: the date on one line where the title can keep its
own line (Spanish on Letter), nothing cut, and the other languages' bands as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_pdf
from pdf_checks import reader

SAMPLE_CLIENT = Path(__file__).parent.parent / "handouts" / "samples" / "client.toml"


def first_lines(pdf: bytes) -> list[str]:
    """The first page's text lines (as a PDF reader joins the words of one line)."""
    return [" ".join(line.split()) for line in reader(pdf).pages[0].extract_text().splitlines()]


@pytest.mark.parametrize(("client", "layout"), [(SAMPLE_CLIENT, "guide"), (None, "guide"),
                                                (None, "sheet")])
def test_spanish_date_and_title_each_keep_one_line_on_letter(client: Path | None,
                                                             layout: str) -> None:
    """On Letter the Spanish header prints its date on one line (it wrapped after "de") and
    its title on one line, with every line of the band whole."""
    name = None if client else "Ana Silva"
    stretches = () if client else ("bridge", "lunge")
    pdf = build_pdf(client=client, name=name, stretches=stretches, language="es",
                    paper="letter", layout=layout)
    lines = first_lines(pdf)
    assert "Fecha: 22 de noviembre de 2026" in lines, lines[:10]
    assert "Su psoas: guía para llevar a casa" in lines, lines[:10]
    assert "De: Sam Rivera, LMT" in lines
    assert f"Para: {name or 'Alex Sample'}" in lines
    if client:  # the client's next visit may wrap, but is all there
        assert "Próxima visita: Wednesday, December 2, 10 a.m." in " ".join(lines)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_english_header_keeps_its_lines(paper: str) -> None:
    """The English header, whose date always fitted, keeps its title and date lines."""
    lines = first_lines(build_pdf(client=SAMPLE_CLIENT, paper=paper))
    assert "Your psoas: a take-home guide" in lines
    assert "Date: November 22, 2026" in lines
