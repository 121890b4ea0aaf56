"""The eleven stretch pictures, each posed with the figure model in figure.py.

Every picture shares one 400 x 300 box, one floor line (FLOOR_Y), one head height for
single figures (FIG_H) and a smaller one for two-position pictures (PAIR_H). Poses follow
shared/design/poses.md; the model prints a warning if a joint leaves its normal range.
"""

from __future__ import annotations

import math
from typing import Callable

from figure import (ACCENT, ACCENT_W, FOOT_SOLE, FOREARM, HAND_R, MAT_FILL, NECK_R, OUTLINE, OW,
                    PROP_FILL, PROP_LINE, SHIN_R, THIGH_R, TORSO, UPPER_ARM, UPPER_R, FORE_R,
                    Canvas, SideFigure, Vec, add, arc_points, arrow, chain_shapes, circle_d, dist,
                    elbow_out, fmt, front_head_points, front_torso_points, lerp, paint_body,
                    paint_line, paint_prop, poly_d, smooth_d, taper_d, unit)

W, H = 400, 300
FLOOR_Y = 268.0       # floor line, SVG y
FIG_H = 34.0          # head height of a single figure, px
PAIR_H = 26.0         # head height in two-position pictures
MAT_T = 7.0           # mat thickness, px


# ---------------------------------------------------------------- props
def new_canvas(title: str) -> Canvas:
    cv = Canvas(W, H, title)
    cv.origin = (0.0, FLOOR_Y)
    return cv


def floor(cv: Canvas) -> None:
    old, cv.origin = cv.origin, (0.0, FLOOR_Y)
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


# ---------------------------------------------------------------- the pictures
def lunge() -> Canvas:
    cv = new_canvas("Standing lunge hip flexor stretch")
    floor(cv)
    h = FIG_H
    f = SideFigure(h, 1, (175.0, 0.0), 82.0, bend=-0.1, name="lunge")
    f.neck_flex = 6
    f.leg("near", -20, 18, 88)
    f.hip = (f.hip[0], -f.toe_point("near")[1])
    f.leg("near", -20, 18, 88)
    f.leg_to("far", f.ankle_for_sole(f.hip[0] + 2.0 * h, 0, 0), 0)
    thigh = f.legs["far"]
    f.arm_to("far", lerp(thigh.root, thigh.mid, 0.72), -70)
    f.arm_to("near", lerp(thigh.root, thigh.mid, 0.62), -70)
    f.draw(cv)
    hx, hy = f.hip
    arrow(cv, [(hx - 2.2 * h, hy + 0.2 * h), (hx - 1.15 * h, hy + 0.2 * h)])
    return cv


def kneeling_hip_flexor() -> Canvas:
    cv = new_canvas("Kneeling hip flexor stretch")
    floor(cv)
    h = FIG_H
    towel_t = 0.4 * h
    knee = (150.0, towel_t + 0.22 * h)
    hip = add(knee, unit(90 - 14), 2 * h)
    f = SideFigure(h, 1, hip, 88.0, bend=0.02, name="kneeling")
    folded_towel(cv, knee[0] - 0.9 * h, knee[0] + 0.8 * h, towel_t)
    f.leg_to("far", f.ankle_for_sole(hip[0] + 2.0 * h, 0, 0), 0)
    back_ankle = add(knee, unit(180 + 4), 2 * h)
    f.leg_to("near", back_ankle, 176)
    knee_pt = f.legs["far"].mid
    f.arm_to("far", add(knee_pt, (-0.25 * h, 0.3 * h)), -10)
    f.arm_to("near", add(knee_pt, (-0.35 * h, 0.32 * h)), -10)
    f.draw(cv)
    hx, hy = f.hip
    arrow(cv, [(hx - 1.9 * h, hy + 0.1 * h), (hx - 1.05 * h, hy + 0.1 * h)], size=15)
    return cv


