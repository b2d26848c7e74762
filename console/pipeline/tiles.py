"""Detector tiling (SAHI-style): small, far road users seen at the frame's own resolution.

The detector sees a camera's region (console/pipeline/region.py) shrunk to its input size:
a 1920 px wide view at 640 px input is shrunk three times, and a pedestrian 10 px wide on
the hard shoulder becomes 3 px, below what YOLO finds. With ``detect_tiles`` the region's
far band (its upper part: on a road seen from a pole, a road user's height in pixels grows
with its distance below the horizon, so the small ones are up there) is also cut into
overlapping square tiles of ``tile`` source pixels, each run at the model's input size, so
a tile keeps the frame's pixels (or enlarges them). The tiles and the whole region go
through the model in one batched call; the boxes are merged:

* a tile box touching a tile edge that lies inside the region is cut by that edge; the
  neighbouring tile (they overlap by ``OVERLAP``) or the whole-region pass sees it whole,
  so the cut box is dropped;
* boxes of one class that overlap (intersection over union above the model's ``nms_iou``,
  or intersection over the smaller box above ``CONTAIN_SHARE``: a tile's box of one part
  of a bus inside the whole pass's box of the bus) are one object: the most confident is
  kept.

Tiling multiplies the model's work by ``1 + len(tiles)``: the detector worker measures
what a frame really costs (console/pipeline/scheduler.py), and ``image_size: auto`` plans
with the tiles' pixels (console/pipeline/input_size.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from console.detect.detections import Detections

TileSetting = Literal["off", "auto"] | int

OVERLAP = 0.2  # of a tile's side, shared with its neighbour: a small object is whole in one
FAR_SHARE = 0.5  # of the region's height, from its top, that tiles cover (at least one tile)
# ``auto`` tiles only a region the model input shrinks at least this much: below it the
# whole-region pass already sees nearly every pixel.
AUTO_MIN_SHRINK = 1.25
MAX_TILES = 8
CONTAIN_SHARE = 0.6
EDGE_PX = 2.0  # a box this close to an inner tile edge is cut by it


@dataclass(frozen=True, slots=True)
class Tile:
    """Columns x0..x1, rows y0..y1 of the image the detector sees (the region's crop)."""

    x0: int
    y0: int
    x1: int
    y1: int

    def crop(self, image: np.ndarray) -> np.ndarray:
        return image[self.y0 : self.y1, self.x0 : self.x1]


def _starts(length: int, side: int, count: int) -> list[int]:
    """``count`` tile starts spread evenly so ``count`` tiles of ``side`` cover ``length``."""
    if count <= 1 or length <= side:
        return [0]
    stride = (length - side) / (count - 1)
    return [round(i * stride) for i in range(count)]


def _count(length: int, side: int) -> int:
    """Tiles of ``side`` with ``OVERLAP`` needed to cover ``length``."""
    if length <= side:
        return 1
    stride = side * (1 - OVERLAP)
    return math.ceil((length - side) / stride) + 1


def plan_tiles(setting: TileSetting, width: int, height: int, input_size: int) -> tuple[Tile, ...]:
    """The tiles of a ``width`` x ``height`` image the detector runs at ``input_size`` px.

    ``off``: none. ``auto``: tiles of ``input_size`` source pixels (the frame's own
    resolution), when the whole image is at least ``AUTO_MIN_SHRINK`` times the input.
    ``N``: N tiles across the width (smaller tiles, enlarged to the input: finer still).
    Tiles cover the top ``FAR_SHARE`` of the image (at least one tile's height); at most
    ``MAX_TILES``, the columns first.
    """
    if setting == "off" or width <= 0 or height <= 0:
        return ()
    if setting == "auto":
        if max(width, height) < AUTO_MIN_SHRINK * input_size:
            return ()
        side = input_size
        columns = _count(width, side)
    else:
        columns = max(1, int(setting))
        side = math.ceil(width / (columns - (columns - 1) * OVERLAP))
    columns = min(columns, MAX_TILES)
    side = min(side, max(width, height))
    tile_height = min(side, height)
    band = min(height, max(tile_height, math.ceil(FAR_SHARE * height)))
    rows = max(1, min(_count(band, tile_height), MAX_TILES // columns))
    tile_width = min(side, width)
    return tuple(
        Tile(x, y, x + tile_width, y + tile_height)
        for y in _starts(band, tile_height, rows)
        for x in _starts(width, tile_width, columns)
    )


def _cut_by_inner_edge(boxes: np.ndarray, tile: Tile, width: int, height: int) -> np.ndarray:
    """Which boxes (tile coordinates) touch an edge of ``tile`` that is not the image's."""
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    cut = np.zeros(len(boxes), bool)
    if tile.x0 > 0:
        cut |= x1 <= EDGE_PX
    if tile.x1 < width:
        cut |= x2 >= tile.x1 - tile.x0 - EDGE_PX
    if tile.y0 > 0:
        cut |= y1 <= EDGE_PX
    if tile.y1 < height:
        cut |= y2 >= tile.y1 - tile.y0 - EDGE_PX
    return cut


def merge_tiles(
    whole: Detections,
    tiles: tuple[Tile, ...],
    found: list[Detections],
    width: int,
    height: int,
    iou: float,
) -> Detections:
    """The whole image's boxes and its tiles' boxes as one set, each object once.

    ``found[i]`` are the boxes of ``tiles[i]`` in tile coordinates; the result is in the
    coordinates of the ``width`` x ``height`` image the tiles were cut from.
    """
    parts = [whole]
    for tile, boxes in zip(tiles, found, strict=True):
        if not len(boxes):
            continue
        keep = ~_cut_by_inner_edge(boxes.xyxy, tile, width, height)
        parts.append(boxes[keep].shifted(tile.x0, tile.y0))
    if len(parts) == 1:
        return whole
    joined = Detections.from_arrays(
        np.concatenate([p.xyxy for p in parts]),
        np.concatenate([p.confidence for p in parts]),
        np.concatenate([p.class_id for p in parts]),
        class_names=whole.class_names or next((p.class_names for p in parts if p.class_names), {}),
    )
    from_whole = np.arange(len(joined)) < len(whole)
    return joined[suppress_duplicates(joined, iou, from_whole)]


def suppress_duplicates(
    detections: Detections, iou: float, from_whole: np.ndarray | None = None
) -> np.ndarray:
    """Indices to keep: per class, greedily the most confident of overlapping boxes.

    Two boxes overlap when their IoU exceeds ``iou`` or the intersection covers more than
    ``CONTAIN_SHARE`` of the smaller one. Two boxes both ``from_whole`` (the whole-image
    pass, already through the model's own NMS) are never compared: a car half hidden
    behind another stays.
    """
    boxes = detections.xyxy.astype(np.float64)
    whole = np.zeros(len(boxes), bool) if from_whole is None else from_whole
    order = np.argsort(-detections.confidence, kind="stable")
    areas = np.maximum(boxes[:, 2] - boxes[:, 0], 0) * np.maximum(boxes[:, 3] - boxes[:, 1], 0)
    kept: list[int] = []
    for index in order:
        if kept:
            others = np.array(kept)
            same = detections.class_id[others] == detections.class_id[index]
            same &= ~(whole[others] & whole[index])
            others = others[same]
            if len(others):
                ix = np.minimum(boxes[others, 2], boxes[index, 2]) - np.maximum(
                    boxes[others, 0], boxes[index, 0]
                )
                iy = np.minimum(boxes[others, 3], boxes[index, 3]) - np.maximum(
                    boxes[others, 1], boxes[index, 1]
                )
                inter = np.maximum(ix, 0) * np.maximum(iy, 0)
                union = areas[others] + areas[index] - inter
                smaller = np.maximum(np.minimum(areas[others], areas[index]), 1e-9)
                if np.any(inter / np.maximum(union, 1e-9) > iou) or np.any(
                    inter / smaller > CONTAIN_SHARE
                ):
                    continue
        kept.append(int(index))
    return np.array(sorted(kept), np.int64)
