"""Front-view shapes (butterfly, side-lying): torso and head outlines seen from the front,
tapered limb chains and an elbow that bends outward. Math coordinates, head heights."""

from __future__ import annotations

import math

from figure import TORSO, Canvas, Vec, add, ik2, taper_d, unit

# Front-view torso profile: (t, half width) in head heights.
FRONT_PROFILE = [
    (-0.16, 0.5), (-0.06, 0.76), (0.06, 0.78), (0.25, 0.66), (0.4, 0.62), (0.6, 0.72),
    (0.8, 0.86), (0.93, 0.96), (1.03, 0.8), (1.08, 0.45),
]


def front_torso_points(hip_mid: Vec, axis: float, h: float) -> list[Vec]:
    """Torso outline seen from the front (or back): hip_mid = midpoint between hip joints."""
    d, n = unit(axis), unit(axis - 90)
    right, left = [], []
    for t, w in FRONT_PROFILE:
        c = add(hip_mid, d, t * TORSO * h)
        right.append(add(c, n, w * h))
        left.append(add(c, n, -w * h))
    return right + left[::-1]


def front_head_points(centre: Vec, axis: float, h: float) -> list[Vec]:
    """Head seen from the front: a slightly egg-shaped oval."""
    d, n = unit(axis), unit(axis - 90)
    pts = []
    for i in range(12):
        a = math.radians(i * 30)
        across = math.sin(a) * (0.39 if math.cos(a) > 0 else 0.35)
        along = math.cos(a) * 0.5
        pts.append(add(add(centre, d, along * h), n, across * h))
    return pts


def chain_shapes(cv: Canvas, pts: list[Vec], radii: list[tuple[float, float]],
                 h: float) -> list[str]:
    """Tapered segments joining consecutive points (front views); radii in head heights."""
    return [taper_d(cv, a, ra * h, b, rb * h)
            for (a, b), (ra, rb) in zip(zip(pts, pts[1:], strict=False), radii, strict=False)]


def elbow_out(root: Vec, target: Vec, a: float, b: float, outward: Vec) -> Vec:
    """Middle joint of a two-segment chain, on the side of the direction outward."""
    best: Vec = root
    score = -1e9
    for first, _ in ik2(root, target, a, b):
        mid = add(root, unit(first), a)
        value = mid[0] * outward[0] + mid[1] * outward[1]
        if value > score:
            best, score = mid, value
    return best
