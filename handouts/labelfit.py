"""Large-print labels: a drawing's text labels set large enough to print at a size.

The anatomy drawing's labels scale with the drawing; in large print they must print at
18 pt like the rest of the handout (shared/design/handout-standards.md), while the figure
keeps its printed size. Each label grows away from the figure, from the edge its leader line
starts at, and the drawing's box grows only where a label now reaches past it (the sample's
anatomy picture: about 20 pt wider and under 10 pt taller in large print). Works on any
svglib drawing (a clinic's own picture too); a raster picture has no labels to set.
"""

from __future__ import annotations

from typing import Any

LABEL_FIT_VERSION = "1"  # in the disk cache's key: bump when fit_labels draws differently
Loaded = tuple[Any, tuple[float, float], Any]  # as handouts.art.Loaded

# Labels grow at most this much to reach a size (a clinic drawing with tiny lettering keeps
# it small rather than shrinking the drawing to a stamp; `check` then names the drawing).
MAX_LABEL_GROWTH = 2.0
Fit = tuple[float, float, float]  # least printed label size (pt), printed width, max height


def fit_labels(loaded: Loaded, fit: Fit) -> Loaded:
    """A copy of a drawing whose text labels print at ``fit[0]`` pt or more when the
    figure prints at the scale that fits the drawing as drawn to ``fit[1]`` wide (at most
    ``fit[2]`` high, 0 for no limit), as a :class:`Picture` scales it. The figure keeps that
    scale (the renderer prints the new box at it). Each label keeps the edge that faces the
    middle of the drawing (where its leader line starts) and grows outward; stacked lines of
    one label move apart with it; the drawing's box grows only where a label now reaches
    past it. A raster picture, and labels that are already large enough, are left as they
    are; labels that would need more than doubling are set at double."""
    from reportlab.graphics.shapes import Drawing

    source, natural, pixels = loaded
    least, width, max_height = fit
    if not isinstance(source, Drawing) or least <= 0 or width <= 0:
        return loaded
    found = _labels(source)
    if not found:
        return loaded
    scale = _print_scale(source, width, max_height)  # the figure keeps its printed size
    growth = [min(MAX_LABEL_GROWTH, max(1.0, least * 1.001 / (size * factor * scale)))
              for _, size, factor, _ in found]
    drawing = _grown(source, growth) if any(g > 1.0 for g in growth) else source
    return drawing, (float(drawing.width), float(drawing.height)), pixels


def _print_scale(drawing: Any, width: float, max_height: float) -> float:
    """The scale :class:`Picture` draws ``drawing`` at in a ``width`` × ``max_height`` box."""
    scale = width / float(drawing.width)
    if max_height and float(drawing.height) * scale > max_height:
        scale = max_height / float(drawing.height)
    return scale


Affine = tuple[float, float, float, float, float, float]


def _compose(m: Affine, n: Affine) -> Affine:
    """The transform ``m`` after ``n`` (reportlab's order: a b c d e f)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2,
            a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _labels(drawing: Any) -> list[tuple[tuple[int, ...], float, float, Affine]]:
    """Each upright, unrotated text label: its path of child indexes from the drawing, its
    font size, its scale on the drawing and its transform to the drawing's space (a rotated
    or mirrored label is left as it is)."""
    from reportlab.graphics.shapes import Group, String

    found: list[tuple[tuple[int, ...], float, float, Affine]] = []

    def walk(node: Any, where: tuple[int, ...], m: Affine) -> None:
        if isinstance(node, String):
            a, b, c, d, _, _ = m
            if node.text.strip() and b == 0 and c == 0 and a > 0 and d > 0:
                found.append((where, float(node.fontSize), d, m))
        elif isinstance(node, Group):
            inner = _compose(m, tuple(getattr(node, "transform", (1, 0, 0, 1, 0, 0))))
            for i, child in enumerate(node.contents):
                walk(child, (*where, i), inner)

    for i, child in enumerate(drawing.contents):
        walk(child, (i,), (1, 0, 0, 1, 0, 0))
    return found


def _span(node: Any, m: Affine) -> tuple[float, float, float, float]:
    """A label's extent in the drawing's space: left, right, bottom, top."""
    from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth

    a, _, _, d, e, f = m
    w = stringWidth(node.text, node.fontName, node.fontSize)
    start = {"start": node.x, "end": node.x - w, "middle": node.x - w / 2}.get(
        node.textAnchor, node.x)
    ascent, descent = getAscentDescent(node.fontName, node.fontSize)
    y = d * node.y + f
    return a * start + e, a * (start + w) + e, y + d * descent, y + d * ascent


def _grown(source: Any, growth: list[float]) -> Any:
    """A copy of ``source`` with each label's font size times its ``growth`` (see
    :func:`fit_labels`), its box grown to hold them."""
    import copy

    from reportlab.graphics.shapes import Group

    drawing = copy.deepcopy(source)
    found = _labels(drawing)
    nodes = [_node(drawing, where) for where, _, _, _ in found]
    spans = [_span(n, m) for n, (_, _, _, m) in zip(nodes, found, strict=True)]
    middle = float(drawing.width) / 2
    # one label may be set as stacked lines: the same anchor and size, a line apart
    groups: list[list[int]] = []
    for i, node in enumerate(nodes):
        m = found[i][3]
        last = groups[-1][-1] if groups else None
        if last is not None and found[last][3] == m and growth[last] == growth[i] \
                and nodes[last].textAnchor == node.textAnchor and nodes[last].x == node.x \
                and nodes[last].fontSize == node.fontSize \
                and 0 < m[3] * (nodes[last].y - node.y) <= 1.6 * node.fontSize * m[3]:
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        k = growth[group[0]]
        if k == 1.0:
            continue
        left = min(spans[i][0] for i in group)
        right = max(spans[i][1] for i in group)
        outward_left = (left + right) / 2 < middle  # a label left of the figure grows left
        first_y = nodes[group[0]].y
        for i in group:
            node = nodes[i]
            node.y = first_y + (node.y - first_y) * k
            node.fontSize = node.fontSize * k
        after = [_span(nodes[i], found[i][3]) for i in group]
        a = found[group[0]][3][0]
        shift = (right - max(s[1] for s in after)) if outward_left \
            else (left - min(s[0] for s in after))
        for i in group:
            nodes[i].x = nodes[i].x + shift / a
    width, height = float(drawing.width), float(drawing.height)
    before = [(s[0], width - s[1], s[2], height - s[3]) for s in spans]
    after_all = [_span(n, m) for n, (_, _, _, m) in zip(nodes, found, strict=True)]
    room = [max(0.0, min(b[j] for b in before)) for j in range(4)]  # the labels' own margins
    grow = [max(0.0, room[0] - min(s[0] for s in after_all)),
            max(0.0, max(s[1] for s in after_all) - (width - room[1])),
            max(0.0, room[2] - min(s[2] for s in after_all)),
            max(0.0, max(s[3] for s in after_all) - (height - room[3]))]
    if any(grow):
        moved = Group(*drawing.contents, transform=(1, 0, 0, 1, grow[0], grow[2]))
        drawing.contents = [moved]
        drawing.width = width + grow[0] + grow[1]
        drawing.height = height + grow[2] + grow[3]
    return drawing


def _node(drawing: Any, where: tuple[int, ...]) -> Any:
    """The node at a path of child indexes."""
    node = drawing
    for i in where:
        node = node.contents[i]
    return node
