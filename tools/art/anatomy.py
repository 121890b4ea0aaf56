"""The anatomy picture: the psoas seen from the front.

Lower spine (T12 and L1-L5 as blocks), the pelvis as a bowl, both thigh bones angled down
and in, and each psoas running from the sides of the vertebrae, over the front rim of the
pelvis, to the small bump on the inner top of the thigh bone. Labels use the handout's font at
a size that prints at 12 pt or more when the picture is placed 2.5 inches (180 pt) wide.
"""

from __future__ import annotations

from figure import ACCENT, BODY_FILL, OUTLINE, Canvas, Vec, fmt, paint_line, poly_d, smooth_d

AW, AH = 330, 380
FONT_SIZE = 22          # >= 12 pt * 330 / 180 = 22.0
CX = 170.0              # the spine's centre line


def _shape(cv: Canvas, d: str, fill: str, width: float = 3.0) -> None:
    cv.add(f'<path d="{d}" fill="{fill}" stroke="{OUTLINE}" stroke-width="{fmt(width)}" '
           f'stroke-linejoin="round"/>')


def _svg(points: list[Vec], side: int = 1) -> list[Vec]:
    """Points laid out in SVG coordinates for the viewer's left side (side=1) or mirrored to
    the right (side=-1), turned into the canvas's y-up coordinates."""
    return [(x if side == 1 else 2 * CX - x, -y) for x, y in points]


def _label(cv: Canvas, text: str, x: float, y: float, anchor: str = "start") -> None:
    cv.add(f'<text x="{fmt(x)}" y="{fmt(y)}" font-family="Atkinson Hyperlegible" '
           f'font-size="{FONT_SIZE}" fill="{OUTLINE}" text-anchor="{anchor}">{text}</text>')


def _leader(cv: Canvas, a: Vec, b: Vec) -> None:
    paint_line(cv, poly_d(cv, [(a[0], -a[1]), (b[0], -b[1])], closed=False), OUTLINE, 1.6)


def anatomy() -> Canvas:
    cv = Canvas(AW, AH, "The psoas muscle, seen from the front")
    cv.origin = (0.0, 0.0)
    # Pelvis: a bowl with the sacrum in the middle and the hip sockets low at the sides.
    bowl = [(CX, 190), (CX - 40, 188), (CX - 86, 170), (CX - 110, 186), (CX - 104, 222),
            (CX - 82, 246), (CX - 70, 270), (CX - 46, 286), (CX - 14, 292), (CX, 290)]
    bowl += [(2 * CX - x, y) for x, y in bowl[-2:0:-1]]
    _shape(cv, smooth_d(cv, _svg(bowl)), BODY_FILL)
    for side in (1, -1):
        hole = [(CX - 40, 260), (CX - 22, 256), (CX - 20, 274), (CX - 36, 278)]
        _shape(cv, smooth_d(cv, _svg(hole, side)), "#FFFFFF", 2.5)
    sacrum = [(CX - 26, 196), (CX + 26, 196), (CX + 14, 238), (CX, 250), (CX - 14, 238)]
    _shape(cv, smooth_d(cv, _svg(sacrum)), BODY_FILL, 2.5)
    # Thigh bones: head in the hip socket, neck out to the big bump, shaft down and in, and
    # the small bump (where the psoas ends) on the inner side just below the neck.
    for side in (1, -1):
        femur = [(100, 254), (84, 262), (72, 270), (68, 288), (80, 310), (98, 378), (124, 378),
                 (112, 326), (112, 312), (120, 302), (116, 292), (114, 280), (112, 270)]
        _shape(cv, smooth_d(cv, _svg(femur, side)), BODY_FILL)
        head = [(110, 248), (124, 256), (124, 272), (110, 278), (98, 268), (100, 254)]
        _shape(cv, smooth_d(cv, _svg(head, side)), BODY_FILL)
    # Lower spine: T12 and L1-L5 as blocks, growing a little toward the pelvis.
    y = 22.0
    for i in range(6):
        half, tall = 21 + 1.6 * i, 20 + 1.2 * i
        cv.add(f'<rect x="{fmt(CX - half)}" y="{fmt(y)}" width="{fmt(2 * half)}" '
               f'height="{fmt(tall)}" rx="5" fill="{BODY_FILL}" stroke="{OUTLINE}" '
               f'stroke-width="3"/>')
        y += tall + 7
    # The psoas on each side: from the sides of T12-L5, down and slightly outward, over the
    # front rim of the pelvis, to the small bump on the inner top of the thigh bone.
    for side in (1, -1):
        muscle = [(CX - 20, 30), (CX - 30, 90), (CX - 44, 160), (CX - 60, 212), (CX - 66, 258),
                  (CX - 56, 298), (CX - 48, 304), (CX - 44, 262), (CX - 34, 205),
                  (CX - 26, 140), (CX - 20, 60)]
        _shape(cv, smooth_d(cv, _svg(muscle, side)), ACCENT, 2.5)
    # Labels with thin leader lines.
    _label(cv, "lower", 8, 50)
    _label(cv, "spine", 8, 74)
    _leader(cv, (66, 60), (CX - 22, 66))
    _label(cv, "psoas", AW - 8, 104, "end")
    _leader(cv, (AW - 68, 120), (CX + 38, 150))  # below the "p" of a large-print label
    _label(cv, "pelvis", AW - 8, 152, "end")
    _leader(cv, (AW - 40, 160), (CX + 100, 184))
    # Started after the leader (not ended at the edge), so that a longer word in another
    # language grows away from the bone ("fémur" touched it).
    _label(cv, "thigh", AW - 62, 330, "start")
    _label(cv, "bone", AW - 62, 354, "start")
    _leader(cv, (AW - 66, 332), (CX + 60, 340))
    return cv
