"""Small plane-geometry checks used to validate site-file polygons."""

from __future__ import annotations

from collections.abc import Sequence

Point = tuple[float, float]


def polygon_area(points: Sequence[Point]) -> float:
    """Absolute area by the shoelace formula."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, [*points[1:], points[0]], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2.0


def _orientation(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """True when segments ab and cd properly intersect (touching endpoints do not count)."""
    o1, o2 = _orientation(a, b, c), _orientation(a, b, d)
    o3, o4 = _orientation(c, d, a), _orientation(c, d, b)
    return (o1 * o2 < 0) and (o3 * o4 < 0)


def polygon_self_intersects(points: Sequence[Point]) -> bool:
    """True when two non-adjacent edges of the closed polygon cross."""
    n = len(points)
    edges = [(points[i], points[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # first and last edge share a corner
            if segments_cross(*edges[i], *edges[j]):
                return True
    return False
