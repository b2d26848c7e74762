"""The classes of road users RoadWatch detects, and their COCO class ids: the one table.

Every model the console runs names its classes like a COCO model (the demo model is
trained with COCO's ids), so a site can swap the demo model for any COCO YOLO model.
"""

from __future__ import annotations

from typing import Literal, get_args

ClassName = Literal["person", "bicycle", "car", "motorcycle", "bus", "truck"]

# COCO's first eight classes by id: the class list of the datasets the demo model is trained
# on. Airplane and train are never labelled; they are listed so the ids match COCO's.
COCO_NAMES: dict[int, str] = {
    0: "person",
    1: "bicycle",
    2: "car",
    3: "motorcycle",
    4: "airplane",
    5: "bus",
    6: "train",
    7: "truck",
}

ROAD_USER_CLASSES: tuple[ClassName, ...] = get_args(ClassName)
VEHICLE_CLASSES: tuple[ClassName, ...] = tuple(c for c in ROAD_USER_CLASSES if c != "person")
PEDESTRIAN_CLASSES: tuple[ClassName, ...] = ("person",)

_COCO_IDS = {name: class_id for class_id, name in COCO_NAMES.items()}
ROAD_USER_CLASS_IDS: dict[str, int] = {name: _COCO_IDS[name] for name in ROAD_USER_CLASSES}
ROAD_USER_NAMES: dict[int, str] = {class_id: name for name, class_id in ROAD_USER_CLASS_IDS.items()}
