"""Per-camera geometry and rule settings of the site file (normalized image coordinates)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from console.config.geometry_checks import polygon_area, polygon_self_intersects
from console.domain.classes import (
    PEDESTRIAN_CLASSES,
    ROAD_USER_CLASSES,
    VEHICLE_CLASSES,
    ClassName,
)


def vehicle_classes() -> list[ClassName]:
    return list(VEHICLE_CLASSES)


def road_user_classes() -> list[ClassName]:
    return list(ROAD_USER_CLASSES)


def pedestrian_classes() -> list[ClassName]:
    return list(PEDESTRIAN_CLASSES)


def default_speed_limits_kmh() -> dict[ClassName, float]:
    return {"car": 90.0, "bus": 80.0, "truck": 80.0, "motorcycle": 70.0}


class StrictModel(BaseModel):
    """Base of every site-file model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_normalized(point: tuple[float, float]) -> tuple[float, float]:
    x, y = point
    if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
        raise ValueError(
            f"point ({x:g}, {y:g}) is outside the frame; coordinates are fractions of the "
            "image width and height, from 0 to 1"
        )
    return point


NormalizedPoint = Annotated[tuple[float, float], AfterValidator(_check_normalized)]
GeometryId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]


class Zone(StrictModel):
    """A polygon on the image: a carriageway, an emergency lane, a no-parking area..."""

    id: GeometryId = Field(description="Identifier, unique within the camera.")
    kind: Literal[
        "carriageway",
        "emergency_lane",
        "intersection",
        "sidewalk",
        "no_parking",
        "signal_lamp",
        "other",
    ] = Field("other", description="What the area is; rules use it for defaults.")
    polygon: list[NormalizedPoint] = Field(
        min_length=3, max_length=64, description="Corners in order, normalized (0..1)."
    )

    @model_validator(mode="after")
    def verify_simple_polygon(self) -> Zone:
        if polygon_self_intersects(self.polygon):
            raise ValueError("polygon edges cross each other; list the corners in order")
        if polygon_area(self.polygon) < 1e-5:
            raise ValueError("polygon has no area (its corners lie on one line or repeat)")
        return self


class Line(StrictModel):
    """A directed line: crossing from its left to its right side counts as 'forward'."""

    id: GeometryId = Field(description="Identifier, unique within the camera.")
    points: tuple[NormalizedPoint, NormalizedPoint] = Field(description="Start and end point.")

    @model_validator(mode="after")
    def verify_length(self) -> Line:
        (x1, y1), (x2, y2) = self.points
        if abs(x1 - x2) + abs(y1 - y2) < 1e-3:
            raise ValueError("the two points of the line are the same")
        return self


class Lane(StrictModel):
    """A lane polygon with the direction traffic must take and the classes allowed in it."""

    id: GeometryId = Field(description="Identifier, unique within the camera.")
    polygon: list[NormalizedPoint] = Field(min_length=3, max_length=64)
    direction: tuple[NormalizedPoint, NormalizedPoint] = Field(
        description="Two points along the lane, from where traffic comes to where it goes."
    )
    allowed_classes: list[ClassName] = Field(
        default_factory=vehicle_classes, description="Vehicle classes allowed."
    )
    solid_borders: bool = Field(False, description="Crossing the lane border is a violation.")

    @model_validator(mode="after")
    def verify_lane(self) -> Lane:
        if polygon_area(self.polygon) < 1e-5 or polygon_self_intersects(self.polygon):
            raise ValueError("lane polygon must be a simple polygon with an area")
        (x1, y1), (x2, y2) = self.direction
        if abs(x1 - x2) + abs(y1 - y2) < 1e-3:
            raise ValueError("lane direction needs two different points")
        return self


class Calibration(StrictModel):
    """Ground-plane calibration: image points and where they lie on the road, in metres."""

    image_points: list[NormalizedPoint] = Field(min_length=4, max_length=32)
    world_points_m: list[tuple[float, float]] = Field(
        min_length=4, max_length=32, description="The same points on the ground, in metres."
    )

    @model_validator(mode="after")
    def verify_pairs(self) -> Calibration:
        if len(self.image_points) != len(self.world_points_m):
            raise ValueError(
                f"{len(self.image_points)} image points but {len(self.world_points_m)} world "
                "points; each image point needs its ground position"
            )
        if polygon_area(self.image_points[:4]) < 1e-4:
            raise ValueError("the first four image points lie on one line; spread them out")
        return self


class RuleBase(StrictModel):
    id: GeometryId | None = Field(None, description="Name of this rule instance.")
    enabled: bool = True
    classes: list[ClassName] = Field(
        default_factory=vehicle_classes, description="Classes the rule applies to."
    )
    schedule: list[
        Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")]
    ] = Field(default_factory=list, description="Local time windows 'HH:MM-HH:MM'; empty = always.")
    priority: Literal["critical", "high", "medium", "low"] | None = Field(
        None, description="Overrides the site's priority for this rule type."
    )
    min_box_height: float = Field(
        0.03,
        ge=0,
        le=1,
        description="Ignore road users smaller than this share of the image height: far away, "
        "neither their class nor their speed can be judged reliably.",
    )


class LineCountRule(RuleBase):
    type: Literal["line_count"]
    line: GeometryId = Field(description="Id of the line to count on.")


class WrongWayRule(RuleBase):
    type: Literal["wrong_way"]
    lane: GeometryId
    min_distance_m: float = Field(15.0, gt=0, le=500)
    min_duration_s: float = Field(2.0, gt=0, le=120)


class StoppedVehicleRule(RuleBase):
    type: Literal["stopped_vehicle"]
    zone: GeometryId
    dwell_s: float = Field(30.0, gt=0, le=3600, description="Seconds stopped before an alert.")


class SpeedingRule(RuleBase):
    type: Literal["speeding"]
    zone: GeometryId | None = None
    limit_kmh: dict[ClassName, float] = Field(default_factory=default_speed_limits_kmh)
    tolerance_kmh: float = Field(5.0, ge=0, le=50)


class RedLightRule(RuleBase):
    type: Literal["red_light"]
    stop_line: GeometryId
    signal_zone: GeometryId | None = Field(None, description="Zone of kind signal_lamp.")
    amber_grace_s: float = Field(0.0, ge=0, le=10)


class LaneViolationRule(RuleBase):
    type: Literal["lane_violation"]
    lane: GeometryId


class PedestrianRule(RuleBase):
    type: Literal["pedestrian"]
    zone: GeometryId
    classes: list[ClassName] = Field(default_factory=pedestrian_classes)
    min_duration_s: float = Field(2.0, gt=0, le=120)


class CongestionRule(RuleBase):
    type: Literal["congestion"]
    zone: GeometryId
    occupancy: float = Field(0.35, gt=0, le=1, description="Fraction of the zone covered.")
    mean_speed_kmh: float = Field(15.0, gt=0, le=120)
    window_s: float = Field(60.0, gt=0, le=3600)


class CameraHealthRule(RuleBase):
    type: Literal["camera_health"]
    scene_change: float = Field(0.6, gt=0, le=1, description="Share of the view that changed.")


RuleConfig = Annotated[
    LineCountRule
    | WrongWayRule
    | StoppedVehicleRule
    | SpeedingRule
    | RedLightRule
    | LaneViolationRule
    | PedestrianRule
    | CongestionRule
    | CameraHealthRule,
    Field(discriminator="type"),
]
