"""Damaged and exported pictures: embedded SVG rasters work, broken files are one line."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from conftest import build_pdf, write
from handouts.cli import main
from handouts.content import load_clinic, load_library
from handouts.errors import InputError


def png_bytes(size: tuple[int, int] = (40, 20), mode: str = "RGBA") -> bytes:
    """A small PNG: a red block with a half-transparent band (a typical logo raster)."""
    image = Image.new(mode, size, (200, 30, 30, 255) if mode == "RGBA" else (200, 30, 30))
    for x in range(size[0]):
        image.putpixel((x, size[1] // 2), (20, 20, 200, 128) if mode == "RGBA" else (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def logo_svg(href: str) -> str:
    """An exported-logo style SVG: a vector shape plus an <image> with the given href."""
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'width="400" height="300" viewBox="0 0 400 300">'
            '<rect x="0" y="0" width="400" height="300" fill="#dde8ee"/>'
            f'<image x="40" y="40" width="320" height="160" xlink:href="{href}"/>'
            '<circle cx="200" cy="250" r="30" fill="#1f5f7a"/></svg>')


def data_uri(data: bytes, kind: str = "png") -> str:
    """A data: URI as drawing programs write it."""
    return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")


def image_xobjects(pdf: bytes) -> list[tuple[int, int]]:
    """(width, height) of every image XObject on every page."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in (page["/Resources"].get("/XObject") or {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append((int(obj["/Width"]), int(obj["/Height"])))
    return found


def with_logo(clinic_dir: Path, name: str) -> None:
    """Point the clinic's `logo` at images/<name>."""
    toml = clinic_dir / "clinic.toml"
    toml.write_text(f'logo = "images/{name}"\n' + toml.read_text("utf-8"), "utf-8")


def test_logo_svg_with_embedded_png_builds_with_an_image(clinic_dir: Path) -> None:
    """An SVG logo embedding a PNG (data: URI) builds, and the PNG is an image XObject."""
    write(clinic_dir / "images" / "logo.svg", logo_svg(data_uri(png_bytes())))
    with_logo(clinic_dir, "logo.svg")
    pdf = build_pdf(clinic_dir, name="Jane Doe", stretches=("bridge",))
    assert (40, 20) in image_xobjects(pdf)


@pytest.mark.parametrize("grayscale", (False, True))
def test_stretch_picture_override_with_embedded_raster(clinic_dir: Path,
                                                       grayscale: bool) -> None:
    """An override picture embedding a PNG draws in colour and in gray, in every handout
    of a run (the second build reuses the compressed image: same bytes, a valid PDF)."""
    jpeg = io.BytesIO()
    Image.new("RGB", (30, 30), (10, 140, 60)).save(jpeg, "JPEG")
    svg = logo_svg(data_uri(png_bytes((50, 24)))).replace(
        "</svg>", f'<image x="0" y="0" width="30" height="30" '
                  f'href="{data_uri(jpeg.getvalue(), "jpeg")}"/></svg>')
    write(clinic_dir / "images" / "lunge.svg", svg)
    builds = []
    for _ in range(2):
        pdf = build_pdf(clinic_dir, name="Jane Doe", stretches=("lunge",), grayscale=grayscale)
        builds.append(pdf)
        sizes = image_xobjects(pdf)
        assert (50, 24) in sizes and (30, 30) in sizes
        for page in PdfReader(io.BytesIO(pdf)).pages:
            page.extract_text()  # every page parses
    assert builds[0] == builds[1]


@pytest.mark.parametrize("href", ("secret.png", "file:///etc/hostname", "../outside.png",
                                  "http://example.com/logo.png", "logo.svg#x"))
def test_svg_links_to_files_or_the_web_are_refused(clinic_dir: Path, href: str) -> None:
    """An <image> naming a file or address (not embedded data) is one line naming the SVG;
    the linked file is never read into the handout."""
    (clinic_dir / "images" / "secret.png").write_bytes(png_bytes((33, 17)))
    (clinic_dir / "outside.png").write_bytes(png_bytes((33, 17)))
    write(clinic_dir / "images" / "logo.svg", logo_svg(href))
    with_logo(clinic_dir, "logo.svg")
    with pytest.raises(InputError) as caught:
        load_clinic(clinic_dir / "clinic.toml")
    message = str(caught.value)
    assert "logo.svg" in message and "links to another file" in message
    assert "\n" not in message


