from __future__ import annotations

from typing import get_args

from console.config.geometry import pedestrian_classes, road_user_classes, vehicle_classes
from console.domain.classes import (
    COCO_NAMES,
    ROAD_USER_CLASS_IDS,
    ROAD_USER_NAMES,
    ClassName,
)


def test_every_road_user_class_has_its_coco_id() -> None:
    assert ROAD_USER_CLASS_IDS == {
        "person": 0,
        "bicycle": 1,
        "car": 2,
        "motorcycle": 3,
        "bus": 5,
        "truck": 7,
    }
    assert {COCO_NAMES[i] for i in ROAD_USER_NAMES} == set(get_args(ClassName))
    assert all(COCO_NAMES[i] == name for i, name in ROAD_USER_NAMES.items())


def test_the_site_file_defaults_come_from_the_table() -> None:
    assert road_user_classes() == [*pedestrian_classes(), *vehicle_classes()]
    assert "person" not in vehicle_classes()
