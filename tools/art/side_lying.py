"""Side-lying hip flexor stretch, seen from the front and a little from above.

A person lying on one side bends and straightens the hips in a plane parallel to the floor, so
a pure front view hides the one thing this picture must show: the top knee drawn back behind
the body. Here the figure faces the viewer and the scene is drawn in an oblique projection:
what lies in the body's front plane is drawn flat (the torso and head as in
side_lying_stretch), and depth shifts a point up and to the left, so what is behind the body
sits higher and what is in front sits lower. The mat is drawn with its top surface showing
(a parallelogram), which tells the eye that up means "further back"; the legs are posed in
3-D and projected. The held foot is a little higher than the hip, so from this eye point the
folded shin and the hand on the ankle show above the hip, in front of the trunk's outline.

Tried and dropped: a straight front view (the folded shin hides behind the thigh and the
buttock), a view from the back (the shin folds onto the thigh and the bottom leg hides), and
the earlier drawing's "behind is straight up the page" (a knee lifted into the air, read as a
view from above).

3-D coordinates: X along the body toward the feet (right), Y up from the floor, Z toward the
viewer (the front of the body). Leg angles are in the X-Z plane: 0 = straight down the body
line, positive = forward (hip flexion), negative = behind (hip extension).
"""

from __future__ import annotations

import sys

from figure import (
    ACCENT,
    ACCENT_W,
    FORE_R,
    FOREARM,
    HAND_R,
    LIMITS,
    MAT_FILL,
    NECK_R,
    SHIN_R,
    THIGH_R,
    TORSO,
    UPPER_ARM,
    UPPER_R,
    Canvas,
    Vec,
    add,
    angle,
    arrow,
    dist,
    lerp,
    paint_body,
    paint_line,
    paint_prop,
    poly_d,
    smooth_d,
    sub,
    taper_d,
    unit,
)
from front import chain_shapes, elbow_out, front_head_points, front_torso_points
from props import MAT_T, floor, new_canvas, rrect_d

Vec3 = tuple[float, float, float]

H = 39.0              # head height, px
KX, KY = -0.12, 0.6   # page shift per unit of depth behind the body (-Z): up and to the left
MAT_FRONT = 1.5       # mat front edge, head heights in front of the body's mid plane
MAT_BACK = 2.0        # mat back edge, head heights behind it


def proj(p: Vec3) -> Vec:
    """Page position (math coordinates, y up from the floor line) of a 3-D point."""
    x, y, z = p
    depth = -z - (-MAT_FRONT * H)          # depth measured from the mat's front edge
    return (x + KX * depth, y + KY * depth)


def in_plane(x: float, y: float, z: float = 0.0) -> Vec:
    """A point of the body's front plane (z = 0 by default), projected."""
    return proj((x, y, z))


def leg3(root: Vec3, flex: float, knee: float, thigh_drop: float = 0.0,
         shin_drop: float = 0.0) -> tuple[Vec3, Vec3]:
    """Knee and ankle of a leg bent in the plane parallel to the floor (drops lower them)."""
    for joint, value in (("hip", flex), ("knee", knee)):
        lo, hi = LIMITS[joint]
        if not lo <= value <= hi:
            print(f"joint limit: side-lying-hip-flexor: {joint} {value:.0f} deg outside "
                  f"{lo:.0f}..{hi:.0f}", file=sys.stderr)
    t1 = flex
    t2 = flex - knee
    k = (root[0] + 2.0 * H * unit(t1)[0], root[1] - thigh_drop, root[2] + 2.0 * H * unit(t1)[1])
    a = (k[0] + 2.0 * H * unit(t2)[0], k[1] - shin_drop, k[2] + 2.0 * H * unit(t2)[1])
    return k, a


def _mat(cv: Canvas, x0: float, x1: float) -> None:
    """The mat: its front edge as a strip on the floor line, its top surface receding."""
    front, back = MAT_FRONT * H, -MAT_BACK * H
    top = [proj((x0, MAT_T, front)), proj((x1, MAT_T, front)), proj((x1, MAT_T, back)),
           proj((x0, MAT_T, back))]
    paint_prop(cv, poly_d(cv, top))
    paint_prop(cv, rrect_d(cv, x0, 0.0, x1, MAT_T, 2), fill=MAT_FILL)


def _foot(cv: Canvas, ankle: Vec, toward: Vec, r0: float = 0.16, r1: float = 0.12) -> str:
    """A foot from the ankle in the direction of the page point toward."""
    return taper_d(cv, ankle, r0 * H, toward, r1 * H)


