"""Video-wall layouts as grid cells, independent of any toolkit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    column: int
    row_span: int = 1
    column_span: int = 1


@dataclass(frozen=True, slots=True)
class WallLayout:
    name: str
    rows: int
    columns: int
    cells: tuple[Cell, ...]


def _grid(name: str, size: int) -> WallLayout:
    cells = tuple(Cell(r, c) for r in range(size) for c in range(size))
    return WallLayout(name, size, size, cells)


def _one_plus(name: str, size: int) -> WallLayout:
    """One large tile of (size-1)^2 cells in the top-left corner, small ones around it."""
    big = size - 1
    cells = [Cell(0, 0, big, big)]
    cells += [Cell(r, big) for r in range(big)]
    cells += [Cell(big, c) for c in range(size)]
    return WallLayout(name, size, size, tuple(cells))


LAYOUTS: dict[str, WallLayout] = {
    layout.name: layout
    for layout in (
        _grid("1", 1),
        _grid("2x2", 2),
        _grid("3x3", 3),
        _grid("4x4", 4),
        _one_plus("1+5", 3),
        _one_plus("1+7", 4),
    )
}
