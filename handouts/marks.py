"""Drawn marks: the booking QR code, the tick log's boxes, the warning sign and a picture
with its caption.

Small reportlab flowables that draw shapes themselves (no font has the marks they need); the
layout modules place them. The QR code's modules are kept in the disk cache.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph


@lru_cache(maxsize=64)
def qr_modules(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's dark modules for ``url`` (the clinic's booking address): encoded once
    per process, and kept in the disk cache (encoding takes a cold build ~15 ms)."""
    from . import diskcache

    name = diskcache.key("qr", url)
    rows = diskcache.load(name)
    if _qr_rows_ok(rows):
        return tuple(tuple(c == "1" for c in row) for row in rows)
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    modules = tuple(tuple(bool(m) for m in row) for row in code.modules)
    diskcache.store(name, ["".join("1" if m else "0" for m in row) for row in modules])
    return modules


def _qr_rows_ok(rows: Any) -> bool:
    """True for a QR code read back from the disk cache: n rows of n "0"/"1", n a QR size."""
    if not isinstance(rows, list) or not 21 <= len(rows) <= 177 or (len(rows) - 17) % 4:
        return False
    return all(isinstance(row, str) and len(row) == len(rows) and not row.strip("01")
               for row in rows)


class QrCode(Flowable):
    """A QR code drawn as one filled path of module runs, with the standard quiet zone."""

    def __init__(self, url: str, size: float):
        super().__init__()
        self.modules = qr_modules(url)
        self.width = self.height = size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        count = len(self.modules)
        box = self.width / (count + 8)
        path = self.canv.beginPath()
        for r, row in enumerate(self.modules):
            c = 0
            for dark, run in itertools.groupby(row):
                n = len(list(run))
                if dark:
                    path.rect((c + 4) * box, self.height - (r + 5) * box, n * box, box)
                c += n
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


class TickRow(Flowable):
    """``count`` empty squares side by side: one to tick for each time a day."""

    def __init__(self, count: int, size: float, color: colors.Color):
        super().__init__()
        self.count = count
        self.size = size
        self.color = color
        self.gap = size * 0.5
        self.width = count * size + (count - 1) * self.gap
        self.height = size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(1.2)
        for index in range(self.count):
            x = index * (self.size + self.gap)
            self.canv.roundRect(x, 0, self.size, self.size, self.size * 0.15, stroke=1, fill=0)


class TickStrip(Flowable):
    """One day's boxes in the sheet's compact log: one per stretch and per time a day, each
    holding its card's number; side by side where the day's column is wide enough, else a
    stretch's second box under its first."""

    def __init__(self, numbers: Sequence[tuple[int, int]], size: float, font: str,
                 ink: colors.Color, muted: colors.Color):
        super().__init__()
        self.numbers = list(numbers)
        self.size = size  # the numbers' size (body text: never under 12 pt)
        self.font = font  # digits only: every font in use has them
        self.ink, self.muted = ink, muted
        self.box = size  # room for the number at full size
        self.gap = size * 0.2
        self.stacked = False
        self._measure()

    def _measure(self) -> None:
        columns = len(self.numbers) if self.stacked else sum(t for _, t in self.numbers)
        rows = max(t for _, t in self.numbers) if self.stacked else 1
        self.width = columns * (self.box + self.gap) - self.gap
        self.height = rows * (self.box + self.gap) - self.gap

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.stacked = False
        self._measure()
        if self.width > aw:  # too narrow: twice a day stacks its boxes
            self.stacked = True
            self._measure()
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        boxes = [(index if self.stacked else column, time if self.stacked else 0, number)
                 for column, (index, time, number) in enumerate(
                     (i, t, n) for i, (n, times) in enumerate(self.numbers)
                     for t in range(times))]
        c.setLineWidth(1.1)
        c.setStrokeColor(self.ink)
        c.setFillColor(self.muted)
        c.setFont(self.font, self.size)
        for x_index, y_index, number in boxes:
            x = x_index * (self.box + self.gap)
            y = self.height - self.box - y_index * (self.box + self.gap)
            c.roundRect(x, y, self.box, self.box, self.box * 0.15, stroke=1, fill=0)
            c.drawCentredString(x + self.box / 2, y + self.box * 0.2, str(number))


class WarningSign(Flowable):
    """A triangle with an exclamation mark, drawn as shapes."""

    def __init__(self, size: float, color: colors.Color):
        super().__init__()
        self.size = size
        self.color = color
        self.width = self.height = size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.size

    def _restrictSize(self, aw: float, ah: float) -> tuple[float, float]:  # noqa: N802
        return self.size, self.size  # reportlab's image protocol (text flows round the sign)

    def _unRestrictSize(self) -> None:  # noqa: N802
        return None

    def draw(self) -> None:
        c, s = self.canv, self.size
        c.setFillColor(self.color)
        path = c.beginPath()
        path.moveTo(s / 2, s)
        path.lineTo(s, s * 0.08)
        path.lineTo(0, s * 0.08)
        path.close()
        c.drawPath(path, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.roundRect(s * 0.45, s * 0.38, s * 0.1, s * 0.36, s * 0.04, stroke=0, fill=1)
        c.circle(s / 2, s * 0.25, s * 0.06, stroke=0, fill=1)


class Figure(Flowable):
    """A picture with its caption under it, usable where reportlab expects an image."""

    def __init__(self, picture: Flowable, caption: Paragraph, width: float):
        super().__init__()
        self.picture = picture
        self.caption = caption
        self.width = width
        pw, ph = picture.wrap(width, 10_000)
        _, ch = caption.wrap(width, 10_000)
        self.gap = 4.0
        self.height = ph + self.gap + ch
        self._ph, self._ch = ph, ch

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def _restrictSize(self, aw: float, ah: float) -> tuple[float, float]:  # noqa: N802
        return self.width, self.height

    def _unRestrictSize(self) -> None:  # noqa: N802 - reportlab's image protocol
        return None

    def draw(self) -> None:
        x = (self.width - self.picture.width) / 2
        self.picture.drawOn(self.canv, x, self._ch + self.gap)
        self.caption.drawOn(self.canv, 0, 0)