def side_lying_hip_flexor() -> Canvas:
    cv = new_canvas("Lying on one side, top knee bent and drawn back, hand holding the ankle")
    floor(cv)
    h = H
    _mat(cv, 52.0, 388.0)
    base = MAT_T
    # The trunk lies in the body's mid plane, facing the viewer: shoulders and hips stacked,
    # the waist off the mat (as in side_lying_stretch).
    axis = 176.0
    hip_x = 250.0
    up, along = unit(axis - 90), unit(axis)
    hip_mid3 = (hip_x, base + 0.8 * h)
    top_hip3 = (*add(hip_mid3, up, 0.45 * h), 0.0)
    low_hip3 = (*add(hip_mid3, up, -0.45 * h), 0.0)
    shoulder_mid3 = add(hip_mid3, along, 0.92 * TORSO * h)
    top_sh3 = add(shoulder_mid3, up, 0.72 * h)
    low_sh3 = add(shoulder_mid3, up, -0.7 * h)
    hip_mid, shoulder_mid = in_plane(*hip_mid3), in_plane(*shoulder_mid3)
    # Bottom leg bent forward for balance: the thigh comes toward the viewer, the knee rests
    # on the mat in front of the body, the shin lies along the mat toward the feet.
    low_knee3, low_ankle3 = leg3(low_hip3, 75.0, 100.0, thigh_drop=0.12 * h,
                                 shin_drop=0.05 * h)
    low_hip, low_knee, low_ankle = proj(low_hip3), proj(low_knee3), proj(low_ankle3)
    low_toe = proj((low_ankle3[0] + 0.6 * h, low_ankle3[1] - 0.05 * h, low_ankle3[2]))
    low_leg = [*chain_shapes(cv, [low_hip, low_knee, low_ankle], [THIGH_R, SHIN_R], h),
               _foot(cv, low_ankle, low_toe)]
    # Top leg: the hip drawn back (extended 15 degrees, away from the viewer) with the thigh
    # level, the knee bent so the heel comes up behind the buttock; the foot is held a little
    # higher than the hip, so it shows above it, toes pointing up.
    top_knee3, top_ankle3 = leg3(top_hip3, -15.0, 140.0, shin_drop=-0.5 * h)
    top_hip, top_knee, top_ankle = proj(top_hip3), proj(top_knee3), proj(top_ankle3)
    shin_dir = angle(sub(top_ankle, top_knee))
    top_toe = add(top_ankle, unit(shin_dir - 35), 0.6 * h)
    top_thigh = chain_shapes(cv, [top_hip, top_knee], [THIGH_R], h)
    top_shin = [*chain_shapes(cv, [top_knee, top_ankle], [SHIN_R], h),
                _foot(cv, top_ankle, top_toe)]
    # Lower arm along the mat overhead, under the pillow and the head.
    low_sh = in_plane(*low_sh3)
    low_elbow = in_plane(low_sh3[0] - 1.45 * h, base + 0.19 * h)
    low_wrist = in_plane(low_sh3[0] - 2.2 * h, base + 0.16 * h)
    low_arm = [*chain_shapes(cv, [low_sh, low_elbow, low_wrist], [UPPER_R, FORE_R], h),
               taper_d(cv, low_wrist, HAND_R[0] * h, add(low_wrist, (-0.5 * h, 0)),
                       HAND_R[1] * h)]
    # Top arm reaches back over the hip; the hand wraps the ankle.
    top_sh = in_plane(*top_sh3)
    wrist = add(lerp(top_ankle, top_knee, 0.1), unit(shin_dir - 90), 0.32 * h)
    top_elbow = elbow_out(top_sh, wrist, UPPER_ARM * h, FOREARM * h, (0.0, -1.0))
    hand_to = add(wrist, unit(shin_dir + 95), 0.45 * h)
    top_arm = [*chain_shapes(cv, [top_sh, top_elbow, wrist], [UPPER_R, FORE_R], h),
               taper_d(cv, wrist, HAND_R[0] * h, hand_to, HAND_R[1] * h)]
    # Head on a pillow, in line with the spine.
    head_c = add(shoulder_mid, along, 0.98 * h)
    neck = taper_d(cv, add(shoulder_mid, along, 0.1 * h), NECK_R * 1.3 * h,
                   add(head_c, (0.3 * h, 0)), NECK_R * h)
    p0 = in_plane(head_c[0] - 1.1 * h, base - 0.05 * h, 0.35 * h)
    # Far to near: the lower arm and pillow, the trunk, the top shin (held up behind it, seen
    # over the hip), the top thigh, the bottom leg in front, the top arm over the flank, the
    # head.
    paint_body(cv, low_arm)
    paint_prop(cv, rrect_d(cv, p0[0], p0[1], p0[0] + 1.8 * h, head_c[1] - 0.39 * h,
                           0.18 * h))
    paint_body(cv, [smooth_d(cv, front_torso_points(hip_mid, axis, h)), neck])
    paint_body(cv, top_shin)
    paint_body(cv, top_thigh)
    paint_body(cv, low_leg)
    # Accent: the front of the top hip, from the lower belly over the hip to the top thigh.
    band = [add(add(hip_mid, along, 0.95 * h), up, 0.1 * h),
            add(add(hip_mid, along, 0.3 * h), up, 0.3 * h),
            lerp(top_hip, top_knee, 0.3)]
    paint_line(cv, smooth_d(cv, band, closed=False), ACCENT, ACCENT_W * h)
    paint_body(cv, top_arm)
    paint_body(cv, [smooth_d(cv, front_head_points(head_c, 180, h))])
    # Arrow: the top knee drawn back, an arc around the hip in the plane of the mat (seen
    # from a little above, it bulges to the right and rises: the knee swings back).
    r = dist((top_hip3[0], top_hip3[2]), (top_knee3[0], top_knee3[2])) + 0.7 * h
    arc = [proj((top_hip3[0] + r * unit(a)[0], top_knee3[1] - 0.15 * h, r * unit(a)[1]))
           for a in (28.0, 12.0, -4.0, -20.0, -36.0)]
    arrow(cv, arc, size=15)
    return cv