def bed(cv: Canvas, x0: float, x1: float, top: float, h: float) -> None:
    """Side view of a bed: legs, frame and mattress, mattress top at height top."""
    for x in (x0 + 0.3 * h, x1 - 0.3 * h):
        paint_prop(cv, rrect_d(cv, x - 0.13 * h, 0, x + 0.13 * h, top - 0.6 * h, 2))
    paint_prop(cv, rrect_d(cv, x0, top - 0.95 * h, x1, top - 0.55 * h, 3))
    paint_prop(cv, rrect_d(cv, x0 - 0.1 * h, 0, x0 + 0.25 * h, top + 1.2 * h, 4))
    paint_prop(cv, rrect_d(cv, x0, top - 0.6 * h, x1, top, 0.2 * h), fill=MAT_FILL)


def pillow(cv: Canvas, x0: float, x1: float, y: float, h: float) -> None:
    paint_prop(cv, rrect_d(cv, x0, y, x1, y + 0.38 * h, 0.18 * h))


def chair(cv: Canvas, x_back: float, x_front: float, seat: float, h: float) -> None:
    """Side view of a plain chair; the seat top is at height seat."""
    paint_prop(cv, rrect_d(cv, x_back - 0.1 * h, seat - 0.1 * h, x_back + 0.14 * h,
                           seat + 2.3 * h, 3))
    paint_prop(cv, rrect_d(cv, x_back - 0.12 * h, seat + 1.3 * h, x_back + 0.22 * h,
                           seat + 2.2 * h, 4))
    for x in (x_back + 0.05 * h, x_front - 0.2 * h):
        paint_prop(cv, rrect_d(cv, x - 0.1 * h, 0, x + 0.1 * h, seat - 0.2 * h, 2))
    paint_prop(cv, rrect_d(cv, x_back - 0.12 * h, seat - 0.28 * h, x_front, seat, 4))


def supine(h: float, x_hip: float, surface: float, name: str, torso: float = 180.0,
           bend: float = 0.0) -> SideFigure:
    """A figure lying on its back, head to the left, resting on surface."""
    f = SideFigure(h, 1, (x_hip, 0.0), torso, bend=bend, name=name)
    f.neck_flex = 8
    f.settle(surface)
    return f


def arms_alongside(f: SideFigure, surface: float) -> None:
    """Both arms resting on the surface beside the body, palms down."""
    h = f.h
    wrist_y = surface + 0.15 * h
    dy = f.shoulder[1] - wrist_y
    reach = math.sqrt(max(0.0, (0.98 * (UPPER_ARM + FOREARM) * h) ** 2 - dy * dy))
    for side in ("far", "near"):
        f.arm_to(side, (f.shoulder[0] + reach, wrist_y), 0.0)


def bed_edge_hang() -> Canvas:
    cv = new_canvas("Lying at the end of a bed, one leg hanging")
    floor(cv)
    h = FIG_H
    top, edge = 2.55 * h, 262.0
    bed(cv, 20.0, edge, top, h)
    f = supine(h, edge - 0.5 * h, top, "bed-edge-hang")
    pillow(cv, f.spine(1.2)[0] - 1.5 * h, f.spine(1.2)[0] + 0.2 * h, top, h)
    f.neck_flex = 18
    f.leg("far", 124, 140, 115)
    f.leg("near", -16, 80, 112)
    shin = f.legs["far"]
    grip = lerp(shin.mid, shin.end, 0.22)
    f.arm_to("far", add(grip, (-0.15 * h, 0.1 * h)), 70)
    f.arm_to("near", add(grip, (-0.3 * h, -0.05 * h)), 70)
    f.draw(cv, order=("far_leg", "far_arm", "trunk", "near_leg", "accent", "head",
                      "near_arm"))
    knee = f.legs["near"].mid
    arrow(cv, arc_points(f.hip, dist(f.hip, knee) + 0.75 * h, -4, -30, 5))
    return cv


