"""Review tool: all pictures at card size on Letter pages, as a PDF and a ~100 dpi PNG.

Usage (from the repo root): python tools/art/contact_sheet.py [/path/to/sheet.pdf]
Writes the PDF and a PNG beside it (same name, .png; the pages one above the other);
default /tmp/contact-sheet.pdf.
Needs reportlab, svglib and pypdfium2 (the test extras).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2
from PIL import Image
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from svglib.fonts import register_font
from svglib.svglib import svg2rlg

IMAGES = Path(__file__).resolve().parents[2] / "images"
ORDER = ["anatomy", "lunge", "kneeling-hip-flexor", "standing-hip-flexor", "chair-hip-flexor",
         "side-lying-hip-flexor", "butterfly", "bed-edge-hang", "supine-towel-release",
         "side-lying-stretch", "seated-stretch", "ball-release", "bridge", "cat-cow",
         "leg-lowering"]
CARD_W, ANATOMY_W = 2.3 * 72, 2.5 * 72
MARGIN, GAP, CAPTION = 0.5 * 72, 10.0, 16.0


def _font() -> str:
    """Map the SVG font name to the packaged Atkinson Hyperlegible if it is installed."""
    try:
        import fontpkg_atkinson_hyperlegible as atkinson
    except ImportError:
        register_font("Atkinson Hyperlegible", rlgFontName="Helvetica")
        return "Helvetica"
    path = atkinson.ROOT / "files" / "AtkinsonHyperlegible-Regular.ttf"
    name, _ = register_font("Atkinson Hyperlegible", str(path))
    return name or "Helvetica"


def build(pdf_path: Path) -> Path:
    font = _font()
    page_w, page_h = letter
    pdf = canvas.Canvas(str(pdf_path), pagesize=letter)
    pdf.setTitle("Psoas handout pictures: contact sheet")
    x, y, row_h = MARGIN, page_h - MARGIN, 0.0
    for name in ORDER:
        drawing = svg2rlg(str(IMAGES / f"{name}.svg"))
        width = ANATOMY_W if name == "anatomy" else CARD_W
        scale = width / drawing.width
        height = drawing.height * scale
        if x + width > page_w - MARGIN + 1:
            x, y, row_h = MARGIN, y - row_h - GAP, 0.0
        if y - height - CAPTION < MARGIN:
            pdf.showPage()
            x, y, row_h = MARGIN, page_h - MARGIN, 0.0
        pdf.saveState()
        pdf.translate(x, y - height)
        pdf.scale(scale, scale)
        renderPDF.draw(drawing, pdf, 0, 0)
        pdf.restoreState()
        pdf.setStrokeColorRGB(0.85, 0.87, 0.9)
        pdf.rect(x, y - height, width, height, stroke=1, fill=0)
        pdf.setFont(font, 10)
        pdf.drawCentredString(x + width / 2, y - height - 12, name)
        x += width + GAP
        row_h = max(row_h, height + CAPTION)
    pdf.showPage()
    pdf.save()
    png_path = pdf_path.with_suffix(".png")
    document = pypdfium2.PdfDocument(str(pdf_path))
    pages = [page.render(scale=100 / 72).to_pil() for page in document]
    document.close()
    sheet = Image.new("RGB", (pages[0].width, sum(p.height for p in pages)), "white")
    top = 0
    for page in pages:
        sheet.paste(page, (0, top))
        top += page.height
    sheet.save(png_path)
    return png_path


def main(argv: list[str]) -> int:
    pdf_path = Path(argv[1]) if len(argv) > 1 else Path("/tmp/contact-sheet.pdf")
    png_path = build(pdf_path)
    print(f"wrote {pdf_path} and {png_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
