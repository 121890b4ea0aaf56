"""Props shared by the stretch pictures: floor, mat, towels, ball, bed, pillow, chair, a
divider between two positions and a caution sign. All take math coordinates (y up) around
the canvas origin."""

from __future__ import annotations

from figure import (
    MAT_FILL,
    OUTLINE,
    OW,
    PROP_FILL,
    PROP_LINE,
    Canvas,
    Vec,
    add,
    arc_points,
    circle_d,
    fmt,
    paint_line,
    paint_prop,
    poly_d,
    smooth_d,
    unit,
)

W, H = 400, 300
FLOOR_Y = 268.0       # floor line, SVG y
MAT_T = 7.0           # mat thickness, px

def new_canvas(title: str) -> Canvas:
    cv = Canvas(W, H, title)
    cv.origin = (0.0, FLOOR_Y)
    return cv


def floor(cv: Canvas, y: float = FLOOR_Y) -> None:
    """The floor line at SVG height y (the shared FLOOR_Y unless a picture stacks two)."""
    old, cv.origin = cv.origin, (0.0, y)
    paint_line(cv, poly_d(cv, [(10, 0), (390, 0)], closed=False), PROP_LINE, OW)
    cv.origin = old


def rrect_d(cv: Canvas, x0: float, y0: float, x1: float, y1: float, r: float) -> str:
    """A rounded rectangle (math coordinates, y0 < y1) as path data."""
    r = min(r, (x1 - x0) / 2, (y1 - y0) / 2)
    a, b = cv.pt((x0, y1)), cv.pt((x1, y0))
    rr = fmt(r)
    return (f"M{fmt(a[0] + r)} {fmt(a[1])}H{fmt(b[0] - r)}A{rr} {rr} 0 0 1 {fmt(b[0])} "
            f"{fmt(a[1] + r)}V{fmt(b[1] - r)}A{rr} {rr} 0 0 1 {fmt(b[0] - r)} {fmt(b[1])}"
            f"H{fmt(a[0] + r)}A{rr} {rr} 0 0 1 {fmt(a[0])} {fmt(b[1] - r)}V{fmt(a[1] + r)}"
            f"A{rr} {rr} 0 0 1 {fmt(a[0] + r)} {fmt(a[1])}Z")


def mat(cv: Canvas, x0: float, x1: float) -> None:
    paint_prop(cv, rrect_d(cv, x0, 0, x1, MAT_T, 3), fill=MAT_FILL)


def folded_towel(cv: Canvas, x0: float, x1: float, t: float) -> None:
    paint_prop(cv, rrect_d(cv, x0, 0, x1, t, t * 0.45))
    paint_line(cv, poly_d(cv, [(x0 + 6, t / 2), (x1 - 4, t / 2)], closed=False), PROP_LINE, 2)


def rolled_towel(cv: Canvas, c: Vec, r: float) -> None:
    paint_prop(cv, circle_d(cv, c, r))
    spiral = arc_points(c, r * 0.55, 200, 470, 8) + [add(c, unit(130), r * 0.2)]
    paint_line(cv, smooth_d(cv, spiral, closed=False), PROP_LINE, 2.5)


def ball(cv: Canvas, c: Vec, r: float) -> None:
    paint_prop(cv, circle_d(cv, c, r), fill=PROP_LINE, line=OUTLINE, width=2.0)
    paint_line(cv, smooth_d(cv, arc_points(c, r * 0.6, 100, 170, 4), closed=False),
               PROP_FILL, 2.5)


def bed(cv: Canvas, x0: float, x1: float, top: float, h: float) -> None:
    """Side view of a bed: legs, frame and mattress, mattress top at height top."""
    for x in (x0 + 0.3 * h, x1 - 0.3 * h):
        paint_prop(cv, rrect_d(cv, x - 0.13 * h, 0, x + 0.13 * h, top - 0.6 * h, 2))
    paint_prop(cv, rrect_d(cv, x0, top - 0.95 * h, x1, top - 0.55 * h, 3))
    paint_prop(cv, rrect_d(cv, x0 - 0.1 * h, 0, x0 + 0.25 * h, top + 1.2 * h, 4))
    paint_prop(cv, rrect_d(cv, x0, top - 0.6 * h, x1, top, 0.2 * h), fill=MAT_FILL)