def truncated_jpeg() -> bytes:
    """The first half of a real JPEG (a download cut short)."""
    image = Image.new("RGB", (400, 300))
    for x in range(0, 400, 3):
        for y in range(0, 300, 3):
            image.putpixel((x, y), (x % 256, y % 256, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


def corrupt_png() -> bytes:
    """A PNG whose compressed pixel data was damaged (bytes flipped in IDAT)."""
    data = bytearray(png_bytes((300, 200), "RGB"))
    start = data.index(b"IDAT") + 8
    for i in range(start, min(start + 40, len(data) - 16)):
        data[i] ^= 0x5A
    return bytes(data)


@pytest.mark.parametrize(("name", "data"), (("lunge.jpg", truncated_jpeg()),
                                            ("lunge.png", corrupt_png())))
def test_damaged_override_picture_fails_at_load(clinic_dir: Path, name: str,
                                                data: bytes) -> None:
    """A truncated JPEG or corrupt PNG stops loading the library with one line naming it."""
    (clinic_dir / "images" / name).write_bytes(data)
    with pytest.raises(InputError) as caught:
        load_library(clinic_dir)
    message = str(caught.value)
    assert message.startswith(str(clinic_dir / "images" / name))
    assert "cannot be read" in message and "\n" not in message


@pytest.mark.parametrize(("name", "data"), (("logo.jpg", truncated_jpeg()),
                                            ("logo.png", corrupt_png()),
                                            ("logo.svg", "<svg><image href='data:image/png;"
                                                         "base64,iVBORw0KGgoAAAAN'/></svg>")))
def test_damaged_logo_fails_when_the_clinic_loads(clinic_dir: Path, name: str,
                                                  data: bytes | str) -> None:
    """A damaged logo (raster, or a broken raster inside an SVG) is one line at load time."""
    path = clinic_dir / "images" / name
    if isinstance(data, str):
        path.write_text(data, "utf-8")
    else:
        path.write_bytes(data)
    with_logo(clinic_dir, name)
    with pytest.raises(InputError) as caught:
        load_clinic(clinic_dir / "clinic.toml")
    assert str(path) in str(caught.value)


def test_oversized_embedded_picture_is_refused(clinic_dir: Path) -> None:
    """An embedded raster over the pixel limit is refused before its pixels are decoded."""
    big = io.BytesIO()
    Image.new("L", (8000, 6000)).save(big, "PNG")  # 48 million pixels, a few KB compressed
    write(clinic_dir / "images" / "lunge.svg", logo_svg(data_uri(big.getvalue())))
    with pytest.raises(InputError, match="8000 × 6000 pixels"):
        load_library(clinic_dir)


def test_batch_with_a_broken_picture_is_one_line_before_any_row(clinic_dir: Path,
                                                                 tmp_path: Path) -> None:
    """`batch` with a clinic whose override picture is damaged: one error line, exit 1, no
    traceback, and no handout or manifest written (it fails while loading)."""
    (clinic_dir / "images" / "lunge.jpg").write_bytes(truncated_jpeg())
    roster = write(tmp_path / "roster.csv", "name,stretches\nAnn Lee,lunge\nBo Chen,bridge\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(roster), "--clinic", str(clinic_dir),
                                       "--out-dir", str(out), "--jobs", "1",
                                       "--date", "2026-11-22"])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                     SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "lunge.jpg" in lines[0]
    assert not out.exists() or not os.listdir(out)


@pytest.mark.parametrize("mode", ("RGB", "RGBA"))
def test_raster_picture_in_two_handouts_of_one_run(clinic_dir: Path, mode: str) -> None:
    """A PNG override (opaque or with transparency) drawn in a second handout of the same
    process is still a valid image: a real mask or soft mask, never '/Mask [a u t o]'."""
    (clinic_dir / "images" / "lunge.png").write_bytes(png_bytes((700, 525), mode))
    for _ in range(2):
        pdf = build_pdf(clinic_dir, name="Jane Doe", stretches=("lunge",))
        assert b"/Mask [ a u t o ]" not in pdf
        images = [ref.get_object() for page in PdfReader(io.BytesIO(pdf)).pages
                  for ref in (page["/Resources"].get("/XObject") or {}).values()]
        picture = next(i for i in images if i.get("/Width") == 700)
        assert ("/SMask" in picture) == (mode == "RGBA")
        picture.get_data()  # the stream decodes