def supine_towel_release() -> Canvas:
    cv = new_canvas("Lying on a rolled towel, one leg lowering")
    floor(cv)
    h = FIG_H
    mat(cv, 22.0, 378.0)
    towel_r = 0.34 * h
    f = SideFigure(h, 1, (165.0, 0.0), 188.0, name="supine-towel-release")
    f.neck_flex = 18
    f.settle(MAT_T, t_min=0.5)
    # Find the trunk tilt at which the sacrum rests on the towel and the shoulders on the mat.
    for tilt in range(0, 30):
        f.torso = 180.0 + tilt
        f.hip = (165.0, 0.0)
        f.settle(MAT_T, t_min=0.5)
        pelvis = [p for p, t in zip(f.torso_points(), f._torso_ts()) if t < 0.2]
        low = min(pelvis, key=lambda p: p[1])
        if low[1] >= MAT_T + 2 * towel_r - 1.5:
            break
    towel = (low[0] - 0.1 * h, MAT_T + towel_r)
    rolled_towel(cv, towel, towel_r)
    f.leg_to("far", f.ankle_for_sole(f.hip[0] + 2.35 * h, MAT_T, 0), 0)
    f.leg("near", f.flex_for(8), 6, 100)
    arms_alongside(f, MAT_T)
    f.draw(cv)
    foot = f.legs["near"].end
    arrow(cv, arc_points(f.hip, dist(f.hip, foot) + 0.75 * h, 24, 4, 5))
    return cv


def leg_lowering() -> Canvas:
    cv = new_canvas("Lying on the back, one leg lowering slowly")
    floor(cv)
    h = FIG_H
    mat(cv, 22.0, 378.0)
    f = supine(h, 160.0, MAT_T, "leg-lowering")
    f.neck_flex = 18
    f.leg("far", 90, 90, 95)
    f.leg("near", 38, 0, 95)
    arms_alongside(f, MAT_T)
    f.draw(cv, accent=False)
    paint_line(cv, smooth_d(cv, f.back_line(0.12, 0.5, 0.2), closed=False), ACCENT,
               ACCENT_W * h)
    foot = f.legs["near"].end
    arrow(cv, arc_points(f.hip, dist(f.hip, foot) + 0.3 * h, 34, 14, 5))
    return cv


def bridge() -> Canvas:
    cv = new_canvas("Bridge: lying with knees bent, then hips lifted")
    floor(cv)
    h = PAIR_H
    mat(cv, 16.0, 384.0)
    cv.origin = (0.0, FLOOR_Y)
    down = supine(h, 125.0, MAT_T, "bridge-down")
    down.neck_flex = 15
    down.leg_to("far", down.ankle_for_sole(down.hip[0] + 2.6 * h, MAT_T, 0), 0)
    down.leg_to("near", down.ankle_for_sole(down.hip[0] + 2.6 * h, MAT_T, 0), 0)
    arms_alongside(down, MAT_T)
    down.draw(cv)
    up = SideFigure(h, 1, (0.0, 0.0), 180.0, name="bridge-up")
    up.neck_flex = 35
    knee_y = MAT_T + (FOOT_SOLE + 1.97) * h
    for step in range(50, 400):
        up.torso = 180.0 + step / 10
        up.hip = (318.0, 0.0)
        up.settle(MAT_T, t_min=0.75)
        knee = add(up.hip, unit(up.torso - 180), 2 * h)
        if knee[1] >= knee_y:
            break
    ankle = add(knee, unit(-100), 2 * h)
    up.leg_to("far", ankle, 0)
    up.leg_to("near", ankle, 0)
    arms_alongside(up, MAT_T)
    up.draw(cv)
    base = up.spine(0.05)
    arrow(cv, [(base[0], MAT_T + 0.15 * h), (base[0], base[1] - 0.62 * h)], size=14)
    return cv


def hands_knees(h: float, x_knee: float, bend: float, neck: float, name: str) -> SideFigure:
    """On hands and knees facing right: knees under hips, wrists under shoulders."""
    knee = (x_knee, MAT_T + 0.22 * h)
    f = SideFigure(h, 1, add(knee, (0.0, 2 * h)), 14.0, bend=bend, name=name)
    f.neck_flex = neck
    wrist_y = MAT_T + 0.15 * h
    reach = (UPPER_ARM + FOREARM) * h * 0.985
    for step in range(-200, 300):
        f.torso = step / 10
        if f.shoulder[1] - wrist_y >= reach:
            break
    f.leg_to("far", add(knee, unit(182), 2 * h), 178)
    f.leg_to("near", add(knee, unit(182), 2 * h), 178)
    for side in ("far", "near"):
        f.arm_to(side, (f.shoulder[0], wrist_y), 0.0)
    return f