def pillow(cv: Canvas, x0: float, x1: float, y: float, h: float, t: float) -> None:
    paint_prop(cv, rrect_d(cv, x0, y, x1, y + t, 0.18 * h))


def chair(cv: Canvas, x_back: float, x_front: float, seat: float, h: float) -> None:
    """Side view of a plain chair; the seat top is at height seat."""
    paint_prop(cv, rrect_d(cv, x_back - 0.1 * h, seat - 0.1 * h, x_back + 0.14 * h,
                           seat + 2.3 * h, 3))
    paint_prop(cv, rrect_d(cv, x_back - 0.12 * h, seat + 1.3 * h, x_back + 0.22 * h,
                           seat + 2.2 * h, 4))
    for x in (x_back + 0.05 * h, x_front - 0.2 * h):
        paint_prop(cv, rrect_d(cv, x - 0.1 * h, 0, x + 0.1 * h, seat - 0.2 * h, 2))
    paint_prop(cv, rrect_d(cv, x_back - 0.12 * h, seat - 0.28 * h, x_front, seat, 4))


def chair_back_front(cv: Canvas, x0: float, x1: float, seat: float, h: float,
                     top: float) -> None:
    """The back of a plain chair seen from the front (two posts and a top rail), top head
    heights above the seat; drawn before a figure that sits sideways on the chair, so the
    back stands behind it."""
    for x in (x0 + 0.12 * h, x1 - 0.12 * h):
        paint_prop(cv, rrect_d(cv, x - 0.12 * h, seat - 0.2 * h, x + 0.12 * h, seat + top * h, 3))
    paint_prop(cv, rrect_d(cv, x0 - 0.04 * h, seat + (top - 0.7) * h, x1 + 0.04 * h,
                           seat + top * h, 4))


def chair_seat_front(cv: Canvas, x0: float, x1: float, seat: float, h: float) -> None:
    """Seat and front legs of a plain chair seen from the front; the seat top at height seat."""
    for x in (x0 + 0.12 * h, x1 - 0.12 * h):
        paint_prop(cv, rrect_d(cv, x - 0.11 * h, 0, x + 0.11 * h, seat - 0.2 * h, 2))
    paint_prop(cv, rrect_d(cv, x0 - 0.06 * h, seat - 0.3 * h, x1 + 0.06 * h, seat, 4))


def divider(cv: Canvas, x: float, top: float) -> None:
    """A thin vertical line from the floor up to height top: splits a picture into two
    positions, so the two figures do not read as two people in one scene."""
    paint_line(cv, poly_d(cv, [(x, 0), (x, top)], closed=False), PROP_LINE, 2)


def caution(cv: Canvas, centre: Vec, r: float) -> None:
    """A warning triangle drawn as shapes (SVG coordinates of its centre)."""
    old, cv.origin = cv.origin, (centre[0], centre[1])
    tri = [(0.0, r), (r * 0.95, -r * 0.65), (-r * 0.95, -r * 0.65)]
    cv.add(f'<path d="{poly_d(cv, tri)}" fill="{PROP_FILL}" stroke="{OUTLINE}" '
           f'stroke-width="{fmt(OW + 1)}" stroke-linejoin="round"/>')
    paint_line(cv, poly_d(cv, [(0, r * 0.45), (0, -r * 0.12)], closed=False), OUTLINE, 5)
    cv.add(f'<path d="{circle_d(cv, (0, -r * 0.38), 3.2)}" fill="{OUTLINE}"/>')
    cv.origin = old


