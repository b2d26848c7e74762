"""Turns rendered actor boxes into per-frame ground truth records."""

from __future__ import annotations

import math

import cv2
import numpy as np

from console.domain.classes import ROAD_USER_CLASS_IDS
from console.sim.layout import SceneLayout
from console.sim.records import TruthObject
from console.sim.render import ActorBoxes

LANE_RUNOUT_M = 15.0
OCCLUSION_SCALE = 2  # the occlusion label image is this many times smaller than the frame


def lane_at(layout: SceneLayout, x_m: float, y_m: float) -> str | None:
    """The lane whose strip contains the ground point, or None (verge, sidewalk, median)."""
    return lanes_at(layout, np.array([[x_m, y_m]]))[0]


def lanes_at(layout: SceneLayout, points: np.ndarray) -> list[str | None]:
    """``lane_at`` for many (x, y) points at once."""
    lanes = layout.lanes
    start = np.array([(lane.start_x_m, lane.start_y_m) for lane in lanes])
    direction = np.array([lane.direction for lane in lanes])
    length = np.array([lane.length_m for lane in lanes])
    half = np.array([lane.width_m / 2 for lane in lanes])
    rel = points[:, None, :] - start[None, :, :]
    along = rel[..., 0] * direction[None, :, 0] + rel[..., 1] * direction[None, :, 1]
    across = rel[..., 0] * direction[None, :, 1] - rel[..., 1] * direction[None, :, 0]
    # lanes run on a little past their ends, where traffic enters and leaves the scene
    inside = (
        (along >= -LANE_RUNOUT_M)
        & (along <= length[None, :] + LANE_RUNOUT_M)
        & (np.abs(across) <= half[None, :])
    )
    first = np.argmax(inside, axis=1)
    found = inside[np.arange(len(points)), first]
    return [lanes[i].lane_id if ok else None for i, ok in zip(first, found, strict=True)]


def build_objects(
    layout: SceneLayout, boxes: list[ActorBoxes], width: int, height: int
) -> tuple[TruthObject, ...]:
    """Truth objects of everything at least partly in the frame, nearest last."""
    entries: list[tuple[ActorBoxes, np.ndarray, int, str, int | None]] = []
    for item in boxes:
        if not item.fully_in_front:
            continue
        entries.append((item, item.box, item.track_id, item.class_name, None))
        for rider_id, rider_box in zip(item.rider_ids, item.rider_boxes, strict=True):
            entries.append((item, rider_box, rider_id, "person", item.track_id))
    if not entries:
        return ()
    raw = np.array([entry[1] for entry in entries])
    depth = np.array([entry[0].depth_m for entry in entries])
    visible = _visible_fraction(
        raw, depth, [entry[4] or entry[2] for entry in entries], width, height
    )
    visible *= 1.0 - np.array([entry[0].hidden_by_scenery for entry in entries])
    lane_ids = lanes_at(layout, np.array([(e[0].x_m, e[0].y_m) for e in entries]))
    clipped = np.round(np.clip(raw, 0.0, [width, height, width, height]), 2)
    keep = ((clipped[:, 2] - clipped[:, 0]) >= 1.0) & ((clipped[:, 3] - clipped[:, 1]) >= 1.0)
    keep &= visible > 0.0  # wholly behind houses or other traffic: not in the picture
    box_list = clipped.tolist()
    visible_list = np.round(visible, 3).tolist()
    objects = []
    for k in np.nonzero(keep)[0].tolist():
        item, _, track_id, class_name, rider_of = entries[k]
        actor = item
        x1, y1, x2, y2 = box_list[k]
        objects.append(
            TruthObject(
                track_id=track_id,
                class_name=class_name,
                class_id=ROAD_USER_CLASS_IDS[class_name],
                box_xyxy=(x1, y1, x2, y2),
                world_x_m=round(actor.x_m, 3),
                world_y_m=round(actor.y_m, 3),
                speed_mps=round(actor.speed_mps, 4),
                heading_deg=round(math.degrees(actor.heading_rad), 2),
                lane_id=lane_ids[k],
                rider_of=rider_of,
                visible_fraction=visible_list[k],
            )
        )
    return tuple(objects)


def _visible_fraction(
    boxes: np.ndarray, depth: np.ndarray, groups: list[int], width: int, height: int
) -> np.ndarray:
    """Share of each box that is inside the frame and not behind a nearer road user.

    Boxes are painted far to near into a half-resolution label image; an object's visible
    share is how much of its box still carries its label. A rider and its own bike share a
    label, so they do not hide each other.
    """
    scale = OCCLUSION_SCALE
    labels = np.full((height // scale + 1, width // scale + 1), -1, np.int32)
    group = np.array(groups, dtype=np.int64)
    _, dense = np.unique(group, return_inverse=True)
    cells = np.floor(boxes / scale).astype(np.int64)
    for k in np.argsort(-depth, kind="stable"):
        x1, y1, x2, y2 = cells[k]
        cv2.rectangle(labels, (int(x1), int(y1)), (int(x2), int(y2)), int(dense[k]), -1)
    fractions = np.zeros(len(boxes))
    lw, lh = labels.shape[1], labels.shape[0]
    for k in range(len(boxes)):
        x1, y1, x2, y2 = cells[k]
        total = (x2 - x1 + 1) * (y2 - y1 + 1)
        cx1, cy1, cx2, cy2 = max(x1, 0), max(y1, 0), min(x2 + 1, lw), min(y2 + 1, lh)
        if cx2 <= cx1 or cy2 <= cy1:
            continue
        seen = np.count_nonzero(labels[cy1:cy2, cx1:cx2] == dense[k])
        fractions[k] = seen / total
    return fractions