def cat_cow() -> Canvas:
    cv = new_canvas("Cat and cow: back rounded up, then back dipped")
    floor(cv)
    h = PAIR_H
    mat(cv, 16.0, 384.0)
    cat = hands_knees(h, 82.0, 0.17, 50, "cat")
    cat.draw(cv)
    cow = hands_knees(h, 266.0, -0.21, -45, "cow")
    cow.draw(cv)
    top = max(cat.torso_points(), key=lambda p: p[1])
    arrow(cv, [(top[0], top[1] + 0.35 * h), (top[0] + 0.05 * h, top[1] + 1.45 * h)], size=14)
    dip = cow.back_line(0.5, 0.5, 0.0, n=2)[0]
    arrow(cv, [(dip[0], dip[1] + 1.6 * h), (dip[0], dip[1] + 0.45 * h)], size=14)
    return cv


def seated_stretch() -> Canvas:
    cv = new_canvas("Seated stretch on the front edge of a chair")
    floor(cv)
    h = FIG_H
    seat, front = 2.0 * h, 170.0
    chair(cv, front - 2.0 * h, front, seat, h)
    f = SideFigure(h, 1, (front - 0.45 * h, 0.0), 74.0, bend=0.0, name="seated-stretch")
    f.neck_flex = 8
    f.settle(seat)
    f.leg_to("far", f.ankle_for_sole(f.hip[0] + 2.05 * h, 0, 0), 0)
    heel_x = f.hip[0] + 3.7 * h
    f.leg_to("near", (heel_x, 0.4 * h), 75)
    for _ in range(3):
        leg = f.legs["near"]
        gap = f.heel_point("near")[1]
        f.leg_to("near", (leg.end[0], leg.end[1] - gap), 75)
    thigh = f.legs["near"]
    f.arm_to("far", lerp(thigh.root, thigh.mid, 0.95), -40)
    f.arm_to("near", lerp(thigh.mid, thigh.end, 0.05), -40)
    f.draw(cv)
    arrow(cv, arc_points(f.hip, 4.55 * h, 80, 58, 5))
    return cv


def ball_release() -> Canvas:
    cv = new_canvas("Ball release: lying face down on a small ball")
    floor(cv)
    h = FIG_H
    mat(cv, 22.0, 378.0)
    r = 0.3 * h
    f = SideFigure(h, 1, (182.0, 0.0), 10.0, bend=-0.1, name="ball-release")
    f.neck_flex = -30
    elbow_y = MAT_T + 0.17 * h
    for step in range(-100, 400):
        f.torso = step / 10
        f.hip = (f.hip[0], 0.0)
        f.settle(MAT_T + 2 * r, t_min=-0.2, t_max=0.2)
        if f.shoulder[1] - elbow_y >= UPPER_ARM * h * 0.99:
            break
    pelvis = [p for p, t in zip(f.torso_points(), f._torso_ts()) if t < 0.2]
    centre = (min(pelvis, key=lambda p: p[1])[0], MAT_T + r)
    knee = (f.hip[0] - 1.85 * h, MAT_T + 0.2 * h)
    for side in ("far", "near"):
        f.leg_to(side, add(knee, (-2.0 * h, 0.0)), 182)
        f.arm_to(side, (f.shoulder[0] + FOREARM * h, elbow_y), 0.0)
    ball(cv, centre, r)
    f.draw(cv)
    arrow(cv, [(centre[0], f.hip[1] + 1.9 * h), (centre[0], f.hip[1] + 0.85 * h)], size=14)
    caution(cv, (48.0, 48.0), 26.0)
    return cv


