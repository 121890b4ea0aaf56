"""The batch as a pipeline: files as they are rendered, a print file streamed from pieces."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from test_batch import write_csv

from conftest import DAY
from handouts import batch as batch_module
from handouts.batch import run_batch
from handouts.batchplan import Workshop, plan_batch
from handouts.content import load_clinic, load_library
from handouts.errors import LayoutError
from handouts.models import Options
from handouts.roster import read_roster
from pdf_checks import outline_titles, page_texts, reader

NAMES = ["Ana Silva", "Bob Brown", "Cy Young", "Di Prince", "Ed Stone"]


def _batch(tmp_path: Path, names: list[str], large: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    tmp_path.mkdir(exist_ok=True)
    path = write_csv(tmp_path / "r.csv", ["name", "large_print"],
                     [(n, "yes" if n in large else "") for n in names])
    return plan_batch(read_roster(path), load_clinic(None), load_library(None), Workshop(),
                      ("bridge", "lunge"), Options(date=DAY), tmp_path / "out")


@pytest.mark.parametrize("jobs", [1, 2])
def test_print_file_from_pieces_keeps_order_bookmarks_padding_and_page_numbers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """A print file stitched from several pieces has every handout in order, its bookmark,
    its own "Page X of Y", duplex padding, and opens in two PDF readers."""
    monkeypatch.setattr(batch_module, "PIECE_ROWS", 2)
    batch = _batch(tmp_path, NAMES, large=("Cy Young",))
    result = run_batch(batch, jobs=jobs, print_file=tmp_path / "out" / "print.pdf")
    pdf = (tmp_path / "out" / "print.pdf").read_bytes()
    counts = [o.pages for o in result.outcomes]
    padded = [c + c % 2 for c in counts]
    document = reader(pdf)
    document.strict = True
    assert len(document.pages) == sum(padded) == result.print_pages
    assert [t for level, t in outline_titles(pdf) if level == 0] == NAMES
    texts = page_texts(pdf)
    start = 0
    for name, count, pad in zip(NAMES, counts, padded, strict=True):
        assert f"For: {name}" in texts[start]
        for page in range(count):
            assert f"Page {page + 1} of {count}" in texts[start + page]
        if pad > count:
            assert texts[start + count].strip() == ""
        start += pad
    prefs = document.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge" and prefs["/PrintScaling"] == "/None"
    rendered = pdfium.PdfDocument(pdf)
    try:
        assert len(rendered) == sum(padded)
        assert [rendered[i].get_size() for i in (0, padded[0])] == [(612.0, 792.0)] * 2
    finally:
        rendered.close()


def test_print_file_is_the_same_whatever_the_jobs(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Several pieces give byte-identical print files with one job and with two."""
    monkeypatch.setattr(batch_module, "PIECE_ROWS", 2)
    files = []
    for jobs in (1, 2):
        batch = _batch(tmp_path / str(jobs), NAMES)
        run_batch(batch, jobs=jobs, print_file=tmp_path / f"{jobs}.pdf")
        files.append((tmp_path / f"{jobs}.pdf").read_bytes())
    assert files[0] == files[1]


def test_files_are_written_while_the_print_file_is_built(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Each attendee's file is on disk as soon as it is rendered, and the print file grows
    alongside (progress for both stages), not after every single file."""
    monkeypatch.setattr(batch_module, "PIECE_ROWS", 2)
    batch = _batch(tmp_path, NAMES * 2)
    events: list[tuple[str, int, bool]] = []
    files = {a.line: a.path for a in batch.attendees}

    def progress(stage: str, done: int, total: int) -> None:
        on_disk = sum(path.exists() for path in files.values())
        events.append((stage, done, on_disk >= done if stage == "handouts" else True))

    run_batch(batch, jobs=2, print_file=tmp_path / "out" / "print.pdf", progress=progress)
    handouts = [e for e in events if e[0] == "handouts"]
    printed = [e for e in events if e[0] == "print file"]
    assert [done for _, done, _ in handouts] == list(range(1, 11))
    assert all(ok for _, _, ok in handouts)
    # Pieces may finish out of order; one that waits for an earlier one is placed with it,
    # so there may be fewer events than pieces, but they only grow and end at every row.
    done = [placed for _, placed, _ in printed]
    assert done == sorted(set(done)) and done[-1] == 10 and len(done) >= 2
    assert events.index(printed[0]) < events.index(handouts[-1])


def test_a_row_that_cannot_be_rendered_fails_alone(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A row whose handout cannot be laid out is that row's failure; the others are written,
    and the print file is not written without it (the reason is given, no later piece of it
    is built)."""
    real = batch_module.render_handout

    def render(plan, renderer=None):  # type: ignore[no-untyped-def]
        if plan.client.name == "Bob Brown":
            raise LayoutError("a part of the handout is taller than a page")
        return real(plan, renderer)

    real_piece = batch_module.build_piece
    pieces: list[str] = []

    def piece(plans, **options):  # type: ignore[no-untyped-def]
        pieces.extend(plan.client.name for plan in plans)
        if any(plan.client.name == "Bob Brown" for plan in plans):
            raise LayoutError("a part of the handout is taller than a page")
        return real_piece(plans, **options)

    monkeypatch.setattr(batch_module, "render_handout", render)
    monkeypatch.setattr(batch_module, "build_piece", piece)
    monkeypatch.setattr(batch_module, "PIECE_ROWS", 1)
    batch = _batch(tmp_path, ["Ana Silva", "Bob Brown", "Cy Young"])
    result = run_batch(batch, jobs=1, print_file=tmp_path / "out" / "print.pdf")
    assert [o.status for o in result.outcomes] == ["written", "failed", "written"]
    assert "taller than a page" in result.outcomes[1].reason
    assert result.print_file is None and "taller than a page" in result.print_error
    assert not (tmp_path / "out" / "print.pdf").exists()
    assert not list((tmp_path / "out").glob(".partial-*"))
    assert pieces == ["Ana Silva", "Bob Brown"]  # no piece is built after one has failed


def test_warnings_keep_the_roster_order_whatever_order_rows_finish_in(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch's warnings come in roster order, each once, as with one job, even when the
    workers hand the rows back in another order."""
    monkeypatch.setattr(batch_module, "PIECE_ROWS", 2)

    def planned(folder: Path):  # type: ignore[no-untyped-def]
        folder.mkdir()
        path = write_csv(folder / "r.csv", ["name", "stretches"],
                         [(n, "bridge;cat-cow") for n in NAMES])
        return plan_batch(read_roster(path), load_clinic(None), load_library(None), Workshop(),
                          (), Options(date=DAY), folder / "out")

    expected = run_batch(planned(tmp_path / "one"), jobs=1).warnings

    def backwards(pool, tasks, jobs, take):  # type: ignore[no-untyped-def]
        for item in reversed([batch_module._work(task) for task in tasks]):
            take(item)

    monkeypatch.setattr(batch_module, "_in_workers", backwards)
    result = run_batch(planned(tmp_path / "two"), jobs=2, workers=object(),  # type: ignore[arg-type]
                       print_file=tmp_path / "two" / "print.pdf")
    assert len(expected) == len(NAMES)
    assert [f"line {n}:" in w for n, w in zip(range(2, 7), expected, strict=True)] == [True] * 5
    assert result.warnings == expected
    assert result.print_file is not None  # the pieces came back in reverse order too
