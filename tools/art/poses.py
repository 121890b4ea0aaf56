"""The fourteen stretch pictures, each posed with the figure model in figure.py.

Every picture shares one 400 x 300 box, one floor line (FLOOR_Y) and one head height for
single figures (FIG_H), with these exceptions, each sized to fill the box at card size:
cat-cow puts two figures side by side (PAIR_H); the bridge stacks its two positions, start
above end, each across the full width on its own floor (BRIDGE_H, BRIDGE_FLOORS); the bed
edge hang is a little larger (BED_H); the one standing upright is smaller (STAND_H: a
standing figure is about 8.2 heads tall in this model, taller than the box at FIG_H). Poses
follow shared/design/poses.md; the model prints a warning if a joint leaves its normal range.
Props are in props.py, front-view shapes in front.py; the side-lying hip flexor stretch, drawn
a little from above, is in side_lying.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from figure import (
    ACCENT,
    ACCENT_W,
    FOOT_SOLE,
    FORE_R,
    FOREARM,
    HAND_R,
    NECK_R,
    SHIN_R,
    THIGH_R,
    TORSO,
    UPPER_ARM,
    UPPER_R,
    Canvas,
    Limb,
    SideFigure,
    add,
    arc_points,
    arrow,
    dist,
    ik2,
    lerp,
    norm180,
    paint_body,
    paint_line,
    smooth_d,
    taper_d,
    unit,
)
from front import chain_shapes, elbow_out, front_head_points, front_torso_points
from props import (
    FLOOR_Y,
    MAT_T,
    W,
    ball,
    bed,
    chair,
    chair_back_front,
    chair_seat_front,
    divider,
    floor,
    folded_towel,
    mat,
    new_canvas,
    pillow,
    rolled_towel,
)
from side_lying import side_lying_hip_flexor

DIVIDER_X = W / 2     # the line between the two halves of a two-position picture
FIG_H = 34.0          # head height of a single figure, px
PAIR_H = 28.0         # head height in two-position pictures (cat-cow)
BRIDGE_H = 46.0       # the two bridge positions are stacked, each across the full width
BRIDGE_FLOORS = (142.0, 288.0)  # SVG y of the two bridge floor lines (start above, end below)
BED_H = 38.0          # bed-edge-hang: the figure and bed fill the box (no empty floor)
STAND_H = 31.0        # standing upright: as large as the head still fits in the box


# ---------------------------------------------------------------- the pictures
def lunge() -> Canvas:
    cv = new_canvas("Standing lunge hip flexor stretch")
    floor(cv)
    h = FIG_H
    # Back leg long and nearly straight (heel lifted); the pelvis tilts a little forward so
    # the hip stays within its ~20 degree extension while the chest stays upright.
    f = SideFigure(h, 1, (195.0, 0.0), 76.0, bend=-0.17, name="lunge")
    f.neck_flex = 4
    f.leg("near", -20, 8, 104)
    f.hip = (f.hip[0], -f.toe_point("near")[1])
    f.leg("near", -20, 8, 104)
    # Front shin vertical: the ankle straight under the knee.
    drop = f.hip[1] - FOOT_SOLE * h - 2.0 * h
    reach = math.sqrt(max(0.0, 4.0 * h * h - drop * drop))
    f.leg_to("far", f.ankle_for_sole(f.hip[0] + reach + 0.1 * h, 0, 0), 0)
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
    cv = new_canvas("Lying at the end of a bed, one knee hugged, one leg hanging")
    floor(cv)
    h = BED_H
    # The bed is high enough that the hanging foot is clearly off the floor; the hips lie
    # just inside the end of the mattress, so the near thigh bends down over its edge.
    top = 2.75 * h
    x_hip = W - 3.45 * h                # room right of the hanging leg for the arrow
    edge = x_hip + 0.42 * h
    bed(cv, 18.0, edge, top, h)
    f = supine(h, x_hip, top, "bed-edge-hang")
    f.neck_flex = 18
    head_low = min(p[1] for p in f.head_points())      # the pillow fills the gap under the head
    pillow(cv, f.spine(1.2)[0] - 1.5 * h, f.spine(1.2)[0] + 0.2 * h, top, h,
           max(0.38 * h, head_low - top + 1.0))
    # The far knee pulled toward the chest, the knee folded tight (a compact shape that reads
    # as "hugged" at card size; a looser knee sent the foot out toward the hanging leg).
    f.leg("far", 125, 150, 120)
    # The near leg hangs: thigh a little below level over the edge, the shin straight down.
    f.leg("near", -16, 78, 112)
    # The hug: both hands wrap the front of the shin just below the knee, the near hand over
    # it, the far hand behind it; the elbows rise beside the knee so the forearms wrap over
    # it. (Hands behind the thigh, or straight arms, read as arms raised.) Hugging turns the
    # elbows out to the sides, so in this side view they fold the "wrong" way: the arms are
    # posed here, not with arm_to, and kept out of the figure's joint check.
    hug = f.legs["far"]
    across = unit(hug.a2 + 90)                  # from the back of the shin to its front
    grip = add(lerp(hug.mid, hug.end, 0.22), across, 0.3 * h)
    arms = {}
    for side, wrist in (("far", add(grip, unit(hug.a2), 0.25 * h)), ("near", grip)):
        sh = f.shoulder
        upper, fore = max(ik2(sh, wrist, UPPER_ARM * h, FOREARM * h),
                          key=lambda s: add(sh, unit(s[0]), 1.0)[1])
        elbow = add(sh, unit(upper), UPPER_ARM * h)
        f.arms[side] = Limb(sh, elbow, add(elbow, unit(fore), FOREARM * h), upper, fore,
                            hug.a2 - 95)
        arms[side] = f.arm_shapes(cv, side)
    f.arms.clear()
    paint_body(cv, arms["far"])
    f.draw(cv, order=("far_leg", "trunk", "near_leg", "accent", "head"), short=True)
    paint_body(cv, arms["near"])
    knee = f.legs["near"].mid
    arrow(cv, arc_points(f.hip, dist(f.hip, knee) + 0.75 * h, -4, -30, 5))
    return cv


def supine_towel_release() -> Canvas:
    cv = new_canvas("Lying on a rolled towel under the tailbone, one leg slid out long")
    floor(cv)
    h = FIG_H
    mat(cv, 22.0, 378.0)
    towel_r = 0.32 * h
    x_hip = 170.0
    # Shoulders and upper back on the mat, the pelvis resting on the towel (not lifted above
    # it): tilt the trunk until the lowest point of the pelvis sits on top of the towel. The
    # low back curves gently up from the mat to the pelvis.
    f = SideFigure(h, 1, (x_hip, 0.0), 180.0, bend=-0.08, name="supine-towel-release")
    for tilt in range(0, 300):
        f.torso = 180.0 + tilt / 10
        f.hip = (x_hip, 0.0)
        f.settle(MAT_T, t_min=0.5)
        pelvis = [p for p, t in zip(f.torso_points(), f._torso_ts(), strict=False) if t < 0.2]
        low = min(pelvis, key=lambda p: p[1])
        if low[1] >= MAT_T + 2 * towel_r:
            break
    rolled_towel(cv, (low[0], MAT_T + towel_r), towel_r)
    # The back of the head rests on the mat.
    for neck in range(0, 56):
        f.neck_flex = neck
        if min(p[1] for p in f.head_points()) >= MAT_T - 0.5:
            break
    # Far leg: knee bent, foot flat on the mat.
    f.leg_to("far", f.ankle_for_sole(f.hip[0] + 2.1 * h, MAT_T, 0), 0)
    # Near leg: slid out long, knee almost straight, lowered until the heel rests on the mat.
    for flex in range(0, -250, -1):
        f.leg("near", flex / 10, 14, 95)
        if f.heel_point("near")[1] <= MAT_T + 0.5:
            break
    # Hands resting on the belly, elbows on the mat: the towel stays in view.
    for side, t in (("far", 0.62), ("near", 0.5)):
        belly = add(f.spine(t), unit(f.front(f.axis(t))), 0.66 * h)
        f.arm_to(side, belly, f.axis(t) + 180 - 8)
    f.draw(cv, short=True)
    # Arrow along the floor: the long leg slides out this way.
    toe = f.toe_point("near")
    y = MAT_T + 0.45 * h
    arrow(cv, [(toe[0] + 0.35 * h, y), (toe[0] + 1.65 * h, y)], size=15)
    return cv


def leg_lowering() -> Canvas:
    cv = new_canvas("Lying on the back, one leg lowering slowly")
    floor(cv)
    h = FIG_H
    mat(cv, 22.0, 378.0)
    f = supine(h, 160.0, MAT_T, "leg-lowering")
    f.neck_flex = 18
    # Resting leg: knee bent, foot flat on the mat. Moving leg: straight, part way down.
    f.leg_to("far", f.ankle_for_sole(f.hip[0] + 2.1 * h, MAT_T, 0), 0)
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
    h = BRIDGE_H
    # Two positions one above the other, each on its own floor and mat and at nearly the size
    # of a single figure: the start position on top, the hips lifted below it. Both figures
    # keep their shoulders and feet at the same x, so the only change the eye finds is the
    # lift of the hips.
    x_hip = W / 2 + 0.6 * h            # centred: head to toes is -3.97 to +2.8 heads
    x_feet = x_hip + 1.85 * h
    # Start: on the back, knees bent, feet flat.
    cv.origin = (0.0, BRIDGE_FLOORS[0])
    floor(cv, BRIDGE_FLOORS[0])
    mat(cv, 12.0, 388.0)
    down = supine(h, x_hip, MAT_T, "bridge-down")
    down.neck_flex = 15
    for side in ("far", "near"):
        down.leg_to(side, down.ankle_for_sole(x_feet, MAT_T, 0), 0)
    arms_alongside(down, MAT_T)
    down.draw(cv, accent=False)
    # End: upper back on the mat, shoulders, hips and knees in one straight line, shins
    # vertical, feet flat where they were.
    cv.origin = (0.0, BRIDGE_FLOORS[1])
    floor(cv, BRIDGE_FLOORS[1])
    mat(cv, 12.0, 388.0)
    up = SideFigure(h, 1, (0.0, 0.0), 180.0, name="bridge-up")
    up.neck_flex = 40
    knee_y = MAT_T + (FOOT_SOLE + 1.97) * h
    for step in range(50, 450):
        up.torso = 180.0 + step / 10
        up.hip = (x_feet + 0.035 * h - 2 * h * math.cos(math.radians(up.torso - 180)), 0.0)
        up.settle(MAT_T, t_min=0.8)
        knee = add(up.hip, unit(up.torso - 180), 2 * h)
        if knee[1] >= knee_y:
            break
    for side in ("far", "near"):
        up.leg_to(side, add(knee, unit(-91), 1.99 * h), 0)
    arms_alongside(up, MAT_T)
    up.draw(cv, order=("far_leg", "far_arm", "trunk", "near_leg"), accent=False)
    # Accent: the buttocks, the muscles this one builds (the back of the pelvis, under the
    # lifted hips).
    paint_line(cv, smooth_d(cv, up.back_line(-0.09, 0.21, 0.22, n=5), closed=False), ACCENT,
               ACCENT_W * h)
    up.draw(cv, order=("near_arm", "head"))
    thigh = up.legs["near"]
    x = up.hip[0] + 1.05 * h
    under = lerp(thigh.root, thigh.mid, 1.05 * h / dist(thigh.root, thigh.mid))[1] - 0.4 * h
    arrow(cv, [(x, MAT_T + 1.5), (x, under)], size=16)
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
    mat(cv, 8.0, DIVIDER_X - 4.0)
    mat(cv, DIVIDER_X + 4.0, 392.0)
    divider(cv, DIVIDER_X, 5.0 * h)
    cat = hands_knees(h, 91.0, 0.36, 55, "cat")
    cow = hands_knees(h, 294.0, -0.3, -40, "cow")
    for f in (cat, cow):
        f.draw(cv, accent=False)
        paint_line(cv, smooth_d(cv, f.back_line(0.05, 0.95, 0.2, n=7), closed=False), ACCENT,
                   ACCENT_W * h)
    top = cat.back_line(0.5, 0.5, 0.0, n=2)[0]
    arrow(cv, [(top[0], top[1] + 0.3 * h), (top[0], top[1] + 1.6 * h)], size=15)
    dip = cow.back_line(0.5, 0.5, 0.0, n=2)[0]
    arrow(cv, [(dip[0], dip[1] + 1.8 * h), (dip[0], dip[1] + 0.3 * h)], size=15)
    return cv


def seated_stretch() -> Canvas:
    cv = new_canvas("Seated stretch on the front edge of a chair")
    floor(cv)
    h = FIG_H
    seat, front = 2.0 * h, 150.0
    chair(cv, front - 2.0 * h, front, seat, h)
    # Straight back leaning forward from the hips, head in line with it.
    f = SideFigure(h, 1, (front - 0.45 * h, 0.0), 68.0, bend=0.0, name="seated-stretch")
    f.neck_flex = -8
    f.settle(seat, t_max=0.3)
    f.leg_to("far", f.ankle_for_sole(f.hip[0] + 1.95 * h, 0, 0), 0)
    heel_x = f.hip[0] + 3.75 * h
    f.leg_to("near", (heel_x, 0.4 * h), 75)
    for _ in range(3):
        leg = f.legs["near"]
        gap = f.heel_point("near")[1]
        f.leg_to("near", (leg.end[0], leg.end[1] - gap), 75)
    bent = f.legs["far"]
    f.arm_to("far", add(lerp(bent.root, bent.mid, 0.8), (0.0, 0.42 * h)), -20)
    f.arm_to("near", add(lerp(bent.root, bent.mid, 0.68), (0.0, 0.45 * h)), -20)
    f.draw(cv, order=("far_leg", "far_arm", "trunk", "near_leg"), accent=False)
    # Accent: the back of the straight thigh, where this one is felt.
    leg = f.legs["near"]
    back = unit(leg.a1 - 90)
    band = [add(add(leg.root, unit(leg.a1), t * h), back, 0.13 * h) for t in (0.55, 1.1, 1.7)]
    paint_line(cv, smooth_d(cv, band, closed=False), ACCENT, ACCENT_W * h)
    f.draw(cv, order=("near_arm", "head"))
    arrow(cv, arc_points(f.hip, 4.45 * h, 84, 62, 5))
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
    pelvis = [p for p, t in zip(f.torso_points(), f._torso_ts(), strict=False) if t < 0.2]
    centre = (min(pelvis, key=lambda p: p[1])[0], MAT_T + r)
    knee = (f.hip[0] - 1.85 * h, MAT_T + 0.2 * h)
    for side in ("far", "near"):
        f.leg_to(side, add(knee, (-2.0 * h, 0.0)), 182)
        f.arm_to(side, (f.shoulder[0] + FOREARM * h, elbow_y), 0.0)
    ball(cv, centre, r)
    f.draw(cv)
    arrow(cv, [(centre[0], f.hip[1] + 1.9 * h), (centre[0], f.hip[1] + 0.85 * h)], size=14)
    return cv


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
    mat(cv, 14.0, 386.0)
    base = MAT_T
    # Seen from the front of the body: shoulders and hips stacked, the waist off the mat.
    axis = 176.0
    hip_mid = (222.0, base + 0.8 * h)
    up, along = unit(axis - 90), unit(axis)
    top_hip, low_hip = add(hip_mid, up, 0.45 * h), add(hip_mid, up, -0.45 * h)
    shoulder_mid = add(hip_mid, along, 0.92 * TORSO * h)
    low_sh, top_sh = add(shoulder_mid, up, -0.7 * h), add(shoulder_mid, up, 0.72 * h)
    # lower leg long on the mat
    low_knee = (low_hip[0] + 2.0 * h, base + 0.3 * h)
    low_ankle = (low_knee[0] + 1.95 * h, base + 0.22 * h)
    low_leg = [*chain_shapes(cv, [low_hip, low_knee, low_ankle], [THIGH_R, SHIN_R], h),
               taper_d(cv, low_ankle, 0.16 * h, add(low_ankle, (0.4 * h, 0.05 * h)), 0.13 * h)]
    # top leg brought forward, knee bent up, foot flat on the floor in front of the lower knee
    top_knee = (top_hip[0] + 1.15 * h, base + 2.05 * h)
    top_ankle = (top_hip[0] + 1.75 * h, base + FOOT_SOLE * h)
    top_leg = [*chain_shapes(cv, [top_hip, top_knee, top_ankle], [THIGH_R, SHIN_R], h),
               taper_d(cv, (top_ankle[0] - 0.08 * h, base + 0.17 * h), 0.17 * h,
                       (top_ankle[0] + 0.6 * h, base + 0.12 * h), 0.12 * h)]
    # lower arm along the mat overhead, the head resting on it
    low_elbow = (low_sh[0] - 1.45 * h, base + 0.19 * h)
    low_wrist = (low_elbow[0] - 1.2 * h, base + 0.16 * h)
    low_arm = [*chain_shapes(cv, [low_sh, low_elbow, low_wrist], [UPPER_R, FORE_R], h),
               taper_d(cv, low_wrist, HAND_R[0] * h, add(low_wrist, (-0.5 * h, 0)),
                       HAND_R[1] * h)]
    # top hand on the mat in front of the chest
    top_wrist = (shoulder_mid[0] + 0.9 * h, base + 0.16 * h)
    top_elbow = elbow_out(top_sh, top_wrist, UPPER_ARM * h, FOREARM * h, (1.0, 0.0))
    top_arm = [*chain_shapes(cv, [top_sh, top_elbow, top_wrist], [UPPER_R, FORE_R], h),
               taper_d(cv, top_wrist, HAND_R[0] * h, add(top_wrist, (0.5 * h, 0)),
                       HAND_R[1] * h)]
    head_c = (shoulder_mid[0] - 0.98 * h, base + 0.36 * h + 0.39 * h)
    neck = taper_d(cv, add(shoulder_mid, along, 0.1 * h), NECK_R * 1.3 * h,
                   add(head_c, (0.3 * h, 0)), NECK_R * h)
    paint_body(cv, low_arm)
    paint_body(cv, low_leg)
    paint_body(cv, [smooth_d(cv, front_torso_points(hip_mid, axis, h)), neck])
    paint_body(cv, top_leg)
    paint_body(cv, [smooth_d(cv, front_head_points(head_c, 180, h))])
    paint_body(cv, top_arm)
    arrow(cv, [add(top_hip, (dx * h, dy * h)) for dx, dy in
               ((-1.7, 1.2), (-0.8, 1.3), (-0.1, 0.72))])
    return cv




# ---------------------------------------------------------------- hip flexor stretches (issue 10)
def standing_hip_flexor() -> Canvas:
    cv = new_canvas("Standing hip flexor stretch, holding the back of a chair")
    floor(cv)
    h = STAND_H
    # The chair stands in front of the figure, its back toward it (side view).
    x_back = 262.0
    seat = 2.0 * h
    chair(cv, x_back, x_back + 2.0 * h, seat, h)
    rail = seat + 2.3 * h                       # top of the chair back
    # Upright trunk, tailbone tucked (the spine's curve tilts the pelvis back a little).
    f = SideFigure(h, 1, (x_back - 1.45 * h, 0.0), 90.0, bend=0.06, name="standing-hip-flexor")
    f.neck_flex = 2
    # Front foot flat just ahead of the hip; lower the hips until that knee bends a little.
    x = f.hip[0]
    for drop in range(0, 200):
        f.hip = (x, (4.3 - drop / 100) * h)
        front = f.leg_to("far", f.ankle_for_sole(x + 0.35 * h, 0, 0), 0)
        if norm180(front.a1 - front.a2) >= 32:
            break
    # Back leg a short step behind, heel lifted, knee a little bent, the hip eased forward
    # (extended within its ~20 degree range): bend that knee until the ball of the foot
    # rests on the floor.
    for knee in range(0, 90):
        f.leg("near", -15.0, knee, 120.0)
        if f.toe_point("near")[1] >= 0:
            break
    # Both hands on top of the chair back.
    f.arm_to("far", (x_back - 0.05 * h, rail + 0.24 * h), -55)
    f.arm_to("near", (x_back - 0.2 * h, rail + 0.22 * h), -55)
    f.draw(cv)
    hx, hy = f.hip
    arrow(cv, [(hx - 2.05 * h, hy + 0.15 * h), (hx - 1.0 * h, hy + 0.15 * h)], size=15)
    return cv


def chair_hip_flexor() -> Canvas:
    cv = new_canvas("Chair hip flexor stretch: sitting sideways on a chair edge, one leg back")
    floor(cv)
    h = FIG_H
    # Sitting sideways: the figure is seen from the side, so the chair is seen from the front,
    # its back beside the figure (behind it in the picture). The outside leg is the near one;
    # it hangs off the front edge of the seat, in front of the chair.
    seat, x0 = 2.15 * h, 100.0
    x1 = x0 + 2.6 * h
    back_top = 2.4                              # chair back height above the seat, heads
    chair_back_front(cv, x0, x1, seat, h, back_top)
    chair_seat_front(cv, x0, x1, seat, h)
    # Sitting tall, tailbone tucked.
    f = SideFigure(h, 1, (x0 + 1.35 * h, 0.0), 90.0, bend=0.05, name="chair-hip-flexor")
    f.neck_flex = 2
    f.settle(seat, t_max=0.3)
    # Front foot flat on the floor, shin about vertical.
    f.leg_to("far", f.ankle_for_sole(f.hip[0] + 1.95 * h, 0, 0), 0)
    # The outside leg slid back: knee pointing down to the floor, the ball of the foot on the
    # floor behind, heel up.
    for knee in range(40, 150):
        f.leg("near", -18.0, knee, 100.0)
        if f.toe_point("near")[1] >= 0.0:
            break
    # The inside hand holds the top of the chair back; the other rests on the front thigh.
    f.arm_to("far", (x1 - 0.35 * h, seat + (back_top + 0.22) * h), -40)
    thigh = f.legs["far"]
    f.arm_to("near", add(lerp(thigh.root, thigh.mid, 0.75), (0.0, 0.42 * h)), -20)
    f.draw(cv)
    hx, hy = f.hip
    arrow(cv, [(hx - 1.0 * h, hy - 0.1 * h), (hx - 1.45 * h, hy - 0.75 * h),
               (hx - 2.0 * h, hy - 1.2 * h)], size=15)
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
    "standing-hip-flexor": standing_hip_flexor,
    "side-lying-hip-flexor": side_lying_hip_flexor,
    "chair-hip-flexor": chair_hip_flexor,
}