def caution(cv: Canvas, centre: Vec, r: float) -> None:
    """A warning triangle drawn as shapes (SVG coordinates of its centre)."""
    old, cv.origin = cv.origin, (centre[0], centre[1])
    tri = [(0.0, r), (r * 0.95, -r * 0.65), (-r * 0.95, -r * 0.65)]
    cv.add(f'<path d="{poly_d(cv, tri)}" fill="{PROP_FILL}" stroke="{OUTLINE}" '
           f'stroke-width="{fmt(OW + 1)}" stroke-linejoin="round"/>')
    paint_line(cv, poly_d(cv, [(0, r * 0.45), (0, -r * 0.12)], closed=False), OUTLINE, 5)
    cv.add(f'<path d="{circle_d(cv, (0, -r * 0.38), 3.2)}" fill="{OUTLINE}"/>')
    cv.origin = old


# ---------------------------------------------------------------- front views
def butterfly() -> Canvas:
    cv = new_canvas("Butterfly stretch, seen from the front")
    floor(cv)
    h = 44.0
    cv.origin = (W / 2, FLOOR_Y)
    mat(cv, -165.0, 165.0)
    base = MAT_T
    hip_mid = (0.0, base + 0.48 * h)
    parts: dict[str, list[str]] = {}
    for side in (-1, 1):
        hip = (side * 0.5 * h, hip_mid[1])
        knee = (side * 1.95 * h, base + 1.25 * h)
        ankle = (side * 0.3 * h, base + 0.36 * h)
        legs = chain_shapes(cv, [hip, knee, ankle], [THIGH_R, SHIN_R], h)
        foot = taper_d(cv, (side * 0.21 * h, base + 0.2 * h), 0.19 * h,
                       (side * 0.19 * h, base + 0.52 * h), 0.16 * h)
        parts[f"leg{side}"] = [*legs, foot]
        shoulder = (side * 0.8 * h, hip_mid[1] + 0.92 * TORSO * h)
        wrist = (side * 0.55 * h, base + 0.62 * h)
        elbow = elbow_out(shoulder, wrist, UPPER_ARM * h, FOREARM * h, (side, 0.0))
        hand = taper_d(cv, add(wrist, (-side * 0.05 * h, -0.02 * h)), HAND_R[0] * h,
                       (side * 0.2 * h, base + 0.36 * h), HAND_R[1] * h)
        parts[f"arm{side}"] = [*chain_shapes(cv, [shoulder, elbow, wrist],
                                             [UPPER_R, FORE_R], h), hand]
    neck = taper_d(cv, add(hip_mid, (0, 2.85 * h)), NECK_R * 1.3 * h,
                   add(hip_mid, (0, 3.3 * h)), NECK_R * h)
    paint_body(cv, [smooth_d(cv, front_torso_points(hip_mid, 90, h)), neck])
    for side in (-1, 1):
        paint_body(cv, parts[f"leg{side}"])
    for side in (-1, 1):
        band = [(side * 0.14 * h, hip_mid[1] + 1.4 * h), (side * 0.34 * h, hip_mid[1] + 0.6 * h),
                (side * 0.6 * h, hip_mid[1] + 0.02 * h)]
        paint_line(cv, smooth_d(cv, band, closed=False), ACCENT, ACCENT_W * h)
    for side in (-1, 1):
        paint_body(cv, parts[f"arm{side}"])
    paint_body(cv, [smooth_d(cv, front_head_points(add(hip_mid, (0, 3.72 * h)), 90, h))])
    for side in (-1, 1):
        pts = arc_points((0.5 * h, hip_mid[1]), 2.3 * h, 50, 12, 5)
        arrow(cv, [(side * x, y) for x, y in pts])
    return cv


