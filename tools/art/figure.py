"""Pose model and drawing primitives for the psoas handout pictures.

A figure is built from joint angles, or from a point a two-segment limb must reach, using
the body proportions in head heights from the design notes (shared/design/poses.md). Every
body part is a closed shape drawn twice: once as an outline (dark fill plus a wide round-joined
stroke) and once as a light fill on top, so the parts of one group (a leg, an arm, the trunk)
merge into a single outlined silhouette with rounded ends.

Coordinates here are "math" coordinates: x to the right, y up, y = 0 on the floor. A Canvas
turns them into SVG coordinates (y down) around its current origin and formats every number
with one decimal, so the same pose always gives the same bytes.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

Vec = tuple[float, float]

# Palette: one neutral for the body, one accent, light grays for props.
BODY_FILL = "#DCE3E8"
OUTLINE = "#2F3B45"
ACCENT = "#C2410C"
PROP_LINE = "#8A969F"
PROP_FILL = "#EEF1F3"
MAT_FILL = "#CBD3D9"
ARROW = ACCENT

OW = 3.0          # outline width of body and props, the same in every picture
ARROW_W = 5.0     # arrow shaft width
ACCENT_W = 0.3    # psoas band width, in head heights

# Segment lengths in head heights (poses.md).
NECK, TORSO = 0.3, 2.8
UPPER_ARM, FOREARM, HAND = 1.5, 1.25, 0.75
THIGH, SHIN, FOOT = 2.0, 2.0, 1.0
SHOULDER_W, HIP_W = 2.0, 1.5

# Limb radii (start, end) in head heights.
THIGH_R = (0.34, 0.24)
SHIN_R = (0.24, 0.15)
UPPER_R = (0.2, 0.16)
FORE_R = (0.16, 0.12)
HAND_R = (0.15, 0.12)
NECK_R = 0.19
FOOT_SOLE = 0.27   # distance from the ankle joint to the sole, head heights

# Side-view torso profile: (t along hip->shoulder, front depth, back depth) in head heights.
SIDE_PROFILE = [
    (-0.16, 0.22, 0.42), (-0.09, 0.44, 0.66), (0.02, 0.55, 0.7), (0.15, 0.52, 0.58),
    (0.32, 0.47, 0.46), (0.5, 0.53, 0.47), (0.68, 0.6, 0.52), (0.85, 0.56, 0.53),
    (0.97, 0.44, 0.48), (1.06, 0.2, 0.3),
]
# Side-view head outline in head heights: (toward the face, along the head axis).
HEAD_PROFILE = [
    (0.0, 0.5), (-0.3, 0.42), (-0.44, 0.12), (-0.38, -0.2), (-0.18, -0.38), (0.08, -0.5),
    (0.3, -0.42), (0.38, -0.22), (0.48, -0.02), (0.4, 0.12), (0.41, 0.3), (0.26, 0.45),
]

LIMITS = {  # joint: (min, max) degrees, from poses.md
    "hip": (-20.0, 125.0), "knee": (0.0, 155.0), "ankle": (60.0, 190.0),
    "shoulder": (-60.0, 185.0), "elbow": (0.0, 150.0), "neck": (-55.0, 60.0),
}


# ---------------------------------------------------------------- vector helpers
def rad(deg: float) -> float:
    return math.radians(deg)


def unit(deg: float) -> Vec:
    return (math.cos(rad(deg)), math.sin(rad(deg)))


def add(a: Vec, b: Vec, k: float = 1.0) -> Vec:
    return (a[0] + k * b[0], a[1] + k * b[1])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1])


def lerp(a: Vec, b: Vec, t: float) -> Vec:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def angle(v: Vec) -> float:
    return math.degrees(math.atan2(v[1], v[0]))


def norm180(deg: float) -> float:
    d = math.fmod(deg, 360.0)
    if d > 180.0:
        d -= 360.0
    if d <= -180.0:
        d += 360.0
    return d


def dist(a: Vec, b: Vec) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def fmt(v: float) -> str:
    """One decimal, no trailing .0, no negative zero: stable output."""
    r = round(v + 0.0, 1)
    if r == 0:
        r = 0.0
    s = f"{r:.1f}"
    return s[:-2] if s.endswith(".0") else s


def ik2(root: Vec, target: Vec, a: float, b: float) -> tuple[tuple[float, float], ...]:
    """Both solutions (first angle, second angle) of a two-segment chain reaching target."""
    d = min(dist(root, target), a + b - 1e-6)
    d = max(d, abs(a - b) + 1e-6)
    base = angle(sub(target, root))
    cos_a = (a * a + d * d - b * b) / (2 * a * d)
    alpha = math.degrees(math.acos(max(-1.0, min(1.0, cos_a))))
    out = []
    for sign in (1.0, -1.0):
        first = base + sign * alpha
        mid = add(root, unit(first), a)
        out.append((first, angle(sub(target, mid))))
    return tuple(out)


def _interp(table: list[tuple[float, float]], t: float) -> float:
    if t <= table[0][0]:
        return table[0][1]
    for (t0, v0), (t1, v1) in zip(table, table[1:], strict=False):
        if t <= t1:
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    return table[-1][1]


# ---------------------------------------------------------------- canvas
class Canvas:
    """Collects SVG elements; converts math coordinates around a movable origin."""

    def __init__(self, width: int, height: int, title: str) -> None:
        self.width, self.height, self.title = width, height, title
        self.items: list[str] = []
        self.origin: Vec = (0.0, 0.0)

    def pt(self, p: Vec) -> Vec:
        return (self.origin[0] + p[0], self.origin[1] - p[1])

    def xy(self, p: Vec) -> str:
        q = self.pt(p)
        return f"{fmt(q[0])} {fmt(q[1])}"

    def add(self, item: str) -> None:
        self.items.append(item)

    def svg(self) -> str:
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{self.width}" '
                f'height="{self.height}" viewBox="0 0 {self.width} {self.height}">')
        return "\n".join([head, f"<title>{self.title}</title>", *self.items, "</svg>"]) + "\n"


# ---------------------------------------------------------------- shapes (path data)
def circle_d(cv: Canvas, c: Vec, r: float) -> str:
    x, y = cv.pt(c)
    return (f"M{fmt(x - r)} {fmt(y)}A{fmt(r)} {fmt(r)} 0 1 0 {fmt(x + r)} {fmt(y)}"
            f"A{fmt(r)} {fmt(r)} 0 1 0 {fmt(x - r)} {fmt(y)}Z")


def _sweep(cv: Canvas, c: Vec, a: Vec, m: Vec) -> int:
    """SVG sweep flag for an arc around c from a that passes through m."""
    pc, pa, pm = cv.pt(c), cv.pt(a), cv.pt(m)
    cross = (pa[0] - pc[0]) * (pm[1] - pc[1]) - (pa[1] - pc[1]) * (pm[0] - pc[0])
    return 1 if cross > 0 else 0


def taper_d(cv: Canvas, p0: Vec, r0: float, p1: Vec, r1: float) -> str:
    """A limb segment: two circles joined by their outer tangents."""
    length = dist(p0, p1)
    if length < abs(r0 - r1) + 1e-6:
        return circle_d(cv, p0 if r0 >= r1 else p1, max(r0, r1))
    u = ((p1[0] - p0[0]) / length, (p1[1] - p0[1]) / length)
    v = (-u[1], u[0])
    k = (r0 - r1) / length
    q = math.sqrt(1 - k * k)
    na = (k * u[0] + q * v[0], k * u[1] + q * v[1])
    nb = (k * u[0] - q * v[0], k * u[1] - q * v[1])
    a0, a1 = add(p0, na, r0), add(p1, na, r1)
    b0, b1 = add(p0, nb, r0), add(p1, nb, r1)
    large1, large0 = (1 if k < 0 else 0), (1 if k > 0 else 0)
    s1 = _sweep(cv, p1, a1, add(p1, u, r1))
    s0 = _sweep(cv, p0, b0, add(p0, u, -r0))
    return (f"M{cv.xy(a0)}L{cv.xy(a1)}A{fmt(r1)} {fmt(r1)} 0 {large1} {s1} {cv.xy(b1)}"
            f"L{cv.xy(b0)}A{fmt(r0)} {fmt(r0)} 0 {large0} {s0} {cv.xy(a0)}Z")


def smooth_d(cv: Canvas, pts: list[Vec], closed: bool = True) -> str:
    """A Catmull-Rom curve through the points, written as cubic Beziers."""
    n = len(pts)
    out = [f"M{cv.xy(pts[0])}"]
    last = n if closed else n - 1
    for i in range(last):
        p0 = pts[(i - 1) % n] if (closed or i > 0) else pts[0]
        p1, p2 = pts[i], pts[(i + 1) % n]
        p3 = pts[(i + 2) % n] if (closed or i + 2 < n) else pts[n - 1]
        c1 = add(p1, sub(p2, p0), 1 / 6)
        c2 = add(p2, sub(p3, p1), -1 / 6)
        out.append(f"C{cv.xy(c1)} {cv.xy(c2)} {cv.xy(p2)}")
    return "".join(out) + ("Z" if closed else "")


def poly_d(cv: Canvas, pts: list[Vec], closed: bool = True) -> str:
    return "M" + "L".join(cv.xy(p) for p in pts) + ("Z" if closed else "")


# ---------------------------------------------------------------- painting
def paint_body(cv: Canvas, shapes: list[str], fill: str = BODY_FILL) -> None:
    """Outline pass for all shapes, then fill pass: one merged outlined silhouette."""
    if not shapes:
        return
    cv.add(f'<g fill="{OUTLINE}" stroke="{OUTLINE}" stroke-width="{fmt(2 * OW)}" '
           f'stroke-linejoin="round">')
    cv.items.extend(f'<path d="{d}"/>' for d in shapes)
    cv.add(f'</g>\n<g fill="{fill}">')
    cv.items.extend(f'<path d="{d}"/>' for d in shapes)
    cv.add("</g>")


def paint_prop(cv: Canvas, d: str, fill: str = PROP_FILL, line: str = PROP_LINE,
               width: float = OW) -> None:
    cv.add(f'<path d="{d}" fill="{fill}" stroke="{line}" stroke-width="{fmt(width)}" '
           f'stroke-linejoin="round" stroke-linecap="round"/>')


def paint_line(cv: Canvas, d: str, color: str, width: float) -> None:
    cv.add(f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{fmt(width)}" '
           f'stroke-linecap="round" stroke-linejoin="round"/>')


def _head(cv: Canvas, tip: Vec, direction: float, size: float, color: str) -> None:
    back = add(tip, unit(direction), -size)
    left = add(back, unit(direction + 90), size * 0.55)
    right = add(back, unit(direction - 90), size * 0.55)
    cv.add(f'<path d="{poly_d(cv, [tip, left, right])}" fill="{color}" stroke="{color}" '
           f'stroke-width="2" stroke-linejoin="round"/>')


def arrow(cv: Canvas, pts: list[Vec], color: str = ARROW, size: float = 17.0,
          width: float = ARROW_W, both: bool = False) -> None:
    """An arrow along a smooth curve through pts (math coordinates), head at the last point."""
    tip = pts[-1]
    direction = angle(sub(tip, pts[-2]))
    shaft = list(pts[:-1]) + [add(tip, unit(direction), -size * 0.7)]
    if both:
        start_dir = angle(sub(pts[0], pts[1]))
        shaft[0] = add(pts[0], unit(start_dir), -size * 0.7)
        _head(cv, pts[0], start_dir, size, color)
    paint_line(cv, smooth_d(cv, shaft, closed=False) if len(shaft) > 2 else poly_d(cv, shaft,
               closed=False), color, width)
    _head(cv, tip, direction, size, color)


def arc_points(c: Vec, r: float, a0: float, a1: float, n: int = 6) -> list[Vec]:
    return [add(c, unit(a0 + (a1 - a0) * i / (n - 1)), r) for i in range(n)]


# ---------------------------------------------------------------- side-view figure
@dataclass
class Limb:
    """A two-segment limb plus its end (foot or hand): joint points and segment angles."""
    root: Vec
    mid: Vec
    end: Vec
    a1: float
    a2: float
    a3: float


@dataclass
class SideFigure:
    """A person seen from the side. s = +1: front of the body is clockwise of the spine's
    hip->shoulder direction (standing facing right, or lying on the back with the head left);
    s = -1 is the mirror image. h = head height in px; hip = hip joint (math coordinates)."""
    h: float
    s: int
    hip: Vec
    torso: float
    bend: float = 0.0
    neck_flex: float = 0.0
    legs: dict[str, Limb] = field(default_factory=dict)
    arms: dict[str, Limb] = field(default_factory=dict)
    name: str = "figure"

    # --- spine
    def _ctrl(self) -> tuple[Vec, Vec, Vec]:
        length = TORSO * self.h
        p2 = add(self.hip, unit(self.torso), length)
        mid = lerp(self.hip, p2, 0.5)
        c = add(mid, unit(self.front(self.torso) + 180), self.bend * length)
        return self.hip, c, p2

    def front(self, axis: float) -> float:
        return axis - 90 * self.s

    def spine(self, t: float) -> Vec:
        p0, c, p2 = self._ctrl()
        if t < 0:
            return add(p0, sub(c, p0), 2 * t)
        if t > 1:
            return add(p2, sub(p2, c), 2 * (t - 1))
        u = 1 - t
        return (u * u * p0[0] + 2 * u * t * c[0] + t * t * p2[0],
                u * u * p0[1] + 2 * u * t * c[1] + t * t * p2[1])

    def axis(self, t: float) -> float:
        p0, c, p2 = self._ctrl()
        t = min(1.0, max(0.0, t))
        d = add(lerp(p0, c, t), lerp(c, p2, t), -1)
        return angle((-d[0], -d[1]))

    @property
    def pelvis_axis(self) -> float:
        return self.axis(0.0)

    @property
    def chest_axis(self) -> float:
        return self.axis(1.0)

    @property
    def shoulder(self) -> Vec:
        return add(self.spine(0.93), unit(self.front(self.chest_axis)), 0.02 * self.h)

    def settle(self, surface: float, t_min: float = -1.0, t_max: float = 2.0) -> None:
        """Move the trunk up or down so the lowest torso point between t_min and t_max
        (fractions of the hip->shoulder line) rests on surface."""
        low = min(p[1] for p, t in zip(self.torso_points(), self._torso_ts(), strict=False)
                  if t_min <= t <= t_max)
        self.hip = (self.hip[0], self.hip[1] + surface - low)

    @staticmethod
    def _torso_ts() -> list[float]:
        ts = [t for t, _, _ in SIDE_PROFILE]
        return ts + ts[::-1]

    def back_line(self, t0: float, t1: float, inset: float, n: int = 5) -> list[Vec]:
        """Points along the back surface, inset head heights inside the outline."""
        out = []
        for i in range(n):
            t = t0 + (t1 - t0) * i / (n - 1)
            depth = _interp([(a, c) for a, _, c in SIDE_PROFILE], t)
            out.append(add(self.spine(t), unit(self.front(self.axis(t))),
                           -(depth - inset) * self.h))
        return out

    def flex_for(self, thigh: float) -> float:
        """Hip flexion that points the thigh at the absolute angle thigh."""
        return norm180(self.s * (thigh - self.pelvis_axis + 180))

    # --- limbs by joint angles
    def leg(self, which: str, hip_flex: float, knee: float, ankle: float = 90.0) -> Limb:
        thigh = self.pelvis_axis - 180 + self.s * hip_flex
        shin = thigh - self.s * knee
        foot = shin + self.s * (180 - ankle)
        k = add(self.hip, unit(thigh), THIGH * self.h)
        a = add(k, unit(shin), SHIN * self.h)
        self.legs[which] = Limb(self.hip, k, a, thigh, shin, foot)
        return self.legs[which]

    def arm(self, which: str, flex: float, elbow: float, wrist: float = 0.0) -> Limb:
        upper = self.chest_axis - 180 + self.s * flex
        fore = upper + self.s * elbow
        e = add(self.shoulder, unit(upper), UPPER_ARM * self.h)
        w = add(e, unit(fore), FOREARM * self.h)
        self.arms[which] = Limb(self.shoulder, e, w, upper, fore, fore + self.s * wrist)
        return self.arms[which]

    # --- limbs by target point (the middle joint bends the anatomical way)
    def leg_to(self, which: str, ankle: Vec, foot: float) -> Limb:
        for thigh, shin in ik2(self.hip, ankle, THIGH * self.h, SHIN * self.h):
            if norm180(self.s * (thigh - shin)) >= -0.5:
                break
        k = add(self.hip, unit(thigh), THIGH * self.h)
        self.legs[which] = Limb(self.hip, k, add(k, unit(shin), SHIN * self.h), thigh, shin,
                                foot)
        return self.legs[which]

    def arm_to(self, which: str, wrist: Vec, hand: float) -> Limb:
        sh = self.shoulder
        for upper, fore in ik2(sh, wrist, UPPER_ARM * self.h, FOREARM * self.h):
            if norm180(self.s * (fore - upper)) >= -0.5:
                break
        e = add(sh, unit(upper), UPPER_ARM * self.h)
        self.arms[which] = Limb(sh, e, add(e, unit(fore), FOREARM * self.h), upper, fore, hand)
        return self.arms[which]

    def toe_point(self, which: str) -> Vec:
        """Bottom of the ball of the foot."""
        leg = self.legs[which]
        n = unit(leg.a3 - 90 * self.s)
        return add(add(leg.end, n, FOOT_SOLE * self.h), unit(leg.a3), 0.72 * self.h)

    def heel_point(self, which: str) -> Vec:
        leg = self.legs[which]
        n = unit(leg.a3 - 90 * self.s)
        return add(add(leg.end, n, FOOT_SOLE * self.h), unit(leg.a3), -0.1 * self.h)

    def ankle_for_sole(self, x: float, surface: float, foot: float, on: str = "flat") -> Vec:
        """Ankle point for a foot at angle foot whose heel ("flat") or ball ("toes") is at
        x on surface; the sole faces away from the shin (downward for a standing foot)."""
        n = unit(foot - 90 * self.s)
        ankle = (x, surface)
        ankle = add(ankle, n, -FOOT_SOLE * self.h)
        if on == "toes":
            ankle = add(ankle, unit(foot), -0.78 * self.h)
        return ankle

    # --- checks
    def check(self) -> list[str]:
        out = []
        s = self.s
        for which, leg in self.legs.items():
            hip = norm180(s * (leg.a1 - (self.pelvis_axis - 180)))
            knee = norm180(s * (leg.a1 - leg.a2))
            ankle = 180 - norm180(s * (leg.a3 - leg.a2))
            out += self._limit(f"{which} hip", "hip", hip)
            out += self._limit(f"{which} knee", "knee", knee)
            out += self._limit(f"{which} ankle", "ankle", ankle)
        for which, arm in self.arms.items():
            flex = norm180(s * (arm.a1 - (self.chest_axis - 180)))
            if flex < -90:
                flex += 360
            out += self._limit(f"{which} shoulder", "shoulder", flex)
            out += self._limit(f"{which} elbow", "elbow", norm180(s * (arm.a2 - arm.a1)))
        out += self._limit("neck", "neck", self.neck_flex)
        return [f"{self.name}: {m}" for m in out]

    @staticmethod
    def _limit(label: str, joint: str, value: float) -> list[str]:
        lo, hi = LIMITS[joint]
        return [] if lo - 0.5 <= value <= hi + 0.5 else [f"{label} {value:.0f} deg outside "
                                                          f"{lo:.0f}..{hi:.0f}"]

    # --- shapes
    def torso_points(self) -> list[Vec]:
        fronts, backs = [], []
        for t, f, b in SIDE_PROFILE:
            c = self.spine(t)
            n = unit(self.front(self.axis(t)))
            fronts.append(add(c, n, f * self.h))
            backs.append(add(c, n, -b * self.h))
        return fronts + backs[::-1]

    def head_points(self) -> list[Vec]:
        axis = self.chest_axis - self.s * self.neck_flex
        base = add(self.spine(1.0), unit(self.chest_axis), 0.02 * self.h)
        centre = add(add(base, unit(axis), (NECK + 0.42) * self.h),
                     unit(self.front(axis)), 0.1 * self.h)
        fu, au = unit(self.front(axis)), unit(axis)
        return [add(add(centre, fu, f * self.h), au, a * self.h) for f, a in HEAD_PROFILE]

    def neck_d(self, cv: Canvas) -> str:
        axis = self.chest_axis - self.s * self.neck_flex
        base = add(self.spine(0.96), unit(self.front(self.chest_axis)), 0.0)
        top = add(add(self.spine(1.0), unit(axis), (NECK + 0.28) * self.h),
                  unit(self.front(axis)), 0.02 * self.h)
        return taper_d(cv, base, NECK_R * 1.25 * self.h, top, NECK_R * self.h)

    def leg_shapes(self, cv: Canvas, which: str) -> list[str]:
        leg, h = self.legs[which], self.h
        out = [taper_d(cv, leg.root, THIGH_R[0] * h, leg.mid, THIGH_R[1] * h),
               taper_d(cv, leg.mid, SHIN_R[0] * h, leg.end, SHIN_R[1] * h)]
        out.append(self.foot_d(cv, leg.end, leg.a3))
        return out

    def foot_d(self, cv: Canvas, ankle: Vec, foot: float) -> str:
        n, h = unit(foot - 90 * self.s), self.h
        heel = add(add(ankle, n, 0.1 * h), unit(foot), -0.1 * h)
        toe = add(add(ankle, n, 0.16 * h), unit(foot), 0.68 * h)
        return taper_d(cv, heel, 0.17 * h, toe, 0.11 * h)

    def arm_shapes(self, cv: Canvas, which: str) -> list[str]:
        arm, h = self.arms[which], self.h
        hand_end = add(arm.end, unit(arm.a3), (HAND - HAND_R[1] - 0.05) * h)
        hand_start = add(arm.end, unit(arm.a3), 0.06 * h)
        return [taper_d(cv, arm.root, UPPER_R[0] * h, arm.mid, UPPER_R[1] * h),
                taper_d(cv, arm.mid, FORE_R[0] * h, arm.end, FORE_R[1] * h),
                taper_d(cv, hand_start, HAND_R[0] * h, hand_end, HAND_R[1] * h)]

    def psoas_d(self, cv: Canvas, leg: str = "near", short: bool = False) -> str:
        """The psoas line: lumbar spine, over the front rim of the pelvis, to the top of the
        inner thigh bone. short: only the part at the front of the hip crease, from the lower
        belly to the top of the thigh (lying poses, where the long line reads as a strap)."""
        h = self.h
        top = add(self.spine(0.47), unit(self.front(self.axis(0.47))), -0.08 * h)
        upper = add(self.spine(0.24), unit(self.front(self.axis(0.24))), 0.18 * h)
        rim = add(add(self.hip, unit(self.front(self.pelvis_axis)), 0.4 * h),
                  unit(self.pelvis_axis), 0.06 * h)
        thigh = self.legs[leg].a1
        low = add(add(self.hip, unit(thigh), 0.8 * h), unit(thigh + 90 * self.s), 0.1 * h)
        if short:
            belly = add(self.spine(0.32), unit(self.front(self.axis(0.32))), 0.33 * h)
            rim = add(self.hip, unit(self.front(self.pelvis_axis)), 0.3 * h)
            low = add(add(self.hip, unit(thigh), 0.85 * h), unit(thigh + 90 * self.s), 0.12 * h)
            return smooth_d(cv, [belly, rim, low], closed=False)
        return smooth_d(cv, [top, lerp(upper, rim, 0.3), rim, low], closed=False)

    def draw(self, cv: Canvas, order: tuple[str, ...] = ("far_leg", "far_arm", "trunk",
             "near_leg", "accent", "near_arm", "head"), accent: bool = True,
             short: bool = False) -> None:
        for part in order:
            if part == "far_leg" and "far" in self.legs:
                paint_body(cv, self.leg_shapes(cv, "far"))
            elif part == "near_leg" and "near" in self.legs:
                paint_body(cv, self.leg_shapes(cv, "near"))
            elif part == "far_arm" and "far" in self.arms:
                paint_body(cv, self.arm_shapes(cv, "far"))
            elif part == "near_arm" and "near" in self.arms:
                paint_body(cv, self.arm_shapes(cv, "near"))
            elif part == "trunk":
                paint_body(cv, [smooth_d(cv, self.torso_points()), self.neck_d(cv)])
            elif part == "head":
                paint_body(cv, [smooth_d(cv, self.head_points())])
            elif part == "accent" and accent:
                paint_line(cv, self.psoas_d(cv, short=short), ACCENT, ACCENT_W * self.h)
        for message in self.check():
            print("joint limit:", message, file=sys.stderr)