def side_lying_stretch() -> Canvas:
    cv = new_canvas("Lying on one side, top leg forward with the foot on the floor")
    floor(cv)
    h = FIG_H
    mat(cv, 22.0, 378.0)
    base = MAT_T
    axis = 176.0
    hip_mid = (206.0, base + 0.8 * h)
    up = unit(axis - 90)
    along = unit(axis)
    top_hip = add(hip_mid, up, 0.5 * h)
    low_hip = add(hip_mid, up, -0.5 * h)
    # bottom leg long on the mat
    low_knee = (low_hip[0] + 2.0 * h, base + 0.3 * h)
    low_ankle = (low_knee[0] + 2.0 * h, base + 0.2 * h)
    low_leg = [*chain_shapes(cv, [low_hip, low_knee, low_ankle], [THIGH_R, SHIN_R], h),
               taper_d(cv, low_ankle, 0.16 * h, add(low_ankle, (0.3 * h, 0.12 * h)), 0.13 * h)]
    # top leg: thigh forward (toward the viewer), foot on the floor in front
    top_knee = (top_hip[0] + 1.3 * h, base + 1.45 * h)
    top_ankle = (top_hip[0] + 2.5 * h, base + FOOT_SOLE * h)
    top_leg = [*chain_shapes(cv, [top_hip, top_knee, top_ankle], [THIGH_R, SHIN_R], h),
               taper_d(cv, (top_ankle[0] - 0.05 * h, base + 0.16 * h), 0.16 * h,
                       (top_ankle[0] + 0.45 * h, base + 0.12 * h), 0.12 * h)]
    shoulder_mid = add(hip_mid, along, 0.92 * TORSO * h)
    low_sh = add(shoulder_mid, up, -0.75 * h)
    top_sh = add(shoulder_mid, up, 0.75 * h)
    # bottom arm reaching overhead along the mat, head resting on it
    low_elbow = (low_sh[0] - 1.45 * h, base + 0.2 * h)
    low_wrist = (low_elbow[0] - 1.2 * h, base + 0.17 * h)
    low_arm = [*chain_shapes(cv, [low_sh, low_elbow, low_wrist], [UPPER_R, FORE_R], h),
               taper_d(cv, low_wrist, HAND_R[0] * h, add(low_wrist, (-0.5 * h, 0)),
                       HAND_R[1] * h)]
    top_wrist = (shoulder_mid[0] + 1.0 * h, base + 0.16 * h)
    top_elbow = elbow_out(top_sh, top_wrist, UPPER_ARM * h, FOREARM * h, (1.0, 0.0))
    top_arm = [*chain_shapes(cv, [top_sh, top_elbow, top_wrist], [UPPER_R, FORE_R], h),
               taper_d(cv, top_wrist, HAND_R[0] * h, add(top_wrist, (-0.5 * h, 0)),
                       HAND_R[1] * h)]
    head_c = (shoulder_mid[0] - 0.95 * h, base + 0.42 * h + 0.39 * h)
    neck = taper_d(cv, add(shoulder_mid, along, 0.1 * h), NECK_R * 1.3 * h,
                   add(head_c, (0.3 * h, 0)), NECK_R * h)
    paint_body(cv, low_arm)
    paint_body(cv, low_leg)
    paint_body(cv, [smooth_d(cv, front_torso_points(hip_mid, axis, h)), neck])
    band = [add(add(hip_mid, along, 1.35 * h), up, 0.02 * h),
            add(add(hip_mid, along, 0.6 * h), up, -0.2 * h),
            add(low_hip, (0.5 * h, -0.02 * h))]
    paint_line(cv, smooth_d(cv, band, closed=False), ACCENT, ACCENT_W * h)
    paint_body(cv, top_leg)
    paint_body(cv, [smooth_d(cv, front_head_points(head_c, 180, h))])
    paint_body(cv, top_arm)
    arrow(cv, arc_points(hip_mid, 1.45 * h, 110, 35, 6))
    return cv


PICTURES: dict[str, Callable[[], Canvas]] = {
    "lunge": lunge,
    "kneeling-hip-flexor": kneeling_hip_flexor,
    "butterfly": butterfly,
    "bed-edge-hang": bed_edge_hang,
    "supine-towel-release": supine_towel_release,
    "side-lying-stretch": side_lying_stretch,
    "seated-stretch": seated_stretch,
    "ball-release": ball_release,
    "bridge": bridge,
    "cat-cow": cat_cow,
    "leg-lowering": leg_lowering,
}
